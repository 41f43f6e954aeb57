//! Reading whatever a person has: a status or callback JSON, a MensajeHacienda or
//! MensajeReceptor, a comprobante, or base64 of any of these.

use serde::Serialize;

use crate::document::{DocumentSummary, summarize};
use crate::error::{Error, Result};
use crate::message::{HaciendaMessage, message_from_xml};
use crate::status::{StatusReport, parse_status};
use crate::text::{MAX_JSON_BYTES, base64_decode, decode_text, looks_like_base64};
use crate::xml;

/// What an input turned out to be.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Parsed {
    /// A `GET /recepcion` answer or a callback body.
    Status(StatusReport),
    /// A MensajeHacienda or MensajeReceptor.
    Message(HaciendaMessage),
    /// A comprobante.
    Document(DocumentSummary),
}

/// Detects the kind of `input` and reads it.
///
/// ```
/// use hacienda_core::input::{read_any, Parsed};
/// let p = read_any(br#"{"clave":"1","ind-estado":"aceptado"}"#).unwrap();
/// assert!(matches!(p, Parsed::Status(_)));
/// ```
pub fn read_any(input: &[u8]) -> Result<Parsed> {
    read_any_depth(input, 0)
}

fn read_any_depth(input: &[u8], depth: u8) -> Result<Parsed> {
    let text = decode_text(input, MAX_JSON_BYTES)?;
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(Error::Empty);
    }
    if trimmed.starts_with('{') {
        return parse_status(trimmed.as_bytes()).map(Parsed::Status);
    }
    if trimmed.starts_with('<') {
        let doc = xml::parse(&text)?;
        return match &*doc.root.name {
            "MensajeHacienda" | "MensajeReceptor" => message_from_xml(&doc).map(Parsed::Message),
            _ => summarize(&doc).map(Parsed::Document),
        };
    }
    if depth == 0 && looks_like_base64(trimmed) {
        let bytes = base64_decode("input", trimmed)?;
        return read_any_depth(&bytes, 1);
    }
    Err(Error::invalid("input", trimmed, "not JSON, XML or base64 of either"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_a_document_is_unwrapped_once() {
        let xml = "<TiqueteElectronico xmlns='https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.3/tiqueteElectronico'><Clave>50626031900011266010200100001040000001824180333808</Clave></TiqueteElectronico>";
        let b64 = crate::text::base64_encode(xml.as_bytes());
        match read_any(b64.as_bytes()).unwrap() {
            Parsed::Document(d) => assert_eq!(d.clave, "50626031900011266010200100001040000001824180333808"),
            other => panic!("{other:?}"),
        }
        let twice = crate::text::base64_encode(b64.as_bytes());
        assert!(read_any(twice.as_bytes()).is_err());
        assert!(matches!(read_any(b"hello world!"), Err(Error::InvalidField { .. })));
    }
}
