//! Exports for profile normalization. Both cross the boundary as JSON text: the SDK serializes the
//! user and the mapping (`js/src/mapping-text.ts`) and parses the report, so this glue needs no
//! JS-object conversion (serde_wasm_bindgen), which keeps it out of the claims-only module.

use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::profile::{normalize_user_json, AttributeMapping};

/// Normalizes one Okta user given as JSON text (one copy across the boundary is cheaper than
/// converting the object property by property) with an attribute mapping as JSON text (`undefined`
/// for the defaults); returns the `NormalizedUser` as JSON text (absent values omitted).
#[wasm_bindgen(js_name = normalizeUserJson)]
pub fn normalize_user_json_js(text: &str, mapping: Option<String>) -> Result<String, JsValue> {
    let mapping = read_mapping(mapping.as_deref())?;
    let report = normalize_user_json(text, &mapping).map_err(|e| to_js_error(&e))?;
    serde_json::to_string(&report).map_err(|_| conversion("normalized user"))
}

/// Validates an attribute mapping given as JSON text (`undefined`: the defaults) without
/// normalizing anything (throws `INVALID_MAPPING`).
#[wasm_bindgen(js_name = validateMapping)]
pub fn validate_mapping_js(mapping: Option<String>) -> Result<(), JsValue> {
    read_mapping(mapping.as_deref()).map(|_| ())
}

fn read_mapping(mapping: Option<&str>) -> Result<AttributeMapping, JsValue> {
    let Some(text) = mapping else { return Ok(AttributeMapping::default()) };
    let doc = crate::profile::json::parse_value(text).map_err(|_| conversion("mapping"))?;
    AttributeMapping::from_json(&doc).map_err(|e| to_js_error(&e))
}
