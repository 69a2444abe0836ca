//! Group-scoped sync and the Workforce group, against the simulated Okta: only the chosen groups, their
//! members (taken from the member listings, DEPROVISIONED included) and those memberships.

mod common;

use std::collections::BTreeSet;

use common::*;
use okta_directory::sync::{SyncMachine, SyncMode};

fn scoped(fake: &mut FakeOkta, groups: &[&str], workforce: Option<&str>) -> Run {
    let mut cfg = config();
    cfg.groups = Some(groups.iter().map(|g| (*g).to_string()).collect());
    cfg.workforce_group = workforce.map(str::to_string);
    cfg.page_limit = 50;
    run(&mut SyncMachine::new(cfg), fake, 1_000, None)
}

/// The expected (users, memberships) of a scope, from the fake's ground truth.
fn expected(fake: &FakeOkta, groups: &[&str]) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
    let (_, _, memberships) = fake.truth();
    let ms: BTreeSet<(String, String)> =
        memberships.into_iter().filter(|(g, _)| groups.contains(&g.as_str())).collect();
    (ms.iter().map(|(_, u)| u.clone()).collect(), ms)
}

#[test]
fn only_the_chosen_groups_and_their_members_are_synced() {
    let mut fake = FakeOkta::new(1_000, 6);
    let chosen = ["00g000002", "00g000005"];
    let r = scoped(&mut fake, &chosen, None);
    let result = ok(&r);
    let (users, memberships) = expected(&fake, &chosen);
    let got_users: BTreeSet<String> = result.users.iter().filter_map(|u| u.user.id.clone()).collect();
    let got_ms: BTreeSet<(String, String)> =
        result.memberships.iter().map(|m| (m.group_id.clone(), m.user_id.clone())).collect();
    assert_eq!(got_users, users);
    assert_eq!(got_ms, memberships);
    assert_eq!(result.groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), chosen);
    assert_eq!(result.summary.mode, SyncMode::Groups);
    assert_eq!(result.summary.users, users.len() as u64);
    // Members include DEPROVISIONED users, with their status.
    assert!(result.users.iter().any(|u| u.user.status.map(|s| s.as_okta()) == Some("DEPROVISIONED")));
    // No users listing and no other group's members were read.
    assert!(!fake.requests.iter().any(|u| u.contains("/api/v1/users?")));
    let member_urls: Vec<&String> =
        fake.requests.iter().filter(|u| u.contains("/users?") && u.contains("/groups/")).collect();
    assert!(member_urls.iter().all(|u| chosen.iter().any(|g| u.contains(g))), "{member_urls:?}");
    // 1000/6 ≈ 167 members per group at 50 per page: several pages each.
    assert!(member_urls.len() >= 8, "{}", member_urls.len());
}

#[test]
fn a_user_in_several_chosen_groups_is_kept_once() {
    let mut fake = FakeOkta::new(700, 3);
    // Group 0 holds every 7th user too, so users 7, 14, … are also in groups 1 and 2.
    let chosen = ["00g000000", "00g000001"];
    let r = scoped(&mut fake, &chosen, None);
    let result = ok(&r);
    let ids: Vec<String> = result.users.iter().filter_map(|u| u.user.id.clone()).collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
    assert_eq!(unique.len(), expected(&fake, &chosen).0.len());
}

#[test]
fn the_workforce_group_is_synced_with_the_scope_and_recorded() {
    let mut fake = FakeOkta::new(400, 4);
    let r = scoped(&mut fake, &["00g000001"], Some("00g000003"));
    let result = ok(&r);
    assert_eq!(result.workforce_group_id.as_deref(), Some("00g000003"));
    let groups: Vec<&str> = result.groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(groups, ["00g000001", "00g000003"]);
    let (users, memberships) = expected(&fake, &["00g000001", "00g000003"]);
    assert_eq!(result.users.len(), users.len());
    assert_eq!(result.memberships.len(), memberships.len());

    // In a full sync the Workforce group is only recorded (every group is synced anyway).
    let mut fake = FakeOkta::new(100, 4);
    let mut cfg = config();
    cfg.workforce_group = Some("00g000002".into());
    let r = run(&mut SyncMachine::new(cfg), &mut fake, 0, None);
    assert_eq!(ok(&r).workforce_group_id.as_deref(), Some("00g000002"));
    assert_matches_truth(ok(&r), &fake);
}

#[test]
fn an_unknown_group_is_group_not_found() {
    let mut fake = FakeOkta::new(100, 3);
    let r = scoped(&mut fake, &["00g000001", "00g999999"], None);
    assert_eq!(err(&r).code(), "GROUP_NOT_FOUND");

    let mut fake = FakeOkta::new(100, 3);
    let mut cfg = config();
    cfg.workforce_group = Some("00gnothere".into());
    let r = run(&mut SyncMachine::new(cfg), &mut fake, 0, None);
    assert_eq!(err(&r).code(), "GROUP_NOT_FOUND");
}

#[test]
fn a_group_scoped_sync_resumes_from_its_checkpoint() {
    let chosen = ["00g000001", "00g000002"];
    let mut fake = FakeOkta::new(900, 4);
    let mut cfg = config();
    cfg.groups = Some(chosen.iter().map(|g| (*g).to_string()).collect());
    cfg.page_limit = 40;
    cfg.max_in_flight = 1;
    let first = run(&mut SyncMachine::new(cfg.clone()), &mut fake, 0, Some(6));
    let checkpoint = first.checkpoints.last().expect("a checkpoint").clone();
    let text = serde_json::to_string(&checkpoint).expect("serialize");
    let restored = serde_json::from_str(&text).expect("parse");
    let mut machine = SyncMachine::resume(cfg, restored).expect("resume");
    let before = fake.requests.len();
    let r = run(&mut machine, &mut fake, 100_000, None);
    let result = ok(&r);
    let (users, memberships) = expected(&fake, &chosen);
    assert_eq!(result.users.len(), users.len());
    assert_eq!(result.memberships.len(), memberships.len());
    // Completed pages are not fetched again.
    let again: BTreeSet<&String> = fake.requests[before..].iter().collect();
    assert!(first.completed.iter().all(|u| !again.contains(u)));
}
