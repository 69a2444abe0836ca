//! Policy strength: warnings for a policy whose deciding claims cannot tell people apart. A policy that
//! decides on one claim (`{"claims": {"birthdate": {}}}`) matches anyone sharing that value — everyone born
//! that day — and one without a name claim matches anyone sharing the other values (a housemate, a twin).
//! The policy stays valid (an operator may mean it); every place that loads one surfaces the warning.

use serde::Serialize;

use super::kinds::ClaimKind;
use super::policy::{OnMismatch, Policy};
use crate::error::{Error, Result};

/// The stable code of every policy-strength warning.
pub const POLICY_WEAK: &str = "POLICY_WEAK";

/// Why a policy is weak (stable, snake_case in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeakReason {
    /// Fewer than two claims decide (required, a mismatch refusing or sending to review).
    FewerThanTwoClaims,
    /// Neither `given_name` nor `family_name` decides.
    NoNameClaim,
}

/// One warning about a policy (settings only: never a person's value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyWarning {
    /// Always [`POLICY_WEAK`].
    pub code: &'static str,
    /// Why.
    pub reason: WeakReason,
    /// One sentence for an operator.
    pub message: &'static str,
}

/// Whether a claim rule decides: required (missing is `no_match`) and a mismatch is not only flagged.
fn decides(policy: &Policy, kind: ClaimKind) -> bool {
    policy.rule(kind).is_some_and(|r| r.required && r.on_mismatch != OnMismatch::Flag)
}

/// The warnings of a policy (empty for the default policy).
pub fn policy_warnings(policy: &Policy) -> Vec<PolicyWarning> {
    let deciding = ClaimKind::ALL.iter().filter(|(k, _)| decides(policy, *k)).count();
    let mut out = Vec::new();
    if deciding < 2 {
        out.push(PolicyWarning {
            code: POLICY_WEAK,
            reason: WeakReason::FewerThanTwoClaims,
            message: "fewer than two required claims decide: anyone sharing that one value matches",
        });
    }
    if !decides(policy, ClaimKind::GivenName) && !decides(policy, ClaimKind::FamilyName) {
        out.push(PolicyWarning {
            code: POLICY_WEAK,
            reason: WeakReason::NoNameClaim,
            message: "no required name claim: anyone sharing the other values (a housemate, a twin) matches",
        });
    }
    out
}

/// [`policy_warnings`] as a JSON array of `{code, reason, message}`.
///
/// # Errors
/// `CONVERSION_FAILED` if serialization fails (it does not for these plain values).
pub fn warnings_json(policy: &Policy) -> Result<String> {
    serde_json::to_string(&policy_warnings(policy)).map_err(|_| Error::Conversion { detail: "policy warnings".into() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::policy_from_json_text;

    fn reasons(doc: &str) -> Vec<WeakReason> {
        policy_warnings(&policy_from_json_text(Some(doc)).expect("a valid policy"))
            .into_iter()
            .map(|w| w.reason)
            .collect()
    }

    #[test]
    fn the_default_policy_is_not_weak() {
        assert!(policy_warnings(&Policy::default()).is_empty());
        assert!(reasons(r#"{"claims": {"given_name": {}, "family_name": {}, "birthdate": {}}}"#).is_empty());
        assert!(reasons(r#"{"claims": {"family_name": {}, "birthdate": {}}}"#).is_empty());
    }

    #[test]
    fn a_birthdate_only_policy_is_weak_twice() {
        assert_eq!(
            reasons(r#"{"claims": {"birthdate": {}}}"#),
            [WeakReason::FewerThanTwoClaims, WeakReason::NoNameClaim]
        );
        // The misspelling Okta's example uses reads as birthdate too.
        assert_eq!(reasons(r#"{"claims": {"bithdate": {}}}"#).len(), 2);
    }

    #[test]
    fn a_policy_without_a_deciding_name_claim_is_weak() {
        assert_eq!(reasons(r#"{"claims": {"birthdate": {}, "email": {"required": true}}}"#), [WeakReason::NoNameClaim]);
        // A name whose mismatch is only flagged does not decide.
        assert_eq!(
            reasons(
                r#"{"claims": {"given_name": {"on_mismatch": "flag"}, "birthdate": {}, "phone_number": {"required": true}}}"#
            ),
            [WeakReason::NoNameClaim]
        );
        // Optional claims decide nothing: one required name is still one claim.
        assert_eq!(
            reasons(r#"{"claims": {"given_name": {}, "address": {}, "phone_number": {}}}"#),
            [WeakReason::FewerThanTwoClaims]
        );
    }

    #[test]
    fn warnings_serialize_with_a_stable_code_and_reason() {
        let json = serde_json::to_string(&policy_warnings(
            &policy_from_json_text(Some(r#"{"claims": {"given_name": {}}}"#)).unwrap(),
        ))
        .unwrap();
        assert!(json.starts_with(r#"[{"code":"POLICY_WEAK","reason":"fewer_than_two_claims","#), "{json}");
    }
}
