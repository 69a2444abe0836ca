//! Attacker's pin (main's behaviour, 2026-12-07, session 10, 8f21f6a) for fast ASCII paths: the listed-name
//! twins of `claims_attack_listed_names_pin.rs` (75,755 pairs within two edits, both ways round) decided again
//! with each side written as IDs and HR systems write it — upper case on the ID and lower case with a
//! trailing period in the record, then lower case padded with spaces on the ID and upper case in the record —
//! must match exactly the 912 pinned directions, no more (two
//! listed people taken for one) and no fewer (a case or spacing change that locks a person out). On main both
//! spellings give the pinned set. Run in release for speed: `cargo test --release --test
//! claims_attack_listed_names_case_pin` (about 20 s; a debug run about 80 s).

mod common;

use std::collections::BTreeSet;

use common::twins::{capitalized, within_two, GARCIA};
use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};

const LISTED: &str = include_str!("fixtures/attack/given-names-listed.txt");
const MATCHES: &str = include_str!("fixtures/attack/given-names-listed.matches.txt");

/// (label, the ID's spelling, the record's spelling) of a capitalized name.
type Spelling = (&'static str, fn(&str) -> String, fn(&str) -> String);

const SPELLINGS: [Spelling; 2] = [
    (
        "ID upper case, record lower case with a trailing period",
        |n| n.to_uppercase(),
        |n| format!("{}.", n.to_lowercase()),
    ),
    (
        "ID lower case padded with spaces, record upper case",
        |n| format!("  {} ", n.to_lowercase()),
        |n| n.to_uppercase(),
    ),
];

#[test]
fn listed_twins_decide_alike_in_upper_and_lower_case_and_with_spaces() {
    let folded: Vec<&str> = LISTED.lines().collect();
    let names: Vec<String> = folded.iter().map(|n| capitalized(n)).collect();
    let pinned: BTreeSet<String> = MATCHES.lines().map(str::to_string).collect();
    assert_eq!(pinned.len(), 912);
    let mut close = Vec::new();
    for i in 0..names.len() {
        for j in i + 1..names.len() {
            if within_two(folded[i].as_bytes(), folded[j].as_bytes()) {
                close.push((i, j));
            }
        }
    }
    assert_eq!(close.len(), 75_755, "pairs within two edits");
    let matcher = Matcher::new(Policy::default());
    let mut bad = Vec::new();
    for (label, on_id, in_record) in SPELLINGS {
        let ids: Vec<VerifiedClaims> = names.iter().map(|n| VerifiedClaims::from_json(&GARCIA.id(&on_id(n)))).collect();
        let users: Vec<_> = names.iter().map(|n| GARCIA.user(&in_record(n))).collect();
        let mut matched = BTreeSet::new();
        for &(i, j) in &close {
            for (a, b) in [(i, j), (j, i)] {
                if matcher.decide(&ids[a], &users[b]).decision == Decision::Match {
                    matched.insert(format!("{}->{}", names[a], names[b]));
                }
            }
        }
        bad.extend(matched.difference(&pinned).map(|l| format!("{label}: {l} matched, not pinned (two people)")));
        bad.extend(pinned.difference(&matched).map(|l| format!("{label}: {l} pinned, no longer matched (a lockout)")));
    }
    assert!(bad.is_empty(), "{} differ:\n{}", bad.len(), bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n"));
}
