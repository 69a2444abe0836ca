//! Okta rate limits: which bucket a request counts against, per-bucket pacing from
//! `X-Rate-Limit-*` headers so a steady-state sync meets no 429, and the waits after a 429, a
//! 5xx or a network failure. Time is always an input (`now` in milliseconds of any monotonic clock);
//! the server's `Date` header converts the server's epoch-second `Reset` into that clock, so local
//! clock skew never matters.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::sync::bucket::Bucket;
use crate::sync::http::{Headers, Method};
use crate::sync::httpdate::parse_http_date;

/// Maps a method and a URL path (query ignored) to its Okta bucket.
pub fn bucket_for(method: Method, path: &str) -> Bucket {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_suffix('/').unwrap_or(path);
    if path.starts_with("/oauth2/v1/") {
        return Bucket::OAuthToken;
    }
    let Some(rest) = path.strip_prefix("/api/v1/") else { return Bucket::General };
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        ["users"] => Bucket::UsersList,
        ["users", id] if !id.is_empty() && method == Method::Get => Bucket::UserById,
        ["users", _, ..] => Bucket::UsersList,
        ["groups"] => Bucket::GroupsList,
        ["groups", id] if !id.is_empty() => Bucket::GroupById,
        ["groups", _, ..] => Bucket::GroupsList,
        ["logs", ..] => Bucket::Logs,
        _ => Bucket::General,
    }
}

/// Tuning of pacing and retries. Defaults follow Okta's guidance; every field is in milliseconds or counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RateConfig {
    /// Share of each bucket's limit left unused for other callers of the same app, in percent (≥ 1 request).
    pub reserve_percent: u32,
    /// Extra wait after a window's reset before spending the new window.
    pub reset_margin_ms: u64,
    /// Longest wait after a normal 429.
    pub max_rate_limit_wait_ms: u64,
    /// Shortest wait after a concurrency 429 (`Limit` and `Remaining` both 0).
    pub concurrency_backoff_min_ms: u64,
    /// Longest wait after a concurrency 429.
    pub concurrency_backoff_max_ms: u64,
    /// First backoff after a 5xx or a network failure; doubles per attempt.
    pub backoff_base_ms: u64,
    /// Cap of that exponential backoff.
    pub backoff_cap_ms: u64,
    /// Retries of one request before a typed error.
    pub max_retries: u32,
    /// Seed of the jitter generator (deterministic: same seed, same waits).
    pub jitter_seed: u64,
    /// Longest single wait (pacing, 429, `Retry-After`) the sync accepts; a longer one fails the sync with
    /// `RATE_LIMIT_WAIT_TOO_LONG`. Pacing spreads a bucket's budget over at most this long.
    pub max_wait_ms: u64,
}

/// Default of [`RateConfig::max_wait_ms`]: 5 minutes.
pub const DEFAULT_MAX_WAIT_MS: u64 = 300_000;

impl Default for RateConfig {
    fn default() -> RateConfig {
        RateConfig {
            reserve_percent: 5,
            reset_margin_ms: 250,
            max_rate_limit_wait_ms: 65_000,
            concurrency_backoff_min_ms: 1_000,
            concurrency_backoff_max_ms: 5_000,
            backoff_base_ms: 1_000,
            backoff_cap_ms: 30_000,
            max_retries: 4,
            jitter_seed: 0x5eed,
            max_wait_ms: DEFAULT_MAX_WAIT_MS,
        }
    }
}

/// What the last response said about a bucket, in local milliseconds.
#[derive(Debug, Clone, Default)]
struct BucketState {
    limit: u64,
    remaining: u64,
    /// Local time at which the window resets; 0 when unknown.
    reset_at: u64,
    in_flight: u64,
    last_send: Option<u64>,
}

/// How a retryable failure should be waited out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryWait {
    /// A normal 429: wait for the window to reset.
    RateLimited(u64),
    /// A concurrency 429: a short jittered backoff.
    Concurrency(u64),
    /// A 5xx or network failure: exponential backoff.
    Backoff(u64),
    /// The server asks for a wait beyond [`RateConfig::max_wait_ms`] (ms asked for, the server's reset in
    /// epoch seconds when known): the sync must stop.
    TooLong(u64, Option<u64>),
}

impl RetryWait {
    /// The wait in milliseconds.
    pub fn ms(&self) -> u64 {
        match self {
            RetryWait::RateLimited(ms) | RetryWait::Concurrency(ms) | RetryWait::Backoff(ms) => *ms,
            RetryWait::TooLong(ms, _) => *ms,
        }
    }
}

/// Per-bucket pacing and retry waits.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    config: RateConfig,
    buckets: BTreeMap<Bucket, BucketState>,
    /// Server epoch milliseconds minus local milliseconds, from the `Date` headers (a lower bound).
    server_offset: Option<i128>,
    rng: u64,
}

/// The smallest of a header's comma-separated integers (`fetch` joins duplicated headers as `"a, b"`).
pub fn header_min(headers: &Headers, name: &str) -> Option<u64> {
    headers.get(name)?.split(',').filter_map(|v| v.trim().parse::<u64>().ok()).min()
}

impl RateLimiter {
    /// A limiter that knows nothing yet about any bucket.
    pub fn new(config: RateConfig) -> RateLimiter {
        let rng = config.jitter_seed;
        RateLimiter { config, buckets: BTreeMap::new(), server_offset: None, rng }
    }

    /// The configuration in use.
    pub fn config(&self) -> &RateConfig {
        &self.config
    }

    /// How long to wait before sending one more request on `bucket` so that the remaining budget is
    /// spread evenly until the reset, keeping the reserve; 0 when it may go now, `u64::MAX` when it must wait
    /// for an in-flight request on the bucket to report the new window.
    pub fn wait_before(&self, bucket: Bucket, now: u64) -> u64 {
        let Some(s) = self.buckets.get(&bucket) else { return 0 };
        if s.reset_at == 0 {
            return 0; // no rate-limit headers seen on this bucket yet: only the concurrency cap applies
        }
        let window_end = s.reset_at.saturating_add(self.config.reset_margin_ms);
        if now >= window_end {
            // A new window: its budget is unknown until a response reports it, so one request at a
            // time probes it; the others wait for that response (`u64::MAX`: no timer, a response will come).
            return if s.in_flight == 0 { 0 } else { u64::MAX };
        }
        let reserve = s.limit.saturating_mul(u64::from(self.config.reserve_percent)).div_ceil(100).max(1);
        let available = s.remaining.saturating_sub(s.in_flight).saturating_sub(reserve);
        if available == 0 {
            return window_end - now;
        }
        // A window that resets far ahead (a skewed or odd server) is spread over at most the wait cap, so no
        // single pacing wait exceeds it; once the budget is spent, the wait to the reset is checked against the cap.
        let horizon = window_end.min(now.saturating_add(self.config.max_wait_ms));
        let gap = horizon.saturating_sub(now) / available;
        match s.last_send {
            Some(t) if now < t.saturating_add(gap) => t.saturating_add(gap) - now,
            _ => 0,
        }
    }

    /// Records that a request on `bucket` was handed to the driver at `now`.
    pub fn on_send(&mut self, bucket: Bucket, now: u64) {
        let s = self.buckets.entry(bucket).or_default();
        s.in_flight += 1;
        s.last_send = Some(now);
    }

    /// Records a network failure (no response) for a request on `bucket`.
    pub fn on_network_error(&mut self, bucket: Bucket) {
        let s = self.buckets.entry(bucket).or_default();
        s.in_flight = s.in_flight.saturating_sub(1);
    }

    /// Records a response's rate-limit headers (and its `Date`) for `bucket`.
    pub fn on_response(&mut self, bucket: Bucket, headers: &Headers, now: u64) {
        if let Some(date) = headers.get("date").and_then(|d| parse_http_date(&d)) {
            // `Date` is truncated to the second and read after some latency, so every sample
            // underestimates the true offset (which makes reset estimates late, never early); the
            // largest recent sample is the tightest. A sample far below means the server clock moved.
            let sample = i128::from(date) * 1000 - i128::from(now);
            self.server_offset = match self.server_offset {
                Some(best) if sample <= best && best - sample < 5_000 => Some(best),
                _ => Some(sample),
            };
        }
        let limit = header_min(headers, "x-rate-limit-limit");
        let remaining = header_min(headers, "x-rate-limit-remaining");
        let reset_at = header_min(headers, "x-rate-limit-reset").and_then(|r| self.local_time_of(r));
        let s = self.buckets.entry(bucket).or_default();
        s.in_flight = s.in_flight.saturating_sub(1);
        let (Some(limit), Some(remaining), Some(reset_at)) = (limit, remaining, reset_at) else { return };
        if limit == 0 {
            return; // a concurrency 429: these numbers do not describe the bucket
        }
        // Responses can arrive out of order: one from an earlier window says nothing about the current
        // one, and within one window the lowest remaining count is the truth.
        if s.reset_at != 0 && reset_at.saturating_add(1000) <= s.reset_at {
            return;
        }
        let same_window = s.reset_at != 0 && reset_at.abs_diff(s.reset_at) < 1000;
        s.remaining = if same_window { s.remaining.min(remaining) } else { remaining };
        s.limit = limit;
        s.reset_at = if same_window { s.reset_at.max(reset_at) } else { reset_at };
    }

    /// The wait before retrying after a 429 on `bucket`, given that response's headers (already passed to
    /// [`RateLimiter::on_response`]).
    pub fn after_429(&mut self, headers: &Headers, now: u64) -> RetryWait {
        let limit = header_min(headers, "x-rate-limit-limit");
        let remaining = header_min(headers, "x-rate-limit-remaining");
        if limit == Some(0) && remaining == Some(0) {
            // Concurrency 429: its Reset is a poor estimate (minutes); a short jittered pause suffices.
            let (lo, hi) = (self.config.concurrency_backoff_min_ms, self.config.concurrency_backoff_max_ms);
            return RetryWait::Concurrency(lo.saturating_add(self.jitter(hi.saturating_sub(lo))));
        }
        let cap = self.config.max_rate_limit_wait_ms;
        let reset = header_min(headers, "x-rate-limit-reset");
        let base = match reset.and_then(|r| self.local_time_of(r)) {
            // reset − serverDate + 1 s, in local time.
            Some(reset_at) => reset_at.saturating_sub(now).saturating_add(1000).max(1000),
            // No usable Reset or no server date ever seen: assume a whole window.
            None => 61_000,
        };
        let asked = base.max(self.retry_after(headers, now).unwrap_or(0));
        if asked > self.config.max_wait_ms {
            return RetryWait::TooLong(asked, reset);
        }
        // A `Retry-After` is honoured in full; a reset is waited for at most `cap` (the pacing takes over then).
        let floor = self.retry_after(headers, now).unwrap_or(0);
        RetryWait::RateLimited(base.min(cap).max(floor).saturating_add(self.jitter(1000)))
    }

    /// The wait before retrying a 5xx answer: the exponential backoff, or the server's `Retry-After` when
    /// longer (a `Retry-After` beyond the wait cap is [`RetryWait::TooLong`]).
    pub fn after_server_error(&mut self, headers: &Headers, attempt: u32, now: u64) -> RetryWait {
        let backoff = self.backoff(attempt).ms();
        match self.retry_after(headers, now) {
            Some(ms) if ms > self.config.max_wait_ms => {
                let reset = self.server_offset.map(|o| u64::try_from((i128::from(now + ms) + o) / 1000).unwrap_or(0));
                RetryWait::TooLong(ms, reset)
            }
            Some(ms) => RetryWait::Backoff(backoff.max(ms)),
            None => RetryWait::Backoff(backoff),
        }
    }

    /// A `Retry-After` header in ms from `now`: delta-seconds, or an HTTP date read on the server's clock.
    pub fn retry_after(&self, headers: &Headers, now: u64) -> Option<u64> {
        let value = headers.get("retry-after")?;
        let value = value.split(',').next()?.trim();
        if let Ok(secs) = value.parse::<u64>() {
            return Some(secs.saturating_mul(1000));
        }
        let at = parse_http_date(value)?;
        Some(self.local_time_of(at)?.saturating_sub(now))
    }

    /// The server's reset time of `bucket` (epoch seconds), when its window is known.
    pub fn server_reset_of(&self, bucket: Bucket) -> Option<u64> {
        let s = self.buckets.get(&bucket).filter(|s| s.reset_at != 0)?;
        let server = i128::from(s.reset_at) + self.server_offset?;
        u64::try_from(server / 1000).ok()
    }

    /// Capped exponential backoff with jitter for retry number `attempt` (1-based) after a 5xx or network failure.
    pub fn backoff(&mut self, attempt: u32) -> RetryWait {
        let exp = self.config.backoff_base_ms.saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
        let ms = exp.min(self.config.backoff_cap_ms);
        RetryWait::Backoff(ms / 2 + self.jitter(ms / 2))
    }

    /// Converts a server epoch-second instant to local milliseconds (None before any `Date` was seen).
    fn local_time_of(&self, epoch_secs: u64) -> Option<u64> {
        let local = i128::from(epoch_secs) * 1000 - self.server_offset?;
        u64::try_from(local.max(0)).ok()
    }

    /// A deterministic pseudo-random value in `0..=max` (SplitMix64 on the injected seed).
    fn jitter(&mut self, max: u64) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        match max.checked_add(1) {
            Some(m) => z % m,
            None => z,
        }
    }
}
