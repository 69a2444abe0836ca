//! Date-of-birth parsing for Okta profile values.
//!
//! DOBs reach us as free text or as `date-time` custom attributes, so one day arrives in
//! many shapes. Only a fixed set of forms is accepted, and anything that would need a guess
//! (field order, century, lookalike digits) is an error: a wrong DOB is worse than none.

use std::fmt;

const MIN_YEAR: u16 = 1800;
const MAX_YEAR: u16 = 2999;
/// No accepted form comes close to this; the cap keeps hostile input from costing anything.
const MAX_INPUT_LEN: usize = 64;
/// English month names in calendar order; the first three letters are the abbreviation.
const MONTHS: &str = "january february march april may june july august september october november december";

/// A validated calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1800..=2999 when built through [`Date::new`].
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=28/29/30/31 depending on the month.
    pub day: u8,
}

impl Date {
    /// Builds a date, returning None when it is not a real calendar day (leap years handled) or year outside 1800..=2999.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let last_day = days_in_month(year, month)?;
        let valid = (MIN_YEAR..=MAX_YEAR).contains(&year) && (1..=last_day).contains(&day);
        valid.then_some(Date { year, month, day })
    }

    /// ISO 8601 `YYYY-MM-DD`.
    pub fn to_iso(&self) -> String {
        // Written digit by digit (as `Display` writes it): every normalized birthdate goes through
        // here, and the formatting machinery cost more than parsing the date.
        if self.year > 9999 || self.month > 99 || self.day > 99 {
            return self.to_string();
        }
        let digit = |n: u16| char::from(b'0' + (n % 10) as u8);
        let (y, m, d) = (self.year, u16::from(self.month), u16::from(self.day));
        let mut iso = String::with_capacity(10);
        iso.extend([digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), '-']);
        iso.extend([digit(m / 10), digit(m), '-', digit(d / 10), digit(d)]);
        iso
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: u16) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u16, month: u8) -> Option<u8> {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if is_leap(year) => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// How to read all-numeric dates whose field order is not self-evident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// Accept only readings that cannot be taken two ways.
    #[default]
    Auto,
    /// Month first, as in the US: `04/03/1990` is April 3.
    Mdy,
    /// Day first, as in most of Europe: `04/03/1990` is 4 March.
    Dmy,
    /// Year first only; year-last numeric forms are rejected.
    Ymd,
}

/// Why a value could not be read as a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not a date in any accepted form.
    Invalid,
    /// Digits fit the form but name no real day (e.g. 1990-02-30) or the year is out of range.
    NotACalendarDay,
    /// All-numeric with day and month both ≤ 12 and different, and the order is Auto.
    Ambiguous,
}

impl DateError {
    /// Stable UPPER_SNAKE code: "INVALID_DATE", "NOT_A_CALENDAR_DAY", "AMBIGUOUS_DATE".
    pub fn code(&self) -> &'static str {
        match self {
            DateError::Invalid => "INVALID_DATE",
            DateError::NotACalendarDay => "NOT_A_CALENDAR_DAY",
            DateError::Ambiguous => "AMBIGUOUS_DATE",
        }
    }
}

// Messages never echo the input: DOBs are personal data.
impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateError::Invalid => "value is not a date in any accepted form",
            DateError::NotACalendarDay => "value does not name a real calendar day",
            DateError::Ambiguous => "numeric date could be read as day/month or month/day",
        })
    }
}

impl std::error::Error for DateError {}

/// Parses a date of birth.
pub fn parse_date(input: &str, order: DateOrder) -> Result<Date, DateError> {
    if input.len() > MAX_INPUT_LEN {
        return Err(DateError::Invalid);
    }
    let s = input.trim();
    // Every accepted form is pure ASCII, so rejecting the rest up front means lookalike
    // digits (fullwidth, Arabic-Indic) and invisible characters can never slip through.
    if s.is_empty() || !s.is_ascii() {
        return Err(DateError::Invalid);
    }
    let b = s.as_bytes();
    if is_datetime_shape(b) {
        parse_datetime(b)
    } else if b.iter().any(u8::is_ascii_alphabetic) {
        named_fields(b).ok_or(DateError::Invalid).and_then(|(y, m, d)| to_date(y, m, d))
    } else if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        // YYYYMMDD never collides with DDMMYYYY/MMDDYYYY: there, digits 5-6 start a
        // year (18..29), which is never a valid month.
        ymd(&b[0..4], &b[4..6], &b[6..8])
    } else {
        parse_numeric(s, order)
    }
}

/// Converts already-extracted numbers; anything that does not fit is simply not a day.
fn to_date(year: u32, month: u32, day: u32) -> Result<Date, DateError> {
    match (u16::try_from(year), u8::try_from(month), u8::try_from(day)) {
        (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).ok_or(DateError::NotACalendarDay),
        _ => Err(DateError::NotACalendarDay),
    }
}

fn ymd(year: &[u8], month: &[u8], day: &[u8]) -> Result<Date, DateError> {
    match (num(year), num(month), num(day)) {
        (Some(y), Some(m), Some(d)) => to_date(y, m, d),
        _ => Err(DateError::Invalid),
    }
}

/// Reads 1 to 4 ASCII digits; longer runs are refused so the sum can never overflow.
fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |acc, &c| acc * 10 + u32::from(c - b'0')))
}

/// `d` in `pat` stands for any ASCII digit; every other byte must match literally.
fn matches_pattern(b: &[u8], pat: &[u8]) -> bool {
    b.len() == pat.len()
        && b.iter().zip(pat).all(|(&c, &p)| match p {
            b'd' => c.is_ascii_digit(),
            _ => c == p,
        })
}

/// Returns what follows `pat` when `b` starts with it.
fn strip_pattern<'a>(b: &'a [u8], pat: &[u8]) -> Option<&'a [u8]> {
    let head = b.get(..pat.len())?;
    matches_pattern(head, pat).then(|| &b[pat.len()..])
}

/// Only digits and dashes before a `T` at index 10: month names such as "21st August"
/// also have a `t` there, so the prefix check keeps them on the named path.
fn is_datetime_shape(b: &[u8]) -> bool {
    b.len() > 10 && matches!(b[10], b'T' | b't') && b[..10].iter().all(|&c| c.is_ascii_digit() || c == b'-')
}

/// The date is taken as written, never shifted by the offset: a DOB stored as midnight
/// UTC is that day everywhere.
fn parse_datetime(b: &[u8]) -> Result<Date, DateError> {
    let (date, time) = (&b[..10], &b[11..]);
    if !matches_pattern(date, b"dddd-dd-dd") || !is_loose_time(time) {
        return Err(DateError::Invalid);
    }
    ymd(&date[0..4], &date[5..7], &date[8..10])
}

/// Checks `HH:MM[:SS[.f…]][Z|±HH:MM]` by shape only: the time is discarded, so its
/// values need no range check, but trailing garbage still proves the value malformed.
fn is_loose_time(t: &[u8]) -> bool {
    let Some(mut rest) = strip_pattern(t, b"dd:dd") else {
        return false;
    };
    if let Some(after_secs) = strip_pattern(rest, b":dd") {
        rest = after_secs;
        if let Some(frac) = rest.strip_prefix(b".") {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&n) {
                return false;
            }
            rest = &frac[n..];
        }
    }
    matches!(rest, [] | [b'Z' | b'z']) || matches_pattern(rest, b"+dd:dd") || matches_pattern(rest, b"-dd:dd")
}

/// Three digit fields split by one separator used twice (a mix like `03/04-1990` is refused).
fn parse_numeric(s: &str, order: DateOrder) -> Result<Date, DateError> {
    let sep = s.chars().find(|c| !c.is_ascii_digit());
    let Some(sep @ ('/' | '.' | '-' | ' ')) = sep else {
        return Err(DateError::Invalid);
    };
    // Exactly three fields, read without collecting them (no allocation per date).
    let mut fields = s.split(sep).map(str::as_bytes);
    let (Some(a), Some(b), Some(c), None) = (fields.next(), fields.next(), fields.next(), fields.next()) else {
        return Err(DateError::Invalid);
    };
    match (a.len(), b.len(), c.len()) {
        // Year first is unambiguous whatever `order` says.
        (4, 1..=2, 1..=2) => ymd(a, b, c),
        // Year last needs a full year: a 2-digit one would mean guessing the century.
        (1..=2, 1..=2, 4) => match (num(a), num(b), num(c)) {
            (Some(first), Some(second), Some(year)) => year_last(first, second, year, order),
            _ => Err(DateError::Invalid),
        },
        _ => Err(DateError::Invalid),
    }
}

fn year_last(first: u32, second: u32, year: u32, order: DateOrder) -> Result<Date, DateError> {
    match order {
        DateOrder::Mdy => to_date(year, first, second),
        DateOrder::Dmy => to_date(year, second, first),
        DateOrder::Ymd => Err(DateError::Invalid),
        DateOrder::Auto => resolve_auto(first, second, year),
    }
}

/// Tries both readings. Exactly one real day means the order was self-evident (one field
/// above 12); two different days mean both fields are in 1..=12 and differ: Ambiguous.
/// When neither reading works (`00/05/1990`, `31/04/1990`) no order would help, so that
/// is NotACalendarDay rather than Ambiguous.
fn resolve_auto(first: u32, second: u32, year: u32) -> Result<Date, DateError> {
    match (to_date(year, first, second), to_date(year, second, first)) {
        (Ok(mdy), Ok(dmy)) if mdy == dmy => Ok(mdy),
        (Ok(_), Ok(_)) => Err(DateError::Ambiguous),
        (Ok(date), Err(_)) | (Err(_), Ok(date)) => Ok(date),
        (Err(_), Err(_)) => Err(DateError::NotACalendarDay),
    }
}

/// Extracts (year, month, day) from `3 Apr 1990`, `3rd April, 1990`, `3-Apr-1990`,
/// `April 3, 1990` and the like; None for any other shape.
fn named_fields(b: &[u8]) -> Option<(u32, u32, u32)> {
    let mut cur = Cursor { b, pos: 0 };
    let (day, month, first_sep) = if b[0].is_ascii_digit() {
        let day = cur.day()?;
        let sep = cur.sep()?;
        (day, cur.month()?, sep)
    } else {
        let month = cur.month()?;
        let sep = cur.sep()?;
        (cur.day()?, month, sep)
    };
    let second_sep = cur.sep()?;
    let year = cur.year()?;
    // A comma may only precede the year, and dashes must be used consistently.
    let seps_ok = matches!((first_sep, second_sep), (b' ', b' ' | b',') | (b'-', b'-'));
    (seps_ok && cur.pos == b.len()).then_some((year, month, day))
}

/// A forward-only reader over the (ASCII) input bytes.
struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.b.get(self.pos).is_some_and(|&c| pred(c)) {
            self.pos += 1;
        }
        &self.b[start..self.pos]
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.b.get(self.pos) == Some(&c);
        self.pos += usize::from(hit);
        hit
    }

    /// One or two digits, optionally with the ordinal suffix that matches the number.
    fn day(&mut self) -> Option<u32> {
        let digits = self.take_while(|c| c.is_ascii_digit());
        let day = num(digits).filter(|_| digits.len() <= 2)?;
        let suffix = self.take_while(|c| c.is_ascii_alphabetic());
        // "3th" is a typo rather than a form; refuse it instead of guessing.
        (suffix.is_empty() || suffix.eq_ignore_ascii_case(ordinal_suffix(day).as_bytes())).then_some(day)
    }

    fn month(&mut self) -> Option<u32> {
        let month = month_from_name(self.take_while(|c| c.is_ascii_alphabetic()))?;
        self.eat(b'.');
        Some(month)
    }

    fn year(&mut self) -> Option<u32> {
        let digits = self.take_while(|c| c.is_ascii_digit());
        num(digits).filter(|_| digits.len() == 4)
    }

    /// A dash, a comma with optional spaces, or a run of spaces (reported as `b' '`).
    fn sep(&mut self) -> Option<u8> {
        if self.eat(b'-') {
            return Some(b'-');
        }
        let comma = self.eat(b',');
        let spaces = self.take_while(|c| c == b' ').len();
        match (comma, spaces) {
            (true, _) => Some(b','),
            (false, 0) => None,
            (false, _) => Some(b' '),
        }
    }
}

fn month_from_name(word: &[u8]) -> Option<u32> {
    if word.eq_ignore_ascii_case(b"sept") {
        return Some(9);
    }
    let index = MONTHS.split(' ').position(|name| {
        let name = name.as_bytes();
        word.eq_ignore_ascii_case(name) || (word.len() == 3 && word.eq_ignore_ascii_case(&name[..3]))
    })?;
    u32::try_from(index + 1).ok()
}

fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DateOrder::{Auto, Dmy, Mdy, Ymd};

    const ORDERS: [(&str, DateOrder); 4] = [("auto", Auto), ("mdy", Mdy), ("dmy", Dmy), ("ymd", Ymd)];

    #[test]
    fn iso_text_is_the_display_text() {
        for year in (0..=u16::MAX).step_by(7).chain([0, 9, 10, 99, 100, 999, 1000, 1800, 2999, 9999, 10_000, u16::MAX])
        {
            for (month, day) in
                [(1, 1), (2, 29), (9, 30), (10, 9), (12, 31), (0, 0), (99, 99), (100, 7), (u8::MAX, u8::MAX)]
            {
                let date = Date { year, month, day };
                assert_eq!(date.to_iso(), date.to_string(), "{date:?}");
            }
        }
    }

    /// Rows are `expected | orders | input; input; …`, expected being an ISO date or an
    /// error code. Inputs are trimmed here, so edge whitespace is tested separately.
    fn check(rows: &[&str]) {
        for row in rows {
            let cols: Vec<&str> = row.split('|').map(str::trim).collect();
            let [want, orders, inputs] = cols[..] else { panic!("malformed row {row:?}") };
            for (_, order) in ORDERS.iter().filter(|(name, _)| orders.split(' ').any(|o| o == *name)) {
                for input in inputs.split(';').map(str::trim) {
                    let got = parse_date(input, *order).map_or_else(|e| e.code().into(), |d| d.to_iso());
                    assert_eq!(got, want, "input {input:?}, order {order:?}");
                }
            }
        }
    }

    #[test]
    fn iso_and_compact_forms_ignore_order() {
        check(&["1990-04-03 | auto mdy dmy ymd | 1990-04-03; 1990/04/03; 1990.04.03; 19900403"]);
        check(&["1990-04-03 | auto mdy dmy ymd | 1990-4-3; 1990 04 03"]);
    }

    #[test]
    fn date_times_keep_the_written_date() {
        check(&[
            "1990-04-03 | auto dmy | 1990-04-03T00:00:00.000Z; 1990-04-03T00:00",
            "1990-04-03 | auto | 1990-04-03t23:59:59z; 1990-04-03T23:30:00-05:00",
            "1990-04-03 | auto | 1990-04-03T00:00:00+14:00; 1990-04-03T12:00:00.123456789",
            "NOT_A_CALENDAR_DAY | auto | 1990-02-30T00:00:00Z",
            "INVALID_DATE | auto | 1990-04-03T; 1990-04-03Tnoon; 1990-04-03Tdd:dd",
            "INVALID_DATE | auto | 1990-04-03T0:00; 1990-04-03T00:00:00.Z; 1990-04-03T00:00+0530",
            "INVALID_DATE | auto | 1990/04/03T00:00Z; 1990-4-03T00:00Z; 1990-04-03T00:00Z junk",
            "INVALID_DATE | auto | 1990-04-03T00:00:00.1234567890Z; 19900403T000000Z",
        ]);
    }

    #[test]
    fn numeric_auto_accepts_only_self_evident_orders() {
        check(&[
            "1990-04-13 | auto | 13/04/1990; 04/13/1990; 13.4.1990; 4-13-1990",
            "1990-05-05 | auto | 05/05/1990; 5.5.1990",
            "1999-12-31 | auto | 31.12.1999; 12 31 1999",
            "AMBIGUOUS_DATE | auto | 03/04/1990; 3.4.1990; 12-01-1990; 1 2 1990",
            "NOT_A_CALENDAR_DAY | auto | 31/04/1990; 13/13/1990; 00/05/1990; 03/04/1799",
        ]);
    }

    #[test]
    fn explicit_orders() {
        check(&[
            "1990-03-04 | mdy | 03/04/1990; 3-4-1990",
            "1990-04-03 | dmy | 03/04/1990; 3.4.1990",
            "NOT_A_CALENDAR_DAY | mdy | 13/04/1990",
            "NOT_A_CALENDAR_DAY | dmy | 04/13/1990",
            "INVALID_DATE | ymd | 03/04/1990; 05/05/1990; 13/04/1990",
        ]);
    }

    #[test]
    fn month_names() {
        check(&[
            "1990-04-03 | auto mdy | 3 Apr 1990; 03 APR 1990; April 3, 1990; Apr 3 1990",
            "1990-04-03 | auto dmy | 3-Apr-1990; 3 April, 1990; 3rd April 1990; apr. 3,1990",
            "1990-04-03 | auto | April 3RD, 1990; 3  Apr  1990; Apr-03-1990",
            "2001-09-01 | auto | 1st Sept. 2001; Sep 1 2001; 1 september 2001",
            "1990-08-21 | auto | 21st August 1990; Aug. 21st, 1990",
            "1990-05-11 | auto | 11th May 1990; May 11th, 1990",
            "2001-09-22 | auto | 22nd Sep 2001",
            "NOT_A_CALENDAR_DAY | auto | 31 Apr 1990; 0 Apr 1990; 29 Feb 2023",
            "INVALID_DATE | auto | 3th April 1990; 11st May 1990; 3 Apri 1990; 3April 1990",
            "INVALID_DATE | auto | 3 Apr 90; 3, Apr 1990; 3-Apr 1990; Tue 3 Apr 1990",
            "INVALID_DATE | auto | 3 Apr 1990 (approx); 1990 Apr 3; 3 Apr1990; 3 Apr 1990.",
            "INVALID_DATE | auto | 3 Apr 01990; 123 Apr 1990; 3 - Apr - 1990; Apr 3,, 1990",
        ]);
    }

    #[test]
    fn leap_days_and_field_ranges() {
        check(&[
            "2000-02-29 | auto | 2000-02-29; 29 Feb 2000",
            "2024-02-29 | auto mdy dmy ymd | 2024-02-29; 20240229",
            "NOT_A_CALENDAR_DAY | auto | 1900-02-29; 2023-02-29; 29/02/2023; 2100-02-29",
            "NOT_A_CALENDAR_DAY | auto ymd | 1990-13-01; 1990-00-10; 1990-01-00; 1990-01-32",
            "NOT_A_CALENDAR_DAY | auto | 19901301; 1799-12-31; 3000-01-01; 04031990",
            "1800-01-01 | auto | 1800-01-01",
            "2999-12-31 | auto | 2999-12-31",
        ]);
        assert_eq!(Date::new(1990, 0, 1), None);
        assert_eq!(Date::new(1990, 2, 28), Some(Date { year: 1990, month: 2, day: 28 }));
    }

    #[test]
    fn two_digit_years_and_odd_shapes_are_invalid() {
        check(&[
            "INVALID_DATE | auto mdy dmy | 03/04/90; 13/04/90; 90-04-03; 900403; 03/04/01990",
            "INVALID_DATE | auto mdy dmy | 003/04/1990; 1990-04; 1990-04-03-01; 03/04-1990",
            "INVALID_DATE | auto | 03//04/1990; +1990-04-03; -1990-04-03; 1990_04_03; 199004031",
            "INVALID_DATE | auto | 1990-04-03 00:00; Z; T; -; 1990-04-03x; 1990-04-03Z",
        ]);
        for input in ["", "   ", "\t\n"] {
            assert_eq!(parse_date(input, Auto), Err(DateError::Invalid));
        }
    }

    #[test]
    fn unicode_is_rejected() {
        check(&[
            "INVALID_DATE | auto | １９９０-０４-０３; ١٩٩٠-٠٤-٠٣; 1990-04-03\u{200B}",
            "INVALID_DATE | auto | \u{FEFF}1990-04-03; 3 Apr\u{00A0}1990; 3 \u{0410}pr 1990",
            "INVALID_DATE | auto | 1990\u{2013}04\u{2013}03; 3 Apr 199\u{0660}",
        ]);
    }

    #[test]
    fn whitespace_is_trimmed_but_length_is_capped_first() {
        let ok = Ok(Date { year: 1990, month: 4, day: 3 });
        assert_eq!(parse_date(" 1990-04-03\n", Auto), ok);
        assert_eq!(parse_date("\u{00A0}3 Apr 1990\u{3000}", Auto), ok);
        let padded = format!("{:<64}", "1990-04-03");
        assert_eq!(parse_date(&padded, Auto), ok);
        assert_eq!(parse_date(&format!("{padded} "), Auto), Err(DateError::Invalid));
        assert_eq!(parse_date(&"9".repeat(10_000), Auto), Err(DateError::Invalid));
    }

    #[test]
    fn codes_and_display() {
        assert_eq!(DateError::Invalid.code(), "INVALID_DATE");
        assert_eq!(DateError::NotACalendarDay.code(), "NOT_A_CALENDAR_DAY");
        assert_eq!(DateError::Ambiguous.code(), "AMBIGUOUS_DATE");
        assert_eq!(Date { year: 1850, month: 1, day: 9 }.to_string(), "1850-01-09");
        assert_eq!(DateOrder::default(), Auto);
    }

    #[test]
    fn every_day_round_trips() {
        let mut count = 0;
        for year in 1890..=2010 {
            for (month, name) in (1..=12).zip(MONTHS.split(' ')) {
                for date in (1..=31).filter_map(|day| Date::new(year, month, day)) {
                    count += 1;
                    assert_eq!(parse_date(&date.to_iso(), Auto), Ok(date));
                    let named = format!("{} {name} {year}", date.day);
                    assert_eq!(parse_date(&named, Auto), Ok(date), "{named}");
                }
            }
        }
        assert_eq!(count, 121 * 365 + 29, "121 years, 29 of them leap (1900 is not)");
    }

    #[test]
    fn pseudo_random_input_never_panics() {
        const ALPHABET: &[u8] = b"0123456789012345-/.: ,TZz+aprstndhAJSO\xc3\xa9\x00\xff";
        const SEEDS: [&str; 3] = ["1990-04-03T00:00:00Z", "3rd April, 1990", "13/04/1990"];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        // Half pure noise, half mutated valid dates, which reach deeper into the parsers.
        let mut parsed = 0;
        for i in 0..4000 {
            let mut bytes: Vec<u8> = match i % 2 {
                0 => (0..next() % 24).map(|_| ALPHABET[next() % ALPHABET.len()]).collect(),
                _ => SEEDS[next() % SEEDS.len()].as_bytes().to_vec(),
            };
            for _ in 0..next() % 3 {
                let at = next() % bytes.len().max(1);
                if let Some(byte) = bytes.get_mut(at) {
                    *byte = ALPHABET[next() % ALPHABET.len()];
                }
            }
            let input = String::from_utf8_lossy(&bytes);
            for (_, order) in ORDERS {
                if let Ok(date) = parse_date(&input, order) {
                    parsed += 1;
                    assert_eq!(parse_date(&date.to_iso(), Auto), Ok(date), "{input:?}");
                }
            }
        }
        assert!(parsed > 100, "the round-trip check must actually run ({parsed})");
    }
}
