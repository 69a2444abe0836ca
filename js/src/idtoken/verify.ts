/**
 * Verifies a signed verification result: an OIDC `id_token` from an identity-verification vendor
 * carrying `verified_claims` (OIDC Identity Assurance). Nothing in the payload is read before the
 * signature verifies. WebCrypto only (browsers, Node, workerd). Every refusal is a `TokenError` with
 * a stable code; messages name the check that failed, never a claim value.
 */
import type { VerifiedClaimsElement, VerifiedClaimsInput } from "../../wasm/okta_directory.js";
import { makeError, type ErrorCode, type OktaDirectoryError } from "../errors.js";
import {
  ID_TOKEN_ALGORITHMS,
  JwksClient,
  StaticKeySet,
  fromBase64Url,
  sharedJwksClient,
  type IdTokenAlgorithm,
  type KeySource,
} from "./jwks.js";

/** Remembers token ids (`jti`) so a verification result is used at most once. */
export interface ReplayGuard {
  /** Records `jti` until `expiresAtSec` (epoch seconds); false when it was already recorded. */
  use(jti: string, expiresAtSec: number): boolean | Promise<boolean>;
}

/** An in-memory {@link ReplayGuard} (one process; the Worker template keeps ids in KV instead). */
export class MemoryReplayGuard implements ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  use(jti: string, expiresAtSec: number): boolean {
    const nowSec = this.#now() / 1000;
    for (const [id, exp] of this.#seen) if (exp < nowSec) this.#seen.delete(id);
    if (this.#seen.has(jti)) return false;
    this.#seen.set(jti, expiresAtSec);
    return true;
  }
}

/** Options of {@link verifyIdToken}. */
export interface VerifyIdTokenOptions {
  /** The vendor's issuer identifier; `iss` must equal it exactly. */
  issuer: string;
  /** Our client id(s) at the vendor; `aud` must contain one (and `azp`, when present or needed, be one). */
  audience: string | readonly string[];
  /** The vendor's keys: a JWKS document, or a key source such as a {@link JwksClient}. */
  jwks?: unknown;
  /** Where to fetch the vendor's JWKS (cached per URL and `fetch`, refetched once on an unknown `kid`). */
  jwksUrl?: string | URL;
  /** The fetch used with `jwksUrl`; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** The nonce sent with the authorization request; the token must carry the same. */
  nonce?: string;
  /** Tolerated clock difference for `exp`, `nbf` and `iat`; default 60 s. */
  clockSkewSec?: number;
  /**
   * Refuse tokens issued (`iat`), or verifications performed (`auth_time`), longer ago than this, in
   * seconds, as `TOKEN_EXPIRED`; default one day ({@link DEFAULT_MAX_TOKEN_AGE_SEC}).
   */
  maxAgeSec?: number;
  /** Refuse tokens whose lifetime (`exp` − `iat`) is longer than this, in seconds, as `TOKEN_MALFORMED`; default one day. */
  maxLifetimeSec?: number;
  /** The clock, as milliseconds since the epoch (a number or a function); default `Date.now()`. */
  now?: number | (() => number);
  /** Accepted algorithms; default RS256 and ES256 (the only ones supported). */
  algorithms?: readonly IdTokenAlgorithm[];
  /** Single use: the token's `jti` is recorded until `exp`; a second use is `TOKEN_REPLAYED`. */
  replayGuard?: ReplayGuard;
}

/** The registered claims of a verified `id_token`. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf?: number;
  nonce?: string;
  jti?: string;
  azp?: string;
  /** When the person was verified (OIDC `auth_time`), when the vendor says. */
  auth_time?: number;
}

/** A verified signed verification result. */
export interface VerifiedIdToken {
  /** The protected header's algorithm and key id. */
  header: { alg: IdTokenAlgorithm; kid?: string };
  /** Registered claims (issuer, subject, audience, times, nonce, jti). */
  claims: IdTokenClaims;
  /** Every `verified_claims` element (an object in the token becomes a one-element array). */
  verifiedClaims: VerifiedClaimsElement[];
  /**
   * The first element, ready for `ClaimsMatcher.match` / `matchUser` (the matcher reads a
   * `{verification, claims}` element as it reads bare claims; the type says both).
   */
  verified: VerifiedClaimsElement & VerifiedClaimsInput;
  /** The whole payload, for callers that need vendor extensions. */
  payload: Record<string, unknown>;
}

const MAX_TOKEN_CHARS = 64 * 1024;
/** The default maximum age of a verification result (from `iat` and `auth_time`): one day. */
export const DEFAULT_MAX_TOKEN_AGE_SEC = 24 * 60 * 60;
/** The default maximum lifetime (`exp` − `iat`) of a verification result: one day. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SEC = 24 * 60 * 60;
/** The largest NumericDate accepted (9999-12-31T23:59:59Z): anything later is not a time but an attack on arithmetic. */
const MAX_NUMERIC_DATE = 253_402_300_799;

function fail(code: ErrorCode, message: string, cause?: unknown): OktaDirectoryError {
  return makeError(code, message, cause === undefined ? {} : { cause });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function jsonPart(part: string, what: string): Record<string, unknown> {
  const bytes = fromBase64Url(part);
  if (bytes === null) throw fail("TOKEN_MALFORMED", `the token's ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw fail("TOKEN_MALFORMED", `the token's ${what} is not JSON`, cause);
  }
  if (!isObject(value)) throw fail("TOKEN_MALFORMED", `the token's ${what} is not a JSON object`);
  return value;
}

function keySource(options: VerifyIdTokenOptions): KeySource {
  const { jwks, jwksUrl } = options;
  if (jwks instanceof JwksClient || jwks instanceof StaticKeySet) return jwks;
  if (isObject(jwks) && typeof jwks["keys"] === "function" && typeof jwks["refreshable"] === "boolean") return jwks as unknown as KeySource;
  if (jwks !== undefined) return new StaticKeySet(jwks);
  if (jwksUrl !== undefined) return sharedJwksClient(String(jwksUrl), options.fetch ?? globalThis.fetch);
  throw fail("JWKS_UNAVAILABLE", "no key set configured: pass `jwks` or `jwksUrl`");
}

async function verifySignature(
  keys: readonly CryptoKey[],
  alg: IdTokenAlgorithm,
  input: Uint8Array<ArrayBuffer>,
  sig: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const params = alg === "RS256" ? { name: "RSASSA-PKCS1-v1_5" } : { name: "ECDSA", hash: "SHA-256" };
  for (const key of keys) {
    try {
      if (await crypto.subtle.verify(params, key, sig, input)) return true;
    } catch {
      // A key WebCrypto cannot use for this signature does not verify it.
    }
  }
  return false;
}

function numeric(payload: Record<string, unknown>, name: string, required: boolean): number | undefined {
  const v = payload[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) throw fail("TOKEN_MALFORMED", `the token's \`${name}\` must be a NumericDate`);
  if (v < 0 || v > MAX_NUMERIC_DATE) throw fail("TOKEN_MALFORMED", `the token's \`${name}\` is not a plausible NumericDate`);
  return v;
}

function text(payload: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = payload[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || v === "") throw fail("TOKEN_MALFORMED", `the token's \`${name}\` must be a non-empty string`);
  return v;
}

/** Reads `verified_claims` (an object or a non-empty array of `{verification, claims}`). */
export function readVerifiedClaims(value: unknown): VerifiedClaimsElement[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (list.length === 0) throw fail("TOKEN_MALFORMED", "the token carries no `verified_claims`");
  return list.map((el, i) => {
    const at = Array.isArray(value) ? `verified_claims[${i}]` : "verified_claims";
    if (!isObject(el)) throw fail("TOKEN_MALFORMED", `\`${at}\` must be an object`);
    const verification = el["verification"];
    if (!isObject(verification) || typeof verification["trust_framework"] !== "string")
      throw fail("TOKEN_MALFORMED", `\`${at}.verification.trust_framework\` must be a string`);
    if (!isObject(el["claims"])) throw fail("TOKEN_MALFORMED", `\`${at}.claims\` must be an object`);
    return el as unknown as VerifiedClaimsElement;
  });
}

/**
 * Verifies a vendor's `id_token` and returns its `verified_claims`. Checks, in order: compact JWS
 * form, algorithm (RS256/ES256, never `none` or HMAC), key by `kid` (refetching a fetched JWKS once
 * on an unknown `kid`), signature, `iss`, `aud`/`azp`, `exp`/`nbf`/`iat`/`auth_time` with skew (plausible
 * NumericDates only, a bounded lifetime and a maximum age), `nonce`,
 * `verified_claims` shape, and finally single use (`jti`) when a replay guard is given.
 *
 * @throws TokenError with one of the `TOKEN_*` codes or `JWKS_UNAVAILABLE`
 * @throws InitializationError `WEBCRYPTO_UNAVAILABLE` where `crypto.subtle` is missing (an insecure page)
 */
export async function verifyIdToken(token: string, options: VerifyIdTokenOptions): Promise<VerifiedIdToken> {
  const out = await verifyToken(token, options, true);
  const verifiedClaims = out.verifiedClaims as VerifiedClaimsElement[];
  const first = verifiedClaims[0] as VerifiedClaimsElement & VerifiedClaimsInput;
  return { header: out.header, claims: out.claims, verifiedClaims, verified: first, payload: out.payload };
}

/** A verified plain OIDC ID token (no `verified_claims` required). */
export interface VerifiedOidcIdToken {
  /** The protected header's algorithm and key id. */
  header: { alg: IdTokenAlgorithm; kid?: string };
  /** Registered claims (issuer, subject, audience, times, nonce, jti, auth_time). */
  claims: IdTokenClaims;
  /** The whole payload (e.g. `preferred_username`, `email`). */
  payload: Record<string, unknown>;
}

/**
 * Verifies a plain OIDC ID token — e.g. an administrator's "Sign in with Okta" — with every check of
 * {@link verifyIdToken} except `verified_claims` (none is required; any present is not read).
 *
 * @throws TokenError with one of the `TOKEN_*` codes or `JWKS_UNAVAILABLE`
 */
export async function verifyOidcIdToken(token: string, options: VerifyIdTokenOptions): Promise<VerifiedOidcIdToken> {
  const { header, claims, payload } = await verifyToken(token, options, false);
  return { header, claims, payload };
}

async function verifyToken(
  token: string,
  options: VerifyIdTokenOptions,
  withVerifiedClaims: boolean,
): Promise<VerifiedOidcIdToken & { verifiedClaims: VerifiedClaimsElement[] | null }> {
  if (typeof globalThis.crypto?.subtle?.verify !== "function")
    throw fail("WEBCRYPTO_UNAVAILABLE", "WebCrypto (crypto.subtle) is unavailable here: serve the page over https or from localhost");
  if (typeof token !== "string" || token.length === 0) throw fail("TOKEN_MALFORMED", "the token must be a non-empty string");
  if (token.length > MAX_TOKEN_CHARS) throw fail("TOKEN_MALFORMED", "the token is too large");
  const parts = token.split(".");
  if (parts.length !== 3) throw fail("TOKEN_MALFORMED", "the token is not a compact JWS (three dot-separated parts)");
  const [h = "", p = "", s = ""] = parts;
  const header = jsonPart(h, "header");

  const allowed = options.algorithms ?? ID_TOKEN_ALGORITHMS;
  const alg = header["alg"];
  if (typeof alg !== "string" || !(ID_TOKEN_ALGORITHMS as readonly string[]).includes(alg) || !allowed.includes(alg as IdTokenAlgorithm))
    throw fail("TOKEN_UNSUPPORTED_ALGORITHM", "the token's algorithm is not accepted (RS256 or ES256 only)");
  const algorithm = alg as IdTokenAlgorithm;
  if (header["crit"] !== undefined)
    throw fail("TOKEN_MALFORMED", "the token's header has critical extensions this verifier does not understand");
  const kidValue = header["kid"];
  if (kidValue !== undefined && (typeof kidValue !== "string" || kidValue === ""))
    throw fail("TOKEN_MALFORMED", "the token's `kid` must be a non-empty string");
  const kid = kidValue as string | undefined;
  const signature = fromBase64Url(s);
  if (signature === null || signature.length === 0) throw fail("TOKEN_MALFORMED", "the token's signature is not base64url");
  if (fromBase64Url(p) === null) throw fail("TOKEN_MALFORMED", "the token's payload is not base64url");

  const source = keySource(options);
  let keys = await source.keys(algorithm, kid, false);
  if (keys.length === 0 && source.refreshable) keys = await source.keys(algorithm, kid, true);
  if (keys.length === 0) throw fail("TOKEN_UNKNOWN_KEY", "no key of the verification vendor matches the token's `kid` and algorithm");
  const input = new TextEncoder().encode(`${h}.${p}`);
  if (!(await verifySignature(keys, algorithm, input, signature)))
    throw fail("TOKEN_INVALID_SIGNATURE", "the token's signature does not verify");

  // From here on the payload is the vendor's.
  const payload = jsonPart(p, "payload");
  const iss = text(payload, "iss", true) as string;
  if (iss !== options.issuer) throw fail("TOKEN_WRONG_ISSUER", "the token was issued by another issuer than the configured one");
  const sub = text(payload, "sub", true) as string;

  const expected = typeof options.audience === "string" ? [options.audience] : [...options.audience];
  const audRaw = payload["aud"];
  const aud =
    typeof audRaw === "string"
      ? [audRaw]
      : Array.isArray(audRaw) && audRaw.every((a) => typeof a === "string")
        ? (audRaw as string[])
        : null;
  if (aud === null || aud.length === 0) throw fail("TOKEN_MALFORMED", "the token's `aud` must be a string or an array of strings");
  if (!aud.some((a) => expected.includes(a))) throw fail("TOKEN_WRONG_AUDIENCE", "the token is meant for another audience");
  const azp = text(payload, "azp", false);
  if (azp !== undefined && !expected.includes(azp))
    throw fail("TOKEN_WRONG_AUDIENCE", "the token's authorized party (`azp`) is not this client");
  if (azp === undefined && aud.length > 1)
    throw fail("TOKEN_WRONG_AUDIENCE", "a token for several audiences must name this client in `azp`");

  const nowMs = typeof options.now === "function" ? options.now() : (options.now ?? Date.now());
  const now = nowMs / 1000;
  const skew = options.clockSkewSec ?? 60;
  const exp = numeric(payload, "exp", true) as number;
  const iat = numeric(payload, "iat", true) as number;
  const nbf = numeric(payload, "nbf", false);
  const authTime = numeric(payload, "auth_time", false);
  const maxAge = options.maxAgeSec ?? DEFAULT_MAX_TOKEN_AGE_SEC;
  const maxLifetime = options.maxLifetimeSec ?? DEFAULT_MAX_TOKEN_LIFETIME_SEC;
  if (now - skew >= exp) throw fail("TOKEN_EXPIRED", "the token has expired");
  if (nbf !== undefined && now + skew < nbf) throw fail("TOKEN_NOT_YET_VALID", "the token is not valid yet (`nbf`)");
  if (now + skew < iat) throw fail("TOKEN_NOT_YET_VALID", "the token claims to be issued in the future (`iat`)");
  if (now - skew > iat + maxAge) throw fail("TOKEN_EXPIRED", "the token was issued too long ago (`iat`, maximum age)");
  if (exp - iat > maxLifetime) throw fail("TOKEN_MALFORMED", "the token's lifetime (`exp` − `iat`) is longer than accepted");
  if (authTime !== undefined) {
    if (now + skew < authTime) throw fail("TOKEN_NOT_YET_VALID", "the token claims a verification in the future (`auth_time`)");
    if (now - skew > authTime + maxAge) throw fail("TOKEN_EXPIRED", "the verification happened too long ago (`auth_time`, maximum age)");
  }

  const nonce = text(payload, "nonce", false);
  if (options.nonce !== undefined && nonce !== options.nonce)
    throw fail("TOKEN_NONCE_MISMATCH", "the token's nonce is not the one sent with the request");
  const jti = text(payload, "jti", false);
  const verifiedClaims = withVerifiedClaims ? readVerifiedClaims(payload["verified_claims"]) : null;

  if (options.replayGuard !== undefined) {
    if (jti === undefined) throw fail("TOKEN_MALFORMED", "a single-use token must carry a `jti`");
    // Remembered until the token would be refused anyway: its expiry or its maximum age, whichever is first.
    const refusedFrom = Math.min(exp, iat + maxAge) + skew;
    if (!(await options.replayGuard.use(jti, refusedFrom))) throw fail("TOKEN_REPLAYED", "this verification result was already used");
  }

  const claims: IdTokenClaims = { iss, sub, aud: typeof audRaw === "string" ? audRaw : aud, exp, iat };
  if (nbf !== undefined) claims.nbf = nbf;
  if (nonce !== undefined) claims.nonce = nonce;
  if (jti !== undefined) claims.jti = jti;
  if (azp !== undefined) claims.azp = azp;
  if (authTime !== undefined) claims.auth_time = authTime;
  return { header: kid === undefined ? { alg: algorithm } : { alg: algorithm, kid }, claims, verifiedClaims, payload };
}
