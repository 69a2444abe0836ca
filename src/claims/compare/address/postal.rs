//! Postal codes: US ZIP codes compared on the five-digit ZIP (a +4 is remembered, not compared),
//! Canadian and UK codes compared without regard to spacing and case, others as upper-case letters
//! and digits.

use super::fold::{key, MAX_PART_BYTES};
use crate::claims::report::{ClaimResult, Outcome, Reason, Reasons};

/// Countries and territories addressed with US ZIP codes (USPS Publication 28, Appendix B).
const ZIP_COUNTRIES: &[&str] = &["US", "PR", "VI", "GU", "AS", "MP", "UM", "FM", "MH", "PW"];

/// A postal code read for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PostalKey {
    /// The comparison key.
    pub(crate) key: String,
    /// The ZIP+4 add-on, when one was written.
    pub(crate) zip4: Option<String>,
    /// Letters and digits as written, upper case (to tell formatting from content).
    pub(crate) compact: String,
    /// A lost leading zero was restored (`2134` → `02134`, as spreadsheets drop it).
    pub(crate) padded: bool,
}

/// Reads a postal code; `None` when unreadable (no letters or digits, a US code that is not a ZIP).
pub(crate) fn read_postal(s: &str, country: Option<&str>) -> Option<PostalKey> {
    if s.len() > MAX_PART_BYTES {
        return None;
    }
    // Folding turns full-width and other compatibility digits and letters into plain ones.
    let compact = compact(s);
    if compact.is_empty() {
        return None;
    }
    let trimmed = s.trim();
    // NNNNN-NNNN is a ZIP+4 whatever the country field says (or does not say): no other country
    // writes its codes that way.
    let zip_plus_4_form = trimmed.len() == 10
        && trimmed.bytes().enumerate().all(|(i, b)| if i == 5 { b == b'-' } else { b.is_ascii_digit() });
    let plain = |key: String| Some(PostalKey { key, zip4: None, compact: compact.clone(), padded: false });
    match country {
        Some(c) if ZIP_COUNTRIES.contains(&c) => read_zip(&compact),
        None if zip_plus_4_form => read_zip(&compact),
        Some("GB") if (5..=7).contains(&compact.len()) => {
            // The inward code is always the last three characters: "SW1A1AA" → "SW1A 1AA".
            let (outward, inward) = compact.split_at(compact.len() - 3);
            plain(format!("{outward} {inward}"))
        }
        _ => plain(compact.clone()),
    }
}

/// The letters and digits of a postal code, folded (full-width and other compatibility forms become
/// plain ones) and upper-cased.
fn compact(s: &str) -> String {
    if s.is_ascii() {
        // ASCII folds to its lower case: the same letters and digits, upper-cased, without the fold.
        s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
    } else {
        key(s).chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
    }
}

fn read_zip(compact: &str) -> Option<PostalKey> {
    if !compact.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (key, zip4, padded) = match compact.len() {
        5 => (compact.to_owned(), None, false),
        9 => (compact.get(..5)?.to_owned(), compact.get(5..).map(str::to_owned), false),
        4 => (format!("0{compact}"), None, true),
        _ => return None,
    };
    Some(PostalKey { key, zip4, compact: compact.to_owned(), padded })
}

/// The comparison key of a postal code in `country` (ISO 3166-1 alpha-2): the ZIP5 for US codes,
/// `K1A0B1` for Canadian ones, `SW1A 1AA` for UK ones, upper-case letters and digits otherwise; empty
/// when unreadable.
///
/// ```
/// use okta_directory::claims::compare::normalize_postal;
/// assert_eq!(normalize_postal("62701-1234", Some("US")), "62701");
/// assert_eq!(normalize_postal("k1a 0b1", Some("CA")), "K1A0B1");
/// assert_eq!(normalize_postal("sw1a1aa", Some("GB")), "SW1A 1AA");
/// ```
pub fn normalize_postal(s: &str, country: Option<&str>) -> String {
    read_postal(s, country).map(|p| p.key).unwrap_or_default()
}

/// Compares two postal codes, each read in its own country. Never fuzzy: one character is another
/// delivery area.
#[cfg(test)]
pub(crate) fn compare_postal(a: &str, a_country: Option<&str>, b: &str, b_country: Option<&str>) -> ClaimResult {
    compare_read_postal((a, read_postal(a, a_country).as_ref()), (b, read_postal(b, b_country).as_ref()))
}

/// [`compare_postal`] over postal codes read beforehand: (as written, key).
pub(crate) fn compare_read_postal(
    (a, x): (&str, Option<&PostalKey>),
    (b, y): (&str, Option<&PostalKey>),
) -> ClaimResult {
    let (Some(x), Some(y)) = (x, y) else {
        return ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable]);
    };
    if x.key != y.key {
        return ClaimResult::new(Outcome::Mismatch, 0.0, [Reason::PostalCodeDiffers]);
    }
    let mut reasons = Reasons::new();
    if x.zip4 != y.zip4 {
        reasons.push(Reason::Zip4Ignored);
    }
    if a.trim() != b.trim() && (x.compact == y.compact || x.padded || y.padded) {
        reasons.push(Reason::PostalCodeFormatted);
    }
    ClaimResult::new(Outcome::Match, 1.0, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Outcome::*;
    use Reason::*;

    #[test]
    fn the_ascii_shortcut_reads_as_the_fold() {
        let general = |s: &str| -> String {
            key(s).chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
        };
        for s in crate::text::random_ascii_strings().chain(["62701-1234", "sw1a 1aa", "K1A 0B1"].map(String::from)) {
            assert_eq!(compact(&s), general(&s), "{s:?}");
        }
    }

    #[test]
    fn keys() {
        let cases: &[(&str, Option<&str>, &str)] = &[
            ("62701", Some("US"), "62701"),
            ("62701-1234", Some("US"), "62701"),
            ("627011234", Some("US"), "62701"),
            ("62701 1234", Some("US"), "62701"),
            ("2134", Some("US"), "02134"),
            ("62701-1234", None, "62701"),
            ("00901", Some("PR"), "00901"),
            ("6270", Some("XX"), "6270"),
            ("k1a 0b1", Some("CA"), "K1A0B1"),
            ("K1A-0B1", Some("CA"), "K1A0B1"),
            ("sw1a1aa", Some("GB"), "SW1A 1AA"),
            ("SW1A  1AA", Some("GB"), "SW1A 1AA"),
            ("m1 1ae", Some("GB"), "M1 1AE"),
            ("1012 ab", Some("NL"), "1012AB"),
            ("６２７０１", Some("US"), "62701"),
            ("10115", Some("DE"), "10115"),
            ("2000", Some("AU"), "2000"),
            ("62701A", Some("US"), ""),
            ("627", Some("US"), ""),
            ("--", None, ""),
        ];
        for (raw, country, want) in cases {
            assert_eq!(normalize_postal(raw, *country), *want, "{raw} in {country:?}");
        }
        assert_eq!(normalize_postal(&"1".repeat(MAX_PART_BYTES + 1), None), "");
    }

    #[test]
    fn comparisons() {
        type Case<'a> = (&'a str, Option<&'a str>, &'a str, Option<&'a str>, Outcome, &'a [Reason]);
        let us = Some("US");
        let cases: &[Case<'_>] = &[
            ("62701", us, "62701", us, Match, &[]),
            ("62701-1234", us, "62701", us, Match, &[Zip4Ignored]),
            ("62701", us, "62701-1234", us, Match, &[Zip4Ignored]),
            ("62701-1234", us, "627011234", us, Match, &[PostalCodeFormatted]),
            ("62701-1234", us, "62701-5678", us, Match, &[Zip4Ignored]),
            ("2134", us, "02134", us, Match, &[PostalCodeFormatted]),
            ("62701", us, "62702", us, Mismatch, &[PostalCodeDiffers]),
            ("62701-1234", us, "62702-1234", us, Mismatch, &[PostalCodeDiffers]),
            ("k1a 0b1", Some("CA"), "K1A0B1", Some("CA"), Match, &[PostalCodeFormatted]),
            ("K1A 0B1", Some("CA"), "K1A 0B2", Some("CA"), Mismatch, &[PostalCodeDiffers]),
            ("sw1a1aa", Some("GB"), "SW1A 1AA", Some("GB"), Match, &[PostalCodeFormatted]),
            ("SW1A 1AA", Some("GB"), "SW1A 1AB", Some("GB"), Mismatch, &[PostalCodeDiffers]),
            ("10115", Some("DE"), "10115", None, Match, &[]),
            ("62701", us, "6270x", us, Invalid, &[Unparseable]),
        ];
        for (a, ac, b, bc, outcome, reasons) in cases {
            let r = compare_postal(a, *ac, b, *bc);
            assert_eq!((r.outcome, r.reasons.to_vec().as_slice()), (*outcome, *reasons), "{a} vs {b}");
            assert_eq!(r.score, if *outcome == Match { 1.0 } else { 0.0 });
        }
    }
}
