/**
 * The control API under `/__control/`, loopback only: mutate the directory during a test, read the
 * ground truth (every user incl. DEPROVISIONED, groups, memberships), set faults and rate limits,
 * register extra OAuth apps.
 */
import { createPublicKey } from "node:crypto";
import { readBody, sendJson, type RequestContext } from "./http.js";
import { parseRateLimitSpec } from "./ratelimit.js";
import { userJson, groupJson } from "./routes-users.js";
import { applyFaultSpec, type Env } from "./server-env.js";
import { StoreError } from "./store.js";
import { USER_STATUSES, type Profile, type UserStatus } from "./types.js";
import type { DpopMode } from "./oauth.js";

export function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

function fail(ctx: RequestContext, status: number, message: string): void {
  sendJson(ctx, status, { error: message });
}

async function jsonBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const text = await readBody(ctx.req);
  if (text.trim() === "") return {};
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new StoreError(400, "the body must be a JSON object");
  return value as Record<string, unknown>;
}

function profileOf(v: unknown): Profile | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new StoreError(400, "profile must be an object");
  return v as Profile;
}

function statusOf(v: unknown): UserStatus | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !(USER_STATUSES as readonly string[]).includes(v)) throw new StoreError(400, "unknown status");
  return v as UserStatus;
}

/** The ground truth a sync must reproduce. */
export function groundTruth(env: Env): { users: unknown[]; groups: unknown[]; memberships: Record<string, string[]> } {
  return {
    users: env.store.users.map((u) => userJson(u, env.baseUrl)),
    groups: env.store.groups.map((g) => groupJson(g, env.baseUrl)),
    memberships: Object.fromEntries([...env.store.members].map(([g, ids]) => [g, [...ids]])),
  };
}

/**
 * True when a control request comes from this machine's own tools: a loopback peer, the emulator's own
 * Host (a DNS-rebound name is refused) and no foreign Origin (a page elsewhere posting no-cors is refused).
 */
export function trustedControlRequest(ctx: RequestContext): boolean {
  if (!isLoopback(ctx.req.socket.remoteAddress)) return false;
  const own = new URL(ctx.baseUrl);
  const host = ctx.req.headers.host ?? "";
  const hosts = new Set([own.host, `localhost:${own.port}`, `127.0.0.1:${own.port}`, `[::1]:${own.port}`]);
  if (!hosts.has(host)) return false;
  const origin = ctx.req.headers.origin;
  return origin === undefined || origin === ctx.baseUrl || origin === `http://${host}`;
}

export async function handleControl(ctx: RequestContext, env: Env): Promise<void> {
  if (!trustedControlRequest(ctx))
    return fail(ctx, 403, "the control API answers this machine's own tools only (loopback, own Host, no foreign Origin)");
  const method = ctx.req.method ?? "GET";
  try {
    const parts = ctx.url.pathname.split("/").slice(2).map(decodeURIComponent); // after "/__control"
    const [a = "", b, c, d] = parts;
    if (method === "GET" && a === "state") return sendJson(ctx, 200, groundTruth(env));
    if (method === "GET" && a === "users" && b === undefined)
      return sendJson(
        ctx,
        200,
        env.store.users.map((u) => userJson(u, env.baseUrl)),
      );
    if (method === "GET" && a === "groups" && b === undefined)
      return sendJson(
        ctx,
        200,
        env.store.groups.map((g) => groupJson(g, env.baseUrl)),
      );
    if (method === "GET" && a === "memberships") return sendJson(ctx, 200, groundTruth(env).memberships);
    if (method === "GET" && a === "events") return sendJson(ctx, 200, env.store.events);
    if (method === "POST" && a === "users" && b === undefined) {
      const body = await jsonBody(ctx);
      const user = env.store.createUser(profileOf(body["profile"]) ?? {}, statusOf(body["status"]) ?? "ACTIVE");
      for (const gid of Array.isArray(body["groupIds"]) ? body["groupIds"] : []) env.store.addMember(String(gid), user.id);
      return sendJson(ctx, 201, userJson(user, env.baseUrl));
    }
    if ((method === "PATCH" || method === "POST") && a === "users" && b !== undefined && c === undefined) {
      const body = await jsonBody(ctx);
      const change: { profile?: Profile; status?: UserStatus } = {};
      const profile = profileOf(body["profile"]);
      const status = statusOf(body["status"]);
      if (profile !== undefined) change.profile = profile;
      if (status !== undefined) change.status = status;
      return sendJson(ctx, 200, userJson(env.store.updateUser(b, change), env.baseUrl));
    }
    if (method === "POST" && a === "users" && b !== undefined && c === "deactivate")
      return sendJson(ctx, 200, userJson(env.store.deactivateUser(b), env.baseUrl));
    if (method === "DELETE" && a === "users" && b !== undefined && c === undefined) {
      env.store.deleteUser(b);
      return sendJson(ctx, 200, { deleted: b });
    }
    if (a === "groups" && b !== undefined && c === "users" && d !== undefined && (method === "PUT" || method === "DELETE")) {
      if (method === "PUT") env.store.addMember(b, d);
      else env.store.removeMember(b, d);
      return sendJson(ctx, 200, { groupId: b, userId: d, member: method === "PUT" });
    }
    if (a === "late-events" && method === "POST") {
      // The next `count` System Log events are stamped `published` at `publishedMs` although written now: events
      // Okta persists late, behind a poll that already read past their time.
      const body = await jsonBody(ctx);
      const ms = Number(body["publishedMs"]);
      const count = Number(body["count"] ?? 1);
      if (!Number.isFinite(ms) || !Number.isInteger(count) || count < 1)
        throw new StoreError(400, "publishedMs (a number) and count (a positive integer) are required");
      env.store.backdate = { ms, count };
      return sendJson(ctx, 200, env.store.backdate);
    }
    if (a === "event-hooks" && env.hooks !== undefined) {
      if (method === "GET" && b === "deliveries") return sendJson(ctx, 200, env.hooks.deliveries);
      if (method === "POST" && b === "idle") return sendJson(ctx, 200, await env.hooks.idle().then(() => ({ idle: true })));
      if (method === "POST" && b !== undefined && c === "redeliver")
        return sendJson(ctx, 200, { redelivered: await env.hooks.redeliver(b) });
    }
    if (a === "faults" && method === "GET") return sendJson(ctx, 200, env.faults.describe());
    if (a === "faults" && method === "POST") {
      const body = await jsonBody(ctx);
      if (body["clear"] === true) env.faults.clear();
      if (typeof body["spec"] === "string") applyFaultSpec(env, body["spec"]);
      return sendJson(ctx, 200, env.faults.describe());
    }
    if (a === "rate-limit" && method === "POST") {
      const body = await jsonBody(ctx);
      env.limiter.reconfigure(parseRateLimitSpec(String(body["spec"] ?? "")));
      return sendJson(ctx, 200, env.limiter.config);
    }
    if (a === "apps" && method === "POST") {
      const body = await jsonBody(ctx);
      const jwk = body["jwk"];
      const pem = body["publicKeyPem"];
      const key =
        typeof pem === "string" ? createPublicKey(pem) : createPublicKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" });
      const scopes = Array.isArray(body["grantedScopes"]) ? body["grantedScopes"].map(String) : undefined;
      const dpop = body["dpop"];
      const app = env.oauth.registerApp({
        keys: [{ kid: typeof body["kid"] === "string" ? body["kid"] : "key-1", key }],
        ...(scopes === undefined ? {} : { grantedScopes: scopes }),
        ...(dpop === "off" || dpop === "optional" || dpop === "required" ? { dpop: dpop as DpopMode } : {}),
      });
      return sendJson(ctx, 201, { clientId: app.clientId, grantedScopes: [...app.grantedScopes], dpop: app.dpop });
    }
    if (a === "apps" && b !== undefined && c === undefined && (method === "PATCH" || method === "GET")) {
      // Grant or withhold scopes of a registered app (an admin editing "Okta API Scopes"), or switch DPoP.
      const app = env.oauth.apps.get(b);
      if (app === undefined) throw new StoreError(404, "unknown app");
      if (method === "PATCH") {
        const body = await jsonBody(ctx);
        const scopes = body["grantedScopes"];
        if (scopes !== undefined) {
          if (!Array.isArray(scopes)) throw new StoreError(400, "grantedScopes must be an array");
          app.grantedScopes = new Set(scopes.map(String));
        }
        const dpop = body["dpop"];
        if (dpop === "off" || dpop === "optional" || dpop === "required") app.dpop = dpop;
      }
      return sendJson(ctx, 200, { clientId: app.clientId, grantedScopes: [...app.grantedScopes], dpop: app.dpop });
    }
    if (a === "oidc-clients" && method === "POST" && env.oidc !== undefined) {
      const body = await jsonBody(ctx);
      const uris = body["redirectUris"];
      if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === "string"))
        throw new StoreError(400, "redirectUris must be a non-empty array of strings");
      return sendJson(ctx, 201, { clientId: env.oidc.registerClient(uris as string[]), issuer: env.oidc.issuer });
    }
    if (a === "token-ttl" && method === "POST") {
      const body = await jsonBody(ctx);
      const s = Number(body["seconds"]);
      if (!Number.isInteger(s) || s < 1) throw new StoreError(400, "seconds must be a positive integer");
      env.oauth.tokenTtlSeconds = s;
      return sendJson(ctx, 200, { seconds: s });
    }
    if (a === "expire-tokens" && method === "POST") {
      env.oauth.expireAllTokens();
      return sendJson(ctx, 200, { expired: true });
    }
    return fail(ctx, 404, "unknown control endpoint");
  } catch (e) {
    if (e instanceof StoreError) return fail(ctx, e.status, e.message);
    if (e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError || e instanceof URIError)
      return fail(ctx, 400, e.message);
    throw e;
  }
}
