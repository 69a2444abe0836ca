/**
 * The CLI's incremental-sync policy and its state file (Node only): `FILE.state.json` next to a sync's
 * output records what the next run needs to decide between an incremental run and a full one (the org,
 * the watermark, the run count, the System Log cursor, the scope, and the SHA-256 of the output it wrote).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

/** The files next to a sync's output `out`. */
export interface SyncPaths {
  /** The output (a snapshot, or sync JSON for a `.json` name). */
  readonly out: string;
  /** {@link SyncState} as JSON. */
  readonly state: string;
  /** The last checkpoint of an unfinished run. */
  readonly checkpoint: string;
  /** The page journal of an unfinished journaled run. */
  readonly journal: string;
  /** The lock held for the life of a run. */
  readonly lock: string;
}

/** The files of a sync to `out`. */
export function syncPaths(out: string): SyncPaths {
  return { out, state: `${out}.state.json`, checkpoint: `${out}.checkpoint.json`, journal: `${out}.journal`, lock: `${out}.lock` };
}

/** How the last sync ran. */
export type SyncRunMode = "full" | "groups" | "incremental";

/** What the last completed sync to an output left for the next one (version 1 of the file). */
export interface SyncState {
  readonly version: 1;
  /** The org's origin. */
  readonly origin: string;
  readonly mode: SyncRunMode;
  /** The next incremental run's `since` (server time, Unix ms). */
  readonly watermarkMs?: number;
  /** The watermark of the last full (or group-scoped) run. */
  readonly lastFullWatermarkMs?: number;
  /** Incremental runs since the last full one. */
  readonly incrementalRuns: number;
  /** Where the System Log is polled from next. */
  readonly logCursor?: string;
  /** The groups of a group-scoped run. */
  readonly groups?: readonly string[];
  /** The Workforce group recorded in the snapshot. */
  readonly workforceGroupId?: string;
  /** SHA-256 (hex) of the output file as written. */
  readonly outputSha256: string;
}

/** A previous state as read: any field may be missing (an older or hand-edited file). */
export type StoredSyncState = Partial<SyncState>;

/** The previous run's state (absent, unreadable or of another version → empty: the next run is full). */
export function readSyncState(path: string): StoredSyncState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== "object" || (parsed as { version?: unknown }).version !== 1) return {};
  const s = parsed as Record<string, unknown>;
  const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  const out: { -readonly [K in keyof SyncState]?: SyncState[K] } = { version: 1 };
  const origin = str(s["origin"]);
  if (origin !== undefined) out.origin = origin;
  if (s["mode"] === "full" || s["mode"] === "groups" || s["mode"] === "incremental") out.mode = s["mode"];
  const watermarkMs = num(s["watermarkMs"]);
  if (watermarkMs !== undefined) out.watermarkMs = watermarkMs;
  const lastFull = num(s["lastFullWatermarkMs"]);
  if (lastFull !== undefined) out.lastFullWatermarkMs = lastFull;
  const runs = num(s["incrementalRuns"]);
  if (runs !== undefined) out.incrementalRuns = runs;
  const logCursor = str(s["logCursor"]);
  if (logCursor !== undefined) out.logCursor = logCursor;
  // Any recorded scope marks a group-scoped run, even one this version cannot read.
  const groups = s["groups"];
  if (groups !== undefined) out.groups = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [];
  const workforce = str(s["workforceGroupId"]);
  if (workforce !== undefined) out.workforceGroupId = workforce;
  const sha = str(s["outputSha256"]);
  if (sha !== undefined) out.outputSha256 = sha;
  return out;
}

/** When an incremental run gives way to a full one. */
export interface IncrementalPolicy {
  /** The org's origin of this run. */
  readonly origin: string;
  /** A full reconcile after this many incremental runs. */
  readonly reconcileEvery: number;
  /** A full reconcile when the last full run is older than this (hours). */
  readonly reconcileMaxAgeHours: number;
  /** This run's Workforce group. */
  readonly workforceGroupId?: string | undefined;
}

/** An incremental run's base (the previous snapshot's bytes), or why the run is full. */
export type IncrementalBase =
  | { readonly snapshot: Uint8Array; readonly reason?: undefined }
  | { readonly snapshot?: undefined; readonly reason: string };

/** How far ahead of this machine's clock a stored watermark may be (a skewed clock) before it is not trusted. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** The oldest watermark an incremental run starts from (Okta's System Log keeps 90 days; changes, less). */
const MAX_WATERMARK_AGE_MS = 30 * 86_400_000;

/** SHA-256 (hex) of bytes or text. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Whether an incremental run can build on the previous snapshot at `out`: `{snapshot}` when it can,
 * `{reason}` (for the operator) when the run must be full.
 */
export function incrementalBase(out: string, state: StoredSyncState, policy: IncrementalPolicy, nowMs = Date.now()): IncrementalBase {
  if (!existsSync(out) || state.watermarkMs === undefined) return { reason: "no previous sync state next to --out" };
  const snapshot = readFileSync(out);
  if (state.origin !== policy.origin) return { reason: "the previous sync was of another org" };
  if (state.watermarkMs > nowMs + FUTURE_TOLERANCE_MS)
    return { reason: "the stored watermark is in the future (a skewed clock); a full sync replaces it" };
  if (sha256Hex(snapshot) !== state.outputSha256) return { reason: "the snapshot changed since the last sync" };
  if (state.groups !== undefined) return { reason: "the previous sync was group-scoped" };
  if ((state.workforceGroupId ?? null) !== (policy.workforceGroupId ?? null)) return { reason: "the Workforce group changed" };
  if ((state.incrementalRuns ?? 0) >= policy.reconcileEvery)
    return { reason: `periodic full reconcile after ${state.incrementalRuns} incremental runs` };
  if (nowMs - state.watermarkMs > MAX_WATERMARK_AGE_MS) return { reason: "the last sync is older than 30 days" };
  if (nowMs - (state.lastFullWatermarkMs ?? 0) > policy.reconcileMaxAgeHours * 3_600_000)
    return { reason: `periodic full reconcile: the last full sync is older than ${policy.reconcileMaxAgeHours} h` };
  return { snapshot: new Uint8Array(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength) };
}

/** What a completed run contributes to the next state. */
export interface CompletedRun {
  readonly origin: string;
  readonly mode: SyncRunMode;
  /** This run's watermark (absent when no response carried a `Date`). */
  readonly watermarkMs: number | undefined;
  /** The System Log cursor an incremental run returned. */
  readonly logCursor?: string | undefined;
  readonly groups?: readonly string[] | undefined;
  readonly workforceGroupId?: string | undefined;
  /** The output as written. */
  readonly output: string | Uint8Array;
}

/** The state after `run`, given the one before it: an incremental run keeps the last full watermark and counts itself. */
export function nextSyncState(previous: StoredSyncState, run: CompletedRun): SyncState {
  const incremental = run.mode === "incremental";
  const watermarkMs = incremental && run.watermarkMs === undefined ? previous.watermarkMs : run.watermarkMs;
  const lastFullWatermarkMs = incremental ? previous.lastFullWatermarkMs : run.watermarkMs;
  return {
    version: 1,
    origin: run.origin,
    mode: run.mode,
    ...(watermarkMs === undefined ? {} : { watermarkMs }),
    ...(lastFullWatermarkMs === undefined ? {} : { lastFullWatermarkMs }),
    incrementalRuns: incremental ? (previous.incrementalRuns ?? 0) + 1 : 0,
    ...(run.logCursor === undefined ? {} : { logCursor: run.logCursor }),
    ...(run.groups === undefined ? {} : { groups: run.groups }),
    ...(run.workforceGroupId === undefined ? {} : { workforceGroupId: run.workforceGroupId }),
    outputSha256: sha256Hex(run.output),
  };
}

/** The state file's text. */
export function syncStateText(state: SyncState): string {
  return `${JSON.stringify(state)}\n`;
}
