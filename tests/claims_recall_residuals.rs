//! The residual misses of the noisy TUNING split at the default (`balanced`) operating point: every
//! genuine pair with the core claims present that is not decided `match`, one JSON line each (the
//! generator's modifications, both sides' values, the decision, its guard and each claim's outcome,
//! level and reasons) — the input of the residual table in docs/claims-decisions.md.
//! `CLAIMS_RESIDUALS=path cargo test --release --test claims_recall_residuals -- --ignored`.

mod common_eval;

use common_eval::noise::{core_present, generate_noisy, HOUSEHOLD_SAME_GIVEN_DOB, TUNING_SEEDS};
use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::normalize_user;
use serde_json::json;

#[test]
#[ignore = "writes the TUNING residuals: CLAIMS_RESIDUALS=path cargo test --release --test claims_recall_residuals -- --ignored"]
fn dump_tuning_residuals() {
    let Ok(path) = std::env::var("CLAIMS_RESIDUALS") else { return };
    let policy = Policy::default();
    let mapping = policy.attribute_mapping();
    let matcher = Matcher::new(policy);
    let mut out = String::new();
    for case in TUNING_SEEDS.iter().flat_map(|s| generate_noisy(*s, 3000, 3000, 100)) {
        if case.class == HOUSEHOLD_SAME_GIVEN_DOB || !case.same_person || !core_present(&case) {
            continue;
        }
        let user = normalize_user(&json!({ "profile": case.profile }), &mapping).expect("normalizes").user;
        let report = matcher.decide(&VerifiedClaims::from_json(&case.verified), &user);
        if report.decision == Decision::Match {
            continue;
        }
        let line = json!({"detail": case.detail, "verified": case.verified, "directory": case.profile,
            "report": serde_json::to_value(&report).expect("serializes")});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).expect("writes the residuals");
}
