//! MensajeHacienda (Hacienda's signed answer) and MensajeReceptor (the receiver's acceptance or
//! rejection of a supplier's document), v4.1 to v4.4, read into one [`HaciendaMessage`].
//!
//! Elements are matched by local name, so every namespace family works. Parties may be empty,
//! or `DESCONOCIDO` with cédula `000000000` when Hacienda could not read the document; cédulas
//! may carry spaces. `Mensaje` 1 is accepted and 3 rejected; 2 (partial) only exists in
//! MensajeReceptor.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::clave::normalize_id_number;
use crate::detail::Detail;
use crate::error::{Error, Result, excerpt};
use crate::fields::{decimal, optional, required};
use crate::schema::SchemaVersion;
use crate::text::{MAX_XML_BYTES, base64_decode, decode_text, looks_like_base64};
use crate::xml::{self, Element, XmlDocument};

/// Which of the two message documents this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// MensajeHacienda: Hacienda's answer to a submitted document.
    MensajeHacienda,
    /// MensajeReceptor: a receiver's confirmation of a supplier's document.
    MensajeReceptor,
}

impl MessageKind {
    /// `"mensaje_hacienda"` or `"mensaje_receptor"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            MessageKind::MensajeHacienda => "mensaje_hacienda",
            MessageKind::MensajeReceptor => "mensaje_receptor",
        }
    }

    /// The XML root element.
    pub const fn root_element(self) -> &'static str {
        match self {
            MessageKind::MensajeHacienda => "MensajeHacienda",
            MessageKind::MensajeReceptor => "MensajeReceptor",
        }
    }
}

/// The `Mensaje` code: the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageCode {
    /// 1: accepted.
    Accepted,
    /// 2: partially accepted (MensajeReceptor only).
    PartiallyAccepted,
    /// 3: rejected.
    Rejected,
}

impl MessageCode {
    /// `"accepted"`, `"partially_accepted"` or `"rejected"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            MessageCode::Accepted => "accepted",
            MessageCode::PartiallyAccepted => "partially_accepted",
            MessageCode::Rejected => "rejected",
        }
    }

    /// The numeric code (1, 2, 3).
    pub const fn code(self) -> u8 {
        match self {
            MessageCode::Accepted => 1,
            MessageCode::PartiallyAccepted => 2,
            MessageCode::Rejected => 3,
        }
    }
}

/// A party as named in a message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Party {
    /// Name, `None` when empty.
    pub name: Option<String>,
    /// Identification type code (`01`..`06`), `None` when empty.
    pub id_type: Option<String>,
    /// Identification number without spaces, `None` when empty.
    pub id_number: Option<String>,
}

impl Party {
    /// True when Hacienda could not identify the party (`DESCONOCIDO`, `000000000` or nothing).
    pub fn is_unknown(&self) -> bool {
        let unknown_name = self
            .name
            .as_deref()
            .is_none_or(|n| n.eq_ignore_ascii_case("desconocido"));
        let unknown_id = self.id_number.as_deref().is_none_or(|n| n.bytes().all(|b| b == b'0'));
        unknown_name && unknown_id
    }
}

/// A MensajeHacienda or MensajeReceptor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HaciendaMessage {
    /// Which message document this is.
    pub kind: MessageKind,
    /// Schema version read from the namespace, when recognisable.
    pub schema_version: Option<SchemaVersion>,
    /// Namespace URI of the root element.
    pub namespace: Option<String>,
    /// Clave of the document the message is about.
    pub clave: String,
    /// The issuer of the original document.
    pub emisor: Party,
    /// The receiver of the original document, when named.
    pub receptor: Option<Party>,
    /// The decision.
    pub mensaje: MessageCode,
    /// `EstadoMensaje` (v4.4 MensajeHacienda), as written.
    pub estado_mensaje: Option<String>,
    /// The structured DetalleMensaje.
    pub detail: Detail,
    /// `MontoTotalImpuesto`.
    pub total_tax: Option<Decimal>,
    /// `TotalFactura`.
    pub total_invoice: Option<Decimal>,
    /// MensajeReceptor: the receiver's own consecutivo (`NumeroConsecutivoReceptor`).
    pub consecutivo_receptor: Option<String>,
    /// MensajeReceptor: `FechaEmisionDoc`.
    pub fecha_emision_doc: Option<String>,
    /// MensajeReceptor v4.3+: `CodigoActividad`.
    pub activity_code: Option<String>,
    /// MensajeReceptor v4.3+: `CondicionImpuesto`.
    pub tax_condition: Option<String>,
    /// True when a `ds:Signature` is present.
    pub signed: bool,
}

impl HaciendaMessage {
    /// True when the decision is acceptance (fully).
    pub fn is_accepted(&self) -> bool {
        self.mensaje == MessageCode::Accepted
    }

    /// True when the decision is rejection.
    pub fn is_rejected(&self) -> bool {
        self.mensaje == MessageCode::Rejected
    }
}

/// Parses a message from bytes: XML (BOM, UTF-16 and Latin-1 handled) or base64 of XML.
///
/// ```
/// use hacienda_core::message::{parse_message, MessageCode};
/// let xml = r#"<MensajeHacienda xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda">
///   <Clave>50628042100040216065300100001010000000142132671809</Clave>
///   <NombreEmisor>DESCONOCIDO</NombreEmisor><TipoIdentificacionEmisor>01</TipoIdentificacionEmisor>
///   <NumeroCedulaEmisor>000000000</NumeroCedulaEmisor>
///   <Mensaje>3</Mensaje><EstadoMensaje>Rechazado</EstadoMensaje>
///   <DetalleMensaje>-99, "ya existe", 0, 0</DetalleMensaje><TotalFactura>0</TotalFactura>
/// </MensajeHacienda>"#;
/// let m = parse_message(xml.as_bytes()).unwrap();
/// assert_eq!(m.mensaje, MessageCode::Rejected);
/// assert!(m.emisor.is_unknown());
/// assert_eq!(m.detail.codes(), vec![-99]);
/// ```
pub fn parse_message(input: &[u8]) -> Result<HaciendaMessage> {
    let text = decode_text(input, MAX_XML_BYTES * 4 / 3 + 4)?;
    if text.trim().is_empty() {
        return Err(Error::Empty);
    }
    if looks_like_base64(&text) {
        let bytes = base64_decode("input", &text)?;
        let inner = decode_text(&bytes, MAX_XML_BYTES)?;
        return message_from_xml(&parse_tree(&inner)?);
    }
    if text.len() > MAX_XML_BYTES {
        return Err(Error::TooLarge {
            size: text.len(),
            limit: MAX_XML_BYTES,
        });
    }
    message_from_xml(&parse_tree(&text)?)
}

/// The signature is most of a signed answer and nothing here reads it: it is skipped.
fn parse_tree(text: &str) -> Result<XmlDocument> {
    xml::parse_with(text, xml::ParseOptions { skip: &["Signature"] })
}

/// Reads a message from already decoded XML text (no base64 detection).
pub(crate) fn read_message_text(text: &str) -> Result<HaciendaMessage> {
    if text.trim().is_empty() {
        return Err(Error::Empty);
    }
    message_from_xml(&parse_tree(text)?)
}

/// Reads a message out of an already parsed XML document.
pub fn message_from_xml(doc: &XmlDocument) -> Result<HaciendaMessage> {
    let root = &doc.root;
    let kind = match &*root.name {
        "MensajeHacienda" => MessageKind::MensajeHacienda,
        "MensajeReceptor" => MessageKind::MensajeReceptor,
        other => {
            return Err(Error::UnexpectedRoot {
                found: excerpt(other),
                expected: "MensajeHacienda or MensajeReceptor",
            });
        }
    };
    let namespace = doc.namespace.clone();
    let schema_version = namespace.as_deref().and_then(SchemaVersion::from_namespace);
    let clave = required(root, &["Clave"], "Clave")?.to_string();
    let mensaje = read_code(root, kind)?;
    let detail_text = root.child("DetalleMensaje").map(|d| d.text.as_str()).unwrap_or("");
    let mut detail = Detail::parse(detail_text);
    if mensaje == MessageCode::Accepted {
        detail = detail.into_accepted();
    }
    let (emisor, receptor, consecutivo_receptor) = match kind {
        MessageKind::MensajeHacienda => (
            party(root, "NombreEmisor", "TipoIdentificacionEmisor", "NumeroCedulaEmisor"),
            Some(party(
                root,
                "NombreReceptor",
                "TipoIdentificacionReceptor",
                "NumeroCedulaReceptor",
            ))
            .filter(|p| *p != Party::default()),
            None,
        ),
        MessageKind::MensajeReceptor => (
            party(root, "NombreEmisor", "TipoIdentificacionEmisor", "NumeroCedulaEmisor"),
            Some(party(
                root,
                "NombreReceptor",
                "TipoIdentificacionReceptor",
                "NumeroCedulaReceptor",
            ))
            .filter(|p| *p != Party::default()),
            // The 2018 samples misspell it "NumeroConcecutivoReceptor"; both are real.
            optional(root, &["NumeroConsecutivoReceptor"]).or_else(|| optional(root, &["NumeroConcecutivoReceptor"])),
        ),
    };
    Ok(HaciendaMessage {
        kind,
        schema_version,
        namespace,
        clave,
        emisor,
        receptor,
        mensaje,
        estado_mensaje: optional(root, &["EstadoMensaje"]),
        detail,
        total_tax: decimal(root, &["MontoTotalImpuesto"], "MontoTotalImpuesto")?,
        total_invoice: decimal(root, &["TotalFactura"], "TotalFactura")?,
        consecutivo_receptor,
        fecha_emision_doc: optional(root, &["FechaEmisionDoc"]),
        activity_code: optional(root, &["CodigoActividad"]),
        tax_condition: optional(root, &["CondicionImpuesto"]),
        signed: root.child("Signature").is_some(),
    })
}

fn read_code(root: &Element, kind: MessageKind) -> Result<MessageCode> {
    let text = required(root, &["Mensaje"], "Mensaje")?;
    match (text, kind) {
        ("1", _) => Ok(MessageCode::Accepted),
        ("2", MessageKind::MensajeReceptor) => Ok(MessageCode::PartiallyAccepted),
        ("3", _) => Ok(MessageCode::Rejected),
        ("2", MessageKind::MensajeHacienda) => Err(Error::invalid(
            "Mensaje",
            text,
            "2 (partial acceptance) only exists in MensajeReceptor",
        )),
        _ => Err(Error::invalid("Mensaje", text, "expected 1, 2 or 3")),
    }
}

fn party(root: &Element, name: &str, id_type: &str, number: &str) -> Party {
    Party {
        name: optional(root, &[name]),
        id_type: optional(root, &[id_type]),
        id_number: root
            .text_at(&[number])
            .map(normalize_id_number)
            .filter(|n| !n.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V42: &str = "https://tribunet.hacienda.go.cr/docs/esquemas/2017/v4.2/mensajeHacienda";

    fn mh(ns: &str, body: &str) -> String {
        format!(
            "<MensajeHacienda xmlns=\"{ns}\"><Clave>50617061800030455030100100001010000000414199999999</Clave>{body}</MensajeHacienda>"
        )
    }

    #[test]
    fn empty_parties_and_spaces_in_cedulas() {
        let xml = mh(
            V42,
            "<NombreEmisor/><TipoIdentificacionEmisor>02</TipoIdentificacionEmisor><NumeroCedulaEmisor> 3102111111 </NumeroCedulaEmisor><NombreReceptor/><TipoIdentificacionReceptor/><NumeroCedulaReceptor/><Mensaje>3</Mensaje><DetalleMensaje>La firma del comprobante electrónico no es válida</DetalleMensaje>",
        );
        let m = parse_message(xml.as_bytes()).unwrap();
        assert_eq!(m.schema_version, Some(SchemaVersion::V42));
        assert_eq!(m.emisor.name, None);
        assert_eq!(m.emisor.id_number.as_deref(), Some("3102111111"));
        assert_eq!(m.receptor, None);
        assert!(m.is_rejected());
        assert_eq!(m.total_invoice, None);
        assert_eq!(m.detail.notes.len(), 1);
    }

    #[test]
    fn base64_and_bom_inputs() {
        let xml = format!(
            "\u{feff}{}",
            mh(
                V42,
                "<NombreEmisor>x</NombreEmisor><Mensaje>1</Mensaje><DetalleMensaje>.</DetalleMensaje><TotalFactura>10.5</TotalFactura>"
            )
        );
        let m = parse_message(xml.as_bytes()).unwrap();
        assert!(m.is_accepted());
        assert_eq!(m.total_invoice.unwrap().to_string(), "10.5");
        let b64 = crate::text::base64_encode(xml.as_bytes());
        assert_eq!(parse_message(b64.as_bytes()).unwrap(), m);
    }

    #[test]
    fn partial_only_in_receptor() {
        let err = parse_message(mh(V42, "<Mensaje>2</Mensaje>").as_bytes()).unwrap_err();
        assert_eq!(err.field(), Some("Mensaje"));
        let mr = "<MensajeReceptor xmlns='https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeReceptor'><Clave>50617061800030455030100100001010000000414199999999</Clave><NumeroCedulaEmisor>3101123456</NumeroCedulaEmisor><FechaEmisionDoc>2025-09-01T10:00:00-06:00</FechaEmisionDoc><Mensaje>2</Mensaje><TotalFactura>1</TotalFactura><NumeroCedulaReceptor>114930394</NumeroCedulaReceptor><NumeroConsecutivoReceptor>00100001060000000010</NumeroConsecutivoReceptor></MensajeReceptor>";
        let m = parse_message(mr.as_bytes()).unwrap();
        assert_eq!(m.kind, MessageKind::MensajeReceptor);
        assert_eq!(m.mensaje, MessageCode::PartiallyAccepted);
        assert_eq!(m.consecutivo_receptor.as_deref(), Some("00100001060000000010"));
        assert_eq!(m.receptor.unwrap().id_number.as_deref(), Some("114930394"));
    }

    #[test]
    fn missing_and_wrong_roots() {
        assert!(matches!(
            parse_message(b"<FacturaElectronica/>"),
            Err(Error::UnexpectedRoot { .. })
        ));
        assert_eq!(
            parse_message(
                mh(V42, "<Mensaje>1</Mensaje>")
                    .replace("<Clave>50617061800030455030100100001010000000414199999999</Clave>", "")
                    .as_bytes()
            ),
            Err(Error::MissingField { field: "Clave" })
        );
        assert!(matches!(parse_message(b"   "), Err(Error::Empty)));
        assert!(matches!(
            parse_message(mh(V42, "<Mensaje>1</Mensaje><TotalFactura>abc</TotalFactura>").as_bytes()),
            Err(Error::InvalidField {
                field: "TotalFactura",
                ..
            })
        ));
    }
}
