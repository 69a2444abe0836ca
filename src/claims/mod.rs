//! Claims matching: the policy model, Okta's claims requests, and the comparators (names, addresses
//! and the overall decision arrive in later steps).

pub mod compare;
mod json_reader;
mod kinds;
mod okta;
mod policy;
mod report;
mod verified;

pub use kinds::{AddressPart, ClaimKind};
pub use okta::{parse_okta_claims, parse_okta_claims_json, MergedPolicy, OktaClaimsRequest, Requested, RequestedClaim};
pub use policy::{
    default_rule, Allow, ClaimRule, MatchMode, OnMismatch, OnMissing, PartRule, Policy, DEFAULT_THRESHOLD,
};
pub use report::{ClaimResult, Outcome, Reason};
pub use verified::{Claimed, VerifiedClaims};
