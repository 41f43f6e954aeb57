//! `hacienda_cr._native`: the Python face of hacienda-core.
//!
//! Every file here converts arguments, calls one core function and converts the result; the
//! logic lives in `hacienda-core`. Exceptions are the classes of `hacienda_cr/errors.py`, enums
//! the str-enums of `hacienda_cr/enums.py`.

mod answers;
mod classify;
mod clave;
mod convert;
mod detail;
mod document;
mod errors;
mod message;
mod status;
mod submit;
// --- http workstream: client and simulator ---
mod client;
mod client_results;
mod testing;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<status::StatusReport>()?;
    m.add_class::<message::HaciendaMessage>()?;
    m.add_class::<message::Party>()?;
    m.add_class::<detail::Detail>()?;
    m.add_class::<detail::DetailLine>()?;
    m.add_class::<classify::Classification>()?;
    m.add_class::<submit::SubmissionRequest>()?;
    m.add_class::<answers::SubmitOutcome>()?;
    m.add_class::<answers::StatusAnswer>()?;
    m.add_class::<clave::Clave>()?;
    m.add_class::<clave::Consecutivo>()?;
    m.add_class::<document::DocumentSummary>()?;
    m.add_function(wrap_pyfunction!(status::parse_status, m)?)?;
    m.add_function(wrap_pyfunction!(status::parse_status_many, m)?)?;
    m.add_function(wrap_pyfunction!(message::parse_message, m)?)?;
    m.add_function(wrap_pyfunction!(classify::classify_http, m)?)?;
    m.add_function(wrap_pyfunction!(classify::classify_text, m)?)?;
    m.add_function(wrap_pyfunction!(classify::classify_transport, m)?)?;
    m.add_function(wrap_pyfunction!(classify::classify_many, m)?)?;
    m.add_function(wrap_pyfunction!(submit::build_submission, m)?)?;
    m.add_function(wrap_pyfunction!(answers::read_submit_response, m)?)?;
    m.add_function(wrap_pyfunction!(answers::read_status_response, m)?)?;
    m.add_function(wrap_pyfunction!(clave::parse_clave, m)?)?;
    m.add_function(wrap_pyfunction!(clave::parse_consecutivo, m)?)?;
    m.add_function(wrap_pyfunction!(clave::build_clave, m)?)?;
    m.add_function(wrap_pyfunction!(document::read_any, m)?)?;
    // --- http workstream: client and simulator ---
    m.add_class::<client::Client>()?;
    m.add_class::<client_results::SubmitResult>()?;
    m.add_class::<client_results::ComprobantesPage>()?;
    m.add_class::<testing::Simulator>()?;
    Ok(())
}
