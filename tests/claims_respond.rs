//! Responses written in Okta's verified_claims profile and in plain OIDC Identity Assurance.

use okta_directory::claims::{
    oidc4ida_response, okta_response, parse_okta_claims, Matcher, Policy, ResponseOptions, VerifiedClaims,
};
use okta_directory::profile::normalize_user;
use serde_json::{json, Value};

fn directory() -> okta_directory::profile::DirectoryUser {
    let profile = json!({"firstName": "Jose", "lastName": "Garcia", "birthdate": "1990-04-03",
                         "streetAddress": "12 Main Street #4", "zipCode": "62701-1234", "countryCode": "US"});
    normalize_user(&json!({"profile": profile}), &Policy::default().attribute_mapping()).expect("fixture").user
}

fn verified(given: &str) -> VerifiedClaims {
    VerifiedClaims::from_json(&json!({"given_name": given, "family_name": "GARCIA", "birthdate": "1990-04-03",
        "address": {"street_address": "12 MAIN ST APT 4", "postal_code": "62701", "locality": "Springfield"}}))
}

#[test]
fn okta_profile_with_a_request() {
    let request = parse_okta_claims(&json!({"id_token": {"verified_claims": {
        "verification": {"trust_framework": {"value": "IDV_DELEGATED"}},
        "claims": {"given_name": {"value": "Jose", "fuzzy": true}, "family_name": {"value": "Garcia", "fuzzy": true},
                   "address": {"postal_code": {"value": "62701", "fuzzy": true}}}}}}))
    .unwrap();
    let matcher = Matcher::with_okta(&Policy::default(), &request);
    let v = verified("JOSÉ");
    let report = matcher.decide(&v, &directory());
    let options = ResponseOptions { time: Some("2026-11-28T10:00:00Z"), ..Default::default() };
    let out = okta_response(&report, &v, Some(&request), &options);
    let vc = &out["verified_claims"][0];
    assert_eq!(
        vc["verification"],
        json!({"trust_framework": "IDV_DELEGATED", "assurance_level": "VERIFIED", "time": "2026-11-28T10:00:00Z"})
    );
    assert_eq!(vc["claims"]["given_name"], json!({"fuzzy": true, "value": "JOSÉ"}));
    assert_eq!(vc["claims"]["address"], json!({"postal_code": {"fuzzy": true, "value": "62701"}}));
    // Claims Okta did not request are not returned.
    assert!(vc["claims"].get("birthdate").is_none(), "{vc}");

    let redacted =
        okta_response(&report, &v, Some(&request), &ResponseOptions { redact_matched: true, ..Default::default() });
    assert_eq!(redacted["verified_claims"][0]["claims"]["family_name"], json!({"fuzzy": true, "value": "MATCHED"}));

    // A failing claim comes back with null, and the verification FAILED.
    let v = verified("MARIA");
    let report = matcher.decide(&v, &directory());
    let out = okta_response(&report, &v, Some(&request), &options);
    assert_eq!(out["verified_claims"][0]["verification"]["assurance_level"], "FAILED");
    assert_eq!(out["verified_claims"][0]["claims"]["given_name"], json!({"fuzzy": true, "value": null}));
}

#[test]
fn okta_profile_always_carries_given_and_family_names() {
    let policy = Policy::from_json(&json!({"claims": {"birthdate": {}}})).unwrap();
    let v = verified("JOSÉ");
    let report = Matcher::new(policy).decide(&v, &directory());
    let out = okta_response(&report, &v, None, &ResponseOptions::default());
    let claims = &out["verified_claims"][0]["claims"];
    assert_eq!(claims["given_name"], json!({"value": null}));
    assert_eq!(claims["family_name"], json!({"value": null}));
    assert_eq!(claims["birthdate"], json!({"value": "1990-04-03"}));
}

#[test]
fn oidc4ida_leaves_out_what_did_not_match() {
    let v = verified("MARIA");
    let report = Matcher::new(Policy::default()).decide(&v, &directory());
    let out = oidc4ida_response(&report, &v, &ResponseOptions { trust_framework: Some("eidas"), ..Default::default() });
    let claims = out["verified_claims"]["claims"].as_object().unwrap();
    let names: Vec<&str> = claims.keys().map(String::as_str).collect();
    assert_eq!(names, ["address", "birthdate", "family_name"]);
    assert_eq!(out["verified_claims"]["verification"], json!({"trust_framework": "eidas"}));
    // Locality is missing from the directory: not verified, so not returned.
    assert_eq!(claims["address"], json!({"postal_code": "62701", "street_address": "12 MAIN ST APT 4"}));
    let _: &Value = &out;
}
