//! Attacker (2026-12-07, session 7) — FAILS ON MAIN (0007a04): a finding, not a pin; keep apart when merging
//! until the `recall` helper's fix lands. Reading `i` as `l` (an OCR reading: a sans-serif capital I and a
//! lower-case l are drawn alike) makes real given names equal that are two people: Lisa ~ Ilsa, Kiara ~ Klara,
//! Ciara ~ Clara, Bianca ~ Blanca, Neil ~ Nell, Ian ~ Lan, Mei ~ Mel, Delia ~ Della, Hailey ~ Halley… The
//! short-name OCR guard (`ocr_read_short_unmarked`, names/mod.rs) exempts exactly this reading (`i_as_l(a) !=
//! i_as_l(b)`), so a twin's own genuine ID — same family name, birthdate and address — is an
//! `OCR_CONFUSION` match for the sibling's record at `balanced`: an account takeover. Found by generating
//! every pair of real given names (the engine's common-name and nickname tables, the eval cultures, and a
//! list of names written with i/l, rn/m, vv/w, cl/d) equal under the engine's OCR reading or one visual
//! confusion apart, both ways round. `review` (a person's call) or `no_match` is accepted; `match` is not.
//! (The same hunt found no `rn`/`m`, `vv`/`w` or `cl`/`d` twin that matches on main: the guard covers them.)

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::{json, Value};

fn record(given: &str) -> Value {
    json!({"id": "00uvictim", "profile": {"firstName": given, "lastName": "Garcia", "birthdate": "1988-06-14",
        "login": "victim@example.com", "streetAddress": "12 Main St", "city": "Austin", "state": "TX",
        "zipCode": "78701", "countryCode": "US"}})
}

fn id(given: &str) -> Value {
    json!({"given_name": given, "family_name": "Garcia", "birthdate": "1988-06-14",
        "address": {"street_address": "12 Main St", "locality": "Austin", "region": "TX", "postal_code": "78701", "country": "US"}})
}

/// Real given names equal once `i` reads as `l` (either may be the impostor's).
const TWINS: [(&str, &str); 53] = [
    ("Adelia", "Adella"),
    ("Aila", "Alia"),
    ("Aila", "Alla"),
    ("Aili", "Alli"),
    ("Alia", "Alla"),
    ("Aurelia", "Aurella"),
    ("Bai", "Bal"),
    ("Beila", "Bella"),
    ("Bianca", "Blanca"),
    ("Cai", "Cal"),
    ("Camelia", "Camella"),
    ("Cari", "Carl"),
    ("Ciara", "Clara"),
    ("Cilia", "Cilla"),
    ("Cordelia", "Cordella"),
    ("Dai", "Dal"),
    ("Delia", "Della"),
    ("Eilis", "Ellis"),
    ("Eisa", "Elsa"),
    ("Elia", "Ella"),
    ("Elie", "Elle"),
    ("Emilia", "Emilla"),
    ("Fiora", "Flora"),
    ("Gaia", "Gala"),
    ("Hai", "Hal"),
    ("Hailey", "Halley"),
    ("Ian", "Lan"),
    ("Iana", "Lana"),
    ("Iara", "Lara"),
    ("Iida", "Lida"),
    ("Iina", "Lina"),
    ("Ilia", "Lila"),
    ("Ilsa", "Lisa"),
    ("Ilse", "Lise"),
    ("Iola", "Lola"),
    ("Iona", "Lona"),
    ("Ione", "Lone"),
    ("Joei", "Joel"),
    ("Kai", "Kal"),
    ("Kaia", "Kala"),
    ("Kiara", "Klara"),
    ("Laia", "Lala"),
    ("Leila", "Lella"),
    ("Lilia", "Lilla"),
    ("Mai", "Mal"),
    ("Maia", "Mala"),
    ("Mei", "Mel"),
    ("Miia", "Mila"),
    ("Naia", "Nala"),
    ("Neil", "Nell"),
    ("Nelia", "Nella"),
    ("Sai", "Sal"),
    ("Tai", "Tal"),
];

#[test]
fn a_twin_whose_name_reads_as_the_sibling_with_i_as_l_never_matches() {
    let matcher = Matcher::new(Policy::default());
    {
        let mut breaches = Vec::new();
        for (a, b) in TWINS {
            for (impostor, victim) in [(a, b), (b, a), (&*a.to_uppercase(), b), (a, &*b.to_uppercase())] {
                let user = normalize_user(&record(victim), &AttributeMapping::default()).expect("a valid user").user;
                if matcher.decide(&VerifiedClaims::from_json(&id(impostor)), &user).decision == Decision::Match {
                    breaches.push(format!("twin {impostor} matched {victim}"));
                }
            }
        }
        assert!(
            breaches.is_empty(),
            "{} of {} twins matched:\n{}",
            breaches.len(),
            4 * TWINS.len(),
            breaches.join("\n")
        );
    }
}
