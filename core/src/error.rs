//! The one error type of the core.
//!
//! Every fallible function returns [`Error`]. Each variant has a stable machine name
//! ([`Error::kind`]) that the Python and JS bindings expose unchanged, so a host can branch on
//! it without parsing messages. Messages never quote more than a short excerpt of the input.

use std::fmt;

/// Result alias used across the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Maximum number of characters of user input quoted inside an error message.
pub(crate) const EXCERPT_CHARS: usize = 80;

/// Returns at most [`EXCERPT_CHARS`] characters of `value`, with an ellipsis when cut.
pub(crate) fn excerpt(value: &str) -> String {
    let mut out: String = value.chars().take(EXCERPT_CHARS).collect();
    if value.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Everything that can go wrong while reading Hacienda traffic or planning work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input was empty or only whitespace.
    #[error("input is empty")]
    Empty,
    /// The input is larger than the limit the parser accepts.
    #[error("input is {size} bytes, more than the {limit}-byte limit")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The bytes are not valid text in any encoding the parser understands.
    #[error("input is not valid text: {detail}")]
    Encoding {
        /// What was wrong (position, declared encoding).
        detail: String,
    },
    /// Base64 that does not decode.
    #[error("invalid base64 in {field}: {detail}")]
    Base64 {
        /// Where the base64 came from (`respuesta-xml`, `input`, ...).
        field: &'static str,
        /// Decoder message.
        detail: String,
    },
    /// JSON that does not parse or has the wrong shape.
    #[error("invalid JSON at line {line}, column {column}: {detail}")]
    Json {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// Parser message.
        detail: String,
    },
    /// XML that is not well formed (or is truncated).
    #[error("malformed XML at byte {position}: {detail}")]
    Xml {
        /// Byte offset where the parser stopped.
        position: u64,
        /// Parser message.
        detail: String,
    },
    /// XML that declares a DTD. Entity expansion and external entities are never processed.
    #[error("XML with a <!DOCTYPE> is refused: entities and external references are never processed")]
    Dtd,
    /// XML nested deeper, or with more elements, than the parser accepts.
    #[error("XML exceeds the structural limit: {detail}")]
    TooComplex {
        /// Which limit and its value.
        detail: String,
    },
    /// The root element is not one the function understands.
    #[error("unexpected root element <{found}>, expected {expected}")]
    UnexpectedRoot {
        /// Local name of the root found.
        found: String,
        /// What the function accepts.
        expected: &'static str,
    },
    /// A required element or key is absent or empty.
    #[error("missing required field {field}")]
    MissingField {
        /// Element or key name.
        field: &'static str,
    },
    /// A field is present but its value is not acceptable.
    #[error("invalid {field} {value:?}: {reason}")]
    InvalidField {
        /// Element or key name.
        field: &'static str,
        /// Short excerpt of the value.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A clave (50-digit document key) or consecutivo (20-digit number) that is not valid.
    #[error("invalid {what}: {reason}")]
    InvalidKey {
        /// `clave` or `consecutivo`.
        what: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// A configuration value (settings, policy, plan) out of range.
    #[error("invalid setting {field}: {reason}")]
    InvalidSetting {
        /// Setting name as the host knows it.
        field: String,
        /// Why it was refused, in a sentence an operator understands.
        reason: String,
    },
}

/// Stable, machine-readable name of an [`Error`] variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// See [`Error::Empty`].
    Empty,
    /// See [`Error::TooLarge`].
    TooLarge,
    /// See [`Error::Encoding`].
    Encoding,
    /// See [`Error::Base64`].
    Base64,
    /// See [`Error::Json`].
    Json,
    /// See [`Error::Xml`].
    Xml,
    /// See [`Error::Dtd`].
    Dtd,
    /// See [`Error::TooComplex`].
    TooComplex,
    /// See [`Error::UnexpectedRoot`].
    UnexpectedRoot,
    /// See [`Error::MissingField`].
    MissingField,
    /// See [`Error::InvalidField`].
    InvalidField,
    /// See [`Error::InvalidKey`].
    InvalidKey,
    /// See [`Error::InvalidSetting`].
    InvalidSetting,
}

impl ErrorKind {
    /// The stable snake_case name (`"too_large"`, `"invalid_key"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Encoding => "encoding",
            ErrorKind::Base64 => "base64",
            ErrorKind::Json => "json",
            ErrorKind::Xml => "xml",
            ErrorKind::Dtd => "dtd",
            ErrorKind::TooComplex => "too_complex",
            ErrorKind::UnexpectedRoot => "unexpected_root",
            ErrorKind::MissingField => "missing_field",
            ErrorKind::InvalidField => "invalid_field",
            ErrorKind::InvalidKey => "invalid_key",
            ErrorKind::InvalidSetting => "invalid_setting",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The stable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Empty => ErrorKind::Empty,
            Error::TooLarge { .. } => ErrorKind::TooLarge,
            Error::Encoding { .. } => ErrorKind::Encoding,
            Error::Base64 { .. } => ErrorKind::Base64,
            Error::Json { .. } => ErrorKind::Json,
            Error::Xml { .. } => ErrorKind::Xml,
            Error::Dtd => ErrorKind::Dtd,
            Error::TooComplex { .. } => ErrorKind::TooComplex,
            Error::UnexpectedRoot { .. } => ErrorKind::UnexpectedRoot,
            Error::MissingField { .. } => ErrorKind::MissingField,
            Error::InvalidField { .. } => ErrorKind::InvalidField,
            Error::InvalidKey { .. } => ErrorKind::InvalidKey,
            Error::InvalidSetting { .. } => ErrorKind::InvalidSetting,
        }
    }

    /// The field (element, key or setting) the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Base64 { field, .. } => Some(field),
            Error::MissingField { field } | Error::InvalidField { field, .. } => Some(field),
            Error::InvalidKey { what, .. } => Some(what),
            Error::InvalidSetting { field, .. } => Some(field),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, value: &str, reason: impl Into<String>) -> Self {
        Error::InvalidField {
            field,
            value: excerpt(value),
            reason: reason.into(),
        }
    }
}

/// Errors serialize as `{"kind": ..., "message": ..., "field": ...}` for JSON and Python dicts.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("kind", self.kind().as_str())?;
        map.serialize_entry("message", &self.to_string())?;
        map.serialize_entry("field", &self.field())?;
        map.end()
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        // serde_json messages quote at most a token, never the whole input.
        let mut detail = e.to_string();
        if let Some(cut) = detail.find(" at line ") {
            detail.truncate(cut);
        }
        Error::Json {
            line: e.line(),
            column: e.column(),
            detail: excerpt(&detail),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_long_values() {
        let long = "x".repeat(500);
        let e = Error::invalid("Clave", &long, "too long");
        let text = e.to_string();
        assert!(text.len() < 200, "{text}");
        assert!(text.contains('…'));
        assert_eq!(e.kind().as_str(), "invalid_field");
        assert_eq!(e.field(), Some("Clave"));
    }

    #[test]
    fn json_errors_keep_position() {
        let err: Error = serde_json::from_str::<serde_json::Value>("{\"a\": }")
            .unwrap_err()
            .into();
        match err {
            Error::Json { line, column, .. } => {
                assert_eq!(line, 1);
                assert!(column > 1);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
