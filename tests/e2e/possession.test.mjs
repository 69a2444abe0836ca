// The portal's possession step on its own (www/server/possession.mjs): codes hashed at rest, single use,
// expiring; limits per session, employee, client and overall with back-off; bounded session storage; the
// same behaviour for unknown emails; malformed (multibyte) codes refused and counted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createPossession } from "../../www/server/possession.mjs";

/** @typedef {import("../../www/server/mail.mjs").Message} Message */
/** @typedef {ReturnType<typeof createPossession>} Possession */
/** @typedef {ReturnType<Possession["check"]>} CheckAnswer */

/** A sender that keeps what it was asked to send. */
function recorder() {
  /** @type {Message[]} */
  const sent = [];
  return { sent, kind: "test", send: async (/** @type {Message} */ m) => void sent.push(m) };
}
/** The code a message carries. @param {Message | undefined} m */
const codeIn = (m) => {
  const code = m === undefined ? undefined : /\b(\d{6})\b/.exec(m.text)?.[1];
  assert.ok(code, "a message with a six-digit code");
  return code;
};
const wrongFor = (/** @type {string} */ code) => (code === "000000" ? "111111" : "000000");
/**
 * The live session a `start` opened (fails the test when there is none).
 * @param {Possession} p
 * @param {string | null} id
 */
const opened = (p, id) => {
  const s = p.get(id);
  assert.ok(s, "the session is live");
  return s;
};
/**
 * A check's answer with a refusal's fields readable on either kind (absent on a success).
 * @param {CheckAnswer} r
 * @returns {{ ok: boolean, status?: number, code?: string, triesLeft?: number, retryAfterSec?: number }}
 */
const answer = (r) => r;
const alice = { id: "00ualice", email: "alice@example.com" };

test("codes are mailed, kept only as a hash, single use and expiring", () => {
  let now = 1_000_000;
  const sender = recorder();
  const p = createPossession({ sender, now: () => now, log: () => {} });
  const id = p.start({ user: alice, hintKey: "alice@example.com", address: "a", viewId: "v" });
  assert.equal(sender.sent.length, 1);
  assert.equal(sender.sent[0].to, alice.email);
  const code = codeIn(sender.sent[0]);
  const s = opened(p, id);
  // No plaintext code at rest: the session holds a 32-byte HMAC.
  assert.ok(!JSON.stringify({ ...s, hash: s.hash?.toString("hex") }).includes(code));
  assert.equal(s.hash?.length, 32);
  assert.deepEqual(p.check(s, code, "a"), { ok: true });
  assert.equal(p.check(s, code, "a").ok, false, "single use");
  const id2 = p.start({ user: alice, hintKey: "alice@example.com", address: "a", viewId: "v" });
  now += 10 * 60_000 + 1;
  assert.equal(p.get(id2), undefined, "expired");
});

test("slow brute force: a patient attacker gets at most the daily budget of wrong codes per employee", () => {
  // Found by attacking the hourly budget alone: ~25 guesses an hour, every hour, for ever.
  let now = 7_000_000;
  const sender = recorder();
  const p = createPossession({
    sender,
    now: () => now,
    log: () => {},
    limits: { sendsPerEmployee: 1000, startsPerClient: 100_000, clientFree: 100_000, overallFree: 100_000 },
  });
  let wrong = 0;
  // Ten wrong codes an hour (the hourly free budget, never its back-off) for six hours.
  for (let hour = 0; hour < 6; hour++) {
    for (let i = 0; i < 2; i++) {
      const s = opened(p, p.start({ user: alice, hintKey: "alice", address: `h${hour}`, viewId: "v" }));
      const right = codeIn(sender.sent.at(-1));
      for (let k = 0; k < 5; k++) if (answer(p.check(s, wrongFor(right), `h${hour}`)).code === "CODE_INVALID" || k === 4) wrong++;
    }
    now += 3600_000 + 1;
  }
  assert.ok(wrong >= 30, `${wrong} wrong codes tried`);
  // Past the daily budget even the right code is refused, as a wrong one, for the rest of the day.
  let s = opened(p, p.start({ user: alice, hintKey: "alice", address: "later", viewId: "v" }));
  const r = answer(p.check(s, codeIn(sender.sent.at(-1)), "later"));
  assert.deepEqual([r.ok, r.status, r.code], [false, 401, "CODE_INVALID"]);
  // A day later the employee gets in.
  now += 24 * 3600_000 + 1;
  s = opened(p, p.start({ user: alice, hintKey: "alice", address: "next-day", viewId: "v" }));
  assert.deepEqual(p.check(s, codeIn(sender.sent.at(-1)), "next-day"), { ok: true });
});

test("a multibyte or malformed code is a 400, not a crash, and it counts as a try", () => {
  const sender = recorder();
  const p = createPossession({ sender, log: () => {} });
  const s = opened(p, p.start({ user: alice, hintKey: "a", address: "a", viewId: "v" }));
  for (const [n, bad] of ["１２３４５６", "ééééé", "12345\u0301", 123456, null].entries()) {
    const r = answer(p.check(s, bad, "a"));
    if (n < 4) assert.deepEqual([r.status, r.code, r.triesLeft], [400, "INVALID_CODE", 4 - n]);
    else assert.deepEqual([r.status, r.code], [429, "TOO_MANY_ATTEMPTS"], "the fifth bad try closes the session");
  }
  assert.equal(p.get(s.id), undefined);
});

test("brute force across sessions: the employee's budget holds whatever the number of sessions", () => {
  let now = 5_000_000;
  const sender = recorder();
  const p = createPossession({
    sender,
    now: () => now,
    log: () => {},
    limits: { employeeFree: 10, sendsPerEmployee: 100, startsPerClient: 1000, clientFree: 1000 },
  });
  let refusedWithRightCode = false;
  for (let session = 0; session < 40 && !refusedWithRightCode; session++) {
    const s = opened(p, p.start({ user: alice, hintKey: "alice", address: `client-${session}`, viewId: "v" }));
    const right = codeIn(sender.sent.at(-1));
    // After 10 wrong codes for this employee, even the right code is refused until the back-off ends.
    if (session < 3) for (let i = 0; i < 4; i++) p.check(s, wrongFor(right), `client-${session}`);
    else {
      const r = answer(p.check(s, right, `client-${session}`));
      assert.equal(r.ok, false, `session ${session}: the right code was accepted after 12 wrong ones`);
      // Refused as a wrong code: a visible 429 would tell an employee's email from a stranger's.
      assert.deepEqual([r.status, r.code], [401, "CODE_INVALID"]);
      refusedWithRightCode = true;
    }
  }
  assert.ok(refusedWithRightCode);
  // The back-off doubles: one hour later (window over, wait over) the employee may try again.
  now += 3600_000 * 2;
  const s = opened(p, p.start({ user: alice, hintKey: "alice", address: "late", viewId: "v" }));
  assert.deepEqual(p.check(s, codeIn(sender.sent.at(-1)), "late"), { ok: true });
});

test("per client and overall budgets, with a doubling back-off", () => {
  let now = 9_000_000;
  const p = createPossession({
    sender: recorder(),
    now: () => now,
    log: () => {},
    limits: { clientFree: 6, overallFree: 1000, startsPerClient: 1000, employeeFree: 1000 },
  });
  /** A wrong code from a client for an unknown email. @param {string} address @param {string} email */
  const guess = (address, email) =>
    answer(p.check(opened(p, p.start({ user: null, hintKey: email, address, viewId: "v" })), "123456", address));
  for (let i = 0; i < 6; i++) assert.equal(guess("evil", `x${i}@example.com`).status, 401);
  const blocked = guess("evil", "y@example.com");
  assert.equal(blocked.status, 429);
  assert.equal(blocked.retryAfterSec, 1);
  assert.equal(guess("someone-else", "z@example.com").status, 401, "another client is not blocked");
  now += 1001;
  assert.equal(guess("evil", "w@example.com").status, 401);
  assert.equal(guess("evil", "v@example.com").retryAfterSec, 2, "each failure past the budget doubles the wait");

  const q = createPossession({
    sender: recorder(),
    now: () => now,
    log: () => {},
    limits: { overallFree: 5, clientFree: 1000, startsPerClient: 1000, employeeFree: 1000 },
  });
  for (let i = 0; i < 5; i++)
    q.check(opened(q, q.start({ user: null, hintKey: `h${i}`, address: `c${i}`, viewId: "v" })), "123456", `c${i}`);
  assert.equal(
    answer(q.check(opened(q, q.start({ user: null, hintKey: "h", address: "fresh", viewId: "v" })), "123456", "fresh")).status,
    429,
    "overall budget",
  );
});

test("session storage is bounded, and starts per client are limited", () => {
  const p = createPossession({ sender: recorder(), log: () => {}, limits: { maxSessions: 100, startsPerClient: 100_000 } });
  for (let i = 0; i < 5000; i++) p.start({ user: null, hintKey: `h${i}`, address: "a", viewId: "v" });
  assert.ok(p.size <= 100, `${p.size} sessions kept`);
  const q = createPossession({ sender: recorder(), log: () => {}, limits: { startsPerClient: 3 } });
  const ids = Array.from({ length: 4 }, () => q.start({ user: null, hintKey: "h", address: "a", viewId: "v" }));
  assert.deepEqual(
    ids.map((id) => id === null),
    [false, false, false, true],
  );
});

test("unknown emails: a session that behaves the same but never matches and sends nothing", () => {
  const sender = recorder();
  const p = createPossession({ sender, log: () => {} });
  const known = opened(p, p.start({ user: alice, hintKey: "alice", address: "a", viewId: "v" }));
  const unknown = opened(p, p.start({ user: null, hintKey: "nobody", address: "a", viewId: "v" }));
  assert.equal(sender.sent.length, 1);
  assert.deepEqual(Object.keys(known).sort(), Object.keys(unknown).sort());
  assert.equal(answer(p.check(unknown, codeIn(sender.sent[0]), "a")).code, "CODE_INVALID");
  // Even past the per-employee send budget, `start` answers with a session (and sends nothing more).
  for (let i = 0; i < 10; i++) assert.ok(p.start({ user: alice, hintKey: "alice", address: `b${i}`, viewId: "v" }));
  assert.equal(sender.sent.length, 5);
});
