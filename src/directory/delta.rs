//! Incremental changes from a sync, applied to a loaded directory.
//!
//! Order of application (so one delta can add a user and its memberships, or drop a user whose
//! memberships it also lists): groups upserted, users upserted, memberships added, memberships
//! removed, users removed (with their remaining memberships). Memberships naming an unknown user or
//! group are skipped and counted, never an error, so a delta never half-applies.

use serde::{Deserialize, Serialize};

use super::index::Directory;
use crate::error::{Error, Result};
use crate::profile::DirectoryUser;
use crate::records::{Group, Membership};

/// A sync's changes since the directory was built.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectoryDelta {
    /// Users created or changed (matched by id; users without an id are ignored).
    pub upsert_users: Vec<DirectoryUser>,
    /// Ids of users deleted from Okta.
    pub remove_users: Vec<String>,
    /// Groups created or renamed (matched by id).
    pub upsert_groups: Vec<Group>,
    /// Memberships added.
    pub add_memberships: Vec<Membership>,
    /// Memberships removed.
    pub remove_memberships: Vec<Membership>,
}

/// What [`Directory::apply_delta`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeltaStats {
    /// Users inserted or replaced.
    pub users_upserted: usize,
    /// Users removed (unknown ids are not counted).
    pub users_removed: usize,
    /// Users without an id, ignored.
    pub users_ignored: usize,
    /// Groups inserted or replaced.
    pub groups_upserted: usize,
    /// Memberships added (already present ones count too: adding is idempotent).
    pub memberships_added: usize,
    /// Memberships removed.
    pub memberships_removed: usize,
    /// Membership changes naming an unknown user or group, or removing an absent membership.
    pub memberships_skipped: usize,
}

impl DirectoryDelta {
    /// Reads a delta's JSON text (`CONVERSION_FAILED` when it is not one; no value is quoted). Used by push
    /// updates (Okta Event Hooks), which change a few users or memberships between syncs.
    pub fn from_json(text: &str) -> Result<DirectoryDelta> {
        serde_json::from_str(text).map_err(|_| Error::Conversion { detail: "the text is not a directory delta".into() })
    }
}

impl Directory {
    /// Applies a sync's changes in place (order in the module docs) and reports what changed.
    pub fn apply_delta(&mut self, delta: DirectoryDelta) -> DeltaStats {
        let mut stats = DeltaStats::default();
        for group in delta.upsert_groups {
            self.upsert_group(group);
            stats.groups_upserted += 1;
        }
        for user in delta.upsert_users {
            if user.id.is_none() {
                stats.users_ignored += 1;
                continue;
            }
            self.upsert_user(user);
            stats.users_upserted += 1;
        }
        for m in &delta.add_memberships {
            if self.add_membership(&m.group_id, &m.user_id) {
                stats.memberships_added += 1;
            } else {
                stats.memberships_skipped += 1;
            }
        }
        for m in &delta.remove_memberships {
            if self.remove_membership(&m.group_id, &m.user_id) {
                stats.memberships_removed += 1;
            } else {
                stats.memberships_skipped += 1;
            }
        }
        for id in &delta.remove_users {
            if self.remove_user(id) {
                stats.users_removed += 1;
            }
        }
        stats
    }
}
