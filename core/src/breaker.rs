//! A circuit breaker that stops submitting while Hacienda is failing and probes before resuming.
//! Its state is a small record the host stores between calls.
//!
//! Closed: every request goes; `failure_threshold` consecutive outage failures (transient,
//! network, server, rate_limit) open it. Open: nothing goes for `open_seconds`, then it turns
//! half-open. Half-open: `half_open_probes` requests go; `success_threshold` successes close it,
//! one failure opens it again. A probe that never reports back is replaced after `open_seconds`.
//! Other failure categories (validation, signature, ...) prove Hacienda answered: they count as
//! successes.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use hacienda_core::breaker::{BreakerConfig, BreakerState, BreakerStore};
//! use hacienda_core::ErrorCategory;
//!
//! let config = BreakerConfig { failure_threshold: 2, ..BreakerConfig::default() };
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
//! let mut store = BreakerStore::default();
//! config.on_failure(&mut store, now, ErrorCategory::Server).unwrap();
//! let d = config.on_failure(&mut store, now, ErrorCategory::Network).unwrap();
//! assert_eq!((d.state, d.changed), (BreakerState::Open, true));
//! assert!(!config.allow(&mut store, now + TimeDelta::seconds(59)).unwrap().allowed);
//! let probe = config.allow(&mut store, now + TimeDelta::seconds(60)).unwrap();
//! assert_eq!((probe.allowed, probe.state), (true, BreakerState::HalfOpen));
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::classify::ErrorCategory;
use crate::error::{Error, Result};

/// Breaker states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Normal operation.
    #[default]
    Closed,
    /// Hacienda is failing: do not submit.
    Open,
    /// Probing whether Hacienda is back.
    HalfOpen,
}

impl BreakerState {
    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }
}

/// Breaker configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BreakerConfig {
    /// Consecutive outage failures that open the breaker (5).
    pub failure_threshold: u32,
    /// Seconds the breaker stays open before probing (60).
    pub open_seconds: u32,
    /// Requests let through while half-open (1).
    pub half_open_probes: u32,
    /// Probe successes that close the breaker (1).
    pub success_threshold: u32,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            failure_threshold: 5,
            open_seconds: 60,
            half_open_probes: 1,
            success_threshold: 1,
        }
    }
}

/// What the host stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BreakerStore {
    /// Current state.
    pub state: BreakerState,
    /// Consecutive outage failures while closed.
    pub failures: u32,
    /// Probe successes while half-open.
    pub successes: u32,
    /// Probes let through while half-open.
    pub probes: u32,
    /// When the state last changed (or the last probe was let through).
    pub since: Option<DateTime<Utc>>,
}

/// The answer of every breaker call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BreakerDecision {
    /// The request may go (for `allow`); for results, whether the breaker now lets requests go.
    pub allowed: bool,
    /// The state after the call.
    pub state: BreakerState,
    /// The call changed the state (worth a log line or a notification).
    pub changed: bool,
    /// When a request may be tried again, when not allowed.
    pub retry_at: Option<DateTime<Utc>>,
}

/// True for the categories that mean "Hacienda is not answering properly".
pub fn is_outage(category: ErrorCategory) -> bool {
    matches!(
        category,
        ErrorCategory::Transient | ErrorCategory::Network | ErrorCategory::Server | ErrorCategory::RateLimit
    )
}

impl BreakerConfig {
    /// Every number at least 1 (`open_seconds` at most a day).
    pub fn validate(&self) -> Result<()> {
        for (field, v, max) in [
            ("failure_threshold", self.failure_threshold, 10_000),
            ("open_seconds", self.open_seconds, 86_400),
            ("half_open_probes", self.half_open_probes, 10_000),
            ("success_threshold", self.success_threshold, 10_000),
        ] {
            if v == 0 || v > max {
                return Err(Error::InvalidSetting {
                    field: field.into(),
                    reason: format!("must be between 1 and {max}, not {v}"),
                });
            }
        }
        Ok(())
    }

    fn open_for(&self) -> TimeDelta {
        TimeDelta::seconds(i64::from(self.open_seconds))
    }

    fn decision(&self, store: &BreakerStore, before: BreakerState, allowed: bool) -> BreakerDecision {
        let retry_at = match (allowed, store.since) {
            (false, Some(since)) => Some(since + self.open_for()),
            _ => None,
        };
        BreakerDecision {
            allowed,
            state: store.state,
            changed: store.state != before,
            retry_at,
        }
    }

    fn transition(store: &mut BreakerStore, state: BreakerState, now: DateTime<Utc>) {
        *store = BreakerStore {
            state,
            since: Some(now),
            ..BreakerStore::default()
        };
    }

    /// May a request go now? Lets probes through when half-open (and records them).
    pub fn allow(&self, store: &mut BreakerStore, now: DateTime<Utc>) -> Result<BreakerDecision> {
        self.validate()?;
        let before = store.state;
        let waited = store.since.is_none_or(|s| now >= s + self.open_for());
        let allowed = match store.state {
            BreakerState::Closed => true,
            BreakerState::Open if waited => {
                Self::transition(store, BreakerState::HalfOpen, now);
                store.probes = 1;
                true
            }
            BreakerState::Open => false,
            BreakerState::HalfOpen if store.probes < self.half_open_probes => {
                store.probes += 1;
                true
            }
            BreakerState::HalfOpen if waited => {
                // The probes never reported back: send a new one.
                let successes = store.successes;
                Self::transition(store, BreakerState::HalfOpen, now);
                store.successes = successes;
                store.probes = 1;
                true
            }
            BreakerState::HalfOpen => false,
        };
        Ok(self.decision(store, before, allowed))
    }

    /// A request succeeded.
    pub fn on_success(&self, store: &mut BreakerStore, now: DateTime<Utc>) -> Result<BreakerDecision> {
        self.validate()?;
        let before = store.state;
        match store.state {
            BreakerState::Closed => store.failures = 0,
            BreakerState::HalfOpen => {
                store.successes += 1;
                if store.successes >= self.success_threshold {
                    Self::transition(store, BreakerState::Closed, now);
                }
            }
            // A late answer to a request sent before the breaker opened changes nothing.
            BreakerState::Open => {}
        }
        let allowed = store.state != BreakerState::Open;
        Ok(self.decision(store, before, allowed))
    }

    /// A request failed with `category`; non-outage categories count as a success.
    pub fn on_failure(
        &self,
        store: &mut BreakerStore,
        now: DateTime<Utc>,
        category: ErrorCategory,
    ) -> Result<BreakerDecision> {
        if !is_outage(category) {
            return self.on_success(store, now);
        }
        self.validate()?;
        let before = store.state;
        match store.state {
            BreakerState::Closed => {
                store.failures += 1;
                if store.failures >= self.failure_threshold {
                    Self::transition(store, BreakerState::Open, now);
                }
            }
            BreakerState::HalfOpen => Self::transition(store, BreakerState::Open, now),
            BreakerState::Open => {}
        }
        let allowed = store.state == BreakerState::Closed;
        Ok(self.decision(store, before, allowed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap() + TimeDelta::seconds(s)
    }

    #[test]
    fn full_cycle() {
        let c = BreakerConfig::default();
        let mut s = BreakerStore::default();
        for i in 0..4 {
            let d = c.on_failure(&mut s, t(i), ErrorCategory::Server).unwrap();
            assert_eq!((d.state, d.changed), (BreakerState::Closed, false));
        }
        // A validation failure proves Hacienda answers: the count restarts.
        c.on_failure(&mut s, t(4), ErrorCategory::Validation).unwrap();
        assert_eq!(s.failures, 0);
        for i in 0..5 {
            c.on_failure(&mut s, t(10 + i), ErrorCategory::Network).unwrap();
        }
        assert_eq!((s.state, s.since), (BreakerState::Open, Some(t(14))));
        let d = c.allow(&mut s, t(30)).unwrap();
        assert_eq!((d.allowed, d.retry_at), (false, Some(t(74))));
        let probe = c.allow(&mut s, t(74)).unwrap();
        assert_eq!(
            (probe.allowed, probe.state, probe.changed),
            (true, BreakerState::HalfOpen, true)
        );
        // Only one probe at a time.
        assert!(!c.allow(&mut s, t(75)).unwrap().allowed);
        let again = c.on_failure(&mut s, t(76), ErrorCategory::Transient).unwrap();
        assert_eq!((again.state, again.retry_at), (BreakerState::Open, Some(t(136))));
        assert!(c.allow(&mut s, t(136)).unwrap().allowed);
        let closed = c.on_success(&mut s, t(137)).unwrap();
        assert_eq!(
            (closed.state, closed.changed, closed.allowed),
            (BreakerState::Closed, true, true)
        );
    }

    #[test]
    fn a_lost_probe_is_replaced_after_the_open_period() {
        let c = BreakerConfig {
            failure_threshold: 1,
            ..BreakerConfig::default()
        };
        let mut s = BreakerStore::default();
        c.on_failure(&mut s, t(0), ErrorCategory::Server).unwrap();
        assert!(c.allow(&mut s, t(60)).unwrap().allowed);
        assert!(!c.allow(&mut s, t(119)).unwrap().allowed);
        let d = c.allow(&mut s, t(120)).unwrap();
        assert!(d.allowed && !d.changed);
    }

    #[test]
    fn bad_config_is_refused() {
        let c = BreakerConfig {
            open_seconds: 0,
            ..BreakerConfig::default()
        };
        let err = c.allow(&mut BreakerStore::default(), t(0)).unwrap_err();
        assert_eq!(err.field(), Some("open_seconds"));
    }
}
