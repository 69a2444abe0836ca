/**
 * Reading changed users with the OAuth credentials a sync uses (an API service app: `private_key_jwt`, scope
 * `okta.users.read`, DPoP when the app requires it), for the Event Hook paths (`patchKvShards`, the Worker's
 * fast step, `LiveDirectory`). The keys, signatures and token hash are the sync driver's own (`sync/crypto.ts`:
 * WebCrypto only, so it runs in Node and Workers); the assertion and proof claims are laid out as the core's
 * `src/sync/auth/jwt.rs` lays them out for a sync. The token, the assertion and every proof go to the org's
 * origin only; redirects are never followed.
 */
import { makeError } from "../errors.js";
import { generateDpopKey, importClientKey, sha256b64url, signJwt, type SigningKey } from "../sync/crypto.js";
import { orgOrigin, type FetchOktaUser } from "./apply.js";

/** Options of {@link oktaOAuthUserFetcher}. */
export interface OktaOAuthUserFetcherOptions {
  /** The org URL (https; loopback http only with `allowInsecureLoopback`). */
  orgUrl: string;
  /** The API service app's client id… */
  clientId: string;
  /** …and its private key (PKCS#8 PEM or JWK; RSA → RS256, P-256 → ES256), as `syncDirectory` takes them. */
  privateKey: string | JsonWebKey;
  /** The key's `kid`, when the app has several keys. */
  keyId?: string;
  /** DPoP: `"auto"` (default: a proof with every token request; the token type Okta answers decides), `"off"`. */
  dpop?: "auto" | "off";
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  allowInsecureLoopback?: boolean;
  /** The clock, Unix ms (default `Date.now`). */
  now?: () => number;
}

const SCOPE = "okta.users.read";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** A token is used until 5 minutes before its expiry, or half its lifetime when shorter (as the sync does). */
const REFRESH_SKEW_MS = 300_000;

interface Token {
  value: string;
  dpop: boolean;
  ath: string | undefined;
  refreshAt: number;
}

function b64urlText(text: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function jti(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

const signingInput = (header: object, claims: object): string =>
  `${b64urlText(JSON.stringify(header))}.${b64urlText(JSON.stringify(claims))}`;

/** A nonce Okta sent (`DPoP-Nonce`): opaque visible ASCII, else ignored. */
function nonceOf(res: Response): string | undefined {
  const n = res.headers.get("dpop-nonce");
  return n !== null && n.length > 0 && n.length <= 512 && /^[\x21-\x7e]+$/.test(n) && !/["\\]/.test(n) ? n : undefined;
}

/** An OAuth error code from a JSON body, when it is a plain identifier (safe to repeat). */
async function oauthError(res: Response): Promise<string | undefined> {
  try {
    const e = ((await res.json()) as { error?: unknown } | null)?.error;
    return typeof e === "string" && /^[A-Za-z0-9_.:]{1,64}$/.test(e) ? e : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A {@link FetchOktaUser} over `GET /api/v1/users/{id}` with an access token from the org authorization server
 * (client credentials, `private_key_jwt`), cached until shortly before it expires and fetched again after a
 * 401; with DPoP, a fresh proof per request (`ath`, and Okta's nonce once it asked for one). A 404 is `null`.
 *
 * @throws ConfigurationError for an org URL that is not https (or loopback with the option), an unusable key
 *   (`INVALID_CREDENTIALS`)
 * @throws AuthenticationError (`AUTHENTICATION_FAILED`: the token endpoint refused the client)
 * @throws AuthorizationError (`AUTHORIZATION_INCOMPLETE`: the app lacks `okta.users.read`)
 * @throws OktaApiError (`OKTA_API_ERROR`); SyncError (`UNEXPECTED_REDIRECT`, `MALFORMED_RESPONSE`)
 */
export function oktaOAuthUserFetcher(options: OktaOAuthUserFetcherOptions): FetchOktaUser {
  const origin = orgOrigin(options.orgUrl, options.allowInsecureLoopback === true);
  if (typeof options.clientId !== "string" || options.clientId === "" || options.privateKey === undefined)
    throw makeError("INVALID_CREDENTIALS", "give clientId and privateKey");
  const tokenUrl = `${origin}/oauth2/v1/token`;
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const now = options.now ?? Date.now;
  let keys: Promise<{ client: SigningKey; dpop?: { key: SigningKey; publicJwk: object } }> | undefined;
  let token: Token | undefined;
  let pending: Promise<Token> | undefined;
  let nonce: string | undefined;

  const loadKeys = () =>
    (keys ??= (async () => ({
      client: await importClientKey(options.privateKey),
      ...(options.dpop === "off" ? {} : { dpop: await generateDpopKey() }),
    }))());

  const proof = async (method: string, url: string, ath: string | undefined): Promise<string | undefined> => {
    const dpop = (await loadKeys()).dpop;
    if (dpop === undefined) return undefined;
    const claims = {
      htm: method,
      htu: url,
      iat: Math.floor(now() / 1000),
      jti: jti(),
      ...(nonce === undefined ? {} : { nonce }),
      ...(ath === undefined ? {} : { ath }),
    };
    return signJwt(dpop.key, signingInput({ typ: "dpop+jwt", alg: dpop.key.alg, jwk: dpop.publicJwk }, claims));
  };

  const requestToken = async (): Promise<Token> => {
    const { client } = await loadKeys();
    // One retry with Okta's nonce (`use_dpop_nonce`); a new assertion each time (Okta consumes one per request).
    for (let attempt = 0; ; attempt++) {
      const iat = Math.floor(now() / 1000);
      const assertion = await signJwt(
        client,
        signingInput(
          { alg: client.alg, typ: "JWT", ...(options.keyId === undefined ? {} : { kid: options.keyId }) },
          { iss: options.clientId, sub: options.clientId, aud: tokenUrl, iat, exp: iat + 300, jti: jti() },
        ),
      );
      const headers: Record<string, string> = { accept: "application/json", "content-type": "application/x-www-form-urlencoded" };
      const dpopProof = await proof("POST", tokenUrl, undefined);
      if (dpopProof !== undefined) headers.dpop = dpopProof;
      const body = `grant_type=client_credentials&scope=${encodeURIComponent(SCOPE)}&client_assertion_type=${encodeURIComponent(ASSERTION_TYPE)}&client_assertion=${assertion}`;
      const res = await doFetch(tokenUrl, { method: "POST", headers, body, redirect: "manual" });
      const fresh = nonceOf(res);
      if (fresh !== undefined) nonce = fresh;
      if (res.status >= 300 && res.status < 400)
        throw makeError("UNEXPECTED_REDIRECT", "Okta answered the token request with a redirect; it was not followed", {
          status: res.status,
        });
      if (res.status !== 200) {
        const error = await oauthError(res);
        if (error === "use_dpop_nonce" && fresh !== undefined && attempt < 2) continue;
        if (error === "consent_required")
          throw makeError("AUTHORIZATION_INCOMPLETE", `the app is not granted the scope ${SCOPE}`, { status: res.status });
        throw makeError(
          "AUTHENTICATION_FAILED",
          `Okta refused the token request: HTTP ${res.status}${error === undefined ? "" : ` (${error})`}`,
          {
            status: res.status,
          },
        );
      }
      const doc = (await res.json().catch(() => null)) as {
        access_token?: unknown;
        token_type?: unknown;
        expires_in?: unknown;
        scope?: unknown;
      } | null;
      const value = doc?.access_token;
      const type = typeof doc?.token_type === "string" ? doc.token_type.toLowerCase() : "";
      const expiresIn = doc?.expires_in;
      if (
        typeof value !== "string" ||
        !/^[\x21-\x7e]+$/.test(value) ||
        (type !== "bearer" && type !== "dpop") ||
        typeof expiresIn !== "number" ||
        !(expiresIn > 0)
      )
        throw makeError("MALFORMED_RESPONSE", "the token response lacks a usable access_token, token_type or expires_in");
      if (typeof doc?.scope === "string" && !doc.scope.split(" ").includes(SCOPE))
        throw makeError("AUTHORIZATION_INCOMPLETE", `the token lacks the scope ${SCOPE}: grant it to the app`);
      const lifetime = expiresIn * 1000;
      return {
        value,
        dpop: type === "dpop",
        ath: type === "dpop" ? await sha256b64url(value) : undefined,
        refreshAt: now() + lifetime - Math.min(REFRESH_SKEW_MS, lifetime / 2),
      };
    }
  };

  const currentToken = async (): Promise<Token> => {
    if (token !== undefined && now() < token.refreshAt) return token;
    pending ??= requestToken().finally(() => (pending = undefined));
    token = await pending;
    return token;
  };

  return async (userId) => {
    if (!/^[A-Za-z0-9]{1,64}$/.test(userId)) throw makeError("HOOK_PAYLOAD_INVALID", "invalid Event Hook delivery: a user id is malformed");
    const url = `${origin}/api/v1/users/${userId}`;
    let refreshed = false;
    let nonceRetried = false;
    for (;;) {
      const t = await currentToken();
      const headers: Record<string, string> = { accept: "application/json", authorization: `${t.dpop ? "DPoP" : "Bearer"} ${t.value}` };
      if (t.dpop) {
        const p = await proof("GET", url, t.ath);
        if (p !== undefined) headers.dpop = p;
      }
      const res = await doFetch(url, { method: "GET", headers, redirect: "manual" });
      const fresh = nonceOf(res);
      if (fresh !== undefined) nonce = fresh;
      if (res.status === 404) return null;
      if (res.status >= 300 && res.status < 400)
        throw makeError("UNEXPECTED_REDIRECT", "Okta answered a user read with a redirect; it was not followed", { status: res.status });
      if (res.status === 401) {
        const challenge = res.headers.get("www-authenticate") ?? "";
        if (t.dpop && /(^|[ ,])error="use_dpop_nonce"/.test(challenge) && fresh !== undefined && !nonceRetried) {
          nonceRetried = true;
          continue;
        }
        // Expired or revoked: one new token; a second 401 in a row is final.
        if (!refreshed) {
          refreshed = true;
          if (token === t) token = undefined;
          continue;
        }
      }
      if (res.status !== 200) throw makeError("OKTA_API_ERROR", `Okta refused a user read: HTTP ${res.status}`, { status: res.status });
      return (await res.json()) as unknown;
    }
  };
}
