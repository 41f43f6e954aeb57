//! The retry-queue entry class and its reading from a mapping.

use chrono::{DateTime, Utc};
use hacienda_core::queue as core;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use crate::backoff::category;
use crate::convert::{member, repr_str, to_dict};
use crate::records::{enum_value, is_unset, opt_utc, parsed, utc};

/// One retry-queue entry as the host stores it.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct QueueEntry {
    pub(crate) inner: core::QueueEntry,
}

fn opt<'py>(values: &Bound<'py, PyAny>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    match values.get_item(key) {
        Ok(v) if is_unset(&v) => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(values.py()) => Ok(None),
        Err(e) => Err(e),
    }
}

fn need<'py>(values: &Bound<'py, PyAny>, key: &str) -> PyResult<Bound<'py, PyAny>> {
    opt(values, key)?.ok_or_else(|| PyTypeError::new_err(format!("queue entry: {key} is required")))
}

pub fn operation(obj: &Bound<'_, PyAny>) -> PyResult<core::Operation> {
    parsed(obj, "operation", core::Operation::parse)
}

pub fn state(obj: &Bound<'_, PyAny>) -> PyResult<core::QueueState> {
    parsed(obj, "queue state", core::QueueState::parse)
}

/// A `QueueEntry` or a mapping with its fields.
pub fn entry(obj: &Bound<'_, PyAny>) -> PyResult<core::QueueEntry> {
    if let Ok(e) = obj.cast::<QueueEntry>() {
        return Ok(e.get().inner.clone());
    }
    let o = |k| opt(obj, k);
    Ok(core::QueueEntry {
        id: need(obj, "id")?.extract()?,
        document_ref: need(obj, "document_ref")?.extract()?,
        operation: operation(&need(obj, "operation")?)?,
        attempts: o("attempts")?.map(|v| v.extract()).transpose()?.unwrap_or(0),
        category: o("category")?.map(|v| category(&v)).transpose()?,
        priority: o("priority")?.map(|v| v.extract()).transpose()?.unwrap_or(0),
        next_attempt_at: opt_utc(o("next_attempt_at")?.as_ref())?,
        state: o("state")?
            .map(|v| state(&v))
            .transpose()?
            .unwrap_or(core::QueueState::Pending),
        last_error: o("last_error")?.map(|v| v.extract()).transpose()?,
        created_at: utc(&need(obj, "created_at")?)?,
        first_failure_at: opt_utc(o("first_failure_at")?.as_ref())?,
        updated_at: opt_utc(o("updated_at")?.as_ref())?,
    })
}

#[pymethods]
impl QueueEntry {
    #[new]
    #[pyo3(signature = (*, id, document_ref, operation, created_at, attempts = 0, category = None, priority = 0,
        next_attempt_at = None, state = None, last_error = None, first_failure_at = None, updated_at = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        id: i64,
        document_ref: String,
        operation: &Bound<'_, PyAny>,
        created_at: &Bound<'_, PyAny>,
        attempts: u32,
        category: Option<&Bound<'_, PyAny>>,
        priority: i32,
        next_attempt_at: Option<&Bound<'_, PyAny>>,
        state: Option<&Bound<'_, PyAny>>,
        last_error: Option<String>,
        first_failure_at: Option<&Bound<'_, PyAny>>,
        updated_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Ok(QueueEntry {
            inner: core::QueueEntry {
                id,
                document_ref,
                operation: self::operation(operation)?,
                attempts,
                category: category
                    .filter(|c| !c.is_none())
                    .map(crate::backoff::category)
                    .transpose()?,
                priority,
                next_attempt_at: opt_utc(next_attempt_at)?,
                state: state.map(self::state).transpose()?.unwrap_or(core::QueueState::Pending),
                last_error,
                created_at: utc(created_at)?,
                first_failure_at: opt_utc(first_failure_at)?,
                updated_at: opt_utc(updated_at)?,
            },
        })
    }

    #[staticmethod]
    fn from_dict(values: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(QueueEntry { inner: entry(values)? })
    }

    #[getter]
    fn id(&self) -> i64 {
        self.inner.id
    }
    #[getter]
    fn document_ref(&self) -> &str {
        &self.inner.document_ref
    }
    #[getter]
    fn operation(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_value(py, "Operation", self.inner.operation.as_str())
    }
    #[getter]
    fn attempts(&self) -> u32 {
        self.inner.attempts
    }
    #[getter]
    fn category(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .category
            .map(|c| member(py, "ErrorCategory", c.as_str()))
            .transpose()
    }
    #[getter]
    fn priority(&self) -> i32 {
        self.inner.priority
    }
    #[getter]
    fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.inner.next_attempt_at
    }
    #[getter]
    fn state(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_value(py, "QueueState", self.inner.state.as_str())
    }
    #[getter]
    fn last_error(&self) -> Option<&str> {
        self.inner.last_error.as_deref()
    }
    #[getter]
    fn created_at(&self) -> DateTime<Utc> {
        self.inner.created_at
    }
    #[getter]
    fn first_failure_at(&self) -> Option<DateTime<Utc>> {
        self.inner.first_failure_at
    }
    #[getter]
    fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.inner.updated_at
    }
    fn is_due(&self, now: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.inner.is_due(utc(now)?))
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        let e = &self.inner;
        format!(
            "QueueEntry(id={}, document_ref={}, operation='{}', state='{}', attempts={}, next_attempt_at={})",
            e.id,
            repr_str(&e.document_ref),
            e.operation.as_str(),
            e.state.as_str(),
            e.attempts,
            e.next_attempt_at
                .map_or("None".into(), |t| format!("'{}'", t.to_rfc3339()))
        )
    }
}
