/**
 * A directory kept live in memory for push updates in Node: lookups read canonical shards held in memory,
 * an Event Hook delivery patches only the shards of its users (the core's `patchShardEdit`, the bytes a
 * whole split would give), and the whole snapshot is persisted later, in the background, through the caller's
 * store (e.g. `FileStore`: temp file, fsync, rename). Delivery → lookup then costs O(changed users), whatever
 * the directory's size. What a shard patch cannot express (a new or deleted user, a user whose keys moved, a
 * Workforce membership) is applied to the whole snapshot at once and the shards split again (O(directory)).
 *
 * Durability: each delivery's changes (Okta ids only, never profile values) are appended to a journal before
 * they are applied; the journal forgets them only once a persisted snapshot holds them. After a crash,
 * {@link LiveDirectory.open} replays the journal on the last persisted snapshot (users re-read from Okta), so a
 * change acknowledged to Okta is never lost, and a crash mid-persist leaves the previous snapshot intact.
 */
import * as wasm from "../../wasm/okta_directory.js";
import type { AttributeMappingInput, DirectoryUser, LookupResult } from "../../wasm/okta_directory.js";
import { guard, makeError } from "../errors.js";
import { normalizeUser } from "../profile.js";
import { ensureReady } from "../state.js";
import type { FetchOktaUser } from "./apply.js";
import type { HookChanges } from "./receiver.js";

/** What a journal keeps of one delivery: Okta ids only. */
export interface JournaledChanges {
  /** Position in the journal (increasing). */
  seq: number;
  eventId: string;
  upsertUserIds: string[];
  deletedUserIds: string[];
  membershipChanges: { groupId: string; userId: string; added: boolean }[];
}

/** Where accepted deliveries wait until a persisted snapshot holds them (`fileHookJournal` in Node). */
export interface HookJournal {
  /** Appends one entry durably (resolves once it would survive a crash). */
  append(entry: JournaledChanges): Promise<void>;
  /** Every entry kept, in order (an entry torn by a crash is left out). */
  read(): Promise<JournaledChanges[]>;
  /** Forgets the entries up to `seq` (inclusive): a persisted snapshot holds them. */
  forget(seq: number): Promise<void>;
}

/** Where the whole snapshot is persisted (`FileStore` fits: its save is atomic). */
export interface SnapshotSink {
  save(snapshot: Uint8Array): Promise<void>;
}

/** Options of {@link LiveDirectory.open}. */
export interface LiveDirectoryOptions {
  /** The last persisted snapshot (e.g. `await fileStore.load()`). */
  snapshot: Uint8Array;
  /** Reads a user from Okta (`oktaUserFetcher`): a delivery's values are never applied. */
  fetchUser: FetchOktaUser;
  /** Where the snapshot is persisted; without it nothing is persisted (tests, a read-only replica). */
  store?: SnapshotSink;
  /** The journal of accepted deliveries; without it a crash before a persist loses them to the next sync. */
  journal?: HookJournal;
  /** The attribute mapping the directory was synced with (default: Okta's base attributes). */
  mapping?: AttributeMappingInput;
  /** Persist once no delivery came for this long, ms (default 2 000). */
  persistQuietMs?: number;
  /** …and at the latest this long after the first unpersisted delivery, ms (default 30 000). */
  persistMaxDelayMs?: number;
  /** Users per in-memory shard (default 128). */
  usersPerShard?: number;
  /**
   * Folds pending deltas into the whole snapshot before a persist (default: on this thread, which it blocks for
   * O(directory); in Node pass `workerFold().fold` to run it on a worker thread).
   */
  fold?: (snapshot: Uint8Array, deltaJson: string) => Promise<Uint8Array>;
  /** Called when a background persist fails (it is retried at the next delivery or `flush()`). */
  onPersistError?: (error: unknown) => void;
}

/** What {@link LiveDirectory} did so far. */
export interface LiveDirectoryStats {
  /** Deliveries applied by patching shards only. */
  patched: number;
  /** Deliveries applied to the whole snapshot (the shards then split again). */
  rebuilt: number;
  /** Snapshots persisted. */
  persisted: number;
  /** Journal entries replayed by `open`. */
  replayed: number;
}

/** The JSON shape of the core's `DirectoryDelta`. */
interface DeltaJson {
  upsertUsers: DirectoryUser[];
  removeUsers: string[];
  addMemberships: { groupId: string; userId: string }[];
  removeMemberships: { groupId: string; userId: string }[];
}

/** Deltas not yet in the whole snapshot, merged: per user the last read (null: removed), per pair the last change. */
class PendingDelta {
  readonly users = new Map<string, DirectoryUser | null>();
  readonly memberships = new Map<string, { groupId: string; userId: string; added: boolean }>();

  get empty(): boolean {
    return this.users.size === 0 && this.memberships.size === 0;
  }

  add(users: Map<string, DirectoryUser | null>, memberships: Iterable<{ groupId: string; userId: string; added: boolean }>): void {
    for (const [id, u] of users) {
      this.users.delete(id);
      this.users.set(id, u);
    }
    for (const m of memberships) this.memberships.set(`${m.groupId}\n${m.userId}`, m);
  }

  /** Adds another pending delta after this one (its entries win). */
  addAll(other: PendingDelta): void {
    this.add(other.users, other.memberships.values());
  }

  json(): string {
    const delta: DeltaJson = { upsertUsers: [], removeUsers: [], addMemberships: [], removeMemberships: [] };
    for (const [id, u] of this.users) {
      if (u === null) delta.removeUsers.push(id);
      else delta.upsertUsers.push(u);
    }
    for (const m of this.memberships.values()) {
      (m.added ? delta.addMemberships : delta.removeMemberships).push({ groupId: m.groupId, userId: m.userId });
    }
    return JSON.stringify(delta);
  }
}

/**
 * A directory answering lookups from memory and applying Event Hook deliveries in O(changed users); create it
 * with {@link LiveDirectory.open} and give {@link LiveDirectory.apply} to `createEventHookReceiver`.
 */
export class LiveDirectory {
  readonly #options: LiveDirectoryOptions;
  readonly #keys: string[];
  readonly #workforceGroup: string | undefined;
  readonly #count: number;
  /** The whole snapshot, without `#pending`. */
  #base: Uint8Array;
  /** The snapshot last persisted (or given to `open`). */
  #saved: Uint8Array;
  #pending = new PendingDelta();
  /** Deliveries applied since the last persist (what `replace` applies again on a newer directory). */
  #unsaved: JournaledChanges[] = [];
  /** Canonical shard bytes, and their loaded form (lazily). */
  #shards: Uint8Array[];
  #loaded: (wasm.DirectoryShard | undefined)[];
  /** Journal positions: the last appended, the last applied in memory, the last in `#base`. */
  #seq = 0;
  #appliedSeq = 0;
  #baseSeq = 0;
  /** Applies (and `replace`) run one at a time; so do persists, beside them. */
  #queue: Promise<unknown> = Promise.resolve();
  #persistQueue: Promise<unknown> = Promise.resolve();
  /** A fold of `#pending` taken out, running (deliveries go on meanwhile, into a new `#pending`). */
  #folding: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstUnsaved: number | undefined;
  #closed = false;
  /** What was done so far. */
  readonly stats: LiveDirectoryStats = { patched: 0, rebuilt: 0, persisted: 0, replayed: 0 };

  private constructor(options: LiveDirectoryOptions, info: wasm.DirectoryInfo) {
    this.#options = options;
    this.#keys = info.keys;
    this.#workforceGroup = info.workforceGroup;
    this.#count = Math.min(1 << 20, Math.max(1, Math.ceil(info.users / Math.max(1, Math.floor(options.usersPerShard ?? 128)))));
    this.#base = options.snapshot;
    this.#saved = options.snapshot;
    this.#shards = guard(() => wasm.splitSnapshotCanonical(options.snapshot, this.#count));
    this.#loaded = new Array<wasm.DirectoryShard | undefined>(this.#count);
  }

  /**
   * Loads the snapshot, replays the journal's entries on it (their users re-read from Okta; applying one twice
   * is harmless) and, when there were any, persists the result and forgets them.
   *
   * @throws SnapshotError for a damaged snapshot; OktaApiError when a replayed user cannot be read; StoreError
   */
  static async open(options: LiveDirectoryOptions): Promise<LiveDirectory> {
    ensureReady();
    const core = guard(() => wasm.DirectoryCore.fromSnapshot(options.snapshot));
    let info: wasm.DirectoryInfo;
    try {
      info = core.info();
    } finally {
      core.free();
    }
    const live = new LiveDirectory(options, info);
    const entries = (await options.journal?.read()) ?? [];
    for (const e of entries) {
      live.#seq = Math.max(live.#seq, e.seq);
      await live.#applyNow(e, e.seq);
      live.#unsaved.push(e);
      live.stats.replayed++;
    }
    if (entries.length > 0) await live.flush();
    return live;
  }

  /** Users per lookup shard are routed by the core (`shardsForHint`); the shard count chosen at `open`. */
  get shardCount(): number {
    return this.#count;
  }

  /** The canonical bytes of shard `n` as lookups see them now (a whole split of the current directory gives the same). */
  shard(n: number): Uint8Array | undefined {
    return this.#shards[n];
  }

  #loadedShard(n: number): wasm.DirectoryShard {
    const have = this.#loaded[n];
    if (have !== undefined) return have;
    const bytes = this.#shards[n];
    if (bytes === undefined) throw makeError("SNAPSHOT_CORRUPT", "a lookup was routed to a shard that does not exist");
    const shard = guard(() => wasm.DirectoryShard.fromSnapshot(bytes));
    this.#loaded[n] = shard;
    return shard;
  }

  #find<T>(loginHint: string, read: (first: wasm.DirectoryShard, second: wasm.DirectoryShard | undefined) => T): T {
    ensureReady();
    const routes = guard(() => wasm.shardsForHint(loginHint, this.#keys, this.#count));
    const [a, b] = routes;
    if (a === undefined) throw makeError("USER_NOT_FOUND", "no directory user matches the login hint");
    const first = this.#loadedShard(a);
    const second = b === undefined ? undefined : this.#loadedShard(b);
    return guard(() => read(first, second));
  }

  /**
   * Finds the one user a loginHint names, with every applied delivery in effect — the same answer as
   * `Directory.lookup` on the whole current directory.
   *
   * @throws LookupError (`USER_NOT_FOUND`, `AMBIGUOUS_LOGIN_HINT`)
   */
  lookup(loginHint: string): LookupResult {
    return this.#find(loginHint, (first, second) =>
      second === undefined ? first.lookup(loginHint) : first.lookupWithPlainShard(loginHint, second),
    );
  }

  /** {@link LiveDirectory.lookup}'s answer as JSON text `{userId, status, key, workforce, user}`, written inside WebAssembly. */
  lookupAnswerJson(loginHint: string): string {
    return this.#find(loginHint, (first, second) =>
      second === undefined ? first.lookupAnswer(loginHint) : first.lookupAnswerWithPlainShard(loginHint, second),
    );
  }

  /** The whole current snapshot (every applied delivery in it; O(directory) when deliveries are pending). */
  async snapshot(): Promise<Uint8Array> {
    await this.#settled();
    this.#fold();
    return this.#base;
  }

  /** Waits for a background fold (its failure is the persist's to report: its deltas are pending again). */
  async #settled(): Promise<void> {
    while (this.#folding !== undefined) await this.#folding.catch(() => undefined);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Applies one delivery (the `apply` of `createEventHookReceiver`): journals it, re-reads its users from
   * Okta, patches their shards (or, when shards cannot express it, the whole snapshot), then schedules a
   * persist. Resolves once lookups see the change. Deliveries apply one at a time.
   *
   * @throws OktaApiError when a user cannot be read (nothing applied: Okta's retry delivers it again); StoreError
   *   when the journal refuses the entry
   */
  apply = (changes: HookChanges): Promise<void> =>
    this.#serial(async () => {
      if (this.#closed) throw makeError("STORE_FAILED", "the live directory is closed");
      if (changes.upsertUserIds.length === 0 && changes.deletedUserIds.length === 0 && changes.membershipChanges.length === 0) return;
      const seq = ++this.#seq;
      const entry: JournaledChanges = {
        seq,
        eventId: changes.eventId,
        upsertUserIds: [...changes.upsertUserIds],
        deletedUserIds: [...changes.deletedUserIds],
        membershipChanges: changes.membershipChanges.map((m) => ({ groupId: m.groupId, userId: m.userId, added: m.added })),
      };
      await this.#options.journal?.append(entry);
      await this.#applyNow(entry, seq);
      this.#unsaved.push(entry);
      this.#schedule();
    });

  /** Reads the users, then changes the in-memory state without yielding (a lookup sees all of it or none). */
  async #applyNow(changes: Omit<JournaledChanges, "seq">, seq: number): Promise<void> {
    const users = await this.#read(changes);
    const patched = this.#patch(users, changes.membershipChanges);
    if (patched === null) {
      // The whole snapshot needs `#base` settled (a background fold does not touch the shards: the patch above
      // is still what it was). Nothing below yields.
      await this.#settled();
      // The whole snapshot: pending deltas and this one in one pass, then the shards split again.
      this.#pending.add(users, changes.membershipChanges);
      this.#fold();
      const shards = guard(() => wasm.splitSnapshotCanonical(this.#base, this.#count));
      this.#replaceShards(shards.map((bytes, n) => [n, bytes]));
      this.stats.rebuilt++;
    } else {
      this.#pending.add(users, changes.membershipChanges);
      this.#replaceShards(patched);
      this.stats.patched++;
    }
    this.#appliedSeq = seq;
    this.#baseSeq = this.#pending.empty ? seq : this.#baseSeq;
  }

  /** A delivery's users as Okta has them now (`null`: deleted, or gone). */
  async #read(changes: Omit<JournaledChanges, "seq">): Promise<Map<string, DirectoryUser | null>> {
    const users = new Map<string, DirectoryUser | null>();
    for (const id of changes.deletedUserIds) users.set(id, null);
    for (const id of changes.upsertUserIds) {
      const okta = await this.#options.fetchUser(id);
      users.set(id, okta === null || okta === undefined ? null : normalizeUser(okta, this.#options.mapping).user);
    }
    return users;
  }

  /** The shards' new bytes when the change is a shard patch; `null` when only the whole snapshot can take it. */
  #patch(users: Map<string, DirectoryUser | null>, memberships: HookChanges["membershipChanges"]): [number, Uint8Array][] | null {
    // A shard holds the Workforce group's memberships of its users, no other group's.
    if (memberships.some((m) => m.groupId === this.#workforceGroup)) return null;
    const changed: DirectoryUser[] = [];
    for (const [id, u] of users) {
      // A removal needs the user's old record to find its shards; a user read under another id is refused.
      if (u === null || u.id !== id) return null;
      changed.push(u);
    }
    if (changed.length === 0) return [];
    const json = JSON.stringify(changed);
    const ids = changed.map((u) => u.id as string);
    const routes = (u: DirectoryUser): number[] =>
      Array.from(guard(() => wasm.shardsOfUsersJson(JSON.stringify([u]), this.#keys, this.#count)));
    // Each changed user's shards, routed once (not once per shard it touches).
    const routed = new Map(changed.map((u) => [u.id as string, routes(u)]));
    const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
    const edit = JSON.stringify({ users: changed });
    const out: [number, Uint8Array][] = [];
    for (const n of guard(() => wasm.shardsOfUsersJson(json, this.#keys, this.#count))) {
      const bytes = this.#shards[n];
      if (bytes === undefined) return null;
      // A patch here must give the whole directory's shard: every changed user routed here is already in it (not
      // new, not moved here) and every old copy in it routes where its new record does (not moved away).
      const found = (JSON.parse(guard(() => wasm.shardUsersJson(bytes, ids))) as { user: DirectoryUser }[]).map((f) => f.user);
      const present = new Set(found.map((u) => u.id));
      for (const u of changed) if (!present.has(u.id) && (routed.get(u.id as string) ?? []).includes(n)) return null;
      for (const old of found) {
        const now = routed.get(old.id as string);
        if (now === undefined || !same(routes(old), now)) return null;
      }
      const next = guard(() => wasm.patchShardEdit(bytes, n, this.#count, edit));
      if (next === undefined) return null;
      out.push([n, next]);
    }
    return out;
  }

  #replaceShards(parts: [number, Uint8Array][]): void {
    for (const [n, bytes] of parts) {
      if (this.#shards[n] !== undefined && equalBytes(this.#shards[n] as Uint8Array, bytes)) continue;
      this.#shards[n] = bytes;
      this.#loaded[n]?.free();
      this.#loaded[n] = undefined;
    }
  }

  /** Folds the pending deltas into `#base` (O(directory)). */
  #fold(): void {
    if (this.#pending.empty) return;
    const json = this.#pending.json();
    this.#base = guard(() => wasm.applyDirectoryDelta(this.#base, json)).snapshot;
    this.#pending = new PendingDelta();
    this.#baseSeq = this.#appliedSeq;
  }

  #dirty(): boolean {
    return !this.#pending.empty || this.#base !== this.#saved;
  }

  #schedule(): void {
    if (this.#options.store === undefined || this.#closed || !this.#dirty()) return;
    const now = Date.now();
    this.#firstUnsaved ??= now;
    const quiet = Math.max(0, this.#options.persistQuietMs ?? 2_000);
    const latest = this.#firstUnsaved + Math.max(0, this.#options.persistMaxDelayMs ?? 30_000);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.flush().catch((e: unknown) => this.#options.onPersistError?.(e));
      },
      Math.max(0, Math.min(quiet, latest - now)),
    );
    this.#timer.unref?.();
  }

  /**
   * Persists the whole current snapshot now (when anything changed since the last persist), then forgets the
   * journal entries it holds. A failure leaves the previous snapshot and the journal as they were.
   *
   * @throws StoreError when the store or the journal refuses
   */
  flush(): Promise<void> {
    const run = this.#persistQueue.then(
      () => this.#persist(),
      () => this.#persist(),
    );
    this.#persistQueue = run.catch(() => undefined);
    return run;
  }

  async #persist(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#options.store === undefined || !this.#dirty()) return;
    await this.#foldInBackground();
    const whole = this.#base;
    const seq = this.#baseSeq;
    if (whole !== this.#saved) {
      await this.#options.store.save(whole);
      this.#saved = whole;
      this.#unsaved = this.#unsaved.filter((e) => e.seq > seq);
      this.stats.persisted++;
      await this.#options.journal?.forget(seq);
    }
    // Deliveries that came during the fold or the save: persisted by the next round.
    this.#firstUnsaved = undefined;
    this.#schedule();
  }

  /** Folds the pending deltas into `#base` through `fold`, while deliveries go on into a new `#pending`. */
  async #foldInBackground(): Promise<void> {
    await this.#settled();
    if (this.#pending.empty) return;
    const fold = this.#options.fold;
    if (fold === undefined) return this.#fold();
    const taken = this.#pending;
    const from = this.#base;
    const seq = this.#appliedSeq;
    this.#pending = new PendingDelta();
    const running = (async () => {
      try {
        const next = await fold(from, taken.json());
        this.#base = next;
        this.#baseSeq = seq;
      } catch (e) {
        // Not folded: the taken deltas are pending again, before the newer ones.
        const back = new PendingDelta();
        back.addAll(taken);
        back.addAll(this.#pending);
        this.#pending = back;
        throw e;
      } finally {
        this.#folding = undefined;
      }
    })();
    this.#folding = running;
    return running;
  }

  /**
   * Switches to a newer whole directory (a sync's snapshot, e.g. `syncDirectorySnapshot`'s): lookups answer from
   * it, the deliveries applied since the last persist are applied again on top of it (their users re-read from
   * Okta: a sync that started before a delivery may hold the older values), then it is persisted through
   * `store`. Deliveries wait meanwhile. Give the same lookup keys and Workforce group as the directory opened.
   *
   * @throws SnapshotError for a damaged snapshot; OktaApiError when a user cannot be read (the directory held stays)
   */
  replace(snapshot: Uint8Array): Promise<void> {
    return this.#serial(async () => {
      ensureReady();
      const core = guard(() => wasm.DirectoryCore.fromSnapshot(snapshot));
      let keys: string[];
      try {
        keys = core.info().keys;
      } finally {
        core.free();
      }
      if (keys.join("\n") !== this.#keys.join("\n"))
        throw makeError("SNAPSHOT_CORRUPT", "the new snapshot has other lookup keys than the live directory");
      // Read first, change after: a failed read leaves the directory held as it was.
      const reads: [JournaledChanges, Map<string, DirectoryUser | null>][] = [];
      for (const e of this.#unsaved) reads.push([e, await this.#read(e)]);
      await this.#settled();
      this.#base = snapshot;
      this.#pending = new PendingDelta();
      for (const [e, users] of reads) this.#pending.add(users, e.membershipChanges);
      this.#fold();
      this.#replaceShards(guard(() => wasm.splitSnapshotCanonical(this.#base, this.#count)).map((bytes, n) => [n, bytes]));
      this.#saved = new Uint8Array(0);
      this.#baseSeq = this.#appliedSeq;
      this.stats.rebuilt++;
    }).then(() => this.flush());
  }

  /** Persists what is pending, then frees the loaded shards; the instance applies nothing after. */
  async close(): Promise<void> {
    await this.#serial(async () => undefined);
    await this.flush();
    this.#closed = true;
    for (const s of this.#loaded) s?.free();
    this.#loaded = [];
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
