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

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use super::names::{screen_block, Screen};
use crate::claims::kinds::{AddressPart, ClaimKind};
use crate::claims::policy::{default_rule, ClaimRule, PartRule};
use crate::claims::report::{ClaimResult, Outcome, Reason, Reasons};
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
        self.given(part).filter(|v| !v.trim().is_empty())
    }

    /// The value of a part as given, blank or not (what [`AddressParts::get`] reads before its
    /// blank check).
    pub(crate) fn given(&self, part: AddressPart) -> Option<&'a str> {
        match part {
            AddressPart::StreetAddress => self.street_address,
            AddressPart::Locality => self.locality,
            AddressPart::Region => self.region,
            AddressPart::PostalCode => self.postal_code,
            AddressPart::Country => self.country,
        }
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
    compare_prepared_address(&PreparedAddress::new(verified), &PreparedAddress::new(directory), rule)
}

/// One address part read once. A present part sits in place (not boxed): an address has most of its
/// parts, and five blocks per address cost more to allocate and free than the absent parts' room.
#[derive(Debug, Clone)]
enum PreparedPart {
    Absent,
    Unreadable,
    Text(PartValue),
    /// Present, not read: the other address has no part to compare it with
    /// ([`PreparedAddress::read`]).
    Unread,
}

/// A present part: where it is written in its address's text, its security screen, and its key.
#[derive(Debug, Clone)]
struct PartValue {
    /// The byte range of the part as written in [`PreparedAddress::text`].
    raw: (u32, u32),
    /// Printable ASCII carries no finding: screened only when it is not that.
    screen: Option<Screen>,
    key: PartKey,
}

/// The normalized form of a part. Region and postal code are read in the side's own country; a side
/// without one is read again in the other side's country when compared.
#[derive(Debug, Clone)]
enum PartKey {
    /// Boxed: the largest key, and the other parts' keys would each take its size.
    Street(Box<StreetKey>),
    Locality(String, Option<String>),
    Region(Cow<'static, str>, bool),
    /// One string and a form: no larger than the locality's key, so not boxed.
    Postal(Option<postal::PostalKey>),
    Country,
}

/// An address read once (every part normalized, its country resolved), to be compared many times.
#[derive(Debug, Clone)]
pub struct PreparedAddress {
    parts: [PreparedPart; 5],
    /// Every present part as written, back to back (one allocation for the five).
    text: Box<str>,
    country: Option<&'static str>,
    present: bool,
}

impl PreparedAddress {
    /// Reads the parts of an address.
    pub fn new(a: &AddressParts<'_>) -> PreparedAddress {
        PreparedAddress::read(a, true)
    }

    /// [`PreparedAddress::new`]; with `read_parts` false, for a comparison with an address that has
    /// no part to compare (each absent or unreadable): then only which parts are present, absent or
    /// unreadable, and the country, decide the result, and the present parts are not read.
    pub(crate) fn read(a: &AddressParts<'_>, read_parts: bool) -> PreparedAddress {
        // Each part's value read once (`get` trims to tell a blank part).
        let values = AddressPart::ALL.map(|(part, _)| a.get(part));
        let country = values[part_index(AddressPart::Country)].and_then(normalize_country);
        let present_len = values.iter().flatten().map(|v| v.len()).sum();
        let mut text = String::with_capacity(if read_parts { present_len } else { 0 });
        let parts = AddressPart::ALL.map(|(part, _)| {
            if a.unreadable.contains(&part) {
                return PreparedPart::Unreadable;
            }
            let Some(raw) = values[part_index(part)] else { return PreparedPart::Absent };
            if !read_parts {
                return PreparedPart::Unread;
            }
            let key = match part {
                AddressPart::StreetAddress => PartKey::Street(Box::new(normalize_street(raw))),
                AddressPart::Locality => {
                    let (key, written) = places::read_locality(raw);
                    PartKey::Locality(key, written)
                }
                AddressPart::Region => {
                    let (key, is_code) = places::read_region(raw, country);
                    PartKey::Region(key, is_code)
                }
                AddressPart::PostalCode => PartKey::Postal(postal::read_postal(raw, country)),
                AddressPart::Country => PartKey::Country,
            };
            let screen = (!plain_ascii(raw)).then(|| Screen::new(raw));
            let start = text.len() as u32;
            text.push_str(raw);
            PreparedPart::Text(PartValue { raw: (start, text.len() as u32), screen, key })
        });
        let present = !a.unreadable.is_empty() || values.iter().any(Option::is_some);
        PreparedAddress { parts, text: text.into_boxed_str(), country, present }
    }

    /// Whether some part is present and readable (what the other side's parts are compared with).
    pub(crate) fn has_text(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, PreparedPart::Text(_) | PreparedPart::Unread))
    }

    /// The address's country code ([`normalize_country`] of its country part), if it has one.
    pub(crate) fn country(&self) -> Option<&'static str> {
        self.country
    }

    fn part(&self, part: AddressPart) -> &PreparedPart {
        &self.parts[part_index(part)]
    }

    /// A present part as written.
    fn raw(&self, value: &PartValue) -> &str {
        self.text.get(value.raw.0 as usize..value.raw.1 as usize).unwrap_or_default()
    }
}

/// The position of a part in [`AddressPart::ALL`] (its declaration order).
fn part_index(part: AddressPart) -> usize {
    part as usize
}

/// [`compare_address`] over prepared addresses.
pub fn compare_prepared_address(
    verified: &PreparedAddress,
    directory: &PreparedAddress,
    rule: &ClaimRule,
) -> AddressResult {
    let (overall, parts) = compare_prepared_parts(verified, directory, rule);
    let parts = AddressPart::ALL.iter().zip(parts).filter_map(|((part, _), r)| r.map(|r| (*part, r))).collect();
    AddressResult { overall, parts }
}

/// Each part's result by position in [`AddressPart::ALL`] (`None` for a part the rule leaves out)
/// with the combined result: what [`compare_prepared_address`] reports, without building its map.
pub(crate) type PartResults = [Option<ClaimResult>; 5];

/// The comparisons behind [`compare_prepared_address`].
pub(crate) fn compare_prepared_parts(
    verified: &PreparedAddress,
    directory: &PreparedAddress,
    rule: &ClaimRule,
) -> (ClaimResult, PartResults) {
    let fallback;
    let part_rules: &[PartRule] = if rule.parts.is_empty() {
        fallback = default_rule(ClaimKind::Address).parts;
        &fallback
    } else {
        &rule.parts
    };
    // Each side's postal code and region are read in its own country, or the other side's when it
    // names none.
    let (v_own, d_own) = (verified.country, directory.country);
    let (v_country, d_country) = (v_own.or(d_own), d_own.or(v_own));

    let mut parts: PartResults = Default::default();
    let mut required_missing = None;
    for pr in part_rules {
        let result = match (verified.part(pr.part), directory.part(pr.part)) {
            (PreparedPart::Unreadable, _) | (_, PreparedPart::Unreadable) => {
                ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable])
            }
            (PreparedPart::Absent, _) => ClaimResult::without_value(Outcome::MissingVerified, Vec::new()),
            (_, PreparedPart::Absent) => ClaimResult::without_value(Outcome::MissingDirectory, Vec::new()),
            // Never reached: a part left unread faces only absent or unreadable parts (above).
            (PreparedPart::Unread, _) | (_, PreparedPart::Unread) => {
                ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable])
            }
            (PreparedPart::Text(v), PreparedPart::Text(d)) => {
                let (v_raw, d_raw) = (verified.raw(v), directory.raw(d));
                // Spoofing (look-alike letters, invisible or bidi characters) is never a match.
                let blocked = match (&v.screen, &d.screen) {
                    (None, None) => None,
                    (Some(vs), Some(ds)) => screen_block(vs, ds),
                    (Some(vs), None) => screen_block(vs, &Screen::new(d_raw)),
                    (None, Some(ds)) => screen_block(&Screen::new(v_raw), ds),
                };
                match blocked {
                    Some(blocked) => blocked,
                    None => compare_part(pr, rule, (v, v_raw, v_country, v_own), (d, d_raw, d_country, d_own)),
                }
            }
        };
        if pr.required && required_missing.is_none() && is_missing(result.outcome) {
            required_missing = Some(result.outcome);
        }
        parts[part_index(pr.part)] = Some(result);
    }
    (combine(&parts, required_missing, verified.present, directory.present), parts)
}

/// Printable ASCII (and line breaks) cannot carry a security finding: no other script, no invisible
/// or bidi character, no control; such values skip `inspect`.
fn plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
}

/// One side of a part: its prepared value, as written, the country it is read in, and its own
/// country code.
type Side<'a> = (&'a PartValue, &'a str, Option<&'static str>, Option<&'static str>);

/// Compares one part present on both sides.
fn compare_part(pr: &PartRule, rule: &ClaimRule, verified: Side<'_>, directory: Side<'_>) -> ClaimResult {
    let ((v, v_raw, v_country, v_own), (d, d_raw, d_country, d_own)) = (verified, directory);
    // The claim's strictness applies to every part: the stricter mode and threshold win.
    let (mode, threshold) = (pr.mode.strictest(rule.mode), pr.threshold.max(rule.threshold));
    match (&v.key, &d.key) {
        (PartKey::Street(a), PartKey::Street(b)) => {
            if a.is_empty() || b.is_empty() {
                ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable])
            } else {
                street::compare_street(a, b, mode, threshold)
            }
        }
        (PartKey::Locality(x, xw), PartKey::Locality(y, yw)) => {
            places::compare_read_locality((x, xw.as_deref()), (y, yw.as_deref()), mode, threshold)
        }
        (PartKey::Region(x, xc), PartKey::Region(y, yc)) => {
            // A side read without a country is read again in the other side's.
            let again = |raw: &str, own: Option<&str>, country: Option<&str>| {
                (own.is_none() && country.is_some()).then(|| places::read_region(raw, country))
            };
            let x2 = again(v_raw, v_own, v_country);
            let y2 = again(d_raw, d_own, d_country);
            let xr = x2.as_ref().map_or((x.as_ref(), *xc), |(k, c)| (k.as_ref(), *c));
            let yr = y2.as_ref().map_or((y.as_ref(), *yc), |(k, c)| (k.as_ref(), *c));
            places::compare_read_region(xr, yr)
        }
        (PartKey::Postal(x), PartKey::Postal(y)) => {
            let again = |raw: &str, own: Option<&str>, country: Option<&str>| {
                (own.is_none() && country.is_some()).then(|| postal::read_postal(raw, country))
            };
            let x2 = again(v_raw, v_own, v_country);
            let y2 = again(d_raw, d_own, d_country);
            let xr = x2.as_ref().map_or(x.as_ref(), Option::as_ref);
            let yr = y2.as_ref().map_or(y.as_ref(), Option::as_ref);
            postal::compare_read_postal((v_raw, xr), (d_raw, yr))
        }
        _ => places::compare_country(v_raw, d_raw, (v_own, d_own)),
    }
}

fn is_missing(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::MissingVerified | Outcome::MissingDirectory)
}

/// The combined result (see [`compare_address`] for the order of precedence).
fn combine(
    parts: &PartResults,
    required_missing: Option<Outcome>,
    verified_present: bool,
    directory_present: bool,
) -> ClaimResult {
    // One pass: the reasons, the compared parts' scores, and which outcomes occur.
    let (mut reasons, mut sum, mut count, mut mismatch, mut invalid) = (Reasons::new(), 0.0, 0u8, false, false);
    for r in parts.iter().flatten() {
        reasons.union(r.reasons);
        match r.outcome {
            Outcome::Match | Outcome::Mismatch => {
                sum += r.score;
                count += 1;
                mismatch |= r.outcome == Outcome::Mismatch;
            }
            Outcome::Invalid => invalid = true,
            Outcome::MissingDirectory | Outcome::MissingVerified => {}
        }
    }
    let mean = if count == 0 { 0.0 } else { sum / f64::from(count) };
    if mismatch {
        return ClaimResult::new(Outcome::Mismatch, mean, reasons);
    }
    if invalid {
        return ClaimResult::without_value(Outcome::Invalid, reasons);
    }
    if let Some(missing) = required_missing {
        return ClaimResult::without_value(missing, reasons);
    }
    if count > 0 {
        return ClaimResult::new(Outcome::Match, mean, reasons);
    }
    let outcome = if !verified_present {
        Outcome::MissingVerified
    } else if !directory_present {
        Outcome::MissingDirectory
    } else {
        parts.iter().flatten().map(|r| r.outcome).find(|o| is_missing(*o)).unwrap_or(Outcome::MissingVerified)
    };
    ClaimResult::without_value(outcome, reasons)
}

#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod tests;
