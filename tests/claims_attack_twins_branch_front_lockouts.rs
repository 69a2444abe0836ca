//! Attacker (2026-12-07, session 10) against the twins branch (a6aa259: a consonant before a vowel-initial
//! name, and a neighbouring first key in a five- or six-letter modern name, go to a person): the rule fires on
//! strings shaped as names, not on names. A genuine employee whose first letter was dropped (Jaxon → axon,
//! Mason → ason, Lauren → auren, Karen → aren) or hit on its neighbouring key (Jason → Hason, Mason → Nason,
//! Karen → Laren, Carter → Varter, Colton → Xolton), on the ID or in the record, with the family name,
//! birthdate and address exact: the mistyped side is nobody's name, so no twin has it. Main (8f21f6a) matches
//! every direction; the branch sends each to `review` — for a self-serve reset a lockout (issue 13, "a
//! review … is a lockout"). Passes on main, fails on twins a6aa259 (30 of 30 directions).

mod common;

use common::twins::GARCIA;
use okta_directory::claims::Decision;

/// (the name, the typo): the typo is not a given name (not listed, not in use).
const TYPOS: [(&str, &str); 15] = [
    ("Jaxon", "axon"),
    ("Mason", "ason"),
    ("Lauren", "auren"),
    ("Landon", "andon"),
    ("Dawson", "awson"),
    ("Jenna", "enna"),
    ("Raven", "aven"),
    ("Jason", "Hason"),
    ("Karen", "Laren"),
    ("Mason", "Nason"),
    ("Harper", "Jarper"),
    ("Carter", "Varter"),
    ("Colton", "Xolton"),
    ("Ryder", "Tyder"),
    ("Ethan", "Rethan"),
];

#[test]
fn a_first_letter_dropped_or_on_its_neighbour_key_leaving_no_name_still_matches() {
    let mut refused = Vec::new();
    for (name, typo) in TYPOS {
        for (on_id, in_record) in [(typo, name), (name, typo)] {
            let d = GARCIA.decide(on_id, in_record);
            if d != Decision::Match {
                refused.push(format!("ID {on_id} vs record {in_record}: {d:?}"));
            }
        }
    }
    assert!(refused.is_empty(), "{} of {} refused:\n{}", refused.len(), 2 * TYPOS.len(), refused.join("\n"));
}
