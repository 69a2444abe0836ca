/**
 * `syncDirectory`: a full sync of an Okta org's users (DEPROVISIONED included), groups and memberships.
 * Server-side only (Node and Workers entries): Okta refuses client-credentials token requests that carry a
 * browser `Origin`, and a private key must not live in a browser.
 */
import { applySyncResult as coreApplySyncResult, SyncSession, type AppliedSync } from "../../wasm/okta_directory.js";
import { guard, makeError, OktaDirectoryError } from "../errors.js";
import { ensureReady } from "../state.js";
import { entropy, generateDpopKey, importClientKey, type SigningKey } from "./crypto.js";
import { drive } from "./driver.js";
import { defaultTransport, fetchTransport } from "./transport.js";
import type { FetchLike, SyncProgress, SyncProgressEvent, SyncResult, SyncSummary } from "./types.js";

export type * from "./types.js";
export type { AppliedSync } from "../../wasm/okta_directory.js";

/** Options of {@link syncDirectory}. Give either `apiToken`, or `clientId` with `privateKey`. */
export interface SyncDirectoryOptions {
  /** The org URL, e.g. `https://acme.okta.com` (https; loopback http only with `allowInsecureLoopback`). */
  orgUrl: string;
  /** API Services app client id (`0oa…`), with `privateKey`. */
  clientId?: string;
  /** The app's private key: PKCS#8 PEM text or a JWK (RSA → RS256, EC P-256 → ES256). */
  privateKey?: string | JsonWebKey;
  /** The registered key's `kid`. */
  keyId?: string;
  /** A legacy API token (`SSWS`), instead of the app credentials. */
  apiToken?: string;
  /** Scopes to request; default `okta.users.read okta.groups.read`. */
  scopes?: string[];
  /** DPoP: `auto` (default: proof sent, DPoP used when Okta binds the token), `required`, or `off`. */
  dpop?: "auto" | "required" | "off";
  /**
   * The `fetch` to use. Default: in Node, Node's own HTTP client (`node:http`/`node:https`, keep-alive; about
   * half the CPU of the global `fetch` per page); elsewhere `globalThis.fetch`. Redirects are never followed.
   */
  fetch?: FetchLike;
  /** Aborts the sync (error `ABORTED`); the last checkpoint allows resuming. */
  signal?: AbortSignal;
  /** Called after each completed page and before each timed wait. */
  onProgress?: (event: SyncProgressEvent) => void;
  /** Receives the checkpoint (JSON text) at most every `checkpointIntervalMs`, and when the sync fails after a page. */
  onCheckpoint?: (checkpoint: string) => void | Promise<void>;
  /** Shortest time between checkpoints, default 1000 ms (stretched so that checkpointing takes ≤ ~10 % of the time). */
  checkpointIntervalMs?: number;
  /** A checkpoint from `onCheckpoint` to resume from (same org). */
  checkpoint?: string;
  /** Allow `http://127.0.0.1`/`localhost` org URLs (a local emulator). Never in production. */
  allowInsecureLoopback?: boolean;
  /** Allow an org's custom domain instead of `*.okta.com`. */
  allowCustomDomain?: boolean;
  /** Page size, 1–200 (default 200). */
  pageLimit?: number;
  /** Requests in flight at once (default 3). */
  maxInFlight?: number;
  /** Per-request timeout in ms (default 60000); a timeout counts as a network error and is retried. */
  requestTimeoutMs?: number;
  /**
   * Group-scoped sync: only these groups (ids `00g…`) and their members, read from
   * `/api/v1/groups/{id}/users`. An unknown id fails with `GROUP_NOT_FOUND`.
   */
  groups?: string[];
  /** The Workforce group's id: recorded in the result (`workforceGroupId`; synced in a group-scoped run); must exist. */
  workforceGroupId?: string;
  /**
   * Incremental sync since a previous sync's watermark (its `summary.watermarkMs`): users changed since
   * (DEPROVISIONED included), every group, and deletions and membership changes from the System Log
   * (`okta.logs.read` is added to the default scopes). The result is a delta (`mode: "incremental"`,
   * `changes`): apply it to the previous snapshot with {@link applySyncResult}. Without the logs scope the
   * members of Everyone and of the groups whose membership changed are re-read instead
   * (`changes.logsUnavailable`). Ignored with `groups`.
   */
  since?: number;
  /** How far before `since` to start reading, ms (default 300000: clock skew and in-flight writes). */
  overlapMs?: number;
  /**
   * With `since`: the previous incremental run's System Log polling cursor (`changes.logCursor`). The log is
   * then polled from there, so events Okta persisted late are read once; without it, from `since − overlapMs`.
   */
  logCursor?: string;
  /** With `since`: System Log event uuids an Event Hook receiver already applied; the poll skips them. */
  appliedEventUuids?: string[];
  /**
   * Largest server/local clock difference not reported (`clockSkewMs`), and how far in the future `since` may
   * lie before the run is `WATERMARK_IN_FUTURE`, ms (default 300000).
   */
  clockToleranceMs?: number;
  /**
   * Longest single wait, ms (default 300000): pacing spreads a bucket's budget over at most this long, and a
   * rate-limit reset or `Retry-After` further ahead fails the sync with `RATE_LIMIT_WAIT_TOO_LONG` (naming
   * the bucket and the server's reset time) instead of waiting. At least 1000.
   */
  maxWaitMs?: number;
}

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
      if (replayed < pages) throw makeError("INVALID_CHECKPOINT", `invalid checkpoint: the journal holds ${replayed} of its ${pages} pages`);
    }
    let progress: SyncProgress | undefined;
    await run((url, body) => options.journal.append({ url, body }), (p) => (progress = p));
    const snapshot = guard(() => session.snapshot());
    const summary = JSON.parse(guard(() => session.summaryJson())) as SyncSummary;
    return { snapshot, progress: progress ?? (JSON.parse(session.progressJson()) as SyncProgress), summary };
  } finally {
    session.free();
  }
}

/** An org URL typed without a scheme (`acme.okta.com`) gets a typed error saying what to add. */
function checkScheme(orgUrl: unknown): void {
  if (typeof orgUrl !== "string") return;
  const text = orgUrl.trim();
  if (text !== "" && !text.includes("://")) {
    throw makeError("INVALID_ORG_URL", "invalid org URL: it has no scheme: add https:// in front (e.g. https://acme.okta.com)", { option: "orgUrl" });
  }
}

/** The core's wording of an option, and the SDK option it means (the core serves the SDK and the CLI). */
const CORE_OPTION_WORDING: Array<[string, string, string]> = [
  ["the insecure-loopback option", "allowInsecureLoopback: true (a local emulator only)", "allowInsecureLoopback"],
  ["custom domains must be allowed explicitly", "custom domains must be allowed explicitly (allowCustomDomain: true)", "allowCustomDomain"],
];

/** Runs `fn` (the session's creation) and rewords an error naming an option with the SDK's option name (in `option` too). */
function withSdkOptionNames<T>(fn: () => T): T {
  try {
    return guard(fn);
  } catch (e) {
    if (!(e instanceof OktaDirectoryError)) throw e;
    for (const [core, sdk, option] of CORE_OPTION_WORDING) {
      if (e.message.includes(core)) throw makeError(e.code, e.message.replace(core, sdk), { cause: e, option });
    }
    throw e;
  }
}

/** A fresh random run id (32 hex digits): a resume keeps its checkpoint's instead. */
function runId(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

type Drive = (onJournalPage: ((url: string, body: Uint8Array) => void) | undefined, onLast?: (p: SyncProgress) => void) => Promise<void>;

/** Validates the options, creates the wasm session and returns it with a function that drives it to completion. */
async function openSession(options: SyncDirectoryOptions, journal: boolean): Promise<{ session: SyncSession; drive: Drive }> {
  ensureReady();
  const usesKey = options.clientId !== undefined || options.privateKey !== undefined;
  if (usesKey === (options.apiToken !== undefined)) {
    throw makeError("INVALID_CREDENTIALS", "unusable credentials: give either apiToken, or clientId with privateKey");
  }
  if (usesKey && (options.clientId === undefined || options.privateKey === undefined)) {
    throw makeError("INVALID_CREDENTIALS", "unusable credentials: clientId and privateKey go together");
  }
  const dpop = options.dpop ?? "auto";
  let clientKey: SigningKey | undefined;
  let dpopKey: SigningKey | undefined;
  let dpopJwk: { kty: string; crv: string; x: string; y: string } | undefined;
  if (options.privateKey !== undefined) {
    clientKey = await importClientKey(options.privateKey);
    if (dpop !== "off") ({ key: dpopKey, publicJwk: dpopJwk } = await generateDpopKey());
  }
  checkScheme(options.orgUrl);
  const session = withSdkOptionNames(
    () =>
      new SyncSession(
        {
          orgUrl: options.orgUrl,
          ...(options.allowInsecureLoopback === undefined ? {} : { allowInsecureLoopback: options.allowInsecureLoopback }),
          ...(options.allowCustomDomain === undefined ? {} : { allowCustomDomain: options.allowCustomDomain }),
          ...(options.apiToken === undefined ? {} : { apiToken: options.apiToken }),
          ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
          ...(options.keyId === undefined ? {} : { keyId: options.keyId }),
          ...(clientKey === undefined ? {} : { keyAlg: clientKey.alg }),
          ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
          dpop,
          ...(dpopJwk === undefined ? {} : { dpopJwk }),
          ...(options.pageLimit === undefined ? {} : { pageLimit: options.pageLimit }),
          ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
          ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
          ...(options.groups === undefined ? {} : { groups: options.groups }),
          ...(options.workforceGroupId === undefined ? {} : { workforceGroupId: options.workforceGroupId }),
          ...(options.since === undefined ? {} : { sinceMs: options.since }),
          ...(options.overlapMs === undefined ? {} : { overlapMs: options.overlapMs }),
          ...(options.logCursor === undefined ? {} : { logCursor: options.logCursor }),
          ...(options.appliedEventUuids === undefined ? {} : { appliedEventUuids: options.appliedEventUuids }),
          ...(options.clockToleranceMs === undefined ? {} : { clockToleranceMs: options.clockToleranceMs }),
          ...(journal ? { journal, syncedAtMs: Date.now() } : {}),
          ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
          runId: runId(),
        },
        entropy(),
      ),
  );
  const run: Drive = async (onJournalPage, onLast) => {
    const transport = options.fetch !== undefined ? fetchTransport(options.fetch) : defaultTransport();
    try {
      await drive(session, {
        origin: new URL(session.origin()).origin,
        transport,
        clientKey,
        dpopKey,
        signal: options.signal,
        onProgress:
          onLast === undefined
            ? options.onProgress
            : (p) => {
                onLast(p);
                options.onProgress?.(p);
              },
        onCheckpoint: options.onCheckpoint,
        checkpointIntervalMs: options.checkpointIntervalMs ?? 1000,
        requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
        onJournalPage,
      });
    } finally {
      transport.close();
    }
  };
  return { session, drive: run };
}
