//! The users page path (borrowed JSON, kept keys only) against the reference: the whole page parsed into
//! `serde_json::Value` and each item normalized by the public `normalize_user`. Generated pages, own
//! deterministic generator; results compared through `Debug` so that `-0.0` and `0.0` differ too.

use std::sync::LazyLock;

use serde_json::Value;

use super::{parse_users, NOT_AN_ARRAY};
use crate::error::{Error, Result};
use crate::profile::{
    normalize_user, AttributeMapping, CanonicalField, IssueCode, NormalizedUser, FIELDS, OKTA_BASE_ATTRIBUTES,
};

/// The page path as it was before the borrowed parser: `Value` per item, then `normalize_user`.
fn reference(body: &str, mapping: &AttributeMapping) -> Result<Vec<NormalizedUser>> {
    let not_user = Error::MalformedResponse { what: "a users page item is not a user object" };
    let items = match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(items)) => items,
        Ok(_) => return Err(NOT_AN_ARRAY),
        Err(_) => return Err(Error::MalformedResponse { what: "a list page is not valid JSON" }),
    };
    items
        .iter()
        .map(|item| {
            if !item.get("profile").is_some_and(Value::is_object) {
                return Err(not_user.clone());
            }
            let user = normalize_user(item, mapping).map_err(|_| not_user.clone())?;
            match user.user.id {
                Some(_) => Ok(user),
                None => Err(Error::MalformedResponse { what: "a users page item has no valid id" }),
            }
        })
        .collect()
}

/// A 64-bit LCG (MMIX constants), high bits out: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// One of `items`.
fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len())]
}

/// JSON string literals, as written in a body (escapes included).
const STRINGS: &[&str] = &[
    r#""Ana""#,
    r#"" Ana  Maria ""#,
    r#""Jos\u00e9""#,
    r#""José""#,
    r#""Jose\u0301""#,
    r#""Mu\u0308ller""#,
    r#""\u212b""#,
    r#""\u1100\u1161\u11a8""#,
    r#""O\"Brien""#,
    r#""back\\slash\/""#,
    r#""\ud83d\ude00 smile""#,
    r#""😀 raw""#,
    r#""\u3000Mei\u00a0Lin\u2003""#,
    r#""line1\nline2\r\n  line3 ""#,
    r#""tab\there""#,
    r#""nul\u0000byte""#,
    r#""esc\u001b[31m""#,
    r#""c1\u0085""#,
    r#""del\u007f""#,
    r#""zw\u200bj""#,
    r#""\u202eecilA""#,
    r#""""#,
    r#""   ""#,
    r#""\n\r\t""#,
    r#""user@example.com""#,
    r#"" USER@Example.COM ""#,
    r#""bad@@example""#,
    r#""a@b..c""#,
    r#""1965-05-05""#,
    r#""05/06/1970""#,
    r#""13/13/2000""#,
    r#""2024-02-30""#,
    r#""1999-12-31T00:00:00Z""#,
    r#""us""#,
    r#""DE""#,
    r#""Deutschland""#,
    r#""0042""#,
    r#""ACTIVE""#,
    r#""PASSWORD_EXPIRED""#,
    r#""SUSPENDED""#,
    r#""weird""#,
    r#""2022-01-03T04:27:55.000Z""#,
    r#""2022-01-03T04:27:55Z""#,
    r#""2022-01-03 04:27""#,
    r#""00uAb0g4x""#,
    r#""00u_dash-ok""#,
    r#""bad id!""#,
    r#""Ünïcödé ñame""#,
    r#""한국어""#,
    r#""Å""#,
    r#""Ⅻ ﬁ""#,
];

const NUMBERS: &[&str] = &[
    "0",
    "12",
    "-7",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "3.14",
    "-0.0",
    "0.0",
    "1.5e10",
    "2E-3",
    "1e308",
    "-1e-320",
    "0.1",
    "42",
];

/// Profile keys besides Okta's base attributes and the default mapping's sources (as written): nested
/// sources, custom ones, escaped (`\u00e9` repeats `é`), with controls, empty.
const OTHER_KEYS: &[&str] = &[
    "names",
    "dates",
    "emp",
    "LegalFirstName",
    "costCenterCode",
    "a",
    "b",
    "Z",
    "é",
    r"\u00e9",
    r"fir\u0073tName",
    "tags",
    r"k\u0000ey",
    r"new\nline",
    "",
    "zz",
];

/// Every profile key the generator writes.
static KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let sources = FIELDS.iter().flat_map(|spec| spec.defaults.iter().copied());
    OKTA_BASE_ATTRIBUTES.iter().copied().chain(sources).chain(OTHER_KEYS.iter().copied()).collect()
});

/// A value for a profile key: mostly strings, then numbers, booleans, nulls, arrays, objects.
fn value(rng: &mut Rng, depth: usize) -> String {
    match rng.below(20) {
        0..=9 => string(rng),
        10..=12 => pick(rng, NUMBERS).to_string(),
        13 => ["true", "false"][rng.below(2)].to_string(),
        14 | 15 => "null".to_string(),
        16 | 17 => {
            let n = if rng.chance(5) { 250 + rng.below(20) } else { rng.below(5) };
            let items: Vec<String> =
                (0..n).map(|_| if depth < 2 && rng.chance(10) { value(rng, depth + 1) } else { scalar(rng) }).collect();
            format!("[{}]", items.join(","))
        }
        _ if depth < 3 => object(rng, depth + 1, 4),
        _ => string(rng),
    }
}

fn scalar(rng: &mut Rng) -> String {
    match rng.below(6) {
        0..=2 => string(rng),
        3 => pick(rng, NUMBERS).to_string(),
        4 => "true".to_string(),
        _ => "null".to_string(),
    }
}

/// A string literal: from the pool, or a long one around the length limits.
fn string(rng: &mut Rng) -> String {
    if !rng.chance(8) {
        return pick(rng, STRINGS).to_string();
    }
    let n = [49, 50, 64, 65, 100, 101, 256, 257, 1024, 1025, 4096, 4097, 6000][rng.below(13)];
    let unit = ["x", "é", r"\u00e9", "e\u{301}", " ", "한"][rng.below(6)];
    format!("\"{}\"", unit.repeat(n))
}

fn object(rng: &mut Rng, depth: usize, max_keys: usize) -> String {
    let n = rng.below(max_keys + 1);
    let entries: Vec<String> = (0..n)
        .map(|_| {
            let key =
                if rng.chance(50) { pick(rng, &["first", "last", "iso", "birth", "num"]) } else { pick(rng, &KEYS) };
            format!("\"{key}\":{}", value(rng, depth))
        })
        .collect();
    format!("{{{}}}", entries.join(","))
}

/// A profile object: keys from the pool (so some repeat), sometimes nested sources, sometimes hundreds
/// of custom attributes or over-long keys.
fn profile(rng: &mut Rng) -> String {
    let mut entries: Vec<String> =
        (0..rng.below(24)).map(|_| format!("\"{}\":{}", pick(rng, &KEYS), value(rng, 0))).collect();
    if rng.chance(30) {
        entries.push(format!(r#""names":{{"first":{},"last":{}}}"#, string(rng), value(rng, 2)));
    }
    if rng.chance(20) {
        entries.push(format!(r#""dates":{{"birth":{{"iso":{}}}}}"#, string(rng)));
    }
    if rng.chance(10) {
        entries.push(format!(r#""emp":{{"num":{}}}"#, pick(rng, NUMBERS)));
    }
    if rng.chance(8) {
        // Around MAX_CUSTOM_ATTRIBUTES usable ones (a number is always usable, a scalar may not be).
        let extra = 250 + rng.below(60);
        entries.extend((0..extra).map(|i| {
            let v = if rng.chance(85) { i.to_string() } else { scalar(rng) };
            format!("\"c{i:03}\":{v}")
        }));
    }
    if rng.chance(8) {
        let len = [127, 128, 129, 200][rng.below(4)];
        entries.push(format!("\"{}\":\"v\"", "k".repeat(len)));
    }
    // Shuffle so that order in the text never matches key order by construction.
    for i in (1..entries.len()).rev() {
        entries.swap(i, rng.below(i + 1));
    }
    format!("{{{}}}", entries.join(","))
}

/// One page item: usually a user object with Okta's top-level noise, sometimes something that is not.
fn item(rng: &mut Rng, valid: bool) -> String {
    if !valid && rng.chance(15) {
        return ["3", "\"user\"", "null", "[]", "{}", r#"{"id":"00u1"}"#, r#"{"profile":[]}"#][rng.below(7)]
            .to_string();
    }
    let mut entries = Vec::new();
    let id = if valid || rng.chance(80) {
        format!("\"00u{}\"", rng.below(1 << 30))
    } else {
        ["\"bad id!\"", "7", "null", "\"\"", "{\"x\":1}"][rng.below(5)].to_string()
    };
    if valid || !rng.chance(5) {
        entries.push(format!("\"id\":{id}"));
    }
    if rng.chance(70) {
        entries
            .push(format!("\"status\":{}", if rng.chance(70) { pick(rng, STRINGS).to_string() } else { scalar(rng) }));
    }
    if rng.chance(70) {
        let stamp = if rng.chance(70) { "\"2022-01-03T04:27:55.000Z\"".to_string() } else { scalar(rng) };
        entries.push(format!("\"lastUpdated\":{stamp}"));
    }
    entries.push(
        r#""created":"2021-12-09T04:27:55.000Z","type":{"id":"oty1"},"credentials":{"provider":{"type":"OKTA"}}"#
            .into(),
    );
    entries.push(r#""_links":{"self":{"href":"https://acme.okta.com/api/v1/users/x"}},"activated":null"#.into());
    if !valid && rng.chance(5) {
        entries.push(format!("\"profile\":{}", scalar(rng)));
    }
    entries.push(format!("\"profile\":{}", profile(rng)));
    if rng.chance(5) {
        // A repeated key: the last one counts.
        let again =
            if valid { format!("\"id\":\"00u{}\"", rng.below(1000)) } else { format!("\"profile\":{}", value(rng, 0)) };
        entries.push(again);
    }
    for i in (1..entries.len()).rev() {
        entries.swap(i, rng.below(i + 1));
    }
    format!("{{{}}}", entries.join(","))
}

fn mappings() -> Vec<AttributeMapping> {
    let nested = serde_json::json!({
        "givenName": ["profile.names.first", "LegalFirstName", "firstName"],
        "familyName": ["names.last", "lastName"],
        "birthdate": ["dates.birth.iso", "birthdate", "dob"],
        "employeeNumber": ["emp.num", "employeeNumber"],
        "country": ["countryCode", "a"],
        "nickname": [],
        "birthdateOrder": "dmy",
    });
    vec![AttributeMapping::default(), AttributeMapping::from_json(&nested).expect("mapping")]
}

#[test]
fn users_pages_match_the_value_path() {
    let mappings = mappings();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut ok_users, mut errors, mut overflow, mut nested) = (0, 0, 0, 0);
    for round in 0..1500 {
        let valid = round % 3 != 0;
        let n = if round % 10 == 0 { 1 + rng.below(30) } else { 1 };
        let items: Vec<String> = (0..n).map(|_| item(&mut rng, valid)).collect();
        let body = format!("[{}]", items.join(","));
        for mapping in &mappings {
            let want = reference(&body, mapping);
            let got = parse_users(&body, mapping);
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "body: {body}");
            match &got {
                Ok(users) => {
                    ok_users += users.len();
                    let issues = users.iter().flat_map(|u| &u.issues);
                    overflow += issues.filter(|i| i.code == IssueCode::TooManyAttributes).count();
                    nested += users
                        .iter()
                        .filter(|u| {
                            u.sources.values().any(|s| {
                                s.starts_with("profile.names.")
                                    || s.starts_with("profile.dates.")
                                    || s.starts_with("profile.emp.")
                            })
                        })
                        .count();
                }
                Err(_) => errors += 1,
            }
        }
    }
    // The generator reaches what the comparison is about.
    assert!(ok_users > 1500, "{ok_users} users normalized");
    assert!(errors > 200, "{errors} pages rejected");
    assert!(overflow > 10, "{overflow} custom attribute overflows");
    assert!(nested > 50, "{nested} users with a nested source");
}

#[test]
fn whole_page_errors_match_the_value_path() {
    let mapping = AttributeMapping::default();
    let user = r#"{"id":"00u1","profile":{"firstName":"Ana"}}"#;
    let bodies = [
        String::new(),
        "{}".to_string(),
        "\"x\"".to_string(),
        "[".to_string(),
        format!("[{user},]"),
        format!("[{user}] x"),
        format!("[{user},{{\"id\":\"00u2\",\"profile\":{{\"n\":1e400}}}}]"),
        format!("[{user},{{\"id\":\"00u2\",\"profile\":{{\"n\":\"\\ud800\"}}}}]"),
        format!("[{user},{{\"id\":\"00u2\",\"profile\":{{\"firstName\":\"Bo\",}}}}]"),
        format!("[{user},{user}]"),
        "[]".to_string(),
    ];
    for body in &bodies {
        let got = parse_users(body, &mapping);
        assert_eq!(format!("{got:?}"), format!("{:?}", reference(body, &mapping)), "{body}");
    }
    let nested =
        parse_users(&format!("[{user},{{\"id\":\"00u2\",\"profile\":{{\"names\":{{\"first\":\"Bo\"}}}}}}]"), &mapping)
            .expect("valid page");
    assert_eq!(nested.len(), 2);
    assert_eq!(nested[0].user.name.given.as_deref(), Some("Ana"));
    assert!(nested[1].issues.iter().any(|i| i.field == CanonicalField::GivenName && i.code == IssueCode::Missing));
}
