//! The retry queue: entries, their transitions (failure, success, manual retry, cancel), due
//! selection and cleanup candidates. The host stores the entries; every function here returns
//! the new values to store.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use hacienda_core::backoff::RetryPolicy;
//! use hacienda_core::queue::{Operation, QueueEntry, QueueRow, QueueState, select_due};
//! use hacienda_core::ErrorCategory;
//!
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
//! let entry = QueueEntry::new(7, "FE-0001", Operation::Submit, now);
//! let t = entry.on_failure(&RetryPolicy::default(), ErrorCategory::Network, now, 0.0, None, Some("timeout")).unwrap();
//! assert_eq!(t.entry.state, QueueState::Pending);
//! assert_eq!(t.entry.next_attempt_at, Some(now + TimeDelta::seconds(450)));
//!
//! let rows = [QueueRow::from(&t.entry)];
//! assert_eq!(select_due(&rows, now, 10).ids, Vec::<i64>::new());
//! assert_eq!(select_due(&rows, now + TimeDelta::hours(1), 10).ids, vec![7]);
//! ```

use std::cmp::Ordering;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::backoff::{Decision, RetryPolicy};
use crate::classify::ErrorCategory;
use crate::error::{Error, Result};

/// What a queue entry does again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Sign the document.
    Sign,
    /// `POST /recepcion`.
    Submit,
    /// `GET /recepcion/{clave}`.
    Poll,
    /// Send a receiver message (MensajeReceptor).
    ReceiverMessage,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 4] = [
        Operation::Sign,
        Operation::Submit,
        Operation::Poll,
        Operation::ReceiverMessage,
    ];

    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::Sign => "sign",
            Operation::Submit => "submit",
            Operation::Poll => "poll",
            Operation::ReceiverMessage => "receiver_message",
        }
    }

    /// Parses a snake_case name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == name.trim())
    }
}

/// Where a queue entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueState {
    /// Waiting for `next_attempt_at`.
    Pending,
    /// Taken by a worker.
    Processing,
    /// Succeeded.
    Done,
    /// Given up.
    Failed,
    /// Cancelled by a person.
    Cancelled,
}

impl QueueState {
    /// Every state.
    pub const ALL: [QueueState; 5] = [
        QueueState::Pending,
        QueueState::Processing,
        QueueState::Done,
        QueueState::Failed,
        QueueState::Cancelled,
    ];

    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            QueueState::Pending => "pending",
            QueueState::Processing => "processing",
            QueueState::Done => "done",
            QueueState::Failed => "failed",
            QueueState::Cancelled => "cancelled",
        }
    }

    /// Parses a snake_case name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name.trim())
    }

    /// Done, failed or cancelled.
    pub const fn is_finished(self) -> bool {
        matches!(self, QueueState::Done | QueueState::Failed | QueueState::Cancelled)
    }
}

/// Longest `last_error` kept, in characters.
pub const MAX_ERROR_CHARS: usize = 2000;

/// One retry-queue entry as the host stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    /// Host record id.
    pub id: i64,
    /// The document (Odoo `account.move,42`, a clave, ...).
    pub document_ref: String,
    /// What to do again.
    pub operation: Operation,
    /// Failed attempts so far.
    #[serde(default)]
    pub attempts: u32,
    /// Category of the last failure.
    #[serde(default)]
    pub category: Option<ErrorCategory>,
    /// Higher runs first.
    #[serde(default)]
    pub priority: i32,
    /// When the entry is due (`None`: due now).
    #[serde(default)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Where the entry is.
    #[serde(default = "pending")]
    pub state: QueueState,
    /// Last error message (at most [`MAX_ERROR_CHARS`] characters).
    #[serde(default)]
    pub last_error: Option<String>,
    /// When the entry was created.
    pub created_at: DateTime<Utc>,
    /// When the first failure happened (bounds the policy's `max_elapsed`).
    #[serde(default)]
    pub first_failure_at: Option<DateTime<Utc>>,
    /// Last transition.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

fn pending() -> QueueState {
    QueueState::Pending
}

/// The result of recording a failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    /// The entry to store.
    pub entry: QueueEntry,
    /// The policy's decision.
    pub decision: Decision,
    /// True when the entry gave up: a notification is due.
    pub notify: bool,
}

impl QueueEntry {
    /// A new pending entry, due now, with no failure yet.
    pub fn new(id: i64, document_ref: &str, operation: Operation, created_at: DateTime<Utc>) -> Self {
        QueueEntry {
            id,
            document_ref: document_ref.to_string(),
            operation,
            attempts: 0,
            category: None,
            priority: 0,
            next_attempt_at: None,
            state: QueueState::Pending,
            last_error: None,
            created_at,
            first_failure_at: None,
            updated_at: None,
        }
    }

    fn refuse<T>(&self, action: &str) -> Result<T> {
        Err(Error::InvalidField {
            field: "state",
            value: self.state.as_str().to_string(),
            reason: format!("cannot {action} a queue entry that is {}", self.state.as_str()),
        })
    }

    /// Pending with `next_attempt_at` unset or not after `now`.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.state == QueueState::Pending && self.next_attempt_at.is_none_or(|t| t <= now)
    }

    /// Records failure number `attempts + 1`: pending again at the policy's instant, or failed
    /// with `notify`. Refused for done and cancelled entries.
    pub fn on_failure(
        &self,
        policy: &RetryPolicy,
        category: ErrorCategory,
        now: DateTime<Utc>,
        sample: f64,
        retry_after: Option<DateTime<Utc>>,
        error: Option<&str>,
    ) -> Result<Transition> {
        if matches!(self.state, QueueState::Done | QueueState::Cancelled) {
            return self.refuse("record a failure for");
        }
        let mut entry = self.clone();
        entry.attempts = self.attempts.saturating_add(1);
        entry.category = Some(category);
        entry.first_failure_at = Some(self.first_failure_at.unwrap_or(now));
        entry.updated_at = Some(now);
        if let Some(text) = error {
            entry.last_error = Some(text.chars().take(MAX_ERROR_CHARS).collect());
        }
        let first = entry.first_failure_at.unwrap_or(now);
        let decision = policy.plan(category, entry.attempts, first, now, sample, retry_after)?;
        let notify = match decision {
            Decision::Retry { at, .. } => {
                entry.state = QueueState::Pending;
                entry.next_attempt_at = Some(at);
                false
            }
            Decision::GiveUp { .. } => {
                entry.state = QueueState::Failed;
                entry.next_attempt_at = None;
                true
            }
        };
        Ok(Transition {
            entry,
            decision,
            notify,
        })
    }

    /// The operation succeeded: done. Refused for cancelled entries.
    pub fn on_success(&self, now: DateTime<Utc>) -> Result<QueueEntry> {
        if self.state == QueueState::Cancelled {
            return self.refuse("complete");
        }
        Ok(QueueEntry {
            state: QueueState::Done,
            next_attempt_at: None,
            updated_at: Some(now),
            ..self.clone()
        })
    }

    /// Manual "retry now": pending and due at `now` (from pending, failed or cancelled).
    pub fn retry_now(&self, now: DateTime<Utc>) -> Result<QueueEntry> {
        if matches!(self.state, QueueState::Done | QueueState::Processing) {
            return self.refuse("retry");
        }
        Ok(QueueEntry {
            state: QueueState::Pending,
            next_attempt_at: Some(now),
            updated_at: Some(now),
            ..self.clone()
        })
    }

    /// Cancelled (refused for done entries).
    pub fn cancel(&self, now: DateTime<Utc>) -> Result<QueueEntry> {
        if self.state == QueueState::Done {
            return self.refuse("cancel");
        }
        Ok(QueueEntry {
            state: QueueState::Cancelled,
            next_attempt_at: None,
            updated_at: Some(now),
            ..self.clone()
        })
    }
}

/// The columns of a queue entry that selection, statistics and cleanup read (a host passes
/// 100 000 of these without building full entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    /// Host record id.
    pub id: i64,
    /// State.
    #[serde(default = "pending")]
    pub state: QueueState,
    /// Higher runs first.
    #[serde(default)]
    pub priority: i32,
    /// Due instant (`None`: due now, before any dated entry of the same priority).
    #[serde(default)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Category of the last failure.
    #[serde(default)]
    pub category: Option<ErrorCategory>,
    /// Operation.
    #[serde(default)]
    pub operation: Option<Operation>,
    /// Creation instant.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Last transition.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<&QueueEntry> for QueueRow {
    fn from(e: &QueueEntry) -> Self {
        QueueRow {
            id: e.id,
            state: e.state,
            priority: e.priority,
            next_attempt_at: e.next_attempt_at,
            category: e.category,
            operation: Some(e.operation),
            created_at: Some(e.created_at),
            updated_at: e.updated_at,
        }
    }
}

impl QueueRow {
    /// Pending with `next_attempt_at` unset or not after `now`.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.state == QueueState::Pending && self.next_attempt_at.is_none_or(|t| t <= now)
    }
}

/// Due entries picked for one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueSelection {
    /// Ids to process, in order.
    pub ids: Vec<i64>,
    /// More entries are due than `limit`: run again.
    pub more: bool,
}

/// Priority descending, then due instant ascending (unset first), then id.
fn run_order(a: &QueueRow, b: &QueueRow) -> Ordering {
    b.priority
        .cmp(&a.priority)
        .then_with(|| a.next_attempt_at.cmp(&b.next_attempt_at))
        .then_with(|| a.id.cmp(&b.id))
}

/// At most `limit` due entries, highest priority first, then earliest due, then lowest id, and
/// whether more are due.
pub fn select_due(rows: &[QueueRow], now: DateTime<Utc>, limit: usize) -> DueSelection {
    let mut due: Vec<&QueueRow> = rows.iter().filter(|r| r.is_due(now)).collect();
    let more = due.len() > limit;
    if more && limit > 0 {
        due.select_nth_unstable_by(limit - 1, |a, b| run_order(a, b));
    }
    due.truncate(limit);
    due.sort_unstable_by(|a, b| run_order(a, b));
    DueSelection {
        ids: due.into_iter().map(|r| r.id).collect(),
        more,
    }
}

/// Ids of done, failed or cancelled entries whose last change (`updated_at`, else
/// `created_at`) is more than `days` days before `now`, in input order.
pub fn cleanup_candidates(rows: &[QueueRow], now: DateTime<Utc>, days: u32) -> Vec<i64> {
    let limit = now - TimeDelta::days(i64::from(days));
    rows.iter()
        .filter(|r| r.state.is_finished() && r.updated_at.or(r.created_at).is_some_and(|t| t < limit))
        .map(|r| r.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    fn row(id: i64, state: QueueState, priority: i32, next: Option<DateTime<Utc>>) -> QueueRow {
        QueueRow {
            id,
            state,
            priority,
            next_attempt_at: next,
            category: None,
            operation: None,
            created_at: None,
            updated_at: None,
        }
    }

    #[test]
    fn failures_reschedule_then_give_up_with_a_notification() {
        let policy = RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        };
        let e = QueueEntry::new(1, "doc", Operation::Submit, t(8, 0));
        let a = e
            .on_failure(&policy, ErrorCategory::Server, t(9, 0), 0.0, None, Some("503"))
            .unwrap();
        assert_eq!(
            (a.entry.attempts, a.entry.state, a.notify),
            (1, QueueState::Pending, false)
        );
        assert_eq!(a.entry.next_attempt_at, Some(t(9, 7) + TimeDelta::seconds(30)));
        assert_eq!(a.entry.first_failure_at, Some(t(9, 0)));
        let b = a
            .entry
            .on_failure(&policy, ErrorCategory::Server, t(9, 10), 0.0, None, None)
            .unwrap();
        assert_eq!(b.entry.attempts, 2);
        assert_eq!(b.entry.first_failure_at, Some(t(9, 0)));
        assert_eq!(b.entry.last_error.as_deref(), Some("503"));
        let c = b
            .entry
            .on_failure(&policy, ErrorCategory::Server, t(10, 0), 0.0, None, None)
            .unwrap();
        assert_eq!((c.entry.state, c.notify), (QueueState::Failed, true));
        assert_eq!(c.entry.next_attempt_at, None);
    }

    #[test]
    fn manual_transitions() {
        let e = QueueEntry::new(1, "doc", Operation::Poll, t(8, 0));
        let done = e.on_success(t(8, 1)).unwrap();
        assert_eq!(done.state, QueueState::Done);
        assert!(done.cancel(t(8, 2)).is_err());
        assert!(done.retry_now(t(8, 2)).is_err());
        let policy = RetryPolicy::default();
        assert!(
            done.on_failure(&policy, ErrorCategory::Network, t(8, 2), 0.0, None, None)
                .is_err()
        );
        let cancelled = e.cancel(t(8, 3)).unwrap();
        assert_eq!(cancelled.state, QueueState::Cancelled);
        let again = cancelled.retry_now(t(8, 4)).unwrap();
        assert_eq!(
            (again.state, again.next_attempt_at),
            (QueueState::Pending, Some(t(8, 4)))
        );
        assert!(again.is_due(t(8, 4)));
    }

    #[test]
    fn long_errors_are_cut() {
        let e = QueueEntry::new(1, "doc", Operation::Sign, t(8, 0));
        let long = "é".repeat(5000);
        let tr = e
            .on_failure(
                &RetryPolicy::default(),
                ErrorCategory::Unknown,
                t(8, 0),
                0.0,
                None,
                Some(&long),
            )
            .unwrap();
        assert_eq!(tr.entry.last_error.unwrap().chars().count(), MAX_ERROR_CHARS);
    }

    #[test]
    fn selection_orders_by_priority_then_due_time() {
        use QueueState::*;
        let rows = [
            row(1, Pending, 0, Some(t(9, 0))),
            row(2, Pending, 5, Some(t(11, 0))),
            row(3, Pending, 0, Some(t(8, 0))),
            row(4, Done, 9, Some(t(8, 0))),
            row(5, Pending, 0, Some(t(13, 0))), // not due
            row(6, Pending, 0, None),
            row(7, Failed, 9, None),
        ];
        let all = select_due(&rows, t(12, 0), 10);
        assert_eq!(all.ids, vec![2, 6, 3, 1]);
        assert!(!all.more);
        let two = select_due(&rows, t(12, 0), 2);
        assert_eq!(two.ids, vec![2, 6]);
        assert!(two.more);
        let none = select_due(&rows, t(12, 0), 0);
        assert!(none.ids.is_empty() && none.more);
    }

    #[test]
    fn cleanup_takes_old_finished_entries() {
        use QueueState::*;
        let now = Utc.with_ymd_and_hms(2026, 4, 30, 0, 0, 0).unwrap();
        let mut rows = vec![
            row(1, Done, 0, None),
            row(2, Failed, 0, None),
            row(3, Pending, 0, None),
            row(4, Cancelled, 0, None),
            row(5, Done, 0, None),
        ];
        rows[0].updated_at = Some(now - TimeDelta::days(31));
        rows[1].created_at = Some(now - TimeDelta::days(40));
        rows[2].updated_at = Some(now - TimeDelta::days(99));
        rows[3].updated_at = Some(now - TimeDelta::days(30)); // exactly 30 days: kept
        rows[4].updated_at = Some(now - TimeDelta::days(1));
        rows[4].created_at = Some(now - TimeDelta::days(90));
        assert_eq!(cleanup_candidates(&rows, now, 30), vec![1, 2]);
    }
}
