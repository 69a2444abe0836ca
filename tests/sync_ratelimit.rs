//! Rate-limit buckets, header handling and the pacing decision, on the limiter alone.

mod common;

use common::http_date;
use okta_directory::sync::ratelimit::{header_min, RetryWait};
use okta_directory::sync::{bucket_for, Bucket, Headers, Method, RateConfig, RateLimiter};

#[test]
fn bucket_mapping_table() {
    use Bucket::*;
    use Method::*;
    let cases = [
        (Get, "/api/v1/users", UsersList),
        (Get, "/api/v1/users?limit=200&filter=x", UsersList),
        (Get, "/api/v1/users/", UsersList),
        (Post, "/api/v1/users", UsersList),
        (Get, "/api/v1/users/00u1abc", UserById),
        (Get, "/api/v1/users/alice@example.com", UserById),
        (Post, "/api/v1/users/00u1abc", UsersList),
        (Get, "/api/v1/users/00u1abc/groups", UsersList),
        (Get, "/api/v1/users/00u1abc/appLinks", UsersList),
        (Get, "/api/v1/groups", GroupsList),
        (Get, "/api/v1/groups?limit=200&after=00g1", GroupsList),
        (Get, "/api/v1/groups/00g1/users", GroupsList),
        (Get, "/api/v1/groups/00g1/users?limit=200&after=00u9", GroupsList),
        (Get, "/api/v1/groups/00g1", GroupById),
        (Get, "/api/v1/logs", Logs),
        (Get, "/api/v1/logs?since=2024-01-01T00:00:00Z", Logs),
        (Post, "/oauth2/v1/token", OAuthToken),
        (Get, "/api/v1/meta/schemas/user/default", General),
        (Get, "/api/v1/apps", General),
        (Get, "/", General),
        (Get, "", General),
        (Get, "/api/v1", General),
    ];
    for (method, path, bucket) in cases {
        assert_eq!(bucket_for(method, path), bucket, "{} {path}", method.as_str());
    }
}

fn headers(pairs: &[(&str, &str)]) -> Headers {
    Headers::new(pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect())
}

#[test]
fn headers_are_case_insensitive_and_joined_like_fetch() {
    let h = headers(&[("X-Rate-Limit-Reset", "1609459261"), ("x-rate-limit-reset", "1609459260"), ("Link", "a")]);
    assert_eq!(h.get("X-RATE-LIMIT-RESET").as_deref(), Some("1609459261, 1609459260"));
    assert_eq!(header_min(&h, "x-rate-limit-reset"), Some(1_609_459_260));
    assert_eq!(
        header_min(&headers(&[("X-Rate-Limit-Reset", "1609459261, 1609459260")]), "x-rate-limit-reset"),
        Some(1_609_459_260)
    );
    assert_eq!(header_min(&headers(&[("X-Rate-Limit-Reset", "soon")]), "x-rate-limit-reset"), None);
    assert_eq!(h.get("missing"), None);
}

const SERVER_EPOCH: u64 = 1_715_681_730; // seconds at local time 0

fn observe(l: &mut RateLimiter, limit: u64, remaining: u64, reset_in_s: u64, now: u64) {
    let date = http_date(SERVER_EPOCH + now / 1000);
    let reset = (SERVER_EPOCH + now / 1000 + reset_in_s).to_string();
    let h = headers(&[
        ("Date", &date),
        ("X-Rate-Limit-Limit", &limit.to_string()),
        ("X-Rate-Limit-Remaining", &remaining.to_string()),
        ("X-Rate-Limit-Reset", &reset),
    ]);
    l.on_send(Bucket::UsersList, now);
    l.on_response(Bucket::UsersList, &h, now);
}

#[test]
fn unknown_buckets_are_not_paced() {
    let l = RateLimiter::new(RateConfig::default());
    assert_eq!(l.wait_before(Bucket::UsersList, 0), 0);
}

#[test]
fn remaining_budget_is_spread_until_the_reset() {
    let cfg = RateConfig { reset_margin_ms: 0, ..RateConfig::default() };
    let mut l = RateLimiter::new(cfg);
    // 100 limit, 65 remaining, reset in 60 s: reserve 5 → 60 usable → one every second.
    observe(&mut l, 100, 65, 60, 0);
    assert_eq!(l.wait_before(Bucket::UsersList, 0), 1_000);
    // The gap is recomputed from what is left: (60 000 − 400) / 60 = 993 after the last send.
    assert_eq!(l.wait_before(Bucket::UsersList, 400), 593);
    assert_eq!(l.wait_before(Bucket::UsersList, 1_000), 0);
    // Other buckets are independent.
    assert_eq!(l.wait_before(Bucket::GroupsList, 0), 0);
}

#[test]
fn exhausted_budget_waits_for_the_reset_plus_margin() {
    let mut l = RateLimiter::new(RateConfig::default());
    observe(&mut l, 100, 5, 30, 10_000); // remaining equals the reserve
    assert_eq!(l.wait_before(Bucket::UsersList, 10_000), 30_000 + 250);
    // After the reset one request probes the new window; others wait for its response.
    assert_eq!(l.wait_before(Bucket::UsersList, 40_250), 0);
    l.on_send(Bucket::UsersList, 40_250);
    assert_eq!(l.wait_before(Bucket::UsersList, 40_260), u64::MAX);
}

#[test]
fn out_of_order_responses_keep_the_lowest_remaining_of_a_window() {
    let cfg = RateConfig { reset_margin_ms: 0, ..RateConfig::default() };
    let mut l = RateLimiter::new(cfg);
    observe(&mut l, 100, 10, 60, 0);
    observe(&mut l, 100, 50, 60, 0); // a stale response arriving late
                                     // 10 − 5 reserve = 5 over 60 s → 12 s gap.
    assert_eq!(l.wait_before(Bucket::UsersList, 0), 12_000);
    // A late response from the previous window (reset 50 s earlier) is ignored.
    let date = http_date(SERVER_EPOCH);
    let stale = headers(&[
        ("Date", &date),
        ("X-Rate-Limit-Limit", "100"),
        ("X-Rate-Limit-Remaining", "99"),
        ("X-Rate-Limit-Reset", &(SERVER_EPOCH + 10).to_string()),
    ]);
    l.on_send(Bucket::UsersList, 0);
    l.on_response(Bucket::UsersList, &stale, 0);
    assert_eq!(l.wait_before(Bucket::UsersList, 0), 12_000);
}

#[test]
fn waits_after_429() {
    let mut l = RateLimiter::new(RateConfig::default());
    let date = http_date(SERVER_EPOCH);
    let h = headers(&[
        ("Date", &date),
        ("X-Rate-Limit-Limit", "600"),
        ("X-Rate-Limit-Remaining", "0"),
        ("X-Rate-Limit-Reset", &(SERVER_EPOCH + 20).to_string()),
    ]);
    l.on_response(Bucket::UsersList, &h, 0);
    match l.after_429(&h, 0) {
        RetryWait::RateLimited(ms) => assert!((21_000..=22_000).contains(&ms), "{ms}"),
        other => panic!("{other:?}"),
    }
    // A reset further than a window is waited for at most 65 s (pacing takes over after that) …
    let later = headers(&[
        ("Date", &date),
        ("X-Rate-Limit-Limit", "600"),
        ("X-Rate-Limit-Remaining", "0"),
        ("X-Rate-Limit-Reset", &(SERVER_EPOCH + 200).to_string()),
    ]);
    assert!(matches!(l.after_429(&later, 0), RetryWait::RateLimited(ms) if ms <= 66_000));
    // … and one beyond the wait cap (300 s by default) is not waited for at all: the sync must stop.
    let far = headers(&[
        ("Date", &date),
        ("X-Rate-Limit-Limit", "600"),
        ("X-Rate-Limit-Remaining", "0"),
        ("X-Rate-Limit-Reset", &(SERVER_EPOCH + 3_600).to_string()),
    ]);
    assert_eq!(l.after_429(&far, 0), RetryWait::TooLong(3_601_000, Some(SERVER_EPOCH + 3_600)));
    // A reset in the past still waits at least a second.
    let past = headers(&[
        ("Date", &date),
        ("X-Rate-Limit-Limit", "600"),
        ("X-Rate-Limit-Remaining", "0"),
        ("X-Rate-Limit-Reset", "5"),
    ]);
    assert!((1_000..=2_000).contains(&l.after_429(&past, 0).ms()));
    let conc =
        headers(&[("X-Rate-Limit-Limit", "0"), ("X-Rate-Limit-Remaining", "0"), ("X-Rate-Limit-Reset", "99999999999")]);
    assert!(matches!(l.after_429(&conc, 0), RetryWait::Concurrency(ms) if (1_000..=5_000).contains(&ms)));
}

#[test]
fn backoff_is_exponential_capped_and_deterministic() {
    let mut a = RateLimiter::new(RateConfig::default());
    let mut b = RateLimiter::new(RateConfig::default());
    for attempt in 1..=10u32 {
        let cap = (1_000u64 << (attempt - 1)).min(30_000);
        let (x, y) = (a.backoff(attempt).ms(), b.backoff(attempt).ms());
        assert_eq!(x, y, "same seed, same jitter");
        assert!((cap / 2..=cap).contains(&x), "attempt {attempt}: {x}");
    }
    let mut c = RateLimiter::new(RateConfig { jitter_seed: 7, ..RateConfig::default() });
    let differs = (1..=10).any(|n| c.backoff(n).ms() != RateLimiter::new(RateConfig::default()).backoff(n).ms());
    assert!(differs, "another seed gives other jitter");
    assert!(RateLimiter::new(RateConfig::default()).backoff(u32::MAX).ms() <= 30_000);
}
