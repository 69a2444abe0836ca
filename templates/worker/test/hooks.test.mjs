// The Worker's Okta Event Hook route (src/hooks.js) inside workerd (Miniflare), bundled as wrangler does:
// the verification challenge, a delivery queued once under redelivery, and a bad secret refused (401)
// without a single KV read or write.
//
// Run after the build: `node --test templates/worker/test/` (repository) or `npm test` (a copy of the template).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Miniflare } from "miniflare";
import { join } from "node:path";
import { bundle, KV_COUNTER, removeBundle } from "./harness.mjs";
import { workerdScript } from "./workerd-bundle.mjs";

const SECRET = "worker-hook-secret-0123456789";

// Mounts the hook route the way worker.js does, and counts the KV calls it makes.
const TEST_ENTRY = `
import { handleEventHook, pendingHookChanges } from "./src/hooks.js";
export { VerificationGuard } from "./src/worker.js";
${KV_COUNTER}
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/hooks/okta") return handleEventHook(request, { ...env, DIRECTORY: counting(env.DIRECTORY) });
    if (path === "/__test/kv") return Response.json(counts);
    if (path === "/__test/pending") return Response.json(await pendingHookChanges(env));
    return new Response("not found", { status: 404 });
  },
};`;

/** @type {Miniflare | undefined} */
let mf;
/** @type {string | undefined} */
let work;

/**
 * @param {string} eventId
 * @param {object[]} events
 */
function delivery(eventId, events) {
  return JSON.stringify({
    eventType: "com.okta.event_hook",
    eventTypeVersion: "1.0",
    cloudEventsVersion: "0.1",
    eventId,
    data: { events },
  });
}
/**
 * @param {string} uuid
 * @param {string} eventType
 * @param {object[]} targets
 */
function event(uuid, eventType, targets) {
  return { uuid, published: new Date().toISOString(), eventType, outcome: { result: "SUCCESS" }, target: targets };
}
/** The running Miniflare (started in `before`). */
const worker = () => /** @type {Miniflare} */ (mf);
/** @param {import("miniflare").RequestInit} [init] */
const hook = (init) => worker().dispatchFetch("http://worker.test/hooks/okta", init);
const kvCounts = async () => (await worker().dispatchFetch("http://worker.test/__test/kv")).json();
// The test route's JSON: the queued deliveries (their shape is what the assertions check).
const pending = async () => /** @type {any[]} */ (await (await worker().dispatchFetch("http://worker.test/__test/pending")).json());

before(async () => {
  work = await bundle(TEST_ENTRY);
  mf = new Miniflare({
    ...workerdScript(join(work, "dist", "worker.js")),
    kvNamespaces: ["DIRECTORY"],
    durableObjects: { VERIFICATION_GUARD: "VerificationGuard" },
    bindings: { OKTA_HOOK_SECRET: SECRET },
  });
});

after(async () => {
  await mf?.dispose();
  removeBundle(work);
});

describe("Worker: Okta Event Hook route", () => {
  it("answers the one-time verification challenge", async () => {
    const res = await hook({ headers: { authorization: SECRET, "x-okta-verification-challenge": "c-123" } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { verification: "c-123" });
  });

  it("refuses a bad or missing secret with 401, without touching KV", async () => {
    const before = await kvCounts();
    const body = delivery("forged-delivery", [event("forged-event", "user.lifecycle.delete.completed", [{ id: "00u1", type: "User" }])]);
    for (const headers of [{ authorization: "not-the-secret-0123456789" }, {}]) {
      const res = await hook({ method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
      assert.equal(res.status, 401);
    }
    const challenge = await hook({ headers: { authorization: "nope", "x-okta-verification-challenge": "c" } });
    assert.equal(challenge.status, 401);
    assert.deepEqual(await kvCounts(), before);
    assert.deepEqual(await pending(), []);
  });

  it("queues a delivery's changes once, however often it is delivered", async () => {
    const events = [
      event("e-1", "user.account.update_profile", [{ id: "00uA1", type: "User", alternateId: "a@example.com" }]),
      event("e-2", "group.user_membership.add", [
        { id: "00uA1", type: "User" },
        { id: "00gG1", type: "UserGroup" },
      ]),
      event("e-3", "group.user_membership.remove", [
        { id: "00uA1", type: "User" },
        { id: "00gG1", type: "UserGroup" },
      ]),
    ];
    const body = delivery("delivery-1", events);
    const init = { method: "POST", headers: { authorization: SECRET, "content-type": "application/json" }, body };
    const first = await hook(init);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { applied: 3, duplicate: false });
    const again = await hook(init);
    assert.deepEqual(await again.json(), { applied: 0, duplicate: true });
    // The same events in a new delivery (Okta's retry after a lost answer can carry a new eventId): nothing new.
    const resent = await hook({ ...init, body: delivery("delivery-2", events) });
    assert.deepEqual(await resent.json(), { applied: 0, duplicate: false });
    const queued = await pending();
    assert.equal(queued.length, 1);
    const [{ changes }] = queued;
    assert.deepEqual(changes.upsertUserIds, ["00uA1"]);
    assert.deepEqual(changes.membershipChanges, [{ groupId: "00gG1", userId: "00uA1", added: false }], "the last change of a pair wins");
    assert.doesNotMatch(JSON.stringify(queued), /a@example\.com/, "no profile value is stored");
  });

  it("queues concurrent copies of one delivery once (Okta retries a delivery it waited 3 s for while the first is still answered)", async () => {
    const events = [event("e-race", "user.account.update_profile", [{ id: "00uR1", type: "User" }])];
    const init = {
      method: "POST",
      headers: { authorization: SECRET, "content-type": "application/json" },
      body: delivery("delivery-race", events),
    };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => hook(init).then((r) => /** @type {Promise<{ applied: number }>} */ (r.json()))),
    );
    assert.equal(answers.filter((a) => a.applied === 1).length, 1, JSON.stringify(answers));
    assert.equal(answers.filter((a) => a.applied === 0).length, 3, JSON.stringify(answers));
    assert.equal((await pending()).filter((p) => p.changes.eventId === "delivery-race").length, 1);
  });

  it("answers a malformed delivery with 400", async () => {
    const res = await hook({ method: "POST", headers: { authorization: SECRET }, body: "{not json" });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: "HOOK_PAYLOAD_INVALID" });
  });
});
