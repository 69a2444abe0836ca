//! Attacker's pin (main's behaviour, 2026-12-07, session 10, 8f21f6a) for a record read "facing" its
//! verified side (a phone, email or address part the verified side lacks is not normalized): verified sides
//! that lack a claim, carry it empty, null, of another JSON type, or carry an address with only some parts
//! (only the country, only a formatted line, an empty object), against records whose phone, email and address
//! parts are hostile (bidi and invisible characters, homoglyphs, other digit scripts, placeholders, invalid
//! values) or plain. Every report's exact bytes (`match_many_json`), the one-call `Matcher::decide`,
//! `decide_many_json` and `load_pairs` + `match_prepared`/`decide_prepared` must equal main's: the golden
//! `tests/fixtures/attack/claims-facing.golden.tsv` holds each case's decision and a hash of its report bytes
//! (written on main with `ATTACK_BLESS=1 cargo test -q --test claims_attack_facing_pin`).

use okta_directory::claims::{decide_many_json, load_pairs, match_many_json, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const GOLDEN: &str = include_str!("fixtures/attack/claims-facing.golden.tsv");

fn base_verified() -> Map<String, Value> {
    json!({"given_name": "Jose", "family_name": "Garcia", "birthdate": "1990-04-03"}).as_object().expect("obj").clone()
}

fn base_record() -> Map<String, Value> {
    json!({"login": "jose@example.com", "firstName": "Jose", "lastName": "Garcia", "birthdate": "1990-04-03",
        "streetAddress": "12 Main St", "city": "Springfield", "state": "IL", "zipCode": "62701", "countryCode": "US",
        "mobilePhone": "+1 217 555 0100", "email": "jose.garcia@example.com"})
    .as_object()
    .expect("obj")
    .clone()
}

/// The verified side's value of one claim: absent (`None`) or a JSON value.
fn verified_values(claim: &str) -> Vec<(&'static str, Option<Value>)> {
    let mut v =
        vec![("absent", None), ("null", Some(Value::Null)), ("empty", Some(json!(""))), ("number", Some(json!(5)))];
    match claim {
        "phone_number" => v.extend([
            ("same", Some(json!("+1 217 555 0100"))),
            ("other", Some(json!("+1 217 555 0199"))),
            ("placeholder", Some(json!("N/A"))),
        ]),
        "email" => v.extend([
            ("same", Some(json!("jose.garcia@example.com"))),
            ("other", Some(json!("jg@example.org"))),
            ("placeholder", Some(json!("none"))),
        ]),
        _ => v.extend([
            ("empty object", Some(json!({}))),
            ("country only", Some(json!({"country": "US"}))),
            ("other country only", Some(json!({"country": "CA"}))),
            ("postal code only", Some(json!({"postal_code": "62701"}))),
            ("street only", Some(json!({"street_address": "12 Main St"}))),
            ("locality only", Some(json!({"locality": "Springfield"}))),
            ("region only", Some(json!({"region": "IL"}))),
            ("formatted only", Some(json!({"formatted": "12 Main St\nSpringfield, IL 62701\nUS"}))),
            ("empty parts", Some(json!({"street_address": "", "postal_code": null, "country": ""}))),
            ("unknown key", Some(json!({"street": "12 Main St", "zip": "62701"}))),
            ("string", Some(json!("12 Main St, Springfield, IL 62701"))),
            (
                "full",
                Some(json!({"street_address": "12 Main St", "locality": "Springfield", "region": "IL",
                "postal_code": "62701", "country": "US"})),
            ),
        ]),
    }
    v
}

/// The record's hostile (or plain) values for one claim: (label, attribute, value; `None` removes it).
fn record_values(claim: &str) -> Vec<(String, &'static str, Option<Value>)> {
    let hostile = |s: &str| -> Vec<(String, String)> {
        let mut out = vec![("plain".to_string(), s.to_string())];
        out.push(("bidi".into(), format!("\u{202e}{s}")));
        out.push(("zero-width".into(), s.replacen(' ', "\u{200b} ", 1).replacen('.', "\u{200b}.", 1)));
        out.push((
            "fullwidth".into(),
            s.chars()
                .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0xff10).expect("fw") } else { c })
                .collect(),
        ));
        out.push((
            "arabic-indic".into(),
            s.chars()
                .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0x0660).expect("ai") } else { c })
                .collect(),
        ));
        out.push(("cyrillic".into(), s.replace('a', "\u{430}").replace('e', "\u{435}").replace('o', "\u{43e}")));
        out.push(("placeholder".into(), "N/A".into()));
        out.push(("blank".into(), "   ".into()));
        out
    };
    let attrs: Vec<(&'static str, &str)> = match claim {
        "phone_number" => vec![("mobilePhone", "+1 217 555 0100")],
        "email" => vec![("email", "jose.garcia@example.com")],
        _ => vec![
            ("streetAddress", "12 Main St"),
            ("city", "Springfield"),
            ("state", "IL"),
            ("zipCode", "62701"),
            ("countryCode", "US"),
        ],
    };
    let mut out = Vec::new();
    for (attr, value) in attrs {
        out.push((format!("{attr} removed"), attr, None));
        for (label, v) in hostile(value) {
            out.push((format!("{attr} {label}"), attr, Some(json!(v))));
        }
    }
    out
}

fn cases() -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    for claim in ["phone_number", "email", "address"] {
        for (vl, vv) in verified_values(claim) {
            for (rl, attr, rv) in record_values(claim) {
                let mut v = base_verified();
                if let Some(x) = &vv {
                    v.insert(claim.into(), x.clone());
                }
                let mut r = base_record();
                match &rv {
                    Some(x) => r.insert(attr.into(), x.clone()),
                    None => r.remove(attr),
                };
                out.push((format!("{claim}: verified {vl}, record {rl}"), Value::Object(v), Value::Object(r)));
            }
        }
    }
    out
}

/// FNV-1a, 64 bits, of the report's bytes.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

#[test]
fn a_record_read_facing_its_verified_side_reports_as_main() {
    let m = Matcher::new(Policy::default());
    let pinned: BTreeMap<&str, (&str, &str)> = GOLDEN
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, (f.next()?, f.next()?)))
        })
        .collect();
    let cases = cases();
    let (mut golden, mut bad) = (String::new(), Vec::new());
    let texts: Vec<String> =
        cases.iter().map(|(_, v, r)| json!({"verified": v, "directory": {"profile": r}}).to_string()).collect();
    let all = format!("[{}]", texts.join(","));
    let many: Vec<Value> = serde_json::from_str(&match_many_json(&m, &all).expect("reads")).expect("array");
    let codes = decide_many_json(&m, &all).expect("decides");
    let loaded = load_pairs(&m, &all).expect("loads");
    for (i, (name, v, r)) in cases.iter().enumerate() {
        let alone = match_many_json(&m, &format!("[{}]", texts[i])).expect("reads");
        let report = &alone[1..alone.len() - 1];
        let user =
            normalize_user(&json!({"id": "00u1", "profile": r}), &AttributeMapping::default()).expect("user").user;
        let one = serde_json::to_string(&m.decide(&VerifiedClaims::from_json(v), &user)).expect("serializes");
        let decision = many[i]["decision"].as_str().unwrap_or("?").to_string();
        if one != report {
            bad.push(format!("{name}: one call differs from match_many"));
        }
        if many[i] != serde_json::from_str::<Value>(report).expect("json") {
            bad.push(format!("{name}: in the batch differs from alone"));
        }
        let prepared = serde_json::to_string(&m.match_prepared(&loaded[i].0, &loaded[i].1)).expect("serializes");
        if prepared != report {
            bad.push(format!("{name}: load_pairs + match_prepared differs"));
        }
        let code = m.decide_prepared(&loaded[i].0, &loaded[i].1).code();
        if code != codes[i]
            || serde_json::to_value(m.decide(&VerifiedClaims::from_json(v), &user).decision).expect("ser")
                != json!(decision)
        {
            bad.push(format!("{name}: decisions differ between paths"));
        }
        let hash = format!("{:016x}", fnv(report));
        writeln!(golden, "{name}\t{decision}\t{hash}").expect("writes");
        match pinned.get(name.as_str()) {
            Some((d, h)) if *d == decision && *h == hash => {}
            Some((d, _)) if *d != decision => bad.push(format!("{name}: {decision} (main {d})")),
            Some(_) => bad.push(format!("{name}: report bytes differ from main's ({decision})")),
            None => bad.push(format!("{name}: not pinned")),
        }
    }
    if std::env::var_os("ATTACK_BLESS").is_some() {
        std::fs::write("tests/fixtures/attack/claims-facing.golden.tsv", &golden).expect("writes");
        return;
    }
    assert_eq!(pinned.len(), cases.len(), "case names are unique");
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        cases.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}
