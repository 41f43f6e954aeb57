//! What the simulator does: clock speed, latency, processing time, verdicts, limits, faults.

use serde::{Deserialize, Serialize};

/// Per-minute limits (minutes of the simulator's clock). They mirror what integrators report
/// for the sandbox: 300 requests/min overall, 100 POSTs/min, 100 GETs/min, 10 token
/// requests/min. Answering an excess with 429 + `Retry-After` is **the simulator's choice**:
/// Hacienda does not document how it enforces them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// All recepcion requests.
    pub total: u32,
    /// `POST /recepcion`.
    pub post: u32,
    /// GETs (`/recepcion/{clave}`, `/comprobantes`).
    pub get: u32,
    /// Token endpoint requests.
    pub token: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            total: 300,
            post: 100,
            get: 100,
            token: 10,
        }
    }
}

impl Limits {
    /// No limits at all (for tests of other behaviour).
    pub fn unlimited() -> Self {
        Limits {
            total: u32::MAX,
            post: u32::MAX,
            get: u32::MAX,
            token: u32::MAX,
        }
    }
}

/// Faults injected into recepcion answers, as probabilities in [0, 1] per request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// 503 Service Unavailable (plain text).
    pub server_error: f64,
    /// Cloudflare 520 HTML page.
    pub cloudflare_520: f64,
    /// Connection dropped without an answer (before anything is stored).
    pub reset: f64,
    /// A POST is stored but its answer comes only after `hang_secs` (the ambiguous submission).
    pub hang: f64,
    /// Wall-clock seconds a hang lasts (make it longer than the client timeout).
    pub hang_secs: f64,
    /// 401 "Token used before issued" (clock skew).
    pub clock_skew_401: f64,
    /// Outage window `[start, end)` in simulator seconds after start: every recepcion request
    /// gets a 503.
    pub outage: Option<(f64, f64)>,
}

/// The simulator's configuration. Durations marked "simulator seconds" run `speed` times
/// faster than the wall clock; on the wire (`expires_in`, `Retry-After`, `X-Ratelimit-Reset`)
/// they are converted to wall-clock seconds so that unmodified clients behave correctly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    /// Port on 127.0.0.1 (0: ephemeral).
    pub port: u16,
    /// Clock speed factor (1 = real time, 60 = a minute per second).
    pub speed: f64,
    /// Wall-clock latency added to every answer, in milliseconds.
    pub latency_ms: u64,
    /// Shortest `procesando` time (simulator seconds).
    pub processing_min_secs: f64,
    /// Longest `procesando` time (simulator seconds).
    pub processing_max_secs: f64,
    /// Share of documents rejected (amount mismatches), in [0, 1].
    pub rejection_rate: f64,
    /// Access token life (simulator seconds; Hacienda: 300).
    pub token_ttl_secs: f64,
    /// Refresh token life (simulator seconds; seen 1200).
    pub refresh_ttl_secs: f64,
    /// Accepted ATV username.
    pub username: String,
    /// Accepted ATV password.
    pub password: String,
    /// Per-minute limits.
    pub limits: Limits,
    /// Fault injection.
    pub faults: Faults,
    /// Seed of the verdicts and fault rolls.
    pub seed: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            port: 0,
            speed: 1.0,
            latency_ms: 0,
            processing_min_secs: 1.0,
            processing_max_secs: 15.0,
            rejection_rate: 0.1,
            token_ttl_secs: 300.0,
            refresh_ttl_secs: 1200.0,
            username: "cpf-01-0000-0000@stag.comprobanteselectronicos.go.cr".into(),
            password: "sim-password".into(),
            limits: Limits::default(),
            faults: Faults::default(),
            seed: 7,
        }
    }
}

impl SimConfig {
    /// Checks ranges; the message names the field.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.speed.is_finite() && self.speed > 0.0 && self.speed <= 100_000.0) {
            return Err(format!("speed must be in (0, 100000], got {}", self.speed));
        }
        if !(self.processing_min_secs >= 0.0 && self.processing_min_secs <= self.processing_max_secs) {
            return Err("processing_min_secs must be >= 0 and <= processing_max_secs".into());
        }
        let probs = [
            ("rejection_rate", self.rejection_rate),
            ("faults.server_error", self.faults.server_error),
            ("faults.cloudflare_520", self.faults.cloudflare_520),
            ("faults.reset", self.faults.reset),
            ("faults.hang", self.faults.hang),
            ("faults.clock_skew_401", self.faults.clock_skew_401),
        ];
        for (name, p) in probs {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("{name} must be in [0, 1], got {p}"));
            }
        }
        if !(self.token_ttl_secs > 0.0 && self.refresh_ttl_secs > 0.0) {
            return Err("token lifetimes must be positive".into());
        }
        if !(self.faults.hang_secs >= 0.0 && self.faults.hang_secs <= 3600.0) {
            return Err("faults.hang_secs must be in [0, 3600]".into());
        }
        Ok(())
    }
}
