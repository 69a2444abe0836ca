// The Worker's ranged publish inside workerd (SYNC_SHARDS_PER_STEP): fetch steps only journal pages, partition
// steps split the journal once into buckets of shards, build steps each build a few KV shards from their
// bucket, then the manifest switches. The shards and the name and birthdate frequency table equal the
// one-snapshot publish's byte for byte; a build step killed mid-run resumes and the previous version serves
// until the switch; each build step holds its range's users only and reads its bucket only (bounded by the
// setting, not the directory).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  bundle,
  control as emulatorControl,
  health,
  logLines,
  lookup,
  persistDirs,
  PLAIN_ENTRY as ENTRY,
  published,
  publishedShards,
  rangedBindings,
  removeBundle,
  startEmulator,
  startLogged,
  startSync,
  waitFor,
} from "./harness.mjs";

const USERS = 2500;
/**
 * The template with its sync job's KV binding refusing the first TEST_MANIFEST_READS_FAILING manifest reads
 * (as a Worker's binding may: a transient error), counted per isolate.
 */
const FLAKY_ENTRY = `
import worker, { SyncJob as Job } from "./src/worker.js";
export { VerificationGuard } from "./src/worker.js";
export default worker;
let failed = 0;
export class SyncJob extends Job {
  constructor(ctx, env) {
    const kv = env.DIRECTORY;
    const failing = Number(env.TEST_MANIFEST_READS_FAILING ?? 0);
    const get = (key, ...rest) => {
      if (key.endsWith("/manifest") && failed < failing) {
        failed++;
        return Promise.reject(new Error("KV GET failed: 503"));
      }
      return kv.get(key, ...rest);
    };
    super(ctx, { ...env, DIRECTORY: { get, put: (...a) => kv.put(...a), delete: (...a) => kv.delete(...a), list: (...a) => kv.list(...a) } });
  }
}`;

/** @typedef {import("miniflare").Miniflare} Miniflare */
/** A user or group as the emulator's control route lists them (the profile fields these tests read are text). */
/** @typedef {{ id: string, status: string, type: string, profile: Record<string, string> }} ControlObject */
/**
 * The published manifest, as the KV store writes it (`previous` as read after a second publish; the fields the
 * first test compares by name are read through the index signature).
 * @typedef {{ version: string, shards: number, shardVersions: string[], frequencies?: string, previous: { version: string } } & Record<string, unknown>} Manifest
 */
/** A `sync_step` log line's fields these tests read. */
/** @typedef {{ phase: string, rangeUsers: number, rangeBytes: number, kvWrites: number }} SyncStep */

/** @type {import("okta-directory/emulator").RunningEmulator} */
let emu;
/** @type {string | undefined} */
let work;
/** @type {string | undefined} */
let flakyWork;
/** @type {string} */
let workforce;
const dirs = persistDirs("worker-ranged-");
const persistDir = dirs.make;
let logs = "";

/** @param {Record<string, string>} [extra] */
const bindings = (extra = {}) => rangedBindings(emu, workforce, { SYNC_PAGES_PER_STEP: "3", ...extra });
/** @param {string} d */
const log = (d) => (logs += d);
/** @param {{ bindings: Record<string, string>, persist?: string }} options */
const start = (options) => startLogged(work, options, log);
/** @param {{ bindings: Record<string, string>, persist?: string }} options */
const startFlaky = (options) => startLogged(flakyWork, options, log);

/**
 * Calls the emulator's control API.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
const control = (method, path, body) => emulatorControl(emu, method, path, body);

/**
 * The log lines of `event` written since `mark` (a length of `logs`), parsed.
 * @param {number} mark
 * @param {string} event
 * @returns {any[]} the lines' JSON (fields by event)
 */
const events = (mark, event) => logLines(logs.slice(mark), event);

/**
 * The `sync_step` log lines written since `mark` (a length of `logs`), parsed.
 * @param {number} mark
 * @returns {SyncStep[]}
 */
const steps = (mark) => /** @type {SyncStep[]} */ (events(mark, "sync_step"));

/**
 * A full ranged run from scratch with `perStep` shards per build step: its shards and its build steps.
 * @param {number} perStep
 */
async function rangedRun(perStep) {
  const mark = logs.length;
  const mf = start({ bindings: bindings({ SYNC_SHARDS_PER_STEP: String(perStep) }) });
  try {
    await startSync(mf);
    await published(mf, undefined);
    return { ...(await publishedShards(mf)), builds: steps(mark).filter((s) => s.phase === "build") };
  } finally {
    await mf.dispose();
  }
}

/** @type {Awaited<ReturnType<typeof publishedShards>>} */
let whole;

before(async () => {
  emu = await startEmulator({ users: USERS, groups: 4, seed: 11, rateLimit: "off" });
  const groups = /** @type {ControlObject[]} */ (await control("GET", "groups"));
  workforce = /** @type {ControlObject} */ (groups.find((g) => g.type === "OKTA_GROUP")).id;
  work = await bundle(ENTRY);
  // The one-snapshot publish, for comparison.
  const mf = start({ bindings: bindings() });
  try {
    await startSync(mf);
    await published(mf, undefined);
    whole = await publishedShards(mf);
  } finally {
    await mf.dispose();
  }
});

after(async () => {
  await emu?.close();
  removeBundle(work);
  removeBundle(flakyWork);
  dirs.removeAll();
});

describe("the ranged publish in workerd", () => {
  it("writes the same shards as the one-snapshot publish, each build step holding a range of users bounded by SYNC_SHARDS_PER_STEP", async () => {
    const three = await rangedRun(3);
    assert.equal(three.shards.length, whole.shards.length);
    assert.ok(three.shards.length >= 10, `shards: ${three.shards.length}`);
    for (let n = 0; n < whole.shards.length; n++) assert.equal(three.shards[n], whole.shards[n], `shard ${n}`);
    for (const field of ["format", "routing", "shards", "keys", "users", "largestShardBytes", "totalBytes"]) {
      assert.deepEqual(three.manifest[field], whole.manifest[field], field);
    }
    // The name and birthdate frequencies the matcher weighs claims with: the one-snapshot publish's table.
    assert.ok(whole.frequencies !== null, "the one-snapshot publish has a frequency table");
    assert.equal(three.frequencies, whole.frequencies, "the ranged publish's frequency table");
    assert.equal(three.manifest.frequenciesDigest, whole.manifest.frequenciesDigest);
    assert.equal(three.builds.length, Math.ceil(whole.manifest.shards / 3));

    const one = await rangedRun(1);
    assert.deepEqual(one.shards, whole.shards);
    assert.equal(one.frequencies, whole.frequencies);
    // Each build step reads its bucket of the partitioned journal, not the whole journal.
    const read = one.builds.map((s) => s.rangeBytes);
    const all = read.reduce((n, b) => n + b, 0);
    assert.ok(Math.max(...read) * 4 < all, `users page bytes read per build step: ${Math.max(...read)} of ${all}`);
    assert.equal(one.builds.length, whole.manifest.shards);
    // A range holds the users of its shards (a user sits in one or two): bounded by the setting, not by the directory.
    /** @param {{ builds: SyncStep[] }} run */
    const most = (run) => Math.max(...run.builds.map((s) => s.rangeUsers));
    const perShard = USERS / whole.manifest.shards;
    assert.ok(most(one) <= 2 * perShard * 1.5, `users in a 1-shard range: ${most(one)}`);
    assert.ok(most(three) <= 3 * 2 * perShard * 1.5, `users in a 3-shard range: ${most(three)}`);
    assert.ok(most(one) < most(three), "a smaller range holds fewer users");
    assert.ok(
      one.builds.every((s) => s.kvWrites <= 1),
      "a build step writes its range's shards only",
    );
  });

  it("resumes a run killed while it partitions the journal: the same shards and frequency table", async () => {
    const persist = persistDir();
    const ranged = bindings({ SYNC_SHARDS_PER_STEP: "2" });
    let mf = start({ bindings: ranged, persist });
    await startSync(mf);
    const phase = await waitFor(async () => {
      const h = await health(mf);
      return ["partition", "dedup", "build"].includes(h.run?.phase) ? h.run.phase : null;
    }, "the partition phase");
    await mf.dispose(); // killed: the step in flight is lost
    mf = start({ bindings: ranged, persist });
    try {
      await mf.ready;
      const resumed = (await health(mf)).run;
      assert.ok(resumed !== null && resumed.phase !== "fetch", `resumed in ${resumed?.phase} (killed in ${phase})`);
      assert.equal((await (await mf.getWorker()).scheduled({ cron: "*/15 * * * *" })).outcome, "ok");
      await published(mf, undefined);
      const after = await publishedShards(mf);
      assert.deepEqual(after.shards, whole.shards);
      assert.equal(after.frequencies, whole.frequencies);
    } finally {
      await mf.dispose();
    }
  });

  it("resumes a killed build step; the previous version serves until the manifest switches; a later run rewrites only changed shards", async () => {
    const persist = persistDir();
    const ranged = bindings({ SYNC_SHARDS_PER_STEP: "1" });
    let mf = start({ bindings: ranged, persist });
    await startSync(mf);
    const first = await published(mf, undefined);
    const target = /** @type {ControlObject} */ (
      /** @type {ControlObject[]} */ (await control("GET", "users")).find((u) => u.status === "ACTIVE")
    );
    const login = target.profile.login;
    const before = await lookup(mf, login);
    assert.equal(before.status, 200);
    await control("PATCH", `users/${target.id}`, { profile: { firstName: "Renamedinrange" } });

    await startSync(mf);
    const building = await waitFor(async () => {
      const h = await health(mf);
      return h.run?.phase === "build" && h.run.shardsBuilt >= 2 ? h : null;
    }, "two built shards");
    assert.ok(building.run.shardsBuilt < building.run.shards);
    await mf.dispose(); // killed: the step in flight is lost

    mf = start({ bindings: ranged, persist });
    await mf.ready;
    const kv = await mf.getKVNamespace("DIRECTORY");
    assert.equal(
      /** @type {Manifest} */ (await kv.get("okta-directory/manifest", "json")).version,
      first.published.version,
      "nothing switched",
    );
    const during = await lookup(mf, login);
    assert.deepEqual([during.status, during.body.user.name.given], [200, before.body.user.name.given], "the previous version serves");
    const resumed = (await health(mf)).run;
    assert.equal(resumed.phase, "build");
    assert.ok(resumed.shardsBuilt >= building.run.shardsBuilt, "the built ranges survived");

    const mark = logs.length;
    assert.equal((await (await mf.getWorker()).scheduled({ cron: "*/15 * * * *" })).outcome, "ok");
    const second = await published(mf, first.published.version);
    assert.equal((await lookup(mf, login)).body.user.name.given, "Renamedinrange");
    const written = steps(mark)
      .filter((s) => s.phase === "build")
      .reduce((n, s) => n + s.kvWrites, 0);
    assert.ok(written >= 1 && written <= 2, `shards rewritten after one change: ${written}`);
    const manifest = (await publishedShards(mf)).manifest;
    assert.equal(manifest.version, second.published.version);
    assert.equal(manifest.previous.version, first.published.version);
    assert.ok(manifest.shardVersions.filter((v) => v === manifest.version).length <= 2);
    // The workforce mark answers as in the one-snapshot publish.
    const members = new Set(/** @type {Record<string, string[]>} */ (await control("GET", "memberships"))[workforce]);
    assert.ok(members.size > 0);
    const someone = /** @type {ControlObject} */ (
      /** @type {ControlObject[]} */ (await control("GET", "users")).find((u) => u.status === "ACTIVE" && members.has(u.id))
    );
    assert.equal((await lookup(mf, someone.profile.login)).body.workforce, true);
    await mf.dispose();
  });

  it("a manifest read KV refuses at the ranged start fails the step, retried: only the changed shards written, switched over the live version", async () => {
    flakyWork ??= await bundle(FLAKY_ENTRY);
    const persist = persistDir();
    const ranged = bindings({ SYNC_SHARDS_PER_STEP: "4", SYNC_RETRY_BASE_MS: "10" });
    let mf = startFlaky({ bindings: ranged, persist });
    await startSync(mf);
    const first = await published(mf, undefined);
    await mf.dispose();
    const target = /** @type {ControlObject} */ (
      /** @type {ControlObject[]} */ (await control("GET", "users")).find((u) => u.status === "ACTIVE")
    );
    await control("PATCH", `users/${target.id}`, { profile: { firstName: "Flakyread" } });

    // The next run's first manifest read fails once (the ranged start's: the job reads none before it).
    mf = startFlaky({ bindings: { ...ranged, TEST_MANIFEST_READS_FAILING: "1" }, persist });
    try {
      const mark = logs.length;
      await startSync(mf);
      // Published, or abandoned (the old behaviour: every shard written, then a switch refused five times).
      const done = await waitFor(async () => {
        const h = await health(mf);
        return h.run === null && (h.published.version !== first.published.version || events(mark, "sync_abandoned").length > 0) ? h : null;
      }, "the run's end");
      const failures = events(mark, "sync_step_failed");
      assert.deepEqual(
        failures.map((f) => [f.phase, f.code]),
        [["fetch", "STORE_FAILED"]],
        "the ranged start's step failed once on the read, and was retried",
      );
      assert.notEqual(done.published.version, first.published.version, "the retried run published");
      const written = steps(mark)
        .filter((s) => s.phase === "build")
        .reduce((n, s) => n + s.kvWrites, 0);
      assert.ok(written >= 1 && written <= 2, `shards rewritten after one change: ${written} (the live version's digests compared)`);
      const { manifest } = await publishedShards(mf);
      assert.equal(manifest.previous.version, first.published.version, "switched over the live version, which readers keep as previous");
      assert.equal((await lookup(mf, target.profile.login)).body.user.name.given, "Flakyread");
    } finally {
      await mf.dispose();
    }
  });
});
