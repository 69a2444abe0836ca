//! Checkpoints: everything needed to resume a full sync without refetching a completed page.
//!
//! Two ways to keep the data of completed pages:
//! - **In the checkpoint** (default): a checkpoint holds each listing's cursor (the `next` URL of its first
//!   unfetched page, plus hashes of fetched URLs for the loop guard) and the data collected so far. Simple,
//!   but the checkpoint grows with the directory and is re-serialized whole at every save.
//! - **Page journal** ([`SyncMachine::enable_journal`]): the driver appends every completed users or
//!   members page (its URL and a body that replays to the same commit: a users page's raw body, a members
//!   page's ids only) to an append-only journal, once, as soon as [`SyncMachine::take_journal_page`] says
//!   the page committed. The checkpoint then holds cursors, the
//!   groups and the number of journal pages it covers — a few KB whatever the directory's size. The
//!   machine keeps no user: committed users are handed out ([`SyncMachine::take_users`]) to whoever builds
//!   the output. To resume, the driver replays the first [`JournalPosition::pages`] journal pages
//!   ([`SyncMachine::replay_page`]) before polling; pages journaled after that checkpoint are dropped and
//!   fetched again (their cursors were not saved).
//!
//! Each journaled page extends a hash chain seeded by the run id (see `chain`); a journaled checkpoint records the
//! chain after the pages it covers, and a resume replays only a journal that reproduces it, so one run's cursors
//! never complete from another run's pages (docs/sync-guarantees.md).
//!
//! Okta cursors are not replayable from a digest, so completed pages' data has to be kept one way or the
//! other. Pages in flight when the checkpoint was taken are simply fetched again: they never completed.

use serde::{Deserialize, Serialize};

use super::chain;
use super::page::{parse_member_ids, parse_users};
use super::{Group, IncrementalState, Progress, StreamCheckpoint, SyncConfig, SyncMachine, SyncMode};
use crate::error::{Error, Result};
use crate::profile::{NormalizedUser, UserStatus};
use crate::sync::url::ParsedUrl;

/// Format version of [`Checkpoint`]; bumped on incompatible changes. 3: an incremental run's System Log listing
/// is a polling cursor (no `until`). A version-2 checkpoint of a full or group-scoped run (unchanged) still
/// loads; a version-2 incremental one is refused with `INVALID_CHECKPOINT` (its bounded log listing cannot
/// continue as a poll): start that run again — its watermark was never advanced, so nothing is lost.
pub const CHECKPOINT_VERSION: u32 = 3;

/// The oldest [`Checkpoint`] version still read (full and group-scoped runs only).
const OLDEST_READABLE_VERSION: u32 = 2;

/// Data collected from completed pages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collected {
    /// Users so far, in listing order (empty with a page journal: users live in the journal).
    pub users: Vec<NormalizedUser>,
    /// Groups so far, in listing order.
    pub groups: Vec<Group>,
    /// Member user ids per group, aligned with `groups` (empty lists in a journaled checkpoint).
    pub members: Vec<Vec<String>>,
}

/// How much of the page journal a checkpoint covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalPosition {
    /// Journal pages (users and members pages, in completion order) the checkpoint's cursors are past.
    pub pages: u64,
    /// The journal's hash chain after those pages (16 hex digits; see `chain`): a resume replays only a
    /// journal that reproduces it.
    #[serde(default)]
    pub chain: String,
}

/// A resumable snapshot of a sync in progress (serde-serializable; store it after every page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checkpoint {
    /// [`CHECKPOINT_VERSION`] at the time of writing.
    pub version: u32,
    /// The org origin the sync runs against; a checkpoint never resumes against another org.
    pub origin: String,
    /// The run that wrote it (a resume continues that run).
    #[serde(default)]
    pub run_id: String,
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
    /// Present when users and memberships are kept in a page journal instead of `collected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<JournalPosition>,
}

/// What the driver appends to the journal for a committed page (with the page's request URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalPage {
    /// The response body, verbatim (a users page: replay needs every profile attribute).
    Verbatim,
    /// This body instead, which replays to the same commit: a members page as its member ids only
    /// (`[{"id":"00u…"},…]`; members are whole user objects, most of a full sync's bytes).
    Rewritten(String),
}

/// The machine's side of a page journal.
#[derive(Debug, Clone, Default)]
pub(super) struct Journal {
    /// Pages committed and handed to the driver for the journal (replayed ones included).
    pages: u64,
    /// Pages the driver still has to replay before the machine may run (after a resume).
    to_replay: u64,
    /// The last response committed a page that the driver must append to the journal, and how.
    committed: Option<JournalPage>,
    /// Users committed and not yet taken.
    outbox: Vec<NormalizedUser>,
    /// Latest status of each distinct user, by listing position (for the summary).
    statuses: Vec<Option<UserStatus>>,
    /// The hash chain over the pages so far (replayed and fetched).
    chain: u64,
    /// After a resume: the chain the replayed pages must reproduce.
    expected_chain: Option<u64>,
    /// A replay failed: nothing may be checkpointed (it would describe a mix).
    poisoned: bool,
    /// Journal only ([`SyncMachine::journal_only`]): users and members are counted, never kept.
    only: bool,
    /// After a resume: the checkpoint's user and membership counts (a replay rebuilds them; journal only keeps these).
    resumed_counts: (u64, u64),
}

impl SyncMachine {
    /// The state after the last completed page.
    pub fn checkpoint(&self) -> Checkpoint {
        let (collected, journal) = match &self.journal {
            None => (self.collected.clone(), None),
            Some(j) => {
                let members = vec![Vec::new(); self.collected.groups.len()];
                let collected = Collected { users: Vec::new(), groups: self.collected.groups.clone(), members };
                (collected, Some(JournalPosition { pages: j.pages, chain: chain::to_hex(j.chain) }))
            }
        };
        Checkpoint {
            version: CHECKPOINT_VERSION,
            origin: self.config.org.origin().to_string(),
            run_id: self.config.run_id.clone(),
            users: self.users.saved.clone(),
            groups: self.groups.saved.clone(),
            members: self.members.iter().map(|s| s.saved.clone()).collect(),
            collected,
            progress: self.progress.clone(),
            incremental: self.incremental_state(),
            journal,
        }
    }

    /// Continues a sync from `checkpoint`. Every stored cursor is re-vetted against the org's origin,
    /// so a tampered checkpoint cannot send credentials elsewhere either. A journaled checkpoint needs its
    /// journal pages replayed ([`SyncMachine::replay_page`]) before the first poll.
    pub fn resume(mut config: SyncConfig, checkpoint: Checkpoint) -> Result<SyncMachine> {
        let bad = |reason| Err(Error::InvalidCheckpoint { reason });
        if checkpoint.version < OLDEST_READABLE_VERSION || checkpoint.version > CHECKPOINT_VERSION {
            return bad("it was written by an incompatible version");
        }
        if checkpoint.version < CHECKPOINT_VERSION && checkpoint.incremental.is_some() {
            return bad(
                "it is an incremental run's checkpoint of format 2 (bounded System Log query); start the run again",
            );
        }
        if checkpoint.origin != config.org.origin() {
            return bad("it belongs to another org");
        }
        let c = &checkpoint.collected;
        if c.members.len() != c.groups.len() || checkpoint.members.len() != c.groups.len() {
            return bad("its group and member lists disagree");
        }
        if checkpoint.journal.is_some() && (!c.users.is_empty() || c.members.iter().any(|m| !m.is_empty())) {
            return bad("it holds users or members although it uses a journal");
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
        if checkpoint.incremental.is_some() != (config.mode() == SyncMode::Incremental) {
            return bad("it belongs to another kind of sync (incremental or not)");
        }
        if checkpoint.incremental.is_some() && checkpoint.journal.is_some() {
            return bad("it uses a journal, which incremental runs do not");
        }
        if let Some(logs) = checkpoint.incremental.as_ref().and_then(|i| i.logs.as_ref()) {
            if logs.next.as_deref().is_some_and(|url| !config.org.is_same_origin(url)) {
                return bad("a stored cursor is not on the org's origin");
            }
        }
        let expected_chain = match &checkpoint.journal {
            None => None,
            Some(p) => match u64::from_str_radix(&p.chain, 16) {
                Ok(c) if p.chain.len() == 16 => Some(c),
                _ => return bad("its journal position has no valid hash chain"),
            },
        };
        let Checkpoint { users, groups, members, collected, mut progress, incremental, journal, run_id, .. } =
            checkpoint;
        config.run_id = run_id;
        let resumed_counts = (progress.users, progress.memberships);
        if journal.is_some() {
            // Rebuilt by the replay.
            progress.users = 0;
            progress.memberships = 0;
        }
        let mut machine = SyncMachine::assemble(config, users, groups, members, collected, progress);
        machine.restore_incremental(incremental.unwrap_or_default());
        let seed = chain::seed(&machine.config.run_id);
        machine.journal = journal.map(|p| Journal {
            to_replay: p.pages,
            chain: seed,
            expected_chain,
            resumed_counts,
            ..Journal::default()
        });
        if machine.journal.as_ref().is_some_and(|j| j.to_replay == 0 && j.expected_chain != Some(j.chain)) {
            return bad("its journal hash chain does not match its run");
        }
        Ok(machine)
    }

    /// Keeps users and memberships in a page journal kept by the driver instead of in memory and in
    /// checkpoints (see the module docs). Call before the first poll. Full and group-scoped runs only: an
    /// incremental run's result is a small delta applied to the previous snapshot, so it ignores this.
    pub fn enable_journal(&mut self) {
        if self.config.mode() != SyncMode::Incremental {
            let chain = chain::seed(&self.config.run_id);
            self.journal.get_or_insert_with(|| Journal { chain, ..Journal::default() });
        }
    }

    /// Journal only: with [`SyncMachine::enable_journal`], the machine keeps nothing of the users and members
    /// (no id index, no statuses, no member lists: its memory does not grow with the directory) and only
    /// hands out journal pages; whoever reads the journal builds the directory (e.g. KV shards by range).
    /// A resumed run adopts its checkpoint's journal position without a replay (the caller's journal must
    /// hold the pages the checkpoint covers). Users listed twice are counted twice; the summary has no
    /// users by status. Call after `enable_journal`, before the first poll.
    pub fn journal_only(&mut self) {
        if let Some(j) = &mut self.journal {
            j.only = true;
            if j.to_replay > 0 || j.expected_chain.is_some() {
                j.pages = j.to_replay;
                j.to_replay = 0;
                j.chain = j.expected_chain.unwrap_or(j.chain);
                (self.progress.users, self.progress.memberships) = j.resumed_counts;
            }
        }
    }

    /// Whether the machine runs with a page journal.
    pub fn is_journaled(&self) -> bool {
        self.journal.is_some()
    }

    /// Whether the response just fed completed a users or members page that must now be appended to the
    /// journal (its request URL and the body this says); clears it. Always `None` without a journal.
    pub fn take_journal_page(&mut self) -> Option<JournalPage> {
        self.journal.as_mut().and_then(|j| j.committed.take())
    }

    /// Journal pages still to replay before the machine may run (after resuming a journaled checkpoint).
    pub fn journal_pages_to_replay(&self) -> u64 {
        self.journal.as_ref().map_or(0, |j| j.to_replay)
    }

    /// Whether [`SyncMachine::checkpoint`] describes a consistent state that may be stored: false while a
    /// resumed journal is not fully replayed and proven (see [`SyncMachine::replay_page`]), or after a replay failed.
    pub fn can_checkpoint(&self) -> bool {
        self.journal.as_ref().is_none_or(|j| j.to_replay == 0 && !j.poisoned)
    }

    /// Users committed since the last call, in commit order (with a journal; empty otherwise). A user
    /// listed twice (Okta re-lists a user changed mid-listing) appears twice: the later one wins.
    pub fn take_users(&mut self) -> Vec<NormalizedUser> {
        self.journal.as_mut().map(|j| std::mem::take(&mut j.outbox)).unwrap_or_default()
    }

    /// Re-applies one journaled page (`url` as fetched, `body` verbatim) after a resume, in journal order. The
    /// pages replayed must reproduce the checkpoint's hash chain: after the last one, a journal that is not the
    /// one the checkpoint's run wrote (another run's, reordered, cut or altered) fails with `INVALID_CHECKPOINT`,
    /// and the machine then neither runs nor checkpoints (it holds a mix).
    pub fn replay_page(&mut self, url: &str, body: &str) -> Result<()> {
        let result = self.replay_one(url, body);
        if let Err(e) = &result {
            self.failed.get_or_insert_with(|| e.clone());
            if let Some(j) = &mut self.journal {
                j.poisoned = true;
            }
        }
        result
    }

    fn replay_one(&mut self, url: &str, body: &str) -> Result<()> {
        let bad = |reason| Err(Error::InvalidCheckpoint { reason });
        match &mut self.journal {
            Some(j) if j.to_replay > 0 && !j.poisoned => {
                j.to_replay -= 1;
                j.chain = chain::extend(j.chain, url, body.as_bytes());
                if j.to_replay == 0 && j.expected_chain != Some(j.chain) {
                    return bad("the journal is not the one its checkpoint was written with (hash chain mismatch)");
                }
            }
            Some(j) if j.poisoned => return bad("an earlier journal page failed to replay"),
            _ => return bad("the journal has more pages than its checkpoint"),
        }
        if !self.config.org.is_same_origin(url) {
            return bad("a journal page is not from the org's origin");
        }
        let path = ParsedUrl::parse(url).map(|u| u.path).unwrap_or_default();
        let unreadable = |_| Error::InvalidCheckpoint { reason: "a journal page is unreadable" };
        let api = path.strip_prefix("/api/v1/").unwrap_or("");
        let scoped = self.config.mode() == SyncMode::Groups;
        if api == "users" && !scoped {
            let users = parse_users(body, &self.config.mapping).map_err(unreadable)?;
            self.commit_users(users);
        } else if let Some(group) = api.strip_prefix("groups/").and_then(|rest| rest.strip_suffix("/users")) {
            let Some(&i) = self.group_index.get(group) else { return bad("a journal page names an unknown group") };
            if scoped {
                // A group-scoped run takes its users from the member listings, as when the page was fetched.
                let users = parse_users(body, &self.config.mapping).map_err(unreadable)?;
                let ids = users.iter().filter_map(|u| u.user.id.clone()).collect();
                self.commit_users(users);
                self.commit_members(i, ids);
            } else {
                let ids = parse_member_ids(body).map_err(unreadable)?;
                self.commit_members(i, ids);
            }
        } else {
            return bad("a journal page is neither a users nor a members page");
        }
        if let Some(j) = &mut self.journal {
            j.pages += 1;
        }
        Ok(())
    }

    /// Records that a fetched users or members page committed (the driver journals it as `page` says).
    pub(super) fn note_journal_page(&mut self, page: JournalPage, url: &str, body: &str) {
        if let Some(j) = &mut self.journal {
            j.pages += 1;
            let journaled = match &page {
                JournalPage::Verbatim => body,
                JournalPage::Rewritten(b) => b.as_str(),
            };
            j.chain = chain::extend(j.chain, url, journaled.as_bytes());
            j.committed = Some(page);
        }
    }

    /// Commits a users page: a user already seen is replaced in place (Okta can list a user twice when it
    /// changes mid-listing).
    pub(super) fn commit_users(&mut self, users: Vec<NormalizedUser>) -> usize {
        if self.journal.as_ref().is_some_and(|j| j.only) {
            let n = users.iter().filter(|u| u.user.id.is_some()).count();
            self.progress.users += n as u64;
            return n;
        }
        let before = self.user_index.len();
        for u in users {
            let Some(id) = u.user.id.clone() else { continue };
            let known = self.user_index.get(&id).copied();
            match &mut self.journal {
                None => match known {
                    Some(i) => {
                        if let Some(slot) = self.collected.users.get_mut(i) {
                            *slot = u;
                        }
                    }
                    None => {
                        self.user_index.insert(id, self.collected.users.len());
                        self.collected.users.push(u);
                    }
                },
                Some(j) => {
                    match known {
                        Some(i) => {
                            if let Some(slot) = j.statuses.get_mut(i) {
                                *slot = u.user.status;
                            }
                        }
                        None => {
                            self.user_index.insert(id, j.statuses.len());
                            j.statuses.push(u.user.status);
                        }
                    }
                    j.outbox.push(u);
                }
            }
        }
        self.progress.users = self.user_index.len() as u64;
        self.user_index.len() - before
    }

    /// Commits a members page of group number `i`.
    pub(super) fn commit_members(&mut self, i: usize, ids: Vec<String>) -> usize {
        if self.journal.as_ref().is_some_and(|j| j.only) {
            self.progress.memberships += ids.len() as u64;
            return ids.len();
        }
        let (Some(set), Some(list)) = (self.member_sets.get_mut(i), self.collected.members.get_mut(i)) else {
            return 0;
        };
        let mut added = 0;
        for id in ids {
            if set.insert(id.clone()) {
                list.push(id);
                added += 1;
            }
        }
        self.progress.memberships += added as u64;
        added
    }

    /// The groups listed so far, in listing order (kept in journaled syncs too).
    pub fn groups(&self) -> &[Group] {
        &self.collected.groups
    }

    /// Once done: the groups and each group's member ids (aligned), moved out of the machine, which drops its
    /// indexes too (for building a large directory without holding the data twice). [`SyncMachine::result`]
    /// is empty afterwards. As in the result, a full run keeps only members its users listing returned.
    pub fn take_groups_and_members(&mut self) -> Option<(Vec<Group>, Vec<Vec<String>>)> {
        if !self.is_done() {
            return None;
        }
        let mut members = std::mem::take(&mut self.collected.members);
        if self.config.mode() == SyncMode::Full {
            for ids in &mut members {
                ids.retain(|u| self.user_index.contains_key(u));
            }
        }
        self.user_index = Default::default();
        self.member_sets = Vec::new();
        Some((std::mem::take(&mut self.collected.groups), members))
    }

    /// The latest status of every distinct user.
    pub(super) fn statuses(&self) -> Vec<Option<UserStatus>> {
        match &self.journal {
            None => self.collected.users.iter().map(|u| u.user.status).collect(),
            Some(j) => j.statuses.clone(),
        }
    }
}
