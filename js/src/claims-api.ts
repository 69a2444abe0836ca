/**
 * What `okta-directory/claims` exports: profile normalization, claims matching and the decision on a
 * signed verification result — the parts a browser page needs — on the claims-only wasm module
 * (no sync, directory or snapshot code). `scripts/bundle-claims.mjs` bundles it per runtime. The
 * entries re-export errors.js themselves: the bundles keep it external (one set of error classes
 * for every entry), and only an entry's own `export *` of an external module stays an ESM export.
 */
export type {
  AddressPart,
  AddressPartRuleDocument,
  AddressResult,
  AllowName,
  AttributeMappingInput,
  BirthdateOrder,
  CanonicalField,
  ClaimEvidence,
  ClaimKind,
  ClaimResult,
  ClaimRuleDocument,
  CustomScalar,
  CustomValue,
  Decision,
  DirectoryUser,
  FieldIssue,
  IssueCode,
  MappableField,
  MatchModeName,
  MatchReport,
  NormalizedUser,
  OnMismatchName,
  OnMissingName,
  Outcome,
  PersonName,
  Phones,
  PolicyDocument,
  PolicyWarning,
  PostalAddress,
  Reason,
  SourcePaths,
  UserStatus,
  VerifiedClaimsElement,
  VerifiedClaimsInput,
  VerifiedClaimsResponse,
  VerifiedValue,
} from "../wasm/okta_directory.js";
export { coreErrorCodes, coreVersion, normalizeUser, validateMapping, type NormalizeUserOptions } from "./profile.js";
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
export * from "./idtoken/index.js";
