//! Fast reading of timezone-aware `datetime` objects under the stable ABI (no datetime C API):
//! `value - EPOCH` with `EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)` is one C subtraction
//! that gives the exact UTC offset-free difference for any tzinfo (values in `timezone.utc`, the
//! usual case, skip the utcoffset calls), then three integer fields of the timedelta. Naive
//! values make the subtraction fail, which is reported as such.

use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};

static EPOCH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn epoch(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    EPOCH
        .get_or_try_init(py, || {
            let m = py.import("datetime")?;
            let utc = m.getattr("timezone")?.getattr("utc")?;
            Ok::<_, PyErr>(m.getattr("datetime")?.call1((1970, 1, 1, 0, 0, 0, 0, utc))?.unbind())
        })
        .map(|e| e.bind(py))
}

fn out_of_range() -> PyErr {
    PyValueError::new_err("datetime out of range")
}

fn from_secs(secs: f64) -> PyResult<DateTime<Utc>> {
    let micros = (secs * 1e6).round();
    if !micros.is_finite() || micros.abs() > 1e17 {
        return Err(out_of_range());
    }
    DateTime::from_timestamp_micros(micros as i64).ok_or_else(out_of_range)
}

/// An aware `datetime` (or POSIX seconds as `int`/`float`, or an RFC 3339 string with an
/// offset as `to_dict()` writes it) as UTC.
pub fn utc(obj: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let py = obj.py();
    if obj.is_instance_of::<PyFloat>() || (obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>()) {
        return from_secs(obj.extract()?);
    }
    if let Ok(text) = obj.cast::<PyString>() {
        return DateTime::parse_from_rfc3339(text.to_str()?.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| PyValueError::new_err(format!("expected an RFC 3339 instant with an offset: {e}")));
    }
    let delta = obj.sub(epoch(py)?).map_err(|_| {
        let naive = obj.getattr(pyo3::intern!(py, "tzinfo")).is_ok_and(|tz| tz.is_none());
        PyTypeError::new_err(if naive {
            "expected a timezone-aware datetime, got a naive one"
        } else {
            "expected a timezone-aware datetime"
        })
    })?;
    let part = |name: &Bound<'_, PyString>| -> PyResult<i64> { delta.getattr(name)?.extract() };
    let days = part(pyo3::intern!(py, "days"))?;
    let secs = part(pyo3::intern!(py, "seconds"))?;
    let micros = part(pyo3::intern!(py, "microseconds"))?;
    let total = days
        .checked_mul(86_400)
        .and_then(|d| d.checked_add(secs))
        .and_then(|s| s.checked_mul(1_000_000))
        .and_then(|m| m.checked_add(micros))
        .ok_or_else(out_of_range)?;
    DateTime::from_timestamp_micros(total).ok_or_else(out_of_range)
}
