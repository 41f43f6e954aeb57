//! Errors of the HTTP client. Every failure that Hacienda or the network produced carries a
//! [`Classification`] (the same taxonomy as the parsers); none ever contains a secret.

use crate::classify::{Classification, ErrorCategory};

/// A failure of one client operation.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// No answer: timeout, refused, reset, DNS, TLS (classified by `classify_transport`).
    #[error("transport failure: {}", .0.reason)]
    Transport(Classification),
    /// The IdP refused to issue a token (credentials, rate limit, server).
    #[error("authentication failed: {}", .0.reason)]
    Auth(Classification),
    /// A 2xx answer whose body could not be read.
    #[error("unreadable answer: {0}")]
    Parse(crate::Error),
    /// Bad configuration (URL, scheme, TLS setup).
    #[error("configuration: {0}")]
    Config(String),
}

impl ClientError {
    /// The classification, when the failure has one.
    pub fn classification(&self) -> Option<&Classification> {
        match self {
            ClientError::Transport(c) | ClientError::Auth(c) => Some(c),
            ClientError::Parse(_) | ClientError::Config(_) => None,
        }
    }

    /// The category (`configuration` for configuration errors, `unknown` for parse errors).
    pub fn category(&self) -> ErrorCategory {
        match self {
            ClientError::Transport(c) | ClientError::Auth(c) => c.category,
            ClientError::Config(_) => ErrorCategory::Configuration,
            ClientError::Parse(_) => ErrorCategory::Unknown,
        }
    }
}
