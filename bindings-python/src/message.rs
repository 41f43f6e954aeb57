//! MensajeHacienda / MensajeReceptor as frozen Python classes.

use hacienda_core as core;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use rust_decimal::Decimal;

use crate::classify::Classification;
use crate::convert::{Input, input, member, repr_opt, repr_str, to_dict};
use crate::detail::Detail;
use crate::errors::IntoPyResult;

/// A party named in a message (a view into its message: nothing is copied).
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct Party {
    owner: Py<HaciendaMessage>,
    receptor: bool,
}

impl Party {
    fn party(&self) -> &core::Party {
        let message = &self.owner.get().inner;
        match (&message.receptor, self.receptor) {
            (Some(r), true) => r,
            _ => &message.emisor,
        }
    }
}

#[pymethods]
impl Party {
    #[getter]
    fn name(&self) -> Option<&str> {
        self.party().name.as_deref()
    }
    #[getter]
    fn id_type(&self) -> Option<&str> {
        self.party().id_type.as_deref()
    }
    #[getter]
    fn id_number(&self) -> Option<&str> {
        self.party().id_number.as_deref()
    }
    #[getter]
    fn is_unknown(&self) -> bool {
        self.party().is_unknown()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, self.party())
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Party>().is_ok_and(|o| o.get().party() == self.party())
    }
    fn __repr__(&self) -> String {
        let p = self.party();
        format!(
            "Party(name={}, id_type={}, id_number={})",
            repr_opt(p.name.as_deref()),
            repr_opt(p.id_type.as_deref()),
            repr_opt(p.id_number.as_deref())
        )
    }
}

/// A MensajeHacienda or MensajeReceptor. Nested objects are built on first access.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct HaciendaMessage {
    pub(crate) inner: core::HaciendaMessage,
    verdict: Option<core::Classification>,
    #[pyo3(get)]
    kind: Py<PyAny>,
    #[pyo3(get)]
    mensaje: Py<PyAny>,
    emisor: PyOnceLock<Py<Party>>,
    receptor: PyOnceLock<Option<Py<Party>>>,
    detail: PyOnceLock<Py<Detail>>,
    classification: PyOnceLock<Option<Py<Classification>>>,
}

impl HaciendaMessage {
    pub fn new(py: Python<'_>, inner: core::HaciendaMessage) -> PyResult<Self> {
        Ok(HaciendaMessage {
            verdict: core::classify_message(&inner),
            kind: member(py, "MessageKind", inner.kind.as_str())?,
            mensaje: member(py, "MessageCode", inner.mensaje.as_str())?,
            emisor: PyOnceLock::new(),
            receptor: PyOnceLock::new(),
            detail: PyOnceLock::new(),
            classification: PyOnceLock::new(),
            inner,
        })
    }
}

#[pymethods]
impl HaciendaMessage {
    #[getter]
    fn emisor(slf: &Bound<'_, Self>) -> PyResult<Py<Party>> {
        let py = slf.py();
        let party = slf.get().emisor.get_or_try_init(py, || {
            Py::new(
                py,
                Party {
                    owner: slf.clone().unbind(),
                    receptor: false,
                },
            )
        })?;
        Ok(party.clone_ref(py))
    }
    #[getter]
    fn receptor(slf: &Bound<'_, Self>) -> PyResult<Option<Py<Party>>> {
        let py = slf.py();
        let this = slf.get();
        let party = this.receptor.get_or_try_init(py, || {
            this.inner
                .receptor
                .as_ref()
                .map(|_| {
                    Py::new(
                        py,
                        Party {
                            owner: slf.clone().unbind(),
                            receptor: true,
                        },
                    )
                })
                .transpose()
        })?;
        Ok(party.as_ref().map(|p| p.clone_ref(py)))
    }
    #[getter]
    fn detail(slf: &Bound<'_, Self>) -> PyResult<Py<Detail>> {
        let py = slf.py();
        let detail = slf
            .get()
            .detail
            .get_or_try_init(py, || Py::new(py, Detail::new(slf.clone().unbind())))?;
        Ok(detail.clone_ref(py))
    }
    #[getter]
    fn classification(&self, py: Python<'_>) -> PyResult<Option<Py<Classification>>> {
        let c = self.classification.get_or_try_init(py, || {
            self.verdict.clone().map(|c| Classification::new_py(py, c)).transpose()
        })?;
        Ok(c.as_ref().map(|c| c.clone_ref(py)))
    }
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
        d.set_item("classification", to_dict(py, &self.verdict)?)?;
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
