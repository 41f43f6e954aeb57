//! Statistics for the dashboard: Hacienda's answers, the retry queue and the documents.
//!
//! "Today" is the Costa Rica calendar day (UTC-06:00) of `now`. Percentiles use the nearest
//! rank: p95 of n values is the `ceil(0.95 n)`-th smallest.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use hacienda_core::stats::{DashboardDocument, dashboard};
//! use hacienda_core::IndEstado;
//!
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
//! let doc = |state, secs| DashboardDocument {
//!     state: Some(state),
//!     submitted_at: Some(now - TimeDelta::hours(1)),
//!     answered_at: Some(now - TimeDelta::hours(1) + TimeDelta::seconds(secs)),
//! };
//! let d = dashboard(&[doc(IndEstado::Aceptado, 4), doc(IndEstado::Aceptado, 8), doc(IndEstado::Rechazado, 6)], now, 0);
//! assert_eq!(d.acceptance_rate, Some(2.0 / 3.0));
//! assert_eq!(d.avg_answer_seconds, Some(6.0));
//! assert_eq!(d.p95_answer_seconds, Some(8.0));
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::classify::ErrorCategory;
use crate::fields::COSTA_RICA_OFFSET;
use crate::message::{MessageCode, MessageKind};
use crate::queue::{Operation, QueueRow, QueueState};
use crate::status::IndEstado;

/// The Costa Rica calendar day of an instant.
pub fn costa_rica_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&COSTA_RICA_OFFSET).date_naive()
}

/// Nearest-rank percentile (`p` in (0, 100]) of `values`, reordering them; `None` when empty.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * values.len() as f64).ceil().max(1.0) as usize;
    let index = rank.min(values.len()) - 1;
    let (_, v, _) = values.select_nth_unstable_by(index, f64::total_cmp);
    Some(*v)
}

/// What response statistics read of a stored answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseRecord {
    /// MensajeHacienda or MensajeReceptor.
    pub kind: Option<MessageKind>,
    /// The `Mensaje` decision.
    pub result: Option<MessageCode>,
    /// DetalleMensaje codes.
    pub codes: Vec<i32>,
}

/// Counts over stored answers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResponseStatistics {
    /// Number of answers.
    pub total: usize,
    /// By message kind (`mensaje_hacienda`, `mensaje_receptor`; `unknown` when unset).
    pub by_kind: BTreeMap<String, usize>,
    /// By decision (`accepted`, `partially_accepted`, `rejected`; `unknown` when unset).
    pub by_result: BTreeMap<String, usize>,
    /// Answers mentioning each code (a code repeated in one answer counts once).
    pub by_code: BTreeMap<i32, usize>,
    /// The most frequent codes, most frequent first, then lower code first.
    pub top_codes: Vec<(i32, usize)>,
}

/// Response statistics over `records`, with the `top` most frequent codes.
pub fn response_statistics(records: &[ResponseRecord], top: usize) -> ResponseStatistics {
    let mut s = ResponseStatistics {
        total: records.len(),
        ..ResponseStatistics::default()
    };
    for r in records {
        let kind = r.kind.map_or("unknown", MessageKind::as_str);
        *s.by_kind.entry(kind.to_string()).or_default() += 1;
        let result = r.result.map_or("unknown", MessageCode::as_str);
        *s.by_result.entry(result.to_string()).or_default() += 1;
        let mut codes = r.codes.clone();
        codes.sort_unstable();
        codes.dedup();
        for c in codes {
            *s.by_code.entry(c).or_default() += 1;
        }
    }
    let mut ranked: Vec<(i32, usize)> = s.by_code.iter().map(|(c, n)| (*c, *n)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(top);
    s.top_codes = ranked;
    s
}

/// Counts over the retry queue.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QueueStatistics {
    /// Number of entries.
    pub total: usize,
    /// By state (every state present, zero included).
    pub by_state: BTreeMap<String, usize>,
    /// Pending and processing entries by category of their last failure (`none` when unset).
    pub by_category: BTreeMap<String, usize>,
    /// Pending and processing entries by operation (`unknown` when unset).
    pub by_operation: BTreeMap<String, usize>,
    /// Entries due at `now`.
    pub due_now: usize,
    /// Earliest `next_attempt_at` of a due entry.
    pub oldest_due_at: Option<DateTime<Utc>>,
    /// Entries that gave up (failed) today.
    pub give_ups_today: usize,
}

/// Queue statistics at `now`.
pub fn queue_statistics(rows: &[QueueRow], now: DateTime<Utc>) -> QueueStatistics {
    let today = costa_rica_day(now);
    let mut by_state = [0usize; 5];
    let mut by_category: HashMap<Option<ErrorCategory>, usize> = HashMap::new();
    let mut by_operation: HashMap<Option<Operation>, usize> = HashMap::new();
    let mut s = QueueStatistics {
        total: rows.len(),
        ..QueueStatistics::default()
    };
    for r in rows {
        by_state[r.state as usize] += 1;
        if matches!(r.state, QueueState::Pending | QueueState::Processing) {
            *by_category.entry(r.category).or_default() += 1;
            *by_operation.entry(r.operation).or_default() += 1;
        }
        if r.is_due(now) {
            s.due_now += 1;
            if let Some(t) = r.next_attempt_at {
                s.oldest_due_at = Some(s.oldest_due_at.map_or(t, |o| o.min(t)));
            }
        }
        if r.state == QueueState::Failed && r.updated_at.is_some_and(|t| costa_rica_day(t) == today) {
            s.give_ups_today += 1;
        }
    }
    s.by_state = QueueState::ALL
        .iter()
        .map(|st| (st.as_str().to_string(), by_state[*st as usize]))
        .collect();
    s.by_category = by_category
        .into_iter()
        .map(|(c, n)| (c.map_or("none", ErrorCategory::as_str).to_string(), n))
        .collect();
    s.by_operation = by_operation
        .into_iter()
        .map(|(o, n)| (o.map_or("unknown", Operation::as_str).to_string(), n))
        .collect();
    s
}

/// What the dashboard reads of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardDocument {
    /// Last known `ind-estado`; `None`: not submitted yet.
    pub state: Option<IndEstado>,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When the final answer arrived.
    pub answered_at: Option<DateTime<Utc>>,
}

/// The dashboard numbers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Dashboard {
    /// Number of documents.
    pub total: usize,
    /// By state: `not_submitted`, `recibido`, `procesando`, `aceptado`, `rechazado`, `error`.
    pub by_state: BTreeMap<String, usize>,
    /// aceptado / (aceptado + rechazado); `None` without either.
    pub acceptance_rate: Option<f64>,
    /// Mean seconds from submission to final answer (aceptado, rechazado or error).
    pub avg_answer_seconds: Option<f64>,
    /// p95 (nearest rank) of the same.
    pub p95_answer_seconds: Option<f64>,
    /// Submitted today.
    pub submitted_today: usize,
    /// Accepted today (answer today).
    pub accepted_today: usize,
    /// Rejected today (answer today).
    pub rejected_today: usize,
    /// Not submitted yet.
    pub pending_submissions: usize,
    /// Submitted, no final answer yet (recibido, procesando).
    pub awaiting_answer: usize,
    /// Retry queue size, as passed in.
    pub retry_queue_size: usize,
}

const STATE_KEYS: [&str; 6] = [
    "not_submitted",
    "recibido",
    "procesando",
    "aceptado",
    "rechazado",
    "error",
];

fn state_index(state: Option<IndEstado>) -> usize {
    match state {
        None => 0,
        Some(IndEstado::Recibido) => 1,
        Some(IndEstado::Procesando) => 2,
        Some(IndEstado::Aceptado) => 3,
        Some(IndEstado::Rechazado) => 4,
        Some(IndEstado::Error) => 5,
    }
}

/// The dashboard at `now`.
pub fn dashboard(documents: &[DashboardDocument], now: DateTime<Utc>, retry_queue_size: usize) -> Dashboard {
    let today = costa_rica_day(now);
    let mut counts = [0usize; 6];
    let mut answer_secs: Vec<f64> = Vec::new();
    let mut d = Dashboard {
        total: documents.len(),
        retry_queue_size,
        ..Dashboard::default()
    };
    for doc in documents {
        let i = state_index(doc.state);
        counts[i] += 1;
        if doc.submitted_at.is_some_and(|t| costa_rica_day(t) == today) {
            d.submitted_today += 1;
        }
        if i >= 3 {
            if let (Some(sent), Some(answered)) = (doc.submitted_at, doc.answered_at)
                && answered >= sent
            {
                answer_secs.push((answered - sent).num_milliseconds() as f64 / 1000.0);
            }
            if doc.answered_at.is_some_and(|t| costa_rica_day(t) == today) {
                match i {
                    3 => d.accepted_today += 1,
                    4 => d.rejected_today += 1,
                    _ => {}
                }
            }
        }
    }
    let decided = counts[3] + counts[4];
    d.acceptance_rate = (decided > 0).then(|| counts[3] as f64 / decided as f64);
    if !answer_secs.is_empty() {
        d.avg_answer_seconds = Some(answer_secs.iter().sum::<f64>() / answer_secs.len() as f64);
    }
    d.p95_answer_seconds = percentile(&mut answer_secs, 95.0);
    d.pending_submissions = counts[0];
    d.awaiting_answer = counts[1] + counts[2];
    d.by_state = STATE_KEYS.iter().zip(counts).map(|(k, n)| (k.to_string(), n)).collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};

    #[test]
    fn percentile_nearest_rank() {
        let mut v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&mut v, 95.0), Some(19.0));
        assert_eq!(percentile(&mut [7.0], 95.0), Some(7.0));
        assert_eq!(percentile(&mut [], 95.0), None);
    }

    #[test]
    fn response_counts_and_top_codes() {
        let r = |result, codes: &[i32]| ResponseRecord {
            kind: Some(MessageKind::MensajeHacienda),
            result: Some(result),
            codes: codes.to_vec(),
        };
        let records = [
            r(MessageCode::Rejected, &[16, -53, 16]),
            r(MessageCode::Rejected, &[-53]),
            r(MessageCode::Accepted, &[]),
            ResponseRecord::default(),
        ];
        let s = response_statistics(&records, 1);
        assert_eq!(s.total, 4);
        assert_eq!(s.by_result["rejected"], 2);
        assert_eq!(s.by_kind["unknown"], 1);
        assert_eq!(s.by_code[&16], 1);
        assert_eq!(s.top_codes, vec![(-53, 2)]);
    }

    #[test]
    fn today_is_the_costa_rica_day() {
        // 2026-03-03T02:00Z is still 2 March in Costa Rica.
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 2, 0, 0).unwrap();
        let docs = [
            DashboardDocument {
                state: Some(IndEstado::Aceptado),
                submitted_at: Some(Utc.with_ymd_and_hms(2026, 3, 2, 6, 30, 0).unwrap()),
                answered_at: Some(Utc.with_ymd_and_hms(2026, 3, 2, 6, 30, 10).unwrap()),
            },
            DashboardDocument {
                state: Some(IndEstado::Rechazado),
                submitted_at: Some(Utc.with_ymd_and_hms(2026, 3, 2, 5, 59, 0).unwrap()),
                answered_at: Some(Utc.with_ymd_and_hms(2026, 3, 2, 5, 59, 30).unwrap()),
            },
            DashboardDocument::default(),
        ];
        let d = dashboard(&docs, now, 4);
        assert_eq!((d.submitted_today, d.accepted_today, d.rejected_today), (1, 1, 0));
        assert_eq!((d.pending_submissions, d.retry_queue_size), (1, 4));
        assert_eq!(d.avg_answer_seconds, Some(20.0));
        assert_eq!(d.by_state["not_submitted"], 1);
        assert_eq!(d.acceptance_rate, Some(0.5));
    }

    #[test]
    fn queue_counts() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
        let row = |id, state, next: Option<i64>| QueueRow {
            id,
            state,
            priority: 0,
            next_attempt_at: next.map(|m| now + TimeDelta::minutes(m)),
            category: Some(ErrorCategory::Network),
            operation: Some(Operation::Submit),
            created_at: None,
            updated_at: Some(now),
        };
        let rows = [
            row(1, QueueState::Pending, Some(-30)),
            row(2, QueueState::Pending, Some(-5)),
            row(3, QueueState::Pending, Some(10)),
            row(4, QueueState::Failed, None),
            row(5, QueueState::Done, None),
        ];
        let s = queue_statistics(&rows, now);
        assert_eq!((s.total, s.due_now, s.give_ups_today), (5, 2, 1));
        assert_eq!(s.oldest_due_at, Some(now - TimeDelta::minutes(30)));
        assert_eq!(s.by_state["pending"], 3);
        assert_eq!(s.by_state["cancelled"], 0);
        assert_eq!(s.by_category["network"], 3);
        assert_eq!(s.by_operation["submit"], 3);
    }
}
