//! The wasm-bindgen exports, run inside a JavaScript engine: Node (`wasm-bindgen-test-runner`)
//! and headless Chromium (`WASM_BINDGEN_USE_BROWSER=1`). Same suite in both.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use okta_directory::wasm::profile::{normalize_user_json_js, validate_mapping_js};
use okta_directory::wasm::{core_version, error_codes};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn parse(json: &str) -> JsValue {
    JSON::parse(json).expect("test fixture is valid JSON")
}

/// Reads a nested property such as `user.name.given`.
fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(value.clone(), |v, key| Reflect::get(&v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
}

fn error_code(err: &JsValue) -> (String, String) {
    let error: &js_sys::Error = err.dyn_ref().expect("thrown value is a JS Error");
    (String::from(error.name()), get(err, "code").as_string().unwrap_or_default())
}

const USER: &str = r#"{
  "id": "00u118oQYT4TBTemp0g4", "status": "LOCKED_OUT", "lastUpdated": "2024-05-05T18:15:44.000Z",
  "profile": {"login": "ana@example.com", "email": "ana@example.com", "firstName": "Ana",
              "LegalFirstName": "  Ana  María ", "lastName": "Nu\u0301n\u0303ez", "dob": "1990-04-03",
              "zipCode": "62701", "countryCode": "us", "costCenter": "X1", "clearance": 3, "mobilePhone": null}
}"#;

#[wasm_bindgen_test]
fn normalizes_a_whole_user_with_a_mapping() {
    let mapping = parse(r#"{"givenName": ["profile.LegalFirstName", "firstName"]}"#);
    let report = normalize_user_json_js(USER, mapping).expect("normalizes").js_value();
    assert_eq!(get(&report, "user.id").as_string().as_deref(), Some("00u118oQYT4TBTemp0g4"));
    assert_eq!(get(&report, "user.status").as_string().as_deref(), Some("LOCKED_OUT"));
    assert_eq!(get(&report, "user.name.given").as_string().as_deref(), Some("Ana María"));
    assert_eq!(get(&report, "user.name.family").as_string().as_deref(), Some("Núñez"));
    assert_eq!(get(&report, "user.birthdate").as_string().as_deref(), Some("1990-04-03"));
    assert_eq!(get(&report, "user.address.country").as_string().as_deref(), Some("US"));
    assert_eq!(get(&report, "sources.givenName").as_string().as_deref(), Some("profile.LegalFirstName"));
    // Custom attributes come back as a plain object (not a Map), base attributes stay out of it.
    assert_eq!(get(&report, "user.custom.clearance").as_f64(), Some(3.0));
    assert!(get(&report, "user.custom.costCenter").is_undefined());
    assert!(!get(&report, "user.custom").is_instance_of::<js_sys::Map>());
    // Absent fields are omitted, not null.
    assert!(get(&report, "user.phones.mobile").is_undefined());
    let issues: Array = get(&report, "issues").dyn_into().expect("issues is an array");
    let missing_mobile = issues.iter().any(|i| {
        get(&i, "field").as_string().as_deref() == Some("mobilePhone")
            && get(&i, "code").as_string().as_deref() == Some("MISSING")
    });
    assert!(missing_mobile);
}

#[wasm_bindgen_test]
fn mapping_objects_cross_the_boundary_and_default_when_absent() {
    let defaults = normalize_user_json_js(USER, JsValue::UNDEFINED).expect("undefined mapping").js_value();
    let null = normalize_user_json_js(USER, JsValue::NULL).expect("null mapping").js_value();
    assert_eq!(get(&defaults, "user.name.given").as_string().as_deref(), Some("Ana"));
    assert_eq!(
        JSON::stringify(&defaults).ok().and_then(|s| s.as_string()),
        JSON::stringify(&null).ok().and_then(|s| s.as_string())
    );
    // A mapping object with values JSON cannot hold is a conversion error, not a trap.
    let mapping = parse("{}");
    Reflect::set(&mapping, &JsValue::from_str("givenName"), &js_sys::Symbol::for_("x").into()).expect("set");
    let err = normalize_user_json_js(USER, mapping).expect_err("symbol in mapping");
    assert_eq!(error_code(&err).1, "CONVERSION_FAILED");
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_codes() {
    let cases = [
        ("[1,2]", "INVALID_PROFILE"),
        ("\"not an object\"", "INVALID_PROFILE"),
        (r#"{"profile": 5}"#, "INVALID_PROFILE"),
    ];
    for (input, want) in cases {
        let err = normalize_user_json_js(input, JsValue::UNDEFINED).expect_err("must fail");
        assert_eq!(error_code(&err), ("OktaDirectoryError".to_owned(), want.to_owned()));
    }
    let err = normalize_user_json_js("{\"password\": \"hunter2\"", JsValue::UNDEFINED).expect_err("bad json");
    assert_eq!(error_code(&err).1, "INVALID_JSON");
    let message: String = err.dyn_ref::<js_sys::Error>().expect("Error").message().into();
    assert!(!message.contains("hunter2"), "no input text in messages");

    let err = validate_mapping_js(parse(r#"{"givenName": ["ok", 7]}"#)).expect_err("bad mapping");
    assert_eq!(error_code(&err).1, "INVALID_MAPPING");
    let message: String = err.dyn_ref::<js_sys::Error>().expect("Error").message().into();
    assert!(message.contains("givenName[1]"), "{message}");
}

#[wasm_bindgen_test]
fn code_list_and_version_are_exported() {
    let codes = error_codes();
    assert_eq!(codes, okta_directory::Error::CODES.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    assert_eq!(core_version(), env!("CARGO_PKG_VERSION"));
}

fn session(options: &str) -> Result<okta_directory::wasm::sync::WasmSyncSession, JsValue> {
    okta_directory::wasm::sync::WasmSyncSession::new(parse(options), &[7u8; 16])
}

#[wasm_bindgen_test]
fn sync_session_hands_out_requests_with_credentials_and_takes_answers() {
    let mut s = session(r#"{"orgUrl": "https://acme.okta.com", "apiToken": "00tok"}"#).expect("valid options");
    assert_eq!(s.origin(), "https://acme.okta.com");
    let action = s.poll(0.0, 1_000.0).expect("an action");
    assert_eq!(get(&action, "kind").as_string().as_deref(), Some("send"));
    assert_eq!(get(&action, "method").as_string().as_deref(), Some("GET"));
    assert_eq!(get(&action, "authorization").as_string().as_deref(), Some("SSWS 00tok"));
    assert!(get(&action, "url").as_string().unwrap_or_default().starts_with("https://acme.okta.com/api/v1/users?"));
    assert!(get(&action, "dpopProof").is_undefined(), "absent fields are omitted");
    let id = get(&action, "id").as_f64().expect("numeric id");
    let headers = vec!["Link".to_string(), "<https://attacker.example/api/v1/users?after=x>; rel=\"next\"".to_string()];
    s.on_response(id, 200, headers, "[]".into(), 5.0);
    let err = loop {
        match s.poll(5.0, 1_000.0) {
            Ok(a) if get(&a, "kind").as_string().as_deref() == Some("send") => {
                let id = get(&a, "id").as_f64().expect("id");
                s.on_response(id, 200, vec![], "[]".into(), 5.0);
            }
            Ok(a) => panic!("unexpected action {:?}", get(&a, "kind").as_string()),
            Err(e) => break e,
        }
    };
    assert_eq!(error_code(&err), ("OktaDirectoryError".to_owned(), "UNSAFE_NEXT_LINK".to_owned()));
}

#[wasm_bindgen_test]
fn sync_session_options_are_checked() {
    let code = |options: &str| session(options).err().map(|e| error_code(&e).1);
    assert_eq!(code(r#"{"orgUrl": "http://acme.okta.com", "apiToken": "t"}"#).as_deref(), Some("INSECURE_ORG_URL"));
    assert_eq!(code(r#"{"orgUrl": "https://acme.okta.com"}"#).as_deref(), Some("INVALID_CREDENTIALS"));
    assert_eq!(
        code(r#"{"orgUrl": "https://acme.okta.com", "clientId": "0oa1", "dpop": "auto"}"#).as_deref(),
        Some("INVALID_CREDENTIALS")
    );
    assert_eq!(
        code(r#"{"orgUrl": "https://acme.okta.com", "apiToken": "t", "checkpoint": "{}"}"#).as_deref(),
        Some("INVALID_CHECKPOINT")
    );
    assert_eq!(code(r#"{"orgUrl": 5}"#).as_deref(), Some("CONVERSION_FAILED"));
    let mut s = session(
        r#"{"orgUrl": "https://acme.okta.com", "clientId": "0oa1", "keyAlg": "ES256", "dpop": "required",
            "dpopJwk": {"kty": "EC", "crv": "P-256", "x": "x", "y": "y"}}"#,
    )
    .expect("valid key options");
    let action = s.poll(0.0, 1_000.0).expect("token request");
    assert_eq!(get(&action, "url").as_string().as_deref(), Some("https://acme.okta.com/oauth2/v1/token"));
    assert_eq!(get(&action, "assertionAlg").as_string().as_deref(), Some("ES256"));
    assert!(get(&action, "authorization").is_undefined());
    assert!(get(&action, "dpopProof").as_string().is_some());
    assert!(get(&action, "body").as_string().unwrap_or_default().ends_with("&client_assertion="));
}

/// One reading of a policy document and an Okta claims request for every export (the core's
/// `claims::matcher_from_json_text`): the same input, the same code, wherever it enters.
#[wasm_bindgen_test]
fn policy_documents_have_one_code_set_across_exports() {
    use okta_directory::wasm::claims::ClaimsMatcherJs;
    use okta_directory::wasm::enrollment::enrollment_status_json;
    use okta_directory::wasm::replay::replay_vector_json;
    let not_json = || Some("{\"id\": \"Jane Roe\", nope".to_owned());
    let wrong_shape = || Some("{\"claims\": {\"shoe_size\": {}}}".to_owned());
    let user = r#"{"name": {}, "custom": {}}"#;
    let vector = r#"{"claims": {}}"#;
    for (policy, want) in [(not_json(), "INVALID_JSON"), (wrong_shape(), "INVALID_POLICY")] {
        let codes = [
            ClaimsMatcherJs::new(policy.clone(), None, None, None).err(),
            enrollment_status_json(user, None, policy.clone()).err(),
            replay_vector_json(policy.clone(), vector).err(),
        ]
        .map(|e| error_code(&e.expect("must fail")).1);
        assert_eq!(codes, [want; 3].map(str::to_owned), "{policy:?}");
    }
    let too_large = Some(format!("{{\"x\": \"{}\"}}", "a".repeat(64 * 1024)));
    let err = ClaimsMatcherJs::new(None, too_large, None, None).err().expect("over the cap");
    assert_eq!(error_code(&err).1, "INPUT_TOO_LARGE");
    let message: String = ClaimsMatcherJs::new(not_json(), None, None, None)
        .err()
        .and_then(|e| e.dyn_ref::<js_sys::Error>().map(|e| e.message().into()))
        .unwrap_or_default();
    assert!(!message.contains("Jane"), "{message}");
}
