//! POST and GET outcomes: the first two bytes pick the HTTP status, then `name: value` header
//! lines up to a blank line, then the body.
#![no_main]

use hacienda_core as hc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let rest = &data[2..];
    let split = rest.windows(2).position(|w| w == b"\n\n").unwrap_or(rest.len());
    let head = String::from_utf8_lossy(&rest[..split]);
    let body = rest.get(split + 2..).unwrap_or(&[]);
    let headers: Vec<(&str, &str)> = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let outcome = hc::read_submit_response(status, headers.iter().copied(), body);
    if (200..300).contains(&status) {
        assert!(outcome.is_received(), "any 2xx POST means received");
    }
    let _ = hc::read_status_response(status, headers.iter().copied(), body);
    let cause = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("x-error-cause")).map(|(_, v)| *v);
    let verdict = hc::classify_http(status, cause, &String::from_utf8_lossy(body));
    assert_eq!(verdict.is_none(), (200..300).contains(&status));
});
