/**
 * The verification decision shared by every runtime (the portal page's pre-check, the Node demo
 * server, the Worker): one verified `verified_claims` element against one directory user, under one
 * matcher. A refusal is `missing_attributes` only when no claim differs and some directory attribute
 * is empty; any difference makes it `mismatch`. The answer carries per-claim outcomes and reason codes only — never a directory value or
 * a claim value — so it can go back to the person being verified.
 */
import type {
  ClaimKind,
  DirectoryUser,
  MatchReport,
  Outcome,
  Reason,
  VerifiedClaimsElement,
  VerifiedClaimsInput,
} from "../../wasm/okta_directory.js";
import type { ClaimsMatcher } from "../claims.js";

/** What the portal shows: one state per situation. */
export type VerificationState = "success" | "review" | "mismatch" | "missing_attributes" | "deactivated" | "vendor_failed";

/** One claim's outcome without values. */
export interface ClaimOutcome {
  outcome: Outcome;
  reasons: Reason[];
  /** Address parts, when the claim is the address. */
  parts?: Record<string, { outcome: Outcome; reasons: Reason[] }>;
}

/** The decision for one verification. */
export interface VerificationDecision {
  /** `match` authorizes (e.g. a password reset); `review` needs a person; `no_match` refuses. */
  decision: "match" | "review" | "no_match";
  state: VerificationState;
  /** Every compared claim, by OIDC name (empty when nothing was compared). */
  claims: Partial<Record<ClaimKind, ClaimOutcome>>;
  /** Claims the ID shows but whose directory attribute is empty (the person must ask HR or IT to fill them). */
  missingAttributes: ClaimKind[];
}

/** Statuses that must never be verified into an account recovery. */
export const DEACTIVATED_STATUSES: readonly string[] = ["DEPROVISIONED", "SUSPENDED"];

function strip(report: MatchReport): Partial<Record<ClaimKind, ClaimOutcome>> {
  const out: Partial<Record<ClaimKind, ClaimOutcome>> = {};
  for (const [name, evidence] of Object.entries(report.claims) as [ClaimKind, MatchReport["claims"][ClaimKind]][]) {
    if (evidence === undefined) continue;
    const claim: ClaimOutcome = { outcome: evidence.outcome, reasons: [...evidence.reasons] };
    if ("parts" in evidence && evidence.parts !== undefined) {
      claim.parts = {};
      for (const [part, r] of Object.entries(evidence.parts))
        if (r !== undefined) claim.parts[part] = { outcome: r.outcome, reasons: [...r.reasons] };
    }
    out[name] = claim;
  }
  return out;
}

/**
 * Decides one verification: a deactivated user is refused before any comparison; a vendor that
 * reported `assurance_level: FAILED` is refused; otherwise the matcher decides, and a refusal caused
 * by empty directory attributes is told apart from a real mismatch.
 */
export function decideVerification(
  verified: VerifiedClaimsElement & VerifiedClaimsInput,
  user: DirectoryUser,
  matcher: ClaimsMatcher,
): { result: VerificationDecision; report: MatchReport | null } {
  if (user.status !== undefined && DEACTIVATED_STATUSES.includes(user.status)) {
    return { result: { decision: "no_match", state: "deactivated", claims: {}, missingAttributes: [] }, report: null };
  }
  const report = matcher.matchUser(verified, user);
  const claims = strip(report);
  // Only what the ID shows and the record lacks: an optional claim absent on both sides is no gap.
  const onDocument = verified.claims as Record<string, unknown>;
  const missingAttributes = (Object.entries(claims) as [ClaimKind, ClaimOutcome][])
    .filter(([n, c]) => c.outcome === "missing_directory" && onDocument[n] !== undefined && onDocument[n] !== null)
    .map(([n]) => n);
  if (verified.verification.assurance_level === "FAILED") {
    return { result: { decision: "no_match", state: "vendor_failed", claims, missingAttributes }, report };
  }
  let state: VerificationState;
  if (report.decision === "match") state = "success";
  else if (report.decision === "review") state = "review";
  else {
    // A real difference wins over an empty attribute (an optional one is reported missing without deciding).
    const differs = Object.values(claims).some((c) => c !== undefined && (c.outcome === "mismatch" || c.outcome === "invalid"));
    state = !differs && missingAttributes.length > 0 ? "missing_attributes" : "mismatch";
  }
  return { result: { decision: report.decision, state, claims, missingAttributes }, report };
}
