// Attack review: the helpdesk's one-time link (a possession proof) and the sender's bearer secret go to the
// operator's sender only. A sender answering with a redirect must not carry them anywhere else.
//
// Run from the repository root after the build: node --test templates/worker/test/helpdesk-sender.test.mjs
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, it } from "node:test";
import {
  api as callWorker,
  bundle,
  helpdeskBindings,
  listen,
  miniflare,
  PLAIN_ENTRY,
  removeBundle,
  scheduledPublish,
  startEmulator,
} from "./harness.mjs";

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

/**
 * @param {string} path
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [init]
 */
const api = (path, init) => callWorker(mf, path, init);

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
  const elsewherePort = await listen(elsewhere);
  sender = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(307, { location: `http://127.0.0.1:${elsewherePort}/steal` }).end());
  });
  work = await bundle(PLAIN_ENTRY);
  mf = miniflare(work, { bindings: helpdeskBindings(emu, await listen(sender)), onLog: (d) => (logs += d) });
  await scheduledPublish(mf, () => logs);
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
