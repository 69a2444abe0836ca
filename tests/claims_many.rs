//! `match_many_json`: the batch path that returns reports as JSON text (what `matchMany` parses);
//! `decide_many_json`: its decision-only form (what `decideMany` returns).

use okta_directory::claims::{decide_many_json, match_many_json, Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::normalize_user;
use serde_json::{json, Value};

fn pairs() -> Value {
    json!([
        {"verified": {"given_name": "JOSÉ", "family_name": "GARCÍA", "birthdate": "1980-02-03"},
         "directory": {"profile": {"firstName": "Jose", "lastName": "Garcia", "birthdate": "1980-02-03"}}},
        {"verified": {"given_name": "Mraia", "family_name": "Smiht", "birthdate": "1990-04-03"},
         "directory": {"firstName": "Maria", "lastName": "Smith", "birthdate": "1990-03-04"}},
        {"verified": {}, "directory": {}},
        {"verified": {"given_name": "Ann"}, "directory": {"firstName": "Ann", "middleName": "N/A"}}
    ])
}

#[test]
fn equals_one_report_per_pair_in_order() {
    let matcher = Matcher::new(Policy::default());
    let text = match_many_json(&matcher, &pairs().to_string()).expect("matches");
    let reports: Vec<Value> = serde_json::from_str(&text).expect("a JSON array");
    let mapping = matcher.policy().attribute_mapping();
    let want: Vec<Value> = pairs()
        .as_array()
        .expect("array")
        .iter()
        .map(|p| {
            let user = normalize_user(&p["directory"], &mapping).expect("normalizes").user;
            serde_json::to_value(matcher.decide(&VerifiedClaims::from_json(&p["verified"]), &user)).expect("serializes")
        })
        .collect();
    assert_eq!(reports, want);
    assert_eq!(match_many_json(&matcher, " [ ] ").expect("empty"), "[]");
}

#[test]
fn bad_input_is_a_typed_error() {
    let matcher = Matcher::new(Policy::default());
    let code = |text: &str| match_many_json(&matcher, text).expect_err("refused").code();
    assert_eq!(code("{\"verified\": {}}"), "INVALID_PROFILE");
    assert_eq!(code("{"), "INVALID_JSON");
    assert_eq!(code("[{\"verified\": {}, \"directory\": {}}, "), "INVALID_JSON");
    assert_eq!(code("[{\"verified\": {}, \"directory\": 5}]"), "INVALID_PROFILE");
}

#[test]
fn decisions_only_equal_the_reports_decisions() {
    let matcher = Matcher::new(Policy::default());
    let reports: Vec<Value> =
        serde_json::from_str(&match_many_json(&matcher, &pairs().to_string()).expect("matches")).expect("an array");
    let want: Vec<u8> = reports
        .iter()
        .map(|r| serde_json::from_value::<Decision>(r["decision"].clone()).expect("a decision").code())
        .collect();
    assert_eq!(decide_many_json(&matcher, &pairs().to_string()).expect("decides"), want);
    assert_eq!(want, [0, 1, 1, 1]);
    assert_eq!(decide_many_json(&matcher, " [ ] ").expect("empty"), Vec::<u8>::new());
    let code = |text: &str| decide_many_json(&matcher, text).expect_err("refused").code();
    assert_eq!(code("{\"verified\": {}}"), "INVALID_PROFILE");
    assert_eq!(code("{"), "INVALID_JSON");
    assert_eq!(code("[{\"verified\": {}, \"directory\": 5}]"), "INVALID_PROFILE");
}

/// Pairs whose birthdate alone decides (differs, unreadable, missing on a side, a placeholder) next
/// to pairs where it does not, with a spoofed or a missing name on top.
fn birthdate_pairs() -> Value {
    let v =
        |given: &str, birthdate: Value| json!({"given_name": given, "family_name": "GARCIA", "birthdate": birthdate});
    let d = |birthdate: Value| json!({"firstName": "Jose", "lastName": "Garcia", "birthdate": birthdate});
    let mut pairs = Vec::new();
    for given in ["JOSE", "J\u{43e}SE", "MARIA"] {
        for (vb, db) in [
            (json!("1980-02-03"), json!("1980-02-03")),
            (json!("1980-02-03"), json!("1980-03-02")),
            (json!("1980-02-03"), json!("1981-02-03")),
            (json!("not a date"), json!("1980-02-03")),
            (json!("1980-02-03"), json!("N/A")),
            (json!("1980-02-03"), Value::Null),
            (Value::Null, json!("1980-02-03")),
            (json!("03/02/1980"), json!("1980-02-03")),
        ] {
            pairs.push(json!({"verified": v(given, vb.clone()), "directory": d(db.clone())}));
        }
    }
    Value::Array(pairs)
}

#[test]
fn the_birthdate_shortcut_decides_as_the_full_path() {
    // The default policy (birthdate required and exact), an optional birthdate that only counts as
    // evidence, and a birthdate that routes to review (neither may take the shortcut).
    let policies = [
        Policy::default(),
        Policy::from_json(&json!({"claims": {"given_name": {}, "family_name": {}, "birthdate": {"required": false, "on_missing_directory": "skip", "on_missing_verified": "skip", "on_mismatch": "flag"}}})).expect("policy"),
        Policy::from_json(&json!({"claims": {"given_name": {}, "family_name": {}, "birthdate": {"on_mismatch": "review", "required": false, "on_missing_directory": "review"}}})).expect("policy"),
    ];
    let text = birthdate_pairs().to_string();
    let mut decided = std::collections::BTreeSet::new();
    for policy in policies {
        let matcher = Matcher::new(policy);
        let reports: Vec<Value> =
            serde_json::from_str(&match_many_json(&matcher, &text).expect("matches")).expect("array");
        let want: Vec<u8> = reports
            .iter()
            .map(|r| serde_json::from_value::<Decision>(r["decision"].clone()).expect("a decision").code())
            .collect();
        assert_eq!(decide_many_json(&matcher, &text).expect("decides"), want);
        decided.extend(want);
    }
    assert_eq!(decided.len(), 3, "match, no_match and review all occur");
}
