//! The claims policy model and Okta claims requests, through the public API.

use okta_directory::claims::{
    parse_okta_claims, parse_okta_claims_json, AddressPart, ClaimKind, MatchMode, OnMismatch, OnMissing, Policy,
    Requested,
};
use okta_directory::profile::{normalize_user, CanonicalField};
use okta_directory::Error;
use serde_json::{json, Value};

fn policy(doc: Value) -> Policy {
    Policy::from_json(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"))
}

fn policy_error(doc: Value) -> (String, String) {
    match Policy::from_json(&doc) {
        Err(Error::InvalidPolicy { path, reason }) => (path, reason),
        other => panic!("{doc}: expected InvalidPolicy, got {other:?}"),
    }
}

#[test]
fn default_policy_is_the_documented_one() {
    let p = Policy::default();
    let kinds: Vec<ClaimKind> = p.claims.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, ClaimKind::ALL.map(|(k, _)| k));
    let rule = |k| p.rule(k).unwrap();
    for k in [ClaimKind::GivenName, ClaimKind::FamilyName] {
        assert_eq!((rule(k).mode, rule(k).required, rule(k).on_mismatch), (MatchMode::Fuzzy, true, OnMismatch::Fail));
        assert_eq!((rule(k).on_missing_directory, rule(k).on_missing_verified), (OnMissing::Fail, OnMissing::Fail));
    }
    assert_eq!((rule(ClaimKind::Birthdate).mode, rule(ClaimKind::Birthdate).required), (MatchMode::Exact, true));
    let address = rule(ClaimKind::Address);
    assert_eq!((address.mode, address.required, address.on_mismatch), (MatchMode::Fuzzy, false, OnMismatch::Flag));
    assert_eq!(address.parts.len(), 5);
    assert_eq!(p.operating_point, okta_directory::claims::OperatingPoint::Balanced);
    let strict = policy(json!({"claims": {"given_name": {}}, "decision": {"operating_point": "strict"}}));
    assert_eq!(strict.operating_point, okta_directory::claims::OperatingPoint::Strict);
    assert!(Policy::from_json(&json!({"claims": {}, "decision": {"operating_point": "loose"}})).is_err());
    for k in [ClaimKind::PhoneNumber, ClaimKind::Email] {
        assert_eq!(
            (rule(k).mode, rule(k).required, rule(k).on_missing_directory),
            (MatchMode::Exact, false, OnMissing::Skip)
        );
    }
    assert!(rule(ClaimKind::MiddleName).allow.initials && !rule(ClaimKind::MiddleName).required);
    assert!(rule(ClaimKind::GivenName).allow.nicknames && !rule(ClaimKind::GivenName).allow.initials);
}

#[test]
fn a_policy_compares_only_the_claims_it_names() {
    let p = policy(json!({"version": 1, "claims": {"family_name": {}, "given_name": null}}));
    let kinds: Vec<ClaimKind> = p.claims.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [ClaimKind::GivenName, ClaimKind::FamilyName]);
    assert!(p.rule(ClaimKind::Birthdate).is_none());
}

#[test]
fn every_setting_is_read() {
    let p = policy(json!({
        "version": 1, "id": "helpdesk-strict", "trust_framework": "IDV_DELEGATED",
        "defaults": {"mode": "fuzzy", "threshold": 0.9, "on_mismatch": "review"},
        "claims": {
            "given_name": {"source": ["profile.LegalFirstName", "firstName"], "threshold": 0.8, "allow": ["initials"]},
            "family_name": {"source": "LegalLastName", "on_mismatch": "fail"},
            "birthdate": {"source": ["profile.dob"]},
            "email": {"required": true},
            "phone_number": {"default_region": "gb", "on_missing_directory": "review"},
            "address": {"parts": {"postal_code": {"mode": "exact", "required": true}, "country": {"source": "country"}}}
        },
        "decision": {"require_all": ["phone_number"], "review_if_any": ["family_name"]}
    }));
    assert_eq!((p.id.as_str(), p.trust_framework.as_str()), ("helpdesk-strict", "IDV_DELEGATED"));
    let given = p.rule(ClaimKind::GivenName).unwrap();
    let sources: Vec<&str> = given.sources.iter().map(|s| s.as_str()).collect();
    assert_eq!(sources, ["profile.LegalFirstName", "profile.firstName"]);
    assert_eq!((given.threshold, given.on_mismatch), (0.8, OnMismatch::Review));
    assert!(given.allow.initials && !given.allow.nicknames, "an allow list replaces the defaults");
    // decision.review_if_any wins over the claim's own on_mismatch.
    assert_eq!(p.rule(ClaimKind::FamilyName).unwrap().on_mismatch, OnMismatch::Review);
    // A policy-wide fuzzy default never loosens birthdate.
    assert_eq!(p.rule(ClaimKind::Birthdate).unwrap().mode, MatchMode::Exact);
    assert_eq!(p.rule(ClaimKind::Birthdate).unwrap().threshold, 0.9);
    let email = p.rule(ClaimKind::Email).unwrap();
    assert_eq!((email.required, email.on_missing_verified), (true, OnMissing::Fail));
    let phone = p.rule(ClaimKind::PhoneNumber).unwrap();
    assert_eq!(phone.default_region.as_deref(), Some("GB"));
    assert!(phone.required, "decision.require_all makes a claim required");
    assert_eq!(phone.on_missing_directory, OnMissing::Fail);
    let postal = p.rule(ClaimKind::Address).unwrap().parts.iter().find(|x| x.part == AddressPart::PostalCode).unwrap();
    assert_eq!((postal.mode, postal.required), (MatchMode::Exact, true));
}

#[test]
fn the_policy_sources_drive_normalization() {
    let p = policy(
        json!({"claims": {"given_name": {"source": ["LegalFirstName", "firstName"]}, "birthdate": {"source": "dob"}}}),
    );
    let user = json!({"profile": {"firstName": "Bob", "LegalFirstName": "Robert", "dob": "1990-04-03", "birthdate": "1999-01-01"}});
    let r = normalize_user(&user, &p.attribute_mapping()).unwrap();
    assert_eq!(r.user.name.given.as_deref(), Some("Robert"));
    assert_eq!(r.user.birthdate.as_deref(), Some("1990-04-03"));
    assert_eq!(r.sources.get(&CanonicalField::Birthdate).map(String::as_str), Some("profile.dob"));
}

#[test]
fn errors_name_the_offending_path() {
    let cases: Vec<(Value, &str)> = vec![
        (json!([]), "$"),
        (json!({}), "$"),
        (json!({"claims": {}, "colour": "red"}), "colour"),
        (json!({"version": 2, "claims": {}}), "version"),
        (json!({"claims": {"document_number": {}}}), "claims.document_number"),
        (json!({"claims": {"given_name": {"mode": "loose"}}}), "claims.given_name.mode"),
        (json!({"claims": {"given_name": {"threshold": 1.5}}}), "claims.given_name.threshold"),
        (json!({"claims": {"given_name": {"threshold": "high"}}}), "claims.given_name.threshold"),
        (json!({"claims": {"given_name": {"allow": ["initials", "telepathy"]}}}), "claims.given_name.allow[1]"),
        (json!({"claims": {"given_name": {"source": ["ok", ""]}}}), "claims.given_name.source[1]"),
        (json!({"claims": {"given_name": {"source": 7}}}), "claims.given_name.source"),
        (json!({"claims": {"birthdate": {"on_missing_directory": "skip"}}}), "claims.birthdate"),
        (json!({"claims": {"birthdate": {"allow": ["initials"]}}}), "claims.birthdate.allow"),
        (json!({"claims": {"address": {"source": "streetAddress"}}}), "claims.address.source"),
        (json!({"claims": {"address": {"parts": {"planet": {}}}}}), "claims.address.parts.planet"),
        (
            json!({"claims": {"address": {"parts": {"locality": {"fuzzy": true}}}}}),
            "claims.address.parts.locality.fuzzy",
        ),
        (json!({"claims": {"phone_number": {"default_region": "USA"}}}), "claims.phone_number.default_region"),
        (json!({"claims": {"given_name": {}}, "decision": {"require_all": ["email"]}}), "decision.require_all[0]"),
        (json!({"claims": {"given_name": {}}, "decision": {"veto": []}}), "decision.veto"),
        (json!({"claims": {}, "defaults": {"mode": 1}}), "defaults.mode"),
        (json!({"claims": {}, "id": "  "}), "id"),
    ];
    for (doc, want) in cases {
        let (path, reason) = policy_error(doc.clone());
        assert_eq!(path, want, "{doc}: {reason}");
        assert!(!reason.is_empty());
    }
}

#[test]
fn a_threshold_out_of_range_names_its_bounds_as_before() {
    // The bounds are printed without float formatting (the claims-only module links none): the
    // message must stay what `{}` of 0.0 and 1.0 printed.
    for (doc, path) in [
        (json!({"claims": {"given_name": {"threshold": 1.5}}}), "claims.given_name.threshold"),
        (json!({"claims": {}, "defaults": {"threshold": -0.1}}), "defaults.threshold"),
        (
            json!({"claims": {"address": {"parts": {"locality": {"threshold": "x"}}}}}),
            "claims.address.parts.locality.threshold",
        ),
    ] {
        assert_eq!(policy_error(doc), (path.to_owned(), "expected a number from 0 to 1".to_owned()));
    }
}

#[test]
fn okta_current_form() {
    let request = parse_okta_claims(&json!({"id_token": {"verified_claims": [{
    "verification": {"trust_framework": {"value": "IDV-DELEGATED", "essential": true},
                     "assurance_level": {"value": "VERIFIED", "essential": true}},
    "claims": {
        "given_name": {"value": "Mary-Jane", "fuzzy": true},
        "family_name": {"value": "O'Neil", "fuzzy": true},
        "bithdate": {"value": "1990-04-02", "fuzzy": true},
        "address": {"street_address": {"value": "12 Main St\nApt 4", "fuzzy": true},
                    "postal_code": {"value": "78701", "fuzzy": true}}
    }}]}}))
    .unwrap();
    assert_eq!(request.trust_framework.as_deref(), Some("IDV-DELEGATED"));
    assert_eq!(request.assurance_level.as_deref(), Some("VERIFIED"));
    let summary: Vec<(ClaimKind, Option<AddressPart>, Vec<String>, Requested)> =
        request.claims.iter().map(|c| (c.kind, c.part, c.values.clone(), c.strictness)).collect();
    assert_eq!(
        summary,
        vec![
            (ClaimKind::GivenName, None, vec!["Mary-Jane".to_owned()], Requested::Fuzzy),
            (ClaimKind::FamilyName, None, vec!["O'Neil".to_owned()], Requested::Fuzzy),
            (ClaimKind::Birthdate, None, vec!["1990-04-02".to_owned()], Requested::Fuzzy),
            (
                ClaimKind::Address,
                Some(AddressPart::StreetAddress),
                vec!["12 Main St\nApt 4".to_owned()],
                Requested::Fuzzy
            ),
            (ClaimKind::Address, Some(AddressPart::PostalCode), vec!["78701".to_owned()], Requested::Fuzzy),
        ]
    );
}

#[test]
fn okta_legacy_and_oidc_forms() {
    let request = parse_okta_claims(&json!({"verified_claims": {
    "verification": {"trust_framework": "IDV_DELEGATED"},
    "claims": {
        "given_name": {"fuzzy": "Jose"},
        "family_name": "García",
        "middle_name": null,
        "email": {"value": "  ", "essential": true},
        "phone_number": {"values": ["+15125550100", "+15125550101"], "purpose": "x"},
        "address": null
    }}}))
    .unwrap();
    let find = |k| request.claims.iter().find(|c| c.kind == k).unwrap();
    assert_eq!(
        (find(ClaimKind::GivenName).values.clone(), find(ClaimKind::GivenName).strictness),
        (vec!["Jose".to_owned()], Requested::Fuzzy)
    );
    assert_eq!(
        (find(ClaimKind::FamilyName).values.clone(), find(ClaimKind::FamilyName).strictness),
        (vec!["García".to_owned()], Requested::Exact)
    );
    assert!(find(ClaimKind::MiddleName).values.is_empty());
    assert_eq!(find(ClaimKind::MiddleName).strictness, Requested::Unspecified);
    assert!(find(ClaimKind::Email).values.is_empty(), "a blank value is no value");
    assert_eq!(find(ClaimKind::PhoneNumber).values.len(), 2);
    assert_eq!(find(ClaimKind::Address).part, None);
    assert_eq!(request.trust_framework.as_deref(), Some("IDV_DELEGATED"));
}

#[test]
fn okta_errors_name_the_offending_path() {
    let cases: Vec<(Value, &str)> = vec![
        (json!("claims"), "$"),
        (json!({"id_token": {"given_name": null}}), "$"),
        (json!({"verified_claims": {"verification": {}}}), "verified_claims"),
        (
            json!({"verified_claims": [{"claims": {"document_number": null}}]}),
            "verified_claims[0].claims.document_number",
        ),
        (json!({"verified_claims": {"claims": {"given_name": 5}}}), "verified_claims.claims.given_name"),
        (
            json!({"verified_claims": {"claims": {"given_name": {"fuzzy": 1}}}}),
            "verified_claims.claims.given_name.fuzzy",
        ),
        (
            json!({"verified_claims": {"claims": {"address": {"value": "1 Main"}}}}),
            "verified_claims.claims.address.value",
        ),
        (json!({"verified_claims": {"claims": {"address": "1 Main"}}}), "verified_claims.claims.address"),
        (
            json!({"verified_claims": [{"claims": {"given_name": "A"}}, {"claims": {"given_name": "B"}}]}),
            "verified_claims[1].claims.given_name",
        ),
        (json!({"verified_claims": {"claims": {"given_name": "x".repeat(1025)}}}), "verified_claims.claims.given_name"),
    ];
    for (doc, want) in cases {
        match parse_okta_claims(&doc) {
            Err(Error::InvalidOktaClaims { path, .. }) => assert_eq!(path, want, "{doc}"),
            other => panic!("{doc}: expected InvalidOktaClaims, got {other:?}"),
        }
    }
    assert!(matches!(parse_okta_claims_json("{\"verified_claims\": "), Err(Error::InvalidJson { .. })));
    let big = format!("{{\"verified_claims\": {{\"claims\": {{}}}}, \"pad\": \"{}\"}}", "x".repeat(70_000));
    assert!(matches!(parse_okta_claims_json(&big), Err(Error::InputTooLarge { .. })));
}

#[test]
fn merging_okta_over_a_local_policy() {
    let local = policy(json!({"claims": {"given_name": {"mode": "exact"}, "family_name": {}, "email": {}}}));
    let request = parse_okta_claims(&json!({"id_token": {"verified_claims": {
        "verification": {"trust_framework": {"value": "IDV-DELEGATED"}},
        "claims": {"given_name": {"value": "Ana", "fuzzy": true}, "family_name": "Núñez",
                   "birthdate": {"value": "1990-04-03", "fuzzy": true},
                   "address": {"postal_code": {"value": "62701", "fuzzy": true}}}}}}))
    .unwrap();
    let merged = local.merge_okta(&request);
    let rule = |k| merged.policy.rule(k).unwrap();
    // Okta's always-on fuzzy never loosens a local exact rule.
    assert_eq!(rule(ClaimKind::GivenName).mode, MatchMode::Exact);
    // A legacy bare string (exact) tightens a local fuzzy rule.
    assert_eq!(rule(ClaimKind::FamilyName).mode, MatchMode::Exact);
    // Claims the local policy did not name are added with their defaults, required.
    assert_eq!((rule(ClaimKind::Birthdate).mode, rule(ClaimKind::Birthdate).required), (MatchMode::Exact, true));
    let address = rule(ClaimKind::Address);
    assert!(address.required);
    let required_parts: Vec<AddressPart> = address.parts.iter().filter(|p| p.required).map(|p| p.part).collect();
    assert_eq!(required_parts, [AddressPart::PostalCode]);
    // Local claims Okta did not request stay as they were.
    assert!(!rule(ClaimKind::Email).required);
    assert_eq!(merged.supplied.get(&(ClaimKind::GivenName, None)), Some(&vec!["Ana".to_owned()]));
    assert_eq!(
        merged.supplied.get(&(ClaimKind::Address, Some(AddressPart::PostalCode))),
        Some(&vec!["62701".to_owned()])
    );
    assert_eq!(merged.policy.trust_framework, "IDV-DELEGATED");
    for (kind, _) in ClaimKind::ALL {
        if let Some(r) = merged.policy.rule(kind) {
            assert!(!r.required || r.on_missing_directory == OnMissing::Fail, "{kind:?}");
        }
    }
}

#[test]
fn no_panic_on_arbitrary_documents() {
    // Deterministic xorshift: shapes near the real formats, with wrong types sprinkled in.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let names = [
        "given_name",
        "family_name",
        "birthdate",
        "address",
        "street_address",
        "value",
        "fuzzy",
        "claims",
        "verified_claims",
        "id_token",
        "mode",
        "source",
        "parts",
        "decision",
        "require_all",
        "defaults",
        "x",
    ];
    fn build(next: &mut dyn FnMut() -> u64, names: &[&str], depth: u32) -> Value {
        match next() % if depth > 4 { 4 } else { 7 } {
            0 => Value::Null,
            1 => json!(next() % 3 == 0),
            2 => json!(next() % 7),
            3 => json!(names[(next() % names.len() as u64) as usize]),
            4 => Value::Array((0..next() % 3).map(|_| build(next, names, depth + 1)).collect()),
            _ => {
                let mut map = serde_json::Map::new();
                for _ in 0..next() % 4 {
                    map.insert(names[(next() % names.len() as u64) as usize].to_owned(), build(next, names, depth + 1));
                }
                Value::Object(map)
            }
        }
    }
    let mut parsed = 0;
    for _ in 0..20_000 {
        let doc = build(&mut next, &names, 0);
        if Policy::from_json(&doc).is_ok() {
            parsed += 1;
        }
        if let Ok(request) = parse_okta_claims(&doc) {
            let _ = Policy::default().merge_okta(&request);
            parsed += 1;
        }
    }
    assert!(parsed > 0, "the generator should reach valid documents sometimes");
}
