use super::*;
use MatchMode::{Exact, Fuzzy};
use Outcome::*;
use Reason::*;

#[test]
fn locality_keys() {
    let cases = [
        ("Springfield", "springfield"),
        ("  SPRINGFIELD ", "springfield"),
        ("St. Louis", "saint louis"),
        ("Saint Louis", "saint louis"),
        ("Ste-Foy", "sainte foy"),
        ("Mt. Vernon", "mount vernon"),
        ("Ft Worth", "fort worth"),
        ("Winston-Salem", "winston salem"),
        ("Montréal", "montreal"),
        ("Coeur d'Alene", "coeur dalene"),
        ("---", ""),
    ];
    for (raw, want) in cases {
        assert_eq!(normalize_locality(raw), want, "{raw}");
    }
    assert_eq!(normalize_locality(&"a".repeat(MAX_PART_BYTES + 1)), "");
}

#[test]
fn localities() {
    let cases: &[(&str, &str, MatchMode, Outcome, &[Reason])] = &[
        ("Springfield", "SPRINGFIELD", Exact, Match, &[]),
        ("St. Louis", "Saint Louis", Exact, Match, &[LocalityAbbreviation]),
        ("Mt Vernon", "Mount Vernon", Fuzzy, Match, &[LocalityAbbreviation]),
        ("Ft. Worth", "Fort Worth", Fuzzy, Match, &[LocalityAbbreviation]),
        ("Montréal", "Montreal", Exact, Match, &[]),
        ("Springfeld", "Springfield", Fuzzy, Match, &[FuzzyMatch]),
        ("Philadelpia", "Philadelphia", Fuzzy, Match, &[FuzzyMatch]),
        ("Springfeld", "Springfield", Exact, Mismatch, &[]),
        ("Newark", "Newport", Fuzzy, Mismatch, &[]),
        ("Clinton", "Clifton", Fuzzy, Mismatch, &[]),
        ("Newton", "Newtown", Fuzzy, Mismatch, &[]),
        ("Somerville", "Summerville", Fuzzy, Mismatch, &[]),
        ("Springfield", "Chicago", Fuzzy, Mismatch, &[]),
        ("Springfield", "--", Fuzzy, Invalid, &[Unparseable]),
    ];
    for (a, b, mode, outcome, reasons) in cases {
        for (x, y) in [(a, b), (b, a)] {
            let r = compare_locality(x, y, *mode, 0.85);
            assert_eq!((r.outcome, r.reasons.to_vec().as_slice()), (*outcome, *reasons), "{x} vs {y} ({mode:?})");
        }
    }
}

#[test]
fn region_keys() {
    let cases: &[(&str, Option<&str>, &str)] = &[
        ("Illinois", Some("US"), "IL"),
        ("IL", Some("US"), "IL"),
        ("il", None, "IL"),
        ("ILLINOIS", None, "IL"),
        ("District of Columbia", Some("US"), "DC"),
        ("Washington, D.C.", Some("US"), "DC"),
        ("Washington", Some("US"), "WA"),
        ("Puerto Rico", Some("US"), "PR"),
        ("Québec", Some("CA"), "QC"),
        ("Quebec", None, "QC"),
        ("Colombie-Britannique", Some("CA"), "BC"),
        ("Île-du-Prince-Édouard", Some("CA"), "PE"),
        ("Newfoundland and Labrador", Some("CA"), "NL"),
        ("PQ", Some("CA"), "QC"),
        ("New South Wales", Some("AU"), "NSW"),
        ("Western Australia", None, "WA"),
        ("Australian Capital Territory", Some("AU"), "ACT"),
        ("Scotland", Some("GB"), "SCT"),
        ("Northern Ireland", None, "NIR"),
        ("US-IL", None, "IL"),
        ("CA-QC", Some("CA"), "QC"),
        ("Illinois", Some("CA"), "illinois"),
        ("Bayern", Some("DE"), "bayern"),
        ("IL", Some("DE"), "il"),
        ("  ", None, ""),
    ];
    for (raw, country, want) in cases {
        assert_eq!(normalize_region(raw, *country), *want, "{raw} in {country:?}");
    }
}

#[test]
fn regions() {
    type Case<'a> = (&'a str, Option<&'a str>, &'a str, Option<&'a str>, Outcome, &'a [Reason]);
    let (us, ca, au) = (Some("US"), Some("CA"), Some("AU"));
    let cases: &[Case<'_>] = &[
        ("IL", us, "IL", us, Match, &[]),
        ("Illinois", us, "IL", us, Match, &[RegionNameToCode]),
        ("Québec", ca, "QC", ca, Match, &[RegionNameToCode]),
        ("New South Wales", au, "NSW", au, Match, &[RegionNameToCode]),
        ("IL", us, "IN", us, Mismatch, &[RegionDiffers]),
        ("Virginia", us, "West Virginia", us, Mismatch, &[RegionDiffers]),
        ("Bayern", None, "Bayern", None, Match, &[]),
        ("Bayern", None, "Bavaria", None, Mismatch, &[RegionDiffers]),
        ("IL", us, "..", us, Invalid, &[Unparseable]),
    ];
    for (a, ac, b, bc, outcome, reasons) in cases {
        let r = compare_region(a, *ac, b, *bc);
        assert_eq!((r.outcome, r.reasons.to_vec().as_slice()), (*outcome, *reasons), "{a} vs {b}");
    }
}

#[test]
fn country_keys() {
    let cases: &[(&str, Option<&str>)] = &[
        ("US", Some("US")),
        ("us", Some("US")),
        ("USA", Some("US")),
        ("U.S.A.", Some("US")),
        ("United States", Some("US")),
        ("United States of America", Some("US")),
        ("UK", Some("GB")),
        ("Great Britain", Some("GB")),
        ("United Kingdom", Some("GB")),
        ("GBR", Some("GB")),
        ("Deutschland", Some("DE")),
        ("DEU", Some("DE")),
        ("Germany", Some("DE")),
        ("España", Some("ES")),
        ("Holland", Some("NL")),
        ("The Netherlands", Some("NL")),
        ("South Korea", Some("KR")),
        ("Korea, Republic of", Some("KR")),
        ("North Korea", Some("KP")),
        ("Russia", Some("RU")),
        ("Russian Federation", Some("RU")),
        ("Czechia", Some("CZ")),
        ("Czech Republic", Some("CZ")),
        ("Türkiye", Some("TR")),
        ("Turkey", Some("TR")),
        ("Côte d'Ivoire", Some("CI")),
        ("Cote d’Ivoire", Some("CI")),
        ("Ivory Coast", Some("CI")),
        ("Canada", Some("CA")),
        ("Åland Islands", Some("AX")),
        ("Congo", Some("CG")),
        ("Korea", None),
        ("Atlantis", None),
        ("", None),
    ];
    for (raw, want) in cases {
        assert_eq!(normalize_country(raw), *want, "{raw}");
    }
}

#[test]
fn countries() {
    let cases: &[(&str, &str, Outcome, &[Reason])] = &[
        ("US", "US", Match, &[]),
        ("United States", "US", Match, &[CountryNameToCode]),
        ("USA", "US", Match, &[CountryNameToCode]),
        ("Deutschland", "DE", Match, &[CountryNameToCode]),
        ("US", "CA", Mismatch, &[CountryDiffers]),
        ("United States", "United Kingdom", Mismatch, &[CountryDiffers]),
        ("Atlantis", "atlantis", Match, &[]),
        ("Atlantis", "US", Invalid, &[Unparseable]),
    ];
    for (a, b, outcome, reasons) in cases {
        for (x, y) in [(a, b), (b, a)] {
            let r = compare_country(x, y, (normalize_country(x), normalize_country(y)));
            assert_eq!((r.outcome, r.reasons.to_vec().as_slice()), (*outcome, *reasons), "{x} vs {y}");
        }
    }
}

#[test]
fn ascii_localities_read_as_from_the_tokens() {
    let named = ["St. Louis", "Ste-Foy", "Mt Pleasant", "Ft. Worth", "Winston-Salem", "Fort Worth", "st", "", "  "];
    for s in crate::text::random_ascii_strings().chain(named.map(String::from)) {
        assert_eq!(read_locality(&s), read_locality_tokens(&s), "{s:?}");
    }
}
