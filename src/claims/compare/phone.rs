//! Phone numbers: both sides are brought to E.164 (`+` and up to 15 digits) and compared exactly.
//! Numbers written nationally are completed with a region's calling code — the policy's
//! `default_region`, else the country of the address on the same side.

use std::borrow::Cow;

use super::phone_regions::{calling_code_of, region, region_key, trunk_of};
use crate::claims::report::{ClaimResult, Outcome, Reason, Reasons};

/// A number in E.164 form and the reasons collected while getting there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct E164 {
    /// `+` followed by the digits.
    pub number: String,
    /// What normalization did (default region, trunk prefix, extension).
    pub reasons: Vec<Reason>,
}

const MAX_INPUT: usize = 64;

/// Normalizes a phone number to E.164; `region` (ISO alpha-2) completes national numbers.
///
/// ```
/// use okta_directory::claims::compare::to_e164;
/// assert_eq!(to_e164("(217) 555-0100", Some("US")).unwrap().number, "+12175550100");
/// assert_eq!(to_e164("+44 (0)20 7946 0018", None).unwrap().number, "+442079460018");
/// ```
pub fn to_e164(raw: &str, region_code: Option<&str>) -> Result<E164, Reason> {
    if raw.len() > MAX_INPUT {
        return Err(Reason::Unparseable);
    }
    let mut reasons = Vec::new();
    let (raw, uri_extension) = strip_tel_uri(raw);
    let (main, extension) = split_extension(raw);
    if extension || uri_extension {
        reasons.push(Reason::ExtensionIgnored);
    }
    let trimmed = main.trim();
    let plus = trimmed.starts_with('+');
    let body = if plus { &trimmed[1..] } else { trimmed };
    if !body.chars().all(|c| c.is_ascii_digit() || " -.()/\u{2010}\u{2011}\u{2012}\u{2013}".contains(c)) {
        return Err(Reason::Unparseable);
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let national = region_code.and_then(region);
    let nanp = national.is_some_and(|(cc, _)| cc == "1");
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00").or_else(|| digits.strip_prefix("011").filter(|_| nanp))
    };
    // `+`, the calling code, the national number: built in place (one string).
    let mut number = String::with_capacity(16);
    number.push('+');
    match international {
        Some(intl) => {
            let cc = calling_code_of(intl).ok_or(Reason::Unparseable)?;
            let rest = &intl[cc.len()..];
            // "+44 (0)20…": a trunk prefix written inside an international number is not dialled.
            match trunk_of(cc).filter(|t| !t.is_empty() && rest.starts_with(*t) && *t != "1") {
                Some(trunk) => {
                    reasons.push(Reason::TrunkPrefixRemoved);
                    number.push_str(cc);
                    number.push_str(&rest[trunk.len()..]);
                }
                None => number.push_str(intl),
            }
        }
        None => {
            let (cc, trunk) = national.ok_or(Reason::NoRegion)?;
            reasons.push(Reason::DefaultRegionApplied);
            let nsn = match digits.strip_prefix(trunk).filter(|_| !trunk.is_empty()) {
                // NANP: a leading 1 is the trunk prefix only on 11-digit numbers.
                Some(rest) if trunk != "1" || digits.len() == 11 => {
                    reasons.push(Reason::TrunkPrefixRemoved);
                    rest
                }
                _ => digits.as_str(),
            };
            number.push_str(cc);
            number.push_str(nsn);
        }
    }
    if !(9..=16).contains(&number.len()) {
        return Err(Reason::Unparseable);
    }
    Ok(E164 { number, reasons })
}

/// Splits off an extension ("x123", "ext. 123", "extension 12", "#12") after the main number.
/// A `tel:` URI (RFC 3966, `tel:+1-415-555-0100;ext=12`): the number without the scheme and its
/// parameters, and whether an `ext` parameter was dropped. Any other value is returned as is.
fn strip_tel_uri(raw: &str) -> (&str, bool) {
    let t = raw.trim();
    match t.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("tel:") => {
            let mut parts = t[4..].split(';');
            let number = parts.next().unwrap_or_default();
            let ext = parts.any(|p| p.get(..4).is_some_and(|k| k.eq_ignore_ascii_case("ext=")));
            (number, ext)
        }
        _ => (raw, false),
    }
}

fn split_extension(raw: &str) -> (&str, bool) {
    // Every marker has a letter or `#`: a number without either has no extension (most numbers).
    if !raw.bytes().any(|b| b.is_ascii_alphabetic() || b == b'#') {
        return (raw, false);
    }
    let lower = raw.to_ascii_lowercase();
    for marker in ["extension", "ext.", "ext", "x", "#"] {
        if let Some(at) = lower.find(marker) {
            let before = &raw[..at];
            if before.chars().filter(char::is_ascii_digit).count() >= 6 {
                return (before, true);
            }
        }
    }
    (raw, false)
}

/// Compares two phone numbers after E.164 normalization; each side has its own region hint.
pub fn compare_phone(
    verified: &str,
    directory: &str,
    verified_region: Option<&str>,
    directory_region: Option<&str>,
) -> ClaimResult {
    compare_prepared_phone(
        &PreparedPhone::new(verified, verified_region),
        &PreparedPhone::new(directory, directory_region),
        verified_region,
        directory_region,
    )
}

/// A phone number read once, under the region hint known when it was read.
#[derive(Debug, Clone)]
pub struct PreparedPhone {
    raw: String,
    /// The region hint it was read under (a tabled code is borrowed from the table).
    region: Option<Cow<'static, str>>,
    e164: Result<E164, Reason>,
}

impl PreparedPhone {
    /// Reads a number; `region` completes a nationally written one.
    pub fn new(raw: &str, region: Option<&str>) -> PreparedPhone {
        let hint =
            region.map(|r| region_key(r).filter(|k| *k == r).map_or_else(|| Cow::Owned(r.to_owned()), Cow::Borrowed));
        PreparedPhone { raw: raw.to_owned(), region: hint, e164: to_e164(raw, region) }
    }

    /// The number read under `region`: the prepared reading when the hint is the same, else read again.
    fn under(&self, region: Option<&str>) -> Cow<'_, Result<E164, Reason>> {
        if self.region.as_deref() == region {
            Cow::Borrowed(&self.e164)
        } else {
            Cow::Owned(to_e164(&self.raw, region))
        }
    }
}

/// [`compare_phone`] over prepared numbers; each side is read under its region hint (again only when
/// the hint differs from the one it was prepared with).
pub fn compare_prepared_phone(
    verified: &PreparedPhone,
    directory: &PreparedPhone,
    verified_region: Option<&str>,
    directory_region: Option<&str>,
) -> ClaimResult {
    let (v, d) = (verified.under(verified_region), directory.under(directory_region));
    let (v, d) = match (v.as_ref(), d.as_ref()) {
        (Ok(v), Ok(d)) => (v, d),
        (Err(reason), _) | (_, Err(reason)) => return ClaimResult::without_value(Outcome::Invalid, [*reason]),
    };
    let mut reasons: Reasons = v.reasons.iter().copied().collect();
    reasons.extend(d.reasons.iter().copied());
    if v.number == d.number {
        ClaimResult::new(Outcome::Match, 1.0, reasons)
    } else {
        ClaimResult::new(Outcome::Mismatch, 0.0, reasons)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Reason::*;

    #[test]
    fn normalization_table() {
        let cases: &[(&str, Option<&str>, Result<&str, Reason>)] = &[
            ("+1 (217) 555-0100", None, Ok("+12175550100")),
            ("2175550100", Some("US"), Ok("+12175550100")),
            ("1-217-555-0100", Some("us"), Ok("+12175550100")),
            ("011 44 20 7946 0018", Some("US"), Ok("+442079460018")),
            ("+44 (0)20 7946 0018", None, Ok("+442079460018")),
            ("020 7946 0018", Some("GB"), Ok("+442079460018")),
            ("0044 20 7946 0018", Some("DE"), Ok("+442079460018")),
            ("030 123456", Some("DE"), Ok("+4930123456")),
            ("06 12 34 56 78", Some("FR"), Ok("+33612345678")),
            ("06 1 234 5678", Some("HU"), Ok("+3612345678")),
            ("8 (495) 123-45-67", Some("RU"), Ok("+74951234567")),
            ("06 1234 5678", Some("IT"), Ok("+390612345678")),
            ("+39 06 1234 5678", None, Ok("+390612345678")),
            ("0412 345 678", Some("AU"), Ok("+61412345678")),
            ("+1 217 555 0100 ext. 42", None, Ok("+12175550100")),
            ("217.555.0100 x42", Some("US"), Ok("+12175550100")),
            // RFC 3966 `tel:` URIs (regression: were `invalid`).
            ("tel:+1-415-555-0100", None, Ok("+14155550100")),
            ("TEL:+44-20-7946-0018;ext=12", None, Ok("+442079460018")),
            ("tel:415-555-0100;phone-context=+1", Some("US"), Ok("+14155550100")),
            // E.164 length bounds: 8 to 15 digits after the `+`.
            ("+39 0612 34", None, Ok("+39061234")),
            ("+39 0612 3", None, Err(Unparseable)),
            ("+39 0612 3456 7890 1", None, Ok("+390612345678901")),
            ("+39 0612 3456 7890 12", None, Err(Unparseable)),
            ("2175550100", None, Err(NoRegion)),
            ("555-CALL-NOW", Some("US"), Err(Unparseable)),
            ("+999 123 456 789", None, Err(Unparseable)),
            ("12", Some("US"), Err(Unparseable)),
            ("+1234567890123456789", None, Err(Unparseable)),
            ("", Some("US"), Err(Unparseable)),
        ];
        for (raw, region, want) in cases {
            let got = to_e164(raw, *region).map(|e| e.number);
            assert_eq!(got.as_deref().map_err(|r| *r), *want, "{raw} in {region:?}");
        }
    }

    #[test]
    fn comparisons() {
        let r = compare_phone("+1 217 555 0100", "(217) 555-0100", None, Some("US"));
        assert_eq!((r.outcome, r.reasons.to_vec().as_slice()), (Outcome::Match, &[DefaultRegionApplied][..]));
        let r = compare_phone("+1 217 555 0101", "(217) 555-0100", None, Some("US"));
        assert_eq!(r.outcome, Outcome::Mismatch);
        // Same digits, different countries: not the same number.
        let r = compare_phone("+44 2175550100", "2175550100", None, Some("US"));
        assert_eq!(r.outcome, Outcome::Mismatch);
        let r = compare_phone("2175550100", "2175550100", None, None);
        assert_eq!((r.outcome, r.reasons.to_vec().as_slice()), (Outcome::Invalid, &[NoRegion][..]));
    }
}
