//! `Simulator`: the loopback Hacienda sandbox of `hacienda-sim`, for tests and demos.

use std::sync::Mutex;

use hacienda_sim as sim;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use crate::convert::{repr_str, to_dict};

fn from_py<T: serde::de::DeserializeOwned>(value: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    pythonize::depythonize(value).map_err(|e| PyValueError::new_err(format!("{what}: {e}")))
}

/// A running simulator on 127.0.0.1 (stopped by `stop()`, `with`, or garbage collection).
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct Simulator {
    inner: Mutex<Option<sim::Simulator>>,
    url: String,
    username: String,
    password: String,
}

impl Simulator {
    fn with<R>(&self, f: impl FnOnce(&sim::Simulator) -> R) -> PyResult<R> {
        let guard = self
            .inner
            .lock()
            .map_err(|_| PyRuntimeError::new_err("simulator lock poisoned"))?;
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| PyRuntimeError::new_err("the simulator was stopped"))
    }
}

#[pymethods]
impl Simulator {
    #[new]
    #[pyo3(signature = (*, speed = 1.0, latency_ms = 0, processing_secs = (1.0, 15.0), rejection_rate = 0.1,
        token_ttl_secs = 300.0, refresh_ttl_secs = 1200.0, limits = None, faults = None, seed = 7, port = 0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        speed: f64,
        latency_ms: u64,
        processing_secs: (f64, f64),
        rejection_rate: f64,
        token_ttl_secs: f64,
        refresh_ttl_secs: f64,
        limits: Option<&Bound<'_, PyAny>>,
        faults: Option<&Bound<'_, PyAny>>,
        seed: u64,
        port: u16,
    ) -> PyResult<Self> {
        let config = sim::SimConfig {
            port,
            speed,
            latency_ms,
            processing_min_secs: processing_secs.0,
            processing_max_secs: processing_secs.1,
            rejection_rate,
            token_ttl_secs,
            refresh_ttl_secs,
            limits: limits.map(|l| from_py(l, "limits")).transpose()?.unwrap_or_default(),
            faults: faults.map(|f| from_py(f, "faults")).transpose()?.unwrap_or_default(),
            seed,
            ..sim::SimConfig::default()
        };
        let s = py
            .detach(|| sim::Simulator::start(config))
            .map_err(PyValueError::new_err)?;
        Ok(Simulator {
            url: s.url(),
            username: s.username(),
            password: s.password(),
            inner: Mutex::new(Some(s)),
        })
    }
    /// `http://127.0.0.1:PORT/`: pass it as the client's `environment`.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }
    #[getter]
    fn username(&self) -> &str {
        &self.username
    }
    #[getter]
    fn password(&self) -> &str {
        &self.password
    }
    /// Counters (posts, received, duplicates, rate_limited, faults, connections, ...).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let stats = self.with(sim::Simulator::stats)?;
        to_dict(py, &stats)
    }
    /// Simulator seconds since start (runs `speed` times the wall clock).
    fn now(&self) -> PyResult<f64> {
        self.with(sim::Simulator::now)
    }
    fn document_count(&self) -> PyResult<usize> {
        self.with(sim::Simulator::document_count)
    }
    /// The verdict of a stored document (`accepted`, `accepted_with_warning`, `amount_mismatch`,
    /// `consecutive_reused`), or None.
    fn verdict(&self, key: &str) -> PyResult<Option<&'static str>> {
        self.with(|s| s.verdict(key).map(sim::Verdict::as_str))
    }
    /// Replaces the faults (a dict like the constructor's `faults`).
    fn set_faults(&self, faults: &Bound<'_, PyAny>) -> PyResult<()> {
        let f: sim::Faults = from_py(faults, "faults")?;
        self.with(|s| s.set_faults(f))
    }
    /// Replaces the per-minute limits.
    fn set_limits(&self, limits: &Bound<'_, PyAny>) -> PyResult<()> {
        let l: sim::Limits = from_py(limits, "limits")?;
        self.with(|s| s.set_limits(l))
    }
    fn expire_access_tokens(&self) -> PyResult<()> {
        self.with(sim::Simulator::expire_access_tokens)
    }
    fn expire_refresh_tokens(&self) -> PyResult<()> {
        self.with(sim::Simulator::expire_refresh_tokens)
    }
    /// Stops the server (idempotent).
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        let taken = self
            .inner
            .lock()
            .map_err(|_| PyRuntimeError::new_err("simulator lock poisoned"))?
            .take();
        py.detach(move || drop(taken));
        Ok(())
    }
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }
    fn __exit__(
        &self,
        py: Python<'_>,
        _exc_type: Option<&Bound<'_, PyAny>>,
        _exc: Option<&Bound<'_, PyAny>>,
        _tb: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        self.stop(py)?;
        Ok(false)
    }
    fn __repr__(&self) -> String {
        let running = self.inner.lock().map(|g| g.is_some()).unwrap_or(false);
        format!(
            "Simulator(url={}, username={}, password='***', running={})",
            repr_str(&self.url),
            repr_str(&self.username),
            if running { "True" } else { "False" }
        )
    }
}
