//! Attacker's pins (main's behaviour, 2026-12-07) of every other JSON document the claims module reads, for a
//! change of its JSON reader: policy documents, Okta claims requests, per-line policies and requests in
//! JSON Lines (`match_line`), whole users (`normalize_user_json`) and normalized users
//! (`directory_user_from_json_text`, what `matchUser` reads) — duplicate keys, escaped keys, numbers at and
//! past their bounds, wrong types, deep nesting, BOM, lone surrogates. Each outcome (an error code, or a
//! hash of what was read and decided) is pinned in tests/fixtures/attack/claims-documents.golden.txt,
//! written on main with `ATTACK_BLESS=1 cargo test -q --test claims_attack_documents_pin`.

use okta_directory::claims::{
    match_line, matcher_from_json_text, parse_okta_claims_json, Matcher, Policy, VerifiedClaims,
};
use okta_directory::profile::{directory_user_from_json_text, normalize_user, normalize_user_json, AttributeMapping};
use serde_json::{json, Value};
use std::path::PathBuf;

const MARK: &str = "Zebediah";

fn fnv(s: &str) -> String {
    format!(
        "{:016x}",
        s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    )
}

fn code(e: &okta_directory::Error) -> String {
    assert!(!e.to_string().contains(MARK), "a message carries a value: {e}");
    format!("error:{}", e.code())
}

/// Pairs every policy decides: names, dates and addresses that different thresholds and modes decide apart.
fn pairs() -> Vec<(Value, Value)> {
    let v = |g: &str, f: &str, b: &str| {
        json!({"given_name": g, "family_name": f, "birthdate": b, "email": "ann@example.com",
            "address": {"street_address": "12 Main St", "locality": "Springfeld", "postal_code": "62701", "country": "US"}})
    };
    let d = |g: &str, f: &str, b: &str| {
        json!({"firstName": g, "lastName": f, "birthdate": b, "email": "ann@example.com", "middleName": MARK,
            "streetAddress": "12 Main Street", "city": "Springfield", "zipCode": "62701", "countryCode": "US"})
    };
    vec![
        (v("Ann", "Smith", "1990-04-03"), d("Ann", "Smith", "1990-04-03")),
        (v("Anne", "Smith", "1990-04-03"), d("Ann", "Smith", "1990-04-03")),
        (v("Ann", "Smyth", "1990-04-03"), d("Ann", "Smith", "1990-04-03")),
        (v("Jonathon", "Smith", "1990-04-03"), d("Jonathan", "Smith", "1990-04-03")),
        (v("Bob", "Smith", "1990-04-03"), d("Robert", "Smith", "1990-04-03")),
        (v("Ann", "Smith", "1990-03-04"), d("Ann", "Smith", "1990-04-03")),
        (v("Ann", "Smith-Jones", "1990-04-03"), d("Ann", "Smith", "1990-04-03")),
        (v("ANN", "SMITH", "1990-04-03"), d("Ann", "Smith", "")),
        (v("Ann", "", "1990-04-03"), d("Ann", "Smith", "1990-04-03")),
        (v("Аnn", "Smith", "1990-04-03"), d("Ann", "Smith", "1990-04-03")),
    ]
}

/// What a matcher made of a document decides on [`pairs`]: each decision and a hash of all reports.
fn decisions(m: &Matcher) -> String {
    let mapping = m.policy().attribute_mapping();
    let mut out = String::new();
    let mut reports = String::new();
    for (v, d) in pairs() {
        match normalize_user(&d, &mapping) {
            Ok(u) => {
                let r = m.decide(&VerifiedClaims::from_json(&v), &u.user);
                out.push(match r.decision.code() {
                    0 => 'M',
                    1 => 'n',
                    _ => 'r',
                });
                reports.push_str(&serde_json::to_string(&r).expect("serializes"));
            }
            Err(e) => out.push_str(&format!("[{}]", code(&e))),
        }
    }
    format!("{out} {}", fnv(&reports))
}

fn policies() -> Vec<(&'static str, String)> {
    let deep = format!("{{\"claims\":{{\"given_name\":{{\"x\":{}1{}}}}}}}", "[".repeat(200), "]".repeat(200));
    vec![
        ("empty object", "{}".into()),
        ("default-like", r#"{"version":1,"claims":{"given_name":{},"family_name":{},"birthdate":{}}}"#.into()),
        ("threshold half", r#"{"claims":{"given_name":{"threshold":0.5},"family_name":{}}}"#.into()),
        ("threshold 1", r#"{"claims":{"given_name":{"threshold":1},"family_name":{}}}"#.into()),
        ("threshold 1.0", r#"{"claims":{"given_name":{"threshold":1.0},"family_name":{}}}"#.into()),
        ("threshold 1e0", r#"{"claims":{"given_name":{"threshold":1e0},"family_name":{}}}"#.into()),
        ("threshold 5e-1", r#"{"claims":{"given_name":{"threshold":5e-1},"family_name":{}}}"#.into()),
        ("threshold 0", r#"{"claims":{"given_name":{"threshold":0},"family_name":{}}}"#.into()),
        ("threshold -0", r#"{"claims":{"given_name":{"threshold":-0},"family_name":{}}}"#.into()),
        ("threshold -0.0", r#"{"claims":{"given_name":{"threshold":-0.0},"family_name":{}}}"#.into()),
        (
            "threshold just over 1",
            r#"{"claims":{"given_name":{"threshold":1.0000000000000002},"family_name":{}}}"#.into(),
        ),
        ("threshold tiny", r#"{"claims":{"given_name":{"threshold":5e-324},"family_name":{}}}"#.into()),
        ("threshold 2", r#"{"claims":{"given_name":{"threshold":2}}}"#.into()),
        ("threshold -1", r#"{"claims":{"given_name":{"threshold":-1}}}"#.into()),
        ("threshold huge", r#"{"claims":{"given_name":{"threshold":1e400}}}"#.into()),
        ("threshold string", r#"{"claims":{"given_name":{"threshold":"0.5"}}}"#.into()),
        ("threshold null", r#"{"claims":{"given_name":{"threshold":null}}}"#.into()),
        ("threshold u64 max", r#"{"claims":{"given_name":{"threshold":18446744073709551615}}}"#.into()),
        ("defaults threshold", r#"{"defaults":{"threshold":0.99},"claims":{"given_name":{},"family_name":{}}}"#.into()),
        ("defaults threshold bad", r#"{"defaults":{"threshold":1.5},"claims":{"given_name":{}}}"#.into()),
        (
            "part threshold",
            r#"{"claims":{"given_name":{},"family_name":{},"address":{"parts":{"locality":{"threshold":0.7}}}}}"#
                .into(),
        ),
        (
            "part threshold bad",
            r#"{"claims":{"given_name":{},"address":{"parts":{"locality":{"threshold":7}}}}}"#.into(),
        ),
        (
            "dup claim last wins",
            r#"{"claims":{"given_name":{"mode":"exact"},"given_name":{},"family_name":{}}}"#.into(),
        ),
        ("dup claim first", r#"{"claims":{"given_name":{},"given_name":{"mode":"exact"},"family_name":{}}}"#.into()),
        ("dup claims key", r#"{"claims":{"given_name":{}},"claims":{"family_name":{},"birthdate":{}}}"#.into()),
        ("dup threshold", r#"{"claims":{"given_name":{"threshold":0.5,"threshold":0.99},"family_name":{}}}"#.into()),
        ("escaped keys", r#"{"cl\u0061ims":{"given\u005fname":{"m\u006fde":"exact"},"family_name":{}}}"#.into()),
        ("escaped value", r#"{"claims":{"given_name":{"mode":"e\u0078act"},"family_name":{}}}"#.into()),
        ("mode exact", r#"{"claims":{"given_name":{"mode":"exact"},"family_name":{"mode":"exact"}}}"#.into()),
        ("mode unknown", r#"{"claims":{"given_name":{"mode":"Exact"}}}"#.into()),
        ("unknown claim", r#"{"claims":{"shoe_size":{}}}"#.into()),
        ("unknown top key", r#"{"claimz":{}}"#.into()),
        ("required false", r#"{"claims":{"given_name":{"required":false},"family_name":{}}}"#.into()),
        ("required string", r#"{"claims":{"given_name":{"required":"true"}}}"#.into()),
        (
            "operating point",
            r#"{"operating_point":"strict","claims":{"given_name":{},"family_name":{},"birthdate":{}}}"#.into(),
        ),
        ("operating point bad", r#"{"operating_point":"lenient"}"#.into()),
        (
            "on_mismatch review",
            r#"{"claims":{"given_name":{"on_mismatch":"review"},"family_name":{},"birthdate":{}}}"#.into(),
        ),
        (
            "source list",
            r#"{"claims":{"given_name":{"source":["profile.nickName","firstName"]},"family_name":{}}}"#.into(),
        ),
        ("source empty", r#"{"claims":{"given_name":{"source":[]},"family_name":{}}}"#.into()),
        ("source number", r#"{"claims":{"given_name":{"source":[5]}}}"#.into()),
        ("version 2", r#"{"version":2}"#.into()),
        ("version float", r#"{"version":1.0}"#.into()),
        ("version string", r#"{"version":"1"}"#.into()),
        ("array", "[]".into()),
        ("null", "null".into()),
        ("number", "5".into()),
        ("bom", "\u{FEFF}{}".into()),
        ("lone surrogate", r#"{"claims":{"given_name":{"mode":"\ud800"}}}"#.into()),
        ("deep", deep),
        ("trailing comma", r#"{"claims":{},}"#.into()),
        ("value with mark", format!(r#"{{"claims":{{"given_name":{{"mode":"{MARK}"}}}}}}"#)),
    ]
}

fn requests() -> Vec<(&'static str, String)> {
    vec![
        ("plain", r#"{"id_token":{"verified_claims":{"verification":{"trust_framework":{"value":"IDV-DELEGATED"}},"claims":{"given_name":null,"family_name":null}}}}"#.into()),
        ("fuzzy", r#"{"id_token":{"verified_claims":{"verification":{},"claims":{"given_name":{"fuzzy":true},"family_name":{"essential":true}}}}}"#.into()),
        ("value", r#"{"id_token":{"verified_claims":{"verification":{},"claims":{"given_name":{"value":"Ann"},"family_name":"Smith"}}}}"#.into()),
        ("dup claim", r#"{"id_token":{"verified_claims":{"verification":{},"claims":{"given_name":{"value":"Eve"},"given_name":{"value":"Ann"}}}}}"#.into()),
        ("escaped keys", r#"{"id_t\u006fken":{"verified_cl\u0061ims":{"verification":{},"claims":{"given\u005fname":{"value":"Ann"}}}}}"#.into()),
        ("userinfo", r#"{"userinfo":{"verified_claims":{"verification":{},"claims":{"birthdate":null}}}}"#.into()),
        ("array of verified_claims", r#"{"id_token":{"verified_claims":[{"verification":{},"claims":{"given_name":null}},{"verification":{},"claims":{"birthdate":null}}]}}"#.into()),
        ("fuzzy string", r#"{"id_token":{"verified_claims":{"verification":{},"claims":{"given_name":{"fuzzy":"yes"}}}}}"#.into()),
        ("value number", r#"{"id_token":{"verified_claims":{"verification":{},"claims":{"given_name":{"value":5}}}}}"#.into()),
        ("unknown claim", r#"{"id_token":{"verified_claims":{"verification":{},"claims":{"shoe_size":null}}}}"#.into()),
        ("empty", "{}".into()),
        ("null", "null".into()),
        ("lone surrogate", r#"{"id_token":{"verified_claims":{"verification":{},"claims":{"given_name":{"value":"\udc00"}}}}}"#.into()),
        ("huge number", r#"{"id_token":{"verified_claims":{"verification":{},"claims":{"given_name":{"max_age":1e400}}}}}"#.into()),
    ]
}

fn users() -> Vec<(&'static str, String)> {
    vec![
        ("whole", format!(r#"{{"id":"00u1","status":"ACTIVE","lastUpdated":"2026-01-02T03:04:05.000Z","profile":{{"firstName":"Ann","lastName":"Smith","login":"a@example.com","middleName":"{MARK}"}}}}"#)),
        ("bare", r#"{"firstName":"Ann","lastName":"Smith","birthdate":"1990-04-03","zipCode":62701,"custom":1.5e300,"c2":[1,"a"],"c3":{"x":1}}"#.into()),
        ("dup profile", r#"{"id":"00u1","profile":{"firstName":"Eve"},"profile":{"firstName":"Ann"}}"#.into()),
        ("dup firstName", r#"{"firstName":"Eve","firstName":"Ann"}"#.into()),
        ("escaped keys", r#"{"i\u0064":"00u1","pr\u006ffile":{"first\u004eame":"Ann","lastName":"Sm\u0069th"}}"#.into()),
        ("bad id", r#"{"id":"../x","profile":{"firstName":"Ann"}}"#.into()),
        ("lastUpdated bad", r#"{"id":"00u1","lastUpdated":"yesterday","profile":{"firstName":"Ann"}}"#.into()),
        ("control char", r#"{"firstName":"An\u0007n"}"#.into()),
        ("long value", format!(r#"{{"firstName":"{}"}}"#, "A".repeat(5000))),
        ("many customs", format!("{{{}}}", (0..300).map(|i| format!("\"c{i}\":{i}")).collect::<Vec<_>>().join(","))),
        ("bom", "\u{FEFF}{\"firstName\":\"Ann\"}".into()),
        ("lone surrogate", r#"{"firstName":"\ud800"}"#.into()),
        ("deep", format!("{{\"c\":{}1{}}}", "[".repeat(200), "]".repeat(200))),
        ("array", "[]".into()),
        ("huge number", r#"{"firstName":"Ann","c":1e400}"#.into()),
    ]
}

fn normalized_users() -> Vec<(&'static str, String)> {
    let ok = normalize_user(
        &json!({"id": "00u1", "profile": {"firstName": "Ann", "lastName": "Smith", "birthdate": "1990-04-03"}}),
        &AttributeMapping::default(),
    )
    .expect("normalizes");
    let text = serde_json::to_string(&ok.user).expect("serializes");
    vec![
        ("round trip", text.clone()),
        ("dup key", text.replacen('{', r#"{"givenName":"Eve","#, 1)),
        ("extra key", text.replacen('{', r#"{"zz":1,"#, 1)),
        ("empty", "{}".into()),
        ("array", "[]".into()),
        ("lone surrogate", r#"{"givenName":"\ud800"}"#.into()),
    ]
}

fn line_cases() -> Vec<(&'static str, String)> {
    let (v, d) = (&pairs()[1].0, &pairs()[1].1);
    let mut out: Vec<(&'static str, String)> = vec![
        ("plain", json!({"id": 1, "verified": v, "directory": d}).to_string()),
        ("id string", json!({"id": "x\u{2028}y", "verified": v, "directory": d}).to_string()),
        ("id object", json!({"id": {"a": [1, 2.5, null]}, "verified": v, "directory": d}).to_string()),
        ("id float", format!(r#"{{"id":1.0,"verified":{v},"directory":{d}}}"#)),
        ("id big", format!(r#"{{"id":18446744073709551616,"verified":{v},"directory":{d}}}"#)),
        ("id dup", format!(r#"{{"id":1,"id":2,"verified":{v},"directory":{d}}}"#)),
        ("id escaped", format!(r#"{{"id":"\u00e9\"","verified":{v},"directory":{d}}}"#)),
        ("okta claims", format!(r#"{{"id":2,"okta_claims":{},"verified":{v},"directory":{d}}}"#, requests()[2].1)),
        ("okta claims bad", format!(r#"{{"id":3,"okta_claims":{},"verified":{v},"directory":{d}}}"#, requests()[7].1)),
        ("policy null", format!(r#"{{"id":4,"policy":null,"verified":{v},"directory":{d}}}"#)),
        ("directory string", format!(r#"{{"id":5,"verified":{v},"directory":"x"}}"#)),
        ("verified null", format!(r#"{{"id":6,"verified":null,"directory":{d}}}"#)),
        ("not an object", "[1]".into()),
        ("garbage", "{\"id\":7,".into()),
    ];
    for (name, p) in policies().into_iter().take(30) {
        out.push((name, format!(r#"{{"id":"{name}","policy":{p},"verified":{v},"directory":{d}}}"#)));
    }
    out
}

fn pinned() -> Vec<String> {
    let mut lines = Vec::new();
    for (name, p) in policies() {
        let got = match matcher_from_json_text(Some(&p), None, false, None) {
            Ok((m, _)) => decisions(&m),
            Err(e) => code(&e),
        };
        lines.push(format!("policy {name}\t{got}"));
    }
    for (name, r) in requests() {
        let parsed = parse_okta_claims_json(&r).map(|_| ()).map_err(|e| code(&e));
        let got = match matcher_from_json_text(None, Some(&r), false, None) {
            Ok((m, _)) => decisions(&m),
            Err(e) => code(&e),
        };
        let compare = match matcher_from_json_text(None, Some(&r), true, None) {
            Ok((m, _)) => decisions(&m),
            Err(e) => code(&e),
        };
        lines.push(format!("okta request {name}\t{parsed:?}\t{got}\t{compare}"));
    }
    for (name, u) in users() {
        let got = match normalize_user_json(&u, &AttributeMapping::default()) {
            Ok(n) => fnv(&serde_json::to_string(&n).expect("serializes")),
            Err(e) => code(&e),
        };
        lines.push(format!("user {name}\t{got}"));
    }
    for (name, u) in normalized_users() {
        let got = match directory_user_from_json_text(&u) {
            Ok(user) => fnv(&serde_json::to_string(&user).expect("serializes")),
            Err(e) => code(&e),
        };
        lines.push(format!("normalized user {name}\t{got}"));
    }
    let default = Matcher::new(Policy::default());
    for (name, line) in line_cases() {
        let out = match_line(&default, &line);
        assert!(!out.contains(MARK) || out.contains("\"decision\""), "a message carries a value: {out}");
        let parsed: Value = serde_json::from_str(&out).expect("match_line writes JSON");
        let summary = parsed.pointer("/error/code").or_else(|| parsed.get("decision")).cloned().unwrap_or(Value::Null);
        // An error line's message may change wording (not its code); a report line is pinned whole (its id
        // written back as read, the report byte for byte).
        let hash = if parsed.get("error").is_some() { String::new() } else { fnv(&out) };
        lines.push(format!("line {name}\t{summary}\t{hash}"));
    }
    lines
}

#[test]
fn every_claims_document_reads_as_pinned() {
    let got = pinned().join("\n") + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attack/claims-documents.golden.txt");
    if std::env::var_os("ATTACK_BLESS").is_some() {
        std::fs::write(&path, &got).expect("writes the golden");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("the golden file");
    let differ: Vec<String> =
        want.lines().zip(got.lines()).filter(|(a, b)| a != b).map(|(a, b)| format!("pinned {a}\n   now {b}")).collect();
    assert!(
        differ.is_empty() && want.lines().count() == got.lines().count(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
