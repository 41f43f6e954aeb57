//! What the client returns: submission results and `comprobantes` pages.

use serde::{Deserialize, Serialize};

use crate::classify::Classification;
use crate::status::StatusAnswer;
use crate::submit::{Identification, SubmitOutcome};

/// Where a submission stands after [`Client::submit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Hacienda received it (answered 2xx, or a status query after an ambiguous failure found it).
    Received,
    /// Hacienda already had it ("ya fue recibido"): poll, never resubmit.
    AlreadyReceived,
    /// Not received: retry according to the classification.
    Failed,
    /// The request may have arrived and the status query could not tell: poll before resubmitting.
    Unknown,
}

impl Delivery {
    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Delivery::Received => "received",
            Delivery::AlreadyReceived => "already_received",
            Delivery::Failed => "failed",
            Delivery::Unknown => "unknown",
        }
    }
}

/// The result of one submission.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubmitResult {
    /// The key to poll (`clave` or `clave-consecutivo`).
    pub key: String,
    /// Where it stands.
    pub delivery: Delivery,
    /// The POST answer, when one came.
    pub outcome: Option<SubmitOutcome>,
    /// The status query made after an ambiguous failure (timeout or reset after sending).
    pub verified: Option<StatusAnswer>,
    /// Why it is not (or may not be) received; info for `AlreadyReceived`.
    pub classification: Option<Classification>,
}

/// One item of `GET /comprobantes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComprobanteItem {
    /// The clave.
    pub clave: String,
    /// Date as sent.
    #[serde(default)]
    pub fecha: Option<String>,
    /// The issuer.
    #[serde(default)]
    pub emisor: Option<Identification>,
    /// The receiver.
    #[serde(default)]
    pub receptor: Option<Identification>,
}

/// `Content-Range: comprobantes 0-49/120`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentRange {
    /// First index in this page.
    pub start: u64,
    /// Last index in this page (inclusive).
    pub end: u64,
    /// Total items, when known.
    pub total: Option<u64>,
}

impl ContentRange {
    /// Parses `unit start-end/total` (`*` total allowed).
    pub fn parse(value: &str) -> Option<Self> {
        let range = value.trim().rsplit(' ').next()?;
        let (span, total) = range.split_once('/')?;
        let (start, end) = span.split_once('-')?;
        Some(ContentRange {
            start: start.trim().parse().ok()?,
            end: end.trim().parse().ok()?,
            total: total.trim().parse().ok(),
        })
    }
}

/// One page of `GET /comprobantes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComprobantesPage {
    /// HTTP status (200 whole list, 206 partial).
    pub http_status: u16,
    /// The items.
    pub items: Vec<ComprobanteItem>,
    /// The `Content-Range` header, when present.
    pub range: Option<ContentRange>,
    /// The failure, for a non-2xx answer.
    pub classification: Option<Classification>,
}

/// Query of `GET /comprobantes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// First item (0-based).
    pub offset: u64,
    /// Page size (Hacienda caps it at 50).
    pub limit: u64,
    /// Filter: issuer `tipo+numero` as Hacienda expects it.
    pub emisor: Option<String>,
    /// Filter: receiver.
    pub receptor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_forms() {
        assert_eq!(
            ContentRange::parse("comprobantes 0-49/120"),
            Some(ContentRange {
                start: 0,
                end: 49,
                total: Some(120)
            })
        );
        assert_eq!(ContentRange::parse("items 50-60/*").map(|r| r.total), Some(None));
        assert!(ContentRange::parse("garbage").is_none());
    }
}
