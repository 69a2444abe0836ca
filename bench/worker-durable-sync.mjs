// The Worker template's durable sync inside workerd (Miniflare), BENCHMARKS.md "Worker: durable sync":
//   1. a full run at N users: steps, Okta requests and subrequests per invocation (the job's own counts,
//      from its `sync_step` log lines), KV writes, wall time;
//   2. memory: the SDK's WebAssembly memory in the isolate (it only grows, so its size is its peak; the job
//      logs it after each step), and the workerd process's peak resident memory (VmHWM from /proc: the
//      isolate, the runtime and Miniflare's own KV/R2/Durable Object simulators, which run in the same
//      process; the baseline is VmHWM after the Worker answered its first request, before any sync);
//   3. an incremental run after C changed users: Okta requests and KV writes.
// The emulator runs in a child process (limits off), so its memory is not counted.
//
// Every step is printed as it completes (`{"progress": …}` on stderr), so a long run (1M users) that is
// stopped still shows how far it got. `--max-minutes M` stops waiting after M minutes of syncing and prints
// what the run reached (`"reached"` instead of a result); `--changed 0` skips the incremental run.
// `--shards-per-step S` runs the ranged publish (SYNC_SHARDS_PER_STEP): fetch steps only journal pages, each
// the journal is then partitioned once into buckets of shards (partition and dedup steps), and each build step
// builds S shards from its bucket (`maxRangeUsers`: the most users a step held; `maxRangeBytes`: the most
// users page bytes it read). Per phase: steps, wall seconds and the most subrequests of one invocation
// (`byPhase`). The run after `--changed` users is an incremental one: one-snapshot, the delta applied to the
// R2 snapshot; ranged, shard patches (a `delta` step, then a `patch` step: no whole snapshot, memory ∝ the
// changes), in a fresh workerd.
//
//   node bench/worker-durable-sync.mjs [--users 100000] [--changed 100] [--pages-per-step 100]
//     [--shards-per-step S] [--max-minutes M]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundle, miniflare, removeBundle, waitFor } from "../templates/worker/test/harness.mjs";
import { emulatorProcess, workerdMemory } from "./lib/workerd-bench.mjs";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    changed: { type: "string", default: "100" },
    "pages-per-step": { type: "string", default: "100" },
    "shards-per-step": { type: "string", default: "" },
    "max-minutes": { type: "string", default: "600" },
  },
});
const USERS = Number(values.users);
const CHANGED = Number(values.changed);
const DEADLINE_MS = Date.now() + Number(values["max-minutes"]) * 60_000;
const SECRET = "bench-bearer-secret-0123456789abcdef";

/** Ends the bench early (out of time, or no incremental run asked for); the cleanup still runs. */
class Stop extends Error {}
const T0 = Date.now();
const emu = await emulatorProcess({ users: USERS });
process.stderr.write(`${JSON.stringify({ emulatorReadyS: +((Date.now() - T0) / 1000).toFixed(1), users: USERS })}\n`);
let logs = "";
const work = await bundle(`export { default, VerificationGuard, SyncJob } from "./src/worker.js";`);
// State persisted to a folder: the incremental run starts in a fresh workerd (its own memory peak).
const persist = mkdtempSync(join(tmpdir(), "worker-bench-"));
const start = () =>
  miniflare(work, {
    bindings: {
      API_BEARER_SECRET: SECRET,
      OKTA_ORG_URL: emu.url,
      OKTA_API_TOKEN: emu.apiToken,
      OKTA_ALLOW_INSECURE_LOOPBACK: "true",
      SYNC_PAGES_PER_STEP: values["pages-per-step"],
      SYNC_SHARDS_PER_STEP: values["shards-per-step"],
    },
    persist,
    onLog: (/** @type {string} */ d) => {
      logs += d;
      for (const line of String(d).split("\n")) {
        if (!line.startsWith('{"event":"sync_step') && !line.startsWith('{"event":"published"')) continue;
        const atS = +((Date.now() - T0) / 1000).toFixed(1);
        let progress = line;
        try {
          progress = JSON.parse(line);
        } catch {
          // a line split across two chunks: printed as text
        }
        process.stderr.write(`${JSON.stringify({ progress, atS, workerd: workerdMemory() })}\n`);
      }
    },
  });
let mf = start();
/**
 * The Worker's API, as JSON.
 * @param {string} path
 * @param {{ method?: string, body?: string, headers?: Record<string, string> }} [init]
 * @returns {Promise<any>}
 */
const api = async (path, init = {}) =>
  (
    await mf.dispatchFetch(`http://worker.test${path}`, {
      ...init,
      headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/json", ...(init.headers ?? {}) },
    })
  ).json();
/**
 * How many times each value occurs.
 * @param {string[]} values
 */
const countBy = (values) => {
  /** @type {Record<string, number>} */
  const out = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};
/**
 * Per phase: steps, wall seconds (sum of the steps') and the most subrequests of one invocation.
 * @param {any[]} list
 */
const byPhase = (list) => {
  /** @type {Record<string, { steps: number, wallS: number, maxSubrequests: number }>} */
  const out = {};
  for (const s of list) {
    const p = (out[s.phase] ??= { steps: 0, wallS: 0, maxSubrequests: 0 });
    p.steps++;
    p.wallS = +(p.wallS + s.ms / 1000).toFixed(1);
    p.maxSubrequests = Math.max(p.maxSubrequests, s.subrequests);
  }
  return out;
};
/** @returns {any[]} The `sync_step` log lines so far, parsed. */
const steps = () =>
  logs
    .split("\n")
    .filter((l) => l.startsWith('{"event":"sync_step"'))
    .map((l) => JSON.parse(l));

try {
  await api("/v1/health");
  const baseline = workerdMemory();
  const t0 = performance.now();
  await api("/v1/sync", { method: "POST", body: JSON.stringify({ full: true }) });
  const full = await waitFor(
    async () => {
      const h = await api("/v1/health");
      return h.run === null && h.published !== null ? h : null;
    },
    "the full run",
    Math.max(0, DEADLINE_MS - Date.now()),
  ).catch(async (error) => {
    // Out of time (or the run was abandoned): what it reached, from the job's own state and step lines.
    const h = await api("/v1/health").catch(() => null);
    const done = steps();
    console.log(
      JSON.stringify({
        run: "full",
        reached: h?.run ?? null,
        published: h?.published ?? null,
        stopped: String(error.message),
        steps: done.length,
        wallS: +((performance.now() - t0) / 1000).toFixed(1),
        oktaRequests: done.reduce((n, s) => n + s.okta, 0),
        maxSubrequestsPerInvocation: Math.max(0, ...done.map((s) => s.subrequests)),
        wasmMbAfterEachStep: done.map((s) => `${s.phase}:${s.wasmMb}`).join(" "),
        byPhase: byPhase(done),
        failures: logs
          .split("\n")
          .filter((l) => l.startsWith('{"event":"sync_step_failed"'))
          .map((l) => JSON.parse(l)),
        workerdPeakHwmMb: workerdMemory().map((m) => m.hwmMb),
      }),
    );
    return null;
  });
  if (full === null) {
    process.exitCode = 2;
    throw new Stop();
  }
  const fullMs = performance.now() - t0;
  const fullSteps = steps();
  const peak = workerdMemory();
  /** @type {any} */
  const manifest = await (await mf.getKVNamespace("DIRECTORY")).get("okta-directory/manifest", "json");
  const sum = (/** @type {string} */ k) => fullSteps.reduce((n, s) => n + s[k], 0);
  console.log(
    JSON.stringify({
      run: "full",
      users: full.published.users,
      pagesPerStep: Number(values["pages-per-step"]),
      ...(values["shards-per-step"] ? { shardsPerStep: Number(values["shards-per-step"]) } : {}),
      steps: fullSteps.length,
      stepsByPhase: countBy(fullSteps.map((s) => s.phase)),
      stepsWallS: +(fullSteps.reduce((n, s) => n + s.ms, 0) / 1000).toFixed(1),
      wallS: +(fullMs / 1000).toFixed(1),
      oktaRequests: sum("okta"),
      kvWrites: sum("kvWrites"),
      shards: manifest.shards,
      maxSubrequestsPerInvocation: Math.max(...fullSteps.map((s) => s.subrequests)),
      maxOktaPerInvocation: Math.max(...fullSteps.map((s) => s.okta)),
      maxR2PerInvocation: Math.max(...fullSteps.map((s) => s.r2)),
      wasmPeakMb: Math.max(...fullSteps.map((s) => s.wasmMb)),
      maxRangeUsers: Math.max(0, ...fullSteps.map((s) => s.rangeUsers ?? 0)),
      maxRangeBytes: Math.max(0, ...fullSteps.map((s) => s.rangeBytes ?? 0)),
      byPhase: byPhase(fullSteps),
      frequencyTable: manifest.frequencies !== undefined,
      wasmMbAfterEachStep: fullSteps.map((s) => `${s.phase}:${s.wasmMb}`).join(" "),
      workerdBaselineHwmMb: baseline.map((m) => m.hwmMb),
      workerdPeakHwmMb: peak.map((m) => m.hwmMb),
    }),
  );

  if (CHANGED === 0) throw new Stop();
  // Incremental: CHANGED users edited in the emulator, then one scheduled run.
  /** @type {any[]} */
  const users = await (await fetch(`${emu.url}/__control/users`)).json();
  const active = users.filter((/** @type {any} */ u) => u.status === "ACTIVE").slice(0, CHANGED);
  for (const u of active) {
    await fetch(`${emu.url}/__control/users/${u.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ profile: { nickName: `n${u.id.slice(-6)}` } }),
    });
  }
  const before = fullSteps.length;
  await mf.dispose();
  mf = start();
  await api("/v1/health");
  const t1 = performance.now();
  await (await mf.getWorker()).scheduled({ cron: "*/15 * * * *" });
  const inc = await waitFor(
    async () => {
      const h = await api("/v1/health");
      return h.run === null && h.published.version !== full.published.version ? h : null;
    },
    "the incremental run",
    600_000,
  );
  const incSteps = steps().slice(before);
  /** @type {any} */
  const manifest2 = await (await mf.getKVNamespace("DIRECTORY")).get("okta-directory/manifest", "json");
  console.log(
    JSON.stringify({
      run: "incremental",
      changedUsers: active.length,
      mode: inc.lastStep.mode,
      wallS: +((performance.now() - t1) / 1000).toFixed(1),
      oktaRequests: incSteps.reduce((n, s) => n + s.okta, 0),
      kvWrites: incSteps.reduce((n, s) => n + s.kvWrites, 0),
      kvReads: incSteps.reduce((n, s) => n + s.kvReads, 0),
      phases: incSteps.map((s) => s.phase),
      shardsRewritten: manifest2.shardVersions.filter((/** @type {string} */ v) => v === manifest2.version).length,
      subrequests: incSteps.reduce((n, s) => n + s.subrequests, 0),
      wasmMb: incSteps.map((s) => s.wasmMb),
      maxSubrequestsPerInvocation: Math.max(...incSteps.map((s) => s.subrequests)),
      workerdPeakHwmMb: workerdMemory().map((m) => m.hwmMb),
    }),
  );
} catch (error) {
  if (!(error instanceof Stop)) throw error;
} finally {
  await mf.dispose();
  removeBundle(work);
  rmSync(persist, { recursive: true, force: true });
  emu.child.kill("SIGTERM");
}
