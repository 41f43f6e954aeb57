//! DetalleMensaje lines as frozen Python classes.

use hacienda_core as core;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

use crate::convert::{member, repr_str, to_dict};
use crate::message::HaciendaMessage;

/// One coded line of a DetalleMensaje.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct DetailLine {
    #[pyo3(get)]
    code: i32,
    #[pyo3(get)]
    message: String,
    #[pyo3(get)]
    row: u32,
    #[pyo3(get)]
    column: u32,
    #[pyo3(get)]
    severity: Py<PyAny>,
    #[pyo3(get)]
    is_schema_error: bool,
}

#[pymethods]
impl DetailLine {
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = PyDict::new(py);
        d.set_item("code", self.code)?;
        d.set_item("message", &self.message)?;
        d.set_item("row", self.row)?;
        d.set_item("column", self.column)?;
        d.set_item("severity", self.severity.bind(py).getattr("value")?)?;
        Ok(d.into_any())
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let severity: String = self.severity.bind(py).getattr("value")?.extract()?;
        Ok(format!(
            "DetailLine(code={}, severity={}, row={}, column={}, message={})",
            self.code,
            repr_str(&severity),
            self.row,
            self.column,
            repr_str(&self.message)
        ))
    }
}

/// The structured DetalleMensaje (a view into its message: nothing is copied).
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct Detail {
    owner: Py<HaciendaMessage>,
    lines: PyOnceLock<Py<PyList>>,
}

impl Detail {
    pub fn new(owner: Py<HaciendaMessage>) -> Self {
        Detail {
            owner,
            lines: PyOnceLock::new(),
        }
    }

    fn inner(&self) -> &core::Detail {
        &self.owner.get().inner.detail
    }
}

#[pymethods]
impl Detail {
    #[getter]
    fn lines(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let list = self.lines.get_or_try_init(py, || {
            let lines = self
                .inner()
                .lines
                .iter()
                .map(|l| {
                    Ok(DetailLine {
                        code: l.code,
                        message: l.message.clone(),
                        row: l.row,
                        column: l.column,
                        severity: member(py, "Severity", l.severity.as_str())?,
                        is_schema_error: l.is_schema_error(),
                    })
                })
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, lines).map(Bound::unbind)
        })?;
        Ok(list.clone_ref(py))
    }
    #[getter]
    fn raw(&self) -> &str {
        &self.inner().raw
    }
    #[getter]
    fn sandbox(&self) -> bool {
        self.inner().sandbox
    }
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.inner().notes.clone()
    }
    #[getter]
    fn codes(&self) -> Vec<i32> {
        self.inner().codes()
    }
    #[getter]
    fn error_codes(&self) -> Vec<i32> {
        self.inner().errors().map(|l| l.code).collect()
    }
    #[getter]
    fn warning_codes(&self) -> Vec<i32> {
        self.inner().warnings().map(|l| l.code).collect()
    }
    fn summary(&self) -> String {
        self.inner().summary()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.inner())
    }
    fn __repr__(&self) -> String {
        let notes: Vec<String> = self.inner().notes.iter().map(|n| repr_str(n)).collect();
        format!(
            "Detail(sandbox={}, codes={:?}, notes=[{}])",
            if self.inner().sandbox { "True" } else { "False" },
            self.inner().codes(),
            notes.join(", ")
        )
    }
}
