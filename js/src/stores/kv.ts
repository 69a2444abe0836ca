/**
 * A sharded directory in a key-value store (Cloudflare Workers KV, or anything with the same
 * get/put/delete shape), laid out so that a lookup reads one small value.
 *
 * Layout under `prefix` (default `okta-directory/`):
 * - `v/{version}/{n}`: shard `n` of a published version — a snapshot of the users whose lookup keys
 *   hash to `n` (the core decides the routing; a user can sit in several shards, one per key).
 *   Written once, never changed, so readers may cache them at the edge for long.
 * - `v/{version}/frequencies`: the whole directory's name and birthdate frequency table (a shard's
 *   users are not the directory's), written by a publish when the snapshot has one and it changed
 *   (its SHA-256 is the manifest's `frequenciesDigest`); the manifest's `frequencies` names the version
 *   that wrote it. {@link KvDirectoryStore.frequencyTable} reads it for the matcher.
 * - `manifest`: JSON naming the live version, its shard count, the lookup keys and the routing scheme,
 *   plus the previous version (kept for readers in flight).
 *
 * Publishing writes every shard of a new version beside the old ones, then switches the manifest (one
 * put: readers see the old version or the new one), then deletes the version before the previous one.
 * {@link KvDirectoryStore.publishChanged} writes only the shards whose content changed: the manifest's
 * `shardVersions` then names, per shard, the version that wrote it (`v/{shardVersions[n]}/{n}`).
 */
import * as wasm from "../../wasm/okta_directory.js";
import type { LookupResult } from "../../wasm/okta_directory.js";
import type { Directory } from "../directory.js";
import { guard, makeError } from "../errors.js";
import { ensureReady } from "../state.js";

/** The subset of a Workers KV namespace binding the store uses (a `KVNamespace` fits). */
export interface KvNamespaceLike {
  get(key: string, options: { type: "arrayBuffer"; cacheTtl?: number }): Promise<ArrayBuffer | null>;
  put(key: string, value: ArrayBuffer | ArrayBufferView | string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Only needed by {@link KvDirectoryStore.sweep}. */
  list?(options: { prefix: string; cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
}

/** Answers a hint from its login shard and, when the hint routes to two, its plain shard. */
type ShardRead<T> = (first: wasm.DirectoryShard, second: wasm.DirectoryShard | undefined, hint: string) => T;

/** A published version, as the manifest names it. */
export interface KvVersion {
  version: string;
  shards: number;
  /** Lookup key names, in order (the routing depends on them). */
  keys: string[];
  /** Per shard, the version whose write it is (a publish that rewrote only changed shards); absent: all `version`. */
  shardVersions?: string[];
  /** The version whose `v/{version}/frequencies` holds the directory's frequency table (absent: none). */
  frequencies?: string;
}

/** The `manifest` value. */
export interface KvManifest extends KvVersion {
  format: 1;
  /** The core's routing scheme (`shardRouting()`); a reader refuses any other. */
  routing: string;
  users: number;
  /** When the directory was synced (Unix ms, from the snapshot). */
  syncedAtMs: number;
  /** When this version was published (ISO 8601). */
  publishedAt: string;
  largestShardBytes: number;
  totalBytes: number;
  /** The version before this one, kept until the next publish for readers that still use it. */
  previous?: KvVersion;
  /** SHA-256 (hex) of the frequency table `frequencies` names: an unchanged table is not written again. */
  frequenciesDigest?: string;
}

/** Options of {@link KvDirectoryStore}. */
export interface KvDirectoryStoreOptions {
  /** Key prefix (default `okta-directory/`): several directories can share a namespace. */
  prefix?: string;
  /** How long an isolate trusts its cached manifest, in ms (default 30 000; 0 reads it on every lookup). */
  manifestTtlMs?: number;
  /** Edge cache TTL for shard reads in seconds (default 3600; shards never change; KV's minimum is 30). */
  shardCacheTtlSeconds?: number;
  /** Users per shard when publishing chooses the shard count (default 128: shards of roughly 20–40 KB). */
  usersPerShard?: number;
  /**
   * Most shards `publish` chooses (default 450). A Worker invocation may make 1000 KV operations, and a
   * publish writes every shard and later deletes as many: 450 keeps both, plus the manifest, under the
   * limit. Publishing from Node (no such limit) can raise it; beyond it, shards grow instead.
   */
  maxShards?: number;
  /** KV writes or deletes in flight at once while publishing (default 6, the Workers connection limit). */
  maxInFlight?: number;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/** What {@link KvDirectoryStore.publish} did. */
export interface KvPublishResult {
  version: string;
  shards: number;
  users: number;
  largestShardBytes: number;
  totalBytes: number;
  /** The version whose shards were deleted (the one before the previous), if any. */
  deletedVersion?: string;
}

/** What {@link KvDirectoryStore.publishChanged} did. */
export interface KvChangedPublishResult extends KvPublishResult {
  /** Shards written (the manifest not counted). */
  written: number;
  /** Shard keys deleted (those no longer named by the live or the previous manifest). */
  deleted: number;
  /** Each shard's content digest: pass them back as `previousDigests` with `version` next time. */
  digests: string[];
}

/** KV operations this store instance made, for monitoring (and for tests counting reads per lookup). */
export interface KvStats {
  reads: number;
  writes: number;
  deletes: number;
}

function storeFailed(what: string, cause: unknown): Error {
  return makeError("STORE_FAILED", `KV store: ${what} failed`, { cause });
}

function isVersion(v: unknown): v is KvVersion {
  const o = v as Partial<KvVersion> | null;
  return (
    typeof o === "object" &&
    o !== null &&
    typeof o.version === "string" &&
    /^[0-9a-z-]{1,64}$/.test(o.version) &&
    Number.isInteger(o.shards) &&
    (o.shards ?? 0) >= 1 &&
    Array.isArray(o.keys) &&
    o.keys.every((k) => typeof k === "string") &&
    (o.shardVersions === undefined ||
      (Array.isArray(o.shardVersions) &&
        o.shardVersions.length === o.shards &&
        o.shardVersions.every((v) => typeof v === "string" && /^[0-9a-z-]{1,64}$/.test(v))))
  );
}

/** Parses and checks a manifest; SNAPSHOT_CORRUPT / SNAPSHOT_VERSION_UNSUPPORTED otherwise. */
function parseManifest(bytes: ArrayBuffer): KvManifest {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw makeError("SNAPSHOT_CORRUPT", "the KV manifest is not JSON", { cause });
  }
  const m = value as Partial<KvManifest> | null;
  if (typeof m !== "object" || m === null) throw makeError("SNAPSHOT_CORRUPT", "the KV manifest is not an object");
  if (m.format !== 1 || m.routing !== wasm.shardRouting()) {
    throw makeError("SNAPSHOT_VERSION_UNSUPPORTED", "the KV manifest was written by an unknown format or routing scheme");
  }
  const previous: unknown = m.previous;
  if (!isVersion(m) || (previous !== undefined && !isVersion(previous))) {
    throw makeError("SNAPSHOT_CORRUPT", "the KV manifest lacks a valid version, shard count or key list");
  }
  return m as KvManifest;
}

/** The codes of a manifest KV returned that cannot be used: a publisher replaces it ({@link KvDirectoryStore.manifestForPublish}). */
const UNUSABLE_MANIFEST: ReadonlySet<unknown> = new Set(["SNAPSHOT_CORRUPT", "SNAPSHOT_VERSION_UNSUPPORTED"]);

/** Runs `tasks` with at most `limit` in flight. */
async function pool(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/**
 * A directory published to KV as shards. Keep one instance per isolate (module scope in a Worker): it
 * caches the manifest for `manifestTtlMs`, so a warm lookup reads exactly one shard.
 */
export class KvDirectoryStore {
  readonly #kv: KvNamespaceLike;
  readonly #prefix: string;
  readonly #manifestTtlMs: number;
  readonly #shardCacheTtl: number;
  readonly #usersPerShard: number;
  readonly #maxShards: number;
  readonly #maxInFlight: number;
  readonly #now: () => number;
  #cached: { manifest: KvManifest | null; at: number } | undefined;
  #pending: Promise<KvManifest | null> | undefined;
  /** The last frequency table read, by its key (a version's table never changes). */
  #table: { key: string; bytes: Uint8Array } | undefined;
  /** KV operations made so far by this instance. */
  readonly stats: KvStats = { reads: 0, writes: 0, deletes: 0 };

  /** A shard's digest as {@link KvDirectoryStore.publishChanged} and `patchShards` compare shards (SHA-256, hex). */
  static shardDigest(bytes: Uint8Array): Promise<string> {
    return sha256Hex(bytes);
  }

  constructor(kv: KvNamespaceLike, options: KvDirectoryStoreOptions = {}) {
    this.#kv = kv;
    this.#prefix = options.prefix ?? "okta-directory/";
    this.#manifestTtlMs = Math.max(0, options.manifestTtlMs ?? 30_000);
    this.#shardCacheTtl = Math.max(30, Math.floor(options.shardCacheTtlSeconds ?? 3600));
    this.#usersPerShard = Math.max(1, Math.floor(options.usersPerShard ?? 128));
    this.#maxShards = Math.max(1, Math.floor(options.maxShards ?? 450));
    this.#maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? 6));
    this.#now = options.now ?? Date.now;
  }

  #shardKey(version: string, n: number): string {
    return `${this.#prefix}v/${version}/${n}`;
  }

  /** The key of shard `n` of a published version (its own version's, or the one that last rewrote it). */
  #keyIn(v: KvVersion, n: number): string {
    return this.#shardKey(v.shardVersions?.[n] ?? v.version, n);
  }

  #frequencyKey(version: string): string {
    return `${this.#prefix}v/${version}/frequencies`;
  }

  /** Every key a published version reads: its shards and its frequency table. */
  #keysOf(v: KvVersion | undefined): Set<string> {
    const keys = new Set(v === undefined ? [] : Array.from({ length: v.shards }, (_, n) => this.#keyIn(v, n)));
    if (v?.frequencies !== undefined) keys.add(this.#frequencyKey(v.frequencies));
    return keys;
  }

  /** Where a new version's frequency table lives: the old key when the table is unchanged, else a write under `version`. */
  async #planFrequencies(
    version: string,
    table: Uint8Array | undefined,
    old: KvManifest | null,
  ): Promise<{ write?: Uint8Array; frequencies?: string; frequenciesDigest?: string }> {
    if (table === undefined) return {};
    const digest = await sha256Hex(table);
    if (old?.frequencies !== undefined && old.frequenciesDigest === digest)
      return { frequencies: old.frequencies, frequenciesDigest: digest };
    return { write: table, frequencies: version, frequenciesDigest: digest };
  }

  /**
   * The live version's name and birthdate frequency table, for the matcher's directory-aware weights
   * (the `VerificationService` reads it through its `directory`); `undefined` when nothing was
   * published or the publisher's snapshot had none. Read once per version and kept.
   */
  async frequencyTable(): Promise<Uint8Array | undefined> {
    const manifest = await this.manifest();
    if (manifest?.frequencies === undefined) return undefined;
    const key = this.#frequencyKey(manifest.frequencies);
    if (this.#table?.key === key) return this.#table.bytes;
    const bytes = await this.#get(key, this.#shardCacheTtl);
    if (bytes === null) return undefined;
    this.#table = { key, bytes: new Uint8Array(bytes) };
    return this.#table.bytes;
  }

  /** A fresh version name: time, then random. */
  #newVersion(): string {
    const random = new Uint8Array(4);
    crypto.getRandomValues(random);
    return `${this.#now().toString(36)}-${Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }

  async #get(key: string, cacheTtl?: number): Promise<ArrayBuffer | null> {
    this.stats.reads++;
    try {
      return await this.#kv.get(key, cacheTtl === undefined ? { type: "arrayBuffer" } : { type: "arrayBuffer", cacheTtl });
    } catch (cause) {
      throw storeFailed("a read", cause);
    }
  }

  /** Writes the manifest naming `version` (the switch readers see) and caches it. */
  async #switchTo(o: {
    version: string;
    shards: number;
    info: { keys: KvManifest["keys"]; users: KvManifest["users"]; syncedAtMs: KvManifest["syncedAtMs"] };
    largest: number;
    total: number;
    old: KvManifest | null;
    shardVersions?: KvManifest["shardVersions"];
    frequencies: { frequencies?: string; frequenciesDigest?: string };
  }): Promise<KvManifest> {
    const manifest: KvManifest = {
      format: 1,
      routing: wasm.shardRouting(),
      version: o.version,
      shards: o.shards,
      keys: o.info.keys,
      ...(o.shardVersions === undefined ? {} : { shardVersions: o.shardVersions }),
      ...(o.frequencies.frequencies === undefined ? {} : { frequencies: o.frequencies.frequencies }),
      users: o.info.users,
      syncedAtMs: o.info.syncedAtMs,
      publishedAt: new Date(this.#now()).toISOString(),
      largestShardBytes: o.largest,
      totalBytes: o.total,
      ...(o.old === null ? {} : { previous: versionOf(o.old) }),
      ...(o.frequencies.frequenciesDigest === undefined ? {} : { frequenciesDigest: o.frequencies.frequenciesDigest }),
    };
    await this.#put(`${this.#prefix}manifest`, JSON.stringify(manifest));
    this.#cached = { manifest, at: this.#now() };
    return manifest;
  }

  async #put(key: string, value: ArrayBuffer | ArrayBufferView | string): Promise<void> {
    this.stats.writes++;
    try {
      await this.#kv.put(key, value);
    } catch (cause) {
      throw storeFailed("a write", cause);
    }
  }

  async #delete(key: string): Promise<void> {
    this.stats.deletes++;
    try {
      await this.#kv.delete(key);
    } catch (cause) {
      throw storeFailed("a delete", cause);
    }
  }

  /**
   * The live manifest, from the isolate's cache while it is younger than `manifestTtlMs`.
   * `null` when nothing was published yet (read again on the next call).
   */
  async manifest(options: { fresh?: boolean } = {}): Promise<KvManifest | null> {
    const cached = this.#cached;
    // "Nothing published yet" is not cached: another isolate (a sync job's Durable Object) may publish any time.
    if (!options.fresh && cached?.manifest && this.#now() - cached.at < this.#manifestTtlMs) return cached.manifest;
    if (this.#pending === undefined) {
      const reading = (async () => {
        const bytes = await this.#get(`${this.#prefix}manifest`);
        const manifest = bytes === null ? null : parseManifest(bytes);
        this.#cached = { manifest, at: this.#now() };
        return manifest;
      })();
      this.#pending = reading;
      void reading.then(
        () => (this.#pending = undefined),
        () => (this.#pending = undefined),
      );
    }
    return this.#pending;
  }

  /**
   * The live manifest read afresh, as a publisher starts from it: `null` when nothing was published or the
   * manifest is unusable (damaged, or another format or routing scheme: the publish replaces it, and `sweep()`
   * removes what it named). A read KV refuses is never taken for "nothing published": it throws.
   *
   * @throws StoreError (`STORE_FAILED`) when KV refuses the read
   */
  async manifestForPublish(): Promise<KvManifest | null> {
    try {
      return await this.manifest({ fresh: true });
    } catch (error) {
      if (UNUSABLE_MANIFEST.has((error as { code?: unknown } | null)?.code)) return null;
      throw error;
    }
  }

  /**
   * Publishes a directory as a new version: writes its shards, switches the manifest, then deletes the
   * version before the previous one.
   *
   * @param options.shards - the shard count (default: users / `usersPerShard`, between 1 and `maxShards`)
   * @throws StoreError (`STORE_FAILED`) when KV refuses a write; the manifest then still names the old version
   */
  async publish(directory: Directory, options: { shards?: number } = {}): Promise<KvPublishResult> {
    ensureReady();
    const info = directory.info();
    const shards = options.shards ?? Math.min(this.#maxShards, Math.max(1, Math.ceil(info.users / this.#usersPerShard)));
    const parts = guard(() => wasm.splitSnapshot(directory.toSnapshot(), shards));
    const version = this.#newVersion();
    let largest = 0;
    let total = 0;
    for (const p of parts) {
      largest = Math.max(largest, p.byteLength);
      total += p.byteLength;
    }
    const old = await this.manifestForPublish();
    const frequencies = await this.#planFrequencies(
      version,
      guard(() => directory.frequencyTable()),
      old,
    );
    // The table (when it changed) is written with the shards, before the manifest names it.
    const table = frequencies.write;
    await pool(parts.length + (table === undefined ? 0 : 1), this.#maxInFlight, async (i) => {
      const part = parts[i];
      if (part !== undefined) await this.#put(this.#shardKey(version, i), part);
      else if (table !== undefined && i === parts.length) await this.#put(this.#frequencyKey(version), table);
    });
    const manifest = await this.#switchTo({ version, shards, info, largest, total, old, frequencies });
    const { deletedVersion } = await this.#deleteStale(old, manifest);
    return {
      version,
      shards,
      users: info.users,
      largestShardBytes: largest,
      totalBytes: total,
      ...(deletedVersion === undefined ? {} : { deletedVersion }),
    };
  }

  /**
   * The keys only the version before `old` reads (neither `old` nor `next` does): what switching from `old` to
   * `next` leaves stale. None when `old` has no previous version, or it is `old` or `next` itself.
   */
  #staleKeys(old: KvManifest | null, next: KvVersion): string[] {
    const stale = old?.previous;
    if (old === null || stale === undefined || stale.version === next.version || stale.version === old.version) return [];
    const keep = new Set([...this.#keysOf(old), ...this.#keysOf(next)]);
    return [...this.#keysOf(stale)].filter((k) => !keep.has(k));
  }

  /** Deletes the keys the switch from `old` to `next` left stale; how many, and the version they were (when any). */
  async #deleteStale(old: KvManifest | null, next: KvVersion): Promise<{ deleted: number; deletedVersion?: string }> {
    const keys = this.#staleKeys(old, next);
    await this.deleteKeys(keys);
    const version = old?.previous?.version;
    return keys.length === 0 || version === undefined ? { deleted: 0 } : { deleted: keys.length, deletedVersion: version };
  }

  /**
   * Publishes a directory snapshot rewriting only the shards whose content changed: shards are split in a
   * canonical form (users in id order, no sync time: the manifest carries it), digested (SHA-256), and a
   * shard is written only when its digest differs from `previousDigests`. Those must be the digests this
   * method returned for the live manifest's `version` (pass it as `previousVersion`); when the live
   * manifest is another version, has another shard count or key list, every shard is written. Then the
   * manifest switches (one put), and the keys only the version before the previous read are deleted.
   * A failure before the manifest put leaves the live version serving unchanged.
   *
   * @param options.shards - the shard count (default: the live manifest's, else as {@link publish})
   * @throws StoreError (`STORE_FAILED`) when KV refuses a write; SnapshotError for a damaged snapshot
   */
  async publishChanged(
    snapshot: Uint8Array,
    options: { previousDigests?: string[] | null; previousVersion?: string | null; shards?: number } = {},
  ): Promise<KvChangedPublishResult> {
    ensureReady();
    // An unusable manifest is replaced (every shard written); `sweep()` removes whatever it named.
    const old = await this.manifestForPublish();
    const info = snapshotInfo(snapshot);
    const shards = options.shards ?? old?.shards ?? Math.min(this.#maxShards, Math.max(1, Math.ceil(info.users / this.#usersPerShard)));
    let parts: Uint8Array[] | null = guard(() => wasm.splitSnapshotCanonical(snapshot, shards));
    const digests = await Promise.all(parts.map((p) => sha256Hex(p)));
    const previous = options.previousDigests ?? null;
    const comparable =
      old !== null &&
      previous !== null &&
      old.version === options.previousVersion &&
      old.shards === shards &&
      previous.length === shards &&
      old.keys.join("\n") === info.keys.join("\n");
    const version = this.#newVersion();
    const shardVersions: string[] = [];
    const changed: number[] = [];
    let largest = 0;
    let total = 0;
    for (let n = 0; n < shards; n++) {
      const bytes = parts[n]?.byteLength ?? 0;
      largest = Math.max(largest, bytes);
      total += bytes;
      if (comparable && old !== null && previous?.[n] === digests[n]) {
        shardVersions.push(old.shardVersions?.[n] ?? old.version);
      } else {
        shardVersions.push(version);
        changed.push(n);
      }
    }
    const toWrite = parts;
    const frequencies = await this.#planFrequencies(
      version,
      guard(() => wasm.snapshotFrequencies(snapshot)),
      old,
    );
    // The table (when it changed) is written with the changed shards, before the manifest names it.
    const table = frequencies.write;
    await pool(changed.length + (table === undefined ? 0 : 1), this.#maxInFlight, async (i) => {
      if (i === changed.length && table !== undefined) return this.#put(this.#frequencyKey(version), table);
      const n = changed[i] as number;
      const part = toWrite[n];
      if (part !== undefined) await this.#put(this.#shardKey(version, n), part);
    });
    parts = null;
    const manifest = await this.#switchTo({ version, shards, info, largest, total, old, shardVersions, frequencies });
    const cleanup = await this.#deleteStale(old, manifest);
    return {
      version,
      shards,
      users: info.users,
      largestShardBytes: largest,
      totalBytes: total,
      written: changed.length,
      digests,
      ...cleanup,
    };
  }

  /**
   * Rewrites a few shards of the live version (push updates, an incremental sync of a ranged publish) and
   * switches the manifest to a new version naming them; every other shard and the frequency table stay the
   * live version's (a table is refreshed by the next whole publish), the user count and sync time too unless given. `patch(live, read)` returns the new canonical bytes per shard number (as
   * `publishChanged` would write them), or `null` when only a whole publish is right. Returns `null`, nothing
   * written, then or when the live manifest is not `previousVersion` (or is unusable: damaged, or of another
   * format; a whole publish replaces it). A failure before the manifest put leaves the live version serving unchanged.
   *
   * @throws StoreError (`STORE_FAILED`) when KV refuses a read or a write
   */
  async patchShards(
    patch: (live: KvManifest, read: (n: number) => Promise<Uint8Array | null>) => Promise<Map<number, Uint8Array> | null>,
    options: {
      previousDigests: string[];
      previousVersion: string;
      /** The user count after the patch, asked once `patch` resolved (default: the live manifest's). */
      users?: () => number;
      /** The sync time after the patch (default: the live manifest's). */
      syncedAtMs?: number;
      /** The new version's name (default: a fresh one); a retried patch that names its version rewrites the same keys. */
      version?: string;
    },
  ): Promise<KvChangedPublishResult | null> {
    ensureReady();
    const old = await this.manifestForPublish();
    if (old === null || old.version !== options.previousVersion || options.previousDigests.length !== old.shards) return null;
    const sizes = new Map<number, number>();
    const parts = await patch(old, async (n) => {
      const bytes = await this.readShard(old, n);
      if (bytes !== null) sizes.set(n, bytes.byteLength);
      return bytes;
    });
    if (parts === null) return null;
    const version = options.version ?? this.#newVersion();
    const digests = [...options.previousDigests];
    const shardVersions = Array.from({ length: old.shards }, (_, n) => old.shardVersions?.[n] ?? old.version);
    const changed: number[] = [];
    let largest = old.largestShardBytes;
    let total = old.totalBytes;
    for (const [n, bytes] of parts) {
      const before = sizes.get(n);
      // Only shards `read` returned can be replaced: their old size is known, and the number is in range.
      if (before === undefined) return null;
      const digest = await sha256Hex(bytes);
      if (digest === digests[n]) continue;
      digests[n] = digest;
      shardVersions[n] = version;
      changed.push(n);
      largest = Math.max(largest, bytes.byteLength);
      total += bytes.byteLength - before;
    }
    const users = options.users?.() ?? old.users;
    const syncedAtMs = options.syncedAtMs ?? old.syncedAtMs;
    const result = {
      shards: old.shards,
      users,
      largestShardBytes: largest,
      totalBytes: total,
      written: changed.length,
      digests,
    };
    if (changed.length === 0 && users === old.users && syncedAtMs === old.syncedAtMs)
      return { version: old.version, ...result, deleted: 0 };
    await pool(changed.length, this.#maxInFlight, async (i) => {
      const n = changed[i] as number;
      const part = parts.get(n);
      if (part !== undefined) await this.#put(this.#shardKey(version, n), part);
    });
    const manifest = await this.#switchTo({
      version,
      shards: old.shards,
      info: { keys: old.keys, users, syncedAtMs },
      largest,
      total,
      old,
      shardVersions,
      frequencies: {
        ...(old.frequencies === undefined ? {} : { frequencies: old.frequencies }),
        ...(old.frequenciesDigest === undefined ? {} : { frequenciesDigest: old.frequenciesDigest }),
      },
    });
    return { version, ...result, ...(await this.#deleteStale(old, manifest)) };
  }

  /**
   * Shard `n` of the version `manifest` names (its bytes), or `null` when KV no longer holds it: a reader of
   * every shard (a publisher looking for users' old copies, one shard at a time).
   *
   * @throws StoreError (`STORE_FAILED`) when KV refuses the read
   */
  async readShard(manifest: KvManifest, n: number): Promise<Uint8Array | null> {
    const bytes = await this.#get(this.#keyIn(manifest, n), this.#shardCacheTtl);
    return bytes === null ? null : new Uint8Array(bytes);
  }

  /**
   * A fresh version name for a publish made of several invocations (a Worker's ranged publish): write the
   * version's shards with {@link KvDirectoryStore.putShard}, then name them with {@link KvDirectoryStore.switchShards}.
   */
  newVersion(): string {
    return this.#newVersion();
  }

  /**
   * Writes shard `n` of `version` (a canonical shard, as `splitSnapshotCanonical` or `ShardRange` writes it).
   * Readers never see it until a manifest names it.
   *
   * @throws StoreError (`STORE_FAILED`) when KV refuses the write
   */
  async putShard(version: string, n: number, bytes: Uint8Array): Promise<void> {
    await this.#put(this.#shardKey(version, n), bytes);
  }

  /**
   * Switches the manifest to `version`, whose shards were written one range at a time: the shards in `written`
   * under `version`, every other one unchanged since `previousVersion` (the live version the writer compared its
   * digests with; it must still be live, else `STORE_FAILED` and nothing switches). `liveVersion` is the live
   * version when the writer started (`null`: none); when another publish switched meanwhile, nothing switches
   * (`STORE_SWITCH_CONFLICT`), so a slow writer never replaces a newer directory with its older one.
   * `frequencies`: the whole directory's frequency table (a ranged publish merges its ranges' counts), written
   * under `version` unless the live one is the same; without it, none. Returns the keys only the version before
   * the previous read, for the caller to delete (in batches: {@link KvDirectoryStore.deleteKeys}); `onStale` gets
   * them before the manifest put, for a caller that may be killed after it (a repeated switch returns `stale: []`).
   *
   * @throws StoreError (`STORE_FAILED`) when KV refuses the write or the live version is not `previousVersion`
   * @throws StoreError (`STORE_SWITCH_CONFLICT`) when the live version is no longer `liveVersion`
   */
  async switchShards(o: {
    version: string;
    shards: number;
    keys: string[];
    users: number;
    syncedAtMs: number;
    written: readonly number[];
    previousVersion: string | null;
    liveVersion: string | null;
    largestShardBytes: number;
    totalBytes: number;
    onStale?: (keys: string[]) => Promise<void>;
    frequencies?: Uint8Array;
  }): Promise<{ manifest: KvManifest; stale: string[] }> {
    ensureReady();
    // Unusable: replaced, as publish() does (only when every shard was written, checked below).
    const old = await this.manifestForPublish();
    // A switch already made (the step that made it was killed before recording it): nothing more to do.
    if (old !== null && old.version === o.version) return { manifest: old, stale: [] };
    // Another publish switched after this writer started (checked whether or not every shard was written).
    if ((old?.version ?? null) !== o.liveVersion) {
      throw makeError(
        "STORE_SWITCH_CONFLICT",
        "KV store: another publish switched the live version while a ranged publish was writing shards",
      );
    }
    const written = new Set(o.written);
    if (written.size < o.shards && (old === null || old.version !== o.previousVersion || old.shards !== o.shards)) {
      throw makeError("STORE_FAILED", "KV store: the live version changed while a ranged publish was writing shards");
    }
    const shardVersions = Array.from({ length: o.shards }, (_, n) =>
      written.has(n) || old === null ? o.version : (old.shardVersions?.[n] ?? old.version),
    );
    const frequencies = await this.#planFrequencies(o.version, o.frequencies, old);
    if (frequencies.write !== undefined) await this.#put(this.#frequencyKey(o.version), frequencies.write);
    const next: KvVersion = {
      version: o.version,
      shards: o.shards,
      keys: o.keys,
      shardVersions,
      ...(frequencies.frequencies === undefined ? {} : { frequencies: frequencies.frequencies }),
    };
    const stale = this.#staleKeys(old, next);
    await o.onStale?.(stale);
    const manifest = await this.#switchTo({
      version: o.version,
      shards: o.shards,
      info: { keys: o.keys, users: o.users, syncedAtMs: o.syncedAtMs },
      largest: o.largestShardBytes,
      total: o.totalBytes,
      old,
      shardVersions,
      frequencies,
    });
    return { manifest, stale };
  }

  /**
   * Deletes keys (those {@link KvDirectoryStore.switchShards} returned), `maxInFlight` at a time.
   *
   * @throws StoreError (`STORE_FAILED`) when KV refuses a delete
   */
  async deleteKeys(keys: readonly string[]): Promise<void> {
    await pool(keys.length, this.#maxInFlight, async (i) => {
      const key = keys[i];
      if (key !== undefined) await this.#delete(key);
    });
  }

  /** Reads the shards of `v` a hint routes to and answers with `read`; `null` when one is missing. */
  async #lookupIn<T>(v: KvVersion, hint: string, read: ShardRead<T>): Promise<T | null> {
    const routes = guard(() => wasm.shardsForHint(hint, v.keys, v.shards));
    if (routes.length === 0) throw makeError("USER_NOT_FOUND", "no directory user matches the login hint");
    const values = await Promise.all(Array.from(routes, (n) => this.#get(this.#keyIn(v, n), this.#shardCacheTtl)));
    if (values.some((b) => b === null)) return null;
    const shards: wasm.DirectoryShard[] = [];
    try {
      for (const bytes of values) {
        if (bytes !== null) shards.push(guard(() => wasm.DirectoryShard.fromSnapshot(new Uint8Array(bytes))));
      }
      const [first, second] = shards;
      if (first === undefined) return null;
      return guard(() => read(first, second, hint));
    } finally {
      for (const s of shards) s.free();
    }
  }

  /**
   * Finds the one user a loginHint names — the same answer as `Directory.lookup` on the full directory.
   * Reads one shard (two for the rare hint whose login and plain forms route apart), plus the manifest
   * when the isolate's copy is older than `manifestTtlMs`.
   *
   * @throws LookupError (`USER_NOT_FOUND`, `AMBIGUOUS_LOGIN_HINT`); StoreError (`STORE_EMPTY` before the first
   *   publish, `STORE_FAILED`); SnapshotError for a damaged manifest or shard
   */
  async lookup(loginHint: string): Promise<LookupResult> {
    return this.#find(loginHint, (first, second, hint) =>
      second === undefined ? first.lookup(hint) : first.lookupWithPlainShard(hint, second),
    );
  }

  /**
   * {@link KvDirectoryStore.lookup}'s answer as the Worker template sends it: JSON text
   * `{userId, status, key, workforce, user}` (`userId` and `status` repeat the user's, `null` when
   * absent), written inside WebAssembly from the shard's record — a server answers with it as is,
   * without building an object and serializing it again. Same reads and errors as `lookup`.
   */
  async lookupAnswerJson(loginHint: string): Promise<string> {
    return this.#find(loginHint, (first, second, hint) =>
      second === undefined ? first.lookupAnswer(hint) : first.lookupAnswerWithPlainShard(hint, second),
    );
  }

  /** A lookup through the manifest (retrying the newest and previous versions when a shard is missing). */
  async #find<T>(loginHint: string, read: ShardRead<T>): Promise<T> {
    ensureReady();
    const manifest = await this.manifest();
    if (manifest === null) throw makeError("STORE_EMPTY", "nothing has been published to this KV store yet");
    const found = await this.#lookupIn(manifest, loginHint, read);
    if (found !== null) return found;
    // A shard the manifest names is not visible (KV is eventually consistent across locations, or this
    // isolate's manifest is older than the version cleanup): try the newest manifest, then its previous version.
    const fresh = await this.manifest({ fresh: true });
    const tried = new Set([manifest.version]);
    for (const v of [fresh, fresh?.previous, manifest.previous]) {
      if (v == null || tried.has(v.version)) continue;
      tried.add(v.version);
      const retry = await this.#lookupIn(v, loginHint, read);
      if (retry !== null) return retry;
    }
    throw makeError("STORE_FAILED", "KV store: a shard named by the manifest is missing");
  }

  /**
   * Deletes every shard that belongs to neither the live version nor the previous one (left behind by a
   * publish that failed midway). Needs `list` on the namespace.
   *
   * @returns the number of keys deleted
   */
  async sweep(): Promise<number> {
    const list = this.#kv.list?.bind(this.#kv);
    if (list === undefined) throw makeError("STORE_FAILED", "KV store: sweeping needs a namespace with list()");
    const manifest = await this.manifest({ fresh: true });
    const keep = new Set([manifest?.version, manifest?.previous?.version].filter((v) => v !== undefined));
    // A publish that rewrote only changed shards leaves the others under the versions that wrote them.
    for (const v of [manifest ?? undefined, manifest?.previous]) for (const sv of v?.shardVersions ?? []) keep.add(sv);
    // So does an unchanged frequency table.
    for (const v of [manifest ?? undefined, manifest?.previous]) if (v?.frequencies !== undefined) keep.add(v.frequencies);
    const doomed: string[] = [];
    let cursor: string | undefined;
    const base = `${this.#prefix}v/`;
    for (;;) {
      let page: Awaited<ReturnType<NonNullable<KvNamespaceLike["list"]>>>;
      try {
        page = await list(cursor === undefined ? { prefix: base } : { prefix: base, cursor });
      } catch (cause) {
        throw storeFailed("listing", cause);
      }
      this.stats.reads++;
      for (const { name } of page.keys) {
        const version = name.slice(base.length).split("/")[0];
        if (version !== undefined && !keep.has(version)) doomed.push(name);
      }
      if (page.list_complete || page.cursor === undefined) break;
      cursor = page.cursor;
    }
    await this.deleteKeys(doomed);
    return doomed.length;
  }
}

/** The part of a manifest its successor keeps as `previous`. */
function versionOf(m: KvVersion): KvVersion {
  return {
    version: m.version,
    shards: m.shards,
    keys: m.keys,
    ...(m.shardVersions === undefined ? {} : { shardVersions: m.shardVersions }),
    ...(m.frequencies === undefined ? {} : { frequencies: m.frequencies }),
  };
}

/** SHA-256 of bytes, as hex (WebCrypto: Workers, Node, browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Users, lookup keys and sync time of a snapshot. */
function snapshotInfo(snapshot: Uint8Array): { users: number; keys: string[]; syncedAtMs: number } {
  const core = guard(() => wasm.DirectoryCore.fromSnapshot(snapshot));
  try {
    const info = core.info();
    return { users: info.users, keys: info.keys, syncedAtMs: info.syncedAtMs };
  } finally {
    core.free();
  }
}
