//! The reading of `POST /recepcion` and `GET /recepcion/{clave}` answers.

use hacienda_core as core;
use pyo3::prelude::*;

use crate::classify::Classification;
use crate::convert::{Input, input, member, to_dict};
use crate::errors::IntoPyResult;
use crate::status::StatusReport;

/// Header pairs from a mapping (`dict`, `requests`' CaseInsensitiveDict) or an iterable of pairs.
fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let pairs = if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    pairs.try_iter()?.map(|p| p?.extract::<(String, String)>()).collect()
}

/// The reading of a `POST /recepcion` answer.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct SubmitOutcome {
    inner: core::SubmitOutcome,
    #[pyo3(get)]
    state: Py<PyAny>,
    #[pyo3(get)]
    classification: Option<Py<Classification>>,
}

#[pymethods]
impl SubmitOutcome {
    #[getter]
    fn http_status(&self) -> u16 {
        self.inner.http_status
    }
    #[getter]
    fn is_received(&self) -> bool {
        self.inner.is_received()
    }
    #[getter]
    fn error_cause(&self) -> Option<&str> {
        self.inner.headers.error_cause.as_deref()
    }
    #[getter]
    fn location(&self) -> Option<&str> {
        self.inner.headers.location.as_deref()
    }
    /// When to try again according to `Retry-After`, seen from `now` (aware datetime).
    fn retry_after(&self, now: chrono::DateTime<chrono::Utc>) -> Option<chrono::DateTime<chrono::Utc>> {
        self.inner.headers.retry_after.map(|r| r.resolve(now))
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        core::submit::describe_outcome(&self.inner)
            .replace('\n', " ")
            .to_string()
    }
}

/// Reads a `POST /recepcion` answer from its status, headers and body.
#[pyfunction]
#[pyo3(signature = (status, headers, body = None))]
pub fn read_submit_response(
    py: Python<'_>,
    status: u16,
    headers: &Bound<'_, PyAny>,
    body: Option<&Bound<'_, PyAny>>,
) -> PyResult<SubmitOutcome> {
    let pairs = header_pairs(headers)?;
    let body = body.map(|b| input(b, "body")).transpose()?;
    let inner = core::read_submit_response(
        status,
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        body.as_ref().map_or(&[][..], Input::as_bytes),
    );
    SubmitOutcome::from_core(py, inner)
}

impl SubmitOutcome {
    /// Wraps a core outcome (also used by the HTTP client).
    pub(crate) fn from_core(py: Python<'_>, inner: core::SubmitOutcome) -> PyResult<Self> {
        Ok(SubmitOutcome {
            state: member(py, "SubmitState", inner.state.as_str())?,
            classification: inner
                .classification
                .clone()
                .map(|c| Classification::new_py(py, c))
                .transpose()?,
            inner,
        })
    }
}

/// The reading of a `GET /recepcion/{clave}` answer.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct StatusAnswer {
    #[pyo3(get)]
    http_status: u16,
    #[pyo3(get)]
    report: Option<Py<StatusReport>>,
    #[pyo3(get)]
    classification: Option<Py<Classification>>,
    headers: core::AnswerHeaders,
}

#[pymethods]
impl StatusAnswer {
    #[getter]
    fn error_cause(&self) -> Option<&str> {
        self.headers.error_cause.as_deref()
    }
    /// When to try again according to `Retry-After`, seen from `now` (aware datetime).
    fn retry_after(&self, now: chrono::DateTime<chrono::Utc>) -> Option<chrono::DateTime<chrono::Utc>> {
        self.headers.retry_after.map(|r| r.resolve(now))
    }
    fn __repr__(&self) -> String {
        format!("StatusAnswer(http_status={})", self.http_status)
    }
}

/// Reads a `GET /recepcion/{clave}` answer; raises `ParseError` when a 2xx body is unreadable.
#[pyfunction]
#[pyo3(signature = (status, headers, body = None))]
pub fn read_status_response(
    py: Python<'_>,
    status: u16,
    headers: &Bound<'_, PyAny>,
    body: Option<&Bound<'_, PyAny>>,
) -> PyResult<StatusAnswer> {
    let pairs = header_pairs(headers)?;
    let body = body.map(|b| input(b, "body")).transpose()?;
    let answer = core::read_status_response(
        status,
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        body.as_ref().map_or(&[][..], Input::as_bytes),
    )
    .py(py)?;
    StatusAnswer::from_core(py, answer)
}

impl StatusAnswer {
    /// Wraps a core answer (also used by the HTTP client).
    pub(crate) fn from_core(py: Python<'_>, answer: core::StatusAnswer) -> PyResult<Self> {
        let classification = answer.classification.clone();
        Ok(StatusAnswer {
            http_status: answer.http_status,
            report: answer
                .report
                .map(|r| Py::new(py, StatusReport::new(py, r, classification.clone())?))
                .transpose()?,
            classification: classification.map(|c| Classification::new_py(py, c)).transpose()?,
            headers: answer.headers,
        })
    }
}
