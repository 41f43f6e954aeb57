//! Fast reading of timezone-aware `datetime` objects under the stable ABI (no datetime C API):
//! one `__reduce__` call gives the packed date/time bytes and the tzinfo; the offset of a fixed
//! `datetime.timezone` is read once per distinct tzinfo and cached for the batch. Other tzinfo
//! classes (zoneinfo, pytz) and datetime subclasses go through `datetime.timestamp()`.

use std::cell::RefCell;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
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

/// Converts datetimes of one batch, remembering the offset of the last fixed timezone seen.
#[derive(Default)]
pub struct DateReader<'py> {
    last_tz: RefCell<Option<(Bound<'py, PyAny>, i64)>>,
}

impl<'py> DateReader<'py> {
    /// An aware `datetime` (or a POSIX timestamp as `int`/`float`) as UTC.
    pub fn utc(&self, obj: &Bound<'py, PyAny>) -> PyResult<DateTime<Utc>> {
        let py = obj.py();
        if obj.is_instance_of::<PyFloat>() || (obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>()) {
            return from_secs(obj.extract()?);
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
        let offset = self.offset(&tz, obj)?;
        let field = |name: &Bound<'py, PyString>| -> PyResult<u32> { obj.getattr(name)?.extract() };
        let year = field(pyo3::intern!(py, "year"))?;
        let naive = NaiveDate::from_ymd_opt(
            i32::try_from(year).map_err(|_| out_of_range())?,
            field(pyo3::intern!(py, "month"))?,
            field(pyo3::intern!(py, "day"))?,
        )
        .and_then(|d| {
            d.and_hms_micro_opt(
                field(pyo3::intern!(py, "hour")).ok()?,
                field(pyo3::intern!(py, "minute")).ok()?,
                field(pyo3::intern!(py, "second")).ok()?,
                field(pyo3::intern!(py, "microsecond")).ok()?,
            )
        })
        .ok_or_else(out_of_range)?;
        Ok(naive.and_utc() - TimeDelta::microseconds(offset))
    }

    /// Offset in microseconds of a `datetime.timezone`, cached while the same object repeats.
    fn offset(&self, tz: &Bound<'py, PyAny>, obj: &Bound<'py, PyAny>) -> PyResult<i64> {
        if let Some((last, secs)) = self.last_tz.borrow().as_ref()
            && last.is(tz)
        {
            return Ok(*secs);
        }
        let delta = tz.call_method1(pyo3::intern!(obj.py(), "utcoffset"), (obj,))?;
        let secs: f64 = delta
            .call_method0(pyo3::intern!(obj.py(), "total_seconds"))?
            .extract()?;
        let micros = (secs * 1e6).round() as i64;
        *self.last_tz.borrow_mut() = Some((tz.clone(), micros));
        Ok(micros)
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
