//! Exports for shadow replay: the comparison vector of a decided report, and a vector re-decided
//! under a draft policy (see `claims::replay`).

use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::claims::replay::{comparison_vector, replay, ComparisonVector};
use crate::claims::{effective_policy_from_json_text, MatchReport};

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> Result<T, JsValue> {
    serde_json::from_str(text)
        .map_err(|_| to_js_error(&crate::Error::InvalidProfile { path: "$".into(), expected: what }))
}

fn policy(policy_json: Option<&str>, okta_claims_json: Option<&str>) -> Result<crate::claims::Policy, JsValue> {
    effective_policy_from_json_text(policy_json, okta_claims_json).map_err(|e| to_js_error(&e))
}

/// The comparison vector (JSON text) of a match report decided under a policy document (`null`: the
/// default) with an optional Okta claims request merged over it.
#[wasm_bindgen(js_name = comparisonVectorJson)]
pub fn comparison_vector_json(
    policy_json: Option<String>,
    okta_claims_json: Option<String>,
    report_json: &str,
) -> Result<String, JsValue> {
    let report: MatchReport = parse(report_json, "a match report")?;
    let vector = comparison_vector(&policy(policy_json.as_deref(), okta_claims_json.as_deref())?, &report);
    serde_json::to_string(&vector).map_err(|_| conversion("comparison vector"))
}

/// A stored comparison vector (JSON text) re-decided under a draft policy document (`null`: the
/// default); the replay as JSON text.
#[wasm_bindgen(js_name = replayVectorJson)]
pub fn replay_vector_json(policy_json: Option<String>, vector_json: &str) -> Result<String, JsValue> {
    let vector: ComparisonVector = parse(vector_json, "a comparison vector")?;
    let out = replay(&policy(policy_json.as_deref(), None)?, &vector);
    serde_json::to_string(&out).map_err(|_| conversion("replay"))
}
