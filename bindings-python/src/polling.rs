//! Poll planning: which submitted documents to poll in this cron run.

use chrono::{DateTime, Utc};
use hacienda_core::IndEstado;
use hacienda_core::polling as core;
use pyo3::prelude::*;

use crate::convert::to_dict;
use crate::errors::IntoPyResult;
use crate::records::{Records, opt_utc, parsed, utc};
use crate::settings::Settings;

/// The documents to poll in one run.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct PollPlan {
    inner: core::PollPlan,
}

#[pymethods]
impl PollPlan {
    #[getter]
    fn batch(&self) -> Vec<i64> {
        self.inner.batch.clone()
    }
    #[getter]
    fn expired(&self) -> Vec<i64> {
        self.inner.expired.clone()
    }
    #[getter]
    fn more(&self) -> bool {
        self.inner.more
    }
    #[getter]
    fn due_count(&self) -> usize {
        self.inner.due_count
    }
    #[getter]
    fn next_due_at(&self) -> Option<DateTime<Utc>> {
        self.inner.next_due_at
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "PollPlan(batch=<{} ids>, expired=<{} ids>, more={}, due_count={})",
            self.inner.batch.len(),
            self.inner.expired.len(),
            if self.inner.more { "True" } else { "False" },
            self.inner.due_count
        )
    }
}

fn ind_estado(obj: &Bound<'_, PyAny>) -> PyResult<IndEstado> {
    parsed(obj, "ind-estado", |s| IndEstado::parse(s).ok())
}

const FIELDS: &[&str] = &["id", "submitted_at", "state", "poll_count", "last_polled_at"];

fn documents(obj: &Bound<'_, PyAny>) -> PyResult<Vec<core::PollDocument>> {
    let r = Records::new(obj, "documents", FIELDS)?;
    (0..r.len())
        .map(|i| {
            Ok(core::PollDocument {
                id: r.need(i, 0)?.extract().map_err(|_| r.error(i, 0, "must be an int"))?,
                submitted_at: r.map(i, 1, utc)?.ok_or_else(|| r.error(i, 1, "is required"))?,
                state: r.map(i, 2, ind_estado)?,
                poll_count: r.map(i, 3, |v| v.extract())?.unwrap_or(0),
                last_polled_at: r.map(i, 4, utc)?,
            })
        })
        .collect()
}

/// Picks the documents to poll at `now`.
#[pyfunction]
pub fn plan_polls(
    py: Python<'_>,
    documents: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    settings: &Settings,
) -> PyResult<PollPlan> {
    let (docs, now) = (self::documents(documents)?, utc(now)?);
    let inner = py.detach(|| core::plan_polls(&docs, now, &settings.inner)).py(py)?;
    Ok(PollPlan { inner })
}

/// When poll number `poll_count` (0-based) of a document is due.
#[pyfunction]
pub fn next_poll_at(
    py: Python<'_>,
    submitted_at: &Bound<'_, PyAny>,
    poll_count: u32,
    last_polled_at: Option<&Bound<'_, PyAny>>,
    settings: &Settings,
) -> PyResult<DateTime<Utc>> {
    core::next_poll_at(
        utc(submitted_at)?,
        poll_count,
        opt_utc(last_polled_at)?,
        &settings.inner,
    )
    .py(py)
}
