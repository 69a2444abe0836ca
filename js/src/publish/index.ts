/**
 * Publishing a directory snapshot to Workers KV from Node (a container, CI) over Cloudflare's REST API,
 * in the layout the Worker reads (`KvDirectoryStore`: versioned shards + manifest). When a manifest is
 * live, only the shards whose content changed are written, plus the manifest.
 */
import { OktaDirectoryError } from "../errors.js";
import { KvDirectoryStore, type KvChangedPublishResult } from "../stores/kv.js";
import { CloudflareKvNamespace, type CloudflareKvOptions, type CloudflareKvStats } from "./cloudflare-kv.js";

export {
  CloudflareKvNamespace,
  CLOUDFLARE_API_BASE,
  MAX_BULK_KEYS,
  type CloudflareKvOptions,
  type CloudflareKvStats,
} from "./cloudflare-kv.js";

/** Options of {@link publishToWorkersKv}. */
export interface PublishToWorkersKvOptions extends CloudflareKvOptions {
  /** The snapshot bytes (from `sync`, `syncDirectorySnapshot` or `Directory.toSnapshot`). */
  snapshot: Uint8Array;
  /** Key prefix (default `okta-directory/`, the Worker's). */
  prefix?: string;
  /** Shard count (default: the live manifest's; else users / 128, at most `maxShards`). */
  shards?: number;
  /** Most shards chosen (default 450, what a Worker can publish; Node may go higher). */
  maxShards?: number;
}

/** What {@link publishToWorkersKv} did. */
export interface PublishToWorkersKvResult extends KvChangedPublishResult {
  /** Whether only changed shards were written (a live manifest whose shards' digests were known). */
  incremental: boolean;
  /** HTTP requests, retries, keys and bulk requests. */
  requests: CloudflareKvStats;
}

/**
 * Publishes a snapshot: reads the live manifest and its shards' digests (from the key listing's metadata),
 * writes the changed shards in bulk, switches the manifest, deletes keys no live or previous version reads.
 *
 * @throws PublishError (`KV_API_ERROR` for a refused request, `KV_RETRIES_EXHAUSTED` after 429/5xx/network
 *   retries, both with `status`); ConfigurationError for bad options; SnapshotError for a damaged snapshot.
 *   The live version keeps serving when a publish fails before its manifest write.
 */
export async function publishToWorkersKv(options: PublishToWorkersKvOptions): Promise<PublishToWorkersKvResult> {
  const kv = new CloudflareKvNamespace(options);
  const prefix = options.prefix ?? "okta-directory/";
  // Everything a publish writes at once goes out in one bulk request: no cap on writes in flight.
  const store = new KvDirectoryStore(kv, {
    prefix,
    manifestTtlMs: 0,
    maxInFlight: 100_000,
    ...(options.maxShards === undefined ? {} : { maxShards: options.maxShards }),
  });
  try {
    const live = await store.manifest({ fresh: true }).catch((e: unknown) => {
      if (e instanceof OktaDirectoryError && (e.code === "SNAPSHOT_CORRUPT" || e.code === "SNAPSHOT_VERSION_UNSUPPORTED")) return null;
      throw e;
    });
    const digests = live === null ? null : await liveDigests(kv, prefix, live.version, live.shards, live.shardVersions);
    const result = await store.publishChanged(options.snapshot, {
      ...(digests === null || live === null ? {} : { previousDigests: digests, previousVersion: live.version }),
      ...(options.shards === undefined ? {} : { shards: options.shards }),
    });
    return { ...result, incremental: digests !== null && result.written < result.shards, requests: { ...kv.stats } };
  } catch (e) {
    // The store wraps KV failures as STORE_FAILED: surface the REST API's own typed error.
    if (
      e instanceof OktaDirectoryError &&
      e.code === "STORE_FAILED" &&
      e.cause instanceof OktaDirectoryError &&
      e.cause.code.startsWith("KV_")
    )
      throw e.cause;
    throw e;
  }
}

/** The digests of a live version's shards, from the key listing's metadata; `null` when one is unknown. */
async function liveDigests(
  kv: CloudflareKvNamespace,
  prefix: string,
  version: string,
  shards: number,
  shardVersions: string[] | undefined,
): Promise<string[] | null> {
  const byKey = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await kv.list(cursor === undefined ? { prefix: `${prefix}v/` } : { prefix: `${prefix}v/`, cursor });
    for (const k of page.keys) {
      const sha = (k.metadata as { sha256?: unknown } | undefined)?.sha256;
      if (typeof sha === "string" && /^[0-9a-f]{64}$/.test(sha)) byKey.set(k.name, sha);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  const out: string[] = [];
  for (let n = 0; n < shards; n++) {
    const sha = byKey.get(`${prefix}v/${shardVersions?.[n] ?? version}/${n}`);
    if (sha === undefined) return null;
    out.push(sha);
  }
  return out;
}
