//! Calendar arithmetic on Unix time, and Okta's `YYYY-MM-DDTHH:MM:SS.mmmZ` timestamps: one copy for the
//! snapshot format, the HTTP `Date` parser and the sync's query filters.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The `YYYY-MM-DDTHH:MM:SS.mmmZ` form of Unix ms (years up to 9999).
pub(crate) fn format_timestamp(ms: u64) -> Option<String> {
    let ms = i64::try_from(ms).ok()?;
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    if y > 9999 {
        return None;
    }
    let (h, mi, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    // Written by hand: `format!` costs more than the rest of a user's decoding in wasm.
    let mut out = String::with_capacity(24);
    let mut digits = |v: i64, width: u32, after: char| {
        for p in (0..width).rev() {
            out.push(char::from(b'0' + (v / 10i64.pow(p) % 10) as u8));
        }
        if after != '\0' {
            out.push(after);
        }
    };
    digits(y, 4, '-');
    digits(m, 2, '-');
    digits(d, 2, 'T');
    digits(h, 2, ':');
    digits(mi, 2, ':');
    digits(s, 2, '.');
    digits(milli, 3, 'Z');
    Some(out)
}
