//! The token request body and the reading of token-endpoint answers. Bodies are read only for fixed-format
//! fields (`error`, `token_type`, `scope` names): `error_description` can echo input and is never kept.

use serde_json::Value;

use crate::error::Error;
use crate::sync::http::{Headers, Response};

/// `client_assertion_type` for `private_key_jwt`.
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Scopes a full sync cannot do without.
pub const REQUIRED_SCOPES: &[&str] = &["okta.users.read", "okta.groups.read"];

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The client-credentials token request body up to `client_assertion=`: the driver appends the signed
/// assertion, whose characters (base64url and `.`) need no form encoding.
pub fn token_form(scopes: &[String]) -> String {
    format!(
        "grant_type=client_credentials&scope={}&client_assertion_type={}&client_assertion=",
        form_encode(&scopes.join(" ")),
        form_encode(CLIENT_ASSERTION_TYPE),
    )
}

/// A token the org authorization server issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The opaque access token.
    pub value: String,
    /// Whether `token_type` is `DPoP` (send `Authorization: DPoP` and a proof with `ath`).
    pub dpop_bound: bool,
    /// `expires_in`, in seconds.
    pub expires_in_s: u64,
}

/// What a token-endpoint answer means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenReply {
    /// A usable token with every required scope.
    Token(IssuedToken),
    /// `use_dpop_nonce`: send the request again with this nonce in a new proof (and a new assertion).
    UseNonce(String),
    /// 429 or 5xx: retry later.
    Retry,
}

/// Whether `s` is a fixed-format OAuth identifier (error code or scope name) that is safe to repeat.
fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':'))
}

/// Reads a token-endpoint response. `requested` are the scopes asked for: a token missing a required one is
/// `AUTHORIZATION_INCOMPLETE` naming it (Okta silently grants a subset), as is `consent_required`.
pub fn read_token_response(response: &Response, requested: &[String]) -> Result<TokenReply, Error> {
    let doc: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    let field = |name: &str| doc.get(name).and_then(Value::as_str);
    let missing_required =
        || REQUIRED_SCOPES.iter().filter(|s| requested.iter().any(|r| r == *s)).map(|s| (*s).to_string()).collect();
    match response.status {
        200..=299 => {}
        429 | 500..=599 => return Ok(TokenReply::Retry),
        status => {
            let error = field("error").filter(|e| is_identifier(e));
            if error == Some("use_dpop_nonce") {
                if let Some(nonce) = response_nonce(&response.headers) {
                    return Ok(TokenReply::UseNonce(nonce));
                }
            }
            if error == Some("consent_required") {
                return Err(Error::AuthorizationIncomplete { missing_scopes: missing_required() });
            }
            return Err(Error::AuthenticationFailed { status, oauth_error: error.map(str::to_string) });
        }
    }
    let malformed = |what| Err(Error::MalformedResponse { what });
    let Some(value) = field("access_token").filter(|t| !t.is_empty() && t.bytes().all(|b| (0x21..=0x7e).contains(&b)))
    else {
        return malformed("the token response has no usable access_token");
    };
    let dpop_bound = match field("token_type") {
        Some(t) if t.eq_ignore_ascii_case("bearer") => false,
        Some(t) if t.eq_ignore_ascii_case("dpop") => true,
        _ => return malformed("the token response has an unknown token_type"),
    };
    let Some(expires_in_s) = doc.get("expires_in").and_then(Value::as_u64).filter(|&s| s > 0) else {
        return malformed("the token response has no expires_in");
    };
    // No `scope` in the answer means the requested scopes were granted (RFC 6749 §5.1).
    if let Some(granted) = field("scope") {
        let granted: Vec<&str> = granted.split(' ').collect();
        let missing: Vec<String> = REQUIRED_SCOPES
            .iter()
            .filter(|s| requested.iter().any(|r| r == *s) && !granted.contains(s))
            .map(|s| (*s).to_string())
            .collect();
        if !missing.is_empty() {
            return Err(Error::AuthorizationIncomplete { missing_scopes: missing });
        }
    }
    Ok(TokenReply::Token(IssuedToken { value: value.to_string(), dpop_bound, expires_in_s }))
}

/// Longest a token is used before its expiry: 5 minutes, or half its lifetime for short-lived tokens.
pub const REFRESH_SKEW_MS: u64 = 300_000;

/// When a token received at `now_ms` that expires in `expires_in_s` is to be replaced by a new one.
pub fn refresh_at(now_ms: u64, expires_in_s: u64) -> u64 {
    let ttl_ms = expires_in_s.saturating_mul(1000);
    now_ms.saturating_add(ttl_ms - REFRESH_SKEW_MS.min(ttl_ms / 2))
}

/// The `DPoP-Nonce` an answer carries, when it is usable ([`is_nonce`]).
pub fn response_nonce(headers: &Headers) -> Option<String> {
    headers.get("dpop-nonce").filter(|n| is_nonce(n))
}

/// A DPoP nonce is an opaque token of visible ASCII; anything else is ignored.
pub fn is_nonce(s: &str) -> bool {
    !s.is_empty() && s.len() <= 512 && s.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\')
}

/// From a `WWW-Authenticate` challenge, the value of `name="…"` when it is a fixed-format identifier.
pub fn challenge_param(header: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let mut rest = header;
    while let Some(at) = rest.find(&needle) {
        let boundary = rest[..at].chars().next_back().is_none_or(|c| c == ' ' || c == ',');
        let after = &rest[at + needle.len()..];
        let value = after.split('"').next().unwrap_or("");
        if boundary && is_identifier(value) {
            return Some(value.to_string());
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes() -> Vec<String> {
        vec!["okta.users.read".into(), "okta.groups.read".into()]
    }

    fn reply(status: u16, headers: Vec<(&str, &str)>, body: &str) -> Result<TokenReply, Error> {
        let headers = headers.into_iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        read_token_response(&Response::new(status, headers, body), &scopes())
    }

    #[test]
    fn form_body_is_encoded() {
        let body = token_form(&scopes()) + "a.b-c_d";
        assert_eq!(
            body,
            "grant_type=client_credentials&scope=okta.users.read+okta.groups.read\
             &client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer\
             &client_assertion=a.b-c_d"
        );
    }

    #[test]
    fn tokens_are_read() {
        let ok = r#"{"token_type":"DPoP","expires_in":3600,"access_token":"abc","scope":"okta.groups.read okta.users.read"}"#;
        assert_eq!(
            reply(200, vec![], ok),
            Ok(TokenReply::Token(IssuedToken { value: "abc".into(), dpop_bound: true, expires_in_s: 3600 }))
        );
        let bearer = r#"{"token_type":"Bearer","expires_in":60,"access_token":"x"}"#;
        assert!(matches!(reply(200, vec![], bearer), Ok(TokenReply::Token(IssuedToken { dpop_bound: false, .. }))));
        for bad in [
            r#"{"token_type":"MAC","expires_in":1,"access_token":"x"}"#,
            r#"{"token_type":"Bearer","access_token":"x"}"#,
            "nope",
        ] {
            assert_eq!(reply(200, vec![], bad).unwrap_err().code(), "MALFORMED_RESPONSE");
        }
    }

    #[test]
    fn a_reduced_scope_names_what_is_missing() {
        let body = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"abc","scope":"okta.users.read"}"#;
        assert_eq!(
            reply(200, vec![], body),
            Err(Error::AuthorizationIncomplete { missing_scopes: vec!["okta.groups.read".into()] })
        );
        let consent =
            r#"{"error":"consent_required","error_description":"You are not allowed any of the requested scopes."}"#;
        assert_eq!(reply(400, vec![], consent), Err(Error::AuthorizationIncomplete { missing_scopes: scopes() }));
    }

    #[test]
    fn nonce_challenges_and_errors() {
        let nonce = r#"{"error":"use_dpop_nonce","error_description":"x"}"#;
        assert_eq!(reply(400, vec![("DPoP-Nonce", "n-1")], nonce), Ok(TokenReply::UseNonce("n-1".into())));
        // A challenge without a nonce header cannot be answered: a typed error with the OAuth code.
        assert_eq!(
            reply(400, vec![], nonce),
            Err(Error::AuthenticationFailed { status: 400, oauth_error: Some("use_dpop_nonce".into()) })
        );
        let client = r#"{"error":"invalid_client","error_description":"The client_id 'evil<script>' is invalid."}"#;
        let e = reply(401, vec![], client).unwrap_err();
        assert_eq!(e, Error::AuthenticationFailed { status: 401, oauth_error: Some("invalid_client".into()) });
        assert!(!e.to_string().contains("evil"));
        let weird = r#"{"error":"bad code with spaces"}"#;
        assert_eq!(reply(400, vec![], weird), Err(Error::AuthenticationFailed { status: 400, oauth_error: None }));
        assert_eq!(reply(503, vec![], ""), Ok(TokenReply::Retry));
        assert_eq!(reply(429, vec![], ""), Ok(TokenReply::Retry));
    }

    #[test]
    fn tokens_are_replaced_five_minutes_early_or_at_half_life() {
        assert_eq!(refresh_at(1_000, 3600), 1_000 + 3_300_000);
        assert_eq!(refresh_at(0, 60), 30_000);
        assert_eq!(refresh_at(u64::MAX - 5, u64::MAX), u64::MAX);
    }

    #[test]
    fn challenge_params() {
        let h = r#"Bearer authorization_uri="http://x/oauth2/v1/authorize", realm="http://x", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.""#;
        assert_eq!(challenge_param(h, "scope").as_deref(), Some("okta.groups.read"));
        assert_eq!(challenge_param(h, "error").as_deref(), Some("insufficient_scope"));
        assert_eq!(challenge_param(h, "nope"), None);
        assert_eq!(
            challenge_param(r#"DPoP xerror="a", error="use_dpop_nonce""#, "error").as_deref(),
            Some("use_dpop_nonce")
        );
    }
}
