// Bytes a user downloads per package entry: the entry's JavaScript bundled and minified with
// esbuild (what a bundler ships) and the wasm module it loads, raw and gzip -9. Run after the build:
//
//   node bench/entry-sizes.mjs          (prints a Markdown table)
//   node bench/entry-sizes.mjs --check  (also fails when a wasm module is over its gzip budget:
//                                        scripts/test.sh runs it after the build)
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

// Issue 16's budgets, in gzip -9 bytes: the claims-only module the browser entry and the portal load,
// and the full module (Node, Workers). Bytes of a build artifact, deterministic: not a timing.
const budgets = [
  { wasm: "js/wasm-claims/okta_directory_bg.wasm", name: "claims-only wasm (okta-directory/claims)", limit: 250_000 },
  { wasm: "js/wasm/okta_directory_bg.wasm", name: "full wasm (Node, Workers, browser)", limit: 600_000 },
];

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

if (process.argv.includes("--check")) {
  let over = 0;
  for (const b of budgets) {
    const size = gz(readFileSync(b.wasm));
    const ok = size <= b.limit;
    if (!ok) over++;
    console.log(`${ok ? "ok  " : "OVER"} ${b.name}: ${n(size)} B gzip -9 (budget ${n(b.limit)})`);
  }
  if (over > 0) {
    console.error(`${over} wasm module(s) over budget (docs/decisions/claims-only-size.md lists where the bytes are)`);
    process.exit(1);
  }
}
