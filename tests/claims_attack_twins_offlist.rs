//! Attacker (2026-12-07, session 9) — FAILS ON MAIN (49492a8): a finding, not a pin; ignored so it can be
//! merged before the fix lands (names branch: first-letter changes, list vs off-list names). Twins given
//! modern names that are not on the real-name list (Kinley ~ Finley, Zayden ~ Hayden, Kason ~ Jason,
//! Maddox ~ Haddox) or two real names two edits apart (Hadley ~ Bradley, Tyrese ~ Tyrell): the impostor
//! twin's own genuine ID — same family name, birthdate and address — is a `NAME_FUZZY_MATCH` or
//! `NAME_TWO_EDITS` for the sibling's record at `balanced`: an account takeover. None of these pairs is
//! in tests/claims_attack_twins_holdout.rs; written by hand (names given to US children since 2000) and
//! probed through `decideMany`. `review` or `no_match` is accepted; `match` is not.

mod common;

use common::twins::GARCIA;

/// One name at least off the real-name list, the two a first-letter change apart (either may be the impostor's).
const FIRST_LETTER: [(&str, &str); 16] = [
    ("Kinley", "Finley"),
    ("Lainey", "Rainey"),
    ("Ryleigh", "Kyleigh"),
    ("Kayleigh", "Hayleigh"),
    ("Zayden", "Hayden"),
    ("Maddox", "Haddox"),
    ("Kason", "Jason"),
    ("Cason", "Mason"),
    ("Camden", "Hamden"),
    ("Jalen", "Galen"),
    ("Daquan", "Jaquan"),
    ("Aaliyah", "Maliyah"),
    ("Jamari", "Amari"),
    ("Jaylen", "Kaylen"),
    ("Nayeli", "Jayeli"),
    ("Kasen", "Jasen"),
];

/// Two different names two edits apart (an onset added or changed, an ending changed).
const TWO_EDITS: [(&str, &str); 6] = [
    ("Hadley", "Bradley"),
    ("Braelyn", "Kaelyn"),
    ("Braxton", "Jaxton"),
    ("Tyrese", "Tyrell"),
    ("Keyshawn", "Deshawn"),
    ("Raylan", "Waylon"),
];

/// Different names one letter apart inside the name.
const INSIDE: [(&str, &str); 2] = [("Mason", "Macon"), ("Aubree", "Audree")];

#[test]
#[ignore = "finding: off-list twins a first letter apart match (32 of 32 directions on main)"]
fn a_twin_a_first_letter_apart_never_matches_the_sibling() {
    GARCIA.assert_never_matches(&FIRST_LETTER);
}

#[test]
#[ignore = "finding: twins two edits apart match (12 of 12 directions on main)"]
fn a_twin_two_edits_apart_never_matches_the_sibling() {
    GARCIA.assert_never_matches(&TWO_EDITS);
}

#[test]
#[ignore = "finding: off-list twins one inner letter apart match (4 of 4 directions on main)"]
fn a_twin_one_inner_letter_apart_never_matches_the_sibling() {
    GARCIA.assert_never_matches(&INSIDE);
}
