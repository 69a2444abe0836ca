//! OAuth client pieces for the SDK's reads outside a sync (`oktaOAuthUserFetcher`): the rules are
//! `crate::sync::auth::reader`'s; the SDK signs with WebCrypto and fetches.

use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::sync::auth::reader::{
    asks_for_nonce, client_assertion_input, dpop_proof_input, read_token_answer, usable_nonce,
};
use crate::sync::auth::{token_form, ProofClaims};
use crate::sync::options::to_u64;
use crate::sync::Response;

#[wasm_bindgen(typescript_custom_section)]
const TS_AUTH: &'static str = r#"
/** A token-endpoint answer, from {@link readTokenResponse}. */
export type TokenAnswer =
  | { kind: "token"; value: string; dpopBound: boolean; refreshAtMs: number }
  | { kind: "useNonce"; nonce: string }
  | { kind: "retry" };
"#;

/// The `private_key_jwt` client assertion's signing input (throws `INVALID_CREDENTIALS` for a bad client id, key id or algorithm).
#[wasm_bindgen(js_name = clientAssertionInput)]
pub fn client_assertion_input_js(
    client_id: &str,
    key_id: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "\"RS256\" | \"ES256\"")] alg: &str,
    token_url: &str,
    now_s: f64,
    jti: &str,
) -> Result<String, JsValue> {
    client_assertion_input(client_id, key_id.as_deref(), alg, token_url, to_u64(now_s), jti)
        .map_err(|e| to_js_error(&e))
}

/// A DPoP proof's signing input for a request (the public JWK as JSON text; throws `INVALID_CREDENTIALS` unless P-256).
#[wasm_bindgen(js_name = dpopProofInput)]
pub fn dpop_proof_input_js(
    public_jwk_json: &str,
    method: &str,
    url: &str,
    now_s: f64,
    jti: &str,
    nonce: Option<String>,
    ath: Option<String>,
) -> Result<String, JsValue> {
    let claims = ProofClaims { method, url, now_s: to_u64(now_s), jti, nonce: nonce.as_deref(), ath: ath.as_deref() };
    dpop_proof_input(public_jwk_json, claims).map_err(|e| to_js_error(&e))
}

/// The client-credentials token request body up to `client_assertion=` (append the signed assertion).
#[wasm_bindgen(js_name = tokenRequestBody)]
pub fn token_request_body(scopes: Vec<String>) -> String {
    token_form(&scopes)
}

/// Reads a token-endpoint answer received at `nowMs` (`headers` flat: name, value, …; `nonceSent`: the request
/// answered a nonce challenge already); throws `AUTHENTICATION_FAILED`, `AUTHORIZATION_INCOMPLETE` or `MALFORMED_RESPONSE`.
#[wasm_bindgen(js_name = readTokenResponse, unchecked_return_type = "TokenAnswer")]
pub fn read_token_response_js(
    status: u16,
    headers: Vec<String>,
    body: String,
    scopes: Vec<String>,
    now_ms: f64,
    nonce_sent: bool,
) -> Result<JsValue, JsValue> {
    let answer = read_token_answer(&Response::from_flat(status, headers, body), &scopes, to_u64(now_ms), nonce_sent);
    serde_wasm_bindgen::to_value(&answer.map_err(|e| to_js_error(&e))?).map_err(|_| conversion("token answer"))
}

/// A `DPoP-Nonce` header's value when usable, else `undefined`.
#[wasm_bindgen(js_name = usableDpopNonce)]
pub fn usable_dpop_nonce(value: &str) -> Option<String> {
    usable_nonce(value)
}

/// Whether a `WWW-Authenticate` challenge asks for a new DPoP proof with the server's nonce.
#[wasm_bindgen(js_name = asksForDpopNonce)]
pub fn asks_for_dpop_nonce(www_authenticate: &str) -> bool {
    asks_for_nonce(www_authenticate)
}
