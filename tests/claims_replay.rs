//! Shadow replay against the engine: on the development set (every variation class plus the noisy
//! pairs), a comparison vector recorded under policy A and replayed under policy B either says
//! "cannot replay" or gives exactly the decision, guard and total the engine gives under B with the
//! values. Replayed under A itself, it is never refused and always agrees.

mod common_eval;

use common_eval::noise::{generate_noisy, TUNING_SEEDS};
use common_eval::{generate, Case};
use okta_directory::claims::replay::{comparison_vector, replay, ComparisonVector, Unreplayable};
use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::normalize_user;
use serde_json::{json, Value};

fn policy(doc: Value) -> Policy {
    Policy::from_json(&doc).expect("test policy is valid")
}

/// Policies an operator might draft from the default one.
fn drafts() -> Vec<(&'static str, Policy)> {
    let core = json!({"given_name": {}, "family_name": {}, "birthdate": {}, "middle_name": {}, "address": {}, "phone_number": {}, "email": {}});
    let with = |claims: Value, decision: Value| policy(json!({"version": 1, "claims": claims, "decision": decision}));
    let patch = |f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut c = core.as_object().expect("an object").clone();
        f(&mut c);
        Value::Object(c)
    };
    vec![
        ("default", Policy::default()),
        ("strict", with(core.clone(), json!({"operating_point": "strict"}))),
        ("lenient", with(core.clone(), json!({"operating_point": "lenient"}))),
        (
            "names exact",
            with(
                patch(&|c| {
                    c.insert("given_name".into(), json!({"mode": "exact"}));
                    c.insert("family_name".into(), json!({"mode": "exact"}));
                }),
                json!({}),
            ),
        ),
        (
            "no nicknames",
            with(
                patch(&|c| {
                    c.insert("given_name".into(), json!({"allow": ["token_subset", "swapped_names", "ocr", "typos"]}));
                }),
                json!({}),
            ),
        ),
        (
            "no typos",
            with(
                patch(&|c| {
                    c.insert(
                        "given_name".into(),
                        json!({"allow": ["nicknames", "token_subset", "swapped_names", "ocr"]}),
                    );
                    c.insert("family_name".into(), json!({"allow": ["token_subset", "swapped_names", "ocr"]}));
                }),
                json!({}),
            ),
        ),
        (
            "no swaps",
            with(
                patch(&|c| {
                    c.insert("given_name".into(), json!({"allow": ["nicknames", "token_subset", "ocr", "typos"]}));
                }),
                json!({}),
            ),
        ),
        ("address required", with(core.clone(), json!({"require_all": ["address"]}))),
        ("address review", with(core.clone(), json!({"review_if_any": ["address"]}))),
        (
            "without address",
            with(
                patch(&|c| {
                    c.remove("address");
                }),
                json!({}),
            ),
        ),
        (
            "without middle name",
            with(
                patch(&|c| {
                    c.remove("middle_name");
                }),
                json!({}),
            ),
        ),
        ("names only", with(json!({"given_name": {}, "family_name": {}}), json!({}))),
        (
            "birthdate from another attribute",
            with(
                patch(&|c| {
                    c.insert("birthdate".into(), json!({"source": ["dateOfBirth"]}));
                }),
                json!({}),
            ),
        ),
        (
            "address exact",
            with(
                patch(&|c| {
                    c.insert("address".into(), json!({"mode": "exact"}));
                }),
                json!({}),
            ),
        ),
        ("email required", with(core.clone(), json!({"require_all": ["email"]}))),
        (
            "middle name review",
            with(
                patch(&|c| {
                    c.insert("middle_name".into(), json!({"on_mismatch": "review"}));
                }),
                json!({}),
            ),
        ),
    ]
}

fn cases() -> Vec<Case> {
    let mut all = generate(0x5EED_2026, 6);
    all.extend(generate_noisy(TUNING_SEEDS[0], 200, 100, 6));
    all
}

#[test]
fn a_vector_replays_as_the_engine_decides_or_says_it_cannot() {
    let drafts = drafts();
    let cases = cases();
    let (mut decided, mut refused, mut changed) = (0usize, 0usize, 0usize);
    for case in &cases {
        let verified = VerifiedClaims::from_json(&case.verified);
        let profile = json!({ "profile": case.profile });
        let decide = |p: &Policy| {
            let user = normalize_user(&profile, &p.attribute_mapping()).expect("normalizes").user;
            Matcher::new(p.clone()).decide(&verified, &user)
        };
        let reports: Vec<_> = drafts.iter().map(|(_, p)| decide(p)).collect();
        for (a, (name_a, policy_a)) in drafts.iter().enumerate() {
            let vector = comparison_vector(policy_a, &reports[a]);
            // A vector is JSON round-trippable (it is stored in the history).
            let stored: ComparisonVector = serde_json::from_str(&serde_json::to_string(&vector).unwrap()).unwrap();
            assert_eq!(stored, vector);
            let same = replay(policy_a, &stored);
            assert_eq!(
                same.decision,
                Some(reports[a].decision),
                "{name_a} on itself: {} / {}",
                case.class,
                case.detail
            );
            assert_eq!(same.total, reports[a].explanation.total, "{name_a} on itself");
            for (b, (name_b, policy_b)) in drafts.iter().enumerate() {
                let r = replay(policy_b, &stored);
                match r.decision {
                    None => {
                        assert!(!r.blockers.is_empty());
                        refused += 1;
                    }
                    Some(d) => {
                        let engine = &reports[b];
                        assert_eq!(
                            (d, r.guard, r.total, r.threshold),
                            (
                                engine.decision,
                                engine.explanation.guard,
                                engine.explanation.total,
                                engine.explanation.threshold
                            ),
                            "recorded under {name_a}, replayed under {name_b}: {} / {}",
                            case.class,
                            case.detail
                        );
                        decided += 1;
                        if d != reports[a].decision {
                            changed += 1;
                        }
                    }
                }
            }
        }
    }
    // The replay is useful, not only safe: most cross-policy replays decide (the refusals are mostly
    // drafts that compare a claim another policy did not), and some change the outcome.
    assert!(decided > refused, "decided {decided}, refused {refused}");
    assert!(changed > 100, "only {changed} replays changed a decision");
}

#[test]
fn what_a_vector_cannot_replay_is_named() {
    let verified = VerifiedClaims::from_json(
        &json!({"given_name": "Jonathon", "family_name": "Smith", "birthdate": "1980-02-03"}),
    );
    let user = normalize_user(
        &json!({"profile": {"firstName": "Jonathan", "lastName": "Smith", "birthdate": "1980-02-03", "dateOfBirth": "1980-02-03"}}),
        &Policy::default().attribute_mapping(),
    )
    .unwrap()
    .user;
    let names = policy(json!({"claims": {"given_name": {}, "family_name": {}, "birthdate": {}}}));
    let report = Matcher::new(names.clone()).decide(&verified, &user);
    let vector = comparison_vector(&names, &report);
    // Never a claim value in the vector.
    let text = serde_json::to_string(&vector).unwrap();
    for value in ["Jonathon", "Jonathan", "Smith", "1980"] {
        assert!(!text.contains(value), "{text}");
    }
    let blockers = |doc: Value| replay(&policy(doc), &vector).blockers.into_iter().map(|b| b.why).collect::<Vec<_>>();
    // A claim that was not compared.
    assert_eq!(
        blockers(json!({"claims": {"given_name": {}, "family_name": {}, "birthdate": {}, "email": {}}})),
        [Unreplayable::NotCompared]
    );
    // A changed attribute source.
    assert_eq!(
        blockers(json!({"claims": {"given_name": {}, "family_name": {}, "birthdate": {"source": ["dateOfBirth"]}}})),
        [Unreplayable::SourceChanged]
    );
    // Fuzzy to exact on a one-edit agreement replays: now a mismatch, and the decision fails.
    let exact = replay(
        &policy(json!({"claims": {"given_name": {"mode": "exact"}, "family_name": {}, "birthdate": {}}})),
        &vector,
    );
    assert_eq!(report.decision, Decision::Match);
    assert_eq!(exact.decision, Some(Decision::NoMatch));
}
