//! Building a directory from a sync's JSON output `{users, groups, memberships}`, where each user is a
//! normalization report `{user, sources, issues}` (what the sync writes) or a bare `DirectoryUser`.

use serde::Deserialize;

use super::index::{Directory, DirectoryConfig, SyncMeta};
use crate::error::{Error, Result};
use crate::profile::DirectoryUser;
use crate::records::{Group, Membership};

#[derive(Deserialize)]
struct SyncDoc {
    users: Vec<UserItem>,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    memberships: Vec<Membership>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum UserItem {
    Report { user: DirectoryUser },
    Plain(DirectoryUser),
}

impl Directory {
    /// Builds a directory from a sync result as JSON text. Syntax errors are `INVALID_JSON` (position
    /// only); a document of the wrong shape is `INVALID_PROFILE` at `$` (serde's message, which can
    /// quote values, is dropped).
    pub fn from_sync_json(text: &str, config: DirectoryConfig, meta: SyncMeta) -> Result<Directory> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::InvalidJson { position: format!("line {} column {}", e.line(), e.column()) })?;
        let doc = SyncDoc::deserialize(value).map_err(|_| Error::InvalidProfile {
            path: "$".into(),
            expected: "a sync result {users, groups, memberships} with normalized users",
        })?;
        let users = doc
            .users
            .into_iter()
            .map(|item| match item {
                UserItem::Report { user } | UserItem::Plain(user) => user,
            })
            .collect();
        Ok(Directory::build(users, doc.groups, &doc.memberships, config, meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_reports_and_plain_users() {
        let text = r#"{"users":[
            {"user":{"id":"00u1","status":"ACTIVE","login":"a@x.io","name":{},"address":{},"phones":{},"custom":{}},
             "sources":{},"issues":[]},
            {"id":"00u2","login":"b@x.io","name":{},"address":{},"phones":{},"custom":{"n":1}}],
          "groups":[{"id":"00g1","name":"Everyone","type":"BUILT_IN"}],
          "memberships":[{"groupId":"00g1","userId":"00u2"}]}"#;
        let dir = Directory::from_sync_json(text, DirectoryConfig::default(), SyncMeta::default()).unwrap();
        assert_eq!(dir.len(), 2);
        assert_eq!(dir.lookup("B@X.IO").unwrap().user.id.as_deref(), Some("00u2"));
        assert_eq!(dir.groups_of("00u2").unwrap()[0].group_type, "BUILT_IN");
        let bad = Directory::from_sync_json("{\"users\": 5}", DirectoryConfig::default(), SyncMeta::default());
        assert!(matches!(bad, Err(Error::InvalidProfile { .. })));
        let broken = Directory::from_sync_json("{\"users\": [", DirectoryConfig::default(), SyncMeta::default());
        assert!(matches!(broken, Err(Error::InvalidJson { .. })));
    }
}
