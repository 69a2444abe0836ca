//! Attacker's pin (main's behaviour, 2026-12-07) for a fast path over "Latin" code points: every character
//! below U+0300 (Latin-1, Latin Extended-A/B, IPA, spacing modifiers: letters, compatibility forms such as
//! ª º µ ¹, controls, NBSP, soft hyphen), and a few just above, put into a name — replacing a letter, and
//! inserted in the middle — on the verified side and on the directory side: the decision of each is pinned
//! in tests/fixtures/attack/claims-latin1.golden.txt (written on main with `ATTACK_BLESS=1`), with a hash
//! of the given-name claim's result (outcome, score, reasons): a one-letter change is a fuzzy match either way.

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::json;
use std::path::PathBuf;

fn letter(d: Decision) -> char {
    match d {
        Decision::Match => 'M',
        Decision::NoMatch => 'n',
        Decision::Review => 'r',
    }
}

#[test]
fn every_latin_range_character_in_a_name_decides_as_pinned() {
    let m = Matcher::new(Policy::default());
    let mapping = AttributeMapping::default();
    let decide = |vg: &str, dg: &str| -> String {
        let d = json!({"firstName": dg, "lastName": "Garcia", "birthdate": "1990-04-03", "zipCode": "62701",
            "streetAddress": "12 Main St", "city": "Springfield", "countryCode": "US"});
        let v = json!({"given_name": vg, "family_name": "Garcia", "birthdate": "1990-04-03",
            "address": {"street_address": "12 Main St", "locality": "Springfield", "postal_code": "62701", "country": "US"}});
        match normalize_user(&d, &mapping) {
            Ok(u) => {
                let r = m.decide(&VerifiedClaims::from_json(&v), &u.user);
                let claim = serde_json::to_value(&r).expect("serializes")["claims"]["given_name"].to_string();
                let h = claim.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
                format!("{}{h:08x}", letter(r.decision))
            }
            Err(e) => format!("E{}", e.code()),
        }
    };
    let mut lines = String::new();
    for cp in (0u32..0x300).chain(0x300..0x370).chain([0x1D00, 0x1D2C, 0x1E9E, 0x2071, 0x207F, 0x2C65, 0xA730, 0xAB30])
    {
        let Some(c) = char::from_u32(cp) else { continue };
        let replaced = format!("M{c}ria");
        let inserted = format!("Ma{c}ria");
        let row: Vec<String> = vec![
            decide(&replaced, "Maria"),
            decide("Maria", &replaced),
            decide(&inserted, "Maria"),
            decide("Maria", &inserted),
            decide(&replaced, &replaced),
        ];
        lines.push_str(&format!("{cp:04X} {}\n", row.join(" ")));
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attack/claims-latin1.golden.txt");
    if std::env::var_os("ATTACK_BLESS").is_some() {
        std::fs::write(&path, &lines).expect("writes the golden");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("the golden file");
    let differ: Vec<String> =
        want.lines().zip(lines.lines()).filter(|(a, b)| a != b).map(|(a, b)| format!("pinned {a} now {b}")).collect();
    assert!(
        differ.is_empty(),
        "{} differ (columns: verified replaced, directory replaced, verified inserted, directory inserted, both):\n{}",
        differ.len(),
        differ.join("\n")
    );
}
