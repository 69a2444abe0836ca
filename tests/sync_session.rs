//! The authenticated session with canned responses: token fetch and caching, DPoP nonce challenge,
//! proofs with decoded `htu` and `ath`, one refresh on 401, scope checks, SSWS, redirects.

use okta_directory::sync::auth::{default_scopes, AuthConfig, Credentials, DpopMode, SigningAlg};
use okta_directory::sync::{OrgUrl, OrgUrlPolicy, Response, SessionAction, SyncConfig, SyncSession};
use serde_json::{json, Value};

const ORG: &str = "https://acme.okta.com";
const TOKEN_URL: &str = "https://acme.okta.com/oauth2/v1/token";

fn config() -> SyncConfig {
    SyncConfig::new(OrgUrl::parse(ORG, OrgUrlPolicy::default()).expect("valid org"))
}

fn oauth(dpop: DpopMode) -> AuthConfig {
    let jwk = json!({"kty": "EC", "crv": "P-256", "x": "xx", "y": "yy", "d": "SECRET"});
    AuthConfig {
        credentials: Credentials::PrivateKey {
            client_id: "0oaapp".into(),
            key_id: Some("kid-1".into()),
            alg: SigningAlg::RS256,
        },
        scopes: default_scopes(),
        dpop,
        dpop_jwk: jwk.as_object().cloned(),
        jti_seed: [1, 2],
    }
}

fn decode(part: &str) -> Value {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut bits, mut n, mut out) = (0u32, 0, Vec::new());
    for c in part.bytes() {
        bits = (bits << 6) | alphabet.iter().position(|&a| a == c).expect("base64url") as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    serde_json::from_slice(&out).expect("JSON part")
}

/// (header, claims) of a signing input.
fn jwt(input: &str) -> (Value, Value) {
    let (h, c) = input.split_once('.').expect("two parts");
    (decode(h), decode(c))
}

fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
    Response::new(status, headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(), body)
}

fn send(action: SessionAction) -> okta_directory::sync::Outgoing {
    match action {
        SessionAction::Send(out) => out,
        other => panic!("expected Send, got {other:?}"),
    }
}

fn token_body(kind: &str, ttl: u64) -> String {
    json!({"token_type": kind, "expires_in": ttl, "access_token": "tok-1", "scope": "okta.users.read okta.groups.read"})
        .to_string()
}

/// Drives a DPoP session up to its first API request.
fn dpop_session() -> (SyncSession, okta_directory::sync::Outgoing) {
    let mut s = SyncSession::new(config(), oauth(DpopMode::Required)).expect("valid session");
    let first = send(s.poll(0, 1_000));
    s.on_response(first.id, resp(400, &[("DPoP-Nonce", "nonce-1")], r#"{"error":"use_dpop_nonce"}"#), 1);
    let second = send(s.poll(1, 1_000));
    s.on_response(second.id, resp(200, &[], &token_body("DPoP", 3600)), 2);
    assert_eq!(s.poll(2, 1_000), SessionAction::HashToken("tok-1".into()));
    s.set_token_hash("ATH");
    let api = send(s.poll(2, 1_001));
    (s, api)
}

#[test]
fn token_request_carries_a_correct_assertion_and_proof() {
    let mut s = SyncSession::new(config(), oauth(DpopMode::Auto)).unwrap();
    let out = send(s.poll(0, 1_000));
    assert_eq!(out.url, TOKEN_URL);
    assert_eq!(out.authorization, None);
    let body = out.body.unwrap();
    assert!(body.starts_with("grant_type=client_credentials&scope=okta.users.read+okta.groups.read&"));
    assert!(body.ends_with("&client_assertion="));
    let (alg, assertion) = out.assertion.unwrap();
    assert_eq!(alg, SigningAlg::RS256);
    let (h, c) = jwt(&assertion);
    assert_eq!(h, json!({"alg": "RS256", "typ": "JWT", "kid": "kid-1"}));
    assert_eq!(
        (c["iss"].as_str(), c["sub"].as_str(), c["aud"].as_str()),
        (Some("0oaapp"), Some("0oaapp"), Some(TOKEN_URL))
    );
    assert_eq!((c["iat"].as_u64(), c["exp"].as_u64()), (Some(1_000), Some(1_300)));
    let (ph, pc) = jwt(&out.dpop_proof.unwrap());
    assert_eq!(ph["typ"], "dpop+jwt");
    assert!(ph["jwk"].get("d").is_none(), "the private part never reaches a header");
    assert_eq!((pc["htm"].as_str(), pc["htu"].as_str()), (Some("POST"), Some(TOKEN_URL)));
    assert!(pc.get("nonce").is_none() && pc.get("ath").is_none());
    assert_ne!(c["jti"], pc["jti"]);
}

#[test]
fn nonce_challenge_is_answered_once_with_fresh_jtis() {
    let mut s = SyncSession::new(config(), oauth(DpopMode::Required)).unwrap();
    let first = send(s.poll(0, 1_000));
    s.on_response(first.id, resp(400, &[("dpop-nonce", "n1")], r#"{"error":"use_dpop_nonce"}"#), 1);
    let second = send(s.poll(1, 1_000));
    let (_, p1) = jwt(&first.dpop_proof.unwrap());
    let (_, p2) = jwt(&second.dpop_proof.unwrap());
    assert_eq!(p2["nonce"], "n1");
    assert_ne!(p1["jti"], p2["jti"]);
    assert_ne!(jwt(&first.assertion.unwrap().1).1["jti"], jwt(&second.assertion.unwrap().1).1["jti"]);
    s.on_response(second.id, resp(400, &[("dpop-nonce", "n2")], r#"{"error":"use_dpop_nonce"}"#), 2);
    match s.poll(2, 1_000) {
        SessionAction::Failed(e) => assert_eq!(e.code(), "AUTHENTICATION_FAILED"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn api_requests_carry_dpop_token_and_proof_with_ath() {
    let (_, api) = dpop_session();
    assert!(api.url.starts_with("https://acme.okta.com/api/v1/users?"));
    assert_eq!(api.authorization.as_deref(), Some("DPoP tok-1"));
    let (_, claims) = jwt(&api.dpop_proof.unwrap());
    assert_eq!(claims["htu"], "https://acme.okta.com/api/v1/users");
    assert_eq!(claims["htm"], "GET");
    assert_eq!(claims["ath"], "ATH");
    assert_eq!(claims["nonce"], "nonce-1");
}

#[test]
fn one_refresh_on_401_then_a_typed_error() {
    let (mut s, api) = dpop_session();
    s.on_response(api.id, resp(401, &[("WWW-Authenticate", r#"DPoP error="invalid_token""#)], "{}"), 10);
    let token = send(s.poll(10, 1_010));
    assert_eq!(token.url, TOKEN_URL);
    s.on_response(token.id, resp(200, &[], &token_body("DPoP", 3600)), 11);
    assert!(matches!(s.poll(11, 1_011), SessionAction::HashToken(_)));
    s.set_token_hash("ATH2");
    let again = send(s.poll(11, 1_011));
    assert_eq!(again.id, api.id, "the same request is replayed");
    assert_eq!(jwt(&again.dpop_proof.clone().unwrap()).1["ath"], "ATH2");
    s.on_response(again.id, resp(401, &[], r#"{"errorCode":"E0000011"}"#), 12);
    match s.poll(12, 1_012) {
        SessionAction::Failed(e) => assert_eq!((e.code(), e.status()), ("OKTA_API_ERROR", Some(401))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tokens_are_cached_until_five_minutes_before_expiry() {
    let mut s = SyncSession::new(config(), oauth(DpopMode::Off)).unwrap();
    let t = send(s.poll(0, 1_000));
    assert_eq!(t.dpop_proof, None);
    s.on_response(t.id, resp(200, &[], &token_body("Bearer", 3600)), 0);
    let users = send(s.poll(0, 1_000));
    assert_eq!(users.authorization.as_deref(), Some("Bearer tok-1"));
    assert_eq!(users.dpop_proof, None);
    let groups = send(s.poll(0, 1_000));
    assert!(groups.url.contains("/groups"));
    let next = |after: &str| {
        let link = format!("<https://acme.okta.com/api/v1/groups?after={after}&limit=200>; rel=\"next\"");
        resp(200, &[("link", &link)], "[]")
    };
    // Just under 55 minutes: the cached token is still used.
    s.on_response(groups.id, next("a"), 3_299_999);
    let page2 = send(s.poll(3_299_999, 4_299));
    assert_eq!(page2.authorization.as_deref(), Some("Bearer tok-1"));
    // At 55 minutes (5 before expiry) the next request first fetches a new token.
    s.on_response(page2.id, next("b"), 3_300_000);
    assert_eq!(send(s.poll(3_300_000, 4_300)).url, TOKEN_URL);
}

#[test]
fn scope_problems_are_authorization_incomplete() {
    let mut s = SyncSession::new(config(), oauth(DpopMode::Off)).unwrap();
    let t = send(s.poll(0, 1_000));
    let reduced = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"t","scope":"okta.users.read"}"#;
    s.on_response(t.id, resp(200, &[], reduced), 0);
    match s.poll(0, 1_000) {
        SessionAction::Failed(e) => {
            assert_eq!(e.code(), "AUTHORIZATION_INCOMPLETE");
            assert!(e.to_string().contains("okta.groups.read"));
        }
        other => panic!("{other:?}"),
    }
    // A 403 insufficient_scope from the API names the scope from WWW-Authenticate.
    let mut s = SyncSession::new(config(), oauth(DpopMode::Off)).unwrap();
    let t = send(s.poll(0, 1_000));
    s.on_response(t.id, resp(200, &[], &token_body("Bearer", 3600)), 0);
    let api = send(s.poll(0, 1_000));
    let challenge = r#"Bearer realm="x", scope="okta.users.read", error="insufficient_scope""#;
    s.on_response(api.id, resp(403, &[("WWW-Authenticate", challenge)], r#"{"errorCode":"E0000006"}"#), 1);
    match s.poll(1, 1_000) {
        SessionAction::Failed(e) => assert!(e.to_string().contains("okta.users.read")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn ssws_and_redirects() {
    let auth = AuthConfig {
        credentials: Credentials::ApiToken("00abc".into()),
        scopes: vec![],
        dpop: DpopMode::Off,
        dpop_jwk: None,
        jti_seed: [0, 0],
    };
    let mut s = SyncSession::new(config(), auth).unwrap();
    let api = send(s.poll(0, 1_000));
    assert_eq!(api.authorization.as_deref(), Some("SSWS 00abc"));
    assert_eq!((api.assertion, api.dpop_proof), (None, None));
    s.on_response(api.id, resp(302, &[("location", "https://evil.example/")], ""), 1);
    match s.poll(1, 1_000) {
        SessionAction::Failed(e) => assert_eq!((e.code(), e.status()), ("UNEXPECTED_REDIRECT", Some(302))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_credentials_are_refused_up_front() {
    let mut auth = oauth(DpopMode::Auto);
    auth.dpop_jwk = None;
    assert_eq!(SyncSession::new(config(), auth).unwrap_err().code(), "INVALID_CREDENTIALS");
    let mut auth = oauth(DpopMode::Off);
    auth.scopes.clear();
    assert_eq!(SyncSession::new(config(), auth).unwrap_err().code(), "INVALID_CREDENTIALS");
    let auth = AuthConfig { credentials: Credentials::ApiToken("a b".into()), ..oauth(DpopMode::Off) };
    assert_eq!(SyncSession::new(config(), auth).unwrap_err().code(), "INVALID_CREDENTIALS");
}

#[test]
fn token_endpoint_errors_keep_only_the_oauth_code() {
    let mut s = SyncSession::new(config(), oauth(DpopMode::Off)).unwrap();
    let t = send(s.poll(0, 1_000));
    s.on_response(t.id, resp(401, &[], r#"{"error":"invalid_client","error_description":"client 0oa-secret?"}"#), 0);
    match s.poll(0, 1_000) {
        SessionAction::Failed(e) => {
            assert_eq!((e.code(), e.status()), ("AUTHENTICATION_FAILED", Some(401)));
            assert!(e.to_string().contains("invalid_client") && !e.to_string().contains("secret"));
        }
        other => panic!("{other:?}"),
    }
    // 5xx on the token endpoint: backoff, then a new request.
    let mut s = SyncSession::new(config(), oauth(DpopMode::Off)).unwrap();
    let t = send(s.poll(0, 1_000));
    s.on_response(t.id, resp(503, &[], ""), 0);
    assert!(matches!(s.poll(0, 1_000), SessionAction::Wait(1000, _)));
    assert_eq!(send(s.poll(1000, 1_001)).url, TOKEN_URL);
}

#[test]
fn several_401s_from_one_expired_token_cost_one_refresh() {
    let mut s = SyncSession::new(config(), oauth(DpopMode::Off)).expect("valid session");
    let t = send(s.poll(0, 1_000));
    s.on_response(t.id, resp(200, &[], &token_body("Bearer", 3600)), 0);
    let (a, b) = (send(s.poll(0, 1_000)), send(s.poll(0, 1_000)));
    s.on_response(a.id, resp(401, &[], "{}"), 1);
    s.on_response(b.id, resp(401, &[], "{}"), 1);
    let token = send(s.poll(1, 1_000));
    assert_eq!(token.url, TOKEN_URL);
    s.on_response(token.id, resp(200, &[], &token_body("Bearer", 3600)), 2);
    let ids = [send(s.poll(2, 1_000)).id, send(s.poll(2, 1_000)).id];
    assert_eq!(ids, [a.id, b.id], "both are replayed with the new token");
}
