/** Types of the sync API (the JSON the core produces; see src/sync/machine). */
import type { NormalizedUser } from "../../wasm/okta_directory.js";

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

/** Why the sync is waiting: pacing or a 429 on a bucket, or a backoff. */
export type WaitReason =
  | { kind: "pacing" | "rateLimited"; bucket: string }
  | { kind: "concurrencyLimited" | "serverError" | "networkError" | "awaitingResponses" };

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
