//! Incremental sync: the queries (users changed since a watermark, System Log events for deletions and
//! membership changes) and the parsing of System Log pages.
//!
//! A watermark is the server's `Date` when a sync started. The next run lists users with
//! `lastUpdated ge (watermark − overlap)`. The overlap (default 5 min) covers clock skew between Okta's
//! nodes and `lastUpdated` stamps written while a listing page was served; everything it re-reads is
//! applied idempotently (upserts, set membership).
//!
//! The System Log is read with Okta's **polling** query (ascending, no `until`), never a bounded one: a
//! bounded query is ordered by `published` and misses an event persisted after the query ran with a
//! `published` time inside a window already read ("rare delayed events"). A polling query is ordered by
//! persistence, and every page has a `next` link, even an empty one. A run follows `next` until a page
//! brings fewer events than it asked for (it caught up); that page's `next` link is the **log cursor**
//! ([`SyncChanges::log_cursor`]), where the next run polls from (it replaces the `since` lower bound). Stopping
//! on a short page rather than an empty one saves a request per run and loses nothing: should more events
//! be persisted already, the cursor still points before them. An event persisted late, with an old
//! `published` time, comes after the cursor, so the next poll reads it, once. The first run after a full
//! sync (no cursor yet) polls from `since` = watermark − overlap.
//!
//! Events whose `uuid` the caller lists as already applied (by an Event Hook receiver) are skipped and
//! counted ([`SyncChanges::events_already_applied`]).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::stream::StreamCheckpoint;
use crate::error::{Error, Result};
use crate::records::is_okta_id;

/// Default overlap window: 5 minutes.
pub const DEFAULT_OVERLAP_MS: u64 = 5 * 60 * 1000;

/// System Log event types an incremental sync reads.
pub(crate) const LOG_EVENT_TYPES: [&str; 4] = [
    "user.lifecycle.delete.initiated",
    "user.lifecycle.delete.completed",
    "group.user_membership.add",
    "group.user_membership.remove",
];

/// An incremental run's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncrementalConfig {
    /// The previous sync's watermark (server time, Unix ms).
    pub since_ms: u64,
    /// How far before the watermark to start reading (default [`DEFAULT_OVERLAP_MS`]).
    pub overlap_ms: u64,
}

impl IncrementalConfig {
    /// Since `since_ms` with the default overlap.
    pub fn since(since_ms: u64) -> IncrementalConfig {
        IncrementalConfig { since_ms, overlap_ms: DEFAULT_OVERLAP_MS }
    }

    /// The lower bound actually queried.
    pub fn from_ms(&self) -> u64 {
        self.since_ms.saturating_sub(self.overlap_ms)
    }
}

/// One membership added or removed, from the System Log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipChange {
    /// The group's id.
    pub group_id: String,
    /// The user's id.
    pub user_id: String,
    /// `true` when added, `false` when removed.
    pub added: bool,
}

/// What an incremental run found besides changed users and the group list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncChanges {
    /// The lower bound queried (watermark − overlap), Unix ms.
    pub from_ms: u64,
    /// Users deleted from Okta (System Log), in event order.
    pub deleted_user_ids: Vec<String>,
    /// Membership changes in event order (the last one for a pair wins).
    pub membership_changes: Vec<MembershipChange>,
    /// The System Log could not be read (no `okta.logs.read`): the members of `reread_group_ids` were re-read
    /// instead (their `memberships` are complete), and deletions are the users no longer in the built-in
    /// Everyone group.
    pub logs_unavailable: bool,
    /// Without the log: the groups whose members were re-read — the built-in group, and every group whose
    /// `lastMembershipUpdated` is after the lower bound (or unknown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reread_group_ids: Vec<String>,
    /// Where the next run polls the System Log from: the `next` link of this run's last (empty) polling page.
    /// Pass it back as [`SyncConfig::log_cursor`](super::SyncConfig::log_cursor). `None` when the log was not
    /// read, or when its last page had no `next` link (the next run then starts from its `since` again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_cursor: Option<String>,
    /// Events skipped because their `uuid` was listed as already applied (by an Event Hook receiver).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub events_already_applied: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The persisted state of an incremental run (part of the checkpoint).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncrementalState {
    /// The System Log polling listing, once started.
    pub logs: Option<StreamCheckpoint>,
    /// What was found so far.
    pub changes: SyncChanges,
}

/// `lastUpdated ge "…"` as a URL query parameter (`ge`: Okta stamps whole seconds, so a change in the watermark's own
/// second shares its stamp) (`filter=…`), percent-encoded.
pub(crate) fn users_filter(from_ms: u64) -> String {
    format!("filter=lastUpdated%20ge%20%22{}%22", iso_millis(from_ms).replace(':', "%3A"))
}

/// Events asked for per System Log page (Okta's maximum).
pub(crate) const LOG_PAGE_LIMIT: usize = 1000;

/// The System Log polling query from `from_ms` (ascending, no `until`: see the module docs).
pub(crate) fn logs_url(api: &str, from_ms: u64) -> String {
    let filter =
        LOG_EVENT_TYPES.iter().map(|t| format!("eventType%20eq%20%22{t}%22")).collect::<Vec<_>>().join("%20or%20");
    let since = iso_millis(from_ms).replace(':', "%3A");
    format!("{api}/logs?since={since}&sortOrder=ASCENDING&limit={LOG_PAGE_LIMIT}&filter={filter}")
}

/// Unix ms → `2026-11-28T20:01:02.003Z` (the form Okta's filters and `since` take).
pub fn iso_millis(ms: u64) -> String {
    crate::timestamp::format_timestamp(ms).unwrap_or_else(|| {
        // Beyond year 9999 (only a caller's absurd `since` gets here): the same fields, a longer year.
        let (secs, milli) = (ms / 1000, ms % 1000);
        let (y, m, d) = crate::timestamp::civil_from_days((secs / 86_400) as i64);
        let rem = secs % 86_400;
        format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
    })
}

/// A System Log page → changes appended to `changes`; returns how many events the page held (of any type).
/// Events of other types, and events whose `uuid` is in `applied`, are ignored; an event of a read type
/// without the targets it needs is malformed (a page is parsed completely before anything is kept).
pub(crate) fn parse_log_page(body: &str, changes: &mut SyncChanges, applied: &HashSet<String>) -> Result<usize> {
    let bad = Error::MalformedResponse { what: "a System Log event lacks the targets its type needs" };
    let items = match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(items)) => items,
        Ok(_) => return Err(Error::MalformedResponse { what: "a list page is not a JSON array" }),
        Err(_) => return Err(Error::MalformedResponse { what: "a list page is not valid JSON" }),
    };
    let mut deleted = Vec::new();
    let mut memberships = Vec::new();
    let mut skipped = 0;
    for event in &items {
        let kind = event.get("eventType").and_then(Value::as_str).unwrap_or("");
        let failed = event.pointer("/outcome/result").and_then(Value::as_str).is_some_and(|r| r != "SUCCESS");
        if failed || !LOG_EVENT_TYPES.contains(&kind) {
            continue;
        }
        if event.get("uuid").and_then(Value::as_str).is_some_and(|u| applied.contains(u)) {
            skipped += 1;
            continue;
        }
        let targets = event.get("target").and_then(Value::as_array).ok_or(bad.clone())?;
        let target = |ty: &str| {
            targets
                .iter()
                .find(|t| t.get("type").and_then(Value::as_str) == Some(ty))
                .and_then(|t| t.get("id").and_then(Value::as_str))
                .filter(|id| is_okta_id(id))
                .map(str::to_string)
        };
        let user = target("User").ok_or(bad.clone())?;
        if kind.starts_with("user.lifecycle.delete") {
            deleted.push(user);
        } else {
            let group = target("UserGroup").ok_or(bad.clone())?;
            memberships.push(MembershipChange { group_id: group, user_id: user, added: kind.ends_with(".add") });
        }
    }
    for id in deleted {
        if !changes.deleted_user_ids.contains(&id) {
            changes.deleted_user_ids.push(id);
        }
    }
    changes.membership_changes.extend(memberships);
    changes.events_already_applied += skipped;
    Ok(items.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_millis_formats_utc_with_milliseconds() {
        assert_eq!(iso_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_millis(1_795_896_062_003), "2026-11-28T20:01:02.003Z");
        assert_eq!(iso_millis(4_102_444_799_999), "2099-12-31T23:59:59.999Z");
    }
}
