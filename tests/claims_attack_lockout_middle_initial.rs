//! Attacker (2026-12-07, session 10) — a lockout on main (8f21f6a): an ID that writes both given names in
//! the given-name field (JOHN ALLEN: many driving licences and passports do) against an HR record whose
//! first name carries the middle initial (John A., Maria J.) is refused outright (`no_match`, PREFIX_NAME),
//! while the same person's ID with the middle name in its own field (JOHN + middle ALLEN) matches the same
//! record (TOKEN_SUBSET). Same person, same record, opposite decisions. The ignored test fails on main; the
//! other (passes on main) pins what a fix must keep refusing: a twin whose second name has another initial.

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::{json, Value};

fn decide(given: &str, middle: Option<&str>, first_name: &str) -> Decision {
    let mut v: Value = json!({"given_name": given, "family_name": "Garcia", "birthdate": "1988-06-14",
        "address": {"street_address": "12 Main St", "locality": "Austin", "region": "TX", "postal_code": "78701", "country": "US"}});
    if let Some(m) = middle {
        v["middle_name"] = json!(m);
    }
    let r = json!({"id": "00u1", "profile": {"login": "p@example.com", "firstName": first_name, "lastName": "Garcia",
        "birthdate": "1988-06-14", "streetAddress": "12 Main St", "city": "Austin", "state": "TX", "zipCode": "78701",
        "countryCode": "US"}});
    let user = normalize_user(&r, &AttributeMapping::default()).expect("a valid user").user;
    Matcher::new(Policy::default()).decide(&VerifiedClaims::from_json(&v), &user).decision
}

/// (given name with the middle name, the given name alone, the middle name, the record's first name).
const ONE_PERSON: [(&str, &str, &str, &str); 5] = [
    ("JOHN ALLEN", "JOHN", "ALLEN", "John A."),
    ("JOHN ALLEN", "JOHN", "ALLEN", "John A"),
    ("MARIA JOSE", "MARIA", "JOSE", "Maria J."),
    ("MARY ELIZABETH", "MARY", "ELIZABETH", "Mary E."),
    ("JUAN CARLOS", "JUAN", "CARLOS", "Juan C."),
];

#[test]
#[ignore = "finding (session 10): JOHN ALLEN on the ID vs firstName John A. is no_match while JOHN + middle ALLEN matches; run with --ignored"]
fn both_given_names_on_the_id_match_a_first_name_with_the_middle_initial() {
    let mut refused = Vec::new();
    for (both, given, middle, first_name) in ONE_PERSON {
        assert_eq!(decide(given, Some(middle), first_name), Decision::Match, "{given} + {middle} vs {first_name}");
        let d = decide(both, None, first_name);
        if d != Decision::Match {
            refused.push(format!("{both} vs {first_name}: {d:?}"));
        }
    }
    assert!(refused.is_empty(), "{} of {} refused:\n{}", refused.len(), ONE_PERSON.len(), refused.join("\n"));
}

#[test]
fn a_second_name_with_another_initial_stays_refused() {
    for (both, first_name) in [("JOHN PAUL", "John L."), ("MARIA JOSE", "Maria L."), ("JUAN CARLOS", "Juan P")] {
        assert_ne!(decide(both, None, first_name), Decision::Match, "{both} vs {first_name}");
    }
}
