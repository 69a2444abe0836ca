//! Exports for enrollment status (stateless: the history travels as JSON, stored by the caller).

use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::claims::{policy_from_json_text, MatchReport};
use crate::profile::DirectoryUser;
use crate::readiness::Enrollments;

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> Result<T, JsValue> {
    serde_json::from_str(text)
        .map_err(|_| to_js_error(&crate::Error::InvalidProfile { path: "$".into(), expected: what }))
}

/// Adds a verification outcome to a history (JSON text; `null` for an empty one); returns the new history.
#[wasm_bindgen(js_name = recordVerificationJson)]
pub fn record_verification_json(
    history_json: Option<String>,
    user_id: &str,
    at_ms: f64,
    report_json: &str,
    policy_id: &str,
) -> Result<String, JsValue> {
    let mut history: Enrollments = match history_json {
        Some(text) => parse(&text, "an enrollment history")?,
        None => Enrollments::default(),
    };
    let report: MatchReport = parse(report_json, "a match report")?;
    // Times are whole milliseconds; anything else (negative, NaN) is clamped to 0.
    let at = if at_ms.is_finite() && at_ms > 0.0 { at_ms as u64 } else { 0 };
    history.record(user_id, at, &report, policy_id);
    serde_json::to_string(&history).map_err(|_| conversion("enrollment history"))
}

/// The enrollment status of a directory user (JSON text) under a policy, given a history.
#[wasm_bindgen(js_name = enrollmentStatusJson)]
pub fn enrollment_status_json(
    user_json: &str,
    history_json: Option<String>,
    policy_json: Option<String>,
) -> Result<String, JsValue> {
    let user: DirectoryUser = parse(user_json, "a DirectoryUser object")?;
    let history: Enrollments = match history_json {
        Some(text) => parse(&text, "an enrollment history")?,
        None => Enrollments::default(),
    };
    let status = history.status(&user, &policy_from_json_text(policy_json.as_deref()).map_err(|e| to_js_error(&e))?);
    serde_json::to_string(&status).map_err(|_| conversion("enrollment status"))
}
