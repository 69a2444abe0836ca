// The Worker's durable sync job inside workerd (Miniflare, state persisted to a folder so that workerd
// can be killed and restarted): resume after a killed step without re-fetching journaled pages, a failed
// or killed run leaving the published version serving, incremental runs rewriting only changed shards,
// and the full-reconcile cadence.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeSegment } from "../src/journal.js";
import {
  lookup,
  startSync,
  bundle,
  control as emulatorControl,
  emulatorBindings,
  health,
  logLines,
  miniflare,
  persistDirs,
  published,
  removeBundle,
  sdk,
  startEmulator,
  waitFor,
} from "./harness.mjs";

// Records every URL the Worker fetches (Okta requests: the SDK's fetch resolves the global at call time).
const TEST_ENTRY = `
import worker from "./src/worker.js";
export { VerificationGuard, SyncJob } from "./src/worker.js";
const fetched = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  fetched.push(typeof input === "string" ? input : input.url);
  return realFetch(input, init);
};
export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/__test/fetched") return Response.json(fetched);
    return worker.fetch(request, env, ctx);
  },
  scheduled(controller, env, ctx) {
    return worker.scheduled(controller, env, ctx);
  },
};`;

/** @typedef {import("miniflare").Miniflare} Miniflare */
/** A user or group as the emulator's control route lists them (the profile fields these tests read are text). */
/** @typedef {{ id: string, status: string, type: string, profile: Record<string, string> }} ControlObject */
/** @typedef {{ version: string, shards: number, shardVersions: string[], frequencies?: string }} Manifest */

/** @type {import("okta-directory/emulator").RunningEmulator} */
let emu;
/** @type {string | undefined} */
let work;
const dirs = persistDirs("worker-durable-");
const persistDir = dirs.make;
let logs = "";

/** @param {Record<string, string>} [extra] */
function bindings(extra = {}) {
  return {
    ...emulatorBindings(emu),
    SYNC_PAGES_PER_STEP: "2",
    FULL_RECONCILE_HOURS: "24",
    ...extra,
  };
}

/** @param {{ bindings: Record<string, string>, persist?: string, port?: number }} options */
function start(options) {
  return miniflare(/** @type {string} */ (work), { ...options, onLog: (d) => (logs += d) });
}

/**
 * Calls the emulator's control API.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
const control = (method, path, body) => emulatorControl(emu, method, path, body);
/**
 * The emulator's users or groups.
 * @param {"users" | "groups"} kind
 */
const controlList = async (kind) => /** @type {ControlObject[]} */ (await control("GET", kind));
/**
 * The published manifest, as the KV store writes it.
 * @param {Miniflare} mf
 */
const readManifest = async (mf) =>
  /** @type {Manifest} */ (await (await mf.getKVNamespace("DIRECTORY")).get("okta-directory/manifest", "json"));

/**
 * The published snapshot's users and their groups, in id order (equal directories give equal values).
 * @param {Miniflare} mf
 */
async function publishedDirectory(mf) {
  const bucket = await mf.getR2Bucket("SYNC_BUCKET");
  const listing = await bucket.list({ prefix: "snapshots/" });
  assert.equal(listing.objects.length, 1, "one snapshot kept: the base of the next incremental run");
  const object = await bucket.get(listing.objects[0].key);
  assert.ok(object);
  const directory = sdk.Directory.fromSnapshot(new Uint8Array(await object.arrayBuffer()));
  try {
    const users = [];
    for (let i = 0; i < directory.info().users; i++) {
      const user = directory.userAt(i);
      assert.ok(user.id);
      users.push({
        user,
        groups: directory
          .groupsOf(user.id)
          .map((g) => g.id)
          .sort(),
      });
    }
    return users.sort((a, b) => (/** @type {string} */ (a.user.id) < /** @type {string} */ (b.user.id) ? -1 : 1));
  } finally {
    directory.free();
  }
}

/**
 * The pages journaled by the segments a run's checkpoint covers (URLs).
 * @param {Miniflare} mf
 * @param {string[]} segments
 */
async function journaledUrls(mf, segments) {
  const bucket = await mf.getR2Bucket("SYNC_BUCKET");
  const urls = [];
  for (const key of segments) {
    const object = await bucket.get(key);
    assert.ok(object);
    for (const page of decodeSegment(new Uint8Array(await object.arrayBuffer()))) urls.push(page.url);
  }
  return urls;
}

/**
 * The `published` log lines written since `mark` (a length of `logs`), parsed.
 * @param {number} mark
 * @returns {any[]} the log events (JSON)
 */
const publishedLogs = (mark) => logLines(logs.slice(mark), "published");

/**
 * An Event Hook delivery as Okta sends it, of one event about one user.
 * @param {string} eventId
 * @param {string} eventType
 * @param {string} userId
 */
const hookDelivery = (eventId, eventType, userId) => ({
  eventType: "com.okta.event_hook",
  eventTypeVersion: "1.0",
  cloudEventsVersion: "0.1",
  eventId,
  data: {
    events: [
      {
        uuid: `${eventId}-event`,
        published: new Date().toISOString(),
        eventType,
        outcome: { result: "SUCCESS" },
        target: [{ id: userId, type: "User" }],
      },
    ],
  },
});

/**
 * POSTs a delivery to the Worker's hook route with `secret` as its Authorization header.
 * @param {Miniflare} mf
 * @param {string} secret
 * @param {unknown} delivery
 */
const deliver = (mf, secret, delivery) =>
  mf.dispatchFetch("http://worker.test/hooks/okta", {
    method: "POST",
    headers: { authorization: secret, "content-type": "application/json" },
    body: JSON.stringify(delivery),
  });

/**
 * The emulator's Management API with its SSWS token.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>} the API's JSON
 */
async function oktaApi(method, path, body) {
  const r = await fetch(`${emu.url}/api/v1/${path}`, {
    method,
    headers: { authorization: `SSWS ${emu.apiToken}`, accept: "application/json", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(r.ok, `${method} ${path}: ${r.status}`);
  return r.json();
}

/**
 * Registers and verifies an Event Hook for membership events in the emulator, delivering to `uri`.
 * @param {string} uri
 * @param {string} secret
 */
async function registerHook(uri, secret) {
  const hook = await oktaApi("POST", "eventHooks", {
    name: "okta-directory worker",
    events: { type: "EVENT_TYPE", items: ["group.user_membership.add", "group.user_membership.remove", "user.account.update_profile"] },
    channel: { type: "HTTP", version: "1.0.0", config: { uri, authScheme: { type: "HEADER", key: "Authorization", value: secret } } },
  });
  const verified = await oktaApi("POST", `eventHooks/${hook.id}/lifecycle/verify`);
  assert.equal(verified.verificationStatus, "VERIFIED", "the Worker answered Okta's verification challenge");
  return hook;
}

/**
 * Group ids of `userId` in the published snapshot.
 * @param {Miniflare} mf
 * @param {string} userId
 */
async function publishedGroups(mf, userId) {
  const entry = (await publishedDirectory(mf)).find((e) => e.user.id === userId);
  assert.ok(entry, "the user is in the published snapshot");
  return entry.groups;
}

before(async () => {
  emu = await startEmulator({ users: 2500, groups: 4, seed: 7, rateLimit: "off" });
  work = await bundle(TEST_ENTRY);
});

after(async () => {
  await emu?.close();
  removeBundle(work);
  dirs.removeAll();
});

describe("the durable sync job in workerd", () => {
  it("resumes after workerd is killed mid-run: journaled pages are not fetched again, the snapshot equals an uninterrupted run's, and the published version serves until then", async () => {
    // An uninterrupted run, for comparison.
    const clean = start({ bindings: bindings() });
    await clean.ready;
    await startSync(clean, true);
    await published(clean, undefined);
    const want = await publishedDirectory(clean);
    await clean.dispose();

    const persist = persistDir();
    let mf = start({ bindings: bindings(), persist });
    await startSync(mf, true);
    const first = await published(mf, undefined);
    // A user the next run changes: until it publishes, lookups answer from the first version.
    const target = (await controlList("users")).find((u) => u.status === "ACTIVE");
    assert.ok(target, "an active user");
    const login = target.profile.login;
    const before = await lookup(mf, login);
    assert.equal(before.status, 200);
    const oldGiven = before.body.user.name.given;
    await control("PATCH", `users/${target.id}`, { profile: { firstName: "Renamedafterkill" } });
    // Slow responses, so that workerd dies in the middle of a step.
    await control("POST", "faults", { spec: "slow=1000:150" });
    await startSync(mf, true);
    const running = await waitFor(async () => {
      const h = await health(mf);
      return h.run !== null && h.run.segments.length >= 2 ? h : null;
    }, "two journaled steps");
    assert.equal(running.run.mode, "full");
    await mf.dispose(); // killed: no goodbye, the step in flight is lost

    mf = start({ bindings: bindings(), persist });
    await mf.ready;
    const manifest = await readManifest(mf);
    assert.equal(manifest.version, first.published.version, "the killed run published nothing");
    const during = await lookup(mf, login);
    assert.deepEqual(
      [during.status, during.body.userId, during.body.user.name.given],
      [200, target.id, oldGiven],
      "the published version still serves",
    );
    const resumed = (await health(mf)).run;
    assert.ok(resumed !== null && resumed.pages >= running.run.pages, "the run's checkpoint survived");
    const journaled = await journaledUrls(mf, resumed.segments);
    assert.ok(journaled.length >= 2);

    await control("POST", "faults", { clear: true });
    // The next schedule re-arms the job's alarm after a restart: the run in progress continues (not a new one).
    const resumedBy = await (await mf.getWorker()).scheduled({ cron: "*/15 * * * *" });
    assert.equal(resumedBy.outcome, "ok");
    assert.equal((await health(mf)).run?.mode, "full", "the killed full run continues");
    await published(mf, first.published.version);
    const fetched = /** @type {string[]} */ (await (await mf.dispatchFetch("http://worker.test/__test/fetched")).json()).map(
      (u) => new URL(u).pathname + new URL(u).search,
    );
    const again = journaled.filter((u) => fetched.includes(new URL(u, emu.url).pathname + new URL(u, emu.url).search));
    assert.deepEqual(again, [], "pages journaled before the kill were fetched again");
    assert.ok(
      fetched.some((u) => u.startsWith("/api/v1/users")),
      "the resumed run fetched the remaining pages",
    );

    // The emulator changed one user since the clean run: compare without it, then it alone.
    const got = await publishedDirectory(mf);
    /** @param {typeof got} list */
    const strip = (list) => list.filter((e) => e.user.id !== target.id);
    assert.deepEqual(strip(got), strip(want));
    assert.equal(got.find((e) => e.user.id === target.id)?.user.name.given, "Renamedafterkill");
    assert.equal((await lookup(mf, login)).body.user.name.given, "Renamedafterkill");
    await mf.dispose();
  });

  it("a failing scheduled run is retried, then abandoned, and the published version serves unchanged", async () => {
    const mf = start({ bindings: bindings({ SYNC_RETRY_BASE_MS: "50" }), persist: persistDir() });
    await startSync(mf, true);
    const first = await published(mf, undefined);
    const user = (await controlList("users")).find((u) => u.status === "ACTIVE");
    assert.ok(user, "an active user");
    // The app loses its scopes: every run fails (after its first request) until an admin grants them again.
    await control("PATCH", `apps/${emu.clientId}`, { grantedScopes: [] });
    try {
      const scheduled = await (await mf.getWorker()).scheduled({ cron: "*/15 * * * *" });
      assert.equal(scheduled.outcome, "ok");
      assert.equal((await health(mf)).run?.mode, "incremental", "the schedule started a run");
      const gone = await waitFor(async () => ((await health(mf)).run === null ? true : null), "the run to be abandoned", 90_000);
      assert.ok(gone);
      assert.match(logs, /"event":"sync_abandoned"/);
      const h = await health(mf);
      assert.equal(h.published.version, first.published.version);
      const manifest = await readManifest(mf);
      assert.equal(manifest.version, first.published.version);
      const hit = await lookup(mf, user.profile.login);
      assert.deepEqual([hit.status, hit.body.userId], [200, user.id]);
    } finally {
      await control("PATCH", `apps/${emu.clientId}`, { grantedScopes: ["okta.users.read", "okta.groups.read", "okta.logs.read"] });
      await mf.dispose();
    }
  });

  it("runs incrementally by default (few Okta requests, only changed shards and the manifest written) and fully on the FULL_RECONCILE_CRON trigger", async () => {
    const mf = start({ bindings: bindings({ FULL_RECONCILE_CRON: "40 3 * * *" }), persist: persistDir() });
    const worker = await mf.getWorker();
    const kv = await mf.getKVNamespace("DIRECTORY");
    try {
      await worker.scheduled({ cron: "*/15 * * * *" });
      const full = await published(mf, undefined);
      assert.equal(full.lastStep.mode, "full");
      const fullManifest = await readManifest(mf);
      assert.equal(fullManifest.frequencies, fullManifest.version, "the first publish writes the directory's frequency table");
      assert.equal(
        full.lastStep.kvWrites,
        fullManifest.shards + 2,
        "a first publish writes every shard, the frequency table and the manifest",
      );

      const users = (await controlList("users")).filter((u) => u.status === "ACTIVE").slice(0, 5);
      for (const u of users) await control("PATCH", `users/${u.id}`, { profile: { nickName: `nick-${u.id.slice(-4)}` } });
      await worker.scheduled({ cron: "*/15 * * * *" });
      const inc = await published(mf, full.published.version);
      assert.equal(inc.lastStep.mode, "incremental");
      assert.ok(inc.lastStep.okta <= 20, `Okta requests: ${inc.lastStep.okta}`);
      const manifest = await readManifest(mf);
      const rewritten = manifest.shardVersions.filter((v) => v === manifest.version).length;
      assert.ok(rewritten >= 1 && rewritten <= 2 * users.length, `shards rewritten: ${rewritten}`);
      assert.equal(inc.lastStep.kvWrites, rewritten + 1, "only the changed shards and the manifest are written");
      const listed = await kv.list({ prefix: `okta-directory/v/${manifest.version}/` });
      assert.equal(listed.keys.length, rewritten, "KV holds exactly the rewritten shards under the new version");

      await worker.scheduled({ cron: "40 3 * * *" });
      const again = await published(mf, inc.published.version);
      assert.equal(again.lastStep.mode, "full");
      assert.ok(again.published.fullAtMs > full.published.fullAtMs);
      // Nothing changed since the incremental run: the reconcile rewrites no shard.
      const reconciled = await readManifest(mf);
      assert.equal(reconciled.shardVersions.filter((v) => v === reconciled.version).length, 0);
      assert.equal(again.lastStep.kvWrites, 1);
    } finally {
      await mf.dispose();
    }
  });

  it("an Event Hook delivery through the Worker's route is published at once by the fast path (OAuth credentials); the deferred incremental run clears the queue", async () => {
    const HOOK_SECRET = "hook-secret-0123456789abcdef";
    const mf = start({ bindings: bindings({ OKTA_HOOK_SECRET: HOOK_SECRET }), persist: persistDir() });
    const kv = await mf.getKVNamespace("DIRECTORY");
    try {
      await startSync(mf, true);
      const first = await published(mf, undefined);
      const target = (await controlList("users")).find((u) => u.status === "ACTIVE");
      assert.ok(target, "an active user");
      await control("PATCH", `users/${target.id}`, { profile: { firstName: "Hookdelivered" } });
      const delivery = hookDelivery("delivery-worker-1", "user.account.update_profile", target.id);
      const bad = await deliver(mf, "wrong-secret-0123456789", delivery);
      assert.equal(bad.status, 401);
      assert.equal((await health(mf)).run, null, "a refused delivery starts nothing");
      const mark = logs.length;
      const res = await deliver(mf, HOOK_SECRET, delivery);
      assert.deepEqual(await res.json(), { applied: 1, duplicate: false });
      const fast = await published(mf, first.published.version);
      assert.equal(fast.lastStep.mode, "hook", "the bindings' OAuth app reads the user: the fast path publishes it");
      assert.deepEqual(
        publishedLogs(mark).map((l) => l.mode),
        ["hook"],
        "one fast publish, no whole run",
      );
      assert.equal((await lookup(mf, target.profile.login)).body.user.name.given, "Hookdelivered");
      assert.equal((await kv.list({ prefix: "okta-directory/hooks/pending/" })).keys.length, 1, "queued for the deferred run");
      // The deferred run (the schedule starts it before HOOK_COMPACT_SECONDS): it polls past the delivery and clears the queue.
      await (await mf.getWorker()).scheduled({ cron: "*/15 * * * *" });
      const deferred = await published(mf, fast.published.version);
      assert.equal(deferred.lastStep.mode, "incremental");
      assert.equal(publishedLogs(mark).at(-1).written, 0, "the fast path wrote the bytes the run would");
      assert.equal((await lookup(mf, target.profile.login)).body.user.name.given, "Hookdelivered");
      assert.equal((await kv.list({ prefix: "okta-directory/hooks/pending/" })).keys.length, 0, "the queue is cleared once published");
    } finally {
      await mf.dispose();
    }
  });

  it("a delivery the fast path refuses (a new user found in no routed shard, a full search beyond SYNC_SCAN_SHARDS) starts an incremental run that publishes it and clears the queue", async () => {
    const HOOK_SECRET = "hook-secret-scan-0123456789abcdef";
    const mf = start({ bindings: bindings({ OKTA_HOOK_SECRET: HOOK_SECRET, SYNC_SCAN_SHARDS: "1" }), persist: persistDir() });
    const kv = await mf.getKVNamespace("DIRECTORY");
    try {
      await startSync(mf, true);
      const first = await published(mf, undefined);
      assert.ok((await readManifest(mf)).shards > 1, "a full search would read more shards than SYNC_SCAN_SHARDS");
      const hire = /** @type {ControlObject} */ (
        await control("POST", "users", {
          profile: { login: "durable.hire@acme.example", email: "durable.hire@acme.example", firstName: "Hookhired" },
        })
      );
      const mark = logs.length;
      const res = await deliver(mf, HOOK_SECRET, hookDelivery("delivery-worker-2", "user.lifecycle.create", hire.id));
      assert.deepEqual(await res.json(), { applied: 1, duplicate: false });
      const after = await published(mf, first.published.version);
      assert.equal(after.lastStep.mode, "incremental");
      assert.deepEqual(
        publishedLogs(mark).map((l) => l.mode),
        ["incremental"],
        "the fast path wrote nothing: one incremental run published",
      );
      assert.equal((await lookup(mf, "durable.hire@acme.example")).body.userId, hire.id);
      assert.equal((await kv.list({ prefix: "okta-directory/hooks/pending/" })).keys.length, 0, "the queue is cleared once published");
    } finally {
      await mf.dispose();
    }
  });

  it("late System Log events: the next scheduled incremental run reads them through the polling cursor, once; a change an Event Hook delivered first is published by the fast path alone, a redelivery starts none, the deferred poll rewrites nothing", async () => {
    const HOOK_SECRET = "hook-secret-late-0123456789abcdef";
    const CRON = "*/15 * * * *";
    // An org of its own: users the other tests changed would be re-read by the watermark's overlap window and
    // blur the counts of what each run applied. The helpers above read `emu` at call time.
    const shared = emu;
    emu = await startEmulator({ users: 600, groups: 4, seed: 13, rateLimit: "off" });
    const groups = (await controlList("groups")).filter((g) => g.type === "OKTA_GROUP");
    const [g1, g2] = groups;
    assert.ok(g1 && g2, "two Okta groups");
    // g2 is the Workforce group: the KV shards (what lookups serve) keep its memberships, so part 2's hooked
    // change is observable there (shards keep no other group's memberships).
    const mf = start({ bindings: bindings({ OKTA_HOOK_SECRET: HOOK_SECRET, WORKFORCE_GROUP: g2.id }), persist: persistDir(), port: 0 });
    const worker = await mf.getWorker();
    const kv = await mf.getKVNamespace("DIRECTORY");
    /** @param {string | undefined} previous */
    const run = async (previous) => {
      const mark = logs.length;
      await worker.scheduled({ cron: CRON });
      const h = await published(mf, previous);
      return { h, logged: publishedLogs(mark) };
    };
    try {
      let { h } = await run(undefined);
      assert.equal(h.lastStep.mode, "full");
      // The first incremental run leaves Okta's polling cursor (a `next` link without `until`) with what it published.
      ({ h } = await run(h.published.version));
      assert.equal(h.lastStep.mode, "incremental");

      const users = (await controlList("users")).filter((u) => u.status === "ACTIVE");
      /** A user who is not a member of `group`. @param {ControlObject | undefined} group */
      const pick = async (group) => {
        assert.ok(group);
        const members = new Set(/** @type {Record<string, string[]>} */ (await control("GET", "memberships"))[group.id]);
        const user = users.find((u) => !members.has(u.id));
        assert.ok(user, "a user outside the group");
        return user;
      };

      // 1. A membership change whose System Log event Okta writes late: stamped 20 minutes before the last poll
      // (and before the watermark's overlap window), persisted after it.
      const u1 = await pick(g1);
      assert.ok(!(await publishedGroups(mf, u1.id)).includes(g1.id));
      await control("POST", "late-events", { publishedMs: h.published.watermarkMs - 20 * 60_000, count: 1 });
      await control("PUT", `groups/${g1.id}/users/${u1.id}`);
      // What a run without the cursor would read: a poll from the watermark misses the late event.
      const fromSince = JSON.parse(
        await sdk.syncDirectoryJson({
          orgUrl: emu.url,
          apiToken: emu.apiToken,
          allowInsecureLoopback: true,
          since: h.published.watermarkMs,
        }),
      );
      assert.ok(
        !fromSince.changes.membershipChanges.some(
          (/** @type {{ userId: string, groupId: string }} */ m) => m.userId === u1.id && m.groupId === g1.id,
        ),
        "a poll from `since` misses it",
      );
      let logged;
      ({ h, logged } = await run(h.published.version));
      assert.equal(h.lastStep.mode, "incremental");
      assert.ok((await publishedGroups(mf, u1.id)).includes(g1.id), "the late membership is published");
      assert.equal(logged.at(-1).changes.membershipsAdded, 1);
      // Read once: the next run finds nothing (no membership read again, no shard rewritten).
      ({ h, logged } = await run(h.published.version));
      assert.deepEqual(
        [logged.at(-1).changes.membershipsAdded, logged.at(-1).changes.membershipsSkipped, logged.at(-1).written],
        [0, 0, 0],
      );

      // 2. The same kind of late change, this time pushed by the emulator's Event Hook delivery to the Worker's route.
      const base = await mf.ready;
      const hook = await registerHook(new URL("/hooks/okta", base).href, HOOK_SECRET);
      const u2 = await pick(g2);
      assert.equal((await lookup(mf, u2.profile.login)).body.workforce, false, "not a Workforce member yet");
      const before = h.published.version;
      const mark = logs.length;
      await control("POST", "late-events", { publishedMs: h.published.watermarkMs - 20 * 60_000, count: 1 });
      await control("PUT", `groups/${g2.id}/users/${u2.id}`);
      await control("POST", "event-hooks/idle");
      const deliveries = await control("GET", "event-hooks/deliveries");
      assert.deepEqual(
        deliveries.map((/** @type {{ status: number, events: number }} */ d) => [d.status, d.events]),
        [[200, 1]],
        "one delivery, accepted",
      );
      // The delivery asked the job for a fast step: it publishes the change at once, as shard patches only.
      h = await published(mf, before);
      assert.equal(h.lastStep.mode, "hook");
      assert.equal((await lookup(mf, u2.profile.login)).body.workforce, true, "the hooked Workforce membership is published");
      const pending = async () => (await kv.list({ prefix: "okta-directory/hooks/pending/" })).keys.length;
      assert.equal(await pending(), 1, "the delivery stays queued for the deferred run");

      // Okta redelivers the same delivery (same eventId): answered, queued nothing, started no run.
      const redelivered = await control("POST", `event-hooks/${hook.id}/redeliver`);
      assert.equal(redelivered.redelivered, true);
      const after = await health(mf);
      assert.deepEqual([after.run, after.published.version], [null, h.published.version], "a redelivery starts no run");
      assert.equal(await pending(), 1, "a redelivery queues nothing");
      assert.deepEqual(
        (await control("GET", "event-hooks/deliveries")).map((/** @type {{ status: number }} */ d) => d.status),
        [200, 200],
      );

      // The scheduled poll after it (the deferred run, shard patches from here on): it reads the late event through
      // the cursor but rewrites no shard (the fast path wrote the same bytes), and clears the queue.
      ({ h } = await run(h.published.version));
      assert.equal(h.lastStep.mode, "incremental");
      const pubs = publishedLogs(mark);
      assert.deepEqual(
        pubs.map((l) => l.mode),
        ["hook", "incremental"],
        "one fast publish, then the deferred poll; the redelivery published nothing",
      );
      assert.ok(pubs[0].written >= 1, "the fast step wrote the member's shards");
      assert.equal(pubs[1].written, 0, "the poll rewrote no shard: the change was applied once");
      assert.equal(pubs[1].changes.membershipChanges, 1, "the poll read the late membership event once");
      assert.equal(await pending(), 0, "the hook queue is cleared once the deferred run published");
      assert.equal((await lookup(mf, u2.profile.login)).body.workforce, true);
      // And never read again: the next poll reads no membership and writes nothing.
      ({ h, logged } = await run(h.published.version));
      assert.deepEqual([logged.at(-1).changes.membershipChanges, logged.at(-1).written], [0, 0]);
    } finally {
      await mf.dispose();
      await emu.close();
      emu = shared;
    }
  });
});
