//! Attacker (2026-12-07, session 10) against the twins branch (a6aa259: a consonant before a vowel-initial
//! name, and a neighbouring first key in a five- or six-letter modern name, go to a person): the rule fires on
//! strings shaped as names, not on names. A genuine employee whose first letter was dropped (Jaxon → axon,
//! Mason → ason, Lauren → auren, Karen → aren) or hit on its neighbouring key (Jason → Hason, Mason → Nason,
//! Karen → Laren, Carter → Varter, Colton → Xolton), on the ID or in the record, with the family name,
//! birthdate and address exact: the mistyped side is nobody's name, so no twin has it. Main (8f21f6a) matches
//! every direction; the branch sent each to `review` — for a self-serve reset a lockout (issue 13, "a
//! review … is a lockout"): 30 of 30 directions on twins a6aa259; after its narrowing (160c04d) 4 remain, Karen ~
//! Laren and Mason ~ Nason, kept in an ignored finding test so the merge stays green.

mod common;

use common::twins::GARCIA;
use okta_directory::claims::Decision;

/// (the name, the typo): the typo is not a given name (not listed, not in use).
const TYPOS: [(&str, &str); 13] = [
    ("Jaxon", "axon"),
    ("Mason", "ason"),
    ("Lauren", "auren"),
    ("Landon", "andon"),
    ("Dawson", "awson"),
    ("Jenna", "enna"),
    ("Raven", "aven"),
    ("Jason", "Hason"),
    ("Harper", "Jarper"),
    ("Carter", "Varter"),
    ("Colton", "Xolton"),
    ("Ryder", "Tyder"),
    ("Ethan", "Rethan"),
];

/// The two the twins branch keeps sending to a person after narrowing (160c04d: "the shape of Mason ~
/// Kason"): still a lockout, left for the coordinator.
const KEPT: [(&str, &str); 2] = [("Karen", "Laren"), ("Mason", "Nason")];

#[test]
fn a_first_letter_dropped_or_on_its_neighbour_key_leaving_no_name_still_matches() {
    refused(&TYPOS);
}

#[test]
#[ignore = "finding (session 10, twins 160c04d): Karen ~ Laren and Mason ~ Nason (neighbouring first key, no name) go to review; run with --ignored"]
fn a_neighbouring_first_key_in_a_modern_shaped_name_still_matches() {
    refused(&KEPT);
}

fn refused(typos: &[(&str, &str)]) {
    let mut refused = Vec::new();
    for &(name, typo) in typos {
        for (on_id, in_record) in [(typo, name), (name, typo)] {
            let d = GARCIA.decide(on_id, in_record);
            if d != Decision::Match {
                refused.push(format!("ID {on_id} vs record {in_record}: {d:?}"));
            }
        }
    }
    assert!(refused.is_empty(), "{} of {} refused:\n{}", refused.len(), 2 * typos.len(), refused.join("\n"));
}
