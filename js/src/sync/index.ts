/**
 * `syncDirectory`: a full sync of an Okta org's users (DEPROVISIONED included), groups and memberships.
 * Server-side only (Node and Workers entries): Okta refuses client-credentials token requests that carry a
 * browser `Origin`, and a private key must not live in a browser.
 */
import { applySyncResult as coreApplySyncResult, type AppliedSync } from "../../wasm/okta_directory.js";
import { guard, makeError } from "../errors.js";
import { ensureReady } from "../state.js";
import { openSession } from "./session.js";
import type { SyncDirectoryOptions, SyncGroup, SyncProgress, SyncResult, SyncSummary } from "./types.js";

export type * from "./types.js";
export { ShardRange, frequencyTableOfCounts, mergeFrequencyCounts, type RoutedUsersPage, routeUsersPage } from "./shard-range.js";
export type { AppliedSync } from "../../wasm/okta_directory.js";

/**
 * Applies a sync result to a snapshot: an incremental result as a delta (see `since`), a full one as the
 * new state of its groups. Returns the new snapshot (same configuration and origin) with counts.
 *
 * @throws SnapshotError for a corrupt snapshot; ConversionError for a result that is not a sync result.
 */
export function applySyncResult(snapshot: Uint8Array, result: string | SyncResult, options: { syncedAtMs?: number } = {}): AppliedSync {
  ensureReady();
  const json = typeof result === "string" ? result : JSON.stringify(result);
  return guard(() => coreApplySyncResult(snapshot, json, options.syncedAtMs ?? Date.now()));
}

/**
 * Syncs the whole directory and returns it.
 *
 * @throws ConfigurationError for an unusable org URL or credentials; AuthenticationError when the token
 *   endpoint refuses the client; AuthorizationError naming a scope the app lacks; SyncError, RateLimitError,
 *   OktaApiError when the sync cannot complete; AbortError when `signal` aborts.
 */
export async function syncDirectory(options: SyncDirectoryOptions): Promise<SyncResult> {
  return JSON.parse(await syncDirectoryJson(options)) as SyncResult;
}

/**
 * As {@link syncDirectory}, but returns the result as JSON text (a {@link SyncResult}) without parsing it:
 * for writing a large directory to a file or a store without holding it twice. The final `onProgress`
 * event carries the totals.
 */
export async function syncDirectoryJson(options: SyncDirectoryOptions): Promise<string> {
  const { session, drive: run } = await openSession(options, false);
  try {
    await run(undefined);
    return guard(() => session.resultJson());
  } finally {
    session.free();
  }
}

/** One completed users or members page, as journaled: the request URL and the body to replay. */
export interface SyncJournalPage {
  url: string;
  /** The page's body as it replays (UTF-8 JSON): a users page's response body verbatim, a members page's ids only. */
  body: Uint8Array;
}

/**
 * Where {@link syncDirectorySnapshot} keeps completed pages (e.g. an append-only file next to the output).
 *
 * What an implementation must keep (docs/sync-guarantees.md):
 * - one journal per run: a run's pages never interleave with another's (lock it for the life of the run);
 * - `append` stores the page, in order, before it returns (or throws: the sync then stops without a new
 *   checkpoint, and the last checkpoint stays valid);
 * - a new run must not destroy a journal that a stored checkpoint still refers to: delete that checkpoint first;
 * - `replay(n)` yields exactly the first `n` pages appended by the run that wrote the checkpoint, byte for byte.
 * The SDK checks the last point: every checkpoint carries a hash chain over the pages it covers, and a replay
 * that does not reproduce it (another run's pages, fewer, reordered or altered ones) fails with
 * `INVALID_CHECKPOINT` before any request, and no checkpoint is taken from it — never a mixed directory.
 */
export interface SyncJournal {
  /** Called once per completed users or members page, synchronously, in completion order; store it before returning. */
  append(page: SyncJournalPage): void;
  /**
   * When resuming from a checkpoint: the first `pages` pages appended by the interrupted run, in order. Pages
   * after those were appended after the checkpoint and will be fetched again: drop them from the journal.
   * May be async (pages read from a remote store one batch at a time, e.g. R2 in a Worker).
   */
  replay?(pages: number): Iterable<SyncJournalPage> | AsyncIterable<SyncJournalPage>;
}

/** What {@link syncDirectorySnapshot} returns. */
export interface SyncSnapshotResult {
  /** The directory as snapshot bytes (read with `Directory.fromSnapshot`). */
  snapshot: Uint8Array;
  /** Final counters. */
  progress: SyncProgress;
  /** Totals (`users`, `groups`, `memberships` are the snapshot's), `mode` and `watermarkMs` (the next incremental run's `since`). */
  summary: SyncSummary;
}

/**
 * As {@link syncDirectory}, for large directories: users and memberships go to a page journal as pages
 * complete (checkpoints hold only cursors, so they stay small), and the result is a directory snapshot built
 * without ever holding the directory as JSON. Resume with `checkpoint` and a journal whose `replay` returns
 * the pages the checkpoint covers. The snapshot's sync time is when this run started (each record is at least
 * that fresh). Full and group-scoped syncs (`groups`; `workforceGroupId` is recorded in the snapshot); an
 * incremental one (`since`) returns a small delta: run it with {@link syncDirectoryJson} and apply it with
 * {@link applySyncResult} (passing `since` here throws a ConversionError).
 */
export async function syncDirectorySnapshot(
  options: Omit<SyncDirectoryOptions, "since" | "overlapMs" | "logCursor" | "appliedEventUuids"> & { journal: SyncJournal },
): Promise<SyncSnapshotResult> {
  const { session, drive: run } = await openSession(options, true);
  try {
    const pages = session.journalPagesToReplay();
    if (pages > 0) {
      if (options.journal.replay === undefined) throw makeError("INVALID_CHECKPOINT", "invalid checkpoint: it needs its journal to resume");
      let replayed = 0;
      for await (const page of options.journal.replay(pages)) {
        if (replayed === pages) break;
        guard(() => session.replayJournalPage(page.url, page.body));
        replayed++;
      }
      if (replayed < pages)
        throw makeError("INVALID_CHECKPOINT", `invalid checkpoint: the journal holds ${replayed} of its ${pages} pages`);
    }
    let progress: SyncProgress | undefined;
    await run(
      (url, body) => options.journal.append({ url, body }),
      (p) => (progress = p),
    );
    const snapshot = guard(() => session.snapshot());
    const summary = JSON.parse(guard(() => session.summaryJson())) as SyncSummary;
    return { snapshot, progress: progress ?? (JSON.parse(session.progressJson()) as SyncProgress), summary };
  } finally {
    session.free();
  }
}

/** What {@link syncDirectoryJournal} returns once the sync is done. */
export interface SyncJournalResult {
  /** Final counters (users and memberships as listed: a user listed twice counts twice). */
  progress: SyncProgress;
  /** Totals as listed, `mode` and `watermarkMs` (the next incremental run's `since`); no users by status. */
  summary: SyncSummary;
  /** The groups listed, in order (the Workforce group among them, when configured). */
  groups: SyncGroup[];
}

/**
 * A full sync that only writes its page journal: nothing of the users is kept or built, so its memory does
 * not grow with the directory, and a run resumed from a checkpoint continues without replaying the journal
 * (the journal must hold the pages that checkpoint covers). The caller builds from the journal itself, e.g.
 * the Worker template's ranged publish (`ShardRange`: KV shards a range at a time). Stopped through
 * `signal`, it throws; its last `onCheckpoint` covers every page appended before it.
 */
export async function syncDirectoryJournal(
  options: Omit<SyncDirectoryOptions, "since" | "overlapMs" | "logCursor" | "appliedEventUuids"> & {
    journal: Pick<SyncJournal, "append">;
  },
): Promise<SyncJournalResult> {
  const { session, drive: run } = await openSession(options, "only");
  try {
    let progress: SyncProgress | undefined;
    await run(
      (url, body) => options.journal.append({ url, body }),
      (p) => (progress = p),
    );
    const done = JSON.parse(guard(() => session.journalResultJson())) as { summary: SyncSummary; groups: SyncGroup[] };
    return { progress: progress ?? (JSON.parse(session.progressJson()) as SyncProgress), ...done };
  } finally {
    session.free();
  }
}
