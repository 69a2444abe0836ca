//! Incremental sync: the queries (users by lastUpdated with the overlap window, the System Log as a polling
//! query; the cursor itself is tested in sync_polling.rs), the changes read from the log, the no-logs fallback, and applying the result to
//! the previous directory.

mod common;

use std::collections::BTreeSet;

use common::*;
use okta_directory::directory::{Directory, DirectoryConfig, SyncMeta};
use okta_directory::sync::{
    apply_incremental, iso_millis, IncrementalConfig, Request, Response, SyncMachine, SyncMode, SyncResult,
};
use serde_json::json;

/// 2024-05-14T10:00:00.000Z, the previous sync's watermark.
const SINCE: u64 = 1_715_680_800_000;

fn incremental(fake: &mut FakeOkta, overlap_ms: u64) -> Run {
    let mut cfg = config();
    cfg.incremental = Some(IncrementalConfig { since_ms: SINCE, overlap_ms });
    run(&mut SyncMachine::new(cfg), fake, 1_000, None)
}

fn event(kind: &str, user: &str, group: Option<&str>) -> serde_json::Value {
    let mut target = vec![json!({"id": user, "type": "User", "alternateId": "x@example.com", "displayName": "X"})];
    if let Some(g) = group {
        target.push(json!({"id": g, "type": "UserGroup", "alternateId": "unknown", "displayName": "G"}));
    }
    json!({"uuid": "u", "published": "2024-05-14T10:01:00.000Z", "eventType": kind, "outcome": {"result": "SUCCESS"}, "target": target})
}

/// A fake whose users listing returns `changed` users and whose System Log returns `events` on two pages.
fn fake_with(changed: Vec<usize>, events: Vec<serde_json::Value>) -> FakeOkta {
    let mut fake = FakeOkta::new(300, 4);
    fake.hook = Some(Box::new(move |_, req: &Request, _| {
        if req.url.contains("/api/v1/users?") {
            let body = serde_json::Value::Array(changed.iter().map(|&i| user_json(i)).collect());
            return Some(Response::new(200, vec![("Date".into(), http_date(1_715_681_731))], body.to_string()));
        }
        if req.url.contains("/api/v1/logs?") {
            let (page, link) = if req.url.contains("after=") {
                (events[events.len() / 2..].to_vec(), None)
            } else {
                // A full first page (events of types the sync ignores fill it), so the poll goes on to the next.
                let next = format!("<{}&after=1>; rel=\"next\"", req.url);
                let mut page = events[..events.len() / 2].to_vec();
                let filler = json!({"uuid": "f", "published": "2024-05-14T10:01:00.000Z", "eventType": "user.session.start", "outcome": {"result": "SUCCESS"}, "target": []});
                page.resize(1000, filler);
                (page, Some(next))
            };
            let mut headers = vec![];
            if let Some(l) = link {
                headers.push(("Link".to_string(), l));
            }
            return Some(Response::new(200, headers, serde_json::Value::Array(page).to_string()));
        }
        None
    }));
    fake
}

#[test]
fn queries_start_an_overlap_before_the_watermark_and_the_log_is_a_polling_query() {
    let mut fake = fake_with(vec![3], vec![event("group.user_membership.add", "00u00000003", Some("00g000001"))]);
    let r = incremental(&mut fake, 300_000);
    let result = ok(&r);
    assert_eq!(iso_millis(SINCE - 300_000), "2024-05-14T09:55:00.000Z");
    let users = fake.requests.iter().find(|u| u.contains("/api/v1/users?")).expect("a users request");
    assert_eq!(
        users,
        &format!("{ORIGIN}/api/v1/users?limit=200&filter=lastUpdated%20ge%20%222024-05-14T09%3A55%3A00.000Z%22")
    );
    let logs = fake.requests.iter().find(|u| u.contains("/api/v1/logs?")).expect("a logs request");
    // Okta's polling query: ascending and no `until` (a bounded query misses events persisted late).
    let start_s = (1_000 + 1_715_681_730_437) / 1000;
    assert!(
        logs.starts_with(&format!(
            "{ORIGIN}/api/v1/logs?since=2024-05-14T09%3A55%3A00.000Z&sortOrder=ASCENDING&limit=1000&filter="
        )),
        "{logs}"
    );
    assert!(!logs.contains("until="), "{logs}");
    for t in ["user.lifecycle.delete.initiated", "group.user_membership.add", "group.user_membership.remove"] {
        assert!(logs.contains(&format!("eventType%20eq%20%22{t}%22")), "{t}");
    }
    assert_eq!(result.summary.watermark_ms, Some(start_s * 1000));
    assert_eq!(result.summary.mode, SyncMode::Incremental);
    // No member listings: memberships come from the log.
    assert!(!fake.requests.iter().any(|u| u.contains("/groups/")));
    assert!(result.memberships.is_empty());
    assert_eq!(result.groups.len(), 4);

    // A different overlap moves the lower bound, and only it.
    let mut fake = fake_with(vec![], vec![]);
    ok(&incremental(&mut fake, 0));
    assert!(fake.requests.iter().any(|u| u.contains("%222024-05-14T10%3A00%3A00.000Z%22")));
    assert!(fake.requests.iter().any(|u| u.contains("since=2024-05-14T10%3A00%3A00.000Z&")));
}

#[test]
fn deletions_and_membership_changes_are_read_in_event_order_across_pages() {
    let events = vec![
        event("group.user_membership.add", "00u00000005", Some("00g000002")),
        event("user.lifecycle.create", "00u00000009", None),
        event("group.user_membership.remove", "00u00000005", Some("00g000002")),
        event("user.lifecycle.delete.initiated", "00u00000007", None),
        event("user.lifecycle.delete.completed", "00u00000007", None),
        event("group.user_membership.add", "00u00000006", Some("00g000003")),
    ];
    let mut fake = fake_with(vec![5, 6], events);
    let r = incremental(&mut fake, 300_000);
    let changes = ok(&r).changes.clone().expect("changes");
    assert_eq!(changes.deleted_user_ids, ["00u00000007"]);
    let ops: Vec<(String, bool)> =
        changes.membership_changes.iter().map(|c| (format!("{}/{}", c.group_id, c.user_id), c.added)).collect();
    assert_eq!(
        ops,
        [
            ("00g000002/00u00000005".into(), true),
            ("00g000002/00u00000005".into(), false),
            ("00g000003/00u00000006".into(), true)
        ]
    );
    assert!(!changes.logs_unavailable);
    assert_eq!(fake.requests.iter().filter(|u| u.contains("/api/v1/logs?")).count(), 2);
}

#[test]
fn a_malformed_log_event_fails_typed_after_one_retry() {
    let bad = json!([{"eventType": "group.user_membership.add", "target": [{"id": "00u1", "type": "User"}]}]);
    let mut fake = FakeOkta::new(10, 2);
    fake.hook = Some(Box::new(move |_, req: &Request, _| {
        req.url.contains("/api/v1/logs?").then(|| Response::new(200, vec![], bad.to_string()))
    }));
    let r = incremental(&mut fake, 0);
    assert_eq!(err(&r).code(), "MALFORMED_RESPONSE");
}

#[test]
fn without_the_logs_scope_every_groups_members_are_reread() {
    let mut fake = FakeOkta::new(300, 4);
    fake.hook = Some(Box::new(|_, req: &Request, _| {
        let challenge = "Bearer error=\"insufficient_scope\", scope=\"okta.logs.read\"";
        req.url
            .contains("/api/v1/logs?")
            .then(|| Response::new(403, vec![("WWW-Authenticate".into(), challenge.into())], error_body("E0000006")))
    }));
    let r = incremental(&mut fake, 0);
    let result = ok(&r);
    let changes = result.changes.clone().expect("changes");
    assert!(changes.logs_unavailable);
    let (_, _, truth) = fake.truth();
    assert_eq!(result.memberships.len(), truth.len());
    assert_eq!(fake.requests.iter().filter(|u| u.contains("/api/v1/logs?")).count(), 1);
}

fn directory(result: &SyncResult) -> Directory {
    let users = result.users.iter().map(|u| u.user.clone()).collect();
    let meta = SyncMeta { origin: ORIGIN.into(), synced_at_ms: 1 };
    Directory::build(users, result.groups.clone(), &result.memberships, DirectoryConfig::default(), meta)
}

fn pairs(dir: &Directory) -> BTreeSet<(String, String)> {
    dir.memberships().map(|m| (m.group_id, m.user_id)).collect()
}

#[test]
fn applying_an_incremental_result_gives_the_new_state() {
    // The previous directory: a full sync of 300 users in 4 groups.
    let mut before = FakeOkta::new(300, 4);
    let prev = directory(ok(&sync(&mut before)));
    // Since then: user 5 renamed and moved from group 1 to group 2, user 7 deleted, user 300 created.
    let mut renamed = user_json(5);
    renamed["profile"]["firstName"] = "Renamed".into();
    let events = vec![
        event("group.user_membership.remove", "00u00000005", Some("00g000001")),
        event("group.user_membership.add", "00u00000005", Some("00g000002")),
        event("user.lifecycle.delete.initiated", "00u00000007", None),
        event("group.user_membership.add", "00u00000300", Some("00g000003")),
    ];
    let mut fake = fake_with(vec![], events);
    let hook = fake.hook.take().expect("hook");
    let mut hook = hook;
    fake.hook = Some(Box::new(move |n, req: &Request, now| {
        if req.url.contains("/api/v1/users?") {
            let body = json!([renamed, user_json(300)]);
            return Some(Response::new(200, vec![], body.to_string()));
        }
        hook(n, req, now)
    }));
    let result = ok(&incremental(&mut fake, 0)).clone();
    let (dir, stats) = apply_incremental(prev, &result, 99);
    assert_eq!(dir.meta().synced_at_ms, 99);
    assert_eq!(dir.len(), 300); // 300 − 1 deleted + 1 created
    assert!(dir.user("00u00000007").is_none());
    assert_eq!(dir.user("00u00000005").and_then(|u| u.name.given.clone()).as_deref(), Some("Renamed"));
    let ms = pairs(&dir);
    assert!(!ms.contains(&("00g000001".into(), "00u00000005".into())));
    assert!(ms.contains(&("00g000002".into(), "00u00000005".into())));
    assert!(ms.contains(&("00g000003".into(), "00u00000300".into())));
    // The built-in group (00g000000 in the fake) gets every upserted user.
    assert!(ms.contains(&("00g000000".into(), "00u00000300".into())));
    assert!(!ms.iter().any(|(_, u)| u == "00u00000007"));
    assert_eq!(stats.users_removed, 1);
    assert_eq!(stats.users_upserted, 2);
}

#[test]
fn applying_a_no_logs_result_replaces_memberships_and_drops_users_gone_from_everyone() {
    let mut before = FakeOkta::new(200, 3);
    let prev = directory(ok(&sync(&mut before)));
    // Now: the built-in group holds every user (as in Okta) but user 14, who was deleted; user 4 left group 1.
    let mut after = FakeOkta::new(200, 3);
    after.members.insert("00g000000".into(), (0..200).filter(|&i| i != 14).collect());
    for m in after.members.values_mut() {
        m.retain(|&i| i != 14);
    }
    if let Some(m) = after.members.get_mut("00g000001") {
        m.retain(|&i| i != 4);
    }
    after.hook = Some(Box::new(|_, req: &Request, _| {
        if req.url.contains("/api/v1/users?") {
            return Some(Response::new(200, vec![], "[]"));
        }
        req.url.contains("/api/v1/logs?").then(|| Response::new(403, vec![], error_body("E0000006")))
    }));
    let result = ok(&incremental(&mut after, 0)).clone();
    assert!(result.changes.as_ref().is_some_and(|c| c.logs_unavailable));
    let (dir, stats) = apply_incremental(prev, &result, 5);
    assert!(dir.user("00u00000014").is_none());
    assert_eq!(stats.users_removed, 1);
    assert_eq!(dir.len(), 199);
    let expected: BTreeSet<(String, String)> =
        result.memberships.iter().map(|m| (m.group_id.clone(), m.user_id.clone())).collect();
    assert!(!expected.contains(&("00g000001".into(), "00u00000004".into())));
    assert_eq!(pairs(&dir), expected);
}

#[test]
fn an_incremental_run_resumes_with_its_log_cursor_and_changes() {
    let events: Vec<_> =
        (0..6).map(|i| event("group.user_membership.add", &format!("00u0000000{i}"), Some("00g000001"))).collect();
    let mut fake = fake_with(vec![1, 2], events);
    let mut cfg = config();
    cfg.incremental = Some(IncrementalConfig::since(SINCE));
    cfg.max_in_flight = 1;
    let first = run(&mut SyncMachine::new(cfg.clone()), &mut fake, 0, Some(3));
    let checkpoint = first.checkpoints.last().expect("checkpoint").clone();
    assert!(checkpoint.incremental.is_some());
    let text = serde_json::to_string(&checkpoint).expect("json");
    let mut resumed = SyncMachine::resume(cfg.clone(), serde_json::from_str(&text).expect("parse")).expect("resume");
    let result = ok(&run(&mut resumed, &mut fake, 50_000, None)).clone();
    assert_eq!(result.changes.expect("changes").membership_changes.len(), 6);
    // A checkpoint of an incremental run does not resume a full one, nor the reverse.
    let mut full = config();
    full.incremental = None;
    let e = SyncMachine::resume(full, serde_json::from_str(&text).expect("parse")).expect_err("refused");
    assert_eq!(e.code(), "INVALID_CHECKPOINT");
}

#[test]
fn a_group_gone_from_the_listing_is_dropped_with_its_memberships() {
    let mut before = FakeOkta::new(120, 4);
    let prev = directory(ok(&sync(&mut before)));
    assert_eq!(prev.groups().len(), 4);
    let mut fake = fake_with(vec![], vec![]);
    fake.groups.retain(|g| g["id"] != "00g000003");
    let result = ok(&incremental(&mut fake, 0)).clone();
    let (dir, _) = apply_incremental(prev, &result, 7);
    let ids: Vec<&str> = dir.groups().iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["00g000000", "00g000001", "00g000002"]);
    assert!(!pairs(&dir).iter().any(|(g, _)| g == "00g000003"));
    assert!(dir.members_of("00g000003").is_err());
    assert_eq!(dir.len(), 120);
}

#[test]
fn a_result_read_back_from_json_applies_like_the_result_itself() {
    let events = vec![event("user.lifecycle.delete.completed", "00u00000002", None)];
    let mut fake = fake_with(vec![4], events);
    let result = ok(&incremental(&mut fake, 0)).clone();
    let text = serde_json::to_string(&result).expect("json");
    let outcome = okta_directory::sync::SyncOutcome::from_json(&text).expect("outcome");
    assert_eq!(outcome, okta_directory::sync::SyncOutcome::from(&result));
    assert_eq!(outcome.mode, SyncMode::Incremental);
    assert_eq!(
        okta_directory::sync::SyncOutcome::from_json("{\"users\": 3}").expect_err("bad").code(),
        "CONVERSION_FAILED"
    );
}

#[test]
fn without_the_log_only_groups_whose_membership_changed_are_reread_besides_everyone() {
    let mut fake = FakeOkta::new(300, 4);
    let stamps =
        [Some("2024-01-01T00:00:00.000Z"), Some("2024-01-01T00:00:00.000Z"), Some("2024-05-14T09:59:00.000Z"), None];
    for (g, stamp) in fake.groups.iter_mut().zip(stamps) {
        if let Some(s) = stamp {
            g["lastMembershipUpdated"] = s.into();
        }
    }
    fake.hook = Some(Box::new(|_, req: &Request, _| {
        req.url.contains("/api/v1/logs?").then(|| Response::new(403, vec![], error_body("E0000006")))
    }));
    // Lower bound 09:55: group 2 (09:59) changed, group 1 did not, group 3's stamp is unknown.
    let r = incremental(&mut fake, 300_000);
    let changes = ok(&r).changes.clone().expect("changes");
    assert!(changes.logs_unavailable);
    assert_eq!(changes.reread_group_ids, ["00g000000", "00g000002", "00g000003"]);
    assert!(!fake.requests.iter().any(|u| u.contains("/groups/00g000001/users")));
    let listed: BTreeSet<&str> = ok(&r).memberships.iter().map(|m| m.group_id.as_str()).collect();
    assert_eq!(listed, BTreeSet::from(["00g000000", "00g000002", "00g000003"]));
}

// ---- Clock sanity (issue finding 3): a server `Date` far ahead never becomes a future watermark, and a
// stored watermark in the future is refused before it can skip changes.

const DAY_MS: u64 = 86_400_000;

#[test]
fn a_server_date_a_day_ahead_is_reported_and_the_watermark_stays_at_the_local_clock() {
    let mut fake = FakeOkta::new(50, 2);
    let wall = fake.epoch_offset_ms;
    fake.epoch_offset_ms += DAY_MS; // the server (or a proxy) says "tomorrow"
    let mut m = SyncMachine::new(config());
    m.observe_wall_clock(wall);
    let r = run(&mut m, &mut fake, 1_000, None);
    let summary = &ok(&r).summary;
    assert_eq!(summary.watermark_ms, Some(wall), "the earlier clock wins");
    let skew = summary.progress.clock_skew_ms.expect("a day of skew is reported");
    assert!((skew - DAY_MS as i64).abs() < 5_000, "{skew}");
    // The summary's JSON carries it (the CLI prints it; progress events carry the same field).
    assert!(serde_json::to_string(summary).unwrap().contains("\"clockSkewMs\":"));
}

#[test]
fn a_small_skew_is_not_reported_and_the_watermark_is_the_earlier_clock() {
    let mut fake = FakeOkta::new(50, 2);
    let wall = fake.epoch_offset_ms + 60_000; // the local clock a minute ahead: within the tolerance
    let mut m = SyncMachine::new(config());
    m.observe_wall_clock(wall);
    let r = run(&mut m, &mut fake, 1_000, None);
    let summary = &ok(&r).summary;
    assert_eq!(summary.progress.clock_skew_ms, None);
    assert!(summary.watermark_ms.is_some_and(|w| w < wall), "the server's (earlier) Date");
}

#[test]
fn an_incremental_since_in_the_future_of_the_local_clock_is_refused_before_any_request() {
    let mut fake = FakeOkta::new(50, 2);
    let wall = fake.epoch_offset_ms;
    let mut cfg = config();
    cfg.incremental = Some(IncrementalConfig::since(wall + DAY_MS));
    let mut m = SyncMachine::new(cfg);
    m.observe_wall_clock(wall);
    let r = run(&mut m, &mut fake, 1_000, None);
    match &r.outcome {
        Err(e) => assert_eq!(e.code(), "WATERMARK_IN_FUTURE"),
        Ok(_) => panic!("a watermark a day ahead was accepted"),
    }
    assert!(fake.requests.is_empty(), "{:?}", fake.requests);
}

#[test]
fn an_incremental_since_in_the_future_of_the_servers_date_is_refused_at_the_first_response() {
    let mut fake = FakeOkta::new(50, 2);
    let mut cfg = config();
    cfg.incremental = Some(IncrementalConfig::since(fake.epoch_offset_ms + DAY_MS));
    // No wall clock reported (a bare machine): the server's Date is the only clock.
    let r = run(&mut SyncMachine::new(cfg), &mut fake, 1_000, None);
    assert_eq!(r.outcome.as_ref().err().map(|e| e.code()), Some("WATERMARK_IN_FUTURE"));

    // Within the tolerance (a minute ahead) it runs.
    let mut fake = fake_with(vec![], vec![]);
    let mut cfg = config();
    cfg.incremental = Some(IncrementalConfig::since(fake.epoch_offset_ms + 60_000));
    let mut m = SyncMachine::new(cfg);
    m.observe_wall_clock(fake.epoch_offset_ms);
    ok(&run(&mut m, &mut fake, 1_000, None));
}
