//! Attacker (2026-12-07, session 9) against the names branch (02de9bf, rhyming given names): a genuine
//! employee whose ID's first letter was misread or mistyped — an OCR confusion of a capital (C ~ G,
//! E ~ F, C ~ O, O ~ Q, R ~ B, E ~ C, D ~ O, M ~ W, K ~ R, A ~ B, B ~ D) — on a long, listed given name
//! (Catherine, Elizabeth, Christopher), with the family name, birthdate and address exact. Nobody's twin
//! is called Gatherine or Flizabeth: the misread side is not a name at all. Main (49492a8) matches every
//! one (NAME_FUZZY_MATCH); the names branch refuses each as DISTINCT_GIVEN_NAMES (`no_match`): a lockout.
//! The same for one name spelled two ways at the front (Kathryn ~ Cathryn, Viktor ~ Wiktor): main matches,
//! names refuses. Both tests pass on main and fail on names 02de9bf. A third, ignored, is a finding on main:
//! listed spellings of one name (Katherine ~ Catherine, Sofia ~ Zofia) are refused as two names already.
//! `match` or `review` is accepted; `no_match` is not.

mod common;

use common::twins::GARCIA;
use okta_directory::claims::Decision;

/// (on the ID, in the directory): the ID's first letter misread, the record right.
const MISREAD_FIRST_LETTER: [(&str, &str); 14] = [
    ("Gatherine", "Catherine"),
    ("Flizabeth", "Elizabeth"),
    ("Oharlotte", "Charlotte"),
    ("Qlivia", "Olivia"),
    ("Bebecca", "Rebecca"),
    ("Ghristopher", "Christopher"),
    ("Oanielle", "Danielle"),
    ("Wichelle", "Michelle"),
    ("Rimberly", "Kimberly"),
    ("Clizabeth", "Elizabeth"),
    ("Blexander", "Alexander"),
    ("Denjamin", "Benjamin"),
    ("Ghristina", "Christina"),
    ("Fmily", "Emily"),
];

/// One name spelled two ways at the front (C ~ K, Y ~ J, V ~ W): HR typed one spelling, the ID holds the
/// other — or the name crossed a language (Wiktor, Walentina, Jolanda). Main matches each.
const FRONT_SPELLINGS: [(&str, &str); 10] = [
    ("Kathryn", "Cathryn"),
    ("Karson", "Carson"),
    ("Katie", "Catie"),
    ("Kasey", "Casey"),
    ("Kameron", "Cameron"),
    ("Klaudia", "Claudia"),
    ("Yolanda", "Jolanda"),
    ("Yosef", "Josef"),
    ("Viktor", "Wiktor"),
    ("Valentina", "Walentina"),
];

/// The same kind, both spellings on the real-name list: main already refuses these (a finding on main).
const LISTED_FRONT_SPELLINGS: [(&str, &str); 14] = [
    ("Katherine", "Catherine"),
    ("Kaitlyn", "Caitlyn"),
    ("Kristina", "Cristina"),
    ("Karolina", "Carolina"),
    ("Kamila", "Camila"),
    ("Kassandra", "Cassandra"),
    ("Kathy", "Cathy"),
    ("Kaleb", "Caleb"),
    ("Krystal", "Crystal"),
    ("Konrad", "Conrad"),
    ("Gillian", "Jillian"),
    ("Sofia", "Zofia"),
    ("Xavier", "Javier"),
    ("Ximena", "Jimena"),
];

/// The directions `no_match`ed: `ID {id} refused for record {record}`.
fn refused(pairs: &[(&'static str, &'static str)]) -> Vec<String> {
    pairs
        .iter()
        .flat_map(|&(id, record)| [(id, record), (record, id)])
        .filter(|&(id, record)| GARCIA.decide(id, record) == Decision::NoMatch)
        .map(|(id, record)| format!("ID {id} refused for record {record}"))
        .collect()
}

#[test]
fn one_name_spelled_two_ways_at_the_front_is_not_refused() {
    let refused = refused(&FRONT_SPELLINGS);
    assert!(refused.is_empty(), "{} of {} refused:\n{}", refused.len(), 2 * FRONT_SPELLINGS.len(), refused.join("\n"));
}

#[test]
#[ignore = "finding (main 49492a8): listed C/K, G/J, S/Z, X/J spellings of one name are DISTINCT_GIVEN_NAMES (28 of 28)"]
fn one_listed_name_spelled_two_ways_at_the_front_is_not_refused() {
    let refused = refused(&LISTED_FRONT_SPELLINGS);
    assert!(
        refused.is_empty(),
        "{} of {} refused:\n{}",
        refused.len(),
        2 * LISTED_FRONT_SPELLINGS.len(),
        refused.join("\n")
    );
}

#[test]
fn a_misread_first_letter_of_a_long_listed_name_is_not_refused() {
    let refused = refused(&MISREAD_FIRST_LETTER);
    assert!(
        refused.is_empty(),
        "{} of {} refused:\n{}",
        refused.len(),
        2 * MISREAD_FIRST_LETTER.len(),
        refused.join("\n")
    );
}
