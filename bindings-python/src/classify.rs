//! Classification of failures, one at a time or in batches.

use hacienda_core as core;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::{member, repr_num, repr_str, to_dict};

/// The verdict on one failure.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct Classification {
    pub(crate) inner: core::Classification,
    #[pyo3(get)]
    category: Py<PyAny>,
    #[pyo3(get)]
    blocking: Py<PyAny>,
    #[pyo3(get)]
    next_step: Py<PyAny>,
}

impl Classification {
    pub fn new(py: Python<'_>, inner: core::Classification) -> PyResult<Self> {
        Ok(Classification {
            category: member(py, "ErrorCategory", inner.category.as_str())?,
            blocking: member(py, "BlockingLevel", inner.blocking.as_str())?,
            next_step: member(py, "NextStep", inner.next_step.as_str())?,
            inner,
        })
    }

    pub fn new_py(py: Python<'_>, inner: core::Classification) -> PyResult<Py<Self>> {
        Py::new(py, Self::new(py, inner)?)
    }
}

#[pymethods]
impl Classification {
    #[getter]
    fn rule(&self) -> &'static str {
        self.inner.rule
    }
    #[getter]
    fn retryable(&self) -> bool {
        self.inner.retryable
    }
    #[getter]
    fn code(&self) -> Option<i32> {
        self.inner.code
    }
    #[getter]
    fn codes(&self) -> Vec<i32> {
        self.inner.codes.clone()
    }
    #[getter]
    fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }
    #[getter]
    fn reason(&self) -> &str {
        &self.inner.reason
    }
    #[getter]
    fn hint_es(&self) -> &'static str {
        self.inner.hint_es
    }
    #[getter]
    fn hint_en(&self) -> &'static str {
        self.inner.hint_en
    }
    /// The operator hint in `lang` (`"es"` or `"en"`).
    #[pyo3(signature = (lang = "es"))]
    fn hint(&self, lang: &str) -> PyResult<&'static str> {
        match lang {
            "es" => Ok(self.inner.hint_es),
            "en" => Ok(self.inner.hint_en),
            other => Err(PyValueError::new_err(format!(
                "lang must be 'es' or 'en', not {other:?}"
            ))),
        }
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "Classification(category={}, rule={}, retryable={}, code={})",
            repr_str(self.inner.category.as_str()),
            repr_str(self.inner.rule),
            if self.inner.retryable { "True" } else { "False" },
            repr_num(self.inner.code)
        )
    }
}

fn wrap(py: Python<'_>, c: Option<core::Classification>) -> PyResult<Option<Classification>> {
    c.map(|c| Classification::new(py, c)).transpose()
}

/// Classifies an HTTP answer; `None` for 2xx.
#[pyfunction]
#[pyo3(signature = (status, error_cause = None, body = ""))]
pub fn classify_http(
    py: Python<'_>,
    status: u16,
    error_cause: Option<&str>,
    body: &str,
) -> PyResult<Option<Classification>> {
    wrap(py, core::classify_http(status, error_cause, body))
}

/// Classifies free text (an exception message, a log line, a DetalleMensaje).
#[pyfunction]
pub fn classify_text(py: Python<'_>, text: &str) -> PyResult<Classification> {
    Classification::new(py, core::classify_text(text))
}

/// Classifies a transport failure (`"timeout"`, `"connection_refused"`, `"connection_reset"`,
/// `"dns"`, `"tls"`, `"other"`).
#[pyfunction]
#[pyo3(signature = (kind, detail = ""))]
pub fn classify_transport(py: Python<'_>, kind: &Bound<'_, PyAny>, detail: &str) -> PyResult<Classification> {
    let name: String = kind.extract()?;
    let kind: core::TransportError = serde_json::from_value(serde_json::Value::String(name.clone()))
        .map_err(|_| PyValueError::new_err(format!("unknown transport error kind {name:?}")))?;
    Classification::new(py, core::classify_transport(kind, detail))
}

/// Classifies many failures in one call. Each item is a mapping with any of `http_status`,
/// `error_cause`, `body`, `transport`, `text`; the result has `None` where an item is a 2xx.
#[pyfunction]
pub fn classify_many<'py>(py: Python<'py>, items: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let inputs: Vec<core::FailureInput> = items
        .try_iter()?
        .enumerate()
        .map(|(i, item)| pythonize::depythonize(&item?).map_err(|e| PyValueError::new_err(format!("item {i}: {e}"))))
        .collect::<PyResult<_>>()?;
    let results: Vec<Option<core::Classification>> = py.detach(|| inputs.iter().map(core::classify_input).collect());
    let objects = results.into_iter().map(|c| wrap(py, c)).collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, objects)
}
