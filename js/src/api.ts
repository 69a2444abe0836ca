/**
 * The runtime-independent API. Each entry point (node, browser, workerd, slim) loads the wasm
 * module its own way and re-exports this file.
 */
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
  QualityFinding,
  PolicyWarning,
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
  ComparisonVector,
  ClaimVector,
  Replay,
  Blocker,
  Unreplayable,
  Guard,
} from "../wasm/okta_directory.js";
export * from "./errors.js";
export {
  ClaimsMatcher,
  DECISION_CODES,
  LoadedClaimsPairs,
  matchClaims,
  type ClaimsMatcherOptions,
  type FrequencySource,
  type ClaimsPair,
  type MatchClaimsOptions,
} from "./claims.js";
export type { DirectoryRecord, OktaProfile, OktaUser } from "./records.js";
export { Directory, snapshotFrequencies } from "./directory.js";
export type { DirectoryBuildOptions, DirectoryInfo, Group, LookupResult } from "./directory.js";
export * from "./stores/index.js";

export { coreErrorCodes, coreVersion, normalizeUser, validateMapping, type NormalizeUserOptions } from "./profile.js";
// Recording a verification is the verification service's alone (js/src/verification): it is not exported.
export { enrollmentStatus } from "./enrollment.js";
export * from "./idtoken/index.js";
export * from "./verification/index.js";
