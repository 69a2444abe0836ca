//! TypeScript declarations for inputs that the core reads as free-form JSON.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_MAPPING: &'static str = r#"
/** Canonical fields an attribute mapping can fill. */
export type MappableField =
  | "login" | "email" | "secondEmail" | "givenName" | "middleName" | "familyName"
  | "honorificPrefix" | "honorificSuffix" | "nickname" | "displayName" | "birthdate"
  | "streetAddress" | "locality" | "region" | "postalCode" | "country"
  | "mobilePhone" | "primaryPhone" | "employeeNumber";

/** Field order for all-numeric birthdates such as 03/04/1990. */
export type BirthdateOrder = "auto" | "mdy" | "dmy" | "ymd";

/**
 * Where each canonical field comes from: an Okta profile path (`profile.LegalFirstName` or
 * `LegalFirstName`) or an ordered list of them; the first usable value wins. Unnamed fields keep
 * their defaults; an empty list turns a field off.
 */
export type AttributeMappingInput = {
  [F in MappableField]?: string | readonly string[];
} & { birthdateOrder?: BirthdateOrder };
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLAIMS: &'static str = r#"
/** How strictly a claim is compared. */
export type MatchModeName = "exact" | "fuzzy";
/** What a mismatch does to the decision. */
export type OnMismatchName = "fail" | "review" | "flag";
/** What a missing value does to the decision. */
export type OnMissingName = "fail" | "review" | "skip";
/** Name tolerances a fuzzy comparison may use. */
export type AllowName = "initials" | "nicknames" | "token_subset" | "swapped_names" | "ocr" | "typos";
/** Profile path(s) a directory value is read from, in priority order. */
export type SourcePaths = string | readonly string[];

/** The rule for one address part. */
export interface AddressPartRuleDocument {
  source?: SourcePaths;
  mode?: MatchModeName;
  threshold?: number;
  required?: boolean;
}

/** The rule for one claim; unset keys take the claim's defaults. */
export interface ClaimRuleDocument {
  source?: SourcePaths;
  mode?: MatchModeName;
  threshold?: number;
  required?: boolean;
  on_mismatch?: OnMismatchName;
  on_missing_directory?: OnMissingName;
  on_missing_verified?: OnMissingName;
  allow?: readonly AllowName[];
  default_region?: string;
  parts?: { [P in AddressPart]?: AddressPartRuleDocument };
}

/** A claims-matching policy (see the README); only the claims it names are compared. */
export interface PolicyDocument {
  version?: 1;
  id?: string;
  trust_framework?: string;
  defaults?: {
    mode?: MatchModeName;
    threshold?: number;
    on_mismatch?: OnMismatchName;
    on_missing_directory?: OnMissingName;
    on_missing_verified?: OnMissingName;
  };
  claims: { [C in ClaimKind]?: ClaimRuleDocument | null };
  decision?: {
    require_all?: readonly ClaimKind[];
    review_if_any?: readonly ClaimKind[];
    operating_point?: "strict" | "balanced" | "lenient";
  };
}

/** A verified value: text, Okta's `{value}` form, or null. */
export type VerifiedValue = string | { value: string | null } | null;

/** Verified claims with OIDC Identity Assurance names (or a `{verification, claims}` element). */
export interface VerifiedClaimsInput {
  given_name?: VerifiedValue;
  middle_name?: VerifiedValue;
  family_name?: VerifiedValue;
  birthdate?: VerifiedValue;
  phone_number?: VerifiedValue;
  email?: VerifiedValue;
  address?: { [P in AddressPart]?: VerifiedValue } | null;
}

/** One `verified_claims` element of a response. */
export interface VerifiedClaimsElement {
  verification: { trust_framework: string; assurance_level?: "VERIFIED" | "FAILED"; time?: string };
  /** Claim name → value (OIDC4IDA) or `{value, fuzzy?}` with `value: null` for a failure (Okta). */
  claims: Record<string, unknown>;
}

/** A decision written as an identity provider's `verified_claims` response. */
export interface VerifiedClaimsResponse {
  verified_claims: VerifiedClaimsElement | VerifiedClaimsElement[];
}

/** One attribute a policy compares and the audited users who lack it. */
export interface AttributeGap {
  /** The claim (`given_name`) or address part (`address.postal_code`). */
  attribute: string;
  /** Required by the policy: a user lacking it cannot be verified. */
  required: boolean;
  missing: number;
  /** Okta ids of the users lacking it. */
  userIds: string[];
}

/** The readiness audit of one group. */
export interface GroupGaps {
  groupId: string;
  name: string;
  users: number;
  missing: Record<string, number>;
  notReady: number;
}

/** Which active users lack the directory attributes a claims policy needs. */
export interface AuditReport {
  policyId: string;
  users: number;
  inactiveSkipped: number;
  notReady: number;
  attributes: AttributeGap[];
  groups: GroupGaps[];
  /** Values the matcher works around (invisible characters pasted in, placeholders such as `N/A`). */
  dataQuality: QualityFinding[];
  /** The policy's strength warnings (empty for the default policy). */
  policyWarnings: PolicyWarning[];
}

/** A policy whose deciding claims cannot tell people apart (one claim, or no name claim): valid, but weak. */
export interface PolicyWarning {
  code: "POLICY_WEAK";
  reason: "fewer_than_two_claims" | "no_name_claim";
  /** One sentence for an operator (settings only). */
  message: string;
}

/** Audited users whose value of an attribute needs cleaning at the source. */
export interface QualityFinding {
  /** The claim (`given_name`) or address part (`address.postal_code`). */
  attribute: string;
  finding: "invisible_characters" | "placeholder";
  users: number;
  /** Okta ids of those users. */
  userIds: string[];
}

/** One recorded verification (no claim values: only what decided). */
export interface VerificationRecord {
  /** When, Unix ms. (Histories stored with `at_ms`/`policy_id` before 0.2 still load.) */
  atMs: number;
  decision: Decision;
  matched: ClaimKind[];
  policyId: string;
  /** The comparison vector (levels and reason codes, never values), for shadow replay. */
  vector?: ComparisonVector;
}

/** Verification history per Okta user id (store it yourself; it survives re-syncs). */
export interface EnrollmentHistory {
  users: Record<string, VerificationRecord[]>;
}

/** Where a user stands. */
export type EnrollmentStatus =
  | { status: "inactive" }
  | { status: "needs_attributes"; missing: string[] }
  | { status: "not_enrolled" }
  | { status: "enrolled"; last: VerificationRecord };
"#;
