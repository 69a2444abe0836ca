// "Sign in with Okta" for the dashboard's admins: OpenID Connect authorization code flow with PKCE (S256)
// against an Okta org (or the bundled emulator), a public client (no secret). The ID token is checked by the
// SDK's verifyOidcIdToken: signature by a key of the org's JWKS (by kid), iss, aud, azp, times, nonce, jti.
// Who may sign in is decided in Okta: only users assigned to the OIDC app get a code at all.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { MemoryReplayGuard, TokenError, verifyOidcIdToken } from "../../js/dist/node.js";

const TRANSACTION_TTL_MS = 10 * 60_000;
/** ID tokens already used for a sign-in, by `jti` (one per process, whatever the client). */
const replay = new MemoryReplayGuard();
/** Completed states remembered (single use); forgetting one early is harmless: codes and `jti`s are single use too. */
const MAX_USED_STATES = 10_000;

/** An OIDC sign-in that failed; `code` is stable, the message names the check (never a token). */
export class OidcError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const b64url = (/** @type {Buffer} */ b) => b.toString("base64url");

/** Reads a JSON document without following redirects, with a size and time limit. @param {string} url @param {RequestInit} [init] */
async function fetchJson(url, init = {}) {
  const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (text.length > 256 * 1024) throw new OidcError("OIDC_BAD_RESPONSE", "the identity provider's answer is too large");
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OidcError("OIDC_BAD_RESPONSE", "the identity provider did not answer JSON");
  }
  return { status: res.status, body };
}

/**
 * @param {{ issuer: string, clientId: string, scopes?: string[] }} config
 *   `issuer` is the org URL (Okta's org authorization server: `https://acme.okta.com`).
 */
export function createOidcClient(config) {
  const issuer = config.issuer.replace(/\/+$/, "");
  const origin = new URL(issuer).origin;
  // A transaction (state, nonce, PKCE verifier, redirect URI) lives in the browser's HttpOnly cookie, sealed
  // with this process's key: no server-side table that anonymous `begin`s could fill to evict an admin's.
  const sealKey = randomBytes(32);
  const mac = (/** @type {string} */ body) => createHmac("sha256", sealKey).update(body).digest();
  /** @param {{ state: string, nonce: string, verifier: string, redirectUri: string, expiresAt: number }} t */
  const seal = (t) => {
    const body = Buffer.from(JSON.stringify(t)).toString("base64url");
    return `${body}.${mac(body).toString("base64url")}`;
  };
  /** The transaction a cookie holds, or null when it is not one this process sealed. @param {string | undefined} value */
  const unseal = (value) => {
    const [body = "", tag = "", extra] = (value ?? "").split(".");
    const given = Buffer.from(tag, "base64url");
    if (
      extra !== undefined ||
      body === "" ||
      value === undefined ||
      value.length > 4096 ||
      given.length !== 32 ||
      !timingSafeEqual(given, mac(body))
    )
      return null;
    try {
      return /** @type {{ state: string, nonce: string, verifier: string, redirectUri: string, expiresAt: number }} */ (
        JSON.parse(Buffer.from(body, "base64url").toString("utf8"))
      );
    } catch {
      return null;
    }
  };
  /** States already completed, until they expire: state → expiresAt. @type {Map<string, number>} */
  const used = new Map();
  /** @type {{ authorization_endpoint: string, token_endpoint: string, jwks_uri: string } | null} */
  let metadata = null;

  async function discover() {
    if (metadata) return metadata;
    const { status, body } = await fetchJson(`${issuer}/.well-known/openid-configuration`);
    if (status !== 200 || body?.issuer !== issuer)
      throw new OidcError("OIDC_DISCOVERY_FAILED", "the org's OpenID configuration is missing or names another issuer");
    for (const k of ["authorization_endpoint", "token_endpoint", "jwks_uri"]) {
      // Endpoints on another origin would send the code or the verifier elsewhere.
      if (typeof body[k] !== "string" || new URL(body[k]).origin !== origin)
        throw new OidcError("OIDC_DISCOVERY_FAILED", `the org's ${k} is not on the org's origin`);
    }
    metadata = body;
    return body;
  }

  function sweep() {
    const now = Date.now();
    for (const [state, expiresAt] of used) if (expiresAt <= now) used.delete(state);
    while (used.size >= MAX_USED_STATES) used.delete(/** @type {string} */ (used.keys().next().value));
  }

  /**
   * Checks an ID token with the SDK's `verifyOidcIdToken` (RS256/ES256 by `kid` from the org's JWKS, RSA ≥
   * 2048 bits, iss, aud/azp, exp/iat with skew, a 10-minute maximum age, the nonce, single use of `jti`).
   * @param {string} token @param {string} nonce
   */
  async function checkIdToken(token, nonce) {
    const { jwks_uri } = await discover();
    try {
      const verified = await verifyOidcIdToken(token, {
        issuer,
        audience: config.clientId,
        jwksUrl: jwks_uri,
        nonce,
        maxAgeSec: 600,
        replayGuard: replay,
      });
      return verified.payload;
    } catch (e) {
      if (e instanceof TokenError && e.code !== "JWKS_UNAVAILABLE")
        throw new OidcError("OIDC_TOKEN_INVALID", `the ID token was refused (${e.code})`);
      if (e instanceof TokenError) throw new OidcError("OIDC_DISCOVERY_FAILED", "the org's key set could not be read");
      throw e;
    }
  }

  return {
    issuer,
    /**
     * Begins a sign-in: the authorization URL to redirect to, its `state`, and `cookie`, the sealed
     * transaction that the browser keeps (an HttpOnly cookie) and brings back to the callback.
     * @param {string} redirectUri
     */
    async begin(redirectUri) {
      const { authorization_endpoint } = await discover();
      const state = b64url(randomBytes(24));
      const nonce = b64url(randomBytes(24));
      const verifier = b64url(randomBytes(32));
      const cookie = seal({ state, nonce, verifier, redirectUri, expiresAt: Date.now() + TRANSACTION_TTL_MS });
      const url = new URL(authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: "code",
        client_id: config.clientId,
        redirect_uri: redirectUri,
        scope: (config.scopes ?? ["openid", "profile", "email"]).join(" "),
        state,
        nonce,
        code_challenge: b64url(createHash("sha256").update(verifier).digest()),
        code_challenge_method: "S256",
      }).toString();
      return { url: url.toString(), state, cookie };
    },
    /**
     * Completes a sign-in: the state must be the one sealed in this browser's cookie, unexpired and not used
     * before; the code is exchanged with the PKCE verifier and the ID token checked. Returns the admin's claims.
     * @param {URLSearchParams} query @param {string | undefined} cookieValue the transaction cookie `begin` gave
     */
    async complete(query, cookieValue) {
      const state = query.get("state") ?? "";
      const t = unseal(cookieValue);
      if (!t || typeof t.state !== "string" || state !== t.state)
        throw new OidcError("OIDC_STATE_MISMATCH", "this sign-in was not started in this browser");
      sweep();
      if (!(t.expiresAt > Date.now()) || used.has(state))
        throw new OidcError("OIDC_STATE_MISMATCH", "this sign-in expired or was already used; start again");
      used.set(state, t.expiresAt);
      if (query.get("error")) throw new OidcError("OIDC_DENIED", "the org refused the sign-in");
      const code = query.get("code");
      if (!code || code.length > 1000) throw new OidcError("OIDC_BAD_RESPONSE", "the org's answer carries no code");
      const { token_endpoint } = await discover();
      const { status, body } = await fetchJson(token_endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: t.redirectUri,
          client_id: config.clientId,
          code_verifier: t.verifier,
        }).toString(),
      });
      if (status !== 200 || typeof body?.id_token !== "string")
        throw new OidcError("OIDC_TOKEN_REFUSED", "the org refused to exchange the code");
      return checkIdToken(body.id_token, t.nonce);
    },
  };
}
