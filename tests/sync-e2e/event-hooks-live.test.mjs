// Event Hooks into a Node directory answered from memory (`LiveDirectory`), end to end against the messy
// emulator: it delivers the hook's events itself; users are re-read with the sync's OAuth app (DPoP). Profile
// changes, a deactivation, a membership and a deletion reach lookups; a redelivery applies once; the process
// "crashes" before persisting and the reopened directory (snapshot file + journal) holds every change; and the
// result equals a full re-sync of the same org by the CLI (canonical form: the sync time aside).
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { test } from "node:test";
import {
  Directory,
  FileStore,
  LiveDirectory,
  createEventHookReceiver,
  fileHookJournal,
  nodeHandler,
  oktaOAuthUserFetcher,
} from "../../js/dist/node.js";
import { splitSnapshotCanonical } from "../../js/wasm/okta_directory.js";
import { api, cliSync, control, emulator, must, truthOf } from "./lib.mjs";

const SECRET = "live-hook-secret-0123456789abcdef";

test("LiveDirectory: hooks reach lookups at once, survive a crash before the persist, and equal a full re-sync", async (t) => {
  const { emu, dir, base } = await emulator({ users: 400, groups: 4, seed: 11 });
  t.after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const out = join(dir, "d.snap");
  const journalPath = join(dir, "d.hooks");
  const first = await cliSync([...base("key"), "--out", out]);
  assert.equal(first.code, 0, first.stderr);
  const fetchUser = oktaOAuthUserFetcher({
    orgUrl: emu.url,
    clientId: emu.clientId,
    privateKey: emu.privateKeyPem,
    keyId: emu.keyId,
    allowInsecureLoopback: true,
  });
  const file = new FileStore(out);
  const open = async () =>
    LiveDirectory.open({
      snapshot: /** @type {Uint8Array} */ (await file.load()),
      fetchUser,
      store: file,
      journal: fileHookJournal(journalPath),
      persistQuietMs: 600_000,
    });
  const live = await open();
  const receiver = createEventHookReceiver({ secret: SECRET, apply: live.apply });
  const server = createServer(nodeHandler(receiver));
  await /** @type {Promise<void>} */ (new Promise((r) => server.listen(0, "127.0.0.1", r)));
  const url = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}/`;
  try {
    const hook = await api(emu, "POST", "eventHooks", {
      name: "live",
      events: {
        type: "EVENT_TYPE",
        items: [
          "user.account.update_profile",
          "user.lifecycle.deactivate",
          "user.lifecycle.delete.completed",
          "group.user_membership.add",
          "group.user_membership.remove",
        ],
      },
      channel: {
        type: "HTTP",
        version: "1.0.0",
        config: { uri: url, authScheme: { type: "HEADER", key: "Authorization", value: SECRET } },
      },
    });
    assert.equal((await api(emu, "POST", `eventHooks/${hook.body.id}/lifecycle/verify`)).body.verificationStatus, "VERIFIED");

    const truth = truthOf(emu);
    const active = truth.users.filter((u) => u.status === "ACTIVE");
    const [a, b, c, d] = active;
    const user = must(a, "an active user");
    const login = /** @type {string} */ (user.profile.login);
    await control(emu, "PATCH", `users/${user.id}`, { profile: { firstName: "Livehook" } });
    await control(emu, "POST", "event-hooks/idle");
    assert.equal(live.lookup(login).user.name?.given, "Livehook");
    assert.equal(live.lookup(login.toUpperCase()).user.id, user.id);
    assert.equal(live.stats.patched, 1, "a profile change patches shards only");
    assert.equal(live.stats.persisted, 0);

    const deactivated = must(b, "a second user");
    await control(emu, "PATCH", `users/${deactivated.id}`, { status: "DEPROVISIONED" });
    const group = must(
      truth.groups.find((g) => g.type === "OKTA_GROUP" && !truth.memberships[g.id].includes(user.id)),
      "an Okta group without the user",
    );
    await control(emu, "PUT", `groups/${group.id}/users/${user.id}`);
    const doomed = must(c, "a third user");
    await control(emu, "DELETE", `users/${doomed.id}`);
    const edited = must(d, "a fourth user");
    await control(emu, "PATCH", `users/${edited.id}`, { profile: { lastName: "Ñúñez-Live" } });
    await control(emu, "POST", "event-hooks/idle");
    assert.equal(live.lookup(/** @type {string} */ (deactivated.profile.login)).user.status, "DEPROVISIONED");
    assert.throws(() => live.lookup(/** @type {string} */ (doomed.profile.login)), { code: "USER_NOT_FOUND" });
    assert.equal(live.lookup(/** @type {string} */ (edited.profile.login)).user.name?.family, "Ñúñez-Live");

    // Redelivery: answered, not applied again.
    const applied = live.stats.patched + live.stats.rebuilt;
    await control(emu, "POST", `event-hooks/${hook.body.id}/redeliver`);
    assert.equal(live.stats.patched + live.stats.rebuilt, applied);
    assert.equal(receiver.stats.duplicates, 1);

    // The crash: nothing was persisted; the file is still the first sync's; the journal holds ids only.
    assert.equal(live.stats.persisted, 0);
    const journal = readFileSync(journalPath, "utf8");
    assert.ok(journal.trim().split("\n").length >= 4);
    assert.doesNotMatch(journal, /Livehook|Ñúñez|@/);
  } finally {
    await new Promise((r) => server.close(r));
  }

  const reopened = await open();
  assert.ok(reopened.stats.replayed >= 4);
  assert.equal(reopened.stats.persisted, 1);
  assert.equal(readFileSync(journalPath, "utf8"), "");

  // A full re-sync of the same org by the CLI: the same directory, shard by shard and whole. The messy
  // emulator's user listings lag (as Okta's search index does): wait until they show the last change.
  await new Promise((r) => setTimeout(r, emu.env.store.realism.replicationLagMs + 500));
  const again = join(dir, "again.snap");
  const resync = await cliSync([...base("key"), "--out", again]);
  assert.equal(resync.code, 0, resync.stderr);
  const fresh = new Uint8Array(readFileSync(again));
  const expected = splitSnapshotCanonical(fresh, reopened.shardCount);
  for (let n = 0; n < reopened.shardCount; n++) assert.deepEqual(reopened.shard(n), expected[n], `shard ${n}`);
  const persisted = new Uint8Array(readFileSync(out));
  assert.deepEqual(splitSnapshotCanonical(persisted, 1), splitSnapshotCanonical(fresh, 1));
  const got = Directory.fromSnapshot(persisted);
  const want = Directory.fromSnapshot(fresh);
  try {
    assert.equal(got.info().memberships, want.info().memberships);
    assert.equal(got.info().users, want.info().users);
  } finally {
    got.free();
    want.free();
  }
  await reopened.close();
});
