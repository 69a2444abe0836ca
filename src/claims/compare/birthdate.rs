//! Birthdates: compared as calendar dates, never by text. Near misses (day and month swapped, one
//! digit off, transposed digits, another year) are reported as reasons of a mismatch, never matched.
//! Fuzzy mode compares exactly like exact mode: a date that is almost right is a different date.

use crate::claims::report::{ClaimResult, Outcome, Reason, Reasons};
use crate::date::{parse_date, Date, DateError, DateOrder};

/// Reads a verified birthdate: ISO 8601 (the OIDC form), an MRZ `YYMMDD`, or the forms the date
/// parser accepts. `directory` helps only to place a two-digit MRZ year in a century.
/// A verified birthdate read once. A six-digit MRZ date keeps its parts: its century is taken from
/// the directory date it is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifiedDate {
    /// A full calendar date.
    Date(Date),
    /// An MRZ `YYMMDD` date: two-digit year, month, day.
    Mrz(u16, u8, u8),
    /// A numeric date read in an order a country gave, with the reason saying which country.
    Ordered(Date, Reason),
    /// Not usable: why.
    Invalid(Reason),
}

impl VerifiedDate {
    /// Reads a verified birthdate (ISO, written-out, numeric day-first or MRZ forms).
    pub fn read(raw: &str) -> VerifiedDate {
        let s = raw.trim();
        let b = s.as_bytes();
        // OIDC lets a provider hide the year (`0000-04-03`) or give only the year (`1990`).
        if (b.len() == 4 && b.iter().all(u8::is_ascii_digit)) || s.starts_with("0000-") {
            return VerifiedDate::Invalid(Reason::PartialDate);
        }
        if b.len() == 6 && b.iter().all(u8::is_ascii_digit) {
            let n = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u16>().ok());
            let parts =
                (n(0..2), n(2..4).and_then(|m| u8::try_from(m).ok()), n(4..6).and_then(|d| u8::try_from(d).ok()));
            return match parts {
                (Some(yy), Some(mm), Some(dd)) => VerifiedDate::Mrz(yy, mm, dd),
                _ => VerifiedDate::Invalid(Reason::Unparseable),
            };
        }
        match parse_date(s, DateOrder::Auto) {
            Ok(d) => VerifiedDate::Date(d),
            Err(DateError::Ambiguous) => VerifiedDate::Invalid(Reason::AmbiguousDate),
            Err(DateError::Invalid | DateError::NotACalendarDay) => VerifiedDate::Invalid(Reason::Unparseable),
        }
    }

    /// The date, with an MRZ year placed in the directory date's century (else 1900, else 2000).
    fn resolve(self, directory: Date) -> Result<(Date, Option<Reason>), Reason> {
        match self {
            VerifiedDate::Date(d) => Ok((d, None)),
            VerifiedDate::Ordered(d, reason) => Ok((d, Some(reason))),
            VerifiedDate::Mrz(yy, month, day) => {
                let century = directory.year / 100 * 100;
                [century, 1900, 2000]
                    .into_iter()
                    .find_map(|c| Date::new(c + yy, month, day))
                    .map(|d| (d, Some(Reason::CenturyInferred)))
                    .ok_or(Reason::Unparseable)
            }
            VerifiedDate::Invalid(reason) => Err(reason),
        }
    }
}

/// A directory birthdate read once (ISO `YYYY-MM-DD`); `None` when it is not a date.
pub fn read_directory_date(raw: &str) -> Option<Date> {
    parse_date(raw, DateOrder::Ymd).ok()
}

/// Compares a verified birthdate with the directory's (ISO `YYYY-MM-DD` after normalization).
///
/// ```
/// use okta_directory::claims::compare::compare_birthdate;
/// use okta_directory::claims::Outcome;
/// assert_eq!(compare_birthdate("900403", "1990-04-03").outcome, Outcome::Match);
/// assert_eq!(compare_birthdate("1990-03-04", "1990-04-03").outcome, Outcome::Mismatch);
/// ```
pub fn compare_birthdate(verified: &str, directory: &str) -> ClaimResult {
    compare_read_birthdate(VerifiedDate::read(verified), read_directory_date(directory))
}

/// [`compare_birthdate`] over dates read beforehand.
pub fn compare_read_birthdate(verified: VerifiedDate, directory: Option<Date>) -> ClaimResult {
    let Some(dir) = directory else {
        return ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable]);
    };
    let (ver, mut reasons) = match verified.resolve(dir) {
        Ok((d, reason)) => (d, reason.into_iter().collect::<Reasons>()),
        Err(reason) => return ClaimResult::without_value(Outcome::Invalid, [reason]),
    };
    if ver == dir {
        // 1 January stands in for an unknown day in many registries: still a match, weaker evidence.
        if (dir.month, dir.day) == (1, 1) {
            reasons.push(Reason::PlaceholderDate);
        } else if registry_default_day(dir.month, dir.day) {
            reasons.push(Reason::RegistryDefaultDay);
        }
        return ClaimResult::new(Outcome::Match, 1.0, reasons);
    }
    let near = near_misses(ver, dir);
    let score = if near.is_empty() { 0.0 } else { 0.5 };
    reasons.union(near);
    ClaimResult::new(Outcome::Mismatch, score, reasons)
}

/// Whether a day other than 1 January is one registries write for an unknown day: the first of a
/// month (only the month known), mid-year (30 June, 1 July) or the year's end (31 December).
fn registry_default_day(month: u8, day: u8) -> bool {
    day == 1 || matches!((month, day), (6, 30) | (12, 31))
}

fn near_misses(a: Date, b: Date) -> Reasons {
    let mut reasons = Reasons::new();
    if a.year == b.year && a.month == b.day && a.day == b.month {
        reasons.push(Reason::DayMonthSwapped);
    }
    if (a.month, a.day) == (b.month, b.day) {
        reasons.push(Reason::YearDiffers);
    }
    let (x, y) = (digits(a), digits(b));
    // The positions where the digits differ (the first two, and how many).
    let (mut differing, mut count) = ([0usize; 2], 0);
    for i in (0..8).filter(|&i| x[i] != y[i]) {
        if count < 2 {
            differing[count] = i;
        }
        count += 1;
    }
    let [i, j] = differing;
    match count {
        1 => reasons.push(Reason::OneDigitOff),
        2 if j - i == 1 && x[i] == y[j] && x[j] == y[i] => reasons.push(Reason::DigitsTransposed),
        _ => {}
    }
    reasons
}

/// The date's first 8 characters as `{:04}{:02}{:02}` writes them (`YYYYMMDD` for every date
/// [`Date::new`] builds), without formatting: this runs on every birthdate that differs.
fn digits(d: Date) -> [u8; 8] {
    if d.year > 9999 || d.month > 99 || d.day > 99 {
        let s = format!("{:04}{:02}{:02}", d.year, d.month, d.day);
        let mut out = [0u8; 8];
        out.iter_mut().zip(s.bytes()).for_each(|(o, b)| *o = b);
        return out;
    }
    let (y, m, day) = (d.year, u16::from(d.month), u16::from(d.day));
    [y / 1000, y / 100 % 10, y / 10 % 10, y % 10, m / 10, m % 10, day / 10, day % 10].map(|n| b'0' + n as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_the_formatted_date() {
        let formatted = |d: Date| {
            let s = format!("{:04}{:02}{:02}", d.year, d.month, d.day);
            let mut out = [0u8; 8];
            out.iter_mut().zip(s.bytes()).for_each(|(o, b)| *o = b);
            out
        };
        for year in [0, 7, 99, 1800, 1990, 2999, 9999, 10_000, 65_535] {
            for month in [0, 1, 9, 10, 12, 99, 100, 255] {
                for day in [0, 1, 9, 10, 31, 99, 100, 255] {
                    let d = Date { year, month, day };
                    assert_eq!(digits(d), formatted(d), "{year}-{month}-{day}");
                }
            }
        }
    }
    use Outcome::*;
    use Reason::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str, Outcome, &[Reason])] = &[
            ("1990-04-03", "1990-04-03", Match, &[]),
            ("  1990-04-03 ", "1990-04-03", Match, &[]),
            ("1990-04-03T00:00:00Z", "1990-04-03", Match, &[]),
            ("3 Apr 1990", "1990-04-03", Match, &[]),
            ("April 3, 1990", "1990-04-03", Match, &[]),
            ("13.04.1990", "1990-04-13", Match, &[]),
            ("900403", "1990-04-03", Match, &[CenturyInferred]),
            ("050403", "2005-04-03", Match, &[CenturyInferred]),
            ("050403", "1905-04-03", Match, &[CenturyInferred]),
            ("900403", "1991-04-03", Mismatch, &[OneDigitOff, YearDiffers, CenturyInferred]),
            ("1990-03-04", "1990-04-03", Mismatch, &[DayMonthSwapped]),
            ("1990-04-04", "1990-04-03", Mismatch, &[OneDigitOff]),
            ("1909-04-03", "1990-04-03", Mismatch, &[DigitsTransposed, YearDiffers]),
            ("1991-04-03", "1990-04-03", Mismatch, &[OneDigitOff, YearDiffers]),
            ("1985-11-20", "1990-04-03", Mismatch, &[]),
            ("03/04/1990", "1990-04-03", Invalid, &[AmbiguousDate]),
            ("0000-04-03", "1990-04-03", Invalid, &[PartialDate]),
            ("1990", "1990-04-03", Invalid, &[PartialDate]),
            ("1990-02-30", "1990-04-03", Invalid, &[Unparseable]),
            ("901303", "1990-04-03", Invalid, &[Unparseable]),
            ("yesterday", "1990-04-03", Invalid, &[Unparseable]),
            ("1990-04-03", "not a date", Invalid, &[Unparseable]),
        ];
        for (verified, directory, outcome, reasons) in cases {
            let r = compare_birthdate(verified, directory);
            assert_eq!((r.outcome, r.reasons.to_vec().as_slice()), (*outcome, *reasons), "{verified} vs {directory}");
            match r.outcome {
                Match => assert_eq!(r.score, 1.0),
                Mismatch if r.reasons.iter().any(|x| x != CenturyInferred) => assert_eq!(r.score, 0.5),
                _ => assert_eq!(r.score, 0.0),
            }
        }
    }

    #[test]
    fn a_date_always_matches_itself_and_only_itself() {
        let base = Date::new(1990, 4, 3).unwrap();
        for day in 1..=28u8 {
            for month in 1..=12u8 {
                let d = Date::new(1990, month, day).unwrap();
                let r = compare_birthdate(&d.to_iso(), &base.to_iso());
                assert_eq!(r.outcome == Match, d == base, "{d}");
            }
        }
    }
}
