//! Exports for claims matching.
use wasm_bindgen::prelude::*;

use super::error::to_js_error;
use super::heap;
use crate::claims::{
    decide_many_json, encode_match, encode_prepared_match, load_pairs, load_pairs_reservation, match_line,
    match_many_codes, matcher_from_json_text, oidc4ida_response, okta_response, read_sides, read_verified_json,
    Decision, Matcher, OktaClaimsRequest, PreparedPair, ResponseOptions,
};
use crate::profile::directory_user_from_json_text;

/// A policy (optionally merged with an Okta claims request) prepared once for many comparisons.
#[wasm_bindgen(js_name = ClaimsMatcher)]
pub struct ClaimsMatcherJs {
    matcher: Matcher,
    request: Option<OktaClaimsRequest>,
}

#[wasm_bindgen(js_class = ClaimsMatcher)]
impl ClaimsMatcherJs {
    /// Builds a matcher from a policy document (`null` for the default policy) and an optional Okta
    /// claims request, both as JSON text; `compare_okta_values` makes the request's values stand in
    /// for the record's (a vendor answering Okta's authenticated PAR only); `frequencies` is a
    /// directory's encoded frequency table (the SDK's `Directory.frequencyTable()`) for directory-aware weights.
    #[wasm_bindgen(constructor)]
    pub fn new(
        policy_json: Option<String>,
        okta_claims_json: Option<String>,
        compare_okta_values: Option<bool>,
        frequencies: Option<Vec<u8>>,
    ) -> Result<ClaimsMatcherJs, JsValue> {
        let (matcher, request) = matcher_from_json_text(
            policy_json.as_deref(),
            okta_claims_json.as_deref(),
            compare_okta_values == Some(true),
            frequencies.as_deref(),
        )
        .map_err(|e| to_js_error(&e))?;
        Ok(ClaimsMatcherJs { matcher, request })
    }

    /// The strength warnings of the policy this matcher decides under (JSON text of `PolicyWarning[]`).
    #[wasm_bindgen(js_name = warningsJson)]
    pub fn warnings_json(&self) -> Result<String, JsValue> {
        crate::claims::warnings_json(self.matcher.policy()).map_err(|e| to_js_error(&e))
    }

    /// Compares verified claims (JSON text of the OIDC claims object) with a directory record (JSON
    /// text of an Okta user, a bare profile) and decides; returns the report as codes (the tables of
    /// `reportNamesJson`; the SDK builds the objects the report's JSON text would parse to).
    #[wasm_bindgen(js_name = matchCodes)]
    pub fn match_codes(&self, verified_json: &str, directory_json: &str) -> Result<Vec<u8>, JsValue> {
        let (verified, user) = read_sides(verified_json, directory_json, &self.matcher.policy().attribute_mapping())
            .map_err(|e| to_js_error(&e))?;
        Ok(codes(|out| encode_match(out, &self.matcher, &verified, &user)))
    }

    /// Compares verified claims with an already-normalized directory record (a `DirectoryUser`, e.g.
    /// from a directory lookup), both as JSON text; returns the report as codes.
    #[wasm_bindgen(js_name = matchUserCodes)]
    pub fn match_user_codes(&self, verified_json: &str, user_json: &str) -> Result<Vec<u8>, JsValue> {
        let verified = read_verified_json(verified_json).map_err(|e| to_js_error(&e))?;
        let user = directory_user_from_json_text(user_json).map_err(|e| to_js_error(&e))?;
        Ok(codes(|out| encode_match(out, &self.matcher, &verified, &user)))
    }

    /// Matches many pairs given as JSON text of `[{"verified": …, "directory": …}, …]`; returns the
    /// reports, one per pair in order, as codes (the tables of `reportNamesJson`), which the SDK turns
    /// into the objects `JSON.parse` of their JSON text would give (a pair that cannot be read throws
    /// for the whole call). The pairs are read one at a time (no tree of the whole array).
    #[wasm_bindgen(js_name = matchManyCodes)]
    pub fn match_many_codes(&self, pairs_json: &str) -> Result<Vec<u8>, JsValue> {
        match_many_codes(&self.matcher, pairs_json).map_err(|e| to_js_error(&e))
    }

    /// Decides many pairs given as JSON text of `[{"verified": …, "directory": …}, …]` without
    /// writing reports: one code per pair, in order — 0 `match`, 1 `no_match`, 2 `review` (a pair
    /// that cannot be read throws for the whole call, as in `matchManyCodes`).
    #[wasm_bindgen(js_name = decideManyJson)]
    pub fn decide_many_json(&self, pairs_json: &str) -> Result<Vec<u8>, JsValue> {
        decide_many_json(&self.matcher, pairs_json).map_err(|e| to_js_error(&e))
    }

    /// Decides, then writes the decision as a `verified_claims` response: `style` is `"okta"` (Okta's
    /// profile: failures as `null`, `redact_matched` writes `"MATCHED"`) or `"oidc4ida"` (matched
    /// claims only). Returns the response as JSON text.
    #[wasm_bindgen(js_name = respondJson)]
    pub fn respond_json(
        &self,
        verified_json: &str,
        directory_json: &str,
        style: &str,
        redact_matched: bool,
        time: Option<String>,
    ) -> Result<String, JsValue> {
        let (verified, user) = read_sides(verified_json, directory_json, &self.matcher.policy().attribute_mapping())
            .map_err(|e| to_js_error(&e))?;
        let report = self.matcher.decide(&verified, &user);
        let trust_framework = self.matcher.policy().trust_framework.as_str();
        let options = ResponseOptions { trust_framework: Some(trust_framework), time: time.as_deref(), redact_matched };
        let response = match style {
            "oidc4ida" => oidc4ida_response(&report, &verified, &options),
            _ => okta_response(&report, &verified, self.request.as_ref(), &options),
        };
        Ok(response.to_string())
    }

    /// Reads many pairs once and keeps them inside WebAssembly, both sides prepared (names parsed and
    /// folded, addresses normalized, dates and phone numbers parsed), for [`LoadedPairsJs::decide`]
    /// and [`LoadedPairsJs::report`]. `pairs` is JSON text: an array of `{"verified", "directory"}`
    /// objects, or JSON Lines of such objects (blank lines skipped). A pair that cannot be read
    /// throws for the whole call.
    #[wasm_bindgen(js_name = loadPairs)]
    pub fn load_pairs(&self, pairs: &str) -> Result<LoadedPairsJs, JsValue> {
        heap::reserve(load_pairs_reservation(pairs.len(), heap::memory_bytes()));
        let loaded = load_pairs(&self.matcher, pairs).map_err(|e| to_js_error(&e))?;
        // Copied once more so each pair's values lie together, away from the parsing's freed blocks:
        // deciding then reads memory in order.
        let pairs = loaded.clone();
        drop(loaded);
        Ok(LoadedPairsJs { matcher: self.matcher.clone(), pairs })
    }

    /// One JSON Lines line in, one line out (see the CLI `match` command); never throws.
    #[wasm_bindgen(js_name = matchLine)]
    pub fn match_line(&self, line: &str) -> String {
        match_line(&self.matcher, line)
    }
}

/// The names the report codes of `ClaimsMatcher.matchManyCodes` index, as JSON text.
#[wasm_bindgen(js_name = reportNamesJson)]
pub fn report_names_json() -> String {
    crate::claims::report_names_json()
}

/// Pairs loaded by [`ClaimsMatcherJs::load_pairs`], prepared once, with the matcher that read them.
#[wasm_bindgen(js_name = LoadedPairs)]
pub struct LoadedPairsJs {
    matcher: Matcher,
    pairs: Vec<PreparedPair>,
}

#[wasm_bindgen(js_class = LoadedPairs)]
impl LoadedPairsJs {
    /// The number of pairs loaded.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.pairs.len()
    }

    /// Decides every loaded pair: one byte per pair, in order — 0 `match`, 1 `no_match`, 2 `review`.
    pub fn decide(&self) -> Vec<u8> {
        self.pairs
            .iter()
            .map(|(v, d)| match self.matcher.decide_prepared(v, d) {
                Decision::Match => 0,
                Decision::NoMatch => 1,
                Decision::Review => 2,
            })
            .collect()
    }

    /// The full report of the pair at `index` (the same comparisons as [`LoadedPairsJs::decide`]), as
    /// codes.
    #[wasm_bindgen(js_name = reportCodes)]
    pub fn report_codes(&self, index: usize) -> Result<Vec<u8>, JsValue> {
        let (v, d) = self.pairs.get(index).ok_or_else(|| {
            to_js_error(&crate::Error::InvalidProfile { path: "index".into(), expected: "the index of a loaded pair" })
        })?;
        Ok(codes(|out| encode_prepared_match(out, &self.matcher, v, d)))
    }
}

/// A report as codes, written by `encode`.
fn codes(encode: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    encode(&mut out);
    out
}
