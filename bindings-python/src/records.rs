//! Batch input of the scheduling functions: a sequence of mappings, or one mapping of columns
//! (`{"id": [...], "state": [...]}`), read field by field with clear errors. Datetimes must be
//! timezone-aware (`int`/`float` POSIX timestamps are accepted too, the fast path for big
//! batches); `None` and Odoo's `False` mean "not set".

use chrono::{DateTime, TimeDelta, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDelta, PyDict, PyFloat, PyInt, PyList, PyMapping, PyModule, PyString, PyTuple};

/// The records of one call, with the field names it reads.
pub struct Records<'py> {
    what: &'static str,
    fields: &'static [&'static str],
    shape: Shape<'py>,
}

enum Shape<'py> {
    Rows(Vec<Bound<'py, PyAny>>, Vec<Bound<'py, PyString>>),
    Columns(usize, Vec<Option<Vec<Bound<'py, PyAny>>>>),
}

fn items<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if let Ok(list) = obj.cast::<PyList>() {
        return Ok(list.iter().collect());
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return Ok(tuple.iter().collect());
    }
    obj.try_iter()?.collect()
}

impl<'py> Records<'py> {
    /// Reads `obj` (named `what` in errors); `fields` are the names `get` takes by index.
    pub fn new(obj: &Bound<'py, PyAny>, what: &'static str, fields: &'static [&'static str]) -> PyResult<Self> {
        let py = obj.py();
        let shape = if obj.is_instance_of::<PyDict>() || obj.cast::<PyMapping>().is_ok() {
            let mut len = None;
            let mut cols = Vec::with_capacity(fields.len());
            for f in fields {
                let col = match obj.get_item(*f) {
                    Ok(c) => Some(items(&c)?),
                    Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => None,
                    Err(e) => return Err(e),
                };
                if let Some(c) = &col {
                    if len.is_some_and(|l| l != c.len()) {
                        return Err(PyValueError::new_err(format!(
                            "{what}: column {f} has {} values, not {}",
                            c.len(),
                            len.unwrap_or(0)
                        )));
                    }
                    len = Some(c.len());
                }
                cols.push(col);
            }
            Shape::Columns(len.unwrap_or(0), cols)
        } else if obj.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(format!(
                "{what} must be a sequence of mappings or a mapping of columns"
            )));
        } else {
            Shape::Rows(items(obj)?, fields.iter().map(|f| PyString::intern(py, f)).collect())
        };
        Ok(Records { what, fields, shape })
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        match &self.shape {
            Shape::Rows(rows, _) => rows.len(),
            Shape::Columns(len, _) => *len,
        }
    }

    /// Field `field` (index into `fields`) of record `i`; `None` when missing, `None` or `False`.
    pub fn get(&self, i: usize, field: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
        let value = match &self.shape {
            Shape::Columns(_, cols) => cols[field].as_ref().map(|c| c[i].clone()),
            Shape::Rows(rows, keys) => {
                let row = &rows[i];
                if let Ok(d) = row.cast::<PyDict>() {
                    d.get_item(&keys[field])?
                } else if let Ok(m) = row.cast::<PyMapping>() {
                    match m.get_item(&keys[field]) {
                        Ok(v) => Some(v),
                        Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(row.py()) => None,
                        Err(e) => return Err(e),
                    }
                } else {
                    return Err(PyTypeError::new_err(format!("{}[{i}] must be a mapping", self.what)));
                }
            }
        };
        Ok(value.filter(|v| !is_unset(v)))
    }

    /// A field that must be there.
    pub fn need(&self, i: usize, field: usize) -> PyResult<Bound<'py, PyAny>> {
        self.get(i, field)?.ok_or_else(|| self.error(i, field, "is required"))
    }

    /// A `TypeError` about one field of one record.
    pub fn error(&self, i: usize, field: usize, problem: &str) -> PyErr {
        PyTypeError::new_err(format!("{}[{i}].{}: {problem}", self.what, self.fields[field]))
    }

    /// Converts a field with `f`, wrapping its error with the record and field.
    pub fn map<T>(&self, i: usize, field: usize, f: impl Fn(&Bound<'py, PyAny>) -> PyResult<T>) -> PyResult<Option<T>> {
        self.get(i, field)?
            .map(|v| f(&v).map_err(|e| self.error(i, field, &e.value(v.py()).to_string())))
            .transpose()
    }
}

/// `None` or `False` (Odoo's empty value).
pub fn is_unset(v: &Bound<'_, PyAny>) -> bool {
    v.is_none() || (v.is_instance_of::<PyBool>() && !v.is_truthy().unwrap_or(true))
}

/// An aware `datetime` (or POSIX timestamp) as UTC.
pub fn utc(obj: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let py = obj.py();
    let secs: f64 =
        if obj.is_instance_of::<PyFloat>() || (obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>()) {
            obj.extract()?
        } else {
            let tz = obj
                .getattr(pyo3::intern!(py, "tzinfo"))
                .map_err(|_| PyTypeError::new_err("expected a timezone-aware datetime"))?;
            if tz.is_none() {
                return Err(PyTypeError::new_err(
                    "expected a timezone-aware datetime, got a naive one",
                ));
            }
            obj.call_method0(pyo3::intern!(py, "timestamp"))?.extract()?
        };
    let micros = (secs * 1e6).round();
    if !micros.is_finite() || micros.abs() > 1e17 {
        return Err(PyValueError::new_err("timestamp out of range"));
    }
    DateTime::from_timestamp_micros(micros as i64).ok_or_else(|| PyValueError::new_err("timestamp out of range"))
}

/// `utc` for an optional argument.
pub fn opt_utc(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DateTime<Utc>>> {
    obj.filter(|o| !o.is_none()).map(utc).transpose()
}

/// A `timedelta` or a number of seconds.
pub fn seconds(obj: &Bound<'_, PyAny>) -> PyResult<TimeDelta> {
    let secs: f64 = if obj.is_instance_of::<PyDelta>() {
        obj.call_method0(pyo3::intern!(obj.py(), "total_seconds"))?.extract()?
    } else if obj.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(
            "expected a timedelta or a number of seconds, not a bool",
        ));
    } else {
        obj.extract()?
    };
    if !secs.is_finite() || secs.abs() > 1e12 {
        return Err(PyValueError::new_err("duration out of range"));
    }
    Ok(TimeDelta::milliseconds((secs * 1000.0).round() as i64))
}

/// A str (or str-enum member) parsed with `parse`; the error names what was expected.
pub fn parsed<T>(obj: &Bound<'_, PyAny>, what: &str, parse: impl Fn(&str) -> Option<T>) -> PyResult<T> {
    let s = obj
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("{what} must be a str")))?;
    let text = s.to_str()?;
    parse(text).ok_or_else(|| PyValueError::new_err(format!("unknown {what} {text:?}")))
}

static ENUMS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// Member `value` of the str-enum `class` of `hacienda_cr.enums` (scheduling enums).
pub fn enum_value(py: Python<'_>, class: &str, value: &str) -> PyResult<Py<PyAny>> {
    let module = ENUMS.get_or_try_init(py, || py.import("hacienda_cr.enums").map(Bound::unbind))?;
    Ok(module.bind(py).getattr(class)?.call1((value,))?.unbind())
}
