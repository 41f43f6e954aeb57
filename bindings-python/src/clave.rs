//! Claves and consecutivos.

use chrono::NaiveDate;
use hacienda_core as core;
use pyo3::prelude::*;

use crate::convert::{member, repr_str, to_dict};
use crate::errors::{IntoPyResult, to_py_err};

/// A 20-digit consecutivo.
#[pyclass(frozen, eq, module = "hacienda_cr._native")]
#[derive(PartialEq)]
pub struct Consecutivo {
    inner: core::Consecutivo,
}

#[pymethods]
impl Consecutivo {
    #[getter]
    fn branch(&self) -> u16 {
        self.inner.branch
    }
    #[getter]
    fn terminal(&self) -> u32 {
        self.inner.terminal
    }
    #[getter]
    fn document_type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::enum_member(py, "DocumentType", self.inner.document_type.as_str())
    }
    #[getter]
    fn number(&self) -> u64 {
        self.inner.number
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        format!("Consecutivo({})", repr_str(&self.inner.to_string()))
    }
}

/// A validated 50-digit clave, explained.
#[pyclass(frozen, eq, module = "hacienda_cr._native")]
#[derive(PartialEq)]
pub struct Clave {
    inner: core::Clave,
}

#[pymethods]
impl Clave {
    #[getter]
    fn digits(&self) -> &str {
        &self.inner.digits
    }
    #[getter]
    fn country(&self) -> &str {
        &self.inner.country
    }
    #[getter]
    fn date(&self) -> NaiveDate {
        self.inner.date
    }
    #[getter]
    fn issuer_id(&self) -> &str {
        &self.inner.issuer_id
    }
    #[getter]
    fn consecutivo(&self) -> Consecutivo {
        Consecutivo {
            inner: self.inner.consecutivo,
        }
    }
    #[getter]
    fn situation(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        member(py, "Situation", self.inner.situation.as_str())
    }
    #[getter]
    fn security_code(&self) -> &str {
        &self.inner.security_code
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __str__(&self) -> &str {
        &self.inner.digits
    }
    fn __repr__(&self) -> String {
        format!("Clave({})", repr_str(&self.inner.digits))
    }
}

/// Parses and validates a clave.
#[pyfunction]
pub fn parse_clave(py: Python<'_>, text: &str) -> PyResult<Clave> {
    core::Clave::parse(text).py(py).map(|inner| Clave { inner })
}

/// Parses and validates a 20-digit consecutivo.
#[pyfunction]
pub fn parse_consecutivo(py: Python<'_>, text: &str) -> PyResult<Consecutivo> {
    core::Consecutivo::parse(text).py(py).map(|inner| Consecutivo { inner })
}

/// Builds a clave from its parts.
#[pyfunction]
#[pyo3(signature = (*, date, issuer_id, consecutivo, security_code, situation = "normal"))]
pub fn build_clave(
    py: Python<'_>,
    date: NaiveDate,
    issuer_id: &str,
    consecutivo: &str,
    security_code: &str,
    situation: &str,
) -> PyResult<Clave> {
    let consecutivo = core::Consecutivo::parse(consecutivo).py(py)?;
    let situation = core::Situation::from_name(situation).ok_or_else(|| {
        to_py_err(
            py,
            &core::Error::InvalidKey {
                what: "clave",
                reason: format!("situation must be normal, contingencia or sin_internet, not {situation:?}"),
            },
        )
    })?;
    core::Clave::build(date, issuer_id, consecutivo, situation, security_code)
        .py(py)
        .map(|inner| Clave { inner })
}
