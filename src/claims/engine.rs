//! The decision: every claim of the policy compared, each outcome mapped through the policy's
//! actions, and one overall `match` | `no_match` | `review` with the per-claim evidence.

use crate::sort::CollectMap;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use super::compare::{
    compare_prepared_email, compare_prepared_name, compare_prepared_parts, compare_prepared_phone,
    compare_read_birthdate, corroborated_family_names, first_part_is, normalize_country, prepared_names_swapped,
    prepared_names_swapped_with_typo, read_directory_date, second_given_name_contradicts, AddressParts, AddressResult,
    PartResults, PreparedAddress, PreparedEmail, PreparedName, PreparedPhone, VerifiedDate,
};
use super::frequency::{adjustments, Adjustments, FrequencyTable};
use super::kinds::{AddressPart, ClaimKind};
use super::okta::{MergedPolicy, OktaClaimsRequest};
use super::policy::{ClaimRule, MatchMode, OnMismatch, OnMissing, Policy};
use super::report::{ClaimResult, Outcome, Reason, Reasons};
use super::verified::{Claimed, VerifiedClaims};
use super::weights::{core_weight, level_of, weight, Level, OperatingPoint};
use crate::date::{parse_date, Date, DateOrder};
use crate::profile::DirectoryUser;
use crate::text::without_copy_paste_invisibles;

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

impl Decision {
    /// The decision as one byte (the batch forms' typed arrays): 0 `match`, 1 `no_match`, 2 `review`.
    pub fn code(self) -> u8 {
        match self {
            Decision::Match => 0,
            Decision::NoMatch => 1,
            Decision::Review => 2,
        }
    }
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
    /// How the decision was reached: each claim's agreement level and weight, the total, the
    /// operating point and its threshold, and the hard guard that decided, if one did.
    pub explanation: Explanation,
}

/// The combined decision, explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
pub struct Explanation {
    /// Per claim: its agreement level and weight (bits), by OIDC name.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Partial<Record<ClaimKind, Weighed>>"))]
    pub claims: BTreeMap<ClaimKind, Weighed>,
    /// The sum of the weights (bits).
    pub total: f64,
    /// The policy's operating point.
    pub operating_point: OperatingPoint,
    /// The total a `match` needs at that operating point (bits).
    pub threshold: f64,
    /// The hard guard that decided regardless of the total, if one did.
    pub guard: Option<Guard>,
}

/// One claim's share of the combined evidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct Weighed {
    /// How far the two values agree.
    pub level: Level,
    /// The level's weight for this claim (bits; negative counts against a match), frequency
    /// adjustment included.
    pub weight: f64,
    /// How much the directory's frequency of the value changed the built-in weight (bits; rare
    /// values weigh more, common ones less), when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub frequency: Option<f64>,
}

/// A hard guard: a rule no total can override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Guard {
    /// A verified value carries a spoofing finding (look-alike letters, invisible or bidi characters).
    Spoofing,
    /// A required claim is missing on a side (or the policy fails on a missing value).
    RequiredMissing,
    /// A claim whose mismatch fails under the policy differs (an exact claim such as the birthdate,
    /// or a name refused by a guard: a distinct name, a prefix name, a gendered ending).
    ClaimDiffers,
    /// No claim agrees at all.
    NothingAgrees,
    /// Nothing failed, but a claim routes the case to a person (`review`).
    Review,
}

/// A policy (possibly with an Okta request merged in) ready to score many claim sets.
#[derive(Debug, Clone)]
pub struct Matcher {
    policy: Policy,
    supplied: BTreeMap<(ClaimKind, Option<AddressPart>), Vec<String>>,
    /// The directory's name and birthdate frequencies (built-in priors without them).
    frequencies: Option<Arc<FrequencyTable>>,
    /// The policy's rules (indices, then their count) in [`CHEAPEST_FIRST`] order; `None` when a
    /// claim is named twice.
    cheapest_first: Option<([u8; 7], u8)>,
    /// The policy's threshold ([`threshold_of`]).
    threshold: f64,
}

impl Matcher {
    /// A matcher for a local policy.
    pub fn new(policy: Policy) -> Matcher {
        Matcher::build(policy, BTreeMap::new())
    }

    fn build(policy: Policy, supplied: BTreeMap<(ClaimKind, Option<AddressPart>), Vec<String>>) -> Matcher {
        let cheapest_first = cheapest_first(&policy);
        let threshold = threshold_of(&policy);
        Matcher { policy, supplied, frequencies: None, cheapest_first, threshold }
    }

    /// A matcher for a local policy with an Okta claims request merged over it: the request only
    /// tightens the policy (which claims are required, exact comparison); the values it carries are
    /// ignored and the directory record's are compared. This is the form for any path that records
    /// a decision, whoever sent the request.
    pub fn with_okta(policy: &Policy, request: &OktaClaimsRequest) -> Matcher {
        Matcher::build(policy.merge_okta(request).policy, BTreeMap::new())
    }

    /// Like [`Matcher::with_okta`], but the values in the request take the place of the record's.
    /// Only for a verification vendor answering Okta's own, authenticated PAR (Okta is the caller and
    /// its request is the directory side); never on a path that records a decision.
    pub fn with_okta_values(policy: &Policy, request: &OktaClaimsRequest) -> Matcher {
        let MergedPolicy { policy, supplied } = policy.merge_okta(request);
        Matcher::build(policy, supplied)
    }

    /// This matcher with a directory's frequency table: agreement on a name or birthdate weighs by how
    /// rare the record's value is in that directory (see [`super::frequency`]). A table that adjusts
    /// nothing (a small directory) leaves the built-in priors.
    pub fn with_frequencies(mut self, table: Arc<FrequencyTable>) -> Matcher {
        self.frequencies = (!table.is_empty()).then_some(table);
        self
    }

    /// This matcher with the frequency table of `other` (a line's own policy in a run over one
    /// directory keeps the run's frequencies).
    pub fn with_frequencies_of(mut self, other: &Matcher) -> Matcher {
        self.frequencies = other.frequencies.clone();
        self
    }

    /// The frequency table in use, if any.
    pub fn frequencies(&self) -> Option<&FrequencyTable> {
        self.frequencies.as_deref()
    }

    /// The effective policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Compares verified claims with a directory record and decides.
    pub fn decide(&self, verified: &VerifiedClaims, user: &DirectoryUser) -> MatchReport {
        self.assess_claims(verified, user).into_report()
    }

    /// Only the decision of [`Matcher::decide`], for the decision-only batch path. When the birthdate
    /// alone already trips a hard guard (it differs, is unreadable, or a required one is missing),
    /// the decision is `no_match` whatever else agrees (every such guard is), and nothing else is
    /// read: names and addresses cost most of the preparation.
    pub fn decide_only(&self, verified: &VerifiedClaims, user: &DirectoryUser) -> Decision {
        if self.birthdate_fails(verified, user) {
            return Decision::NoMatch;
        }
        let verified = self.prepare_verified(verified);
        self.decide_prepared(&verified, &self.prepare_record_facing(user, &verified))
    }

    /// Whether the policy's birthdate claim (named once) fails a hard guard on its own: the same
    /// evidence as in [`Matcher::match_prepared`], from both sides read for that claim only.
    fn birthdate_fails(&self, verified: &VerifiedClaims, user: &DirectoryUser) -> bool {
        let mut rules = self.policy.claims.iter().filter(|r| r.kind == ClaimKind::Birthdate);
        let (Some(rule), None) = (rules.next(), rules.next()) else { return false };
        let only = Some(ClaimKind::Birthdate);
        let evidence =
            self.evidence(rule, &self.prepare_verified_for(verified, only), &self.prepare_record_for(user, only, None));
        let result = evidence.result();
        let mut tally = Tally::default();
        tally.add(rule, result.outcome, &result.reasons, 0.0);
        tally.fails()
    }

    /// Reads a directory record once for many comparisons: names parsed and folded, address parts
    /// normalized, birthdate parsed, phone number in E.164, email lower-cased — only for the claims
    /// this matcher's policy compares (with the values of an Okta request in place of the record's
    /// only for a [`Matcher::with_okta_values`] matcher). Use it with this matcher only.
    pub fn prepare_record(&self, user: &DirectoryUser) -> PreparedRecord {
        self.prepare_record_for(user, None, None)
    }

    /// [`Matcher::prepare_record`] for a comparison with `verified` only (one pair): a phone number or
    /// email the verified side does not carry, or an address of which it has no part, is read only as
    /// far as its outcome needs (present, blank, a placeholder, unreadable) — the same report, without
    /// normalizing what nothing compares.
    pub(crate) fn prepare_record_facing(&self, user: &DirectoryUser, verified: &PreparedVerified) -> PreparedRecord {
        self.prepare_record_for(user, None, Some(verified))
    }

    /// [`Matcher::prepare_record`] for every claim of the policy, or `only` one (non-address) claim;
    /// `facing` as in [`Matcher::prepare_record_facing`].
    fn prepare_record_for(
        &self,
        user: &DirectoryUser,
        only: Option<ClaimKind>,
        facing: Option<&PreparedVerified>,
    ) -> PreparedRecord {
        let mut values = Candidates::default();
        let mut invisible = [false; 7];
        let mut address = None;
        let mut supplied_names = false;
        let own_country = user.address.country.as_deref();
        let mut country = None;
        if only.is_none() && self.policy.rule(ClaimKind::Address).is_some() {
            // Parts with copy-paste invisibles, read without them (a data-quality finding). A blank
            // part has none, nor is it a placeholder: neither needs `get`'s blank check.
            let own = AddressParts::from(&user.address);
            let cleaned: Vec<(AddressPart, String)> = AddressPart::ALL
                .iter()
                .filter_map(|(part, _)| without_copy_paste_invisibles(own.given(*part)?).map(|c| (*part, c)))
                .collect();
            invisible[ClaimKind::Address as usize] = !cleaned.is_empty();
            let mut directory = own;
            for (part, value) in &cleaned {
                directory.set(*part, Some(value));
            }
            for (part, _) in AddressPart::ALL {
                if directory.given(part).is_some_and(is_placeholder) {
                    directory.set(part, None);
                }
                if let Some(value) = self.supplied.get(&(ClaimKind::Address, Some(part))).and_then(|v| v.first()) {
                    directory.set(part, Some(value));
                }
            }
            // Facing a verified side with no address part to compare, the parts are not read.
            let prepared = PreparedAddress::read(&directory, facing.is_none_or(|v| v.address.has_text()));
            // The address read the record's own country as it is: its code is the record's.
            if directory.get(AddressPart::Country) == own_country {
                country = Some(prepared.country());
            }
            address = Some(prepared);
        }
        // Only a phone number reads the record's country: not read for one other claim alone (the
        // decision-only shortcut's birthdate).
        let country = match country {
            Some(country) => country,
            None if only.is_some_and(|kind| kind != ClaimKind::PhoneNumber) => None,
            None => own_country.and_then(normalize_country),
        };
        for rule in &self.policy.claims {
            if only.is_some_and(|kind| kind != rule.kind) || rule.kind == ClaimKind::Address {
                continue;
            }
            // A phone number or email the verified side lacks is compared with nothing: its outcome
            // needs only whether it is a placeholder.
            let unread = matches!(rule.kind, ClaimKind::PhoneNumber | ClaimKind::Email)
                && facing
                    .is_some_and(|v| matches!(v.values[rule.kind as usize], VerValue::Absent | VerValue::Unreadable));
            let mut read = |raw: &str| match rule.kind {
                // Names keep their own note of removed invisibles (`PreparedName::directory`).
                ClaimKind::GivenName | ClaimKind::MiddleName | ClaimKind::FamilyName => {
                    self.directory_value(rule, raw, country, unread)
                }
                _ => match without_copy_paste_invisibles(raw) {
                    Some(cleaned) => {
                        invisible[rule.kind as usize] = true;
                        self.directory_value(rule, &cleaned, country, unread)
                    }
                    None => self.directory_value(rule, raw, country, unread),
                },
            };
            match self.supplied.get(&(rule.kind, None)) {
                Some(supplied) => {
                    supplied_names |= matches!(rule.kind, ClaimKind::GivenName | ClaimKind::FamilyName);
                    values.set(rule.kind, supplied.iter().map(|v| read(v)));
                }
                None => values.set(rule.kind, directory_value(user, rule.kind).map(read)),
            }
        }
        // The swapped-names check reads the record's own names, not supplied ones.
        let names = match (user.name.given.as_deref(), user.name.family.as_deref()) {
            _ if !supplied_names || !self.swap_allowed() => RecordNames::FromValues,
            (Some(g), Some(f)) => RecordNames::Own(Box::new((PreparedName::directory(g), PreparedName::directory(f)))),
            _ => RecordNames::Missing,
        };
        let address = address.unwrap_or_else(|| PreparedAddress::new(&AddressParts::default()));
        let adjust = match &self.frequencies {
            Some(table) if only.is_none() => {
                let date = match values.first(ClaimKind::Birthdate) {
                    Some(DirValue::Date(d)) => *d,
                    _ => None,
                };
                adjustments(
                    table,
                    values.first_name(ClaimKind::GivenName),
                    values.first_name(ClaimKind::FamilyName),
                    date,
                )
            }
            _ => Adjustments::default(),
        };
        PreparedRecord { values, address, country, names, invisible, adjust }
    }

    /// Reads verified claims once (see [`Matcher::prepare_record`]).
    pub fn prepare_verified(&self, verified: &VerifiedClaims) -> PreparedVerified {
        self.prepare_verified_for(verified, None)
    }

    /// [`Matcher::prepare_verified`] for every claim of the policy, or `only` one (non-address) claim.
    fn prepare_verified_for(&self, verified: &VerifiedClaims, only: Option<ClaimKind>) -> PreparedVerified {
        // The address reads the verified country as it is: its code is the claims' own.
        let address = (only.is_none() && self.policy.rule(ClaimKind::Address).is_some())
            .then(|| PreparedAddress::new(&AddressParts::from(verified)));
        let read_country = || verified.address_part(AddressPart::Country).text().and_then(normalize_country);
        // One claim other than the phone number (the decision-only shortcut reads the birthdate
        // alone): the country is read only if an ambiguous numeric date needs it.
        let lazy = address.is_none() && only.is_some_and(|kind| kind != ClaimKind::PhoneNumber);
        let country = match &address {
            Some(address) => address.country(),
            None if lazy => None,
            None => read_country(),
        };
        let mut values: [VerValue; 7] = Default::default();
        for rule in &self.policy.claims {
            if only.is_some_and(|kind| kind != rule.kind) || rule.kind == ClaimKind::Address {
                continue;
            }
            values[rule.kind as usize] = match verified.get(rule.kind) {
                Claimed::Absent => VerValue::Absent,
                Claimed::Unreadable => VerValue::Unreadable,
                Claimed::Text(v) => match rule.kind {
                    ClaimKind::GivenName | ClaimKind::MiddleName | ClaimKind::FamilyName => {
                        VerValue::Name(Box::new(PreparedName::new(v)))
                    }
                    ClaimKind::Birthdate => {
                        VerValue::Date(read_verified_date(v, verified, || if lazy { read_country() } else { country }))
                    }
                    ClaimKind::Email => VerValue::Email(Box::new(PreparedEmail::new(v))),
                    ClaimKind::PhoneNumber => {
                        VerValue::Phone(Box::new(PreparedPhone::new(v, rule.default_region.as_deref().or(country))))
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
        self.assess(verified, record).into_report()
    }

    /// The report of [`Matcher::decide`] before its maps are built (what the report's codes and JSON
    /// text are written from).
    pub(crate) fn assess_claims(&self, verified: &VerifiedClaims, user: &DirectoryUser) -> Assessed {
        let verified = self.prepare_verified(verified);
        self.assess(&verified, &self.prepare_record_facing(user, &verified))
    }

    /// The report of [`Matcher::match_prepared`] before its maps are built (what the report's codes
    /// and JSON text are written from).
    pub(crate) fn assess(&self, verified: &PreparedVerified, record: &PreparedRecord) -> Assessed {
        let claims = self.evidence_all(verified, record);
        let (decision, explained) = decide(&self.policy, self.threshold, &claims, &record.adjust);
        Assessed { decision, claims, explained }
    }

    /// Only the decision of [`Matcher::match_prepared`] (the report is not assembled). The claims are
    /// compared cheapest first, and as soon as one whose evidence nothing later changes trips a guard
    /// that fails the decision (see [`settled_failure`]), the answer is `no_match` without comparing
    /// the rest: a birthdate that differs spares the names and the address.
    pub fn decide_prepared(&self, verified: &PreparedVerified, record: &PreparedRecord) -> Decision {
        // A claim named twice: each rule weighs the last one's evidence (see `evidence_all`).
        let Some((order, count)) = &self.cheapest_first else {
            return decide(&self.policy, self.threshold, &self.evidence_all(verified, record), &record.adjust).0;
        };
        let mut claims: AllEvidence = Default::default();
        for &index in &order[..usize::from(*count)] {
            let rule = &self.policy.claims[usize::from(index)];
            let evidence = self.evidence(rule, verified, record);
            if settled_failure(rule, &evidence) {
                return Decision::NoMatch;
            }
            claims[rule.kind as usize] = Some(evidence);
        }
        self.settle(verified, record, &mut claims);
        decide(&self.policy, self.threshold, &claims, &record.adjust).0
    }

    fn directory_value(&self, rule: &ClaimRule, raw: &str, country: Option<&'static str>, unread: bool) -> DirValue {
        if is_placeholder(raw) {
            return DirValue::Placeholder;
        }
        if unread {
            return DirValue::Unread;
        }
        match rule.kind {
            ClaimKind::GivenName | ClaimKind::MiddleName | ClaimKind::FamilyName => {
                DirValue::Name(Box::new(PreparedName::directory(raw)))
            }
            ClaimKind::Birthdate => DirValue::Date(read_directory_date(raw)),
            ClaimKind::Email => DirValue::Email(Box::new(PreparedEmail::new(raw))),
            ClaimKind::PhoneNumber => {
                DirValue::Phone(Box::new(PreparedPhone::new(raw, rule.default_region.as_deref().or(country))))
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
        self.settle(verified, record, &mut claims);
        claims
    }

    /// The rules that read several claims at once and change the names' evidence: swapped names, a
    /// given name that is the record's middle name, a changed family name.
    fn settle(&self, verified: &PreparedVerified, record: &PreparedRecord, claims: &mut AllEvidence) {
        self.apply_swapped_names(verified, record, claims);
        apply_goes_by_middle_name(verified, record, claims);
        apply_compound_given_name(verified, record, claims);
        self.apply_family_name_changed(verified, record, claims);
    }

    fn evidence(&self, rule: &ClaimRule, verified: &PreparedVerified, record: &PreparedRecord) -> Evidence {
        let invisible = record.invisible[rule.kind as usize];
        if rule.kind == ClaimKind::Address {
            let (mut overall, parts) = compare_prepared_parts(&verified.address, &record.address, rule);
            if invisible {
                overall.reasons.push(Reason::DirectoryInvisible);
            }
            return Evidence::Address(overall, parts);
        }
        let candidates = || record.values.of(rule.kind);
        let claimed = &verified.values[rule.kind as usize];
        let result = match (claimed, record.values.first(rule.kind).is_none()) {
            (VerValue::Unreadable, _) => ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable]),
            (_, true) => ClaimResult::without_value(Outcome::MissingDirectory, Vec::new()),
            // Only placeholders (`N/A`, `-`, `unknown`…): missing, with the data-quality reason.
            (_, false) if candidates().all(|c| matches!(c, DirValue::Placeholder)) => {
                ClaimResult::without_value(Outcome::MissingDirectory, [Reason::PlaceholderValue])
            }
            (VerValue::Absent, false) => ClaimResult::without_value(Outcome::MissingVerified, Vec::new()),
            (v, false) => {
                // Several supplied values (OIDC `values`): the best comparison counts.
                let mut results = candidates()
                    .filter(|c| !matches!(c, DirValue::Placeholder))
                    .map(|d| self.compare(rule, v, d, verified, record));
                let first = results.next();
                let best = first.map(|f| results.fold(f, |best, r| if better(&r, &best) { r } else { best }));
                best.unwrap_or_else(|| ClaimResult::without_value(Outcome::MissingDirectory, Vec::new()))
            }
        };
        let mut result = result;
        if invisible && matches!(result.outcome, Outcome::Match | Outcome::Mismatch | Outcome::Invalid) {
            result.reasons.push(Reason::DirectoryInvisible);
        }
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
            RecordNames::FromValues => {
                (record.values.first_name(ClaimKind::GivenName), record.values.first_name(ClaimKind::FamilyName))
            }
        };
        let (Some(vg), Some(vf), Some(dg), Some(df)) =
            (verified.name(ClaimKind::GivenName), verified.name(ClaimKind::FamilyName), dg, df)
        else {
            return;
        };
        if prepared_names_swapped(vg, vf, dg, df) {
            for kind in [ClaimKind::GivenName, ClaimKind::FamilyName] {
                claims[kind as usize] =
                    Some(Evidence::Single(ClaimResult::new(Outcome::Match, 0.9, [Reason::NamesSwapped])));
            }
        } else if let Some(typo) = prepared_names_swapped_with_typo(vg, vf, dg, df) {
            // Swapped and misspelled: both claims weigh as the worse pair's typo level.
            for kind in [ClaimKind::GivenName, ClaimKind::FamilyName] {
                claims[kind as usize] =
                    Some(Evidence::Single(ClaimResult::new(Outcome::Match, 0.85, [Reason::NamesSwapped, typo])));
            }
        }
    }
}

impl Matcher {
    /// A family name that differs outright, with the given name and a non-placeholder birthdate
    /// agreeing and the address (street and postal code), phone or email corroborating: the married
    /// or changed surname. The claim stays a mismatch but carries `FAMILY_NAME_CHANGED` (level
    /// `changed`, a strong negative weight) instead of tripping the guard. With the same evidence, the
    /// given name as written or folded and the middle name not differing, a family name the typo rule
    /// refused as a start of the other (`PREFIX_NAME`) that keeps 4 letters or more is the surname cut
    /// short: a match (`SURNAME_SUBSET`, `compare::names::corroborated_family`).
    fn apply_family_name_changed(
        &self,
        verified: &PreparedVerified,
        record: &PreparedRecord,
        claims: &mut AllEvidence,
    ) {
        let Some(rule) = self.policy.rule(ClaimKind::FamilyName).filter(|r| r.mode == MatchMode::Fuzzy) else {
            return;
        };
        let result = |kind: ClaimKind| claims[kind as usize].as_ref().map(|e| (level_of(kind, e.result()), e.result()));
        let (Some((given, _)), Some((birthdate, born))) = (result(ClaimKind::GivenName), result(ClaimKind::Birthdate))
        else {
            return;
        };
        if !changed_family_name_allowed(given, birthdate, &born.reasons) || !corroborated(claims) {
            return;
        }
        let cut_allowed = rule.allow.typos
            && matches!(given, Level::Exact | Level::Folded)
            && result(ClaimKind::MiddleName).is_none_or(|(_, r)| r.outcome != Outcome::Mismatch);
        let names =
            match (&verified.values[ClaimKind::FamilyName as usize], record.values.first_name(ClaimKind::FamilyName)) {
                (VerValue::Name(v), Some(d)) => Some((v, d)),
                _ => None,
            };
        if let Some(Evidence::Single(result)) = &mut claims[ClaimKind::FamilyName as usize] {
            if cut_allowed && result.reasons.contains(&Reason::PrefixName) {
                let mut plain = Reasons::new();
                for r in result.reasons.iter().filter(|r| *r != Reason::PrefixName) {
                    plain.push(r);
                }
                let cut = names.and_then(|(v, d)| corroborated_family_names(v, d));
                if let (true, Some((score, reason))) = (changed_family_name_candidate(result.outcome, &plain), cut) {
                    plain.push(reason);
                    *result = ClaimResult::new(Outcome::Match, score, plain);
                    return;
                }
            }
            if changed_family_name_candidate(result.outcome, &result.reasons) {
                result.reasons.push(Reason::FamilyNameChanged);
            }
        }
    }
}

/// Family-name mismatch reasons that say the two names are related, or a value cannot be trusted
/// (a prefix name, a gendered ending, Jr ~ Sr, another script, a spoof): never a changed name.
const NOT_A_CHANGED_NAME: Reasons = Reasons::of(&[
    Reason::GenerationalSuffixDiffers,
    Reason::PrefixName,
    Reason::NameEndingDiffers,
    Reason::ScriptDiffers,
    Reason::TransliteratedScript,
    Reason::NicknameAmbiguous,
    Reason::DistinctGivenNames,
    Reason::ShortNameOneLetterApart,
    Reason::GoesByMiddleName,
    Reason::SuspiciousMixedScript,
    Reason::SuspiciousConfusable,
    Reason::SuspiciousInvisible,
    Reason::SuspiciousBidiControl,
    Reason::SuspiciousControl,
]);

/// The order [`Matcher::decide_prepared`] compares claims in: the cheap ones that most often settle a
/// `no_match` (the birthdate) first, the names and the address last.
const CHEAPEST_FIRST: [ClaimKind; 7] = [
    ClaimKind::Birthdate,
    ClaimKind::Email,
    ClaimKind::PhoneNumber,
    ClaimKind::GivenName,
    ClaimKind::FamilyName,
    ClaimKind::MiddleName,
    ClaimKind::Address,
];

/// The indices of the policy's rules in [`CHEAPEST_FIRST`] order, or `None` when the policy names a
/// claim twice.
fn cheapest_first(policy: &Policy) -> Option<([u8; 7], u8)> {
    let mut seen = 0u8;
    for rule in &policy.claims {
        if seen & 1 << rule.kind as u8 != 0 {
            return None;
        }
        seen |= 1 << rule.kind as u8;
    }
    // At most one rule per claim kind: at most 7 rules.
    let (mut order, mut count) = ([0u8; 7], 0u8);
    for kind in CHEAPEST_FIRST {
        if let Some(index) = policy.claims.iter().position(|r| r.kind == kind) {
            order[usize::from(count)] = index as u8;
            count += 1;
        }
    }
    Some((order, count))
}

/// Whether one claim's evidence alone makes the decision `no_match` whatever the other claims say:
/// it trips a failing guard (a spoofing finding, a required claim missing, a claim that differs and
/// fails under the policy — every such guard decides `no_match`), and no rule that reads several
/// claims changes it afterwards ([`Matcher::settle`] only rewrites a given or family name that
/// differs).
fn settled_failure(rule: &ClaimRule, evidence: &Evidence) -> bool {
    let result = evidence.result();
    let settled =
        !matches!(rule.kind, ClaimKind::GivenName | ClaimKind::FamilyName) || result.outcome != Outcome::Mismatch;
    if !settled {
        return false;
    }
    let mut tally = Tally::default();
    tally.add(rule, result.outcome, &result.reasons, 0.0);
    tally.fails()
}

/// Whether a family-name comparison is a plain difference a changed surname can explain.
pub(crate) fn changed_family_name_candidate(outcome: Outcome, reasons: &Reasons) -> bool {
    outcome == Outcome::Mismatch && !reasons.intersects(NOT_A_CHANGED_NAME)
}

/// Whether the given name and birthdate agree closely enough for a changed family name: the same
/// given name (as written, folded, a nickname, an OCR confusion or one accepted typo) and a birthdate
/// equal on a day that is not a placeholder (1 January, the namesakes' shape) nor another day
/// registries write for an unknown one (`REGISTRY_DEFAULT_DAY`: 1st of a month, 30 June, 1 July, 31 December).
pub(crate) fn changed_family_name_allowed(given: Level, birthdate: Level, birthdate_reasons: &Reasons) -> bool {
    matches!(given, Level::Exact | Level::Folded | Level::Nickname | Level::Ocr | Level::OneEdit)
        && matches!(birthdate, Level::Exact | Level::Folded)
        && !birthdate_reasons.contains(&Reason::RegistryDefaultDay)
}

/// Whether evidence independent of the names and birthdate agrees: the address with both its street
/// and its postal code matching, or the phone number, or the email.
fn corroborated(claims: &AllEvidence) -> bool {
    let matched =
        |kind: ClaimKind| claims[kind as usize].as_ref().is_some_and(|e| e.result().outcome == Outcome::Match);
    let address = match &claims[ClaimKind::Address as usize] {
        Some(Evidence::Address(overall, parts)) => {
            overall.outcome == Outcome::Match
                && [AddressPart::StreetAddress, AddressPart::PostalCode]
                    .iter()
                    .all(|p| parts[*p as usize].as_ref().is_some_and(|r| r.outcome == Outcome::Match))
        }
        _ => false,
    };
    address || matched(ClaimKind::PhoneNumber) || matched(ClaimKind::Email)
}

/// MARY ELIZABETH on the document, Elizabeth with middle name Mary in the directory: the given name
/// matches (the record itself says the person goes by the middle name).
fn apply_goes_by_middle_name(verified: &PreparedVerified, record: &PreparedRecord, claims: &mut AllEvidence) {
    let slot = &mut claims[ClaimKind::GivenName as usize];
    let Some(Evidence::Single(result)) = slot else { return };
    if result.outcome != Outcome::Mismatch || !result.reasons.contains(&Reason::GoesByMiddleName) {
        return;
    }
    let Some(given) = verified.name(ClaimKind::GivenName) else { return };
    if record.values.first_name(ClaimKind::MiddleName).is_some_and(|middle| first_part_is(given, middle)) {
        *result = ClaimResult::new(Outcome::Match, result.score, result.reasons);
    }
}

/// MARIA JOSE on the document, Maria with middle name Luisa in the directory (or MARIA + middle JOSE
/// against Maria Luisa): a given name matched as a subset whose parts left aside contradict the other
/// side's middle name is a twin's (María José ~ María Luisa), a mismatch (`DISTINCT_GIVEN_NAMES`;
/// `compare::names::compound`).
fn apply_compound_given_name(verified: &PreparedVerified, record: &PreparedRecord, claims: &mut AllEvidence) {
    let Some(Evidence::Single(result)) = &mut claims[ClaimKind::GivenName as usize] else { return };
    if result.outcome != Outcome::Match || !result.reasons.contains(&Reason::TokenSubset) {
        return;
    }
    let (Some(given), Some(directory_given)) =
        (verified.name(ClaimKind::GivenName), record.values.first_name(ClaimKind::GivenName))
    else {
        return;
    };
    let middles = (verified.name(ClaimKind::MiddleName), record.values.first_name(ClaimKind::MiddleName));
    if second_given_name_contradicts(given, directory_given, middles.0, middles.1) {
        let mut reasons: Reasons = result.reasons.iter().filter(|r| *r != Reason::TokenSubset).collect();
        reasons.push(Reason::DistinctGivenNames);
        *result = ClaimResult::new(Outcome::Mismatch, result.score, reasons);
    }
}

/// A directory record read once by [`Matcher::prepare_record`].
#[derive(Debug, Clone)]
pub struct PreparedRecord {
    /// Per claim kind: the candidate values, usually one.
    values: Candidates,
    address: PreparedAddress,
    /// The record's own country code (a phone number's region hint).
    country: Option<&'static str>,
    /// The record's own given and family names, for the swapped-names check.
    names: RecordNames,
    /// Per claim kind (by discriminant): a non-name value carried copy-paste invisibles (removed).
    invisible: [bool; 7],
    /// The frequency adjustments of the record's given name, family name and birthdate.
    adjust: Adjustments,
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

/// A record's candidate values by claim kind: the first of each kind in place (most claims have one
/// value or none: no block of its own, no pointer to follow when deciding), the rest (several values
/// an Okta request supplied) apart, in order.
#[derive(Debug, Clone, Default)]
struct Candidates {
    first: [DirValue; 7],
    more: Vec<(ClaimKind, DirValue)>,
}

impl Candidates {
    /// Makes `values` the candidates of `kind` (replacing any it had).
    fn set(&mut self, kind: ClaimKind, values: impl IntoIterator<Item = DirValue>) {
        self.more.retain(|(k, _)| *k != kind);
        let mut values = values.into_iter();
        self.first[kind as usize] = values.next().unwrap_or_default();
        self.more.extend(values.map(|v| (kind, v)));
    }

    /// The first candidate of `kind`, if it has any.
    fn first(&self, kind: ClaimKind) -> Option<&DirValue> {
        Some(&self.first[kind as usize]).filter(|v| !matches!(v, DirValue::Absent))
    }

    /// Every candidate of `kind`, in order.
    fn of(&self, kind: ClaimKind) -> impl Iterator<Item = &DirValue> {
        self.first(kind).into_iter().chain(self.more.iter().filter(move |(k, _)| *k == kind).map(|(_, v)| v))
    }

    /// The first candidate of a name claim.
    fn first_name(&self, kind: ClaimKind) -> Option<&PreparedName> {
        match self.first(kind) {
            Some(DirValue::Name(n)) => Some(n),
            _ => None,
        }
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

impl PreparedVerified {
    /// The claim's value when it is a readable name.
    fn name(&self, kind: ClaimKind) -> Option<&PreparedName> {
        match &self.values[kind as usize] {
            VerValue::Name(n) => Some(n),
            _ => None,
        }
    }
}

/// Every claim's evidence by claim kind (discriminant), `None` for claims the policy leaves out.
pub(crate) type AllEvidence = [Option<Evidence>; 7];

/// A claim's evidence while deciding: the address parts by position, made a map only for a report.
#[derive(Debug, Clone)]
pub(crate) enum Evidence {
    Single(ClaimResult),
    Address(ClaimResult, PartResults),
}

impl Evidence {
    pub(crate) fn result(&self) -> &ClaimResult {
        match self {
            Evidence::Single(r) | Evidence::Address(r, _) => r,
        }
    }
}

/// A prepared directory value. The larger values are boxed: most claims are a date or absent, and
/// loaded pairs keep every value (a few bytes each instead of the largest variant's size).
#[derive(Debug, Clone, Default)]
enum DirValue {
    /// No value (a claim kind without candidates).
    #[default]
    Absent,
    Name(Box<PreparedName>),
    Date(Option<Date>),
    Phone(Box<PreparedPhone>),
    Email(Box<PreparedEmail>),
    /// A placeholder such as `N/A`: read as missing.
    Placeholder,
    /// A value (not a placeholder) left unread: the verified side has no value to compare with it
    /// ([`Matcher::prepare_record_facing`]).
    Unread,
}

/// A prepared verified value (larger values boxed, see [`DirValue`]).
#[derive(Debug, Clone, Default)]
enum VerValue {
    #[default]
    Absent,
    Unreadable,
    Name(Box<PreparedName>),
    Date(VerifiedDate),
    Phone(Box<PreparedPhone>),
    Email(Box<PreparedEmail>),
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

/// Directory values that stand for "no value" (compared lower case, trimmed).
/// (`Na` is a name, so is `Nil`: neither is listed.)
const PLACEHOLDERS: [&str; 11] =
    ["n/a", "n.a.", "-", "--", "---", "?", "unknown", "none", "null", "tbd", "not applicable"];

/// Whether a directory value is a placeholder rather than a value.
pub(crate) fn is_placeholder(raw: &str) -> bool {
    let t = raw.trim();
    // Every placeholder starts with one of these (most values are names, dates and numbers: one
    // comparison instead of eleven).
    let lead = t.as_bytes().first().map(u8::to_ascii_lowercase);
    t.len() <= 16
        && matches!(lead, Some(b'n' | b'-' | b'?' | b'u' | b't'))
        && PLACEHOLDERS.iter().any(|p| t.eq_ignore_ascii_case(p))
}

/// Countries whose documents write numeric dates month first.
const MONTH_FIRST: [&str; 9] = ["US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR"];
/// Countries where both orders are common: no order can be taken from them.
const MIXED_ORDER: [&str; 1] = ["CA"];

/// Reads a verified birthdate; a numeric date whose day/month order is ambiguous is read in the
/// order of the document's issuing country, else of the verified address's country (with a reason
/// saying which), else stays ambiguous.
fn read_verified_date(
    raw: &str,
    verified: &VerifiedClaims,
    address_country: impl FnOnce() -> Option<&'static str>,
) -> VerifiedDate {
    let read = VerifiedDate::read(raw);
    if read != VerifiedDate::Invalid(Reason::AmbiguousDate) {
        return read;
    }
    let issuing = verified.issuing_country().and_then(normalize_country);
    let (country, reason) = match issuing {
        Some(c) => (c, Reason::DateOrderFromIssuingCountry),
        None => match address_country() {
            Some(c) => (c, Reason::DateOrderFromAddressCountry),
            None => return read,
        },
    };
    if MIXED_ORDER.contains(&country) {
        return read;
    }
    let order = if MONTH_FIRST.contains(&country) { DateOrder::Mdy } else { DateOrder::Dmy };
    match parse_date(raw.trim(), order) {
        Ok(date) => VerifiedDate::Ordered(date, reason),
        Err(_) => read,
    }
}

/// The security findings: a claim carrying one trips the spoofing guard.
const SPOOFING: Reasons = Reasons::of(&[
    Reason::SuspiciousMixedScript,
    Reason::SuspiciousConfusable,
    Reason::SuspiciousInvisible,
    Reason::SuspiciousBidiControl,
    Reason::SuspiciousControl,
]);

/// Mismatch reasons that send the case to a person instead of failing it: a short form several names
/// share, a name equal only once transliterated from another script, a given name that is the
/// record's middle name, a short given name one letter off (a twin's, or a typo).
const TO_REVIEW: Reasons = Reasons::of(&[
    Reason::NicknameAmbiguous,
    Reason::TransliteratedScript,
    Reason::GoesByMiddleName,
    Reason::ShortNameOneLetterApart,
]);

/// The hard-guard flags and total weight of one decision's claims. The engine and shadow replay
/// fold claims into it, so both decide by the same rules.
#[derive(Default)]
pub(crate) struct Tally {
    spoof: bool,
    missing: bool,
    differs: bool,
    review: bool,
    matched: bool,
    /// A family name differs as a changed surname (`FAMILY_NAME_CHANGED`): weighed, not a guard.
    changed: bool,
    total: f64,
}

impl Tally {
    /// Adds one claim compared under `rule`: its weight, and what its outcome means for the guards.
    pub(crate) fn add(&mut self, rule: &ClaimRule, outcome: Outcome, reasons: &Reasons, weight: f64) {
        self.total += weight;
        self.spoof |= reasons.intersects(SPOOFING);
        match outcome {
            Outcome::Match => self.matched = true,
            // Ambiguous evidence goes to a person, never fails (see `TO_REVIEW`).
            Outcome::Mismatch if reasons.intersects(TO_REVIEW) => {
                if rule.on_mismatch != OnMismatch::Flag {
                    self.review = true;
                }
            }
            Outcome::Mismatch | Outcome::Invalid => match rule.on_mismatch {
                OnMismatch::Fail if reasons.contains(&Reason::FamilyNameChanged) => self.changed = true,
                OnMismatch::Fail => self.differs = true,
                OnMismatch::Review => self.review = true,
                OnMismatch::Flag => {}
            },
            Outcome::MissingDirectory | Outcome::MissingVerified => {
                let action = if outcome == Outcome::MissingDirectory {
                    rule.on_missing_directory
                } else {
                    rule.on_missing_verified
                };
                match action {
                    _ if rule.required => self.missing = true,
                    OnMissing::Fail => self.missing = true,
                    OnMissing::Review => self.review = true,
                    OnMissing::Skip => {}
                }
            }
        }
    }

    /// Whether a guard that makes the decision `no_match` is already tripped (spoofing, a required
    /// claim missing, a failing claim that differs): more claims cannot undo it.
    pub(crate) fn fails(&self) -> bool {
        self.spoof || self.missing || self.differs
    }

    /// The guard that decides, if any, then the decision against `threshold`; with the total rounded
    /// to two decimals. A changed family name goes to a person (`review`) at every operating point:
    /// a person checks the document (a marriage certificate), the engine never matches it.
    pub(crate) fn decide(&self, threshold: f64) -> (Decision, Option<Guard>, f64) {
        let guard = if self.spoof {
            Some(Guard::Spoofing)
        } else if self.missing {
            Some(Guard::RequiredMissing)
        } else if self.differs {
            Some(Guard::ClaimDiffers)
        } else if !self.matched {
            Some(Guard::NothingAgrees)
        } else if self.review || self.changed {
            Some(Guard::Review)
        } else {
            None
        };
        let decision = match guard {
            Some(Guard::Review) => Decision::Review,
            Some(_) => Decision::NoMatch,
            None if self.total >= threshold => Decision::Match,
            None => Decision::NoMatch,
        };
        (decision, guard, (self.total * 100.0).round() / 100.0)
    }
}

/// A policy's threshold: its operating point's, scaled by the share of the default's required weight
/// the policy can reach (a policy requiring fewer claims, say names only, can reach less).
pub(crate) fn threshold_of(policy: &Policy) -> f64 {
    let reachable: f64 = policy.claims.iter().filter(|r| r.required).map(|r| weight(r.kind, Level::Exact)).sum();
    let scale = (reachable / core_weight()).clamp(0.0, 1.0);
    (policy.operating_point.threshold() * scale * 100.0).round() / 100.0
}

/// The combined decision. Hard guards first — a spoofing finding, a required claim missing, a
/// claim whose mismatch fails under the policy (the birthdate, a refused name), no agreeing claim —
/// then the total weight against the operating point's threshold; a claim routed to `review`
/// makes an otherwise matching case `review`.
fn decide(policy: &Policy, threshold: f64, claims: &AllEvidence, adjust: &Adjustments) -> (Decision, Explained) {
    let mut tally = Tally::default();
    let mut weighed: [Option<Weighed>; 7] = Default::default();
    for rule in &policy.claims {
        let Some(evidence) = &claims[rule.kind as usize] else { continue };
        let result = evidence.result();
        let level = level_of(rule.kind, result);
        let by_frequency = adjust.of(rule.kind, level);
        let w = weight(rule.kind, level) + by_frequency;
        // A claim named twice: the explanation keeps the last rule's weight, the total counts both.
        let frequency = (by_frequency != 0.0).then_some(by_frequency);
        weighed[rule.kind as usize] = Some(Weighed { level, weight: w, frequency });
        tally.add(rule, result.outcome, &result.reasons, w);
    }
    let (decision, guard, total) = tally.decide(threshold);
    (decision, Explained { weighed, total, operating_point: policy.operating_point, threshold, guard })
}

/// An [`Explanation`] with the per-claim weights by claim kind (discriminant) instead of a map.
#[derive(Debug, Clone)]
pub(crate) struct Explained {
    /// Each claim's weight, `None` for claims the policy leaves out.
    pub(crate) weighed: [Option<Weighed>; 7],
    /// The sum of the weights (bits).
    pub(crate) total: f64,
    /// The policy's operating point.
    pub(crate) operating_point: OperatingPoint,
    /// The total a `match` needs (bits).
    pub(crate) threshold: f64,
    /// The hard guard that decided, if one did.
    pub(crate) guard: Option<Guard>,
}

/// A [`MatchReport`] before its maps are built: the claims' evidence and weights by claim kind, in
/// the maps' key order (claim kinds and address parts are sorted by discriminant).
#[derive(Debug, Clone)]
pub(crate) struct Assessed {
    /// The overall decision.
    pub(crate) decision: Decision,
    /// Every claim's evidence.
    pub(crate) claims: AllEvidence,
    /// How the decision was reached.
    pub(crate) explained: Explained,
}

impl Assessed {
    /// The report, its maps built.
    pub(crate) fn into_report(self) -> MatchReport {
        let Assessed { decision, claims, explained } = self;
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
                            .collect_map();
                        ClaimEvidence::Address(AddressResult { overall, parts })
                    }
                };
                (kind, evidence)
            })
            .collect_map();
        let Explained { weighed, total, operating_point, threshold, guard } = explained;
        let weighed =
            ClaimKind::ALL.iter().zip(weighed).filter_map(|((kind, _), w)| w.map(|w| (*kind, w))).collect_map();
        MatchReport {
            decision,
            claims,
            explanation: Explanation { claims: weighed, total, operating_point, threshold, guard },
        }
    }

    /// The arrays of a built report (what [`Assessed::into_report`] made of them).
    pub(crate) fn of_report(report: &MatchReport) -> Assessed {
        let mut claims: AllEvidence = Default::default();
        for (kind, evidence) in &report.claims {
            claims[*kind as usize] = Some(match evidence {
                ClaimEvidence::Single(r) => Evidence::Single(r.clone()),
                ClaimEvidence::Address(a) => {
                    let mut parts: PartResults = Default::default();
                    for (part, r) in &a.parts {
                        parts[*part as usize] = Some(r.clone());
                    }
                    Evidence::Address(a.overall.clone(), parts)
                }
            });
        }
        let explanation = &report.explanation;
        let mut weighed: [Option<Weighed>; 7] = Default::default();
        for (kind, w) in &explanation.claims {
            weighed[*kind as usize] = Some(*w);
        }
        let explained = Explained {
            weighed,
            total: explanation.total,
            operating_point: explanation.operating_point,
            threshold: explanation.threshold,
            guard: explanation.guard,
        };
        Assessed { decision: report.decision, claims, explained }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::{is_placeholder, DirValue, Matcher, PLACEHOLDERS};
    use crate::claims::kinds::ClaimKind;
    use crate::claims::pairs::tests::{pair, Rng};
    use crate::claims::{Policy, VerifiedClaims};
    use crate::profile::normalize_user;

    /// The report of one pair with the record read in full and read facing the verified side, and
    /// whether the second left something unread.
    fn both_reports(matcher: &Matcher, verified: &Value, directory: &Value) -> Option<(String, String, bool)> {
        let user = normalize_user(directory, &matcher.policy().attribute_mapping()).ok()?.user;
        let verified = matcher.prepare_verified(&VerifiedClaims::from_json(verified));
        let (full, facing) = (matcher.prepare_record(&user), matcher.prepare_record_facing(&user, &verified));
        let unread = [ClaimKind::PhoneNumber, ClaimKind::Email]
            .iter()
            .any(|kind| matches!(facing.values.first(*kind), Some(DirValue::Unread)))
            || (!verified.address.has_text() && full.address.has_text());
        let report = |record| serde_json::to_string(&matcher.match_prepared(&verified, record)).ok();
        Some((report(&full)?, report(&facing)?, unread))
    }

    /// A record read facing one verified side (a phone number, an email or an address the side lacks
    /// left unread) reports as the record read in full: generated pairs (each claim present, absent,
    /// blank, unreadable, a placeholder, of another type) and written ones, under the default policy
    /// and one that compares and requires the phone number, the email and the address.
    #[test]
    fn a_record_read_facing_its_pair_reports_as_read_in_full() {
        let policies = [
            Policy::default(),
            Policy::from_json(&json!({"claims": {"given_name": {}, "email": {"required": true},
                "phone_number": {"required": true}, "address": {"required": true}}}))
            .expect("the policy reads"),
        ];
        let written = [
            (json!({"given_name": "Ana"}), json!({"firstName": "Ana", "mobilePhone": "N/A", "email": "unknown"})),
            (json!({"given_name": "Ana"}), json!({"firstName": "Ana", "mobilePhone": "+1 217\u{200b} 555 0100"})),
            (json!({"given_name": "Ana", "phone_number": 5}), json!({"firstName": "Ana", "mobilePhone": "555 0100"})),
            (json!({"given_name": "Ana", "address": "12 Main St"}), json!({"firstName": "Ana", "city": "Lyon"})),
            (json!({"given_name": "Ana", "address": {"locality": 7}}), json!({"firstName": "Ana", "city": "Lyon"})),
            (
                json!({"given_name": "Ana", "address": {}}),
                json!({"firstName": "Ana", "city": "N/A", "countryCode": "FR"}),
            ),
            (json!({"given_name": "Ana", "email": "a@b.fr"}), json!({"firstName": "Ana", "email": "A@B.FR"})),
        ];
        let mut rng = Rng(29);
        let generated = (0..4_000).filter_map(|_| {
            let pair: Value = serde_json::from_str(&pair(&mut rng)).ok()?;
            Some((pair.get("verified")?.clone(), pair.get("directory")?.clone()))
        });
        let (mut compared, mut unread) = (0, 0);
        for (verified, directory) in written.into_iter().chain(generated) {
            for policy in &policies {
                let matcher = Matcher::new(policy.clone());
                let Some((full, facing, left_unread)) = both_reports(&matcher, &verified, &directory) else { continue };
                assert_eq!(facing, full, "{verified} {directory}");
                compared += 1;
                unread += usize::from(left_unread);
            }
        }
        // Both paths are exercised.
        assert!(compared > 2_000 && unread > 500, "{compared} compared, {unread} with a part left unread");
    }

    #[test]
    fn every_placeholder_passes_the_first_letter_filter() {
        for p in PLACEHOLDERS {
            for written in [p.to_owned(), p.to_uppercase(), format!("  {p} ")] {
                assert!(is_placeholder(&written), "{written:?}");
            }
        }
        assert!(!is_placeholder("Nadia") && !is_placeholder("") && !is_placeholder("1990-01-01"));
    }
}
