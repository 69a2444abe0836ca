// Static files of the dashboard and the portal: an allow-list, checked on the DECODED path.
//
// A deny-list that runs before decoding lets `/server%2emjs` or `/%74sconfig.json` through; here the path
// is decoded first (malformed escapes are refused), then it must name a file type the pages use, sit in a
// served folder, and stay inside its root after normalization.
import { extname, join, normalize, sep } from "node:path";

/** Content types of the extensions served; nothing else is ever served. */
export const TYPES = Object.freeze({
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
});

/** Folders of www/ whose files are served (the root's own files, the portal page, the sample data). */
const WWW_FOLDERS = new Set(["", "portal", "sample"]);
/** Files of www/ that are never served although their type is (configuration). */
const WWW_HIDDEN = new Set(["tsconfig.json", "package.json"]);

/**
 * Maps a URL path to a file under `www` or (for `/sdk/…`) under the SDK's `dist/` or `wasm/`; null when
 * the path is malformed, not allow-listed or escapes its root.
 * @param {string} urlPath the URL's pathname, still percent-encoded
 * @param {{ www: string, sdk: string }} roots absolute folders, each ending in a separator
 */
export function resolveStatic(urlPath, roots) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\") || !decoded.startsWith("/")) return null;
  const segments = decoded.split("/").slice(1);
  if (segments.some((s) => s === ".." || s === "." || s.startsWith("."))) return null;
  let rest = decoded.slice(1);
  if (rest === "" || rest.endsWith("/")) rest += "index.html";
  if (!(extname(rest) in TYPES)) return null;
  const sdk = rest.startsWith("sdk/");
  const root = sdk ? roots.sdk : roots.www;
  const relative = sdk ? rest.slice(4) : rest;
  const folder = relative.includes("/") ? relative.slice(0, relative.lastIndexOf("/")) : "";
  if (sdk ? !/^(dist|wasm)(\/|$)/.test(relative) : !WWW_FOLDERS.has(folder) || WWW_HIDDEN.has(relative)) return null;
  const file = normalize(join(root, relative));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

/** The content type of a resolved file. @param {string} file */
export const contentType = (file) => /** @type {Record<string, string>} */ (TYPES)[extname(file)] ?? "application/octet-stream";
