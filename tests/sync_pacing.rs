//! Steady-state pacing: a 10k-user sync against a simulated Okta that enforces Okta's per-bucket
//! limits (users 600/min and groups 500/min with a 50 % app share) must meet no 429 at all and take
//! no more than 10 % longer than the floor the limits imply.
//!
//! Floor: a bucket with limit L per 60 s window needs `requests / L` windows at its sustained rate;
//! the users and groups buckets are independent and the machine lists them side by side, so the
//! floor is the larger of the two.

mod common;

use common::{run, FakeOkta, ORIGIN};
use okta_directory::sync::{Bucket, OrgUrl, OrgUrlPolicy, SyncConfig, SyncMachine, WaitReason};

#[test]
fn ten_thousand_users_with_no_429_within_ten_percent_of_the_floor() {
    // Server clocks at different sub-second phases relative to the local clock, and different latencies
    // (all low enough that the sequential users listing is rate-bound: 500 pages × 200 ms < 100 s).
    for (epoch_offset_ms, latency_ms) in [(1_715_681_730_437, 120), (1_715_681_730_999, 40), (1_715_681_730_000, 200)] {
        pace(epoch_offset_ms, latency_ms);
    }
}

#[allow(clippy::print_stdout)] // the measured ratio is the evidence this test exists for
fn pace(epoch_offset_ms: u64, latency_ms: u64) {
    let mut fake = FakeOkta::new(10_000, 20);
    // Small pages so the limits, not the latency, decide the run time (500 users pages, ~570 group pages).
    fake.page_cap = 20;
    fake.latency_ms = latency_ms;
    fake.epoch_offset_ms = epoch_offset_ms;
    fake.limits.insert(Bucket::UsersList, 300); // 600/min × 50 % share
    fake.limits.insert(Bucket::GroupsList, 250); // 500/min × 50 % share
    let org = OrgUrl::parse(ORIGIN, OrgUrlPolicy::default()).expect("valid org");
    let mut machine = SyncMachine::new(SyncConfig::new(org));
    let start = 7_000;
    let r = run(&mut machine, &mut fake, start, None);
    let result = r.outcome.as_ref().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(result.users.len(), 10_000);
    let (_, _, memberships) = fake.truth();
    assert_eq!(result.memberships.len(), memberships.len());

    assert_eq!(fake.count_429, 0, "rate-limit 429s");
    assert_eq!(fake.count_concurrency_429, 0, "concurrency 429s");
    assert_eq!(result.summary.progress.retries, 0);
    assert!(r.waits.iter().all(|(_, w)| matches!(w, WaitReason::Pacing(_))));

    let users_requests = fake.requests.iter().filter(|u| u.contains("/api/v1/users")).count() as f64;
    let group_requests = fake.requests.iter().filter(|u| u.contains("/api/v1/groups")).count() as f64;
    let floor_ms = (users_requests / 300.0).max(group_requests / 250.0) * 60_000.0;
    let wall_ms = (r.end_ms - start) as f64;
    let ratio = wall_ms / floor_ms;
    println!(
        "pacing (latency {latency_ms} ms): {users_requests} users + {group_requests} groups requests, wall {:.1} s, floor {:.1} s, ratio {ratio:.3}",
        wall_ms / 1000.0,
        floor_ms / 1000.0
    );
    assert!(ratio <= 1.10, "ratio {ratio:.3}");
}
