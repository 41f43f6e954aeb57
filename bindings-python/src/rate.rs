//! The per-minute rate limiter; its state is a plain dict the host stores between calls
//! (`decision.stored`).

use chrono::{DateTime, Utc};
use hacienda_core::rate as core;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use crate::convert::to_dict;
use crate::errors::IntoPyResult;
use crate::records::{parsed, utc};

pub fn stored<T: serde::de::DeserializeOwned + Default>(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<T> {
    match obj.filter(|o| !o.is_none()) {
        None => Ok(T::default()),
        Some(o) => pythonize::depythonize(o).map_err(|e| PyTypeError::new_err(format!("{what}: {e}"))),
    }
}

/// The stored limiter state (`None` for a fresh one).
pub fn rate_state(obj: Option<&Bound<'_, PyAny>>) -> PyResult<core::RateState> {
    stored(obj, "rate limiter state")
}

/// Sliding one-minute limits.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct RateLimiter {
    pub(crate) inner: core::RateLimits,
}

/// The answer of the limiter, with the state to store.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct RateDecision {
    inner: core::RateDecision,
    state: core::RateState,
}

#[pymethods]
impl RateLimiter {
    #[new]
    #[pyo3(signature = (*, requests_per_minute = 300, posts_per_minute = 100, gets_per_minute = 100,
        tokens_per_minute = 10, auth_failures_per_minute = 5))]
    fn new(
        py: Python<'_>,
        requests_per_minute: u32,
        posts_per_minute: u32,
        gets_per_minute: u32,
        tokens_per_minute: u32,
        auth_failures_per_minute: u32,
    ) -> PyResult<Self> {
        let inner = core::RateLimits {
            requests_per_minute,
            posts_per_minute,
            gets_per_minute,
            tokens_per_minute,
            auth_failures_per_minute,
        };
        inner.validate().py(py)?;
        Ok(RateLimiter { inner })
    }
    #[getter]
    fn requests_per_minute(&self) -> u32 {
        self.inner.requests_per_minute
    }
    #[getter]
    fn posts_per_minute(&self) -> u32 {
        self.inner.posts_per_minute
    }
    #[getter]
    fn gets_per_minute(&self) -> u32 {
        self.inner.gets_per_minute
    }
    #[getter]
    fn tokens_per_minute(&self) -> u32 {
        self.inner.tokens_per_minute
    }
    #[getter]
    fn auth_failures_per_minute(&self) -> u32 {
        self.inner.auth_failures_per_minute
    }

    /// Admits as many of `count` requests of `kind` as the limits allow.
    #[pyo3(signature = (state, kind, now, count = 1))]
    fn admit(
        &self,
        py: Python<'_>,
        state: Option<&Bound<'_, PyAny>>,
        kind: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
        count: u32,
    ) -> PyResult<RateDecision> {
        let mut state = rate_state(state)?;
        let kind = parsed(kind, "request kind", core::RequestKind::parse)?;
        let inner = self.inner.admit(&mut state, kind, utc(now)?, count).py(py)?;
        Ok(RateDecision { inner, state })
    }

    /// Records an authentication failure.
    fn record_auth_failure(
        &self,
        py: Python<'_>,
        state: Option<&Bound<'_, PyAny>>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<RateDecision> {
        let mut state = rate_state(state)?;
        let inner = self.inner.record_auth_failure(&mut state, utc(now)?).py(py)?;
        Ok(RateDecision { inner, state })
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        let l = &self.inner;
        format!(
            "RateLimiter(requests_per_minute={}, posts_per_minute={}, gets_per_minute={}, tokens_per_minute={}, auth_failures_per_minute={})",
            l.requests_per_minute,
            l.posts_per_minute,
            l.gets_per_minute,
            l.tokens_per_minute,
            l.auth_failures_per_minute
        )
    }
}

#[pymethods]
impl RateDecision {
    #[getter]
    fn requested(&self) -> u32 {
        self.inner.requested
    }
    #[getter]
    fn admitted(&self) -> u32 {
        self.inner.admitted
    }
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed()
    }
    #[getter]
    fn limited_by(&self) -> Option<&'static str> {
        self.inner.limited_by
    }
    #[getter]
    fn retry_at(&self) -> Option<DateTime<Utc>> {
        self.inner.retry_at
    }
    #[getter]
    fn stored<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.state)
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = to_dict(py, &self.inner)?;
        d.set_item("allowed", self.inner.allowed())?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        format!(
            "RateDecision(admitted={}/{}, limited_by={})",
            self.inner.admitted,
            self.inner.requested,
            self.inner.limited_by.map_or("None".into(), |l| format!("'{l}'"))
        )
    }
}
