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

#[test]
fn a_held_back_twin_never_matches_the_sibling() {
    let breaches = GARCIA.matched(&HELD_BACK);
    assert!(breaches.is_empty(), "{} of {} twins matched:\n{}", breaches.len(), 2 * HELD_BACK.len(), breaches.join("\n"));
}
