// Bundles the `okta-directory/claims` entries (js/src/claims-{browser,node}.ts) with esbuild so that
// every import of the wasm glue resolves to the claims-only module (js/wasm-claims/) instead of the
// full one. Shared error classes stay in js/dist/errors.js (external), so `instanceof` works across
// entries. Writes over tsc's output for those two files; the .d.ts files stay tsc's.
// Any esbuild warning fails the build: a missing export ("will always be undefined") means the entry
// reached code the claims-only module does not have.
//
//   node scripts/bundle-claims.mjs      (run by scripts/build.sh after tsc)
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = resolve(root, "js/src");
const claimsGlue = resolve(root, "js/wasm-claims/okta_directory.js");
/** Redirects the wasm glue to the claims-only build and keeps errors.js shared. @type {import("esbuild").Plugin} */
const redirect = {
  name: "claims-only",
  setup(b) {
    b.onResolve({ filter: /okta_directory\.js$/ }, () => ({ path: claimsGlue }));
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      if (!args.resolveDir.startsWith(src)) return undefined;
      const file = resolve(args.resolveDir, args.path.replace(/\.js$/, ".ts"));
      return file === resolve(src, "errors.ts") ? { path: "./errors.js", external: true } : { path: file };
    });
  },
};

/** @type {{ input: string, platform: import("esbuild").Platform }[]} */
const entries = [
  { input: "claims-browser.ts", platform: "browser" },
  { input: "claims-node.ts", platform: "node" },
];
for (const { input, platform } of entries) {
  const outfile = resolve(root, "js/dist", input.replace(/\.ts$/, ".js"));
  const result = await build({
    entryPoints: [resolve(src, input)],
    bundle: true,
    format: "esm",
    platform,
    target: "es2022",
    outfile,
    plugins: [redirect],
    logLevel: "silent",
    legalComments: "none",
    external: ["node:*"],
  });
  if (result.warnings.length > 0) {
    for (const w of result.warnings) console.error(`${w.location?.file ?? ""}: ${w.text}`);
    throw new Error(`esbuild warned while bundling ${input}`);
  }
  const text = readFileSync(outfile, "utf8");
  const imports = [...text.matchAll(/^(?:import|export) .* from "([^"]+)";$/gm)].map((m) => m[1]);
  const allowed = platform === "node" ? ["node:fs", "./errors.js"] : ["./errors.js"];
  const stray = imports.filter((m) => !allowed.includes(m));
  if (stray.length > 0) throw new Error(`${input}: the bundle imports ${stray.join(", ")}`);
  // Markers of the full module's glue (classes the claims-only module does not export).
  for (const marker of ["DirectoryCore", "SyncSession", "__wbg_directorycore_free"]) {
    if (text.includes(marker)) throw new Error(`${input}: the bundle contains the full wasm glue (${marker})`);
  }
}
