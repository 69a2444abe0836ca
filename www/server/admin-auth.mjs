// Admin sign-in for the dashboard: server-side sessions behind an HttpOnly cookie, a one-time bootstrap
// token for a fresh install, and the request checks every admin route runs (session, then Origin on writes).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** The session cookie's name. */
export const SESSION_COOKIE = "od_admin";

/** Constant-time equality of two strings (compared as SHA-256 digests, so lengths do not leak). */
export function sameSecret(/** @type {string} */ a, /** @type {string} */ b) {
  const h = (/** @type {string} */ s) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(h(a), h(b));
}

/** Parses a Cookie header into a map (first value of a name wins; malformed pairs are skipped). */
export function parseCookies(/** @type {string | undefined} */ header) {
  /** @type {Map<string, string>} */
  const out = new Map();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/**
 * A Set-Cookie value. HttpOnly always; SameSite Strict unless `lax` (only the OIDC transaction cookie,
 * which must come back on the identity provider's cross-site redirect to the callback).
 * @param {string} name @param {string} value
 * @param {{ maxAgeSec: number, path?: string, lax?: boolean, secure?: boolean }} o
 */
export function cookie(name, value, o) {
  return `${name}=${value}; Path=${o.path ?? "/"}; Max-Age=${Math.max(0, Math.floor(o.maxAgeSec))}; HttpOnly; SameSite=${o.lax ? "Lax" : "Strict"}${o.secure ? "; Secure" : ""}`;
}

/**
 * @typedef {{ id: string, subject: string, method: "bootstrap" | "okta", name?: string, createdAt: number, expiresAt: number }} AdminSession
 */

/**
 * Server-side admin sessions: random 256-bit ids, an absolute lifetime, and a bounded count (expired ones
 * first, then the oldest are evicted when full).
 * @param {{ ttlMs?: number, max?: number, now?: () => number }} [options]
 */
export function createSessionStore(options = {}) {
  const ttlMs = options.ttlMs ?? 8 * 3600_000;
  const max = options.max ?? 1000;
  const now = options.now ?? Date.now;
  /** @type {Map<string, AdminSession>} */
  const sessions = new Map();

  function sweep() {
    const t = now();
    for (const [id, s] of sessions) if (s.expiresAt <= t) sessions.delete(id);
  }

  return {
    ttlMs,
    /** Opens a session for a signed-in admin. @param {string} subject @param {"bootstrap" | "okta"} method @param {string} [name] */
    create(subject, method, name) {
      sweep();
      while (sessions.size >= max) sessions.delete(/** @type {string} */ (sessions.keys().next().value));
      const id = randomBytes(32).toString("base64url");
      const t = now();
      /** @type {AdminSession} */
      const s = { id, subject, method, ...(name ? { name } : {}), createdAt: t, expiresAt: t + ttlMs };
      sessions.set(id, s);
      return s;
    },
    /** The live session with this id, or undefined. @param {string | undefined} id */
    get(id) {
      if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
      const s = sessions.get(id);
      if (!s) return undefined;
      if (s.expiresAt <= now()) {
        sessions.delete(id);
        return undefined;
      }
      return s;
    },
    /** Ends a session. @param {string | undefined} id */
    delete(id) {
      if (id) sessions.delete(id);
    },
    get size() {
      return sessions.size;
    },
  };
}

/**
 * The one-time bootstrap token of a fresh start (printed on the console, as local admin tools do). It is
 * exchanged at most once for a session; a new one exists only after a restart.
 */
export function createBootstrap() {
  let token = /** @type {string | null} */ (randomBytes(24).toString("base64url"));
  return {
    /** The token while unused (for the console line), else null. */
    get token() {
      return token;
    },
    /** True once for the right token; every later call (or a wrong token) is false. @param {unknown} given */
    consume(given) {
      if (token === null || typeof given !== "string" || given.length > 200) return false;
      if (!sameSecret(given, token)) return false;
      token = null;
      return true;
    },
  };
}

/** True when the request's Origin is this server's own origin (state-changing admin routes require it). */
export function sameOrigin(/** @type {import("node:http").IncomingMessage} */ req) {
  const origin = req.headers.origin;
  return typeof origin === "string" && origin === `http://${req.headers.host}`;
}
