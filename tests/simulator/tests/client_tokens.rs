//! Client + simulator: token expiry read from the answers, refresh before expiry, re-login
//! when the refresh token is gone, one refresh at a time, 401 recovery, logout.

mod common;

use std::time::{Duration, Instant};

use common::*;
use hacienda_core::http::Delivery;
use hacienda_sim::SimConfig;

#[test]
fn refreshes_before_expiry_from_expires_in() {
    // Tokens live 1.5 s of wall time; the client renews them about 0.15 s early.
    let s = sim(SimConfig {
        speed: 1.0,
        token_ttl_secs: 1.5,
        refresh_ttl_secs: 600.0,
        ..fast_config()
    });
    let c = client(&s);
    c.login().unwrap();
    std::thread::sleep(Duration::from_millis(1400));
    let a = c.status(&clave(1, 1)).unwrap();
    assert_eq!(a.http_status, 404, "the request went through with a renewed token");
    let t = c.token_stats();
    assert_eq!((t.logins, t.refreshes), (1, 1), "{t:?}");
    assert_eq!(s.stats().unauthorized, 0, "renewed before expiry: no 401 seen");
}

#[test]
fn logs_in_again_when_the_refresh_token_is_gone() {
    let s = sim(fast_config());
    let c = client(&s);
    c.login().unwrap();
    s.expire_access_tokens();
    s.expire_refresh_tokens();
    // The client still believes its token is valid: the 401 makes it renew once and retry;
    // the dead refresh token makes it log in again.
    let a = c.status(&clave(1, 1)).unwrap();
    assert_eq!(a.http_status, 404);
    let t = c.token_stats();
    assert_eq!(t.logins, 2, "{t:?}");
    assert_eq!(t.refreshes, 1, "{t:?}");
    assert_eq!(s.stats().unauthorized, 1);
    assert_eq!(s.stats().token_refused, 1);
}

#[test]
fn one_refresh_at_a_time() {
    let s = sim(SimConfig {
        latency_ms: 20,
        ..fast_config()
    });
    let c = client(&s);
    c.login().unwrap();
    s.expire_access_tokens();
    let keys: Vec<String> = (0..40).map(|n| clave(n, n)).collect();
    let answers = c.poll_many(&keys, 40);
    assert!(answers.iter().all(|a| a.as_ref().is_ok_and(|a| a.http_status == 404)));
    let t = c.token_stats();
    assert_eq!(t.refreshes, 1, "40 concurrent 401s share one refresh: {t:?}");
    assert_eq!(s.stats().refreshes, 1);
    assert_eq!(t.logins, 1);
}

#[test]
fn logout_ends_the_session() {
    let s = sim(fast_config());
    let c = client(&s);
    c.login().unwrap();
    c.logout().unwrap();
    assert_eq!(s.stats().logouts, 1);
    // The next call logs in again.
    assert_eq!(c.submit(&request(1)).delivery, Delivery::Received);
    assert_eq!(c.token_stats().logins, 2);
}

#[test]
fn compressed_clock_shortens_token_life_on_the_wire() {
    // 300 s tokens at speed 100 live 3 s of wall time, and the IdP says so.
    let s = sim(SimConfig {
        speed: 100.0,
        ..fast_config()
    });
    let c = client(&s);
    let t0 = Instant::now();
    c.login().unwrap();
    std::thread::sleep(Duration::from_millis(3000).saturating_sub(t0.elapsed()));
    assert_eq!(c.status(&clave(1, 1)).unwrap().http_status, 404);
    let t = c.token_stats();
    assert_eq!(t.logins + t.refreshes, 2, "{t:?}");
    assert_eq!(s.stats().unauthorized, 0);
}
