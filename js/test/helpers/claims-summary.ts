/** The one-line summary of a claims report the attack pins write, in JS as the Rust pins write it. */
import type { MatchReport } from "../../src/node.js";

/** Every claim that is not a plain match, keys sorted: `claim=outcome REASON,REASON; …`. */
export function summary(r: MatchReport): string {
  const claims = r.claims as Record<string, { outcome: string; reasons: string[] }>;
  return Object.keys(claims)
    .sort()
    .filter((k) => claims[k]!.outcome !== "match" || claims[k]!.reasons.length > 0)
    .map((k) => `${k}=${claims[k]!.outcome} ${claims[k]!.reasons.join(",")}`.trim())
    .join("; ");
}
