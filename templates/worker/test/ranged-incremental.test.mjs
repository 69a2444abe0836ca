// Incremental runs of a directory published in ranges (SYNC_SHARDS_PER_STEP), inside workerd: the System Log
// delta is published as shard patches (ranged-incremental.js), no whole snapshot in memory. After every change
// kind — a profile change, a user whose login and email moved, a new user, a deleted Workforce member,
// Workforce memberships added and removed, another group's membership — the shards equal a fresh ranged full
// publish of the same directory byte for byte, and untouched shards are not written (also when the search for
// old copies is spread over `locate` steps: SYNC_SCAN_SHARDS below the shard count). A killed step resumes,
// late System Log events are read through the polling cursor, and a failed run leaves the published version serving.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  bundle,
  control as emulatorControl,
  CRON,
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

/** @typedef {import("miniflare").Miniflare} Miniflare */
/** @typedef {{ id: string, status: string, type: string, profile: Record<string, string> }} ControlObject */
/** @typedef {{ version: string, shards: number, users: number, shardVersions: string[] }} Manifest */
/** @typedef {{ phase: string, mode: string, okta: number, kvWrites: number, kvReads: number, wasmMb: number }} SyncStep */

/** @type {import("okta-directory/emulator").RunningEmulator} */
let emu;
/** @type {string | undefined} */
let work;
/** @type {string} */
let workforce;
/** @type {string} */
let other;
const dirs = persistDirs("worker-ranged-inc-");
const persistDir = dirs.make;
let logs = "";

/** @param {Record<string, string>} [extra] */
const bindings = (extra = {}) =>
  rangedBindings(emu, workforce, { SYNC_PAGES_PER_STEP: "5", SYNC_SHARDS_PER_STEP: "8", SYNC_RETRY_BASE_MS: "20", ...extra });
/** @param {{ bindings: Record<string, string>, persist?: string }} options */
const start = (options) => startLogged(work, options, (d) => (logs += d));

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>} the control route's JSON
 */
const control = (method, path, body) => emulatorControl(emu, method, path, body);

/**
 * The `sync_step` lines logged since `mark`.
 * @param {number} mark
 * @returns {SyncStep[]}
 */
const steps = (mark) => /** @type {SyncStep[]} */ (logLines(logs.slice(mark), "sync_step"));

/** The users the emulator holds. @returns {Promise<ControlObject[]>} */
const users = () => control("GET", "users");
/** The members of a group. @param {string} group @returns {Promise<Set<string>>} */
const members = async (group) => new Set(/** @type {Record<string, string[]>} */ (await control("GET", "memberships"))[group] ?? []);

before(async () => {
  emu = await startEmulator({ users: 1500, groups: 4, seed: 23, rateLimit: "off" });
  const groups = /** @type {ControlObject[]} */ (await control("GET", "groups")).filter((g) => g.type === "OKTA_GROUP");
  workforce = /** @type {ControlObject} */ (groups[0]).id;
  other = /** @type {ControlObject} */ (groups[1]).id;
  work = await bundle(ENTRY);
});

after(async () => {
  await emu?.close();
  removeBundle(work);
  dirs.removeAll();
});

describe("incremental runs of a ranged publish in workerd", () => {
  /**
   * A ranged full publish, every change kind made in the emulator, one scheduled incremental run; its checks.
   * @param {string} tag  Makes the new logins unique to this call (the emulator is shared).
   * @param {Record<string, string>} extra  Bindings (SYNC_SCAN_SHARDS).
   * @param {(phases: string[], shards: number) => void} checkPhases
   */
  async function everyChangeKind(tag, extra, checkPhases) {
    const mf = start({ bindings: bindings(extra), persist: persistDir() });
    try {
      await startSync(mf);
      const first = await published(mf, undefined);
      const before = await publishedShards(mf);
      assert.ok(before.manifest.shards >= 10, `shards: ${before.manifest.shards}`);

      const active = (await users()).filter((u) => u.status === "ACTIVE");
      const inWorkforce = await members(workforce);
      const pickMember = (/** @type {boolean} */ member, /** @type {number} */ skip) =>
        /** @type {ControlObject} */ (active.filter((u) => inWorkforce.has(u.id) === member)[skip]);
      const renamed = pickMember(false, 0);
      const moved = pickMember(true, 1);
      const deleted = pickMember(true, 2);
      const joins = pickMember(false, 3);
      const leaves = pickMember(true, 4);
      const elsewhere = pickMember(false, 5);
      await control("PATCH", `users/${renamed.id}`, { profile: { firstName: "Renamedpatched" } });
      await control("PATCH", `users/${moved.id}`, {
        profile: { login: `moved.${tag}@relocated.example`, email: `moved.mail.${tag}@relocated.example` },
      });
      const hire = await control("POST", "users", {
        profile: { login: `new.hire.${tag}@acme.example`, email: `new.hire.${tag}@acme.example`, firstName: "Mei", lastName: "Tanaka" },
        groupIds: [workforce],
      });
      await control("POST", `users/${deleted.id}/deactivate`);
      await control("DELETE", `users/${deleted.id}`);
      await control("PUT", `groups/${workforce}/users/${joins.id}`);
      await control("DELETE", `groups/${workforce}/users/${leaves.id}`);
      await control("PUT", `groups/${other}/users/${elsewhere.id}`);

      const mark = logs.length;
      assert.equal((await (await mf.getWorker()).scheduled({ cron: CRON })).outcome, "ok");
      const inc = await published(mf, first.published.version);
      assert.equal(inc.lastStep.mode, "incremental");
      const run = steps(mark);
      checkPhases(
        run.map((s) => s.phase),
        before.manifest.shards,
      );
      const okta = run.reduce((n, s) => n + s.okta, 0);
      const kvWrites = run.reduce((n, s) => n + s.kvWrites, 0);
      const changedUsers = 7;
      assert.ok(okta <= 20, `Okta requests: ${okta}`);
      assert.ok(kvWrites <= 2 * changedUsers + 1, `KV writes: ${kvWrites}`);

      const patched = await publishedShards(mf);
      const written = patched.manifest.shardVersions.filter((v) => v === patched.manifest.version).length;
      assert.equal(kvWrites, written + 1, "the rewritten shards and the manifest");
      for (let n = 0; n < patched.shards.length; n++) {
        if (patched.shards[n] === before.shards[n]) {
          assert.notEqual(patched.manifest.shardVersions[n], patched.manifest.version, `unchanged shard ${n} is not written`);
        } else {
          assert.equal(patched.manifest.shardVersions[n], patched.manifest.version, `changed shard ${n} is written`);
        }
      }
      assert.equal(patched.manifest.users, before.manifest.users, "one user added, one deleted");

      // The lookups answer from the patched shards.
      assert.equal((await lookup(mf, renamed.profile.login)).body.user.name.given, "Renamedpatched");
      assert.equal((await lookup(mf, `moved.${tag}@relocated.example`)).body.user.id, moved.id);
      assert.equal((await lookup(mf, `moved.${tag}@relocated.example`)).body.workforce, true);
      assert.equal((await lookup(mf, moved.profile.login)).status, 404);
      assert.equal((await lookup(mf, `new.hire.${tag}@acme.example`)).body.user.id, hire.id);
      assert.equal((await lookup(mf, `new.hire.${tag}@acme.example`)).body.workforce, true);
      assert.equal((await lookup(mf, deleted.profile.login)).status, 404);
      assert.equal((await lookup(mf, joins.profile.login)).body.workforce, true);
      assert.equal((await lookup(mf, leaves.profile.login)).body.workforce, false);

      // A fresh ranged full publish of the same directory writes the same bytes, shard for shard.
      const fresh = start({ bindings: bindings() });
      try {
        await startSync(fresh);
        await published(fresh, undefined);
        const whole = await publishedShards(fresh);
        assert.equal(whole.shards.length, patched.shards.length);
        for (let n = 0; n < whole.shards.length; n++) assert.equal(patched.shards[n], whole.shards[n], `shard ${n}`);
        assert.equal(whole.manifest.users, patched.manifest.users);
      } finally {
        await fresh.dispose();
      }
    } finally {
      await mf.dispose();
    }
  }

  it("patch only the touched shards after every change kind, equal to a fresh ranged full publish", async () => {
    await everyChangeKind("a", {}, (phases) => assert.deepEqual(phases, ["delta", "patch"], "a fetch of the delta, then one patch step"));
  });

  it("with more shards than SYNC_SCAN_SHARDS, look for old copies in locate steps first (same shards, same writes)", async () => {
    await everyChangeKind("b", { SYNC_SCAN_SHARDS: "4" }, (phases, shards) =>
      assert.deepEqual(phases, ["delta", "patch", ...Array(Math.ceil(shards / 4)).fill("locate"), "patch"]),
    );
  });

  it("a killed step resumes; late System Log events are read through the cursor; a failed run leaves the published version serving", async () => {
    const persist = persistDir();
    let mf = start({ bindings: bindings(), persist });
    try {
      await startSync(mf);
      let h = await published(mf, undefined);
      // A first incremental run leaves Okta's polling cursor in the base.
      await (await mf.getWorker()).scheduled({ cron: CRON });
      h = await published(mf, h.published.version);
      assert.equal(h.lastStep.mode, "incremental");

      // Killed: the delta step waits on a slow Okta when workerd goes away.
      const target = /** @type {ControlObject} */ ((await users()).find((u) => u.status === "ACTIVE"));
      await control("PATCH", `users/${target.id}`, { profile: { firstName: "Afterthekill" } });
      await control("POST", "faults", { spec: "slow=1000:400" });
      await (await mf.getWorker()).scheduled({ cron: CRON });
      await waitFor(async () => ((await health(mf)).run?.phase === "delta" ? true : null), "the delta step");
      await mf.dispose();
      await control("POST", "faults", { clear: true });
      mf = start({ bindings: bindings(), persist });
      assert.notEqual((await lookup(mf, target.profile.login)).body.user.name.given, "Afterthekill", "nothing published yet");
      const resumed = await published(mf, h.published.version);
      assert.equal(resumed.lastStep.mode, "incremental");
      assert.equal((await lookup(mf, target.profile.login)).body.user.name.given, "Afterthekill");
      h = resumed;

      // Late: a Workforce membership whose System Log event is stamped 20 minutes before the last poll.
      const inWorkforce = await members(workforce);
      const late = /** @type {ControlObject} */ ((await users()).find((u) => u.status === "ACTIVE" && !inWorkforce.has(u.id)));
      await control("POST", "late-events", { publishedMs: h.published.watermarkMs - 20 * 60_000, count: 1 });
      await control("PUT", `groups/${workforce}/users/${late.id}`);
      await (await mf.getWorker()).scheduled({ cron: CRON });
      h = await published(mf, h.published.version);
      assert.equal((await lookup(mf, late.profile.login)).body.workforce, true, "the late membership is published");

      // Failed: Okta answers 500 to every retry; the run is abandoned and the published version keeps serving.
      const kv = await mf.getKVNamespace("DIRECTORY");
      const live = /** @type {Manifest} */ (await kv.get("okta-directory/manifest", "json"));
      await control("PATCH", `users/${target.id}`, { profile: { firstName: "Neverpublished" } });
      await control("POST", "faults", { spec: "5xx=10000" });
      const mark = logs.length;
      await (await mf.getWorker()).scheduled({ cron: CRON });
      await waitFor(() => (logs.slice(mark).includes('"event":"sync_abandoned"') ? true : null), "the abandoned run");
      await control("POST", "faults", { clear: true });
      assert.equal(/** @type {Manifest} */ (await kv.get("okta-directory/manifest", "json")).version, live.version);
      assert.equal((await lookup(mf, target.profile.login)).body.user.name.given, "Afterthekill");
      assert.equal((await health(mf)).published.version, live.version);
    } finally {
      await mf.dispose();
    }
  });

  it("a damaged manifest turns an incremental run into a full one, whose switch replaces it", async () => {
    const mf = start({ bindings: bindings(), persist: persistDir() });
    try {
      await startSync(mf);
      const first = await published(mf, undefined);
      const target = /** @type {ControlObject} */ ((await users()).find((u) => u.status === "ACTIVE"));
      await control("PATCH", `users/${target.id}`, { profile: { firstName: "Afterdamage" } });
      await (await mf.getKVNamespace("DIRECTORY")).put("okta-directory/manifest", "{not json");
      const mark = logs.length;
      await (await mf.getWorker()).scheduled({ cron: CRON });
      // Published, or abandoned (the old behaviour: the patch step failed on the manifest five times).
      const done = await waitFor(async () => {
        if (logLines(logs.slice(mark), "sync_abandoned").length > 0) return "abandoned";
        const h = await health(mf);
        return h.run === null && h.published?.version !== first.published.version ? "published" : null;
      }, "the run's end");
      assert.deepEqual(
        logLines(logs.slice(mark), "sync_step_failed").map((f) => [f.phase, f.code]),
        [],
        "no step failed on the damaged manifest",
      );
      assert.equal(done, "published");
      const phases = steps(mark).map((s) => s.phase);
      assert.ok(phases.includes("delta") && phases.includes("switch"), `the incremental run became a full one: ${phases.join(",")}`);
      const { manifest } = await publishedShards(mf);
      assert.equal(manifest.version, (await health(mf)).published.version, "the switch replaced the damaged manifest");
      assert.equal((await lookup(mf, target.profile.login)).body.user.name.given, "Afterdamage");
    } finally {
      await mf.dispose();
    }
  });
});
