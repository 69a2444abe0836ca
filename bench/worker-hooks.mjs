// Okta Event Hook delivery → lookup inside workerd (Miniflare), BENCHMARKS.md "Worker: Event Hook → lookup":
// the Worker template (bundled as wrangler does) listens on a loopback port; the emulator (a child process)
// registers and verifies an Event Hook to its /hooks/okta route and delivers System Log events itself, as
// Okta does. After a full sync at N users, --changes profile changes are made one at a time through the
// emulator's control API; for each, the time until
//   - the Worker answered the delivery (the emulator's delivery log),
//   - the sync job published the change (the KV manifest names a new version, read every 20 ms): since the
//     Event Hook fast path, a `hook` step that rewrites only the changed user's shards,
//   - a lookup in the Worker answers the new value: the template's lookup (KvDirectoryStore) with a fresh
//     manifest read, what an isolate sees once its cached manifest expires. The template's route caches the
//     manifest up to 30 s (`manifestTtlMs`), which adds that cache's age (0–30 s) on top; deployed, Workers KV's
//     own propagation (up to about 60 s between locations) adds more.
// p50 / p95 / max over the changes. Then the deferred run (an incremental run polling the System Log past the
// deliveries: shard patches since the fast path published, no whole snapshot) is started at once in a fresh
// workerd (state persisted), so its WebAssembly memory is its own peak, not the full sync's: its step time,
// the shards it still rewrote and that peak (`deferredRun.wasmPeakMb`).
//
//   node bench/worker-hooks.mjs [--users 10000] [--changes 10] [--realism tidy|messy]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundle, miniflare, removeBundle, waitFor } from "../templates/worker/test/harness.mjs";
import { emulatorProcess, percentile, workerdMemory } from "./lib/workerd-bench.mjs";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "10000" },
    changes: { type: "string", default: "10" },
    realism: { type: "string", default: "tidy" },
  },
});
if (values.realism !== "tidy" && values.realism !== "messy") throw new Error("--realism is tidy or messy");
const USERS = Number(values.users);
const CHANGES = Number(values.changes);
const SECRET = "bench-bearer-secret-0123456789abcdef";
const HOOK_SECRET = "bench-hook-secret-0123456789abcdef";
const POLL_MS = 20;

// The template's Worker, plus a test-only route that reads the live manifest afresh (a new isolate's view).
const ENTRY = `
import worker from "./src/worker.js";
export { VerificationGuard, SyncJob } from "./src/worker.js";
import { KvDirectoryStore } from "okta-directory";
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/lookup") {
      const store = new KvDirectoryStore(env.DIRECTORY, { manifestTtlMs: 0 });
      const hit = await store.lookup(url.searchParams.get("login_hint"));
      return Response.json({ given: hit.user.name?.given ?? null });
    }
    return worker.fetch(request, env, ctx);
  },
  scheduled: (controller, env, ctx) => worker.scheduled(controller, env, ctx),
};`;

const emu = await emulatorProcess({ users: USERS, seed: 9, realism: values.realism });
const work = await bundle(ENTRY);
const persist = mkdtempSync(join(tmpdir(), "worker-hooks-bench-"));
let logs = "";
const start = () =>
  miniflare(work, {
    bindings: {
      API_BEARER_SECRET: SECRET,
      OKTA_ORG_URL: emu.url,
      OKTA_API_TOKEN: emu.apiToken,
      OKTA_ALLOW_INSECURE_LOOPBACK: "true",
      OKTA_HOOK_SECRET: HOOK_SECRET,
      SYNC_PAGES_PER_STEP: "100",
    },
    persist,
    port: 0,
    onLog: (/** @type {string} */ d) => (logs += d),
  });
let mf = start();

/**
 * A bearer-authenticated call to the Worker's API, its JSON answer.
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
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function control(method, path, body) {
  const r = await fetch(`${emu.url}/__control/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!r.ok) throw new Error(`control ${method} ${path}: ${r.status}`);
  return r.json();
}
/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function oktaApi(method, path, body) {
  const r = await fetch(`${emu.url}/api/v1/${path}`, {
    method,
    headers: { authorization: `SSWS ${emu.apiToken}`, accept: "application/json", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status}`);
  return r.json();
}
const round = (/** @type {number} */ ms) => Math.round(ms);
const stats = (/** @type {number[]} */ xs) => ({
  p50: round(percentile(xs, 50)),
  p95: round(percentile(xs, 95)),
  max: round(Math.max(...xs)),
});

try {
  const base = await mf.ready;
  const t0 = performance.now();
  await api("/v1/sync", { method: "POST", body: JSON.stringify({ full: true }) });
  /** @type {any} */
  const full = await waitFor(
    async () => {
      const h = await api("/v1/health");
      return h.run === null && h.published !== null ? h : null;
    },
    "the full run",
    3_600_000,
  );
  process.stderr.write(`full sync: ${full.published.users} users in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  const hook = await oktaApi("POST", "eventHooks", {
    name: "okta-directory bench",
    events: { type: "EVENT_TYPE", items: ["user.account.update_profile"] },
    channel: {
      type: "HTTP",
      version: "1.0.0",
      config: { uri: new URL("/hooks/okta", base).href, authScheme: { type: "HEADER", key: "Authorization", value: HOOK_SECRET } },
    },
  });
  const verified = await oktaApi("POST", `eventHooks/${hook.id}/lifecycle/verify`);
  if (verified.verificationStatus !== "VERIFIED") throw new Error("the hook did not verify");

  const kv = await mf.getKVNamespace("DIRECTORY");
  /** @returns {Promise<string>} the live manifest's version */
  const liveVersion = async () => /** @type {{ version: string }} */ (await kv.get("okta-directory/manifest", "json")).version;
  /** @type {{ id: string, profile: { login: string } }[]} */
  const users = (await control("GET", "users")).filter((/** @type {{ status: string }} */ u) => u.status === "ACTIVE").slice(0, CHANGES);
  /** @type {number[]} */
  const answered = [];
  /** @type {number[]} */
  const toPublish = [];
  /** @type {number[]} */
  const toFreshLookup = [];
  /** @type {number[]} */
  const runMs = [];
  for (const [i, user] of users.entries()) {
    const login = user.profile.login;
    const given = `Hooked${i}x`;
    const before = await liveVersion();
    const delivered = (await control("GET", "event-hooks/deliveries")).length;
    const mark = logs.length;
    const start = performance.now();
    await control("PATCH", `users/${user.id}`, { profile: { firstName: given } });
    /** @type {number | null} */
    let published = null;
    /** @type {number | null} */
    let fresh = null;
    /** @type {number | null} */
    let delivery = null;
    while (fresh === null || published === null || delivery === null) {
      const now = performance.now() - start;
      if (now > 600_000) throw new Error(`change ${i}: nothing after 10 minutes`);
      if (delivery === null && (await control("GET", "event-hooks/deliveries")).length > delivered) delivery = performance.now() - start;
      if (published === null && (await liveVersion()) !== before) published = performance.now() - start;
      if (published !== null && fresh === null) {
        const f = /** @type {{ given: string | null }} */ (
          await (await mf.dispatchFetch(`http://worker.test/__bench/lookup?login_hint=${encodeURIComponent(login)}`)).json()
        );
        if (f.given === given) fresh = performance.now() - start;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    answered.push(delivery);
    toPublish.push(published);
    toFreshLookup.push(fresh);
    const window = logs
      .slice(mark)
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
    const step = window.filter((l) => l.event === "sync_step");
    // Every request to the hook route (Okta's retries included) and every run started, in this change's window.
    const hookRequests = window.filter((l) => l.event === "request" && l.path === "/hooks/okta").map((l) => `${l.status}:${l.ms}ms`);
    const attempts = (await control("GET", "event-hooks/deliveries"))
      .slice(delivered)
      .map((/** @type {{ eventId: string, attempt: number, status: number }} */ d) => `${d.eventId.slice(0, 8)}#${d.attempt}:${d.status}`);
    runMs.push(step.reduce((n, s) => n + s.ms, 0));
    process.stderr.write(
      `${JSON.stringify({ change: i, deliveryMs: round(delivery), publishedMs: round(published), lookupMs: round(fresh), runs: step.map((s) => `${s.phase}:${s.ms}ms:${s.wasmMb}MB`), hookRequests, attempts })}\n`,
    );
  }
  // The deferred run (started now rather than after HOOK_COMPACT_SECONDS, in a fresh workerd): its time, the
  // shards it still rewrote (0 when the fast path wrote exactly the shards a whole publish writes), its memory.
  const beforeCompaction = await liveVersion();
  const hooksBefore = logs
    .split("\n")
    .filter((l) => l.startsWith('{"event":"sync_step"') && (l.includes('"mode":"incremental"') || l.includes('"mode":"hook"')))
    .map((l) => JSON.parse(l));
  await mf.dispose();
  mf = start();
  await mf.ready;
  const mark = logs.length;
  await api("/v1/sync", { method: "POST", body: "{}" });
  await waitFor(
    async () => {
      const h = await api("/v1/health");
      return h.run === null && h.published?.version !== beforeCompaction ? h : null;
    },
    "the deferred run",
    3_600_000,
  );
  const after = logs
    .slice(mark)
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
  const deferredSteps = after.filter((l) => l.event === "sync_step");
  const compaction = {
    runMs: deferredSteps.reduce((n, s) => n + s.ms, 0),
    steps: deferredSteps.map((s) => `${s.phase}:${s.ms}ms:${s.wasmMb}MB`),
    shardsWritten: after.find((l) => l.event === "published")?.written ?? null,
    shardsRead: after.find((l) => l.event === "published")?.shardsRead ?? null,
    wasmPeakMb: Math.max(...deferredSteps.map((s) => s.wasmMb)),
    okta: deferredSteps.reduce((n, s) => n + s.okta, 0),
    kvWrites: deferredSteps.reduce((n, s) => n + s.kvWrites, 0),
  };
  /** @type {{ wasmMb: number, okta: number }[]} */
  const steps = hooksBefore;
  console.log(
    JSON.stringify({
      users: full.published.users,
      changes: users.length,
      load: (await import("node:os")).loadavg().map((x) => Math.round(x * 10) / 10),
      deliveryAnsweredMs: stats(answered),
      changeToPublishedMs: stats(toPublish),
      changeToLookupMs: stats(toFreshLookup),
      hookStepMs: stats(runMs),
      deferredRun: compaction,
      // The hook steps ran in the isolate of the full sync: its peak (wasm memory never shrinks) bounds theirs.
      hookStepsWasmPeakMb: Math.max(...steps.map((s) => s.wasmMb)),
      oktaPerIncrementalRun: Math.max(...steps.map((s) => s.okta)),
      workerdPeakHwmMb: workerdMemory().map((m) => m.hwmMb),
    }),
  );
} finally {
  await mf.dispose();
  removeBundle(work);
  rmSync(persist, { recursive: true, force: true });
  emu.child.kill("SIGTERM");
}
