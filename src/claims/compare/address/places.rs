//! Localities, regions and countries.

use std::borrow::Cow;

use super::fold::{name_key, tokens, with_name_key, MAX_PART_BYTES};
use super::similarity::fuzzy_equal;
use super::tables::{country_code, has_region_table, region_code};
use crate::claims::policy::MatchMode;
use crate::claims::report::{ClaimResult, Outcome, Reason, Reasons};

/// A locality's comparison key: folded, punctuation-free, with `St.`/`Ste`, `Mt.` and `Ft.` spelled
/// out as Saint/Sainte, Mount and Fort; empty when over-long or blank.
///
/// ```
/// use okta_directory::claims::compare::normalize_locality;
/// assert_eq!(normalize_locality("St. Louis"), normalize_locality("Saint Louis"));
/// assert_eq!(normalize_locality("Winston-Salem"), "winston salem");
/// ```
pub fn normalize_locality(s: &str) -> String {
    read_locality(s).0
}

/// The locality key, and the key as written when an abbreviation was spelled out.
pub(super) fn read_locality(s: &str) -> (String, Option<String>) {
    if s.len() > MAX_PART_BYTES {
        return (String::new(), None);
    }
    if s.is_ascii() {
        // Most localities: the key is the tokens joined, built without a vector of them.
        let key = name_key(s);
        if !key.split(' ').any(|w| matches!(w, "st" | "ste" | "mt" | "ft")) {
            return (key, None);
        }
    }
    read_locality_tokens(s)
}

/// [`read_locality`] from the vector of tokens (any value).
fn read_locality_tokens(s: &str) -> (String, Option<String>) {
    let written = tokens(s);
    let expand = |w: &str| match w {
        "st" => Some("saint"),
        "ste" => Some("sainte"),
        "mt" => Some("mount"),
        "ft" => Some("fort"),
        _ => None,
    };
    if !written.iter().any(|w| expand(w).is_some()) {
        return (written.join(" "), None);
    }
    let expanded: Vec<&str> = written.iter().map(|w| expand(w).unwrap_or(w)).collect();
    (expanded.join(" "), Some(written.join(" ")))
}

/// Compares two localities: equal keys, or (fuzzy) a typo away; never a different town.
#[cfg(test)]
pub(crate) fn compare_locality(a: &str, b: &str, mode: MatchMode, threshold: f64) -> ClaimResult {
    let ((x, xw), (y, yw)) = (read_locality(a), read_locality(b));
    compare_read_locality((&x, xw.as_deref()), (&y, yw.as_deref()), mode, threshold)
}

/// [`compare_locality`] over localities read beforehand: (key, key as written when it differs).
pub(super) fn compare_read_locality(
    (x, x_written): (&str, Option<&str>),
    (y, y_written): (&str, Option<&str>),
    mode: MatchMode,
    threshold: f64,
) -> ClaimResult {
    if x.is_empty() || y.is_empty() {
        return ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable]);
    }
    let (equal, score) = match mode {
        MatchMode::Exact => (x == y, super::similarity::ratio(x, y)),
        MatchMode::Fuzzy => fuzzy_equal(x, y, threshold),
    };
    if !equal {
        return ClaimResult::new(Outcome::Mismatch, score, Vec::new());
    }
    let mut reasons = Reasons::new();
    if (x_written.is_some() || y_written.is_some()) && x_written.unwrap_or(x) != y_written.unwrap_or(y) {
        reasons.push(Reason::LocalityAbbreviation);
    }
    if score < 1.0 {
        reasons.push(Reason::FuzzyMatch);
    }
    ClaimResult::new(Outcome::Match, score, reasons)
}

/// A region's comparison key: its code (`IL`, `QC`, `NSW`, `SCT`) when the region is tabled for
/// `country` (an ISO 3166-1 alpha-2 code; any tabled country when `None`), else its folded text;
/// empty when blank or over-long. ISO 3166-2 forms (`US-IL`) are read too.
///
/// ```
/// use okta_directory::claims::compare::normalize_region;
/// assert_eq!(normalize_region("Illinois", Some("US")), "IL");
/// assert_eq!(normalize_region("Québec", None), "QC");
/// assert_eq!(normalize_region("Bayern", Some("DE")), "bayern");
/// ```
pub fn normalize_region(s: &str, country: Option<&str>) -> String {
    read_region(s, country).0.into_owned()
}

/// The region key (a tabled code is borrowed from the table), and whether it was a code already.
pub(super) fn read_region(s: &str, country: Option<&str>) -> (Cow<'static, str>, bool) {
    if s.len() > MAX_PART_BYTES {
        return (Cow::Borrowed(""), false);
    }
    let code = |key: &str, country: Option<&str>| -> Option<&'static str> {
        match country {
            Some(c) if !has_region_table(c) => None,
            _ => region_code(key, country),
        }
    };
    // Whether a tabled code is written as `key` (then the region was written as its code).
    let written_as = |found: &str, key: &str| with_name_key(found, |k| k == key);
    let found = with_name_key(s, |key| {
        // ISO 3166-2: "US-IL" → IL (the tokenizer splits at the hyphen between letters).
        if let Some((prefix, rest)) = key.split_once(' ') {
            let prefix = prefix.to_ascii_uppercase();
            if country.is_none_or(|c| c == prefix) && has_region_table(&prefix) {
                if let Some(found) = code(rest, Some(&prefix)) {
                    return Some((found, written_as(found, rest)));
                }
            }
        }
        code(key, country).map(|found| (found, written_as(found, key)))
    });
    match found {
        Some((found, is_code)) => (Cow::Borrowed(found), is_code),
        None => (Cow::Owned(name_key(s)), true),
    }
}

/// Compares two regions, each read in its own country. Never fuzzy: a region is a code or a name.
#[cfg(test)]
pub(crate) fn compare_region(a: &str, a_country: Option<&str>, b: &str, b_country: Option<&str>) -> ClaimResult {
    let ((x, xc), (y, yc)) = (read_region(a, a_country), read_region(b, b_country));
    compare_read_region((&x, xc), (&y, yc))
}

/// [`compare_region`] over regions read beforehand: (key, whether it was written as the code).
pub(super) fn compare_read_region((x, x_code): (&str, bool), (y, y_code): (&str, bool)) -> ClaimResult {
    if x.is_empty() || y.is_empty() {
        return ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable]);
    }
    if x != y {
        return ClaimResult::new(Outcome::Mismatch, 0.0, [Reason::RegionDiffers]);
    }
    let reasons = if x_code && y_code { Reasons::new() } else { Reasons::from([Reason::RegionNameToCode]) };
    ClaimResult::new(Outcome::Match, 1.0, reasons)
}

/// The ISO 3166-1 alpha-2 code of a country written as a name (`Deutschland`, `United States of
/// America`), an alpha-2 or alpha-3 code, in any case; `None` when not recognised.
///
/// ```
/// use okta_directory::claims::compare::normalize_country;
/// assert_eq!(normalize_country("United States"), Some("US"));
/// assert_eq!(normalize_country("usa"), Some("US"));
/// assert_eq!(normalize_country("Côte d'Ivoire"), Some("CI"));
/// assert_eq!(normalize_country("Atlantis"), None);
/// ```
pub fn normalize_country(s: &str) -> Option<&'static str> {
    if s.len() > MAX_PART_BYTES {
        return None;
    }
    with_name_key(s, country_code)
}

/// Compares two countries by alpha-2 code (`codes` are their [`normalize_country`] results);
/// unrecognised names meet only their own spelling.
pub(crate) fn compare_country(a: &str, b: &str, codes: (Option<&str>, Option<&str>)) -> ClaimResult {
    match codes {
        (Some(x), Some(y)) if x == y => {
            let as_code = |s: &str| s.trim() == x;
            let reasons =
                if as_code(a) && as_code(b) { Reasons::new() } else { Reasons::from([Reason::CountryNameToCode]) };
            ClaimResult::new(Outcome::Match, 1.0, reasons)
        }
        (Some(_), Some(_)) => ClaimResult::new(Outcome::Mismatch, 0.0, [Reason::CountryDiffers]),
        _ if a.len() > MAX_PART_BYTES || b.len() > MAX_PART_BYTES => {
            ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable])
        }
        _ => {
            let (x, y) = (name_key(a), name_key(b));
            if !x.is_empty() && x == y {
                ClaimResult::new(Outcome::Match, 1.0, Vec::new())
            } else {
                ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable])
            }
        }
    }
}

#[cfg(test)]
#[path = "places_tests.rs"]
mod tests;
