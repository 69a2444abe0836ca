/**
 * The emulator's HTTP server (node:http only). Per request: control API (loopback) or, for the Okta
 * API, concurrency → rate limit → faults → authentication → route. Every Okta response carries
 * `Date`, `X-Okta-Request-Id` and the `X-Rate-Limit-*` headers of its bucket.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiAuthenticator, principalOf } from "./auth.js";
import { handleControl } from "./control.js";
import { Faults } from "./faults.js";
import { IdvVendor, handleIdv } from "./idv.js";
import { newRequestId, readBody, send, sendJson, sendOAuthError, sendOktaError, type Headers, type RequestContext } from "./http.js";
import { OAuthServer, type DpopMode } from "./oauth.js";
import { OidcProvider, handleOidc, type AdminAccount } from "./oidc.js";
import { RateLimiter, WORKFORCE_DEFAULTS, bucketOf, parseRateLimitSpec, type RateLimitConfig } from "./ratelimit.js";
import { getGroup, listGroups, listLogs, listMembers } from "./routes-groups.js";
import { getUser, listUserGroups, listUsers } from "./routes-users.js";
import { applyFaultSpec, type Env } from "./server-env.js";
import { EventHooks } from "./event-hooks.js";
import { DirectoryStore } from "./store.js";
import { userJsonBytes } from "./user-json.js";
import { groupSchema, resolveRealism, userSchema, type RealismOption } from "./realism.js";

export interface EmulatorOptions {
  users: number;
  groups?: number;
  seed?: number;
  /** Share (0–1) of users lacking each optional attribute; default 0.1. */
  missingShare?: number;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the emulator accepts any well-formed credential it issued, so keep it local. */
  host?: string;
  /** `off` or e.g. `users=600,groups=500,share=50,concurrency=75`; default Okta's Workforce limits. */
  rateLimit?: string | RateLimitConfig;
  /** See FAULTS in faults.ts, e.g. `429=3,reset=1`. */
  faults?: string;
  tokenTtlSeconds?: number;
  /** DPoP for the default app: off, optional (default; bound when a proof is sent) or required. */
  dpop?: DpopMode;
  /** Scopes granted to the default app; default users, groups and logs read. */
  grantedScopes?: string[];
  /** Key type of the default app's generated key; default RSA (what the Node SDK's DPoP proofs need). */
  keyType?: "RSA" | "EC";
  /** How messy the emulator is (see realism.ts and docs/emulator.md): "tidy" (default), "messy" or named switches. */
  realism?: RealismOption;
}

export interface RunningEmulator {
  readonly url: string;
  readonly clientId: string;
  readonly keyId: string;
  /** PKCS#8 PEM of the default app's private key. */
  readonly privateKeyPem: string;
  readonly apiToken: string;
  readonly env: Env;
  /** The demo identity-verification vendor (`/idv/…`): issuer `${url}/idv`. */
  readonly idv: IdvVendor;
  /** The OpenID provider for admin sign-in (issuer `url`): register a client with `oidc.registerClient`. */
  readonly oidc: OidcProvider;
  /** The admin user the sign-in form accepts (a local emulator's credentials, reported at start). */
  readonly admin: AdminAccount;
  close(): Promise<void>;
}

const SCOPE_BY_PREFIX: readonly (readonly [RegExp, string])[] = [
  [/^\/api\/v1\/users(\/|$)/, "okta.users.read"],
  [/^\/api\/v1\/groups(\/|$)/, "okta.groups.read"],
  [/^\/api\/v1\/logs$/, "okta.logs.read"],
  [/^\/api\/v1\/meta\/schemas\/(user|group)\/default$/, "okta.schemas.read"],
  [/^\/api\/v1\/eventHooks(\/|$)/, "okta.eventHooks.manage"],
];

/** Percent-decodes a path (segment); null for malformed escapes, which Okta answers with a 404. */
function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

async function handleApi(ctx: RequestContext, env: Env, auth: ApiAuthenticator, rate: Headers): Promise<void> {
  const { req, url } = ctx;
  const path = safeDecode(url.pathname);
  if (path === null) return sendOktaError(ctx, "E0000007", rate);
  const schemas = env.store.realism.schemaEndpoints;
  const scope = SCOPE_BY_PREFIX.find(([re]) => re.test(url.pathname))?.[1];
  if (scope === undefined || (scope === "okta.schemas.read" && !schemas))
    return sendOktaError(ctx, "E0000007", rate, `Not found: Resource not found: ${url.pathname.slice(0, 100)}`);
  const hooks = scope === "okta.eventHooks.manage" ? env.hooks : undefined;
  if (req.method !== "GET" && hooks === undefined) return sendOktaError(ctx, "E0000022", rate);
  if (env.faults.countdown("token-expiry")) env.oauth.expireAllTokens();
  const result = auth.authenticate(req, path, scope);
  if (!result.ok) {
    const headers = { ...rate, ...result.headers };
    if (result.oauthError !== undefined)
      return sendOAuthError(ctx, result.status, result.oauthError.error, result.oauthError.description, headers);
    return result.code === null ? send(ctx, result.status, "", headers) : sendOktaError(ctx, result.code, headers);
  }
  if (hooks !== undefined) return hooks.handle(ctx, rate);
  const seg = url.pathname
    .split("/")
    .slice(4)
    .map((p) => safeDecode(p) ?? ""); // after /api/v1/{users|groups}
  if (url.pathname.startsWith("/api/v1/users")) {
    if (seg.length === 0) return listUsers(ctx, env, rate);
    if (seg.length === 1 && seg[0] !== undefined) return getUser(ctx, env, seg[0], rate);
    if (seg.length === 2 && seg[1] === "groups" && seg[0] !== undefined) return listUserGroups(ctx, env, seg[0], rate);
  } else if (url.pathname.startsWith("/api/v1/groups")) {
    if (seg.length === 0) return listGroups(ctx, env, rate);
    if (seg.length === 1 && seg[0] !== undefined) return getGroup(ctx, env, seg[0], rate);
    if (seg.length === 2 && seg[1] === "users" && seg[0] !== undefined) return listMembers(ctx, env, seg[0], rate);
  } else if (url.pathname === "/api/v1/logs") return listLogs(ctx, env, rate);
  else if (url.pathname === "/api/v1/meta/schemas/user/default")
    return sendJson(ctx, 200, userSchema(env.baseUrl, env.store.realism), rate);
  else if (url.pathname === "/api/v1/meta/schemas/group/default") return sendJson(ctx, 200, groupSchema(env.baseUrl), rate);
  sendOktaError(ctx, "E0000007", rate, `Not found: Resource not found: ${url.pathname.slice(0, 100)}`);
}

/** Applies the per-request faults that replace or delay the whole response; true when one answered. */
async function requestFaults(ctx: RequestContext, env: Env, rate: Headers): Promise<boolean> {
  const slow = env.faults.take("slow");
  if (slow !== undefined) await new Promise((r) => setTimeout(r, slow.arg ?? 1500));
  if (env.faults.take("stall")) return true; // never answered; the socket closes with the server or the client
  const storm = env.faults.take("429");
  if (storm !== undefined) {
    // ARG: seconds until the advertised reset (default: the bucket's own window end, up to a minute away).
    const reset = storm.arg === null ? {} : { "X-Rate-Limit-Reset": String(Math.ceil(Date.now() / 1000) + storm.arg) };
    sendOktaError(ctx, "E0000047", { ...rate, "X-Rate-Limit-Remaining": "0", ...reset });
    return true;
  }
  if (env.faults.take("concurrency")) {
    sendOktaError(ctx, "E0000047", RateLimiter.concurrencyHeaders());
    return true;
  }
  if (env.faults.take("5xx")) {
    const status = env.faults.nextServerError();
    if (status === 502) send(ctx, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", { ...rate, "Content-Type": "text/html" });
    else sendOktaError(ctx, status === 500 ? "E0000009" : "E0000010", rate);
    return true;
  }
  return false;
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const realism = resolveRealism(options.realism);
  const store = new DirectoryStore(options, realism);
  const limiterConfig =
    typeof options.rateLimit === "string" ? parseRateLimitSpec(options.rateLimit) : (options.rateLimit ?? WORKFORCE_DEFAULTS);
  const faults = new Faults();
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const oauth = new OAuthServer(`${baseUrl}/oauth2/v1/token`, options.tokenTtlSeconds ?? 3600);
  const oidc = new OidcProvider(baseUrl);
  if (realism.dpopRequiredForNewApps) oauth.defaultDpop = "required";
  const env: Env = { baseUrl, store, faults, oauth, limiter: new RateLimiter(limiterConfig), oidc, hooks: new EventHooks(baseUrl, store) };
  if (options.faults !== undefined) applyFaultSpec(env, options.faults);
  // Serialize every user once now, as a real org answers its first page as fast as its last: otherwise the
  // first sync against a fresh emulator pays for the JSON cache (≈ 0.5 s per 100k users).
  for (const u of store.users) userJsonBytes(u, baseUrl);

  const keyPair =
    options.keyType === "EC" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyId = `kid-${randomBytes(6).toString("hex")}`;
  const app = oauth.registerApp({
    keys: [{ kid: keyId, key: keyPair.publicKey }],
    ...(options.grantedScopes === undefined
      ? realism.schemaEndpoints
        ? { grantedScopes: ["okta.users.read", "okta.groups.read", "okta.logs.read", "okta.schemas.read"] }
        : {}
      : { grantedScopes: options.grantedScopes }),
    ...(options.dpop === undefined ? {} : { dpop: options.dpop }),
  });
  const idv = new IdvVendor(baseUrl);
  const apiToken = `00${randomBytes(30).toString("base64url")}`;
  const auth = new ApiAuthenticator(baseUrl, new Set([apiToken]), oauth);

  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", baseUrl);
    const ctx: RequestContext = { req, res, url, baseUrl, requestId: newRequestId(), sparseErrors: realism.sparseErrorBodies };
    const run = async (): Promise<void> => {
      if (url.pathname.startsWith("/__control/")) return handleControl(ctx, env);
      if (url.pathname.startsWith("/idv/")) return void (await handleIdv(ctx, env, idv));
      if (await handleOidc(ctx, oidc)) return;
      if (!env.limiter.enter()) return sendOktaError(ctx, "E0000047", RateLimiter.concurrencyHeaders());
      res.once("close", () => env.limiter.leave());
      const bucket = bucketOf(req.method ?? "GET", url.pathname);
      const taken = env.limiter.take(bucket, principalOf(req, oauth));
      const rate: Headers = { ...taken.headers };
      if (taken.limited) return sendOktaError(ctx, "E0000047", rate);
      if (url.pathname === "/oauth2/v1/token") {
        if (req.method !== "POST") return sendOAuthError(ctx, 405, "invalid_request", "The token endpoint accepts POST only.", rate);
        if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
          return sendOAuthError(ctx, 400, "invalid_request", "The token request must be form-encoded.", rate);
        const form = new URLSearchParams(await readBody(req));
        // The OIDC sign-in's code grant (public clients, PKCE); a service app's assertion keeps its own path.
        if (form.get("grant_type") === "authorization_code" && !form.has("client_assertion")) {
          const result = oidc.token(form);
          return sendJson(ctx, result.status, result.body, { ...rate, "Cache-Control": "no-store", Pragma: "no-cache" });
        }
        const dpop = req.headers["dpop"];
        const result = oauth.token(form, typeof dpop === "string" ? dpop : undefined, req.headers.origin);
        return sendJson(ctx, result.status, result.body, { ...rate, ...result.headers });
      }
      if (await requestFaults(ctx, env, rate)) return;
      return handleApi(ctx, env, auth, rate);
    };
    run().catch(() => {
      // Never echo the error: it could quote a credential or a profile value.
      if (!res.headersSent) sendOktaError(ctx, "E0000009");
      else res.destroy();
    });
  });

  return {
    url: baseUrl,
    clientId: app.clientId,
    keyId,
    privateKeyPem: keyPair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    apiToken,
    env,
    idv,
    oidc,
    admin: oidc.admin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
