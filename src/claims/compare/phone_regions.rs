//! Compact phone metadata: for each region, its country calling code and national trunk prefix.
//! Enough to bring a nationally written number to E.164; not a number-validity database (the
//! comparison only needs both sides written the same way, not a proof that the number exists).
//! Facts from ITU-T E.164 assignments and national numbering plans.

use std::sync::OnceLock;

/// (ISO 3166-1 alpha-2 region, country calling code, trunk prefix or "" where none is dialled).
/// Written as `region|calling code|trunk prefix;` rows of one string: one string rather than a table
/// of (pointer, length) triples, which were most of this table's size in the wasm module.
const REGIONS: &str = concat!(
    // North American Numbering Plan: code 1, trunk prefix 1.
    "US|1|1;",
    "CA|1|1;",
    "PR|1|1;",
    "JM|1|1;",
    "TT|1|1;",
    "BS|1|1;",
    "BB|1|1;",
    "DO|1|1;",
    "GU|1|1;",
    "VI|1|1;",
    // Europe.
    "GB|44|0;",
    "IE|353|0;",
    "FR|33|0;",
    "DE|49|0;",
    "AT|43|0;",
    "CH|41|0;",
    "NL|31|0;",
    "BE|32|0;",
    "LU|352|;",
    "DK|45|;",
    "NO|47|;",
    "SE|46|0;",
    "FI|358|0;",
    "IS|354|;",
    "ES|34|;",
    "PT|351|;",
    "IT|39|;",
    "GR|30|;",
    "PL|48|;",
    "CZ|420|;",
    "SK|421|0;",
    "HU|36|06;",
    "RO|40|0;",
    "BG|359|0;",
    "HR|385|0;",
    "SI|386|0;",
    "RS|381|0;",
    "UA|380|0;",
    "RU|7|8;",
    "KZ|7|8;",
    "TR|90|0;",
    "EE|372|;",
    "LV|371|;",
    "LT|370|8;",
    "CY|357|;",
    "MT|356|;",
    // Middle East and Africa.
    "IL|972|0;",
    "AE|971|0;",
    "SA|966|0;",
    "QA|974|;",
    "EG|20|0;",
    "MA|212|0;",
    "NG|234|0;",
    "KE|254|0;",
    "ZA|27|0;",
    "GH|233|0;",
    // Asia and Oceania.
    "IN|91|0;",
    "PK|92|0;",
    "BD|880|0;",
    "LK|94|0;",
    "CN|86|0;",
    "HK|852|;",
    "TW|886|0;",
    "JP|81|0;",
    "KR|82|0;",
    "SG|65|;",
    "MY|60|0;",
    "TH|66|0;",
    "VN|84|0;",
    "PH|63|0;",
    "ID|62|0;",
    "AU|61|0;",
    "NZ|64|0;",
    // Latin America.
    "MX|52|;",
    "BR|55|0;",
    "AR|54|0;",
    "CL|56|;",
    "CO|57|;",
    "PE|51|0;",
    "VE|58|0;",
    "UY|598|0;",
    "CR|506|;",
);

/// The calling code and trunk prefix of a region (alpha-2, any case).
pub(super) fn region(code: &str) -> Option<(&'static str, &'static str)> {
    region_row(code).map(|(_, cc, trunk)| (*cc, *trunk))
}

/// The region code as the table writes it (for a hint kept without copying it).
pub(super) fn region_key(code: &str) -> Option<&'static str> {
    region_row(code).map(|(r, _, _)| *r)
}

/// The trunk prefix used with a calling code (regions sharing a code share it too).
pub(super) fn trunk_of(calling_code: &str) -> Option<&'static str> {
    code_row(calling_code).map(|(_, _, trunk)| *trunk)
}

/// The calling code at the start of an international number's digits (codes are prefix-free).
pub(super) fn calling_code_of(digits: &str) -> Option<&'static str> {
    (1..=3).filter_map(|n| digits.get(..n)).find_map(|p| code_row(p).map(|r| r.1))
}

type Row = (&'static str, &'static str, &'static str);

/// The rows of the table split out of the string once, with two indexes into them (a scan of the
/// rows per lookup cost more than the rest of reading a phone number).
struct Table {
    rows: Vec<Row>,
    /// By region (two letters, upper case: `26 * first + second`), the first row of that region
    /// plus one (0: none).
    by_region: [u8; 26 * 26],
    /// By calling code (1 to 3 digits: [`code_slot`]), the first row with that code plus one.
    by_code: [u8; 1110],
}

/// The slot of a region code in [`Table::by_region`] (two ASCII letters, any case).
fn region_slot(code: &str) -> Option<usize> {
    match code.as_bytes() {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some(usize::from(a.to_ascii_uppercase() - b'A') * 26 + usize::from(b.to_ascii_uppercase() - b'A'))
        }
        _ => None,
    }
}

/// The slot of a calling code in [`Table::by_code`] (1 to 3 ASCII digits): 0–9, 10–109, 110–1109.
fn code_slot(code: &str) -> Option<usize> {
    let offset = match code.len() {
        1 => 0,
        2 => 10,
        3 => 110,
        _ => return None,
    };
    let value = code.bytes().try_fold(0usize, |v, b| b.is_ascii_digit().then(|| v * 10 + usize::from(b - b'0')))?;
    Some(offset + value)
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let rows: Vec<Row> = regions().collect();
        let mut table = Table { rows, by_region: [0; 26 * 26], by_code: [0; 1110] };
        for (i, (region, cc, _)) in table.rows.iter().enumerate() {
            // The first row wins, as a scan finds it; the tests check every row fits a `u8`.
            let index = u8::try_from(i + 1).unwrap_or(0);
            if let Some(slot) = region_slot(region).and_then(|s| table.by_region.get_mut(s)).filter(|s| **s == 0) {
                *slot = index;
            }
            if let Some(slot) = code_slot(cc).and_then(|s| table.by_code.get_mut(s)).filter(|s| **s == 0) {
                *slot = index;
            }
        }
        table
    })
}

/// The first row of a region (any case).
fn region_row(code: &str) -> Option<&'static Row> {
    let t = table();
    let index = *t.by_region.get(region_slot(code)?)?;
    t.rows.get(usize::from(index).checked_sub(1)?)
}

/// The first row with a calling code.
fn code_row(code: &str) -> Option<&'static Row> {
    let t = table();
    let index = *t.by_code.get(code_slot(code)?)?;
    t.rows.get(usize::from(index).checked_sub(1)?)
}

/// The rows of the table: (region, country calling code, trunk prefix or "").
fn regions() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    REGIONS.split_terminator(';').map(|row| {
        let mut fields = row.splitn(3, '|');
        let mut next = || fields.next().unwrap_or_default();
        (next(), next(), next())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_three_fields() {
        assert!(regions().count() > 50);
        assert!(REGIONS.ends_with(';') && REGIONS.split_terminator(';').all(|row| row.matches('|').count() == 2));
        assert!(regions().all(|(r, cc, trunk)| r.len() == 2
            && !cc.is_empty()
            && cc.bytes().chain(trunk.bytes()).all(|b| b.is_ascii_digit())));
        assert_eq!(regions().next(), Some(("US", "1", "1")));
        assert!(regions().count() < usize::from(u8::MAX), "row indexes fit a u8");
        // The indexed rows answer as a scan of the string does.
        let scan = |code: &str| regions().find(|(r, _, _)| r.eq_ignore_ascii_case(code)).map(|(_, cc, t)| (cc, t));
        for (r, cc, _) in regions() {
            assert_eq!(region(r), scan(r));
            assert_eq!(region(&r.to_lowercase()), scan(r));
            assert_eq!(region_key(&r.to_lowercase()), regions().find(|(x, _, _)| *x == r).map(|(x, _, _)| x));
            assert_eq!(trunk_of(cc), regions().find(|(_, c, _)| *c == cc).map(|(_, _, t)| t));
            assert_eq!(calling_code_of(&format!("{cc}5550100")), Some(cc), "codes are prefix-free");
        }
        // Every other two-letter code and every other code of 1 to 3 digits: none, as a scan finds.
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b]).unwrap_or_default();
                assert_eq!(region(&code), scan(&code), "{code}");
            }
        }
        for n in 0..1000 {
            for code in [format!("{n}"), format!("{n:02}"), format!("{n:03}")] {
                assert_eq!(trunk_of(&code), regions().find(|(_, c, _)| *c == code).map(|(_, _, t)| t), "{code}");
            }
        }
        for odd in ["", "U", "USA", "U1", "1a", "\u{e9}S", "1234"] {
            assert_eq!((region(odd), region_key(odd), trunk_of(odd)), (None, None, None), "{odd:?}");
        }
        assert_eq!((region("ZZ"), trunk_of("999"), calling_code_of("")), (None, None, None));
    }
}
