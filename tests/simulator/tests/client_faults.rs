//! Client + simulator: faults (5xx, Cloudflare 520, resets, hangs, clock skew, outage) and
//! rate limits, each ending in the right classification; ambiguous submissions are checked by
//! a status query, never resent.

mod common;

use std::time::{Duration, Instant};

use common::*;
use hacienda_core::http::{Client, Delivery, RateLimit};
use hacienda_core::{ErrorCategory, NextStep};
use hacienda_sim::{Faults, Limits, SimConfig};

fn faulty(faults: Faults) -> SimConfig {
    SimConfig {
        faults,
        ..fast_config()
    }
}

#[test]
fn server_error_is_retryable_server() {
    let s = sim(faulty(Faults {
        server_error: 1.0,
        ..Faults::default()
    }));
    let c = client(&s);
    let r = c.submit(&request(1));
    assert_eq!(r.delivery, Delivery::Failed);
    let class = r.classification.unwrap();
    assert_eq!((class.category, class.retryable), (ErrorCategory::Server, true));
    let a = c.status(&clave(1, 1)).unwrap();
    assert_eq!(a.http_status, 503);
    assert_eq!(s.document_count(), 0);
}

#[test]
fn cloudflare_520_html() {
    let s = sim(faulty(Faults {
        cloudflare_520: 1.0,
        ..Faults::default()
    }));
    let c = client(&s);
    let a = c.status(&clave(1, 1)).unwrap();
    assert_eq!(a.http_status, 520);
    let class = a.classification.unwrap();
    assert_eq!(class.rule, "cloudflare_origin");
    assert!(class.reason.contains("HTML"), "{}", class.reason);
}

#[test]
fn outage_window() {
    let s = sim(faulty(Faults {
        outage: Some((0.0, 1e9)),
        ..Faults::default()
    }));
    let c = client(&s);
    let r = c.submit(&request(1));
    assert_eq!(r.delivery, Delivery::Failed);
    assert_eq!(r.outcome.unwrap().http_status, 503);
    // The outage ends: the same document goes through.
    s.set_faults(Faults::default());
    assert_eq!(c.submit(&request(1)).delivery, Delivery::Received);
}

#[test]
fn reset_is_network_and_never_a_blind_resubmit() {
    let s = sim(faulty(Faults {
        reset: 1.0,
        ..Faults::default()
    }));
    let c = client(&s);
    let err = c.status(&clave(1, 1)).unwrap_err();
    assert_eq!(err.classification().unwrap().rule, "connection_reset", "{err:?}");
    let r = c.submit(&request(1));
    // The POST may have arrived and the status query was reset too: unknown, poll first.
    assert_eq!(r.delivery, Delivery::Unknown, "{r:?}");
    assert_eq!(r.classification.unwrap().category, ErrorCategory::Network);
    assert_eq!(s.stats().posts, 0, "resets happen before the handler");
    assert_eq!(
        s.stats().fault_reset,
        3,
        "the status call, the POST and its verification query: no second POST"
    );
}

#[test]
fn hang_after_receipt_is_confirmed_by_a_status_query() {
    let s = sim(faulty(Faults {
        hang: 1.0,
        hang_secs: 3.0,
        ..Faults::default()
    }));
    let mut cfg = client_config(&s);
    cfg.timeout = Duration::from_millis(600);
    let c = Client::new(cfg).unwrap();
    let t = Instant::now();
    let r = c.submit(&request(1));
    assert!(t.elapsed() < Duration::from_secs(3), "the client timeout ends the wait");
    assert_eq!(r.delivery, Delivery::Received, "{r:?}");
    assert_eq!(r.classification.as_ref().map(|c| c.rule), None);
    let verified = r.verified.expect("a status query was made");
    assert_eq!(verified.http_status, 200);
    assert_eq!(s.stats().posts, 1, "never resubmitted");
    assert_eq!(s.stats().fault_hang, 1);
}

#[test]
fn timeout_on_status_is_classified() {
    // The status endpoint is slower than the client timeout.
    let s = sim(SimConfig {
        latency_ms: 800,
        ..fast_config()
    });
    let mut cfg = client_config(&s);
    cfg.timeout = Duration::from_millis(300);
    let c = Client::new(cfg).unwrap();
    let err = c.status(&clave(1, 1)).unwrap_err();
    let class = err.classification().unwrap();
    assert_eq!(class.rule, "timeout");
    assert_eq!(class.category, ErrorCategory::Network);
}

#[test]
fn clock_skew_401() {
    let s = sim(faulty(Faults {
        clock_skew_401: 1.0,
        ..Faults::default()
    }));
    let c = client(&s);
    let a = c.status(&clave(1, 1)).unwrap();
    assert_eq!(a.http_status, 401);
    let class = a.classification.unwrap();
    assert_eq!(class.rule, "clock_skew");
    assert_eq!(class.next_step, NextStep::Reauthenticate);
    assert_eq!(s.stats().fault_clock_skew, 2, "renewed the token once and retried once");
}

#[test]
fn rate_limit_429_with_retry_after() {
    let s = sim(SimConfig {
        speed: 1.0,
        limits: Limits {
            post: 3,
            ..Limits::default()
        },
        ..fast_config()
    });
    let mut cfg = client_config(&s);
    cfg.max_rate_limit_wait = Duration::ZERO; // give the 429 back instead of waiting
    let c = Client::new(cfg).unwrap();
    for n in 0..3 {
        assert_eq!(c.submit(&request(n)).delivery, Delivery::Received);
    }
    let r = c.submit(&request(3));
    assert_eq!(r.delivery, Delivery::Failed);
    let outcome = r.outcome.unwrap();
    assert_eq!(outcome.http_status, 429);
    assert!(outcome.headers.retry_after.is_some());
    assert_eq!(outcome.headers.rate_limit.unwrap().remaining, Some(0));
    assert_eq!(r.classification.unwrap().category, ErrorCategory::RateLimit);
}

#[test]
fn rate_limit_waited_out_and_paced() {
    // A simulator minute lasts 1 s of wall time; 5 POSTs per minute.
    let config = SimConfig {
        speed: 60.0,
        limits: Limits {
            post: 5,
            ..Limits::default()
        },
        ..fast_config()
    };
    let s = sim(config.clone());
    let c = client(&s);
    let reqs: Vec<_> = (0..12).map(request).collect();
    let results = c.submit_many(&reqs, 4);
    assert!(results.iter().all(|r| r.delivery == Delivery::Received), "{results:?}");
    assert!(
        s.stats().rate_limited > 0,
        "without pacing the limit was hit and waited out"
    );

    let s2 = sim(config);
    let mut cfg = client_config(&s2);
    cfg.submit_limit = Some(RateLimit {
        max: 5,
        per: Duration::from_millis(1050),
    });
    let paced = Client::new(cfg).unwrap();
    let t = Instant::now();
    let results = paced.submit_many(&reqs, 4);
    assert!(results.iter().all(|r| r.delivery == Delivery::Received));
    assert_eq!(s2.stats().rate_limited, 0, "paced: never over the limit");
    assert!(
        t.elapsed() >= Duration::from_millis(2000),
        "12 at 5 per second need two more windows"
    );
}

#[test]
fn poll_many_is_concurrent_ordered_and_keeps_connections() {
    let s = sim(SimConfig {
        latency_ms: 200,
        ..fast_config()
    });
    let c = client(&s);
    let reqs: Vec<_> = (0..20).map(request).collect();
    assert!(
        c.submit_many(&reqs, 20)
            .iter()
            .all(|r| r.delivery == Delivery::Received)
    );
    let keys: Vec<String> = reqs.iter().map(|r| r.clave.clone()).collect();
    let before = s.stats().connections;
    let t = Instant::now();
    let answers = c.poll_many(&keys, 10);
    let elapsed = t.elapsed();
    assert!(
        elapsed < Duration::from_millis(1500),
        "20 polls at 200 ms, 10 at a time: {elapsed:?}"
    );
    for (a, k) in answers.iter().zip(&keys) {
        assert_eq!(&a.as_ref().unwrap().report.as_ref().unwrap().clave, k);
    }
    let opened = s.stats().connections - before;
    assert!(opened <= 10, "connections are kept alive and reused: {opened} new");
}

#[test]
fn tls_failure_is_classified_tls() {
    // https against a plain-http port: the handshake fails (verification is never disabled).
    let s = sim(fast_config());
    let mut cfg = client_config(&s);
    cfg.environment = hacienda_core::http::Environment::custom(s.url().replace("http://", "https://"));
    let c = Client::new(cfg).unwrap();
    let err = c.login().unwrap_err();
    assert_eq!(err.classification().unwrap().rule, "tls", "{err:?}");
}

#[test]
fn unresolvable_host_is_classified_dns() {
    // `.invalid` never resolves (RFC 2606); no traffic leaves the machine.
    let mut cfg = hacienda_core::http::ClientConfig::new(
        hacienda_core::http::Environment::custom("https://hacienda-sim.invalid/"),
        hacienda_core::http::Credentials::new("u", "p"),
    );
    cfg.timeout = Duration::from_secs(5);
    cfg.connect_timeout = Duration::from_secs(3);
    let c = Client::new(cfg).unwrap();
    let err = c.login().unwrap_err();
    let class = err.classification().unwrap();
    assert_eq!(class.category, ErrorCategory::Network, "{err:?}");
    assert!(matches!(class.rule, "dns" | "timeout"), "{err:?}");
}
