//! Attacker (2026-12-07, session 10, round 2 on merged main ced9856) — recall's changed surname confirmed
//! by the full name (given and middle name agree as written or folded) counts a middle INITIAL that equals
//! the other side's initial as a full middle name: Maria J. Lopez on the ID and Maria J. Garcia in the
//! directory (same birthday, same home: the household member the changed level refuses a match for, who
//! now needs to share only one letter) match. `weights::BELOW_FOLDED` leaves out `INITIAL` (J ~ Jose goes
//! to review) but J ~ J is an exact match with no reason. It also gets round the marker guard
//! (`frequency::marker_middle_name`): Harpreet Kaur Gill ~ Harpreet Kaur Sandhu stays review, Harpreet K.
//! Gill ~ Harpreet K. Sandhu matches (and Lan T. / Lan V. for Thị / Văn, Gurpreet S. for Singh).

mod common;

use common::twins::decide_full_names as decide;
use okta_directory::claims::Decision;

/// (ID given, ID middle, ID family, record first, record middle, record last): two people.
const TWO_PEOPLE: [(&str, &str, &str, &str, &str, &str); 7] = [
    ("MARIA", "J", "LOPEZ", "Maria", "J", "Garcia"),
    ("MARIA", "J.", "LOPEZ", "Maria", "J.", "Garcia"),
    ("JOHN", "A", "SMITH", "John", "A.", "Baker"),
    ("HARPREET", "K", "GILL", "Harpreet", "K.", "Sandhu"),
    ("GURPREET", "S", "GILL", "Gurpreet", "S", "Sandhu"),
    ("LAN", "T", "NGUYEN", "Lan", "T.", "Tran"),
    ("HUNG", "V", "NGUYEN", "Hung", "V", "Pham"),
];

#[test]
fn an_initial_for_a_middle_name_never_confirms_a_changed_surname() {
    let matched: Vec<String> = TWO_PEOPLE
        .iter()
        .filter(|(g, m, f, rg, rm, rf)| decide(g, m, f, rg, rm, rf) == Decision::Match)
        .map(|(g, m, f, rg, rm, rf)| format!("{g} {m} {f} ~ {rg} {rm} {rf}"))
        .collect();
    assert!(matched.is_empty(), "{} of {} match:\n{}", matched.len(), TWO_PEOPLE.len(), matched.join("\n"));
}

/// What holds on main: an initial against the full middle name, a marker middle name written out and the full
/// middle name agreeing all stay review (the full-name rule that matched the last was withdrawn).
#[test]
fn full_middle_names_decide_and_initials_against_names_stay_review() {
    assert_eq!(decide("MARIA", "J", "LOPEZ", "Maria", "Jose", "Garcia"), Decision::Review);
    assert_eq!(decide("MARIA", "JOSE", "LOPEZ", "Maria", "J.", "Garcia"), Decision::Review);
    assert_eq!(decide("HARPREET", "KAUR", "GILL", "Harpreet", "Kaur", "Sandhu"), Decision::Review);
    assert_eq!(decide("LAN", "THI", "NGUYEN", "Lan", "Thị", "Tran"), Decision::Review);
    assert_eq!(decide("JOHN", "ALLEN", "SMITH", "John", "Allen", "Baker"), Decision::Review);
}

#[test]
fn an_initial_for_the_given_name_never_confirms_a_changed_surname() {
    for given in ["J", "J."] {
        assert_ne!(decide(given, "ALLEN", "SMITH", given, "Allen", "Baker"), Decision::Match, "{given} Allen");
    }
}
