//! Submission bodies built from signed documents.

use hacienda_core as core;
use pyo3::prelude::*;

use crate::convert::{Input, input, repr_str, to_dict};
use crate::errors::IntoPyResult;

/// The JSON body of `POST /recepcion`.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct SubmissionRequest {
    inner: core::SubmissionRequest,
}

impl SubmissionRequest {
    /// The core request (used by the HTTP client).
    pub(crate) fn inner(&self) -> &core::SubmissionRequest {
        &self.inner
    }
}

#[pymethods]
impl SubmissionRequest {
    #[getter]
    fn clave(&self) -> &str {
        &self.inner.clave
    }
    #[getter]
    fn fecha(&self) -> &str {
        &self.inner.fecha
    }
    #[getter]
    fn emisor(&self) -> (String, String) {
        let e = &self.inner.emisor;
        (e.tipo_identificacion.clone(), e.numero_identificacion.clone())
    }
    #[getter]
    fn receptor(&self) -> Option<(String, String)> {
        let r = self.inner.receptor.as_ref()?;
        Some((r.tipo_identificacion.clone(), r.numero_identificacion.clone()))
    }
    #[getter]
    fn callback_url(&self) -> Option<&str> {
        self.inner.callback_url.as_deref()
    }
    #[getter]
    fn consecutivo_receptor(&self) -> Option<&str> {
        self.inner.consecutivo_receptor.as_deref()
    }
    #[getter]
    fn comprobante_xml(&self) -> &str {
        &self.inner.comprobante_xml
    }
    /// The key to poll with (`clave`, or `clave-consecutivo` for receiver messages).
    #[getter]
    fn status_key(&self) -> String {
        self.inner.status_key()
    }
    /// The body as JSON text, ready to POST.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }
    /// The body as a dict with the API's camelCase keys.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "SubmissionRequest(clave={}, fecha={}, comprobante_xml=<{} base64 chars>)",
            repr_str(&self.inner.clave),
            repr_str(&self.inner.fecha),
            self.inner.comprobante_xml.len()
        )
    }
}

/// Builds the POST body from a signed document (comprobante or MensajeReceptor).
#[pyfunction]
#[pyo3(signature = (signed_xml, *, callback_url = None, emisor_id_type = None, receptor_id_type = None))]
pub fn build_submission(
    py: Python<'_>,
    signed_xml: &Bound<'_, PyAny>,
    callback_url: Option<String>,
    emisor_id_type: Option<String>,
    receptor_id_type: Option<String>,
) -> PyResult<SubmissionRequest> {
    let data: Input = input(signed_xml, "signed_xml")?;
    let options = core::SubmitOptions {
        callback_url,
        emisor_id_type,
        receptor_id_type,
    };
    let inner = py.detach(|| core::build_submission(data.as_bytes(), &options)).py(py)?;
    Ok(SubmissionRequest { inner })
}
