//! The discrete-event driver that runs a `SyncMachine` against the fake on a simulated clock, and
//! small helpers shared by the machine test files.

use std::collections::HashMap;

use okta_directory::sync::{
    Action, Checkpoint, OrgUrl, OrgUrlPolicy, Request, Response, SyncConfig, SyncMachine, SyncResult, WaitReason,
};
use okta_directory::Error;

use super::{http_date, FakeOkta, Hook, ORIGIN};

/// What a simulated run produced.
pub struct Run {
    pub outcome: Result<SyncResult, Error>,
    pub end_ms: u64,
    pub waits: Vec<(u64, WaitReason)>,
    /// Checkpoints taken after every completed page (interrupted runs only).
    pub checkpoints: Vec<Checkpoint>,
    /// URLs of pages that completed, in order.
    pub completed: Vec<String>,
    /// Most requests in flight at once.
    pub max_in_flight: usize,
}

/// Drives `machine` against `fake` from local time `start` until Done/Failed, or until `stop_after_pages`
/// pages have completed (then the outcome is Err(Conversion) as a marker and the run is "interrupted").
pub fn run(machine: &mut SyncMachine, fake: &mut FakeOkta, start: u64, stop_after_pages: Option<u64>) -> Run {
    let mut now = start;
    let mut pending: Vec<(u64, u64, Option<Response>)> = Vec::new(); // (deliver_at, id, response or network error)
    let mut waits = Vec::new();
    let mut checkpoints = Vec::new();
    let mut pages_seen = machine.progress().pages;
    let mut urls: HashMap<u64, String> = HashMap::new();
    let mut completed = Vec::new();
    let mut max_in_flight = 0;
    for _step in 0..5_000_000 {
        // Deliver everything due, in delivery order.
        pending.sort_by_key(|p| (p.0, p.1));
        while pending.first().is_some_and(|p| p.0 <= now) {
            let (_, id, resp) = pending.remove(0);
            let url = urls.remove(&id).unwrap_or_default();
            match resp {
                Some(r) => machine.on_response(id, r, now),
                None => machine.on_network_error(id, now),
            }
            let pages = machine.progress().pages;
            if pages > pages_seen {
                pages_seen = pages;
                completed.push(url);
                // Checkpoints are only kept for interruption tests (cloning them every page is O(n²)).
                if stop_after_pages.is_some() {
                    checkpoints.push(machine.checkpoint());
                }
                if stop_after_pages.is_some_and(|s| pages >= s) {
                    let marker = Error::Conversion { detail: "interrupted".into() };
                    return Run { outcome: Err(marker), end_ms: now, waits, checkpoints, completed, max_in_flight };
                }
            }
        }
        match machine.poll(now) {
            Action::Send(id, req) => {
                assert!(req.url.starts_with(&format!("{ORIGIN}/")), "request off-origin: {}", req.url);
                assert!(req.needs_auth);
                assert!(!req.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("authorization")));
                let (resp, at) = fake.handle(&req, now);
                let resp = if resp.status == 599 { None } else { Some(resp) };
                urls.insert(id, req.url.clone());
                pending.push((at, id, resp));
                max_in_flight = max_in_flight.max(pending.len());
            }
            Action::Wait(ms, reason) => {
                let next_delivery = pending.iter().map(|p| p.0).min();
                if reason != WaitReason::AwaitingResponses {
                    waits.push((ms, reason));
                }
                now = match (ms, next_delivery) {
                    (u64::MAX, Some(t)) => t.max(now),
                    (u64::MAX, None) => panic!("machine waits for a response but none is in flight"),
                    (ms, Some(t)) => (now + ms).min(t.max(now)),
                    (ms, None) => now + ms,
                };
            }
            Action::Done(_) => {
                let result = machine.result().expect("result after Done");
                return Run { outcome: Ok(result), end_ms: now, waits, checkpoints, completed, max_in_flight };
            }
            Action::Failed(e) => {
                return Run { outcome: Err(e), end_ms: now, waits, checkpoints, completed, max_in_flight }
            }
        }
    }
    panic!("simulation did not terminate");
}

/// Status 599 from a hook means "network error" to the driver.
pub fn network_error() -> Response {
    Response::new(599, vec![], "")
}

pub fn config() -> SyncConfig {
    SyncConfig::new(OrgUrl::parse(ORIGIN, OrgUrlPolicy::default()).expect("valid org"))
}

pub fn sync(fake: &mut FakeOkta) -> Run {
    run(&mut SyncMachine::new(config()), fake, 1_000, None)
}

pub fn ok(r: &Run) -> &SyncResult {
    r.outcome.as_ref().unwrap_or_else(|e| panic!("sync failed: {e}"))
}

pub fn err(r: &Run) -> &Error {
    match &r.outcome {
        Ok(_) => panic!("sync succeeded unexpectedly"),
        Err(e) => e,
    }
}

pub fn assert_matches_truth(result: &SyncResult, fake: &FakeOkta) {
    let (users, groups, memberships) = fake.truth();
    let got_users: Vec<String> = result.users.iter().map(|u| u.user.id.clone().expect("user id")).collect();
    assert_eq!(got_users, users);
    assert_eq!(result.groups.iter().map(|g| g.id.clone()).collect::<Vec<_>>(), groups);
    let got_ms: Vec<(String, String)> =
        result.memberships.iter().map(|m| (m.group_id.clone(), m.user_id.clone())).collect();
    assert_eq!(got_ms, memberships);
    assert_eq!(result.summary.users, users.len() as u64);
    assert_eq!(result.summary.memberships, memberships.len() as u64);
}

/// A hook that answers the `n`-th request whose URL contains `needle` with `make(request)`.
pub fn on_nth(needle: &'static str, nth: usize, make: impl Fn(&Request, u64) -> Response + 'static) -> Hook {
    let mut seen = 0;
    Box::new(move |_, req, now| {
        if req.url.contains(needle) {
            seen += 1;
            if seen == nth {
                return Some(make(req, now));
            }
        }
        None
    })
}

pub fn date_at(now: u64, offset: u64) -> String {
    http_date((now + offset) / 1000)
}
