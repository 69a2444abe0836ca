//! Property runs over generated addresses: self-matches, symmetry, idempotence, no panics.

use super::tests::{parts, rule};
use super::*;
use crate::claims::policy::MatchMode;
use Outcome::*;
use Reason::*;

/// A tiny deterministic generator (xorshift), so property runs are reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn every_clean_address_matches_itself() {
    let names = ["Main", "Oak", "Pennsylvania", "Saint Charles", "Fifth", "Martin Luther King Jr", "Elm", "Ocean"];
    let suffixes = ["St", "Street", "Avenue", "Blvd", "Road", "Crescent", "Close", "Way", "Hwy", "Trail"];
    let dirs = ["", "N ", "Northwest ", "S "];
    let units = ["", " Apt 4", " #12B", " Suite 300", "\nUnit 7", " Flat 2"];
    let towns = ["Springfield", "St. Louis", "Montréal", "Winston-Salem", "Mt. Vernon", "São Paulo"];
    // (region, postal code, country) that belong together.
    let places = [
        ("IL", "62701", "US"),
        ("Illinois", "62701-1234", "United States"),
        ("Québec", "K1A 0B1", "Canada"),
        ("Scotland", "EH1 1YZ", "GB"),
        ("Bayern", "80331", "Deutschland"),
        ("NSW", "2000", "AUS"),
        ("", "1012 AB", "Netherlands"),
        ("", "62701", ""),
    ];
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for _ in 0..2000 {
        let street = format!(
            "{} {}{} {}{}",
            rng.next() % 9999 + 1,
            rng.pick(&dirs),
            rng.pick(&names),
            rng.pick(&suffixes),
            rng.pick(&units)
        );
        let (region, postal, country) = places[(rng.next() % places.len() as u64) as usize];
        let a = parts(&street, rng.pick(&towns), region, postal, country);
        for mode in [MatchMode::Exact, MatchMode::Fuzzy] {
            let mut r = rule();
            r.mode = mode;
            let result = compare_address(&a, &a, &r);
            assert_eq!(result.overall.outcome, Match, "{a:?}");
            assert_eq!(result.overall.score, 1.0, "{a:?}");
        }
    }
}

/// Swaps the side a missing outcome names, for symmetry checks.
fn mirrored(outcome: Outcome) -> Outcome {
    match outcome {
        MissingVerified => MissingDirectory,
        MissingDirectory => MissingVerified,
        other => other,
    }
}

#[test]
fn random_address_words_never_panic_and_compare_symmetrically() {
    let vocabulary = [
        "12",
        "14",
        "1/2",
        "4/12",
        "12-14",
        "04",
        "#",
        "#4",
        "apt",
        "unit",
        "suite",
        "fl",
        "bldg",
        "rear",
        "ph",
        "po",
        "p",
        "o",
        "box",
        "post",
        "office",
        "pob",
        "n",
        "north",
        "nw",
        "st",
        "saint",
        "street",
        "ave",
        "main",
        "fifth",
        "5th",
        "rue",
        "ch",
        "hwy",
        "61",
        "b",
        ",",
        "\n",
        "-",
        ".",
        "springfield",
        "st.",
        "mt",
        "il",
        "illinois",
        "us-il",
        "62701",
        "62701-1234",
        "k1a 0b1",
        "usa",
        "canada",
        "é",
        "\u{200b}",
    ];
    let mut rng = Rng(0x1234_5678_9abc_def0);
    let text = |rng: &mut Rng| -> String {
        let n = rng.next() % 7;
        (0..n).map(|_| rng.pick(&vocabulary)).collect::<Vec<_>>().join(" ")
    };
    for _ in 0..3000 {
        let v: Vec<String> = (0..10).map(|_| text(&mut rng)).collect();
        let a = parts(&v[0], &v[1], &v[2], &v[3], &v[4]);
        let b = parts(&v[5], &v[6], &v[7], &v[8], &v[9]);
        for mode in [MatchMode::Exact, MatchMode::Fuzzy] {
            let mut r = rule();
            r.mode = mode;
            let (ab, ba) = (compare_address(&a, &b, &r), compare_address(&b, &a, &r));
            assert_eq!(ab.overall.outcome, mirrored(ba.overall.outcome), "{a:?} / {b:?}");
            assert_eq!(ab.overall.reasons, ba.overall.reasons, "{a:?} / {b:?}");
            assert!((ab.overall.score - ba.overall.score).abs() < 1e-12);
            // A value only fails to meet itself when it carries a security finding.
            let itself = compare_address(&a, &a, &r).overall;
            let flagged = itself.reasons.iter().any(|r| matches!(r, SuspiciousInvisible | SuspiciousMixedScript));
            assert!(itself.outcome != Mismatch || flagged, "{a:?}");
        }
    }
}

#[test]
fn normalizers_are_idempotent() {
    let samples = [
        "St. Louis",
        "Saint Louis",
        "Winston-Salem",
        "Montréal",
        "Illinois",
        "IL",
        "US-IL",
        "Québec",
        "Bayern",
        "New South Wales",
        "62701-1234",
        "k1a 0b1",
        "sw1a1aa",
        "1012 ab",
        "２１３４",
        "Straße",
        "Mt. Vernon",
    ];
    for s in samples {
        let locality = normalize_locality(s);
        assert_eq!(normalize_locality(&locality), locality, "{s}");
        for country in [None, Some("US"), Some("CA"), Some("GB"), Some("DE")] {
            let region = normalize_region(s, country);
            assert_eq!(normalize_region(&region, country), region, "{s} in {country:?}");
            let postal = normalize_postal(s, country);
            if !postal.is_empty() {
                assert_eq!(normalize_postal(&postal, country), postal, "{s} in {country:?}");
            }
        }
    }
    for (alpha2, _, _) in tables::countries() {
        assert_eq!(normalize_country(alpha2), Some(alpha2));
    }
}

#[test]
fn random_input_never_panics() {
    let alphabet: Vec<char> = "aZ0 9#-/.,'\n\t\u{301}éßÅ\u{200b}\u{202e}İ\u{fb01}Ωя中\u{0}\u{1F600}".chars().collect();
    let mut rng = Rng(0x0bad_cafe_f00d_0001);
    let mut text = || -> String {
        let len = rng.next() % 40;
        (0..len).map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize]).collect()
    };
    for _ in 0..3000 {
        let v: Vec<String> = (0..10).map(|_| text()).collect();
        let a = parts(&v[0], &v[1], &v[2], &v[3], &v[4]);
        let b = parts(&v[5], &v[6], &v[7], &v[8], &v[9]);
        let r = compare_address(&a, &b, &rule());
        assert!((0.0..=1.0).contains(&r.overall.score));
        let _ = (normalize_street(&v[0]), normalize_postal(&v[3], None), normalize_region(&v[2], None));
    }
    let huge = "12 Main St ".repeat(10_000);
    let a = parts(&huge, &huge, &huge, &huge, &huge);
    let r = compare_address(&a, &a, &rule());
    assert_eq!(r.overall.outcome, Invalid);
}
