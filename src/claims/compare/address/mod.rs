//! Addresses: compared part by part (street, locality, region, postal code, country), then combined.
//!
//! Each part is normalized first: USPS Publication 28 standard forms for street suffixes,
//! directionals and unit designators; PO boxes; ZIP5 keys for US postal codes and spacing/case-free
//! keys elsewhere; region and country names to their codes. Fuzzy mode then forgives typos in the
//! street words and the locality (edit-distance ratio ≥ the part's threshold), but never a different
//! house number, unit, PO box, postal code, region or country: those decide on their own. A part
//! with a security finding (look-alike letters, invisible or bidi characters) never matches.

mod fold;
mod places;
mod postal;
mod similarity;
mod street;
mod tables;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use crate::claims::kinds::{AddressPart, ClaimKind};
use crate::claims::policy::{default_rule, ClaimRule, PartRule};
use crate::claims::report::{ClaimResult, Outcome, Reason};
use crate::claims::verified::{Claimed, VerifiedClaims};
use crate::profile::PostalAddress;

pub use places::{normalize_country, normalize_locality, normalize_region};
pub use postal::normalize_postal;
pub use street::{normalize_street, StreetKey};

/// The five parts of an address, borrowed from wherever they live; blank parts count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressParts<'a> {
    /// Street lines, separated by newlines.
    pub street_address: Option<&'a str>,
    /// City or town.
    pub locality: Option<&'a str>,
    /// State, province or region (name or code).
    pub region: Option<&'a str>,
    /// Postal or ZIP code.
    pub postal_code: Option<&'a str>,
    /// Country (name, alpha-2 or alpha-3 code).
    pub country: Option<&'a str>,
    /// Parts present but not text (a number, an array): compared as `invalid`, never as a match.
    pub unreadable: BTreeSet<AddressPart>,
}

impl<'a> AddressParts<'a> {
    /// The value of a part, `None` when absent or blank.
    pub fn get(&self, part: AddressPart) -> Option<&'a str> {
        let value = match part {
            AddressPart::StreetAddress => self.street_address,
            AddressPart::Locality => self.locality,
            AddressPart::Region => self.region,
            AddressPart::PostalCode => self.postal_code,
            AddressPart::Country => self.country,
        };
        value.filter(|v| !v.trim().is_empty())
    }

    /// Reads an OIDC `address` claim object: string parts, or Okta's `{"value": …}` sub-claims;
    /// `country_code` (OIDC Identity Assurance) stands in for a missing `country`. `null` and blank
    /// parts are absent; other values (numbers, arrays) are unreadable, and so is every part of an
    /// address that is not an object.
    pub fn from_json(address: &'a Value) -> AddressParts<'a> {
        let mut parts = AddressParts::default();
        if !address.is_object() {
            if !address.is_null() {
                parts.unreadable = AddressPart::ALL.iter().map(|(p, _)| *p).collect();
            }
            return parts;
        }
        for (part, name) in AddressPart::ALL {
            let mut value = read_json(address.get(name));
            if part == AddressPart::Country && value == Ok(None) {
                value = read_json(address.get("country_code"));
            }
            match value {
                Ok(text) => *parts.slot(part) = text,
                Err(()) => {
                    parts.unreadable.insert(part);
                }
            }
        }
        parts
    }

    /// Replaces the value of a part (e.g. with a directory value an Okta request supplied).
    pub fn set(&mut self, part: AddressPart, value: Option<&'a str>) {
        *self.slot(part) = value;
        self.unreadable.remove(&part);
    }

    fn slot(&mut self, part: AddressPart) -> &mut Option<&'a str> {
        match part {
            AddressPart::StreetAddress => &mut self.street_address,
            AddressPart::Locality => &mut self.locality,
            AddressPart::Region => &mut self.region,
            AddressPart::PostalCode => &mut self.postal_code,
            AddressPart::Country => &mut self.country,
        }
    }
}

/// A part's text: `Ok(None)` when absent, null or blank, `Err` when not text.
fn read_json(value: Option<&Value>) -> Result<Option<&str>, ()> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str()).filter(|s| !s.trim().is_empty())),
        // `{"value": …}` is Okta's form; an object without `value` carries nothing (as `VerifiedClaims` reads it).
        Some(Value::Object(o)) => match o.get("value") {
            Some(Value::Object(_)) => Err(()),
            inner => read_json(inner),
        },
        Some(_) => Err(()),
    }
}

impl<'a> From<&'a VerifiedClaims> for AddressParts<'a> {
    /// Borrows the address parts of parsed verified claims.
    fn from(claims: &'a VerifiedClaims) -> Self {
        let mut parts = AddressParts::default();
        for (part, _) in AddressPart::ALL {
            match claims.address_part(part) {
                Claimed::Text(text) => *parts.slot(part) = Some(text),
                Claimed::Unreadable => {
                    parts.unreadable.insert(part);
                }
                Claimed::Absent => {}
            }
        }
        parts
    }
}

impl<'a> From<&'a PostalAddress> for AddressParts<'a> {
    /// Borrows a directory record's address.
    fn from(a: &'a PostalAddress) -> Self {
        AddressParts {
            street_address: a.street_address.as_deref(),
            locality: a.locality.as_deref(),
            region: a.region.as_deref(),
            postal_code: a.postal_code.as_deref(),
            country: a.country.as_deref(),
            unreadable: BTreeSet::new(),
        }
    }
}

/// The result of comparing two addresses: the combined outcome, and each part's.
///
/// In JSON the combined result's fields sit beside `parts`:
/// `{"outcome", "score", "reasons", "parts": {"street_address": {…}, …}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
pub struct AddressResult {
    /// The combined outcome, score (mean of the compared parts) and reasons (union of the parts').
    #[serde(flatten)]
    pub overall: ClaimResult,
    /// Each part the rule names, with its own result.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Partial<Record<AddressPart, ClaimResult>>"))]
    pub parts: BTreeMap<AddressPart, ClaimResult>,
}

/// Compares a verified address with the directory's under the `address` rule of a policy.
///
/// Each part is compared under the stricter of the claim's and the part's mode and threshold. A part
/// missing on either side is `missing_verified` / `missing_directory` (a part not given as text is
/// `invalid`). The combined outcome is `mismatch` if any compared part mismatches, else `invalid` if
/// a part is unreadable, else the missing outcome of a required part, else `match` if at least one
/// part was compared, else missing. Scores: 1 for an equal part, the similarity for a fuzzy one, 0
/// for a hard difference (house number, unit, box, postal code, region, country); the address score
/// is the mean over compared parts.
///
/// ```
/// use okta_directory::claims::compare::{compare_address, AddressParts};
/// use okta_directory::claims::{ClaimKind, Outcome, Policy};
/// let policy = Policy::default();
/// let rule = policy.rule(ClaimKind::Address).unwrap();
/// let verified = AddressParts { street_address: Some("12 MAIN ST APT 4"), postal_code: Some("62701"), ..Default::default() };
/// let directory = AddressParts { street_address: Some("12 Main Street #4"), postal_code: Some("62701-1234"), ..Default::default() };
/// assert_eq!(compare_address(&verified, &directory, rule).overall.outcome, Outcome::Match);
/// ```
pub fn compare_address(verified: &AddressParts<'_>, directory: &AddressParts<'_>, rule: &ClaimRule) -> AddressResult {
    let fallback;
    let part_rules: &[PartRule] = if rule.parts.is_empty() {
        fallback = default_rule(ClaimKind::Address).parts;
        &fallback
    } else {
        &rule.parts
    };
    // Each side's postal code and region are read in its own country, or the other side's when it
    // names none.
    let v_own = verified.get(AddressPart::Country).and_then(normalize_country);
    let d_own = directory.get(AddressPart::Country).and_then(normalize_country);
    let (v_country, d_country) = (v_own.or(d_own), d_own.or(v_own));

    let mut parts = BTreeMap::new();
    let mut required_missing = None;
    for pr in part_rules {
        let unreadable = verified.unreadable.contains(&pr.part) || directory.unreadable.contains(&pr.part);
        let result = match (verified.get(pr.part), directory.get(pr.part)) {
            _ if unreadable => ClaimResult::without_value(Outcome::Invalid, vec![Reason::Unparseable]),
            (None, _) => ClaimResult::without_value(Outcome::MissingVerified, Vec::new()),
            (_, None) => ClaimResult::without_value(Outcome::MissingDirectory, Vec::new()),
            // Spoofing (look-alike letters, invisible or bidi characters) is never a match.
            (Some(v), Some(d)) if !plain_ascii(v) || !plain_ascii(d) => match super::names::security_block(v, d) {
                Some(blocked) => blocked,
                None => compare_part(pr, rule, (v, v_country, v_own), (d, d_country, d_own)),
            },
            (Some(v), Some(d)) => compare_part(pr, rule, (v, v_country, v_own), (d, d_country, d_own)),
        };
        if pr.required && required_missing.is_none() && is_missing(result.outcome) {
            required_missing = Some(result.outcome);
        }
        parts.insert(pr.part, result);
    }
    AddressResult { overall: combine(&parts, required_missing, verified, directory), parts }
}

/// Printable ASCII (and line breaks) cannot carry a security finding: no other script, no invisible
/// or bidi character, no control; such values skip `inspect`.
fn plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
}

/// One side of a part: its text, the country it is read in, and its own country code.
type Side<'a> = (&'a str, Option<&'static str>, Option<&'static str>);

/// Compares one part present on both sides.
fn compare_part(pr: &PartRule, rule: &ClaimRule, verified: Side<'_>, directory: Side<'_>) -> ClaimResult {
    let ((v, v_country, v_own), (d, d_country, d_own)) = (verified, directory);
    // The claim's strictness applies to every part: the stricter mode and threshold win.
    let (mode, threshold) = (pr.mode.strictest(rule.mode), pr.threshold.max(rule.threshold));
    match pr.part {
        AddressPart::StreetAddress => {
            let (a, b) = (normalize_street(v), normalize_street(d));
            if a.is_empty() || b.is_empty() {
                ClaimResult::without_value(Outcome::Invalid, vec![Reason::Unparseable])
            } else {
                street::compare_street(&a, &b, mode, threshold)
            }
        }
        AddressPart::Locality => places::compare_locality(v, d, mode, threshold),
        AddressPart::Region => places::compare_region(v, v_country, d, d_country),
        AddressPart::PostalCode => postal::compare_postal(v, v_country, d, d_country),
        AddressPart::Country => places::compare_country(v, d, (v_own, d_own)),
    }
}

fn is_missing(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::MissingVerified | Outcome::MissingDirectory)
}

/// The combined result (see [`compare_address`] for the order of precedence).
fn combine(
    parts: &BTreeMap<AddressPart, ClaimResult>,
    required_missing: Option<Outcome>,
    verified: &AddressParts<'_>,
    directory: &AddressParts<'_>,
) -> ClaimResult {
    let reasons: Vec<Reason> = parts.values().flat_map(|r| r.reasons.iter().copied()).collect();
    let compared: Vec<f64> =
        parts.values().filter(|r| matches!(r.outcome, Outcome::Match | Outcome::Mismatch)).map(|r| r.score).collect();
    // At most five parts: the count converts exactly.
    let mean = if compared.is_empty() { 0.0 } else { compared.iter().sum::<f64>() / compared.len() as f64 };
    let any = |o: Outcome| parts.values().any(|r| r.outcome == o);
    if any(Outcome::Mismatch) {
        return ClaimResult::new(Outcome::Mismatch, mean, reasons);
    }
    if any(Outcome::Invalid) {
        return ClaimResult::without_value(Outcome::Invalid, reasons);
    }
    if let Some(missing) = required_missing {
        return ClaimResult::without_value(missing, reasons);
    }
    if !compared.is_empty() {
        return ClaimResult::new(Outcome::Match, mean, reasons);
    }
    let present = |side: &AddressParts<'_>| {
        !side.unreadable.is_empty() || AddressPart::ALL.iter().any(|(p, _)| side.get(*p).is_some())
    };
    let outcome = if !present(verified) {
        Outcome::MissingVerified
    } else if !present(directory) {
        Outcome::MissingDirectory
    } else {
        parts.values().map(|r| r.outcome).find(|o| is_missing(*o)).unwrap_or(Outcome::MissingVerified)
    };
    ClaimResult::without_value(outcome, reasons)
}

#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod tests;
