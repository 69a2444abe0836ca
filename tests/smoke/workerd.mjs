// workerd consumer: bundles worker-entry.mjs from the consumer project with esbuild the way wrangler
// does, then runs it in Miniflare (real workerd); the recipe is templates/worker/test/workerd-bundle.mjs.
// Run from the repo (esbuild and miniflare resolve from its node_modules).
// Usage: node workerd.mjs <consumer-project-dir> [counts-file]
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { bundleForWorkerd, workerdScript } from "../../templates/worker/test/workerd-bundle.mjs";
import { recorder } from "./cases.mjs";

// run.sh reads the totals from counts-file ("<passed> <failed>").
const [root, countsFile] = process.argv.slice(2);
if (!root) throw new Error("usage: node workerd.mjs <consumer-project-dir> [counts-file]");
const outdir = join(root, "worker-dist");
mkdirSync(outdir, { recursive: true });

const { record, finish } = recorder();

/** @type {Miniflare | undefined} */
let mf;
async function cleanup() {
  await mf?.dispose().catch(() => {});
}
// run.sh sends SIGTERM on interrupt: stop workerd before exiting.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => cleanup().then(() => process.exit(130)));

try {
  const scriptPath = join(outdir, "worker.js");
  const { metafile } = await bundleForWorkerd({
    entry: join(root, "worker-entry.mjs"),
    outfile: scriptPath,
    absWorkingDir: root,
    metafile: true,
  });
  const bundle = readFileSync(scriptPath, "utf8");
  const inputs = Object.keys(metafile?.inputs ?? {});
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

  mf = new Miniflare(workerdScript(scriptPath));
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
  record("workerd run", false, /** @type {Error} */ (error).stack ?? error);
} finally {
  await cleanup();
}

finish(countsFile, writeFileSync);
