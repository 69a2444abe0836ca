//! Reading the documents a matcher is made from — a policy document and an Okta claims request, both
//! as JSON text — in one place, so every entry point (the `ClaimsMatcher`, shadow replay, enrollment,
//! the readiness audit) answers the same input with the same error codes.

use std::sync::Arc;

use super::engine::Matcher;
use super::frequency::FrequencyTable;
use super::okta::{parse_okta_claims_json, OktaClaimsRequest};
use super::policy::Policy;
use crate::error::{Error, Result};
use crate::profile::json::parse_value;

/// The policy a document given as JSON text describes; `None` is the default policy.
///
/// # Errors
/// `INVALID_JSON` (the position only: the text is never quoted) or `INVALID_POLICY` (naming the path).
pub fn policy_from_json_text(text: Option<&str>) -> Result<Policy> {
    let Some(text) = text else { return Ok(Policy::default()) };
    let doc = parse_value(text)
        .map_err(|e| Error::InvalidJson { position: format!("line {} column {}", e.line(), e.column()) })?;
    Policy::from_json(&doc)
}

/// The matcher a policy document (`None`: the default) and an optional Okta claims request (both JSON
/// text) make, with the request it read: the request tightens the policy ([`Matcher::with_okta`]);
/// with `compare_okta_values` its values stand in for the record's ([`Matcher::with_okta_values`]:
/// only for a vendor answering Okta's own PAR). `frequencies` is an encoded [`FrequencyTable`].
///
/// # Errors
/// As [`policy_from_json_text`]; `INVALID_JSON`, `INPUT_TOO_LARGE` or `INVALID_OKTA_CLAIMS` for the
/// request; `SNAPSHOT_CORRUPT` for a table that is not [`FrequencyTable::to_bytes`]' output.
pub fn matcher_from_json_text(
    policy: Option<&str>,
    okta_claims: Option<&str>,
    compare_okta_values: bool,
    frequencies: Option<&[u8]>,
) -> Result<(Matcher, Option<OktaClaimsRequest>)> {
    let policy = policy_from_json_text(policy)?;
    let request = okta_claims.map(parse_okta_claims_json).transpose()?;
    let matcher = match &request {
        Some(request) if compare_okta_values => Matcher::with_okta_values(&policy, request),
        Some(request) => Matcher::with_okta(&policy, request),
        None => Matcher::new(policy),
    };
    let matcher = match frequencies {
        Some(bytes) => matcher.with_frequencies(Arc::new(FrequencyTable::from_bytes(bytes)?)),
        None => matcher,
    };
    Ok((matcher, request))
}

/// The effective policy of a policy document (`None`: the default) with an optional Okta claims
/// request merged over it (the policy [`matcher_from_json_text`]'s matcher decides under).
///
/// # Errors
/// As [`matcher_from_json_text`].
pub fn effective_policy_from_json_text(policy: Option<&str>, okta_claims: Option<&str>) -> Result<Policy> {
    Ok(matcher_from_json_text(policy, okta_claims, false, None)?.0.policy().clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{ClaimKind, Decision, VerifiedClaims};
    use crate::profile::DirectoryUser;

    const POLICY: &str = r#"{"version": 1, "id": "p1", "claims": {"given_name": {}}}"#;
    const REQUEST: &str = r#"{"id_token": {"verified_claims": {"verification": {"trust_framework": {"value": "x"}},
        "claims": {"family_name": {"value": "Okta's value"}}}}}"#;

    fn code<T: std::fmt::Debug>(r: Result<T>) -> &'static str {
        r.expect_err("an error").code()
    }

    #[test]
    fn an_absent_document_is_the_default_policy() {
        assert_eq!(policy_from_json_text(None), Ok(Policy::default()));
        assert_eq!(effective_policy_from_json_text(None, None), Ok(Policy::default()));
    }

    #[test]
    fn a_document_is_read_as_policy_from_json_reads_it() {
        let policy = policy_from_json_text(Some(POLICY)).expect("a policy");
        assert_eq!(Ok(&policy), Policy::from_json(&serde_json::from_str(POLICY).unwrap()).as_ref());
        assert_eq!(policy.id, "p1");
    }

    #[test]
    fn bad_json_and_a_wrong_shape_have_one_code_each_and_quote_nothing() {
        // Not JSON: INVALID_JSON with the position only, whichever entry point reads it.
        let secret = r#"{"id": "Jane Roe 1990-04-03", nope}"#;
        let bad = policy_from_json_text(Some(secret)).expect_err("not JSON");
        assert_eq!(bad.code(), "INVALID_JSON");
        assert!(!bad.to_string().contains("Jane"), "{bad}");
        assert_eq!(code(effective_policy_from_json_text(Some(secret), None)), "INVALID_JSON");
        assert_eq!(code(matcher_from_json_text(Some(secret), None, false, None)), "INVALID_JSON");
        // JSON of the wrong shape: INVALID_POLICY naming the path.
        for doc in ["[]", "\"policy\"", "{\"claims\": {\"shoe_size\": {}}}", "{\"version\": 2}", "{\"x\": 1}"] {
            assert_eq!(code(policy_from_json_text(Some(doc))), "INVALID_POLICY", "{doc}");
            assert_eq!(code(effective_policy_from_json_text(Some(doc), None)), "INVALID_POLICY", "{doc}");
        }
    }

    #[test]
    fn the_okta_request_tightens_the_policy_and_its_errors_are_its_own() {
        let merged = effective_policy_from_json_text(Some(POLICY), Some(REQUEST)).expect("merged");
        assert!(merged.rule(ClaimKind::GivenName).is_some());
        assert!(merged.rule(ClaimKind::FamilyName).is_some_and(|r| r.required), "{merged:#?}");
        assert_eq!(code(effective_policy_from_json_text(None, Some("{"))), "INVALID_JSON");
        assert_eq!(code(effective_policy_from_json_text(None, Some("{\"x\": 1}"))), "INVALID_OKTA_CLAIMS");
        let huge = format!("{{\"x\": \"{}\"}}", "a".repeat(64 * 1024));
        assert_eq!(code(effective_policy_from_json_text(None, Some(&huge))), "INPUT_TOO_LARGE");
    }

    #[test]
    fn okta_values_stand_in_for_the_record_only_when_asked() {
        let verified =
            VerifiedClaims::from_json(&serde_json::json!({"given_name": "Ana", "family_name": "Okta's value"}));
        let mut user = DirectoryUser::default();
        user.name.given = Some("Ana".into());
        user.name.family = Some("Someone Else".into());
        let (own, request) = matcher_from_json_text(Some(POLICY), Some(REQUEST), false, None).expect("matcher");
        assert!(request.is_some());
        assert_eq!(own.decide(&verified, &user).decision, Decision::NoMatch);
        let (vendor, _) = matcher_from_json_text(Some(POLICY), Some(REQUEST), true, None).expect("matcher");
        assert_eq!(vendor.decide(&verified, &user).decision, Decision::Match);
    }

    #[test]
    fn a_frequency_table_that_is_not_one_is_corrupt() {
        assert_eq!(code(matcher_from_json_text(None, None, false, Some(&[0xff, 0xff, 0xff]))), "SNAPSHOT_CORRUPT");
        assert!(matcher_from_json_text(None, None, false, None).expect("matcher").0.frequencies().is_none());
    }
}
