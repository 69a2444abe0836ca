//! The System Log polling cursor: a run polls until a page brings no event and hands out that page's `next`
//! link; the next run polls from it, so an event persisted late (its `published` before the last poll) is
//! read by the next poll, and only once. Also: applied event uuids are skipped, a foreign cursor is refused,
//! and old checkpoints load or fail typed.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use okta_directory::sync::{
    Checkpoint, IncrementalConfig, Request, Response, SyncChanges, SyncMachine, CHECKPOINT_VERSION,
};
use serde_json::{json, Value};

/// 2024-05-14T10:00:00.000Z, the previous sync's watermark.
const SINCE: u64 = 1_715_680_800_000;

/// A System Log that answers polling queries the way Okta does: events in persistence order, `after` = the
/// index of the last event returned, and a `next` link on every page (an empty page's repeats its own query).
#[derive(Default)]
struct Log {
    /// Persisted events, in persistence order.
    events: Vec<Value>,
    /// Largest page served (the query's `limit` applies below it).
    cap: usize,
}

fn membership(uuid: &str, user: &str, group: &str, published: &str, added: bool) -> Value {
    let kind = if added { "group.user_membership.add" } else { "group.user_membership.remove" };
    json!({"uuid": uuid, "published": published, "eventType": kind, "outcome": {"result": "SUCCESS"},
           "target": [{"id": user, "type": "User"}, {"id": group, "type": "UserGroup"}]})
}

fn fake(log: Rc<RefCell<Log>>) -> FakeOkta {
    let mut fake = FakeOkta::new(50, 3);
    fake.hook = Some(Box::new(move |_, req: &Request, _| {
        if req.url.contains("/api/v1/users?") {
            return Some(Response::new(200, vec![("Date".into(), http_date(1_715_681_731))], "[]"));
        }
        if !req.url.contains("/api/v1/logs?") {
            return None;
        }
        let log = log.borrow();
        let after: Option<usize> = req.url.split("after=").nth(1).and_then(|a| a.split('&').next()?.parse().ok());
        let limit: usize =
            req.url.split("limit=").nth(1).and_then(|l| l.split('&').next()?.parse().ok()).unwrap_or(100);
        let start = after.map_or(0, |a| a + 1);
        let end = (start + limit.min(log.cap)).min(log.events.len());
        let page: Vec<Value> = log.events.get(start..end).unwrap_or_default().to_vec();
        let last = if page.is_empty() { after } else { Some(end - 1) };
        let base = req.url.split("&after=").next().unwrap_or_default().to_string();
        let next = match last {
            Some(i) => format!("{base}&after={i}"),
            None => base,
        };
        let headers = vec![("Link".to_string(), format!("<{next}>; rel=\"next\""))];
        Some(Response::new(200, headers, Value::Array(page).to_string()))
    }));
    fake
}

fn cfg(cursor: Option<String>) -> okta_directory::sync::SyncConfig {
    let mut c = config();
    c.incremental = Some(IncrementalConfig::since(SINCE));
    c.log_cursor = cursor;
    c
}

fn changes(r: &Run) -> SyncChanges {
    ok(r).changes.clone().expect("an incremental result has changes")
}

fn log_requests(fake: &FakeOkta) -> Vec<String> {
    fake.requests.iter().filter(|u| u.contains("/api/v1/logs?")).cloned().collect()
}

fn events(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| membership(&format!("e{i}"), &format!("00u{i:08}"), "00g000001", "2024-05-14T10:01:00.000Z", true))
        .collect()
}

#[test]
fn a_run_polls_until_a_short_page_and_hands_out_its_next_link_as_the_cursor() {
    let log = Rc::new(RefCell::new(Log { cap: usize::MAX, events: events(2500) }));
    let mut okta = fake(log.clone());
    let r = run(&mut SyncMachine::new(cfg(None)), &mut okta, 1_000, None);
    let c = changes(&r);
    assert_eq!(c.membership_changes.len(), 2500);
    let requests = log_requests(&okta);
    // Two full pages of 1000, then a short one: the poll caught up.
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert!(requests.iter().all(|u| !u.contains("until=")));
    let cursor = c.log_cursor.expect("a cursor");
    assert!(cursor.starts_with(&format!("{ORIGIN}/api/v1/logs?")) && cursor.ends_with("&after=2499"), "{cursor}");

    // Exactly one full page: the next (empty) page says the poll caught up.
    let log = Rc::new(RefCell::new(Log { cap: usize::MAX, events: events(1000) }));
    let mut okta = fake(log);
    let c = changes(&run(&mut SyncMachine::new(cfg(None)), &mut okta, 1_000, None));
    assert_eq!((c.membership_changes.len(), log_requests(&okta).len()), (1000, 2));
    assert!(c.log_cursor.is_some_and(|c| c.ends_with("&after=999")));

    // A server that shortens pages (cap below the limit): the run stops early, the next run goes on, nothing lost.
    let log = Rc::new(RefCell::new(Log { cap: 10, events: events(25) }));
    let mut seen = 0;
    let mut cursor = None;
    for _ in 0..5 {
        let mut okta = fake(log.clone());
        let c = changes(&run(&mut SyncMachine::new(cfg(cursor.clone())), &mut okta, 1_000, None));
        seen += c.membership_changes.len();
        cursor = c.log_cursor;
    }
    assert_eq!(seen, 25);
}

#[test]
fn a_late_event_is_read_by_the_next_poll_and_only_once() {
    let log = Rc::new(RefCell::new(Log { cap: usize::MAX, ..Log::default() }));
    log.borrow_mut().events.push(membership("e0", "00u00000001", "00g000001", "2024-05-14T10:01:00.000Z", true));
    let mut okta = fake(log.clone());
    let first = changes(&run(&mut SyncMachine::new(cfg(None)), &mut okta, 1_000, None));
    assert_eq!(first.membership_changes.len(), 1);
    let cursor = first.log_cursor.expect("a cursor");

    // Persisted after the first poll, published long before it (and before the watermark's overlap window, so
    // a bounded `since`/`until` query of the next run would never see it).
    log.borrow_mut().events.push(membership("late", "00u00000002", "00g000002", "2024-05-14T09:00:00.000Z", false));
    let mut okta = fake(log.clone());
    let second = changes(&run(&mut SyncMachine::new(cfg(Some(cursor.clone()))), &mut okta, 1_000, None));
    let requests = log_requests(&okta);
    assert_eq!(requests.first(), Some(&cursor), "the next run polls from the cursor, not from `since`");
    assert_eq!(second.membership_changes.len(), 1);
    let late = &second.membership_changes[0];
    assert_eq!((late.group_id.as_str(), late.user_id.as_str(), late.added), ("00g000002", "00u00000002", false));

    // The run after that reads nothing again.
    let mut okta = fake(log.clone());
    let third = changes(&run(&mut SyncMachine::new(cfg(second.log_cursor.clone())), &mut okta, 1_000, None));
    assert!(third.membership_changes.is_empty());
    assert_eq!(third.log_cursor, second.log_cursor);
    assert_eq!(log_requests(&okta).len(), 1);
}

#[test]
fn events_already_applied_by_a_hook_are_skipped_and_counted() {
    let log = Rc::new(RefCell::new(Log { cap: usize::MAX, ..Log::default() }));
    log.borrow_mut().events.push(membership("hooked", "00u00000001", "00g000001", "2024-05-14T10:01:00.000Z", true));
    log.borrow_mut().events.push(membership("polled", "00u00000002", "00g000001", "2024-05-14T10:02:00.000Z", true));
    let mut okta = fake(log);
    let mut c = cfg(None);
    c.applied_event_uuids.insert("hooked".to_string());
    let changes = changes(&run(&mut SyncMachine::new(c), &mut okta, 1_000, None));
    assert_eq!(changes.events_already_applied, 1);
    let users: Vec<&str> = changes.membership_changes.iter().map(|m| m.user_id.as_str()).collect();
    assert_eq!(users, ["00u00000002"]);
}

#[test]
fn a_cursor_on_another_origin_is_refused_before_any_log_request() {
    let log = Rc::new(RefCell::new(Log { cap: usize::MAX, ..Log::default() }));
    let mut okta = fake(log);
    let r = run(
        &mut SyncMachine::new(cfg(Some("https://evil.example.com/api/v1/logs?after=1".into()))),
        &mut okta,
        1_000,
        None,
    );
    assert_eq!(err(&r).code(), "UNSAFE_NEXT_LINK");
    assert!(okta.requests.iter().all(|u| u.starts_with(ORIGIN)));
    assert!(log_requests(&okta).is_empty());
}

#[test]
fn a_resumed_incremental_checkpoint_keeps_polling_from_its_log_listing() {
    let log = Rc::new(RefCell::new(Log { cap: usize::MAX, events: events(2500) }));
    let mut c = cfg(None);
    c.max_in_flight = 1;
    let mut okta = fake(log.clone());
    let first = run(&mut SyncMachine::new(c.clone()), &mut okta, 1_000, Some(3));
    let checkpoint = first.checkpoints.last().expect("a checkpoint").clone();
    assert_eq!(checkpoint.version, CHECKPOINT_VERSION);
    assert!(checkpoint.incremental.as_ref().and_then(|i| i.logs.as_ref()).is_some_and(|l| l.next.is_some()));
    let text = serde_json::to_string(&checkpoint).expect("json");
    let mut resumed = SyncMachine::resume(c, serde_json::from_str(&text).expect("parse")).expect("resumes");
    let mut okta = fake(log);
    let changes = changes(&run(&mut resumed, &mut okta, 60_000, None));
    assert_eq!(changes.membership_changes.len(), 2500, "every event once, across the interruption");
    assert!(changes.log_cursor.is_some_and(|c| c.ends_with("&after=2499")));
}

#[test]
fn a_format_2_checkpoint_loads_for_a_full_run_and_is_refused_typed_for_an_incremental_one() {
    let mut okta = FakeOkta::new(300, 3);
    let full = run(&mut SyncMachine::new(config()), &mut okta, 0, Some(2));
    let mut old: Checkpoint = full.checkpoints.last().expect("a checkpoint").clone();
    old.version = 2;
    let mut resumed = SyncMachine::resume(config(), old).expect("a full run's format-2 checkpoint still loads");
    assert_matches_truth(ok(&run(&mut resumed, &mut okta, 50_000, None)), &okta);

    let log = Rc::new(RefCell::new(Log { cap: usize::MAX, ..Log::default() }));
    let mut okta = fake(log);
    let inc = run(&mut SyncMachine::new(cfg(None)), &mut okta, 1_000, Some(1));
    let mut old = inc.checkpoints.last().expect("a checkpoint").clone();
    old.version = 2;
    let e = SyncMachine::resume(cfg(None), old).expect_err("refused");
    assert_eq!(e.code(), "INVALID_CHECKPOINT");
    assert!(e.to_string().contains("format 2"), "{e}");
    let mut future = inc.checkpoints.last().expect("a checkpoint").clone();
    future.version = CHECKPOINT_VERSION + 1;
    assert_eq!(SyncMachine::resume(cfg(None), future).expect_err("refused").code(), "INVALID_CHECKPOINT");
}
