// The server's routes as tables (method, path pattern, handler) and the request handler that applies them:
// the host check (DNS rebinding), the portal's anonymous API (/portal-api/), admin sign-in (/auth/), the
// admin API (/api/, a signed-in admin and, on writes, this server's own Origin) and static files (the
// browser app in www/app/ and the SDK's browser build under /sdk/).
import { readFile, stat } from "node:fs/promises";
import { httpStatusOf } from "../../js/dist/node.js";
import { checkSchedule } from "./schedule.mjs";
import { OidcError } from "./oidc-client.mjs";
import { SESSION_COOKIE, cookie, parseCookies, sameOrigin } from "./admin-auth.mjs";
import { fail, isBadBody, json, matchRoute, readJson, safeDecode } from "./http.mjs";
import { createIntegration, publicView, removeIntegration, save, updateIntegration } from "./integrations.mjs";
import { STATIC_ROOTS, contentType, resolveStatic } from "./static.mjs";
import { authorize, errorInfo, sync } from "./sync.mjs";
import { userDetail } from "./views.mjs";

/**
 * @typedef {import("./app.mjs").App} App
 * @typedef {import("./integrations.mjs").Integration} Integration
 * @typedef {import("./views.mjs").View} View
 * @typedef {import("./http.mjs").Request} Request
 * @typedef {import("./http.mjs").Response} Response
 * @typedef {{ app: App, req: Request, res: Response, url: URL }} Ctx
 * @typedef {Ctx & { admin: import("./admin-auth.mjs").AdminSession }} AdminCtx a request of a signed-in admin
 * @typedef {import("./http.mjs").Route<Ctx>} Route
 * @typedef {import("./http.mjs").Route<AdminCtx>} AdminRoute
 */

/** The admin session of a request, or undefined. @param {App} app @param {Request} req */
const adminOf = (app, req) => app.adminSessions.get(parseCookies(req.headers.cookie).get(SESSION_COOKIE));

/** The cookie of the "Sign in with Okta" transaction (sealed, 10 minutes, /auth/oidc/ only). */
const OIDC_COOKIE = "od_oidc";

/** The io helpers the policy and helpdesk modules answer through. */
const IO = { json, readJson };

/**
 * Wraps a handler that needs the integration named by `:id` (404 when there is none).
 * @param {(ctx: AdminCtx, integration: Integration, params: Record<string, string>) => unknown} handler
 * @returns {AdminRoute["handler"]}
 */
const withIntegration = (handler) => (ctx, params) => {
  const integration = findIntegration(ctx.app, params["id"] ?? "");
  return integration ? handler(ctx, integration, params) : fail(ctx.res, 404, "NOT_FOUND", "no such integration");
};

/**
 * Wraps a handler that needs the integration's synced directory (404 NO_DIRECTORY before the first sync).
 * @param {(ctx: AdminCtx, integration: Integration, view: View, params: Record<string, string>) => unknown} handler
 */
const withView = (handler) =>
  withIntegration((ctx, integration, params) => {
    const view = ctx.app.views.get(integration.id);
    return view ? handler(ctx, integration, view, params) : fail(ctx.res, 404, "NO_DIRECTORY", "this integration has not been synced yet");
  });

/** The integration with this id (only well-formed ids are looked up). @param {App} app @param {string} id */
function findIntegration(app, id) {
  return /^[a-z0-9-]{1,40}$/.test(id) ? app.integrations.get(id) : undefined;
}

/** Answers 409 BUSY when the integration has a running job (and says so). @param {AdminCtx} ctx @param {string} id */
function busy(ctx, id) {
  if (!ctx.app.jobs.has(id)) return false;
  fail(ctx.res, 409, "BUSY", "a sync or check is running");
  return true;
}

/** The admin API, under /api/ (path patterns after it). @type {ReadonlyArray<AdminRoute>} */
export const API_ROUTES = [
  { method: "GET", path: "health", handler: ({ res }) => json(res, 200, { ok: true }) },
  {
    method: "GET",
    path: "events",
    handler: ({ app, req, res }) =>
      app.events.open(req, res, parseCookies(req.headers.cookie).get(SESSION_COOKIE) ?? "", {
        event: "integrations",
        data: [...app.integrations.values()].map((i) => publicView(app, i)),
      }),
  },
  {
    method: "GET",
    path: "mailbox",
    // The demo's development mailbox (the portal's codes): admins only, like every /api/ route.
    handler: ({ app, res }) => json(res, 200, { sender: app.sender.kind, messages: "list" in app.sender ? app.sender.list() : [] }),
  },
  {
    method: "*",
    path: "policy/*",
    handler: ({ app, req, res, admin }, _p, rest) => app.policies.route(req, res, rest, admin, IO),
  },
  {
    method: "*",
    path: "helpdesk/*",
    handler: ({ app, req, res, url, admin }, _p, rest) => app.helpdesk.route(req, res, rest, url, admin, IO),
  },
  {
    method: "GET",
    path: "integrations",
    handler: ({ app, res }) =>
      json(
        res,
        200,
        [...app.integrations.values()].map((i) => publicView(app, i)),
      ),
  },
  {
    method: "POST",
    path: "integrations",
    handler: async ({ app, req, res }) => {
      const created = await createIntegration(app, await readJson(req));
      return created.errors ? json(res, 422, { errors: created.errors }) : json(res, 201, publicView(app, created.integration));
    },
  },
  { method: "*", path: "integrations", handler: ({ res }) => fail(res, 405, "METHOD_NOT_ALLOWED", "method not allowed") },
  { method: "GET", path: "integrations/:id", handler: withIntegration(({ app, res }, i) => json(res, 200, publicView(app, i))) },
  {
    method: "PUT",
    path: "integrations/:id",
    handler: withIntegration(async (ctx, i) => {
      if (busy(ctx, i.id)) return;
      const updated = await updateIntegration(ctx.app, i, await readJson(ctx.req));
      return updated.errors ? json(ctx.res, 422, { errors: updated.errors }) : json(ctx.res, 200, publicView(ctx.app, updated.integration));
    }),
  },
  {
    method: "DELETE",
    path: "integrations/:id",
    handler: withIntegration(async ({ app, res }, i) => {
      await removeIntegration(app, i.id);
      return json(res, 200, { deleted: i.id });
    }),
  },
  {
    method: "POST",
    path: "integrations/:id/authorize",
    handler: withIntegration((ctx, i) => {
      if (!ctx.app.keyPresence.get(i.id)) return fail(ctx.res, 409, "NO_KEY", "add the service app's private key first");
      if (busy(ctx, i.id)) return;
      void authorize(ctx.app, i);
      return json(ctx.res, 202, publicView(ctx.app, ctx.app.integrations.get(i.id) ?? i));
    }),
  },
  {
    method: "POST",
    path: "integrations/:id/sync",
    handler: withIntegration(async (ctx, i) => {
      if (i.state !== "ready" && i.state !== "error") return fail(ctx.res, 409, "NOT_READY", "complete the authorization first");
      if (busy(ctx, i.id)) return;
      const body = await readJson(ctx.req);
      if (body["mode"] !== undefined && body["mode"] !== "full" && body["mode"] !== "incremental")
        return fail(ctx.res, 400, "BAD_REQUEST", 'mode is "full" or "incremental"');
      void sync(ctx.app, i, "manual", body["mode"] ?? "full");
      return json(ctx.res, 202, publicView(ctx.app, i));
    }),
  },
  {
    method: "GET",
    path: "integrations/:id/runs",
    handler: withIntegration(async ({ app, res }, i) =>
      json(res, 200, { schedule: i.schedule ?? { intervalMin: 0, fullIntervalMin: 0 }, runs: await app.runs.list(i.id) }),
    ),
  },
  {
    method: "PUT",
    path: "integrations/:id/schedule",
    handler: withIntegration(async ({ app, req, res }, i) => {
      const checked = checkSchedule(await readJson(req));
      if (!checked.schedule) return fail(res, 400, "INVALID_SCHEDULE", checked.error ?? "invalid schedule");
      const next = { ...(app.integrations.get(i.id) ?? i), schedule: { ...checked.schedule, since: Date.now() } };
      await save(app, next);
      return json(res, 200, next.schedule);
    }),
  },
  {
    method: "POST",
    path: "integrations/:id/sync/cancel",
    handler: withIntegration(({ app, res }, i) => {
      const job = app.jobs.get(i.id);
      if (job?.kind !== "sync") return fail(res, 409, "NOT_RUNNING", "no sync is running");
      job.controller.abort();
      return json(res, 202, { cancelling: i.id });
    }),
  },
  { method: "GET", path: "integrations/:id/directory", handler: withView(({ res }, _i, view) => json(res, 200, view.table)) },
  {
    method: "GET",
    path: "integrations/:id/lookup",
    handler: withView(({ res, url }, i, view) => {
      try {
        const found = view.directory.lookup(url.searchParams.get("hint") ?? "");
        const n = view.byId.get(found.user.id ?? "");
        // The workforce flag is the user detail's (null when the integration names no Workforce group).
        return json(res, 200, { key: found.key, ...userDetail(view, n ?? 0, i.workforceGroupId) });
      } catch (e) {
        const info = errorInfo(e);
        return json(res, httpStatusOf(info.code, 400), { error: info });
      }
    }),
  },
  {
    method: "GET",
    path: "integrations/:id/users/:user",
    handler: withView(({ res }, i, view, params) => {
      const userId = safeDecode(params["user"] ?? "");
      if (userId === null) return fail(res, 400, "BAD_REQUEST", "the user id is not a well-formed URL segment");
      const n = view.byId.get(userId);
      return n === undefined
        ? fail(res, 404, "USER_NOT_FOUND", "no user with that id")
        : json(res, 200, userDetail(view, n, i.workforceGroupId));
    }),
  },
  // No route records a verification from claims a caller sends: only a signed verification result, through
  // the portal's decide step, writes the history (the playground evaluates in the page and records nothing).
  { method: "GET", path: "integrations/:id/audit", handler: withView((ctx, _i, view) => audit(ctx, view, false)) },
  { method: "GET", path: "integrations/:id/audit.csv", handler: withView((ctx, _i, view) => audit(ctx, view, true)) },
];

/**
 * Readiness under the operator's saved policy (the policy editor), else the documented default: as JSON
 * (without user ids) or as a CSV download.
 * @param {AdminCtx} ctx @param {View} view @param {boolean} csv
 */
function audit({ app, res, url }, view, csv) {
  const group = url.searchParams.get("group") || undefined;
  try {
    if (csv) {
      const text = view.directory.auditCsv({ policy: app.policies.current().document, ...(group ? { group } : {}) });
      res.writeHead(200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="readiness-${group ? (/^[A-Za-z0-9]{1,40}$/.test(group) ? group : "group") : "all"}.csv"`,
        "cache-control": "no-store",
      });
      return res.end(text);
    }
    const report = view.directory.audit({ policy: app.policies.current().document, ...(group ? { group } : {}) });
    return json(res, 200, { ...report, attributes: report.attributes.map(({ userIds: _ids, ...a }) => a) });
  } catch (e) {
    const info = errorInfo(e);
    return json(res, httpStatusOf(info.code, 400), { error: info });
  }
}

/**
 * An /api/ path no route matched: under an integration, "no such integration" and "not synced yet" come
 * first (as for its routes); else 404 NOT_FOUND.
 * @param {AdminCtx} ctx @param {string[]} segments the path after /api/
 */
function apiNotFound(ctx, segments) {
  if (segments[0] === "integrations" && segments.length >= 2) {
    const integration = findIntegration(ctx.app, segments[1] ?? "");
    if (!integration) return fail(ctx.res, 404, "NOT_FOUND", "no such integration");
    if (!ctx.app.views.has(integration.id)) return fail(ctx.res, 404, "NO_DIRECTORY", "this integration has not been synced yet");
  }
  return fail(ctx.res, 404, "NOT_FOUND", "unknown endpoint");
}

/** Gives the response an admin session cookie. @param {App} app @param {Response} res @param {import("./admin-auth.mjs").AdminSession} session @param {string[]} [extra] */
function signIn(app, res, session, extra = []) {
  res.setHeader("set-cookie", [cookie(SESSION_COOKIE, session.id, { maxAgeSec: app.adminSessions.ttlMs / 1000 }), ...extra]);
}

/** Admin sign-in, under /auth/ (writes only from this server's own pages). @type {ReadonlyArray<Route>} */
export const AUTH_ROUTES = [
  {
    method: "GET",
    path: "session",
    handler: ({ app, req, res }) => {
      const s = adminOf(app, req);
      return json(res, 200, s ? { signedIn: true, method: s.method, name: s.name ?? null } : { signedIn: false, okta: app.oidc !== null });
    },
  },
  {
    method: "POST",
    path: "bootstrap",
    handler: async ({ app, req, res }) => {
      const body = await readJson(req);
      if (!app.bootstrap.consume(body["token"]))
        return fail(
          res,
          401,
          "BOOTSTRAP_REFUSED",
          "this bootstrap token is wrong or was already used; restart the server for a new one, or sign in with Okta",
        );
      signIn(app, res, app.adminSessions.create("bootstrap", "bootstrap"));
      process.stderr.write("dashboard: the bootstrap token was used; it is no longer valid\n");
      return json(res, 200, { signedIn: true, method: "bootstrap" });
    },
  },
  {
    method: "POST",
    path: "logout",
    handler: ({ app, req, res }) => {
      const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
      app.adminSessions.delete(id);
      app.events.endSession(id);
      res.setHeader("set-cookie", cookie(SESSION_COOKIE, "", { maxAgeSec: 0 }));
      return json(res, 200, { signedIn: false });
    },
  },
  {
    method: "GET",
    path: "oidc/start",
    handler: async ({ app, req, res }) => {
      if (!app.oidc) return fail(res, 404, "OIDC_NOT_CONFIGURED", "Sign in with Okta is not configured on this server");
      const { url: to, cookie: transaction } = await app.oidc.begin(`http://${req.headers.host}/auth/oidc/callback`);
      // The sealed transaction. Lax: it must come back on the org's cross-site redirect to the callback (a top-level GET).
      res.writeHead(302, {
        location: to,
        "cache-control": "no-store",
        "set-cookie": cookie(OIDC_COOKIE, transaction, { maxAgeSec: 600, path: "/auth/oidc/", lax: true }),
      });
      return res.end();
    },
  },
  {
    method: "GET",
    path: "oidc/callback",
    handler: async ({ app, req, res, url }) => {
      if (!app.oidc) return fail(res, 404, "OIDC_NOT_CONFIGURED", "Sign in with Okta is not configured on this server");
      const clear = cookie(OIDC_COOKIE, "", { maxAgeSec: 0, path: "/auth/oidc/", lax: true });
      try {
        const claims = await app.oidc.complete(url.searchParams, parseCookies(req.headers.cookie).get(OIDC_COOKIE));
        const name = typeof claims["name"] === "string" ? claims["name"].slice(0, 100) : undefined;
        signIn(app, res, app.adminSessions.create(`okta:${claims.sub}`, "okta", name), [clear]);
        res.writeHead(303, { location: "/", "cache-control": "no-store" });
        return res.end();
      } catch (e) {
        const code = e instanceof OidcError ? e.code : "OIDC_FAILED";
        res.setHeader("set-cookie", clear);
        res.writeHead(303, { location: `/signin.html?error=${encodeURIComponent(code)}`, "cache-control": "no-store" });
        return res.end();
      }
    },
  },
];

/** The headers of every static file: never sniffed, never framed, scripts only from this origin. */
const STATIC_HEADERS = Object.freeze({
  "cache-control": "no-cache",
  "x-content-type-options": "nosniff",
  // Never framed: a page on another port of this host is the same site, so its frame would carry the
  // admin's SameSite=Strict cookie and could lure clicks onto the dashboard (clickjacking).
  "content-security-policy":
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  "x-frame-options": "DENY",
});

/**
 * Serves a static file of the browser app (or the SDK's browser build); throws when there is none (404).
 * @param {Request} req @param {Response} res @param {URL} url
 */
async function serveStatic(req, res, url) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  const file = resolveStatic(url.pathname, STATIC_ROOTS);
  if (!file || !(await stat(file)).isFile()) throw new Error("not a file");
  const body = await readFile(file);
  res.writeHead(200, { "content-type": contentType(file), ...STATIC_HEADERS });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * Applies a route table to the path after `prefix`; `notFound` answers when no route matches.
 * @template {Ctx} C
 * @param {ReadonlyArray<import("./http.mjs").Route<C>>} routes @param {C} ctx @param {string} prefix
 * @param {(ctx: C, segments: string[]) => unknown} notFound
 */
function dispatch(routes, ctx, prefix, notFound) {
  const segments = ctx.url.pathname.slice(prefix.length).split("/");
  const found = matchRoute(routes, ctx.req.method ?? "GET", segments);
  return found ? found.route.handler(ctx, found.params, found.rest) : notFound(ctx, segments);
}

/** The server's request handler. @param {App} app @returns {(req: Request, res: Response) => Promise<void>} */
export function createRequestHandler(app) {
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    /** @type {Ctx} */
    const ctx = { app, req, res, url };
    try {
      // DNS rebinding: a foreign site resolving its own name to this machine sends its name as Host.
      const host = (req.headers.host ?? "").replace(/:\d+$/, "");
      if (!app.allowedHosts.has(host)) {
        res.writeHead(421, { "content-type": "text/plain" }).end("unknown host");
        return;
      }
      if (url.pathname.startsWith("/portal-api/")) {
        // Anonymous, but only this server's own pages may post to it.
        const origin = req.headers.origin;
        if (origin !== undefined && origin !== `http://${req.headers.host}`)
          return fail(res, 403, "FORBIDDEN_ORIGIN", "cross-origin writes are refused");
        return await app.portal.handle(req, res, url.pathname.slice("/portal-api/".length), req.socket.remoteAddress ?? "unknown");
      }
      if (url.pathname.startsWith("/auth/")) {
        if (req.method !== "GET" && !sameOrigin(req))
          return fail(res, 403, "FORBIDDEN_ORIGIN", "sign-in requests must come from this server's own pages");
        await dispatch(AUTH_ROUTES, ctx, "/auth/", ({ res }) => fail(res, 404, "NOT_FOUND", "unknown endpoint"));
        return;
      }
      if (url.pathname.startsWith("/api/")) {
        // Every admin route needs a signed-in admin; writes must also come from this server's own pages (CSRF).
        const admin = adminOf(app, req);
        if (!admin) return fail(res, 401, "SIGN_IN_REQUIRED", "sign in to the dashboard first");
        if (req.method !== "GET" && req.method !== "HEAD" && !sameOrigin(req))
          return fail(res, 403, "FORBIDDEN_ORIGIN", "cross-origin writes are refused");
        await dispatch(API_ROUTES, { ...ctx, admin }, "/api/", apiNotFound);
        return;
      }
      await serveStatic(req, res, url);
    } catch (e) {
      if (res.headersSent) return;
      if (/^\/(api|portal-api|auth)\//.test(url.pathname)) {
        const bad = isBadBody(e);
        return fail(
          res,
          bad ? 400 : 500,
          bad ? "BAD_REQUEST" : "INTERNAL",
          bad ? "the body must be a JSON object under 1 MB" : "internal error",
        );
      }
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  };
}
