// Static files of the dashboard and the portal: only the browser app's folder (www/app/, which holds
// nothing but what the pages load) and the SDK's browser build (/sdk/ → js/dist/, js/wasm/). The server's
// code lives outside the web root, so no path can name it.
//
// The path is decoded first (malformed escapes are refused: a check before decoding lets `/%2e%2e/` or
// `/%73erver.mjs` through), then it must name a file type the pages use and stay inside its root after
// normalization.
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The web root (the browser app, www/app/) and the SDK's package folder (/sdk/ → its dist/ and wasm/). */
export const STATIC_ROOTS = Object.freeze({
  app: fileURLToPath(new URL("../app/", import.meta.url)),
  sdk: fileURLToPath(new URL("../../js/", import.meta.url)),
});

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

/**
 * Maps a URL path to a file under `app` (the browser app) or, for `/sdk/…`, under the SDK's `dist/` or
 * `wasm/`; null when the path is malformed, not an allowed type or escapes its root.
 * @param {string} urlPath the URL's pathname, still percent-encoded
 * @param {{ app: string, sdk: string }} roots absolute folders, each ending in a separator
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
  const root = sdk ? roots.sdk : roots.app;
  const relative = sdk ? rest.slice(4) : rest;
  if (sdk && !/^(dist|wasm)\//.test(relative)) return null;
  const file = normalize(join(root, relative));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

/** The content type of a resolved file. @param {string} file */
export const contentType = (file) => /** @type {Record<string, string>} */ (TYPES)[extname(file)] ?? "application/octet-stream";
