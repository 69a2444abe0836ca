// Sync schedule and history for the dashboard's integrations: each run (started, duration, trigger, users
// added / changed / removed, requests, retries, rate-limit waits, error code) is kept in
// sync-runs/<id>.json under the data dir (the last 50); a scheduler starts the syncs that are due.
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomic } from "./store.mjs";

/** Runs kept per integration. */
export const MAX_RUNS = 50;
/** Allowed intervals of incremental runs, minutes (0 = none). */
export const INTERVALS = Object.freeze([0, 15, 60, 360, 1440]);
/** Allowed intervals of full reconciles, minutes (0 = none). */
export const FULL_INTERVALS = Object.freeze([0, 60, 360, 1440, 10080]);

/**
 * @typedef {{ startedAt: number, durationMs: number, trigger: "manual" | "schedule", mode: "full" | "incremental",
 *   outcome: "completed" | "cancelled" | "failed", users: number | null, added: number, changed: number, removed: number,
 *   requests: number, retries: number, waitsMs: number, errorCode: string | null }} SyncRun
 * @typedef {{ intervalMin: number, fullIntervalMin?: number, mode?: "full", since?: number }} Schedule
 *   `intervalMin`: incremental runs (changes since the last run's watermark); `fullIntervalMin`: full
 *   reconciles (every user and membership read again). A schedule saved before the two cadences
 *   (`mode: "full"`, no `fullIntervalMin`) is a full reconcile every `intervalMin`.
 */

/** The two cadences of a schedule, minutes (0 = off). @param {Schedule | undefined} s */
export function cadence(s) {
  if (!s) return { incremental: 0, full: 0 };
  if (s.fullIntervalMin === undefined)
    return s.mode === "full" ? { incremental: 0, full: s.intervalMin } : { incremental: s.intervalMin, full: 0 };
  return { incremental: s.intervalMin, full: s.fullIntervalMin };
}

/** Checks a schedule body; returns the schedule or an error message. @param {any} body */
export function checkSchedule(body) {
  const interval = body?.intervalMin;
  const full = body?.fullIntervalMin ?? 0;
  if (typeof interval !== "number" || !INTERVALS.includes(interval))
    return { error: `the incremental interval is one of ${INTERVALS.join(", ")} minutes` };
  if (typeof full !== "number" || !FULL_INTERVALS.includes(full))
    return { error: `the full reconcile interval is one of ${FULL_INTERVALS.join(", ")} minutes` };
  if (interval > 0 && full > 0 && full <= interval) return { error: "a full reconcile runs less often than incremental syncs" };
  return { schedule: /** @type {Schedule} */ ({ intervalMin: interval, fullIntervalMin: full }) };
}

/**
 * A stored full sync result with an incremental run's delta applied (the dashboard keeps its directories as
 * full results): changed users replaced or added, deleted users removed with their memberships, the groups as
 * the delta lists them, membership changes applied in order (or, without the System Log, the re-read groups'
 * memberships replaced), and the summary recounted.
 * @param {any} previous a full SyncResult @param {any} delta an incremental SyncResult
 */
export function mergeIncremental(previous, delta) {
  const users = new Map(previous.users.map((/** @type {any} */ u) => [u.user.id, u]));
  for (const u of delta.users) users.set(u.user.id, u);
  const deleted = new Set(delta.changes?.deletedUserIds ?? []);
  for (const id of deleted) users.delete(id);
  const groupIds = new Set(delta.groups.map((/** @type {any} */ g) => g.id));
  const key = (/** @type {{ groupId: string, userId: string }} */ m) => `${m.groupId}\u0000${m.userId}`;
  /** @type {Map<string, { groupId: string, userId: string }>} */
  let members = new Map(
    previous.memberships.filter((/** @type {any} */ m) => groupIds.has(m.groupId)).map((/** @type {any} */ m) => [key(m), m]),
  );
  const reread = new Set(delta.changes?.logsUnavailable ? (delta.changes.rereadGroupIds ?? []) : []);
  if (reread.size) members = new Map([...members].filter(([, m]) => !reread.has(m.groupId)));
  for (const m of delta.memberships ?? []) members.set(key(m), { groupId: m.groupId, userId: m.userId });
  for (const c of delta.changes?.membershipChanges ?? []) {
    if (c.added) members.set(key(c), { groupId: c.groupId, userId: c.userId });
    else members.delete(key(c));
  }
  const memberships = [...members.values()].filter((m) => users.has(m.userId) && !deleted.has(m.userId));
  const list = [...users.values()];
  /** @type {Record<string, number>} */
  const usersByStatus = {};
  for (const u of list) usersByStatus[u.user.status ?? "UNKNOWN"] = (usersByStatus[u.user.status ?? "UNKNOWN"] ?? 0) + 1;
  const { changes: _c, ...rest } = delta;
  return {
    ...rest,
    users: list,
    groups: delta.groups,
    memberships,
    summary: {
      ...delta.summary,
      users: list.length,
      usersByStatus,
      groups: delta.groups.length,
      memberships: memberships.length,
      mode: "full",
      lastRunMode: "incremental",
    },
    ...(previous.workforceGroupId !== undefined && delta.workforceGroupId === undefined
      ? { workforceGroupId: previous.workforceGroupId }
      : {}),
  };
}

/**
 * Users added, changed and removed between two syncs (by Okta id; "changed" when the stored record differs).
 * @param {Array<{ user: any }> | undefined} before @param {Array<{ user: any }>} after
 */
export function diffUsers(before, after) {
  if (!before) return { added: after.length, changed: 0, removed: 0 };
  const old = new Map(before.map((u) => [u.user.id, JSON.stringify(u.user)]));
  let added = 0;
  let changed = 0;
  for (const u of after) {
    const prior = old.get(u.user.id);
    if (prior === undefined) added++;
    else if (prior !== JSON.stringify(u.user)) changed++;
    old.delete(u.user.id);
  }
  return { added, changed, removed: old.size };
}

/** The run history on disk. @param {string} dataDir */
export async function createRunStore(dataDir) {
  const dir = join(dataDir, "sync-runs");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = (/** @type {string} */ id) => join(dir, `${id}.json`);
  /** @type {Map<string, SyncRun[]>} */
  const cache = new Map();
  return {
    /** The runs of an integration, newest first. @param {string} id @returns {Promise<SyncRun[]>} */
    async list(id) {
      const hit = cache.get(id);
      if (hit) return hit;
      let runs = [];
      try {
        runs = JSON.parse(await readFile(file(id), "utf8"));
      } catch {
        runs = [];
      }
      cache.set(id, runs);
      return runs;
    },
    /** Adds a run (newest first, at most MAX_RUNS). @param {string} id @param {SyncRun} run */
    async add(id, run) {
      const runs = [run, ...(await this.list(id))].slice(0, MAX_RUNS);
      cache.set(id, runs);
      await writeAtomic(file(id), JSON.stringify(runs));
    },
    /** Forgets an integration's runs. @param {string} id */
    async remove(id) {
      cache.delete(id);
      await rm(file(id), { force: true });
    },
  };
}

/**
 * Starts the syncs that are due, on two cadences: a full reconcile when its interval has passed since the
 * last full run (or, before any, the schedule's start); else an incremental run when its interval has
 * passed since the last run of either kind. Only ready (or errored), idle integrations.
 * @param {{ list: () => Array<{ id: string, state: string, schedule?: Schedule }>,
 *   lastStart: (id: string, mode?: "full") => Promise<number | null>,
 *   busy: (id: string) => boolean, run: (id: string, mode: "full" | "incremental") => void, now?: () => number }} o
 */
export function createScheduler(o) {
  const now = o.now ?? Date.now;
  return {
    /** One pass: starts what is due; returns the ids started (with `:incremental` for an incremental run). */
    async tick() {
      /** @type {string[]} */
      const started = [];
      for (const i of o.list()) {
        const { incremental, full } = cadence(i.schedule);
        if ((incremental <= 0 && full <= 0) || (i.state !== "ready" && i.state !== "error") || o.busy(i.id)) continue;
        const since = i.schedule?.since ?? 0;
        const lastFull = (await o.lastStart(i.id, "full")) ?? since;
        const last = (await o.lastStart(i.id)) ?? since;
        if (full > 0 && now() - lastFull >= full * 60_000) {
          o.run(i.id, "full");
          started.push(i.id);
        } else if (incremental > 0 && now() - last >= incremental * 60_000) {
          o.run(i.id, "incremental");
          started.push(`${i.id}:incremental`);
        }
      }
      return started;
    },
    /** Ticks every `everyMs` until stopped. @param {number} everyMs */
    start(everyMs) {
      const timer = setInterval(() => void this.tick().catch(() => undefined), everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
