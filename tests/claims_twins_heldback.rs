//! Held-back twins (session 9, branch `names`): written by hand BEFORE the rule that closes
//! tests/claims_attack_twins_holdout.rs was chosen, and not used to choose or tune it. Rhyming and
//! near names given to children since about 1995 — one or two edits apart, none of them a pair of the
//! hold-out file. The impostor twin's own genuine ID (same family name, birthdate and address) must
//! never match the sibling's record; `review` or `no_match` is accepted.

mod common;

use common::twins::GARCIA;

/// Written 2026-12-07 17:37 UTC, before any rule change on this branch.
const HELD_BACK: [(&str, &str); 32] = [
    ("Mason", "Jason"),
    ("Hadley", "Bradley"),
    ("Reagan", "Keegan"),
    ("Harlow", "Marlow"),
    ("Kaylin", "Jaylin"),
    ("Raelynn", "Jaelynn"),
    ("Rylan", "Dylan"),
    ("Gianna", "Brianna"),
    ("Wesley", "Presley"),
    ("Finley", "Kinley"),
    ("Ryleigh", "Kyleigh"),
    ("Dawson", "Lawson"),
    ("Callie", "Hallie"),
    ("Kenna", "Jenna"),
    ("Ember", "Amber"),
    ("Eliza", "Aliza"),
    ("Anya", "Tanya"),
    ("Skyler", "Tyler"),
    ("Brinley", "Kinley"),
    ("Colt", "Holt"),
    ("Cody", "Jody"),
    ("Ella", "Bella"),
    ("Lennon", "Lennox"),
    ("Brody", "Cody"),
    ("Kason", "Mason"),
    ("Kash", "Nash"),
    ("Ace", "Jace"),
    ("Zane", "Lane"),
    ("Maya", "Kaya"),
    ("Tessa", "Nessa"),
    ("Macy", "Lacy"),
    ("Laney", "Janey"),
];

/// What the session-9 shape rules leave to match (reported, not tuned on): the first letter changed onto its
/// neighbouring key (Kason ~ Mason, Rylan ~ Dylan: the slip a typist makes, Naria ~ Maria) or with a letter
/// added (Hadley ~ Bradley), and a letter added before a three-letter name (Ace ~ Jace). Any change to this
/// list — a rule that opens one more direction or closes one of these — fails here.
/// (Session 10, `twins`: Kason ~ Mason goes to a person — a neighbouring first key in a five- or six-letter
/// name with a modern ending, rhyming.rs `modern_front` — 8 → 6.)
const STILL_MATCHED: [&str; 6] = [
    "twin Hadley matched Bradley",
    "twin Bradley matched Hadley",
    "twin Rylan matched Dylan",
    "twin Dylan matched Rylan",
    "twin Ace matched Jace",
    "twin Jace matched Ace",
];

#[test]
fn a_held_back_twin_matches_only_the_known_neighbour_key_pairs() {
    let breaches = GARCIA.matched(&HELD_BACK);
    assert_eq!(breaches, STILL_MATCHED, "{} of {} twins matched", breaches.len(), 2 * HELD_BACK.len());
}

#[test]
#[ignore = "known gap: 6 of 64 directions (Hadley ~ Bradley, Rylan ~ Dylan, Ace ~ Jace) still match"]
fn a_held_back_twin_never_matches_the_sibling() {
    let breaches = GARCIA.matched(&HELD_BACK);
    assert!(
        breaches.is_empty(),
        "{} of {} twins matched:\n{}",
        breaches.len(),
        2 * HELD_BACK.len(),
        breaches.join("\n")
    );
}
