//! The decision: every claim of the policy compared, each outcome mapped through the policy's
//! actions, and one overall `match` | `no_match` | `review` with the per-claim evidence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use super::compare::{
    compare_prepared_email, compare_prepared_name, compare_prepared_parts, compare_prepared_phone,
    compare_read_birthdate, normalize_country, prepared_names_swapped, read_directory_date, AddressParts,
    AddressResult, PartResults, PreparedAddress, PreparedEmail, PreparedName, PreparedPhone, VerifiedDate,
};
use super::kinds::{AddressPart, ClaimKind};
use super::okta::{MergedPolicy, OktaClaimsRequest};
use super::policy::{ClaimRule, OnMismatch, OnMissing, Policy};
use super::report::{ClaimResult, Outcome, Reason};
use super::verified::{Claimed, VerifiedClaims};
use crate::date::Date;
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

    /// A matcher for a local policy with an Okta claims request merged over it: the request only
    /// tightens the policy (which claims are required, exact comparison); the values it carries are
    /// ignored and the directory record's are compared. This is the form for any path that records
    /// a decision, whoever sent the request.
    pub fn with_okta(policy: &Policy, request: &OktaClaimsRequest) -> Matcher {
        Matcher { policy: policy.merge_okta(request).policy, supplied: BTreeMap::new() }
    }

    /// Like [`Matcher::with_okta`], but the values in the request take the place of the record's.
    /// Only for a verification vendor answering Okta's own, authenticated PAR (Okta is the caller and
    /// its request is the directory side); never on a path that records a decision.
    pub fn with_okta_values(policy: &Policy, request: &OktaClaimsRequest) -> Matcher {
        let MergedPolicy { policy, supplied } = policy.merge_okta(request);
        Matcher { policy, supplied }
    }

    /// The effective policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Compares verified claims with a directory record and decides.
    pub fn decide(&self, verified: &VerifiedClaims, user: &DirectoryUser) -> MatchReport {
        self.match_prepared(&self.prepare_verified(verified), &self.prepare_record(user))
    }

    /// Reads a directory record once for many comparisons: names parsed and folded, address parts
    /// normalized, birthdate parsed, phone number in E.164, email lower-cased — only for the claims
    /// this matcher's policy compares (with the values of an Okta request in place of the record's
    /// only for a [`Matcher::with_okta_values`] matcher). Use it with this matcher only.
    pub fn prepare_record(&self, user: &DirectoryUser) -> PreparedRecord {
        let country = user.address.country.as_deref().and_then(normalize_country);
        let mut values: [Vec<DirValue>; 7] = Default::default();
        let mut address = None;
        let mut supplied_names = false;
        for rule in &self.policy.claims {
            if rule.kind == ClaimKind::Address {
                let mut directory = AddressParts::from(&user.address);
                for (part, _) in AddressPart::ALL {
                    if let Some(value) = self.supplied.get(&(ClaimKind::Address, Some(part))).and_then(|v| v.first()) {
                        directory.set(part, Some(value));
                    }
                }
                address = Some(PreparedAddress::new(&directory));
                continue;
            }
            let read = |raw: &str| self.directory_value(rule, raw, country);
            values[rule.kind as usize] = match self.supplied.get(&(rule.kind, None)) {
                Some(supplied) => {
                    supplied_names |= matches!(rule.kind, ClaimKind::GivenName | ClaimKind::FamilyName);
                    supplied.iter().map(|v| read(v)).collect()
                }
                None => directory_value(user, rule.kind).map(read).into_iter().collect(),
            };
        }
        // The swapped-names check reads the record's own names, not supplied ones.
        let names = match (user.name.given.as_deref(), user.name.family.as_deref()) {
            _ if !supplied_names || !self.swap_allowed() => RecordNames::FromValues,
            (Some(g), Some(f)) => RecordNames::Own(Box::new((PreparedName::new(g), PreparedName::new(f)))),
            _ => RecordNames::Missing,
        };
        let address = address.unwrap_or_else(|| PreparedAddress::new(&AddressParts::default()));
        PreparedRecord { values, address, country, names }
    }

    /// Reads verified claims once (see [`Matcher::prepare_record`]).
    pub fn prepare_verified(&self, verified: &VerifiedClaims) -> PreparedVerified {
        let country = verified.address_part(AddressPart::Country).text().and_then(normalize_country);
        let mut values: [VerValue; 7] = Default::default();
        let mut address = None;
        for rule in &self.policy.claims {
            if rule.kind == ClaimKind::Address {
                address = Some(PreparedAddress::new(&AddressParts::from(verified)));
                continue;
            }
            values[rule.kind as usize] = match verified.get(rule.kind) {
                Claimed::Absent => VerValue::Absent,
                Claimed::Unreadable => VerValue::Unreadable,
                Claimed::Text(v) => match rule.kind {
                    ClaimKind::GivenName | ClaimKind::MiddleName | ClaimKind::FamilyName => {
                        VerValue::Name(PreparedName::new(v))
                    }
                    ClaimKind::Birthdate => VerValue::Date(VerifiedDate::read(v)),
                    ClaimKind::Email => VerValue::Email(PreparedEmail::new(v)),
                    ClaimKind::PhoneNumber => {
                        VerValue::Phone(PreparedPhone::new(v, rule.default_region.as_deref().or(country)))
                    }
                    ClaimKind::Address => VerValue::Absent,
                },
            };
        }
        let address = address.unwrap_or_else(|| PreparedAddress::new(&AddressParts::default()));
        PreparedVerified { values, address, country }
    }

    /// Compares prepared verified claims with a prepared directory record and decides: the same
    /// comparisons and decision as [`Matcher::decide`], without reading either side again.
    pub fn match_prepared(&self, verified: &PreparedVerified, record: &PreparedRecord) -> MatchReport {
        let claims = self.evidence_all(verified, record);
        let decision = decide(&self.policy, &claims);
        let claims = ClaimKind::ALL
            .iter()
            .zip(claims)
            .filter_map(|((kind, _), evidence)| evidence.map(|e| (*kind, e)))
            .map(|(kind, evidence)| {
                let evidence = match evidence {
                    Evidence::Single(r) => ClaimEvidence::Single(r),
                    Evidence::Address(overall, parts) => {
                        let parts = AddressPart::ALL
                            .iter()
                            .zip(parts)
                            .filter_map(|((part, _), r)| r.map(|r| (*part, r)))
                            .collect();
                        ClaimEvidence::Address(AddressResult { overall, parts })
                    }
                };
                (kind, evidence)
            })
            .collect();
        MatchReport { decision, claims }
    }

    /// Only the decision of [`Matcher::match_prepared`] (the report is not assembled).
    pub fn decide_prepared(&self, verified: &PreparedVerified, record: &PreparedRecord) -> Decision {
        decide(&self.policy, &self.evidence_all(verified, record))
    }

    fn directory_value(&self, rule: &ClaimRule, raw: &str, country: Option<&'static str>) -> DirValue {
        match rule.kind {
            ClaimKind::GivenName | ClaimKind::MiddleName | ClaimKind::FamilyName => {
                DirValue::Name(PreparedName::new(raw))
            }
            ClaimKind::Birthdate => DirValue::Date(read_directory_date(raw)),
            ClaimKind::Email => DirValue::Email(PreparedEmail::new(raw)),
            ClaimKind::PhoneNumber => {
                DirValue::Phone(PreparedPhone::new(raw, rule.default_region.as_deref().or(country)))
            }
            ClaimKind::Address => DirValue::Date(None),
        }
    }

    fn swap_allowed(&self) -> bool {
        let allowed = |kind| self.policy.rule(kind).is_some_and(|r| r.allow.swapped_names);
        allowed(ClaimKind::GivenName) && allowed(ClaimKind::FamilyName)
    }

    /// Every claim of the policy with its evidence, by claim kind (a claim named twice keeps the last
    /// rule's evidence).
    fn evidence_all(&self, verified: &PreparedVerified, record: &PreparedRecord) -> AllEvidence {
        let mut claims: AllEvidence = Default::default();
        for rule in &self.policy.claims {
            claims[rule.kind as usize] = Some(self.evidence(rule, verified, record));
        }
        self.apply_swapped_names(verified, record, &mut claims);
        claims
    }

    fn evidence(&self, rule: &ClaimRule, verified: &PreparedVerified, record: &PreparedRecord) -> Evidence {
        if rule.kind == ClaimKind::Address {
            let (overall, parts) = compare_prepared_parts(&verified.address, &record.address, rule);
            return Evidence::Address(overall, parts);
        }
        let candidates = &record.values[rule.kind as usize];
        let claimed = &verified.values[rule.kind as usize];
        let result = match (claimed, candidates.is_empty()) {
            (VerValue::Unreadable, _) => ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable]),
            (_, true) => ClaimResult::without_value(Outcome::MissingDirectory, Vec::new()),
            (VerValue::Absent, false) => ClaimResult::without_value(Outcome::MissingVerified, Vec::new()),
            (v, false) => {
                // Several supplied values (OIDC `values`): the best comparison counts.
                let mut results = candidates.iter().map(|d| self.compare(rule, v, d, verified, record));
                let first = results.next();
                let best = first.map(|f| results.fold(f, |best, r| if better(&r, &best) { r } else { best }));
                best.unwrap_or_else(|| ClaimResult::without_value(Outcome::MissingDirectory, Vec::new()))
            }
        };
        Evidence::Single(result)
    }

    fn compare(
        &self,
        rule: &ClaimRule,
        v: &VerValue,
        d: &DirValue,
        verified: &PreparedVerified,
        record: &PreparedRecord,
    ) -> ClaimResult {
        match (v, d) {
            (VerValue::Name(v), DirValue::Name(d)) => compare_prepared_name(v, d, rule.kind, rule),
            (VerValue::Date(v), DirValue::Date(d)) => compare_read_birthdate(*v, *d),
            (VerValue::Email(v), DirValue::Email(d)) => compare_prepared_email(v, d),
            (VerValue::Phone(v), DirValue::Phone(d)) => {
                // A nationally written number is read in the policy's region, else its own side's country.
                let (dir_country, ver_country) = (record.country, verified.country);
                let region = rule.default_region.as_deref();
                compare_prepared_phone(
                    v,
                    d,
                    region.or(ver_country).or(dir_country),
                    region.or(dir_country).or(ver_country),
                )
            }
            _ => ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable]),
        }
    }

    /// A document that prints the family name first: both names match crosswise.
    fn apply_swapped_names(&self, verified: &PreparedVerified, record: &PreparedRecord, claims: &mut AllEvidence) {
        if !self.swap_allowed() {
            return;
        }
        let outcome = |kind: ClaimKind| claims[kind as usize].as_ref().map(|e| e.result().outcome);
        let both_failed =
            [ClaimKind::GivenName, ClaimKind::FamilyName].iter().all(|k| outcome(*k) == Some(Outcome::Mismatch));
        if !both_failed {
            return;
        }
        let (dg, df) = match &record.names {
            RecordNames::Own(names) => (Some(&names.0), Some(&names.1)),
            RecordNames::Missing => (None, None),
            RecordNames::FromValues => (
                first_name(&record.values[ClaimKind::GivenName as usize]),
                first_name(&record.values[ClaimKind::FamilyName as usize]),
            ),
        };
        let ver = |kind: ClaimKind| match &verified.values[kind as usize] {
            VerValue::Name(n) => Some(n),
            _ => None,
        };
        let (Some(vg), Some(vf), Some(dg), Some(df)) = (ver(ClaimKind::GivenName), ver(ClaimKind::FamilyName), dg, df)
        else {
            return;
        };
        if prepared_names_swapped(vg, vf, dg, df) {
            for kind in [ClaimKind::GivenName, ClaimKind::FamilyName] {
                claims[kind as usize] =
                    Some(Evidence::Single(ClaimResult::new(Outcome::Match, 0.9, [Reason::NamesSwapped])));
            }
        }
    }
}

/// A directory record read once by [`Matcher::prepare_record`].
#[derive(Debug, Clone)]
pub struct PreparedRecord {
    /// Per claim kind (by discriminant): the candidate values, usually one.
    values: [Vec<DirValue>; 7],
    address: PreparedAddress,
    /// The record's own country code (a phone number's region hint).
    country: Option<&'static str>,
    /// The record's own given and family names, for the swapped-names check.
    names: RecordNames,
}

/// Where the swapped-names check finds the record's own given and family names.
#[derive(Debug, Clone)]
enum RecordNames {
    /// In `values` (no Okta-supplied value replaced them).
    FromValues,
    /// Read apart, because supplied values replaced them in `values`.
    Own(Box<(PreparedName, PreparedName)>),
    /// Supplied values replaced them and the record lacks one of them.
    Missing,
}

/// The first candidate of a name claim.
fn first_name(values: &[DirValue]) -> Option<&PreparedName> {
    match values.first() {
        Some(DirValue::Name(n)) => Some(n),
        _ => None,
    }
}

/// Verified claims read once by [`Matcher::prepare_verified`].
#[derive(Debug, Clone)]
pub struct PreparedVerified {
    values: [VerValue; 7],
    address: PreparedAddress,
    /// The country code of the verified address (a phone number's region hint).
    country: Option<&'static str>,
}

/// Every claim's evidence by claim kind (discriminant), `None` for claims the policy leaves out.
type AllEvidence = [Option<Evidence>; 7];

/// A claim's evidence while deciding: the address parts by position, made a map only for a report.
#[derive(Debug, Clone)]
enum Evidence {
    Single(ClaimResult),
    Address(ClaimResult, PartResults),
}

impl Evidence {
    fn result(&self) -> &ClaimResult {
        match self {
            Evidence::Single(r) | Evidence::Address(r, _) => r,
        }
    }
}

/// A prepared directory value.
#[derive(Debug, Clone)]
enum DirValue {
    Name(PreparedName),
    Date(Option<Date>),
    Phone(PreparedPhone),
    Email(PreparedEmail),
}

/// A prepared verified value.
#[derive(Debug, Clone, Default)]
enum VerValue {
    #[default]
    Absent,
    Unreadable,
    Name(PreparedName),
    Date(VerifiedDate),
    Phone(PreparedPhone),
    Email(PreparedEmail),
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
fn decide(policy: &Policy, claims: &AllEvidence) -> Decision {
    let (mut fail, mut review, mut matched) = (false, false, false);
    for rule in &policy.claims {
        let Some(evidence) = &claims[rule.kind as usize] else { continue };
        let result = evidence.result();
        match result.outcome {
            Outcome::Match => matched = true,
            // Ambiguous evidence (a short form several names share) goes to a person, never fails.
            // So does a name equal only once transliterated from another script.
            Outcome::Mismatch
                if result
                    .reasons
                    .iter()
                    .any(|r| matches!(r, Reason::NicknameAmbiguous | Reason::TransliteratedScript)) =>
            {
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
