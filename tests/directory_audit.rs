//! The readiness audit: who lacks the attributes a claims policy needs, per attribute and per group.

use okta_directory::claims::Policy;
use okta_directory::directory::{Directory, DirectoryConfig, SyncMeta};
use okta_directory::readiness::audit;
use okta_directory::Error;
use serde_json::json;

fn directory() -> Directory {
    let user = |id: &str, status: &str, given: Option<&str>, birthdate: Option<&str>| {
        let mut u = json!({"id": id, "status": status, "login": format!("{id}@example.com"), "name": {"family": "Doe"},
                           "address": {}, "phones": {}, "custom": {}});
        if let Some(g) = given {
            u["name"]["given"] = json!(g);
        }
        if let Some(b) = birthdate {
            u["birthdate"] = json!(b);
        }
        u
    };
    let sync = json!({
        "users": [
            user("00ua", "ACTIVE", Some("Ann"), Some("1990-01-02")),
            user("00ub", "ACTIVE", Some("Bob"), None),
            user("00uc", "ACTIVE", None, None),
            user("00ud", "DEPROVISIONED", None, None),
            user("00ue", "LOCKED_OUT", Some("Eve"), Some("1985-05-05")),
        ],
        "groups": [{"id": "00g1", "name": "Everyone", "type": "BUILT_IN"}, {"id": "00g2", "name": "Finance", "type": "OKTA_GROUP"}],
        "memberships": [
            {"groupId": "00g1", "userId": "00ua"}, {"groupId": "00g1", "userId": "00ub"}, {"groupId": "00g1", "userId": "00uc"},
            {"groupId": "00g1", "userId": "00ud"}, {"groupId": "00g1", "userId": "00ue"},
            {"groupId": "00g2", "userId": "00ub"}, {"groupId": "00g2", "userId": "00ud"}
        ]
    });
    let meta = SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 0 };
    Directory::from_sync_json(&sync.to_string(), DirectoryConfig::default(), meta).expect("fixture builds")
}

#[test]
fn default_policy_audit() {
    let report = audit(&directory(), &Policy::default(), None).unwrap();
    assert_eq!((report.users, report.inactive_skipped, report.not_ready), (4, 1, 2));
    let gap = |name: &str| report.attributes.iter().find(|a| a.attribute == name).unwrap();
    assert!(gap("given_name").required);
    assert_eq!(gap("given_name").user_ids, ["00uc"]);
    assert_eq!(gap("birthdate").user_ids, ["00ub", "00uc"]);
    assert_eq!(gap("family_name").missing, 0);
    assert!(!gap("email").required);
    assert_eq!(gap("email").missing, 4, "no user has an email in the fixture");
    assert_eq!(gap("address.postal_code").missing, 4);
    let finance = report.groups.iter().find(|g| g.name == "Finance").unwrap();
    assert_eq!((finance.users, finance.not_ready), (1, 1), "the deprovisioned member is not audited");
    assert_eq!(finance.missing.get("birthdate"), Some(&1));
    let everyone = report.groups.iter().find(|g| g.name == "Everyone").unwrap();
    assert_eq!((everyone.users, everyone.not_ready), (4, 2));
}

#[test]
fn scoped_to_one_group_with_a_custom_policy() {
    let policy = Policy::from_json(&json!({"claims": {"given_name": {}, "birthdate": {"required": false}}})).unwrap();
    let report = audit(&directory(), &policy, Some("00g2")).unwrap();
    assert_eq!((report.users, report.inactive_skipped, report.not_ready), (1, 1, 0));
    assert_eq!(report.attributes.len(), 2);
    assert_eq!(report.groups.len(), 1);
    assert!(matches!(audit(&directory(), &policy, Some("00gNOPE")), Err(Error::GroupNotFound)));
}

#[test]
fn csv_lists_ids_and_attribute_names_only() {
    let csv = audit(&directory(), &Policy::default(), None).unwrap().to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "user_id,missing_required,missing_optional");
    let uc = lines.iter().find(|l| l.starts_with("00uc,")).unwrap();
    assert!(uc.starts_with("00uc,given_name;birthdate,"), "{uc}");
    assert!(!csv.contains("Bob") && !csv.contains("@example.com"), "no profile values in the CSV");
}
