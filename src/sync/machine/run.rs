//! Driving the machine: what to send next, and what a response means for its stream.

use super::incremental::{iso_millis, logs_url, parse_log_page, users_filter, LOG_PAGE_LIMIT};
use super::page::{api_error, member_ids_page, parse_groups, parse_member_ids, parse_users};
use super::*;

impl SyncMachine {
    /// A machine for a fresh sync: full, group-scoped or incremental, as `config` says.
    pub fn new(config: SyncConfig) -> SyncMachine {
        let limit = config.page_limit.clamp(1, 200);
        let api = config.org.api_base();
        let users = match config.mode() {
            // A group-scoped sync takes its users from the member listings.
            SyncMode::Groups => StreamCheckpoint { next: None, pages: 0, seen: Default::default() },
            SyncMode::Incremental => {
                let from = config.incremental.map_or(0, |i| i.from_ms());
                StreamCheckpoint::starting_at(format!("{api}/users?limit={limit}&{}", users_filter(from)))
            }
            SyncMode::Full => StreamCheckpoint::starting_at(format!("{api}/users?limit={limit}&{USERS_FILTER}")),
        };
        let groups = StreamCheckpoint::starting_at(format!("{api}/groups?limit={limit}"));
        let inc = IncrementalState {
            changes: SyncChanges { from_ms: config.incremental.map_or(0, |i| i.from_ms()), ..SyncChanges::default() },
            logs: None,
        };
        let mut m = SyncMachine::assemble(config, users, groups, Vec::new(), Collected::default(), Progress::default());
        m.inc = inc;
        m
    }

    /// Restores an incremental run's state from a checkpoint.
    pub(super) fn restore_incremental(&mut self, state: IncrementalState) {
        self.logs = state.logs.clone().map(Stream::new);
        self.inc = state;
    }

    /// The incremental state to persist.
    pub(super) fn incremental_state(&self) -> Option<IncrementalState> {
        (self.config.mode() == SyncMode::Incremental).then(|| IncrementalState {
            logs: self.logs.as_ref().map(|s| s.saved.clone()),
            changes: self.inc.changes.clone(),
        })
    }

    /// Whether this group's members are listed: always in full and group-scoped runs; without the System Log,
    /// the built-in group's (deletions) and those of groups whose membership changed since the lower bound.
    fn lists_members_of(&self, group: &Group, stamp: Option<&String>) -> bool {
        if self.config.mode() != SyncMode::Incremental {
            return true;
        }
        if !self.inc.changes.logs_unavailable {
            return false;
        }
        let from = iso_millis(self.inc.changes.from_ms);
        group.group_type == "BUILT_IN" || stamp.is_none_or(|s| *s > from)
    }

    /// Whether the group with this id is synced.
    fn wants_group(&self, id: &str) -> bool {
        match &self.config.groups {
            None => true,
            Some(ids) => ids.iter().any(|g| g == id) || self.config.workforce_group.as_deref() == Some(id),
        }
    }

    /// An incremental run starts its System Log polling listing at once: from the previous run's cursor, else
    /// from the lower bound. A cursor off the org's origin fails with `UNSAFE_NEXT_LINK` before any request.
    fn start_logs(&mut self) {
        if self.logs.is_some() || self.config.mode() != SyncMode::Incremental || self.inc.changes.logs_unavailable {
            return;
        }
        let Some(inc) = self.config.incremental else { return };
        let url = match &self.config.log_cursor {
            Some(cursor) if !self.config.org.is_same_origin(cursor) => {
                self.failed = Some(Error::UnsafeNextLink);
                return;
            }
            Some(cursor) => cursor.clone(),
            None => logs_url(&self.config.org.api_base(), inc.from_ms()),
        };
        self.logs = Some(Stream::new(StreamCheckpoint::starting_at(url)));
    }

    /// Missing configured groups are `GROUP_NOT_FOUND` once the group listing is complete.
    fn check_groups_found(&mut self) {
        if self.failed.is_some() || !self.groups.is_done() {
            return;
        }
        let wanted = self.config.groups.iter().flatten().chain(self.config.workforce_group.as_ref());
        let missing = wanted.into_iter().any(|id| !self.group_index.contains_key(id));
        if missing {
            self.failed = Some(Error::GroupNotFound);
        }
    }

    pub(super) fn assemble(
        config: SyncConfig,
        users: StreamCheckpoint,
        groups: StreamCheckpoint,
        members: Vec<StreamCheckpoint>,
        collected: Collected,
        progress: Progress,
    ) -> SyncMachine {
        let user_index =
            collected.users.iter().enumerate().filter_map(|(i, u)| Some((u.user.id.clone()?, i))).collect();
        let group_index = collected.groups.iter().enumerate().map(|(i, g)| (g.id.clone(), i)).collect();
        let member_sets = collected.members.iter().map(|ids| ids.iter().cloned().collect()).collect();
        let limiter = RateLimiter::new(config.rate.clone());
        let collected_groups = collected.groups.len();
        SyncMachine {
            config,
            limiter,
            users: Stream::new(users),
            groups: Stream::new(groups),
            members: members.into_iter().map(Stream::new).collect(),
            members_done: 0,
            in_flight: HashMap::new(),
            collected,
            user_index,
            group_index,
            member_sets,
            progress,
            next_id: 1,
            failed: None,
            pending_wait: None,
            membership_stamps: vec![None; collected_groups],
            inc: IncrementalState::default(),
            logs: None,
            journal: None,
            wall_ms: None,
        }
    }

    /// Live counters.
    pub fn progress(&self) -> Progress {
        self.progress.clone()
    }

    /// The next thing the driver should do, at local time `now_ms`.
    pub fn poll(&mut self, now_ms: u64) -> Action {
        self.settle_wait(now_ms);
        self.check_since_against_wall_clock();
        if let Some(e) = &self.failed {
            return Action::Failed(e.clone());
        }
        if self.journal_pages_to_replay() > 0 {
            return Action::Failed(Error::InvalidCheckpoint { reason: "the journal is shorter than its checkpoint" });
        }
        while self.members.get(self.members_done).is_some_and(Stream::is_done) {
            self.members_done += 1;
        }
        self.start_logs();
        self.check_groups_found();
        if let Some(e) = &self.failed {
            return Action::Failed(e.clone());
        }
        let in_flight = self.in_flight.len();
        if in_flight == 0 && self.complete() {
            return Action::Done(self.summary());
        }
        let mut soonest: Option<(u64, WaitReason)> = None;
        let mut consider = |ms: u64, reason| {
            if soonest.is_none_or(|(best, _)| ms < best) {
                soonest = Some((ms, reason));
            }
        };
        if in_flight < self.config.max_in_flight.max(1) {
            // Buckets found paced in this scan: the other streams on them need not be looked at again.
            let mut paced: Vec<Bucket> = Vec::new();
            let mut chosen = None;
            for r in self.refs() {
                let Some(s) = self.stream(r) else { continue };
                if s.in_flight.is_some() || s.saved.next.is_none() || paced.contains(&s.bucket) {
                    continue;
                }
                if let Some((at, reason)) = s.retry_at {
                    if at > now_ms {
                        consider(at - now_ms, reason);
                        continue;
                    }
                }
                let wait = self.limiter.wait_before(s.bucket, now_ms);
                if wait > 0 {
                    consider(wait, WaitReason::Pacing(s.bucket));
                    paced.push(s.bucket);
                    continue;
                }
                chosen = Some(r);
                break;
            }
            if let Some(r) = chosen {
                return self.send(r, now_ms);
            }
        }
        match soonest {
            Some((ms, reason)) if ms > self.config.rate.max_wait_ms => {
                let e = self.wait_too_long(reason, ms, None);
                self.failed = Some(e.clone());
                Action::Failed(e)
            }
            Some((ms, reason)) => {
                self.pending_wait = Some((now_ms, ms));
                self.progress.last_wait_reason = Some(reason);
                Action::Wait(ms, reason)
            }
            None => Action::Wait(u64::MAX, WaitReason::AwaitingResponses),
        }
    }

    /// Feeds the response to request `id`, received at `now_ms`. Unknown ids are ignored.
    pub fn on_response(&mut self, id: RequestId, response: Response, now_ms: u64) {
        self.settle_wait(now_ms);
        let Some((r, url, bucket)) = self.take_in_flight(id) else { return };
        self.limiter.on_response(bucket, &response.headers, now_ms);
        self.note_server_date(&response.headers);
        if self.failed.is_some() {
            return;
        }
        match response.status {
            200..=299 => self.on_page(r, &url, &response, now_ms),
            429 => {
                let wait = self.limiter.after_429(&response.headers, now_ms);
                let reason = match wait {
                    RetryWait::Concurrency(_) => WaitReason::ConcurrencyLimited,
                    RetryWait::TooLong(ms, reset) => {
                        self.failed = Some(self.wait_too_long(WaitReason::RateLimited(bucket), ms, reset));
                        return;
                    }
                    _ => WaitReason::RateLimited(bucket),
                };
                self.retry(r, wait.ms(), reason, Some(429), now_ms);
            }
            500..=599 => {
                let attempt = self.stream(r).map_or(1, |s| s.attempts + 1);
                match self.limiter.after_server_error(&response.headers, attempt, now_ms) {
                    RetryWait::TooLong(ms, reset) => {
                        self.failed = Some(self.wait_too_long(WaitReason::RateLimited(bucket), ms, reset));
                    }
                    wait => self.retry(r, wait.ms(), WaitReason::ServerError, Some(response.status), now_ms),
                }
            }
            // Without `okta.logs.read` (403): re-read the changed groups' members instead, and say so in the result.
            401 | 403 if r == StreamRef::Logs => self.logs_unavailable(),
            status => self.failed = Some(api_error(status, &response.body)),
        }
    }

    /// The typed error for a wait of `ms` beyond the cap; `reset` is the server's reset (epoch s) when known.
    fn wait_too_long(&self, reason: WaitReason, ms: u64, reset: Option<u64>) -> Error {
        let bucket = match reason {
            WaitReason::Pacing(b) | WaitReason::RateLimited(b) => b,
            _ => Bucket::General,
        };
        let reset = reset.or_else(|| self.limiter.server_reset_of(bucket));
        Error::RateLimitWaitTooLong {
            bucket: bucket.as_str(),
            wait_secs: ms.div_ceil(1000),
            cap_secs: self.config.rate.max_wait_ms / 1000,
            reset_at: reset.map(|s| iso_millis(s.saturating_mul(1000))),
        }
    }

    fn logs_unavailable(&mut self) {
        self.inc.changes.logs_unavailable = true;
        self.inc.changes.deleted_user_ids.clear();
        self.inc.changes.membership_changes.clear();
        if let Some(s) = &mut self.logs {
            s.complete_page(None);
        }
        let limit = self.config.page_limit.clamp(1, 200);
        let api = self.config.org.api_base();
        for i in 0..self.collected.groups.len() {
            let (Some(g), Some(s)) = (self.collected.groups.get(i), self.members.get(i)) else { continue };
            let idle = s.saved.next.is_none() && s.saved.pages == 0 && s.in_flight.is_none();
            if !idle || !self.lists_members_of(g, self.membership_stamps.get(i).and_then(Option::as_ref)) {
                continue;
            }
            let (url, id) = (format!("{api}/groups/{}/users?limit={limit}", g.id), g.id.clone());
            self.inc.changes.reread_group_ids.push(id);
            if let Some(s) = self.members.get_mut(i) {
                *s = Stream::new(StreamCheckpoint::starting_at(url));
            }
        }
        self.members_done = 0;
    }

    /// Every listing is complete (the System Log one included, once due).
    fn complete(&self) -> bool {
        let logs_due = self.config.mode() == SyncMode::Incremental && !self.inc.changes.logs_unavailable;
        self.refs().all(|r| self.stream(r).is_none_or(Stream::is_done)) && (!logs_due || self.logs.is_some())
    }

    /// Reports that request `id` failed without a response (connection error, timeout, abort of one request).
    pub fn on_network_error(&mut self, id: RequestId, now_ms: u64) {
        self.settle_wait(now_ms);
        let Some((r, _, bucket)) = self.take_in_flight(id) else { return };
        self.limiter.on_network_error(bucket);
        if self.failed.is_none() {
            let attempt = self.stream(r).map_or(1, |s| s.attempts + 1);
            let wait = self.limiter.backoff(attempt).ms();
            self.retry(r, wait, WaitReason::NetworkError, None, now_ms);
        }
    }

    /// The directory, once [`Action::Done`] was returned; `None` before.
    pub fn result(&self) -> Option<SyncResult> {
        if !self.is_done() {
            return None;
        }
        let mode = self.config.mode();
        // A full listing's members are users of its users listing: a member missing there was deleted (or
        // created) while the sync ran, and the directory stays consistent without it.
        let known = |u: &String| mode != SyncMode::Full || self.user_index.contains_key(u);
        let memberships = self
            .collected
            .groups
            .iter()
            .zip(&self.collected.members)
            .flat_map(|(g, ids)| {
                ids.iter().filter(|u| known(u)).map(|u| Membership { group_id: g.id.clone(), user_id: u.clone() })
            })
            .collect::<Vec<_>>();
        let mut summary = self.summary();
        summary.memberships = memberships.len() as u64;
        Some(SyncResult {
            users: self.collected.users.clone(),
            groups: self.collected.groups.clone(),
            memberships,
            summary,
            workforce_group_id: self.config.workforce_group.clone(),
            changes: (mode == SyncMode::Incremental).then(|| self.inc.changes.clone()),
        })
    }

    /// Whether the sync completed (every listing done, the System Log one included when due; no failure).
    pub fn is_done(&self) -> bool {
        self.failed.is_none() && self.complete()
    }

    /// Totals so far (those of [`Action::Done`] once done).
    pub fn summary(&self) -> SyncSummary {
        let mut users_by_status = BTreeMap::new();
        for status in self.statuses() {
            let status = status.map_or("UNKNOWN", |s| s.as_okta());
            *users_by_status.entry(status.to_string()).or_insert(0) += 1;
        }
        SyncSummary {
            users: self.progress.users,
            users_by_status,
            groups: self.progress.groups,
            memberships: self.progress.memberships,
            progress: self.progress.clone(),
            watermark_ms: self.progress.watermark_ms,
            mode: self.config.mode(),
        }
    }

    fn settle_wait(&mut self, now: u64) {
        if let Some((start, ms)) = self.pending_wait.take() {
            self.progress.waits_ms = self.progress.waits_ms.saturating_add(now.saturating_sub(start).min(ms));
        }
    }

    fn refs(&self) -> impl Iterator<Item = StreamRef> {
        [StreamRef::Users, StreamRef::Groups]
            .into_iter()
            .chain((self.members_done..self.members.len()).map(StreamRef::Members))
            .chain(self.logs.is_some().then_some(StreamRef::Logs))
    }

    fn stream(&self, r: StreamRef) -> Option<&Stream> {
        match r {
            StreamRef::Users => Some(&self.users),
            StreamRef::Groups => Some(&self.groups),
            StreamRef::Members(i) => self.members.get(i),
            StreamRef::Logs => self.logs.as_ref(),
        }
    }

    fn stream_mut(&mut self, r: StreamRef) -> Option<&mut Stream> {
        match r {
            StreamRef::Users => Some(&mut self.users),
            StreamRef::Groups => Some(&mut self.groups),
            StreamRef::Members(i) => self.members.get_mut(i),
            StreamRef::Logs => self.logs.as_mut(),
        }
    }

    fn send(&mut self, r: StreamRef, now: u64) -> Action {
        let id = self.next_id;
        self.next_id += 1;
        let Some(s) = self.stream_mut(r) else { return Action::Wait(0, WaitReason::AwaitingResponses) };
        s.in_flight = Some(id);
        let (url, bucket) = (s.saved.next.clone().unwrap_or_default(), s.bucket);
        self.in_flight.insert(id, r);
        self.limiter.on_send(bucket, now);
        self.progress.requests += 1;
        let headers = vec![("Accept".to_string(), "application/json".to_string())];
        Action::Send(id, Request { method: Method::Get, url, headers, needs_auth: true, bucket })
    }

    /// Finds the stream waiting for `id`, clears its in-flight mark and returns it with the URL and bucket it fetched.
    fn take_in_flight(&mut self, id: RequestId) -> Option<(StreamRef, String, Bucket)> {
        let r = self.in_flight.remove(&id)?;
        let s = self.stream_mut(r)?;
        s.in_flight = None;
        Some((r, s.saved.next.clone()?, s.bucket))
    }

    fn retry(&mut self, r: StreamRef, wait: u64, reason: WaitReason, status: Option<u16>, now: u64) {
        let max = self.config.rate.max_retries;
        let Some(s) = self.stream_mut(r) else { return };
        s.attempts += 1;
        if s.attempts > max {
            let attempts = s.attempts;
            self.failed = Some(match status {
                Some(429) => Error::RateLimited { retry_after_secs: wait.div_ceil(1000) },
                last_status => Error::TooManyRetries { attempts, last_status },
            });
            return;
        }
        s.retry_at = Some((now.saturating_add(wait), reason));
        self.progress.retries += 1;
    }

    fn on_page(&mut self, r: StreamRef, url: &str, response: &Response, now: u64) {
        if r == StreamRef::Logs {
            return self.on_log_page(url, response, now);
        }
        let next = match response.headers.get("link").and_then(|v| next_link(&v)) {
            None => None,
            Some(link) => match self.check_next(r, url, &link) {
                Ok(next) => Some(next),
                Err(e) => {
                    self.failed = Some(e);
                    return;
                }
            },
        };
        let parsed = match r {
            StreamRef::Users => parse_users(&response.body, &self.config.mapping).map(Parsed::Users),
            StreamRef::Groups => parse_groups(&response.body).map(Parsed::Groups),
            // A group-scoped sync takes the member objects as its users.
            StreamRef::Members(i) if self.config.mode() == SyncMode::Groups => {
                parse_users(&response.body, &self.config.mapping).map(|users| Parsed::MemberUsers(i, users))
            }
            StreamRef::Members(i) => parse_member_ids(&response.body).map(|ids| Parsed::Members(i, ids)),
            StreamRef::Logs => Err(Error::MalformedResponse { what: "a System Log page outside the log listing" }),
        };
        match parsed {
            Ok(page) => {
                // Users and members pages go to the journal (an incremental run, which has the System Log
                // listing, never journals).
                let journal = match &page {
                    _ if !self.is_journaled() => None,
                    Parsed::Users(_) | Parsed::MemberUsers(..) => Some(JournalPage::Verbatim),
                    Parsed::Members(_, ids) => Some(JournalPage::Rewritten(member_ids_page(ids))),
                    _ => None,
                };
                if let Some(journal) = journal {
                    self.note_journal_page(journal, url, &response.body);
                }
                let added = self.commit(page);
                if let Some(e) = self.check_progress(r, added, next.is_some()) {
                    self.failed = Some(e);
                    return;
                }
            }
            Err(e) => return self.malformed(r, e, now),
        }
        self.progress.pages += 1;
        if let Some(s) = self.stream_mut(r) {
            s.complete_page(next);
        }
    }

    /// One retry for a malformed page: a truncated or garbled body is often transient; twice is a real problem.
    fn malformed(&mut self, r: StreamRef, e: Error, now: u64) {
        let Some(s) = self.stream_mut(r) else { return };
        s.malformed += 1;
        if s.malformed > 1 {
            self.failed = Some(e);
        } else {
            s.retry_at = Some((now, WaitReason::ServerError));
            self.progress.retries += 1;
        }
    }

    /// A System Log polling page: its changes are kept; a full page continues at its `next` link; a short page
    /// (the poll caught up) ends this run's listing, and its `next` link (for an empty page without one, the
    /// page itself) becomes the cursor the next run polls from. A non-empty page without `next` leaves no cursor.
    fn on_log_page(&mut self, url: &str, response: &Response, now: u64) {
        let mut changes = self.inc.changes.clone();
        let events = match parse_log_page(&response.body, &mut changes, &self.config.applied_event_uuids) {
            Ok(n) => n,
            Err(e) => return self.malformed(StreamRef::Logs, e, now),
        };
        let link = response.headers.get("link").and_then(|v| next_link(&v));
        let (next, cursor) = match link {
            // The poll caught up: the next run continues from here (an empty page's `next` repeats its own URL).
            Some(link) if events < LOG_PAGE_LIMIT => match self.resolve_link(&link) {
                Ok(resolved) => (None, Some(resolved)),
                Err(e) => {
                    self.failed = Some(e);
                    return;
                }
            },
            None if events == 0 => (None, Some(url.to_string())),
            Some(link) => match self.check_next(StreamRef::Logs, url, &link) {
                Ok(next) => (Some(next.clone()), Some(next)),
                Err(e) => {
                    self.failed = Some(e);
                    return;
                }
            },
            None => (None, None),
        };
        changes.log_cursor = cursor;
        self.inc.changes = changes;
        self.progress.pages += 1;
        if let Some(s) = self.logs.as_mut() {
            s.complete_page(next);
        }
    }

    /// A `next` link made absolute and vetted: only the org's origin (`UNSAFE_NEXT_LINK` otherwise).
    fn resolve_link(&self, link: &str) -> Result<String, Error> {
        let org = &self.config.org;
        // Okta sends absolute links; a path-absolute one ("/api/…", not "//host") can only mean this origin.
        let resolved = if link.starts_with('/') && !link.starts_with("//") {
            format!("{}{link}", org.origin())
        } else {
            link.to_string()
        };
        if !org.is_same_origin(&resolved) {
            return Err(Error::UnsafeNextLink);
        }
        Ok(resolved)
    }

    /// Resolves and vets a `next` link before it can ever become a request.
    fn check_next(&self, r: StreamRef, current: &str, link: &str) -> Result<String, Error> {
        let resolved = self.resolve_link(link)?;
        let s = self.stream(r).ok_or(Error::PaginationLoop { reason: "unknown stream" })?;
        if resolved == current || s.saved.seen.contains(&url_hash(&resolved)) {
            return Err(Error::PaginationLoop { reason: "a next link repeats a page already fetched" });
        }
        if s.saved.pages.saturating_add(1) >= self.config.max_pages_per_stream {
            return Err(Error::PaginationLoop { reason: "a listing has more pages than the configured maximum" });
        }
        Ok(resolved)
    }

    /// After a users or members page (`added`: records it brought that were not collected yet): a page that
    /// has a successor and brought nothing new is stale; too many in a row is `NO_PROGRESS`.
    fn check_progress(&mut self, r: StreamRef, added: Option<usize>, has_next: bool) -> Option<Error> {
        let limit = self.config.max_pages_without_progress;
        let added = added?;
        let s = self.stream_mut(r)?;
        if added > 0 || !has_next {
            s.stale_pages = 0;
            return None;
        }
        s.stale_pages += 1;
        let listing = if r == StreamRef::Users { "users" } else { "group members" };
        (limit > 0 && s.stale_pages >= limit).then_some(Error::NoProgress { listing, pages: s.stale_pages })
    }

    /// Commits a page; for users and members pages, how many records it added (`None` for other listings).
    fn commit(&mut self, page: Parsed) -> Option<usize> {
        match page {
            Parsed::MemberUsers(i, users) => {
                let ids = users.iter().filter_map(|u| u.user.id.clone()).collect();
                let users = self.commit_users(users);
                return Some(users + self.commit_members(i, ids));
            }
            Parsed::Users(users) => return Some(self.commit_users(users)),
            Parsed::Groups(groups) => {
                let limit = self.config.page_limit.clamp(1, 200);
                for (g, stamp) in groups {
                    if self.group_index.contains_key(&g.id) || !self.wants_group(&g.id) {
                        continue;
                    }
                    let url = format!("{}/groups/{}/users?limit={limit}", self.config.org.api_base(), g.id);
                    let lists_members = self.lists_members_of(&g, stamp.as_ref());
                    if lists_members && self.inc.changes.logs_unavailable {
                        self.inc.changes.reread_group_ids.push(g.id.clone());
                    }
                    self.membership_stamps.push(stamp);
                    self.group_index.insert(g.id.clone(), self.collected.groups.len());
                    self.collected.groups.push(g);
                    self.collected.members.push(Vec::new());
                    self.member_sets.push(Default::default());
                    // Without member listings (incremental) a finished stream keeps `members` aligned with `groups`.
                    let next = lists_members.then_some(url);
                    self.members.push(Stream::new(StreamCheckpoint { next, pages: 0, seen: Default::default() }));
                }
                self.progress.groups = self.collected.groups.len() as u64;
            }
            Parsed::Members(i, ids) => return Some(self.commit_members(i, ids)),
        }
        None
    }
}

/// A page parsed and validated, ready to commit.
enum Parsed {
    Users(Vec<NormalizedUser>),
    Groups(Vec<(Group, Option<String>)>),
    Members(usize, Vec<String>),
    MemberUsers(usize, Vec<NormalizedUser>),
}
