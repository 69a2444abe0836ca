/**
 * `OktaDirectory`: a client object holding an org's configuration (URL, credentials, retries, hooks), with
 * `sync()`, `users()` (an async iterator over the org's users, page by page) and lookups against the last
 * synced or loaded directory. Node and Workers entries (sync is server-side only).
 */
import type { DirectoryUser, Group, LookupResult } from "../wasm/okta_directory.js";
import { Directory, type DirectoryInfo } from "./directory.js";
import { makeError } from "./errors.js";
import { normalizeUser } from "./profile.js";
import type { DirectoryStore } from "./stores/types.js";
import { applySyncResult, syncDirectoryJson, syncDirectorySnapshot } from "./sync/index.js";
import { openSession } from "./sync/session.js";
import { validateHooks } from "./sync/hooks.js";
import type { SyncDirectoryOptions, SyncProgressEvent, SyncSummary } from "./sync/types.js";

/** The client's configuration: a sync's options without the per-run ones (those go to {@link OktaDirectory.sync}). */
export interface OktaDirectoryOptions
  extends Omit<SyncDirectoryOptions, "signal" | "onProgress" | "onCheckpoint" | "checkpoint" | "since"> {
  /** Where `sync()` saves each new directory and `load()` reads one from (e.g. `FileStore`, `KvDirectoryStore`). */
  store?: DirectoryStore;
}

/** Options of one {@link OktaDirectory.sync} run. */
export interface OktaDirectorySyncOptions {
  /** Aborts the run (error `ABORTED`); the directory held stays the previous one. */
  signal?: AbortSignal;
  /** Progress after each page and before each wait. */
  onProgress?: (event: SyncProgressEvent) => void;
  /**
   * Only the changes since the directory held (its watermark): users changed, deletions and membership changes,
   * applied to it. Needs a directory from an earlier `sync()` or a `load()` given its `watermarkMs`.
   */
  incremental?: boolean;
}

/** Options of {@link OktaDirectory.users}. */
export interface OktaDirectoryUsersOptions {
  /** Stops the listing (the iterator then throws `ABORTED`). */
  signal?: AbortSignal;
}

/** The users listing's path: a users page (not a group's members page) is journaled under it. */
const USERS_PATH = "/api/v1/users";

/** Whether a response's `Link` headers name a next page. */
function hasNextLink(headers: string[]): boolean {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (headers[i] === "link" && /rel="?next"?/.test(headers[i + 1] ?? "")) return true;
  }
  return false;
}

/**
 * A client for one Okta org. Credentials stay in private fields (never enumerable, never logged).
 *
 * ```js
 * const okta = new OktaDirectory({ orgUrl, apiToken });
 * await okta.sync();
 * okta.lookup("ana@example.com").user;
 * for await (const user of okta.users()) console.log(user.id);
 * ```
 */
export class OktaDirectory {
  readonly #options: OktaDirectoryOptions;
  #directory: Directory | undefined;
  #watermarkMs: number | undefined;

  /**
   * Checks the configuration's shape (credentials, retries, hooks) without any request.
   *
   * @throws {ConfigurationError} `INVALID_CREDENTIALS`, `INVALID_ORG_URL` or `INVALID_OPTION` naming the option
   */
  constructor(options: OktaDirectoryOptions) {
    if (typeof options !== "object" || options === null) {
      throw makeError("INVALID_OPTION", "invalid options: expected an object { orgUrl, apiToken | clientId + privateKey }", {
        option: "options",
      });
    }
    if (typeof options.orgUrl !== "string" || options.orgUrl.trim() === "") {
      throw makeError("INVALID_ORG_URL", "invalid org URL: orgUrl must be a URL such as https://acme.okta.com", { option: "orgUrl" });
    }
    const usesKey = options.clientId !== undefined || options.privateKey !== undefined;
    if (usesKey === (options.apiToken !== undefined) || (usesKey && (options.clientId === undefined || options.privateKey === undefined))) {
      throw makeError("INVALID_CREDENTIALS", "unusable credentials: give either apiToken, or clientId with privateKey");
    }
    validateHooks(options);
    this.#options = { ...options };
  }

  /** The org URL this client syncs. */
  get orgUrl(): string {
    return this.#options.orgUrl;
  }

  /** The directory of the last `sync()` or `load()`, or `undefined` before the first. */
  get directory(): Directory | undefined {
    return this.#directory;
  }

  /** The server time the last full or incremental `sync()` started (the next incremental run's `since`). */
  get watermarkMs(): number | undefined {
    return this.#watermarkMs;
  }

  /**
   * Syncs the org (users, groups, memberships) into a new directory held by the client (and saved to
   * `store`, when configured); the previous one is freed. Returns the run's totals.
   *
   * @throws {ConfigurationError} for an unusable org URL or credentials, or `incremental` without a watermark
   * @throws {SyncError} `TOO_MANY_RETRIES` and other sync failures; {@link RateLimitError}, {@link OktaApiError},
   *   {@link AuthenticationError}, {@link AuthorizationError}; {@link AbortError} when `signal` aborts
   */
  async sync(options: OktaDirectorySyncOptions = {}): Promise<SyncSummary> {
    const { store: _store, ...base } = this.#options;
    const run: SyncDirectoryOptions = {
      ...base,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    };
    let directory: Directory;
    let summary: SyncSummary;
    if (options.incremental === true) {
      const current = this.#directory;
      if (current === undefined || this.#watermarkMs === undefined) {
        throw makeError(
          "INVALID_OPTION",
          "incremental sync needs a directory with a watermark: run sync() first, or load(snapshot, { watermarkMs })",
          { option: "incremental" },
        );
      }
      const json = await syncDirectoryJson({ ...run, since: this.#watermarkMs });
      const applied = applySyncResult(current.toSnapshot(), json);
      summary = (JSON.parse(json) as { summary: SyncSummary }).summary;
      directory = Directory.fromSnapshot(applied.snapshot);
    } else {
      // The page journal only feeds the snapshot being built: nothing is kept for a resume.
      const result = await syncDirectorySnapshot({ ...run, journal: { append() {} } });
      summary = result.summary;
      directory = Directory.fromSnapshot(result.snapshot);
    }
    await this.#options.store?.save(directory.toSnapshot());
    this.#replace(directory, summary.watermarkMs ?? this.#watermarkMs);
    return summary;
  }

  /**
   * Loads a directory: from snapshot bytes, or without arguments from the configured `store`. Returns it, or
   * `null` when the store holds none. `watermarkMs` (a sync's `summary.watermarkMs`) allows an incremental `sync()`.
   *
   * @throws {SnapshotError} for a damaged snapshot; {@link StoreError} when the store cannot be read or none is configured
   */
  async load(snapshot?: Uint8Array, options: { watermarkMs?: number } = {}): Promise<Directory | null> {
    let bytes = snapshot;
    if (bytes === undefined) {
      if (this.#options.store === undefined)
        throw makeError("STORE_EMPTY", "no snapshot given and no store configured", { option: "store" });
      const stored = await this.#options.store.load();
      if (stored === null) return null;
      bytes = stored;
    }
    const directory = Directory.fromSnapshot(bytes);
    this.#replace(directory, options.watermarkMs);
    return directory;
  }

  /**
   * Every user of the org (DEPROVISIONED included), normalized, in listing order. Pages are fetched as the
   * loop asks for them (at most one page ahead), with the same credentials, pacing and retries as `sync()`;
   * leaving the loop early stops the requests. Does not change the directory held.
   *
   * @throws {SyncError} and the other errors of {@link OktaDirectory.sync}, from the iteration
   */
  async *users(options: OktaDirectoryUsersOptions = {}): AsyncGenerator<DirectoryUser, void, undefined> {
    const stop = new AbortController();
    let stoppedHere = false; // the listing ended or the loop left: not a failure
    const onAbort = (): void => stop.abort(options.signal?.reason);
    const { store: _store, groups: _groups, ...base } = this.#options;
    const { session, drive } = await openSession({ ...base, maxInFlight: 1, signal: stop.signal }, true);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const pages: DirectoryUser[][] = [];
    let listed = false;
    let finished = false;
    let failure: unknown;
    let wakeConsumer: (() => void) | undefined;
    let wakeDriver: (() => void) | undefined;
    const wake = (): void => {
      const [c, d] = [wakeConsumer, wakeDriver];
      wakeConsumer = wakeDriver = undefined;
      c?.();
      d?.();
    };
    stop.signal.addEventListener("abort", wake, { once: true });
    const running = drive(
      (url, body, headers) => {
        if (new URL(url).pathname !== USERS_PATH) return;
        const users = JSON.parse(new TextDecoder().decode(body)) as unknown[];
        pages.push(users.map((u) => normalizeUser(u).user));
        if (!hasNextLink(headers)) {
          listed = stoppedHere = true;
          stop.abort();
        }
        wake();
      },
      undefined,
      {
        // Back-pressure: no new request while a page waits for the loop.
        beforePoll: () => (pages.length > 0 && !stop.signal.aborted ? new Promise<void>((r) => (wakeDriver = r)) : undefined),
        stopped: () => stoppedHere,
      },
    )
      .catch((e: unknown) => {
        if (!listed) failure = e;
      })
      .finally(() => {
        finished = true;
        wake();
      });
    try {
      for (;;) {
        const page = pages.shift();
        if (page !== undefined) {
          wake();
          for (const user of page) {
            if (options.signal?.aborted) throw makeError("ABORTED", "the users listing was aborted", { cause: options.signal.reason });
            yield user;
          }
          continue;
        }
        if (finished) break;
        await new Promise<void>((r) => (wakeConsumer = r));
      }
      if (failure !== undefined) throw failure;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      if (!stop.signal.aborted) {
        stoppedHere = true;
        stop.abort();
      }
      wake();
      await running;
      session.free();
    }
  }

  /**
   * Finds the one user a loginHint names in the directory held (see {@link Directory.lookup}).
   *
   * @throws {LookupError} `USER_NOT_FOUND` or `AMBIGUOUS_LOGIN_HINT`; {@link StoreError} `STORE_EMPTY` before any sync or load
   */
  lookup(loginHint: string): LookupResult {
    return this.#held().lookup(loginHint);
  }

  /** The groups of a user in the directory held, by Okta user id. @throws {LookupError} `USER_NOT_FOUND` */
  groupsOf(userId: string): Group[] {
    return this.#held().groupsOf(userId);
  }

  /** The members of a group in the directory held, by Okta group id. @throws {LookupError} `GROUP_NOT_FOUND` */
  membersOf(groupId: string): DirectoryUser[] {
    return this.#held().membersOf(groupId);
  }

  /** Counts, origin and sync time of the directory held. @throws {StoreError} `STORE_EMPTY` before any sync or load */
  info(): DirectoryInfo {
    return this.#held().info();
  }

  /** Frees the directory held. */
  close(): void {
    this.#directory?.free();
    this.#directory = undefined;
  }

  /** `using okta = new OktaDirectory(…)` frees the directory at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  #held(): Directory {
    if (this.#directory === undefined) throw makeError("STORE_EMPTY", "no directory yet: call sync() or load() first");
    return this.#directory;
  }

  #replace(directory: Directory, watermarkMs: number | undefined): void {
    this.#directory?.free();
    this.#directory = directory;
    this.#watermarkMs = watermarkMs;
  }
}
