// The portal's possession step: a one-time code sent to the employee's directory email by a pluggable
// sender. Codes are kept only as HMAC-SHA-256 (a per-process secret), are single use and expire; tries are
// limited per session, per employee (the resolved Okta user id), per client address and overall, with a
// doubling back-off; sessions are capped (oldest evicted). `start` answers the same for unknown emails.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { createLimiter } from "./limits.mjs";

/**
 * @typedef {{ id: string, userId: string | null, budgetKey: string, hash: Buffer | null, tries: number, possession: boolean,
 *   nonce: string, decisions: number, expiresAt: number, viewId: string | null }} PortalSession
 * @typedef {import("./mail.mjs").CodeSender} CodeSender
 */

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_TRIES = 5;
/** The one answer to a refused well-formed code, wrong or held back by the employee's budget. */
const CODE_INVALID_MESSAGE =
  "that code is not right, or too many wrong codes were tried for this account lately: wait a few minutes and start again";

/** Limits, overridable by tests. */
export const DEFAULT_LIMITS = Object.freeze({
  maxSessions: 10_000,
  /** Wrong codes per employee per hour before the back-off starts. */
  employeeFree: 10,
  /**
   * Wrong codes per employee per day; past it the employee's codes are held back for a day. The hourly
   * budget alone let a patient attacker try ~25 codes an hour for ever (~20 % of the 10^6 codes a year);
   * with this cap it is at most ~30 a day (~1 % a year), and the employee is mailed every code asked for.
   */
  employeeDailyFree: 30,
  /** Wrong codes per client address per hour before the back-off starts. */
  clientFree: 30,
  /** Wrong codes overall per 10 minutes before the back-off starts (a spread-out attack). */
  overallFree: 2000,
  /** Codes sent per employee per hour (more `start`s answer the same but send nothing). */
  sendsPerEmployee: 5,
  /** `start`s per client address per 10 minutes. */
  startsPerClient: 30,
});

/**
 * @param {{ sender: CodeSender, limits?: Partial<Record<keyof typeof DEFAULT_LIMITS, number>>, now?: () => number,
 *   log?: (line: string) => void }} o
 */
export function createPossession(o) {
  const limits = { ...DEFAULT_LIMITS, ...(o.limits ?? {}) };
  const now = o.now ?? Date.now;
  const log = o.log ?? ((line) => process.stderr.write(`${line}\n`));
  const secret = randomBytes(32);
  /** @type {Map<string, PortalSession>} */
  const sessions = new Map();
  const employee = createLimiter({ free: limits.employeeFree, windowMs: 3600_000, now });
  const employeeDay = createLimiter({
    free: limits.employeeDailyFree,
    windowMs: 24 * 3600_000,
    baseDelayMs: 24 * 3600_000,
    maxDelayMs: 24 * 3600_000,
    now,
  });
  const client = createLimiter({ free: limits.clientFree, windowMs: 3600_000, now });
  const overall = createLimiter({ free: limits.overallFree, windowMs: 10 * 60_000, baseDelayMs: 250, maxDelayMs: 60_000, now });
  const sends = createLimiter({ free: limits.sendsPerEmployee, windowMs: 3600_000, baseDelayMs: 3600_000, maxDelayMs: 3600_000, now });
  const starts = createLimiter({ free: limits.startsPerClient, windowMs: 10 * 60_000, baseDelayMs: 60_000, maxDelayMs: 10 * 60_000, now });

  const hmac = (/** @type {string} */ sessionId, /** @type {string} */ code) =>
    createHmac("sha256", secret).update(`${sessionId}:${code}`).digest();

  function sweep() {
    const t = now();
    for (const [id, s] of sessions) if (s.expiresAt <= t) sessions.delete(id);
    while (sessions.size >= limits.maxSessions) sessions.delete(/** @type {string} */ (sessions.keys().next().value));
  }

  return {
    limits,
    /** Sessions held now (bounded by `limits.maxSessions`). */
    get size() {
      return sessions.size;
    },
    /**
     * Opens a session for a typed email, before (or without) knowing whose it is: until `attach` names
     * the employee, its code never matches and its tries count against the email's own budget. With
     * `user`, attaches at once. Returns null when the client must slow down.
     * @param {{ user?: { id: string, email: string } | null, hintKey: string, address: string, viewId: string | null }} a
     */
    start(a) {
      if (starts.wait(a.address) > 0) return null;
      starts.fail(a.address);
      sweep();
      const id = randomBytes(24).toString("base64url");
      /** @type {PortalSession} */
      const s = {
        id,
        userId: null,
        budgetKey: `hint:${a.hintKey}`,
        hash: null,
        tries: 0,
        possession: false,
        nonce: randomBytes(16).toString("base64url"),
        decisions: 0,
        expiresAt: now() + CODE_TTL_MS,
        viewId: a.viewId,
      };
      sessions.set(id, s);
      if (a.user) this.attach(id, a.user);
      return id;
    },
    /**
     * Names the employee a session is for (the lookup's result) and mails them a code, unless their
     * hourly send budget is spent (then nothing is sent; the session behaves the same).
     * @param {string} id @param {{ id: string, email: string }} user
     */
    attach(id, user) {
      const s = sessions.get(id);
      if (!s || s.userId !== null) return;
      s.userId = user.id;
      s.budgetKey = `user:${user.id}`;
      if (sends.wait(s.budgetKey) > 0) return;
      sends.fail(s.budgetKey);
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      s.hash = hmac(id, code);
      o.sender
        .send({
          to: user.email,
          subject: "Your account recovery code",
          text: `Your one-time code is ${code}. It expires in 10 minutes. If you did not ask for it, tell your IT help desk.`,
        })
        .catch((e) => {
          log(`portal: the code could not be sent (${e instanceof Error && "code" in e ? String(/** @type {any} */ (e).code) : "error"})`);
        });
    },
    /** The live session with this id. @param {unknown} id */
    get(id) {
      if (typeof id !== "string" || id.length > 64) return undefined;
      const s = sessions.get(id);
      if (s && s.expiresAt <= now()) {
        sessions.delete(id);
        return undefined;
      }
      return s;
    },
    /** Ends a session. @param {string} id */
    end(id) {
      sessions.delete(id);
    },
    /**
     * Checks a code. Every malformed or wrong code counts against the session, the employee, the client
     * and the overall budget; past the employee's, codes are refused as wrong ones (never a visible 429).
     * @param {PortalSession} s @param {unknown} given @param {string} address
     * @returns {{ ok: true } | { ok: false, status: number, code: string, message: string, triesLeft?: number, retryAfterSec?: number }}
     */
    check(s, given, address) {
      // Only budgets keyed by what the caller already knows (its address, everyone) answer 429.
      const wait = Math.max(client.wait(address), overall.wait("*"));
      if (wait > 0)
        return {
          ok: false,
          status: 429,
          code: "TOO_MANY_ATTEMPTS",
          message: "too many wrong codes; wait before trying again",
          retryAfterSec: Math.ceil(wait / 1000),
        };
      // The employee's budget is kept but never shown: while it holds, every code (the right one too) is
      // answered as a wrong one. Spellings of an email that the lookup folds share an employee's budget and a
      // stranger's do not, so a visible block would tell who works here.
      const held = employee.wait(s.budgetKey) > 0 || employeeDay.wait(s.budgetKey) > 0;
      const text = typeof given === "string" ? given.trim() : "";
      const wellFormed = /^[0-9]{6}$/.test(text);
      // The HMAC is computed for every try, so a session for nobody costs the same time as an employee's.
      const candidate = hmac(s.id, wellFormed ? text : "-");
      const right = wellFormed && !held && s.hash !== null && timingSafeEqual(candidate, s.hash);
      if (right) {
        s.hash = null; // single use
        s.possession = true;
        employee.reset(s.budgetKey);
        employeeDay.reset(s.budgetKey);
        return { ok: true };
      }
      s.tries += 1;
      if (!held) {
        employee.fail(s.budgetKey);
        employeeDay.fail(s.budgetKey);
      }
      client.fail(address);
      overall.fail("*");
      if (s.tries >= MAX_CODE_TRIES) {
        sessions.delete(s.id);
        return { ok: false, status: 429, code: "TOO_MANY_ATTEMPTS", message: "too many wrong codes; start again" };
      }
      if (!wellFormed)
        return { ok: false, status: 400, code: "INVALID_CODE", message: "the code is six digits", triesLeft: MAX_CODE_TRIES - s.tries };
      return { ok: false, status: 401, code: "CODE_INVALID", message: CODE_INVALID_MESSAGE, triesLeft: MAX_CODE_TRIES - s.tries };
    },
  };
}
