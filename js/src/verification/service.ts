/**
 * The one verification service: login hint + signed ID-verification result + the operator's policy
 * id → directory lookup → attempt limit (per resolved Okta user id) → `verifyIdToken` → decision →
 * record. It is the only path that records a verification (and so the only one that can make a user
 * `enrolled`); caller-supplied claim values never reach it.
 */
import type { DirectoryUser, EnrollmentHistory, EnrollmentStatus, VerifiedClaimsInput } from "../../wasm/okta_directory.js";
import { ClaimsMatcher } from "../claims.js";
import { enrollmentStatus } from "../enrollment.js";
import { type AttemptLimitError, makeError } from "../errors.js";
import { decideVerification, type VerificationDecision } from "../idtoken/decide.js";
import type { IdTokenAlgorithm } from "../idtoken/jwks.js";
import { verifyIdToken, type ReplayGuard, type VerifyIdTokenOptions } from "../idtoken/verify.js";
import type { AttemptLimiter, DirectoryLookup, PolicyRegistry, RegisteredPolicy, VerificationRecorder } from "./types.js";
import { comparisonVector } from "./replay.js";

/** The default maximum age of a verification result the service accepts: 15 minutes. */
export const DEFAULT_SERVICE_MAX_TOKEN_AGE_SEC = 15 * 60;
const MAX_HINT_CHARS = 1024;

/** The identity-verification vendor whose signed results are accepted (the operator's configuration). */
export interface VendorConfig {
  /** The vendor's issuer identifier (`iss`). */
  issuer: string;
  /** Our client id(s) at the vendor (`aud`/`azp`). */
  audience: string | readonly string[];
  /** The vendor's keys (a JWKS document or a key source). */
  jwks?: unknown;
  /** Where to fetch the vendor's JWKS. */
  jwksUrl?: string | URL;
  /** The fetch used with `jwksUrl`. */
  fetch?: typeof fetch;
  /** Accepted algorithms (RS256 and ES256 by default). */
  algorithms?: readonly IdTokenAlgorithm[];
  /** Tolerated clock difference; default 60 s. */
  clockSkewSec?: number;
}

/** Options of a {@link VerificationService}. */
export interface VerificationServiceOptions {
  /** Where login hints are resolved to directory users. */
  directory: DirectoryLookup;
  /** The operator's policies. */
  policies: PolicyRegistry;
  /** Where decided verifications are recorded. */
  recorder: VerificationRecorder;
  /** Single use of verification results (by `jti`). */
  replay: ReplayGuard;
  /** Attempts per resolved Okta user id. */
  limiter: AttemptLimiter;
  /** The vendor whose signed results are accepted. */
  vendor: VendorConfig;
  /** The oldest verification result accepted, from `iat` and `auth_time`; default 900 s. */
  maxTokenAgeSec?: number;
  /** The longest token lifetime (`exp` − `iat`) accepted; default one day. */
  maxTokenLifetimeSec?: number;
  /** Refuse a verification without a `nonce` to compare (for flows that always have one); default false. */
  requireNonce?: boolean;
  /**
   * Whose result a token must be: `"okta_user_id"` (default) requires `sub` to be the resolved Okta
   * user id (the vendor echoes the PAR's `login_hint`); `"none"` drops that check.
   */
  subjectBinding?: "okta_user_id" | "none";
  /** The clock, in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

/** A verification request. */
export interface VerifyRequest {
  /** The login hint the person typed (login, email, …). */
  loginHint: string;
  /** The vendor's signed `id_token`. */
  idToken: string;
  /** The operator's policy id (from the operator's configuration or session, never a caller's policy); default the registry's. */
  policyId?: string;
  /** The nonce this flow sent with its authorization request, when it has one. */
  nonce?: string;
}

/** An evaluation request: claims from the caller, decided but never recorded. */
export interface EvaluateRequest {
  /** The login hint. */
  loginHint: string;
  /** Claims the caller asserts (unsigned). */
  claims: VerifiedClaimsInput;
  /** The operator's policy id; default the registry's. */
  policyId?: string;
}

/** What the service answers: outcome and reason codes only, never a directory or claim value. */
export interface VerificationOutcome extends VerificationDecision {
  /** Whether the decision was written to the verification history. */
  recorded: boolean;
  /** The policy it was decided under. */
  policyId: string;
  /** The resolved Okta user id (an identifier, for the caller's own bookkeeping; routes may leave it out). */
  userId: string;
  /** The user's enrollment status after this verification (`null` when it cannot be computed). */
  enrollment: EnrollmentStatus["status"] | null;
}

/** An evaluation's answer: always `recorded: false`. */
export interface EvaluationOutcome extends VerificationOutcome {
  /** Never recorded. */
  recorded: false;
}

function request(value: unknown, what: string): string {
  if (typeof value !== "string" || value.trim() === "") throw makeError("INVALID_REQUEST", `${what} must be a non-empty string`);
  return value;
}

/**
 * Verifies people against the directory with signed ID-verification results, and records the outcome.
 *
 * ```ts
 * const service = new VerificationService({
 *   directory,                                            // a Directory or a KvDirectoryStore
 *   policies: new StaticPolicyRegistry([{ id: "default", policy: operatorPolicy }]),
 *   recorder: new HistoryRecorder(historyStore),          // load/save enrollment histories
 *   replay: new MemoryReplayGuard(),                      // jti single use
 *   limiter: new MemoryAttemptLimiter({ limit: 5, windowSec: 900 }),
 *   vendor: { issuer, audience: clientId, jwksUrl },
 * });
 * const out = await service.verify({ loginHint, idToken, nonce: session.nonce });
 * // out.decision: "match" | "review" | "no_match"; out.state; out.claims (outcomes + reasons); out.recorded
 * ```
 *
 * Steps of {@link verify}: the policy by id from the registry (`UNKNOWN_POLICY`), the lookup
 * (`USER_NOT_FOUND` / `AMBIGUOUS_LOGIN_HINT`), one attempt taken for the resolved Okta user id
 * (`TOO_MANY_ATTEMPTS`, before the token is even read, so refused tokens count too), the token
 * (issuer, audience, keys, nonce, age, lifetime, `jti` single use: `TOKEN_*`), the subject binding
 * (`TOKEN_SUBJECT_MISMATCH`), the decision under the policy with the directory's values, and the
 * record. {@link evaluate} decides caller-supplied claims the same way and records nothing.
 */
export class VerificationService {
  readonly #o: VerificationServiceOptions;
  readonly #now: () => number;

  constructor(options: VerificationServiceOptions) {
    for (const name of ["directory", "policies", "recorder", "replay", "limiter", "vendor"] as const) {
      if (options[name] == null) throw makeError("INVALID_REQUEST", `the verification service needs \`${name}\``);
    }
    this.#o = { ...options };
    this.#now = options.now ?? Date.now;
  }

  async #policy(policyId: unknown): Promise<RegisteredPolicy> {
    const id = policyId === undefined ? this.#o.policies.defaultId : request(policyId, "policyId");
    const entry = await this.#o.policies.get(id);
    if (entry === undefined) throw makeError("UNKNOWN_POLICY", "no policy is registered under this id");
    return entry;
  }

  async #resolve(loginHint: unknown): Promise<{ user: DirectoryUser; userId: string }> {
    const hint = request(loginHint, "loginHint");
    if (hint.length > MAX_HINT_CHARS) throw makeError("INVALID_REQUEST", `loginHint exceeds ${MAX_HINT_CHARS} characters`);
    const { user } = await this.#o.directory.lookup(hint);
    if (typeof user.id !== "string" || user.id === "") throw makeError("USER_NOT_FOUND", "the directory record has no Okta user id");
    return { user, userId: user.id };
  }

  async #take(userId: string): Promise<void> {
    const verdict = await this.#o.limiter.take(userId);
    if (!verdict.allowed) {
      const err = makeError("TOO_MANY_ATTEMPTS", "too many verification attempts for this person; try again later") as AttemptLimitError;
      err.retryAfterSec = Math.max(1, Math.ceil(verdict.retryAfterSec));
      throw err;
    }
  }

  /** The matcher for a registered policy, built before anything is counted or consumed (a broken policy costs nothing). */
  async #matcher(entry: RegisteredPolicy): Promise<ClaimsMatcher> {
    // The directory's name and birthdate frequencies weigh the claims (built-in priors without them).
    const frequencies = (await this.#o.directory.frequencyTable?.()) ?? null;
    // The operator's Okta claims request only tightens the policy; its values are never compared.
    return new ClaimsMatcher({
      policy: entry.policy,
      frequencies,
      ...(entry.oktaClaims == null ? {} : { oktaClaims: entry.oktaClaims }),
    });
  }

  /** Verifies a signed result for the person a login hint names, decides and records. */
  async verify(req: VerifyRequest): Promise<VerificationOutcome> {
    const entry = await this.#policy(req.policyId);
    const idToken = request(req.idToken, "idToken");
    if (req.nonce !== undefined && typeof req.nonce !== "string") throw makeError("INVALID_REQUEST", "nonce must be a string");
    if (this.#o.requireNonce === true && (req.nonce === undefined || req.nonce === ""))
      throw makeError("INVALID_REQUEST", "this flow requires a nonce");
    const matcher = await this.#matcher(entry);
    try {
      const { user, userId } = await this.#resolve(req.loginHint);
      await this.#take(userId);
      const v = this.#o.vendor;
      const options: VerifyIdTokenOptions = {
        issuer: v.issuer,
        audience: v.audience,
        replayGuard: this.#o.replay,
        maxAgeSec: this.#o.maxTokenAgeSec ?? DEFAULT_SERVICE_MAX_TOKEN_AGE_SEC,
        now: this.#now,
      };
      if (v.jwks !== undefined) options.jwks = v.jwks;
      if (v.jwksUrl !== undefined) options.jwksUrl = v.jwksUrl;
      if (v.fetch !== undefined) options.fetch = v.fetch;
      if (v.algorithms !== undefined) options.algorithms = v.algorithms;
      if (v.clockSkewSec !== undefined) options.clockSkewSec = v.clockSkewSec;
      if (this.#o.maxTokenLifetimeSec !== undefined) options.maxLifetimeSec = this.#o.maxTokenLifetimeSec;
      if (req.nonce !== undefined && req.nonce !== "") options.nonce = req.nonce;
      const token = await verifyIdToken(idToken, options);
      if ((this.#o.subjectBinding ?? "okta_user_id") === "okta_user_id" && token.claims.sub !== userId) {
        throw makeError("TOKEN_SUBJECT_MISMATCH", "the verification result is about another person than this login");
      }
      const decided = decideVerification(token.verified, user, matcher);
      let history: EnrollmentHistory | null;
      let recorded = false;
      if (decided.report !== null) {
        const vector = comparisonVector(decided.report, entry.policy, entry.oktaClaims);
        history = await this.#o.recorder.record({ userId, report: decided.report, policyId: entry.id, atMs: this.#now(), vector });
        recorded = true;
      } else {
        history = await this.#o.recorder.history(userId);
      }
      const enrollment = enrollmentStatus(user, history, entry.policy).status;
      return { ...decided.result, recorded, policyId: entry.id, userId, enrollment };
    } finally {
      matcher.free();
    }
  }

  /**
   * Decides caller-supplied (unsigned) claims against the person a login hint names, under the
   * operator's policy, and records NOTHING (`recorded: false`). It counts an attempt for that person
   * like {@link verify} does, so it cannot serve as an unlimited oracle on the record.
   */
  async evaluate(req: EvaluateRequest): Promise<EvaluationOutcome> {
    const entry = await this.#policy(req.policyId);
    if (req.claims === null || typeof req.claims !== "object" || Array.isArray(req.claims)) {
      throw makeError("INVALID_REQUEST", "claims must be an object of OIDC claims");
    }
    const matcher = await this.#matcher(entry);
    try {
      const { user, userId } = await this.#resolve(req.loginHint);
      await this.#take(userId);
      const element = "claims" in req.claims && "verification" in req.claims;
      const verified = (element ? req.claims : { verification: { trust_framework: "caller_supplied" }, claims: req.claims }) as Parameters<
        typeof decideVerification
      >[0];
      const decided = decideVerification(verified, user, matcher);
      const enrollment = enrollmentStatus(user, await this.#o.recorder.history(userId), entry.policy).status;
      return { ...decided.result, recorded: false, policyId: entry.id, userId, enrollment };
    } finally {
      matcher.free();
    }
  }
}
