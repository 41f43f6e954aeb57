//! Comprobante summaries and reading any input.

use hacienda_core as core;
use pyo3::prelude::*;
use rust_decimal::Decimal;

use crate::convert::{Input, enum_member, input, repr_str, to_dict};
use crate::errors::IntoPyResult;
use crate::message::HaciendaMessage;
use crate::status::StatusReport;

/// The common facts of a comprobante (FE, ND, NC, TE, FEC, FEE, REP).
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct DocumentSummary {
    inner: core::DocumentSummary,
}

#[pymethods]
impl DocumentSummary {
    #[getter]
    fn root(&self) -> &str {
        &self.inner.root
    }
    #[getter]
    fn document_type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enum_member(py, "DocumentType", self.inner.document_type.as_str())
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
    fn clave(&self) -> &str {
        &self.inner.clave
    }
    #[getter]
    fn consecutivo(&self) -> Option<&str> {
        self.inner.consecutivo.as_deref()
    }
    #[getter]
    fn fecha_emision(&self) -> Option<&str> {
        self.inner.fecha_emision.as_deref()
    }
    /// The issuer as a dict (`name`, `id_type`, `id_number`, ...).
    #[getter]
    fn emisor<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner.emisor)
    }
    /// The receiver as a dict, or `None`.
    #[getter]
    fn receptor<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner.receptor)
    }
    #[getter]
    fn currency(&self) -> Option<&str> {
        self.inner.currency.as_deref()
    }
    #[getter]
    fn exchange_rate(&self) -> Option<Decimal> {
        self.inner.exchange_rate
    }
    #[getter]
    fn total_net_sale(&self) -> Option<Decimal> {
        self.inner.total_net_sale
    }
    #[getter]
    fn total_tax(&self) -> Option<Decimal> {
        self.inner.total_tax
    }
    #[getter]
    fn total(&self) -> Option<Decimal> {
        self.inner.total
    }
    #[getter]
    fn line_count(&self) -> usize {
        self.inner.line_count
    }
    #[getter]
    fn signed(&self) -> bool {
        self.inner.signed
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "DocumentSummary(root={}, clave={})",
            repr_str(&self.inner.root),
            repr_str(&self.inner.clave)
        )
    }
}

/// Reads whatever it is given: a status/callback JSON, a MensajeHacienda/MensajeReceptor, a
/// comprobante, or base64 of any of these.
#[pyfunction]
pub fn read_any<'py>(py: Python<'py>, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let data: Input = input(data, "data")?;
    let parsed = py.detach(|| core::read_any(data.as_bytes())).py(py)?;
    Ok(match parsed {
        core::Parsed::Status(r) => {
            let c = core::classify_status(&r);
            Bound::new(py, StatusReport::new(py, r, c)?)?.into_any()
        }
        core::Parsed::Message(m) => Bound::new(py, HaciendaMessage::new(py, m)?)?.into_any(),
        core::Parsed::Document(d) => Bound::new(py, DocumentSummary { inner: d })?.into_any(),
    })
}
