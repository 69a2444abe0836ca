// okta-directory on Cloudflare Workers.
//
// - scheduled: asks the SyncJob Durable Object (src/sync-job.js) to sync: incremental by default, a full
//   reconcile every FULL_RECONCILE_HOURS, each run a durable job of resumable steps journaled in R2, and
//   published to Workers KV as shards (only the changed ones), so that a lookup reads one small value; the
//   manifest switches versions atomically.
// - GET  /v1/health                     → the sync job's state and the published version (counts and times only)
// - POST /v1/sync  {full?}               → starts a sync run now (a full reconcile with `full: true`)
// - GET/POST /hooks/okta                 → Okta Event Hooks (src/hooks.js; the hook's own secret, not the bearer):
//                                          a delivery's changes are queued and the sync job's fast step requested
// - GET  /v1/users/lookup?login_hint=…  → the one user the hint names (404 / 409 otherwise)
// - POST /v1/verifications  {loginHint, idToken, nonce?}
//                                        → the SDK's VerificationService: looks the user up, takes one attempt
//                                          for the resolved Okta user id (VERIFY_MAX_ATTEMPTS per
//                                          VERIFY_WINDOW_SECONDS, counted atomically in a Durable Object; 429
//                                          beyond), verifies the vendor's signed id_token (IDV_ISSUER,
//                                          IDV_AUDIENCE, IDV_JWKS_URL, a maximum age, single use of its jti in a
//                                          Durable Object, sub = the Okta user id), decides under the operator's
//                                          policy and records the outcome. The ONLY route that records.
// - POST /v1/claims/match  {loginHint, verifiedClaims}
//                                        → evaluates caller-supplied (unsigned) claims under the operator's policy;
//                                          records nothing (`recorded: false`) and counts an attempt.
// Neither route takes a policy, a policy id or an Okta claims request from the caller: the policy is the
// operator's (MATCH_POLICY, else the KV value okta-directory/policy, else the default), and an Okta claims
// request the operator configures (OKTA_CLAIMS_REQUEST) only tightens it — its values are never compared.
// Answers carry outcomes and reason codes, never a directory value. Every /v1 request needs
// `Authorization: Bearer <API_BEARER_SECRET>`. Errors are JSON `{"error": {"code", "message"}}`. Logs
// carry event names, codes and timings only: never a hint, a profile value, a claim or a secret.
import { DurableObject } from "cloudflare:workers";
import {
  AttemptLimitError,
  HistoryRecorder,
  KvDirectoryStore,
  OktaDirectoryError,
  StaticPolicyRegistry,
  TokenError,
  VerificationService,
  httpStatusOf,
} from "okta-directory";
import { helpdeskRoutes } from "./helpdesk.js";

import { handleEventHook } from "./hooks.js";

export { SyncJob } from "./sync-job.js";

const MAX_HINT_LENGTH = 1024;
const MAX_BODY_BYTES = 64 * 1024;
const ENROLLMENT_PREFIX = "okta-directory/enrollment/";
const POLICY_KEY = "okta-directory/policy";

// One store per isolate, so its manifest cache makes a warm lookup read exactly one KV value. The
// binding can differ between invocations, so the store reads through whichever one is current.
/** @type {{ kv: any }} */
const current = { kv: null };
const store = new KvDirectoryStore({
  get: (key, options) => current.kv.get(key, options),
  put: (key, value) => current.kv.put(key, value),
  delete: (key) => current.kv.delete(key),
  list: (options) => current.kv.list(options),
});

/** Errors the Worker itself raises (the SDK's errors carry their own codes). */
class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
    /** @type {number | undefined} Seconds, for a Retry-After header. */
    this.retryAfter = undefined;
  }
}

/** @param {Record<string, unknown>} fields */
function log(fields) {
  console.log(JSON.stringify(fields));
}

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {Record<string, string>} [headers]
 */
function errorResponse(status, code, message, headers = {}) {
  return Response.json({ error: { code, message } }, { status, headers });
}

/**
 * Compares the presented bearer token with the secret in constant time (over SHA-256 digests).
 * @param {Request} request
 * @param {string} secret
 */
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

/**
 * The request's body as a JSON object (415, 413 or 400 otherwise).
 * @param {Request} request
 * @returns {Promise<Record<string, any>>}
 */
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
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new HttpError(400, "INVALID_REQUEST", "the body must be a JSON object");
  return body;
}

/**
 * @param {unknown} hint
 * @returns {string}
 */
function checkHint(hint) {
  if (typeof hint !== "string" || hint.trim() === "") throw new HttpError(400, "INVALID_REQUEST", "a non-empty login hint is required");
  if (hint.length > MAX_HINT_LENGTH) throw new HttpError(400, "INVALID_REQUEST", `the login hint exceeds ${MAX_HINT_LENGTH} characters`);
  return hint;
}

/**
 * Members a caller may not send: the policy and any directory-side values are the operator's.
 * @param {Record<string, unknown>} body
 */
function refuseCallerPolicy(body) {
  for (const name of ["policy", "policyId", "oktaClaims", "okta_claims"]) {
    if (body[name] !== undefined) {
      throw new HttpError(400, "INVALID_REQUEST", `\`${name}\` is not accepted: the policy comes from the operator's configuration`);
    }
  }
}

/**
 * `{userId, status, key, workforce, user}`: the JSON text written inside WebAssembly from the shard's record, sent as is.
 * @param {URL} url
 */
async function lookup(url) {
  const text = await store.lookupAnswerJson(checkHint(url.searchParams.get("login_hint")));
  return new Response(text, { headers: { "content-type": "application/json" } });
}

/**
 * SHA-256 hex of a string: Durable Object names and KV keys never hold a token id in clear.
 * @param {string} text
 */
async function digest(text) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * @param {unknown} value
 * @param {number} fallback
 */
function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * One Durable Object per Okta user id (attempt counting) and one per token id (single use). Each
 * method decides synchronously on state loaded before any request is delivered, so concurrent calls
 * to one object cannot interleave between the check and the count; the write is held by the output
 * gate until it is durable.
 * @extends {DurableObject<Env>}
 */
export class VerificationGuard extends DurableObject {
  /**
   * @param {DurableObjectState} ctx
   * @param {Env} env
   */
  constructor(ctx, env) {
    super(ctx, env);
    /** @type {{ kind: "attempts", startMs: number, count: number } | { kind: "jti", untilMs: number } | null} */
    this.state = null;
    ctx.blockConcurrencyWhile(async () => {
      this.state = (await ctx.storage.get("state")) ?? null;
    });
  }

  /**
   * Counts one attempt in a fixed window; `{allowed, remaining, retryAfterSec}`.
   * @param {number} limit
   * @param {number} windowSec
   */
  take(limit, windowSec) {
    const now = Date.now();
    const windowMs = windowSec * 1000;
    /** @type {typeof this.state} */
    let s = this.state;
    if (s === null || s.kind !== "attempts" || now >= s.startMs + windowMs) s = { kind: "attempts", startMs: now, count: 0 };
    s.count += 1;
    this.state = s;
    this.ctx.storage.put("state", s);
    this.ctx.storage.setAlarm(s.startMs + windowMs);
    if (s.count > limit)
      return { allowed: false, remaining: 0, retryAfterSec: Math.max(1, Math.ceil((s.startMs + windowMs - now) / 1000)) };
    return { allowed: true, remaining: limit - s.count, retryAfterSec: 0 };
  }

  /**
   * Marks this token id used until `untilMs`; false when it already was.
   * @param {number} untilMs
   */
  claimOnce(untilMs) {
    if (this.state !== null && this.state.kind === "jti") return false;
    this.state = { kind: "jti", untilMs };
    this.ctx.storage.put("state", this.state);
    this.ctx.storage.setAlarm(Math.max(untilMs, Date.now() + 1000));
    return true;
  }

  /**
   * Appends one decided verification to the user's history in KV. One object per user and one
   * append at a time, so two verifications of one user never overwrite each other's entry.
   * @param {any} entry  The VerificationService's decided entry.
   */
  record(entry) {
    return this.ctx.blockConcurrencyWhile(() => new HistoryRecorder(kvHistoryStore(this.env)).record(entry));
  }

  /** The window or the token's life is over: forget it. */
  async alarm() {
    this.state = null;
    await this.ctx.storage.deleteAll();
  }
}

/** @param {Env} env */
function guardBinding(env) {
  const ns = env.VERIFICATION_GUARD;
  if (ns === undefined || typeof ns.idFromName !== "function") {
    throw new HttpError(500, "SERVER_MISCONFIGURED", "the VERIFICATION_GUARD Durable Object binding is missing");
  }
  return ns;
}

/**
 * The attempt limiter: a Durable Object per resolved Okta user id.
 * @param {Env} env
 */
function durableLimiter(env) {
  const ns = guardBinding(env);
  const limit = positiveInt(env.VERIFY_MAX_ATTEMPTS, 5);
  const windowSec = positiveInt(env.VERIFY_WINDOW_SECONDS, 900);
  return { take: (/** @type {string} */ userId) => ns.get(ns.idFromName(`attempts:${userId}`)).take(limit, windowSec) };
}

/**
 * Single use of a verification result: a Durable Object per (issuer, jti).
 * @param {Env} env
 * @param {string} issuer
 */
function durableReplayGuard(env, issuer) {
  const ns = guardBinding(env);
  return {
    /**
     * @param {string} jti
     * @param {number} untilSec
     */
    async use(jti, untilSec) {
      const name = `jti:${await digest(`${issuer}\n${jti}`)}`;
      return ns.get(ns.idFromName(name)).claimOnce(Math.ceil(untilSec) * 1000);
    },
  };
}

/**
 * The recorder: appends go through the user's Durable Object (serialized); reads come from KV.
 * @param {Env} env
 */
function durableRecorder(env) {
  const ns = guardBinding(env);
  const histories = kvHistoryStore(env);
  return {
    record: (/** @type {any} */ entry) => ns.get(ns.idFromName(`attempts:${entry.userId}`)).record(entry),
    history: (/** @type {string} */ userId) => histories.load(userId),
  };
}

/**
 * Enrollment histories: one KV value per user, apart from the directory, so re-syncs keep it.
 * @param {Env} env
 */
function kvHistoryStore(env) {
  const key = (/** @type {string} */ userId) => ENROLLMENT_PREFIX + encodeURIComponent(userId);
  return {
    /** @param {string} userId */
    async load(userId) {
      const stored = await env.DIRECTORY.get(key(userId), { type: "text" });
      return stored === null ? null : JSON.parse(stored);
    },
    /**
     * @param {string} userId
     * @param {unknown} history
     */
    async save(userId, history) {
      await env.DIRECTORY.put(key(userId), JSON.stringify(history));
    },
  };
}

/**
 * @param {string} text
 * @param {string} name
 */
function parseConfigJson(text, name) {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(500, "SERVER_MISCONFIGURED", `${name} is not JSON`);
  }
}

/**
 * The operator's policy registry: MATCH_POLICY (JSON text in env), else the KV value POLICY_KEY, else the default.
 * @param {Env} env
 */
async function policyRegistry(env) {
  const text =
    typeof env.MATCH_POLICY === "string" && env.MATCH_POLICY.trim() !== ""
      ? env.MATCH_POLICY
      : await env.DIRECTORY.get(POLICY_KEY, { type: "text" });
  const policy = text === null || text === undefined ? null : parseConfigJson(text, "the policy");
  const id = typeof policy?.id === "string" && policy.id !== "" ? policy.id : "default";
  /** @type {{ id: string, policy: any, oktaClaims?: any }} */
  const entry = { id, policy };
  if (typeof env.OKTA_CLAIMS_REQUEST === "string" && env.OKTA_CLAIMS_REQUEST.trim() !== "")
    entry.oktaClaims = parseConfigJson(env.OKTA_CLAIMS_REQUEST, "OKTA_CLAIMS_REQUEST");
  return new StaticPolicyRegistry([entry]);
}

/**
 * The verification service over this Worker's bindings; the vendor is required to verify, not to evaluate.
 * @param {Env} env
 * @param {boolean} requireVendor
 */
async function service(env, requireVendor) {
  if (requireVendor) {
    for (const name of /** @type {const} */ (["IDV_ISSUER", "IDV_AUDIENCE", "IDV_JWKS_URL"])) {
      if (typeof env[name] !== "string" || env[name] === "") throw new HttpError(500, "SERVER_MISCONFIGURED", `${name} is not set`);
    }
  }
  const vendor = {
    issuer: env.IDV_ISSUER ?? "",
    audience: (env.IDV_AUDIENCE ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean),
    ...(env.IDV_JWKS_URL ? { jwksUrl: env.IDV_JWKS_URL } : {}),
  };
  return new VerificationService({
    directory: store,
    policies: await policyRegistry(env),
    recorder: durableRecorder(env),
    replay: durableReplayGuard(env, vendor.issuer),
    limiter: durableLimiter(env),
    vendor,
    maxTokenAgeSec: positiveInt(env.IDV_MAX_TOKEN_AGE_SECONDS, 900),
    subjectBinding: env.IDV_SUBJECT_BINDING === "none" ? "none" : "okta_user_id",
  });
}

/**
 * The answer of both routes: outcomes and reason codes, never a directory or claim value.
 * @param {any} out  The VerificationService's outcome.
 */
function answer(out) {
  const { decision, state, claims, missingAttributes, recorded, policyId, enrollment } = out;
  return { decision, state, claims, missingAttributes, recorded, policyId, enrollment };
}

/**
 * @param {Request} request
 * @param {Env} env
 */
async function match(request, env) {
  const body = await readJsonBody(request);
  refuseCallerPolicy(body);
  const hint = checkHint(body.loginHint);
  if (body.verifiedClaims === null || typeof body.verifiedClaims !== "object" || Array.isArray(body.verifiedClaims)) {
    throw new HttpError(400, "INVALID_REQUEST", "verifiedClaims must be an object of verified OIDC claims");
  }
  const out = await (await service(env, false)).evaluate({ loginHint: hint, claims: body.verifiedClaims });
  log({ event: "evaluation", decision: out.decision, state: out.state });
  return Response.json({ userId: out.userId, ...answer(out) });
}

/**
 * @param {Request} request
 * @param {Env} env
 */
async function verification(request, env) {
  const verifier = await service(env, true);
  const body = await readJsonBody(request);
  refuseCallerPolicy(body);
  const hint = checkHint(body.loginHint);
  if (typeof body.idToken !== "string" || body.idToken === "")
    throw new HttpError(400, "INVALID_REQUEST", "idToken must be the vendor's id_token");
  if (body.nonce !== undefined && typeof body.nonce !== "string") throw new HttpError(400, "INVALID_REQUEST", "nonce must be a string");
  const out = await verifier.verify({ loginHint: hint, idToken: body.idToken, ...(body.nonce === undefined ? {} : { nonce: body.nonce }) });
  log({ event: "verification", decision: out.decision, state: out.state, recorded: out.recorded });
  return Response.json(answer(out));
}

/**
 * The sync job's single Durable Object.
 * @param {Env} env
 */
function syncJob(env) {
  const ns = env.SYNC_JOB;
  if (ns === undefined || typeof ns.idFromName !== "function") {
    throw new HttpError(500, "SERVER_MISCONFIGURED", "the SYNC_JOB Durable Object binding is missing");
  }
  return ns.get(ns.idFromName("sync"));
}

/**
 * @param {Request} request
 * @param {Env} env
 */
async function health(request, env) {
  const job = await syncJob(env).status();
  // This isolate's cached manifest may be up to 30 s behind the job's latest publish: catch up.
  if (job.published !== null && (await store.manifest())?.version !== job.published.version) await store.manifest({ fresh: true });
  return Response.json({ status: job.published === null ? "empty" : "ok", ...job });
}

/**
 * Starts a sync run now (`{"full": true}`: a full reconcile) unless one is in progress; 202 with what happened.
 * @param {Request} request
 * @param {Env} env
 */
async function startSync(request, env) {
  const body = request.headers.get("content-length") === "0" || request.body === null ? {} : await readJsonBody(request);
  if (body.full !== undefined && typeof body.full !== "boolean") throw new HttpError(400, "INVALID_REQUEST", "full must be a boolean");
  return Response.json(await syncJob(env).tick({ full: body.full === true }), { status: 202 });
}

/**
 * An Event Hook delivery: queued by src/hooks.js; when it carried changes, the sync job is asked for a fast
 * `hook` step (one run at a time: a delivery during a run asks for another right after it), which rewrites
 * the changed users' shards; the next incremental run re-reads them and clears the queue once published.
 * @param {Request} request
 * @param {Env} env
 */
async function hookDelivery(request, env) {
  const response = await handleEventHook(request, env);
  if (response.status === 200) {
    const body = await response
      .clone()
      .json()
      .catch(() => null);
    if (typeof body?.applied === "number" && body.applied > 0) await syncJob(env).tick({ again: true });
  }
  return response;
}

/**
 * The routes: path → `{auth, METHOD: handler(request, env, url)}`. `bearer` routes need the bearer secret;
 * `hook` routes check Okta's Event Hook secret themselves.
 * @typedef {(request: Request, env: Env, url: URL) => Promise<Response> | Response} Handler
 * @typedef {{ auth: "bearer" | "hook", GET?: Handler, POST?: Handler }} Route
 * @type {Map<string, Route>}
 */
const ROUTES = new Map([
  ["/v1/users/lookup", { auth: "bearer", GET: (request, env, url) => lookup(url) }],
  ["/v1/claims/match", { auth: "bearer", POST: match }],
  ["/v1/verifications", { auth: "bearer", POST: verification }],
  ["/v1/health", { auth: "bearer", GET: health }],
  ["/v1/sync", { auth: "bearer", POST: startSync }],
  ["/hooks/okta", { auth: "hook", GET: handleEventHook, POST: hookDelivery }],
  // The helpdesk flow (src/helpdesk.js): request, status, open, complete, decision; all behind the bearer secret.
  ...helpdeskRoutes({ service: (env) => service(env, true), directory: store, readJson: readJsonBody }).map(
    ([path, methods]) => /** @type {[string, Route]} */ ([path, { auth: "bearer", ...methods }]),
  ),
]);

const METHODS = /** @type {const} */ (["GET", "POST"]);

/**
 * @param {Request} request
 * @param {Env} env
 * @param {URL} url
 * @param {Route | undefined} methods
 */
function route(request, env, url, methods) {
  if (methods === undefined) throw new HttpError(404, "NOT_FOUND", "no such endpoint");
  const method = METHODS.find((m) => m === request.method);
  const handler = method === undefined ? undefined : methods[method];
  if (handler === undefined) throw new HttpError(405, "METHOD_NOT_ALLOWED", `use ${METHODS.filter((m) => methods[m]).join(" or ")}`);
  return handler(request, env, url);
}

/**
 * @param {Request} request
 * @param {Env} env
 */
async function handle(request, env) {
  const url = new URL(request.url);
  const methods = ROUTES.get(url.pathname);
  // Hook routes check the Event Hook's own secret; every other path needs the bearer secret first.
  if (methods?.auth !== "hook") {
    if (typeof env.API_BEARER_SECRET !== "string" || env.API_BEARER_SECRET.length < 16) {
      // Refuse everything rather than serve without (or with a guessable) secret.
      return errorResponse(500, "SERVER_MISCONFIGURED", "API_BEARER_SECRET is not set (or shorter than 16 characters)");
    }
    if (!(await authorized(request, env.API_BEARER_SECRET))) {
      return errorResponse(401, "UNAUTHORIZED", "a valid bearer token is required", {
        "www-authenticate": 'Bearer realm="okta-directory"',
      });
    }
  }
  current.kv = env.DIRECTORY;
  try {
    return await route(request, env, url, methods);
  } catch (error) {
    if (error instanceof HttpError) {
      return errorResponse(error.status, error.code, error.message, error.retryAfter ? { "retry-after": String(error.retryAfter) } : {});
    }
    if (error instanceof AttemptLimitError) {
      return errorResponse(429, error.code, error.message, { "retry-after": String(error.retryAfterSec) });
    }
    if (error instanceof TokenError && error.code !== "JWKS_UNAVAILABLE") {
      // A refused verification result: 401 with the stable code (the message names the check only);
      // a genuine result about another person than the login is 403.
      return errorResponse(error.code === "TOKEN_SUBJECT_MISMATCH" ? 403 : 401, error.code, error.message);
    }
    if (error instanceof OktaDirectoryError) {
      // SDK messages never contain hints, profile values or secrets.
      // The project's one code → status table (the policy codes are 500: the policy is the operator's).
      return errorResponse(httpStatusOf(error.code), error.code, error.message);
    }
    log({ event: "error", name: /** @type {{ name?: unknown }} */ (error)?.name ?? "unknown" });
    return errorResponse(500, "INTERNAL", "internal error");
  }
}

export default {
  /**
   * @param {Request} request
   * @param {Env} env
   */
  async fetch(request, env) {
    const started = Date.now();
    const response = await handle(request, env);
    log({ event: "request", path: new URL(request.url).pathname, status: response.status, ms: Date.now() - started });
    return response;
  },

  /** Starts the next sync run (or makes sure the one in progress continues); the work happens in the job's alarms. */
  /**
   * @param {ScheduledController} controller
   * @param {Env} env
   */
  async scheduled(controller, env) {
    // The FULL_RECONCILE_CRON trigger runs a full reconcile; the others an incremental run (or a full one when
    // the last reconcile is older than FULL_RECONCILE_HOURS).
    const full =
      typeof env.FULL_RECONCILE_CRON === "string" && env.FULL_RECONCILE_CRON !== "" && controller.cron === env.FULL_RECONCILE_CRON;
    const started = await syncJob(env).tick({ full });
    log({ event: "scheduled", cron: controller.cron, started: started.started, mode: started.mode });
  },
};
