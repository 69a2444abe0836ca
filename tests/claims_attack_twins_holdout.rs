//! Attacker (2026-12-07, session 8) — failed on e45e2ff (44 of 64 directions matched), 34 of 64 after the
//! real-name twin rule, 4 of 64 after the shape rules of session 9 (branch `names`). A hold-out for the twins fix: the names of tests/claims_attack_twins_{rhyming,two_edits,
//! endings}.rs came from a person-name package's lists, and a fix built from the same lists passes them by
//! construction. These pairs were written by hand from names given to children since 2000 (many missing from
//! older census lists) — the rhyming sets twins are given (Jayden ~ Kayden ~ Brayden, Kaylee ~ Haylee, Mila
//! ~ Lila ~ Nyla ~ Ayla), one or two edits apart. The impostor twin's own genuine ID — same family name,
//! birthdate and address — must never match the sibling's record. `review` or `no_match` is accepted.

mod common;

use common::twins::GARCIA;

/// Given names of children born since 2000, one or two edits apart (either may be the impostor's).
const TWINS: [(&str, &str); 32] = [
    ("Jayden", "Kayden"),
    ("Jayden", "Brayden"),
    ("Brayden", "Grayden"),
    ("Kayden", "Zayden"),
    ("Aiden", "Caden"),
    ("Jaden", "Kaden"),
    ("Jaxon", "Paxton"),
    ("Braylon", "Jaylon"),
    ("Landon", "Brandon"),
    ("Colby", "Colton"),
    ("Kaylee", "Haylee"),
    ("Kaylee", "Bailee"),
    ("Rylee", "Kylee"),
    ("Riley", "Kiley"),
    ("Kinsley", "Ainsley"),
    ("Paisley", "Kinsley"),
    ("Mila", "Lila"),
    ("Nyla", "Kyla"),
    ("Ayla", "Isla"),
    ("Ellie", "Allie"),
    ("Ollie", "Ellie"),
    ("Emery", "Avery"),
    ("Harper", "Parker"),
    ("Hudson", "Judson"),
    ("Easton", "Weston"),
    ("Ryder", "Ryker"),
    ("Kendall", "Randall"),
    ("Addison", "Madison"),
    ("Madelyn", "Adelyn"),
    ("Kyler", "Tyler"),
    ("Tyson", "Bryson"),
    ("Lilah", "Delilah"),
];

/// The pairs the session-9 shape rules (src/claims/compare/names/rhyming.rs) leave to match: both names off
/// the real-name list, the first letter changed onto its neighbouring key (Hudson ~ Judson: the slip a typist
/// makes, Naria ~ Maria) or added with another edit next to it (Easton ~ Weston), or five letters one letter apart
/// (Ryder ~ Ryker: a typo of a five-letter name looks the same, Maria ~ Maxia). Every other direction is
/// refused or sent to a person; a rule that opens one more fails here, and so does one that closes these
/// (then empty this list).
const STILL_MATCHED: [&str; 6] = [
    "twin Hudson matched Judson",
    "twin Judson matched Hudson",
    "twin Easton matched Weston",
    "twin Weston matched Easton",
    "twin Ryder matched Ryker",
    "twin Ryker matched Ryder",
];

/// 34 of the 64 directions matched with the real-name list of session 8; 6 with the shape rules of session 9
/// (4 while five-letter names one letter apart went to a person: that sent one typo of Maria, Maxia, there too,
/// and Ryder ~ Ryker had been seen in this file when the limit was raised).
#[test]
fn a_twin_with_a_rhyming_modern_name_matches_only_the_known_neighbour_key_pairs() {
    let breaches = GARCIA.matched(&TWINS);
    assert_eq!(breaches, STILL_MATCHED, "{} of {} twins matched", breaches.len(), 2 * TWINS.len());
}

/// Known gap, kept visible: the four directions above. Run with `--ignored`; the next step is in
/// docs/claims-decisions.md, "Twins' names".
#[test]
#[ignore = "known gap: Hudson ~ Judson, Easton ~ Weston, Ryder ~ Ryker (off the real-name list) still match"]
fn a_twin_with_a_rhyming_modern_name_never_matches_the_sibling() {
    GARCIA.assert_never_matches(&TWINS);
}
