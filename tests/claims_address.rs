//! Address comparison through the public API, with the default policy's address rule and directory
//! records read from Okta profiles.

use okta_directory::claims::compare::{compare_address, AddressParts, AddressResult};
use okta_directory::claims::{AddressPart, ClaimKind, ClaimRule, Outcome, Policy, Reason};
use okta_directory::profile::{normalize_user, DirectoryUser};
use serde_json::{json, Value};

fn rule() -> ClaimRule {
    Policy::default().rule(ClaimKind::Address).cloned().expect("the default policy compares addresses")
}

fn directory(profile: Value) -> DirectoryUser {
    normalize_user(&json!({ "profile": profile }), &Policy::default().attribute_mapping())
        .expect("a valid profile")
        .user
}

fn compare(verified: &Value, profile: Value) -> AddressResult {
    let user = directory(profile);
    compare_address(&AddressParts::from_json(verified), &AddressParts::from(&user.address), &rule())
}

#[test]
fn contract_example() {
    let verified = json!({"street_address": "12 MAIN ST APT 4", "locality": "SPRINGFIELD", "region": "IL",
                          "postal_code": "62701", "country": "US"});
    let profile = json!({"streetAddress": "12 Main Street #4", "city": "Springfield", "state": "IL",
                         "zipCode": "62701-1234", "countryCode": "US"});
    let r = compare(&verified, profile);
    assert_eq!(r.overall.outcome, Outcome::Match);
    assert_eq!(r.overall.score, 1.0);
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["outcome"], "match");
    assert_eq!(v["score"], 1.0);
    assert_eq!(v["reasons"], json!(["STREET_ABBREVIATED", "UNIT_NORMALIZED", "ZIP4_IGNORED"]));
    for (_, name) in AddressPart::ALL {
        assert_eq!(v["parts"][name]["outcome"], "match", "{name}");
    }
    assert_eq!(v["parts"]["street_address"]["reasons"], json!(["STREET_ABBREVIATED", "UNIT_NORMALIZED"]));
}

#[test]
fn okta_request_form_with_country_names() {
    // Okta sends each part as {value, fuzzy} and the country as a name.
    let verified = json!({"street_address": {"value": "12 Main St\nApt 4", "fuzzy": true},
                          "locality": {"value": "Austin", "fuzzy": true}, "region": {"value": "Texas", "fuzzy": true},
                          "postal_code": {"value": "78701", "fuzzy": true},
                          "country": {"value": "United States", "fuzzy": true}});
    let profile = json!({"streetAddress": "12 Main Street, Apartment 4", "city": "AUSTIN", "state": "TX",
                         "zipCode": "78701", "countryCode": "US"});
    let r = compare(&verified, profile);
    assert_eq!(r.overall.outcome, Outcome::Match);
    assert_eq!(
        r.overall.reasons,
        vec![Reason::StreetAbbreviated, Reason::UnitNormalized, Reason::RegionNameToCode, Reason::CountryNameToCode]
    );
}

#[test]
fn table() {
    let base = json!({"streetAddress": "1600 Pennsylvania Avenue NW", "city": "Washington", "state": "DC",
                      "zipCode": "20500", "countryCode": "US"});
    let cases: &[(Value, Outcome, &[Reason])] = &[
        (
            json!({"street_address": "1600 Pennsylvania Ave. Northwest", "locality": "Washington",
                   "region": "District of Columbia", "postal_code": "20500-0003", "country": "USA"}),
            Outcome::Match,
            &[Reason::StreetAbbreviated, Reason::Zip4Ignored, Reason::RegionNameToCode, Reason::CountryNameToCode],
        ),
        (
            json!({"street_address": "1602 Pennsylvania Avenue NW", "locality": "Washington", "postal_code": "20500"}),
            Outcome::Mismatch,
            &[Reason::HouseNumberDiffers],
        ),
        (
            json!({"street_address": "1600 Pennsylvania Avenue NW", "postal_code": "20501"}),
            Outcome::Mismatch,
            &[Reason::PostalCodeDiffers],
        ),
        (
            json!({"street_address": "1600 Pennsylvania Avenue NW Apt 2", "locality": "Washington"}),
            Outcome::Match,
            &[Reason::UnitMissingOneSide],
        ),
        (json!({"street_address": "PO Box 12", "locality": "Washington"}), Outcome::Mismatch, &[Reason::PoBox]),
        (json!({"locality": "Washingtn DC"}), Outcome::Mismatch, &[]),
        (json!({"country": "Canada"}), Outcome::Mismatch, &[Reason::CountryDiffers]),
        (json!({"region": "WA"}), Outcome::Mismatch, &[Reason::RegionDiffers]),
        (json!({"postal_code": "2050"}), Outcome::Mismatch, &[Reason::PostalCodeDiffers]),
        (json!({"postal_code": "205OO"}), Outcome::Invalid, &[Reason::Unparseable]),
        (json!({}), Outcome::MissingVerified, &[]),
    ];
    for (verified, outcome, reasons) in cases {
        let r = compare(verified, base.clone());
        assert_eq!((r.overall.outcome, r.overall.reasons.to_vec().as_slice()), (*outcome, *reasons), "{verified}");
    }
}

#[test]
fn other_countries() {
    let cases: &[(Value, Value)] = &[
        (
            json!({"street_address": "24 Sussex Drive", "locality": "Ottawa", "region": "Ontario",
                   "postal_code": "k1m 1m4", "country": "Canada"}),
            json!({"streetAddress": "24 Sussex Dr", "city": "Ottawa", "state": "ON", "zipCode": "K1M1M4",
                   "countryCode": "CA"}),
        ),
        (
            json!({"street_address": "10 Downing Street", "locality": "London", "postal_code": "sw1a2aa",
                   "country": "United Kingdom"}),
            json!({"streetAddress": "10 Downing St", "city": "LONDON", "zipCode": "SW1A 2AA", "countryCode": "GB"}),
        ),
        (
            json!({"street_address": "Unit 4\n12 George Street", "locality": "Sydney", "region": "New South Wales",
                   "postal_code": "2000", "country": "Australia"}),
            json!({"streetAddress": "4/12 George St", "city": "Sydney", "state": "NSW", "zipCode": "2000",
                   "countryCode": "AU"}),
        ),
        (
            json!({"street_address": "1000 rue Sainte-Catherine O", "locality": "Montréal", "region": "Québec",
                   "postal_code": "H3B 4W5", "country": "CA"}),
            json!({"streetAddress": "1000 Rue Sainte-Catherine Ouest", "city": "Montreal", "state": "QC",
                   "zipCode": "h3b4w5", "countryCode": "CA"}),
        ),
        (
            json!({"street_address": "Unter den Linden 77", "locality": "Berlin", "postal_code": "10117",
                   "country": "Deutschland"}),
            json!({"streetAddress": "Unter den Linden 77", "city": "Berlin", "zipCode": "10117", "countryCode": "DE"}),
        ),
    ];
    for (verified, profile) in cases {
        let r = compare(verified, profile.clone());
        assert_eq!(r.overall.outcome, Outcome::Match, "{verified} vs {profile}: {r:?}");
    }
}

#[test]
fn required_parts() {
    let doc = json!({"claims": {"address": {"parts": {"postal_code": {"required": true}}}}});
    let policy = Policy::from_json(&doc).unwrap();
    let rule = policy.rule(ClaimKind::Address).unwrap();
    let verified = json!({"street_address": "12 Main St", "locality": "Springfield"});
    let user = directory(json!({"streetAddress": "12 Main St", "city": "Springfield", "zipCode": "62701"}));
    let r = compare_address(&AddressParts::from_json(&verified), &AddressParts::from(&user.address), rule);
    assert_eq!(r.overall.outcome, Outcome::MissingVerified);
    assert_eq!(r.parts[&AddressPart::PostalCode].outcome, Outcome::MissingVerified);
    assert_eq!(r.parts[&AddressPart::StreetAddress].outcome, Outcome::Match);
}
