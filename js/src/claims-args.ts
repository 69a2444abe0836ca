/** Reads `matchClaims`'s arguments in the current order, or the deprecated policy-first one (with a one-time warning). */
import type { PolicyDocument, VerifiedClaimsInput } from "../wasm/okta_directory.js";
import { deprecate } from "./deprecation.js";
import type { DirectoryRecord } from "./records.js";

/** The deprecation code of the policy-first argument order. */
export const MATCH_CLAIMS_ORDER_DEPRECATION = "OKTA_DIRECTORY_DEP_MATCH_CLAIMS_ORDER";

/** `matchClaims`'s arguments, normalized to the current order. */
export interface MatchClaimsArgs {
  verified: VerifiedClaimsInput;
  record: DirectoryRecord;
  options: { policy?: PolicyDocument | null; oktaClaims?: unknown; directory?: { frequencyTable(): Uint8Array | undefined } | null };
}

const OPTION_KEYS = new Set(["policy", "oktaClaims", "directory"]);

/** An options object of the current order: `undefined`, or an object with no key but `policy`/`oktaClaims`. */
function isOptions(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.keys(value).every((k) => OPTION_KEYS.has(k));
}

/** A policy document: an object with `claims` and without a verified-claims element's `verification`. */
function isPolicy(value: unknown): boolean {
  return typeof value === "object" && value !== null && "claims" in value && !("verification" in value);
}

/**
 * The old order is `(policy | null | undefined, verified, record, options?)`: a first argument that is
 * null/undefined (verified claims never are), or a policy document followed by a record where the
 * current order has its options, or a fourth argument.
 */
export function matchClaimsArgs(args: unknown[]): MatchClaimsArgs {
  const [first, second, third, fourth] = args;
  const legacy = first == null || args.length >= 4 || (isPolicy(first) && !isOptions(third));
  if (!legacy) {
    const options = (third ?? {}) as MatchClaimsArgs["options"];
    return { verified: first as VerifiedClaimsInput, record: second as DirectoryRecord, options };
  }
  deprecate(
    MATCH_CLAIMS_ORDER_DEPRECATION,
    "matchClaims(policy, verified, record) is deprecated: call matchClaims(verified, record, { policy }) instead",
  );
  const oktaClaims = (fourth as { oktaClaims?: unknown } | undefined)?.oktaClaims;
  return {
    verified: second as VerifiedClaimsInput,
    record: third as DirectoryRecord,
    options: { policy: (first ?? null) as PolicyDocument | null, ...(oktaClaims === undefined ? {} : { oktaClaims }) },
  };
}
