//! Attacker (2026-12-07, session 8) — FAILS ON MAIN (e45e2ff): a finding, not a pin; keep apart when merging
//! until a fix lands. Twins are given rhyming names one letter apart (Dustin ~ Justin, Holly ~ Molly, Jerry ~
//! Terry, Mandy ~ Sandy, Tammy ~ Tommy): real, frequent given names (the US first-name lists), five letters or
//! more or a first-letter change, which the one-letter twin guard (`SHORT_NAME_ONE_LETTER_APART`, four letters
//! or fewer) and the common-name guard (`DISTINCT_GIVEN_NAMES`, both names on the engine's list) do not cover.
//! The impostor twin's own genuine ID — same family name, birthdate and address — is a `NAME_FUZZY_MATCH` for
//! the sibling's record at `balanced`: an account takeover. Found by matching every pair of 8,142 real given
//! names one edit apart (16,037 pairs; 11,635 match), then keeping pairs of frequent US names.
//! `review` (a person's call) or `no_match` is accepted; `match` is not.

mod common;

use common::twins::GARCIA;

/// Frequent real given names one letter apart (either may be the impostor's).
const TWINS: [(&str, &str); 24] = [
    ("Dustin", "Justin"),
    ("Austin", "Justin"),
    ("Austin", "Dustin"),
    ("Holly", "Molly"),
    ("Barry", "Larry"),
    ("Barry", "Harry"),
    ("Jerry", "Terry"),
    ("Kerry", "Perry"),
    ("Mandy", "Sandy"),
    ("Randy", "Sandy"),
    ("Cindy", "Mindy"),
    ("Bonnie", "Ronnie"),
    ("Connie", "Lonnie"),
    ("Tammy", "Tommy"),
    ("Darren", "Warren"),
    ("Alvin", "Calvin"),
    ("Devin", "Kevin"),
    ("Brent", "Brett"),
    ("Bruce", "Bryce"),
    ("Roy", "Troy"),
    ("Rose", "Ross"),
    ("Kyle", "Kylie"),
    ("Cody", "Cory"),
    ("Latasha", "Natasha"),
];

#[test]
fn a_twin_whose_rhyming_name_is_one_letter_from_the_sibling_never_matches() {
    GARCIA.assert_never_matches(&TWINS);
}
