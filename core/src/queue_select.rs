//! Reading the retry queue in bulk: due selection and cleanup candidates over [`QueueRow`]s, the
//! few columns of an entry a cron needs (a host passes 100 000 of these without building full
//! entries). Re-exported from [`crate::queue`].

use std::cmp::Ordering;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::classify::ErrorCategory;
use crate::instant::minus;
use crate::queue::{Operation, QueueEntry, QueueState};

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
    let limit = minus(now, TimeDelta::days(i64::from(days)));
    rows.iter()
        .filter(|r| r.state.is_finished() && r.updated_at.or(r.created_at).is_some_and(|t| t < limit))
        .map(|r| r.id)
        .collect()
}

fn pending() -> QueueState {
    QueueState::Pending
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
