//! `Client`: the HTTP client of hacienda-core, the GIL released during network work.

use std::time::Duration;

use hacienda_core as core;
use hacienda_core::http as net;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::answers::StatusAnswer;
use crate::classify::Classification;
use crate::client_results::{ComprobantesPage, SubmitResult};
use crate::convert::repr_str;
use crate::errors::error_object;
use crate::submit::SubmissionRequest;

/// The exception instance for a client error (not raised).
fn client_error<'py>(py: Python<'py>, err: &net::ClientError) -> PyResult<Bound<'py, PyAny>> {
    let errors = py.import("hacienda_cr.errors")?;
    match err {
        net::ClientError::Parse(e) => error_object(py, e),
        net::ClientError::Config(msg) => {
            let kwargs = PyDict::new(py);
            kwargs.set_item("kind", "invalid_setting")?;
            kwargs.set_item("field", "environment")?;
            errors.getattr("SettingsError")?.call((msg.as_str(),), Some(&kwargs))
        }
        other => {
            let c = net::to_classification(other);
            let py_c = Classification::new_py(py, c)?;
            errors
                .getattr("ClassifiedError")?
                .call_method1("from_classification", (py_c, other.to_string()))
        }
    }
}

fn raise(py: Python<'_>, err: &net::ClientError) -> PyErr {
    match client_error(py, err) {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

fn secs(value: f64, what: &str) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        pyo3::exceptions::PyValueError::new_err(format!("{what} must be a non-negative number of seconds"))
    })
}

/// The Hacienda client (IdP token, recepcion, comprobantes, bounded concurrent polling).
#[pyclass(frozen, module = "hacienda_cr._native")]
pub struct Client {
    inner: net::Client,
    environment: String,
    username: String,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (*, username, password, environment = "sandbox", timeout = 30.0, connect_timeout = 10.0,
        submit_limit = None, status_limit = None, max_rate_limit_wait = 60.0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        username: String,
        password: String,
        environment: &str,
        timeout: f64,
        connect_timeout: f64,
        submit_limit: Option<(u32, f64)>,
        status_limit: Option<(u32, f64)>,
        max_rate_limit_wait: f64,
    ) -> PyResult<Self> {
        let env = net::Environment::parse(environment);
        let mut config = net::ClientConfig::new(env.clone(), net::Credentials::new(username.clone(), password));
        config.timeout = secs(timeout, "timeout")?;
        config.connect_timeout = secs(connect_timeout, "connect_timeout")?;
        config.max_rate_limit_wait = secs(max_rate_limit_wait, "max_rate_limit_wait")?;
        let limit = |l: Option<(u32, f64)>, what| -> PyResult<_> {
            l.map(|(max, per)| {
                Ok(net::RateLimit {
                    max,
                    per: secs(per, what)?,
                })
            })
            .transpose()
        };
        config.submit_limit = limit(submit_limit, "submit_limit")?;
        config.status_limit = limit(status_limit, "status_limit")?;
        let inner = net::Client::new(config).map_err(|e| raise(py, &e))?;
        Ok(Client {
            inner,
            environment: env.name().to_string(),
            username,
        })
    }
    #[getter]
    fn api_base(&self) -> &str {
        self.inner.api_base()
    }
    /// `{"logins": n, "refreshes": n}` made so far.
    #[getter]
    fn token_stats(&self, py: Python<'_>) -> std::collections::BTreeMap<&'static str, u64> {
        let t = py.detach(|| self.inner.token_stats());
        [("logins", t.logins), ("refreshes", t.refreshes)].into_iter().collect()
    }
    /// Logs in (or reuses a valid token); raises `ClassifiedError` on failure.
    fn login(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.inner.login()).map_err(|e| raise(py, &e))
    }
    /// Ends the IdP session.
    fn logout(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.inner.logout()).map_err(|e| raise(py, &e))
    }
    /// `POST /recepcion`; an ambiguous failure is checked with a status query.
    fn submit(&self, py: Python<'_>, request: PyRef<'_, SubmissionRequest>) -> PyResult<SubmitResult> {
        let req = request.inner().clone();
        let r = py.detach(|| self.inner.submit(&req));
        SubmitResult::new(py, r)
    }
    /// Submits many, `concurrency` at a time, paced by `submit_limit`.
    #[pyo3(signature = (requests, *, concurrency = 10))]
    fn submit_many<'py>(
        &self,
        py: Python<'py>,
        requests: Vec<PyRef<'py, SubmissionRequest>>,
        concurrency: usize,
    ) -> PyResult<Vec<SubmitResult>> {
        let reqs: Vec<core::SubmissionRequest> = requests.iter().map(|r| r.inner().clone()).collect();
        let results = py.detach(|| self.inner.submit_many(&reqs, concurrency));
        results.into_iter().map(|r| SubmitResult::new(py, r)).collect()
    }
    /// `GET /recepcion/{key}`; raises on transport failure.
    fn status(&self, py: Python<'_>, key: &str) -> PyResult<StatusAnswer> {
        let a = py.detach(|| self.inner.status(key)).map_err(|e| raise(py, &e))?;
        StatusAnswer::from_core(py, a)
    }
    /// Polls many keys concurrently; a `StatusAnswer` or an exception instance per key, in order.
    #[pyo3(signature = (keys, *, concurrency = 10))]
    fn poll_many<'py>(&self, py: Python<'py>, keys: Vec<String>, concurrency: usize) -> PyResult<Bound<'py, PyList>> {
        let answers = py.detach(|| self.inner.poll_many(&keys, concurrency));
        let out = PyList::empty(py);
        for a in answers {
            match a {
                Ok(a) => out.append(Py::new(py, StatusAnswer::from_core(py, a)?)?)?,
                Err(e) => out.append(client_error(py, &e)?)?,
            }
        }
        Ok(out)
    }
    /// `GET /comprobantes?offset=&limit=`.
    #[pyo3(signature = (*, offset = 0, limit = 50))]
    fn list_comprobantes(&self, py: Python<'_>, offset: u64, limit: u64) -> PyResult<ComprobantesPage> {
        let q = net::ListQuery {
            offset,
            limit,
            ..Default::default()
        };
        let page = py
            .detach(|| self.inner.list_comprobantes(&q))
            .map_err(|e| raise(py, &e))?;
        ComprobantesPage::new(py, page)
    }
    fn __repr__(&self) -> String {
        format!(
            "Client(environment={}, api_base={}, username={}, password='***')",
            repr_str(&self.environment),
            repr_str(self.inner.api_base()),
            repr_str(&self.username)
        )
    }
}
