//! Bulk plans for the sign / submit / status-check wizards.

use chrono::{DateTime, Utc};
use hacienda_core::bulk as core;
use hacienda_core::queue::Operation;
use pyo3::prelude::*;

use crate::convert::to_dict;
use crate::errors::IntoPyResult;
use crate::rate::{RateLimiter, rate_state};
use crate::records::{enum_value, parsed, utc};
use crate::settings::Settings;

/// One batch of a bulk plan.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct BulkBatch {
    inner: core::BulkBatch,
}

#[pymethods]
impl BulkBatch {
    #[getter]
    fn index(&self) -> usize {
        self.inner.index
    }
    #[getter]
    fn ids(&self) -> Vec<i64> {
        self.inner.ids.clone()
    }
    #[getter]
    fn wave(&self) -> usize {
        self.inner.wave
    }
    #[getter]
    fn start_at(&self) -> DateTime<Utc> {
        self.inner.start_at
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "BulkBatch(index={}, ids=<{} ids>, wave={}, start_at='{}')",
            self.inner.index,
            self.inner.ids.len(),
            self.inner.wave,
            self.inner.start_at.to_rfc3339()
        )
    }
}

/// The whole plan.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct BulkPlan {
    inner: core::BulkPlan,
}

#[pymethods]
impl BulkPlan {
    #[getter]
    fn operation(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_value(py, "Operation", self.inner.operation.as_str())
    }
    #[getter]
    fn batches(&self) -> Vec<BulkBatch> {
        self.inner
            .batches
            .iter()
            .map(|b| BulkBatch { inner: b.clone() })
            .collect()
    }
    #[getter]
    fn total(&self) -> usize {
        self.inner.total
    }
    #[getter]
    fn finish_at(&self) -> DateTime<Utc> {
        self.inner.finish_at
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "BulkPlan(operation='{}', batches=<{}>, total={}, finish_at='{}')",
            self.inner.operation.as_str(),
            self.inner.batches.len(),
            self.inner.total,
            self.inner.finish_at.to_rfc3339()
        )
    }
}

/// Plans `ids` in batches and waves, within the limiter's per-minute limits when given.
#[pyfunction]
#[pyo3(signature = (ids, operation, now, settings, limiter = None, rate_state = None))]
pub fn plan_bulk(
    py: Python<'_>,
    ids: Vec<i64>,
    operation: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    settings: &Settings,
    limiter: Option<&RateLimiter>,
    rate_state: Option<&Bound<'_, PyAny>>,
) -> PyResult<BulkPlan> {
    let operation = parsed(operation, "operation", Operation::parse)?;
    let now = utc(now)?;
    let state = self::rate_state(rate_state)?;
    let limiter = limiter.map(|l| (&l.inner, state));
    let inner = py
        .detach(|| core::plan_bulk(&ids, operation, now, &settings.inner, limiter))
        .py(py)?;
    Ok(BulkPlan { inner })
}
