//! The OAuth client pieces for a driver that reads outside a sync (the SDK's Event Hook user reads,
//! `oktaOAuthUserFetcher`): the same assertion, proof, token request and token-answer rules as a sync's
//! [`SyncSession`](crate::sync::SyncSession), one call each, so the driver holds no copy of them. The driver
//! keeps the keys, signs, fetches and remembers the token and nonce.

use serde::Serialize;
use serde_json::{Map, Value};

use super::jwt::{assertion_input, proof_input, ProofClaims, SigningAlg};
use super::token::{challenge_param, is_nonce, read_token_response, refresh_at, TokenReply};
use super::{check_client, public_dpop_jwk};
use crate::error::{Error, Result};
use crate::sync::http::Response;

/// The signing algorithm named `name` (`RS256` or `ES256`); `INVALID_CREDENTIALS` otherwise.
pub fn signing_alg(name: &str) -> Result<SigningAlg> {
    match name {
        "RS256" => Ok(SigningAlg::RS256),
        "ES256" => Ok(SigningAlg::ES256),
        _ => Err(Error::InvalidCredentials { reason: "the key's algorithm must be RS256 or ES256" }),
    }
}

/// The client assertion's signing input (see [`assertion_input`]) after the client id and key id are
/// checked as a sync checks them (`INVALID_CREDENTIALS`).
pub fn client_assertion_input(
    client_id: &str,
    key_id: Option<&str>,
    alg: &str,
    token_url: &str,
    now_s: u64,
    jti: &str,
) -> Result<String> {
    check_client(client_id, key_id)?;
    Ok(assertion_input(client_id, key_id, signing_alg(alg)?, token_url, now_s, jti))
}

/// A DPoP proof's signing input (see [`proof_input`]; ES256, `htu` from `claims.url`), the DPoP key's public
/// JWK given as JSON text and reduced to its public members (`INVALID_CREDENTIALS` unless P-256).
pub fn dpop_proof_input(public_jwk_json: &str, claims: ProofClaims<'_>) -> Result<String> {
    let bad = Error::InvalidCredentials { reason: "the DPoP key must be a P-256 public JWK" };
    let jwk: Map<String, Value> = serde_json::from_str(public_jwk_json).map_err(|_| bad)?;
    Ok(proof_input(SigningAlg::ES256, &public_dpop_jwk(jwk)?, claims))
}

/// What a token-endpoint answer means to the driver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TokenAnswer {
    /// A usable token with every required scope requested.
    #[serde(rename_all = "camelCase")]
    Token {
        /// The access token.
        value: String,
        /// `Authorization: DPoP` with a proof carrying `ath`, else `Bearer`.
        dpop_bound: bool,
        /// The driver's clock (ms) from which a new token is to be fetched instead.
        refresh_at_ms: u64,
    },
    /// `use_dpop_nonce`: ask again with this nonce in a new proof and a new assertion.
    UseNonce {
        /// The nonce.
        nonce: String,
    },
    /// 429 or 5xx: the token endpoint may answer later.
    Retry,
}

/// Reads a token-endpoint answer received at `now_ms` (see [`read_token_response`]: `AUTHENTICATION_FAILED`,
/// `AUTHORIZATION_INCOMPLETE` naming a required scope the token lacks, `MALFORMED_RESPONSE`). `nonce_sent`:
/// the request already carried a nonce Okta asked for; a second `use_dpop_nonce` is then final, as in a sync.
pub fn read_token_answer(
    response: &Response,
    requested: &[String],
    now_ms: u64,
    nonce_sent: bool,
) -> Result<TokenAnswer> {
    Ok(match read_token_response(response, requested)? {
        TokenReply::UseNonce(_) if nonce_sent => {
            return Err(Error::AuthenticationFailed {
                status: response.status,
                oauth_error: Some("use_dpop_nonce".into()),
            })
        }
        TokenReply::Token(t) => TokenAnswer::Token {
            refresh_at_ms: refresh_at(now_ms, t.expires_in_s),
            value: t.value,
            dpop_bound: t.dpop_bound,
        },
        TokenReply::UseNonce(nonce) => TokenAnswer::UseNonce { nonce },
        TokenReply::Retry => TokenAnswer::Retry,
    })
}

/// A `DPoP-Nonce` header's value when it is a usable nonce (opaque visible ASCII); anything else is ignored.
pub fn usable_nonce(value: &str) -> Option<String> {
    is_nonce(value).then(|| value.to_string())
}

/// Whether a `WWW-Authenticate` challenge asks for a new proof with the server's nonce (`use_dpop_nonce`).
pub fn asks_for_nonce(www_authenticate: &str) -> bool {
    challenge_param(www_authenticate, "error").as_deref() == Some("use_dpop_nonce")
}

#[cfg(test)]
mod tests {
    use super::super::jwt::decode_part;
    use super::*;
    use crate::sync::auth::token::REFRESH_SKEW_MS;

    fn part(input: &str, i: usize) -> Value {
        decode_part(input.split('.').nth(i).unwrap())
    }

    #[test]
    fn assertions_check_the_client_and_the_algorithm() {
        let url = "https://a.okta.com/oauth2/v1/token";
        let input = client_assertion_input("0oa1", Some("k1"), "RS256", url, 10, "j").unwrap();
        assert_eq!(part(&input, 0)["kid"], "k1");
        assert_eq!((part(&input, 1)["aud"].as_str(), part(&input, 1)["exp"].as_u64()), (Some(url), Some(310)));
        for (client, kid, alg) in
            [("", None, "RS256"), ("0oa 1", None, "RS256"), ("0oa1", Some(""), "ES256"), ("0oa1", None, "HS256")]
        {
            let e = client_assertion_input(client, kid, alg, url, 10, "j").unwrap_err();
            assert_eq!(e.code(), "INVALID_CREDENTIALS", "{client:?} {kid:?} {alg}");
        }
    }

    #[test]
    fn proofs_carry_only_the_public_key() {
        let claims = ProofClaims {
            method: "GET",
            url: "https://a.okta.com/api/v1/users/00u1?x=1",
            now_s: 5,
            jti: "p",
            nonce: Some("n"),
            ath: Some("h"),
        };
        let jwk = r#"{"kty":"EC","crv":"P-256","x":"X","y":"Y","d":"PRIVATE"}"#;
        let input = dpop_proof_input(jwk, claims).unwrap();
        assert_eq!(part(&input, 0)["jwk"], serde_json::json!({"kty":"EC","crv":"P-256","x":"X","y":"Y"}));
        assert_eq!(part(&input, 1)["htu"], "https://a.okta.com/api/v1/users/00u1");
        for bad in ["", "[]", r#"{"kty":"RSA","n":"N","e":"AQAB"}"#, r#"{"kty":"EC","crv":"P-384","x":"X","y":"Y"}"#] {
            assert_eq!(dpop_proof_input(bad, claims).unwrap_err().code(), "INVALID_CREDENTIALS", "{bad}");
        }
    }

    #[test]
    fn token_answers_say_when_to_refresh() {
        let scopes = vec!["okta.users.read".to_string()];
        let ok = Response::new(200, vec![], r#"{"token_type":"DPoP","expires_in":3600,"access_token":"t"}"#);
        assert_eq!(
            read_token_answer(&ok, &scopes, 1_000, false),
            Ok(TokenAnswer::Token {
                value: "t".into(),
                dpop_bound: true,
                refresh_at_ms: 1_000 + 3_600_000 - REFRESH_SKEW_MS
            })
        );
        let nonce = Response::new(400, vec![("DPoP-Nonce".into(), "n1".into())], r#"{"error":"use_dpop_nonce"}"#);
        assert_eq!(read_token_answer(&nonce, &scopes, 0, false), Ok(TokenAnswer::UseNonce { nonce: "n1".into() }));
        // Asked twice: final, with the OAuth code (no third request).
        assert_eq!(
            read_token_answer(&nonce, &scopes, 0, true),
            Err(Error::AuthenticationFailed { status: 400, oauth_error: Some("use_dpop_nonce".into()) })
        );
        assert_eq!(read_token_answer(&Response::new(503, vec![], ""), &scopes, 0, true), Ok(TokenAnswer::Retry));
        let narrow = Response::new(
            200,
            vec![],
            r#"{"token_type":"Bearer","expires_in":60,"access_token":"t","scope":"okta.groups.read"}"#,
        );
        assert_eq!(
            read_token_answer(&narrow, &scopes, 0, false),
            Err(Error::AuthorizationIncomplete { missing_scopes: scopes.clone() })
        );
        let json = serde_json::to_value(read_token_answer(&ok, &scopes, 0, false).unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "token", "value": "t", "dpopBound": true, "refreshAtMs": 3_300_000})
        );
        assert_eq!(serde_json::to_value(TokenAnswer::Retry).unwrap(), serde_json::json!({"kind": "retry"}));
    }

    #[test]
    fn nonces_and_challenges() {
        assert_eq!(usable_nonce("abc-1"), Some("abc-1".into()));
        for bad in ["", "a b", "a\"b", "é", &"x".repeat(513)] {
            assert_eq!(usable_nonce(bad), None, "{bad}");
        }
        assert!(asks_for_nonce(
            r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#
        ));
        assert!(!asks_for_nonce(r#"DPoP xerror="use_dpop_nonce""#));
        assert!(!asks_for_nonce(r#"Bearer error="invalid_token""#));
    }
}
