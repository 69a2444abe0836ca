//! Attacker (2026-12-07, session 10) — a finding on main (8f21f6a): twin sisters María José and María Luisa
//! García (same family name, birthdate and address; a compound given name whose first part is shared, common
//! in Spanish- and Portuguese-speaking families: María José / María Luisa, Juan Carlos / Juan Pablo, and in
//! English ones: Mary Kate / Mary Ann, John Paul / John Luke). Whether the second part is in the given-name
//! field or in the middle-name field differs between an ID and an HR system. When the two sides split it
//! differently, the second parts are never compared: María José's own ID (`given_name` "MARIA JOSE") matches
//! María Luisa's record (firstName "Maria", middleName "Luisa") as TOKEN_SUBSET, and an ID with `given_name`
//! "MARIA", `middle_name` "JOSE" matches the record firstName "Maria Luisa" — a twin takes over her sister's
//! account. Split alike on both sides, the same twins are refused (the middle names differ, or the given names
//! do). The ignored test fails on main; the other one (passes on main) pins the genuine shapes the fix must
//! keep: one person's second given name in the other field, or missing from one side.

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::{json, Value};

/// (first part, one twin's second part, the other twin's second part).
const TWINS: [(&str, &str, &str); 8] = [
    ("Maria", "Jose", "Luisa"),
    ("Maria", "Fernanda", "Camila"),
    ("Juan", "Carlos", "Pablo"),
    ("Jose", "Luis", "Antonio"),
    ("Mary", "Kate", "Ann"),
    ("John", "Paul", "Luke"),
    ("Anna", "Sofia", "Maria"),
    ("Ana", "Clara", "Julia"),
];

/// How one side carries a compound given name: all in the given-name field, or split into given and middle.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Compound,
    Split,
}

fn id(first: &str, second: Option<&str>, shape: Shape) -> Value {
    let mut v = json!({"family_name": "Garcia", "birthdate": "1988-06-14",
        "address": {"street_address": "12 Main St", "locality": "Austin", "region": "TX", "postal_code": "78701", "country": "US"}});
    match (shape, second) {
        (Shape::Compound, Some(s)) => v["given_name"] = json!(format!("{} {}", first, s).to_uppercase()),
        (Shape::Split, Some(s)) => {
            v["given_name"] = json!(first.to_uppercase());
            v["middle_name"] = json!(s.to_uppercase());
        }
        (_, None) => v["given_name"] = json!(first.to_uppercase()),
    }
    v
}

fn record(first: &str, second: Option<&str>, shape: Shape) -> Value {
    let mut p = json!({"login": "twin@example.com", "lastName": "Garcia", "birthdate": "1988-06-14",
        "streetAddress": "12 Main St", "city": "Austin", "state": "TX", "zipCode": "78701", "countryCode": "US"});
    match (shape, second) {
        (Shape::Compound, Some(s)) => p["firstName"] = json!(format!("{first} {s}")),
        (Shape::Split, Some(s)) => {
            p["firstName"] = json!(first);
            p["middleName"] = json!(s);
        }
        (_, None) => p["firstName"] = json!(first),
    }
    json!({"id": "00utwin", "profile": p})
}

fn decide(v: &Value, r: &Value) -> Decision {
    let user = normalize_user(r, &AttributeMapping::default()).expect("a valid user").user;
    Matcher::new(Policy::default()).decide(&VerifiedClaims::from_json(v), &user).decision
}

#[test]
#[ignore = "finding (session 10): a compound given name split differently on the ID and the record lets a twin match her sister (María José ~ María Luisa); run with --ignored"]
fn a_twin_never_matches_her_sister_whose_second_given_name_is_in_the_other_field() {
    let mut breaches = Vec::new();
    let mut tried = 0;
    for (first, a, b) in TWINS {
        for (mine, theirs) in [(a, b), (b, a)] {
            for (vs, rs) in [
                (Shape::Compound, Shape::Split),
                (Shape::Split, Shape::Compound),
                (Shape::Compound, Shape::Compound),
                (Shape::Split, Shape::Split),
            ] {
                tried += 1;
                let d = decide(&id(first, Some(mine), vs), &record(first, Some(theirs), rs));
                if d == Decision::Match {
                    breaches.push(format!("{first} {mine} (ID {vs:?}) matched {first} {theirs} (record {rs:?})"));
                }
            }
        }
    }
    assert!(breaches.is_empty(), "{} of {tried} twins matched:\n{}", breaches.len(), breaches.join("\n"));
}

#[test]
fn one_persons_second_given_name_in_either_field_or_missing_still_matches() {
    let mut refused = Vec::new();
    for (first, a, _) in TWINS {
        for vs in [Shape::Compound, Shape::Split] {
            for rs in [Shape::Compound, Shape::Split] {
                for (vsec, rsec) in [(Some(a), Some(a)), (Some(a), None), (None, Some(a))] {
                    if vsec.is_none() && matches!(vs, Shape::Split) || rsec.is_none() && matches!(rs, Shape::Split) {
                        continue;
                    }
                    if decide(&id(first, vsec, vs), &record(first, rsec, rs)) != Decision::Match {
                        refused.push(format!("{first} {vsec:?} (ID {vs:?}) vs {first} {rsec:?} (record {rs:?})"));
                    }
                }
            }
        }
    }
    assert!(refused.is_empty(), "{} refused:\n{}", refused.len(), refused.join("\n"));
}

/// The same shape with a hyphen, an initial or a particle: (ID's given name, record's first name, record's
/// middle name) — the ID's second part contradicts the record's middle name.
const SHAPES: [(&str, &str, &str); 5] = [
    ("JEAN-PAUL", "Jean", "Luc"),
    ("MARIA L", "Maria", "Jose"),
    ("MARIA J.", "Maria", "Luisa"),
    ("MARIA DEL CARMEN", "Maria", "del Pilar"),
    ("ANNE-MARIE", "Anne", "Sophie"),
];

#[test]
#[ignore = "finding (session 10): the ID's second given name (hyphenated, an initial, with a particle) is never compared with the record's middle name; run with --ignored"]
fn a_second_given_name_that_contradicts_the_records_middle_name_never_matches() {
    let mut breaches = Vec::new();
    for (given, first, middle) in SHAPES {
        let mut v = id("x", None, Shape::Compound);
        v["given_name"] = json!(given);
        let mut r = record(first, Some(middle), Shape::Split);
        r["profile"]["firstName"] = json!(first);
        if decide(&v, &r) == Decision::Match {
            breaches.push(format!("{given} matched {first} (middle {middle})"));
        }
    }
    assert!(breaches.is_empty(), "{} of {} matched:\n{}", breaches.len(), SHAPES.len(), breaches.join("\n"));
}

#[test]
fn a_second_given_name_that_agrees_with_the_records_middle_name_still_matches() {
    let mut refused = Vec::new();
    for (given, first, middle) in [
        ("JEAN-PAUL", "Jean", "Paul"),
        ("MARIA L", "Maria", "Luisa"),
        ("MARIA DEL CARMEN", "Maria", "del Carmen"),
        ("ANNE-MARIE", "Anne", "Marie"),
    ] {
        let mut v = id("x", None, Shape::Compound);
        v["given_name"] = json!(given);
        if decide(&v, &record(first, Some(middle), Shape::Split)) != Decision::Match {
            refused.push(format!("{given} vs {first} (middle {middle})"));
        }
    }
    assert!(refused.is_empty(), "{} refused:\n{}", refused.len(), refused.join("\n"));
}
