//! Attacker (2026-12-07, session 10, round 2 on merged main ced9856) — recall's changed surname confirmed by
//! the full name takes a family name that says "unknown" for a changed surname: an ID whose family name is
//! LNU or NLN (last name unknown / no last name: US federal and immigration records write these) or XXX
//! matches John Allen Garcia's record (same given and middle name, birthdate, home) as FAMILY_NAME_CHANGED,
//! and so does a record whose lastName is LNU; an ID without the family name at all is refused. The same
//! household member the changed level sends to a person now needs no surname. Also (older, not this
//! session's rule): FNU ("first name unknown") on both sides counts as the given name agreeing.

mod common;

use common::twins::decide_full_names as decide;
use okta_directory::claims::Decision;

/// A family name that says there is none.
const UNKNOWN: [&str; 4] = ["LNU", "NLN", "XXX", "UNK"];

#[test]
fn an_unknown_family_name_is_never_a_changed_surname() {
    let mut matched = Vec::new();
    for unknown in UNKNOWN {
        if decide("JOHN", "ALLEN", unknown, "John", "Allen", "Garcia") == Decision::Match {
            matched.push(format!("ID {unknown}"));
        }
        if decide("JOHN", "ALLEN", "GARCIA", "John", "Allen", unknown) == Decision::Match {
            matched.push(format!("record {unknown}"));
        }
    }
    assert!(matched.is_empty(), "{} of 8 match:\n{}", matched.len(), matched.join("\n"));
}

#[test]
#[ignore = "finding: FNU on both sides counts as the given name agreeing (2/2 match)"]
fn first_name_unknown_on_both_sides_never_matches() {
    assert_ne!(decide("FNU", "ALLEN", "GARCIA", "FNU", "Allen", "Lopez"), Decision::Match, "changed surname");
    assert_ne!(decide("FNU", "ALLEN", "GARCIA", "FNU", "Allen", "Garcia"), Decision::Match, "same surname");
}

/// Holds on main: a family name the directory reader knows as a placeholder, or none at all, is never a match.
#[test]
fn a_missing_family_name_is_never_a_match() {
    assert_ne!(decide("JOHN", "ALLEN", "GARCIA", "John", "Allen", "N/A"), Decision::Match);
    assert_ne!(decide("JOHN", "ALLEN", "GARCIA", "John", "Allen", "Unknown"), Decision::Match);
    assert_ne!(decide("JOHN", "ALLEN", "", "John", "Allen", "Garcia"), Decision::Match);
}
