//! Conversions shared by every binding file: inputs, str-enums, dicts.

use std::collections::HashMap;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use serde::Serialize;

/// Text or bytes handed over by Python, borrowed without copying where Python allows it.
pub enum Input {
    Bytes(PyBackedBytes),
    Str(PyBackedStr),
}

impl Input {
    /// The bytes (UTF-8 for `str`).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Input::Bytes(b) => b.as_ref(),
            Input::Str(s) => s.as_bytes(),
        }
    }
}

/// Extracts `str`, `bytes` or `bytearray`; anything else is a `TypeError` naming `what`.
pub fn input(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Input> {
    // Type checks first: a failed extraction builds an exception, which costs more than a parse.
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
        return Ok(Input::Bytes(obj.extract::<PyBackedBytes>()?));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Input::Str(obj.extract::<PyBackedStr>()?));
    }
    let type_name = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    Err(PyTypeError::new_err(format!(
        "{what} must be str or bytes, not {type_name}"
    )))
}

/// The str-enum classes of `hacienda_cr.enums`, imported once.
const ENUM_CLASSES: &[&str] = &[
    "Delivery", // http workstream
    "IndEstado",
    "MessageKind",
    "MessageCode",
    "Severity",
    "ErrorCategory",
    "BlockingLevel",
    "NextStep",
    "DocumentType",
    "Situation",
    "SubmitState",
    "TransportError",
];

type MemberTable = HashMap<&'static str, HashMap<String, Py<PyAny>>>;

/// Every member of every enum class by value, collected once (calling `Enum(value)` costs a
/// Python call per lookup; this is a hash lookup).
static ENUMS: PyOnceLock<MemberTable> = PyOnceLock::new();

fn members(py: Python<'_>) -> PyResult<&MemberTable> {
    ENUMS.get_or_try_init(py, || -> PyResult<_> {
        let module = py.import("hacienda_cr.enums")?;
        let mut table = HashMap::new();
        for name in ENUM_CLASSES {
            let mut by_value = HashMap::new();
            for member in module.getattr(*name)?.try_iter()? {
                let member = member?;
                by_value.insert(member.getattr("value")?.extract::<String>()?, member.unbind());
            }
            table.insert(*name, by_value);
        }
        Ok(table)
    })
}

/// The member of the Python str-enum `class` whose value is `value`.
pub fn enum_member<'py>(py: Python<'py>, class: &str, value: &str) -> PyResult<Bound<'py, PyAny>> {
    members(py)?
        .get(class)
        .and_then(|by_value| by_value.get(value))
        .map(|m| m.bind(py).clone())
        .ok_or_else(|| PyTypeError::new_err(format!("{class} has no member {value:?}")))
}

/// Same as [`enum_member`], unbound for storing in a frozen class.
pub fn member(py: Python<'_>, class: &str, value: &str) -> PyResult<Py<PyAny>> {
    enum_member(py, class, value).map(Bound::unbind)
}

/// A serde value as plain Python data (dicts, lists, str, int, float, bool, None): the shape
/// of the shared JSON vectors.
pub fn to_dict<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(|e| PyTypeError::new_err(e.to_string()))
}

/// `repr()` of a string the Python way (single quotes, escapes).
pub fn repr_str(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `repr()` of an optional string the Python way.
pub fn repr_opt(value: Option<&str>) -> String {
    value.map_or_else(|| "None".to_string(), repr_str)
}

/// `repr()` of an optional number the Python way.
pub fn repr_num<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "None".to_string(), |v| v.to_string())
}

/// Items per thread below which a batch is not worth splitting (thread start-up costs about as
/// much as parsing a few dozen answers).
const MIN_ITEMS_PER_THREAD: usize = 64;

/// `items.iter().map(f)` spread over the machine's cores (scoped threads, order kept). Call it
/// with the GIL released: `f` must not touch Python.
pub fn map_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let threads = cores.min(items.len() / MIN_ITEMS_PER_THREAD).max(1);
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for worker in workers {
            // A panic in `f` is a bug; re-raise it on this thread, where pyo3 turns it into a
            // PanicException instead of aborting.
            match worker.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}
