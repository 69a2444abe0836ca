// Incremental runs as shard patches: the sync job's scheduled run between full reconciles, for a directory
// published in ranges (SYNC_SHARDS_PER_STEP) and in one snapshot alike. The published KV shards are the
// directory's truth between full reconciles; no whole snapshot is loaded, so memory follows the changes,
// not the directory.
//
// Two steps (each its own alarm invocation; the run's state in the job's storage):
// - "delta": the System Log from the base's polling cursor (or its watermark after a full run) and the
//   changed users (the SDK's incremental `syncDirectoryJson`); the result goes to R2
//   (`runs/{run}/delta.json`). Okta requests: a few log pages plus the changed users' pages.
// - "patch": the SDK's `patchKvShardsDelta` rewrites only the shards the changes touch (new keys' shards,
//   old copies' shards), each under the run's id as version (a retried step rewrites the same keys), then
//   switches the manifest. Until the manifest put, the published version serves unchanged.
// An id not found in the shards its new keys route to (a new or removed user, a membership-only change, a
// user whose every key changed) is looked for in every shard, one at a time: within the patch step when the
// directory has at most SYNC_SCAN_SHARDS shards (default 800: its KV reads fit one invocation), else in
// "locate" steps of SYNC_SCAN_SHARDS shards each (the copies found kept in R2, `runs/{run}/located.json`),
// then the patch step again. Whenever the System Log was unreadable or the patch is refused (a changed
// Workforce group record, a live manifest this job did not publish or a damaged one), the run becomes a full one.
//
// Frequencies: a patch keeps the live frequency table (a one-snapshot publish's; a ranged one has none): the
// claims side's name priors are the last full reconcile's until the next one (FULL_RECONCILE_HOURS).
import { KvDirectoryStore, findInShards, patchKvShardsDelta, syncDirectoryJson } from "okta-directory";

/** Shards a patch step may read looking for old copies (one KV read each) unless SYNC_SCAN_SHARDS says otherwise. */
export const SCAN_SHARDS = 800;

/**
 * `value` as a positive number, else `fallback` (a binding unset, empty or not a positive number).
 * @param {unknown} value
 * @param {number} fallback
 */
export function positiveNumber(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * The "delta" step: the changes since the base, journaled in R2 for the patch step. Resolves false when
 * only a full run is right (the System Log could not be read).
 * @param {{ env: Env, run: import("./sync-job.js").Run, base: import("./sync-job.js").Base, okta: ReturnType<typeof import("./sync-job.js").oktaOptions>, counts: import("./sync-job.js").Counts }} o
 */
export async function fetchDelta({ env, run, base, okta, counts }) {
  // The System Log is polled from the previous incremental run's cursor (Okta's `next` link of a query
  // without `until`), so late-written events are read once; after a full run, from the watermark.
  const json = await syncDirectoryJson({
    ...okta,
    since: base.watermarkMs,
    ...(typeof base.logCursor === "string" ? { logCursor: base.logCursor } : {}),
  });
  /** @type {{ changes?: { logsUnavailable?: boolean, logCursor?: string }, summary?: { watermarkMs?: number } }} */
  const result = JSON.parse(json);
  if (result.changes === undefined || result.changes.logsUnavailable === true) return false;
  const deltaKey = `runs/${run.id}/delta.json`;
  counts.r2++;
  await env.SYNC_BUCKET.put(deltaKey, json);
  Object.assign(run, {
    phase: "patch",
    deltaKey,
    watermarkMs: result.summary?.watermarkMs ?? base.watermarkMs,
    logCursor: result.changes.logCursor ?? null,
    steps: run.steps + 1,
    failures: 0,
  });
  return true;
}

/** Where a run's search for old copies stands (R2, `runs/{run}/located.json`). @typedef {{ ids: string[], next: number, copies: import("okta-directory").ShardCopy[] }} Located */

/**
 * The "patch" step: the run's delta published as shard patches over the base's version. Resolves the
 * publish (`version`, `digests`, `users`, `written`, `shardsRead`, `scanned`, `changes`), `"locate"` when ids
 * must first be looked for in every shard over several steps (`locateStep`; `run.phase` is then "locate"), or
 * null when only a full run is right (nothing was written then).
 * @param {{ env: Env, run: import("./sync-job.js").Run, base: import("./sync-job.js").Base, digests: string[], kv: KVNamespace, counts: import("./sync-job.js").Counts }} o
 */
export async function patchDelta({ env, run, base, digests, kv, counts }) {
  counts.r2++;
  const object = await env.SYNC_BUCKET.get(/** @type {string} */ (run.deltaKey));
  if (object === null) throw new Error("the run's delta is missing");
  /** @type {{ users: ({ user?: import("okta-directory").DirectoryUser } & import("okta-directory").DirectoryUser)[], groups: { id: string, name: string, type: string }[], changes: { deletedUserIds: string[], membershipChanges: { groupId: string, userId: string, added: boolean }[] } }} */
  const result = await object.json();
  const delta = {
    // A sync result lists each user with its normalization report: the record is `user`.
    upsertUsers: result.users.map((u) => u.user ?? u),
    removeUserIds: result.changes.deletedUserIds,
    membershipChanges: result.changes.membershipChanges,
    groups: result.groups,
  };
  const store = new KvDirectoryStore(kv);
  // A damaged manifest too: the full run's switch replaces it (a read KV refuses fails the step, retried).
  const live = await store.manifestForPublish();
  if (live === null) return null;
  /** @type {Located | undefined} */
  let located;
  if (run.locatedKey !== undefined) {
    counts.r2++;
    const object = await env.SYNC_BUCKET.get(run.locatedKey);
    if (object === null) throw new Error("the run's search is missing");
    located = await object.json();
  }
  /** @type {string[]} */
  let unresolved = [];
  const published = await patchKvShardsDelta(store, delta, {
    previousVersion: base.version,
    previousDigests: digests,
    syncedAtMs: run.startedAtMs,
    version: run.id,
    scan: live.shards <= positiveNumber(env.SYNC_SCAN_SHARDS, SCAN_SHARDS),
    unresolved: (ids) => {
      unresolved = ids;
    },
    ...(located === undefined ? {} : { located: located.copies }),
  });
  if (published === null && unresolved.length > 0 && located === undefined && live.version === base.version) {
    const locatedKey = `runs/${run.id}/located.json`;
    counts.r2++;
    await env.SYNC_BUCKET.put(locatedKey, JSON.stringify({ ids: unresolved, next: 0, copies: [] }));
    Object.assign(run, { phase: "locate", locatedKey });
    return "locate";
  }
  if (published === null) return null;
  return {
    ...published,
    changes: {
      usersUpserted: delta.upsertUsers.length,
      usersRemoved: delta.removeUserIds.length,
      membershipChanges: delta.membershipChanges.length,
    },
  };
}

/**
 * A "locate" step: the next SYNC_SCAN_SHARDS shards of the live version searched for the run's unresolved ids
 * (`findInShards`: one shard in memory at a time), the copies found added to R2. Resolves false when only a full
 * run is right (the live version is not the base's, or a shard is missing); `run.phase` becomes "patch" after
 * the last shard.
 * @param {{ env: Env, run: import("./sync-job.js").Run, base: import("./sync-job.js").Base, kv: KVNamespace, counts: import("./sync-job.js").Counts }} o
 */
export async function locateStep({ env, run, base, kv, counts }) {
  const key = /** @type {string} */ (run.locatedKey);
  counts.r2++;
  const object = await env.SYNC_BUCKET.get(key);
  if (object === null) throw new Error("the run's search is missing");
  /** @type {Located} */
  const located = await object.json();
  const store = new KvDirectoryStore(kv);
  const live = await store.manifestForPublish();
  if (live === null || live.version !== base.version) return false;
  const to = Math.min(live.shards, located.next + Math.floor(positiveNumber(env.SYNC_SCAN_SHARDS, SCAN_SHARDS)));
  const copies = await findInShards(store, live, located.ids, { from: located.next, to });
  if (copies === null) return false;
  located.copies.push(...copies);
  located.next = to;
  counts.r2++;
  await env.SYNC_BUCKET.put(key, JSON.stringify(located));
  Object.assign(run, { steps: run.steps + 1, failures: 0, ...(to >= live.shards ? { phase: "patch" } : {}) });
  return true;
}
