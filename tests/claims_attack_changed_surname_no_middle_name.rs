//! Attacker (2026-12-07, session 10, round 2 on merged main ced9856) — recall's changed surname confirmed
//! by the full name takes "no middle name" written out as a middle name: US documents and HR systems write
//! NMN or NMI (no middle name / initial), some X or "No middle name". John NMN Smith on the ID and John NMN
//! Baker in the directory (same birthday, same home) match, though nothing but the given name agrees; the
//! placeholders the directory reader knows (N/A, None) stay review. `engine::PLACEHOLDERS` lists neither NMN
//! nor NMI, and the verified side's middle name is never checked for one.

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::{json, Value};

/// One person on the ID (given, middle, family) against a record with its own given, middle and family
/// name; the same birthdate (no registry default day) and the same street address and postal code.
fn decide(given: &str, middle: &str, family: &str, first_name: &str, middle_name: &str, last_name: &str) -> Decision {
    let v: Value = json!({"given_name": given, "middle_name": middle, "family_name": family, "birthdate": "1988-06-14",
        "address": {"street_address": "12 Main St", "locality": "Austin", "region": "TX", "postal_code": "78701", "country": "US"}});
    let r = json!({"id": "00u1", "profile": {"login": "p@example.com", "firstName": first_name, "middleName": middle_name,
        "lastName": last_name, "birthdate": "1988-06-14", "streetAddress": "12 Main St", "city": "Austin", "state": "TX",
        "zipCode": "78701", "countryCode": "US"}});
    let user = normalize_user(&r, &AttributeMapping::default()).expect("a valid user").user;
    Matcher::new(Policy::default()).decide(&VerifiedClaims::from_json(&v), &user).decision
}

/// (ID middle, record middle): each says there is none.
const NONE_WRITTEN: [(&str, &str); 5] =
    [("NMN", "NMN"), ("NMI", "NMI"), ("NMN", "nmn"), ("X", "X"), ("NO MIDDLE NAME", "No middle name")];

#[test]
fn no_middle_name_written_out_never_confirms_a_changed_surname() {
    let matched: Vec<String> = NONE_WRITTEN
        .iter()
        .filter(|(m, rm)| decide("JOHN", m, "SMITH", "John", rm, "Baker") == Decision::Match)
        .map(|(m, rm)| format!("JOHN {m} SMITH ~ John {rm} Baker"))
        .collect();
    assert!(matched.is_empty(), "{} of {} match:\n{}", matched.len(), NONE_WRITTEN.len(), matched.join("\n"));
}

/// Holds on main: the directory's known placeholders read as missing, and the changed surname stays review.
#[test]
fn known_placeholders_leave_a_changed_surname_to_review() {
    assert_eq!(decide("JOHN", "N/A", "SMITH", "John", "N/A", "Baker"), Decision::Review);
    assert_eq!(decide("JOHN", "NONE", "SMITH", "John", "None", "Baker"), Decision::Review);
}
