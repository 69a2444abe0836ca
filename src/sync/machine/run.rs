//! Driving the machine: what to send next, and what a response means for its stream.

use super::page::{api_error, parse_groups, parse_member_ids, parse_users};
use super::*;

impl SyncMachine {
    /// A machine for a fresh full sync.
    pub fn new(config: SyncConfig) -> SyncMachine {
        let limit = config.page_limit.clamp(1, 200);
        let api = config.org.api_base();
        let users = StreamCheckpoint::starting_at(format!("{api}/users?limit={limit}&{USERS_FILTER}"));
        let groups = StreamCheckpoint::starting_at(format!("{api}/groups?limit={limit}"));
        SyncMachine::assemble(config, users, groups, Vec::new(), Collected::default(), Progress::default())
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
            journal: None,
        }
    }

    /// Live counters.
    pub fn progress(&self) -> Progress {
        self.progress.clone()
    }

    /// The next thing the driver should do, at local time `now_ms`.
    pub fn poll(&mut self, now_ms: u64) -> Action {
        self.settle_wait(now_ms);
        if let Some(e) = &self.failed {
            return Action::Failed(e.clone());
        }
        if self.journal_pages_to_replay() > 0 {
            return Action::Failed(Error::InvalidCheckpoint { reason: "the journal is shorter than its checkpoint" });
        }
        while self.members.get(self.members_done).is_some_and(Stream::is_done) {
            self.members_done += 1;
        }
        let in_flight = self.in_flight.len();
        if in_flight == 0 && self.refs().all(|r| self.stream(r).is_none_or(Stream::is_done)) {
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
        if self.failed.is_some() {
            return;
        }
        match response.status {
            200..=299 => self.on_page(r, &url, &response, now_ms),
            429 => {
                let wait = self.limiter.after_429(&response.headers, now_ms);
                let reason = match wait {
                    RetryWait::Concurrency(_) => WaitReason::ConcurrencyLimited,
                    _ => WaitReason::RateLimited(bucket),
                };
                self.retry(r, wait.ms(), reason, Some(429), now_ms);
            }
            500..=599 => {
                let attempt = self.stream(r).map_or(1, |s| s.attempts + 1);
                let wait = self.limiter.backoff(attempt).ms();
                self.retry(r, wait, WaitReason::ServerError, Some(response.status), now_ms);
            }
            status => self.failed = Some(api_error(status, &response.body)),
        }
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
        let memberships = self
            .collected
            .groups
            .iter()
            .zip(&self.collected.members)
            .flat_map(|(g, ids)| ids.iter().map(|u| Membership { group_id: g.id.clone(), user_id: u.clone() }))
            .collect();
        Some(SyncResult {
            users: self.collected.users.clone(),
            groups: self.collected.groups.clone(),
            memberships,
            summary: self.summary(),
        })
    }

    /// Whether the sync completed (every listing done, no failure).
    pub fn is_done(&self) -> bool {
        self.failed.is_none() && self.refs().all(|r| self.stream(r).is_none_or(Stream::is_done))
    }

    fn summary(&self) -> SyncSummary {
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
    }

    fn stream(&self, r: StreamRef) -> Option<&Stream> {
        match r {
            StreamRef::Users => Some(&self.users),
            StreamRef::Groups => Some(&self.groups),
            StreamRef::Members(i) => self.members.get(i),
        }
    }

    fn stream_mut(&mut self, r: StreamRef) -> Option<&mut Stream> {
        match r {
            StreamRef::Users => Some(&mut self.users),
            StreamRef::Groups => Some(&mut self.groups),
            StreamRef::Members(i) => self.members.get_mut(i),
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
            StreamRef::Members(i) => parse_member_ids(&response.body).map(|ids| Parsed::Members(i, ids)),
        };
        match parsed {
            Ok(page) => {
                if !matches!(page, Parsed::Groups(_)) {
                    self.note_journal_page();
                }
                self.commit(page);
            }
            Err(e) => {
                // One retry: a truncated or garbled body is often transient; twice is a real problem.
                let Some(s) = self.stream_mut(r) else { return };
                s.malformed += 1;
                if s.malformed > 1 {
                    self.failed = Some(e);
                } else {
                    s.retry_at = Some((now, WaitReason::ServerError));
                    self.progress.retries += 1;
                }
                return;
            }
        }
        self.progress.pages += 1;
        if let Some(s) = self.stream_mut(r) {
            s.complete_page(next);
        }
    }

    /// Resolves and vets a `next` link before it can ever become a request.
    fn check_next(&self, r: StreamRef, current: &str, link: &str) -> Result<String, Error> {
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
        let s = self.stream(r).ok_or(Error::PaginationLoop { reason: "unknown stream" })?;
        if resolved == current || s.saved.seen.contains(&url_hash(&resolved)) {
            return Err(Error::PaginationLoop { reason: "a next link repeats a page already fetched" });
        }
        if s.saved.pages.saturating_add(1) >= self.config.max_pages_per_stream {
            return Err(Error::PaginationLoop { reason: "a listing has more pages than the configured maximum" });
        }
        Ok(resolved)
    }

    fn commit(&mut self, page: Parsed) {
        match page {
            Parsed::Users(users) => self.commit_users(users),
            Parsed::Groups(groups) => {
                let limit = self.config.page_limit.clamp(1, 200);
                for g in groups {
                    if self.group_index.contains_key(&g.id) {
                        continue;
                    }
                    let url = format!("{}/groups/{}/users?limit={limit}", self.config.org.api_base(), g.id);
                    self.group_index.insert(g.id.clone(), self.collected.groups.len());
                    self.collected.groups.push(g);
                    self.collected.members.push(Vec::new());
                    self.member_sets.push(HashSet::new());
                    self.members.push(Stream::new(StreamCheckpoint::starting_at(url)));
                }
                self.progress.groups = self.collected.groups.len() as u64;
            }
            Parsed::Members(i, ids) => self.commit_members(i, ids),
        }
    }
}

/// A page parsed and validated, ready to commit.
enum Parsed {
    Users(Vec<NormalizedUser>),
    Groups(Vec<Group>),
    Members(usize, Vec<String>),
}
