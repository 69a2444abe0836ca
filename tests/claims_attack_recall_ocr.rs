//! Attacker (2026-12-07) — FAILS ON BRANCH claims-recall (bb283f6, "OCR confusion stacked with a typo"); passes
//! on main. Keep apart when merging. A directory or document name that merely contains `rn` (Erna, Verna,
//! Marnie, Arnie: ordinary names, no OCR involved) switches on the OCR-plus-typo fallback, and reading `rn` as
//! `m` brings another real name within the typo distance: the impostor twin's own genuine ID — same family
//! name, birthdate and address — then matches the sibling's record (Erna ~ Emma: `Ema` is one edit from
//! `Emma`). On main these pairs are two edits apart in short given names and refused. `review` is accepted.

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

/// Real given names, one holding `rn`, that `rn`→`m` brings within a typo of the other.
/// (Pairs that `rn`→`m` makes equal or one edit apart without a typo — Marnie ~ Mamie, Bernice ~
/// Berenice — already match on main: tests/claims_attack_twins_main.rs.)
const TWINS: [(&str, &str); 6] =
    [("Erna", "Emma"), ("Verna", "Velma"), ("Ernie", "Emil"), ("Arno", "Amos"), ("Karna", "Kamal"), ("Arne", "Amy")];

#[test]
fn an_rn_in_an_ordinary_name_never_lets_a_twin_match() {
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
    assert!(breaches.is_empty(), "{}:\n{}", breaches.len(), breaches.join("\n"));
}
