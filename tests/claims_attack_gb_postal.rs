//! Attacker (2026-12-07, session 8) — FAILS ON MAIN (e45e2ff), fixed on branch arena (5849043): a regression
//! test through every way a pair gets in. A GB postal code whose letters and digits take 5 to 7 bytes but are
//! not ASCII (`жжж`: three letters, six bytes) was split "three characters from the end" at a byte offset
//! inside a letter: a panic — in wasm a trap that takes the matcher down for every later pair. Each must be
//! decided (or refused with a typed code) on every path, on either side, never panic.

use okta_directory::claims::{
    decide_many_json, load_pairs, match_line, match_many_json, Matcher, Policy, VerifiedClaims,
};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::json;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Postal codes of 5–7 bytes of letters and digits, some not ASCII.
const CODES: [&str; 10] = ["жжж", "ЖЖЖ", "жж1", "ßß1", "é1234", "SW1A 1ÅA", "ÅÄÖ12", "１２３４５", "ж ж ж", "Ω1 1ΩΩ"];

/// A claims path by name, and a call that runs it on the pair.
type Path<'a> = (&'a str, Box<dyn Fn() + 'a>);

#[test]
fn a_gb_postal_code_of_other_letters_never_panics_on_any_path() {
    let m = Matcher::new(Policy::default());
    let mut panics = Vec::new();
    for code in CODES {
        for (side, v_code, d_code) in
            [("verified", code, "SW1A 1AA"), ("directory", "SW1A 1AA", code), ("both", code, code)]
        {
            let v = json!({"given_name": "Jose", "family_name": "Garcia", "birthdate": "1990-04-03",
                "address": {"street_address": "12 Main St", "locality": "London", "postal_code": v_code, "country": "GB"}});
            let d = json!({"firstName": "Jose", "lastName": "Garcia", "birthdate": "1990-04-03",
                "streetAddress": "12 Main St", "city": "London", "zipCode": d_code, "countryCode": "GB"});
            let pair = json!({"verified": v, "directory": d}).to_string();
            let array = format!("[{pair}]");
            let paths: [Path; 5] = [
                (
                    "one call",
                    Box::new(|| {
                        let user = normalize_user(&d, &AttributeMapping::default()).expect("a valid user").user;
                        let _ = m.decide(&VerifiedClaims::from_json(&v), &user);
                    }),
                ),
                (
                    "match_many_json",
                    Box::new(|| {
                        let _ = match_many_json(&m, &array);
                    }),
                ),
                (
                    "decide_many_json",
                    Box::new(|| {
                        let _ = decide_many_json(&m, &array);
                    }),
                ),
                (
                    "load_pairs",
                    Box::new(|| {
                        if let Ok(loaded) = load_pairs(&m, &pair) {
                            for (pv, pd) in &loaded {
                                let _ = m.match_prepared(pv, pd);
                            }
                        }
                    }),
                ),
                (
                    "match_line",
                    Box::new(|| {
                        let _ = match_line(&m, &pair);
                    }),
                ),
            ];
            for (path, f) in paths {
                if catch_unwind(AssertUnwindSafe(f)).is_err() {
                    panics.push(format!("{code:?} on the {side} side panicked in {path}"));
                }
            }
        }
    }
    assert!(panics.is_empty(), "{} panics:\n{}", panics.len(), panics.join("\n"));
}
