//! Exports for shadow replay: the comparison vector of a decided report, and a vector re-decided
//! under a draft policy (see `claims::replay`).

use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::claims::replay::{comparison_vector, replay, ComparisonVector};
use crate::claims::{parse_okta_claims, MatchReport, Matcher, Policy};

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> Result<T, JsValue> {
    serde_json::from_str(text)
        .map_err(|_| to_js_error(&crate::Error::InvalidProfile { path: "$".into(), expected: what }))
}

/// The policy a document (`None`: the default) and an optional Okta claims request make.
fn effective_policy(policy_json: Option<String>, okta_claims_json: Option<String>) -> Result<Policy, JsValue> {
    let policy = match policy_json {
        Some(text) => Policy::from_json(&parse(&text, "a policy document")?).map_err(|e| to_js_error(&e))?,
        None => Policy::default(),
    };
    match okta_claims_json {
        Some(text) => {
            let request = parse_okta_claims(&parse(&text, "an Okta claims request")?).map_err(|e| to_js_error(&e))?;
            Ok(Matcher::with_okta(&policy, &request).policy().clone())
        }
        None => Ok(policy),
    }
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
    let vector = comparison_vector(&effective_policy(policy_json, okta_claims_json)?, &report);
    serde_json::to_string(&vector).map_err(|_| conversion("comparison vector"))
}

/// A stored comparison vector (JSON text) re-decided under a draft policy document (`null`: the
/// default); the replay as JSON text.
#[wasm_bindgen(js_name = replayVectorJson)]
pub fn replay_vector_json(policy_json: Option<String>, vector_json: &str) -> Result<String, JsValue> {
    let vector: ComparisonVector = parse(vector_json, "a comparison vector")?;
    let out = replay(&effective_policy(policy_json, None)?, &vector);
    serde_json::to_string(&out).map_err(|_| conversion("replay"))
}
