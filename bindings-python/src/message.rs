//! MensajeHacienda / MensajeReceptor as frozen Python classes.

use hacienda_core as core;
use pyo3::prelude::*;
use rust_decimal::Decimal;

use crate::classify::Classification;
use crate::convert::{Input, input, member, repr_opt, repr_str, to_dict};
use crate::detail::Detail;
use crate::errors::IntoPyResult;

/// A party named in a message.
#[pyclass(frozen, eq, module = "hacienda_cr._native")]
#[derive(PartialEq)]
pub struct Party {
    inner: core::Party,
}

#[pymethods]
impl Party {
    #[getter]
    fn name(&self) -> Option<String> {
        self.inner.name.clone()
    }
    #[getter]
    fn id_type(&self) -> Option<String> {
        self.inner.id_type.clone()
    }
    #[getter]
    fn id_number(&self) -> Option<String> {
        self.inner.id_number.clone()
    }
    #[getter]
    fn is_unknown(&self) -> bool {
        self.inner.is_unknown()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "Party(name={}, id_type={}, id_number={})",
            repr_opt(self.inner.name.as_deref()),
            repr_opt(self.inner.id_type.as_deref()),
            repr_opt(self.inner.id_number.as_deref())
        )
    }
}

/// A MensajeHacienda or MensajeReceptor.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct HaciendaMessage {
    pub(crate) inner: core::HaciendaMessage,
    #[pyo3(get)]
    kind: Py<PyAny>,
    #[pyo3(get)]
    mensaje: Py<PyAny>,
    #[pyo3(get)]
    emisor: Py<Party>,
    #[pyo3(get)]
    receptor: Option<Py<Party>>,
    #[pyo3(get)]
    detail: Py<Detail>,
    #[pyo3(get)]
    classification: Option<Py<Classification>>,
}

impl HaciendaMessage {
    pub fn new(py: Python<'_>, inner: core::HaciendaMessage) -> PyResult<Self> {
        let classification = core::classify_message(&inner);
        Ok(HaciendaMessage {
            kind: member(py, "MessageKind", inner.kind.as_str())?,
            mensaje: member(py, "MessageCode", inner.mensaje.as_str())?,
            emisor: Py::new(
                py,
                Party {
                    inner: inner.emisor.clone(),
                },
            )?,
            receptor: inner
                .receptor
                .clone()
                .map(|p| Py::new(py, Party { inner: p }))
                .transpose()?,
            detail: Py::new(py, Detail::new(py, inner.detail.clone())?)?,
            classification: classification.map(|c| Classification::new_py(py, c)).transpose()?,
            inner,
        })
    }
}

#[pymethods]
impl HaciendaMessage {
    #[getter]
    fn clave(&self) -> &str {
        &self.inner.clave
    }
    #[getter]
    fn schema_version(&self) -> Option<&'static str> {
        self.inner.schema_version.map(|v| v.as_str())
    }
    #[getter]
    fn namespace(&self) -> Option<&str> {
        self.inner.namespace.as_deref()
    }
    #[getter]
    fn estado_mensaje(&self) -> Option<&str> {
        self.inner.estado_mensaje.as_deref()
    }
    #[getter]
    fn total_tax(&self) -> Option<Decimal> {
        self.inner.total_tax
    }
    #[getter]
    fn total_invoice(&self) -> Option<Decimal> {
        self.inner.total_invoice
    }
    #[getter]
    fn consecutivo_receptor(&self) -> Option<&str> {
        self.inner.consecutivo_receptor.as_deref()
    }
    #[getter]
    fn fecha_emision_doc(&self) -> Option<&str> {
        self.inner.fecha_emision_doc.as_deref()
    }
    #[getter]
    fn activity_code(&self) -> Option<&str> {
        self.inner.activity_code.as_deref()
    }
    #[getter]
    fn tax_condition(&self) -> Option<&str> {
        self.inner.tax_condition.as_deref()
    }
    #[getter]
    fn signed(&self) -> bool {
        self.inner.signed
    }
    #[getter]
    fn is_accepted(&self) -> bool {
        self.inner.is_accepted()
    }
    #[getter]
    fn is_rejected(&self) -> bool {
        self.inner.is_rejected()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = to_dict(py, &self.inner)?;
        d.set_item("classification", to_dict(py, &core::classify_message(&self.inner))?)?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        format!(
            "HaciendaMessage(kind={}, clave={}, mensaje={}, codes={:?})",
            repr_str(self.inner.kind.as_str()),
            repr_str(&self.inner.clave),
            repr_str(self.inner.mensaje.as_str()),
            self.inner.detail.codes()
        )
    }
}

/// Parses a MensajeHacienda or MensajeReceptor (XML text or bytes, or base64 of it).
#[pyfunction]
pub fn parse_message(py: Python<'_>, xml: &Bound<'_, PyAny>) -> PyResult<HaciendaMessage> {
    let data: Input = input(xml, "xml")?;
    let parsed = py.detach(|| core::parse_message(data.as_bytes())).py(py)?;
    HaciendaMessage::new(py, parsed)
}
