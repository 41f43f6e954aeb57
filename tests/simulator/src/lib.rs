//! # hacienda-sim
//!
//! A loopback stand-in for Hacienda's sandbox: the IdP token endpoint and `recepcion/v1`, over
//! real HTTP on `127.0.0.1` (an ephemeral port by default), behaving as real traffic does —
//! 202 on POST, a 400 whose reason is only in `X-Error-Cause`, "ya fue recibido" for
//! duplicates, 404 "No existe el recurso con Clave = [...]" for unknown keys, `procesando`
//! for 1-15 s and then `aceptado`/`rechazado` with a base64 MensajeHacienda v4.4,
//! `X-Ratelimit-*` headers, and 429 + `Retry-After` past the per-minute limits (the
//! simulator's choice; see [`Limits`]). Faults are injected by configuration ([`Faults`]),
//! and its clock runs `speed` times faster than the wall clock so a demo can compress hours.
//!
//! ```no_run
//! let sim = hacienda_sim::Simulator::start(hacienda_sim::SimConfig::default()).unwrap();
//! println!("{}", sim.url()); // http://127.0.0.1:PORT/
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod config;
mod mensaje;
mod server;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

pub use config::{Faults, Limits, SimConfig};
pub use mensaje::{Parties, Verdict, mensaje_hacienda};
pub use state::Stats;

use server::Shared;
use state::{Clock, State};

/// A running simulator. Dropping it stops the server.
#[derive(Debug)]
pub struct Simulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Simulator {
    /// Binds 127.0.0.1 (the configured port, or an ephemeral one) and serves in the background.
    pub fn start(config: SimConfig) -> Result<Self, String> {
        config.validate()?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))
            .map_err(|e| format!("cannot bind 127.0.0.1:{}: {e}", config.port))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("cannot configure the socket: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("hacienda-sim")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))?;
        let shared = Arc::new(Shared {
            clock: Clock::new(config.speed),
            state: Mutex::new(State::new(config)),
        });
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?
        };
        runtime.spawn(server::serve(listener, Arc::clone(&shared)));
        Ok(Simulator {
            addr,
            shared,
            runtime: Some(runtime),
        })
    }

    /// The server root, `http://127.0.0.1:PORT/` (the client's custom base URL).
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The accepted username.
    pub fn username(&self) -> String {
        self.shared.lock().config.username.clone()
    }

    /// The accepted password.
    pub fn password(&self) -> String {
        self.shared.lock().config.password.clone()
    }

    /// The configuration in force.
    pub fn config(&self) -> SimConfig {
        self.shared.lock().config.clone()
    }

    /// Counters so far.
    pub fn stats(&self) -> Stats {
        self.shared.lock().stats.clone()
    }

    /// Replaces the fault configuration while running.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.lock().config.faults = faults;
    }

    /// Replaces the limits while running.
    pub fn set_limits(&self, limits: Limits) {
        self.shared.lock().config.limits = limits;
    }

    /// Simulator seconds since start.
    pub fn now(&self) -> f64 {
        self.shared.clock.now()
    }

    /// Number of stored documents (receiver messages included).
    pub fn document_count(&self) -> usize {
        self.shared.lock().documents.len()
    }

    /// The verdict of a stored document (decided at reception, revealed after processing).
    pub fn verdict(&self, key: &str) -> Option<Verdict> {
        self.shared.lock().documents.get(key).map(|d| d.verdict)
    }

    /// Kills every access token (the next request gets a 401, as after expiry).
    pub fn expire_access_tokens(&self) {
        let now = self.shared.clock.now();
        for life in self.shared.lock().access.values_mut() {
            life.until = life.until.min(now);
        }
    }

    /// Kills every refresh token (the client must log in again).
    pub fn expire_refresh_tokens(&self) {
        let now = self.shared.clock.now();
        for life in self.shared.lock().refresh.values_mut() {
            life.until = life.until.min(now);
        }
    }

    /// Stops the server (also done on drop).
    pub fn stop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}
