//! The retry policy: when to try a failed operation again, or when to give up.
//!
//! Base delays 5 min, 15 min, 1 h, 4 h, 12 h for retries 1..5 (later retries reuse the last),
//! multiplied by the failure category, spread by a jitter computed from a sample in [0, 1) that
//! the caller draws, capped by `max_delay`. A server `Retry-After` wins when it is later.
//!
//! `attempts` counts the failed attempts including the one being handled: failure `n` schedules
//! retry `n`; failure `max_attempts + 1` (the last allowed retry failed) gives up.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use hacienda_core::backoff::{Decision, GiveUpReason, RetryPolicy};
//! use hacienda_core::ErrorCategory;
//!
//! let policy = RetryPolicy::default();
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
//! // Second network failure: 15 min x 1.5.
//! let d = policy.plan(ErrorCategory::Network, 2, now, now, 0.0, None).unwrap();
//! assert_eq!(d.at(), Some(now + TimeDelta::minutes(22) + TimeDelta::seconds(30)));
//! // A bad signature is never retried.
//! let d = policy.plan(ErrorCategory::Signature, 1, now, now, 0.0, None).unwrap();
//! assert_eq!(d, Decision::GiveUp { reason: GiveUpReason::NotRetryable });
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::classify::ErrorCategory;
use crate::error::{Error, Result};
use crate::settings::Settings;

/// How a delay is spread with the caller's sample `u` in [0, 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JitterMode {
    /// The delay itself.
    #[default]
    None,
    /// `d × u`: anywhere between 0 and the delay.
    Full,
    /// `d/2 + d/2 × u`: between half the delay and the delay.
    Equal,
    /// `p + 2p × u` where `p` is the previous retry's delay: between `p` and `3p`.
    Decorrelated,
}

impl JitterMode {
    /// Every mode.
    pub const ALL: [JitterMode; 4] = [
        JitterMode::None,
        JitterMode::Full,
        JitterMode::Equal,
        JitterMode::Decorrelated,
    ];

    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            JitterMode::None => "none",
            JitterMode::Full => "full",
            JitterMode::Equal => "equal",
            JitterMode::Decorrelated => "decorrelated",
        }
    }

    /// Parses a snake_case name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == name.trim())
    }
}

/// Why the policy stopped retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GiveUpReason {
    /// Signature, duplicate and configuration failures need a person, not a retry.
    NotRetryable,
    /// The allowed retries are used up.
    MaxAttempts,
    /// The retry would start after `first_failure_at + max_elapsed`.
    MaxElapsed,
    /// Automatic retries are switched off.
    RetryDisabled,
}

impl GiveUpReason {
    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            GiveUpReason::NotRetryable => "not_retryable",
            GiveUpReason::MaxAttempts => "max_attempts",
            GiveUpReason::MaxElapsed => "max_elapsed",
            GiveUpReason::RetryDisabled => "retry_disabled",
        }
    }
}

/// What to do after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Decision {
    /// Try again at `at`.
    Retry {
        /// When to try again.
        at: DateTime<Utc>,
        /// `at - now`.
        #[serde(with = "seconds")]
        delay: TimeDelta,
        /// True when the server's `Retry-After` decided `at`.
        from_retry_after: bool,
    },
    /// Stop retrying.
    GiveUp {
        /// Why.
        reason: GiveUpReason,
    },
}

impl Decision {
    /// The retry instant, `None` when giving up.
    pub fn at(&self) -> Option<DateTime<Utc>> {
        match self {
            Decision::Retry { at, .. } => Some(*at),
            Decision::GiveUp { .. } => None,
        }
    }
}

/// Categories that are never retried.
pub const NOT_RETRYABLE: [ErrorCategory; 3] = [
    ErrorCategory::Signature,
    ErrorCategory::Duplicate,
    ErrorCategory::Configuration,
];

/// The retry policy of one company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Base delay of retries 1, 2, ...; later retries reuse the last. Positive, non-decreasing.
    #[serde(with = "seconds_list")]
    pub delays: Vec<TimeDelta>,
    /// Delay multiplier of each retryable category (missing ones use 1.0).
    pub multipliers: BTreeMap<ErrorCategory, f64>,
    /// Retries allowed after the first try.
    pub max_attempts: u32,
    /// Give up when a retry would start later than this after the first failure.
    #[serde(with = "opt_seconds")]
    pub max_elapsed: Option<TimeDelta>,
    /// Cap of every computed delay (a later `Retry-After` still wins).
    #[serde(with = "seconds")]
    pub max_delay: TimeDelta,
    /// Jitter mode.
    pub jitter: JitterMode,
    /// False: every failure gives up with [`GiveUpReason::RetryDisabled`].
    pub enabled: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            delays: [300, 900, 3600, 14_400, 43_200].map(TimeDelta::seconds).to_vec(),
            multipliers: Self::default_multipliers(),
            max_attempts: 5,
            max_elapsed: None,
            max_delay: TimeDelta::hours(24),
            jitter: JitterMode::None,
            enabled: true,
        }
    }
}

impl RetryPolicy {
    /// transient 1.0, rate_limit 2.0, network 1.5, server 1.5, auth 3.0, validation 6.0, unknown 1.0.
    pub fn default_multipliers() -> BTreeMap<ErrorCategory, f64> {
        use ErrorCategory::*;
        [
            (Transient, 1.0),
            (RateLimit, 2.0),
            (Network, 1.5),
            (Server, 1.5),
            (Auth, 3.0),
            (Validation, 6.0),
            (Unknown, 1.0),
        ]
        .into_iter()
        .collect()
    }

    /// The default policy with the company's `max_retry_attempts` and `auto_retry_enabled`.
    pub fn from_settings(settings: &Settings) -> Result<Self> {
        settings.validate()?;
        Ok(RetryPolicy {
            max_attempts: u32::try_from(settings.max_retry_attempts).unwrap_or(0),
            enabled: settings.auto_retry_enabled,
            ..RetryPolicy::default()
        })
    }

    /// Checks delays (positive, non-decreasing, at most 30 days), multipliers (finite, in
    /// (0, 100], none for a non-retryable category), `max_delay` and `max_elapsed` (positive).
    pub fn validate(&self) -> Result<()> {
        let refuse = |field: &str, reason: String| {
            Err(Error::InvalidSetting {
                field: field.to_string(),
                reason,
            })
        };
        if self.delays.is_empty() {
            return refuse("delays", "at least one retry delay is needed".into());
        }
        let month = TimeDelta::days(30);
        for (i, d) in self.delays.iter().enumerate() {
            if *d <= TimeDelta::zero() || *d > month {
                return refuse(
                    "delays",
                    format!("retry delay {} must be between 1 ms and 30 days", i + 1),
                );
            }
            if i > 0 && *d < self.delays[i - 1] {
                return refuse(
                    "delays",
                    format!("retry delay {} is shorter than the one before", i + 1),
                );
            }
        }
        for (category, m) in &self.multipliers {
            if NOT_RETRYABLE.contains(category) {
                return refuse("multipliers", format!("{category} failures are never retried"));
            }
            if !m.is_finite() || *m <= 0.0 || *m > 100.0 {
                return refuse(
                    "multipliers",
                    format!("multiplier of {category} must be in (0, 100], not {m}"),
                );
            }
        }
        if self.max_delay <= TimeDelta::zero() || self.max_delay > month {
            return refuse("max_delay", "max delay must be between 1 ms and 30 days".into());
        }
        if self.max_elapsed.is_some_and(|e| e <= TimeDelta::zero()) {
            return refuse("max_elapsed", "max elapsed time must be positive".into());
        }
        if self.max_attempts > 1000 {
            return refuse("max_attempts", "max attempts must be at most 1000".into());
        }
        Ok(())
    }

    /// Multiplier of `category`; `None` when it is not retryable.
    pub fn multiplier(&self, category: ErrorCategory) -> Option<f64> {
        if NOT_RETRYABLE.contains(&category) {
            return None;
        }
        Some(self.multipliers.get(&category).copied().unwrap_or(1.0))
    }

    /// Base delay × multiplier of retry `n` (1-based), in seconds.
    fn scaled(&self, n: u32, multiplier: f64) -> f64 {
        let index = (n.max(1) as usize - 1).min(self.delays.len().saturating_sub(1));
        let base = self.delays.get(index).copied().unwrap_or_default();
        base.num_milliseconds() as f64 / 1000.0 * multiplier
    }

    /// The delay before retry `attempts` of a `category` failure with jitter sample `sample`,
    /// capped by `max_delay`; `None` for a non-retryable category. Truncated to milliseconds.
    pub fn delay(&self, category: ErrorCategory, attempts: u32, sample: f64) -> Result<Option<TimeDelta>> {
        if !(0.0..1.0).contains(&sample) {
            return Err(Error::InvalidSetting {
                field: "sample".into(),
                reason: format!("the jitter sample must be in [0, 1), not {sample}"),
            });
        }
        let Some(m) = self.multiplier(category) else {
            return Ok(None);
        };
        let d = self.scaled(attempts, m);
        let secs = match self.jitter {
            JitterMode::None => d,
            JitterMode::Full => d * sample,
            JitterMode::Equal => d / 2.0 + d / 2.0 * sample,
            JitterMode::Decorrelated => {
                let p = self.scaled(attempts.max(2) - 1, m);
                p + 2.0 * p * sample
            }
        };
        let cap = self.max_delay.num_milliseconds();
        let ms = ((secs * 1000.0).floor() as i64).clamp(0, cap);
        Ok(Some(TimeDelta::milliseconds(ms)))
    }

    /// The decision after failure number `attempts` (1 for the first failure) of a `category`
    /// failure. `first_failure_at` bounds `max_elapsed`; `retry_after` is the server's instant.
    pub fn plan(
        &self,
        category: ErrorCategory,
        attempts: u32,
        first_failure_at: DateTime<Utc>,
        now: DateTime<Utc>,
        sample: f64,
        retry_after: Option<DateTime<Utc>>,
    ) -> Result<Decision> {
        self.validate()?;
        if attempts == 0 {
            return Err(Error::InvalidSetting {
                field: "attempts".into(),
                reason: "attempts counts the failure being handled, so it is at least 1".into(),
            });
        }
        let give_up = |reason| Ok(Decision::GiveUp { reason });
        if !self.enabled {
            return give_up(GiveUpReason::RetryDisabled);
        }
        let Some(mut delay) = self.delay(category, attempts, sample)? else {
            return give_up(GiveUpReason::NotRetryable);
        };
        if attempts > self.max_attempts {
            return give_up(GiveUpReason::MaxAttempts);
        }
        let mut at = now + delay;
        let mut from_retry_after = false;
        if let Some(server_at) = retry_after.filter(|t| *t > at) {
            at = server_at;
            delay = server_at - now;
            from_retry_after = true;
        }
        if self.max_elapsed.is_some_and(|limit| at > first_failure_at + limit) {
            return give_up(GiveUpReason::MaxElapsed);
        }
        Ok(Decision::Retry {
            at,
            delay,
            from_retry_after,
        })
    }
}

/// Durations as (fractional) seconds in JSON.
pub(crate) mod seconds {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn to_secs(d: &TimeDelta) -> f64 {
        d.num_milliseconds() as f64 / 1000.0
    }

    pub(crate) fn from_secs(s: f64) -> Option<TimeDelta> {
        (s.is_finite() && s.abs() < 1e12).then(|| TimeDelta::milliseconds((s * 1000.0).round() as i64))
    }

    pub fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(to_secs(d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let secs = f64::deserialize(d)?;
        from_secs(secs).ok_or_else(|| serde::de::Error::custom("duration out of range"))
    }
}

mod opt_seconds {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&super::seconds::to_secs(d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TimeDelta>, D::Error> {
        match Option::<f64>::deserialize(d)? {
            None => Ok(None),
            Some(secs) => super::seconds::from_secs(secs)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("duration out of range")),
        }
    }
}

mod seconds_list {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &[TimeDelta], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(d.iter().map(super::seconds::to_secs))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<TimeDelta>, D::Error> {
        Vec::<f64>::deserialize(d)?
            .into_iter()
            .map(|secs| {
                super::seconds::from_secs(secs).ok_or_else(|| serde::de::Error::custom("duration out of range"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap()
    }

    fn at(policy: &RetryPolicy, category: ErrorCategory, attempts: u32, sample: f64) -> Option<TimeDelta> {
        policy
            .plan(category, attempts, t0(), t0(), sample, None)
            .unwrap()
            .at()
            .map(|t| t - t0())
    }

    #[test]
    fn base_delays_and_multipliers() {
        let p = RetryPolicy::default();
        let mins = |m: i64| Some(TimeDelta::minutes(m));
        assert_eq!(at(&p, ErrorCategory::Transient, 1, 0.0), mins(5));
        assert_eq!(at(&p, ErrorCategory::Transient, 5, 0.0), mins(720));
        assert_eq!(at(&p, ErrorCategory::RateLimit, 2, 0.0), mins(30));
        assert_eq!(at(&p, ErrorCategory::Server, 3, 0.0), mins(90));
        assert_eq!(at(&p, ErrorCategory::Auth, 4, 0.0), mins(720));
        assert_eq!(at(&p, ErrorCategory::Validation, 1, 0.0), mins(30));
        // 12 h x 6 = 72 h, capped at 24 h.
        assert_eq!(at(&p, ErrorCategory::Validation, 5, 0.0), mins(1440));
    }

    #[test]
    fn jitter_modes() {
        let mut p = RetryPolicy {
            jitter: JitterMode::Full,
            ..RetryPolicy::default()
        };
        assert_eq!(at(&p, ErrorCategory::Transient, 3, 0.25), Some(TimeDelta::minutes(15)));
        p.jitter = JitterMode::Equal;
        assert_eq!(at(&p, ErrorCategory::Transient, 3, 0.5), Some(TimeDelta::minutes(45)));
        p.jitter = JitterMode::Decorrelated;
        // previous delay of retry 3 is 15 min: 15 + 30 x 0.5 = 30 min.
        assert_eq!(at(&p, ErrorCategory::Transient, 3, 0.5), Some(TimeDelta::minutes(30)));
        // retry 1 uses its own delay as previous: 5 + 10 x 0.5.
        assert_eq!(at(&p, ErrorCategory::Transient, 1, 0.5), Some(TimeDelta::minutes(10)));
    }

    #[test]
    fn give_up_rules() {
        let p = RetryPolicy::default();
        let plan = |c, n| p.plan(c, n, t0(), t0(), 0.0, None).unwrap();
        assert!(matches!(plan(ErrorCategory::Network, 5), Decision::Retry { .. }));
        assert_eq!(
            plan(ErrorCategory::Network, 6),
            Decision::GiveUp {
                reason: GiveUpReason::MaxAttempts
            }
        );
        for c in NOT_RETRYABLE {
            assert_eq!(
                plan(c, 1),
                Decision::GiveUp {
                    reason: GiveUpReason::NotRetryable
                }
            );
        }
        let off = RetryPolicy {
            enabled: false,
            ..RetryPolicy::default()
        };
        assert_eq!(
            off.plan(ErrorCategory::Network, 1, t0(), t0(), 0.0, None).unwrap(),
            Decision::GiveUp {
                reason: GiveUpReason::RetryDisabled
            }
        );
        let bounded = RetryPolicy {
            max_elapsed: Some(TimeDelta::hours(1)),
            ..RetryPolicy::default()
        };
        // third failure 30 min after the first: retry in 1 h would end 1h30 after the first.
        let now = t0() + TimeDelta::minutes(30);
        assert_eq!(
            bounded.plan(ErrorCategory::Transient, 3, t0(), now, 0.0, None).unwrap(),
            Decision::GiveUp {
                reason: GiveUpReason::MaxElapsed
            }
        );
        assert!(p.plan(ErrorCategory::Network, 0, t0(), t0(), 0.0, None).is_err());
    }

    #[test]
    fn retry_after_wins_only_when_later() {
        let p = RetryPolicy::default();
        let later = t0() + TimeDelta::hours(2);
        let d = p
            .plan(ErrorCategory::RateLimit, 1, t0(), t0(), 0.0, Some(later))
            .unwrap();
        assert_eq!(
            d,
            Decision::Retry {
                at: later,
                delay: TimeDelta::hours(2),
                from_retry_after: true
            }
        );
        let sooner = t0() + TimeDelta::minutes(1);
        let d = p
            .plan(ErrorCategory::RateLimit, 1, t0(), t0(), 0.0, Some(sooner))
            .unwrap();
        assert_eq!(d.at(), Some(t0() + TimeDelta::minutes(10)));
    }

    #[test]
    fn bad_policies_and_samples_are_refused() {
        let p = RetryPolicy {
            delays: vec![TimeDelta::minutes(10), TimeDelta::minutes(5)],
            ..RetryPolicy::default()
        };
        assert_eq!(p.validate().unwrap_err().field(), Some("delays"));
        let mut m = RetryPolicy::default();
        m.multipliers.insert(ErrorCategory::Signature, 1.0);
        assert_eq!(m.validate().unwrap_err().field(), Some("multipliers"));
        let d = RetryPolicy::default();
        for bad in [1.0, -0.1, f64::NAN] {
            let err = d.plan(ErrorCategory::Network, 1, t0(), t0(), bad, None).unwrap_err();
            assert_eq!(err.field(), Some("sample"));
        }
    }

    #[test]
    fn decision_serializes_with_an_action_tag() {
        let d = RetryPolicy::default()
            .plan(ErrorCategory::Transient, 1, t0(), t0(), 0.0, None)
            .unwrap();
        let json = serde_json::to_value(d).unwrap();
        assert_eq!(json["action"], "retry");
        assert_eq!(json["at"], "2026-03-02T12:05:00Z");
        assert_eq!(json["delay"], 300.0);
    }
}
