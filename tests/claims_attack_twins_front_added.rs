//! Attacker (2026-12-07, session 9) — FAILS ON MAIN (49492a8) AND ON THE NAMES BRANCH (02de9bf): a finding,
//! ignored so it can be merged before the fix lands. Twins whose names differ at the front in ways the
//! rhyming rule leaves to typos: a first letter changed onto a neighbouring key inside a family of real
//! names too short or too new for the list (Jaylen ~ Kaylen, Jailyn ~ Kailyn, Jason ~ Kason, Jalen ~
//! Kalen, Myla ~ Nyla), a consonant put before a real name that starts with a vowel (Amari ~ Jamari, Aiden ~
//! Kaiden, Evan ~ Devan, Aliyah ~ Maliyah), and two edits that keep the first letter (Tyrese ~ Tyrell) or
//! change it to a neighbour (Hadley ~ Bradley), and an inner letter (Aubree ~ Audree). Each name is a
//! real name given to US children since 2000. The impostor twin's own ID — same family name, birthdate
//! and address — matches the sibling's record. `review` or `no_match` is accepted; `match` is not.

mod common;

use common::twins::GARCIA;

/// A first letter changed onto a neighbouring key (J ~ K, J ~ H, M ~ N), both real names.
const NEIGHBOUR_FRONT: [(&str, &str); 10] = [
    ("Jaylen", "Kaylen"),
    ("Jailyn", "Kailyn"),
    ("Jaylani", "Kaylani"),
    ("Jason", "Kason"),
    ("Jasen", "Kasen"),
    ("Jalen", "Kalen"),
    ("Jace", "Kace"),
    ("Myla", "Nyla"),
    ("Kobe", "Jobe"),
    ("Kai", "Jai"),
];

/// A consonant before a real name that starts with a vowel.
const FRONT_ADDED: [(&str, &str); 10] = [
    ("Amari", "Jamari"),
    ("Amir", "Jamir"),
    ("Alina", "Kalina"),
    ("Aiden", "Jaiden"),
    ("Aiden", "Kaiden"),
    ("Evan", "Devan"),
    ("Alani", "Kalani"),
    ("Aliyah", "Kaliyah"),
    ("Aliyah", "Maliyah"),
    ("Amara", "Kamara"),
];

/// Two edits (or one inside) that the rhyming rule leaves to typos.
const OTHER: [(&str, &str); 3] = [("Hadley", "Bradley"), ("Tyrese", "Tyrell"), ("Aubree", "Audree")];

#[test]
#[ignore = "finding: twins a neighbouring first key apart match (20 of 20 on main; 10 on twins: Jaylani, four letters and less)"]
fn a_twin_a_neighbouring_first_key_apart_never_matches() {
    GARCIA.assert_never_matches(&NEIGHBOUR_FRONT);
}

/// Closed (session 10, `twins`): a consonant before a vowel-initial name goes to a person (rhyming.rs
/// `front_added`); 20 of 20 directions matched on main 8f21f6a, none since.
#[test]
fn a_twin_a_front_consonant_apart_never_matches() {
    GARCIA.assert_never_matches(&FRONT_ADDED);
}

#[test]
#[ignore = "finding: twins two edits apart keeping or neighbouring the first letter match (main and names)"]
fn a_twin_two_edits_apart_at_the_end_never_matches() {
    GARCIA.assert_never_matches(&OTHER);
}
