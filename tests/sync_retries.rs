//! Retries against the simulated Okta: 429 (normal, concurrency, duplicated headers, missing Date),
//! 5xx and network backoff, bounded retries with typed errors, non-retried errors, progress counters.

mod common;

use common::*;
use okta_directory::sync::{Request, Response, SyncMachine, WaitReason};
use okta_directory::Error;

#[test]
fn normal_429_waits_until_reset_by_server_date() {
    let offset = 1_715_681_730_000;
    let mut fake = FakeOkta::new(300, 1);
    fake.epoch_offset_ms = offset;
    fake.hook = Some(on_nth("/api/v1/users?", 2, move |_, now| {
        let reset = (now + offset) / 1000 + 10;
        let headers = vec![
            ("Date".into(), date_at(now, offset)),
            ("X-Rate-Limit-Limit".into(), "300".into()),
            ("X-Rate-Limit-Remaining".into(), "0".into()),
            ("X-Rate-Limit-Reset".into(), reset.to_string()),
        ];
        Response::new(429, headers, error_body("E0000047"))
    }));
    let r = sync(&mut fake);
    assert_matches_truth(ok(&r), &fake);
    let (ms, _) = r.waits.iter().find(|(_, w)| matches!(w, WaitReason::RateLimited(_))).copied().unwrap();
    // reset − Date + 1 s = 11 s, plus at most 1 s of jitter.
    assert!((11_000..=12_000).contains(&ms), "{ms}");
    assert_eq!(ok(&r).summary.progress.retries, 1);
}

#[test]
fn duplicated_reset_headers_take_the_minimum() {
    let offset = 1_715_681_730_000;
    let mut fake = FakeOkta::new(10, 0);
    fake.epoch_offset_ms = offset;
    fake.hook = Some(on_nth("/api/v1/users?", 1, move |_, now| {
        let base = (now + offset) / 1000;
        let headers = vec![
            ("Date".into(), date_at(now, offset)),
            ("X-Rate-Limit-Limit".into(), "300".into()),
            ("X-Rate-Limit-Remaining".into(), "0".into()),
            ("X-Rate-Limit-Reset".into(), (base + 30).to_string()),
            ("x-rate-limit-reset".into(), (base + 5).to_string()),
        ];
        Response::new(429, headers, error_body("E0000047"))
    }));
    let r = sync(&mut fake);
    ok(&r);
    let (ms, _) = r.waits[0];
    assert!((6_000..=7_000).contains(&ms), "{ms}");
}

#[test]
fn concurrency_429_uses_a_short_backoff_not_the_reset() {
    let offset = 1_715_681_730_000;
    let mut fake = FakeOkta::new(10, 0);
    fake.epoch_offset_ms = offset;
    fake.hook = Some(on_nth("/api/v1/users?", 1, move |_, now| {
        let headers = vec![
            ("Date".into(), date_at(now, offset)),
            ("X-Rate-Limit-Limit".into(), "0".into()),
            ("X-Rate-Limit-Remaining".into(), "0".into()),
            ("X-Rate-Limit-Reset".into(), ((now + offset) / 1000 + 114).to_string()),
        ];
        Response::new(429, headers, error_body("E0000047"))
    }));
    let r = sync(&mut fake);
    ok(&r);
    assert_eq!(r.waits.len(), 1);
    let (ms, reason) = r.waits[0];
    assert_eq!(reason, WaitReason::ConcurrencyLimited);
    assert!((1_000..=5_000).contains(&ms), "{ms}");
}

#[test]
fn missing_date_falls_back_to_a_whole_window_or_the_learned_offset() {
    // No Date ever: a whole window (61 s) plus jitter, never unbounded.
    let mut fake = FakeOkta::new(10, 0);
    fake.send_date = false;
    fake.hook = Some(on_nth("/api/v1/users?", 1, |_, _| {
        let headers = vec![("X-Rate-Limit-Limit".into(), "300".into()), ("X-Rate-Limit-Remaining".into(), "0".into())];
        Response::new(429, headers, error_body("E0000047"))
    }));
    let r = sync(&mut fake);
    ok(&r);
    assert!((61_000..=62_000).contains(&r.waits[0].0), "{:?}", r.waits);

    // Date seen on an earlier response: the 429 without Date still converts Reset via the learned offset.
    let offset = 1_715_681_730_000;
    let mut fake = FakeOkta::new(300, 0);
    fake.epoch_offset_ms = offset;
    fake.hook = Some(on_nth("/api/v1/users?", 2, move |_, now| {
        let headers = vec![
            ("X-Rate-Limit-Limit".into(), "300".into()),
            ("X-Rate-Limit-Remaining".into(), "0".into()),
            ("X-Rate-Limit-Reset".into(), ((now + offset) / 1000 + 20).to_string()),
        ];
        Response::new(429, headers, error_body("E0000047"))
    }));
    let r = sync(&mut fake);
    ok(&r);
    let (ms, _) = r.waits.iter().find(|(_, w)| matches!(w, WaitReason::RateLimited(_))).copied().unwrap();
    assert!((20_000..=22_000).contains(&ms), "{ms}");
}

#[test]
fn server_errors_back_off_exponentially_then_succeed() {
    let mut fake = FakeOkta::new(10, 0);
    let mut n = 0;
    fake.hook = Some(Box::new(move |_, req: &Request, _| {
        n += u32::from(req.url.contains("/users"));
        (req.url.contains("/users") && n <= 3).then(|| Response::new(503, vec![], error_body("E0000010")))
    }));
    let r = sync(&mut fake);
    ok(&r);
    let waits: Vec<u64> = r.waits.iter().map(|w| w.0).collect();
    assert!(r.waits.iter().all(|w| w.1 == WaitReason::ServerError));
    assert_eq!(waits.len(), 3);
    for (i, ms) in waits.iter().enumerate() {
        let cap = 1_000u64 << i;
        assert!((cap / 2..=cap).contains(ms), "retry {i}: {ms}");
    }
}

#[test]
fn retries_are_bounded_with_typed_errors() {
    let cases: Vec<(Response, &str, Option<u16>)> = vec![
        (Response::new(503, vec![], ""), "TOO_MANY_RETRIES", Some(503)),
        (Response::new(500, vec![], error_body("E0000009")), "TOO_MANY_RETRIES", Some(500)),
        (network_error(), "TOO_MANY_RETRIES", None),
        (Response::new(429, vec![], error_body("E0000047")), "RATE_LIMITED", Some(429)),
    ];
    for (resp, code, status) in cases {
        let mut fake = FakeOkta::new(10, 0);
        fake.hook = Some(Box::new(move |_, req: &Request, _| req.url.contains("/users").then(|| resp.clone())));
        let r = sync(&mut fake);
        let e = err(&r);
        assert_eq!((e.code(), e.status()), (code, status));
        // One first attempt plus the default 4 retries.
        assert_eq!(fake.requests.iter().filter(|u| u.contains("/users")).count(), 5, "{code}");
    }
}

#[test]
fn client_errors_fail_at_once_keeping_only_okta_identifiers() {
    let mut fake = FakeOkta::new(10, 1);
    fake.hook = Some(Box::new(|_, req: &Request, _| {
        let body = r#"{"errorCode":"E0000006","errorSummary":"You do not have permission <b>jane@x.com</b>","errorId":"oae123-_x","errorCauses":[]}"#;
        req.url.contains("/groups").then(|| Response::new(403, vec![], body))
    }));
    let r = sync(&mut fake);
    let e = err(&r);
    assert_eq!(
        e,
        &Error::OktaApi { status: 403, error_code: Some("E0000006".into()), error_id: Some("oae123-_x".into()) }
    );
    assert!(!e.to_string().contains("jane"));
    // A hostile error body cannot smuggle text through the code fields.
    let mut fake = FakeOkta::new(10, 0);
    fake.hook =
        Some(Box::new(|_, _, _| Some(Response::new(400, vec![], r#"{"errorCode":"E1 <script>","errorId":"a b"}"#))));
    assert_eq!(err(&sync(&mut fake)), &Error::OktaApi { status: 400, error_code: None, error_id: None });
}

#[test]
fn progress_counts_requests_retries_and_waits() {
    let mut fake = FakeOkta::new(10, 0);
    let mut n = 0;
    fake.hook = Some(Box::new(move |_, req: &Request, _| {
        n += 1;
        (n == 1 && req.url.contains("/users")).then(|| Response::new(502, vec![], ""))
    }));
    let mut m = SyncMachine::new(config());
    let r = run(&mut m, &mut fake, 0, None);
    ok(&r);
    let p = m.progress();
    // users: a 502 then the page; groups: one (empty) page.
    assert_eq!((p.requests, p.retries, p.pages, p.users), (3, 1, 2, 10));
    assert_eq!(p.last_wait_reason, Some(WaitReason::ServerError));
    assert_eq!(p.waits_ms, r.waits[0].0);
}

#[test]
fn a_server_concurrency_limit_below_ours_costs_short_backoffs_not_data() {
    let mut fake = FakeOkta::new(2_000, 8);
    fake.page_cap = 50;
    fake.concurrency_limit = 2;
    let mut cfg = config();
    cfg.max_in_flight = 4;
    cfg.rate.max_retries = 8;
    let r = run(&mut SyncMachine::new(cfg), &mut fake, 0, None);
    assert_matches_truth(ok(&r), &fake);
    assert!(fake.count_concurrency_429 > 0);
    assert!(r.waits.iter().any(|w| w.1 == WaitReason::ConcurrencyLimited));
    assert!(r.waits.iter().filter(|w| w.1 == WaitReason::ConcurrencyLimited).all(|w| w.0 <= 5_000));
}
