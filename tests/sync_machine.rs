//! The full-sync state machine against the simulated Okta: results (DEPROVISIONED included),
//! pagination safety (origin check, loops, page cap), malformed pages and bounded member concurrency.

mod common;

use common::*;
use okta_directory::sync::{Request, Response, SyncMachine};

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
