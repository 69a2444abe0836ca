//! Exports for profile normalization.

use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::profile::{normalize_user_json, AttributeMapping, NormalizedUser};

/// Normalizes one Okta user given as JSON text (the SDK serializes object inputs: one copy across
/// the boundary is cheaper than converting the object property by property).
#[wasm_bindgen(js_name = normalizeUserJson)]
pub fn normalize_user_json_js(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "AttributeMappingInput | undefined | null")] mapping: JsValue,
) -> Result<Ts<NormalizedUser>, JsValue> {
    let mapping = read_mapping(mapping)?;
    let report = normalize_user_json(text, &mapping).map_err(|e| to_js_error(&e))?;
    Ts::from_rust(&report).map_err(|_| conversion("normalized user"))
}

/// Validates an attribute mapping without normalizing anything (throws `INVALID_MAPPING`).
#[wasm_bindgen(js_name = validateMapping)]
pub fn validate_mapping_js(
    #[wasm_bindgen(unchecked_param_type = "AttributeMappingInput")] mapping: JsValue,
) -> Result<(), JsValue> {
    read_mapping(mapping).map(|_| ())
}

fn read_mapping(mapping: JsValue) -> Result<AttributeMapping, JsValue> {
    if mapping.is_undefined() || mapping.is_null() {
        return Ok(AttributeMapping::default());
    }
    let doc: serde_json::Value = serde_wasm_bindgen::from_value(mapping).map_err(|_| conversion("mapping"))?;
    AttributeMapping::from_json(&doc).map_err(|e| to_js_error(&e))
}
