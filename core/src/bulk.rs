//! Plans for the bulk sign / submit / status-check wizards: batches of `batch_size`, up to
//! `max_concurrent_batches` starting together (a wave), waves `batch_delay` seconds apart, and,
//! with a rate limiter, each batch delayed until its whole batch fits the per-minute limits.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use hacienda_core::bulk::plan_bulk;
//! use hacienda_core::queue::Operation;
//! use hacienda_core::rate::{RateLimits, RateState};
//! use hacienda_core::settings::Settings;
//!
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
//! let ids: Vec<i64> = (1..=200).collect();
//! let limits = RateLimits::default();
//! let plan = plan_bulk(&ids, Operation::Submit, now, &Settings::default(), Some((&limits, RateState::default()))).unwrap();
//! let starts: Vec<i64> = plan.batches.iter().map(|b| (b.start_at - now).num_seconds()).collect();
//! // Two batches fill the 100 POSTs of the minute; the next two wait for it to slide.
//! assert_eq!(starts, vec![0, 0, 60, 60]);
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::queue::Operation;
use crate::rate::{RateLimits, RateState, RequestKind};
use crate::settings::Settings;

/// One batch of a bulk plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkBatch {
    /// 0-based position.
    pub index: usize,
    /// Record ids of the batch.
    pub ids: Vec<i64>,
    /// Wave (`index / max_concurrent_batches`).
    pub wave: usize,
    /// When the batch may start.
    pub start_at: DateTime<Utc>,
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPlan {
    /// The wizard's operation.
    pub operation: Operation,
    /// Batches in order.
    pub batches: Vec<BulkBatch>,
    /// Number of ids.
    pub total: usize,
    /// Start of the last batch (`now` for an empty plan).
    pub finish_at: DateTime<Utc>,
}

/// The request kind an operation sends to Hacienda (`None` for signing, which is local).
pub fn request_kind(operation: Operation) -> Option<RequestKind> {
    match operation {
        Operation::Sign => None,
        Operation::Submit | Operation::ReceiverMessage => Some(RequestKind::Post),
        Operation::Poll => Some(RequestKind::Get),
    }
}

/// Plans `ids` for `operation`. `limiter` is the limits and the stored state (the plan counts
/// one request per id at its batch's start).
pub fn plan_bulk(
    ids: &[i64],
    operation: Operation,
    now: DateTime<Utc>,
    settings: &Settings,
    limiter: Option<(&RateLimits, RateState)>,
) -> Result<BulkPlan> {
    settings.validate()?;
    let size = usize::try_from(settings.batch_size).unwrap_or(1);
    let concurrent = usize::try_from(settings.max_concurrent_batches).unwrap_or(1);
    let delay = TimeDelta::seconds(settings.batch_delay);
    let kind = request_kind(operation);
    let mut limiter = match (limiter, kind) {
        (Some((limits, state)), Some(_)) => {
            limits.validate()?;
            Some((limits, state))
        }
        _ => None,
    };
    let mut batches = Vec::with_capacity(ids.len().div_ceil(size));
    let mut previous = now;
    for (index, chunk) in ids.chunks(size).enumerate() {
        let wave = index / concurrent;
        let mut start = (now + delay * i32::try_from(wave).unwrap_or(i32::MAX)).max(previous);
        if let (Some((limits, state)), Some(kind)) = (limiter.as_mut(), kind) {
            let n = u32::try_from(chunk.len()).unwrap_or(u32::MAX);
            start = limits
                .earliest(state, kind, n, start)
                .ok_or_else(|| Error::InvalidSetting {
                    field: "batch_size".into(),
                    reason: format!("a batch of {n} does not fit the per-minute {} limit", kind.as_str()),
                })?;
            limits.record(state, kind, n, start);
        }
        previous = start;
        batches.push(BulkBatch {
            index,
            ids: chunk.to_vec(),
            wave,
            start_at: start,
        });
    }
    Ok(BulkPlan {
        operation,
        total: ids.len(),
        finish_at: previous,
        batches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap()
    }

    fn offsets(plan: &BulkPlan) -> Vec<i64> {
        plan.batches
            .iter()
            .map(|b| (b.start_at - now()).num_seconds())
            .collect()
    }

    #[test]
    fn waves_without_limiter() {
        let ids: Vec<i64> = (0..420).collect();
        let plan = plan_bulk(&ids, Operation::Sign, now(), &Settings::default(), None).unwrap();
        assert_eq!(plan.batches.len(), 9);
        assert_eq!(plan.batches[8].ids.len(), 20);
        assert_eq!(offsets(&plan), vec![0, 0, 0, 5, 5, 5, 10, 10, 10]);
        assert_eq!(plan.finish_at, now() + TimeDelta::seconds(10));
        // Signing sends nothing: a limiter changes nothing.
        let limits = RateLimits::default();
        let same = plan_bulk(
            &ids,
            Operation::Sign,
            now(),
            &Settings::default(),
            Some((&limits, RateState::default())),
        )
        .unwrap();
        assert_eq!(same, plan);
    }

    #[test]
    fn limiter_state_already_used_delays_the_first_batch() {
        let limits = RateLimits::default();
        let mut state = RateState::default();
        limits.record(&mut state, RequestKind::Get, 80, now() - TimeDelta::seconds(20));
        let ids: Vec<i64> = (0..100).collect();
        let plan = plan_bulk(
            &ids,
            Operation::Poll,
            now(),
            &Settings::default(),
            Some((&limits, state)),
        )
        .unwrap();
        assert_eq!(offsets(&plan), vec![40, 40]);
    }

    #[test]
    fn empty_and_invalid() {
        let plan = plan_bulk(&[], Operation::Submit, now(), &Settings::default(), None).unwrap();
        assert!(plan.batches.is_empty());
        assert_eq!(plan.finish_at, now());
        let s = Settings {
            batch_size: 150,
            ..Settings::default()
        };
        let limits = RateLimits::default();
        let err = plan_bulk(
            &[1; 150],
            Operation::Submit,
            now(),
            &s,
            Some((&limits, RateState::default())),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("batch_size"));
    }
}
