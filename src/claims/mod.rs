//! Claims matching: the policy model, Okta's claims requests, the comparators, the decision and
//! the JSON Lines batch form.

mod batch;
pub mod compare;
mod documents;
mod engine;
pub mod frequency;
mod json_reader;
mod kinds;
mod okta;
mod pair_view;
mod pairs;
mod policy;
pub mod replay;
mod report;
mod report_codes;
mod report_json;
mod respond;
mod strength;
mod verified;
mod weights;

pub use batch::{decide_many_json, match_line, match_many_codes, match_many_json};
pub use documents::{effective_policy_from_json_text, matcher_from_json_text, policy_from_json_text};
#[cfg(feature = "full")]
pub(crate) use engine::is_placeholder;
pub use engine::{
    ClaimEvidence, Decision, Explanation, Guard, MatchReport, Matcher, PreparedRecord, PreparedVerified, Weighed,
};
pub use kinds::{AddressPart, ClaimKind};
pub use okta::{parse_okta_claims, parse_okta_claims_json, MergedPolicy, OktaClaimsRequest, Requested, RequestedClaim};
pub use pairs::{load_pairs, load_pairs_reservation, PreparedPair, LOAD_PAIRS_HEAP_PER_INPUT_BYTE};
pub use pairs::{read_sides, read_verified_json, MAX_LINE_BYTES};
pub use policy::{
    default_rule, Allow, ClaimRule, MatchMode, OnMismatch, OnMissing, PartRule, Policy, DEFAULT_THRESHOLD,
};
pub use report::{ClaimResult, Outcome, Reason, Reasons};
pub use report_codes::{encode_match, encode_prepared_match, encode_report, report_names_json};
pub use report_json::{report_json, write_match, write_prepared_match, write_report};
pub use respond::{oidc4ida_response, okta_response, ResponseOptions};
pub use strength::{policy_warnings, warnings_json, PolicyWarning, WeakReason, POLICY_WEAK};
pub use verified::{Claimed, VerifiedClaims};
pub use weights::{level_of, weight, Level, OperatingPoint, THRESHOLDS, WEIGHTS};
