//! Postal codes: US ZIP codes compared on the five-digit ZIP (a +4 is remembered, not compared),
//! Canadian and UK codes compared without regard to spacing and case, others as upper-case letters
//! and digits.

use super::fold::{key, MAX_PART_BYTES};
use crate::claims::report::{ClaimResult, Outcome, Reason, Reasons};

/// Countries and territories addressed with US ZIP codes (USPS Publication 28, Appendix B).
const ZIP_COUNTRIES: &[&str] = &["US", "PR", "VI", "GU", "AS", "MP", "UM", "FM", "MH", "PW"];

/// A postal code read for comparison: its letters and digits, and how its key is formed from them
/// (one string, so that a loaded pair holds one allocation per code).
#[derive(Debug, Clone)]
pub(crate) struct PostalKey {
    /// Letters and digits as written, upper case (to tell formatting from content).
    compact: String,
    form: KeyForm,
}

/// How a [`PostalKey`]'s comparison key is made from its compact form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyForm {
    /// The compact form itself.
    Compact,
    /// A ZIP+4: the first five digits (the last four are the add-on).
    ZipPlus4,
    /// A ZIP that lost its leading zero (`2134` → `02134`, as spreadsheets drop it): restored.
    Padded,
    /// A UK postcode: the outward code, a space, the three-character inward code.
    Uk,
}

impl PostalKey {
    /// The comparison key, in pieces: written one after the other they make the key.
    fn key_pieces(&self) -> [&str; 3] {
        let c = self.compact.as_str();
        match self.form {
            KeyForm::Compact => ["", c, ""],
            KeyForm::ZipPlus4 => ["", c.get(..5).unwrap_or(c), ""],
            KeyForm::Padded => ["0", c, ""],
            KeyForm::Uk => {
                let (outward, inward) = c.split_at_checked(c.len().saturating_sub(3)).unwrap_or((c, ""));
                [outward, " ", inward]
            }
        }
    }

    /// The comparison key.
    fn key(&self) -> String {
        self.key_pieces().concat()
    }

    /// Whether two codes have the same key (compared without building them).
    fn same_key(&self, other: &PostalKey) -> bool {
        let (x, y) = (self.key_pieces(), other.key_pieces());
        x.iter().flat_map(|p| p.bytes()).eq(y.iter().flat_map(|p| p.bytes()))
    }

    /// The ZIP+4 add-on, when one was written.
    fn zip4(&self) -> Option<&str> {
        (self.form == KeyForm::ZipPlus4).then(|| self.compact.get(5..)).flatten()
    }

    /// A lost leading zero was restored.
    fn padded(&self) -> bool {
        self.form == KeyForm::Padded
    }
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
    // ZIP+4 as written ("62701-1234") is a US code even with no country to say so.
    let trimmed = s.trim();
    let zip_plus_4_form = trimmed.len() == 10
        && trimmed.bytes().enumerate().all(|(i, b)| if i == 5 { b == b'-' } else { b.is_ascii_digit() });
    let form = match country {
        Some(c) if ZIP_COUNTRIES.contains(&c) => zip_form(&compact)?,
        None if zip_plus_4_form => zip_form(&compact)?,
        // Outward code, space, three-character inward code (a code of other letters is read as written).
        Some("GB") if (5..=7).contains(&compact.len()) && compact.is_ascii() => KeyForm::Uk,
        _ => KeyForm::Compact,
    };
    Some(PostalKey { compact, form })
}

/// Letters and digits, upper case, folded (`６２７０１` → `62701`).
fn compact(s: &str) -> String {
    if s.is_ascii() {
        s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
    } else {
        key(s).chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
    }
}

/// The key form of a US ZIP (`12345`, `12345` + 4, or `1234` that lost its leading zero).
fn zip_form(compact: &str) -> Option<KeyForm> {
    if !compact.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match compact.len() {
        5 => Some(KeyForm::Compact),
        9 => Some(KeyForm::ZipPlus4),
        4 => Some(KeyForm::Padded),
        _ => None,
    }
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
    read_postal(s, country).map(|p| p.key()).unwrap_or_default()
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
    if !x.same_key(y) {
        return ClaimResult::new(Outcome::Mismatch, 0.0, [Reason::PostalCodeDiffers]);
    }
    let mut reasons = Reasons::new();
    if x.zip4() != y.zip4() {
        reasons.push(Reason::Zip4Ignored);
    }
    if a.trim() != b.trim() && (x.compact == y.compact || x.padded() || y.padded()) {
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
        // A UK-length code of other letters: read as written (it once split inside a letter and panicked).
        assert_eq!(normalize_postal("жжж", Some("GB")), "ЖЖЖ");
        assert_eq!(normalize_postal("ßß1", Some("GB")), "SS SS1");
        assert_eq!(compare_postal("жжж", Some("GB"), "ЖЖЖ", Some("GB")).outcome, Match);
        assert_eq!(normalize_postal(&"7".repeat(40), Some("DE")), "7".repeat(40));
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
