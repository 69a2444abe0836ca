// The directory sync as a durable, resumable job: one Durable Object (`SyncJob`, a single instance) runs
// it one alarm at a time, so a run never overlaps another and every step is its own invocation (its own
// subrequest budget, memory and CPU time).
//
// - The schedule calls `tick()`: it starts an incremental run (System Log since the last watermark), or a
//   full reconcile on the FULL_RECONCILE_CRON trigger, when the last one is older than FULL_RECONCILE_HOURS,
//   or when none was published yet.
// - A full run fetches SYNC_PAGES_PER_STEP pages per alarm through the SDK's journaled sync
//   (`syncDirectorySnapshot`: the same SnapshotBuilder path as the CLI). The step's pages go to R2 as one
//   journal segment, then the checkpoint (cursors and the journal's hash chain) to the object's storage.
//   The next step resumes from that checkpoint: the SDK replays the journal (one segment in memory at a
//   time) and fetches only the pages after it. A step that fails or is killed is retried from the last
//   stored checkpoint; pages already journaled are never fetched again.
// - The last fetch step stores the snapshot in R2; the publish step rewrites only the KV shards whose
//   content changed, then the manifest. Until the manifest put, the published version serves unchanged.
// - Ranged publish (SYNC_SHARDS_PER_STEP set; for directories one isolate cannot hold): fetch steps only
//   journal pages (`syncDirectoryJournal`: no builder, no replay on resume). "partition" steps then split
//   the journal once, a segment per step, into buckets of shards (each user routed by its lookup keys, so a
//   build reads only its bucket) and its ids into id buckets; "dedup" steps read the id buckets to find the
//   users listed twice (the last copy wins, as in the one-snapshot build). Each "build" step builds
//   SYNC_SHARDS_PER_STEP canonical shards from its bucket (`ShardRange`: only those shards' users in memory),
//   writes the changed ones under the new version and adds its users' name and birthdate counts to the
//   run's; the "switch" step writes the frequency table (the merged counts: the one-snapshot publish's
//   table) and the manifest, and "cleanup" steps delete the stale keys of the version before the previous.
//   A killed step is redone from its input (same keys, same bytes). No whole-directory snapshot exists, so
//   every run of a ranged job is a full one.
import { DurableObject } from "cloudflare:workers";
import {
  KvDirectoryStore,
  ShardRange,
  applySyncResult,
  frequencyTableOfCounts,
  mergeFrequencyCounts,
  parsePrivateKey,
  routeUsersPage,
  syncDirectoryJournal,
  syncDirectoryJson,
  syncDirectorySnapshot,
  wasmMemoryBytes,
} from "okta-directory";
import { HOOK_PENDING_PREFIX, publishHookFast } from "./hooks.js";
import { deletePrefix, encodeSegment, listKeys, R2Journal, readPages } from "./journal.js";
import { fetchDelta, locateStep, patchDelta, positiveNumber } from "./ranged-incremental.js";

/**
 * The run in progress (the job's storage key `run`).
 * @typedef {object} Run
 * @property {string} id
 * @property {"full" | "incremental" | "hook"} mode
 * @property {"fetch" | "incremental" | "publish" | "partition" | "dedup" | "build" | "switch" | "cleanup" | "hook" | "delta" | "locate" | "patch"} phase  `hook`: the Event Hook fast path (hooks.js `publishHookFast`); `delta`, `patch`: an incremental run as shard patches (ranged-incremental.js).
 * @property {string} [deltaKey]  A shard-patch incremental run's delta, in R2.
 * @property {string} [locatedKey]  Its search for old copies over several `locate` steps, in R2.
 * @property {number} startedAtMs
 * @property {string | null} checkpoint  The SDK's checkpoint after the last journaled step (a full run's fetch phase).
 * @property {import("./journal.js").Segment[]} segments
 * @property {number} pages
 * @property {number} steps
 * @property {number} failures
 * @property {string[]} hookKeys  The Event Hook deliveries queued when the run started (cleared once it published).
 * @property {string} [snapshotKey]
 * @property {number} [watermarkMs]
 * @property {string | null} [logCursor]
 * @property {number} [users]
 * @property {Record<string, number>} [changes]  An incremental run's applied counts.
 * @property {Ranged} [ranged]  A ranged publish's progress (SYNC_SHARDS_PER_STEP set when the fetch phase ended).
 */
/**
 * A ranged publish in progress: shards `0..next` are built, their digests in R2 at `digestsKey`.
 * @typedef {object} Ranged
 * @property {number} shards
 * @property {number} next
 * @property {number} perStep
 * @property {string} version  The version being written.
 * @property {string | null} previousVersion  The live version whose digests the build compares with (null: write every shard).
 * @property {string | null} [liveVersion]  The live version when the run started (null: none); the switch refuses if another publish moved it.
 * @property {string} digestsKey
 * @property {number[]} written  Shards written under `version` (the others are unchanged since `previousVersion`).
 * @property {number} users  Distinct users so far (each counted in the range of its first shard).
 * @property {number} largest
 * @property {number} total
 * @property {string} origin
 * @property {string | null} workforce  The listed Workforce group (JSON text), if any.
 * @property {number} syncedAtMs
 * @property {string} [staleKey]  After the switch: the R2 object listing the stale keys to delete.
 * @property {number} [staleDone]
 * @property {number} [rangeUsers]  The users the last build step's range held.
 * @property {number} [rangeBytes]  The users pages' bytes the last build step read (its bucket, not the journal).
 * @property {number} [shardsPerBucket]  Shards per bucket of the partitioned journal (a multiple of `perStep`).
 * @property {number} [idBuckets]  Id buckets of the partitioned journal (to find the users listed twice).
 * @property {number} [partitioned]  Journal segments partitioned so far.
 * @property {number} [deduped]  Id buckets read so far.
 */
/**
 * What the live manifest was published from (the job's storage key `base`): the next run's starting point.
 * @typedef {object} Base
 * @property {string} snapshotKey
 * @property {number} watermarkMs
 * @property {string} [logCursor]  Okta's System Log polling cursor, after an incremental run.
 * @property {number} fullAtMs
 * @property {string} version
 * @property {string[]} [digests]  The published shards' digests (a one-snapshot publish).
 * @property {string} [digestsKey]  A ranged publish's: the R2 object holding them.
 * @property {boolean} [ranged]  Published in ranges: no whole snapshot (`snapshotKey` is empty); incremental runs patch shards.
 * @property {number} users
 * @property {number} publishedAtMs
 * @property {string[]} [hooksApplied]  Queued deliveries the hook fast path published since (their keys stay queued for the next run).
 */
/** @typedef {{ okta: number, r2: number, kvReads: number, kvWrites: number, kvDeletes: number }} Counts  A step's subrequests, counted. */

const HOUR_MS = 3_600_000;
/** Retries of a failing step before the run is abandoned (the published version keeps serving). */
const MAX_FAILURES = 5;
/** Shards of a full publish: users / 128, at most 450 (a publish's KV puts and deletes stay under 1000). */
const USERS_PER_SHARD = 128;
const MAX_SHARDS = 450;
/** The hook fast path defers the whole-snapshot rewrite: an incremental run this long after the first fast publish… */
const HOOK_COMPACT_SECONDS = 60;
/** …or at once after this many fast-published deliveries. */
const HOOK_COMPACT_DELIVERIES = 50;
/** A ranged publish's buckets of shards (and of ids) at most: a partition step's R2 puts stay bounded. */
const MAX_BUCKETS = 100;
/** Users per id bucket (a ranged publish's dedup step reads ID_BUCKETS_PER_DEDUP of them). */
const IDS_PER_BUCKET = 25_000;
/** Id buckets per dedup step: 4, fewer when the journal has many segments (each bucket is one object per segment). */
const ID_BUCKETS_PER_DEDUP = 4;
/** R2 reads a dedup step aims to stay under (of an invocation's 1,000 subrequests). */
const DEDUP_READS = 800;
/** The lookup keys of the snapshot the journaled sync builds (the core's default), as the manifest names them. */
const DEFAULT_KEYS = ["login", "email"];

/** @param {Record<string, unknown>} fields */
function log(fields) {
  console.log(JSON.stringify(fields));
}

/**
 * KV through the binding, with every operation counted (a Worker invocation's subrequests include them).
 * @param {KVNamespace} kv
 * @param {Counts} counts
 * @returns {KVNamespace}
 */
export function countingKv(kv, counts) {
  /**
   * @param {"get" | "put" | "delete" | "list"} method
   * @param {"kvReads" | "kvWrites" | "kvDeletes"} count
   */
  const counted =
    (method, count) =>
    (/** @type {any[]} */ ...a) => {
      counts[count]++;
      return /** @type {any} */ (kv[method])(...a);
    };
  return /** @type {KVNamespace} */ ({
    get: counted("get", "kvReads"),
    put: counted("put", "kvWrites"),
    delete: counted("delete", "kvDeletes"),
    list: counted("list", "kvReads"),
  });
}

/**
 * The sync options every run shares: the org, the credentials (secrets) and a fetch that counts requests.
 * @param {Env} env
 * @param {Counts} counts
 */
export function oktaOptions(env, counts) {
  const credentials = env.OKTA_API_TOKEN
    ? { apiToken: env.OKTA_API_TOKEN }
    : {
        clientId: env.OKTA_CLIENT_ID,
        // PEM or JWK text; a malformed one is INVALID_CREDENTIALS (its message never quotes the key).
        privateKey: env.OKTA_PRIVATE_KEY === undefined ? undefined : parsePrivateKey(env.OKTA_PRIVATE_KEY),
        ...(env.OKTA_KEY_ID ? { keyId: env.OKTA_KEY_ID } : {}),
      };
  return {
    orgUrl: env.OKTA_ORG_URL,
    ...credentials,
    // Only for a local emulator: the core accepts http:// for loopback hosts only.
    allowInsecureLoopback: env.OKTA_ALLOW_INSECURE_LOOPBACK === "true",
    fetch: (/** @type {RequestInfo | URL} */ input, /** @type {RequestInit | undefined} */ init) => {
      counts.okta++;
      return fetch(input, init);
    },
  };
}

/** @returns {Counts} */
function newCounts() {
  return { okta: 0, r2: 0, kvReads: 0, kvWrites: 0, kvDeletes: 0 };
}

/**
 * The job's durable state: `run` (the run in progress, if any) and `base` (what the live manifest was published from).
 * @extends {DurableObject<Env>}
 */
export class SyncJob extends DurableObject {
  /**
   * Starts a run unless one is in progress (then makes sure it continues). `{full: true}` forces a full
   * reconcile; `{again: true}` (an Event Hook delivery) asks for another run right after the one in progress.
   * @param {{ full?: boolean, again?: boolean }} [options]
   */
  async tick(options = {}) {
    const storage = this.ctx.storage;
    /** @type {Run | undefined} */
    const run = await storage.get("run");
    if (run !== undefined) {
      if (options.again === true) await storage.put("again", true);
      if ((await storage.getAlarm()) === null) await storage.setAlarm(Date.now());
      return { started: false, mode: run.mode, phase: run.phase };
    }
    /** @type {Base | undefined} */
    const base = await storage.get("base");
    const reconcileMs = positiveNumber(this.env.FULL_RECONCILE_HOURS, 25) * HOUR_MS;
    const full = options.full === true || base === undefined || Date.now() - base.fullAtMs >= reconcileMs;
    const random = crypto.getRandomValues(new Uint8Array(8));
    // Event Hook deliveries queued so far: this run re-reads what they changed, so it clears them once published.
    const hooks = await this.env.DIRECTORY.list({ prefix: HOOK_PENDING_PREFIX, limit: 1000 });
    // A delivery between syncs takes the fast path (only the deliveries it has not published yet).
    const applied = new Set(base?.hooksApplied ?? []);
    const hook = options.again === true && !full && options.full !== true;
    /** @type {Run} */
    const fresh = {
      id: `${Date.now().toString(36)}-${Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("")}`,
      mode: full ? "full" : hook ? "hook" : "incremental",
      phase: full ? "fetch" : hook ? "hook" : patchesShards(base) ? "delta" : "incremental",
      startedAtMs: Date.now(),
      checkpoint: null,
      segments: [],
      pages: 0,
      steps: 0,
      failures: 0,
      hookKeys: hooks.keys.map((k) => k.name).filter((k) => !hook || !applied.has(k)),
    };
    await storage.put("run", fresh);
    await storage.setAlarm(Date.now());
    log({ event: "sync_started", mode: fresh.mode });
    return { started: true, mode: fresh.mode, phase: fresh.phase };
  }

  /** What the job is doing and what it last published (no directory values). */
  async status() {
    const storage = this.ctx.storage;
    const [run, base, last] = /** @type {[Run | undefined, Base | undefined, unknown]} */ (
      await Promise.all([storage.get("run"), storage.get("base"), storage.get("lastStep")])
    );
    return {
      run:
        run === undefined
          ? null
          : {
              mode: run.mode,
              phase: run.phase,
              steps: run.steps,
              pages: run.pages,
              failures: run.failures,
              segments: run.segments.map((s) => s.key),
              ...(run.ranged === undefined ? {} : { shards: run.ranged.shards, shardsBuilt: run.ranged.next }),
            },
      published:
        base === undefined
          ? null
          : {
              version: base.version,
              users: base.users,
              watermarkMs: base.watermarkMs,
              fullAtMs: base.fullAtMs,
              publishedAtMs: base.publishedAtMs,
            },
      lastStep: last ?? null,
    };
  }

  /** One step of the run in progress. */
  async alarm() {
    const storage = this.ctx.storage;
    /** @type {Run | undefined} */
    const run = await storage.get("run");
    if (run === undefined) {
      // The hook fast path's deferred whole-snapshot rewrite: an incremental run.
      const at = await storage.get("compactAt");
      if (typeof at === "number" && Date.now() >= at) await this.tick();
      return;
    }
    const counts = newCounts();
    const started = Date.now();
    const phase = run.phase;
    try {
      if (phase === "fetch") await this.#fetchStep(run, counts);
      else if (phase === "incremental") await this.#incremental(run, counts);
      else if (phase === "delta") await this.#delta(run, counts);
      else if (phase === "patch") await this.#patch(run, counts);
      else if (phase === "locate") await this.#locate(run, counts);
      else if (phase === "hook") await this.#hookFast(run, counts);
      else if (phase === "partition") await this.#partition(run, counts);
      else if (phase === "dedup") await this.#dedup(run, counts);
      else if (phase === "build") await this.#buildRange(run, counts);
      else if (phase === "switch") await this.#switch(run, counts);
      else if (phase === "cleanup") await this.#cleanup(run, counts);
      else await this.#publish(run, counts);
      const step = {
        phase,
        mode: run.mode,
        ms: Date.now() - started,
        subrequests: counts.okta + counts.r2 + counts.kvReads + counts.kvWrites + counts.kvDeletes,
        ...counts,
        // The SDK's WebAssembly memory (its peak in this isolate so far; JS heap not included).
        wasmMb: Math.round(wasmMemoryBytes() / 104857.6) / 10,
        // A ranged build step: the users its range held (bounded by SYNC_SHARDS_PER_STEP, not the directory).
        ...(phase === "build" && run.ranged?.rangeUsers !== undefined
          ? { rangeUsers: run.ranged.rangeUsers, rangeBytes: run.ranged.rangeBytes }
          : {}),
      };
      await storage.put("lastStep", step);
      log({ event: "sync_step", ...step });
    } catch (error) {
      run.failures += 1;
      const code = /** @type {{ code?: unknown }} */ (error)?.code ?? "INTERNAL";
      log({ event: "sync_step_failed", phase, mode: run.mode, code, failures: run.failures });
      if (run.failures >= MAX_FAILURES) {
        // Give up on this run: the published version keeps serving; the next schedule starts afresh.
        await storage.delete("run");
        await deletePrefix(this.env.SYNC_BUCKET, `journal/${run.id}/`, counts).catch(() => {});
        await deletePrefix(this.env.SYNC_BUCKET, `runs/${run.id}/`, counts).catch(() => {});
        log({ event: "sync_abandoned", mode: run.mode });
        return;
      }
      await storage.put("run", run);
      // Backoff: SYNC_RETRY_BASE_MS (default 1000) doubled per failure, at most a minute.
      await storage.setAlarm(Date.now() + Math.min(60_000, positiveNumber(this.env.SYNC_RETRY_BASE_MS, 1000) * 2 ** run.failures));
    }
  }

  /**
   * A fetch step's budgeted sync: at most SYNC_PAGES_PER_STEP new pages appended to the run's journal. When
   * the budget stopped it, the step's pages are stored as one segment, then the checkpoint that covers them
   * (the next alarm resumes from it), and the result is undefined; else the finished sync's result.
   * @template T
   * @param {Run} run
   * @param {Counts} counts
   * @param {(options: Parameters<typeof syncDirectorySnapshot>[0]) => Promise<T>} sync  `syncDirectorySnapshot` or `syncDirectoryJournal`.
   * @returns {Promise<{ result: T, journal: R2Journal, fresh: number } | undefined>}
   */
  async #fetchBudgeted(run, counts, sync) {
    const storage = this.ctx.storage;
    const budget = Math.floor(positiveNumber(this.env.SYNC_PAGES_PER_STEP, 100));
    const journal = new R2Journal(this.env.SYNC_BUCKET, `journal/${run.id}/`, run.segments, counts);
    const stop = new AbortController();
    /** @type {string | null} */
    let checkpoint = null;
    let fresh = 0;
    /** @type {T | undefined} */
    let result;
    try {
      result = await sync({
        ...oktaOptions(this.env, counts),
        ...(this.env.WORKFORCE_GROUP ? { workforceGroupId: this.env.WORKFORCE_GROUP } : {}),
        ...(run.checkpoint === null ? {} : { checkpoint: run.checkpoint }),
        journal: {
          append: (page) => {
            journal.append(page);
            if (++fresh >= budget) stop.abort();
          },
          // Only the journaled snapshot sync replays (the journal-only one resumes from cursors alone).
          replay: (pages) => journal.replay(pages),
        },
        signal: stop.signal,
        // Only the checkpoint at the end of the step is stored (after its journal segment).
        checkpointIntervalMs: 24 * HOUR_MS,
        onCheckpoint: (c) => {
          checkpoint = c;
        },
      });
    } catch (error) {
      // The step's page budget stopped the sync: its last checkpoint covers every page appended.
      if (!stop.signal.aborted || checkpoint === null) throw error;
    }
    if (result !== undefined) return { result, journal, fresh };
    // Stopped by the page budget, so `onCheckpoint` ran (else the catch above rethrew).
    const covered = JSON.parse(/** @type {string} */ (/** @type {unknown} */ (checkpoint))).journal?.pages ?? 0;
    run.segments = await journal.commit(covered, run.steps);
    Object.assign(run, { checkpoint, pages: covered, steps: run.steps + 1, failures: 0 });
    await storage.put("run", run);
    await storage.setAlarm(Date.now());
    return undefined;
  }

  /**
   * A full run's step: at most SYNC_PAGES_PER_STEP new pages, journaled, then the checkpoint.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #fetchStep(run, counts) {
    if (positiveNumber(this.env.SYNC_SHARDS_PER_STEP, 0) > 0) return this.#journalStep(run, counts);
    const storage = this.ctx.storage;
    const done = await this.#fetchBudgeted(run, counts, syncDirectorySnapshot);
    if (done === undefined) return;
    const { result, fresh } = done;
    Object.assign(run, {
      phase: "publish",
      snapshotKey: await this.#putSnapshot(run, counts, result.snapshot),
      watermarkMs: result.summary.watermarkMs,
      users: result.summary.users,
      checkpoint: null,
      steps: run.steps + 1,
      failures: 0,
    });
    run.pages += fresh;
    await storage.put("run", run);
    await storage.setAlarm(Date.now());
  }

  /**
   * A ranged run's fetch step: at most SYNC_PAGES_PER_STEP new pages journaled, nothing built or replayed
   * (memory: the step's pages). The last one journals its pages too and starts the build phase.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #journalStep(run, counts) {
    const storage = this.ctx.storage;
    const done = await this.#fetchBudgeted(run, counts, syncDirectoryJournal);
    if (done === undefined) return;
    const { result, journal } = done;
    // Done: every page of this step is part of the directory.
    const stored = run.segments.reduce((n, s) => n + s.pages, 0);
    run.segments = await journal.commit(stored + journal.pending.length, run.steps);
    run.pages = stored + journal.pending.length;
    const shards = Math.max(1, Math.ceil(result.summary.users / USERS_PER_SHARD));
    /** @type {Base | undefined} */
    const base = await storage.get("base");
    const store = new KvDirectoryStore(countingKv(this.env.DIRECTORY, counts));
    // A KV read that fails fails the step (retried): taken for "nothing published", it would write every shard
    // and then refuse to switch over the version that is live after all. A damaged manifest counts as none: the
    // switch replaces it.
    const live = await store.manifestForPublish();
    const previous = base === undefined ? null : await this.#digestsOf(base, counts);
    // Shards are compared with the live version's only when it is the one this job published last, split alike.
    const comparable =
      live !== null &&
      base !== undefined &&
      live.version === base.version &&
      live.shards === shards &&
      live.keys.join("\n") === DEFAULT_KEYS.join("\n") &&
      previous !== null &&
      previous.length === shards;
    const workforceId = this.env.WORKFORCE_GROUP || null;
    const group = workforceId === null ? undefined : result.groups.find((g) => g.id === workforceId);
    const digestsKey = `runs/${run.id}/digests.json`;
    counts.r2++;
    await this.env.SYNC_BUCKET.put(digestsKey, JSON.stringify({ previous: comparable ? previous : null, digests: [] }));
    const perStep = Math.floor(positiveNumber(this.env.SYNC_SHARDS_PER_STEP, 1));
    const ranges = Math.ceil(shards / perStep);
    Object.assign(run, {
      phase: "partition",
      checkpoint: null,
      watermarkMs: result.summary.watermarkMs,
      steps: run.steps + 1,
      failures: 0,
      ranged: {
        shards,
        next: 0,
        perStep,
        version: store.newVersion(),
        previousVersion: comparable && live !== null ? live.version : null,
        liveVersion: live === null ? null : live.version,
        digestsKey,
        written: [],
        users: 0,
        largest: 0,
        total: 0,
        origin: new URL(this.env.OKTA_ORG_URL).origin,
        workforce: group === undefined ? null : JSON.stringify(group),
        syncedAtMs: Date.now(),
        // A bucket holds whole build ranges; at most MAX_BUCKETS of them, so a partition step's puts stay bounded.
        shardsPerBucket: perStep * Math.ceil(ranges / MAX_BUCKETS),
        idBuckets: Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(result.summary.users / IDS_PER_BUCKET))),
        partitioned: 0,
        deduped: 0,
      },
    });
    await storage.put("run", run);
    await storage.setAlarm(Date.now());
  }

  /**
   * A ranged run's partition step: one journal segment's users pages split by the bucket of shards each user
   * sits in (`runs/{id}/b/{bucket}/{segment}`) and their ids by id bucket (`runs/{id}/i/{bucket}/{segment}`);
   * its other pages (members) kept as they are (`runs/{id}/m/{segment}`). Every user is parsed here once, and
   * each build step then reads only its bucket. A killed step is redone (same keys, same bytes).
   * @param {Run} run
   * @param {Counts} counts
   */
  async #partition(run, counts) {
    const r = /** @type {Ranged} */ (run.ranged);
    const bucket = this.env.SYNC_BUCKET;
    const index = r.partitioned ?? 0;
    const tag = String(index).padStart(6, "0");
    const journal = new R2Journal(bucket, `journal/${run.id}/`, run.segments, counts);
    const spb = /** @type {number} */ (r.shardsPerBucket);
    const buckets = Math.ceil(r.shards / spb);
    const idBuckets = /** @type {number} */ (r.idBuckets);
    /** @type {import("./journal.js").Page[][]} */
    const routed = Array.from({ length: buckets }, () => []);
    /** @type {Uint8Array[][]} */
    const ids = Array.from({ length: idBuckets }, () => []);
    /** @type {import("./journal.js").Page[]} */
    const other = [];
    for await (const page of journal.segment(index)) {
      const split = routeUsersPage(page.url, page.body, r.shards, spb, idBuckets);
      if (split === undefined) {
        other.push(page);
        continue;
      }
      for (let b = 0; b < buckets; b++) {
        const body = /** @type {Uint8Array} */ (split.buckets[b]);
        if (body.byteLength > 0) routed[b]?.push({ url: page.url, body });
      }
      for (let b = 0; b < idBuckets; b++) {
        const lines = /** @type {Uint8Array} */ (split.ids[b]);
        if (lines.byteLength > 0) ids[b]?.push(lines);
      }
    }
    /** @param {string} key @param {Uint8Array} bytes */
    const put = async (key, bytes) => {
      counts.r2++;
      await bucket.put(key, bytes);
    };
    for (let b = 0; b < buckets; b++) {
      const pages = /** @type {import("./journal.js").Page[]} */ (routed[b]);
      if (pages.length > 0) await put(`runs/${run.id}/b/${b}/${tag}`, encodeSegment(pages));
      routed[b] = [];
    }
    for (let b = 0; b < idBuckets; b++) {
      const parts = /** @type {Uint8Array[]} */ (ids[b]);
      if (parts.length > 0) await put(`runs/${run.id}/i/${b}/${tag}`, concat(parts));
    }
    if (other.length > 0) await put(`runs/${run.id}/m/${tag}`, encodeSegment(other));
    r.partitioned = index + 1;
    if (r.partitioned >= run.segments.length) run.phase = "dedup";
    Object.assign(run, { steps: run.steps + 1, failures: 0 });
    await this.ctx.storage.put("run", run);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /**
   * A ranged run's dedup step: ID_BUCKETS_PER_DEDUP id buckets (fewer for a journal of over 200 segments) read in listing order; the users listed more
   * than once (Okta re-lists a user changed mid-listing) are added to `runs/{id}/superseded.json` with the
   * shards of their last copy, so that a build step reading only its bucket keeps the last copy, as the
   * one-snapshot build does. Memory: the ids of those buckets.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #dedup(run, counts) {
    const r = /** @type {Ranged} */ (run.ranged);
    const bucket = this.env.SYNC_BUCKET;
    const from = r.deduped ?? 0;
    const per = Math.max(1, Math.min(ID_BUCKETS_PER_DEDUP, Math.floor(DEDUP_READS / Math.max(1, run.segments.length))));
    const to = Math.min(/** @type {number} */ (r.idBuckets), from + per);
    const key = `runs/${run.id}/superseded.json`;
    /** @type {Record<string, number[]>} */
    let superseded = {};
    if (from > 0) {
      counts.r2++;
      const object = await bucket.get(key);
      if (object === null) throw new Error("the run's superseded users are missing");
      superseded = await object.json();
    }
    const dec = new TextDecoder();
    for (let b = from; b < to; b++) {
      /** @type {Map<string, { copies: number, shards: string }>} */
      const seen = new Map();
      for (const k of await listKeys(bucket, `runs/${run.id}/i/${b}/`, counts)) {
        counts.r2++;
        const object = await bucket.get(k);
        if (object === null) throw new Error("an id bucket is missing");
        for (const line of dec.decode(await object.arrayBuffer()).split("\n")) {
          if (line === "") continue;
          const tab = line.indexOf("\t");
          const id = line.slice(0, tab);
          const prior = seen.get(id);
          seen.set(id, { copies: (prior?.copies ?? 0) + 1, shards: line.slice(tab + 1) });
        }
      }
      for (const [id, v] of seen) {
        if (v.copies > 1) superseded[id] = v.shards === "" ? [] : v.shards.split(",").map(Number);
      }
    }
    counts.r2++;
    await bucket.put(key, JSON.stringify(superseded));
    r.deduped = to;
    if (to >= /** @type {number} */ (r.idBuckets)) run.phase = "build";
    Object.assign(run, { steps: run.steps + 1, failures: 0 });
    await this.ctx.storage.put("run", run);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /**
   * The digests a base was published with (from R2 for a ranged base), or null.
   * @param {Base} base
   * @param {Counts} counts
   * @returns {Promise<string[] | null>}
   */
  async #digestsOf(base, counts) {
    if (base.digests !== undefined) return base.digests;
    if (base.digestsKey === undefined) return null;
    counts.r2++;
    const object = await this.env.SYNC_BUCKET.get(base.digestsKey);
    return object === null ? null : /** @type {string[]} */ (await object.json());
  }

  /**
   * A ranged run's build step: shards `next .. next + perStep` built from their bucket only (users pages,
   * then the members pages), the users listed twice resolved as the one-snapshot build does, digested, and
   * written under the new version when changed. The range's name and birthdate counts are added to the run's
   * (`runs/{id}/f/{next}` holds the counts of shards `0..next`: a redone step reads the same input).
   * @param {Run} run
   * @param {Counts} counts
   */
  async #buildRange(run, counts) {
    const r = /** @type {Ranged} */ (run.ranged);
    const bucket = this.env.SYNC_BUCKET;
    const from = r.next;
    const to = Math.min(r.shards, from + r.perStep);
    // A run started by a template that built from the whole journal has no buckets: it fails (and, after
    // MAX_FAILURES, is abandoned while the published version serves) rather than build empty shards.
    if (r.shardsPerBucket === undefined) throw new Error("the run's journal was not partitioned");
    const range = new ShardRange(r.shards, from, to, r.origin, this.env.WORKFORCE_GROUP || undefined);
    /** @type {import("okta-directory").SyncGroup | undefined} */
    const workforce = r.workforce === null ? undefined : JSON.parse(r.workforce);
    /** @type {Uint8Array[]} */
    let parts;
    let users = 0;
    /** @type {Uint8Array} */
    let frequencies;
    try {
      counts.r2++;
      const superseded = await bucket.get(`runs/${run.id}/superseded.json`);
      if (superseded === null) throw new Error("the run's superseded users are missing");
      const text = await superseded.text();
      if (text !== "{}") range.setSuperseded(JSON.parse(text));
      const own = Math.floor(from / /** @type {number} */ (r.shardsPerBucket));
      const keys = await listKeys(bucket, `runs/${run.id}/b/${own}/`, counts);
      let read = 0;
      for await (const page of readPages(bucket, keys, counts)) {
        read += page.body.byteLength;
        range.addUsersPage(page.url, page.body);
      }
      r.rangeBytes = read;
      if (r.workforce !== null) {
        const members = await listKeys(bucket, `runs/${run.id}/m/`, counts);
        for await (const page of readPages(bucket, members, counts)) range.addMembersPage(page.url, page.body);
      }
      users = range.primaryUsers;
      r.rangeUsers = range.users;
      frequencies = range.frequencyCounts();
      parts = range.finish(workforce);
    } finally {
      range.free();
    }
    if (from > 0) {
      counts.r2++;
      const before = await bucket.get(`runs/${run.id}/f/${from}`);
      if (before === null) throw new Error("the run's frequency counts are missing");
      frequencies = mergeFrequencyCounts(new Uint8Array(await before.arrayBuffer()), frequencies);
    }
    counts.r2++;
    await bucket.put(`runs/${run.id}/f/${to}`, frequencies);
    counts.r2++;
    const object = await bucket.get(r.digestsKey);
    if (object === null) throw new Error("the run's digests are missing");
    const state = /** @type {{ previous: string[] | null, digests: string[] }} */ (await object.json());
    const store = new KvDirectoryStore(countingKv(this.env.DIRECTORY, counts));
    const written = new Set(r.written);
    for (let i = 0; i < parts.length; i++) {
      const n = from + i;
      const bytes = /** @type {Uint8Array} */ (parts[i]);
      const digest = await KvDirectoryStore.shardDigest(bytes);
      state.digests[n] = digest;
      r.largest = Math.max(r.largest, bytes.byteLength);
      r.total += bytes.byteLength;
      if (r.previousVersion === null || state.previous?.[n] !== digest) {
        await store.putShard(r.version, n, bytes);
        written.add(n);
      }
    }
    counts.r2++;
    await bucket.put(r.digestsKey, JSON.stringify(state));
    Object.assign(r, { next: to, users: r.users + users, written: [...written].sort((a, b) => a - b) });
    Object.assign(run, { steps: run.steps + 1, failures: 0, users: r.users });
    if (to === r.shards) run.phase = "switch";
    await this.ctx.storage.put("run", run);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /**
   * A ranged run's switch: the manifest names the new version (readers switch here), the job's base follows.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #switch(run, counts) {
    const storage = this.ctx.storage;
    const r = /** @type {Ranged} */ (run.ranged);
    /** @type {Base | undefined} */
    const base = await storage.get("base");
    const store = new KvDirectoryStore(countingKv(this.env.DIRECTORY, counts));
    const staleKey = `runs/${run.id}/stale.json`;
    counts.r2++;
    const merged = await this.env.SYNC_BUCKET.get(`runs/${run.id}/f/${r.shards}`);
    if (merged === null) throw new Error("the run's frequency counts are missing");
    const frequencies = frequencyTableOfCounts(new Uint8Array(await merged.arrayBuffer()));
    const { manifest } = await store.switchShards({
      ...(frequencies === undefined ? {} : { frequencies }),
      version: r.version,
      shards: r.shards,
      keys: DEFAULT_KEYS,
      users: r.users,
      syncedAtMs: r.syncedAtMs,
      written: r.written,
      previousVersion: r.previousVersion,
      // A run started before this field existed: its compared version (null: refuse over any live version).
      liveVersion: r.liveVersion === undefined ? r.previousVersion : r.liveVersion,
      largestShardBytes: r.largest,
      totalBytes: r.total,
      // Kept before the manifest put: a step killed after it retries with `stale: []`, and cleanup reads this.
      onStale: async (stale) => {
        counts.r2++;
        await this.env.SYNC_BUCKET.put(staleKey, JSON.stringify(stale));
      },
    });
    // The digests object moves out of the run's prefix (which is deleted) to be the next run's comparison.
    counts.r2++;
    const object = await this.env.SYNC_BUCKET.get(r.digestsKey);
    const digests = object === null ? [] : /** @type {{ digests: string[] }} */ (await object.json()).digests;
    const digestsKey = `digests/${run.id}.json`;
    counts.r2++;
    await this.env.SYNC_BUCKET.put(digestsKey, JSON.stringify(digests));
    // A retry of a switch step killed after it recorded the base: the base is already this run's.
    const recorded = base?.version === manifest.version;
    if (!recorded) {
      await storage.put("base", {
        snapshotKey: "",
        ranged: true,
        digestsKey,
        watermarkMs: run.watermarkMs,
        fullAtMs: run.startedAtMs,
        version: manifest.version,
        users: r.users,
        publishedAtMs: Date.now(),
      });
    }
    if (base !== undefined && !recorded) await deleteBaseObjects(this.env.SYNC_BUCKET, base, counts);
    Object.assign(r, { staleKey, staleDone: 0 });
    Object.assign(run, { phase: "cleanup", steps: run.steps + 1, failures: 0 });
    await storage.put("run", run);
    log({ event: "published", mode: run.mode, users: r.users, shards: r.shards, written: r.written.length, ranged: true });
    await storage.setAlarm(Date.now());
  }

  /**
   * A ranged run's last steps: SYNC_DELETES_PER_STEP stale keys deleted per step, then the run's R2 objects.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #cleanup(run, counts) {
    const storage = this.ctx.storage;
    const r = /** @type {Ranged} */ (run.ranged);
    counts.r2++;
    const object = await this.env.SYNC_BUCKET.get(/** @type {string} */ (r.staleKey));
    const stale = object === null ? [] : /** @type {string[]} */ (await object.json());
    const done = r.staleDone ?? 0;
    const batch = stale.slice(done, done + Math.floor(positiveNumber(this.env.SYNC_DELETES_PER_STEP, 500)));
    const store = new KvDirectoryStore(countingKv(this.env.DIRECTORY, counts));
    await store.deleteKeys(batch);
    r.staleDone = done + batch.length;
    run.steps += 1;
    if (r.staleDone < stale.length) {
      await storage.put("run", run);
      await storage.setAlarm(Date.now());
      return;
    }
    const kv = countingKv(this.env.DIRECTORY, counts);
    for (const key of run.hookKeys ?? []) await kv.delete(key);
    await deletePrefix(this.env.SYNC_BUCKET, `journal/${run.id}/`, counts);
    await deletePrefix(this.env.SYNC_BUCKET, `runs/${run.id}/`, counts);
    await storage.delete("run");
    if ((await storage.get("again")) === true) {
      await storage.delete("again");
      await this.tick();
    }
  }

  /**
   * The Event Hook fast path: the run's deliveries published by rewriting only their users' shards (hooks.js
   * `publishHookFast`); an incremental run follows (`compactAt`: after HOOK_COMPACT_SECONDS or
   * HOOK_COMPACT_DELIVERIES) to poll the System Log past them, as shard patches too (the base's snapshot is
   * behind the shards from here on). When the fast path is refused, this run becomes that incremental run.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #hookFast(run, counts) {
    const storage = this.ctx.storage;
    const base = await this.#requireBase();
    const okta = oktaOptions(this.env, counts);
    const digests = await this.#digestsOf(base, counts);
    const published =
      digests === null
        ? null
        : await publishHookFast({
            env: this.env,
            kv: countingKv(this.env.DIRECTORY, counts),
            keys: run.hookKeys,
            base: { version: base.version, digests },
            okta,
          });
    if (published === null) {
      const hooks = await countingKv(this.env.DIRECTORY, counts).list({ prefix: HOOK_PENDING_PREFIX, limit: 1000 });
      Object.assign(run, {
        mode: "incremental",
        phase: patchesShards(base) ? "delta" : "incremental",
        hookKeys: hooks.keys.map((k) => k.name),
      });
      await storage.put("run", run);
      await storage.setAlarm(Date.now());
      return;
    }
    const hooksApplied = [...(base.hooksApplied ?? []), ...run.hookKeys];
    await storage.put("base", {
      ...base,
      ...(await this.#keepDigests(base, run, published.digests, counts)),
      version: published.version,
      users: published.users,
      publishedAtMs: Date.now(),
      hooksApplied,
    });
    await storage.delete("run");
    log({
      event: "published",
      mode: "hook",
      users: published.users,
      shards: published.shards,
      written: published.written,
      deleted: published.deleted,
    });
    /** @type {number | undefined} */
    const due = await storage.get("compactAt");
    const at = hooksApplied.length >= HOOK_COMPACT_DELIVERIES ? Date.now() : (due ?? Date.now() + HOOK_COMPACT_SECONDS * 1000);
    await storage.put("compactAt", at);
    if ((await storage.get("again")) === true) {
      await storage.delete("again");
      await this.tick({ again: true });
    } else await storage.setAlarm(at);
  }

  /**
   * Stores a run's whole snapshot in R2 (`snapshots/{run}.snap`: the publish step's input, then the next base's); its key.
   * @param {Run} run
   * @param {Counts} counts
   * @param {Uint8Array} snapshot
   */
  async #putSnapshot(run, counts, snapshot) {
    const key = `snapshots/${run.id}.snap`;
    counts.r2++;
    await this.env.SYNC_BUCKET.put(key, snapshot);
    return key;
  }

  /**
   * The job's base (what the live manifest was published from), for a step that starts from it; it fails without one.
   * @returns {Promise<Base>}
   */
  async #requireBase() {
    /** @type {Base | undefined} */
    const base = await this.ctx.storage.get("base");
    if (base === undefined) throw new Error("no base snapshot");
    return base;
  }

  /**
   * Turns a shard-patch incremental run into a full one (nothing was published): its R2 objects deleted, a fetch next.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #toFullRun(run, counts) {
    await deletePrefix(this.env.SYNC_BUCKET, `runs/${run.id}/`, counts);
    Object.assign(run, { mode: "full", phase: "fetch", failures: 0, steps: run.steps + 1 });
  }

  /**
   * Where a base keeps a publish's digests: a ranged base in R2 (`digests/{run}.json`, the old object deleted),
   * another one inline.
   * @param {Base} base
   * @param {Run} run
   * @param {string[]} digests
   * @param {Counts} counts
   * @returns {Promise<{ digests: string[] } | { digestsKey: string }>}
   */
  async #keepDigests(base, run, digests, counts) {
    if (base.ranged !== true) return { digests };
    const digestsKey = `digests/${run.id}.json`;
    counts.r2++;
    await this.env.SYNC_BUCKET.put(digestsKey, JSON.stringify(digests));
    if (base.digestsKey !== undefined && base.digestsKey !== digestsKey) {
      counts.r2++;
      await this.env.SYNC_BUCKET.delete(base.digestsKey);
    }
    return { digestsKey };
  }

  /**
   * A shard-patch incremental run's first step (ranged-incremental.js `fetchDelta`): the changes since the
   * base, to R2. Becomes a full run when the System Log could not be read.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #delta(run, counts) {
    const storage = this.ctx.storage;
    const base = await this.#requireBase();
    const ok = await fetchDelta({ env: this.env, run, base, okta: oktaOptions(this.env, counts), counts });
    if (!ok) Object.assign(run, { mode: "full", phase: "fetch", failures: 0 });
    await storage.put("run", run);
    await storage.setAlarm(Date.now());
  }

  /**
   * A shard-patch incremental run's search for old copies, SYNC_SCAN_SHARDS shards per step (ranged-incremental.js
   * `locateStep`), before its patch step. Becomes a full run when the live version changed meanwhile.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #locate(run, counts) {
    const storage = this.ctx.storage;
    const base = await this.#requireBase();
    const ok = await locateStep({ env: this.env, run, base, kv: countingKv(this.env.DIRECTORY, counts), counts });
    if (!ok) await this.#toFullRun(run, counts);
    await storage.put("run", run);
    await storage.setAlarm(Date.now());
  }

  /**
   * A shard-patch incremental run's second step (ranged-incremental.js `patchDelta`): the changed shards and the
   * manifest written, the base moved to them. Becomes a full run when the patch is refused (nothing written).
   * @param {Run} run
   * @param {Counts} counts
   */
  async #patch(run, counts) {
    const storage = this.ctx.storage;
    const bucket = this.env.SYNC_BUCKET;
    const base = await this.#requireBase();
    const digests = await this.#digestsOf(base, counts);
    const kv = countingKv(this.env.DIRECTORY, counts);
    const published = digests === null ? null : await patchDelta({ env: this.env, run, base, digests, kv, counts });
    if (published === "locate") {
      await storage.put("run", run);
      await storage.setAlarm(Date.now());
      return;
    }
    if (published === null) {
      await this.#toFullRun(run, counts);
      await storage.put("run", run);
      log({ event: "incremental_refused", reason: "the changes need a full run" });
      await storage.setAlarm(Date.now());
      return;
    }
    /** @type {Base} */
    const next = {
      ...base,
      ...(await this.#keepDigests(base, run, published.digests, counts)),
      // The shards are the directory's truth now: the whole snapshot (if any) is behind them.
      snapshotKey: "",
      watermarkMs: /** @type {number} */ (run.watermarkMs),
      version: published.version,
      users: published.users,
      publishedAtMs: Date.now(),
    };
    if (typeof run.logCursor === "string") next.logCursor = run.logCursor;
    else delete next.logCursor;
    delete next.hooksApplied;
    await storage.put("base", next);
    if (base.snapshotKey !== "") {
      counts.r2++;
      await bucket.delete(base.snapshotKey);
    }
    await deletePrefix(bucket, `runs/${run.id}/`, counts);
    await this.#published(run, counts, {
      users: published.users,
      shards: published.shards,
      written: published.written,
      deleted: published.deleted,
      shardsRead: published.shardsRead,
      scanned: published.scanned,
      changes: published.changes,
    });
  }

  /**
   * An incremental run: the changes since the last watermark applied to the last snapshot, then published.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #incremental(run, counts) {
    const base = await this.#requireBase();
    // The System Log is polled from the previous incremental run's cursor (Okta's `next` link of a query
    // without `until`), so late-written events are read once; after a full run, from the watermark.
    const json = await syncDirectoryJson({
      ...oktaOptions(this.env, counts),
      since: base.watermarkMs,
      ...(typeof base.logCursor === "string" ? { logCursor: base.logCursor } : {}),
    });
    const delta = JSON.parse(json);
    counts.r2++;
    const object = await this.env.SYNC_BUCKET.get(base.snapshotKey);
    if (object === null) throw new Error("the base snapshot is missing");
    const applied = applySyncResult(new Uint8Array(await object.arrayBuffer()), json);
    Object.assign(run, {
      phase: "publish",
      snapshotKey: await this.#putSnapshot(run, counts, applied.snapshot),
      watermarkMs: delta.summary?.watermarkMs ?? base.watermarkMs,
      logCursor: delta.changes?.logCursor ?? null,
      users: applied.users,
      changes: applied.stats,
    });
    await this.ctx.storage.put("run", run);
    await this.#publish(run, counts, applied.snapshot);
  }

  /**
   * Publishes the run's snapshot (changed shards, then the manifest) and makes it the base of the next run.
   * @param {Run} run
   * @param {Counts} counts
   * @param {Uint8Array} [bytes]  The snapshot, when the caller holds it (else read from R2).
   */
  async #publish(run, counts, bytes) {
    const storage = this.ctx.storage;
    const bucket = this.env.SYNC_BUCKET;
    let snapshot = bytes;
    if (snapshot === undefined) {
      counts.r2++;
      // A run in the publish phase always names its snapshot.
      const object = await bucket.get(/** @type {string} */ (run.snapshotKey));
      if (object === null) throw new Error("the run's snapshot is missing");
      snapshot = new Uint8Array(await object.arrayBuffer());
    }
    /** @type {Base | undefined} */
    const base = await storage.get("base");
    const store = new KvDirectoryStore(countingKv(this.env.DIRECTORY, counts));
    const published = await store.publishChanged(snapshot, {
      previousDigests: base === undefined ? null : await this.#digestsOf(base, counts),
      previousVersion: base?.version ?? null,
      ...(run.mode === "full" ? { shards: Math.min(MAX_SHARDS, Math.max(1, Math.ceil((run.users ?? 0) / USERS_PER_SHARD))) } : {}),
    });
    await storage.put("base", {
      snapshotKey: run.snapshotKey,
      watermarkMs: run.watermarkMs,
      // Only an incremental run leaves a System Log cursor; a full run resets it.
      ...(typeof run.logCursor === "string" ? { logCursor: run.logCursor } : {}),
      // An incremental run only starts from a published base.
      fullAtMs: run.mode === "full" ? run.startedAtMs : /** @type {Base} */ (base).fullAtMs,
      version: published.version,
      digests: published.digests,
      users: published.users,
      publishedAtMs: Date.now(),
    });
    if (base !== undefined && base.snapshotKey !== run.snapshotKey) await deleteBaseObjects(bucket, base, counts);
    if (run.mode === "full") await deletePrefix(bucket, `journal/${run.id}/`, counts);
    await this.#published(run, counts, {
      users: published.users,
      shards: published.shards,
      written: published.written,
      deleted: published.deleted,
      // An incremental run's applied changes (counts only): users upserted/removed, memberships added/removed/skipped.
      ...(run.changes === undefined ? {} : { changes: run.changes }),
    });
  }

  /**
   * A run's end once its version is live and the base records it: the Event Hook deliveries queued before the
   * run started are published (their keys cleared; the fast path's deferred rewrite is no longer due), the run is
   * gone and the publish logged. A delivery that arrived during the run asks for another one now: its changes may
   * be newer than this run's reads.
   * @param {Run} run
   * @param {Counts} counts
   * @param {Record<string, unknown>} fields  The `published` log line's counts (no directory values).
   */
  async #published(run, counts, fields) {
    const storage = this.ctx.storage;
    await storage.delete("compactAt");
    const kv = countingKv(this.env.DIRECTORY, counts);
    for (const key of run.hookKeys ?? []) await kv.delete(key);
    await storage.delete("run");
    log({ event: "published", mode: run.mode, ...fields });
    if ((await storage.get("again")) === true) {
      await storage.delete("again");
      await this.tick({ again: true });
    }
  }
}

/**
 * The parts, end to end.
 * @param {Uint8Array[]} parts
 */
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Deletes the R2 objects a replaced base named (its snapshot, its digests), in one request.
 * @param {R2Bucket} bucket
 * @param {Base} base
 * @param {Counts} counts
 */
async function deleteBaseObjects(bucket, base, counts) {
  const old = [base.snapshotKey, base.digestsKey].filter((k) => typeof k === "string" && k !== "");
  if (old.length === 0) return;
  counts.r2++;
  await bucket.delete(/** @type {string[]} */ (old));
}

/**
 * Whether a base's incremental runs patch KV shards (ranged-incremental.js) instead of applying the changes to
 * its whole snapshot: a ranged publish has none, and after the Event Hook fast path (or a first shard patch)
 * the shards are ahead of it.
 * @param {Base | undefined} base
 */
function patchesShards(base) {
  return base !== undefined && (base.ranged === true || base.snapshotKey === "" || (base.hooksApplied ?? []).length > 0);
}
