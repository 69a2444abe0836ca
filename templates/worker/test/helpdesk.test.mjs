// The helpdesk routes of the Worker template inside workerd (Miniflare): a request sends a one-time link to
// the caller's directory email through the operator's sender (a local HTTP endpoint here), the link opens
// once (atomically, also when two devices race), the vendor's signed result (the emulator's demo IDV) is
// decided and recorded by the VerificationService, and the agent reads the decision — never a claim value.
//
// Run from the repository root after the build: node --test templates/worker/test/
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, it } from "node:test";
import {
  api as callWorker,
  bundle,
  helpdeskBindings,
  listen,
  miniflare,
  PLAIN_ENTRY,
  removeBundle,
  SENDER_SECRET,
  scheduledPublish,
  startEmulator,
} from "./harness.mjs";

/** A user as the emulator's control route lists them (the profile fields these tests read are text). */
/** @typedef {{ id: string, status: string, profile: Record<string, string> }} ControlUser */

/** @type {import("okta-directory/emulator").RunningEmulator} */
let emu;
/** @type {import("miniflare").Miniflare} */
let mf;
/** @type {string | undefined} */
let work;
/** @type {import("node:http").Server} */
let sender;
/** What the operator's sender received. @type {{ authorization: string | undefined, message: { to: string, link: string } }[]} */
const sent = [];
let logs = "";
/** The sender's last message (fails the test when it received none). */
function lastSent() {
  const message = sent.at(-1);
  assert.ok(message, "the sender received no message");
  return message;
}

/**
 * Calls the Worker with the bearer secret.
 * @param {string} path
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [init]
 */
const api = (path, init) => callWorker(mf, path, init);
/**
 * @param {string} path
 * @param {unknown} body
 */
const post = (path, body) => api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
/**
 * A signed result of the emulator's demo vendor for `userId`.
 * @param {string} userId
 * @param {string} nonce
 * @returns {Promise<string>}
 */
async function issue(userId, nonce) {
  const r = await fetch(`${emu.url}/idv/control/issue`, {
    method: "POST",
    body: JSON.stringify({ userId, audience: "okta-directory-portal", nonce }),
  });
  assert.equal(r.status, 201);
  return /** @type {{ id_token: string }} */ (await r.json()).id_token;
}

before(async () => {
  emu = await startEmulator({ users: 150, groups: 4, seed: 33, rateLimit: "off" });
  sender = createServer((req, res) => {
    let body = "";
    req.on("data", (/** @type {Buffer} */ c) => (body += c));
    req.on("end", () => {
      sent.push({ authorization: req.headers.authorization, message: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  work = await bundle(PLAIN_ENTRY);
  mf = miniflare(work, { bindings: helpdeskBindings(emu, await listen(sender)), onLog: (d) => (logs += d) });
  await scheduledPublish(mf, () => logs);
});

after(async () => {
  await mf?.dispose();
  await emu?.close();
  sender?.close();
  removeBundle(work);
});

/**
 * Active users with an email, a unique login and a record the demo vendor's result matches.
 * @returns {Promise<ControlUser[]>}
 */
async function people() {
  const users = /** @type {ControlUser[]} */ (await (await fetch(`${emu.url}/__control/users`)).json());
  return users.filter(
    (u) =>
      u.status === "ACTIVE" &&
      u.profile.email &&
      u.profile.login === u.profile.email &&
      u.profile.birthdate &&
      !u.profile.LegalFirstName &&
      !u.profile.LegalLastName,
  );
}

describe("helpdesk routes in workerd", () => {
  it("request → link to the directory email → open once → signed result → decision, without values", async () => {
    const [ann] = await people();
    const created = await post("/v1/helpdesk/requests", { loginHint: ann.profile.login.toUpperCase(), agent: "agent-7" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.state, created.body.userId, created.body.decision], ["sent", ann.id, null]);
    const message = lastSent();
    assert.equal(message.authorization, `Bearer ${SENDER_SECRET}`);
    assert.equal(message.message.to, ann.profile.email, "the link goes to the directory's email");
    assert.match(message.message.link, /^https:\/\/verify\.example\.com\/helpdesk#request=/);
    const opened = await post("/v1/helpdesk/open", { link: message.message.link });
    assert.equal(opened.status, 200);
    assert.equal(opened.body.userId, ann.id);
    const again = await post("/v1/helpdesk/open", { link: message.message.link });
    assert.deepEqual([again.status, again.body.error.code], [410, "LINK_INVALID"]);
    const undecided = await api(`/v1/helpdesk/decision?id=${created.body.id}`);
    assert.equal(undecided.status, 409);
    const done = await post("/v1/helpdesk/complete", {
      requestId: opened.body.requestId,
      nonce: opened.body.nonce,
      idToken: await issue(ann.id, opened.body.nonce),
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual([done.body.state, done.body.decision, done.body.outcome], ["decided", "match", "success"]);
    const decision = await api(`/v1/helpdesk/decision?id=${created.body.id}`);
    assert.deepEqual([decision.status, decision.body.decision, decision.body.claims.family_name.outcome], [200, "match", "match"]);
    const status = await api(`/v1/helpdesk/requests?id=${created.body.id}`);
    assert.equal(status.body.state, "decided");
    const text = JSON.stringify([created.body, status.body, decision.body]);
    for (const v of [ann.profile.lastName, ann.profile.birthdate, ann.profile.firstName])
      assert.ok(!text.includes(v), "a value in an agent's answer");
    assert.ok(!("tokenHash" in status.body) && !("nonceHash" in status.body));
    assert.ok(!logs.includes(message.message.link.split("#request=")[1]), "the link's token is never logged");
  });

  it("two devices racing to open one link: exactly one gets a nonce", async () => {
    const [, bob] = await people();
    await post("/v1/helpdesk/requests", { loginHint: bob.profile.login, agent: "agent-7" });
    const link = lastSent().message.link;
    const answers = await Promise.all(Array.from({ length: 6 }, () => post("/v1/helpdesk/open", { link })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 410, 410, 410, 410, 410]);
  });

  it("another person's signed result is refused and ends the request; a guessed nonce opens nothing", async () => {
    const [, , carol, dave] = await people();
    const created = await post("/v1/helpdesk/requests", { loginHint: carol.profile.login, agent: "agent-7", channel: "email" });
    const opened = await post("/v1/helpdesk/open", { link: lastSent().message.link });
    const guessed = await post("/v1/helpdesk/complete", {
      requestId: created.body.id,
      nonce: "guessed",
      idToken: await issue(carol.id, opened.body.nonce),
    });
    assert.deepEqual([guessed.status, guessed.body.error.code], [410, "LINK_INVALID"]);
    const theirs = await post("/v1/helpdesk/complete", {
      requestId: created.body.id,
      nonce: opened.body.nonce,
      idToken: await issue(dave.id, opened.body.nonce),
    });
    assert.deepEqual([theirs.status, theirs.body.error.code], [403, "TOKEN_SUBJECT_MISMATCH"]);
    assert.equal((await api(`/v1/helpdesk/requests?id=${created.body.id}`)).body.state, "refused");
    // No route sets an outcome, and every route needs the bearer secret.
    assert.equal((await api("/v1/helpdesk/decision", { method: "POST" })).status, 405);
    const anonymous = await mf.dispatchFetch("http://worker.test/v1/helpdesk/requests", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(anonymous.status, 401);
    const unknown = await post("/v1/helpdesk/requests", { loginHint: "nobody@nowhere.example", agent: "agent-7" });
    assert.equal(unknown.status, 404);
  });
});
