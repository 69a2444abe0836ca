//! One directory pipeline: a sync result (JSON) becomes a snapshot through `SnapshotBuilder`, and its bytes
//! equal those the retired path wrote (owning `Directory` → `encode`), edge cases included.

mod dirgen;

use okta_directory::directory::{encode, snapshot_from_sync_json, Directory, DirectoryConfig, LookupKey, SyncMeta};
use serde_json::json;

fn both(text: &str, config: &DirectoryConfig) -> (Vec<u8>, Vec<u8>) {
    let meta = SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1_700_000_000_000 };
    let new = snapshot_from_sync_json(text, config.clone(), meta.clone()).expect("pipeline");
    let old = encode(&Directory::from_sync_json(text, config.clone(), meta).expect("owning"));
    (new, old)
}

#[test]
fn generated_directories_give_the_same_bytes() {
    for (seed, users, custom) in [(1, 300, false), (2, 1500, true), (3, 1, true), (4, 0, false)] {
        let (list, groups, memberships) = dirgen::directory(seed, users, 7, custom);
        let text = json!({"users": list, "groups": groups, "memberships": memberships}).to_string();
        let config = DirectoryConfig {
            keys: vec![LookupKey::Login, LookupKey::Email, LookupKey::Custom("costCenter".into())],
            workforce_group: groups.get(1).map(|g| g.id.clone()),
        };
        let (new, old) = both(&text, &config);
        assert!(new == old, "seed {seed}: bytes differ");
    }
}

#[test]
fn repeated_ids_dangling_memberships_and_users_without_id_give_the_same_bytes() {
    let user = |id: Option<&str>, login: &str| json!({"id": id, "login": login, "email": login, "name": {"given": "A"}, "address": {}, "phones": {}, "custom": {}});
    let text = json!({
        "users": [
            {"user": user(Some("00u1"), "a@x.io"), "sources": {}, "issues": []},
            user(None, "nobody@x.io"),
            user(Some("00u2"), "b@x.io"),
            user(Some("00u1"), "a2@x.io"),
            user(None, "nobody2@x.io"),
        ],
        "groups": [
            {"id": "00g1", "name": "One", "type": "OKTA_GROUP"},
            {"id": "00g2", "name": "Two", "type": "APP_GROUP"},
            {"id": "00g1", "name": "One again", "type": "OKTA_GROUP"},
        ],
        "memberships": [
            {"groupId": "00g1", "userId": "00u2"},
            {"groupId": "00g1", "userId": "00u1"},
            {"groupId": "00g1", "userId": "00u2"},
            {"groupId": "00g2", "userId": "00u9"},
            {"groupId": "00g9", "userId": "00u1"},
        ],
    })
    .to_string();
    let (new, old) =
        both(&text, &DirectoryConfig { workforce_group: Some("00g1".into()), ..DirectoryConfig::default() });
    assert!(new == old, "bytes differ");
}

#[test]
fn bad_documents_are_the_same_typed_errors() {
    for text in ["{\"users\": 5}", "{\"users\": [", "[]"] {
        let new = snapshot_from_sync_json(text, DirectoryConfig::default(), SyncMeta::default()).map(|_| ());
        let old = Directory::from_sync_json(text, DirectoryConfig::default(), SyncMeta::default()).map(|_| ());
        assert_eq!(new, old, "{text}");
        assert!(new.is_err());
    }
}
