//! serde_json's private key: with its `raw_value` feature, serde_json reads an object whose first key is
//! `$serde_json::private::RawValue` as the JSON text held by that key — so `{"$serde_json::private::RawValue":
//! "{\"id\":\"00g1\"}"}` becomes `{"id":"00g1"}` wherever a `serde_json::Value` is read, and a value can be
//! smuggled past anything that sees the object as it is (a JS reader, a schema check, a log). The full module
//! enabled that feature (for `RawValue` in the ranged publish); it no longer does, and each place the module
//! reads untrusted JSON into a `Value` reads such an object as the plain object it is. One test a place; the
//! ones marked "pin" read through borrowed trees (never `Value`) and were already safe: they keep it so.

mod common;

use common::*;
use okta_directory::directory::{Directory, DirectoryConfig, SyncMeta};
use okta_directory::sync::auth::reader::dpop_proof_input;
use okta_directory::sync::auth::{read_token_response, ProofClaims};
use okta_directory::sync::range_pages::route_users_page;
use okta_directory::sync::{IncrementalConfig, Request, Response, SyncMachine};
use okta_directory::Error;
use serde_json::{json, Value};

const KEY: &str = "$serde_json::private::RawValue";

/// `value` hidden behind the private key: `{"$serde_json::private::RawValue": "<value as JSON text>"}`.
fn wrapped(value: &Value) -> Value {
    json!({ KEY: value.to_string() })
}

/// A groups page item (`/api/v1/groups`) that is the wrapper is not a group: before, the hidden group was read.
#[test]
fn a_groups_page_item_behind_the_private_key_is_refused() {
    let mut fake = FakeOkta::new(20, 3);
    fake.groups[1] = wrapped(&fake.groups[1]);
    let r = sync(&mut fake);
    assert_eq!(err(&r).code(), "MALFORMED_RESPONSE");
}

/// A System Log event behind the private key has no `eventType`: ignored like any event of another type
/// (before, the hidden deletion was applied).
#[test]
fn a_system_log_event_behind_the_private_key_is_not_read() {
    let deleted = |event: Value| {
        let mut fake = FakeOkta::new(20, 2);
        let page = Value::Array(vec![event]).to_string();
        fake.hook = Some(Box::new(move |_, req: &Request, _| {
            if req.url.contains("/api/v1/users?") {
                return Some(Response::new(200, vec![("Date".into(), http_date(1_715_681_731))], "[]"));
            }
            req.url.contains("/api/v1/logs?").then(|| Response::new(200, vec![], page.clone()))
        }));
        let mut cfg = config();
        cfg.incremental = Some(IncrementalConfig { since_ms: 1_715_680_800_000, overlap_ms: 0 });
        let r = run(&mut SyncMachine::new(cfg), &mut fake, 1_000, None);
        ok(&r).changes.clone().expect("changes").deleted_user_ids
    };
    let event = json!({"uuid": "u1", "published": "2024-05-14T10:01:00.000Z", "eventType": "user.lifecycle.delete.completed",
        "outcome": {"result": "SUCCESS"}, "target": [{"id": "00u00000007", "type": "User"}]});
    assert_eq!(deleted(event.clone()), ["00u00000007"]);
    assert!(deleted(wrapped(&event)).is_empty());
}

/// An error body behind the private key has no `errorCode`: none is reported (before, the hidden one was).
#[test]
fn an_error_body_behind_the_private_key_reports_no_error_code() {
    let mut fake = FakeOkta::new(10, 2);
    let body = wrapped(&json!({"errorCode": "E0000006", "errorId": "oae1"})).to_string();
    fake.hook = Some(on_nth("/api/v1/users", 1, move |_, _| Response::new(400, vec![], body.clone())));
    assert_eq!(err(&sync(&mut fake)), &Error::OktaApi { status: 400, error_code: None, error_id: None });
}

/// A token response behind the private key has no `access_token`: refused (before, the hidden token was used).
#[test]
fn a_token_response_behind_the_private_key_is_refused() {
    let token = json!({"access_token": "abc", "token_type": "Bearer", "expires_in": 3600});
    let scopes = ["okta.users.read".to_string()];
    let read = |body: &Value| read_token_response(&Response::new(200, vec![], body.to_string()), &scopes);
    assert!(read(&token).is_ok());
    let refused = read(&wrapped(&token)).expect_err("refused");
    assert_eq!(refused.code(), "MALFORMED_RESPONSE");
}

/// A DPoP public JWK member behind the private key is not a string: refused (before, it read as one).
#[test]
fn a_dpop_jwk_member_behind_the_private_key_is_refused() {
    let claims = || ProofClaims {
        method: "POST",
        url: "https://acme.okta.com/oauth2/v1/token",
        now_s: 1,
        jti: "j",
        nonce: None,
        ath: None,
    };
    let jwk = json!({"kty": "EC", "crv": "P-256", "x": "WDs", "y": "WTs"});
    assert!(dpop_proof_input(&jwk.to_string(), claims()).is_ok());
    let hidden = json!({"kty": "EC", "crv": "P-256", "x": wrapped(&json!("WDs")), "y": "WTs"});
    let refused = dpop_proof_input(&hidden.to_string(), claims()).expect_err("refused");
    assert_eq!(refused.code(), "INVALID_CREDENTIALS");
}

/// A sync result behind the private key is no sync result: refused (before, the hidden directory was built).
#[test]
fn a_sync_result_behind_the_private_key_is_refused() {
    let doc = json!({"users": [{"id": "00u1", "login": "a@x.io", "name": {}, "address": {}, "phones": {}, "custom": {}}],
        "groups": [], "memberships": []});
    let read =
        |doc: &Value| Directory::from_sync_json(&doc.to_string(), DirectoryConfig::default(), SyncMeta::default());
    assert_eq!(read(&doc).expect("a directory").len(), 1);
    assert_eq!(read(&wrapped(&doc)).err().map(|e| e.code()), Some("INVALID_PROFILE"));
    let mut user_hidden = doc.clone();
    user_hidden["users"][0] = wrapped(&doc["users"][0]);
    assert_eq!(read(&user_hidden).err().map(|e| e.code()), Some("INVALID_PROFILE"));
}

/// Pin: a users page (the sync's and the ranged publish's) reads items through borrowed trees; an item behind
/// the private key has no profile and is refused, as before.
#[test]
fn pin_a_users_page_item_behind_the_private_key_is_refused() {
    let mut fake = FakeOkta::new(20, 2);
    fake.users[3] = wrapped(&fake.users[3]);
    assert_eq!(err(&sync(&mut fake)).code(), "MALFORMED_RESPONSE");
    let page = Value::Array(vec![user_json(1), wrapped(&user_json(2))]).to_string();
    let routed = route_users_page("https://acme.okta.com/api/v1/users", &page, 4, 1, 1);
    assert_eq!(routed.err().map(|e| e.code()), Some("INVALID_CHECKPOINT"));
}

/// Pin: a group's members page (fast scan, then serde on borrowed items) refuses a member behind the key.
#[test]
fn pin_a_members_page_item_behind_the_private_key_is_refused() {
    let mut fake = FakeOkta::new(20, 2);
    let page = Value::Array(vec![json!({"id": "00u00000001"}), wrapped(&json!({"id": "00u00000002"}))]).to_string();
    fake.hook = Some(Box::new(move |_, req: &Request, _| {
        (req.url.contains("/api/v1/groups/") && req.url.contains("/users"))
            .then(|| Response::new(200, vec![], page.clone()))
    }));
    assert_eq!(err(&sync(&mut fake)).code(), "MALFORMED_RESPONSE");
}
