//! The answer of `GET /recepcion/{clave}` and the callback Hacienda POSTs to `callbackUrl`,
//! read into one [`StatusReport`].
//!
//! Real traffic writes `ind-estado` in lower case (`procesando`), the documentation in upper
//! case; callbacks use `indEstado`/`respuestaXml`. Keys are therefore matched ignoring case,
//! `-` and `_`. `respuesta-xml` (base64 of a signed MensajeHacienda) only comes once the state
//! is final. A broken `respuesta-xml` never hides the state: it is reported next to it.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::classify::{Classification, classify_http, classify_status};
use crate::error::{Error, Result, excerpt};
use crate::fields::parse_timestamp;
use crate::message::{HaciendaMessage, read_message_text};
use crate::submit::AnswerHeaders;
use crate::text::{MAX_JSON_BYTES, MAX_XML_BYTES, base64_decode, decode_text, decode_text_owned};

/// `ind-estado`: where Hacienda is with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndEstado {
    /// Received, not yet processed.
    Recibido,
    /// Being validated.
    Procesando,
    /// Accepted (final).
    Aceptado,
    /// Rejected (final).
    Rechazado,
    /// Hacienda could not process it (final for this submission).
    Error,
}

impl IndEstado {
    /// Lower-case name as real traffic writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            IndEstado::Recibido => "recibido",
            IndEstado::Procesando => "procesando",
            IndEstado::Aceptado => "aceptado",
            IndEstado::Rechazado => "rechazado",
            IndEstado::Error => "error",
        }
    }

    /// Parses any casing, surrounding spaces ignored.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "recibido" => Ok(IndEstado::Recibido),
            "procesando" => Ok(IndEstado::Procesando),
            "aceptado" => Ok(IndEstado::Aceptado),
            "rechazado" => Ok(IndEstado::Rechazado),
            "error" => Ok(IndEstado::Error),
            _ => Err(Error::invalid(
                "ind-estado",
                text,
                "expected recibido, procesando, aceptado, rechazado or error",
            )),
        }
    }

    /// True for aceptado, rechazado and error: polling can stop.
    pub const fn is_final(self) -> bool {
        matches!(self, IndEstado::Aceptado | IndEstado::Rechazado | IndEstado::Error)
    }
}

impl fmt::Display for IndEstado {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status answer or callback.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusReport {
    /// The clave (or `clave-consecutivo` for a receiver message) as sent.
    pub clave: String,
    /// `fecha` as sent.
    pub fecha: Option<String>,
    /// `fecha` as an instant, when it parses.
    pub fecha_utc: Option<DateTime<Utc>>,
    /// `ind-estado`.
    pub state: IndEstado,
    /// `callbackUrl`, when echoed.
    pub callback_url: Option<String>,
    /// The decoded `respuesta-xml` text.
    pub response_xml: Option<String>,
    /// The parsed `respuesta-xml`.
    pub message: Option<HaciendaMessage>,
    /// Why `respuesta-xml` could not be read, when it was present but broken.
    pub message_error: Option<Error>,
}

impl StatusReport {
    /// True when the state is final.
    pub fn is_final(&self) -> bool {
        self.state.is_final()
    }
}

/// Parses a status body or callback body (JSON bytes, BOM allowed).
///
/// ```
/// use hacienda_core::status::{parse_status, IndEstado};
/// let r = parse_status(br#"{"clave": "50601011600310112345600100010100000000011999999999", "fecha": "2016-01-01T00:00:00-0600", "ind-estado": "procesando"}"#).unwrap();
/// assert_eq!(r.state, IndEstado::Procesando);
/// assert!(r.message.is_none());
/// let cb = parse_status(br#"{"clave": "x", "indEstado": "RECIBIDO"}"#).unwrap();
/// assert_eq!(cb.state, IndEstado::Recibido);
/// ```
pub fn parse_status(body: &[u8]) -> Result<StatusReport> {
    let text = decode_text(body, MAX_JSON_BYTES)?;
    if text.trim().is_empty() {
        return Err(Error::Empty);
    }
    let raw: RawStatus = serde_json::from_str(&text)?;
    let clave = raw
        .clave
        .filter(|c| !c.trim().is_empty())
        .ok_or(Error::MissingField { field: "clave" })?;
    let state_text = raw.state.ok_or(Error::MissingField { field: "ind-estado" })?;
    let state = IndEstado::parse(&state_text)?;
    let fecha_utc = raw
        .fecha
        .as_deref()
        .and_then(parse_timestamp)
        .map(|dt| dt.with_timezone(&Utc));
    let mut report = StatusReport {
        clave: clave.trim().to_string(),
        fecha: raw.fecha,
        fecha_utc,
        state,
        callback_url: raw.callback_url.filter(|u| !u.is_empty()),
        response_xml: None,
        message: None,
        message_error: None,
    };
    if let Some(b64) = raw.response.filter(|r| !r.trim().is_empty()) {
        match decode_response(&b64) {
            Ok((xml, message)) => {
                report.response_xml = Some(xml);
                report.message = message.as_ref().ok().cloned();
                report.message_error = message.err();
            }
            Err(e) => report.message_error = Some(e),
        }
    }
    Ok(report)
}

fn decode_response(b64: &str) -> Result<(String, Result<HaciendaMessage>)> {
    let xml = decode_text_owned(base64_decode("respuesta-xml", b64)?, MAX_XML_BYTES)?;
    let message = read_message_text(&xml);
    Ok((xml, message))
}

/// The keys we read, matched after lower-casing and removing `-` and `_`.
#[derive(Default)]
struct RawStatus<'a> {
    clave: Option<String>,
    fecha: Option<String>,
    state: Option<String>,
    callback_url: Option<String>,
    /// Borrowed from the body when it has no escapes: a 20 MB answer is not copied.
    response: Option<std::borrow::Cow<'a, str>>,
}

impl<'de> Deserialize<'de> for RawStatus<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_map(RawStatusVisitor)
    }
}

struct RawStatusVisitor;

impl<'de> Visitor<'de> for RawStatusVisitor {
    type Value = RawStatus<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with clave and ind-estado")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<RawStatus<'de>, A::Error> {
        let mut raw = RawStatus::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let normalized: String = key
                .chars()
                .filter(|c| *c != '-' && *c != '_')
                .flat_map(char::to_lowercase)
                .collect();
            if normalized == "respuestaxml" {
                raw.response = map.next_value::<Option<BorrowedText<'de>>>()?.map(|t| t.0);
                continue;
            }
            let slot = match normalized.as_str() {
                "clave" => &mut raw.clave,
                "fecha" => &mut raw.fecha,
                "indestado" => &mut raw.state,
                "callbackurl" => &mut raw.callback_url,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            let value: Option<StringLike> = map.next_value()?;
            *slot = value.map(|v| v.0);
        }
        Ok(raw)
    }
}

/// A JSON string, borrowed from the input when it holds no escapes.
struct BorrowedText<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for BorrowedText<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BorrowedText<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(BorrowedText(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(BorrowedText(std::borrow::Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Self::Value, E> {
                Ok(BorrowedText(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// A JSON string, or a number written where a string was expected (kept as text).
struct StringLike(String);

impl<'de> Deserialize<'de> for StringLike {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StringLike;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<StringLike, E> {
                Ok(StringLike(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<StringLike, E> {
                Ok(StringLike(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<StringLike, E> {
                Ok(StringLike(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<StringLike, E> {
                Ok(StringLike(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The reading of a `GET /recepcion/{clave}` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusAnswer {
    /// HTTP status.
    pub http_status: u16,
    /// The headers that matter (`X-Error-Cause`, `Retry-After`, `X-Ratelimit-*`).
    pub headers: AnswerHeaders,
    /// The report, for a 2xx.
    pub report: Option<StatusReport>,
    /// The failure: the HTTP failure, or the rejection/error inside the report.
    pub classification: Option<Classification>,
}

/// Reads a `GET /recepcion/{clave}` answer. A 2xx whose body is not a status report is an
/// error; every other status is classified (404 = not there yet, 429, 5xx, ...).
pub fn read_status_response<'a>(
    status: u16,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &[u8],
) -> Result<StatusAnswer> {
    let headers = AnswerHeaders::read(headers);
    if (200..300).contains(&status) {
        let report = parse_status(body)?;
        let classification = classify_status(&report);
        return Ok(StatusAnswer {
            http_status: status,
            headers,
            report: Some(report),
            classification,
        });
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    Ok(StatusAnswer {
        http_status: status,
        classification: classify_http(status, headers.error_cause.as_deref(), &text),
        headers,
        report: None,
    })
}

/// A short human description of a report, for logs and CLIs.
pub fn describe(report: &StatusReport) -> String {
    let mut s = format!("{} {}", excerpt(&report.clave), report.state);
    if let Some(m) = &report.message {
        let summary = m.detail.summary();
        if !summary.is_empty() {
            s.push_str(": ");
            s.push_str(&excerpt(&summary));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::base64_encode;

    const CLAVE: &str = "50627091800011187076300200001010000000007100011154";

    fn mh(mensaje: u8, detail: &str) -> String {
        format!(
            "<MensajeHacienda xmlns=\"https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda\"><Clave>{CLAVE}</Clave><NombreEmisor>A</NombreEmisor><TipoIdentificacionEmisor>01</TipoIdentificacionEmisor><NumeroCedulaEmisor>111870763</NumeroCedulaEmisor><Mensaje>{mensaje}</Mensaje><DetalleMensaje>{detail}</DetalleMensaje><TotalFactura>1</TotalFactura></MensajeHacienda>"
        )
    }

    #[test]
    fn final_state_with_embedded_answer() {
        let body = format!(
            r#"{{"clave":"{CLAVE}","fecha":"2018-09-27T13:48:36-06:00","ind-estado":"rechazado","respuesta-xml":"{}"}}"#,
            base64_encode(mh(3, "-99, \"ya existe\", 0, 0").as_bytes())
        );
        let r = parse_status(body.as_bytes()).unwrap();
        assert_eq!(r.state, IndEstado::Rechazado);
        assert!(r.is_final());
        let m = r.message.unwrap();
        assert!(m.is_rejected());
        assert_eq!(m.detail.codes(), vec![-99]);
        assert_eq!(r.fecha_utc.unwrap().to_rfc3339(), "2018-09-27T19:48:36+00:00");
        assert!(r.response_xml.unwrap().starts_with("<MensajeHacienda"));
    }

    #[test]
    fn callback_spelling_and_upper_case() {
        let body = format!(
            r#"{{"clave":"{CLAVE}","fecha":"2016-01-01T00:00:00-0600","indEstado":"ACEPTADO","respuestaXml":"{}"}}"#,
            base64_encode(mh(1, "ok").as_bytes())
        );
        let r = parse_status(body.as_bytes()).unwrap();
        assert_eq!(r.state, IndEstado::Aceptado);
        assert!(r.message.unwrap().is_accepted());
    }

    #[test]
    fn broken_answer_keeps_state() {
        let body = format!(r#"{{"clave":"{CLAVE}","ind-estado":"aceptado","respuesta-xml":"PD94bWwg..."}}"#);
        let r = parse_status(body.as_bytes()).unwrap();
        assert_eq!(r.state, IndEstado::Aceptado);
        assert!(r.message.is_none());
        assert!(r.message_error.is_some());
    }

    #[test]
    fn errors_are_typed() {
        assert!(matches!(parse_status(b""), Err(Error::Empty)));
        assert!(matches!(parse_status(b"{"), Err(Error::Json { .. })));
        assert!(matches!(parse_status(b"[1,2]"), Err(Error::Json { .. })));
        assert_eq!(
            parse_status(br#"{"ind-estado":"aceptado"}"#),
            Err(Error::MissingField { field: "clave" })
        );
        assert!(matches!(
            parse_status(br#"{"clave":"1","ind-estado":"perdido"}"#),
            Err(Error::InvalidField {
                field: "ind-estado",
                ..
            })
        ));
        assert!(matches!(
            parse_status(br#"{"clave":"1","ind-estado":{"a":1}}"#),
            Err(Error::Json { .. })
        ));
    }

    #[test]
    fn get_answers() {
        let ok = read_status_response(
            200,
            [("X-Ratelimit-Remaining", "99")],
            br#"{"clave":"1","ind-estado":"procesando"}"#,
        )
        .unwrap();
        assert_eq!(ok.report.unwrap().state, IndEstado::Procesando);
        assert!(ok.classification.is_none());
        assert_eq!(ok.headers.rate_limit.unwrap().remaining, Some(99));
        let missing =
            read_status_response(404, [("X-Error-Cause", "No existe el recurso con Clave = [1]")], b"").unwrap();
        assert_eq!(missing.classification.unwrap().rule, "not_found");
        assert!(read_status_response(200, [], b"<html>").is_err());
    }

    #[test]
    fn unknown_keys_and_nulls_are_ignored() {
        let r = parse_status(
            br#"{"clave":"1","ind_estado":"Procesando","respuesta-xml":null,"x":[1,{"y":2}],"callbackUrl":""}"#,
        )
        .unwrap();
        assert_eq!(r.state, IndEstado::Procesando);
        assert_eq!(r.callback_url, None);
    }
}
