/**
 * Reading changed users with the OAuth credentials a sync uses (an API service app: `private_key_jwt`, scope
 * `okta.users.read`, DPoP when the app requires it), for the Event Hook paths (`patchKvShards`, the Worker's
 * fast step, `LiveDirectory`). The rules are the core's, as a sync's (`src/sync/auth`): the assertion and proof
 * signing inputs, the token request body and the reading of the token endpoint's answer (when to refresh, a
 * nonce challenge, a missing scope). Here: the keys and signatures (`sync/crypto.ts`: WebCrypto only, so it
 * runs in Node and Workers), the requests, and the token and nonce in hand. User reads go through the same
 * reader as `oktaUserFetcher`'s (`apply.ts`), with its typed errors. The token, the assertion and every proof
 * go to the org's origin only; redirects are never followed.
 */
import * as wasm from "../../wasm/okta_directory.js";
import { guard, makeError } from "../errors.js";
import { ensureReady } from "../state.js";
import { generateDpopKey, importClientKey, sha256b64url, signJwt, type SigningKey } from "../sync/crypto.js";
import { orgOrigin, sendUserRead, userOfResponse, userReadUrl, type FetchOktaUser } from "./apply.js";

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

const SCOPES = ["okta.users.read"];

interface Token {
  value: string;
  dpop: boolean;
  ath: string | undefined;
  refreshAt: number;
}

interface Keys {
  client: SigningKey;
  /** The DPoP key and its public JWK as JSON text (as the core takes it). */
  dpop?: { key: SigningKey; publicJwkJson: string };
}

/** A fresh `jti`: 16 secure random bytes in hex (Okta refuses a reused assertion or proof). */
function jti(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A response's headers flat (`[name, value, …]`), as the core reads them. */
function flatHeaders(res: Response): string[] {
  const flat: string[] = [];
  res.headers.forEach((value, name) => {
    flat.push(name, value);
  });
  return flat;
}

/**
 * A {@link FetchOktaUser} over `GET /api/v1/users/{id}` with an access token from the org authorization server
 * (client credentials, `private_key_jwt`), cached until shortly before it expires and fetched again after a
 * 401; with DPoP, a fresh proof per request (`ath`, and Okta's nonce once it asked for one). A 404 is `null`.
 *
 * @throws ConfigurationError for an org URL that is not https (or loopback with the option), an unusable key
 *   or client id (`INVALID_CREDENTIALS`)
 * @throws AuthenticationError (`AUTHENTICATION_FAILED`: the token endpoint refused the client)
 * @throws AuthorizationError (`AUTHORIZATION_INCOMPLETE`: the app lacks `okta.users.read`)
 * @throws OktaApiError (`OKTA_API_ERROR`: a request that did not complete, a refused read, a body that is not
 *   JSON, a token endpoint that is busy); SyncError (`UNEXPECTED_REDIRECT`, `MALFORMED_RESPONSE`)
 */
export function oktaOAuthUserFetcher(options: OktaOAuthUserFetcherOptions): FetchOktaUser {
  const origin = orgOrigin(options.orgUrl, options.allowInsecureLoopback === true);
  if (typeof options.clientId !== "string" || options.clientId === "" || options.privateKey === undefined)
    throw makeError("INVALID_CREDENTIALS", "give clientId and privateKey");
  ensureReady();
  const tokenUrl = `${origin}/oauth2/v1/token`;
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const now = options.now ?? Date.now;
  const nowS = () => Math.floor(now() / 1000);
  let keys: Promise<Keys> | undefined;
  let token: Token | undefined;
  let pending: Promise<Token> | undefined;
  let nonce: string | undefined;

  const loadKeys = () =>
    (keys ??= (async (): Promise<Keys> => {
      const client = await importClientKey(options.privateKey);
      if (options.dpop === "off") return { client };
      const dpop = await generateDpopKey();
      return { client, dpop: { key: dpop.key, publicJwkJson: JSON.stringify(dpop.publicJwk) } };
    })());

  /** Keeps a nonce Okta sent (`DPoP-Nonce`) when usable; returns it. */
  const keepNonce = (res: Response): string | undefined => {
    const fresh = wasm.usableDpopNonce(res.headers.get("dpop-nonce") ?? "");
    if (fresh !== undefined) nonce = fresh;
    return fresh;
  };

  const proof = async (method: string, url: string, ath: string | undefined): Promise<string | undefined> => {
    const dpop = (await loadKeys()).dpop;
    if (dpop === undefined) return undefined;
    return signJwt(
      dpop.key,
      guard(() => wasm.dpopProofInput(dpop.publicJwkJson, method, url, nowS(), jti(), nonce, ath)),
    );
  };

  const requestToken = async (): Promise<Token> => {
    const { client } = await loadKeys();
    // A new assertion each time (Okta consumes one per request); a second nonce challenge is final (the core says).
    for (let nonceSent = false; ; nonceSent = true) {
      const input = guard(() => wasm.clientAssertionInput(options.clientId, options.keyId, client.alg, tokenUrl, nowS(), jti()));
      const body = guard(() => wasm.tokenRequestBody(SCOPES)) + (await signJwt(client, input));
      const headers: Record<string, string> = { accept: "application/json", "content-type": "application/x-www-form-urlencoded" };
      const dpopProof = await proof("POST", tokenUrl, undefined);
      if (dpopProof !== undefined) headers.dpop = dpopProof;
      let res: Response;
      let text: string;
      try {
        res = await doFetch(tokenUrl, { method: "POST", headers, body, redirect: "manual" });
        text = await res.text();
      } catch (cause) {
        throw makeError("OKTA_API_ERROR", "Okta token request failed: the request did not complete", { cause });
      }
      keepNonce(res);
      if (res.status >= 300 && res.status < 400)
        throw makeError("UNEXPECTED_REDIRECT", "Okta answered the token request with a redirect; it was not followed", {
          status: res.status,
        });
      const answer = guard(() => wasm.readTokenResponse(res.status, flatHeaders(res), text, SCOPES, now(), nonceSent));
      if (answer.kind === "useNonce") {
        nonce = answer.nonce;
        continue;
      }
      if (answer.kind === "retry")
        throw makeError("OKTA_API_ERROR", `Okta's token endpoint is busy: HTTP ${res.status}`, { status: res.status });
      return {
        value: answer.value,
        dpop: answer.dpopBound,
        ath: answer.dpopBound ? await sha256b64url(answer.value) : undefined,
        refreshAt: answer.refreshAtMs,
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
    const url = userReadUrl(origin, userId);
    let refreshed = false;
    let nonceRetried = false;
    for (;;) {
      const t = await currentToken();
      const headers: Record<string, string> = { authorization: `${t.dpop ? "DPoP" : "Bearer"} ${t.value}` };
      if (t.dpop) {
        const p = await proof("GET", url, t.ath);
        if (p !== undefined) headers.dpop = p;
      }
      const res = await sendUserRead(doFetch, url, headers);
      const fresh = keepNonce(res);
      if (res.status === 401) {
        if (t.dpop && fresh !== undefined && !nonceRetried && wasm.asksForDpopNonce(res.headers.get("www-authenticate") ?? "")) {
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
      return userOfResponse(res);
    }
  };
}
