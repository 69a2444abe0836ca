// The self-serve portal's backend (/api/portal/…), mounted by server.mjs. In the demo the Node server
// plays the edge: it decides with the same SDK code (`verifyIdToken` + `decideVerification`) as the
// Worker template's POST /v1/verifications. The page never authorizes anything: its pre-check is advice.
//
// Flow: start {email} → a one-time code (printed on the server console and listed for the dashboard; no
// mail is sent here) → code {session, code} → the person's own directory record and a nonce → idv (the
// demo vendor issues an id_token for that person, optionally with deliberate differences) → decide
// {session, idToken} → the decision, with per-claim outcomes and reasons only.
import { randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { ClaimsMatcher, MemoryReplayGuard, OktaDirectoryError, TokenError, decideVerification, verifyIdToken } from "../js/dist/node.js";

export const PORTAL_AUDIENCE = "okta-directory-portal";
const SESSION_TTL_MS = 10 * 60_000;
const MAX_CODE_TRIES = 5;
const MAX_DECISIONS = 5;
const MAX_CODES_SHOWN = 20;

/**
 * @typedef {{ id: string, viewId: string, userId: string, code: string, codeTries: number, possession: boolean,
 *   nonce: string, decisions: number, expiresAt: number }} Session
 * @typedef {{ directory: any, users: any[], byId: Map<string, number> }} PortalView
 * @typedef {{ view: () => { id: string, view: PortalView } | null, idvUrl: () => string | null,
 *   record: (viewId: string, userId: string, report: any) => Promise<void>,
 *   broadcast: (event: string, data: unknown) => void,
 *   json: (res: import("node:http").ServerResponse, status: number, body: unknown) => void,
 *   readJson: (req: import("node:http").IncomingMessage) => Promise<any> }} PortalHost
 */

/** @param {PortalHost} host */
export function createPortal(host) {
  /** @type {Map<string, Session>} */
  const sessions = new Map();
  /** Recent codes for the dashboard: a session tag (not the email) and the code. @type {{ session: string, code: string, at: number }[]} */
  const codes = [];
  const replay = new MemoryReplayGuard();

  const fail = (/** @type {import("node:http").ServerResponse} */ res, /** @type {number} */ status, /** @type {string} */ code, /** @type {string} */ message) =>
    host.json(res, status, { error: { code, message } });

  function session(/** @type {any} */ body) {
    const now = Date.now();
    for (const [id, s] of sessions) if (s.expiresAt < now) sessions.delete(id);
    const s = typeof body?.session === "string" ? sessions.get(body.session) : undefined;
    return s;
  }

  /** The user a session is about, from the current view (null when the directory changed under it). */
  function userOf(/** @type {Session} */ s) {
    const current = host.view();
    if (!current || current.id !== s.viewId) return null;
    const n = current.view.byId.get(s.userId);
    return n === undefined ? null : current.view.users[n].user;
  }

  /**
   * @param {import("node:http").IncomingMessage} req
   * @param {import("node:http").ServerResponse} res
   * @param {string} action
   */
  async function handle(req, res, action) {
    const method = req.method ?? "GET";
    if (action === "codes" && method === "GET") return host.json(res, 200, codes);
    if (method !== "POST") return fail(res, 405, "METHOD_NOT_ALLOWED", "use POST");
    const body = await host.readJson(req);

    if (action === "start") {
      const current = host.view();
      if (!current) return fail(res, 503, "NO_DIRECTORY", "the directory is not synced yet");
      const email = typeof body.email === "string" ? body.email.trim() : "";
      if (email === "" || email.length > 320) return fail(res, 400, "INVALID_REQUEST", "enter your work email");
      let found;
      try {
        found = current.view.directory.lookup(email);
      } catch (e) {
        if (e instanceof OktaDirectoryError && (e.code === "USER_NOT_FOUND" || e.code === "AMBIGUOUS_LOGIN_HINT")) {
          return host.json(res, e.code === "USER_NOT_FOUND" ? 404 : 409, { state: e.code === "USER_NOT_FOUND" ? "not_found" : "ambiguous", error: { code: e.code, message: e.message } });
        }
        throw e;
      }
      const id = randomBytes(18).toString("base64url");
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      sessions.set(id, { id, viewId: current.id, userId: found.user.id, code, codeTries: 0, possession: false, nonce: randomBytes(16).toString("base64url"), decisions: 0, expiresAt: Date.now() + SESSION_TTL_MS });
      // No mail is sent in the demo: the code goes to the console and the dashboard, tagged by session, never by email.
      const tag = id.slice(0, 6);
      process.stderr.write(`portal: one-time code ${code} for session ${tag}\n`);
      codes.unshift({ session: tag, code, at: Date.now() });
      codes.length = Math.min(codes.length, MAX_CODES_SHOWN);
      host.broadcast("portal-code", { session: tag, code });
      return host.json(res, 201, { session: id, sessionTag: tag });
    }

    const s = session(body);
    if (!s) return fail(res, 401, "SESSION_EXPIRED", "start again with your work email");
    const user = userOf(s);
    if (!user) {
      sessions.delete(s.id);
      return fail(res, 409, "DIRECTORY_CHANGED", "the directory changed; start again");
    }

    if (action === "code") {
      const given = Buffer.from(String(body.code ?? "").trim().padEnd(6, " ").slice(0, 6));
      if (timingSafeEqual(given, Buffer.from(s.code))) {
        s.possession = true;
        // Only now, and only this person's own record: the page needs it for the pre-check.
        return host.json(res, 200, { record: user, nonce: s.nonce });
      }
      s.codeTries += 1;
      if (s.codeTries >= MAX_CODE_TRIES) {
        sessions.delete(s.id);
        return fail(res, 429, "TOO_MANY_ATTEMPTS", "too many wrong codes; start again");
      }
      return host.json(res, 401, { error: { code: "CODE_INVALID", message: "that code is not right" }, triesLeft: MAX_CODE_TRIES - s.codeTries });
    }

    if (!s.possession) return fail(res, 403, "POSSESSION_REQUIRED", "enter the one-time code first");

    if (action === "idv") {
      const idv = host.idvUrl();
      if (!idv) return fail(res, 501, "NO_IDV_VENDOR", "the demo identity-verification vendor runs with --demo only");
      const scenario = String(body.scenario ?? "genuine");
      /** @type {Record<string, unknown>} */
      const issue = { userId: s.userId, nonce: s.nonce, audience: PORTAL_AUDIENCE };
      if (scenario === "different-family-name") issue.overrides = { family_name: "Hargreaves-Lindqvist" };
      else if (scenario === "different-address") issue.overrides = { "address.locality": "Springfield", "address.postal_code": "99999" };
      else if (scenario === "expired") issue.expired = true;
      else if (scenario === "forged") issue.signWith = "forged";
      else if (scenario !== "genuine") return fail(res, 400, "INVALID_REQUEST", "unknown scenario");
      const answer = await fetch(`${idv}/control/issue`, { method: "POST", body: JSON.stringify(issue) });
      if (!answer.ok) return fail(res, 502, "IDV_FAILED", "the verification vendor did not answer");
      const { id_token: idToken } = /** @type {{ id_token: string }} */ (await answer.json());
      return host.json(res, 200, { idToken });
    }

    if (action === "decide") {
      if (s.decisions >= MAX_DECISIONS) return fail(res, 429, "TOO_MANY_ATTEMPTS", "too many verification attempts; start again later");
      s.decisions += 1;
      const idv = host.idvUrl();
      if (!idv) return fail(res, 501, "NO_IDV_VENDOR", "no identity-verification vendor is configured");
      let token;
      try {
        token = await verifyIdToken(String(body.idToken ?? ""), {
          issuer: idv,
          audience: PORTAL_AUDIENCE,
          jwksUrl: `${idv}/.well-known/jwks.json`,
          nonce: s.nonce,
          replayGuard: replay,
        });
      } catch (e) {
        if (e instanceof TokenError && e.code !== "JWKS_UNAVAILABLE") return host.json(res, 401, { state: "refused", error: { code: e.code, message: e.message } });
        throw e;
      }
      if (token.claims.sub !== s.userId) return host.json(res, 403, { state: "refused", error: { code: "TOKEN_SUBJECT_MISMATCH", message: "the verification result is about another person" } });
      const matcher = new ClaimsMatcher();
      let decided;
      try {
        decided = decideVerification(token.verified, user, matcher);
      } finally {
        matcher.free();
      }
      if (decided.report) await host.record(s.viewId, s.userId, decided.report);
      return host.json(res, 200, decided.result);
    }
    return fail(res, 404, "NOT_FOUND", "unknown portal endpoint");
  }

  return { handle };
}
