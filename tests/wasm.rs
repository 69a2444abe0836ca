//! The wasm-bindgen exports, run inside a JavaScript engine: Node (`wasm-bindgen-test-runner`)
//! and headless Chromium (`WASM_BINDGEN_USE_BROWSER=1`). Same suite in both.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use okta_directory::profile::AttributeMapping;
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
    let mapping = r#"{"givenName": ["profile.LegalFirstName", "firstName"]}"#.to_owned();
    let report = parse(&normalize_user_json_js(USER, Some(mapping)).expect("normalizes"));
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
fn mapping_text_crosses_the_boundary_and_defaults_when_absent() {
    // The SDK turns mapping objects into JSON text (js/src/mapping-text.ts, tested there).
    let defaults = normalize_user_json_js(USER, None).expect("no mapping");
    let empty = normalize_user_json_js(USER, Some("{}".to_owned())).expect("empty mapping");
    assert_eq!(get(&parse(&defaults), "user.name.given").as_string().as_deref(), Some("Ana"));
    assert_eq!(defaults, empty);
    // Mapping text that is not JSON is a conversion error (the SDK never sends it), not a trap.
    let err = normalize_user_json_js(USER, Some("{\"givenName\": ".to_owned())).expect_err("cut mapping");
    assert_eq!(error_code(&err).1, "CONVERSION_FAILED");
    assert_eq!(validate_mapping_js(None).ok(), Some(()));
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_codes() {
    let cases = [
        ("[1,2]", "INVALID_PROFILE"),
        ("\"not an object\"", "INVALID_PROFILE"),
        (r#"{"profile": 5}"#, "INVALID_PROFILE"),
    ];
    for (input, want) in cases {
        let err = normalize_user_json_js(input, None).expect_err("must fail");
        assert_eq!(error_code(&err), ("OktaDirectoryError".to_owned(), want.to_owned()));
    }
    let err = normalize_user_json_js("{\"password\": \"hunter2\"", None).expect_err("bad json");
    assert_eq!(error_code(&err).1, "INVALID_JSON");
    let message: String = err.dyn_ref::<js_sys::Error>().expect("Error").message().into();
    assert!(!message.contains("hunter2"), "no input text in messages");

    let err = validate_mapping_js(Some(r#"{"givenName": ["ok", 7]}"#.to_owned())).expect_err("bad mapping");
    assert_eq!(error_code(&err).1, "INVALID_MAPPING");
    let message: String = err.dyn_ref::<js_sys::Error>().expect("Error").message().into();
    assert!(message.contains("givenName[1]"), "{message}");
}

/// Whether two JS values are the same tree: the same own keys in the same order, the same
/// prototypes, and `Object.is` leaves (so `-0`, `undefined`-valued keys and `Map`s all differ).
fn same_tree(a: &JsValue, b: &JsValue, path: &str) -> Result<(), String> {
    if js_sys::Object::is(a, b) {
        return Ok(());
    }
    if !a.is_object() || !b.is_object() {
        return Err(format!("{path}: {a:?} vs {b:?}"));
    }
    let (a, b): (&js_sys::Object, &js_sys::Object) = (a.unchecked_ref(), b.unchecked_ref());
    if !js_sys::Object::is(&js_sys::Object::get_prototype_of(a), &js_sys::Object::get_prototype_of(b)) {
        return Err(format!("{path}: different prototypes"));
    }
    let keys = |o: &js_sys::Object| -> Vec<String> {
        Reflect::own_keys(o).expect("own keys").iter().map(|k| k.as_string().unwrap_or_default()).collect()
    };
    let (ka, kb) = (keys(a), keys(b));
    if ka != kb {
        return Err(format!("{path}: keys {ka:?} vs {kb:?}"));
    }
    for key in ka {
        let k = JsValue::from_str(&key);
        same_tree(&Reflect::get(a, &k).expect("get"), &Reflect::get(b, &k).expect("get"), &format!("{path}.{key}"))?;
    }
    Ok(())
}

/// Users with what makes the object conversion interesting: absent and null fields, every custom
/// value type, numbers JSON writes in several ways, escapes, several scripts, invisible characters.
fn varied_users() -> Vec<String> {
    let mut users: Vec<String> = [
        USER,
        "{}",
        r#"{"profile": {}}"#,
        r#"{"id": "00u1", "status": "ACTIVE", "profile": {"firstName": null, "lastName": "", "email": "x@y"}}"#,
        r#"{"profile": {"firstName": "Zoë", "lastName": "Ng\u00fcy\u1ec5n", "middleName": "J.", "nickName": "Z",
            "honorificPrefix": "Dr.", "honorificSuffix": "III", "displayName": "Dr. Zoë Nguyễn"}}"#,
        r#"{"profile": {"firstName": "\u0410\u043d\u043d\u0430", "lastName": "\u674e", "birthdate": "03/04/1990",
            "streetAddress": "Calle Mayor 5\r\n2\u00ba", "city": "M\u00e1laga", "countryCode": "es",
            "mobilePhone": "+34 600 000 000", "primaryPhone": "N/A", "zipCode": "29001"}}"#,
        r#"{"profile": {"firstName": "A\u200bnn", "lastName": "Lee\u00ad", "employeeNumber": 4711,
            "tab": "a\tb", "quote": "\"q\" \\ /", "ctl": "\u0001", "emoji": "\ud83c\udf89"}}"#,
        r#"{"profile": {"f1": 1.5, "f2": -0.0, "f3": 1e300, "f4": 5e-324, "f5": 9007199254740993,
            "f6": 123456789012345678901234567890, "f7": -17, "f8": 0.1, "f9": 2.5e-7, "f10": 1e21,
            "b1": true, "b2": false, "list": [1, "two", false, 3.25], "empty": [], "nested": {"a": 1},
            "nulls": [null], "mixed": [[1]], "": "empty key", "10": "ten", "2": "two", "constructor": "c"}}"#,
        r#"{"id": 7, "status": "SUSPENDED", "lastUpdated": null, "profile": {"login": "l", "secondEmail": "s@x",
            "state": "TX", "dob": "1990-04-03", "birthdate": "1990-13-45"}}"#,
        r#"{"status": "NOT_A_STATUS", "profile": {"firstName": "  Ana   María ", "lastName": "Nu\u0301n\u0303ez"}}"#,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    // Combinations of the pieces above, so fields appear and disappear independently.
    let names = [r#""Mary-Jane""#, r#""O'Neil""#, r#""\u00c9lodie""#, r#""\u0905\u0928\u093f""#, "null", r#""""#, "3"];
    let extras = ["\"x\": 0.30000000000000004", "\"y\": [true, null]", "\"countryCode\": \"de\"", "\"zipCode\": 12345"];
    for i in 0..names.len() * extras.len() * 2 {
        let (given, family) = (names[i % names.len()], names[(i / 2 + 3) % names.len()]);
        let extra = extras[i % extras.len()];
        let whole = i % 2 == 0;
        let profile = format!("{{\"firstName\": {given}, \"lastName\": {family}, {extra}}}");
        users.push(if whole {
            format!("{{\"id\": \"00u{i}\", \"status\": \"ACTIVE\", \"profile\": {profile}}}")
        } else {
            profile
        });
    }
    users
}

#[wasm_bindgen_test]
fn normalized_user_text_parses_to_the_object_serde_wasm_bindgen_built() {
    // The report crossed as a JS object (tsify over serde_wasm_bindgen) before it crossed as JSON
    // text; the SDK's `JSON.parse` of the text must give the same object for every user.
    let mappings = [None, Some(r#"{"givenName": ["profile.nickName", "firstName"], "birthdateOrder": "dmy"}"#)];
    let mut compared = 0;
    for user in varied_users() {
        for mapping in mappings {
            let parsed = AttributeMapping::from_json(&serde_json::from_str(mapping.unwrap_or("{}")).expect("json"))
                .expect("mapping");
            let Ok(report) = okta_directory::profile::normalize_user_json(&user, &parsed) else {
                let err =
                    normalize_user_json_js(&user, mapping.map(str::to_owned)).expect_err("fails as the core does");
                assert_ne!(error_code(&err).1, "", "{user}");
                continue;
            };
            let old = tsify::Ts::from_rust(&report).expect("serde_wasm_bindgen converts").js_value();
            let text = normalize_user_json_js(&user, mapping.map(str::to_owned)).expect("normalizes");
            if let Err(diff) = same_tree(&parse(&text), &old, "$") {
                panic!("{diff}\nuser: {user}");
            }
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared}");
}

#[wasm_bindgen_test]
fn a_custom_attribute_named_proto_is_an_own_property() {
    // serde_wasm_bindgen assigned `custom["__proto__"] = value`, which replaced the object's
    // prototype (an array value made `custom` array-like); JSON.parse keeps it as plain data.
    let text = normalize_user_json_js(r#"{"profile": {"__proto__": ["a", "b"], "dept": "x"}}"#, None).expect("ok");
    let custom: js_sys::Object = get(&parse(&text), "user.custom").unchecked_into();
    let plain = js_sys::Object::get_prototype_of(&js_sys::Object::new());
    assert!(js_sys::Object::is(&js_sys::Object::get_prototype_of(&custom), &plain));
    assert!(js_sys::Object::has_own(&custom, &JsValue::from_str("__proto__")));
    assert!(Reflect::get(&custom, &JsValue::from_str("length")).expect("get").is_undefined());
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

/// Options crossing from JS read serde_json's private key (`$serde_json::private::RawValue`) as the plain key
/// it is: a DPoP JWK member hidden behind it is an object, not the string it holds (tests/sync_json_private_key.rs
/// has the core's places).
#[wasm_bindgen_test]
fn sync_session_options_do_not_unwrap_serde_jsons_private_key() {
    let options = |x: &str| {
        format!(
            r#"{{"orgUrl": "https://acme.okta.com", "clientId": "0oa1", "keyAlg": "ES256", "dpop": "required",
                "dpopJwk": {{"kty": "EC", "crv": "P-256", "x": {x}, "y": "y"}}}}"#
        )
    };
    assert!(session(&options(r#""x""#)).is_ok());
    let hidden = session(&options(r#"{"$serde_json::private::RawValue": "\"x\""}"#));
    assert_eq!(hidden.err().map(|e| error_code(&e).1).as_deref(), Some("INVALID_CREDENTIALS"));
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
