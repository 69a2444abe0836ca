//! Attacker's pin (main's behaviour, 2026-12-07, session 8) for the recall work on missing values and
//! placeholders (issue 13: `N/A` in a directory attribute is `missing`). In a household — same family name,
//! birthdate and address — the given name is all that tells twins apart, so an ID without one (absent,
//! blank, a placeholder such as `FNU`/`N/A`/`Unknown`, an MRZ filler `<`, a bare initial, a cut-off start)
//! must never match a twin's record, and an ID must never match a record whose given name is missing or a
//! placeholder: either way nothing says which twin it is. `review` is accepted; `match` is not.

mod common;

use common::twins::GARCIA;
use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::{json, Value};

/// Given names on an ID (or a record) that name nobody.
const NOBODY: [Option<&str>; 16] = [
    None,
    Some(""),
    Some(" "),
    Some("FNU"),
    Some("NFN"),
    Some("N/A"),
    Some("n/a"),
    Some("Unknown"),
    Some("NONE"),
    Some("null"),
    Some("XXX"),
    Some("-"),
    Some("."),
    Some("<"),
    Some("<<<<"),
    Some("?"),
];

fn decide(verified: &Value, record: &Value) -> Decision {
    let user = normalize_user(record, &AttributeMapping::default()).expect("a valid user").user;
    Matcher::new(Policy::default()).decide(&VerifiedClaims::from_json(verified), &user).decision
}

#[test]
fn an_id_or_a_record_without_a_given_name_never_matches_a_twin() {
    let mut breaches = Vec::new();
    for twin in ["Dustin", "Maria", "Jo", "Alexandra"] {
        for nobody in NOBODY {
            let mut id = GARCIA.id(twin);
            let mut record = GARCIA.record(twin);
            match nobody {
                None => {
                    id.as_object_mut().expect("an object").remove("given_name");
                    record["profile"].as_object_mut().expect("an object").remove("firstName");
                }
                Some(v) => {
                    id["given_name"] = json!(v);
                    record["profile"]["firstName"] = json!(v);
                }
            }
            if decide(&id, &GARCIA.record(twin)) == Decision::Match {
                breaches.push(format!("an ID with given name {nobody:?} matched {twin}"));
            }
            if decide(&GARCIA.id(twin), &record) == Decision::Match {
                breaches.push(format!("{twin}'s ID matched a record with given name {nobody:?}"));
            }
        }
        // A bare initial or a cut-off start of the name is not the name (D ~ Dustin, Dust ~ Dustin).
        let initial = &twin[..1];
        let start = &twin[..twin.len().min(4) - 1];
        for part in [initial.to_string(), format!("{initial}."), start.to_string()] {
            if part.chars().count() < twin.chars().count() && GARCIA.decide(&part, twin) == Decision::Match {
                breaches.push(format!("an ID with given name {part:?} matched {twin}"));
            }
        }
    }
    assert!(breaches.is_empty(), "{}:\n{}", breaches.len(), breaches.join("\n"));
}
