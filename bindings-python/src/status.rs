//! Status answers and callbacks, one at a time or in batches.

use hacienda_core as core;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyList;

use crate::classify::Classification;
use crate::convert::{Input, input, map_parallel, member, repr_str, to_dict};
use crate::errors::{IntoPyResult, error_object};
use crate::message::HaciendaMessage;

/// A `GET /recepcion/{clave}` answer or a callback body.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct StatusReport {
    /// The report with its message moved into `message` (no copy).
    inner: core::StatusReport,
    verdict: Option<core::Classification>,
    #[pyo3(get)]
    state: Py<PyAny>,
    #[pyo3(get)]
    message: Option<Py<HaciendaMessage>>,
    #[pyo3(get)]
    message_error: Option<Py<PyAny>>,
    classification: PyOnceLock<Option<Py<Classification>>>,
}

impl StatusReport {
    pub fn new(py: Python<'_>, mut inner: core::StatusReport, verdict: Option<core::Classification>) -> PyResult<Self> {
        Ok(StatusReport {
            verdict,
            state: member(py, "IndEstado", inner.state.as_str())?,
            message: inner
                .message
                .take()
                .map(|m| Py::new(py, HaciendaMessage::new(py, m)?))
                .transpose()?,
            message_error: inner
                .message_error
                .as_ref()
                .map(|e| error_object(py, e).map(Bound::unbind))
                .transpose()?,
            classification: PyOnceLock::new(),
            inner,
        })
    }
}

#[pymethods]
impl StatusReport {
    #[getter]
    fn clave(&self) -> &str {
        &self.inner.clave
    }
    #[getter]
    fn fecha(&self) -> Option<&str> {
        self.inner.fecha.as_deref()
    }
    #[getter]
    fn fecha_utc(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.inner.fecha_utc
    }
    #[getter]
    fn callback_url(&self) -> Option<&str> {
        self.inner.callback_url.as_deref()
    }
    #[getter]
    fn response_xml(&self) -> Option<&str> {
        self.inner.response_xml.as_deref()
    }
    #[getter]
    fn is_final(&self) -> bool {
        self.inner.is_final()
    }
    #[getter]
    fn classification(&self, py: Python<'_>) -> PyResult<Option<Py<Classification>>> {
        let c = self.classification.get_or_try_init(py, || {
            self.verdict.clone().map(|c| Classification::new_py(py, c)).transpose()
        })?;
        Ok(c.as_ref().map(|c| c.clone_ref(py)))
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = to_dict(py, &self.inner)?;
        if let Some(m) = &self.message {
            d.set_item("message", to_dict(py, &m.get().inner)?)?;
        }
        d.set_item("classification", to_dict(py, &self.verdict)?)?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let codes = self
            .message
            .as_ref()
            .map(|m| m.get().inner.detail.codes())
            .unwrap_or_default();
        format!(
            "StatusReport(clave={}, state={}, codes={codes:?})",
            repr_str(&self.inner.clave),
            repr_str(self.inner.state.as_str())
        )
    }
}

fn parse_one(data: &[u8]) -> core::Result<(core::StatusReport, Option<core::Classification>)> {
    let report = core::parse_status(data)?;
    let classification = core::classify_status(&report);
    Ok((report, classification))
}

/// Parses one status body or callback body (JSON text or bytes).
#[pyfunction]
pub fn parse_status(py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<StatusReport> {
    let data: Input = input(body, "body")?;
    let (report, classification) = py.detach(|| parse_one(data.as_bytes())).py(py)?;
    StatusReport::new(py, report, classification)
}

/// Parses many bodies in one call (the GIL is released while Rust parses, on every core for
/// large batches). Each result is a
/// `StatusReport`, or the `ParseError` instance (not raised) for a body that could not be read.
#[pyfunction]
pub fn parse_status_many<'py>(py: Python<'py>, bodies: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let inputs: Vec<Input> = bodies
        .try_iter()?
        .map(|b| input(&b?, "each body"))
        .collect::<PyResult<_>>()?;
    let parsed = py.detach(|| map_parallel(&inputs, |i| parse_one(i.as_bytes())));
    let objects = parsed
        .into_iter()
        .map(|r| match r {
            Ok((report, c)) => Ok(Bound::new(py, StatusReport::new(py, report, c)?)?.into_any()),
            Err(e) => error_object(py, &e),
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, objects)
}
