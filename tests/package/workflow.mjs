// Lints the release workflow without running it: valid YAML, the shape GitHub Actions expects, and
// the release rules (publish only after the tests, with provenance and an OIDC token).
// Usage: node workflow.mjs <.github/workflows/release.yml>
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import yaml from "js-yaml";

const file = process.argv[2];
// The workflow as parsed YAML: any shape at all until the assertions below have checked it.
const wf = /** @type {any} */ (yaml.load(readFileSync(file, "utf8")));
/** @typedef {{ run?: string, uses?: string }} Step */
assert.equal(typeof wf.name, "string", "a workflow name");
assert.ok(wf.on?.push?.tags?.length, "runs on pushed version tags");
for (const [id, job] of Object.entries(wf.jobs)) {
  assert.equal(typeof job["runs-on"], "string", `${id}: runs-on`);
  assert.ok(Array.isArray(job.steps) && job.steps.length > 0, `${id}: steps`);
  for (const step of job.steps) assert.ok("uses" in step !== "run" in step, `${id}: each step has either uses or run`);
}
const publish = wf.jobs.publish;
assert.ok([publish.needs].flat().includes("test"), "publish needs the test job");
assert.equal(publish.permissions?.["id-token"], "write", "publish may mint an OIDC token (provenance)");
const run = publish.steps.map((/** @type {Step} */ s) => s.run ?? "").join("\n");
assert.match(run, /npm publish --provenance/, "publish uses npm publish --provenance");
assert.match(
  wf.jobs.test.steps.map((/** @type {Step} */ s) => s.run ?? "").join("\n"),
  /bash scripts\/test\.sh/,
  "the test job runs the test command",
);
console.log(`  ok   ${file}: jobs ${Object.keys(wf.jobs).join(", ")}; publish after test, id-token: write, --provenance`);
