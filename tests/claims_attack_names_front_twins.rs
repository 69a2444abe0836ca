//! Attacker (2026-12-07, session 9) against the names branch (22719f3: one name spelled two ways at the
//! front, C ~ K, G ~ J, S ~ Z, taken as a spelling): twins are given rhyming names a front letter apart that
//! are two names, not two spellings — Gordon ~ Jordon/Jordan, Gordana ~ Jordana, Samir ~ Zamir, Samira ~
//! Zamira, Saida ~ Zaida. Every name is on the real-name list; main (49492a8) refuses each
//! (DISTINCT_GIVEN_NAMES), the names branch matches the impostor twin's own ID — same family name,
//! birthdate and address — to the sibling's record. Passes on main. `review` or `no_match` is accepted.

mod common;

use common::twins::GARCIA;
use okta_directory::claims::Decision;

const TWINS: [(&str, &str); 6] = [
    ("Gordon", "Jordon"),
    ("Gordon", "Jordan"),
    ("Gordana", "Jordana"),
    ("Samir", "Zamir"),
    ("Samira", "Zamira"),
    ("Saida", "Zaida"),
];

#[test]
fn twins_a_front_letter_apart_with_two_names_never_match() {
    let directions = TWINS.iter().flat_map(|&(a, b)| [(a, b), (b, a)]);
    let b: Vec<String> = directions
        .filter(|&(i, v)| GARCIA.decide(i, v) == Decision::Match)
        .map(|(i, v)| format!("twin {i} matched {v}"))
        .collect();
    assert!(b.is_empty(), "{} of {} twins matched:\n{}", b.len(), 2 * TWINS.len(), b.join("\n"));
}
