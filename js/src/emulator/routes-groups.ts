/** `/api/v1/groups…` (list, one, members) and `/api/v1/logs` (System Log). */
import { ExpressionError, GROUP_FILTER, compileExpression, type ExpressionRules } from "./expression.js";
import { pageLimit, sendJson, sendOktaError, type Headers, type RequestContext } from "./http.js";
import { sendPage } from "./pages.js";
import { groupJson, userJsonBytes } from "./routes-users.js";
import type { Env } from "./server-env.js";
import { firstAfter } from "./store.js";
import type { EmulatorGroup, LogEvent } from "./types.js";
import { KNOWN_PARAMS, strictParamProblem } from "./realism.js";

const GROUP_SEARCH: ExpressionRules = {
  attributes: null,
  defaultOps: ["eq", "sw", "co", "gt", "ge", "lt", "le", "pr"],
  dates: GROUP_FILTER.dates,
};

export function listGroups(ctx: RequestContext, env: Env, headers: Headers): void {
  const p = ctx.url.searchParams;
  if (env.store.realism.strictParams) {
    const problem = strictParamProblem(ctx.url, KNOWN_PARAMS["groups"] ?? new Set());
    if (problem !== null) return sendOktaError(ctx, "E0000001", headers, `Api validation failed: ${problem}`);
  }
  let match: (g: EmulatorGroup) => boolean = () => true;
  try {
    const search = p.get("search");
    const filter = p.get("filter");
    if (search !== null) match = compileExpression(search, GROUP_SEARCH);
    else if (filter !== null) match = compileExpression(filter, GROUP_FILTER);
  } catch (e) {
    if (e instanceof ExpressionError) return sendOktaError(ctx, "E0000031", headers);
    throw e;
  }
  const groups = env.store.groups;
  const q = p.get("q");
  if (q !== null) {
    // Name-prefix search for pickers: no paging, at most 300 results.
    const prefix = q.toLowerCase();
    const out = groups
      .filter((g) => match(g) && g.profile.name.toLowerCase().startsWith(prefix))
      .slice(0, Math.min(300, pageLimit(ctx.url, 300, 300)));
    return sendJson(
      ctx,
      200,
      out.map((g) => groupJson(g, env.baseUrl)),
      headers,
    );
  }
  const limit = pageLimit(ctx.url, 10_000, 10_000);
  const after = p.get("after");
  const page: unknown[] = [];
  let last: EmulatorGroup | undefined;
  let more = false;
  for (let i = after === null ? 0 : firstAfter(groups, after); i < groups.length; i++) {
    const g = groups[i];
    if (g === undefined || !match(g)) continue;
    if (page.length === limit) {
      more = true;
      break;
    }
    page.push(groupJson(g, env.baseUrl));
    last = g;
  }
  const nextAfter = last !== undefined && (more || env.store.realism.emptyPagesWithNext) ? last.id : null;
  sendPage(ctx, page, { faults: env.faults, nextAfter, headers });
}

export function getGroup(ctx: RequestContext, env: Env, id: string, headers: Headers): void {
  const group = env.store.group(id);
  if (group === undefined) return sendOktaError(ctx, "E0000007", headers, `Not found: Resource not found: ${id.slice(0, 100)} (UserGroup)`);
  sendJson(ctx, 200, groupJson(group, env.baseUrl), headers);
}

export function listMembers(ctx: RequestContext, env: Env, id: string, headers: Headers): void {
  const group = env.store.group(id);
  if (group === undefined) return sendOktaError(ctx, "E0000007", headers, `Not found: Resource not found: ${id.slice(0, 100)} (UserGroup)`);
  if (env.store.realism.strictParams) {
    const problem = strictParamProblem(ctx.url, KNOWN_PARAMS["members"] ?? new Set());
    if (problem !== null) return sendOktaError(ctx, "E0000001", headers, `Api validation failed: ${problem}`);
  }
  const ids = env.store.members.get(id) ?? [];
  const limit = pageLimit(ctx.url, 1000, 1000);
  const after = ctx.url.searchParams.get("after");
  let i = after === null ? 0 : firstAfter(ids, after);
  if (after !== null && i > 0 && ids[i - 1] === after && env.faults.take("duplicate")) i--;
  const page: Buffer[] = [];
  let lastId: string | null = null;
  for (; i < ids.length && page.length < limit; i++) {
    const user = env.store.userById(ids[i] ?? "");
    if (user === undefined) continue;
    page.push(userJsonBytes(user, env.baseUrl)); // members include DEPROVISIONED users, as in Okta
    lastId = user.id;
  }
  const nextAfter = i < ids.length || env.store.realism.emptyPagesWithNext ? lastId : null;
  sendPage(
    ctx,
    { bytes: page },
    {
      faults: env.faults,
      nextAfter,
      headers,
      deleteNext: () => {
        const victim = ids[i];
        if (victim !== undefined) env.store.deleteUser(victim);
      },
    },
  );
}

const LOG_FILTER: ExpressionRules = {
  attributes: { eventType: ["eq", "sw"], "target.id": ["eq"], uuid: ["eq"] },
  defaultOps: [],
  dates: new Set(),
};

/** System Log: since/until/filter/limit/after/sortOrder. The cursor is an event index. */
export function listLogs(ctx: RequestContext, env: Env, headers: Headers): void {
  const p = ctx.url.searchParams;
  let match: (e: LogEvent) => boolean = () => true;
  try {
    const filter = p.get("filter");
    if (filter !== null) {
      const base = compileExpression(filter.replace(/target\.id/g, "targetIds"), {
        ...LOG_FILTER,
        attributes: { eventType: ["eq", "sw"], targetIds: ["eq"], uuid: ["eq"] },
      });
      match = (e) => base({ ...e, targetIds: e.target.map((t) => t.id) });
    }
  } catch (e) {
    if (e instanceof ExpressionError) return sendOktaError(ctx, "E0000031", headers);
    throw e;
  }
  const strict = env.store.realism.strictParams;
  if (strict) {
    const problem = strictParamProblem(ctx.url, KNOWN_PARAMS["logs"] ?? new Set());
    if (problem !== null) return sendOktaError(ctx, "E0000001", headers, `Api validation failed: ${problem}`);
  }
  const sinceRaw = p.get("since");
  // Okta answers a malformed `since` with 400; the tidy emulator silently meant "7 days".
  if (strict && sinceRaw !== null && Number.isNaN(Date.parse(sinceRaw)))
    return sendOktaError(ctx, "E0000001", headers, "Api validation failed: since");
  const since = Date.parse(sinceRaw ?? "") || Date.now() - 7 * 86_400_000;
  const untilRaw = p.get("until");
  const until = untilRaw === null ? Infinity : Date.parse(untilRaw);
  if (Number.isNaN(until) || Number.isNaN(since)) return sendOktaError(ctx, "E0000001", headers);
  const descending = p.get("sortOrder") === "DESCENDING";
  const limit = pageLimit(ctx.url, 100, 1000);
  const events = env.store.persistedEvents();
  const polling = !descending && untilRaw === null;
  if (!polling) return boundedLogs(ctx, env, { events, since, until, descending, limit, match }, headers);
  const after = Number.parseInt(p.get("after") ?? "", 10);
  const start = Number.isNaN(after) ? 0 : after + 1;
  const page: LogEvent[] = [];
  let lastIndex = Number.isNaN(after) ? -1 : after;
  // A polling query returns events in persistence order (so `published` can go backwards with late events).
  for (let idx = start; idx < events.length; idx++) {
    const e = events[idx];
    if (e === undefined) continue;
    const t = Date.parse(e.published);
    // `after` and `since` are mutually exclusive: past the first page the cursor alone decides, so an event
    // persisted late with an old `published` time is still returned.
    if ((Number.isNaN(after) && t < since) || !match(e)) continue;
    if (page.length === limit) break;
    page.push(e);
    lastIndex = idx;
  }
  // A polling query always has a next link, even on an empty page; like Okta's, it carries the cursor, not `since`.
  const nextAfter = String(lastIndex);
  sendPage(ctx, page, { faults: env.faults, nextAfter, headers, dropFromNext: ["since"] });
}

interface LogQuery {
  events: readonly LogEvent[];
  since: number;
  until: number;
  descending: boolean;
  limit: number;
  match: (e: LogEvent) => boolean;
}

/**
 * A bounded (or descending) query: the persisted events in the window ordered by `published` (stable by
 * persistence), the cursor being the last event's uuid. An event persisted late, behind the cursor, is not
 * returned by this listing (Okta: "rare delayed events may be missing").
 */
function boundedLogs(ctx: RequestContext, env: Env, q: LogQuery, headers: Headers): void {
  const inWindow = q.events
    .map((e, i) => ({ e, i, t: Date.parse(e.published) }))
    .filter(({ e, t }) => t >= q.since && t < q.until && q.match(e))
    .sort((a, b) => a.t - b.t || a.i - b.i);
  if (q.descending) inWindow.reverse();
  const after = ctx.url.searchParams.get("after");
  let start = 0;
  if (after !== null) {
    // Legacy numeric cursors (an event index) keep working; otherwise the cursor is a uuid.
    const k = inWindow.findIndex(({ e, i }) => e.uuid === after || String(i) === after);
    start = k + 1;
  }
  const slice = inWindow.slice(start, start + q.limit);
  const more = start + q.limit < inWindow.length;
  const last = slice.at(-1)?.e.uuid ?? null;
  sendPage(
    ctx,
    slice.map(({ e }) => e),
    { faults: env.faults, nextAfter: more ? last : null, headers },
  );
}
