//! Core errors become instances of the exception classes defined in `hacienda_cr/errors.py`.

use hacienda_core::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Dtd => "UnsafeXmlError",
        ErrorKind::TooLarge | ErrorKind::TooComplex => "InputTooLargeError",
        ErrorKind::InvalidKey => "InvalidKeyError",
        ErrorKind::InvalidSetting => "SettingsError",
        _ => "ParseError",
    }
}

/// The exception instance for a core error (not raised): used by batch functions.
pub fn error_object<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let module = ERRORS.get_or_try_init(py, || py.import("hacienda_cr.errors").map(Bound::unbind))?;
    let cls = module.bind(py).getattr(class_name(err.kind()))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", err.kind().as_str())?;
    kwargs.set_item("field", err.field())?;
    cls.call((err.to_string(),), Some(&kwargs))
}

/// The exception to raise for a core error.
pub fn to_py_err(py: Python<'_>, err: &Error) -> PyErr {
    match error_object(py, err) {
        Ok(instance) => PyErr::from_value(instance),
        Err(import_failure) => import_failure,
    }
}

/// `Result` conversion for binding functions.
pub trait IntoPyResult<T> {
    /// Raises the matching Python exception on error.
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, &e))
    }
}
