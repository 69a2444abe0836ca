/**
 * The directory: a synced Okta directory, indexed for loginHint lookups, loaded from a snapshot or
 * built from a sync result. Lookups are synchronous and answered inside the wasm module.
 */
import { DirectoryCore, snapshotFrequencies as snapshotFrequenciesOf } from "../wasm/okta_directory.js";
import type {
  AuditReport,
  PolicyDocument,
  DirectoryBuildOptions,
  DirectoryInfo,
  DirectoryUser,
  Group,
  LookupResult,
} from "../wasm/okta_directory.js";
import { fromWasmError, guard, makeError } from "./errors.js";
import { readFields } from "./lookup-fields.js";
import { lookupMiss } from "./lookup-miss.js";
import { toJsonText } from "./app/json-text.js";
import { ensureReady } from "./state.js";

export type { DirectoryBuildOptions, DirectoryInfo, Group, LookupResult } from "../wasm/okta_directory.js";

// `Symbol.dispose` for consumers whose `lib` lacks `esnext.disposable` (identical to that lib's
// declaration, so both can be present). The runtime symbol exists in Node ≥ 20.4 and current browsers.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/**
 * A snapshot's name and birthdate frequency table (as {@link Directory.frequencyTable} returns it), read
 * without loading the directory: for a `ClaimsMatcher`'s `frequencies` when the records compared come
 * from elsewhere (the CLI's `match --snapshot`). `undefined` for a version-1 snapshot or a directory too
 * small for its frequencies to say anything.
 *
 * @throws SnapshotError (`SNAPSHOT_CORRUPT`, `SNAPSHOT_VERSION_UNSUPPORTED`)
 */
export function snapshotFrequencies(snapshot: Uint8Array): Uint8Array | undefined {
  ensureReady();
  return guard(() => snapshotFrequenciesOf(snapshot));
}

/**
 * A loaded directory. Lookup rule: a hint matching a login (case- and diacritic-insensitive) wins;
 * otherwise every other configured key (email, …; case-insensitive) is one pool, and more than one
 * matching user is `AMBIGUOUS_LOGIN_HINT` — nobody is ever picked silently. Inactive users are
 * returned with their `status`. Call `free()` to release its wasm memory early.
 */
export class Directory {
  readonly #core: DirectoryCore;

  private constructor(core: DirectoryCore) {
    this.#core = core;
  }

  /**
   * Loads a snapshot written by {@link Directory.toSnapshot} (or the CLI).
   *
   * @throws SnapshotError (`SNAPSHOT_CORRUPT`, `SNAPSHOT_VERSION_UNSUPPORTED`); never a partial directory
   */
  static fromSnapshot(bytes: Uint8Array): Directory {
    ensureReady();
    return new Directory(guard(() => DirectoryCore.fromSnapshot(bytes)));
  }

  /**
   * Builds a directory from a sync result `{users, groups, memberships}` (users as normalization
   * reports `{user, sources, issues}` or bare directory users), as parsed JSON or JSON text.
   *
   * @throws InvalidInputError when the input is not JSON or not shaped like a sync result
   */
  static fromSyncResult(input: unknown, options?: DirectoryBuildOptions): Directory {
    ensureReady();
    const json = typeof input === "string" ? input : toJsonText(input, "sync result", "invalid sync result at `$`: expected a JSON object");
    return new Directory(guard(() => DirectoryCore.fromSyncJson(json, options)));
  }

  /**
   * Readiness audit: which active users (of `group`, or all) lack each attribute the policy needs
   * (the default policy when none is given).
   *
   * @throws InvalidPolicyError for a malformed policy; LookupError (`GROUP_NOT_FOUND`) for an unknown group
   */
  audit(options: { policy?: PolicyDocument | null; group?: string } = {}): AuditReport {
    const policy = options.policy == null ? undefined : JSON.stringify(options.policy);
    return JSON.parse(guard(() => this.#core.auditJson(policy, options.group, false))) as AuditReport;
  }

  /** The audit as CSV: `user_id,missing_required,missing_optional` (Okta ids and attribute names only). */
  auditCsv(options: { policy?: PolicyDocument | null; group?: string } = {}): string {
    const policy = options.policy == null ? undefined : JSON.stringify(options.policy);
    return guard(() => this.#core.auditJson(policy, options.group, true));
  }

  /**
   * The users' given-name, family-name and birthdate frequencies, encoded, for a `ClaimsMatcher`'s
   * directory-aware weights (`new ClaimsMatcher({ directory })` reads it); `undefined` for a directory
   * loaded from a version-1 snapshot.
   */
  frequencyTable(): Uint8Array | undefined {
    return guard(() => this.#core.frequencyTable());
  }

  /** The compact, checksummed binary form of this directory. */
  toSnapshot(): Uint8Array {
    return guard(() => this.#core.toSnapshot());
  }

  /**
   * Finds the one user a loginHint names.
   *
   * @throws LookupError `USER_NOT_FOUND` or `AMBIGUOUS_LOGIN_HINT` (the message never contains the hint)
   */
  lookup(loginHint: string): LookupResult {
    const fields = this.#fields(loginHint);
    if (fields === undefined) throw lookupMiss();
    return readFields(fields);
  }

  /**
   * {@link Directory.lookup}'s result as JSON text (`{"user", "key", "workforce"}`), written inside
   * WebAssembly straight from the snapshot's record: a server can answer with it as is, without
   * building a JS object and serializing it again.
   *
   * @throws LookupError `USER_NOT_FOUND` or `AMBIGUOUS_LOGIN_HINT`
   */
  lookupJson(loginHint: string): string {
    const text = guard(() => this.#core.lookupJson(loginHint));
    if (text === undefined) throw lookupMiss();
    return text;
  }

  /**
   * {@link Directory.lookup} without an exception for a miss: `undefined` when nobody matches
   * (a thrown error costs more than the lookup itself).
   *
   * @throws LookupError `AMBIGUOUS_LOGIN_HINT` (more than one user matches: nobody is picked)
   */
  find(loginHint: string): LookupResult | undefined {
    const fields = this.#fields(loginHint);
    return fields === undefined ? undefined : readFields(fields);
  }

  /** The core's field list of the user a hint names (`undefined` for nobody); core errors converted. */
  #fields(loginHint: string): string | undefined {
    try {
      return this.#core.lookupFields(loginHint);
    } catch (thrown) {
      throw fromWasmError(thrown);
    }
  }

  /**
   * The fast path: the position of the one user a loginHint names, without building the user
   * object (same rule and errors as {@link Directory.lookup}). Positions are valid for this loaded
   * directory only; {@link Directory.userAt} decodes one.
   *
   * @throws LookupError `USER_NOT_FOUND` or `AMBIGUOUS_LOGIN_HINT`
   */
  lookupIndex(loginHint: string): number {
    const index = this.#core.lookupIndex(loginHint);
    if (index >= 0) return index;
    if (index === -1) throw lookupMiss();
    return this.#failure(loginHint);
  }

  /**
   * {@link Directory.lookupIndex} without an exception for a miss: -1 when nobody matches.
   *
   * @throws LookupError `AMBIGUOUS_LOGIN_HINT` (more than one user matches: nobody is picked)
   */
  findIndex(loginHint: string): number {
    const index = this.#core.lookupIndex(loginHint);
    return index >= -1 ? index : this.#failure(loginHint);
  }

  /** Throws the core's own error for a hint whose lookup failed other than by finding nobody. */
  #failure(loginHint: string): never {
    guard(() => this.#core.lookupJson(loginHint));
    throw makeError("INTERNAL", "a failed lookup raised no error");
  }

  /** The user at a position returned by {@link Directory.lookupIndex}. @throws LookupError `USER_NOT_FOUND` when out of range */
  userAt(index: number): DirectoryUser {
    if (!Number.isInteger(index) || index < 0) throw makeError("USER_NOT_FOUND", "no user at this position");
    return JSON.parse(guard(() => this.#core.userJsonAt(index))) as DirectoryUser;
  }

  /** The groups of a user, by Okta user id. @throws LookupError `USER_NOT_FOUND` */
  groupsOf(userId: string): Group[] {
    return guard(() => this.#core.groupsOf(userId).groups);
  }

  /** The members of a group, by Okta group id. @throws LookupError `GROUP_NOT_FOUND` */
  membersOf(groupId: string): DirectoryUser[] {
    return guard(() => this.#core.membersOf(groupId).users);
  }

  /** Counts, the org origin, the sync time and the lookup configuration. */
  info(): DirectoryInfo {
    return guard(() => this.#core.info());
  }

  /** Releases the directory's wasm memory; the object is unusable afterwards. */
  free(): void {
    this.#core.free();
  }

  /** `using dir = Directory.fromSnapshot(…)` frees it at the end of the scope. */
  [Symbol.dispose](): void {
    this.free();
  }
}
