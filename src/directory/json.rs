//! Building a directory from a sync's JSON output `{users, groups, memberships}`, where each user is a
//! normalization report `{user, sources, issues}` (what the sync writes) or a bare `DirectoryUser`.

use serde::Deserialize;

use super::builder::SnapshotBuilder;
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

/// Reads a sync result. Syntax errors are `INVALID_JSON` (position only); a document of the wrong shape
/// is `INVALID_PROFILE` at `$` (serde's message, which can quote values, is dropped).
fn read_doc(text: &str) -> Result<(Vec<DirectoryUser>, Vec<Group>, Vec<Membership>)> {
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
    Ok((users, doc.groups, doc.memberships))
}

/// The snapshot of a sync result given as JSON text, through the one pipeline every caller uses
/// ([`SnapshotBuilder`]): users in order (a repeated id replaces the earlier user in place), groups
/// (a repeated id merges), memberships (unknown users or groups skipped). Errors as [`Directory::from_sync_json`].
pub fn snapshot_from_sync_json(text: &str, config: DirectoryConfig, meta: SyncMeta) -> Result<Vec<u8>> {
    let (users, groups, memberships) = read_doc(text)?;
    let mut builder = SnapshotBuilder::new(config, meta);
    for user in users {
        match user.id {
            Some(_) => builder.upsert_user(user),
            None => builder.append_user_without_id(&user),
        }
    }
    let mut members: Vec<Vec<String>> = vec![Vec::new(); groups.len()];
    let mut last_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        last_of.insert(&group.id, g);
    }
    for m in &memberships {
        if let Some(list) = last_of.get(m.group_id.as_str()).and_then(|g| members.get_mut(*g)) {
            list.push(m.user_id.clone());
        }
    }
    Ok(builder.finish(groups, members)?.0)
}

impl Directory {
    /// Builds an owning directory from a sync result as JSON text. Syntax errors are `INVALID_JSON`
    /// (position only); a document of the wrong shape is `INVALID_PROFILE` at `$`.
    pub fn from_sync_json(text: &str, config: DirectoryConfig, meta: SyncMeta) -> Result<Directory> {
        let (users, groups, memberships) = read_doc(text)?;
        Ok(Directory::build(users, groups, &memberships, config, meta))
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
