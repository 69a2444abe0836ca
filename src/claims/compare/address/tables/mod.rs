//! The address data tables (one per file, each naming its source) and the lookups over them.
//!
//! Tables are written as their sources print them; lookups go through maps keyed by the shared
//! tokenizer's key (folded, punctuation-free), built once on first use.

mod au_regions;
mod ca_regions;
mod countries;
mod country_aliases;
mod directionals;
mod gb_regions;
mod intl_street_words;
mod ordinals;
mod suffixes;
mod units;
mod us_regions;

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fold::name_key;

pub(crate) use countries::countries;

/// The tables' maps: fixed at first use and only looked up afterwards (nothing a caller writes is
/// inserted), so a fast non-keyed hash is enough (SipHash cost more than the lookups' own comparisons).
type Map = HashMap<String, &'static str, std::hash::BuildHasherDefault<Fnv1a>>;

/// FNV-1a, 64 bits.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

/// The `(name, value)` rows of a table written as `name|value;` rows of one string (one string
/// rather than a table of (pointer, length) pairs, which were most of these tables' size in wasm).
fn pairs(table: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    table.split_terminator(';').map(|row| row.split_once('|').unwrap_or((row, "")))
}

fn build(tables: &[&'static str]) -> Map {
    let mut map = Map::default();
    for table in tables {
        for (name, value) in pairs(table) {
            // The first entry wins; the tests check that no two entries disagree.
            map.entry(name_key(name)).or_insert(value);
        }
    }
    map
}

/// The standard abbreviation of a street suffix or street word (upper case), by token.
pub(crate) fn street_word(token: &str) -> Option<&'static str> {
    static MAP: OnceLock<Map> = OnceLock::new();
    MAP.get_or_init(|| build(&[suffixes::STREET_SUFFIXES, intl_street_words::INTL_STREET_WORDS])).get(token).copied()
}

/// The abbreviation of a directional, by token.
pub(crate) fn directional(token: &str) -> Option<&'static str> {
    static MAP: OnceLock<Map> = OnceLock::new();
    MAP.get_or_init(|| build(&[directionals::DIRECTIONALS])).get(token).copied()
}

/// The numeric form of an ordinal word (`fifth` → `5TH`), by token.
pub(crate) fn ordinal(token: &str) -> Option<&'static str> {
    static MAP: OnceLock<Map> = OnceLock::new();
    MAP.get_or_init(|| build(&[ordinals::ORDINALS])).get(token).copied()
}

/// A secondary unit designator's abbreviation, by token, and whether it stands without a number.
pub(crate) fn unit_designator(token: &str) -> Option<(&'static str, bool)> {
    static MAP: OnceLock<Map> = OnceLock::new();
    let abbreviation = MAP.get_or_init(|| build(&[units::UNIT_DESIGNATORS])).get(token).copied()?;
    Some((abbreviation, units::UNNUMBERED_UNITS.contains(&abbreviation)))
}

/// The countries whose regions are tabled, with their tables.
const REGION_TABLES: [(&str, &str); 4] = [
    ("US", us_regions::US_REGIONS),
    ("CA", ca_regions::CA_REGIONS),
    ("AU", au_regions::AU_REGIONS),
    ("GB", gb_regions::GB_REGIONS),
];

/// The region code for a region name or code (as a `name_key`), in `country` when given (else in any
/// tabled country); `None` when unknown.
pub(crate) fn region_code(key: &str, country: Option<&str>) -> Option<&'static str> {
    static MAPS: OnceLock<Vec<(&'static str, Map)>> = OnceLock::new();
    let maps = MAPS.get_or_init(|| {
        REGION_TABLES
            .iter()
            .map(|(country, table)| {
                let mut map = build(&[table]);
                // Codes are looked up like names: "il" → IL.
                for (_, code) in pairs(table) {
                    map.entry(name_key(code)).or_insert(code);
                }
                (*country, map)
            })
            .collect()
    });
    let mut candidates = maps.iter().filter(|(c, _)| country.is_none_or(|want| want == *c));
    candidates.find_map(|(_, map)| map.get(key).copied())
}

/// Whether regions of `country` are tabled.
pub(crate) fn has_region_table(country: &str) -> bool {
    REGION_TABLES.iter().any(|(c, _)| *c == country)
}

/// The ISO 3166-1 alpha-2 code for a country name, alias, alpha-2 or alpha-3 code (as a `name_key`).
pub(crate) fn country_code(key: &str) -> Option<&'static str> {
    static MAP: OnceLock<Map> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut map = Map::default();
        // Codes first: a two- or three-letter input is a code before it is a name.
        for (alpha2, alpha3, _) in countries() {
            map.entry(name_key(alpha2)).or_insert(alpha2);
            map.entry(name_key(alpha3)).or_insert(alpha2);
        }
        for (alpha2, _, name) in countries() {
            map.entry(name_key(name)).or_insert(alpha2);
        }
        for (name, alpha2) in pairs(country_aliases::COUNTRY_ALIASES) {
            map.entry(name_key(name)).or_insert(alpha2);
        }
        map
    });
    map.get(key).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No two entries of the tables behind one map may give different answers for the same key.
    fn consistent(tables: &[Vec<(&str, &str)>]) {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for table in tables {
            for &(name, value) in table {
                let k = name_key(name);
                assert!(!k.is_empty(), "{name}");
                if let Some(previous) = seen.insert(k.clone(), value) {
                    assert_eq!(previous, value, "{name} ({k})");
                }
            }
        }
    }

    #[test]
    fn tables_are_consistent() {
        let all = [
            suffixes::STREET_SUFFIXES,
            intl_street_words::INTL_STREET_WORDS,
            directionals::DIRECTIONALS,
            ordinals::ORDINALS,
            units::UNIT_DESIGNATORS,
            country_aliases::COUNTRY_ALIASES,
        ];
        for table in all.into_iter().chain(REGION_TABLES.map(|(_, t)| t)) {
            assert!(
                table.ends_with(';') && table.split(';').all(|row| row.is_empty() || row.matches('|').count() == 1)
            );
            assert!(pairs(table).all(|(name, value)| !name.is_empty() && !value.is_empty()), "{table}");
        }
        let table = |t| pairs(t).collect::<Vec<_>>();
        consistent(&[table(suffixes::STREET_SUFFIXES), table(intl_street_words::INTL_STREET_WORDS)]);
        consistent(&[table(directionals::DIRECTIONALS)]);
        consistent(&[table(ordinals::ORDINALS)]);
        consistent(&[table(units::UNIT_DESIGNATORS)]);
        for (_, regions) in REGION_TABLES {
            consistent(&[table(regions)]);
        }
        let names: Vec<(&str, &str)> = countries().map(|(a2, _, name)| (name, a2)).collect();
        consistent(&[names, table(country_aliases::COUNTRY_ALIASES)]);
        assert_eq!(pairs(ordinals::ORDINALS).next(), Some(("FIRST", "1ST")));
        // Every abbreviation is itself a key of its table (so an abbreviated input is recognised).
        for (_, abbreviation) in pairs(suffixes::STREET_SUFFIXES) {
            assert_eq!(street_word(&name_key(abbreviation)), Some(abbreviation), "{abbreviation}");
        }
        for (_, abbreviation) in pairs(units::UNIT_DESIGNATORS) {
            assert!(unit_designator(&name_key(abbreviation)).is_some(), "{abbreviation}");
        }
    }

    #[test]
    fn iso_3166_is_complete_and_well_formed() {
        assert_eq!(countries().count(), 249);
        assert!(countries().all(|(_, a3, name)| a3.len() == 3
            && a3.bytes().all(|b| b.is_ascii_uppercase())
            && !name.is_empty()
            && !name.contains(['|', ';'])));
        assert!(countries().any(|c| c == ("KR", "KOR", "Korea, Republic of")));
        assert!(countries().any(|c| c == ("ZW", "ZWE", "Zimbabwe")));
        let mut alpha2: Vec<&str> = countries().map(|c| c.0).collect();
        let mut alpha3: Vec<&str> = countries().map(|c| c.1).collect();
        assert!(alpha2.windows(2).all(|w| w[0] < w[1]), "alpha-2 sorted and unique");
        alpha3.sort_unstable();
        alpha3.dedup();
        assert_eq!(alpha3.len(), 249);
        alpha2.retain(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()));
        assert!(alpha2.is_empty());
        for (name, code) in pairs(country_aliases::COUNTRY_ALIASES) {
            assert!(countries().any(|c| c.0 == code), "{name} → {code}");
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(street_word("avenue"), Some("AVE"));
        assert_eq!(street_word("crescent"), Some("CRES"));
        assert_eq!(street_word("close"), Some("CL"));
        assert_eq!(street_word("main"), None);
        assert_eq!(directional("northwest"), Some("NW"));
        assert_eq!(unit_designator("apartment"), Some(("APT", false)));
        assert_eq!(unit_designator("penthouse"), Some(("PH", true)));
        assert_eq!(region_code("illinois", Some("US")), Some("IL"));
        assert_eq!(region_code("illinois", Some("CA")), None);
        assert_eq!(region_code("quebec", None), Some("QC"));
        assert_eq!(region_code("nsw", None), Some("NSW"));
        assert_eq!(country_code("usa"), Some("US"));
        assert_eq!(country_code("deutschland"), Some("DE"));
        assert_eq!(country_code("narnia"), None);
    }
}
