//! Dashboard, response and queue statistics over whole batches of records.

use chrono::{DateTime, Utc};
use hacienda_core::IndEstado;
use hacienda_core::message::{MessageCode, MessageKind};
use hacienda_core::stats as core;
use pyo3::prelude::*;

use crate::convert::to_dict;
use crate::records::{Records, parsed, utc};

macro_rules! getters {
    ($class:ident { $($name:ident: $ty:ty),* $(,)? }) => {
        #[pymethods]
        impl $class {
            $(
                #[getter]
                fn $name(&self) -> $ty {
                    self.inner.$name.clone()
                }
            )*
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                to_dict(py, &self.inner)
            }
            fn __repr__(&self) -> String {
                format!(concat!(stringify!($class), "(total={})"), self.inner.total)
            }
        }
    };
}

/// Counts over stored answers.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct ResponseStatistics {
    inner: core::ResponseStatistics,
}

getters!(ResponseStatistics {
    total: usize,
    by_kind: std::collections::BTreeMap<String, usize>,
    by_result: std::collections::BTreeMap<String, usize>,
    by_code: std::collections::BTreeMap<i32, usize>,
    top_codes: Vec<(i32, usize)>,
});

/// Counts over the retry queue.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct QueueStatistics {
    inner: core::QueueStatistics,
}

getters!(QueueStatistics {
    total: usize,
    by_state: std::collections::BTreeMap<String, usize>,
    by_category: std::collections::BTreeMap<String, usize>,
    by_operation: std::collections::BTreeMap<String, usize>,
    due_now: usize,
    oldest_due_at: Option<DateTime<Utc>>,
    give_ups_today: usize,
});

/// The dashboard numbers.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct Dashboard {
    inner: core::Dashboard,
}

getters!(Dashboard {
    total: usize,
    by_state: std::collections::BTreeMap<String, usize>,
    acceptance_rate: Option<f64>,
    avg_answer_seconds: Option<f64>,
    p95_answer_seconds: Option<f64>,
    submitted_today: usize,
    accepted_today: usize,
    rejected_today: usize,
    pending_submissions: usize,
    awaiting_answer: usize,
    retry_queue_size: usize,
});

const RESPONSE_FIELDS: &[&str] = &["kind", "result", "codes"];

/// Response statistics: by kind, by result, by code and the `top` most frequent codes.
#[pyfunction]
#[pyo3(signature = (responses, top = 10))]
pub fn response_statistics(py: Python<'_>, responses: &Bound<'_, PyAny>, top: usize) -> PyResult<ResponseStatistics> {
    let r = Records::new(responses, "responses", RESPONSE_FIELDS)?;
    let records = (0..r.len())
        .map(|i| {
            Ok(core::ResponseRecord {
                kind: r.map(i, 0, |v| {
                    parsed(v, "message kind", |s| {
                        [MessageKind::MensajeHacienda, MessageKind::MensajeReceptor]
                            .into_iter()
                            .find(|k| k.as_str() == s)
                    })
                })?,
                result: r.map(i, 1, |v| {
                    parsed(v, "message result", |s| {
                        [
                            MessageCode::Accepted,
                            MessageCode::PartiallyAccepted,
                            MessageCode::Rejected,
                        ]
                        .into_iter()
                        .find(|k| k.as_str() == s)
                    })
                })?,
                codes: r.map(i, 2, |v| v.extract())?.unwrap_or_default(),
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let inner = py.detach(|| core::response_statistics(&records, top));
    Ok(ResponseStatistics { inner })
}

/// Queue statistics at `now`.
#[pyfunction]
pub fn queue_statistics(
    py: Python<'_>,
    entries: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<QueueStatistics> {
    let (rows, now) = (crate::queue::rows(entries)?, utc(now)?);
    let inner = py.detach(|| core::queue_statistics(&rows, now));
    Ok(QueueStatistics { inner })
}

const DOCUMENT_FIELDS: &[&str] = &["state", "submitted_at", "answered_at"];

/// The dashboard over `documents` at `now`.
#[pyfunction]
#[pyo3(signature = (documents, now, retry_queue_size = 0))]
pub fn dashboard(
    py: Python<'_>,
    documents: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    retry_queue_size: usize,
) -> PyResult<Dashboard> {
    let r = Records::new(documents, "documents", DOCUMENT_FIELDS)?;
    let docs = (0..r.len())
        .map(|i| {
            Ok(core::DashboardDocument {
                state: r.map(i, 0, |v| parsed(v, "ind-estado", |s| IndEstado::parse(s).ok()))?,
                submitted_at: r.map(i, 1, utc)?,
                answered_at: r.map(i, 2, utc)?,
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let now = utc(now)?;
    let inner = py.detach(|| core::dashboard(&docs, now, retry_queue_size));
    Ok(Dashboard { inner })
}
