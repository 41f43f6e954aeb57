//! The retry policy and its decisions.

use chrono::{DateTime, TimeDelta, Utc};
use hacienda_core::ErrorCategory;
use hacienda_core::backoff as core;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping};

use crate::convert::{member, to_dict};
use crate::errors::IntoPyResult;
use crate::records::{opt_utc, parsed, seconds, utc};
use crate::settings::Settings;

/// A failure category given as `ErrorCategory` or its str value.
pub fn category(obj: &Bound<'_, PyAny>) -> PyResult<ErrorCategory> {
    parsed(obj, "error category", ErrorCategory::parse)
}

/// When to retry a failed operation.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct RetryPolicy {
    pub(crate) inner: core::RetryPolicy,
}

#[pymethods]
impl RetryPolicy {
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (*, delays = None, multipliers = None, max_attempts = 5, max_elapsed = None,
        max_delay = None, jitter = None, enabled = true))]
    fn new(
        py: Python<'_>,
        delays: Option<&Bound<'_, PyAny>>,
        multipliers: Option<&Bound<'_, PyMapping>>,
        max_attempts: u32,
        max_elapsed: Option<&Bound<'_, PyAny>>,
        max_delay: Option<&Bound<'_, PyAny>>,
        jitter: Option<&Bound<'_, PyAny>>,
        enabled: bool,
    ) -> PyResult<Self> {
        let mut inner = core::RetryPolicy {
            max_attempts,
            enabled,
            ..core::RetryPolicy::default()
        };
        if let Some(d) = delays {
            inner.delays = d.try_iter()?.map(|x| seconds(&x?)).collect::<PyResult<_>>()?;
        }
        if let Some(m) = multipliers {
            for item in m.items()?.iter() {
                let (k, v): (Bound<'_, PyAny>, f64) = item.extract()?;
                inner.multipliers.insert(category(&k)?, v);
            }
        }
        inner.max_elapsed = max_elapsed.filter(|o| !o.is_none()).map(seconds).transpose()?;
        if let Some(d) = max_delay {
            inner.max_delay = seconds(d)?;
        }
        if let Some(j) = jitter {
            inner.jitter = parsed(j, "jitter mode", core::JitterMode::parse)?;
        }
        inner.validate().py(py)?;
        Ok(RetryPolicy { inner })
    }

    /// The default policy with the company's max retry attempts and auto-retry switch.
    #[staticmethod]
    fn from_settings(py: Python<'_>, settings: &Settings) -> PyResult<Self> {
        Ok(RetryPolicy {
            inner: core::RetryPolicy::from_settings(&settings.inner).py(py)?,
        })
    }

    #[getter]
    fn delays(&self) -> Vec<TimeDelta> {
        self.inner.delays.clone()
    }
    #[getter]
    fn multipliers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for c in ErrorCategory::ALL {
            if let Some(m) = self.inner.multiplier(c) {
                d.set_item(member(py, "ErrorCategory", c.as_str())?, m)?;
            }
        }
        Ok(d)
    }
    #[getter]
    fn max_attempts(&self) -> u32 {
        self.inner.max_attempts
    }
    #[getter]
    fn max_elapsed(&self) -> Option<TimeDelta> {
        self.inner.max_elapsed
    }
    #[getter]
    fn max_delay(&self) -> TimeDelta {
        self.inner.max_delay
    }
    #[getter]
    fn jitter(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::records::enum_value(py, "JitterMode", self.inner.jitter.as_str())
    }
    #[getter]
    fn enabled(&self) -> bool {
        self.inner.enabled
    }

    /// The delay before retry `attempts` (jitter from `sample`); `None` when not retryable.
    #[pyo3(signature = (category, attempts, sample = 0.0))]
    fn delay(
        &self,
        py: Python<'_>,
        category: &Bound<'_, PyAny>,
        attempts: u32,
        sample: f64,
    ) -> PyResult<Option<TimeDelta>> {
        self.inner.delay(self::category(category)?, attempts, sample).py(py)
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "RetryPolicy(delays={:?}, max_attempts={}, jitter='{}', enabled={})",
            self.inner
                .delays
                .iter()
                .map(|d| d.num_milliseconds() as f64 / 1000.0)
                .collect::<Vec<_>>(),
            self.inner.max_attempts,
            self.inner.jitter.as_str(),
            if self.inner.enabled { "True" } else { "False" }
        )
    }
}

/// Retry at an instant, or give up with a reason.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct RetryDecision {
    pub(crate) inner: core::Decision,
}

#[pymethods]
impl RetryDecision {
    #[getter]
    fn retry(&self) -> bool {
        matches!(self.inner, core::Decision::Retry { .. })
    }
    #[getter]
    fn at(&self) -> Option<DateTime<Utc>> {
        self.inner.at()
    }
    #[getter]
    fn delay(&self) -> Option<TimeDelta> {
        match self.inner {
            core::Decision::Retry { delay, .. } => Some(delay),
            core::Decision::GiveUp { .. } => None,
        }
    }
    #[getter]
    fn reason(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        match self.inner {
            core::Decision::GiveUp { reason } => {
                Ok(Some(crate::records::enum_value(py, "GiveUpReason", reason.as_str())?))
            }
            core::Decision::Retry { .. } => Ok(None),
        }
    }
    #[getter]
    #[allow(clippy::wrong_self_convention)]
    fn from_retry_after(&self) -> bool {
        matches!(
            self.inner,
            core::Decision::Retry {
                from_retry_after: true,
                ..
            }
        )
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        match self.inner {
            core::Decision::Retry { at, .. } => format!("RetryDecision(retry=True, at='{}')", at.to_rfc3339()),
            core::Decision::GiveUp { reason } => format!("RetryDecision(retry=False, reason='{}')", reason.as_str()),
        }
    }
}

/// The decision after failure number `attempts` (1 for the first failure).
#[pyfunction]
#[pyo3(signature = (policy, category, attempts, first_failure_at, now, sample = 0.0, retry_after = None))]
#[allow(clippy::too_many_arguments)]
pub fn plan_retry(
    py: Python<'_>,
    policy: &RetryPolicy,
    category: &Bound<'_, PyAny>,
    attempts: u32,
    first_failure_at: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    sample: f64,
    retry_after: Option<&Bound<'_, PyAny>>,
) -> PyResult<RetryDecision> {
    let inner = policy
        .inner
        .plan(
            self::category(category)?,
            attempts,
            utc(first_failure_at)?,
            utc(now)?,
            sample,
            opt_utc(retry_after)?,
        )
        .py(py)?;
    Ok(RetryDecision { inner })
}
