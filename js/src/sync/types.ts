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
}

/** The directory a completed sync produced (JSON-serializable). */
export interface SyncResult {
  /** Every user, DEPROVISIONED included, in listing order, each with its normalization report. */
  users: NormalizedUser[];
  groups: SyncGroup[];
  memberships: SyncMembership[];
  summary: SyncSummary;
}

/** The `fetch` the driver calls (the global one by default). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
