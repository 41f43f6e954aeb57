//! Submission to `POST /recepcion`: the request body built from a signed document, and the
//! reading of the answer from its status and headers.
//!
//! Real traffic answers 202 (the documentation says 201; any 2xx is "received", sometimes with
//! a `Location`). A 400 has an empty body and its reason only in `X-Error-Cause`; when that
//! reason says "ya fue recibido" the document is already there: poll it, never resubmit.
//! `Retry-After` comes in seconds or as an HTTP date; `X-Ratelimit-*` headers are kept.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::classify::{Classification, ErrorCategory, classify_http};
use crate::clave::{IdType, StatusKey};
use crate::document::summarize;
use crate::error::{Error, Result, excerpt};
use crate::fields::parse_timestamp;
use crate::message::{MessageKind, message_from_xml};
use crate::text::{MAX_XML_BYTES, base64_encode, decode_text};
use crate::xml;

/// Longest header value kept (longer values are cut; real `X-Error-Cause` texts are short).
pub const MAX_HEADER_CHARS: usize = 2000;

/// A party identification as the API wants it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identification {
    /// Two-digit identification type.
    pub tipo_identificacion: String,
    /// Digits only.
    pub numero_identificacion: String,
}

/// The JSON body of `POST /recepcion`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionRequest {
    /// The document's clave.
    pub clave: String,
    /// Date of issue, `yyyy-MM-ddTHH:mm:ss±hh:mm`.
    pub fecha: String,
    /// The issuer.
    pub emisor: Identification,
    /// The receiver (absent for tiquetes and foreign receivers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receptor: Option<Identification>,
    /// Where Hacienda should POST the final answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// For receiver messages: the receiver's own consecutivo.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consecutivo_receptor: Option<String>,
    /// The signed XML, base64.
    pub comprobante_xml: String,
}

impl SubmissionRequest {
    /// The JSON text of the body.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The key to poll this submission with (`clave`, or `clave-consecutivo` for receiver
    /// messages).
    pub fn status_key(&self) -> String {
        match &self.consecutivo_receptor {
            Some(c) => format!("{}-{}", self.clave, c),
            None => self.clave.clone(),
        }
    }
}

/// Options for [`build_submission`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitOptions {
    /// `callbackUrl` to send.
    pub callback_url: Option<String>,
    /// Identification type of the issuer when the document does not say (receiver messages).
    pub emisor_id_type: Option<String>,
    /// Identification type of the receiver when the document does not say (receiver messages).
    pub receptor_id_type: Option<String>,
}

/// Builds the POST body from a signed document (comprobante or MensajeReceptor).
///
/// The XML is sent byte for byte as given (a signature covers it).
pub fn build_submission(signed_xml: &[u8], options: &SubmitOptions) -> Result<SubmissionRequest> {
    let text = decode_text(signed_xml, MAX_XML_BYTES)?;
    let doc = xml::parse(&text)?;
    let comprobante_xml = base64_encode(signed_xml);
    let callback_url = options.callback_url.clone().filter(|u| !u.trim().is_empty());
    if &*doc.root.name == MessageKind::MensajeReceptor.root_element() {
        let m = message_from_xml(&doc)?;
        let consecutivo = m.consecutivo_receptor.ok_or(Error::MissingField {
            field: "NumeroConsecutivoReceptor",
        })?;
        StatusKey::parse(&format!("{}-{}", m.clave, consecutivo))?;
        let emisor_number = m.emisor.id_number.ok_or(Error::MissingField {
            field: "NumeroCedulaEmisor",
        })?;
        let receptor_number = m.receptor.and_then(|r| r.id_number).ok_or(Error::MissingField {
            field: "NumeroCedulaReceptor",
        })?;
        let fecha = m.fecha_emision_doc.ok_or(Error::MissingField {
            field: "FechaEmisionDoc",
        })?;
        return Ok(SubmissionRequest {
            clave: m.clave,
            fecha: api_date(&fecha, "FechaEmisionDoc")?,
            emisor: identification(emisor_number, options.emisor_id_type.as_deref(), "NumeroCedulaEmisor")?,
            receptor: Some(identification(
                receptor_number,
                options.receptor_id_type.as_deref(),
                "NumeroCedulaReceptor",
            )?),
            callback_url,
            consecutivo_receptor: Some(consecutivo),
            comprobante_xml,
        });
    }
    let s = summarize(&doc)?;
    StatusKey::parse(&s.clave)?;
    let fecha = s.fecha_emision.ok_or(Error::MissingField { field: "FechaEmision" })?;
    let emisor = match (s.emisor.id_type, s.emisor.id_number) {
        (Some(t), Some(n)) => Identification {
            tipo_identificacion: t,
            numero_identificacion: n,
        },
        _ => {
            return Err(Error::MissingField {
                field: "Emisor/Identificacion",
            });
        }
    };
    let receptor = s.receptor.and_then(|r| match (r.id_type, r.id_number) {
        (Some(t), Some(n)) => Some(Identification {
            tipo_identificacion: t,
            numero_identificacion: n,
        }),
        _ => None,
    });
    Ok(SubmissionRequest {
        clave: s.clave,
        fecha: api_date(&fecha, "FechaEmision")?,
        emisor,
        receptor,
        callback_url,
        consecutivo_receptor: None,
        comprobante_xml,
    })
}

fn api_date(text: &str, field: &'static str) -> Result<String> {
    parse_timestamp(text)
        .map(|dt| dt.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .ok_or_else(|| Error::invalid(field, text, "not a date-time"))
}

fn identification(number: String, given: Option<&str>, field: &'static str) -> Result<Identification> {
    let tipo = match given {
        Some(t) => IdType::from_code(t).ok_or_else(|| Error::invalid(field, t, "unknown identification type"))?,
        None => IdType::guess_from_number(&number).ok_or_else(|| {
            Error::invalid(
                field,
                &number,
                "cannot tell the identification type; pass it explicitly",
            )
        })?,
    };
    Ok(Identification {
        tipo_identificacion: tipo.code().to_string(),
        numero_identificacion: number,
    })
}

/// `Retry-After`: seconds, or an HTTP date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryAfter {
    /// A delay in seconds.
    Seconds(u64),
    /// An instant.
    At(DateTime<Utc>),
}

impl RetryAfter {
    /// Parses either form; `None` when it is neither.
    pub fn parse(value: &str) -> Option<Self> {
        let v = value.trim();
        if let Ok(seconds) = v.parse::<u64>() {
            return Some(RetryAfter::Seconds(seconds.min(7 * 24 * 3600)));
        }
        DateTime::parse_from_rfc2822(v)
            .ok()
            .map(|dt| RetryAfter::At(dt.with_timezone(&Utc)))
    }

    /// The instant it designates, seen from `now`.
    pub fn resolve(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match *self {
            RetryAfter::Seconds(s) => now + Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX / 1000)),
            RetryAfter::At(at) => at,
        }
    }
}

/// The `X-Ratelimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RateLimitInfo {
    /// `X-Ratelimit-Limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `X-Ratelimit-Remaining`: requests left.
    pub remaining: Option<u64>,
    /// `X-Ratelimit-Reset`: epoch seconds (or seconds left, when small).
    pub reset: Option<u64>,
}

impl RateLimitInfo {
    /// When the window resets: values above 10⁹ are epoch seconds, smaller ones a delay.
    pub fn reset_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let reset = i64::try_from(self.reset?).ok()?;
        if reset > 1_000_000_000 {
            DateTime::from_timestamp(reset, 0)
        } else {
            Some(now + Duration::seconds(reset))
        }
    }
}

/// The headers of an answer that matter, read case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnswerHeaders {
    /// `X-Error-Cause` (cut at [`MAX_HEADER_CHARS`]).
    pub error_cause: Option<String>,
    /// `Location`.
    pub location: Option<String>,
    /// `Retry-After`.
    pub retry_after: Option<RetryAfter>,
    /// `X-Ratelimit-*`, when any is present.
    pub rate_limit: Option<RateLimitInfo>,
}

impl AnswerHeaders {
    /// Reads the headers from name/value pairs.
    pub fn read<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut out = AnswerHeaders::default();
        let mut rl = RateLimitInfo::default();
        let number = |v: &str| v.trim().parse::<u64>().ok();
        for (name, value) in headers {
            let cut = || {
                value
                    .chars()
                    .take(MAX_HEADER_CHARS)
                    .collect::<String>()
                    .trim()
                    .to_string()
            };
            match name.trim().to_ascii_lowercase().as_str() {
                "x-error-cause" => out.error_cause = Some(cut()).filter(|v| !v.is_empty()),
                "location" => out.location = Some(cut()).filter(|v| !v.is_empty()),
                "retry-after" => out.retry_after = RetryAfter::parse(&cut()),
                "x-ratelimit-limit" => rl.limit = number(value),
                "x-ratelimit-remaining" => rl.remaining = number(value),
                "x-ratelimit-reset" => rl.reset = number(value),
                _ => {}
            }
        }
        if rl != RateLimitInfo::default() {
            out.rate_limit = Some(rl);
        }
        out
    }
}

/// What a submission answer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmitState {
    /// Received now: poll for the decision.
    Received,
    /// Hacienda already had it: poll, never resubmit.
    AlreadyReceived,
    /// Not received: see the classification.
    Failed,
}

impl SubmitState {
    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            SubmitState::Received => "received",
            SubmitState::AlreadyReceived => "already_received",
            SubmitState::Failed => "failed",
        }
    }
}

/// The reading of a `POST /recepcion` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubmitOutcome {
    /// HTTP status.
    pub http_status: u16,
    /// What it means.
    pub state: SubmitState,
    /// The headers that matter.
    pub headers: AnswerHeaders,
    /// Classification of the failure (also present for `AlreadyReceived`, as info).
    pub classification: Option<Classification>,
}

impl SubmitOutcome {
    /// True when the document is at Hacienda (now or before).
    pub fn is_received(&self) -> bool {
        self.state != SubmitState::Failed
    }
}

/// Reads a `POST /recepcion` answer.
///
/// ```
/// use hacienda_core::submit::{read_submit_response, SubmitState};
/// let ok = read_submit_response(202, [("Location", "https://x/recepcion/506")], b"");
/// assert_eq!(ok.state, SubmitState::Received);
/// let dup = read_submit_response(400, [("X-Error-Cause", "El comprobante con la Clave [506] ya fue recibido.")], b"");
/// assert_eq!(dup.state, SubmitState::AlreadyReceived);
/// ```
pub fn read_submit_response<'a>(
    status: u16,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &[u8],
) -> SubmitOutcome {
    let headers = AnswerHeaders::read(headers);
    let body_text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let classification = classify_http(status, headers.error_cause.as_deref(), &body_text);
    let state = match &classification {
        None => SubmitState::Received,
        Some(c) if c.category == ErrorCategory::Duplicate && c.rule == "already_received" => {
            SubmitState::AlreadyReceived
        }
        Some(_) => SubmitState::Failed,
    };
    SubmitOutcome {
        http_status: status,
        state,
        headers,
        classification,
    }
}

/// Short text for logs.
pub fn describe_outcome(o: &SubmitOutcome) -> String {
    match &o.classification {
        None => format!("HTTP {} {}", o.http_status, o.state.as_str()),
        Some(c) => format!(
            "HTTP {} {}: {} ({})",
            o.http_status,
            o.state.as_str(),
            c.rule,
            excerpt(&c.reason)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FE: &str = r#"<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/facturaElectronica"><Clave>50601042400020692014200100001010000000002100000001</Clave><NumeroConsecutivo>00100001010000000002</NumeroConsecutivo><FechaEmision>2024-04-01T00:00:00.000Z</FechaEmision><Emisor><Nombre>T</Nombre><Identificacion><Tipo>01</Tipo><Numero>206920142</Numero></Identificacion></Emisor><Receptor><Nombre>R</Nombre><Identificacion><Tipo>02</Tipo><Numero>3101123456</Numero></Identificacion></Receptor></FacturaElectronica>"#;

    #[test]
    fn invoice_body() {
        let opts = SubmitOptions {
            callback_url: Some("https://erp.example/cb".into()),
            ..Default::default()
        };
        let req = build_submission(FE.as_bytes(), &opts).unwrap();
        assert_eq!(req.fecha, "2024-04-01T00:00:00+00:00");
        assert_eq!(req.emisor.numero_identificacion, "206920142");
        assert_eq!(req.receptor.as_ref().unwrap().tipo_identificacion, "02");
        let json: serde_json::Value = serde_json::from_str(&req.to_json()).unwrap();
        assert_eq!(json["callbackUrl"], "https://erp.example/cb");
        assert!(json.get("consecutivoReceptor").is_none());
        let decoded = crate::text::base64_decode("x", json["comprobanteXml"].as_str().unwrap()).unwrap();
        assert_eq!(decoded, FE.as_bytes());
    }

    #[test]
    fn tiquete_has_no_receptor() {
        let te = FE
            .replace("FacturaElectronica", "TiqueteElectronico")
            .replace("<Receptor><Nombre>R</Nombre><Identificacion><Tipo>02</Tipo><Numero>3101123456</Numero></Identificacion></Receptor>", "");
        let req = build_submission(te.as_bytes(), &SubmitOptions::default()).unwrap();
        assert!(req.receptor.is_none());
        assert!(!req.to_json().contains("receptor"));
    }

    #[test]
    fn receiver_message_body() {
        let mr = r#"<MensajeReceptor xmlns="https://tribunet.hacienda.go.cr/docs/esquemas/2017/v4.2/mensajeReceptor"><Clave>50626061800011452056800100002010000000012120461826</Clave><NumeroCedulaEmisor>114520568</NumeroCedulaEmisor><FechaEmisionDoc>2018-06-26T19:28:58-06:00</FechaEmisionDoc><Mensaje>1</Mensaje><TotalFactura>1</TotalFactura><NumeroCedulaReceptor>114930394</NumeroCedulaReceptor><NumeroConcecutivoReceptor>00100001050000000010</NumeroConcecutivoReceptor></MensajeReceptor>"#;
        let req = build_submission(mr.as_bytes(), &SubmitOptions::default()).unwrap();
        assert_eq!(req.consecutivo_receptor.as_deref(), Some("00100001050000000010"));
        assert_eq!(req.emisor.tipo_identificacion, "01");
        assert_eq!(
            req.status_key(),
            "50626061800011452056800100002010000000012120461826-00100001050000000010"
        );
    }

    #[test]
    fn missing_parts_are_named() {
        let no_date = FE.replace("<FechaEmision>2024-04-01T00:00:00.000Z</FechaEmision>", "");
        assert_eq!(
            build_submission(no_date.as_bytes(), &SubmitOptions::default()),
            Err(Error::MissingField { field: "FechaEmision" })
        );
        let bad_clave = FE.replace("50601042400020692014200100001010000000002100000001", "123");
        assert!(matches!(
            build_submission(bad_clave.as_bytes(), &SubmitOptions::default()),
            Err(Error::InvalidKey { .. })
        ));
    }

    #[test]
    fn headers_and_retry_after() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let o = read_submit_response(
            429,
            [
                ("retry-after", "30"),
                ("X-Ratelimit-Limit", "100"),
                ("X-Ratelimit-Remaining", "0"),
                ("X-Ratelimit-Reset", "1767225660"),
            ],
            b"",
        );
        assert_eq!(o.state, SubmitState::Failed);
        assert_eq!(o.headers.retry_after, Some(RetryAfter::Seconds(30)));
        let rl = o.headers.rate_limit.unwrap();
        assert_eq!((rl.limit, rl.remaining), (Some(100), Some(0)));
        assert_eq!(rl.reset_at(now).unwrap().to_rfc3339(), "2026-01-01T00:01:00+00:00");
        let date = RetryAfter::parse("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(date.resolve(now).to_rfc3339(), "2015-10-21T07:28:00+00:00");
        assert_eq!(RetryAfter::parse("soon"), None);
    }

    #[test]
    fn huge_header_values_are_cut() {
        let huge = "x".repeat(1_000_000);
        let o = read_submit_response(400, [("X-Error-Cause", huge.as_str())], b"");
        assert_eq!(o.headers.error_cause.unwrap().len(), MAX_HEADER_CHARS);
    }
}
