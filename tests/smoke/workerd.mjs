// workerd consumer: bundles worker-entry.mjs from the consumer project with esbuild the way wrangler
// does, then runs it in Miniflare (real workerd). Run from the repo (esbuild and miniflare resolve
// from its node_modules).
// Usage: node workerd.mjs <consumer-project-dir> [counts-file]
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { recorder } from "./cases.mjs";

// run.sh reads the totals from counts-file ("<passed> <failed>").
const [root, countsFile] = process.argv.slice(2);
if (!root) throw new Error("usage: node workerd.mjs <consumer-project-dir> [counts-file]");
const outdir = join(root, "worker-dist");
mkdirSync(outdir, { recursive: true });

const { record, finish } = recorder();

// A bare `external: ["*.wasm"]` would keep the import as "../wasm/okta_directory_bg.wasm", relative
// to the package's dist/ and wrong beside the bundle. Like wrangler, copy each imported .wasm next to
// the bundle and rewrite the import to "./<name>.wasm"; Miniflare's CompiledWasm rule then turns
// it into a WebAssembly.Module.
const wasmBesideBundle = {
  name: "wasm-beside-bundle",
  setup(build) {
    build.onResolve({ filter: /\.wasm$/ }, ({ path, resolveDir }) => {
      const source = join(resolveDir, path);
      copyFileSync(source, join(outdir, basename(source)));
      return { path: `./${basename(source)}`, external: true };
    });
  },
};

let mf;
async function cleanup() {
  await mf?.dispose().catch(() => {});
}
// run.sh sends SIGTERM on interrupt: stop workerd before exiting.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => cleanup().then(() => process.exit(130)));

try {
  const scriptPath = join(outdir, "worker.js");
  const { metafile } = await esbuild.build({
    entryPoints: [join(root, "worker-entry.mjs")],
    outfile: scriptPath,
    absWorkingDir: root,
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    plugins: [wasmBesideBundle],
    metafile: true,
    logLevel: "warning",
  });
  const bundle = readFileSync(scriptPath, "utf8");
  const inputs = Object.keys(metafile.inputs);
  const entries = inputs.filter((p) => /okta-directory\/dist\/(workerd|browser|node|slim)\.js$/.test(p));

  // Proof that the "workerd" condition won: only dist/workerd.js is bundled, and neither the node
  // entry's readFileSync nor the browser entry's import.meta.url fetch of the wasm is in the bundle.
  record(
    "bundle uses the installed package's dist/workerd.js only",
    entries.length === 1 && entries[0] === "node_modules/okta-directory/dist/workerd.js",
    `entries: ${entries}`,
  );
  record(
    "bundle has no readFileSync and no fetch of the wasm relative to import.meta.url",
    !bundle.includes("readFileSync") && !bundle.includes('new URL("../wasm/okta_directory_bg.wasm", import.meta.url)'),
    "node or browser entry code in the bundle",
  );
  // With named imports the bundler tree-shakes; the entry's `initSync({ module })` must survive.
  record(
    "bundle keeps the workerd entry's static .wasm import and initSync",
    /^import \w+ from "\.\/okta_directory_bg\.wasm";$/m.test(bundle) && /initSync\(\{ module: \w+ \}\)/.test(bundle),
    'the wasm import/initSync of dist/workerd.js was tree-shaken away: package.json "sideEffects": false ' +
      "declares the entries side-effect free although they instantiate the wasm at import time",
  );

  mf = new Miniflare({
    modules: true,
    scriptPath,
    // Module names are paths relative to modulesRoot (default: the cwd, i.e. the repo); the bundle
    // lives in a temp dir, and workerd refuses names with "..".
    modulesRoot: outdir,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-01",
    cf: false,
  });
  const response = await mf.dispatchFetch("http://localhost/");
  const body = await response.text();
  let checks;
  try {
    checks = JSON.parse(body);
  } catch {
    checks = null;
  }
  if (response.status === 200 && Array.isArray(checks)) {
    for (const { name, ok, error } of checks) record(name, ok, error);
  } else {
    record("worker returned the check results", false, `HTTP ${response.status}: ${body.slice(0, 2000)}`);
  }
} catch (error) {
  record("workerd run", false, error.stack ?? error);
} finally {
  await cleanup();
}

finish(countsFile, writeFileSync);
