//! reqwest errors → [`TransportError`] kinds → classifications.

use std::error::Error as _;

use crate::classify::{Classification, TransportError, classify_transport};

/// The kind of a failed exchange, read from the error and its source chain.
pub fn transport_kind(e: &reqwest::Error) -> TransportError {
    if e.is_timeout() {
        return TransportError::Timeout;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.source();
    let mut text = String::new();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            match io.kind() {
                K::ConnectionRefused => return TransportError::ConnectionRefused,
                K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
                    return TransportError::ConnectionReset;
                }
                K::TimedOut => return TransportError::Timeout,
                _ => {}
            }
        }
        text.push_str(&s.to_string().to_ascii_lowercase());
        text.push('\n');
        source = s.source();
    }
    if text.contains("dns error") || text.contains("failed to lookup address") || text.contains("name or service") {
        TransportError::Dns
    } else if [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "invalidcontenttype",
        "peer misbehaved",
        "received fatal alert",
        "unknownissuer",
    ]
    .iter()
    .any(|needle| text.contains(needle))
    {
        TransportError::Tls
    } else if text.contains("connection closed")
        || text.contains("connection reset")
        || text.contains("incomplete message")
        || text.contains("canceled")
    {
        TransportError::ConnectionReset
    } else if e.is_connect() && text.contains("refused") {
        TransportError::ConnectionRefused
    } else {
        TransportError::Other
    }
}

/// A short description of the error chain without the URL (no secrets are ever in it: the
/// client sends them in bodies and headers, which reqwest errors do not print).
pub fn describe(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}

/// Classifies a reqwest failure.
pub fn classify_reqwest(e: &reqwest::Error) -> Classification {
    classify_transport(transport_kind(e), &describe(e))
}

/// True when the request may have reached the server (anything but a failure to connect):
/// a submission that failed this way must be checked with a status query, never resent blindly.
pub fn maybe_delivered(e: &reqwest::Error) -> bool {
    !e.is_connect() && !e.is_builder()
}
