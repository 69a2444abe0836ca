//! The decision: every claim of the policy compared, each outcome mapped through the policy's
//! actions, and one overall `match` | `no_match` | `review` with the per-claim evidence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use super::compare::{
    compare_address, compare_birthdate, compare_email, compare_name, compare_phone, names_swapped, normalize_country,
    AddressParts, AddressResult,
};
use super::kinds::{AddressPart, ClaimKind};
use super::okta::{MergedPolicy, OktaClaimsRequest};
use super::policy::{ClaimRule, OnMismatch, OnMissing, Policy};
use super::report::{ClaimResult, Outcome, Reason};
use super::verified::{Claimed, VerifiedClaims};
use crate::profile::DirectoryUser;

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Every claim that decides agrees.
    Match,
    /// A claim failed under the policy (a mismatch, or a required claim missing on either side).
    NoMatch,
    /// Nothing failed, but a claim routes the case to a person.
    Review,
}

/// The evidence for one claim: a plain result, or an address with its parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(untagged)]
pub enum ClaimEvidence {
    /// The address claim, part by part.
    Address(AddressResult),
    /// Any other claim.
    Single(ClaimResult),
}

impl ClaimEvidence {
    /// The claim's own outcome, score and reasons.
    pub fn result(&self) -> &ClaimResult {
        match self {
            ClaimEvidence::Address(a) => &a.overall,
            ClaimEvidence::Single(r) => r,
        }
    }
}

/// The answer to "is the verified person the directory's user?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
pub struct MatchReport {
    /// The overall decision.
    pub decision: Decision,
    /// Every claim the policy compares, by OIDC name.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Partial<Record<ClaimKind, ClaimEvidence>>"))]
    pub claims: BTreeMap<ClaimKind, ClaimEvidence>,
}

/// A policy (possibly with an Okta request merged in) ready to score many claim sets.
#[derive(Debug, Clone)]
pub struct Matcher {
    policy: Policy,
    supplied: BTreeMap<(ClaimKind, Option<AddressPart>), Vec<String>>,
}

impl Matcher {
    /// A matcher for a local policy.
    pub fn new(policy: Policy) -> Matcher {
        Matcher { policy, supplied: BTreeMap::new() }
    }

    /// A matcher for a local policy with an Okta claims request merged over it; the directory values
    /// Okta supplied take the place of the record's.
    pub fn with_okta(policy: &Policy, request: &OktaClaimsRequest) -> Matcher {
        let MergedPolicy { policy, supplied } = policy.merge_okta(request);
        Matcher { policy, supplied }
    }

    /// The effective policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Compares verified claims with a directory record and decides.
    pub fn decide(&self, verified: &VerifiedClaims, user: &DirectoryUser) -> MatchReport {
        let mut claims: BTreeMap<ClaimKind, ClaimEvidence> =
            self.policy.claims.iter().map(|rule| (rule.kind, self.evidence(rule, verified, user))).collect();
        self.apply_swapped_names(verified, user, &mut claims);
        let decision = decide(&self.policy, &claims);
        MatchReport { decision, claims }
    }

    fn evidence(&self, rule: &ClaimRule, verified: &VerifiedClaims, user: &DirectoryUser) -> ClaimEvidence {
        if rule.kind == ClaimKind::Address {
            let mut directory = AddressParts::from(&user.address);
            for (part, _) in AddressPart::ALL {
                if let Some(value) = self.supplied.get(&(ClaimKind::Address, Some(part))).and_then(|v| v.first()) {
                    directory.set(part, Some(value));
                }
            }
            return ClaimEvidence::Address(compare_address(&AddressParts::from(verified), &directory, rule));
        }
        let candidates: Vec<&str> = match self.supplied.get(&(rule.kind, None)) {
            Some(values) => values.iter().map(String::as_str).collect(),
            None => directory_value(user, rule.kind).into_iter().collect(),
        };
        let claimed = verified.get(rule.kind);
        let result = match (claimed, candidates.is_empty()) {
            (Claimed::Unreadable, _) => ClaimResult::without_value(Outcome::Invalid, vec![Reason::Unparseable]),
            (_, true) => ClaimResult::without_value(Outcome::MissingDirectory, Vec::new()),
            (Claimed::Absent, false) => ClaimResult::without_value(Outcome::MissingVerified, Vec::new()),
            (Claimed::Text(v), false) => {
                // Several supplied values (OIDC `values`): the best comparison counts.
                let mut results = candidates.iter().map(|d| self.compare(rule, v, d, verified, user));
                let first = results.next();
                let best = first.map(|f| results.fold(f, |best, r| if better(&r, &best) { r } else { best }));
                best.unwrap_or_else(|| ClaimResult::without_value(Outcome::MissingDirectory, Vec::new()))
            }
        };
        ClaimEvidence::Single(result)
    }

    fn compare(
        &self,
        rule: &ClaimRule,
        v: &str,
        d: &str,
        verified: &VerifiedClaims,
        user: &DirectoryUser,
    ) -> ClaimResult {
        match rule.kind {
            ClaimKind::GivenName | ClaimKind::MiddleName | ClaimKind::FamilyName => compare_name(v, d, rule.kind, rule),
            ClaimKind::Birthdate => compare_birthdate(v, d),
            ClaimKind::Email => compare_email(v, d),
            ClaimKind::PhoneNumber => {
                // A nationally written number is read in the policy's region, else its own side's country.
                let dir_country = user.address.country.as_deref().and_then(normalize_country);
                let ver_country = verified.address_part(AddressPart::Country).text().and_then(normalize_country);
                let region = rule.default_region.as_deref();
                compare_phone(v, d, region.or(ver_country).or(dir_country), region.or(dir_country).or(ver_country))
            }
            ClaimKind::Address => ClaimResult::without_value(Outcome::Invalid, vec![Reason::Unparseable]),
        }
    }

    /// A document that prints the family name first: both names match crosswise.
    fn apply_swapped_names(
        &self,
        verified: &VerifiedClaims,
        user: &DirectoryUser,
        claims: &mut BTreeMap<ClaimKind, ClaimEvidence>,
    ) {
        let allowed = |kind| self.policy.rule(kind).is_some_and(|r| r.allow.swapped_names);
        if !allowed(ClaimKind::GivenName) || !allowed(ClaimKind::FamilyName) {
            return;
        }
        let both_failed = [ClaimKind::GivenName, ClaimKind::FamilyName]
            .iter()
            .all(|k| claims.get(k).is_some_and(|e| e.result().outcome == Outcome::Mismatch));
        let (Some(vg), Some(vf), Some(dg), Some(df)) = (
            verified.get(ClaimKind::GivenName).text(),
            verified.get(ClaimKind::FamilyName).text(),
            user.name.given.as_deref(),
            user.name.family.as_deref(),
        ) else {
            return;
        };
        if both_failed && names_swapped(vg, vf, dg, df) {
            for kind in [ClaimKind::GivenName, ClaimKind::FamilyName] {
                claims.insert(
                    kind,
                    ClaimEvidence::Single(ClaimResult::new(Outcome::Match, 0.9, vec![Reason::NamesSwapped])),
                );
            }
        }
    }
}

/// A directory record's value for a (non-address) claim.
fn directory_value(user: &DirectoryUser, kind: ClaimKind) -> Option<&str> {
    match kind {
        ClaimKind::GivenName => user.name.given.as_deref(),
        ClaimKind::MiddleName => user.name.middle.as_deref(),
        ClaimKind::FamilyName => user.name.family.as_deref(),
        ClaimKind::Birthdate => user.birthdate.as_deref(),
        ClaimKind::PhoneNumber => user.phones.mobile.as_deref().or(user.phones.primary.as_deref()),
        ClaimKind::Email => user.email.as_deref(),
        ClaimKind::Address => None,
    }
}

/// Whether `a` is a better comparison than `b` (a match beats anything, then the higher score).
fn better(a: &ClaimResult, b: &ClaimResult) -> bool {
    let rank = |r: &ClaimResult| (r.outcome == Outcome::Match, r.score);
    rank(a).partial_cmp(&rank(b)).is_some_and(|o| o.is_gt())
}

/// Maps every claim's outcome through its rule. A required claim missing on either side is
/// never a match; a decision with no matched claim at all is `no_match`.
fn decide(policy: &Policy, claims: &BTreeMap<ClaimKind, ClaimEvidence>) -> Decision {
    let (mut fail, mut review, mut matched) = (false, false, false);
    for rule in &policy.claims {
        let Some(evidence) = claims.get(&rule.kind) else { continue };
        let result = evidence.result();
        match result.outcome {
            Outcome::Match => matched = true,
            // Ambiguous evidence (a short form several names share) goes to a person, never fails.
            Outcome::Mismatch if result.reasons.contains(&Reason::NicknameAmbiguous) => {
                if rule.on_mismatch != OnMismatch::Flag {
                    review = true;
                }
            }
            Outcome::Mismatch | Outcome::Invalid => match rule.on_mismatch {
                OnMismatch::Fail => fail = true,
                OnMismatch::Review => review = true,
                OnMismatch::Flag => {}
            },
            Outcome::MissingDirectory | Outcome::MissingVerified => {
                let action = if result.outcome == Outcome::MissingDirectory {
                    rule.on_missing_directory
                } else {
                    rule.on_missing_verified
                };
                match action {
                    _ if rule.required => fail = true,
                    OnMissing::Fail => fail = true,
                    OnMissing::Review => review = true,
                    OnMissing::Skip => {}
                }
            }
        }
    }
    if fail || !matched {
        Decision::NoMatch
    } else if review {
        Decision::Review
    } else {
        Decision::Match
    }
}
