//! One paginated listing (users, groups, or one group's members): its cursor, its loop guard and
//! the retry state of its current page. Streams are sequential by nature (each `next` comes from the
//! previous page); concurrency comes from running several streams at once.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::sync::http::Method;
use crate::sync::machine::WaitReason;
use crate::sync::ratelimit::{bucket_for, Bucket};
use crate::sync::url::ParsedUrl;

/// The persisted part of a stream: everything needed to continue after the last completed page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamCheckpoint {
    /// The URL of the next page to fetch; `None` once the listing is complete.
    pub next: Option<String>,
    /// Pages completed.
    pub pages: u32,
    /// 53-bit FNV-1a hashes of every URL already fetched, to detect a cursor loop across restarts.
    pub seen: BTreeSet<u64>,
}

impl StreamCheckpoint {
    /// A stream that has not fetched anything yet.
    pub fn starting_at(url: String) -> StreamCheckpoint {
        StreamCheckpoint { next: Some(url), pages: 0, seen: BTreeSet::new() }
    }
}

/// A stream at run time: the persisted part plus the state of the page being fetched.
#[derive(Debug, Clone)]
pub(crate) struct Stream {
    pub(crate) saved: StreamCheckpoint,
    /// The rate-limit bucket of `saved.next` (cached: `poll` looks at every open stream).
    pub(crate) bucket: Bucket,
    pub(crate) in_flight: Option<u64>,
    /// Retries spent on the current page (429, 5xx, network).
    pub(crate) attempts: u32,
    /// Retries spent on the current page because its body was malformed.
    pub(crate) malformed: u32,
    /// Local time before which the current page must not be retried, and why.
    pub(crate) retry_at: Option<(u64, WaitReason)>,
    /// Pages in a row that brought no record not already collected (users and members listings).
    pub(crate) stale_pages: u32,
}

impl Stream {
    pub(crate) fn new(saved: StreamCheckpoint) -> Stream {
        let bucket = saved.next.as_deref().map_or(Bucket::General, bucket_of);
        Stream { saved, bucket, in_flight: None, attempts: 0, malformed: 0, retry_at: None, stale_pages: 0 }
    }

    pub(crate) fn is_done(&self) -> bool {
        self.saved.next.is_none() && self.in_flight.is_none()
    }

    /// Marks the current page complete and moves the cursor to `next`.
    pub(crate) fn complete_page(&mut self, next: Option<String>) {
        if let Some(current) = self.saved.next.take() {
            self.saved.seen.insert(url_hash(&current));
        }
        if let Some(url) = next.as_deref() {
            self.bucket = bucket_of(url);
        }
        self.saved.next = next;
        self.saved.pages = self.saved.pages.saturating_add(1);
        self.attempts = 0;
        self.malformed = 0;
        self.retry_at = None;
    }
}

/// FNV-1a, truncated to 53 bits: stable across platforms and versions, and a safe integer in JavaScript,
/// so a checkpoint that travels through `JSON.parse` keeps its loop guard intact.
pub(crate) fn url_hash(url: &str) -> u64 {
    crate::hash::fnv1a64(url.as_bytes()) & ((1 << 53) - 1)
}

/// The bucket a GET of `url` counts against.
pub(crate) fn bucket_of(url: &str) -> Bucket {
    let path = ParsedUrl::parse(url).map(|u| u.path).unwrap_or_default();
    bucket_for(Method::Get, &path)
}
