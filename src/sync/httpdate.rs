//! The HTTP `Date` header (RFC 7231 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`) → Unix seconds.
//! Only the IMF-fixdate form is accepted: it is the one servers must send, and anything else is
//! treated as "no server date" (the caller then falls back to what it learned earlier).

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Parses an IMF-fixdate into seconds since the Unix epoch; `None` for anything malformed.
pub fn parse_http_date(value: &str) -> Option<u64> {
    let v = value.trim().as_bytes();
    // "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 bytes with fixed positions.
    if v.len() != 29 || v.get(3..5)? != b", " || v.get(25..)? != b" GMT" {
        return None;
    }
    let text = std::str::from_utf8(v).ok()?;
    let day_name = text.get(0..3)?;
    if !DAYS.contains(&day_name) {
        return None;
    }
    let sep = |i: usize, c: u8| v.get(i).copied() == Some(c);
    if !(sep(7, b' ') && sep(11, b' ') && sep(16, b' ') && sep(19, b':') && sep(22, b':')) {
        return None;
    }
    let num = |a: usize, b: usize| -> Option<u64> {
        let s = text.get(a..b)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let day = num(5, 7)?;
    let month = MONTHS.iter().position(|m| Some(*m) == text.get(8..11))? as u64 + 1;
    let year = num(12, 16)?;
    let (h, m, s) = (num(17, 19)?, num(20, 22)?, num(23, 25)?);
    if year < 1970 || day == 0 || day > days_in_month(year, month) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Years ≥ 1970 and a valid day: the count is positive and fits.
    let days = crate::timestamp::days_from_civil(year as i64, month as i64, day as i64) as u64;
    // A day name that disagrees with the date means a corrupted header.
    if DAYS.get(((days + 3) % 7) as usize) != Some(&day_name) {
        return None;
    }
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

fn is_leap(y: u64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: u64, m: u64) -> u64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Tue, 14 May 2024 10:15:30 GMT"), Some(1_715_681_730));
        assert_eq!(parse_http_date("Thu, 29 Feb 2024 23:59:59 GMT"), Some(1_709_251_199));
    }

    #[test]
    fn rejects_other_forms() {
        for bad in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 1994 08:4a:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMTx",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sün, 06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
