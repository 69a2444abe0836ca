/**
 * The runtime-independent API. Each entry point (node, browser, workerd, slim) loads the wasm
 * module its own way and re-exports this file.
 */
import * as wasm from "../wasm/okta_directory.js";
import type { AttributeMappingInput, NormalizedUser } from "../wasm/okta_directory.js";
import { guard, makeError } from "./errors.js";
import { ensureReady } from "./state.js";

export type {
  AttributeMappingInput,
  BirthdateOrder,
  CanonicalField,
  CustomScalar,
  CustomValue,
  DirectoryUser,
  FieldIssue,
  IssueCode,
  MappableField,
  NormalizedUser,
  PersonName,
  Phones,
  PostalAddress,
  UserStatus,
  AddressPart,
  EnrollmentHistory,
  EnrollmentStatus,
  VerificationRecord,
  AttributeGap,
  AuditReport,
  GroupGaps,
  AddressPartRuleDocument,
  AddressResult,
  AllowName,
  ClaimEvidence,
  ClaimKind,
  ClaimResult,
  ClaimRuleDocument,
  Decision,
  MatchModeName,
  MatchReport,
  OnMismatchName,
  OnMissingName,
  Outcome,
  PolicyDocument,
  Reason,
  SourcePaths,
  VerifiedClaimsElement,
  VerifiedClaimsInput,
  VerifiedClaimsResponse,
  VerifiedValue,
  Explanation,
  Weighed,
  Level,
  OperatingPoint,
  Guard,
} from "../wasm/okta_directory.js";
export * from "./errors.js";
export {
  ClaimsMatcher,
  DECISION_CODES,
  LoadedClaimsPairs,
  matchClaims,
  type ClaimsMatcherOptions,
  type ClaimsPair,
} from "./claims.js";
export { Directory } from "./directory.js";
export type { DirectoryBuildOptions, DirectoryInfo, Group, LookupResult } from "./directory.js";
export * from "./stores/index.js";


/**
 * Normalizes one Okta user — a whole user object (`{id, status, profile, …}`) or a bare profile —
 * into a canonical `DirectoryUser`, with the source of each field and a list of field issues.
 *
 * @param input - the user as parsed JSON, or JSON text
 * @param mapping - where each canonical field comes from (defaults: Okta base attributes)
 * @throws InvalidInputError when the input is not a JSON object or not JSON at all
 * @throws InvalidMappingError when the mapping is malformed
 */
export function normalizeUser(input: unknown, mapping?: AttributeMappingInput): NormalizedUser {
  ensureReady();
  return guard(() => wasm.normalizeUserJson(typeof input === "string" ? input : toJson(input), mapping));
}

/**
 * Serializes an object input for the core. JSON text crosses into wasm in one copy, which is faster
 * than walking the object property by property (see BENCHMARKS.md). Values JSON cannot hold (BigInt,
 * cycles) are a `CONVERSION_FAILED` error; `undefined`, functions and symbols are dropped as JSON does.
 */
function toJson(input: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(input);
  } catch (cause) {
    throw makeError("CONVERSION_FAILED", "the input could not be serialized as JSON (BigInt or a cycle?)", { cause });
  }
  if (text === undefined) {
    throw makeError("INVALID_PROFILE", "invalid Okta user input at `$`: expected a JSON object");
  }
  return text;
}

/**
 * Checks an attribute mapping without normalizing anything.
 *
 * @throws InvalidMappingError naming the offending path
 */
export function validateMapping(mapping: AttributeMappingInput): void {
  ensureReady();
  guard(() => wasm.validateMapping(mapping));
}

/** The error codes the loaded core can produce (equal to `CORE_ERROR_CODES`). */
export function coreErrorCodes(): string[] {
  ensureReady();
  return guard(() => wasm.errorCodes());
}

/** The version of the Rust core inside the loaded module. */
export function coreVersion(): string {
  ensureReady();
  return guard(() => wasm.coreVersion());
}
export { enrollmentStatus, recordVerification } from "./enrollment.js";
export * from "./idtoken/index.js";
