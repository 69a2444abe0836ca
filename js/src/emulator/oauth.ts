/**
 * The org authorization server's token endpoint (client credentials + private_key_jwt only) and the
 * access tokens it issues. Registered apps, their keys and their granted scopes live here.
 */
import { createHash, randomBytes, type KeyObject } from "node:crypto";
import { DpopError, DpopVerifier } from "./dpop.js";
import { ReplayCache, decodeJwt, isJwsAlg, verifySignature } from "./jwt.js";
import { randomBase62, Rng } from "./random.js";

export type DpopMode = "off" | "optional" | "required";

export interface AppKey {
  kid: string;
  key: KeyObject;
}

export interface OAuthApp {
  clientId: string;
  keys: AppKey[];
  grantedScopes: Set<string>;
  dpop: DpopMode;
}

export interface AccessTokenRecord {
  clientId: string;
  scopes: string[];
  expiresAt: number;
  /** JWK thumbprint of the DPoP key the token is bound to, or null for a Bearer token. */
  jkt: string | null;
}

/** Scopes this emulator knows; anything else is `invalid_scope`, as for an unknown Okta scope. */
export const KNOWN_SCOPES = new Set([
  "okta.users.read",
  "okta.users.manage",
  "okta.groups.read",
  "okta.groups.manage",
  "okta.logs.read",
  "okta.schemas.read",
  "okta.apps.read",
  "okta.orgs.read",
]);

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface TokenResult {
  status: number;
  body: Record<string, string | number>;
  headers: Record<string, string>;
}

const err = (status: number, error: string, description: string, headers: Record<string, string> = {}): TokenResult => ({
  status,
  body: { error, error_description: description },
  headers,
});

export class OAuthServer {
  readonly apps = new Map<string, OAuthApp>();
  readonly tokens = new Map<string, AccessTokenRecord>();
  readonly dpop = new DpopVerifier();
  readonly #assertions = new ReplayCache();
  /** Set by the fault injector: the next N token requests get a nonce challenge whatever they send. */
  forcedNonceChallenges = 0;
  /** DPoP mode of apps registered without one ("required" with the `dpopRequiredForNewApps` realism switch). */
  defaultDpop: DpopMode = "optional";

  constructor(
    readonly tokenUrl: string,
    public tokenTtlSeconds = 3600,
  ) {}

  registerApp(app: { clientId?: string; keys: AppKey[]; grantedScopes?: Iterable<string>; dpop?: DpopMode }): OAuthApp {
    const rng = new Rng(randomBytes(4).readUInt32LE(0));
    const registered: OAuthApp = {
      clientId: app.clientId ?? `0oa${randomBase62(rng, 17)}`,
      keys: app.keys,
      grantedScopes: new Set(app.grantedScopes ?? ["okta.users.read", "okta.groups.read", "okta.logs.read"]),
      dpop: app.dpop ?? this.defaultDpop,
    };
    this.apps.set(registered.clientId, registered);
    return registered;
  }

  /** Makes every issued access token expire now (the "token expiry mid-sync" fault). */
  expireAllTokens(): void {
    const now = Date.now();
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, now - 1);
  }

  /** Handles one token request; `form` is the decoded body, `dpopProof` the DPoP header if any. */
  token(form: URLSearchParams, dpopProof: string | undefined, origin: string | undefined): TokenResult {
    if (origin !== undefined)
      return err(401, "invalid_client", "Browser requests to the token endpoint must use Proof Key for Code Exchange.");
    const grant = form.get("grant_type");
    if (grant === null) return err(400, "invalid_request", "The token request must specify a 'grant_type'.");
    if (grant !== "client_credentials")
      return err(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.");
    if (form.has("client_secret"))
      return err(
        401,
        "invalid_client",
        "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.",
      );
    const assertionType = form.get("client_assertion_type");
    const assertion = form.get("client_assertion");
    if (assertion === null)
      return err(
        401,
        "invalid_client",
        "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.",
      );
    if (assertionType !== CLIENT_ASSERTION_TYPE) return err(400, "invalid_request", "The client_assertion_type is invalid.");

    const auth = this.#authenticateClient(assertion, form.get("client_id"));
    if ("error" in auth) return auth.error;
    const app = auth.app;

    // The assertion is consumed from here on: a DPoP nonce challenge needs a new assertion, as in Okta.
    let jkt: string | null = null;
    if (app.dpop === "required" && dpopProof === undefined) return err(400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.");
    if (app.dpop !== "off" && dpopProof !== undefined) {
      if (this.forcedNonceChallenges > 0) {
        this.forcedNonceChallenges--;
        const nonce = this.dpop.rotateHard();
        return err(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.", { "dpop-nonce": nonce });
      }
      try {
        jkt = this.dpop.verify(dpopProof, { method: "POST", htu: this.tokenUrl, requireNonce: true });
      } catch (e) {
        if (!(e instanceof DpopError)) throw e;
        const headers: Record<string, string> = e.error === "use_dpop_nonce" ? { "dpop-nonce": this.dpop.nonce } : {};
        return err(400, e.error, e.message, headers);
      }
    }

    const requested = (form.get("scope") ?? "").split(" ").filter((s) => s !== "");
    if (requested.length === 0)
      return err(
        400,
        "invalid_scope",
        "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      );
    if (requested.includes("openid"))
      return err(400, "invalid_scope", "The following scope is not allowed with the client_credentials grant: 'openid'.");
    if (requested.some((s) => !KNOWN_SCOPES.has(s)))
      return err(400, "invalid_scope", "One or more scopes are not configured for the authorization server resource.");
    // Okta grants the intersection silently; only an empty intersection is an error.
    const granted = [...new Set(requested)].filter((s) => app.grantedScopes.has(s));
    if (granted.length === 0) return err(400, "consent_required", "You are not allowed any of the requested scopes.");

    const accessToken = `eyJ${randomBytes(48).toString("base64url")}`;
    this.tokens.set(accessToken, { clientId: app.clientId, scopes: granted, expiresAt: Date.now() + this.tokenTtlSeconds * 1000, jkt });
    return {
      status: 200,
      body: {
        token_type: jkt === null ? "Bearer" : "DPoP",
        expires_in: this.tokenTtlSeconds,
        access_token: accessToken,
        scope: granted.join(" "),
      },
      headers: { "Cache-Control": "no-store", Pragma: "no-cache" },
    };
  }

  #authenticateClient(assertion: string, clientIdParam: string | null): { app: OAuthApp } | { error: TokenResult } {
    const fail = (description: string): { error: TokenResult } => ({ error: err(401, "invalid_client", description) });
    let jwt;
    try {
      jwt = decodeJwt(assertion);
    } catch {
      return fail("The client_assertion token is malformed.");
    }
    const { header, payload } = jwt;
    const iss = payload["iss"];
    const sub = payload["sub"];
    if (typeof iss !== "string" || iss !== sub) return fail("The issuer and subject claim for client_assertion must be the client_id.");
    if (clientIdParam !== null && clientIdParam !== iss) return fail("The client_id does not match the client_assertion issuer.");
    const app = this.apps.get(iss);
    if (app === undefined) return fail("The client_id is invalid.");
    const alg = header["alg"];
    if (!isJwsAlg(alg)) return fail("The client_assertion token has an unsupported signing algorithm.");
    const kid = header["kid"];
    const key = typeof kid === "string" ? app.keys.find((k) => k.kid === kid) : app.keys.length === 1 ? app.keys[0] : undefined;
    if (key === undefined)
      return fail(
        typeof kid === "string"
          ? "The client_assertion 'kid' does not match a registered key."
          : "The client_assertion token needs a 'kid' header.",
      );
    if (!verifySignature(jwt, alg, key.key)) return fail("The client_assertion signature is invalid.");
    if (payload["aud"] !== this.tokenUrl)
      return fail("The audience claim for client_assertion must be the endpoint invoked for the request.");
    const now = Math.floor(Date.now() / 1000);
    const exp = payload["exp"];
    if (typeof exp !== "number") return fail("The client_assertion token must have an expiration claim.");
    if (exp <= now) return fail("The client_assertion token is expired.");
    if (exp > now + 3600) return fail("The client_assertion token has an expiration too far into the future.");
    const iat = payload["iat"];
    if (iat !== undefined && (typeof iat !== "number" || iat > now))
      return fail("The client_assertion token has an issued-at time in the future.");
    // Without a jti, the assertion itself is the replay key: Okta refuses a reused assertion either way.
    const jti = payload["jti"];
    const replayKey = typeof jti === "string" ? `jti:${iss}:${jti}` : `jwt:${createHash("sha256").update(assertion).digest("base64url")}`;
    if (!this.#assertions.use(replayKey, (exp + 60) * 1000)) return fail("The client_assertion token has already been used.");
    return { app };
  }
}
