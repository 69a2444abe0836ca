/**
 * Enrollment status: `enrolled` once a verification decided `match`; `needs_attributes` while the
 * directory lacks what the policy requires; `inactive` when Okta says so. The history is plain JSON
 * that the caller stores (file, KV, IndexedDB), apart from the directory, so re-syncs keep it.
 */
import * as wasm from "../wasm/okta_directory.js";
import type {
  ComparisonVector,
  DirectoryUser,
  EnrollmentHistory,
  EnrollmentStatus,
  MatchReport,
  PolicyDocument,
} from "../wasm/okta_directory.js";
import { guard } from "./errors.js";
import { ensureReady } from "./state.js";

/**
 * Returns `history` with the outcome of a verification of `userId` added (the input is not changed).
 * Internal: only the verification service records (through `HistoryRecorder`), so this is not exported.
 */
export function recordVerification(
  history: EnrollmentHistory | null | undefined,
  userId: string,
  report: MatchReport,
  options: { atMs: number; policyId?: string; vector?: ComparisonVector },
): EnrollmentHistory {
  ensureReady();
  const text = guard(() =>
    wasm.recordVerificationJson(
      history == null ? undefined : JSON.stringify(history),
      userId,
      options.atMs,
      JSON.stringify(report),
      options.policyId ?? "default",
    ),
  );
  const next = JSON.parse(text) as EnrollmentHistory;
  // The comparison vector (levels and reason codes, never values) goes with the record, for shadow replay.
  const last = next.users[userId]?.at(-1);
  if (last !== undefined && options.vector !== undefined) last.vector = options.vector;
  return next;
}

/** The enrollment status of a directory user under a policy (the default policy when absent). */
export function enrollmentStatus(
  user: DirectoryUser,
  history?: EnrollmentHistory | null,
  policy?: PolicyDocument | null,
): EnrollmentStatus {
  ensureReady();
  const text = guard(() =>
    wasm.enrollmentStatusJson(
      JSON.stringify(user),
      history == null ? undefined : JSON.stringify(history),
      policy == null ? undefined : JSON.stringify(policy),
    ),
  );
  return JSON.parse(text) as EnrollmentStatus;
}
