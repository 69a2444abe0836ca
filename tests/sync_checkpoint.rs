//! Checkpoint/resume: interrupted after any page, a resumed sync yields the identical directory and
//! never refetches a completed page; foreign or tampered checkpoints are refused.

mod common;

use common::*;
use okta_directory::sync::{OrgUrl, OrgUrlPolicy, SyncConfig, SyncMachine};

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
fn checkpoint_numbers_survive_javascript_json() {
    let mut fake = FakeOkta::new(300, 2);
    fake.page_cap = 50;
    let first = run(&mut SyncMachine::new(config()), &mut fake, 0, Some(4));
    let cp = first.checkpoints.last().expect("a checkpoint");
    // JSON.parse keeps integers exactly only up to 2^53.
    let all = [&cp.users, &cp.groups].into_iter().chain(&cp.members);
    assert!(all.flat_map(|s| s.seen.iter()).all(|h| *h < (1u64 << 53)));
}
