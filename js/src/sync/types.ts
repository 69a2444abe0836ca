/** Types of the sync API (the JSON the core produces; see src/sync/machine). */
import type { NormalizedUser } from "../../wasm/okta_directory.js";
import type { RetryOptions, RateLimitEvent, SyncLogger, WaitReason } from "./hooks.js";

export type { LogFields, LogLevel, RateLimitEvent, RateLimitInfo, RetryOptions, SyncLogger, WaitReason } from "./hooks.js";

/** An Okta group as kept by the sync. */
export interface SyncGroup {
  id: string;
  name: string;
  /** `OKTA_GROUP`, `APP_GROUP` or `BUILT_IN`. */
  type: string;
}

/** One (group, user) membership. */
export interface SyncMembership {
  groupId: string;
  userId: string;
}

/** Live counters. */
export interface SyncProgress {
  pages: number;
  users: number;
  groups: number;
  memberships: number;
  requests: number;
  retries: number;
  waitsMs: number;
  lastWaitReason: WaitReason | null;
  /** Server time (Unix ms) when the sync started, once known. */
  watermarkMs?: number;
  /** The server's `Date` minus the local clock (ms), present when beyond the clock tolerance (5 min by default). */
  clockSkewMs?: number;
}

/** A progress report: after each completed page, and before each timed wait (`waiting`). */
export interface SyncProgressEvent extends SyncProgress {
  waiting?: { ms: number; reason: WaitReason };
}

/** Totals of a completed sync. */
export interface SyncSummary {
  users: number;
  usersByStatus: Record<string, number>;
  groups: number;
  memberships: number;
  progress: SyncProgress;
  /** Server time (Unix ms, from Okta's `Date`) when the sync started: the next incremental run's `since`. */
  watermarkMs?: number;
  /** `full`, `groups` (group-scoped) or `incremental`. */
  mode: "full" | "groups" | "incremental";
}

/** One membership added or removed (System Log). */
export interface SyncMembershipChange {
  groupId: string;
  userId: string;
  added: boolean;
}

/** What an incremental sync found besides changed users and the groups. */
export interface SyncChanges {
  /** The lower bound queried (watermark − overlap), Unix ms. */
  fromMs: number;
  deletedUserIds: string[];
  /** In event order; the last change of a pair wins. */
  membershipChanges: SyncMembershipChange[];
  /** No `okta.logs.read`: the members of `rereadGroupIds` were re-read instead (their `memberships` are complete). */
  logsUnavailable: boolean;
  /** Without the log: the built-in Everyone group and the groups whose `lastMembershipUpdated` moved. */
  rereadGroupIds?: string[];
  /** Where the next incremental run polls the System Log from (pass it as `logCursor`). */
  logCursor?: string;
  /** System Log events skipped because an Event Hook receiver had applied them (`appliedEventUuids`). */
  eventsAlreadyApplied?: number;
}

/** The directory a completed sync produced (JSON-serializable). */
export interface SyncResult {
  /** Every user, DEPROVISIONED included, in listing order, each with its normalization report. */
  users: NormalizedUser[];
  groups: SyncGroup[];
  memberships: SyncMembership[];
  summary: SyncSummary;
  /** The Workforce group's id, when configured. */
  workforceGroupId?: string;
  /** An incremental run's deletions and membership changes (`users` then holds the changed users only). */
  changes?: SyncChanges;
}

/** The `fetch` the driver calls (the global one by default). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

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
  /** Retries of a failed request (5xx, network error, timeout): attempts and back-off bounds. Invalid values: `INVALID_OPTION`. */
  retry?: RetryOptions;
  /** Called before each rate-limit wait with the wait, its reason and the last `X-Rate-Limit-*` values. */
  onRateLimit?: (event: RateLimitEvent) => void;
  /** Receives structured debug/info/warn records (no tokens, keys, bodies, queries or profile values). */
  logger?: SyncLogger;
}
