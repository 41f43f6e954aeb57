//! The only network code of the crate (feature `http`): a reqwest + rustls client for the IdP
//! token and `recepcion/v1` — submission, status (`clave` and `clave-consecutivo`), the
//! `comprobantes` list and bounded concurrent polling.
//!
//! Every answer goes through the parsers and the classification of the rest of the crate
//! (`read_submit_response`, `read_status_response`, `classify_http`); failures below HTTP
//! (timeout, refused, reset, DNS, TLS) become [`classify_transport`](crate::classify_transport)
//! classifications. A submission that failed after it may have been sent is checked with a
//! status query, never resent blindly. Passwords and tokens live in [`Secret`], which never
//! prints its value. TLS verification is always on; plain `http` is only accepted for a custom
//! loopback base URL (the simulator).

mod client;
mod environment;
mod error;
mod limiter;
mod secret;
mod token;
mod transport;

pub use client::{
    Client, ClientConfig, ComprobanteItem, ComprobantesPage, ContentRange, Delivery, ListQuery, SubmitResult,
    to_classification,
};
pub use environment::{Endpoints, Environment, PRODUCTION_REALM, SANDBOX_REALM};
pub use error::ClientError;
pub use limiter::RateLimit;
pub use secret::{Credentials, Secret};
pub use token::TokenStats;
pub use transport::{classify_reqwest, transport_kind};

/// `application/x-www-form-urlencoded` encoding of pairs.
pub(crate) fn form_urlencode(pairs: &[(&str, &str)]) -> String {
    fn enc(out: &mut String, s: &str) {
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(b as char),
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
    }
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        enc(&mut out, k);
        out.push('=');
        enc(&mut out, v);
    }
    out
}

pub(crate) use form_urlencode as endpoints_form;

#[cfg(test)]
mod tests {
    #[test]
    fn form_encoding() {
        assert_eq!(
            super::form_urlencode(&[("grant_type", "password"), ("password", "a b&c=d/é")]),
            "grant_type=password&password=a+b%26c%3Dd%2F%C3%A9"
        );
    }
}
