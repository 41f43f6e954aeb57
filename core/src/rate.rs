//! A per-minute rate limiter whose state the host stores between calls.
//!
//! Limits mirror what integrators report for Hacienda's sandbox: 300 requests a minute overall,
//! 100 POSTs, 100 GETs, 10 token requests, and a stop of every request once 5 authentication
//! failures happened within a minute. Windows slide: at any instant, the requests admitted in
//! the 60 seconds before it (that instant included) never exceed a limit.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use hacienda_core::rate::{RateLimits, RateState, RequestKind};
//!
//! let limits = RateLimits { tokens_per_minute: 2, ..RateLimits::default() };
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
//! let mut state = RateState::default();
//! let d = limits.admit(&mut state, RequestKind::Token, now, 3).unwrap();
//! assert_eq!((d.admitted, d.limited_by), (2, Some("token")));
//! assert_eq!(d.retry_at, Some(now + TimeDelta::seconds(60)));
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The window length.
pub const WINDOW_MS: i64 = 60_000;

/// Which per-minute limit a request counts against (every request also counts overall).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// `POST /recepcion` (submission, receiver message).
    Post,
    /// `GET /recepcion/{clave}` and listings.
    Get,
    /// A token request to the IdP.
    Token,
}

impl RequestKind {
    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestKind::Post => "post",
            RequestKind::Get => "get",
            RequestKind::Token => "token",
        }
    }

    /// Parses a snake_case name.
    pub fn parse(name: &str) -> Option<Self> {
        [RequestKind::Post, RequestKind::Get, RequestKind::Token]
            .into_iter()
            .find(|k| k.as_str() == name.trim())
    }
}

/// Per-minute limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimits {
    /// Every request (300).
    pub requests_per_minute: u32,
    /// POSTs (100).
    pub posts_per_minute: u32,
    /// GETs (100).
    pub gets_per_minute: u32,
    /// Token requests (10).
    pub tokens_per_minute: u32,
    /// Authentication failures that stop every request for the rest of their minute (5).
    pub auth_failures_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            requests_per_minute: 300,
            posts_per_minute: 100,
            gets_per_minute: 100,
            tokens_per_minute: 10,
            auth_failures_per_minute: 5,
        }
    }
}

/// Instants (milliseconds since the Unix epoch) of the events inside the last window, per
/// limit. The host stores it as JSON between calls; only the newest `limit` events of each list
/// are kept, so it stays small.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RateState {
    /// Every admitted request.
    pub requests: Vec<i64>,
    /// Admitted POSTs.
    pub post: Vec<i64>,
    /// Admitted GETs.
    pub get: Vec<i64>,
    /// Admitted token requests.
    pub token: Vec<i64>,
    /// Authentication failures.
    pub auth_failures: Vec<i64>,
}

/// The answer to an admission request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateDecision {
    /// How many requests were asked for.
    pub requested: u32,
    /// How many may go now (recorded in the state).
    pub admitted: u32,
    /// Which limit held the rest back: `requests`, `post`, `get`, `token` or `auth_failures`.
    pub limited_by: Option<&'static str>,
    /// When one more request would be admitted, when something was held back.
    pub retry_at: Option<DateTime<Utc>>,
}

impl RateDecision {
    /// Every requested one was admitted (and no auth stop is in force).
    pub fn allowed(&self) -> bool {
        self.limited_by.is_none()
    }
}

/// Keeps the events of the window ending at `now`, sorted, at most `keep` of them.
fn prune(events: &mut Vec<i64>, now_ms: i64, keep: usize) {
    events.retain(|t| *t > now_ms - WINDOW_MS);
    events.sort_unstable();
    if events.len() > keep {
        events.drain(..events.len() - keep);
    }
}

/// Room left for more events at `now_ms` and the earliest instant `n` more would fit.
fn room(events: &[i64], limit: u32, n: u32, now_ms: i64) -> (u32, i64) {
    let len = events.len();
    let limit = limit as usize;
    let free = limit.saturating_sub(len) as u32;
    // `n` more fit at T when the events at or after index len + n - limit are all after T - 60 s.
    let needed = (len + n as usize).saturating_sub(limit);
    let at = if needed == 0 {
        now_ms
    } else {
        events.get(needed - 1).map_or(i64::MAX, |t| (t + WINDOW_MS).max(now_ms))
    };
    (free, at)
}

fn ms_to_time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl RateLimits {
    /// Checks that every limit is at least 1.
    pub fn validate(&self) -> Result<()> {
        for (field, v) in [
            ("requests_per_minute", self.requests_per_minute),
            ("posts_per_minute", self.posts_per_minute),
            ("gets_per_minute", self.gets_per_minute),
            ("tokens_per_minute", self.tokens_per_minute),
            ("auth_failures_per_minute", self.auth_failures_per_minute),
        ] {
            if v == 0 || v > 1_000_000 {
                return Err(Error::InvalidSetting {
                    field: field.into(),
                    reason: format!("rate limit must be between 1 and 1000000 a minute, not {v}"),
                });
            }
        }
        Ok(())
    }

    fn events<'s>(&self, state: &'s RateState, kind: RequestKind) -> &'s [i64] {
        match kind {
            RequestKind::Post => &state.post,
            RequestKind::Get => &state.get,
            RequestKind::Token => &state.token,
        }
    }

    fn kind_limit(&self, kind: RequestKind) -> u32 {
        match kind {
            RequestKind::Post => self.posts_per_minute,
            RequestKind::Get => self.gets_per_minute,
            RequestKind::Token => self.tokens_per_minute,
        }
    }

    fn normalize(&self, state: &mut RateState, now_ms: i64) {
        prune(&mut state.requests, now_ms, self.requests_per_minute as usize);
        prune(&mut state.post, now_ms, self.posts_per_minute as usize);
        prune(&mut state.get, now_ms, self.gets_per_minute as usize);
        prune(&mut state.token, now_ms, self.tokens_per_minute as usize);
        prune(&mut state.auth_failures, now_ms, self.auth_failures_per_minute as usize);
    }

    /// Admits as many of `count` requests of `kind` at `now` as every limit allows and records
    /// them in `state`.
    pub fn admit(
        &self,
        state: &mut RateState,
        kind: RequestKind,
        now: DateTime<Utc>,
        count: u32,
    ) -> Result<RateDecision> {
        self.validate()?;
        let now_ms = now.timestamp_millis();
        self.normalize(state, now_ms);
        let mut decision = RateDecision {
            requested: count,
            admitted: 0,
            limited_by: None,
            retry_at: None,
        };
        let (auth_free, auth_at) = room(&state.auth_failures, self.auth_failures_per_minute, 1, now_ms);
        if auth_free == 0 {
            decision.limited_by = Some("auth_failures");
            decision.retry_at = Some(ms_to_time(auth_at));
            return Ok(decision);
        }
        let (all_free, _) = room(&state.requests, self.requests_per_minute, 1, now_ms);
        let (kind_free, _) = room(self.events(state, kind), self.kind_limit(kind), 1, now_ms);
        let admitted = count.min(all_free).min(kind_free);
        decision.admitted = admitted;
        self.record(state, kind, admitted, now);
        if admitted < count {
            // The binding limit is the one with the least room (the overall one on a tie); it
            // frees up when its oldest counted request leaves the window.
            let (_, all_at) = room(&state.requests, self.requests_per_minute, 1, now_ms);
            let (_, kind_at) = room(self.events(state, kind), self.kind_limit(kind), 1, now_ms);
            let (name, at) = if all_free <= kind_free {
                ("requests", all_at)
            } else {
                (kind.as_str(), kind_at)
            };
            decision.limited_by = Some(name);
            decision.retry_at = Some(ms_to_time(at));
        }
        Ok(decision)
    }

    /// Records an authentication failure; the decision says whether requests are stopped.
    pub fn record_auth_failure(&self, state: &mut RateState, now: DateTime<Utc>) -> Result<RateDecision> {
        self.validate()?;
        let now_ms = now.timestamp_millis();
        state.auth_failures.push(now_ms);
        self.normalize(state, now_ms);
        let (free, at) = room(&state.auth_failures, self.auth_failures_per_minute, 1, now_ms);
        Ok(RateDecision {
            requested: 0,
            admitted: 0,
            limited_by: (free == 0).then_some("auth_failures"),
            retry_at: (free == 0).then(|| ms_to_time(at)),
        })
    }

    /// The earliest instant at or after `from` when `n` requests of `kind` fit together (used
    /// by bulk plans); `None` when `n` exceeds a limit or the auth stop never ends.
    pub fn earliest(&self, state: &RateState, kind: RequestKind, n: u32, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if n > self.kind_limit(kind) || n > self.requests_per_minute {
            return None;
        }
        let from_ms = from.timestamp_millis();
        let mut s = state.clone();
        self.normalize(&mut s, from_ms);
        let kind_events = self.events(&s, kind);
        let (_, a) = room(&s.requests, self.requests_per_minute, n, from_ms);
        let (_, k) = room(kind_events, self.kind_limit(kind), n, from_ms);
        let (_, f) = room(&s.auth_failures, self.auth_failures_per_minute, 1, from_ms);
        let at = a.max(k).max(f);
        (at != i64::MAX).then(|| ms_to_time(at))
    }

    /// Records `n` requests of `kind` at `at` without checking (the caller checked with
    /// [`RateLimits::earliest`]).
    pub fn record(&self, state: &mut RateState, kind: RequestKind, n: u32, at: DateTime<Utc>) {
        let at_ms = at.timestamp_millis();
        let added = std::iter::repeat_n(at_ms, n as usize);
        state.requests.extend(added.clone());
        match kind {
            RequestKind::Post => state.post.extend(added),
            RequestKind::Get => state.get.extend(added),
            RequestKind::Token => state.token.extend(added),
        }
        self.normalize(state, at_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};

    fn t(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap() + TimeDelta::seconds(s)
    }

    #[test]
    fn posts_are_limited_per_sliding_minute() {
        let limits = RateLimits::default();
        let mut s = RateState::default();
        let a = limits.admit(&mut s, RequestKind::Post, t(0), 60).unwrap();
        assert_eq!((a.admitted, a.allowed()), (60, true));
        let b = limits.admit(&mut s, RequestKind::Post, t(30), 60).unwrap();
        assert_eq!((b.admitted, b.limited_by), (40, Some("post")));
        assert_eq!(b.retry_at, Some(t(60)));
        // At 60 s the first 60 leave the window; the 40 of 30 s remain.
        let c = limits.admit(&mut s, RequestKind::Post, t(60), 100).unwrap();
        assert_eq!(c.admitted, 60);
        assert_eq!(c.retry_at, Some(t(90)));
        // GETs have their own room but share the overall 300.
        let g = limits.admit(&mut s, RequestKind::Get, t(60), 100).unwrap();
        assert_eq!(g.admitted, 100);
        assert_eq!(s.requests.len(), 200);
    }

    #[test]
    fn overall_limit_binds_across_kinds() {
        let limits = RateLimits {
            requests_per_minute: 5,
            ..RateLimits::default()
        };
        let mut s = RateState::default();
        limits.admit(&mut s, RequestKind::Get, t(0), 3).unwrap();
        let d = limits.admit(&mut s, RequestKind::Post, t(10), 3).unwrap();
        assert_eq!((d.admitted, d.limited_by), (2, Some("requests")));
        assert_eq!(d.retry_at, Some(t(60)));
    }

    #[test]
    fn five_auth_failures_stop_everything_for_their_minute() {
        let limits = RateLimits::default();
        let mut s = RateState::default();
        for i in 0..4 {
            let d = limits.record_auth_failure(&mut s, t(i)).unwrap();
            assert!(d.allowed());
        }
        let d = limits.record_auth_failure(&mut s, t(10)).unwrap();
        assert_eq!(d.limited_by, Some("auth_failures"));
        assert_eq!(d.retry_at, Some(t(60)));
        let blocked = limits.admit(&mut s, RequestKind::Get, t(59), 1).unwrap();
        assert_eq!((blocked.admitted, blocked.limited_by), (0, Some("auth_failures")));
        let open = limits.admit(&mut s, RequestKind::Get, t(60), 1).unwrap();
        assert_eq!(open.admitted, 1);
    }

    #[test]
    fn earliest_fits_whole_batches() {
        let limits = RateLimits::default();
        let mut s = RateState::default();
        assert_eq!(limits.earliest(&s, RequestKind::Post, 50, t(0)), Some(t(0)));
        limits.record(&mut s, RequestKind::Post, 50, t(0));
        limits.record(&mut s, RequestKind::Post, 50, t(5));
        assert_eq!(limits.earliest(&s, RequestKind::Post, 50, t(10)), Some(t(60)));
        assert_eq!(limits.earliest(&s, RequestKind::Post, 101, t(10)), None);
        assert_eq!(limits.earliest(&s, RequestKind::Get, 100, t(10)), Some(t(10)));
    }

    #[test]
    fn zero_limits_are_refused() {
        let limits = RateLimits {
            gets_per_minute: 0,
            ..RateLimits::default()
        };
        let err = limits
            .admit(&mut RateState::default(), RequestKind::Get, t(0), 1)
            .unwrap_err();
        assert_eq!(err.field(), Some("gets_per_minute"));
    }
}
