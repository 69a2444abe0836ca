// The snippet runner fails the build for each kind of bad block and reports what it skipped and why.
// Runs without an emulator (the fixture's blocks do not need one): node --test tests/package/
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const here = import.meta.dirname;

test("each bad block fails the run; skips are counted with their reason", () => {
  const project = mkdtempSync(join(tmpdir(), "snippets-test-"));
  try {
    const run = spawnSync(process.execPath, [join(here, "snippets.mjs"), "--no-emulator", project, join(here, "fixtures/snippets.md")], {
      encoding: "utf8",
    });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const out = run.stdout;
    assert.match(out, /snippets: 3 ran, 2 parsed, 1 samples \(not run\), 1 skipped, 6 failed — in 1 files/);
    assert.match(out, /FAIL \S+:17 js: throw new Error/);
    assert.match(out, /this block fails on purpose/);
    assert.match(out, /FAIL \S+:25 json \(does not parse as json\)/);
    assert.match(out, /FAIL \S+:38 \(no language\)/);
    assert.match(out, /FAIL \S+:48 sh \(a skip marker needs a reason\)/);
    assert.match(out, /FAIL \S+:52 python \(no rule runs `python` blocks/);
    assert.match(out, /skipped \S+:43 sh — needs a real Okta org/);
    assert.match(out, /FAIL \S+:56 html: /);
    assert.match(out, /page error: this page fails on purpose/);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
