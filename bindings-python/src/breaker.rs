//! The circuit breaker; its state is a plain dict the host stores between calls
//! (`decision.stored`).

use chrono::{DateTime, Utc};
use hacienda_core::breaker;
use pyo3::prelude::*;

use crate::backoff::category;
use crate::convert::to_dict;
use crate::errors::IntoPyResult;
use crate::rate::stored;
use crate::records::{enum_value, utc};

/// Closed / open / half-open breaker over Hacienda outages.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct CircuitBreaker {
    inner: breaker::BreakerConfig,
}

/// The answer of the breaker, with the state to store.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct BreakerDecision {
    inner: breaker::BreakerDecision,
    store: breaker::BreakerStore,
}

#[pymethods]
impl CircuitBreaker {
    #[new]
    #[pyo3(signature = (*, failure_threshold = 5, open_seconds = 60, half_open_probes = 1, success_threshold = 1))]
    fn new(
        py: Python<'_>,
        failure_threshold: u32,
        open_seconds: u32,
        half_open_probes: u32,
        success_threshold: u32,
    ) -> PyResult<Self> {
        let inner = breaker::BreakerConfig {
            failure_threshold,
            open_seconds,
            half_open_probes,
            success_threshold,
        };
        inner.validate().py(py)?;
        Ok(CircuitBreaker { inner })
    }
    #[getter]
    fn failure_threshold(&self) -> u32 {
        self.inner.failure_threshold
    }
    #[getter]
    fn open_seconds(&self) -> u32 {
        self.inner.open_seconds
    }
    #[getter]
    fn half_open_probes(&self) -> u32 {
        self.inner.half_open_probes
    }
    #[getter]
    fn success_threshold(&self) -> u32 {
        self.inner.success_threshold
    }

    /// May a request go now?
    fn allow(
        &self,
        py: Python<'_>,
        state: Option<&Bound<'_, PyAny>>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<BreakerDecision> {
        let mut store = stored(state, "circuit breaker state")?;
        let inner = self.inner.allow(&mut store, utc(now)?).py(py)?;
        Ok(BreakerDecision { inner, store })
    }

    /// A request succeeded.
    fn on_success(
        &self,
        py: Python<'_>,
        state: Option<&Bound<'_, PyAny>>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<BreakerDecision> {
        let mut store = stored(state, "circuit breaker state")?;
        let inner = self.inner.on_success(&mut store, utc(now)?).py(py)?;
        Ok(BreakerDecision { inner, store })
    }

    /// A request failed with `category` (only outages count).
    #[pyo3(signature = (state, now, category = None))]
    fn on_failure(
        &self,
        py: Python<'_>,
        state: Option<&Bound<'_, PyAny>>,
        now: &Bound<'_, PyAny>,
        category: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<BreakerDecision> {
        let mut store = stored(state, "circuit breaker state")?;
        let category = category
            .map(self::category)
            .transpose()?
            .unwrap_or(hacienda_core::ErrorCategory::Server);
        let inner = self.inner.on_failure(&mut store, utc(now)?, category).py(py)?;
        Ok(BreakerDecision { inner, store })
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        let c = &self.inner;
        format!(
            "CircuitBreaker(failure_threshold={}, open_seconds={}, half_open_probes={}, success_threshold={})",
            c.failure_threshold, c.open_seconds, c.half_open_probes, c.success_threshold
        )
    }
}

#[pymethods]
impl BreakerDecision {
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed
    }
    #[getter]
    fn state(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_value(py, "BreakerState", self.inner.state.as_str())
    }
    #[getter]
    fn changed(&self) -> bool {
        self.inner.changed
    }
    #[getter]
    fn retry_at(&self) -> Option<DateTime<Utc>> {
        self.inner.retry_at
    }
    #[getter]
    fn stored<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.store)
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "BreakerDecision(allowed={}, state='{}', changed={})",
            if self.inner.allowed { "True" } else { "False" },
            self.inner.state.as_str(),
            if self.inner.changed { "True" } else { "False" }
        )
    }
}
