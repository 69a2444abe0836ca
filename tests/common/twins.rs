//! Twins for the claims tests: two people of one household — same family name, birthdate and address — whose
//! given names alone tell them apart. One twin's own genuine ID result is matched against the other's record.

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping, DirectoryUser};
use serde_json::{json, Value};

/// Real given names one inserted letter apart (either may be a twin's; the attack review of 2026-12-07).
pub const ONE_INSERTED_LETTER_APART: [(&str, &str); 10] = [
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

/// What the twins share (both live at 12 Main St, Austin 78701, US).
pub struct Household {
    /// The family name.
    pub family: &'static str,
    /// The birthdate, `YYYY-MM-DD`.
    pub birthdate: &'static str,
    /// The state, on the record and on the ID, when the household's address has one.
    pub region: Option<&'static str>,
    /// The record's mobile phone, when it has one (the ID has none).
    pub mobile: Option<&'static str>,
}

/// The twin pairs of tests/claims_twins.rs.
pub const LINDQVIST: Household = Household { family: "Lindqvist", birthdate: "1990-05-21", region: None, mobile: None };

/// The twin pairs of the attack reviews (tests/claims_attack_*).
pub const GARCIA: Household =
    Household { family: "Garcia", birthdate: "1988-06-14", region: Some("TX"), mobile: Some("+1 512 555 0100") };

/// The twin pairs of the OCR attack reviews (tests/claims_attack_twins_ocr_*): the Garcias, no phone on the record.
pub const GARCIA_NO_PHONE: Household = Household { mobile: None, ..GARCIA };

impl Household {
    /// The Okta record of the twin called `given`.
    pub fn record(&self, given: &str) -> Value {
        let mut profile = json!({"login": "twin@example.com", "firstName": given, "lastName": self.family,
            "birthdate": self.birthdate, "streetAddress": "12 Main St", "city": "Austin", "zipCode": "78701",
            "countryCode": "US"});
        if let Some(region) = self.region {
            profile["state"] = json!(region);
        }
        if let Some(mobile) = self.mobile {
            profile["mobilePhone"] = json!(mobile);
        }
        json!({"id": "00utwin", "profile": profile})
    }

    /// The normalized directory user of the twin called `given`.
    pub fn user(&self, given: &str) -> DirectoryUser {
        normalize_user(&self.record(given), &AttributeMapping::default()).expect("a valid user").user
    }

    /// The genuine ID result of the twin called `given`.
    pub fn id(&self, given: &str) -> Value {
        let mut address =
            json!({"street_address": "12 Main St", "locality": "Austin", "postal_code": "78701", "country": "US"});
        if let Some(region) = self.region {
            address["region"] = json!(region);
        }
        json!({"given_name": given, "family_name": self.family, "birthdate": self.birthdate, "address": address})
    }

    /// The default policy's decision on `verified`'s ID against `directory`'s record.
    pub fn decide(&self, verified: &str, directory: &str) -> Decision {
        Matcher::new(Policy::default())
            .decide(&VerifiedClaims::from_json(&self.id(verified)), &self.user(directory))
            .decision
    }

    /// The default policy's decision on `verified`'s ID from this household against `directory`'s record
    /// from `other` (two households that differ in the birthdate, say).
    pub fn decide_with(&self, verified: &str, other: &Household, directory: &str) -> Decision {
        Matcher::new(Policy::default())
            .decide(&VerifiedClaims::from_json(&self.id(verified)), &other.user(directory))
            .decision
    }

    /// Each way round (either twin may be the impostor), the pairs whose impostor's ID matched the sibling's
    /// record: `twin {impostor} matched {victim}`.
    pub fn matched(&self, pairs: &[(&str, &str)]) -> Vec<String> {
        let mut breaches = Vec::new();
        for &(a, b) in pairs {
            for (impostor, victim) in [(a, b), (b, a)] {
                if self.decide(impostor, victim) == Decision::Match {
                    breaches.push(format!("twin {impostor} matched {victim}"));
                }
            }
        }
        breaches
    }
}
