//! Fast reading of timezone-aware `datetime` objects under the stable ABI (no datetime C API):
//! for a fixed-offset `datetime.timezone`, `value - epoch_in_same_tz` is one C subtraction
//! without utcoffset calls, and the offset is read once per distinct tzinfo of the batch. Other
//! tzinfo classes (zoneinfo, pytz) and datetime subclasses go through `datetime.timestamp()`.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString, PyType};

static TYPES: PyOnceLock<(Py<PyType>, Py<PyType>)> = PyOnceLock::new();

/// `(datetime.datetime, datetime.timezone)`.
fn types(py: Python<'_>) -> PyResult<&(Py<PyType>, Py<PyType>)> {
    TYPES.get_or_try_init(py, || {
        let m = py.import("datetime")?;
        Ok((
            m.getattr("datetime")?.cast_into::<PyType>()?.unbind(),
            m.getattr("timezone")?.cast_into::<PyType>()?.unbind(),
        ))
    })
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

/// The last tzinfo seen, 1970-01-01 in it, and its offset in microseconds.
type CachedZone<'py> = (Bound<'py, PyAny>, Bound<'py, PyAny>, i64);

/// Converts datetimes of one batch, remembering the offset of the last fixed timezone seen.
#[derive(Default)]
pub struct DateReader<'py> {
    last_tz: RefCell<Option<CachedZone<'py>>>,
}

impl<'py> DateReader<'py> {
    /// An aware `datetime` (or a POSIX timestamp as `int`/`float`, or an RFC 3339 string with an
    /// offset as `to_dict()` writes it) as UTC.
    pub fn utc(&self, obj: &Bound<'py, PyAny>) -> PyResult<DateTime<Utc>> {
        let py = obj.py();
        if obj.is_instance_of::<PyFloat>() || (obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>()) {
            return from_secs(obj.extract()?);
        }
        if let Ok(text) = obj.cast::<PyString>() {
            // RFC 3339 with an offset, as `to_dict()` writes it.
            return DateTime::parse_from_rfc3339(text.to_str()?.trim())
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| PyValueError::new_err(format!("expected an RFC 3339 instant with an offset: {e}")));
        }
        let (datetime, timezone) = types(py)?;
        if !obj.get_type().is(datetime.bind(py)) {
            return self.slow(obj);
        }
        let tz = obj.getattr(pyo3::intern!(py, "tzinfo"))?;
        if tz.is_none() {
            return Err(PyTypeError::new_err(
                "expected a timezone-aware datetime, got a naive one",
            ));
        }
        if !tz.get_type().is(timezone.bind(py)) {
            return self.slow(obj);
        }
        // Same tzinfo object on both sides: CPython subtracts the naive fields, no utcoffset call.
        let (epoch, offset) = self.epoch(&tz, obj)?;
        let delta = obj.sub(&epoch)?;
        let part = |name: &Bound<'py, PyString>| -> PyResult<i64> { delta.getattr(name)?.extract() };
        let days = part(pyo3::intern!(py, "days"))?;
        let secs = part(pyo3::intern!(py, "seconds"))?;
        let micros = part(pyo3::intern!(py, "microseconds"))?;
        let total = (days * 86_400 + secs) * 1_000_000 + micros - offset;
        DateTime::from_timestamp_micros(total).ok_or_else(out_of_range)
    }

    /// 1970-01-01 in `tz` and the offset of `tz` in microseconds, cached while `tz` repeats.
    fn epoch(&self, tz: &Bound<'py, PyAny>, obj: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyAny>, i64)> {
        if let Some((last, epoch, micros)) = self.last_tz.borrow().as_ref()
            && last.is(tz)
        {
            return Ok((epoch.clone(), *micros));
        }
        let py = obj.py();
        let (datetime, _) = types(py)?;
        let epoch = datetime.bind(py).call1((1970, 1, 1, 0, 0, 0, 0, tz))?;
        let delta = tz.call_method1(pyo3::intern!(py, "utcoffset"), (obj,))?;
        let secs: f64 = delta.call_method0(pyo3::intern!(py, "total_seconds"))?.extract()?;
        let micros = (secs * 1e6).round() as i64;
        *self.last_tz.borrow_mut() = Some((tz.clone(), epoch.clone(), micros));
        Ok((epoch, micros))
    }

    /// Any other aware datetime-like object: `tzinfo` must be set, `timestamp()` converts.
    fn slow(&self, obj: &Bound<'py, PyAny>) -> PyResult<DateTime<Utc>> {
        let py = obj.py();
        let tz = obj
            .getattr(pyo3::intern!(py, "tzinfo"))
            .map_err(|_| PyTypeError::new_err("expected a timezone-aware datetime"))?;
        if tz.is_none() {
            return Err(PyTypeError::new_err(
                "expected a timezone-aware datetime, got a naive one",
            ));
        }
        from_secs(obj.call_method0(pyo3::intern!(py, "timestamp"))?.extract()?)
    }
}
