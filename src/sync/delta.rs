//! Turning an incremental sync's result into a [`DirectoryDelta`] for the previous directory, and applying it.
//!
//! - Changed users (DEPROVISIONED included) are upserted; every group of the result is upserted.
//! - With the System Log: membership changes are applied in event order (the last change of a pair wins),
//!   deleted users are removed, and every upserted user is a member of the built-in Everyone group (Okta
//!   puts every user there without a membership event).
//! - Without it (`logs_unavailable`): the result lists the members of the re-read groups (Everyone, and the
//!   groups whose membership changed), so their memberships are replaced, and users no longer in Everyone
//!   were deleted.
//! - Groups missing from the result's complete group list were deleted: dropped with their memberships.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::directory::{DeltaStats, Directory, DirectoryDelta, PatchOptions, Patched, SnapshotView, SyncMeta};
use crate::error::{Error, Result};
use crate::profile::DirectoryUser;
use crate::sync::{Group, Membership, SyncChanges, SyncMode, SyncResult};

/// What applying needs of a sync result: the same JSON shape as [`SyncResult`], reading only each user's
/// record (not its normalization report), so the wasm module carries no deserializer for the reports.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncOutcome {
    /// The synced (or, incremental, changed) users.
    #[serde(deserialize_with = "user_records")]
    pub users: Vec<DirectoryUser>,
    /// The groups.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// The memberships listed.
    #[serde(default)]
    pub memberships: Vec<Membership>,
    /// An incremental run's changes.
    #[serde(default)]
    pub changes: Option<SyncChanges>,
    /// The kind of run (from `summary.mode`).
    #[serde(default, rename = "summary", deserialize_with = "summary_mode")]
    pub mode: SyncMode,
}

fn user_records<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<DirectoryUser>, D::Error> {
    #[derive(Deserialize)]
    struct Record {
        user: DirectoryUser,
    }
    Ok(Vec::<Record>::deserialize(d)?.into_iter().map(|r| r.user).collect())
}

fn summary_mode<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<SyncMode, D::Error> {
    #[derive(Deserialize)]
    struct Summary {
        #[serde(default)]
        mode: SyncMode,
    }
    Ok(Summary::deserialize(d)?.mode)
}

impl SyncOutcome {
    /// Reads a sync result's JSON text (`CONVERSION_FAILED` when it is not one; no value is quoted).
    pub fn from_json(text: &str) -> Result<SyncOutcome> {
        serde_json::from_str(text).map_err(|_| Error::Conversion { detail: "the text is not a sync result".into() })
    }
}

impl From<&SyncResult> for SyncOutcome {
    fn from(r: &SyncResult) -> SyncOutcome {
        SyncOutcome {
            users: r.users.iter().map(|u| u.user.clone()).collect(),
            groups: r.groups.clone(),
            memberships: r.memberships.clone(),
            changes: r.changes.clone(),
            mode: r.summary.mode,
        }
    }
}

/// The built-in group every Okta user belongs to.
const BUILT_IN: &str = "BUILT_IN";

/// What [`delta_for`] reads of the previous directory: its users' ids and its memberships. Implemented by the
/// encoded snapshot ([`SnapshotView`], what the SDK applies results to) and the owning [`Directory`].
pub trait PreviousDirectory {
    /// The users' Okta ids, in directory order.
    fn previous_user_ids(&self) -> Box<dyn Iterator<Item = &str> + '_>;
    /// Every membership, grouped by group in group order.
    fn previous_memberships(&self) -> Box<dyn Iterator<Item = Membership> + '_>;
}

impl PreviousDirectory for SnapshotView<'_> {
    fn previous_user_ids(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.user_ids())
    }
    fn previous_memberships(&self) -> Box<dyn Iterator<Item = Membership> + '_> {
        Box::new(self.memberships())
    }
}

impl PreviousDirectory for Directory {
    fn previous_user_ids(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.users().filter_map(|u| u.id.as_deref()))
    }
    fn previous_memberships(&self) -> Box<dyn Iterator<Item = Membership> + '_> {
        Box::new(self.memberships())
    }
}

/// The changes that bring `prev` to the state `result` describes. A result of a full or group-scoped sync
/// (no `changes`) is treated as complete for its groups.
pub fn delta_for(prev: &dyn PreviousDirectory, result: &SyncOutcome) -> DirectoryDelta {
    let upsert_users: Vec<_> = result.users.clone();
    let everyone: Vec<&str> =
        result.groups.iter().filter(|g| g.group_type == BUILT_IN).map(|g| g.id.as_str()).collect();
    let mut delta = DirectoryDelta { upsert_groups: result.groups.clone(), ..DirectoryDelta::default() };
    let from_log = result.changes.as_ref().filter(|c| !c.logs_unavailable);
    match from_log {
        Some(changes) => {
            let mut last: HashMap<(&str, &str), bool> = HashMap::new();
            let mut order = Vec::new();
            for c in &changes.membership_changes {
                let key = (c.group_id.as_str(), c.user_id.as_str());
                if last.insert(key, c.added).is_none() {
                    order.push(key);
                }
            }
            for key in order {
                let m = Membership { group_id: key.0.to_string(), user_id: key.1.to_string() };
                if last.get(&key).copied().unwrap_or(false) {
                    delta.add_memberships.push(m);
                } else {
                    delta.remove_memberships.push(m);
                }
            }
            for u in upsert_users.iter().filter_map(|u| u.id.as_deref()) {
                for g in &everyone {
                    delta.add_memberships.push(Membership { group_id: (*g).to_string(), user_id: u.to_string() });
                }
            }
            delta.remove_users = changes.deleted_user_ids.clone();
        }
        None => {
            let now: HashSet<(&str, &str)> =
                result.memberships.iter().map(|m| (m.group_id.as_str(), m.user_id.as_str())).collect();
            // Without the log only the re-read groups' members are complete; a full result's are all.
            let synced: HashSet<&str> = match result.changes.as_ref().filter(|c| c.logs_unavailable) {
                Some(c) => c.reread_group_ids.iter().map(String::as_str).collect(),
                None => result.groups.iter().map(|g| g.id.as_str()).collect(),
            };
            delta.remove_memberships = prev
                .previous_memberships()
                .filter(|m| synced.contains(m.group_id.as_str()) && !now.contains(&(&m.group_id, &m.user_id)))
                .collect();
            delta.add_memberships = result.memberships.clone();
            if let Some(g) = everyone.first() {
                let upserted: HashSet<&str> = upsert_users.iter().filter_map(|u| u.id.as_deref()).collect();
                delta.remove_users = prev
                    .previous_user_ids()
                    .filter(|id| !now.contains(&(*g, *id)) && !upserted.contains(id))
                    .map(str::to_string)
                    .collect();
            }
        }
    }
    delta.upsert_users = upsert_users;
    delta
}

/// The groups a result keeps: every group it lists when it lists them all (not group-scoped), else all.
fn kept_groups(result: &SyncOutcome) -> Option<HashSet<&str>> {
    (result.mode != SyncMode::Groups).then(|| result.groups.iter().map(|g| g.id.as_str()).collect())
}

/// Applies a sync result to a snapshot in its encoded form (no owning directory; memory near the old and new
/// snapshots plus the result): the new snapshot keeps the old one's configuration and origin, with
/// `synced_at_ms` as its sync time. A result that lists every group (full or incremental, not group-scoped)
/// also drops the groups Okta no longer has, with their memberships. The bytes equal those of
/// [`apply_incremental`] on the decoded directory, encoded.
///
/// # Errors
/// `SNAPSHOT_CORRUPT` / `SNAPSHOT_VERSION_UNSUPPORTED` for the snapshot.
pub fn apply_outcome(snapshot: &[u8], result: &SyncOutcome, synced_at_ms: u64) -> Result<Patched> {
    let view = SnapshotView::open(snapshot)?;
    let delta = delta_for(&view, result);
    let kept = kept_groups(result);
    view.apply(&delta, PatchOptions { synced_at_ms: Some(synced_at_ms), keep_groups: kept.as_ref() })
}

/// [`apply_outcome`] for a result given as JSON text (`CONVERSION_FAILED` when it is not a sync result).
///
/// # Errors
/// As [`apply_outcome`], and `CONVERSION_FAILED`.
pub fn apply_outcome_json(snapshot: &[u8], result_json: &str, synced_at_ms: u64) -> Result<Patched> {
    let view = SnapshotView::open(snapshot)?;
    let result = SyncOutcome::from_json(result_json)?;
    let delta = delta_for(&view, &result);
    let kept = kept_groups(&result);
    view.apply(&delta, PatchOptions { synced_at_ms: Some(synced_at_ms), keep_groups: kept.as_ref() })
}

/// Applies an incremental result to an owning directory (the model the snapshot path, [`apply_outcome`], is
/// tested against); the result keeps `prev`'s configuration and origin, with `synced_at_ms` as its new sync
/// time. A result that lists every group (full or incremental, not group-scoped) also drops the groups Okta no
/// longer has, with their memberships.
pub fn apply_incremental(prev: Directory, result: &SyncResult, synced_at_ms: u64) -> (Directory, DeltaStats) {
    apply_outcome_to_directory(prev, &SyncOutcome::from(result), synced_at_ms)
}

/// [`apply_incremental`] for a result read with [`SyncOutcome::from_json`].
pub fn apply_outcome_to_directory(prev: Directory, result: &SyncOutcome, synced_at_ms: u64) -> (Directory, DeltaStats) {
    let delta = delta_for(&prev, result);
    let mut dir = prev;
    let stats = dir.apply_delta(delta);
    let kept = kept_groups(result);
    let keep = |id: &str| kept.as_ref().is_none_or(|k| k.contains(id));
    let groups: Vec<Group> = dir.groups().iter().filter(|g| keep(&g.id)).cloned().collect();
    let memberships: Vec<Membership> = dir.memberships().filter(|m| keep(&m.group_id)).collect();
    let meta = SyncMeta { origin: dir.meta().origin.clone(), synced_at_ms };
    let rebuilt = Directory::build(dir.users().cloned().collect(), groups, &memberships, dir.config().clone(), meta);
    (rebuilt, stats)
}
