//! Clock sanity: the server's `Date` against the local wall clock.
//!
//! The watermark (the next incremental run's `since`) is the earlier of the server's `Date` on the run's first
//! response and the local wall clock when that request was about to be sent. Both bound the moment the listing
//! began from above once each clock is right; taking the earlier one can only make the next run re-read more
//! (its upserts and membership changes are idempotent), never skip a change. So a server `Date` far ahead
//! (a proxy, a wrong header) cannot push the watermark into the future, and a local clock far ahead cannot
//! either. A difference beyond the tolerance is reported in [`Progress::clock_skew_ms`] (and so in progress
//! events and the summary).
//!
//! An incremental run refuses a `since` that lies beyond the tolerance in the future of either clock:
//! `WATERMARK_IN_FUTURE`, before any request when the local clock says so, at the first response when the
//! server's does. Reading `lastUpdated ge <future>` would find nothing and move the watermark on, losing every
//! change in between; the caller runs a full sync instead.

use super::*;
use crate::sync::http::Headers;
use crate::sync::httpdate::parse_http_date;

/// Default tolerance between the server's and the local clock: 5 minutes.
pub const DEFAULT_CLOCK_TOLERANCE_MS: u64 = 5 * 60 * 1000;

/// The watermark and the skew to report (server − local, ms, only when beyond `tolerance_ms`) for a server
/// `Date` of `server_ms` and a local wall clock of `local_ms` (unknown: the server's time is taken as is).
pub fn clock_watermark(server_ms: u64, local_ms: Option<u64>, tolerance_ms: u64) -> (u64, Option<i64>) {
    let Some(local) = local_ms else { return (server_ms, None) };
    let skew = i128::from(server_ms) - i128::from(local);
    let reported =
        (skew.unsigned_abs() > u128::from(tolerance_ms)).then(|| skew.clamp(i64::MIN.into(), i64::MAX.into()) as i64);
    (server_ms.min(local), reported)
}

impl SyncMachine {
    /// The local wall clock (Unix ms): the session reports it at every poll. Without it the server's `Date` is
    /// taken as is and no stored watermark is checked against the local clock.
    pub fn observe_wall_clock(&mut self, unix_ms: u64) {
        self.wall_ms = Some(unix_ms);
    }

    /// Before any request: an incremental `since` beyond the tolerance ahead of the local clock is refused.
    pub(super) fn check_since_against_wall_clock(&mut self) {
        if let (Some(wall), Some(ahead)) = (self.wall_ms, self.since_ms()) {
            self.refuse_future_since(ahead, wall);
        }
    }

    /// The first response with a `Date` fixes the watermark (see the module docs) and checks `since` against it.
    pub(super) fn note_server_date(&mut self, headers: &Headers) {
        if self.progress.watermark_ms.is_some() {
            return;
        }
        let Some(server_ms) = headers.get("date").and_then(|d| parse_http_date(&d)).map(|s| s.saturating_mul(1000))
        else {
            return;
        };
        let (watermark, skew) = clock_watermark(server_ms, self.wall_ms, self.config.clock_tolerance_ms);
        self.progress.watermark_ms = Some(watermark);
        self.progress.clock_skew_ms = skew;
        if let Some(since) = self.since_ms() {
            self.refuse_future_since(since, server_ms);
        }
    }

    /// An incremental run's `since`.
    fn since_ms(&self) -> Option<u64> {
        (self.config.mode() == SyncMode::Incremental).then_some(self.config.incremental.map(|i| i.since_ms)).flatten()
    }

    fn refuse_future_since(&mut self, since: u64, clock_ms: u64) {
        let ahead = since.saturating_sub(clock_ms);
        if ahead > self.config.clock_tolerance_ms && self.failed.is_none() {
            self.failed = Some(Error::WatermarkInFuture { ahead_secs: ahead.div_ceil(1000) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earlier_clock_wins_and_a_large_skew_is_reported() {
        let tol = DEFAULT_CLOCK_TOLERANCE_MS;
        assert_eq!(clock_watermark(1_000_000, None, tol), (1_000_000, None));
        assert_eq!(clock_watermark(1_000_000, Some(999_000), tol), (999_000, None));
        let day = 86_400_000;
        assert_eq!(clock_watermark(10 * day + day, Some(10 * day), tol), (10 * day, Some(day as i64)));
        assert_eq!(clock_watermark(10 * day - day, Some(10 * day), tol), (9 * day, Some(-(day as i64))));
    }
}
