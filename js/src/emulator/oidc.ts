/**
 * OpenID Connect sign-in on the org authorization server, for the dashboard's "Sign in with Okta":
 * discovery, `/oauth2/v1/authorize` (a minimal login form for one admin user with a password; code flow
 * with PKCE S256 only), the authorization-code grant of `/oauth2/v1/token`, `/oauth2/v1/keys` and
 * `/oauth2/v1/userinfo`. Clients are public (no secret) and redirect URIs match exactly.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, timingSafeEqual, type KeyObject } from "node:crypto";
import { readBody, send, sendJson, sendOAuthError, type RequestContext } from "./http.js";

/** The admin account the login form accepts. */
export interface AdminAccount {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly name: string;
}

interface Pending {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string | undefined;
  challenge: string;
  scope: string;
  tries: number;
  expiresAt: number;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  challenge: string;
  scope: string;
  expiresAt: number;
}

const MAX_PENDING = 500;
const MAX_LOGIN_TRIES = 5;

function sameText(a: string, b: string): boolean {
  const h = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(h(a), h(b));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Keeps a map at most `max` entries (oldest first out) after dropping expired ones. */
function bound<V extends { expiresAt: number }>(map: Map<string, V>, max: number): void {
  const now = Date.now();
  for (const [k, v] of map) if (v.expiresAt <= now) map.delete(k);
  while (map.size >= max) map.delete(map.keys().next().value as string);
}

/** The emulator's OpenID provider state. */
export class OidcProvider {
  readonly issuer: string;
  readonly admin: AdminAccount;
  readonly #clients = new Map<string, Set<string>>();
  readonly #pending = new Map<string, Pending>();
  readonly #codes = new Map<string, IssuedCode>();
  readonly #accessTokens = new Map<string, { sub: string; expiresAt: number }>();
  readonly #kid = `oidc-${randomBytes(6).toString("hex")}`;
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;

  constructor(issuer: string) {
    this.issuer = issuer;
    this.admin = {
      id: `00uadmin${randomBytes(6).toString("hex")}`,
      username: "admin@example.com",
      password: randomBytes(12).toString("base64url"),
      name: "Demo Admin",
    };
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.#privateKey = pair.privateKey;
    this.#publicKey = pair.publicKey;
  }

  /** Registers a public OIDC client with its exact redirect URIs; returns its client id. */
  registerClient(redirectUris: readonly string[]): string {
    for (const uri of redirectUris) {
      const u = new URL(uri);
      if (u.hash !== "" || (u.protocol !== "https:" && u.protocol !== "http:"))
        throw new RangeError("a redirect URI must be http(s) without a fragment");
    }
    const clientId = `0oaoidc${randomBytes(7).toString("hex")}`;
    this.#clients.set(clientId, new Set(redirectUris));
    return clientId;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [{ ...this.#publicKey.export({ format: "jwk" }), kid: this.#kid, alg: "RS256", use: "sig" }] };
  }

  metadata(): Record<string, unknown> {
    const base = this.issuer;
    return {
      issuer: base,
      authorization_endpoint: `${base}/oauth2/v1/authorize`,
      token_endpoint: `${base}/oauth2/v1/token`,
      userinfo_endpoint: `${base}/oauth2/v1/userinfo`,
      jwks_uri: `${base}/oauth2/v1/keys`,
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "client_credentials"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "profile", "email"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["none", "private_key_jwt"],
    };
  }

  #idToken(sub: string, clientId: string, nonce: string | undefined): string {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: this.issuer,
      sub,
      aud: clientId,
      iat: now,
      exp: now + 3600,
      auth_time: now,
      jti: randomBytes(12).toString("base64url"),
      name: this.admin.name,
      email: this.admin.username,
      preferred_username: this.admin.username,
    };
    if (nonce !== undefined) payload["nonce"] = nonce;
    const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${enc({ alg: "RS256", typ: "JWT", kid: this.#kid })}.${enc(payload)}`;
    return `${input}.${sign("sha256", Buffer.from(input), this.#privateKey).toString("base64url")}`;
  }

  /** The login form; its CSP lets the form's answer redirect only to the client's registered redirect URI. */
  #loginPage(ctx: RequestContext, status: number, txn: string, error: string | null, redirectUri: string): void {
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in — Okta emulator</title></head>
<body><main><h1>Sign in to the Okta emulator</h1>
<p>Administrator sign-in for the okta-directory dashboard (a local emulator, never a real org).</p>
${error === null ? "" : `<p role="alert" id="login-error">${escapeHtml(error)}</p>`}
<form method="post" action="/oauth2/v1/authorize/login">
<input type="hidden" name="txn" value="${escapeHtml(txn)}">
<p><label for="username">Username</label><br><input id="username" name="username" autocomplete="username" required></p>
<p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form></main></body></html>`;
    send(ctx, status, html, {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": `default-src 'none'; form-action 'self' ${new URL(redirectUri).origin}; frame-ancestors 'none'; base-uri 'none'`,
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "same-origin",
    });
  }

  /** GET /oauth2/v1/authorize: checks the request, then shows the login form. */
  authorize(ctx: RequestContext): void {
    const q = ctx.url.searchParams;
    const clientId = q.get("client_id") ?? "";
    const redirectUri = q.get("redirect_uri") ?? "";
    const uris = this.#clients.get(clientId);
    // Never redirect to an unregistered URI: the error is shown here instead.
    if (uris === undefined || !uris.has(redirectUri))
      return sendOAuthError(ctx, 400, "invalid_request", "Unknown client or unregistered redirect_uri.");
    const fail = (error: string, description: string): void => {
      const to = new URL(redirectUri);
      to.searchParams.set("error", error);
      to.searchParams.set("error_description", description);
      if (q.get("state")) to.searchParams.set("state", q.get("state") ?? "");
      send(ctx, 302, "", { Location: to.toString(), "Cache-Control": "no-store" });
    };
    if (q.get("response_type") !== "code") return fail("unsupported_response_type", "Only the code flow is supported.");
    const scope = q.get("scope") ?? "";
    if (!scope.split(" ").includes("openid")) return fail("invalid_scope", "The openid scope is required.");
    const challenge = q.get("code_challenge") ?? "";
    if (q.get("code_challenge_method") !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return fail("invalid_request", "PKCE with S256 is required.");
    const state = q.get("state") ?? "";
    if (state === "" || state.length > 512) return fail("invalid_request", "A state is required.");
    bound(this.#pending, MAX_PENDING);
    const txn = randomBytes(18).toString("base64url");
    this.#pending.set(txn, {
      clientId,
      redirectUri,
      state,
      nonce: q.get("nonce") ?? undefined,
      challenge,
      scope,
      tries: 0,
      expiresAt: Date.now() + 10 * 60_000,
    });
    this.#loginPage(ctx, 200, txn, null, redirectUri);
  }

  /** POST /oauth2/v1/authorize/login: the form's answer; a code on success. */
  async login(ctx: RequestContext): Promise<void> {
    const origin = ctx.req.headers.origin;
    if (origin !== undefined && origin !== this.issuer) return sendOAuthError(ctx, 403, "access_denied", "Cross-origin sign-in form.");
    const form = new URLSearchParams(await readBody(ctx.req, 16 * 1024));
    const txn = form.get("txn") ?? "";
    const p = this.#pending.get(txn);
    if (p === undefined || p.expiresAt <= Date.now())
      return sendOAuthError(ctx, 400, "invalid_request", "This sign-in expired; start again from the application.");
    const ok = sameText(form.get("username") ?? "", this.admin.username) && sameText(form.get("password") ?? "", this.admin.password);
    if (!ok) {
      p.tries += 1;
      if (p.tries >= MAX_LOGIN_TRIES) {
        this.#pending.delete(txn);
        return sendOAuthError(ctx, 429, "access_denied", "Too many failed sign-ins; start again from the application.");
      }
      return this.#loginPage(ctx, 401, txn, "The username or password is not right.", p.redirectUri);
    }
    this.#pending.delete(txn);
    bound(this.#codes, MAX_PENDING);
    const code = randomBytes(24).toString("base64url");
    this.#codes.set(code, {
      clientId: p.clientId,
      redirectUri: p.redirectUri,
      nonce: p.nonce,
      challenge: p.challenge,
      scope: p.scope,
      expiresAt: Date.now() + 60_000,
    });
    const to = new URL(p.redirectUri);
    to.searchParams.set("code", code);
    to.searchParams.set("state", p.state);
    send(ctx, 302, "", { Location: to.toString(), "Cache-Control": "no-store" });
  }

  /** The authorization-code grant of the token endpoint (single-use code, PKCE, exact redirect URI). */
  token(form: URLSearchParams): { status: number; body: Record<string, string | number> } {
    const bad = (error: string, description: string): { status: number; body: Record<string, string | number> } => ({
      status: 400,
      body: { error, error_description: description },
    });
    const code = form.get("code") ?? "";
    const issued = this.#codes.get(code);
    this.#codes.delete(code);
    if (issued === undefined || issued.expiresAt <= Date.now())
      return bad("invalid_grant", "The authorization code is invalid or has expired.");
    if (form.get("client_id") !== issued.clientId || form.get("redirect_uri") !== issued.redirectUri)
      return bad("invalid_grant", "The code was issued to another client or redirect_uri.");
    const verifier = form.get("code_verifier") ?? "";
    const computed = createHash("sha256").update(verifier).digest("base64url");
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !sameText(computed, issued.challenge))
      return bad("invalid_grant", "PKCE verification failed.");
    const accessToken = randomBytes(32).toString("base64url");
    bound(this.#accessTokens, 10_000);
    this.#accessTokens.set(accessToken, { sub: this.admin.id, expiresAt: Date.now() + 3600_000 });
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: 3600,
        access_token: accessToken,
        scope: issued.scope,
        id_token: this.#idToken(this.admin.id, issued.clientId, issued.nonce),
      },
    };
  }

  /** GET /oauth2/v1/userinfo with the access token of a sign-in. */
  userinfo(ctx: RequestContext): void {
    const auth = ctx.req.headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    const record = this.#accessTokens.get(token);
    if (record === undefined || record.expiresAt <= Date.now())
      return sendOAuthError(ctx, 401, "invalid_token", "The access token is invalid.", {
        "WWW-Authenticate": 'Bearer error="invalid_token"',
      });
    sendJson(ctx, 200, { sub: record.sub, name: this.admin.name, email: this.admin.username, preferred_username: this.admin.username });
  }
}

/** Handles the OIDC paths; false for any other path (the token endpoint is routed by the server). */
export async function handleOidc(ctx: RequestContext, provider: OidcProvider): Promise<boolean> {
  const path = ctx.url.pathname;
  const method = ctx.req.method ?? "GET";
  if (path === "/.well-known/openid-configuration" && method === "GET") sendJson(ctx, 200, provider.metadata());
  else if (path === "/oauth2/v1/keys" && method === "GET") sendJson(ctx, 200, provider.jwks(), { "Cache-Control": "max-age=300" });
  else if (path === "/oauth2/v1/authorize" && method === "GET") provider.authorize(ctx);
  else if (path === "/oauth2/v1/authorize/login" && method === "POST") await provider.login(ctx);
  else if (path === "/oauth2/v1/userinfo" && (method === "GET" || method === "POST")) provider.userinfo(ctx);
  else return false;
  return true;
}
