// Attack review: the helpdesk's one-time link (a possession proof) and the sender's bearer secret go to the
// operator's sender only. A sender answering with a redirect must not carry them anywhere else.
//
// Run from the repository root after the build: node --test templates/worker/test/helpdesk-sender.test.mjs
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, it } from "node:test";
import { bundle, miniflare, removeBundle, startEmulator, waitFor } from "./harness.mjs";

const SECRET = "test-bearer-secret-0123456789abcdef";
const SENDER_SECRET = "sender-secret-0123456789";
const TEST_ENTRY = `export { default, VerificationGuard, SyncJob } from "./src/worker.js";`;

/** @type {import("okta-directory/emulator").RunningEmulator} */
let emu;
/** @type {import("miniflare").Miniflare} */
let mf;
/** @type {string} */
let work;
/** The operator's sender: answers every POST with a 307 to `elsewhere`. @type {import("node:http").Server} */
let sender;
/** Another origin: records whatever reaches it. @type {import("node:http").Server} */
let elsewhere;
/** @type {{ authorization: string | undefined, body: string }[]} */
const reached = [];
let logs = "";

/** @param {import("node:http").Server} server @returns {Promise<void>} */
const listen = (server) => new Promise((r) => server.listen(0, "127.0.0.1", r));

/**
 * @param {string} path
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [init]
 * @returns {Promise<{ status: number, body: any }>} (`any`: the route's parsed JSON answer)
 */
async function api(path, init = {}) {
  const headers = { authorization: `Bearer ${SECRET}`, ...(init.headers ?? {}) };
  const response = await mf.dispatchFetch(`http://worker.test${path}`, { ...init, headers });
  return { status: response.status, body: await response.json() };
}

before(async () => {
  emu = await startEmulator({ users: 20, groups: 2, seed: 41, rateLimit: "off" });
  elsewhere = createServer((req, res) => {
    let body = "";
    req.on("data", (/** @type {Buffer} */ c) => (body += c));
    req.on("end", () => {
      reached.push({ authorization: req.headers.authorization, body });
      res.writeHead(204).end();
    });
  });
  await listen(elsewhere);
  sender = createServer((req, res) => {
    req.resume();
    req.on("end", () =>
      res
        .writeHead(307, { location: `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (elsewhere.address()).port}/steal` })
        .end(),
    );
  });
  await listen(sender);
  work = await bundle(TEST_ENTRY);
  mf = miniflare(work, {
    bindings: {
      API_BEARER_SECRET: SECRET,
      OKTA_ORG_URL: emu.url,
      OKTA_CLIENT_ID: emu.clientId,
      OKTA_PRIVATE_KEY: emu.privateKeyPem,
      OKTA_KEY_ID: emu.keyId,
      OKTA_ALLOW_INSECURE_LOOPBACK: "true",
      LOOKUP_KEYS: "login,email",
      IDV_ISSUER: `${emu.url}/idv`,
      IDV_AUDIENCE: "okta-directory-portal",
      IDV_JWKS_URL: `${emu.url}/idv/.well-known/jwks.json`,
      HELPDESK_SENDER_URL: `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (sender.address()).port}/send`,
      HELPDESK_SENDER_SECRET: SENDER_SECRET,
      HELPDESK_LINK_BASE: "https://verify.example.com/helpdesk",
    },
    onLog: (d) => (logs += d),
  });
  const worker = await mf.getWorker();
  const result = await worker.scheduled({ cron: "*/15 * * * *" });
  assert.equal(result.outcome, "ok", `scheduled outcome ${result.outcome}; logs:\n${logs}`);
  await waitFor(async () => {
    const h = (await api("/v1/health")).body;
    return h.run === null && h.published !== null ? h : null;
  }, "the sync job to publish");
});

after(async () => {
  await mf?.dispose();
  await emu?.close();
  sender?.close();
  elsewhere?.close();
  removeBundle(work);
});

it("a sender's redirect is not followed: the link and the sender secret reach no other origin (502 SENDER_FAILED)", async () => {
  /** @type {{ status: string, profile: Record<string, string> }[]} */
  const users = await (await fetch(`${emu.url}/__control/users`)).json();
  const ann = users.find((u) => u.status === "ACTIVE" && u.profile.email && u.profile.login === u.profile.email);
  assert.ok(ann, "an active user with an email");
  const created = await api("/v1/helpdesk/requests", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ loginHint: ann.profile.login, agent: "agent-7" }),
  });
  assert.deepEqual(
    reached.map((r) => ({ authorization: r.authorization, link: /#request=/.test(r.body) })),
    [],
    "nothing reached the redirect's target",
  );
  assert.deepEqual([created.status, created.body.error?.code], [502, "SENDER_FAILED"], JSON.stringify(created.body));
});
