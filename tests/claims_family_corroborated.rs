//! A corroborated cut family name (docs/claims-decisions.md §3, "Corroborated cut family name"): a
//! surname cut short keeping four letters or more (Svobo ~ Svobodová), which the typo rule refuses on
//! its own (`PREFIX_NAME`), matches when the given name is the same as written, the birthdate is the
//! same on no registry default day and the street and postal code, the phone or the email agree.
//! Next to each acceptance, the twin, sibling, namesake, household and prefix cases it must refuse.

use okta_directory::claims::{
    ClaimKind, ClaimRule, Decision, Guard, Level, MatchMode, MatchReport, Matcher, OperatingPoint, Policy, Reason,
    VerifiedClaims,
};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::{json, Map, Value};

/// The directory record: Lucie Svobodová, born 1987-06-14, 12 Main St, Austin 78701.
fn record() -> Map<String, Value> {
    json!({
        "login": "lucie@example.com",
        "email": "lucie.svobodova@example.com",
        "firstName": "Lucie",
        "lastName": "Svobodová",
        "birthdate": "1987-06-14",
        "streetAddress": "12 Main St",
        "city": "Austin",
        "state": "TX",
        "zipCode": "78701",
        "countryCode": "US"
    })
    .as_object()
    .expect("an object")
    .clone()
}

/// Her ID with the surname cut to its first five letters, same birthdate and address.
fn cut() -> Map<String, Value> {
    json!({
        "given_name": "Lucie",
        "family_name": "Svobo",
        "birthdate": "1987-06-14",
        "address": {"street_address": "12 Main St", "locality": "Austin", "region": "TX", "postal_code": "78701", "country": "US"}
    })
    .as_object()
    .expect("an object")
    .clone()
}

fn with(base: Map<String, Value>, key: &str, value: Value) -> Map<String, Value> {
    let mut m = base;
    m.insert(key.into(), value);
    m
}

fn decide_with(policy: Policy, verified: &Map<String, Value>, profile: &Map<String, Value>) -> MatchReport {
    let user = normalize_user(&json!({"id": "00ulucie", "profile": profile}), &AttributeMapping::default())
        .expect("a valid user")
        .user;
    Matcher::new(policy).decide(&VerifiedClaims::from_json(&Value::Object(verified.clone())), &user)
}

fn decide(verified: &Map<String, Value>, profile: &Map<String, Value>) -> MatchReport {
    decide_with(Policy::default(), verified, profile)
}

fn level(report: &MatchReport, kind: ClaimKind) -> Option<Level> {
    report.explanation.claims.get(&kind).map(|w| w.level)
}

fn not_matched(what: &str, v: &Map<String, Value>, d: &Map<String, Value>) -> MatchReport {
    let report = decide(v, d);
    assert_ne!(report.decision, Decision::Match, "{what}: {:?}", report.explanation);
    report
}

#[test]
fn a_cut_surname_with_the_address_agreeing_matches_at_every_point() {
    let report = decide(&cut(), &record());
    assert_eq!(report.decision, Decision::Match, "{:?}", report.explanation);
    assert_eq!(level(&report, ClaimKind::FamilyName), Some(Level::Subset));
    let family = report.claims[&ClaimKind::FamilyName].result();
    assert!(family.reasons.contains(&Reason::SurnameSubset), "{:?}", family.reasons);
    assert!(!family.reasons.contains(&Reason::PrefixName), "{:?}", family.reasons);
    for point in [OperatingPoint::Strict, OperatingPoint::Balanced, OperatingPoint::Lenient] {
        let report = decide_with(Policy { operating_point: point, ..Policy::default() }, &cut(), &record());
        assert_eq!(report.decision, Decision::Match, "{point:?}");
    }
    // Either side may be the cut one (an older HR system's field).
    let d = with(record(), "lastName", json!("Dąbrow"));
    let v = with(cut(), "family_name", json!("DĄBROWSKI"));
    assert_eq!(decide(&v, &d).decision, Decision::Match);
}

#[test]
fn the_email_corroborates_as_well() {
    let mut v = with(cut(), "email", json!("lucie.svobodova@example.com"));
    v.remove("address");
    let report = decide(&v, &record());
    assert_eq!(report.decision, Decision::Match, "{:?}", report.explanation);
}

#[test]
fn households_with_distinct_common_surnames_two_edits_apart_are_not_matched() {
    // Same given name, same birthday, same home, surnames two edits apart with other first letters
    // (the development set's same-named households: Zhang ~ Wang, Yang ~ Huang, Kang ~ Jung): edits
    // are not cuts, the changed-surname rule sends them to a person.
    for (ver, dir) in [("Zhang", "Wang"), ("Yang", "Huang"), ("Kang", "Jung"), ("Jnue", "Inoue"), ("Yang", "Ouyang")] {
        let report = not_matched(ver, &with(cut(), "family_name", json!(ver)), &with(record(), "lastName", json!(dir)));
        assert_eq!(report.decision, Decision::Review, "{ver} ~ {dir}: {:?}", report.explanation);
    }
}

#[test]
fn without_corroboration_the_guard_stays() {
    // A namesake elsewhere: another address, or none, or only the postal code agreeing.
    let moved = json!({"street_address": "9 Oak Ave", "locality": "Dallas", "region": "TX", "postal_code": "75201", "country": "US"});
    let same_zip = json!({"street_address": "9 Oak Ave", "locality": "Austin", "region": "TX", "postal_code": "78701", "country": "US"});
    for (what, v) in [
        ("moved", with(cut(), "address", moved)),
        ("postal code only", with(cut(), "address", same_zip)),
        ("no address", {
            let mut v = cut();
            v.remove("address");
            v
        }),
    ] {
        let report = not_matched(what, &v, &record());
        assert_eq!(report.explanation.guard, Some(Guard::ClaimDiffers), "{what}");
        let family = report.claims[&ClaimKind::FamilyName].result();
        assert!(family.reasons.contains(&Reason::PrefixName), "{what}: {:?}", family.reasons);
    }
}

#[test]
fn twins_siblings_and_households_are_refused() {
    // A twin whose sibling married (or an old record cut): a given name one key off is no longer the
    // same person's for this rule.
    let d = with(with(record(), "firstName", json!("Yuki")), "lastName", json!("Svobodová"));
    not_matched("twin Yuko", &with(cut(), "given_name", json!("Yuko")), &d);
    // Twins with the family name in full: the twin guard, as before.
    let report = not_matched(
        "twin Anna ~ Emma",
        &with(with(cut(), "given_name", json!("Anna")), "family_name", json!("Svobodová")),
        &with(record(), "firstName", json!("Emma")),
    );
    assert_eq!(report.decision, Decision::NoMatch);
    // A nickname or an initial is not the same given name here.
    let d = with(record(), "firstName", json!("Robert"));
    not_matched("nickname", &with(cut(), "given_name", json!("Bob")), &d);
    not_matched("initial", &with(cut(), "given_name", json!("L")), &record());
    // The middle name differing: a relative.
    let d = with(record(), "middleName", json!("Marie"));
    not_matched("middle name differs", &with(cut(), "middle_name", json!("Jana")), &d);
    // A registry's default day or the 1 January placeholder: housemates share them.
    for day in ["1987-07-01", "1987-01-01", "1987-12-31", "1987-06-01"] {
        let d = with(record(), "birthdate", json!(day));
        not_matched(day, &with(cut(), "birthdate", json!(day)), &d);
    }
    // A birthdate slip stays a guard.
    not_matched("birthdate slip", &with(cut(), "birthdate", json!("1987-06-15")), &record());
}

#[test]
fn short_far_and_spoofed_surnames_are_refused() {
    // Three letters or fewer: distinct common surnames (Li ~ Lim), even at the same address; the
    // changed-surname rule sends them to a person as before.
    for (ver, dir) in [("Li", "Lim"), ("Ha", "Han"), ("Wei", "Weiß")] {
        let report = not_matched(ver, &with(cut(), "family_name", json!(ver)), &with(record(), "lastName", json!(dir)));
        assert_ne!(level(&report, ClaimKind::FamilyName), Some(Level::TwoEdits), "{ver}");
    }
    // Three edits: a changed surname (review), not this rule.
    let report = not_matched(
        "Tanaka",
        &with(cut(), "family_name", json!("Tanaka")),
        &with(record(), "lastName", json!("Takahashi")),
    );
    assert_eq!(report.decision, Decision::Review);
    // A look-alike letter in the cut name: spoofing.
    let report = not_matched("homoglyph", &with(cut(), "family_name", json!("Svоbo")), &record());
    assert_eq!(report.explanation.guard, Some(Guard::Spoofing));
}

#[test]
fn an_operators_exact_or_typo_free_family_rule_keeps_the_guard() {
    for rule in [ClaimRule { mode: MatchMode::Exact, ..okta_directory::claims::default_rule(ClaimKind::FamilyName) }, {
        let mut r = okta_directory::claims::default_rule(ClaimKind::FamilyName);
        r.allow.typos = false;
        r
    }] {
        let mut policy = Policy::default();
        policy.claims.retain(|r| r.kind != ClaimKind::FamilyName);
        policy.claims.push(rule);
        // Refused (exact) or, without the typo rule's prefix check, a changed surname for a person.
        let report = decide_with(policy, &cut(), &record());
        assert_ne!(report.decision, Decision::Match, "{:?}", report.explanation);
        assert_ne!(report.explanation.claims[&ClaimKind::FamilyName].level, Level::Subset);
    }
}

#[test]
fn a_replay_without_the_corroboration_cannot_say() {
    use okta_directory::claims::replay::{comparison_vector, replay, Unreplayable};
    let report = decide(&cut(), &record());
    assert_eq!(report.decision, Decision::Match);
    let vector = comparison_vector(&Policy::default(), &report);
    // Under the same policy the replay agrees.
    assert_eq!(replay(&Policy::default(), &vector).decision, Some(Decision::Match));
    // A draft without the address: the engine refuses the cut (nothing corroborates it), and the
    // vector cannot tell a corroborated cut from any other subset: it must not say `match`.
    let mut draft = Policy::default();
    draft.claims.retain(|r| r.kind != ClaimKind::Address);
    let engine = decide_with(draft.clone(), &cut(), &record());
    assert_eq!(engine.decision, Decision::NoMatch, "{:?}", engine.explanation);
    let replayed = replay(&draft, &vector);
    assert_eq!(replayed.decision, None, "{replayed:?}");
    assert!(replayed
        .blockers
        .iter()
        .any(|b| b.claim == Some(ClaimKind::FamilyName) && b.why == Unreplayable::CoarseLevel));
}
