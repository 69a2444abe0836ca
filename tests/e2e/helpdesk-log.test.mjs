// The helpdesk's audit log without a browser: links are single use and expire, the CSV neutralizes
// spreadsheet formulas, and the log keeps outcomes and reason codes only (never a claim value).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LINK_TTL_MS, createHelpdesk, csvCell } from "../../www/server/helpdesk.mjs";

/** @typedef {import("../../www/server/views.mjs").View} View */
/** @typedef {{ to: string, subject: string, text: string }} Message */

/**
 * A directory view holding one user: only the parts the helpdesk reads (users, byId, lookup), so it is
 * given as a View through `unknown` (a real View needs a synced wasm Directory).
 * @param {{ id: string, login: string, email: string, status: string, name?: { given: string, family: string } }} user
 * @returns {View}
 */
const oneUserView = (user) =>
  /** @type {View} */ (
    /** @type {unknown} */ ({
      users: [{ user }],
      byId: new Map([[user.id, 0]]),
      missing: [[]],
      required: [],
      attributes: [],
      enrollment: ["not_enrolled"],
      directory: { lookup: () => ({ user }) },
    })
  );

test("csvCell quotes and neutralizes formulas", () => {
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell("+1"), "'+1");
  assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvCell("a,b"), '"a,b"');
  assert.equal(csvCell("plain"), "plain");
});

test("a link works once and not after 30 minutes; the log keeps reason codes, not claim values", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "od-helpdesk-"));
  try {
    let now = 1_000_000;
    /** @type {Message[]} */
    const sent = [];
    const view = oneUserView({
      id: "00u1",
      login: "=cmd@example.com",
      email: "ann@example.com",
      status: "ACTIVE",
      name: { given: "Ann", family: "Lee" },
    });
    /** @type {[string, unknown][]} */
    const events = [];
    const hd = await createHelpdesk({
      dataDir,
      mail: { kind: "dev-mailbox", send: async (m) => void sent.push(m) },
      sms: null,
      view: () => ({ id: "demo", view }),
      broadcast: (e, d) => events.push([e, /** @type {{ state?: string }} */ (d).state]),
      now: () => now,
    });
    const made = await hd.create({ userId: "00u1", channel: "email", agent: "agent one", origin: "http://127.0.0.1:1" });
    assert.ok("entry" in made, "the request is opened");
    assert.equal(made.entry.state, "sent");
    assert.equal(sent[0].to, "ann@example.com", "the link goes to the directory's address");
    const token = /#request=([\w-]+)/.exec(sent[0].text)?.[1];
    assert.ok(token, "the mail carries a link");
    const noSms = await hd.create({ userId: "00u1", channel: "sms", agent: "a", origin: "x" });
    assert.ok("error" in noSms, "no SMS sender, no request");
    assert.equal(noSms.error[1], "NO_CONTACT");
    assert.equal(hd.open(token)?.userId, "00u1");
    assert.equal(hd.open(token), null, "single use");
    // Claim values too, as a careless caller might pass them: the log must keep none of them.
    const claims = {
      family_name: { outcome: "mismatch", reasons: ["NAME_ENDING_DIFFERS"], verified: "Leeson", directory: "Lee" },
      middle_name: { outcome: "missing_verified", reasons: [] },
    };
    await hd.decided(made.entry.id, { decision: "no_match", state: "mismatch", claims });
    const second = await hd.create({ userId: "00u1", channel: "email", agent: "agent one", origin: "x" });
    const token2 = /#request=([\w-]+)/.exec(sent[1].text)?.[1];
    assert.ok(token2, "the second mail carries a link");
    now += LINK_TTL_MS + 1;
    assert.equal(hd.open(token2), null, "expired");
    await hd.flush();
    const csv = hd.csv(new URLSearchParams());
    assert.ok(csv.includes("family_name:mismatch") && csv.includes("NAME_ENDING_DIFFERS"));
    assert.ok(csv.includes("'=cmd@example.com"), "a formula-looking login is neutralized");
    const stored = readFileSync(join(dataDir, "helpdesk/audit.json"), "utf8");
    for (const text of [csv, stored]) for (const value of ["Leeson", "Ann", "ann@example.com"]) assert.ok(!text.includes(value), value);
    assert.equal(hd.list(new URLSearchParams("outcome=mismatch")).length, 1);
    assert.equal(hd.list(new URLSearchParams("outcome=pending")).length, 0, "the expired one is not pending");
    assert.equal(hd.list(new URLSearchParams("outcome=other")).length, 1, "the expired one");
    assert.ok("entry" in second && events.some(([e, s]) => e === "helpdesk" && s === "decided"));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the link points at the port the request arrived on, never the Host header's port", async () => {
  // An agent (a signed-in admin) sends `Host: 127.0.0.1:6666` and a matching Origin with a non-browser client:
  // the mailed link must still name this server, not a listener of the agent's choosing on that host.
  const dataDir = mkdtempSync(join(tmpdir(), "od-helpdesk-"));
  try {
    /** @type {Message[]} */
    const sent = [];
    const view = oneUserView({ id: "00u1", login: "ann@example.com", email: "ann@example.com", status: "ACTIVE" });
    const hd = await createHelpdesk({
      dataDir,
      mail: { kind: "dev-mailbox", send: async (m) => void sent.push(m) },
      sms: null,
      view: () => ({ id: "demo", view }),
      broadcast: () => {},
    });
    // The parts of a request and a response the route reads (the io below answers and reads the body).
    const req = /** @type {import("node:http").IncomingMessage} */ (
      /** @type {unknown} */ ({
        method: "POST",
        headers: { host: "127.0.0.1:6666", origin: "http://127.0.0.1:6666" },
        socket: { localPort: 4321 },
      })
    );
    const res = /** @type {import("node:http").ServerResponse} */ (/** @type {unknown} */ ({}));
    let status = 0;
    const io = {
      json: (/** @type {unknown} */ _res, /** @type {number} */ s) => void (status = s),
      readJson: async () => ({ userId: "00u1", channel: "email" }),
    };
    await hd.route(
      req,
      res,
      ["requests"],
      new URL("http://127.0.0.1:4321/api/helpdesk/requests"),
      { method: "bootstrap", subject: "b" },
      io,
    );
    assert.equal(status, 201);
    assert.equal(sent.length, 1);
    assert.ok(sent[0].text.includes("http://127.0.0.1:4321/portal/#request="), "the link names the server's own port");
    assert.ok(!sent[0].text.includes(":6666"), "the Host header's port is not used");
    await hd.flush();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
