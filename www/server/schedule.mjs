// Sync schedule and history for the dashboard's integrations: each run (started, duration, trigger, users
// added / changed / removed, requests, retries, rate-limit waits, error code) is kept in
// sync-runs/<id>.json under the data dir (the last 50); a scheduler starts the syncs that are due.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Runs kept per integration. */
export const MAX_RUNS = 50;
/** Allowed intervals, minutes (0 = no schedule). */
export const INTERVALS = Object.freeze([0, 15, 60, 360, 1440]);

/**
 * @typedef {{ startedAt: number, durationMs: number, trigger: "manual" | "schedule", mode: "full",
 *   outcome: "completed" | "cancelled" | "failed", users: number | null, added: number, changed: number, removed: number,
 *   requests: number, retries: number, waitsMs: number, errorCode: string | null }} SyncRun
 * @typedef {{ intervalMin: number, mode: "full" }} Schedule
 */

/** Checks a schedule body; returns the schedule or an error message. @param {any} body */
export function checkSchedule(body) {
  const interval = body?.intervalMin;
  if (typeof interval !== "number" || !INTERVALS.includes(interval)) return { error: `the interval is one of ${INTERVALS.join(", ")} minutes` };
  return { schedule: /** @type {Schedule} */ ({ intervalMin: interval, mode: "full" }) };
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
      const temp = `${file(id)}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(temp, JSON.stringify(runs), { mode: 0o600 });
      await rename(temp, file(id));
    },
    /** Forgets an integration's runs. @param {string} id */
    async remove(id) {
      cache.delete(id);
      await rm(file(id), { force: true });
    },
  };
}

/**
 * Starts the syncs that are due: an integration with a schedule whose last run (or, before any, its
 * schedule's start) is at least the interval ago, that is ready and not running.
 * @param {{ list: () => Array<{ id: string, state: string, schedule?: Schedule & { since?: number } }>, lastStart: (id: string) => Promise<number | null>,
 *   busy: (id: string) => boolean, run: (id: string) => void, now?: () => number }} o
 */
export function createScheduler(o) {
  const now = o.now ?? Date.now;
  return {
    /** One pass: starts what is due; returns the ids started. */
    async tick() {
      /** @type {string[]} */
      const started = [];
      for (const i of o.list()) {
        const interval = i.schedule?.intervalMin ?? 0;
        if (interval <= 0 || (i.state !== "ready" && i.state !== "error") || o.busy(i.id)) continue;
        const last = (await o.lastStart(i.id)) ?? i.schedule?.since ?? 0;
        if (now() - last >= interval * 60_000) {
          o.run(i.id);
          started.push(i.id);
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
