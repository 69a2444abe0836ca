//! Checkpoints: everything needed to resume a full sync without refetching a completed page.
//!
//! Design: a checkpoint holds each listing's cursor (the `next` URL of its first unfetched page, plus
//! hashes of fetched URLs for the loop guard) **and the data collected so far**. Cursors alone would
//! not do: Okta cursors are not replayable from a digest, and data from completed pages would be lost.
//! The cost is a checkpoint that grows with the directory (O(users)); a later step can switch to a page
//! journal (persist each page's delta, checkpoint only cursors) without changing the resume rules.
//! Pages in flight when the checkpoint was taken are simply fetched again: they never completed.

use serde::{Deserialize, Serialize};

use super::{Group, IncrementalState, Progress, StreamCheckpoint, SyncConfig, SyncMachine};
use crate::error::{Error, Result};
use crate::profile::NormalizedUser;

/// Format version of [`Checkpoint`]; bumped on incompatible changes.
pub const CHECKPOINT_VERSION: u32 = 1;

/// Data collected from completed pages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collected {
    /// Users so far, in listing order.
    pub users: Vec<NormalizedUser>,
    /// Groups so far, in listing order.
    pub groups: Vec<Group>,
    /// Member user ids per group, aligned with `groups`.
    pub members: Vec<Vec<String>>,
}

/// A resumable snapshot of a sync in progress (serde-serializable; store it after every page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checkpoint {
    /// [`CHECKPOINT_VERSION`] at the time of writing.
    pub version: u32,
    /// The org origin the sync runs against; a checkpoint never resumes against another org.
    pub origin: String,
    /// The users listing.
    pub users: StreamCheckpoint,
    /// The groups listing.
    pub groups: StreamCheckpoint,
    /// One members listing per collected group, aligned with `collected.groups`.
    pub members: Vec<StreamCheckpoint>,
    /// Data from completed pages.
    pub collected: Collected,
    /// Counters at the time of the checkpoint.
    pub progress: Progress,
    /// An incremental run's System Log listing and changes (absent for full and group-scoped runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incremental: Option<IncrementalState>,
}

impl SyncMachine {
    /// The state after the last completed page.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            version: CHECKPOINT_VERSION,
            origin: self.config.org.origin().to_string(),
            users: self.users.saved.clone(),
            groups: self.groups.saved.clone(),
            members: self.members.iter().map(|s| s.saved.clone()).collect(),
            collected: self.collected.clone(),
            progress: self.progress.clone(),
            incremental: self.incremental_state(),
        }
    }

    /// Continues a sync from `checkpoint`. Every stored cursor is re-vetted against the org's origin,
    /// so a tampered checkpoint cannot send credentials elsewhere either.
    pub fn resume(config: SyncConfig, checkpoint: Checkpoint) -> Result<SyncMachine> {
        let bad = |reason| Err(Error::InvalidCheckpoint { reason });
        if checkpoint.version != CHECKPOINT_VERSION {
            return bad("it was written by an incompatible version");
        }
        if checkpoint.origin != config.org.origin() {
            return bad("it belongs to another org");
        }
        let c = &checkpoint.collected;
        if c.members.len() != c.groups.len() || checkpoint.members.len() != c.groups.len() {
            return bad("its group and member lists disagree");
        }
        let cursors = [&checkpoint.users, &checkpoint.groups].into_iter().chain(&checkpoint.members);
        for cursor in cursors {
            if cursor.next.as_deref().is_some_and(|url| !config.org.is_same_origin(url)) {
                return bad("a stored cursor is not on the org's origin");
            }
        }
        if checkpoint.groups.next.is_none() && checkpoint.groups.pages == 0 {
            return bad("its groups listing never started");
        }
        if checkpoint.incremental.is_some() != (config.mode() == super::SyncMode::Incremental) {
            return bad("it belongs to another kind of sync (incremental or not)");
        }
        if let Some(logs) = checkpoint.incremental.as_ref().and_then(|i| i.logs.as_ref()) {
            if logs.next.as_deref().is_some_and(|url| !config.org.is_same_origin(url)) {
                return bad("a stored cursor is not on the org's origin");
            }
        }
        let Checkpoint { users, groups, members, collected, progress, incremental, .. } = checkpoint;
        let mut machine = SyncMachine::assemble(config, users, groups, members, collected, progress);
        machine.restore_incremental(incremental.unwrap_or_default());
        Ok(machine)
    }
}
