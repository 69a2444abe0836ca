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
import { DurableObject } from "cloudflare:workers";
import {
  KvDirectoryStore,
  applySyncResult,
  parsePrivateKey,
  syncDirectoryJson,
  syncDirectorySnapshot,
  wasmMemoryBytes,
} from "okta-directory";
import { HOOK_PENDING_PREFIX, publishHookFast } from "./hooks.js";
import { deletePrefix, R2Journal } from "./journal.js";

/**
 * The run in progress (the job's storage key `run`).
 * @typedef {object} Run
 * @property {string} id
 * @property {"full" | "incremental" | "hook"} mode
 * @property {"fetch" | "incremental" | "publish" | "hook"} phase  `hook`: the Event Hook fast path (hooks.js `publishHookFast`).
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
 */
/**
 * What the live manifest was published from (the job's storage key `base`): the next run's starting point.
 * @typedef {object} Base
 * @property {string} snapshotKey
 * @property {number} watermarkMs
 * @property {string} [logCursor]  Okta's System Log polling cursor, after an incremental run.
 * @property {number} fullAtMs
 * @property {string} version
 * @property {string[]} digests
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

/** @param {Record<string, unknown>} fields */
function log(fields) {
  console.log(JSON.stringify(fields));
}

/**
 * @param {unknown} value
 * @param {number} fallback
 */
function positiveNumber(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * KV through the binding, with every operation counted (a Worker invocation's subrequests include them).
 * @param {KVNamespace} kv
 * @param {Counts} counts
 * @returns {KVNamespace}
 */
export function countingKv(kv, counts) {
  return /** @type {KVNamespace} */ ({
    get: (/** @type {any[]} */ ...a) => (counts.kvReads++, /** @type {any} */ (kv.get)(...a)),
    put: (/** @type {any[]} */ ...a) => (counts.kvWrites++, /** @type {any} */ (kv.put)(...a)),
    delete: (/** @type {any[]} */ ...a) => (counts.kvDeletes++, /** @type {any} */ (kv.delete)(...a)),
    list: (/** @type {any[]} */ ...a) => (counts.kvReads++, /** @type {any} */ (kv.list)(...a)),
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
      phase: full ? "fetch" : hook ? "hook" : "incremental",
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
      else if (phase === "hook") await this.#hookFast(run, counts);
      else await this.#publish(run, counts);
      const step = {
        phase,
        mode: run.mode,
        ms: Date.now() - started,
        subrequests: counts.okta + counts.r2 + counts.kvReads + counts.kvWrites + counts.kvDeletes,
        ...counts,
        // The SDK's WebAssembly memory (its peak in this isolate so far; JS heap not included).
        wasmMb: Math.round(wasmMemoryBytes() / 104857.6) / 10,
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
        log({ event: "sync_abandoned", mode: run.mode });
        return;
      }
      await storage.put("run", run);
      // Backoff: SYNC_RETRY_BASE_MS (default 1000) doubled per failure, at most a minute.
      await storage.setAlarm(Date.now() + Math.min(60_000, positiveNumber(this.env.SYNC_RETRY_BASE_MS, 1000) * 2 ** run.failures));
    }
  }

  /**
   * A full run's step: at most SYNC_PAGES_PER_STEP new pages, journaled, then the checkpoint.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #fetchStep(run, counts) {
    const storage = this.ctx.storage;
    const bucket = this.env.SYNC_BUCKET;
    const budget = Math.floor(positiveNumber(this.env.SYNC_PAGES_PER_STEP, 100));
    const journal = new R2Journal(bucket, `journal/${run.id}/`, run.segments, counts);
    const stop = new AbortController();
    /** @type {string | null} */
    let checkpoint = null;
    let fresh = 0;
    /** @type {Awaited<ReturnType<typeof syncDirectorySnapshot>> | undefined} */
    let result;
    try {
      result = await syncDirectorySnapshot({
        ...oktaOptions(this.env, counts),
        ...(this.env.WORKFORCE_GROUP ? { workforceGroupId: this.env.WORKFORCE_GROUP } : {}),
        ...(run.checkpoint === null ? {} : { checkpoint: run.checkpoint }),
        journal: {
          append: (page) => {
            journal.append(page);
            if (++fresh >= budget) stop.abort();
          },
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
    if (result === undefined) {
      // Stopped by the page budget, so `onCheckpoint` ran (else the catch above rethrew).
      const covered = JSON.parse(/** @type {string} */ (/** @type {unknown} */ (checkpoint))).journal?.pages ?? 0;
      run.segments = await journal.commit(covered, run.steps);
      run.checkpoint = checkpoint;
      run.pages = covered;
      run.steps += 1;
      run.failures = 0;
      await storage.put("run", run);
      await storage.setAlarm(Date.now());
      return;
    }
    const key = `snapshots/${run.id}.snap`;
    counts.r2++;
    await bucket.put(key, result.snapshot);
    Object.assign(run, {
      phase: "publish",
      snapshotKey: key,
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
   * The Event Hook fast path: the run's deliveries published by rewriting only their users' shards (hooks.js
   * `publishHookFast`); the whole snapshot is rewritten later by an incremental run (`compactAt`: after
   * HOOK_COMPACT_SECONDS or HOOK_COMPACT_DELIVERIES). When the changes need the whole snapshot, this run
   * becomes that incremental run.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #hookFast(run, counts) {
    const storage = this.ctx.storage;
    /** @type {Base | undefined} */
    const base = await storage.get("base");
    if (base === undefined) throw new Error("no base snapshot");
    const okta = oktaOptions(this.env, counts).fetch;
    const published = await publishHookFast({
      env: this.env,
      kv: countingKv(this.env.DIRECTORY, counts),
      keys: run.hookKeys,
      base,
      fetch: okta,
    });
    if (published === null) {
      const hooks = await this.env.DIRECTORY.list({ prefix: HOOK_PENDING_PREFIX, limit: 1000 });
      Object.assign(run, { mode: "incremental", phase: "incremental", hookKeys: hooks.keys.map((k) => k.name) });
      await storage.put("run", run);
      await storage.setAlarm(Date.now());
      return;
    }
    const hooksApplied = [...(base.hooksApplied ?? []), ...run.hookKeys];
    await storage.put("base", { ...base, version: published.version, digests: published.digests, publishedAtMs: Date.now(), hooksApplied });
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
   * An incremental run: the changes since the last watermark applied to the last snapshot, then published.
   * @param {Run} run
   * @param {Counts} counts
   */
  async #incremental(run, counts) {
    /** @type {Base | undefined} */
    const base = await this.ctx.storage.get("base");
    if (base === undefined) throw new Error("no base snapshot");
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
    const key = `snapshots/${run.id}.snap`;
    counts.r2++;
    await this.env.SYNC_BUCKET.put(key, applied.snapshot);
    Object.assign(run, {
      phase: "publish",
      snapshotKey: key,
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
      previousDigests: base?.digests ?? null,
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
    // The Event Hook deliveries queued before this run started are now published, the fast path's too.
    await storage.delete("compactAt");
    const kv = countingKv(this.env.DIRECTORY, counts);
    for (const key of run.hookKeys ?? []) await kv.delete(key);
    await storage.delete("run");
    log({
      event: "published",
      mode: run.mode,
      users: published.users,
      shards: published.shards,
      written: published.written,
      deleted: published.deleted,
      // An incremental run's applied changes (counts only): users upserted/removed, memberships added/removed/skipped.
      ...(run.changes === undefined ? {} : { changes: run.changes }),
    });
    if (base !== undefined && base.snapshotKey !== run.snapshotKey) {
      counts.r2++;
      await bucket.delete(base.snapshotKey);
    }
    if (run.mode === "full") await deletePrefix(bucket, `journal/${run.id}/`, counts);
    // A hook delivery arrived during this run: its changes may be newer than this run's reads.
    if ((await storage.get("again")) === true) {
      await storage.delete("again");
      await this.tick({ again: true });
    }
  }
}
