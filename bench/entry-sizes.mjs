// Bytes a user downloads per package entry: the entry's JavaScript bundled and minified with
// esbuild (what a bundler ships) and the wasm module it loads, raw and gzip -9. Run after the build:
//
//   node bench/entry-sizes.mjs          (prints a Markdown table)
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

/** @type {{ name: string, js: string, platform: import("esbuild").Platform, wasm: string }[]} */
const entries = [
  {
    name: "okta-directory/browser (and the root entry in browsers)",
    js: "js/dist/browser.js",
    platform: "browser",
    wasm: "js/wasm/okta_directory_bg.wasm",
  },
  {
    name: "okta-directory/claims (browsers)",
    js: "js/dist/claims-browser.js",
    platform: "browser",
    wasm: "js/wasm-claims/okta_directory_bg.wasm",
  },
  { name: "okta-directory/node", js: "js/dist/node.js", platform: "node", wasm: "js/wasm/okta_directory_bg.wasm" },
  { name: "okta-directory/workers", js: "js/dist/workerd.js", platform: "neutral", wasm: "js/wasm/okta_directory_bg.wasm" },
];
// The gzip CLI, as scripts/build.sh measures (zlib in Node compresses the wasm ~2 % worse).
/** @param {Uint8Array} bytes */
const gz = (bytes) => execFileSync("gzip", ["-9c"], { input: bytes, maxBuffer: 1 << 26 }).length;
/** @param {number} x */
const n = (x) => x.toLocaleString("en-US");
console.log("| entry | JS min (gzip) | wasm raw | wasm gzip | total gzip |\n|---|---:|---:|---:|---:|");
for (const e of entries) {
  /** @type {import("esbuild").BuildResult<{ write: false }>} */
  const out = await build({
    entryPoints: [e.js],
    bundle: true,
    minify: true,
    format: "esm",
    platform: e.platform,
    write: false,
    external: ["node:*", "*.wasm"],
    logLevel: "silent",
  });
  const js = out.outputFiles[0].contents;
  const wasm = readFileSync(e.wasm);
  console.log(`| ${e.name} | ${n(js.length)} (${n(gz(js))}) | ${n(wasm.length)} | ${n(gz(wasm))} | ${n(gz(js) + gz(wasm))} |`);
}
