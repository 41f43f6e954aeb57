//! Client + simulator: tokens, submission, status, receiver messages, comprobantes, 400s.

mod common;

use std::time::Duration;

use common::*;
use hacienda_core::http::{Client, ClientConfig, ClientError, Credentials, Delivery, Environment, ListQuery};
use hacienda_core::{ErrorCategory, IndEstado, NextStep, SubmissionRequest};
use hacienda_sim::{SimConfig, Verdict};

#[test]
fn login_and_wrong_password() {
    let s = sim(fast_config());
    let c = client(&s);
    c.login().unwrap();
    c.login().unwrap();
    assert_eq!(c.token_stats().logins, 1, "a valid token is reused");
    assert_eq!(s.stats().logins, 1);

    let mut cfg = client_config(&s);
    cfg.credentials = Credentials::new(s.username(), "wrong-password-xyz");
    let bad = Client::new(cfg).unwrap();
    let err = bad.login().unwrap_err();
    let class = err.classification().expect("classified");
    assert_eq!(class.category, ErrorCategory::Configuration);
    assert_eq!(class.rule, "invalid_credentials");
    let shown = format!("{err} {err:?} {bad:?}");
    assert!(!shown.contains("wrong-password-xyz"), "{shown}");
    // A submission without a token fails with the same classification, never a panic.
    let r = bad.submit(&request(1));
    assert_eq!(r.delivery, Delivery::Failed);
    assert_eq!(r.classification.unwrap().rule, "invalid_credentials");
}

#[test]
fn submit_poll_accept_and_duplicate() {
    let s = sim(fast_config());
    let c = client(&s);
    let req = request(1);
    let r = c.submit(&req);
    assert_eq!(r.delivery, Delivery::Received, "{r:?}");
    let outcome = r.outcome.unwrap();
    assert_eq!(outcome.http_status, 202);
    assert!(outcome.headers.location.unwrap().ends_with(&req.clave));
    assert!(outcome.headers.rate_limit.is_some(), "X-Ratelimit-* headers are read");

    let first = c.status(&req.clave).unwrap();
    let report = first.report.unwrap();
    assert!(matches!(report.state, IndEstado::Procesando | IndEstado::Aceptado));

    let done = wait_final(&c, &req.clave);
    let report = done.report.unwrap();
    assert_eq!(report.state, IndEstado::Aceptado);
    let m = report.message.expect("respuesta-xml parsed");
    assert_eq!(m.clave, req.clave);
    assert!(done.classification.is_none());

    let again = c.submit(&req);
    assert_eq!(again.delivery, Delivery::AlreadyReceived);
    let class = again.classification.unwrap();
    assert_eq!(class.next_step, NextStep::Poll);
    assert_eq!(s.stats().duplicates, 1);
    assert_eq!(s.stats().received, 1);
}

#[test]
fn rejections_carry_realistic_detail() {
    let s = sim(SimConfig {
        rejection_rate: 1.0,
        ..fast_config()
    });
    let c = client(&s);
    let req = request(2);
    assert_eq!(c.submit(&req).delivery, Delivery::Received);
    let a = wait_final(&c, &req.clave);
    let report = a.report.unwrap();
    assert_eq!(report.state, IndEstado::Rechazado);
    let class = a.classification.unwrap();
    assert_eq!(class.rule, "amounts");
    assert_eq!(class.category, ErrorCategory::Validation);
    assert!(
        class.codes.contains(&-45) && class.codes.contains(&-54),
        "{:?}",
        class.codes
    );
    assert_eq!(
        report.message.unwrap().total_invoice.map(|d| d.to_string()).as_deref(),
        Some("1130.00000")
    );
}

#[test]
fn consecutive_reuse_is_rejected_with_99() {
    let s = sim(fast_config());
    let c = client(&s);
    let first = request_with_code(3, 11);
    let second = request_with_code(3, 22); // same consecutivo, another clave
    assert_ne!(first.clave, second.clave);
    assert_eq!(c.submit(&first).delivery, Delivery::Received);
    assert_eq!(c.submit(&second).delivery, Delivery::Received);
    assert_eq!(s.verdict(&second.clave), Some(Verdict::ConsecutiveReused));
    let a = wait_final(&c, &second.clave);
    let class = a.classification.unwrap();
    assert_eq!(class.rule, "consecutive_reused");
    assert_eq!(class.code, Some(-99));
    assert_eq!(class.next_step, NextStep::NewConsecutivo);
}

#[test]
fn unknown_clave_is_404_not_found() {
    let s = sim(fast_config());
    let c = client(&s);
    let a = c.status(&clave(99, 99)).unwrap();
    assert_eq!(a.http_status, 404);
    let class = a.classification.unwrap();
    assert_eq!(class.rule, "not_found");
    assert!(class.reason.contains("No existe el recurso"), "{}", class.reason);
    // A malformed key never reaches the wire.
    assert!(matches!(c.status("not-a-clave"), Err(ClientError::Parse(_))));
}

#[test]
fn bad_request_reason_only_in_x_error_cause() {
    let s = sim(fast_config());
    let c = client(&s);
    let mut req: SubmissionRequest = request(4);
    req.clave = "506123".into();
    let r = c.submit(&req);
    assert_eq!(r.delivery, Delivery::Failed);
    let outcome = r.outcome.unwrap();
    assert_eq!(outcome.http_status, 400);
    let cause = outcome.headers.error_cause.unwrap();
    assert!(
        cause.contains("clave") && cause.contains("dígitos"),
        "UTF-8 cause kept: {cause}"
    );
    let class = r.classification.unwrap();
    assert_eq!(class.rule, "bad_request");
    assert!(!class.retryable);
}

#[test]
fn receiver_message_key() {
    let s = sim(fast_config());
    let c = client(&s);
    let mut req = request(5);
    req.consecutivo_receptor = Some("00100001050000000001".into());
    let key = req.status_key();
    assert!(key.ends_with("-00100001050000000001"));
    assert_eq!(c.submit(&req).delivery, Delivery::Received);
    let a = wait_final(&c, &key);
    assert_eq!(a.report.unwrap().clave, key);
    // The receiver message does not hide the invoice itself: that one was never sent.
    assert_eq!(c.status(&req.clave).unwrap().http_status, 404);
}

#[test]
fn comprobantes_pages_with_content_range() {
    let s = sim(fast_config());
    let c = client(&s);
    for n in 10..17 {
        assert_eq!(c.submit(&request(n)).delivery, Delivery::Received);
    }
    let page = c
        .list_comprobantes(&ListQuery {
            offset: 0,
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.http_status, 206);
    assert_eq!(page.items.len(), 5);
    let range = page.range.unwrap();
    assert_eq!((range.start, range.end, range.total), (0, 4, Some(7)));
    assert_eq!(page.items[0].clave, request(10).clave);
    assert_eq!(page.items[0].emisor.as_ref().unwrap().numero_identificacion, ISSUER);
    let rest = c
        .list_comprobantes(&ListQuery {
            offset: 5,
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rest.items.len(), 2);
    assert_eq!(rest.range.map(|r| (r.start, r.end)), Some((5, 6)));
}

#[test]
fn plain_http_refused_off_loopback_and_secrets_masked() {
    let cfg = ClientConfig::new(
        Environment::custom("http://api.example.com/"),
        Credentials::new("u", "p4ssw0rd-secret"),
    );
    let err = Client::new(cfg).unwrap_err();
    assert!(matches!(err, ClientError::Config(_)));
    let ok = Client::new(ClientConfig::new(
        Environment::Sandbox,
        Credentials::new("u", "p4ssw0rd-secret"),
    ))
    .unwrap();
    let shown = format!("{ok:?}");
    assert!(!shown.contains("p4ssw0rd"), "{shown}");
    assert!(ok.api_base().starts_with("https://api-sandbox."));
    // A hung-up port: connection refused, classified, no panic.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut cfg = ClientConfig::new(
        Environment::custom(format!("http://127.0.0.1:{dead}/")),
        Credentials::new("u", "p"),
    );
    cfg.connect_timeout = Duration::from_secs(2);
    let c = Client::new(cfg).unwrap();
    let err = c.status(&clave(1, 1)).unwrap_err();
    assert_eq!(err.classification().unwrap().rule, "connection_refused", "{err:?}");
}
