/** `/api/v1/users…`: list (filter, search, q), get by id or login, a user's groups. */
import { ExpressionError, USER_FILTER, USER_SEARCH, compileExpression } from "./expression.js";
import { pageLimit, sendJson, sendOktaError, type Headers, type RequestContext } from "./http.js";
import { sendPage } from "./pages.js";
import type { Env } from "./server-env.js";
import { firstAfter } from "./store.js";
import { KNOWN_PARAMS, strictParamProblem } from "./realism.js";
import type { EmulatorGroup, EmulatorUser } from "./types.js";
import { userJson, userJsonBytes } from "./user-json.js";

export { userJson, userJsonBytes };

export function groupJson(g: EmulatorGroup, baseUrl: string): Record<string, unknown> {
  return {
    ...g,
    _links: {
      users: { href: `${baseUrl}/api/v1/groups/${g.id}/users` },
      apps: { href: `${baseUrl}/api/v1/groups/${g.id}/apps` },
    },
  };
}

/** Okta's optional perf hint in the request Content-Type drops credentials from each user. */
function omitsCredentials(ctx: RequestContext): boolean {
  return /okta-response=[^;]*omitCredentials/.test(ctx.req.headers["content-type"] ?? "");
}

export function listUsers(ctx: RequestContext, env: Env, headers: Headers): void {
  const p = ctx.url.searchParams;
  const filter = p.get("filter");
  const search = p.get("search");
  const q = p.get("q");
  const realism = env.store.realism;
  if (realism.strictParams) {
    const problem = strictParamProblem(ctx.url, KNOWN_PARAMS["users"] ?? new Set());
    if (problem !== null) return sendOktaError(ctx, "E0000001", headers, `Api validation failed: ${problem}`);
  }
  let match: (u: EmulatorUser) => boolean;
  try {
    if (search !== null) match = compileExpression(search, USER_SEARCH);
    else if (filter !== null)
      match = compileExpression(filter, realism.caseSensitiveFilter ? { ...USER_FILTER, caseSensitive: true } : USER_FILTER);
    // The plain listing (and `q`) leave DEPROVISIONED users out; filter and search include them.
    else match = (u) => u.status !== "DEPROVISIONED";
  } catch (e) {
    if (e instanceof ExpressionError) return sendOktaError(ctx, "E0000031", headers);
    throw e;
  }
  const omit = omitsCredentials(ctx);
  // `filter` and `search` are served from Okta's search index, which lags the primary store.
  const users = search !== null || filter !== null ? env.store.indexedUsers() : env.store.users;
  if (q !== null && search === null && filter === null) {
    // People-picker prefix search: no paging, default 10 results.
    const prefix = q.toLowerCase();
    const limit = pageLimit(ctx.url, 10, 200);
    const out: unknown[] = [];
    for (const u of users) {
      if (out.length >= limit) break;
      if (u.status === "DEPROVISIONED") continue;
      const fields = [u.profile["firstName"], u.profile["lastName"], u.profile["email"]];
      if (fields.some((f) => typeof f === "string" && f.toLowerCase().startsWith(prefix))) out.push(userJson(u, env.baseUrl, omit));
    }
    return sendJson(ctx, 200, out, headers);
  }
  const limit = pageLimit(ctx.url, 200, 200);
  const after = p.get("after");
  let i = after === null ? 0 : firstAfter(users, after);
  // The duplicate fault repeats the previous page's last user at the top of this page.
  if (after !== null && i > 0 && users[i - 1]?.id === after && env.faults.take("duplicate")) i--;
  const page: Buffer[] = [];
  let last: EmulatorUser | undefined;
  let more = false;
  for (; i < users.length; i++) {
    const u = users[i];
    if (u === undefined || !match(u)) continue;
    if (page.length === limit) {
      more = true;
      break;
    }
    page.push(userJsonBytes(u, env.baseUrl, omit));
    last = u;
  }
  // Okta sometimes ends a listing with an empty page: the last full page still links to it.
  const nextAfter = last !== undefined && (more || realism.emptyPagesWithNext) ? last.id : null;
  sendPage(
    ctx,
    { bytes: page },
    {
      faults: env.faults,
      nextAfter,
      headers,
      deleteNext: () => {
        const victim = nextAfter === null ? undefined : users[firstAfter(users, nextAfter)];
        if (victim !== undefined) env.store.deleteUser(victim.id);
      },
    },
  );
}

export function getUser(ctx: RequestContext, env: Env, idOrLogin: string, headers: Headers): void {
  const user = env.store.findUser(idOrLogin);
  if (user === undefined)
    return sendOktaError(ctx, "E0000007", headers, `Not found: Resource not found: ${idOrLogin.slice(0, 100)} (User)`);
  sendJson(ctx, 200, userJson(user, env.baseUrl, omitsCredentials(ctx)), headers);
}

export function listUserGroups(ctx: RequestContext, env: Env, idOrLogin: string, headers: Headers): void {
  const user = env.store.findUser(idOrLogin);
  if (user === undefined)
    return sendOktaError(ctx, "E0000007", headers, `Not found: Resource not found: ${idOrLogin.slice(0, 100)} (User)`);
  sendJson(
    ctx,
    200,
    env.store.groupsOf(user.id).map((g) => groupJson(g, env.baseUrl)),
    headers,
  );
}
