/**
 * Building a range of KV shards from a sync's page journal (the Worker template's ranged publish): the
 * journal read twice, users pages then members pages, holding only the range's users.
 */
import {
  ShardRange as CoreShardRange,
  frequencyTableOfCounts as coreFrequencyTableOfCounts,
  mergeFrequencyCounts as coreMergeFrequencyCounts,
  routeUsersPage as coreRouteUsersPage,
} from "../../wasm/okta_directory.js";
import { guard } from "../errors.js";
import { ensureReady } from "../state.js";
import type { SyncGroup } from "./types.js";

/**
 * Builds the canonical shards `from..to` of a directory split into `shards` (default lookup keys) from the
 * pages a journaled sync wrote: feed every page to {@link ShardRange.addUsersPage}, then every page to
 * {@link ShardRange.addMembersPage}, then {@link ShardRange.finish}. The shards equal those
 * `KvDirectoryStore.publishChanged` writes for the same sync. Call `free()` when done.
 */
export class ShardRange {
  readonly #core: CoreShardRange;

  /**
   * @param origin - the org's origin (`https://acme.okta.com`), recorded in each shard
   * @param workforceGroupId - the Workforce group's id, if any
   * @throws SnapshotError (`INPUT_TOO_LARGE`) for an empty range or one past `shards`
   */
  constructor(shards: number, from: number, to: number, origin: string, workforceGroupId?: string) {
    ensureReady();
    this.#core = guard(() => new CoreShardRange(shards, from, to, origin, workforceGroupId));
  }

  /** Takes a journal page if it is a users page; says whether it was. @throws SyncError (`INVALID_CHECKPOINT`) for an unreadable one */
  addUsersPage(url: string, body: Uint8Array): boolean {
    return guard(() => this.#core.addUsersPage(url, body));
  }

  /** Takes a journal page if it is a members page of the Workforce group; says whether it was. @throws SyncError (`INVALID_CHECKPOINT`) */
  addMembersPage(url: string, body: Uint8Array): boolean {
    return guard(() => this.#core.addMembersPage(url, body));
  }

  /**
   * Names the users listed more than once, each with the shards of its last copy (`[]`: no lookup key), for a
   * range fed only the pages {@link routeUsersPage} routed to it. Call before the first page.
   * @throws SyncError (`INVALID_CHECKPOINT`) for an unreadable object
   */
  setSuperseded(superseded: Record<string, number[]>): void {
    guard(() => this.#core.setSuperseded(JSON.stringify(superseded)));
  }

  /** The name and birthdate counts of the range's users (before {@link ShardRange.finish}); merge every range's with {@link mergeFrequencyCounts}. */
  frequencyCounts(): Uint8Array {
    return guard(() => this.#core.frequencyCounts());
  }

  /** Users held (those routed into the range). */
  get users(): number {
    return this.#core.users;
  }

  /** Held users whose first shard is in the range: summed over ranges covering every shard, the directory's users. */
  get primaryUsers(): number {
    return this.#core.primaryUsers;
  }

  /** The range's shard snapshots, in order (once); `workforce` is the listed Workforce group, if any. */
  finish(workforce?: SyncGroup): Uint8Array[] {
    return guard(() => this.#core.finish(workforce === undefined ? undefined : JSON.stringify(workforce)));
  }

  /** Frees the WebAssembly memory. */
  free(): void {
    this.#core.free();
  }
}

/** A users page split for a ranged publish ({@link routeUsersPage}). */
export interface RoutedUsersPage {
  /** Per bucket of `shardsPerBucket` shards, a users page body holding the page's users that sit in it (empty: none). */
  buckets: Uint8Array[];
  /** Per id bucket, lines `id\tshards` (shards comma-separated) for every user of the page (empty: none). */
  ids: Uint8Array[];
}

/**
 * Splits a journal page, if it is a users page, by the buckets of shards its users sit in (a directory split
 * into `shards`, default lookup keys), so that a ranged publish reads each user once and each build step only
 * its bucket; `undefined` for another page. The id lines find the users listed twice (see
 * {@link ShardRange.setSuperseded}).
 * @throws SyncError (`INVALID_CHECKPOINT`) for an unreadable users page
 */
export function routeUsersPage(
  url: string,
  body: Uint8Array,
  shards: number,
  shardsPerBucket: number,
  idBuckets: number,
): RoutedUsersPage | undefined {
  ensureReady();
  const parts = guard(() => coreRouteUsersPage(url, body, shards, shardsPerBucket, idBuckets));
  if (parts === undefined) return undefined;
  const buckets = Math.ceil(shards / shardsPerBucket);
  return { buckets: parts.slice(0, buckets), ids: parts.slice(buckets) };
}

/** The sum of two ranges' {@link ShardRange.frequencyCounts}. @throws SnapshotError (`SNAPSHOT_CORRUPT`) */
export function mergeFrequencyCounts(a: Uint8Array, b: Uint8Array): Uint8Array {
  ensureReady();
  return guard(() => coreMergeFrequencyCounts(a, b));
}

/**
 * The name and birthdate frequency table of merged counts, as `snapshotFrequencies` reads it from the
 * one-snapshot build (`undefined` when the directory is too small for it to say anything).
 * @throws SnapshotError (`SNAPSHOT_CORRUPT`)
 */
export function frequencyTableOfCounts(counts: Uint8Array): Uint8Array | undefined {
  ensureReady();
  return guard(() => coreFrequencyTableOfCounts(counts));
}
