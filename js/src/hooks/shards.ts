/**
 * The fast path of push updates for a directory published to KV shards: an Event Hook's changed users are
 * re-read from Okta and replaced in the few shards their lookup keys route to (the core's
 * `patchShardCanonical`, the same bytes a whole publish would write), then the manifest switches. Cost:
 * O(changed users), whatever the directory's size. Anything a shard patch cannot express — a new or deleted
 * user, a user whose keys moved to other shards, a membership change — answers `null`: apply it through the
 * whole snapshot (`applyHookChanges`, or the next incremental sync) instead.
 */
import * as wasm from "../../wasm/okta_directory.js";
import type { AttributeMappingInput, DirectoryUser } from "../../wasm/okta_directory.js";
import { guard } from "../errors.js";
import { normalizeUser } from "../profile.js";
import { ensureReady } from "../state.js";
import type { KvChangedPublishResult, KvDirectoryStore } from "../stores/kv.js";
import type { FetchOktaUser } from "./apply.js";
import type { HookChanges } from "./receiver.js";

/** Options of {@link patchKvShards}. */
export interface PatchKvShardsOptions {
  fetchUser: FetchOktaUser;
  /** The attribute mapping the directory was synced with (default: Okta's base attributes). */
  mapping?: AttributeMappingInput;
  /** The live version and its shard digests (`publishChanged`'s or a previous `patchKvShards`'s result). */
  previousVersion: string;
  previousDigests: string[];
}

/** The changes of deliveries, merged: what a shard patch needs of them. */
export type ShardChanges = Pick<HookChanges, "upsertUserIds" | "deletedUserIds" | "membershipChanges">;

/**
 * Publishes the users changed by `changes` (one or more deliveries) by rewriting only their shards.
 * Resolves `null` (nothing written) when the change needs the whole snapshot (see the module docs), or the
 * live manifest is not `previousVersion`; else the publish, whose `version` and `digests` are the next call's
 * `previousVersion` and `previousDigests`. Users are re-read with `fetchUser`: a delivery's values are never applied.
 *
 * @throws OktaApiError (`OKTA_API_ERROR`) when a user read fails; StoreError (`STORE_FAILED`) when KV fails
 */
export async function patchKvShards(
  store: KvDirectoryStore,
  changes: ShardChanges[],
  options: PatchKvShardsOptions,
): Promise<KvChangedPublishResult | null> {
  ensureReady();
  const ids = new Set<string>();
  for (const c of changes) {
    if (c.deletedUserIds.length > 0 || c.membershipChanges.length > 0) return null;
    for (const id of c.upsertUserIds) ids.add(id);
  }
  const users: DirectoryUser[] = [];
  for (const id of ids) {
    const okta = await options.fetchUser(id);
    // Gone from Okta: a removal, which needs the user's old record to find its shards.
    if (okta === null || okta === undefined) return null;
    const user = normalizeUser(okta, options.mapping).user;
    // The shard patch matches by id: only a user Okta returned under the id the event named.
    if (user.id !== id) return null;
    users.push(user);
  }
  const json = JSON.stringify(users);
  return store.patchShards(
    async (live, read) => {
      const out = new Map<number, Uint8Array>();
      for (const n of guard(() => wasm.shardsOfUsersJson(json, live.keys, live.shards))) {
        const bytes = await read(n);
        if (bytes === null) return null;
        const patched = guard(() => wasm.patchShardCanonical(bytes, n, live.shards, json));
        if (patched === undefined) return null;
        out.set(n, patched);
      }
      return out;
    },
    { previousVersion: options.previousVersion, previousDigests: options.previousDigests },
  );
}

/** The live version and its shard digests, as the fast path and whole publishes leave them. */
export interface PublishedShards {
  version: string;
  digests: string[];
}

/** Options of {@link kvShardsApplier}. */
export interface KvShardsApplierOptions {
  store: KvDirectoryStore;
  fetchUser: FetchOktaUser;
  mapping?: AttributeMappingInput;
  /** Where the live version and digests are kept (updated after each fast publish). */
  published: { get(): PublishedShards | Promise<PublishedShards>; set(p: PublishedShards): void | Promise<void> };
  /** Applies a delivery the shards cannot express (e.g. `applyHookChanges` + `publishChanged`, or a sync run); must `published.set` what it publishes. */
  fallback: (changes: HookChanges) => Promise<void>;
}

/**
 * An `apply` for {@link createEventHookReceiver} that publishes each delivery through {@link patchKvShards}
 * (O(changed users)) and hands the others to `fallback`. The snapshot itself is left to the next sync (its
 * `publishChanged` then rewrites no shard the fast path already wrote).
 */
export function kvShardsApplier(options: KvShardsApplierOptions): (changes: HookChanges) => Promise<void> {
  return async (changes) => {
    const live = await options.published.get();
    const fast = await patchKvShards(options.store, [changes], {
      fetchUser: options.fetchUser,
      ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
      previousVersion: live.version,
      previousDigests: live.digests,
    });
    if (fast === null) return options.fallback(changes);
    await options.published.set({ version: fast.version, digests: fast.digests });
  };
}
