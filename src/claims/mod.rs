//! Claims matching: the policy model and Okta's claims requests (comparators and the decision
//! arrive in later steps).

mod json_reader;
mod kinds;
mod okta;
mod policy;

pub use kinds::{AddressPart, ClaimKind};
pub use okta::{parse_okta_claims, parse_okta_claims_json, MergedPolicy, OktaClaimsRequest, Requested, RequestedClaim};
pub use policy::{
    default_rule, Allow, ClaimRule, MatchMode, OnMismatch, OnMissing, PartRule, Policy, DEFAULT_THRESHOLD,
};
