//! `directory_user_from_json` (the claims-only module's reader for `matchUser`) must accept
//! exactly what serde's derived `DirectoryUser::deserialize` accepts from a JSON tree, and read it
//! to the same user. Compared on every user the normalizer writes for the profile fixtures and on
//! generated trees: each field absent, `null`, of its type or of another, structs as objects or as
//! arrays of any length, statuses in every spelling serde takes, custom values of every kind.

use okta_directory::profile::{
    directory_user_from_json, directory_user_from_json_text, normalize_user, AttributeMapping, DirectoryUser,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// A struct field's name and how to make a value for it.
type Field = (&'static str, fn(&mut Rng) -> Value);

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A value of some other type than the field wants (or, now and then, the right one).
fn any(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 1 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.pick(&[true, false])),
        2 => json!(*rng.pick(&[0.0, -0.0, 1.5, 1e300, 5e-324, -17.0])),
        3 => json!(*rng.pick(&[0u64, 7, u64::MAX, 1 << 53])),
        4 => json!(-(rng.below(1000) as i64) - 1),
        5 => json!(*rng.pick(&["", "x", "ACTIVE", "Zoë", "a\u{200b}b"])),
        6 => Value::Array((0..rng.below(4)).map(|_| any(rng, depth + 1)).collect()),
        _ => Value::Object((0..rng.below(3)).map(|i| (format!("k{i}"), any(rng, depth + 1))).collect()),
    }
}

fn text(rng: &mut Rng) -> Value {
    match rng.below(16) {
        0..=13 => json!(*rng.pick(&["Ana", "", "00u1", "1990-04-03", "+1 512 555 0100"])),
        14 => Value::Null,
        _ => any(rng, 0),
    }
}

fn status(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0..=6 => json!(*rng.pick(&["ACTIVE", "LOCKED_OUT", "DEPROVISIONED", "STAGED", "PASSWORD_EXPIRED"])),
        7 => json!(*rng.pick(&["active", "Active", "NOPE", ""])),
        8 => json!({ *rng.pick(&["ACTIVE", "SUSPENDED", "nope"]): Value::Null }),
        9 => json!({ "ACTIVE": any(rng, 1) }),
        10 => rng.pick(&[json!({}), json!({"ACTIVE": null, "STAGED": null}), json!(["ACTIVE"])]).clone(),
        _ => any(rng, 0),
    }
}

/// A struct with these fields (and reader for each), as an object (with stray keys) or an array.
fn record(rng: &mut Rng, fields: &[Field]) -> Value {
    if rng.below(5) == 0 {
        let len = rng.below(fields.len() + 3);
        return Value::Array(
            (0..len)
                .map(|i| match fields.get(i) {
                    Some((_, make)) => make(rng),
                    None => any(rng, 1),
                })
                .collect(),
        );
    }
    let mut map = Map::new();
    for (name, make) in fields {
        if rng.below(4) != 0 {
            map.insert((*name).to_owned(), make(rng));
        }
    }
    if rng.below(4) == 0 {
        map.insert(rng.pick(&["extra", "Name", "given_name", "profile"]).to_string(), any(rng, 1));
    }
    Value::Object(map)
}

fn maybe_record(rng: &mut Rng, fields: &[Field]) -> Value {
    if rng.below(16) == 0 {
        any(rng, 0)
    } else {
        record(rng, fields)
    }
}

fn name(rng: &mut Rng) -> Value {
    let fields: [Field; 7] = [
        ("given", text),
        ("middle", text),
        ("family", text),
        ("honorificPrefix", text),
        ("honorificSuffix", text),
        ("nickname", text),
        ("display", text),
    ];
    maybe_record(rng, &fields)
}

fn address(rng: &mut Rng) -> Value {
    let fields: [Field; 5] =
        [("streetAddress", text), ("locality", text), ("region", text), ("postalCode", text), ("country", text)];
    maybe_record(rng, &fields)
}

fn phones(rng: &mut Rng) -> Value {
    let fields: [Field; 2] = [("mobile", text), ("primary", text)];
    maybe_record(rng, &fields)
}

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(4) {
        0 => json!(*rng.pick(&["blue", "", "X1"])),
        1 => json!(*rng.pick(&[3.0, -0.0, 0.1, 1e21])),
        2 => json!(*rng.pick(&[u64::MAX, 9_007_199_254_740_993])),
        _ => json!(rng.pick(&[true, false])),
    }
}

fn custom(rng: &mut Rng) -> Value {
    if rng.below(16) == 0 {
        return any(rng, 0);
    }
    let mut map = Map::new();
    for i in 0..rng.below(4) {
        let value = match rng.below(24) {
            0..=14 => scalar(rng),
            15..=21 => Value::Array((0..rng.below(4)).map(|_| scalar(rng)).collect()),
            22 => Value::Array(vec![scalar(rng), any(rng, 1)]),
            _ => any(rng, 1),
        };
        map.insert(format!("attr{i}"), value);
    }
    Value::Object(map)
}

fn user(rng: &mut Rng) -> Value {
    let fields: [Field; 12] = [
        ("id", text),
        ("status", status),
        ("login", text),
        ("email", text),
        ("secondEmail", text),
        ("name", name),
        ("birthdate", text),
        ("address", address),
        ("phones", phones),
        ("employeeNumber", text),
        ("custom", custom),
        ("lastUpdated", text),
    ];
    if rng.below(20) == 0 {
        return any(rng, 0);
    }
    record(rng, &fields)
}

fn serde_reads(value: &Value) -> Option<DirectoryUser> {
    DirectoryUser::deserialize(value.clone()).ok()
}

#[test]
fn reads_what_serde_reads_on_generated_trees() {
    let mut rng = Rng(16);
    let (mut accepted, mut rejected, mut arrays) = (0, 0, 0);
    for _ in 0..200_000 {
        let value = user(&mut rng);
        let want = serde_reads(&value);
        let got = directory_user_from_json(&value).ok();
        assert_eq!(got, want, "{value}");
        match want {
            Some(_) if value.is_array() => arrays += 1,
            Some(_) => accepted += 1,
            None => rejected += 1,
        }
    }
    // Both sides of the comparison are exercised, not one constant answer.
    assert!(accepted > 20_000 && rejected > 20_000 && arrays > 500, "{accepted} {rejected} {arrays}");
}

#[test]
fn reads_every_normalized_fixture_user_back() {
    let profiles = [
        json!({"id": "00u1", "status": "LOCKED_OUT", "lastUpdated": "2024-05-05T18:15:44.000Z",
               "profile": {"login": "ana@example.com", "firstName": "Ana", "lastName": "Núñez", "dob": "1990-04-03",
                           "zipCode": "62701", "countryCode": "us", "costCenter": "X1", "clearance": 3,
                           "tags": ["a", 1.5, true], "mobilePhone": "+1 512 555 0100", "nickName": "Annie",
                           "honorificPrefix": "Dr.", "streetAddress": "1 Main St", "secondEmail": "a@b.c",
                           "employeeNumber": 4711, "big": 123_456_789_012_345_678_u64, "neg": -0.0}}),
        json!({"firstName": "李", "lastName": "Анна"}),
        json!({}),
    ];
    for profile in profiles {
        let user = normalize_user(&profile, &AttributeMapping::default()).expect("normalizes").user;
        let value = serde_json::to_value(&user).expect("serializes");
        assert_eq!(directory_user_from_json(&value).ok(), Some(user.clone()));
        assert_eq!(directory_user_from_json_text(&value.to_string()).ok(), Some(user));
    }
}

#[test]
fn text_that_is_not_a_user_is_invalid_profile_at_the_root() {
    for text in ["{", "[]", "3", r#"{"name": {}}"#, r#"{"custom": {}, "name": {"given": 1}}"#] {
        let err = directory_user_from_json_text(text).expect_err(text);
        assert_eq!(err.code(), "INVALID_PROFILE");
        assert_eq!(err.to_string(), directory_user_from_json(&json!(null)).expect_err("null").to_string());
    }
    assert!(directory_user_from_json_text(r#"{"name": {}, "custom": {}}"#).is_ok());
}
