/**
 * Building a range of KV shards from a sync's page journal (the Worker template's ranged publish): the
 * journal read twice, users pages then members pages, holding only the range's users.
 */
import { ShardRange as CoreShardRange } from "../../wasm/okta_directory.js";
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
