//! The full-sync state machine against the simulated Okta: results, pagination safety, retries,
//! malformed pages, bounded member concurrency, and checkpoint/resume.

mod common;

use common::{error_body, http_date, network_error, run, user_json, FakeOkta, ORIGIN};
use okta_directory::sync::{OrgUrl, OrgUrlPolicy, Request, Response, SyncConfig, SyncMachine, SyncResult, WaitReason};
use okta_directory::Error;

fn config() -> SyncConfig {
    SyncConfig::new(OrgUrl::parse(ORIGIN, OrgUrlPolicy::default()).expect("valid org"))
}

fn sync(fake: &mut FakeOkta) -> common::Run {
    run(&mut SyncMachine::new(config()), fake, 1_000, None)
}

fn ok(r: &common::Run) -> &SyncResult {
    r.outcome.as_ref().unwrap_or_else(|e| panic!("sync failed: {e}"))
}

fn err(r: &common::Run) -> &Error {
    match &r.outcome {
        Ok(_) => panic!("sync succeeded unexpectedly"),
        Err(e) => e,
    }
}

fn assert_matches_truth(result: &SyncResult, fake: &FakeOkta) {
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
fn on_nth(needle: &'static str, nth: usize, make: impl Fn(&Request, u64) -> Response + 'static) -> common::Hook {
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

fn date_at(now: u64, offset: u64) -> String {
    http_date((now + offset) / 1000)
}

#[test]
fn full_sync_equals_ground_truth_and_includes_deprovisioned_users() {
    let mut fake = FakeOkta::new(1_000, 5);
    let r = sync(&mut fake);
    let result = ok(&r);
    assert_matches_truth(result, &fake);
    assert_eq!(result.summary.users_by_status.get("DEPROVISIONED"), Some(&100));
    assert_eq!(result.summary.users_by_status.values().sum::<u64>(), 1_000);
    assert_eq!(result.groups[0].group_type, "BUILT_IN");
    assert_eq!(result.groups[1].name, "Group 1");
    let first = &fake.requests[0];
    assert!(first.starts_with(&format!("{ORIGIN}/api/v1/users?limit=200&filter=lastUpdated%20gt%20")), "{first}");
    // users: 5 pages; groups: 1; members: group 0 has 200 + 143 - 29 = 314 → 2 pages, others 1 page each.
    assert_eq!(result.summary.progress.pages, 5 + 1 + 2 + 4);
    assert_eq!(result.summary.progress.requests, result.summary.progress.pages);
    assert_eq!(result.summary.progress.retries, 0);
}

#[test]
fn empty_directory_completes() {
    let mut fake = FakeOkta::new(0, 0);
    let result = ok(&sync(&mut fake)).clone();
    assert!(result.users.is_empty() && result.groups.is_empty() && result.memberships.is_empty());
}

#[test]
fn next_link_on_another_origin_is_never_requested() {
    for evil in [
        "https://evil.example/api/v1/users?after=x",
        "http://acme.okta.com/api/v1/users?after=x",
        "https://acme.okta.com:8443/api/v1/users?after=x",
        "https://acme.okta.com@evil.example/api/v1/users?after=x",
        "https://acme.okta.com.evil.example/api/v1/users?after=x",
        "//evil.example/api/v1/users?after=x",
        "javascript:alert(1)",
    ] {
        let mut fake = FakeOkta::new(50, 1);
        fake.hook = Some(on_nth("/api/v1/users?", 1, move |_, _| {
            let link = format!("<{evil}>; rel=\"next\"");
            Response::new(200, vec![("Link".into(), link)], format!("[{}]", user_json(1)))
        }));
        let r = sync(&mut fake);
        assert_eq!(err(&r).code(), "UNSAFE_NEXT_LINK", "{evil}");
        assert!(!err(&r).to_string().contains("evil"));
        assert!(fake.requests.iter().all(|u| u.starts_with("https://acme.okta.com/")), "{evil}");
    }
}

#[test]
fn relative_next_link_is_resolved_on_the_org_origin() {
    let mut fake = FakeOkta::new(3, 0);
    fake.hook = Some(on_nth("/api/v1/users?", 1, |_, _| {
        let link = "</api/v1/users?after=2&limit=200&filter=x>; rel=\"next\"".to_string();
        Response::new(200, vec![("Link".into(), link)], format!("[{},{}]", user_json(0), user_json(1)))
    }));
    let r = sync(&mut fake);
    assert_eq!(ok(&r).users.len(), 3);
    assert_eq!(fake.requests[2], format!("{ORIGIN}/api/v1/users?after=2&limit=200&filter=x"));
}

#[test]
fn cursor_loops_are_detected() {
    // The next link names the page just fetched.
    let mut fake = FakeOkta::new(10, 0);
    fake.hook = Some(Box::new(|_, req: &Request, _| {
        let link = format!("<{}>; rel=\"next\"", req.url);
        req.url.contains("/users").then(|| Response::new(200, vec![("Link".into(), link)], "[]"))
    }));
    assert_eq!(err(&sync(&mut fake)).code(), "PAGINATION_LOOP");
    // A → B → A.
    let mut fake = FakeOkta::new(10, 0);
    fake.hook = Some(Box::new(|_, req: &Request, _| {
        let other = if req.url.contains("after=b") { "after=a" } else { "after=b" };
        let link = format!("<{ORIGIN}/api/v1/users?{other}>; rel=\"next\"");
        req.url.contains("/users").then(|| Response::new(200, vec![("Link".into(), link)], "[]"))
    }));
    let r = sync(&mut fake);
    assert_eq!(err(&r).code(), "PAGINATION_LOOP");
    assert_eq!(fake.requests.iter().filter(|u| u.contains("/users")).count(), 3);
}

#[test]
fn page_cap_stops_endless_pagination() {
    let mut fake = FakeOkta::new(1_000, 0);
    fake.page_cap = 10;
    let mut cfg = config();
    cfg.max_pages_per_stream = 5;
    let r = run(&mut SyncMachine::new(cfg), &mut fake, 0, None);
    assert_eq!(err(&r).code(), "PAGINATION_LOOP");
    assert_eq!(fake.requests.iter().filter(|u| u.contains("/users")).count(), 5);
}

#[test]
fn malformed_page_is_retried_once_then_fails() {
    let garbage = |_: &Request, _| Response::new(200, vec![], "[{\"id\": \"00u1\", \"profile\": ");
    let mut fake = FakeOkta::new(300, 2);
    fake.hook = Some(on_nth("/api/v1/users?", 2, garbage));
    let r = sync(&mut fake);
    assert_matches_truth(ok(&r), &fake);
    assert_eq!(ok(&r).summary.progress.retries, 1);

    for body in
        ["[{\"id\": \"00u1\", \"profile\": ", "{\"not\": \"an array\"}", "[42]", "[{\"id\":\"../x\",\"profile\":{}}]"]
    {
        let mut fake = FakeOkta::new(300, 2);
        fake.hook = Some(Box::new(move |_, req: &Request, _| {
            req.url.contains("after=200").then(|| Response::new(200, vec![], body))
        }));
        let r = sync(&mut fake);
        assert_eq!(err(&r).code(), "MALFORMED_RESPONSE", "{body}");
        assert_eq!(fake.requests.iter().filter(|u| u.contains("after=200")).count(), 2);
    }
}

#[test]
fn malformed_group_and_member_pages_fail_typed() {
    for (needle, body) in [("/groups?", "[{\"id\": \"00g/../../x\"}]"), ("/users?limit=200", "[{\"id\": 5}]")] {
        let mut fake = FakeOkta::new(20, 2);
        let target = if needle == "/groups?" { "/api/v1/groups?" } else { "/api/v1/groups/00g000000/users" };
        fake.hook = Some(Box::new(move |_, req: &Request, _| {
            req.url.contains(target).then(|| Response::new(200, vec![], body))
        }));
        assert_eq!(err(&sync(&mut fake)).code(), "MALFORMED_RESPONSE", "{target}");
    }
}

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
fn member_listing_pages_with_bounded_concurrency() {
    let mut fake = FakeOkta::new(2_000, 12);
    fake.page_cap = 50;
    for max in [1usize, 2, 4] {
        let mut fake2 = FakeOkta::new(2_000, 12);
        fake2.page_cap = 50;
        let mut cfg = config();
        cfg.max_in_flight = max;
        let r = run(&mut SyncMachine::new(cfg), &mut fake2, 0, None);
        assert_matches_truth(ok(&r), &fake2);
        assert_eq!(r.max_in_flight, max, "in flight with max {max}");
        let member_pages = fake2.requests.iter().filter(|u| u.contains("/groups/")).count();
        assert!(member_pages > 12 * 3, "{member_pages}");
    }
    // Requests actually overlap: with 4 in flight the simulated run is much shorter than with 1.
    let mut cfg = config();
    cfg.max_in_flight = 1;
    let slow = run(&mut SyncMachine::new(cfg), &mut fake, 0, None).end_ms;
    let mut fake4 = FakeOkta::new(2_000, 12);
    fake4.page_cap = 50;
    let mut cfg = config();
    cfg.max_in_flight = 4;
    let fast = run(&mut SyncMachine::new(cfg), &mut fake4, 0, None).end_ms;
    assert!(fast * 2 < slow, "{fast} vs {slow}");
}

#[test]
fn duplicated_user_across_pages_is_kept_once_with_the_latest_data() {
    let mut fake = FakeOkta::new(250, 0);
    fake.hook = Some(on_nth("after=200", 1, |_, _| {
        let mut changed = user_json(3);
        changed["profile"]["firstName"] = "Renamed".into();
        let items: Vec<_> = (200..250).map(user_json).chain([changed]).collect();
        Response::new(200, vec![], serde_json::Value::Array(items).to_string())
    }));
    let r = sync(&mut fake);
    let result = ok(&r);
    assert_eq!(result.users.len(), 250);
    assert_eq!(result.users[3].user.name.given.as_deref(), Some("Renamed"));
}

#[test]
fn interrupted_at_every_page_resumes_to_the_same_result_without_refetching() {
    let make = || {
        let mut f = FakeOkta::new(260, 4);
        f.page_cap = 40;
        f
    };
    let mut fake = make();
    let full = run(&mut SyncMachine::new(config()), &mut fake, 0, None);
    let expected = ok(&full).clone();
    let total_pages = expected.summary.progress.pages;
    assert!(total_pages >= 15, "{total_pages}");
    for k in 1..total_pages {
        let mut first_fake = make();
        let first = run(&mut SyncMachine::new(config()), &mut first_fake, 0, Some(k));
        let checkpoint = first.checkpoints.last().unwrap().clone();
        // Through JSON, as a driver would store it.
        let text = serde_json::to_string(&checkpoint).unwrap();
        let restored = serde_json::from_str(&text).unwrap();
        let mut machine = SyncMachine::resume(config(), restored).unwrap();
        let mut second_fake = make();
        let second = run(&mut machine, &mut second_fake, 500_000, None);
        let result = ok(&second);
        assert_eq!(result.users, expected.users, "k={k}");
        assert_eq!(result.groups, expected.groups, "k={k}");
        assert_eq!(result.memberships, expected.memberships, "k={k}");
        assert_eq!(result.summary.users_by_status, expected.summary.users_by_status);
        assert_eq!(result.summary.progress.pages, total_pages, "k={k}");
        for done in &first.completed {
            assert!(!second_fake.requests.contains(done), "k={k}: refetched {done}");
        }
    }
}

#[test]
fn resume_refuses_foreign_or_tampered_checkpoints() {
    let mut fake = FakeOkta::new(100, 1);
    fake.page_cap = 20;
    let first = run(&mut SyncMachine::new(config()), &mut fake, 0, Some(2));
    let cp = first.checkpoints.last().unwrap().clone();
    let other = SyncConfig::new(OrgUrl::parse("https://other.okta.com", OrgUrlPolicy::default()).unwrap());
    assert_eq!(SyncMachine::resume(other, cp.clone()).err().unwrap().code(), "INVALID_CHECKPOINT");
    let mut tampered = cp.clone();
    tampered.users.next = Some("https://evil.example/api/v1/users".into());
    assert_eq!(SyncMachine::resume(config(), tampered).err().unwrap().code(), "INVALID_CHECKPOINT");
    let mut bad_version = cp.clone();
    bad_version.version = 99;
    assert!(SyncMachine::resume(config(), bad_version).is_err());
    let mut misaligned = cp;
    misaligned.collected.members.push(vec![]);
    assert!(SyncMachine::resume(config(), misaligned).is_err());
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
