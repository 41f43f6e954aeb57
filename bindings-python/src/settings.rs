//! Company settings (`l10n_cr_*` fields) with defaults and validation.

use hacienda_core::settings as core;
use pyo3::prelude::*;

use crate::convert::to_dict;
use crate::errors::IntoPyResult;

/// Scheduling settings of one company.
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct Settings {
    pub(crate) inner: core::Settings,
}

#[pymethods]
impl Settings {
    #[new]
    #[pyo3(signature = (*, auto_polling_enabled = true, polling_interval = 15, polling_max_hours = 24,
        polling_batch_size = 50, batch_size = 50, batch_delay = 5, max_concurrent_batches = 3,
        auto_retry_enabled = true, max_retry_attempts = 5, store_responses = true,
        response_retention_days = 90, queue_retention_days = 30))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        auto_polling_enabled: bool,
        polling_interval: i64,
        polling_max_hours: i64,
        polling_batch_size: i64,
        batch_size: i64,
        batch_delay: i64,
        max_concurrent_batches: i64,
        auto_retry_enabled: bool,
        max_retry_attempts: i64,
        store_responses: bool,
        response_retention_days: i64,
        queue_retention_days: i64,
    ) -> Self {
        Settings {
            inner: core::Settings {
                auto_polling_enabled,
                polling_interval,
                polling_max_hours,
                polling_batch_size,
                batch_size,
                batch_delay,
                max_concurrent_batches,
                auto_retry_enabled,
                max_retry_attempts,
                store_responses,
                response_retention_days,
                queue_retention_days,
            },
        }
    }

    /// Settings from a mapping whose keys may carry the `l10n_cr_` prefix (an Odoo `read()`).
    #[staticmethod]
    fn from_dict(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<Self> {
        let map: serde_json::Map<String, serde_json::Value> = pythonize::depythonize(values)
            .map_err(|e| pyo3::exceptions::PyTypeError::new_err(format!("settings must be a mapping: {e}")))?;
        Ok(Settings {
            inner: core::Settings::from_map(&map).py(py)?,
        })
    }

    #[getter]
    fn auto_polling_enabled(&self) -> bool {
        self.inner.auto_polling_enabled
    }
    #[getter]
    fn polling_interval(&self) -> i64 {
        self.inner.polling_interval
    }
    #[getter]
    fn polling_max_hours(&self) -> i64 {
        self.inner.polling_max_hours
    }
    #[getter]
    fn polling_batch_size(&self) -> i64 {
        self.inner.polling_batch_size
    }
    #[getter]
    fn batch_size(&self) -> i64 {
        self.inner.batch_size
    }
    #[getter]
    fn batch_delay(&self) -> i64 {
        self.inner.batch_delay
    }
    #[getter]
    fn max_concurrent_batches(&self) -> i64 {
        self.inner.max_concurrent_batches
    }
    #[getter]
    fn auto_retry_enabled(&self) -> bool {
        self.inner.auto_retry_enabled
    }
    #[getter]
    fn max_retry_attempts(&self) -> i64 {
        self.inner.max_retry_attempts
    }
    #[getter]
    fn store_responses(&self) -> bool {
        self.inner.store_responses
    }
    #[getter]
    fn response_retention_days(&self) -> i64 {
        self.inner.response_retention_days
    }
    #[getter]
    fn queue_retention_days(&self) -> i64 {
        self.inner.queue_retention_days
    }

    /// Every out-of-range value as `(field, message)`; empty when valid.
    fn problems(&self) -> Vec<(&'static str, String)> {
        self.inner
            .problems()
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect()
    }

    /// Raises `SettingsError` (with `field`) for the first problem.
    fn validate(&self, py: Python<'_>) -> PyResult<()> {
        self.inner.validate().py(py)
    }

    #[pyo3(signature = (*, prefixed = false))]
    fn to_dict<'py>(&self, py: Python<'py>, prefixed: bool) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner.to_map(prefixed))
    }

    fn __repr__(&self) -> String {
        let fields: Vec<String> = self
            .inner
            .to_map(false)
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::Bool(true) => "True".to_string(),
                    serde_json::Value::Bool(false) => "False".to_string(),
                    other => other.to_string(),
                };
                format!("{k}={v}")
            })
            .collect();
        format!("Settings({})", fields.join(", "))
    }
}
