// The Event Hook fast path inside workerd (Miniflare): a delivery publishes its users by rewriting only their
// KV shards (no R2 read or write: the whole snapshot is not touched), the deferred incremental run then
// produces the same shards (it rewrites none), a failing fast step or compaction leaves the served version
// intact, a redelivery runs once, and new, deleted and moved users and Workforce memberships take the fast step
// too (shard patches), the deferred run writing none of their shards again.
//
// Run after the build: `node --test templates/worker/test/`.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  bundle,
  deliverHook,
  lookup as lookupOn,
  startSync,
  control as emulatorControl,
  health as healthOf,
  logLines,
  miniflare,
  published as publishedOn,
  removeBundle,
  SECRET,
  startEmulator,
  waitFor,
} from "./harness.mjs";

const HOOK_SECRET = "test-hook-secret-0123456789abcdef";
const ENTRY = `
import worker from "./src/worker.js";
export { VerificationGuard, SyncJob } from "./src/worker.js";
export default { fetch: (r, e, c) => worker.fetch(r, e, c), scheduled: (c, e, x) => worker.scheduled(c, e, x) };`;

/** @type {any} */
let emu;
/** @type {string} */
let work;
/** @type {any} */
let mf;
/** @type {string} */
let persist;
let logs = "";

const health = () => healthOf(mf);
/** @param {string} hint */
const given = async (hint) => (await lookupOn(mf, hint)).body.user?.name?.given;
/** @param {string} previous */
const published = (previous) => publishedOn(mf, previous);
/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
const control = (method, path, body) => emulatorControl(emu, method, path, body);
/**
 * A delivery as Okta sends it; `target` carries a forged display name the Worker must never apply.
 * @param {string} eventId
 * @param {{ type: string, targets: object[] }[]} events
 */
const deliver = (eventId, events) => deliverHook(mf, HOOK_SECRET, eventId, events);
/** @param {{ id: string }} user */
const profileEvent = (user) => ({
  type: "user.account.update_profile",
  targets: [{ id: user.id, type: "User", displayName: "Forged Value" }],
});
/** @param {number} mark */
const lines = (mark) => logLines(logs.slice(mark));
const pendingKeys = async () => (await (await mf.getKVNamespace("DIRECTORY")).list({ prefix: "okta-directory/hooks/pending/" })).keys;

/** @type {{ id: string, profile: { login: string } }[]} */
let users;
/** @type {string} */
let workforce;

before(async () => {
  emu = await startEmulator({ users: 400, groups: 4, seed: 41, rateLimit: "off" });
  workforce = (await control("GET", "groups")).find((/** @type {any} */ g) => g.type === "OKTA_GROUP").id;
  work = await bundle(ENTRY);
  persist = mkdtempSync(join(tmpdir(), "worker-hook-fast-"));
  mf = miniflare(work, {
    bindings: {
      API_BEARER_SECRET: SECRET,
      OKTA_ORG_URL: emu.url,
      OKTA_API_TOKEN: emu.apiToken,
      OKTA_ALLOW_INSECURE_LOOPBACK: "true",
      OKTA_HOOK_SECRET: HOOK_SECRET,
      SYNC_RETRY_BASE_MS: "200",
      WORKFORCE_GROUP: workforce,
    },
    persist,
    onLog: (d) => (logs += d),
  });
  await startSync(mf, true);
  await published("");
  users = (await control("GET", "users")).filter((/** @type {any} */ u) => u.status === "ACTIVE");
});

after(async () => {
  await mf?.dispose();
  removeBundle(work);
  if (persist) rmSync(persist, { recursive: true, force: true });
  await emu?.close();
});

describe("Worker: Event Hook fast path", () => {
  it("publishes a delivery by rewriting only its user's shards, never reading the snapshot; redelivery runs once", async () => {
    const [user] = users;
    assert.ok(user);
    const v0 = (await health()).published.version;
    await control("PATCH", `users/${user.id}`, { profile: { firstName: "Fastpath" } });
    const mark = logs.length;
    const first = await deliver("fast-1", [profileEvent(user)]);
    assert.equal(first.status, 200);
    const again = /** @type {{ duplicate?: boolean }} */ (await (await deliver("fast-1", [profileEvent(user)])).json());
    assert.equal(again.duplicate, true);
    await published(v0);
    assert.equal(await given(user.profile.login), "Fastpath");
    const steps = lines(mark).filter((l) => l.event === "sync_step");
    assert.deepEqual(
      steps.map((s) => s.phase),
      ["hook"],
      "one fast step, no whole-snapshot run",
    );
    const [step] = steps;
    assert.equal(step.r2, 0, "the R2 snapshot is neither read nor written");
    assert.equal(step.okta, 1, "one user read");
    const [pub] = lines(mark).filter((l) => l.event === "published");
    assert.equal(pub.mode, "hook");
    assert.ok(pub.written >= 1 && pub.written <= 2, `shards written: ${pub.written} of ${pub.shards}`);
    assert.equal(step.kvWrites, pub.written + 1, "the changed shards and the manifest");
    assert.equal((await pendingKeys()).length, 1, "the delivery stays queued for the deferred run");
  });

  it("the deferred incremental run rewrites no shard (the fast path wrote the same bytes) and clears the queue; a failing one leaves the served version", async () => {
    const [user] = users;
    assert.ok(user);
    const v1 = (await health()).published.version;
    await control("POST", "faults", { spec: "5xx=1000" });
    const mark = logs.length;
    await startSync(mf, false);
    await waitFor(async () => ((await health()).run?.failures >= 1 ? true : null), "a failing run");
    assert.equal((await health()).published.version, v1, "the served version is unchanged");
    assert.equal(await given(user.profile.login), "Fastpath");
    await control("POST", "faults", { clear: true });
    await published(v1);
    const runs = lines(mark).filter((l) => l.event === "published");
    assert.equal(runs.length, 1);
    assert.equal(runs[0].mode, "incremental");
    assert.equal(runs[0].written, 0, "every shard the fast path wrote equals the whole split's");
    assert.equal(await given(user.profile.login), "Fastpath");
    assert.equal((await pendingKeys()).length, 0);
  });

  it("a failing fast step leaves the served version; the change is published by the next run", async () => {
    const user = users[1];
    assert.ok(user);
    const v = (await health()).published.version;
    await control("PATCH", `users/${user.id}`, { profile: { firstName: "Later" } });
    await control("POST", "faults", { spec: "5xx=1000" });
    const mark = logs.length;
    await deliver("fast-fail", [profileEvent(user)]);
    await waitFor(async () => (lines(mark).some((l) => l.event === "sync_abandoned") ? true : null), "the abandoned fast run");
    assert.equal((await health()).published.version, v);
    assert.notEqual(await given(user.profile.login), "Later");
    await control("POST", "faults", { clear: true });
    await startSync(mf, false);
    await published(v);
    assert.equal(await given(user.profile.login), "Later");
    assert.doesNotMatch(logs, /Forged Value/);
  });

  /**
   * Delivers `events` as one delivery and waits for its publish: the steps and the `published` line it logged.
   * @param {string} eventId
   * @param {{ type: string, targets: object[] }[]} events
   */
  async function fastPublish(eventId, events) {
    const v = (await health()).published.version;
    const mark = logs.length;
    assert.equal((await deliver(eventId, events)).status, 200);
    await published(v);
    return {
      phases: lines(mark)
        .filter((l) => l.event === "sync_step")
        .map((s) => s.phase),
      pub: lines(mark).find((l) => l.event === "published"),
    };
  }
  /** @param {string} id @param {string} [type] */
  const userEvent = (id, type = "user.account.update_profile") => ({ type, targets: [{ id, type: "User" }] });
  /** @param {string} hint */
  const lookup = (hint) => lookupOn(mf, hint);

  it("a new user takes the fast step: it lands in its shards", async () => {
    const hire = await control("POST", "users", {
      profile: { login: "fast.hire@acme.example", email: "fast.hire@acme.example", firstName: "Ngozi" },
    });
    const { phases, pub } = await fastPublish("fast-new", [userEvent(hire.id, "user.lifecycle.create")]);
    assert.deepEqual(phases, ["hook"], "no whole-snapshot run");
    assert.ok(pub.written >= 1 && pub.written <= 2);
    assert.equal((await lookup("fast.hire@acme.example")).body.user.id, hire.id);
  });

  it("a deleted user takes the fast step: it leaves its shards", async () => {
    const gone = users[3];
    assert.ok(gone);
    await control("POST", `users/${gone.id}/deactivate`);
    await control("DELETE", `users/${gone.id}`);
    const { phases } = await fastPublish("fast-deleted", [userEvent(gone.id, "user.lifecycle.delete.completed")]);
    assert.deepEqual(phases, ["hook"]);
    assert.equal((await lookup(gone.profile.login)).status, 404);
  });

  it("a user whose login moved takes the fast step: the old login no longer answers", async () => {
    const moved = users[4];
    assert.ok(moved);
    await control("PATCH", `users/${moved.id}`, {
      profile: { login: "fast.moved@elsewhere.example", email: "fast.moved@elsewhere.example" },
    });
    const { phases } = await fastPublish("fast-moved", [userEvent(moved.id)]);
    assert.deepEqual(phases, ["hook"]);
    assert.equal((await lookup(moved.profile.login)).status, 404);
    assert.equal((await lookup("fast.moved@elsewhere.example")).body.user.id, moved.id);
  });

  it("a Workforce membership change takes the fast step; the deferred run then rewrites none of the fast steps' shards", async () => {
    const members = new Set((await control("GET", "memberships"))[workforce]);
    const user = users.slice(5).find((u) => !members.has(u.id));
    assert.ok(user);
    assert.equal((await lookup(user.profile.login)).body.workforce, false);
    await control("PUT", `groups/${workforce}/users/${user.id}`);
    const { phases } = await fastPublish("fast-member", [
      {
        type: "group.user_membership.add",
        targets: [
          { id: user.id, type: "User" },
          { id: workforce, type: "UserGroup" },
        ],
      },
    ]);
    assert.deepEqual(phases, ["hook"]);
    assert.equal((await lookup(user.profile.login)).body.workforce, true);
    assert.ok((await pendingKeys()).length >= 1, "the deliveries stay queued for the deferred run");

    // The deferred run: the System Log delta as shard patches (no whole snapshot), equal to what the fast steps wrote.
    const v = (await health()).published.version;
    const mark = logs.length;
    await startSync(mf, false);
    await published(v);
    const steps = lines(mark).filter((l) => l.event === "sync_step");
    assert.deepEqual(
      steps.map((s) => s.phase),
      ["delta", "patch"],
    );
    const pub = lines(mark).find((l) => l.event === "published");
    assert.equal(pub.mode, "incremental");
    assert.equal(pub.written, 0, "the fast steps wrote the bytes a patch of the System Log delta writes");
    assert.equal((await pendingKeys()).length, 0);
    assert.equal((await lookup(user.profile.login)).body.workforce, true);
  });
});
