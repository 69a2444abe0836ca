//! The twins hunt (docs/claims-decisions.md, "Twins' names"): every pair of real given names a letter or two
//! apart, in a twin household (same family name, birthdate and address), decided both ways at the default
//! policy; prints how many match, by shape. Not a pass/fail test (the names file is not in the repo):
//! `TWINS_HUNT=pairs.txt cargo test --release --test claims_twins_hunt -- --ignored --nocapture`, with lines
//! `one|two|prefix NAME NAME` (scripts/gen-given-names.py's sources, folded).

mod common;

use common::twins::GARCIA;
use okta_directory::claims::Decision;
use std::collections::BTreeMap;

#[test]
#[ignore = "needs TWINS_HUNT=<pairs file>; a measurement, not a check"]
fn hunt() {
    let Ok(path) = std::env::var("TWINS_HUNT") else { return };
    let text = std::fs::read_to_string(path).expect("the pairs file");
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for line in text.lines() {
        let mut parts = line.split(' ');
        let (Some(shape), Some(a), Some(b)) = (parts.next(), parts.next(), parts.next()) else { continue };
        let entry = counts.entry(shape).or_default();
        for (impostor, victim) in [(a, b), (b, a)] {
            entry.0 += 1;
            if GARCIA.decide(impostor, victim) == Decision::Match {
                println!("M {shape} {impostor} {victim}");
                entry.1 += 1;
            }
        }
    }
    for (shape, (directions, matched)) in counts {
        println!("{shape}: {matched} of {directions} directions match");
    }
}
