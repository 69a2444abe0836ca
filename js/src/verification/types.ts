/**
 * The interfaces a {@link VerificationService} is built from. Each is small so that every runtime
 * plugs in its own storage: memory in tests and the demo, files in the dashboard, Workers KV and a
 * Durable Object at the edge.
 */
import type { ComparisonVector, EnrollmentHistory, LookupResult, MatchReport, PolicyDocument } from "../../wasm/okta_directory.js";

/** Finds the one directory user a login hint names (a `Directory`, or a `KvDirectoryStore`). */
export interface DirectoryLookup {
  /** The user `loginHint` names. @throws LookupError `USER_NOT_FOUND` / `AMBIGUOUS_LOGIN_HINT` */
  lookup(loginHint: string): LookupResult | Promise<LookupResult>;
  /**
   * The directory's name and birthdate frequency table (`Directory.frequencyTable()`,
   * `KvDirectoryStore.frequencyTable()`): agreement on a rare value weighs more. Optional: without
   * it the matcher uses its built-in priors.
   */
  frequencyTable?(): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** One policy the operator configured, under its id. */
export interface RegisteredPolicy {
  /** The id recorded with every decision taken under this policy. */
  id: string;
  /** The policy document; `null` is the documented default policy. */
  policy: PolicyDocument | null;
  /**
   * An Okta claims request (the PAR `claims` parameter the operator's Okta org sends) merged over
   * the policy: it can only tighten it (which claims are required, exact comparison), and the values
   * in it are never compared — the directory's are.
   */
  oktaClaims?: unknown;
}

/** The operator's policies by id: built from the operator's configuration, never from a caller. */
export interface PolicyRegistry {
  /** The policy registered under `id`, or `undefined` when there is none. */
  get(id: string): RegisteredPolicy | undefined | Promise<RegisteredPolicy | undefined>;
  /** The id used when a request names none. */
  readonly defaultId: string;
}

/** One decided verification, as the service hands it to a recorder. */
export interface VerificationEntry {
  /** The resolved Okta user id. */
  userId: string;
  /** The decision with its per-claim evidence. */
  report: MatchReport;
  /** The id of the policy it was decided under. */
  policyId: string;
  /** When it was decided, in milliseconds since the epoch. */
  atMs: number;
  /** Its comparison vector (levels and reason codes, never values), kept for shadow replay. */
  vector?: ComparisonVector;
}

/** Keeps the verification history (and so the enrollment): the service is its only writer. */
export interface VerificationRecorder {
  /** Appends one decided verification and returns that user's history afterwards. */
  record(entry: VerificationEntry): Promise<EnrollmentHistory> | EnrollmentHistory;
  /** The user's history so far (`null` when there is none), read-only. */
  history(userId: string): Promise<EnrollmentHistory | null> | EnrollmentHistory | null;
}

/** The answer of an {@link AttemptLimiter}. */
export interface AttemptVerdict {
  /** Whether this attempt is allowed (it was counted either way). */
  allowed: boolean;
  /** Attempts left in the current window after this one. */
  remaining: number;
  /** When refused: seconds until an attempt is allowed again (at least 1); 0 when allowed. */
  retryAfterSec: number;
}

/**
 * Limits verification attempts per key — the RESOLVED Okta user id, so every spelling of a login
 * hint shares one budget. `take` must check and count as ONE atomic step: concurrent calls for one
 * key never allow more than the limit in total (a get-then-put over an eventually consistent store
 * does not qualify; a Durable Object or a single-threaded in-memory map does).
 */
export interface AttemptLimiter {
  /** Atomically counts one attempt for `key` and says whether it is allowed. */
  take(key: string): AttemptVerdict | Promise<AttemptVerdict>;
}
