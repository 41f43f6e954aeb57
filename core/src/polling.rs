//! Which submitted documents to poll now (`GET /recepcion/{clave}`).
//!
//! Hacienda usually decides within 1–15 s, so the first polls come quickly: poll `n` (0-based
//! `poll_count`) is due [`FIRST_POLL_STEPS`]`[n]` after the last poll (after submission for the
//! first), then every `polling_interval`; no step is longer than the interval. The batch takes
//! the oldest due documents first, so a polled document moves behind every document that was
//! already due: nothing starves. Documents submitted `polling_max_hours` ago or more leave
//! polling as "needs attention"; documents in a final state (a callback answered) are skipped.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use hacienda_core::polling::{PollDocument, plan_polls};
//! use hacienda_core::settings::Settings;
//!
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
//! let docs = [
//!     PollDocument::new(1, now - TimeDelta::seconds(3)),  // first poll due at +5 s
//!     PollDocument::new(2, now - TimeDelta::seconds(20)),
//!     PollDocument::new(3, now - TimeDelta::hours(30)),   // past 24 h
//! ];
//! let plan = plan_polls(&docs, now, &Settings::default()).unwrap();
//! assert_eq!(plan.batch, vec![2]);
//! assert_eq!(plan.expired, vec![3]);
//! assert_eq!(plan.next_due_at, Some(now + TimeDelta::seconds(2)));
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::settings::Settings;
use crate::status::IndEstado;

/// Seconds between the first polls: 5 s, 15 s, 30 s, 1 min, 2 min, 5 min; then the interval.
pub const FIRST_POLL_STEPS: [i64; 6] = [5, 15, 30, 60, 120, 300];

/// What the planner reads of a submitted document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollDocument {
    /// Host record id.
    pub id: i64,
    /// When Hacienda received the submission.
    pub submitted_at: DateTime<Utc>,
    /// Last known `ind-estado` (`None`: not answered yet).
    #[serde(default)]
    pub state: Option<IndEstado>,
    /// Polls made so far.
    #[serde(default)]
    pub poll_count: u32,
    /// Last poll.
    #[serde(default)]
    pub last_polled_at: Option<DateTime<Utc>>,
}

impl PollDocument {
    /// A document submitted at `submitted_at`, never polled.
    pub fn new(id: i64, submitted_at: DateTime<Utc>) -> Self {
        PollDocument {
            id,
            submitted_at,
            state: None,
            poll_count: 0,
            last_polled_at: None,
        }
    }
}

/// The documents to poll in one run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PollPlan {
    /// Ids to poll now, oldest due first (at most `polling_batch_size`).
    pub batch: Vec<i64>,
    /// Ids of documents past `polling_max_hours`: stop polling, needs attention.
    pub expired: Vec<i64>,
    /// More documents are due than the batch holds.
    pub more: bool,
    /// Documents due now (including the batch).
    pub due_count: usize,
    /// Earliest due instant of a document not in the batch (when to run again).
    pub next_due_at: Option<DateTime<Utc>>,
}

fn is_final(state: Option<IndEstado>) -> bool {
    matches!(
        state,
        Some(IndEstado::Aceptado | IndEstado::Rechazado | IndEstado::Error)
    )
}

/// The step before poll `poll_count` (0-based), at most `interval`.
fn step(poll_count: u32, interval: TimeDelta) -> TimeDelta {
    FIRST_POLL_STEPS
        .get(poll_count as usize)
        .map_or(interval, |s| TimeDelta::seconds(*s).min(interval))
}

/// When poll number `poll_count` (0-based) of a document is due.
pub fn next_poll_at(
    submitted_at: DateTime<Utc>,
    poll_count: u32,
    last_polled_at: Option<DateTime<Utc>>,
    settings: &Settings,
) -> Result<DateTime<Utc>> {
    settings.validate()?;
    let interval = TimeDelta::minutes(settings.polling_interval);
    Ok(last_polled_at.unwrap_or(submitted_at) + step(poll_count, interval))
}

/// Picks the documents to poll at `now`; see the module docs for the rules.
pub fn plan_polls(documents: &[PollDocument], now: DateTime<Utc>, settings: &Settings) -> Result<PollPlan> {
    settings.validate()?;
    if !settings.auto_polling_enabled {
        return Ok(PollPlan::default());
    }
    let interval = TimeDelta::minutes(settings.polling_interval);
    let expiry = now - TimeDelta::hours(settings.polling_max_hours);
    let batch_size = usize::try_from(settings.polling_batch_size).unwrap_or(0);
    let mut plan = PollPlan::default();
    let mut due: Vec<(DateTime<Utc>, i64)> = Vec::new();
    let mut next_future: Option<DateTime<Utc>> = None;
    for d in documents {
        if is_final(d.state) {
            continue;
        }
        if d.submitted_at <= expiry {
            plan.expired.push(d.id);
            continue;
        }
        let at = d.last_polled_at.unwrap_or(d.submitted_at) + step(d.poll_count, interval);
        if at <= now {
            due.push((at, d.id));
        } else if next_future.is_none_or(|n| at < n) {
            next_future = Some(at);
        }
    }
    plan.due_count = due.len();
    plan.more = due.len() > batch_size;
    if plan.more {
        due.select_nth_unstable(batch_size);
        plan.next_due_at = Some(due[batch_size].0);
        due.truncate(batch_size);
    } else {
        plan.next_due_at = next_future;
    }
    due.sort_unstable();
    plan.batch = due.into_iter().map(|(_, id)| id).collect();
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap()
    }

    #[test]
    fn first_polls_come_quickly_then_every_interval() {
        let s = Settings::default();
        let sub = now();
        let at = |n, last| next_poll_at(sub, n, last, &s).unwrap() - last.unwrap_or(sub);
        assert_eq!(at(0, None), TimeDelta::seconds(5));
        assert_eq!(at(3, Some(sub + TimeDelta::seconds(50))), TimeDelta::minutes(1));
        assert_eq!(at(6, Some(sub + TimeDelta::hours(1))), TimeDelta::minutes(15));
        let short = Settings {
            polling_interval: 1,
            ..Settings::default()
        };
        assert_eq!(next_poll_at(sub, 5, None, &short).unwrap(), sub + TimeDelta::minutes(1));
    }

    #[test]
    fn batch_is_bounded_oldest_first_and_skips_final_states() {
        let s = Settings {
            polling_batch_size: 2,
            ..Settings::default()
        };
        let mut docs: Vec<PollDocument> = (1..=5)
            .map(|i| PollDocument::new(i, now() - TimeDelta::minutes(60 - i)))
            .collect();
        docs[0].state = Some(IndEstado::Aceptado); // a callback answered
        docs[4].state = Some(IndEstado::Procesando);
        let plan = plan_polls(&docs, now(), &s).unwrap();
        assert_eq!(plan.batch, vec![2, 3]);
        assert!(plan.more);
        assert_eq!(plan.due_count, 4);
        assert_eq!(
            plan.next_due_at,
            Some(now() - TimeDelta::minutes(56) + TimeDelta::seconds(5))
        );
    }

    #[test]
    fn expiry_and_disabled_polling() {
        let s = Settings::default();
        let docs = [
            PollDocument::new(1, now() - TimeDelta::hours(24)),
            PollDocument::new(2, now() - TimeDelta::hours(24) + TimeDelta::seconds(1)),
        ];
        let plan = plan_polls(&docs, now(), &s).unwrap();
        assert_eq!((plan.expired, plan.batch), (vec![1], vec![2]));
        let off = Settings {
            auto_polling_enabled: false,
            ..s
        };
        assert_eq!(plan_polls(&docs, now(), &off).unwrap(), PollPlan::default());
        let bad = Settings {
            polling_interval: 0,
            ..Settings::default()
        };
        assert!(plan_polls(&docs, now(), &bad).is_err());
    }
}
