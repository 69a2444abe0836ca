// The fault matrix: for every fault the emulator injects, the built CLI's sync (1 200 users, 50 per page,
// so dozens of pages) either completes with a snapshot identical to the emulator's directory, or fails with
// the expected typed error leaving the previous snapshot byte for byte intact — and then `--resume` from the
// checkpoint completes identically without refetching the completed pages.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { applyFaultSpec } from "../../js/dist/emulator/index.js";
import { startFaultProxy } from "./fault-proxy.mjs";
import { assertSnapshotMatches, cliSync, counter, emulator, setFaults, summaryOf } from "./lib.mjs";

const CLI = fileURLToPath(new URL("../../js/bin/okta-directory.mjs", import.meta.url));

const USERS = 1200;
const PAGE = ["--page-limit", "50"];

/** @typedef {import("./lib.mjs").RunningEmulator} RunningEmulator */

/** Injects `spec` into the `n`-th API request from now (counted at the emulator's rate limiter), so a fault
 *  can strike mid-sync, after pages completed and a checkpoint exists. Returns a function that disarms it.
 * @param {RunningEmulator} emu
 * @param {number | undefined} n
 * @param {string} spec
 */
function armAfter(emu, n, spec) {
  const limiter = emu.env.limiter;
  const take = limiter.take.bind(limiter);
  let count = 0;
  /** @type {typeof take} */
  limiter.take = (...args) => {
    if (++count === n) applyFaultSpec(emu.env, spec);
    return take(...args);
  };
  return () => {
    limiter.take = take;
    emu.env.faults.clear();
  };
}

/**
 * @typedef {object} Case One fault through the emulator: the CLI's run ends with the ground truth, or (`code`)
 *   with that typed error, the previous snapshot intact and an identical resume.
 * @property {string} name
 * @property {string} faults the emulator's fault spec
 * @property {number} [armAt] the API request (from now) that arms it
 * @property {string[]} [args]
 * @property {string} [code]
 * @property {boolean} [retried]
 * @property {import("../../js/dist/emulator/index.js").RealismOption} [realism]
 * @property {"ssws" | "key"} [credentials]
 */
/** @type {Case[]} */
const CASES = [
  { name: "429 storm (within the retry budget)", faults: "429=6:1", retried: true },
  // Armed at the groups listing (one stream on its bucket: the whole storm hits one page); the messy emulator
  // ends the users listing with an empty page, so request 25 is still a users page.
  { name: "429 storm beyond the retry budget", armAt: 26, faults: "429=5:0", args: ["--max-in-flight", "1"], code: "RATE_LIMITED" },
  { name: "concurrency-limit 429s", faults: "concurrency=6", retried: true },
  { name: "5xx burst (500, 502 HTML page, 503)", faults: "5xx=4", retried: true },
  { name: "slow responses", faults: "slow=4:1200" },
  { name: "a stalled response (request timeout, retried)", faults: "stall=1", args: ["--request-timeout", "1500"], retried: true },
  { name: "connection reset mid-body", faults: "reset=2", retried: true },
  { name: "malformed JSON once (retried)", faults: "malformed=1", retried: true },
  {
    name: "malformed JSON twice on one page",
    armAt: 25,
    faults: "malformed=2",
    args: ["--max-in-flight", "1"],
    code: "MALFORMED_RESPONSE",
  },
  { name: "a next link to another origin", armAt: 25, faults: "foreign-next=1", args: ["--max-in-flight", "1"], code: "UNSAFE_NEXT_LINK" },
  { name: "a user duplicated across pages", faults: "duplicate=4" },
  // Tidy: with the messy profile's index lag a user deleted mid-sync may still be listed (as in Okta), so the
  // snapshot legitimately differs from the ground truth taken after the deletion.
  { name: "a user deleted between pages", faults: "delete-between-pages=1", realism: "tidy" },
  { name: "token expiry mid-sync (private key, DPoP)", credentials: "key", armAt: 20, faults: "token-expiry=1" },
  { name: "DPoP nonce rotation at a mid-sync token refresh", credentials: "key", armAt: 20, faults: "token-expiry=1,dpop-nonce=1" },
];

/**
 * @param {Case} c
 * @param {number} seed
 */
async function runCase(c, seed) {
  const { emu, dir, base } = await emulator({ users: USERS, groups: 5, seed, ...(c.realism ? { realism: c.realism } : {}) });
  const out = join(dir, "directory.snap");
  const args = [...base(c.credentials), "--out", out, ...PAGE, ...(c.args ?? [])];
  try {
    if (c.code === undefined) {
      let disarm = () => emu.env.faults.clear();
      if (c.armAt === undefined) await setFaults(emu, c.faults);
      else disarm = armAfter(emu, c.armAt, c.faults);
      const run = await cliSync(args);
      const left = {
        ...emu.env.faults.describe(),
        ...(emu.env.oauth.forcedNonceChallenges > 0 ? { "dpop-nonce": emu.env.oauth.forcedNonceChallenges } : {}),
      };
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
    const saved = JSON.parse(readFileSync(`${out}.checkpoint.json`, "utf8"));
    const before = requests();
    const resumed = await cliSync([...args, "--resume"]);
    assert.equal(resumed.code, 0, `${c.name} (resume): ${resumed.stderr}`);
    assert.match(resumed.stderr, /resuming from/);
    assertSnapshotMatches(out, emu);
    assert.ok(!existsSync(`${out}.checkpoint.json`));
    const again = requests() - before;
    // Only what the failed run had not completed is fetched again: at most one page more than the pages its
    // checkpoint did not cover (the SDK's own bound: the page in flight when it stopped).
    const bound = full - saved.progress.pages + 1;
    assert.ok(saved.progress.pages > 0, `${c.name}: the checkpoint covers no page`);
    assert.ok(again <= bound, `${c.name}: resume made ${again} requests; a full sync ${full}, ${saved.progress.pages} pages checkpointed`);
    return { name: c.name, requests: again, full };
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("fault matrix: identical directory or typed error + intact snapshot + identical resume", async (t) => {
  const queue = CASES.map((c, i) => /** @type {[Case, number]} */ ([c, 100 + i]));
  /** @type {object[]} */
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

// ---------------------------------------------------------------------------------------------------------------
// Faults the emulator cannot produce, through the fault proxy (fault-proxy.mjs) between the CLI and the emulator.
// Each case ends in a snapshot identical to the ground truth, or in a typed error with the previous snapshot
// intact. 2 000 users at 50 per page (dozens of pages) where the fault does not depend on size; the kill-point
// case (runs that must not mix) at 20 000 users, 200 per page.

const SMALL = 2000;
const DAY_S = 86_400;

/**
 * The CLI as a child process that a test can kill (SIGKILL: no cleanup at all, as a crash).
 * @param {string[]} args
 */
function spawnSync(args) {
  const child = spawn(process.execPath, [CLI, "sync", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }>} */
  const done = new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/**
 * Polls `check` every 10 ms for at most `ms`; resolves with whether it became true.
 * @param {() => boolean} check
 * @param {number} ms
 */
async function until(check, ms) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) {
    if (check()) return true;
  }
  return check();
}

/** @typedef {Awaited<ReturnType<typeof startFaultProxy>>} FaultProxy */
/**
 * An emulator behind a fault proxy, the snapshot path and the CLI's arguments through the proxy, for `body`.
 * @template T
 * @param {number} users
 * @param {number} seed
 * @param {(context: { emu: RunningEmulator, proxy: FaultProxy, out: string, dir: string, args: (...extra: string[]) => string[] }) => Promise<T>} body
 */
async function withProxy(users, seed, body) {
  const { emu, dir } = await emulator({ users, groups: 5, seed });
  const proxy = await startFaultProxy(emu.url, {});
  const out = join(dir, "directory.snap");
  const args = (/** @type {string[]} */ ...extra) => [
    "--org",
    proxy.url,
    "--api-token",
    emu.apiToken,
    "--insecure-loopback",
    "--out",
    out,
    ...extra,
  ];
  try {
    return await body({ emu, proxy, out, dir, args });
  } finally {
    await proxy.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const USERS_PATH = "/api/v1/users";
/**
 * @typedef {object} ProxyCase One fault through the proxy: the run ends with the ground truth, or (`code`) with that
 *   typed error (`stderr` matching) and the previous snapshot intact.
 * @property {string} name
 * @property {import("./fault-proxy.mjs").Faults} faults
 * @property {string[]} [args]
 * @property {string} [code]
 * @property {RegExp} [stderr]
 * @property {(proxy: FaultProxy) => void} [check]
 */
/** @type {ProxyCase[]} */
const PROXY_CASES = [
  {
    name: "a rate-limit window that resets a day ahead with nothing left",
    faults: { rateLimit: { resetInS: DAY_S, remaining: 0 } },
    code: "RATE_LIMIT_WAIT_TOO_LONG",
    stderr: /bucket asks for a \d+ s wait, beyond the 300 s cap \(server reset at \d{4}-/,
  },
  {
    name: "a window a day long with 500 left (pacing spread over --max-wait, not over the day)",
    faults: { rateLimit: { resetInS: DAY_S, remaining: 500 } },
    args: ["--max-wait", "10"],
  },
  {
    name: "the server's Date a day behind",
    faults: { dateSkewMs: -DAY_S * 1000, rateLimit: { resetInS: 60, remaining: 590 } },
    args: ["--max-wait", "10"],
  },
  {
    name: "the server's Date a day ahead",
    faults: { dateSkewMs: DAY_S * 1000, rateLimit: { resetInS: 60, remaining: 590 } },
    args: ["--max-wait", "10"],
  },
  {
    name: "a cursor that never advances (the same page, a fresh next link each time)",
    faults: { frozenCursor: { path: USERS_PATH, from: 3 } },
    code: "NO_PROGRESS",
  },
  { name: "a gzip bomb (1 MB → 1 GB)", faults: { bomb: { path: USERS_PATH, nth: 3, mib: 1024 } }, code: "RESPONSE_TOO_LARGE" },
  { name: "a 1 GB plain body, streamed", faults: { huge: { path: USERS_PATH, nth: 3, bytes: 1 << 30 } }, code: "RESPONSE_TOO_LARGE" },
  {
    name: "503 with Retry-After: 3 (honoured)",
    faults: { unavailable: { path: USERS_PATH, nth: 2, count: 2, retryAfter: 3 } },
    check: (proxy) => {
      const users = proxy.log.filter((r) => r.path === USERS_PATH);
      const first = users.findIndex((r) => r.status === 503);
      assert.ok(first >= 0, "no 503 was served");
      for (const i of [first, first + 1]) {
        const gap = (users[i + 1]?.at ?? 0) - users[i].at;
        assert.ok(gap >= 2900, `the retry after a Retry-After: 3 came ${gap} ms later`);
      }
    },
  },
  {
    name: "503 with Retry-After beyond the wait cap",
    faults: { unavailable: { path: USERS_PATH, nth: 2, count: 1, retryAfter: 3600 } },
    code: "RATE_LIMIT_WAIT_TOO_LONG",
    stderr: /usersList rate-limit bucket asks for a 3600 s wait/,
  },
];

/**
 * @param {ProxyCase} c
 * @param {number} seed
 */
async function proxyCase(c, seed) {
  const started = Date.now();
  return withProxy(SMALL, seed, async ({ emu, proxy, out, args }) => {
    const common = args("--page-limit", "50", ...(c.args ?? []));
    if (c.code === undefined) {
      proxy.faults = c.faults;
      const run = await cliSync(common);
      assert.equal(run.code, 0, `${c.name}: ${run.stderr.slice(-2000)}`);
      assertSnapshotMatches(out, emu);
      c.check?.(proxy);
      return { name: c.name, ms: Date.now() - started, requests: summaryOf(run).requests };
    }
    const first = await cliSync(common);
    assert.equal(first.code, 0, first.stderr);
    const previous = readFileSync(out);
    proxy.faults = c.faults;
    const failed = await cliSync(common);
    assert.equal(failed.code, 1, `${c.name}: expected a handled error, got ${failed.code}: ${failed.stderr.slice(-2000)}`);
    assert.match(failed.stderr, new RegExp(`^error\\[${c.code}\\]`, "m"), c.name);
    if (c.stderr) assert.match(failed.stderr, c.stderr, c.name);
    assert.deepEqual(readFileSync(out), previous, `${c.name}: the previous snapshot changed`);
    assert.ok(!existsSync(`${out}.lock`), `${c.name}: the lock was left behind`);
    return { name: c.name, ms: Date.now() - started, code: c.code };
  });
}

test("fault proxy matrix: waits, clocks, cursors, bombs, huge bodies, Retry-After", async (t) => {
  const queue = PROXY_CASES.map((c, i) => /** @type {[ProxyCase, number]} */ ([c, 300 + i]));
  /** @type {object[]} */
  const results = [];
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) results.push(await proxyCase(...next));
    }),
  );
  assert.equal(results.length, PROXY_CASES.length);
  for (const r of results) t.diagnostic(JSON.stringify(r));
});

// Issue finding 1: run A is killed after its first checkpoint; run B, the same command without --resume, is
// killed before its own first checkpoint; then --resume, twice. Each run ends with the ground truth or a typed
// error (previous snapshot intact); the last one with the ground truth — never exit 0 with data missing.
test("kill points: runs that cannot mix (A killed after a checkpoint, B before one, --resume twice)", async (t) => {
  await withProxy(20_000, 7, async ({ emu, proxy, out, args }) => {
    proxy.faults = { delayMs: 15 };
    const a = spawnSync(args());
    assert.ok(await until(() => existsSync(`${out}.checkpoint.json`), 60_000), "A never checkpointed");
    a.child.kill("SIGKILL");
    assert.equal((await a.done).signal, "SIGKILL");
    const checkpointed = JSON.parse(readFileSync(`${out}.checkpoint.json`, "utf8")).journal.pages;
    // B gets a few pages through, then every request hangs: it is killed before its first checkpoint.
    proxy.faults = { stallAfter: proxy.apiRequests() + 4 };
    const before = proxy.apiRequests();
    const b = spawnSync(args());
    assert.ok(await until(() => proxy.apiRequests() > before + 4, 30_000), `B stalled early: ${proxy.apiRequests() - before} requests`);
    await new Promise((r) => setTimeout(r, 300));
    b.child.kill("SIGKILL");
    assert.equal((await b.done).signal, "SIGKILL");
    proxy.faults = {};
    const outcomes = [];
    for (const attempt of [1, 2]) {
      const r = await cliSync(args("--resume"));
      outcomes.push({ attempt, code: r.code, tail: r.stderr.trim().split("\n").slice(-2).join(" | ") });
      if (r.code === 0) {
        assertSnapshotMatches(out, emu);
      } else {
        assert.match(r.stderr, /^error\[[A-Z_]+\]/m, `resume ${attempt}: ${r.stderr}`);
        assert.ok(!existsSync(out), `resume ${attempt} failed but wrote a snapshot`);
      }
    }
    assert.equal(outcomes.at(-1)?.code, 0, JSON.stringify(outcomes));
    assert.ok(!existsSync(`${out}.lock`) && !existsSync(`${out}.checkpoint.json`) && !existsSync(`${out}.journal`));
    t.diagnostic(JSON.stringify({ checkpointed, outcomes }));
    // The CLI above never lets a checkpoint outlive its journal; when one does anyway (restored from a backup,
    // a crash between two files), the hash chain catches it: A's checkpoint over B's journal (B with other pages,
    // here another page size) starts over instead of completing from the mix.
    proxy.faults = { delayMs: 15 };
    const a2 = spawnSync(args());
    assert.ok(await until(() => existsSync(`${out}.checkpoint.json`), 60_000), "A2 never checkpointed");
    a2.child.kill("SIGKILL");
    await a2.done;
    const stale = readFileSync(`${out}.checkpoint.json`);
    const b2 = spawnSync(args("--page-limit", "100"));
    // B2 must have journaled at least as many pages as the stale checkpoint covers; with fewer, the resume
    // refuses for the shorter journal before the chain is compared, and the chain would go untested.
    const stalePages = JSON.parse(stale.toString("utf8")).journal.pages;
    const b2Past = () => {
      if (!existsSync(`${out}.checkpoint.json`)) return false;
      const now = readFileSync(`${out}.checkpoint.json`);
      return !now.equals(stale) && JSON.parse(now.toString("utf8")).journal.pages >= stalePages;
    };
    assert.ok(await until(b2Past, 60_000), "B2 never checkpointed past the stale checkpoint's pages");
    b2.child.kill("SIGKILL");
    await b2.done;
    writeFileSync(`${out}.checkpoint.json`, stale);
    proxy.faults = {};
    const mixed = await cliSync(args("--resume"));
    assert.equal(mixed.code, 0, mixed.stderr);
    assert.match(mixed.stderr, /the checkpoint cannot be resumed \(.*hash chain.*\); starting over/);
    assertSnapshotMatches(out, emu);
  });
});

test("lock: a second sync on the same --out is OUTPUT_LOCKED; a dead process's lock and killed writes' temp files are cleaned", async () => {
  await withProxy(SMALL, 11, async ({ emu, proxy, out, dir, args }) => {
    proxy.faults = { delayMs: 40 };
    const first = spawnSync(args("--page-limit", "50"));
    assert.ok(await until(() => existsSync(`${out}.lock`), 20_000), "no lock taken");
    const second = await cliSync(args("--page-limit", "50"));
    assert.equal(second.code, 1);
    assert.match(second.stderr, /^error\[OUTPUT_LOCKED\]: .* is being synced by process \d+ on .+ since \d{4}-/m);
    assert.equal((await first.done).code, 0);
    assertSnapshotMatches(out, emu);
    assert.ok(!existsSync(`${out}.lock`));
    // A lock left by a process that is gone (pid 2^22 + 1 is above Linux's pid_max default), and temp files left
    // by atomic writes that were killed, ours and the older `.PID.TIME.tmp` kind.
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: 4_194_305, host: hostname(), startedAt: new Date().toISOString() }));
    const leftovers = [`.directory.snap.4194305.1.tmp`, `.directory.snap.checkpoint.json.4194305.2.tmp`, `.4194305.3.tmp`];
    for (const f of leftovers) writeFileSync(join(dir, f), "x", { mode: 0o600 });
    writeFileSync(join(dir, ".other-file.4194305.1.tmp"), "not ours");
    proxy.faults = {};
    const third = await cliSync(args("--page-limit", "50"));
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stderr, /removing the stale lock/);
    for (const f of leftovers) assert.ok(!existsSync(join(dir, f)), `${f} was left`);
    assert.ok(existsSync(join(dir, ".other-file.4194305.1.tmp")), "another file's temp file was removed");
    // A lock held by a live process is never taken over.
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
    const held = await cliSync(args("--page-limit", "50"));
    assert.match(held.stderr, /^error\[OUTPUT_LOCKED\]/m);
    rmSync(`${out}.lock`);
  });
});

/**
 * The CLI's sync with every file write past `kib` KiB refused as a full disk refuses it: RLIMIT_FSIZE with its
 * signal ignored makes such a write fail with EFBIG. (A symlink to /dev/full no longer works: a fresh journal
 * removes whatever has its name and is created with O_EXCL | O_NOFOLLOW.)
 * @param {string[]} args
 * @param {number} kib
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
function cliSyncOnFullDisk(args, kib) {
  const script = `trap '' XFSZ; ulimit -f ${kib}; exec "$0" "$@"`;
  return new Promise((resolve) => {
    execFile("/bin/sh", ["-c", script, process.execPath, CLI, "sync", ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

test("a full disk while journaling: the journal's own error (EFBIG / ENOSPC), the previous snapshot intact", async () => {
  await withProxy(SMALL, 13, async ({ out, args }) => {
    const first = await cliSync(args("--page-limit", "50"));
    assert.equal(first.code, 0, first.stderr);
    const previous = readFileSync(out);
    // 8 KiB: the lock and a checkpoint fit, the first journaled page (50 users) does not.
    const failed = await cliSyncOnFullDisk(args("--page-limit", "50"), 8);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /^error\[WRITE_FAILED\]: cannot append to .*directory\.snap\.journal \((EFBIG|ENOSPC)\)/m);
    assert.doesNotMatch(failed.stderr, /checkpoint\.json \(/);
    assert.deepEqual(readFileSync(out), previous);
  });
});
