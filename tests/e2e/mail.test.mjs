// The portal's code senders: the SMTP sender against a local SMTP server that this test starts
// (smtp-server), on its own and as the demo server's --smtp-url (then the admins' mailbox stays empty).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SMTPServer } from "smtp-server";
import { EmulatorStore as DirectoryStore } from "../../js/dist/emulator/index.js";
import { smtpSender } from "../../www/server/mail.mjs";
import { startServer } from "./browser.mjs";

/**
 * The parts of smtp-server's SMTPServer this test uses (the package ships no types).
 * @typedef {{ listen(port: number, host: string, done: () => void): void, close(done: () => void): void, server: import("node:net").Server }} SmtpServer
 */

/** @type {SmtpServer} */
let smtp;
/** @type {number} */
let port;
/** Messages the SMTP server received: envelope recipients and the raw text. */
/** @type {{ to: string[], raw: string }[]} */
const received = [];

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    /**
     * @param {import("node:stream").Readable} stream
     * @param {{ envelope: { rcptTo: { address: string }[] } }} session
     * @param {() => void} callback
     */
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (/** @type {Buffer} */ c) => (raw += c));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await /** @type {Promise<void>} */ (new Promise((resolve) => smtp.listen(0, "127.0.0.1", () => resolve())));
  port = /** @type {import("node:net").AddressInfo} */ (smtp.server.address()).port;
});
after(async () => new Promise((resolve) => smtp.close(() => resolve(undefined))));

test("the SMTP sender delivers a message to the server", async () => {
  const sender = smtpSender({ url: `smtp://127.0.0.1:${port}`, from: "recovery@example.com" });
  await sender.send({ to: "alice@example.com", subject: "Your account recovery code", text: "Your one-time code is 123456." });
  const m = received.at(-1);
  assert.ok(m, "a message arrived");
  assert.deepEqual(m.to, ["alice@example.com"]);
  assert.match(m.raw, /Subject: Your account recovery code/);
  assert.match(m.raw, /123456/);
});

test("the portal mails its codes through --smtp-url; nothing lands in the admins' mailbox", async () => {
  const server = await startServer(
    "--demo",
    "--demo-users",
    "300",
    "--smtp-url",
    `smtp://127.0.0.1:${port}`,
    "--mail-from",
    "recovery@example.com",
  );
  try {
    const origin = server.url.replace(/\/$/, "");
    for (;;) {
      const demo = await (await server.adminFetch("api/integrations/demo")).json();
      if (demo.hasDirectory) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const store = new DirectoryStore({ users: 300, groups: 25, seed: 7 });
    const user = store.users.find(
      (u) =>
        u.status === "ACTIVE" &&
        u.profile.login === u.profile.email &&
        store.users.filter((v) => v.profile.email === u.profile.email).length === 1,
    );
    assert.ok(user, "an active user whose email is their login and no one else's");
    const before = received.length;
    const start = await fetch(`${origin}/portal-api/start`, { method: "POST", body: JSON.stringify({ email: user.profile.email }) });
    assert.equal(start.status, 202);
    const { session } = await start.json();
    for (let i = 0; i < 100 && received.length === before; i++) await new Promise((r) => setTimeout(r, 50));
    const mail = received.at(-1);
    assert.ok(mail && received.length > before, "the code was mailed");
    assert.deepEqual(mail.to, [user.profile.email]);
    const code = /\b(\d{6})\b/.exec(mail.raw.split("\r\n\r\n").slice(1).join("\n"))?.[1];
    assert.ok(code, "the mail holds a six-digit code");
    const answer = await fetch(`${origin}/portal-api/code`, { method: "POST", body: JSON.stringify({ session, code }) });
    assert.equal(answer.status, 200);
    const mailbox = await (await server.adminFetch("api/mailbox")).json();
    assert.deepEqual(mailbox, { sender: "smtp", messages: [] });
  } finally {
    await server.stop();
  }
});
