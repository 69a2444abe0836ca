//! Bounded waits and guaranteed progress: no pacing or retry wait beyond the cap (a typed error naming the
//! bucket and the server's reset instead), `Retry-After` honoured within it, and a listing whose cursor moves
//! while its data does not stops with `NO_PROGRESS`.

mod common;

use common::*;
use okta_directory::sync::{Response, SyncMachine, WaitReason};
use okta_directory::Error;

const DAY_S: u64 = 86_400;

/// Answers every users-list request with the fake's page plus rate-limit headers `(remaining, reset in s from now)`.
fn with_window(fake: &mut FakeOkta, remaining: u64, reset_in_s: u64) {
    let offset = fake.epoch_offset_ms;
    let inner = FakeOkta::new(fake.users.len(), fake.groups.len());
    let inner = std::cell::RefCell::new(inner);
    fake.hook = Some(Box::new(move |_, req, now| {
        if !req.url.contains("/api/v1/users?") {
            return None;
        }
        let (mut r, _) = inner.borrow_mut().handle(req, now);
        let server_s = (now + offset) / 1000;
        r.headers.push("Date", &http_date(server_s));
        r.headers.push("X-Rate-Limit-Limit", "600");
        r.headers.push("X-Rate-Limit-Remaining", &remaining.to_string());
        r.headers.push("X-Rate-Limit-Reset", &(server_s + reset_in_s).to_string());
        Some(r)
    }));
}

#[test]
fn a_window_that_resets_a_day_ahead_with_nothing_left_is_a_typed_error_not_a_day_of_waiting() {
    let mut fake = FakeOkta::new(900, 3);
    with_window(&mut fake, 0, DAY_S);
    let run = sync(&mut fake);
    match err(&run) {
        Error::RateLimitWaitTooLong { bucket, wait_secs, cap_secs, reset_at } => {
            assert_eq!(*bucket, "usersList");
            assert!(*wait_secs >= DAY_S - 5, "{wait_secs}");
            assert_eq!(*cap_secs, 300);
            assert!(reset_at.as_deref().is_some_and(|r| r.starts_with("2024-05-15T")), "{reset_at:?}");
        }
        e => panic!("{e}"),
    }
    assert!(run.waits.iter().all(|(ms, _)| *ms <= 300_000), "{:?}", run.waits);
}

#[test]
fn a_window_a_day_long_spreads_its_budget_over_the_cap_not_over_the_day() {
    // 500 left until tomorrow: pacing over the whole day meant 184 s per request.
    let mut fake = FakeOkta::new(900, 3);
    with_window(&mut fake, 500, DAY_S);
    let run = sync(&mut fake);
    assert_matches_truth(ok(&run), &fake);
    let longest = run.waits.iter().filter(|(_, r)| matches!(r, WaitReason::Pacing(_))).map(|w| w.0).max();
    assert!(longest.is_some_and(|ms| ms <= 300_000 / 400), "{longest:?}");
}

#[test]
fn the_cap_is_configurable() {
    let mut fake = FakeOkta::new(900, 3);
    with_window(&mut fake, 0, 200);
    let mut c = config();
    c.rate.max_wait_ms = 60_000;
    let run = run(&mut SyncMachine::new(c), &mut fake, 1_000, None);
    assert!(matches!(err(&run), Error::RateLimitWaitTooLong { cap_secs: 60, .. }), "{:?}", run.outcome.err());
    // Within the default cap the same window is waited out and the sync completes.
    let mut fake = FakeOkta::new(900, 3);
    let mut calls = 0;
    let offset = fake.epoch_offset_ms;
    let mut inner = FakeOkta::new(900, 3);
    fake.hook = Some(Box::new(move |_, req, now| {
        calls += 1;
        let (mut r, _) = inner.handle(req, now);
        if calls == 1 {
            let server_s = (now + offset) / 1000;
            r.headers.push("X-Rate-Limit-Limit", "600");
            r.headers.push("X-Rate-Limit-Remaining", "0");
            r.headers.push("X-Rate-Limit-Reset", &(server_s + 200).to_string());
        }
        Some(r)
    }));
    let run = sync(&mut fake);
    assert_matches_truth(ok(&run), &fake);
}

#[test]
fn a_429_whose_reset_is_a_day_ahead_fails_at_once() {
    let mut fake = FakeOkta::new(900, 3);
    let offset = fake.epoch_offset_ms;
    fake.hook = Some(on_nth("/api/v1/users?", 2, move |_, now| {
        let server_s = (now + offset) / 1000;
        let h = vec![
            ("Date".to_string(), http_date(server_s)),
            ("X-Rate-Limit-Limit".to_string(), "600".to_string()),
            ("X-Rate-Limit-Remaining".to_string(), "0".to_string()),
            ("X-Rate-Limit-Reset".to_string(), (server_s + DAY_S).to_string()),
        ];
        Response::new(429, h, error_body("E0000047"))
    }));
    let run = sync(&mut fake);
    assert!(matches!(err(&run), Error::RateLimitWaitTooLong { bucket: "usersList", .. }), "{:?}", run.outcome.err());
    // No 65 s wait first: the error comes without waiting at all.
    assert!(run.waits.iter().all(|(_, r)| !matches!(r, WaitReason::RateLimited(_))), "{:?}", run.waits);
}

fn unavailable(retry_after: &'static str) -> impl Fn(&okta_directory::sync::Request, u64) -> Response {
    move |_, _| Response::new(503, vec![("Retry-After".to_string(), retry_after.to_string())], "<html>busy</html>")
}

#[test]
fn retry_after_on_503_is_honoured_within_the_cap() {
    let mut fake = FakeOkta::new(500, 3);
    fake.hook = Some(on_nth("/api/v1/groups?", 1, unavailable("120")));
    let run = sync(&mut fake);
    assert_matches_truth(ok(&run), &fake);
    let backoff = run.waits.iter().find(|(_, r)| *r == WaitReason::ServerError).expect("a backoff");
    assert!(backoff.0 >= 120_000 && backoff.0 <= 300_000, "{backoff:?}");
    // Beyond the cap: a typed error, not two hours of waiting.
    let mut fake = FakeOkta::new(500, 3);
    fake.hook = Some(on_nth("/api/v1/groups?", 1, unavailable("7200")));
    let run = sync(&mut fake);
    assert!(
        matches!(err(&run), Error::RateLimitWaitTooLong { bucket: "groupsList", wait_secs: 7200, .. }),
        "{:?}",
        run.outcome.err()
    );
}

/// The same users page again and again, each time with a fresh `next` link (so the loop guard never trips).
fn frozen_cursor(fake: &mut FakeOkta, needle: &'static str) {
    let mut inner = FakeOkta::new(fake.users.len(), fake.groups.len());
    inner.page_cap = fake.page_cap;
    let mut first: Option<Response> = None;
    let mut n = 0;
    fake.hook = Some(Box::new(move |_, req, now| {
        if !req.url.contains(needle) {
            return None;
        }
        let page = first.get_or_insert_with(|| inner.handle(req, now).0).clone();
        n += 1;
        let mut r = Response::new(page.status, vec![], page.body.clone());
        let path = req.url.split('?').next().unwrap_or("").to_string();
        r.headers.push("Link", &format!("<{path}?limit=50&after=fresh{n}>; rel=\"next\""));
        Some(r)
    }));
}

#[test]
fn a_cursor_that_moves_while_the_data_does_not_stops_with_no_progress() {
    for needle in ["/api/v1/users?", "/api/v1/groups/00g000001/users"] {
        let mut fake = FakeOkta::new(600, 3);
        fake.page_cap = 50;
        frozen_cursor(&mut fake, needle);
        let run = sync(&mut fake);
        assert!(matches!(err(&run), Error::NoProgress { pages: 3, .. }), "{needle}: {:?}", run.outcome.err());
        let fetched = fake.requests.iter().filter(|u| u.contains(needle)).count();
        assert!(fetched <= 5, "{needle}: {fetched} pages");
    }
}
