/**
 * Shadow replay: past verification attempts re-decided under a draft policy from the comparison
 * vectors stored with them (per claim its outcome, agreement level and reason codes — never a claim
 * value), before the draft is saved.
 *
 * What a vector cannot replay (the attempt is counted as `cannotReplay`, with the reason): a claim the
 * attempt did not compare; a claim whose directory source changed; a tolerance added to a claim that
 * differed; a level recorded too coarsely for the draft's settings (a date, phone or email switched
 * between exact and fuzzy, any change to the address rule, a removed name tolerance while a later one
 * is still allowed); an attempt recorded before vectors were kept.
 */
import * as wasm from "../../wasm/okta_directory.js";
import type {
  ComparisonVector,
  Decision,
  EnrollmentHistory,
  MatchReport,
  PolicyDocument,
  Replay,
  Unreplayable,
} from "../../wasm/okta_directory.js";
import { guard } from "../errors.js";
import { ensureReady } from "../state.js";

/** The comparison vector of a decided report, under the policy (and Okta claims request) that decided it. */
export function comparisonVector(report: MatchReport, policy?: PolicyDocument | null, oktaClaims?: unknown): ComparisonVector {
  ensureReady();
  const text = guard(() =>
    wasm.comparisonVectorJson(
      policy == null ? undefined : JSON.stringify(policy),
      oktaClaims == null ? undefined : JSON.stringify(oktaClaims),
      JSON.stringify(report),
    ),
  );
  return JSON.parse(text) as ComparisonVector;
}

/**
 * One stored vector re-decided under a draft policy (`null`: the default policy).
 * @throws InvalidPolicyError when the draft is malformed (the message names the path)
 */
export function replayVector(vector: ComparisonVector, draft?: PolicyDocument | null): Replay {
  ensureReady();
  const text = guard(() => wasm.replayVectorJson(draft == null ? undefined : JSON.stringify(draft), JSON.stringify(vector)));
  return JSON.parse(text) as Replay;
}

/** One attempt of a shadow replay. */
export interface ReplayedAttempt {
  /** The Okta user id. */
  userId: string;
  /** When it was decided (ms since the epoch). */
  atMs: number;
  /** The recorded decision. */
  before: Decision;
  /** The decision under the draft, or `null` when it cannot be replayed. */
  after: Decision | null;
  /** `pass` (now a match, was not), `fail` (was a match, now is not), `unchanged`, or `cannot_replay`. */
  change: "pass" | "fail" | "unchanged" | "cannot_replay";
  /** Why it cannot be replayed (empty otherwise), by claim. */
  blockers: { claim: string | null; why: Unreplayable }[];
}

/** The counts of a shadow replay. */
export interface ShadowReplay {
  /** Attempts read. */
  attempts: number;
  /** Not a match when recorded, a match under the draft. */
  wouldNowPass: number;
  /** A match when recorded, not a match under the draft. */
  wouldNowFail: number;
  /** The same answer to "match or not" (a `review` ↔ `no_match` move counts here and in `reviewChanged`). */
  unchanged: number;
  /** Of `unchanged`: moved between `review` and `no_match`. */
  reviewChanged: number;
  /** Attempts the vectors cannot replay. */
  cannotReplay: number;
  /** Of `cannotReplay`: how many per reason (an attempt counts once per reason it has). */
  cannotReplayBy: Partial<Record<Unreplayable, number>>;
  /** Every attempt, newest first (at most `limit`). */
  items: ReplayedAttempt[];
}

/**
 * Re-decides every recorded attempt of a verification history under a draft policy.
 * @param options.limit - attempts listed in `items` (default 200; the counts cover all)
 */
export function shadowReplay(
  history: EnrollmentHistory | null | undefined,
  draft: PolicyDocument | null,
  options: { limit?: number } = {},
): ShadowReplay {
  const out: ShadowReplay = {
    attempts: 0,
    wouldNowPass: 0,
    wouldNowFail: 0,
    unchanged: 0,
    reviewChanged: 0,
    cannotReplay: 0,
    cannotReplayBy: {},
    items: [],
  };
  const all: ReplayedAttempt[] = [];
  for (const [userId, records] of Object.entries(history?.users ?? {})) {
    for (const r of records) {
      out.attempts += 1;
      let after: Decision | null = null;
      let blockers: ReplayedAttempt["blockers"] = [{ claim: null, why: "no_vector" }];
      if (r.vector !== undefined) {
        const replayed = replayVector(r.vector, draft);
        after = replayed.decision ?? null;
        blockers = replayed.blockers.map((b) => ({ claim: b.claim ?? null, why: b.why }));
      }
      let change: ReplayedAttempt["change"];
      if (after === null) {
        change = "cannot_replay";
        out.cannotReplay += 1;
        for (const why of new Set(blockers.map((b) => b.why))) out.cannotReplayBy[why] = (out.cannotReplayBy[why] ?? 0) + 1;
      } else if (after === "match" && r.decision !== "match") {
        change = "pass";
        out.wouldNowPass += 1;
      } else if (after !== "match" && r.decision === "match") {
        change = "fail";
        out.wouldNowFail += 1;
      } else {
        change = "unchanged";
        out.unchanged += 1;
        if (after !== r.decision) out.reviewChanged += 1;
      }
      all.push({ userId, atMs: r.atMs, before: r.decision, after, change, blockers });
    }
  }
  all.sort((a, b) => b.atMs - a.atMs);
  out.items = all.slice(0, Math.max(0, options.limit ?? 200));
  return out;
}
