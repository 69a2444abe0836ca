//! The sans-IO state machine of a full sync: users (DEPROVISIONED included), groups and every
//! group's members. The driver loops on [`SyncMachine::poll`], performs the [`Request`]s it is
//! given (adding credentials), and feeds back responses with the current time. The machine never
//! reads a clock, never does I/O and never sees a credential.
//!
//! Users are listed with `filter=lastUpdated gt "1970-01-01T00:00:00.000Z"`: a plain list omits
//! DEPROVISIONED users, while any `filter` includes them. `filter` rather than `search=status pr`
//! because the incremental sync will use the very same query with a real watermark, so full and
//! incremental runs share one code path and one consistency behaviour (and `filter` is what
//! long-running connectors kept for deltas over the search index).

mod chain;
mod checkpoint;
mod clock;
mod incremental;
mod page;
/// Journal pages as the sync reads them (for builders that read a journal themselves).
pub(crate) use page::{parse_member_ids, parse_users};
mod scan;
pub(crate) use scan::find_special;
mod stream;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

pub use crate::records::{Group, Membership};
pub use checkpoint::{Checkpoint, Collected, JournalPage, JournalPosition, CHECKPOINT_VERSION};
pub use clock::{clock_watermark, DEFAULT_CLOCK_TOLERANCE_MS};
pub use incremental::{
    iso_millis, IncrementalConfig, IncrementalState, MembershipChange, SyncChanges, DEFAULT_OVERLAP_MS,
};
pub use stream::StreamCheckpoint;

use crate::error::Error;
use crate::profile::{AttributeMapping, NormalizedUser};
use crate::sync::http::{Method, Request, Response};
use crate::sync::link::next_link;
use crate::sync::org::OrgUrl;
use crate::sync::ratelimit::{Bucket, RateConfig, RateLimiter, RetryWait};
use stream::{url_hash, Stream};

/// The users query: any `filter` makes Okta include DEPROVISIONED users (see the module docs).
const USERS_FILTER: &str = "filter=lastUpdated%20gt%20%221970-01-01T00%3A00%3A00.000Z%22";

/// Identifies one emitted request; responses are matched to streams by it.
pub type RequestId = u64;

/// How a sync runs. Build with [`SyncConfig::new`] and adjust fields.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// The validated org.
    pub org: OrgUrl,
    /// How Okta profiles map to canonical fields.
    pub mapping: AttributeMapping,
    /// Page size asked for (`limit`), 1–200.
    pub page_limit: u32,
    /// Most requests in flight at once (Okta's org concurrency limit is shared; keep it small).
    pub max_in_flight: usize,
    /// Most pages one listing may have before the sync fails with `PAGINATION_LOOP`.
    pub max_pages_per_stream: u32,
    /// Pacing and retry tuning.
    pub rate: RateConfig,
    /// Largest difference between the server's `Date` and the local clock not reported as skew; also how far in the
    /// future an incremental `since` may lie (see `clock`).
    pub clock_tolerance_ms: u64,
    /// Group-scoped sync: only these groups and their members (users come from the member listings).
    pub groups: Option<Vec<String>>,
    /// The Workforce group: recorded in the result (and synced in a group-scoped run); must exist.
    pub workforce_group: Option<String>,
    /// Incremental sync since a previous sync's watermark (ignored by a group-scoped sync).
    pub incremental: Option<IncrementalConfig>,
    /// An incremental run's System Log polling cursor: the previous run's [`SyncChanges::log_cursor`]. The log is
    /// then polled from there instead of from the watermark (see `incremental`); it must be on the org's origin.
    pub log_cursor: Option<String>,
    /// System Log event `uuid`s already applied elsewhere (an Event Hook receiver): an incremental run skips them.
    pub applied_event_uuids: HashSet<String>,
    /// A users or members listing that returns this many non-final pages in a row without a record not already
    /// collected fails with `NO_PROGRESS` (a cursor that moves while the data does not).
    pub max_pages_without_progress: u32,
    /// Identifies this run in its checkpoints and seeds its journal's hash chain (a resumed run keeps the
    /// checkpoint's). Give a fresh random value per run; empty is allowed but weakens the journal check.
    pub run_id: String,
}

impl SyncConfig {
    /// Defaults: 200 per page, 3 in flight, 100 000 pages per listing, default mapping and rate tuning.
    pub fn new(org: OrgUrl) -> SyncConfig {
        SyncConfig {
            org,
            mapping: AttributeMapping::default(),
            page_limit: 200,
            max_in_flight: 3,
            max_pages_per_stream: 100_000,
            rate: RateConfig::default(),
            clock_tolerance_ms: DEFAULT_CLOCK_TOLERANCE_MS,
            groups: None,
            workforce_group: None,
            incremental: None,
            log_cursor: None,
            applied_event_uuids: HashSet::new(),
            max_pages_without_progress: 3,
            run_id: String::new(),
        }
    }

    /// Which kind of run this configuration makes.
    pub fn mode(&self) -> SyncMode {
        match (&self.groups, &self.incremental) {
            (Some(_), _) => SyncMode::Groups,
            (None, Some(_)) => SyncMode::Incremental,
            (None, None) => SyncMode::Full,
        }
    }
}

/// The kind of run that produced a result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SyncMode {
    /// Every user, group and membership.
    #[default]
    Full,
    /// Only the configured groups, their members and those members' memberships in them.
    Groups,
    /// Users changed since a watermark, every group, and membership changes and deletions (see [`SyncChanges`]).
    Incremental,
}

/// Why the machine asks the driver to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "bucket")]
pub enum WaitReason {
    /// Spreading a bucket's remaining budget until its reset.
    Pacing(Bucket),
    /// After a 429 on this bucket, until its window resets.
    RateLimited(Bucket),
    /// After a concurrency 429: a short backoff.
    ConcurrencyLimited,
    /// After a 5xx: exponential backoff.
    ServerError,
    /// After a network failure: exponential backoff.
    NetworkError,
    /// Nothing to send until an in-flight request completes.
    AwaitingResponses,
}

/// What the driver should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Perform this request (adding credentials when `needs_auth`; redirects must not be followed), then
    /// call `on_response`/`on_network_error`.
    Send(RequestId, Request),
    /// Sleep up to this many ms — or less, if an in-flight request completes first — then poll again.
    /// `u64::MAX` means no timer: wait for an in-flight response (always the case with
    /// [`WaitReason::AwaitingResponses`]). Every `Send` must eventually be answered by `on_response` or
    /// `on_network_error` (a timeout or an aborted request is a network error), or the machine waits forever.
    Wait(u64, WaitReason),
    /// The sync is complete; [`SyncMachine::result`] holds the directory.
    Done(SyncSummary),
    /// The sync failed; the error is typed and final.
    Failed(Error),
}

/// Live counters, for progress display.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Pages completed.
    pub pages: u64,
    /// Distinct users collected.
    pub users: u64,
    /// Distinct groups collected.
    pub groups: u64,
    /// Distinct memberships collected.
    pub memberships: u64,
    /// Requests emitted.
    pub requests: u64,
    /// Retries scheduled (429, 5xx, network, malformed page).
    pub retries: u64,
    /// Time spent in timed waits (pacing and backoff), in ms.
    pub waits_ms: u64,
    /// The reason of the latest timed wait.
    pub last_wait_reason: Option<WaitReason>,
    /// Server time (Unix ms, from the first response's `Date`) when the sync started: the next incremental
    /// run's watermark. Kept here so that a resumed sync keeps its original start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark_ms: Option<u64>,
    /// The server's `Date` minus the local clock (ms), when the difference is beyond the clock tolerance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_skew_ms: Option<i64>,
}

/// Totals of a completed sync.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncSummary {
    /// Users, whatever their status.
    pub users: u64,
    /// Users per Okta status (`ACTIVE`, `DEPROVISIONED`, …).
    pub users_by_status: BTreeMap<String, u64>,
    /// Groups.
    pub groups: u64,
    /// Memberships.
    pub memberships: u64,
    /// Pages, requests, retries and waits, as in [`Progress`].
    pub progress: Progress,
    /// Server time (Unix ms) when the sync started: pass it as the next incremental run's `since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark_ms: Option<u64>,
    /// The kind of run.
    #[serde(default)]
    pub mode: SyncMode,
}

/// The directory a completed sync produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncResult {
    /// Users in listing order, each with its normalization report.
    pub users: Vec<NormalizedUser>,
    /// Groups in listing order.
    pub groups: Vec<Group>,
    /// Memberships, grouped by group in listing order, members in listing order.
    pub memberships: Vec<Membership>,
    /// Totals.
    pub summary: SyncSummary,
    /// The Workforce group's id, when configured (its members are the Workforce users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workforce_group_id: Option<String>,
    /// An incremental run's changes beyond `users` (changed users) and `groups` (every group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<SyncChanges>,
}

/// Which stream a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StreamRef {
    Users,
    Groups,
    Members(usize),
    Logs,
}

/// The sans-IO full-sync state machine.
#[derive(Debug, Clone)]
pub struct SyncMachine {
    config: SyncConfig,
    limiter: RateLimiter,
    users: Stream,
    groups: Stream,
    members: Vec<Stream>,
    /// Member streams before this index are all complete (keeps `poll` cheap with many groups).
    members_done: usize,
    /// Requests handed out and not yet answered, with their stream.
    in_flight: HashMap<RequestId, StreamRef>,
    collected: Collected,
    user_index: crate::hash::IdMap<usize>,
    group_index: crate::hash::IdMap<usize>,
    member_sets: Vec<crate::hash::IdSet>,
    progress: Progress,
    next_id: RequestId,
    failed: Option<Error>,
    /// The timed wait last handed out: (start, ms), settled into `waits_ms` at the next call.
    pending_wait: Option<(u64, u64)>,
    /// An incremental run's System Log listing and what it found.
    inc: IncrementalState,
    /// Each collected group's `lastMembershipUpdated` (not persisted: unknown after a resume).
    membership_stamps: Vec<Option<String>>,
    /// The System Log listing at run time (`inc.logs` is its persisted part).
    logs: Option<Stream>,
    /// With a page journal: users and memberships leave the machine (see `checkpoint`).
    journal: Option<checkpoint::Journal>,
    /// The local wall clock (Unix ms) at the latest poll, when the driver reports it (see `clock`).
    wall_ms: Option<u64>,
}

mod run;
