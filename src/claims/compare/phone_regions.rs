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
    rows().iter().find(|(r, _, _)| r.eq_ignore_ascii_case(code)).map(|(_, cc, trunk)| (*cc, *trunk))
}

/// The region code as the table writes it (for a hint kept without copying it).
pub(super) fn region_key(code: &str) -> Option<&'static str> {
    rows().iter().find(|(r, _, _)| r.eq_ignore_ascii_case(code)).map(|(r, _, _)| *r)
}

/// The trunk prefix used with a calling code (regions sharing a code share it too).
pub(super) fn trunk_of(calling_code: &str) -> Option<&'static str> {
    rows().iter().find(|(_, cc, _)| *cc == calling_code).map(|(_, _, trunk)| *trunk)
}

/// The calling code at the start of an international number's digits (codes are prefix-free).
pub(super) fn calling_code_of(digits: &str) -> Option<&'static str> {
    (1..=3).filter_map(|n| digits.get(..n)).find_map(|p| rows().iter().find(|(_, cc, _)| *cc == p).map(|r| r.1))
}

/// The rows of the table, split out of the string once (a scan of the string per lookup cost more
/// than the rest of reading a phone number).
fn rows() -> &'static [(&'static str, &'static str, &'static str)] {
    static ROWS: OnceLock<Vec<(&'static str, &'static str, &'static str)>> = OnceLock::new();
    ROWS.get_or_init(|| regions().collect())
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
        // The split-once rows answer as a scan of the string does.
        let scan = |code: &str| regions().find(|(r, _, _)| r.eq_ignore_ascii_case(code)).map(|(_, cc, t)| (cc, t));
        for (r, cc, _) in regions() {
            assert_eq!(region(r), scan(r));
            assert_eq!(region(&r.to_lowercase()), scan(r));
            assert_eq!(trunk_of(cc), regions().find(|(_, c, _)| *c == cc).map(|(_, _, t)| t));
            assert_eq!(calling_code_of(&format!("{cc}5550100")), Some(cc), "codes are prefix-free");
        }
        assert_eq!((region("ZZ"), trunk_of("999"), calling_code_of("")), (None, None, None));
    }
}
