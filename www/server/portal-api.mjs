// The self-serve portal's backend (/portal-api/…), mounted by the server (routes.mjs). Separate from the admin API: its
// own prefix, no admin session, no event stream, and nothing it answers reads or reveals a one-time code.
//
// Flow: start {email} → (the same answer whether or not the email is an employee's) a code goes to the
// directory's email for that person → code {session, code} → a nonce only (no directory value yet) → idv
// (the demo vendor issues an id_token for that person) → precheck {session, idToken}: once the signed
// result for THIS person verifies, the fields of their record that the result's claims are compared with
// (see docs/portal-trust.md) → decide {session, idToken}: the decision, with per-claim outcomes only.
import { randomBytes } from "node:crypto";
import {
  AttemptLimitError,
  HistoryRecorder,
  MemoryAttemptLimiter,
  MemoryReplayGuard,
  OktaDirectoryError,
  StaticPolicyRegistry,
  TokenError,
  VerificationService,
  verifyIdToken,
} from "../../js/dist/node.js";

export const PORTAL_AUDIENCE = "okta-directory-portal";
const MAX_DECISIONS = 5;
/** Maximum age of a verification result (seconds since `iat`). */
const MAX_TOKEN_AGE_SEC = 15 * 60;

/**
 * Okta statuses for which a self-serve recovery may complete. Everything else is refused before the
 * claims are compared (see docs/portal-trust.md for why, status by status).
 */
export const RECOVERABLE_STATUSES = Object.freeze(["ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT"]);
/** Statuses told "deactivated" (the shared decision refuses them too). */
const DEACTIVATED = new Set(["SUSPENDED", "DEPROVISIONED"]);

/**
 * @typedef {{ directory: any, users: any[], byId: Map<string, number> }} PortalView
 * @typedef {{ view: () => { id: string, view: PortalView } | null, idvUrl: () => string | null,
 *   histories: (viewId: string) => import("../../js/dist/node.js").HistoryStore,
 *   policies?: import("../../js/dist/node.js").PolicyRegistry,
 *   possession: ReturnType<typeof import("./possession.mjs").createPossession>,
 *   helpdesk?: { open(token: unknown): { requestId: string, userId: string, viewId: string } | null, verifying(id: string): unknown,
 *     decided(id: string, out: any): unknown, refused(id: string, code: string): unknown },
 *   json: (res: import("node:http").ServerResponse, status: number, body: unknown) => void,
 *   readJson: (req: import("node:http").IncomingMessage) => Promise<any> }} PortalHost
 */

/** The same answer for every well-formed `start`, whoever the email belongs to. */
const STARTED = "If this is an employee's work email, a six-digit code is on its way to it.";

/**
 * Only what the pre-check compares: the record's fields for the claims the signed result carries, and the
 * status (no login, employee number, phones or custom attributes unless a claim needs them).
 * @param {any} user @param {Record<string, unknown>} claims
 */
export function precheckRecord(user, claims) {
  const has = (/** @type {string} */ k) => claims[k] !== undefined && claims[k] !== null;
  /** @type {Record<string, unknown>} */
  const name = {};
  if (has("given_name") && user.name?.given !== undefined) name.given = user.name.given;
  if (has("family_name") && user.name?.family !== undefined) name.family = user.name.family;
  if (has("middle_name") && user.name?.middle !== undefined) name.middle = user.name.middle;
  return {
    id: user.id,
    status: user.status,
    name,
    ...(has("birthdate") && user.birthdate !== undefined ? { birthdate: user.birthdate } : {}),
    address: has("address") ? (user.address ?? {}) : {},
    phones: has("phone_number") ? (user.phones ?? {}) : {},
    ...(has("email") && user.email !== undefined ? { email: user.email } : {}),
    custom: {},
  };
}

/** @param {PortalHost} host */
export function createPortal(host) {
  // Shared by every decision: single use of results, and attempts per resolved Okta user id across sessions.
  const replay = new MemoryReplayGuard();
  const limiter = new MemoryAttemptLimiter({ limit: 10, windowSec: 3600 });
  // The operator's policy (configuration, never the caller's): the saved one, else the documented default.
  const policies = host.policies ?? new StaticPolicyRegistry();
  /** @type {Map<string, InstanceType<typeof HistoryRecorder>>} */
  const recorders = new Map();

  const fail = (
    /** @type {import("node:http").ServerResponse} */ res,
    /** @type {number} */ status,
    /** @type {string} */ code,
    /** @type {string} */ message,
  ) => host.json(res, status, { error: { code, message } });

  /** The user a session is about, from the current view (null when the directory changed under it). */
  function userOf(/** @type {import("./possession.mjs").PortalSession} */ s) {
    const current = host.view();
    if (!current || current.id !== s.viewId || s.userId === null) return null;
    const n = current.view.byId.get(s.userId);
    return n === undefined ? null : current.view.users[n].user;
  }

  /** Verifies a signed result for this session's person (nonce, audience, age); `consume` spends its jti. */
  async function verifyFor(
    /** @type {import("./possession.mjs").PortalSession} */ s,
    /** @type {unknown} */ idToken,
    /** @type {boolean} */ consume,
  ) {
    const idv = host.idvUrl();
    if (!idv)
      return { error: /** @type {[number, string, string]} */ ([501, "NO_IDV_VENDOR", "no identity-verification vendor is configured"]) };
    try {
      const token = await verifyIdToken(String(idToken ?? ""), {
        issuer: idv,
        audience: PORTAL_AUDIENCE,
        jwksUrl: `${idv}/.well-known/jwks.json`,
        nonce: s.nonce,
        maxAgeSec: MAX_TOKEN_AGE_SEC,
        ...(consume ? { replayGuard: replay } : {}),
      });
      if (token.claims.sub !== s.userId)
        return {
          error: /** @type {[number, string, string]} */ ([
            403,
            "TOKEN_SUBJECT_MISMATCH",
            "the verification result is about another person",
          ]),
        };
      return { token };
    } catch (e) {
      if (e instanceof TokenError && e.code !== "JWKS_UNAVAILABLE")
        return { error: /** @type {[number, string, string]} */ ([401, e.code, e.message]) };
      throw e;
    }
  }

  /**
   * @param {import("node:http").IncomingMessage} req
   * @param {import("node:http").ServerResponse} res
   * @param {string} action
   * @param {string} address the client's address (its attempt budget)
   */
  async function handle(req, res, action, address) {
    const method = req.method ?? "GET";
    if (method !== "POST") return fail(res, 405, "METHOD_NOT_ALLOWED", "use POST");
    const body = await host.readJson(req);

    if (action === "start") {
      const current = host.view();
      if (!current) return fail(res, 503, "NO_DIRECTORY", "the directory is not synced yet");
      const email = typeof body.email === "string" ? body.email.trim() : "";
      if (email === "" || email.length > 320) return fail(res, 400, "INVALID_REQUEST", "enter your work email");
      const id = host.possession.start({ hintKey: email.normalize("NFKC").toLowerCase(), address, viewId: current.id });
      if (id === null) return fail(res, 429, "TOO_MANY_ATTEMPTS", "too many requests from this address; wait a few minutes");
      // The answer goes out before the lookup: its content and timing cannot tell whether the email is an
      // employee's (a miss costs the lookup more than a hit). Unknown, ambiguous or mail-less: no code is sent.
      host.json(res, 202, { session: id, message: STARTED });
      // The lookup runs after the answer, and is paired with one of the other kind (a hit with a miss, a miss
      // with a hit) so that the server's next answers are not delayed more by one than by the other.
      setImmediate(() => {
        const lookup = (/** @type {string} */ hint) => {
          try {
            return current.view.directory.lookup(hint);
          } catch (e) {
            if (!(e instanceof OktaDirectoryError)) process.stderr.write("portal: lookup failed unexpectedly\n");
            return null;
          }
        };
        const found = lookup(email);
        if (found) lookup(`${randomBytes(9).toString("hex")}@unknown.invalid`);
        else if (current.view.users.length > 0) lookup(String(current.view.users[0].user.login ?? current.view.users[0].user.id));
        if (found && typeof found.user.email === "string" && found.user.email !== "")
          host.possession.attach(id, { id: found.user.id, email: found.user.email });
      });
      return;
    }

    if (action === "link") {
      // A helpdesk verification link: a single-use 256-bit token mailed (or texted) to the directory's own
      // address proves possession as the code does; the session is for the person the agent picked.
      const current = host.view();
      const link = host.helpdesk?.open(body.token) ?? null;
      if (!link || !current || current.id !== link.viewId)
        return fail(res, 401, "LINK_INVALID", "this link is not valid any more; ask the help desk for a new one");
      const id = host.possession.start({ hintKey: `helpdesk:${link.requestId}`, address, viewId: current.id });
      const started = id === null ? undefined : host.possession.get(id);
      if (!started) return fail(res, 429, "TOO_MANY_ATTEMPTS", "too many requests from this address; wait a few minutes");
      Object.assign(started, { userId: link.userId, budgetKey: `user:${link.userId}`, possession: true, helpdeskRequest: link.requestId });
      return host.json(res, 200, { session: id, nonce: started.nonce });
    }

    const s = host.possession.get(body?.session);
    if (!s) return fail(res, 401, "SESSION_EXPIRED", "start again with your work email");
    /** The helpdesk request this session answers, if it came from a helpdesk link. */
    const helpdeskRequest = /** @type {{ helpdeskRequest?: string }} */ (s).helpdeskRequest;

    if (action === "code") {
      const checked = host.possession.check(s, body.code, address);
      if (!checked.ok) {
        const { status, code, message, ok: _ok, ...extra } = checked;
        return host.json(res, status, { error: { code, message }, ...extra });
      }
      if (!userOf(s)) {
        host.possession.end(s.id);
        return fail(res, 409, "DIRECTORY_CHANGED", "the directory changed; start again");
      }
      // No directory value yet: only the nonce the verification result must carry.
      return host.json(res, 200, { nonce: s.nonce });
    }

    if (!s.possession) return fail(res, 403, "POSSESSION_REQUIRED", "enter the one-time code first");
    const user = userOf(s);
    if (!user) {
      host.possession.end(s.id);
      return fail(res, 409, "DIRECTORY_CHANGED", "the directory changed; start again");
    }

    if (action === "idv") {
      const idv = host.idvUrl();
      if (!idv) return fail(res, 501, "NO_IDV_VENDOR", "the demo identity-verification vendor runs with --demo only");
      const scenario = String(body.scenario ?? "genuine");
      /** @type {Record<string, unknown>} */
      const issue = { userId: s.userId, nonce: s.nonce, audience: PORTAL_AUDIENCE };
      if (scenario === "different-family-name") issue.overrides = { family_name: "Hargreaves-Lindqvist" };
      else if (scenario === "different-birthdate") {
        // Another person's date: eight years after the record's (a leap day stays a date; a mismatch on a required claim).
        const born = /^(\d{4})(-\d{2}-\d{2})$/.exec(String(userOf(s)?.birthdate ?? ""));
        issue.overrides = { birthdate: born ? `${Number(born[1]) + 8}${born[2]}` : "1961-07-14" };
      } else if (scenario === "different-address") issue.overrides = { "address.locality": "Springfield", "address.postal_code": "99999" };
      else if (scenario === "extra-given-name") {
        // A first given name the record does not have (the person may go by their second): review.
        const given = userOf(s)?.name?.given;
        if (typeof given !== "string") return fail(res, 409, "DIRECTORY_CHANGED", "the directory changed; start again");
        issue.overrides = { given_name: `Zenobia ${given}` };
      } else if (scenario === "expired") issue.expired = true;
      else if (scenario === "forged") issue.signWith = "forged";
      else if (scenario !== "genuine") return fail(res, 400, "INVALID_REQUEST", "unknown scenario");
      if (helpdeskRequest) void host.helpdesk?.verifying(helpdeskRequest);
      const answer = await fetch(`${idv}/control/issue`, { method: "POST", body: JSON.stringify(issue) });
      if (!answer.ok) return fail(res, 502, "IDV_FAILED", "the verification vendor did not answer");
      const { id_token: idToken } = /** @type {{ id_token: string }} */ (await answer.json());
      return host.json(res, 200, { idToken });
    }

    if (action === "precheck") {
      const checked = await verifyFor(s, body.idToken, false);
      if (checked.error && helpdeskRequest) await host.helpdesk?.refused(helpdeskRequest, checked.error[1]);
      if (checked.error)
        return host.json(res, checked.error[0], { state: "refused", error: { code: checked.error[1], message: checked.error[2] } });
      // The operator's policy goes along (settings only, no person's value): the preview decides as the server will.
      const policy = (await policies.get(policies.defaultId))?.policy ?? null;
      return host.json(res, 200, {
        record: precheckRecord(user, /** @type {Record<string, unknown>} */ (checked.token.verified.claims ?? {})),
        policy,
      });
    }

    if (action === "decide") {
      if (s.decisions >= MAX_DECISIONS) return fail(res, 429, "TOO_MANY_ATTEMPTS", "too many verification attempts; start again later");
      s.decisions += 1;
      const idv = host.idvUrl();
      const current = host.view();
      if (!idv || !current || s.viewId === null) return fail(res, 501, "NO_IDV_VENDOR", "no identity-verification vendor is configured");
      if (!RECOVERABLE_STATUSES.includes(user.status) && !DEACTIVATED.has(user.status)) {
        // Not activated yet, or a recovery already under way: an administrator handles these. The result is
        // still checked (and spent) first, so this answer needs a signed result for this person.
        const checked = await verifyFor(s, body.idToken, true);
        if (checked.error)
          return host.json(res, checked.error[0], { state: "refused", error: { code: checked.error[1], message: checked.error[2] } });
        if (helpdeskRequest) await host.helpdesk?.decided(helpdeskRequest, { decision: "no_match", state: "not_eligible", claims: {} });
        return host.json(res, 200, { decision: "no_match", state: "not_eligible", claims: {}, missingAttributes: [] });
      }
      let recorder = recorders.get(s.viewId);
      if (!recorder) {
        recorder = new HistoryRecorder(host.histories(s.viewId));
        recorders.set(s.viewId, recorder);
      }
      // The one verification service: lookup (by the record's own login), attempt limit per Okta user id,
      // the signed result (issuer, audience, keys, nonce, age, single use, subject), decision, record.
      const service = new VerificationService({
        directory: current.view.directory,
        policies,
        recorder,
        replay,
        limiter,
        vendor: { issuer: idv, audience: PORTAL_AUDIENCE, jwksUrl: `${idv}/.well-known/jwks.json` },
        maxTokenAgeSec: MAX_TOKEN_AGE_SEC,
        requireNonce: true,
      });
      try {
        const out = await service.verify({ loginHint: String(user.login ?? user.id), idToken: String(body.idToken ?? ""), nonce: s.nonce });
        if (helpdeskRequest) await host.helpdesk?.decided(helpdeskRequest, out);
        return host.json(res, 200, {
          decision: out.decision,
          state: out.state,
          claims: out.claims,
          missingAttributes: out.missingAttributes,
        });
      } catch (e) {
        if (e instanceof AttemptLimitError)
          return host.json(res, 429, { error: { code: e.code, message: e.message }, retryAfterSec: e.retryAfterSec });
        if (e instanceof TokenError && e.code !== "JWKS_UNAVAILABLE") {
          if (helpdeskRequest) await host.helpdesk?.refused(helpdeskRequest, e.code);
          return host.json(res, e.code === "TOKEN_SUBJECT_MISMATCH" ? 403 : 401, {
            state: "refused",
            error: { code: e.code, message: e.message },
          });
        }
        throw e;
      }
    }
    return fail(res, 404, "NOT_FOUND", "unknown portal endpoint");
  }

  return { handle };
}
