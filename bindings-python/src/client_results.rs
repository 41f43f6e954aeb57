//! What the client returns: `SubmitResult` and `ComprobantesPage`.

use hacienda_core::http as net;
use pyo3::prelude::*;

use crate::answers::{StatusAnswer, SubmitOutcome};
use crate::classify::Classification;
use crate::convert::{member, repr_str, to_dict};

/// The result of one submission.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct SubmitResult {
    inner: net::SubmitResult,
    #[pyo3(get)]
    delivery: Py<PyAny>,
    #[pyo3(get)]
    outcome: Option<Py<SubmitOutcome>>,
    #[pyo3(get)]
    verified: Option<Py<StatusAnswer>>,
    #[pyo3(get)]
    classification: Option<Py<Classification>>,
}

impl SubmitResult {
    pub(crate) fn new(py: Python<'_>, inner: net::SubmitResult) -> PyResult<Self> {
        Ok(SubmitResult {
            delivery: member(py, "Delivery", inner.delivery.as_str())?,
            outcome: inner
                .outcome
                .clone()
                .map(|o| Py::new(py, SubmitOutcome::from_core(py, o)?))
                .transpose()?,
            verified: inner
                .verified
                .clone()
                .map(|a| Py::new(py, StatusAnswer::from_core(py, a)?))
                .transpose()?,
            classification: inner
                .classification
                .clone()
                .map(|c| Classification::new_py(py, c))
                .transpose()?,
            inner,
        })
    }
}

#[pymethods]
impl SubmitResult {
    #[getter]
    fn key(&self) -> &str {
        &self.inner.key
    }
    /// True when Hacienda has the document (now or before): poll it, never resubmit.
    #[getter]
    fn is_received(&self) -> bool {
        matches!(
            self.inner.delivery,
            net::Delivery::Received | net::Delivery::AlreadyReceived
        )
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        let rule = self
            .inner
            .classification
            .as_ref()
            .map_or("None".to_string(), |c| repr_str(c.rule));
        format!(
            "SubmitResult(key={}, delivery={}, rule={rule})",
            repr_str(&self.inner.key),
            repr_str(self.inner.delivery.as_str())
        )
    }
}

/// One page of `GET /comprobantes`.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct ComprobantesPage {
    inner: net::ComprobantesPage,
    #[pyo3(get)]
    classification: Option<Py<Classification>>,
}

impl ComprobantesPage {
    pub(crate) fn new(py: Python<'_>, inner: net::ComprobantesPage) -> PyResult<Self> {
        Ok(ComprobantesPage {
            classification: inner
                .classification
                .clone()
                .map(|c| Classification::new_py(py, c))
                .transpose()?,
            inner,
        })
    }
}

#[pymethods]
impl ComprobantesPage {
    #[getter]
    fn http_status(&self) -> u16 {
        self.inner.http_status
    }
    /// The items as dicts (`clave`, `fecha`, `emisor`, `receptor`).
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner.items)
    }
    /// `(start, end, total)` from `Content-Range`, when present.
    #[getter]
    fn range(&self) -> Option<(u64, u64, Option<u64>)> {
        self.inner.range.map(|r| (r.start, r.end, r.total))
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "ComprobantesPage(http_status={}, items={}, range={:?})",
            self.inner.http_status,
            self.inner.items.len(),
            self.inner.range.map(|r| (r.start, r.end, r.total))
        )
    }
}
