/**
 * Shard patches for a directory published to KV shards: a set of changes — users created or changed (whole
 * records), users removed, membership changes — is published by rewriting only the shards it touches (the
 * core's `patchShardEdit`: the bytes a whole publish of the changed directory would write), then the manifest
 * switches. Two callers: the Event Hook fast path (`patchKvShards`: deliveries' users re-read from Okta) and
 * an incremental sync of a directory published in ranges (`patchKvShardsDelta` with the sync's result).
 *
 * Where a changed user's old copies sit: the shards its new keys route to are read first; a copy found there
 * names the old record, whose keys give the other old shards. An id found in none of them (a new user, a
 * removal, a membership-only change, a user whose every key moved) is looked for in every other shard, one
 * shard in memory at a time (KV reads, no writes). Cost otherwise: O(changed users) reads and writes.
 */
import * as wasm from "../../wasm/okta_directory.js";
import type { AttributeMappingInput, DirectoryUser } from "../../wasm/okta_directory.js";
import { guard } from "../errors.js";
import { normalizeUser } from "../profile.js";
import { ensureReady } from "../state.js";
import type { KvChangedPublishResult, KvDirectoryStore, KvManifest } from "../stores/kv.js";
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
  /** Search every shard for old copies only up to this many shards (default: any); more: `null` (a Worker's subrequest limit). */
  maxScanShards?: number;
}

/** The changes of deliveries, merged: what a shard patch needs of them. */
export type ShardChanges = Pick<HookChanges, "upsertUserIds" | "deletedUserIds" | "membershipChanges">;

/** Changes to publish as shard patches (a sync result's `users`, `changes.deletedUserIds`, `changes.membershipChanges`, `groups`). */
export interface ShardDelta {
  /** Users created or changed: whole records, as a sync normalizes them. */
  upsertUsers: DirectoryUser[];
  /** Ids of users removed from the directory. */
  removeUserIds: string[];
  /** Membership changes in order (the last per pair wins); shards keep only the Workforce group's. */
  membershipChanges: { groupId: string; userId: string; added: boolean }[];
  /** Groups as the sync read them: a changed Workforce group record needs a whole publish (`null`). */
  groups?: { id: string; name: string; type: string }[];
}

/** Options of {@link patchKvShardsDelta}. */
export interface PatchKvShardsDeltaOptions {
  /** The live version and its shard digests (a publish's or a previous patch's result). */
  previousVersion: string;
  previousDigests: string[];
  /** The manifest's sync time after the patch (default: the live manifest's). */
  syncedAtMs?: number;
  /** Look for ids not found in their routed shards in every shard (default true); false: `null` instead. */
  scan?: boolean;
  /** Scan only a live version of at most this many shards (default: any); more: as `scan: false`. */
  maxScanShards?: number;
  /** The new version's name (default: a fresh one): a retried patch naming the same one rewrites the same keys. */
  version?: string;
  /** Called with the ids a scan would look for when `scan` is false (then the result is `null`): search them with {@link findInShards}. */
  unresolved?: (ids: string[]) => void;
  /** Every copy of the named users in the live version ({@link findInShards} over every shard): no scan then. */
  located?: ShardCopy[];
  /** The Workforce group's id (`null`: none); default: read from a shard. Other groups' changes touch no shard. */
  workforceGroupId?: string | null;
}

/** A user's copy found in a shard, with its Workforce mark there. */
export interface ShardCopy {
  user: DirectoryUser;
  workforce: boolean;
}

/**
 * The copies of `ids` in shards `from..to` of the live version `manifest` names (one shard in memory at a time):
 * a search spread over several invocations, for {@link patchKvShardsDelta}'s `located`. `null` when a shard is missing.
 *
 * @throws StoreError (`STORE_FAILED`) when KV fails
 */
export async function findInShards(
  store: KvDirectoryStore,
  manifest: KvManifest,
  ids: string[],
  range: { from: number; to: number },
): Promise<ShardCopy[] | null> {
  ensureReady();
  const out: ShardCopy[] = [];
  for (let n = range.from; n < Math.min(range.to, manifest.shards); n++) {
    const bytes = await store.readShard(manifest, n);
    if (bytes === null) return null;
    out.push(...(JSON.parse(guard(() => wasm.shardUsersJson(bytes, ids))) as ShardCopy[]));
  }
  return out;
}

/** What {@link patchKvShardsDelta} did besides the publish: the shards it read while looking for old copies. */
export interface ShardDeltaResult extends KvChangedPublishResult {
  /** Shards read (routed, then scanned). */
  shardsRead: number;
  /** Whether ids had to be looked for in every shard. */
  scanned: boolean;
}

/**
 * Publishes `delta` by rewriting only the shards it touches (see the module docs), then the manifest (the
 * user count follows the users added and removed). Resolves `null` (nothing written) when the live manifest
 * is not `previousVersion`, the Workforce group's record changed, or an id would need a scan and `scan` is
 * false; a failure before the manifest put leaves the live version serving unchanged.
 *
 * @throws StoreError (`STORE_FAILED`) when KV fails; ConversionError for a user the core cannot read
 */
export async function patchKvShardsDelta(
  store: KvDirectoryStore,
  delta: ShardDelta,
  options: PatchKvShardsDeltaOptions,
): Promise<ShardDeltaResult | null> {
  ensureReady();
  const usersJson = JSON.stringify(delta.upsertUsers);
  const upserted = new Set(delta.upsertUsers.map((u) => u.id).filter((id): id is string => typeof id === "string"));
  /** The ids whose copies are looked for (the Workforce group's membership changes known once it is). */
  let named: string[] = [];
  let shardsRead = 0;
  let scanned = false;
  let usersAfter = 0;
  const published = await store.patchShards(
    async (live: KvManifest, read: (n: number) => Promise<Uint8Array | null>) => {
      /** Shards to patch, with their bytes. */
      const touched = new Map<number, Uint8Array>();
      /** Old Workforce marks of the named users found, and where their copies were found. */
      const marks: Record<string, boolean> = {};
      const found = new Set<string>();
      /** The shard read to learn the Workforce group, kept for the search (read once). */
      let early: { n: number; bytes: Uint8Array } | undefined;
      const readShard = async (n: number): Promise<Uint8Array> => {
        if (early?.n === n) return early.bytes;
        const bytes = await read(n);
        shardsRead++;
        // A shard the live manifest names is missing: only a whole publish is right.
        if (bytes === null) throw new MissingShard();
        return bytes;
      };
      const place = (copies: ShardCopy[]) => {
        for (const { user, workforce } of copies) {
          if (typeof user.id !== "string") continue;
          found.add(user.id);
          marks[user.id] = workforce;
          // The old copy's keys name every shard it sits in.
          for (const m of guard(() => wasm.shardsOfUsersJson(JSON.stringify([user]), live.keys, live.shards))) pending.add(m);
        }
      };
      const locate = (bytes: Uint8Array): boolean => {
        const copies = JSON.parse(guard(() => wasm.shardUsersJson(bytes, named))) as ShardCopy[];
        place(copies);
        return copies.length > 0;
      };
      const pending = new Set<number>(guard(() => wasm.shardsOfUsersJson(usersJson, live.keys, live.shards)));
      // Shards keep only the Workforce group's memberships: another group's change touches none (and is never searched for).
      let workforce = options.workforceGroupId;
      let memberships: ShardDelta["membershipChanges"];
      try {
        if (workforce === undefined && delta.membershipChanges.length > 0) {
          const [first = 0] = pending;
          const bytes = await readShard(first);
          early = { n: first, bytes };
          const shard = guard(() => wasm.DirectoryCore.fromSnapshot(bytes));
          try {
            workforce = shard.info().workforceGroup ?? null;
          } finally {
            shard.free();
          }
        }
        memberships = delta.membershipChanges.filter((m) => m.groupId === workforce);
        named = [...new Set([...upserted, ...delta.removeUserIds, ...memberships.map((m) => m.userId)])];
        if (options.located !== undefined) place(options.located);
        // The routed shards, then the old copies' shards they reveal (until no new shard is named).
        while (pending.size > 0) {
          const [n] = pending;
          pending.delete(n as number);
          if (touched.has(n as number)) continue;
          const bytes = await readShard(n as number);
          touched.set(n as number, bytes);
          locate(bytes);
        }
        const missing = named.filter((id) => !found.has(id));
        if (missing.length > 0 && options.located === undefined) {
          if (options.scan === false || live.shards > (options.maxScanShards ?? Number.POSITIVE_INFINITY)) {
            options.unresolved?.(missing);
            return null;
          }
          scanned = true;
          for (let n = 0; n < live.shards; n++) {
            if (touched.has(n)) continue;
            const bytes = await readShard(n);
            if (locate(bytes)) touched.set(n, bytes);
            // Every shard a copy's keys name holds that copy: the scan reaches (or reached) each of them.
            pending.clear();
          }
        }
      } catch (error) {
        if (error instanceof MissingShard) return null;
        throw error;
      }
      // Every named id was found, or every shard was read (here or through `located`): a given id found nowhere is new.
      const removing = new Set(delta.removeUserIds);
      const added = [...upserted].filter((id) => !found.has(id) && !removing.has(id)).length;
      const removed = [...removing].filter((id) => found.has(id)).length;
      usersAfter = Math.max(0, live.users + added - removed);
      const edit = JSON.stringify({
        users: delta.upsertUsers,
        removeIds: delta.removeUserIds,
        memberships,
        marks,
        groups: delta.groups ?? [],
      });
      const out = new Map<number, Uint8Array>();
      for (const [n, bytes] of touched) {
        const patched = guard(() => wasm.patchShardEdit(bytes, n, live.shards, edit));
        if (patched === undefined) return null;
        out.set(n, patched);
      }
      return out;
    },
    {
      previousVersion: options.previousVersion,
      previousDigests: options.previousDigests,
      users: () => usersAfter,
      ...(options.syncedAtMs === undefined ? {} : { syncedAtMs: options.syncedAtMs }),
      ...(options.version === undefined ? {} : { version: options.version }),
    },
  );
  return published === null ? null : { ...published, shardsRead, scanned };
}

/** A shard the live manifest names could not be read. */
class MissingShard extends Error {}

/**
 * Publishes the users changed by `changes` (one or more deliveries) by rewriting only their shards
 * ({@link patchKvShardsDelta}): created, changed, moved and removed users and membership changes alike. Users,
 * deleted ones included, are re-read with `fetchUser` (a delivery's values are never applied): only one Okta no
 * longer has is removed.
 * Resolves `null` (nothing written) when Okta answers another id than the one asked for, or as
 * {@link patchKvShardsDelta} does; else the publish, whose `version` and `digests` are the next call's
 * `previousVersion` and `previousDigests`.
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
  const removed = new Set<string>();
  const memberships: ShardDelta["membershipChanges"] = [];
  for (const c of changes) {
    // A deletion is re-read as well: only Okta's answer (no such user) removes one.
    for (const id of [...c.upsertUserIds, ...c.deletedUserIds]) ids.add(id);
    memberships.push(...c.membershipChanges);
  }
  const users: DirectoryUser[] = [];
  for (const id of ids) {
    const okta = await options.fetchUser(id);
    // Gone from Okta: a removal.
    if (okta === null || okta === undefined) {
      removed.add(id);
      continue;
    }
    const user = normalizeUser(okta, options.mapping).user;
    // The shard patch matches by id: only a user Okta returned under the id the event named.
    if (user.id !== id) return null;
    users.push(user);
  }
  return patchKvShardsDelta(
    store,
    { upsertUsers: users, removeUserIds: [...removed], membershipChanges: memberships },
    {
      previousVersion: options.previousVersion,
      previousDigests: options.previousDigests,
      ...(options.maxScanShards === undefined ? {} : { maxScanShards: options.maxScanShards }),
    },
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
