//! Attacker (2026-12-07, session 7): the decision-only paths against the report under many policies. A
//! decide path that stops early (a settled `no_match`, a cheap claim first) or skips a comparison must
//! decide exactly as the full report does whatever the policy says a mismatch or a missing value does
//! (`fail`, `review`, `flag`/`skip`), which claims are required or exact, the thresholds, the operating
//! point and an Okta claims request merged over it. Self-checking (no golden file): for generated pairs
//! in which every claim agrees, is folded, a typo, differs, is spoofed, unreadable or missing on either
//! side, `Matcher::decide` (the report), `decide_only`, `decide_many_json`, `match_many_json`,
//! `load_pairs` + `decide_prepared` (twice, in two orders) and `match_prepared` give one decision.

use okta_directory::claims::{
    decide_many_json, load_pairs, match_many_json, parse_okta_claims, Matcher, Policy, VerifiedClaims,
};
use okta_directory::profile::normalize_user;
use serde_json::{json, Map, Value};

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[(self.next() % list.len() as u64) as usize]
    }
}

/// Per claim: (verified value, directory value) spellings; `None` is a missing value.
type Spellings = &'static [(Option<&'static str>, Option<&'static str>)];

const GIVEN: Spellings = &[
    (Some("Jose"), Some("Jose")),
    (Some("JOSE"), Some("José")),
    (Some("Jsoe"), Some("Jose")),
    (Some("Pepe"), Some("Jose")),
    (Some("J."), Some("Jose")),
    (Some("Maria"), Some("Jose")),
    (Some("\u{408}ose"), Some("Jose")),
    (Some("Jose\u{200B}"), Some("Jose")),
    (Some("J0se"), Some("Jose")),
    (None, Some("Jose")),
    (Some("Jose"), None),
    (Some(""), Some("Jose")),
];
const FAMILY: Spellings = &[
    (Some("Garcia"), Some("Garcia")),
    (Some("GARCÍA"), Some("Garcia")),
    (Some("Garcla"), Some("Garcia")),
    (Some("Garcia Lopez"), Some("Garcia")),
    (Some("Lopez"), Some("Garcia")),
    (Some("G\u{430}rcia"), Some("Garcia")),
    (None, Some("Garcia")),
    (Some("Garcia"), None),
];
const MIDDLE: Spellings = &[
    (Some("Luis"), Some("Luis")),
    (Some("L."), Some("Luis")),
    (Some("Luiz"), Some("Luis")),
    (None, Some("Luis")),
    (Some("Luis"), None),
    (None, None),
];
const BIRTHDATE: Spellings = &[
    (Some("1990-04-03"), Some("1990-04-03")),
    (Some("1990-03-04"), Some("1990-04-03")),
    (Some("1991-04-03"), Some("1990-04-03")),
    (Some("not a date"), Some("1990-04-03")),
    (Some("1990-04"), Some("1990-04-03")),
    (None, Some("1990-04-03")),
    (Some("1990-04-03"), None),
];
const STREET: Spellings = &[
    (Some("12 Main St"), Some("12 Main Street")),
    (Some("12 Main St Apt 4"), Some("12 Main St")),
    (Some("21 Main St"), Some("12 Main St")),
    (None, Some("12 Main St")),
    (Some("12 Main St"), None),
];
const POSTAL: Spellings = &[
    (Some("62701"), Some("62701-1234")),
    (Some("62702"), Some("62701")),
    (None, Some("62701")),
    (Some("62701"), None),
];
const PHONE: Spellings = &[
    (Some("+1 217 555 0100"), Some("(217) 555-0100")),
    (Some("+1 217 555 0101"), Some("+1 217 555 0100")),
    (Some("call me"), Some("+1 217 555 0100")),
    (None, Some("+1 217 555 0100")),
    (Some("+1 217 555 0100"), None),
];
const EMAIL: Spellings = &[
    (Some("jose@example.com"), Some("Jose@Example.com")),
    (Some("jose@example.org"), Some("jose@example.com")),
    (Some("jose"), Some("jose@example.com")),
    (None, Some("jose@example.com")),
    (Some("jose@example.com"), None),
];

fn pair(rng: &mut Rng) -> (Value, Value) {
    let mut v = Map::new();
    let mut d = Map::new();
    let mut address = Map::new();
    let put =
        |rng: &mut Rng, list: Spellings, vk: &str, dk: &str, v: &mut Map<String, Value>, d: &mut Map<String, Value>| {
            let (a, b) = rng.pick(list);
            if let Some(a) = a {
                v.insert(vk.into(), json!(a));
            }
            if let Some(b) = b {
                d.insert(dk.into(), json!(b));
            }
        };
    put(rng, GIVEN, "given_name", "firstName", &mut v, &mut d);
    put(rng, FAMILY, "family_name", "lastName", &mut v, &mut d);
    put(rng, MIDDLE, "middle_name", "middleName", &mut v, &mut d);
    put(rng, BIRTHDATE, "birthdate", "birthdate", &mut v, &mut d);
    put(rng, STREET, "street_address", "streetAddress", &mut address, &mut d);
    put(rng, POSTAL, "postal_code", "zipCode", &mut address, &mut d);
    put(rng, PHONE, "phone_number", "mobilePhone", &mut v, &mut d);
    put(rng, EMAIL, "email", "email", &mut v, &mut d);
    if !address.is_empty() {
        address.insert("country".into(), json!("US"));
        v.insert("address".into(), Value::Object(address));
    }
    d.insert("countryCode".into(), json!("US"));
    (Value::Object(v), Value::Object(d))
}

const KINDS: [&str; 7] = ["given_name", "middle_name", "family_name", "birthdate", "address", "phone_number", "email"];

/// A policy naming some claims with random options (documents the engine refuses are skipped).
fn policy(rng: &mut Rng) -> Value {
    let mut claims = Map::new();
    for kind in KINDS {
        if rng.next() % 4 == 0 {
            continue;
        }
        let mut rule = Map::new();
        for (key, choices) in [
            ("mode", &["exact", "fuzzy"][..]),
            ("on_mismatch", &["fail", "review", "flag"][..]),
            ("on_missing_directory", &["fail", "review", "skip"][..]),
            ("on_missing_verified", &["fail", "review", "skip"][..]),
        ] {
            if rng.next() % 2 == 0 {
                rule.insert(key.into(), json!(rng.pick(choices)));
            }
        }
        if rng.next() % 3 == 0 {
            rule.insert("required".into(), json!(rng.next() % 2 == 0));
        }
        if rng.next() % 4 == 0 {
            rule.insert("threshold".into(), json!([0.0, 0.5, 0.8, 0.95, 1.0][(rng.next() % 5) as usize]));
        }
        claims.insert(kind.into(), Value::Object(rule));
    }
    json!({"claims": claims, "decision": {"operating_point": rng.pick(&["strict", "balanced", "lenient"])}})
}

fn matchers() -> Vec<(String, Matcher)> {
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut out = vec![("default".to_string(), Matcher::new(Policy::default()))];
    let okta = [
        json!({"id_token": {"verified_claims": {"verification": {"trust_framework": {"value": "IDV-DELEGATED"}},
            "claims": {"given_name": {"fuzzy": true}, "family_name": {"essential": true}, "birthdate": {"essential": true}}}}}),
        json!({"userinfo": {"verified_claims": {"verification": {"trust_framework": {"value": "IDV-DELEGATED"}},
            "claims": {"given_name": {"essential": true}, "family_name": {"essential": true, "fuzzy": false},
                "birthdate": {"essential": true}, "address": {"essential": true}, "email": {"fuzzy": true}}}}}),
    ];
    for request in &okta {
        match parse_okta_claims(request) {
            Ok(r) => out.push((format!("okta {request}"), Matcher::with_okta(&Policy::default(), &r))),
            Err(e) => panic!("{request}: {e}"),
        }
    }
    assert_eq!(out.len(), 1 + okta.len(), "every Okta request reads");
    // A vendor answering Okta's own PAR: the request's values (several per claim) stand in for the record's.
    let supplied = [
        json!({"id_token": {"verified_claims": {"verification": {"trust_framework": {"value": "IDV-DELEGATED"}},
            "claims": {"given_name": {"values": ["Maria", "Jose"]}, "family_name": {"value": "Garcia", "fuzzy": true},
                "birthdate": {"values": ["1991-04-03", "1990-04-03"]}, "phone_number": {"values": ["+1 217 555 0199", "+1 217 555 0100"]},
                "email": {"values": ["x@example.org", "jose@example.com"]}}}}}),
        json!({"id_token": {"verified_claims": {"verification": {"trust_framework": {"value": "IDV-DELEGATED"}},
            "claims": {"given_name": {"values": ["Jose", "Pepe", "J."]}, "family_name": {"values": ["Lopez", "Garcia"]},
                "middle_name": {"values": ["Luis", "L."]}, "birthdate": {"value": "1990-04-03"}}}}}),
    ];
    for request in &supplied {
        match parse_okta_claims(request) {
            Ok(r) => out.push((format!("okta values {request}"), Matcher::with_okta_values(&Policy::default(), &r))),
            Err(e) => panic!("{request}: {e}"),
        }
    }
    while out.len() < 60 {
        let doc = policy(&mut rng);
        if let Ok(p) = Policy::from_json(&doc) {
            out.push((doc.to_string(), Matcher::new(p)));
        }
    }
    out
}

#[test]
fn every_decision_only_path_decides_as_the_report_under_many_policies() {
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    let pairs: Vec<(Value, Value)> = (0..600).map(|_| pair(&mut rng)).collect();
    let array = format!(
        "[{}]",
        pairs.iter().map(|(v, d)| json!({"verified": v, "directory": d}).to_string()).collect::<Vec<_>>().join(",")
    );
    let mut bad = Vec::new();
    let mut decided = [0usize; 3];
    for (name, m) in matchers() {
        let mapping = m.policy().attribute_mapping();
        let reports: Vec<u8> = pairs
            .iter()
            .map(|(v, d)| {
                let user = normalize_user(d, &mapping).expect("a valid record").user;
                let verified = VerifiedClaims::from_json(v);
                let full = m.decide(&verified, &user).decision.code();
                if m.decide_only(&verified, &user).code() != full {
                    bad.push(format!("{name}: decide_only vs report on {v} / {d}"));
                }
                full
            })
            .collect();
        for r in &reports {
            decided[*r as usize] += 1;
        }
        let many: Vec<Value> = serde_json::from_str(&match_many_json(&m, &array).expect("reads")).expect("json");
        let codes = decide_many_json(&m, &array).expect("reads");
        let loaded = load_pairs(&m, &array).expect("loads");
        let order: Vec<usize> = (0..pairs.len()).rev().chain(0..pairs.len()).collect();
        for i in order {
            let (pv, pd) = &loaded[i];
            let want = reports[i];
            let report = m.match_prepared(pv, pd).decision.code();
            let got = [
                (
                    "match_many",
                    serde_json::from_value::<okta_directory::claims::Decision>(many[i]["decision"].clone())
                        .expect("decision")
                        .code(),
                ),
                ("decide_many", codes[i]),
                ("decide_prepared", m.decide_prepared(pv, pd).code()),
                ("match_prepared", report),
            ];
            for (path, code) in got {
                if code != want {
                    bad.push(format!("{name}: {path} {code} vs report {want} on {} / {}", pairs[i].0, pairs[i].1));
                }
            }
        }
    }
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
    // The generated pairs reach every decision.
    eprintln!("decisions (match, no_match, review) over 60 policies: {decided:?}");
    assert!(decided.iter().all(|&n| n > 500), "{decided:?}");
}
