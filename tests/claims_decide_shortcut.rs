//! The decision-only paths (`decide_prepared`, what the loaded `decide()` runs, and `decide_only`,
//! what `decideMany` runs) stop comparing as soon as one claim settles a `no_match`. They must decide
//! exactly as the full report does, on the clean and the noisy development sets and on hand-made
//! edge cases, under policies that move every guard: optional, flagged or reviewed claims, required
//! phone and email, exact names, swapped names refused, a claim named twice, every operating point.

mod common_eval;

use common_eval::noise::generate_noisy;
use common_eval::{generate, Case};
use okta_directory::claims::{
    default_rule, ClaimKind, Decision, Matcher, OnMismatch, OnMissing, OperatingPoint, Policy, VerifiedClaims,
};
use okta_directory::profile::{normalize_user, DirectoryUser};
use serde_json::{json, Value};

/// Hand-made pairs around the rules that read several claims at once (swapped names, a given name
/// that is the middle name, a changed family name) with the birthdate, phone or email failing too.
fn edge_cases() -> Vec<(Value, Value)> {
    let mut out = Vec::new();
    let verified = |given: &str, middle: &Value, family: &str, birthdate: &str, phone: &str, email: &str| {
        json!({"given_name": given, "middle_name": middle, "family_name": family, "birthdate": birthdate,
               "phone_number": phone, "email": email,
               "address": {"street_address": "12 Main St", "postal_code": "62701", "country": "US"}})
    };
    let directory = |middle: Value, birthdate: Value, phone: Value, email: Value| {
        json!({"firstName": "Elizabeth", "middleName": middle, "lastName": "Garcia", "birthdate": birthdate,
               "mobilePhone": phone, "email": email, "streetAddress": "12 Main Street", "zipCode": "62701",
               "countryCode": "US"})
    };
    let names = [
        ("ELIZABETH", "GARCIA"),
        ("GARCIA", "ELIZABETH"),
        ("GARCIA", "ELIZABTEH"),
        ("MARY ELIZABETH", "GARCIA"),
        ("ELIZABETH", "SMITH"),
        ("ELIZA", "GARCIAS"),
        ("", "GARCIA"),
        ("ELIZABETH", ""),
        ("\u{415}LIZABETH", "GARCIA"),
    ];
    for (given, family) in names {
        for (vb, db) in
            [("1980-02-03", json!("1980-02-03")), ("1980-02-03", json!("1980-03-02")), ("bad", json!("N/A"))]
        {
            for (vp, dp) in [("+1 217 555 0100", json!("(217) 555-0100")), ("+1 217 555 0199", json!("(217) 555-0100"))]
            {
                for (ve, de) in [("e@example.com", json!("E@example.com")), ("x@example.com", Value::Null)] {
                    for (vm, dm) in [
                        (json!("M"), json!("Mary")),
                        (json!("MARY"), json!("Mary")),
                        (Value::Null, json!("Mary")),
                        (Value::Null, Value::Null),
                    ] {
                        let directory = directory(dm, db.clone(), dp.clone(), de.clone());
                        out.push((verified(given, &vm, family, vb, vp, ve), directory));
                    }
                }
            }
        }
    }
    out
}

/// Policies that move every guard the shortcut relies on.
fn policies() -> Vec<Policy> {
    let mut out = Vec::new();
    for point in [OperatingPoint::Strict, OperatingPoint::Balanced, OperatingPoint::Lenient] {
        out.push(Policy { operating_point: point, ..Policy::default() });
    }
    let with = |edit: &dyn Fn(&mut Policy)| {
        let mut policy = Policy::default();
        edit(&mut policy);
        policy
    };
    fn edit(policy: &mut Policy, kind: ClaimKind, change: impl Fn(&mut okta_directory::claims::ClaimRule)) {
        policy.claims.iter_mut().filter(|r| r.kind == kind).for_each(change);
    }
    // The birthdate only flagged, or routed to review; missing skipped.
    out.push(with(&|p| {
        edit(p, ClaimKind::Birthdate, |r| {
            r.required = false;
            r.on_mismatch = OnMismatch::Flag;
            r.on_missing_directory = OnMissing::Skip;
            r.on_missing_verified = OnMissing::Skip;
        })
    }));
    out.push(with(&|p| {
        edit(p, ClaimKind::Birthdate, |r| {
            r.required = false;
            r.on_mismatch = OnMismatch::Review;
            r.on_missing_directory = OnMissing::Review;
        })
    }));
    // Phone and email required; the address failing on a mismatch.
    out.push(with(&|p| {
        edit(p, ClaimKind::PhoneNumber, |r| r.required = true);
        edit(p, ClaimKind::Email, |r| r.required = true);
        edit(p, ClaimKind::Address, |r| {
            r.on_mismatch = OnMismatch::Fail;
            r.required = true
        });
    }));
    // Names exact, swapped names refused, the middle name required.
    out.push(with(&|p| {
        edit(p, ClaimKind::GivenName, |r| r.mode = okta_directory::claims::MatchMode::Exact);
        edit(p, ClaimKind::FamilyName, |r| r.allow.swapped_names = false);
        edit(p, ClaimKind::MiddleName, |r| r.required = true);
    }));
    // Names only flagged (a given name that differs does not fail).
    out.push(with(&|p| {
        edit(p, ClaimKind::GivenName, |r| r.on_mismatch = OnMismatch::Flag);
        edit(p, ClaimKind::FamilyName, |r| r.on_mismatch = OnMismatch::Review);
    }));
    // Claims named twice (the last rule's evidence counts for both), in another order: the
    // birthdate also flagged, the middle name also exact (its evidence differs by rule).
    out.push(with(&|p| {
        let mut flagged = default_rule(ClaimKind::Birthdate);
        flagged.on_mismatch = OnMismatch::Flag;
        flagged.required = false;
        p.claims.insert(0, flagged);
        p.claims.reverse();
        let mut exact = default_rule(ClaimKind::MiddleName);
        exact.mode = okta_directory::claims::MatchMode::Exact;
        p.claims.insert(0, exact);
    }));
    // Only the names and the birthdate.
    out.push(with(&|p| {
        p.claims.retain(|r| matches!(r.kind, ClaimKind::GivenName | ClaimKind::FamilyName | ClaimKind::Birthdate))
    }));
    out
}

fn read(policy: &Policy, verified: &Value, profile: &Value) -> Option<(VerifiedClaims, DirectoryUser)> {
    let user = normalize_user(&json!({"profile": profile}), &policy.attribute_mapping()).ok()?.user;
    Some((VerifiedClaims::from_json(verified), user))
}

#[test]
fn the_decision_only_paths_decide_as_the_report() {
    let cases: Vec<(Value, Value)> = generate(0x5107_2026, 12)
        .into_iter()
        .chain(generate_noisy(0x5107_2027, 500, 300, 12))
        .map(|Case { verified, profile, .. }| (verified, profile))
        .chain(edge_cases())
        .collect();
    let mut seen = std::collections::BTreeMap::new();
    for (p, policy) in policies().into_iter().enumerate() {
        let matcher = Matcher::new(policy);
        for (i, (verified, profile)) in cases.iter().enumerate() {
            let Some((v, u)) = read(matcher.policy(), verified, profile) else { continue };
            let (pv, pu) = (matcher.prepare_verified(&v), matcher.prepare_record(&u));
            let want = matcher.match_prepared(&pv, &pu).decision;
            assert_eq!(matcher.decide_prepared(&pv, &pu), want, "policy {p}, case {i}: decide_prepared");
            assert_eq!(matcher.decide_only(&v, &u), want, "policy {p}, case {i}: decide_only");
            *seen.entry((p, want.code())).or_insert(0usize) += 1;
        }
    }
    // Every policy sees matches and no_matches; reviews occur too.
    for p in 0..policies().len() {
        assert!(seen.contains_key(&(p, Decision::Match.code())), "policy {p} matches nothing: {seen:?}");
        assert!(seen.contains_key(&(p, Decision::NoMatch.code())), "policy {p} refuses nothing: {seen:?}");
    }
    assert!(seen.keys().any(|(_, code)| *code == Decision::Review.code()), "no review: {seen:?}");
}
