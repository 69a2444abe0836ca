//! Attacker (2026-12-07) — FAILS ON MAIN (a finding, not a pin; keep apart when merging): twins whose given
//! names are one inserted letter apart (Myra ~ Myrna, Vera ~ Verna, Marie ~ Marnie, Lara ~ Laura, Tia ~ Tina).
//! The twin guard (`SHORT_NAME_ONE_LETTER_APART`, tests/claims_twins.rs) covers a substituted letter in names
//! of four letters or fewer; an inserted letter is a one-edit typo to the engine, so the twin's own genuine ID
//! result — same family name, birthdate and address — matches the sibling's record at `balanced`: an account
//! takeover. `review` (a person's call) is accepted; `match` is not. Likewise the OCR reading `rn`→`m` on an
//! ordinary name: Marnie ~ Mamie, Arnie ~ Amie, Lorna ~ Loma are OCR_CONFUSION matches, Bernice ~ Berenice a
//! one-edit typo — twins with those names match each other.

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::{json, Value};

fn record(given: &str) -> Value {
    json!({"id": "00uvictim", "profile": {"firstName": given, "lastName": "Garcia", "birthdate": "1988-06-14",
        "login": "victim@example.com", "streetAddress": "12 Main St", "city": "Austin", "state": "TX",
        "zipCode": "78701", "countryCode": "US", "mobilePhone": "+1 512 555 0100"}})
}

fn id(given: &str) -> Value {
    json!({"given_name": given, "family_name": "Garcia", "birthdate": "1988-06-14",
        "address": {"street_address": "12 Main St", "locality": "Austin", "region": "TX", "postal_code": "78701", "country": "US"}})
}

/// Real given names one inserted letter apart (either may be the impostor's).
const TWINS: [(&str, &str); 10] = [
    ("Myra", "Myrna"),
    ("Vera", "Verna"),
    ("Lora", "Lorna"),
    ("Marie", "Marnie"),
    ("Lara", "Laura"),
    ("Tia", "Tina"),
    ("Dana", "Diana"),
    ("Carla", "Carola"),
    ("Erin", "Erinn"),
    ("Marin", "Martin"),
];

#[test]
fn a_twin_one_inserted_letter_apart_never_matches_the_sibling() {
    let m = Matcher::new(Policy::default());
    let mut breaches = Vec::new();
    for (a, b) in TWINS {
        for (impostor, victim) in [(a, b), (b, a)] {
            let user = normalize_user(&record(victim), &AttributeMapping::default()).expect("a valid user").user;
            let report = m.decide(&VerifiedClaims::from_json(&id(impostor)), &user);
            if report.decision == Decision::Match {
                breaches.push(format!("twin {impostor} matched {victim}"));
            }
        }
    }
    assert!(breaches.is_empty(), "{} of {} twins matched:\n{}", breaches.len(), 2 * TWINS.len(), breaches.join("\n"));
}

/// Real given names that the OCR reading `rn`→`m` makes equal or a typo apart.
const OCR_TWINS: [(&str, &str); 4] =
    [("Marnie", "Mamie"), ("Arnie", "Amie"), ("Lorna", "Loma"), ("Bernice", "Berenice")];

#[test]
fn a_twin_whose_name_an_ocr_reading_makes_equal_never_matches_the_sibling() {
    let m = Matcher::new(Policy::default());
    let mut breaches = Vec::new();
    for (a, b) in OCR_TWINS {
        for (impostor, victim) in [(a, b), (b, a)] {
            let user = normalize_user(&record(victim), &AttributeMapping::default()).expect("a valid user").user;
            if m.decide(&VerifiedClaims::from_json(&id(impostor)), &user).decision == Decision::Match {
                breaches.push(format!("twin {impostor} matched {victim}"));
            }
        }
    }
    assert!(
        breaches.is_empty(),
        "{} of {} twins matched:\n{}",
        breaches.len(),
        2 * OCR_TWINS.len(),
        breaches.join("\n")
    );
}
