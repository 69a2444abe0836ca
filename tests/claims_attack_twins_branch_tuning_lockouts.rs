//! Attacker (2026-12-07, session 10) against the twins branch (a6aa259): the genuine pairs of the noisy
//! development set (TUNING, /tmp/NOISY.jsonl's generator; our own synthetic data) that the branch decides
//! worse than main (8f21f6a) does — 10 of 21,900, and no different-person pair decided better in exchange: a
//! first letter dropped before a vowel (Kenji → enji, Jørgen → ørgen, Takeshi → akeshi, Deepika → eepika),
//! a neighbouring first key (Ramón → Famón, Carmen → Xarmen, Håkon → Nåkon), a dropped first letter with
//! the names swapped (Kaya Mustafa ~ ustafa Kaya: match → no_match) and a consonant added with a changed
//! surname (KIvan ~ Ivan: review → no_match). Each pair is one person; main's decision is pinned and none may
//! get worse (match → review or no_match, review → no_match). Passes on main; on twins a6aa259
//! 10 of 10 were worse, after its narrowing (160c04d) 3, kept in an ignored finding test.

use okta_directory::claims::{match_many_json, Decision, Matcher, Policy};
use serde_json::Value;

/// (TUNING id, main's decision, the pair).
const PAIRS: [(&str, Decision, &str); 10] = [
    (
        "dev-906",
        Decision::Review,
        r#"{"verified": {"address": {"country": "CA", "locality": "Calgary", "postal_code": "T2P 5Y8", "region": "AB", "street_address": "139 Sunset Avenue"}, "birthdate": "1957-06-20", "family_name": "Volkova", "given_name": "KIvan"}, "directory": {"birthdate": "1957-06-20", "city": "Calgary", "countryCode": "CA", "firstName": "Ivan", "lastName": "Morozov", "mobilePhone": "+18822384161", "state": "AB", "streetAddress": "139 Sunset Avenue", "zipCode": "T2P 5Y8"}}"#,
    ),
    (
        "dev-1543",
        Decision::Match,
        r#"{"verified": {"address": {"country": "AU", "locality": "Melbourne", "postal_code": "3076", "region": "VIC", "street_address": "113 Queen Boulevard"}, "birthdate": "1977-09-17", "family_name": "Inuoe", "given_name": "enji"}, "directory": {"birthdate": "1977-09-17", "city": "Melbourne", "countryCode": "AU", "firstName": "Kenji", "lastName": "Inoue", "mobilePhone": "+61490220703", "state": "VIC", "streetAddress": "113 Queen Boulevard", "zipCode": "3076"}}"#,
    ),
    (
        "dev-2829",
        Decision::Match,
        r#"{"verified": {"address": {"country": "FR", "locality": "Marseille", "postal_code": "13002", "street_address": "179 rue de la Paix"}, "birthdate": "1962-11-02", "family_name": "Hernández", "given_name": "Famón"}, "directory": {"birthdate": "1962-11-02", "city": "Marseille", "countryCode": "FR", "firstName": "Ramón", "lastName": "Hernández", "mobilePhone": "+33720357596", "streetAddress": "179 rue de la Paix", "zipCode": "13002"}}"#,
    ),
    (
        "dev-7514",
        Decision::Match,
        r#"{"verified": {"address": {"country": "CA", "locality": "Toronto", "postal_code": "M5V 9B1", "region": "ON", "street_address": "18 Washington Lane"}, "birthdate": "1987-02-10", "family_name": "Mustafa", "given_name": "Kaya"}, "directory": {"birthdate": "1987-02-10", "city": "Toronto", "countryCode": "CA", "firstName": "ustafa", "lastName": "Kaya", "mobilePhone": "+14662396889", "state": "ON", "streetAddress": "18 Washington Lane", "zipCode": "M5V 9B1"}}"#,
    ),
    (
        "dev-7675",
        Decision::Match,
        r#"{"verified": {"birthdate": "1988-02-11", "family_name": "Håkansson", "given_name": "ørgen"}, "directory": {"birthdate": "1988-02-11", "city": "Brisbane", "countryCode": "AU", "firstName": "Jørgen", "lastName": "Håkansson", "mobilePhone": "+61448997882", "state": "QLD", "streetAddress": "285 Park Road", "zipCode": "4064"}}"#,
    ),
    (
        "dev-7832",
        Decision::Match,
        r#"{"verified": {"birthdate": "1971-01-27", "family_name": "Inoue", "given_name": "Takeshi"}, "directory": {"birthdate": "1971-01-27", "city": "Sydney", "countryCode": "AU", "firstName": "akeshi", "lastName": "Inoue", "mobilePhone": "+61442664418", "state": "NSW", "streetAddress": "Unit 5, 70 Oak Court", "zipCode": "2002"}}"#,
    ),
    (
        "dev-9980",
        Decision::Match,
        r#"{"verified": {"address": {"country": "GB", "locality": "Edinburgh", "postal_code": "EH1 0BT", "street_address": "Flat 36, 82 King Road"}, "birthdate": "1993-10-27", "family_name": "Nørgaard", "given_name": "ørgen"}, "directory": {"birthdate": "1993-10-27", "city": "Edinburgh", "countryCode": "GB", "firstName": "Jørgen", "lastName": "Nørgaard", "mobilePhone": "+447898220957", "streetAddress": "Flat 36, 82 King Road", "zipCode": "EH1 0BT"}}"#,
    ),
    (
        "dev-15576",
        Decision::Match,
        r#"{"verified": {"birthdate": "1966-09-17", "family_name": "Menon", "given_name": "eepika", "middle_name": "Venkatesh"}, "directory": {"birthdate": "1966-09-17", "city": "Seattle", "countryCode": "US", "firstName": "Deepika", "lastName": "Menon", "middleName": "Venkatesh", "mobilePhone": "+15694175858", "state": "WA", "streetAddress": "236 Oak Court Apt 37", "zipCode": "98163"}}"#,
    ),
    (
        "dev-16281",
        Decision::Match,
        r#"{"verified": {"birthdate": "1997-05-29", "family_name": "Sánchez Ruiz", "given_name": "Carmen", "middle_name": "Sofía"}, "directory": {"birthdate": "1997-05-29", "city": "Perth", "countryCode": "AU", "firstName": "Xarmen", "lastName": "Sánchez Ruiz", "middleName": "Sofía", "mobilePhone": "+61483110684", "state": "WA", "streetAddress": "Unit 25, 291 Queen Boulevard", "zipCode": "6044"}}"#,
    ),
    (
        "dev-16746",
        Decision::Match,
        r#"{"verified": {"birthdate": "1969-09-25", "family_name": "Bjørklund", "given_name": "Håkon", "middle_name": "Mikael"}, "directory": {"birthdate": "1969-09-25", "city": "Hobart", "countryCode": "AU", "firstName": "Nåkon", "lastName": "Bjørklund", "middleName": "Mikael", "mobilePhone": "+61457705179", "state": "TAS", "streetAddress": "229 Mill Place", "zipCode": "7014"}}"#,
    ),
];

fn rank(d: Decision) -> u8 {
    match d {
        Decision::Match => 2,
        Decision::Review => 1,
        Decision::NoMatch => 0,
    }
}

/// What the twins branch still decides worse after narrowing (160c04d): KIvan ~ Ivan with a changed surname
/// (review → no_match), Kenji → enji and Takeshi → akeshi (match → review).
const KEPT: [&str; 3] = ["dev-906", "dev-1543", "dev-7832"];

#[test]
fn genuine_front_typos_of_the_development_set_decide_no_worse_than_on_main() {
    worse(|id| !KEPT.contains(&id));
}

#[test]
#[ignore = "finding (session 10, twins 160c04d): dev-906, dev-1543, dev-7832 decided worse than on main; run with --ignored"]
fn the_front_typos_the_twins_branch_kept_refusing_decide_no_worse_than_on_main() {
    worse(|id| KEPT.contains(&id));
}

fn worse(which: impl Fn(&str) -> bool) {
    let matcher = Matcher::new(Policy::default());
    let mut worse = Vec::new();
    for (id, was, pair) in PAIRS.into_iter().filter(|(id, _, _)| which(id)) {
        let text = match_many_json(&matcher, &format!("[{pair}]")).expect("reads");
        let reports: Vec<Value> = serde_json::from_str(&text).expect("a JSON array");
        let now: Decision = serde_json::from_value(reports[0]["decision"].clone()).expect("a decision");
        if rank(now) < rank(was) {
            worse.push(format!("{id}: {now:?} (main {was:?})"));
        }
    }
    assert!(
        worse.is_empty(),
        "{} of {} one-person pairs decided worse:\n{}",
        worse.len(),
        PAIRS.len(),
        worse.join("\n")
    );
}
