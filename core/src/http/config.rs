//! Client configuration.

use std::time::Duration;

use super::environment::Environment;
use super::limiter::RateLimit;
use super::secret::Credentials;

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Where to talk to.
    pub environment: Environment,
    /// ATV credentials.
    pub credentials: Credentials,
    /// Whole-request timeout (default 30 s).
    pub timeout: Duration,
    /// Connection timeout (default 10 s).
    pub connect_timeout: Duration,
    /// Client-side pacing of `POST /recepcion` (None: no pacing, 429 answers are still honoured).
    pub submit_limit: Option<RateLimit>,
    /// Client-side pacing of GETs.
    pub status_limit: Option<RateLimit>,
    /// Longest `Retry-After` the client waits for by itself before giving the 429 back (default 60 s).
    pub max_rate_limit_wait: Duration,
    /// Worker threads of the private runtime (default 2).
    pub worker_threads: usize,
}

impl ClientConfig {
    /// Defaults for an environment and credentials.
    pub fn new(environment: Environment, credentials: Credentials) -> Self {
        ClientConfig {
            environment,
            credentials,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            submit_limit: None,
            status_limit: None,
            max_rate_limit_wait: Duration::from_secs(60),
            worker_threads: 2,
        }
    }
}
