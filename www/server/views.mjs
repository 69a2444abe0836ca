// The in-memory view of each synced directory: the wasm `Directory` (lookup, audit, snapshot) plus the
// indexes the dashboard's pages read (users by id, groups per user, missing attributes, enrollment), the
// columnar table JSON of the virtualized directory table, and one user's detail.
import { Directory, enrollmentStatus } from "../../js/dist/node.js";

/**
 * @typedef {import("../../js/dist/node.js").SyncResult} SyncResult
 * @typedef {import("../../js/dist/node.js").NormalizedUser} SyncedUser one synced user (record, provenance, issues)
 * @typedef {import("../../js/dist/node.js").EnrollmentHistory} History
 */
/**
 * @typedef {{ directory: Directory, users: SyncedUser[], byId: Map<string, number>,
 *   groups: Array<{ id: string, name: string, type: string, members: number }>, groupIndex: Map<string, number>,
 *   userGroups: number[][], attributes: string[], required: boolean[], missing: number[][], enrollment: string[], history: History | null,
 *   table: string, summary: unknown }} View
 */

/**
 * Builds the view of a sync result: the wasm `Directory` from the JSON text (one copy into wasm, no second
 * stringify of a large directory) and the page's indexes from the parsed result.
 * @param {string} json the sync result's JSON text @param {SyncResult} result the same, parsed
 * @param {{ workforceGroupId?: string, orgUrl: string, syncedAtMs: number }} o
 * @param {History | null} history the stored verification history
 * @returns {View}
 */
export function buildView(json, result, o, history) {
  const directory = Directory.fromSyncResult(json, {
    ...(o.workforceGroupId ? { workforceGroup: o.workforceGroupId } : {}),
    origin: new URL(o.orgUrl).origin,
    syncedAtMs: o.syncedAtMs,
  });
  const users = result.users;
  const byId = new Map(users.map((u, n) => [u.user.id ?? "", n]));
  const groupIndex = new Map(result.groups.map((g, n) => [g.id, n]));
  /** @type {number[]} */
  const counts = new Array(result.groups.length).fill(0);
  /** @type {number[][]} */
  const userGroups = users.map(() => []);
  for (const m of result.memberships) {
    const u = byId.get(m.userId);
    const g = groupIndex.get(m.groupId);
    if (u === undefined || g === undefined) continue;
    userGroups[u].push(g);
    counts[g]++;
  }
  const audit = directory.audit();
  const attributes = audit.attributes.map((a) => a.attribute);
  const required = audit.attributes.map((a) => a.required);
  /** @type {number[][]} */
  const missing = users.map(() => []);
  audit.attributes.forEach((a, n) => {
    for (const id of a.userIds) {
      const u = byId.get(id);
      if (u !== undefined) missing[u].push(n);
    }
  });
  const enrollment = users.map((u) => enrollmentStatus(u.user, history).status);
  const groups = result.groups.map((g, n) => ({
    id: g.id,
    name: g.name,
    type: g.type,
    members: counts[n],
  }));
  /** @type {View} */
  const view = {
    directory,
    users,
    byId,
    groups,
    groupIndex,
    userGroups,
    attributes,
    required,
    missing,
    enrollment,
    history,
    table: "",
    summary: result.summary,
  };
  view.table = tableJson(view);
  return view;
}

/** The directory as columns, for the page's virtualized table (only what the table shows and filters on). @param {View} v */
export function tableJson(v) {
  const col = (/** @type {(u: SyncedUser["user"]) => unknown} */ f) => v.users.map((u) => f(u.user) ?? "");
  return JSON.stringify({
    summary: v.summary,
    groups: v.groups,
    attributes: v.attributes.map((name, n) => ({ name, required: v.required[n] })),
    users: {
      id: col((u) => u.id),
      name: col((u) => [u.name?.given, u.name?.family].filter(Boolean).join(" ") || u.name?.display),
      login: col((u) => u.login),
      email: col((u) => u.email),
      status: col((u) => u.status),
      enrollment: v.enrollment,
      missing: v.missing,
      groups: v.userGroups,
    },
  });
}

/**
 * Records a new verification history in the view: the user's enrollment status and the table follow it.
 * @param {View} v @param {string} userId @param {History} history
 */
export function applyHistory(v, userId, history) {
  v.history = history;
  const n = v.byId.get(userId);
  if (n !== undefined) v.enrollment[n] = enrollmentStatus(v.users[n].user, history).status;
  v.table = tableJson(v);
}

/**
 * One user's detail page: record, provenance, issues, groups, workforce membership, missing attributes,
 * enrollment and verification history.
 * @param {View} v @param {number} n the user's index @param {string | undefined} workforceGroupId
 */
export function userDetail(v, n, workforceGroupId) {
  const { user, sources, issues } = v.users[n];
  return {
    user,
    sources,
    issues,
    groups: v.userGroups[n].map((g) => v.groups[g]),
    workforce: workforceGroupId ? v.userGroups[n].some((g) => v.groups[g].id === workforceGroupId) : null,
    missing: v.missing[n].map((a) => ({ attribute: v.attributes[a], required: v.required[a] })),
    enrollment: enrollmentStatus(user, v.history),
    history: (user.id === undefined ? undefined : v.history?.users?.[user.id]) ?? [],
  };
}
