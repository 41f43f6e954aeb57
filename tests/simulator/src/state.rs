//! The simulator's memory: its clock, tokens, documents, rate windows and counters.

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;

use crate::config::SimConfig;
use crate::mensaje::{Parties, Verdict};

/// The simulator clock: wall time since start, times the speed factor.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    start: Instant,
    speed: f64,
}

impl Clock {
    /// Starts now.
    pub fn new(speed: f64) -> Self {
        Clock {
            start: Instant::now(),
            speed,
        }
    }

    /// Simulator seconds since start.
    pub fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * self.speed
    }

    /// Wall-clock seconds for a span of simulator seconds.
    pub fn to_wall(self, sim_secs: f64) -> f64 {
        sim_secs / self.speed
    }
}

/// Counters of what the simulator saw and did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Stats {
    /// TCP connections accepted (keep-alive keeps this low).
    pub connections: u64,
    /// Password grants answered with a token.
    pub logins: u64,
    /// Refresh grants answered with a token.
    pub refreshes: u64,
    /// Token requests refused (bad credentials, dead refresh token).
    pub token_refused: u64,
    /// Logouts.
    pub logouts: u64,
    /// `POST /recepcion` requests that reached the handler.
    pub posts: u64,
    /// New documents stored.
    pub received: u64,
    /// POSTs of a document already stored ("ya fue recibido").
    pub duplicates: u64,
    /// POSTs refused with 400 (bad body).
    pub bad_requests: u64,
    /// Status GETs.
    pub status_requests: u64,
    /// Status GETs of unknown keys (404).
    pub not_found: u64,
    /// `GET /comprobantes` requests.
    pub list_requests: u64,
    /// Requests refused with 401 (missing, unknown or expired token).
    pub unauthorized: u64,
    /// 429 answers.
    pub rate_limited: u64,
    /// Injected 503s (including the outage window).
    pub fault_server_error: u64,
    /// Injected Cloudflare 520s.
    pub fault_cloudflare: u64,
    /// Injected connection resets.
    pub fault_reset: u64,
    /// Injected hangs.
    pub fault_hang: u64,
    /// Injected 401 "Token used before issued".
    pub fault_clock_skew: u64,
}

/// One stored document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The clave.
    pub clave: String,
    /// `fecha` as submitted.
    pub fecha: String,
    /// Issuer and receiver from the POST body.
    pub parties: Parties,
    /// Receiver-message consecutivo.
    pub consecutivo_receptor: Option<String>,
    /// When it was received (simulator seconds).
    pub received_at: f64,
    /// When the decision is out (simulator seconds).
    pub decided_at: f64,
    /// The decision.
    pub verdict: Verdict,
    /// Arrival order.
    pub seq: u64,
}

/// A fixed one-minute window counter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    minute: u64,
    count: u32,
}

impl Window {
    /// Counts one request if it fits `limit` in the current minute; returns the remaining count,
    /// or `None` when over the limit.
    pub fn admit(&mut self, now: f64, limit: u32) -> Option<u32> {
        let minute = (now / 60.0) as u64;
        if minute != self.minute {
            self.minute = minute;
            self.count = 0;
        }
        if self.count >= limit {
            return None;
        }
        self.count += 1;
        Some(limit - self.count)
    }

    /// The number left in the current minute without counting.
    pub fn remaining(&self, now: f64, limit: u32) -> u32 {
        if (now / 60.0) as u64 != self.minute {
            limit
        } else {
            limit.saturating_sub(self.count)
        }
    }
}

/// Simulator seconds until the current minute ends.
pub fn until_next_minute(now: f64) -> f64 {
    60.0 - now.rem_euclid(60.0)
}

/// A live token.
#[derive(Debug, Clone, Copy)]
pub struct TokenLife {
    /// Dead after (simulator seconds).
    pub until: f64,
}

/// Everything behind the simulator's lock.
#[derive(Debug)]
pub struct State {
    /// Configuration (faults may be changed while running).
    pub config: SimConfig,
    /// Access tokens.
    pub access: HashMap<String, TokenLife>,
    /// Refresh tokens.
    pub refresh: HashMap<String, TokenLife>,
    /// Documents by status key.
    pub documents: HashMap<String, Document>,
    /// `(issuer number, consecutivo)` → clave, to detect reuse.
    pub consecutivos: HashMap<(String, String), String>,
    /// Rate windows.
    pub total: Window,
    /// POST window.
    pub post: Window,
    /// GET window.
    pub get: Window,
    /// Token window.
    pub token: Window,
    /// Counters.
    pub stats: Stats,
    rng: u64,
    next_token: u64,
    next_seq: u64,
}

/// splitmix64.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in [0, 1) from a hash.
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl State {
    /// Empty state.
    pub fn new(config: SimConfig) -> Self {
        let rng = config.seed;
        State {
            config,
            access: HashMap::new(),
            refresh: HashMap::new(),
            documents: HashMap::new(),
            consecutivos: HashMap::new(),
            total: Window::default(),
            post: Window::default(),
            get: Window::default(),
            token: Window::default(),
            stats: Stats::default(),
            rng,
            next_token: 0,
            next_seq: 0,
        }
    }

    /// A roll in [0, 1).
    pub fn roll(&mut self) -> f64 {
        self.rng = mix(self.rng);
        unit(self.rng)
    }

    /// A fresh opaque token text.
    pub fn token_text(&mut self, prefix: &str) -> String {
        self.next_token += 1;
        self.rng = mix(self.rng);
        format!("{prefix}.{}.{:016x}", self.next_token, self.rng)
    }

    /// True when the configuration refuses this document with a 400 (deterministic per key).
    pub fn refuses(&self, key: &str) -> bool {
        unit(mix(self.config.seed ^ fnv(key) ^ 0xBAD)) < self.config.faults.bad_request
    }

    /// Stores a new document and decides its verdict (deterministic per clave and seed).
    pub fn store(&mut self, key: String, mut doc: Document, now: f64) {
        let h = mix(self.config.seed ^ fnv(&key));
        let span = self.config.processing_max_secs - self.config.processing_min_secs;
        doc.received_at = now;
        doc.decided_at = now + self.config.processing_min_secs + span * unit(mix(h));
        let issuer = doc.parties.emisor.1.clone();
        let consecutivo = doc.clave.get(21..41).unwrap_or("").to_string();
        let reused = doc.consecutivo_receptor.is_none()
            && self
                .consecutivos
                .get(&(issuer.clone(), consecutivo.clone()))
                .is_some_and(|other| *other != doc.clave);
        doc.verdict = if reused {
            Verdict::ConsecutiveReused
        } else if unit(h) < self.config.rejection_rate {
            Verdict::AmountMismatch
        } else if unit(mix(h ^ 0x37)) < 0.2 {
            Verdict::AcceptedWithWarning
        } else {
            Verdict::Accepted
        };
        if doc.consecutivo_receptor.is_none() && !reused {
            self.consecutivos.insert((issuer, consecutivo), doc.clave.clone());
        }
        self.next_seq += 1;
        doc.seq = self.next_seq;
        self.stats.received += 1;
        self.documents.insert(key, doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_admits_up_to_the_limit_per_minute() {
        let mut w = Window::default();
        assert_eq!(w.admit(0.0, 2), Some(1));
        assert_eq!(w.admit(30.0, 2), Some(0));
        assert_eq!(w.admit(59.9, 2), None);
        assert_eq!(w.remaining(59.9, 2), 0);
        assert_eq!(w.remaining(60.0, 2), 2, "a new minute starts empty");
        assert_eq!(w.admit(60.0, 2), Some(1));
        assert!((until_next_minute(61.5) - 58.5).abs() < 1e-9);
    }

    #[test]
    fn verdicts_are_deterministic_and_reuse_is_detected() {
        let mut st = State::new(SimConfig {
            rejection_rate: 0.0,
            ..SimConfig::default()
        });
        let doc = |clave: &str| Document {
            clave: clave.to_string(),
            fecha: "2024-04-01T10:00:00-06:00".into(),
            parties: Parties {
                emisor: ("01".into(), "206920142".into()),
                ..Parties::default()
            },
            consecutivo_receptor: None,
            received_at: 0.0,
            decided_at: 0.0,
            verdict: Verdict::Accepted,
            seq: 0,
        };
        let a = "50601042400020692014200100001010000000001100000001";
        let b = "50601042400020692014200100001010000000001199999999"; // same consecutivo
        st.store(a.into(), doc(a), 0.0);
        st.store(b.into(), doc(b), 0.0);
        assert!(st.documents[a].verdict.accepted());
        assert_eq!(st.documents[b].verdict, Verdict::ConsecutiveReused);
        let d = &st.documents[a];
        assert!((1.0..=15.0).contains(&(d.decided_at - d.received_at)));
    }
}
