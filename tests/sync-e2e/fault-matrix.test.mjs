// The fault matrix: for every fault the emulator injects, the built CLI's sync (1 200 users, 50 per page,
// so dozens of pages) either completes with a snapshot identical to the emulator's directory, or fails with
// the expected typed error leaving the previous snapshot byte for byte intact — and then `--resume` from the
// checkpoint completes identically without refetching the completed pages.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { applyFaultSpec } from "../../js/dist/emulator/index.js";
import { assertSnapshotMatches, cliSync, counter, emulator, setFaults, summaryOf } from "./lib.mjs";

const USERS = 1200;
const PAGE = ["--page-limit", "50"];

/** Injects `spec` into the `n`-th API request from now (counted at the emulator's rate limiter), so a fault
 *  can strike mid-sync, after pages completed and a checkpoint exists. Returns a function that disarms it. */
function armAfter(emu, n, spec) {
  const limiter = emu.env.limiter;
  const take = limiter.take.bind(limiter);
  let count = 0;
  limiter.take = (...args) => {
    if (++count === n) applyFaultSpec(emu.env, spec);
    return take(...args);
  };
  return () => {
    limiter.take = take;
    emu.env.faults.clear();
  };
}

const CASES = [
  { name: "429 storm (within the retry budget)", faults: "429=6:1", retried: true },
  { name: "429 storm beyond the retry budget", armAt: 25, faults: "429=5:0", args: ["--max-in-flight", "1"], code: "RATE_LIMITED" },
  { name: "concurrency-limit 429s", faults: "concurrency=6", retried: true },
  { name: "5xx burst (500, 502 HTML page, 503)", faults: "5xx=4", retried: true },
  { name: "slow responses", faults: "slow=4:1200" },
  { name: "a stalled response (request timeout, retried)", faults: "stall=1", args: ["--request-timeout", "1500"], retried: true },
  { name: "connection reset mid-body", faults: "reset=2", retried: true },
  { name: "malformed JSON once (retried)", faults: "malformed=1", retried: true },
  { name: "malformed JSON twice on one page", armAt: 25, faults: "malformed=2", args: ["--max-in-flight", "1"], code: "MALFORMED_RESPONSE" },
  { name: "a next link to another origin", armAt: 25, faults: "foreign-next=1", code: "UNSAFE_NEXT_LINK" },
  { name: "a user duplicated across pages", faults: "duplicate=4" },
  { name: "a user deleted between pages", faults: "delete-between-pages=1" },
  { name: "token expiry mid-sync (private key, DPoP)", credentials: "key", armAt: 20, faults: "token-expiry=1" },
  { name: "DPoP nonce rotation at a mid-sync token refresh", credentials: "key", armAt: 20, faults: "token-expiry=1,dpop-nonce=1" },
];

async function runCase(c, seed) {
  const { emu, dir, base } = await emulator({ users: USERS, groups: 5, seed });
  const out = join(dir, "directory.snap");
  const args = [...base(c.credentials), "--out", out, ...PAGE, ...(c.args ?? [])];
  try {
    if (c.code === undefined) {
      let disarm = () => emu.env.faults.clear();
      if (c.armAt === undefined) await setFaults(emu, c.faults);
      else disarm = armAfter(emu, c.armAt, c.faults);
      const run = await cliSync(args);
      const left = { ...emu.env.faults.describe(), ...(emu.env.oauth.forcedNonceChallenges > 0 ? { "dpop-nonce": emu.env.oauth.forcedNonceChallenges } : {}) };
      disarm();
      assert.equal(run.code, 0, `${c.name}: ${run.stderr}`);
      assert.deepEqual(left, {}, `${c.name}: the fault did not fire in full`);
      if (c.retried) assert.ok(summaryOf(run).retries > 0, `${c.name}: no retry`);
      assertSnapshotMatches(out, emu);
      return { name: c.name, requests: summaryOf(run).requests, retries: summaryOf(run).retries };
    }
    // A previous snapshot, then the faulty run: typed error, previous bytes untouched, checkpoint kept.
    const requests = counter(emu);
    const first = await cliSync(args);
    assert.equal(first.code, 0, first.stderr);
    const full = requests();
    const previous = readFileSync(out);
    const disarm = armAfter(emu, c.armAt, c.faults);
    const failed = await cliSync(args);
    disarm();
    assert.equal(failed.code, 1, `${c.name}: expected a handled error, got ${failed.code}: ${failed.stderr}`);
    assert.match(failed.stderr, new RegExp(`^error\\[${c.code}\\]`, "m"), c.name);
    assert.deepEqual(readFileSync(out), previous, `${c.name}: the previous snapshot changed`);
    assert.ok(existsSync(`${out}.checkpoint.json`), `${c.name}: no checkpoint kept`);
    const before = requests();
    const resumed = await cliSync([...args, "--resume"]);
    assert.equal(resumed.code, 0, `${c.name} (resume): ${resumed.stderr}`);
    assert.match(resumed.stderr, /resuming from/);
    assertSnapshotMatches(out, emu);
    assert.ok(!existsSync(`${out}.checkpoint.json`));
    const again = requests() - before;
    // Only what the failed run had not completed is fetched again.
    assert.ok(again < full, `${c.name}: resume made ${again} requests, a full sync ${full}`);
    return { name: c.name, requests: again, full };
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("fault matrix: identical directory or typed error + intact snapshot + identical resume", async (t) => {
  const queue = CASES.map((c, i) => [c, 100 + i]);
  const results = [];
  // Three cases at a time: each is a CLI child process against its own in-process emulator.
  await Promise.all(
    [0, 1, 2].map(async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) results.push(await runCase(...next));
    }),
  );
  assert.equal(results.length, CASES.length);
  for (const r of results) t.diagnostic(JSON.stringify(r));
});
