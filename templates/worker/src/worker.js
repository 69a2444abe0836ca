// okta-directory on Cloudflare Workers.
//
// - scheduled: syncs the Okta directory (credentials from secrets) and publishes it to Workers KV as
//   shards, so that a lookup reads one small value; the manifest switches versions atomically.
// - GET  /v1/users/lookup?login_hint=…  → the one user the hint names (404 / 409 otherwise)
// - POST /v1/claims/match  {loginHint, verifiedClaims, policy?, oktaClaims?, record?}
//                                        → the match report for that user, and its enrollment status
// - POST /v1/verifications  {loginHint, idToken, nonce?, oktaClaims?}
//                                        → verifies the vendor's signed id_token (IDV_ISSUER, IDV_AUDIENCE,
//                                          IDV_JWKS_URL), refuses a replayed one (its jti is kept in KV until
//                                          exp), looks the user up, decides under the policy and records the
//                                          outcome; answers {decision, state, claims: outcome + reasons}, never
//                                          a directory value. Attempts per normalized loginHint are limited
//                                          (VERIFY_MAX_ATTEMPTS per VERIFY_WINDOW_SECONDS, 429 beyond).
// Every /v1 request needs `Authorization: Bearer <API_BEARER_SECRET>`. Errors are JSON
// `{"error": {"code", "message"}}`. Logs carry event names, codes and timings only: never a hint, a
// profile value, a claim or a secret.
import {
  ClaimsMatcher,
  Directory,
  KvDirectoryStore,
  OktaDirectoryError,
  TokenError,
  decideVerification,
  enrollmentStatus,
  recordVerification,
  syncDirectoryJson,
  verifyIdToken,
} from "okta-directory";

const MAX_HINT_LENGTH = 1024;
const MAX_BODY_BYTES = 64 * 1024;
const ENROLLMENT_PREFIX = "okta-directory/enrollment/";
const ATTEMPTS_PREFIX = "okta-directory/attempts/";
const JTI_PREFIX = "okta-directory/jti/";
const POLICY_KEY = "okta-directory/policy";
// Workers KV refuses expirations closer than 60 s.
const KV_MIN_TTL = 60;

// One store per isolate, so its manifest cache makes a warm lookup read exactly one KV value. The
// binding can differ between invocations, so the store reads through whichever one is current.
const current = { kv: null };
const store = new KvDirectoryStore({
  get: (key, options) => current.kv.get(key, options),
  put: (key, value) => current.kv.put(key, value),
  delete: (key) => current.kv.delete(key),
  list: (options) => current.kv.list(options),
});

/** Errors the Worker itself raises (the SDK's errors carry their own codes). */
class HttpError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const STATUS_BY_CODE = {
  USER_NOT_FOUND: 404,
  AMBIGUOUS_LOGIN_HINT: 409,
  STORE_EMPTY: 503,
  INVALID_JSON: 400,
  INVALID_PROFILE: 400,
  INPUT_TOO_LARGE: 413,
  CONVERSION_FAILED: 400,
  INVALID_POLICY: 400,
  INVALID_OKTA_CLAIMS: 400,
  JWKS_UNAVAILABLE: 502,
};

function log(fields) {
  console.log(JSON.stringify(fields));
}

function errorResponse(status, code, message, headers = {}) {
  return Response.json({ error: { code, message } }, { status, headers });
}

/** Compares the presented bearer token with the secret in constant time (over SHA-256 digests). */
async function authorized(request, secret) {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(header);
  if (match === null) return false;
  const enc = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(match[1])),
    crypto.subtle.digest("SHA-256", enc.encode(secret)),
  ]);
  if (typeof crypto.subtle.timingSafeEqual === "function") return crypto.subtle.timingSafeEqual(a, b);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

async function readJsonBody(request) {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  const buffer = await request.arrayBuffer();
  if (buffer.byteLength > MAX_BODY_BYTES) throw new HttpError(413, "PAYLOAD_TOO_LARGE", `the body exceeds ${MAX_BODY_BYTES} bytes`);
  let body;
  try {
    body = JSON.parse(new TextDecoder().decode(buffer));
  } catch {
    throw new HttpError(400, "INVALID_REQUEST", "the body is not JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "INVALID_REQUEST", "the body must be a JSON object");
  return body;
}

function checkHint(hint) {
  if (typeof hint !== "string" || hint.trim() === "") throw new HttpError(400, "INVALID_REQUEST", "a non-empty login hint is required");
  if (hint.length > MAX_HINT_LENGTH) throw new HttpError(400, "INVALID_REQUEST", `the login hint exceeds ${MAX_HINT_LENGTH} characters`);
  return hint;
}

async function lookup(url) {
  const hit = await store.lookup(checkHint(url.searchParams.get("login_hint")));
  return Response.json({ userId: hit.user.id ?? null, status: hit.user.status ?? null, key: hit.key, workforce: hit.workforce, user: hit.user });
}

async function match(request, env) {
  const body = await readJsonBody(request);
  const hint = checkHint(body.loginHint);
  if (body.verifiedClaims === null || typeof body.verifiedClaims !== "object") {
    throw new HttpError(400, "INVALID_REQUEST", "verifiedClaims must be an object of verified OIDC claims");
  }
  const hit = await store.lookup(hint);
  const policy = body.policy ?? null;
  const matcher = new ClaimsMatcher({ policy, oktaClaims: body.oktaClaims ?? null });
  let report;
  try {
    report = matcher.matchUser(body.verifiedClaims, hit.user);
  } finally {
    matcher.free();
  }
  // Enrollment history: one KV value per user, apart from the directory, so re-syncs keep it.
  const userId = hit.user.id;
  let history = null;
  if (userId) {
    const key = ENROLLMENT_PREFIX + encodeURIComponent(userId);
    const stored = await env.DIRECTORY.get(key, { type: "text" });
    history = stored === null ? null : JSON.parse(stored);
    if (body.record !== false) {
      history = recordVerification(history, userId, report, {
        atMs: Date.now(),
        ...(typeof body.policyId === "string" ? { policyId: body.policyId } : {}),
      });
      await env.DIRECTORY.put(key, JSON.stringify(history));
    }
  }
  const enrollment = enrollmentStatus(hit.user, history, policy);
  return Response.json({ userId: userId ?? null, decision: report.decision, report, enrollment });
}

/** SHA-256 hex of a string: KV keys never hold a login hint or a token id in clear. */
async function digest(text) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The rate-limit key of a hint: NFKC, trimmed, lower-case, so case or width variants share one budget. */
function normalizeHint(hint) {
  return hint.normalize("NFKC").trim().toLowerCase();
}

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * Counts one attempt for the hint in a fixed window; throws 429 beyond the limit. Workers KV is
 * eventually consistent and has no atomic increment, so concurrent attempts from several locations
 * can slip a few extra through; a Durable Object gives a strict counter where that matters.
 */
async function takeAttempt(env, hint) {
  const limit = positiveInt(env.VERIFY_MAX_ATTEMPTS, 5);
  const windowSec = Math.max(KV_MIN_TTL, positiveInt(env.VERIFY_WINDOW_SECONDS, 900));
  const key = ATTEMPTS_PREFIX + (await digest(normalizeHint(hint)));
  const nowSec = Math.floor(Date.now() / 1000);
  const stored = await env.DIRECTORY.get(key, { type: "json" });
  const fresh = stored === null || typeof stored.start !== "number" || nowSec >= stored.start + windowSec;
  const entry = fresh ? { start: nowSec, count: 0 } : stored;
  if (entry.count >= limit) {
    const retry = Math.max(1, entry.start + windowSec - nowSec);
    throw Object.assign(new HttpError(429, "TOO_MANY_ATTEMPTS", "too many verification attempts for this login; try again later"), { retryAfter: retry });
  }
  entry.count += 1;
  await env.DIRECTORY.put(key, JSON.stringify(entry), { expiration: Math.max(entry.start + windowSec, nowSec + KV_MIN_TTL) });
}

/** Single use of a verification result: the token's jti (hashed with the issuer) is kept until exp. */
function kvReplayGuard(env, issuer) {
  return {
    async use(jti, expSec) {
      const key = JTI_PREFIX + (await digest(`${issuer}\n${jti}`));
      if ((await env.DIRECTORY.get(key, { type: "text" })) !== null) return false;
      const nowSec = Math.floor(Date.now() / 1000);
      await env.DIRECTORY.put(key, "1", { expiration: Math.max(Math.ceil(expSec) + 120, nowSec + KV_MIN_TTL) });
      return true;
    },
  };
}

/** The policy: MATCH_POLICY (JSON text in env), else the KV value POLICY_KEY, else the default. */
async function configuredPolicy(env) {
  const text = typeof env.MATCH_POLICY === "string" && env.MATCH_POLICY.trim() !== "" ? env.MATCH_POLICY : await env.DIRECTORY.get(POLICY_KEY, { type: "text" });
  return text === null || text === undefined ? null : text;
}

async function verification(request, env) {
  for (const name of ["IDV_ISSUER", "IDV_AUDIENCE", "IDV_JWKS_URL"]) {
    if (typeof env[name] !== "string" || env[name] === "") throw new HttpError(500, "SERVER_MISCONFIGURED", `${name} is not set`);
  }
  const body = await readJsonBody(request);
  const hint = checkHint(body.loginHint);
  if (typeof body.idToken !== "string" || body.idToken === "") throw new HttpError(400, "INVALID_REQUEST", "idToken must be the vendor's id_token");
  if (body.nonce !== undefined && typeof body.nonce !== "string") throw new HttpError(400, "INVALID_REQUEST", "nonce must be a string");
  // Every attempt counts, refused tokens included, and before any lookup: the endpoint cannot be used
  // to probe a user's attributes beyond the limit.
  await takeAttempt(env, hint);
  const audience = env.IDV_AUDIENCE.split(",").map((a) => a.trim()).filter(Boolean);
  const token = await verifyIdToken(body.idToken, {
    issuer: env.IDV_ISSUER,
    audience,
    jwksUrl: env.IDV_JWKS_URL,
    ...(body.nonce === undefined ? {} : { nonce: body.nonce }),
    replayGuard: kvReplayGuard(env, env.IDV_ISSUER),
  });
  const hit = await store.lookup(hint);
  const userId = hit.user.id;
  // The vendor verified someone: by default that someone must be the looked-up user (the PAR's
  // login_hint is the Okta user id, and the vendor's sub echoes it). IDV_SUBJECT_BINDING=none turns it off.
  if (env.IDV_SUBJECT_BINDING !== "none" && token.claims.sub !== userId) {
    throw new HttpError(403, "TOKEN_SUBJECT_MISMATCH", "the verification result is about another person than this login");
  }
  const policyText = await configuredPolicy(env);
  const policy = policyText === null ? null : JSON.parse(policyText);
  const matcher = new ClaimsMatcher({ policy, oktaClaims: body.oktaClaims ?? null });
  let decided;
  try {
    decided = decideVerification(token.verified, hit.user, matcher);
  } finally {
    matcher.free();
  }
  let enrollment = null;
  if (userId) {
    const key = ENROLLMENT_PREFIX + encodeURIComponent(userId);
    const stored = await env.DIRECTORY.get(key, { type: "text" });
    let history = stored === null ? null : JSON.parse(stored);
    if (decided.report !== null) {
      history = recordVerification(history, userId, decided.report, { atMs: Date.now(), ...(policy?.id ? { policyId: String(policy.id) } : {}) });
      await env.DIRECTORY.put(key, JSON.stringify(history));
    }
    enrollment = enrollmentStatus(hit.user, history, policy).status;
  }
  log({ event: "verification", decision: decided.result.decision, state: decided.result.state });
  return Response.json({ ...decided.result, enrollment });
}

async function route(request, env, url) {
  if (url.pathname === "/v1/users/lookup") {
    if (request.method !== "GET") throw new HttpError(405, "METHOD_NOT_ALLOWED", "use GET");
    return lookup(url);
  }
  if (url.pathname === "/v1/claims/match") {
    if (request.method !== "POST") throw new HttpError(405, "METHOD_NOT_ALLOWED", "use POST");
    return match(request, env);
  }
  if (url.pathname === "/v1/verifications") {
    if (request.method !== "POST") throw new HttpError(405, "METHOD_NOT_ALLOWED", "use POST");
    return verification(request, env);
  }
  throw new HttpError(404, "NOT_FOUND", "no such endpoint");
}

async function handle(request, env) {
  const url = new URL(request.url);
  if (typeof env.API_BEARER_SECRET !== "string" || env.API_BEARER_SECRET.length < 16) {
    // Refuse everything rather than serve without (or with a guessable) secret.
    return errorResponse(500, "SERVER_MISCONFIGURED", "API_BEARER_SECRET is not set (or shorter than 16 characters)");
  }
  if (!(await authorized(request, env.API_BEARER_SECRET))) {
    return errorResponse(401, "UNAUTHORIZED", "a valid bearer token is required", { "www-authenticate": 'Bearer realm="okta-directory"' });
  }
  current.kv = env.DIRECTORY;
  try {
    return await route(request, env, url);
  } catch (error) {
    if (error instanceof HttpError) {
      return errorResponse(error.status, error.code, error.message, error.retryAfter ? { "retry-after": String(error.retryAfter) } : {});
    }
    if (error instanceof TokenError && error.code !== "JWKS_UNAVAILABLE") {
      // A refused verification result: 401 with the stable code (the message names the check only).
      return errorResponse(401, error.code, error.message);
    }
    if (error instanceof OktaDirectoryError) {
      // SDK messages never contain hints, profile values or secrets.
      return errorResponse(STATUS_BY_CODE[error.code] ?? 500, error.code, error.message);
    }
    log({ event: "error", name: error?.name ?? "unknown" });
    return errorResponse(500, "INTERNAL", "internal error");
  }
}

/** Syncs from Okta and publishes the directory to KV. */
export async function syncAndPublish(env) {
  const started = Date.now();
  const credentials = env.OKTA_API_TOKEN
    ? { apiToken: env.OKTA_API_TOKEN }
    : {
        clientId: env.OKTA_CLIENT_ID,
        privateKey: env.OKTA_PRIVATE_KEY?.trim().startsWith("{") ? JSON.parse(env.OKTA_PRIVATE_KEY) : env.OKTA_PRIVATE_KEY,
        ...(env.OKTA_KEY_ID ? { keyId: env.OKTA_KEY_ID } : {}),
      };
  const json = await syncDirectoryJson({
    orgUrl: env.OKTA_ORG_URL,
    ...credentials,
    // Only for a local emulator in tests: the core accepts http:// for loopback hosts only.
    allowInsecureLoopback: env.OKTA_ALLOW_INSECURE_LOOPBACK === "true",
  });
  const keys = (env.LOOKUP_KEYS ?? "login,email").split(",").map((k) => k.trim()).filter(Boolean);
  const directory = Directory.fromSyncResult(json, {
    keys,
    ...(env.WORKFORCE_GROUP ? { workforceGroup: env.WORKFORCE_GROUP } : {}),
    origin: new URL(env.OKTA_ORG_URL).origin,
    syncedAtMs: Date.now(),
  });
  try {
    current.kv = env.DIRECTORY;
    const published = await store.publish(directory);
    log({ event: "published", users: published.users, shards: published.shards, largestShardBytes: published.largestShardBytes, ms: Date.now() - started });
    return published;
  } finally {
    directory.free();
  }
}

export default {
  async fetch(request, env) {
    const started = Date.now();
    const response = await handle(request, env);
    log({ event: "request", path: new URL(request.url).pathname, status: response.status, ms: Date.now() - started });
    return response;
  },

  async scheduled(controller, env) {
    try {
      await syncAndPublish(env);
    } catch (error) {
      log({ event: "sync_failed", code: error?.code ?? "INTERNAL" });
      throw error;
    }
  },
};
