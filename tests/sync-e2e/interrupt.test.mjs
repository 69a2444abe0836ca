// Ctrl-C during a sync: the built CLI, interrupted after its first checkpoint, exits 130 (SIGTERM: 143) with its
// progress kept, and `--resume` then completes a snapshot equal to the emulator's directory with fewer requests
// than a full sync needs.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { assertSnapshotMatches, cliSync, counter, emulator, setFaults, summaryOf } from "./lib.mjs";

const CLI = fileURLToPath(new URL("../../js/bin/okta-directory.mjs", import.meta.url));

/**
 * Starts a sync, waits until its checkpoint holds at least one journaled page, sends `signal`; resolves on exit.
 * @param {string[]} args
 * @param {string} out
 * @param {NodeJS.Signals} signal
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, stderr: string }>}
 */
async function interrupted(args, out, signal) {
  const child = spawn(process.execPath, [CLI, "sync", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once("exit", (code, sig) => resolve({ code, signal: sig })));
  const deadline = Date.now() + 20_000;
  try {
    while (!(existsSync(`${out}.checkpoint.json`) && (statSync(`${out}.journal`, { throwIfNoEntry: false })?.size ?? 0) > 0)) {
      assert.ok(Date.now() < deadline, `no checkpoint within 20 s: ${stderr}`);
      assert.equal(child.exitCode, null, `the sync ended before its first checkpoint: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }
  child.kill(signal);
  const result = await exited;
  return { ...result, stderr };
}

test("Ctrl-C exits 130 with the checkpoint kept; --resume completes the same snapshot as a full sync", async () => {
  // Every response slowed: the sync is still running, mid-listing, when the signal comes.
  const { emu, dir, base } = await emulator({ users: 400, groups: 4, seed: 7, faults: "slow=100000:150" });
  const out = join(dir, "d.snap");
  const args = [...base("ssws"), "--out", out, "--page-limit", "20", "--max-in-flight", "1"];
  try {
    const stopped = await interrupted(args, out, "SIGINT");
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /^sync: interrupted by SIGINT \(progress kept in .*checkpoint\.json; rerun with --resume\)$/m);
    assert.ok(existsSync(`${out}.checkpoint.json`), "the checkpoint is kept");
    assert.ok(!existsSync(out), "no snapshot from an interrupted run");
    assert.ok(!existsSync(`${out}.lock`), "the lock goes with the process");
    JSON.parse(readFileSync(`${out}.checkpoint.json`, "utf8"));

    // The slowdown off; the resumed run's requests are counted and compared with a full sync's below.
    await setFaults(emu, "");
    const requests = counter(emu);
    const resumed = await cliSync([...args, "--resume"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /^sync: resuming from /m);
    assert.doesNotMatch(resumed.stderr, /starting over/);
    assertSnapshotMatches(out, emu);
    assert.ok(
      !existsSync(`${out}.checkpoint.json`) && !existsSync(`${out}.journal`),
      "a completed sync removes its checkpoint and journal",
    );
    const resumedRequests = requests();

    const fullOut = join(dir, "full.snap");
    const before = requests();
    const full = await cliSync([...base("ssws"), "--out", fullOut, "--page-limit", "20", "--max-in-flight", "1"]);
    assert.equal(full.code, 0, full.stderr);
    assertSnapshotMatches(fullOut, emu);
    assert.deepEqual(
      { ...summaryOf(resumed), requests: 0, retries: 0, elapsedMs: 0 },
      { ...summaryOf(full), requests: 0, retries: 0, elapsedMs: 0 },
    );
    assert.ok(
      resumedRequests < requests() - before,
      `the resumed run read less than a full sync (${resumedRequests} vs ${requests() - before} requests)`,
    );
  } finally {
    await emu.close();
  }
});

test("SIGTERM exits 143 with the checkpoint kept", async () => {
  const { emu, dir, base } = await emulator({ users: 200, groups: 2, seed: 8, faults: "slow=100000:150" });
  const out = join(dir, "d.snap");
  try {
    const stopped = await interrupted([...base("ssws"), "--out", out, "--page-limit", "20", "--max-in-flight", "1"], out, "SIGTERM");
    assert.equal(stopped.code, 143, stopped.stderr);
    assert.match(stopped.stderr, /^sync: interrupted by SIGTERM /m);
    assert.ok(existsSync(`${out}.checkpoint.json`));
  } finally {
    await emu.close();
  }
});
