// Okta Event Hooks end to end: the emulator registers a hook (management API), verifies it against the SDK's
// receiver behind a node:http server, and delivers System Log events on user changes (with its own retry).
// The receiver applies them to a snapshot through the core's delta machinery: a profile change is visible in
// lookup, a redelivery is applied once, a bad secret is refused (401) without side effects, and the next
// System Log poll skips the events the hook already applied.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  Directory,
  BoundedSeenSet,
  createEventHookReceiver,
  nodeHandler,
  oktaUserFetcher,
  snapshotApplier,
  syncDirectoryJson,
} from "../../js/dist/node.js";
import { api, cliSync, control, emulator, must, truthOf } from "./lib.mjs";

const SECRET = "hook-secret-0123456789abcdef";

/** @typedef {import("./lib.mjs").RunningEmulator} RunningEmulator */

/**
 * @param {string} uri
 * @param {string} secret
 */
function hookBody(uri, secret) {
  return {
    name: "okta-directory",
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
    channel: { type: "HTTP", version: "1.0.0", config: { uri, authScheme: { type: "HEADER", key: "Authorization", value: secret } } },
  };
}

/**
 * Starts a node:http server with the receiver at /hooks/okta; the snapshot lives in `holder.bytes`.
 * @param {RunningEmulator} emu
 * @param {Uint8Array} snapshot
 */
async function receiverServer(emu, snapshot) {
  const holder = { bytes: snapshot, applies: 0 };
  const seen = new BoundedSeenSet(1000);
  const receiver = createEventHookReceiver({
    secret: SECRET,
    seen,
    apply: snapshotApplier({
      snapshot: { get: () => holder.bytes, set: (b) => void (holder.bytes = b) },
      fetchUser: oktaUserFetcher({ orgUrl: emu.url, apiToken: emu.apiToken, allowInsecureLoopback: true }),
      onApplied: () => holder.applies++,
    }),
  });
  const handle = nodeHandler(receiver);
  const server = createServer((req, res) => {
    if (new URL(req.url ?? "/", "http://x").pathname !== "/hooks/okta") return void res.writeHead(404).end();
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await /** @type {Promise<void>} */ (new Promise((r) => server.listen(0, "127.0.0.1", r)));
  const url = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}/hooks/okta`;
  return { holder, seen, receiver, url, close: () => new Promise((r) => server.close(r)) };
}

/**
 * @param {Uint8Array} bytes
 * @param {string} hint
 */
function lookup(bytes, hint) {
  const d = Directory.fromSnapshot(bytes);
  try {
    return d.lookup(hint);
  } finally {
    d.free();
  }
}

test("event hooks: verification, a profile change reaches lookup, redelivery applies once, a bad secret changes nothing", async () => {
  const { emu, dir, base } = await emulator({ users: 300, groups: 4, seed: 7 });
  const out = join(dir, "d.snap");
  const first = await cliSync([...base("ssws"), "--out", out, "--incremental"]);
  assert.equal(first.code, 0, first.stderr);
  const state = JSON.parse(readFileSync(`${out}.state.json`, "utf8"));
  const r = await receiverServer(emu, new Uint8Array(readFileSync(out)));
  try {
    // Registration and the one-time verification (the emulator checks the echoed challenge).
    const created = await api(emu, "POST", "eventHooks", hookBody(r.url, SECRET));
    assert.equal(created.status, 200);
    assert.equal(created.body.verificationStatus, "UNVERIFIED");
    assert.equal(created.body.channel.config.authScheme.value, undefined, "the secret is never returned");
    const verified = await api(emu, "POST", `eventHooks/${created.body.id}/lifecycle/verify`);
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.verificationStatus, "VERIFIED");
    const challenge = await fetch(r.url, { headers: { authorization: SECRET, "x-okta-verification-challenge": "abc123" } });
    assert.deepEqual(await challenge.json(), { verification: "abc123" });

    // A profile change: delivered, applied, visible in lookup.
    const truth = truthOf(emu);
    const user = must(
      truth.users.find((u) => u.status === "ACTIVE"),
      "an active user",
    );
    const login = /** @type {string} */ (user.profile.login);
    assert.notEqual(lookup(r.holder.bytes, login).user.name.given, "Hooked");
    await control(emu, "PATCH", `users/${user.id}`, { profile: { firstName: "Hooked" } });
    await control(emu, "POST", "event-hooks/idle");
    assert.equal(lookup(r.holder.bytes, login).user.name.given, "Hooked");
    assert.equal(r.holder.applies, 1);

    // A membership change, and a deletion.
    const group = must(
      truth.groups.find((g) => g.type === "OKTA_GROUP" && !truth.memberships[g.id].includes(user.id)),
      "an Okta group without the user",
    );
    await control(emu, "PUT", `groups/${group.id}/users/${user.id}`);
    const doomed = must(
      truth.users.find((u) => u.status === "ACTIVE" && u.id !== user.id),
      "another active user",
    );
    await control(emu, "DELETE", `users/${doomed.id}`);
    await control(emu, "POST", "event-hooks/idle");
    const d = Directory.fromSnapshot(r.holder.bytes);
    try {
      assert.ok(
        d.groupsOf(user.id).some((g) => g.id === group.id),
        "membership added by the hook",
      );
      assert.throws(() => d.lookup(/** @type {string} */ (doomed.profile.login)), { code: "USER_NOT_FOUND" });
    } finally {
      d.free();
    }

    // Redelivery of the last delivery (same eventId): answered, not applied again.
    const applies = r.holder.applies;
    const before = r.holder.bytes;
    const redelivered = await control(emu, "POST", `event-hooks/${created.body.id}/redeliver`);
    assert.equal(redelivered.redelivered, true);
    assert.equal(r.holder.applies, applies);
    assert.equal(r.holder.bytes, before);
    assert.equal(r.receiver.stats.duplicates, 1);
    const deliveries = /** @type {{ eventId: string, status: number }[]} */ (await control(emu, "GET", "event-hooks/deliveries"));
    const last = deliveries.at(-1);
    assert.equal(deliveries.filter((x) => x.eventId === last?.eventId).length, 2, "the same eventId delivered twice");
    assert.ok(deliveries.every((x) => x.status === 200));

    // A bad secret: 401, nothing applied, nothing remembered; a hook registered with it never verifies.
    const body = JSON.stringify({
      eventType: "com.okta.event_hook",
      eventId: "bad-1",
      data: {
        events: [
          {
            uuid: "forged-1",
            published: new Date().toISOString(),
            eventType: "user.lifecycle.delete.completed",
            outcome: { result: "SUCCESS" },
            target: [{ id: user.id, type: "User" }],
          },
        ],
      },
    });
    const forged = await fetch(r.url, {
      method: "POST",
      headers: { authorization: "wrong-secret-0123456789", "content-type": "application/json" },
      body,
    });
    assert.equal(forged.status, 401);
    const missing = await fetch(r.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    assert.equal(missing.status, 401);
    assert.equal(r.holder.bytes, before);
    assert.equal(r.seen.has("bad-1") || r.seen.has("forged-1"), false);
    assert.equal(lookup(r.holder.bytes, login).user.id, user.id);
    const wrong = await api(emu, "POST", "eventHooks", hookBody(r.url, "not-the-secret-0123456789"));
    const refused = await api(emu, "POST", `eventHooks/${wrong.body.id}/lifecycle/verify`);
    assert.equal(refused.status, 400);
    assert.equal(r.receiver.stats.unauthorized, 3);

    // The polling safety net skips what the hook applied (docs/event-hooks.md).
    await new Promise((res) => setTimeout(res, 2500)); // the messy emulator persists some log events late
    const result = JSON.parse(
      await syncDirectoryJson({
        orgUrl: emu.url,
        apiToken: emu.apiToken,
        allowInsecureLoopback: true,
        since: state.watermarkMs,
        appliedEventUuids: r.seen.ids(),
      }),
    );
    assert.ok(result.changes.eventsAlreadyApplied >= 2, JSON.stringify(result.changes));
    assert.ok(
      !result.changes.membershipChanges.some(
        (/** @type {{ groupId: string, userId: string }} */ m) => m.groupId === group.id && m.userId === user.id,
      ),
      "the hook's membership event is not re-applied",
    );
  } finally {
    await r.close();
    await emu.close();
  }
});
