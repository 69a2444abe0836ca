//! Enrollment status: inactive, needs attributes, not enrolled, enrolled once a `match` is recorded;
//! the history is independent of the directory, so it survives a re-sync.

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::directory::{EnrollmentStatus, Enrollments, MAX_RECORDS_PER_USER};
use okta_directory::profile::{normalize_user, DirectoryUser};
use serde_json::{json, Value};

fn user(status: &str, profile: Value) -> DirectoryUser {
    let whole = json!({"id": "00u1", "status": status, "profile": profile});
    normalize_user(&whole, &Policy::default().attribute_mapping()).expect("fixture").user
}

fn complete() -> Value {
    json!({"login": "ana@example.com", "firstName": "Ana", "lastName": "Núñez", "birthdate": "1990-04-03"})
}

#[test]
fn status_follows_record_policy_and_history() {
    let policy = Policy::default();
    let mut enrollments = Enrollments::default();
    assert_eq!(enrollments.status(&user("SUSPENDED", complete()), &policy), EnrollmentStatus::Inactive);
    let incomplete = user("ACTIVE", json!({"firstName": "Ana", "lastName": "Núñez"}));
    assert_eq!(
        enrollments.status(&incomplete, &policy),
        EnrollmentStatus::NeedsAttributes { missing: vec!["birthdate".into()] }
    );
    let ana = user("ACTIVE", complete());
    assert_eq!(enrollments.status(&ana, &policy), EnrollmentStatus::NotEnrolled);

    let matcher = Matcher::new(policy.clone());
    let wrong = matcher.decide(
        &VerifiedClaims::from_json(&json!({"given_name": "ANA", "family_name": "NUNEZ", "birthdate": "1991-04-03"})),
        &ana,
    );
    assert_eq!(wrong.decision, Decision::NoMatch);
    enrollments.record("00u1", 1_000, &wrong, &policy.id);
    assert_eq!(enrollments.status(&ana, &policy), EnrollmentStatus::NotEnrolled, "a no_match does not enroll");

    let right = matcher.decide(
        &VerifiedClaims::from_json(&json!({"given_name": "ANA", "family_name": "NUNEZ", "birthdate": "1990-04-03"})),
        &ana,
    );
    let record = enrollments.record("00u1", 2_000, &right, &policy.id).clone();
    assert_eq!(record.decision, Decision::Match);
    assert!(record.matched.len() >= 3);
    assert_eq!(enrollments.status(&ana, &policy), EnrollmentStatus::Enrolled { last: record.clone() });

    // A re-sync replaces the directory record; the history (kept apart, persisted as JSON) survives.
    let persisted = serde_json::to_string(&enrollments).unwrap();
    let restored: Enrollments = serde_json::from_str(&persisted).unwrap();
    let resynced = user("ACTIVE", complete());
    assert_eq!(restored.status(&resynced, &policy), EnrollmentStatus::Enrolled { last: record });
    assert_eq!(restored.history("00u1").len(), 2);
    // Deactivated later: inactive, whatever the history says.
    assert_eq!(restored.status(&user("DEPROVISIONED", complete()), &policy), EnrollmentStatus::Inactive);
    let json = serde_json::to_value(restored.status(&ana, &policy)).unwrap();
    assert_eq!(json["status"], "enrolled");
}

#[test]
fn history_is_bounded() {
    let policy = Policy::default();
    let ana = user("ACTIVE", complete());
    let report = Matcher::new(policy.clone()).decide(&VerifiedClaims::from_json(&json!({})), &ana);
    let mut enrollments = Enrollments::default();
    for t in 0..(MAX_RECORDS_PER_USER as u64 + 10) {
        enrollments.record("00u1", t, &report, &policy.id);
    }
    let history = enrollments.history("00u1");
    assert_eq!(history.len(), MAX_RECORDS_PER_USER);
    assert_eq!(history[0].at_ms, 10, "the oldest records go first");
    assert!(enrollments.history("00unknown").is_empty());
}

#[test]
fn records_serialize_camel_case_and_histories_written_snake_case_still_load() {
    let old = r#"{"users":{"00u1":[{"at_ms":5,"decision":"match","matched":["birthdate"],"policy_id":"helpdesk"}]}}"#;
    let history: Enrollments = serde_json::from_str(old).expect("a history stored before the camelCase change loads");
    let record = &history.history("00u1")[0];
    assert_eq!((record.at_ms, record.policy_id.as_str()), (5, "helpdesk"));
    let written: Value = serde_json::to_value(&history).unwrap();
    assert_eq!(
        written["users"]["00u1"][0],
        json!({"atMs": 5, "decision": "match", "matched": ["birthdate"], "policyId": "helpdesk"})
    );
}
