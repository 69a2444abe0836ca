//! A sync's outcomes, shaped for the driver: the snapshot a journaled sync's users go into page by page
//! (and the totals of the snapshot built), a journal-only sync's summary and groups, the checkpoint and the
//! result as JSON text. The glue only delegates here.

use serde::Serialize;

use crate::directory::SnapshotBuilder;
use crate::error::{Error, Result};
use crate::records::Group;
use crate::sync::{SyncSession, SyncSummary};

/// The error of an outcome asked for before the sync is done (or of a sync that keeps none).
fn unfinished() -> Error {
    Error::Conversion { detail: "an unfinished sync result could not be converted".to_string() }
}

/// A journaled sync's snapshot in the making: users kept as compact records page by page as they commit (a
/// later copy of a user replaces the earlier one in place); groups and memberships join them when the sync
/// is done. Empty for a sync without a journal (or journal only).
#[derive(Debug, Default)]
pub struct JournaledDirectory {
    builder: Option<SnapshotBuilder>,
    summary: Option<SyncSummary>,
}

impl JournaledDirectory {
    /// The directory a session's users go into (`None`: the session keeps its own result).
    pub fn new(builder: Option<SnapshotBuilder>) -> JournaledDirectory {
        JournaledDirectory { builder, summary: None }
    }

    /// Moves the users `session` committed since the last call into the snapshot builder.
    pub fn keep_users(&mut self, session: &mut SyncSession) {
        let users = session.take_users();
        if let Some(builder) = self.builder.as_mut() {
            for u in users {
                builder.upsert_user(u.user);
            }
        }
    }

    /// After `done`: the directory as snapshot bytes (the kept users, groups and memberships move into it:
    /// once), with the summary's users, groups and memberships counted in it (`CONVERSION_FAILED` before
    /// `done`, a second time, or for a session without a journal).
    pub fn snapshot(&mut self, session: &mut SyncSession) -> Result<Vec<u8>> {
        if self.builder.is_none() {
            return Err(unfinished());
        }
        let mut summary = session.summary();
        let (groups, members) = session.take_groups_and_members().ok_or_else(unfinished)?;
        let builder = self.builder.take().ok_or_else(unfinished)?;
        let (bytes, counts) = builder.finish(groups, members)?;
        (summary.users, summary.groups) = (counts.users as u64, counts.groups as u64);
        summary.memberships = counts.memberships as u64;
        self.summary = Some(summary);
        Ok(bytes)
    }

    /// The summary of the snapshot [`JournaledDirectory::snapshot`] built, as JSON text.
    pub fn summary_json(&self) -> Result<String> {
        let summary = self.summary.as_ref().ok_or_else(unfinished)?;
        serde_json::to_string(summary).map_err(|_| unfinished())
    }
}

/// A journal-only sync's outcome, by reference.
#[derive(Serialize)]
struct JournalOutcome<'a> {
    summary: SyncSummary,
    groups: &'a [Group],
}

/// A journal-only sync's outcome after `done`, JSON text `{"summary": SyncSummary, "groups": Group[]}` (the
/// summary counts users and memberships as listed; its users by status are empty).
pub fn journal_result_json(session: &SyncSession) -> String {
    let outcome = JournalOutcome { summary: session.summary(), groups: session.groups() };
    serde_json::to_string(&outcome).unwrap_or_default()
}

/// The checkpoint after the last completed page, as JSON text; `INVALID_CHECKPOINT` while a resumed journal is
/// not replayed in full and proven (such a checkpoint would describe a mix of runs).
pub fn checkpoint_json(session: &SyncSession) -> Result<String> {
    if !session.can_checkpoint() {
        let reason = "the journal was not replayed in full and proven consistent; no checkpoint is taken";
        return Err(Error::InvalidCheckpoint { reason });
    }
    serde_json::to_string(&session.checkpoint())
        .map_err(|_| Error::Conversion { detail: "checkpoint could not be converted".to_string() })
}

/// The directory after `done`, as JSON text (`CONVERSION_FAILED` before).
pub fn result_json(session: &SyncSession) -> Result<String> {
    let result = session.result().ok_or_else(unfinished)?;
    serde_json::to_string(&result)
        .map_err(|_| Error::Conversion { detail: "sync result could not be converted".to_string() })
}
