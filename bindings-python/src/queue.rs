//! Retry-queue transitions, due selection and cleanup candidates.

use hacienda_core::queue as core;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::backoff::{RetryDecision, RetryPolicy};
use crate::convert::to_dict;
use crate::errors::IntoPyResult;
use crate::queue_entry::{QueueEntry, entry, operation, state};
use crate::records::{Records, opt_utc, utc};

/// The result of recording a failure.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct QueueTransition {
    inner: core::Transition,
    #[pyo3(get)]
    entry: Py<QueueEntry>,
    #[pyo3(get)]
    decision: Py<RetryDecision>,
}

#[pymethods]
impl QueueTransition {
    #[getter]
    fn notify(&self) -> bool {
        self.inner.notify
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "QueueTransition(state='{}', attempts={}, notify={})",
            self.inner.entry.state.as_str(),
            self.inner.entry.attempts,
            if self.inner.notify { "True" } else { "False" }
        )
    }
}

fn refused(result: hacienda_core::Result<core::QueueEntry>) -> PyResult<QueueEntry> {
    result
        .map(|inner| QueueEntry { inner })
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Records a failure: pending at the policy's instant, or failed with `notify`.
#[pyfunction]
#[pyo3(signature = (policy, entry, category, now, sample = 0.0, retry_after = None, error = None))]
#[allow(clippy::too_many_arguments)]
pub fn queue_on_failure(
    py: Python<'_>,
    policy: &RetryPolicy,
    entry: &Bound<'_, PyAny>,
    category: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    sample: f64,
    retry_after: Option<&Bound<'_, PyAny>>,
    error: Option<&str>,
) -> PyResult<QueueTransition> {
    let e = self::entry(entry)?;
    let category = crate::backoff::category(category)?;
    let (now, retry_after) = (utc(now)?, opt_utc(retry_after)?);
    if matches!(e.state, core::QueueState::Done | core::QueueState::Cancelled) {
        return Err(PyValueError::new_err(format!(
            "cannot record a failure for a queue entry that is {}",
            e.state.as_str()
        )));
    }
    let inner = e
        .on_failure(&policy.inner, category, now, sample, retry_after, error)
        .py(py)?;
    Ok(QueueTransition {
        entry: Py::new(
            py,
            QueueEntry {
                inner: inner.entry.clone(),
            },
        )?,
        decision: Py::new(py, RetryDecision { inner: inner.decision })?,
        inner,
    })
}

/// The operation succeeded: done.
#[pyfunction]
pub fn queue_on_success(entry: &Bound<'_, PyAny>, now: &Bound<'_, PyAny>) -> PyResult<QueueEntry> {
    refused(self::entry(entry)?.on_success(utc(now)?))
}

/// Manual "retry now": pending, due at `now`.
#[pyfunction]
pub fn queue_retry_now(entry: &Bound<'_, PyAny>, now: &Bound<'_, PyAny>) -> PyResult<QueueEntry> {
    refused(self::entry(entry)?.retry_now(utc(now)?))
}

/// Cancels an entry (not a done one).
#[pyfunction]
pub fn queue_cancel(entry: &Bound<'_, PyAny>, now: &Bound<'_, PyAny>) -> PyResult<QueueEntry> {
    refused(self::entry(entry)?.cancel(utc(now)?))
}

const ROW_FIELDS: &[&str] = &[
    "id",
    "state",
    "priority",
    "next_attempt_at",
    "category",
    "operation",
    "created_at",
    "updated_at",
];

/// Queue rows from a batch of records (only the columns selection and statistics read).
pub fn rows(obj: &Bound<'_, PyAny>) -> PyResult<Vec<core::QueueRow>> {
    let r = Records::new(obj, "entries", ROW_FIELDS)?;
    (0..r.len())
        .map(|i| {
            Ok(core::QueueRow {
                id: r.need(i, 0)?.extract().map_err(|_| r.error(i, 0, "must be an int"))?,
                state: r.map(i, 1, state)?.unwrap_or(core::QueueState::Pending),
                priority: r.map(i, 2, |v| v.extract())?.unwrap_or(0),
                next_attempt_at: r.map(i, 3, utc)?,
                category: r.map(i, 4, crate::backoff::category)?,
                operation: r.map(i, 5, operation)?,
                created_at: r.map(i, 6, utc)?,
                updated_at: r.map(i, 7, utc)?,
            })
        })
        .collect()
}

/// At most `limit` due entry ids (priority, then due time, then id) and whether more are due.
#[pyfunction]
pub fn select_due(
    py: Python<'_>,
    entries: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    limit: usize,
) -> PyResult<(Vec<i64>, bool)> {
    let (rows, now) = (rows(entries)?, utc(now)?);
    let s = py.detach(|| core::select_due(&rows, now, limit));
    Ok((s.ids, s.more))
}

/// Ids of done/failed/cancelled entries last changed more than `days` days before `now`.
#[pyfunction]
#[pyo3(signature = (entries, now, days = 30))]
pub fn cleanup_candidates(
    py: Python<'_>,
    entries: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    days: u32,
) -> PyResult<Vec<i64>> {
    let (rows, now) = (rows(entries)?, utc(now)?);
    Ok(py.detach(|| core::cleanup_candidates(&rows, now, days)))
}
