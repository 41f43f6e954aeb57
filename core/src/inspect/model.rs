//! The result of [`super::inspect`]: one serde object with camelCase field names (the browser
//! viewer and its TypeScript types read it as is).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::classify::Classification;

/// What the input turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A comprobante (FE, ND, NC, TE, FEC, FEE, REP).
    Document,
    /// A MensajeReceptor (the receiver's acceptance or rejection).
    ReceiverMessage,
    /// A MensajeHacienda (Hacienda's answer).
    HaciendaMessage,
    /// A status answer or callback JSON (`ind-estado`, `respuesta-xml`).
    Status,
}

/// How the XML reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Container {
    /// XML text.
    Xml,
    /// Base64 of XML.
    Base64,
    /// A status or callback JSON (the XML was its `respuesta-xml`).
    StatusJson,
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemSeverity {
    /// Worth knowing; Hacienda accepts it.
    Info,
    /// Suspicious or accepted with a note.
    Warning,
    /// Hacienda rejects it (or rejected it).
    Error,
}

/// Where a problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemSource {
    /// The official v4.4 schema (structure, lengths, code lists, patterns).
    Schema,
    /// The clave does not agree with the document.
    Clave,
    /// Amounts that do not add up.
    Amounts,
    /// Hacienda's answer (DetalleMensaje lines).
    Answer,
    /// The signature block.
    Signature,
    /// The input itself (encoding, unknown version).
    Input,
}

/// One thing that is wrong, pointing at its element.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// How serious.
    pub severity: ProblemSeverity,
    /// Which check found it.
    pub source: ProblemSource,
    /// Element path (`/FacturaElectronica/DetalleServicio/LineaDetalle[2]/Impuesto[1]/Monto`).
    pub path: Option<String>,
    /// Hacienda's rejection code it corresponds to (-45, -54, ...), when there is one.
    pub code: Option<i32>,
    /// The problem in Spanish.
    pub message_es: String,
    /// The problem in English.
    pub message_en: String,
}

/// The summary card: status badge, what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// `accepted`, `rejected`, `partially_accepted`, `pending`, `error`, `ok`, `problems`.
    pub badge: &'static str,
    /// Overall level: `info`, `warning` or `error`.
    pub level: ProblemSeverity,
    /// One line in Spanish.
    pub title_es: String,
    /// One line in English.
    pub title_en: String,
    /// What is wrong, in Spanish (empty when nothing is).
    pub what_es: String,
    /// What is wrong, in English.
    pub what_en: String,
    /// What to do, in Spanish.
    pub todo_es: String,
    /// What to do, in English.
    pub todo_en: String,
}

/// The classification of a failure (same facts as [`Classification`], camelCase).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassificationInfo {
    /// Category (`validation`, `signature`, ...).
    pub category: &'static str,
    /// Stable rule name.
    pub rule: &'static str,
    /// Whether repeating the same operation can succeed.
    pub retryable: bool,
    /// `info`, `warning` or `error`.
    pub blocking: &'static str,
    /// What to do next (`fix_document`, `resign`, ...).
    pub next_step: &'static str,
    /// Deciding Hacienda code.
    pub code: Option<i32>,
    /// Every error code.
    pub codes: Vec<i32>,
    /// What was observed.
    pub reason: String,
    /// Hint in Spanish.
    pub hint_es: &'static str,
    /// Hint in English.
    pub hint_en: &'static str,
}

impl From<&Classification> for ClassificationInfo {
    fn from(c: &Classification) -> Self {
        ClassificationInfo {
            category: c.category.as_str(),
            rule: c.rule,
            retryable: c.retryable,
            blocking: c.blocking.as_str(),
            next_step: c.next_step.as_str(),
            code: c.code,
            codes: c.codes.clone(),
            reason: c.reason.clone(),
            hint_es: c.hint_es,
            hint_en: c.hint_en,
        }
    }
}

/// A check of the clave against the document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaveCheck {
    /// What was compared (`date`, `issuer`, `document_type`, `consecutivo`).
    pub field: &'static str,
    /// Value in the clave.
    pub in_clave: String,
    /// Value in the document (`None` when the document does not say).
    pub in_document: Option<String>,
    /// True when they agree.
    pub ok: bool,
}

/// The clave explained part by part.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaveInfo {
    /// The text as found.
    pub digits: String,
    /// True when it is a well-formed clave.
    pub valid: bool,
    /// Why it is not, when it is not.
    pub error: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Date of issue (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Issuer identification without padding.
    pub issuer_id: Option<String>,
    /// Branch (sucursal, 3 digits).
    pub branch: Option<String>,
    /// Terminal (point of sale, 5 digits).
    pub terminal: Option<String>,
    /// Document type code (`01`..`10`).
    pub document_type_code: Option<String>,
    /// Document type name (`factura_electronica`).
    pub document_type: Option<&'static str>,
    /// Sequence number.
    pub number: Option<u64>,
    /// The 20-digit consecutivo inside the clave.
    pub consecutivo: Option<String>,
    /// Situation (`normal`, `contingencia`, `sin_internet`).
    pub situation: Option<&'static str>,
    /// Security code (8 digits).
    pub security_code: Option<String>,
    /// Comparisons with the document.
    pub checks: Vec<ClaveCheck>,
}

/// An activity code (`CodigoActividad`, `CodigoActividadEmisor`, `CodigoActividadReceptor`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityCode {
    /// `emisor` or `receptor`.
    pub role: &'static str,
    /// The code.
    pub code: String,
}

/// A party (issuer or receiver).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartyInfo {
    /// `emisor` or `receptor`.
    pub role: &'static str,
    /// `Nombre`.
    pub name: Option<String>,
    /// Identification type code.
    pub id_type: Option<String>,
    /// Identification type name (`Cédula física`, ...).
    pub id_type_name: Option<&'static str>,
    /// Identification number without spaces.
    pub id_number: Option<String>,
    /// `IdentificacionExtranjero`.
    pub foreign_id: Option<String>,
    /// `NombreComercial`.
    pub commercial_name: Option<String>,
    /// `CorreoElectronico` (all of them).
    pub emails: Vec<String>,
    /// `Telefono` as `+CodigoPais NumTelefono`.
    pub phone: Option<String>,
    /// `Ubicacion` as `provincia-canton-distrito[-barrio]`, then `OtrasSenas`.
    pub location: Option<String>,
}

/// One tax of a line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineTax {
    /// `Codigo` (01 IVA, ...).
    pub code: Option<String>,
    /// `CodigoTarifaIVA` / `CodigoTarifa`.
    pub rate_code: Option<String>,
    /// `Tarifa` (percent).
    pub rate: Option<Decimal>,
    /// `Monto`.
    pub amount: Option<Decimal>,
    /// `Exoneracion`, when the tax is exonerated.
    pub exoneration: Option<Exoneration>,
}

/// An exoneration of a line tax.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exoneration {
    /// Line number it belongs to.
    pub line: Option<u32>,
    /// `TipoDocumento` / `TipoDocumentoEX1`.
    pub document_type: Option<String>,
    /// `NumeroDocumento`.
    pub document_number: Option<String>,
    /// `NombreInstitucion`.
    pub institution: Option<String>,
    /// `FechaEmision` / `FechaEmisionEX`.
    pub date: Option<String>,
    /// `PorcentajeExoneracion` / `TarifaExonerada`.
    pub percent: Option<Decimal>,
    /// `MontoExoneracion`.
    pub amount: Option<Decimal>,
}

/// One `LineaDetalle`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    /// `NumeroLinea`.
    pub number: Option<u32>,
    /// `CodigoCABYS` (v4.4) or `Codigo` (v4.3).
    pub cabys: Option<String>,
    /// `Cantidad`.
    pub quantity: Option<Decimal>,
    /// `UnidadMedida`.
    pub unit: Option<String>,
    /// `Detalle`.
    pub description: Option<String>,
    /// `PrecioUnitario`.
    pub unit_price: Option<Decimal>,
    /// `MontoTotal`.
    pub total_amount: Option<Decimal>,
    /// Sum of `MontoDescuento`.
    pub discount: Option<Decimal>,
    /// `SubTotal`.
    pub subtotal: Option<Decimal>,
    /// `BaseImponible`.
    pub tax_base: Option<Decimal>,
    /// Taxes.
    pub taxes: Vec<LineTax>,
    /// `ImpuestoNeto`.
    pub tax_net: Option<Decimal>,
    /// `MontoTotalLinea`.
    pub line_total: Option<Decimal>,
}

/// Taxes added up by code and rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxTotal {
    /// Tax code.
    pub code: Option<String>,
    /// Rate code.
    pub rate_code: Option<String>,
    /// Rate (percent).
    pub rate: Option<Decimal>,
    /// Number of lines with this tax.
    pub lines: u32,
    /// Sum of the line bases (`BaseImponible`, else `SubTotal`).
    pub base: Decimal,
    /// Sum of `Monto`.
    pub amount: Decimal,
    /// Sum of `MontoExoneracion`.
    pub exonerated: Decimal,
    /// `TotalDesgloseImpuesto/TotalMontoImpuesto` for this code and rate (v4.4), when present.
    pub declared: Option<Decimal>,
}

/// A named amount of `ResumenFactura`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    /// Element name (`TotalVentaNeta`).
    pub name: String,
    /// Value.
    pub value: Decimal,
}

/// One arithmetic check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArithmeticCheck {
    /// Stable name (`total_comprobante`, `line_tax`, ...).
    pub rule: &'static str,
    /// The Hacienda rejection code a mismatch leads to, when known.
    pub code: Option<i32>,
    /// Element checked.
    pub path: String,
    /// The formula, in element names.
    pub formula: &'static str,
    /// What the formula gives.
    pub expected: Decimal,
    /// What the document says.
    pub found: Decimal,
    /// True when they agree (within [`super::totals::AMOUNT_TOLERANCE`]).
    pub ok: bool,
}

/// An `InformacionReferencia`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    /// `TipoDocIR` / `TipoDoc`.
    pub document_type: Option<String>,
    /// `Numero` (usually a clave).
    pub number: Option<String>,
    /// `FechaEmisionIR` / `FechaEmision`.
    pub date: Option<String>,
    /// `Codigo` (01 anula, 02 corrige texto, 03 corrige monto, ...).
    pub code: Option<String>,
    /// `Razon`.
    pub reason: Option<String>,
}

/// A DetalleMensaje line explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerLine {
    /// Hacienda's code.
    pub code: i32,
    /// Message as written.
    pub message: String,
    /// Row of the submitted XML (0 when not positional).
    pub row: u32,
    /// Column.
    pub column: u32,
    /// `warning` or `error`.
    pub severity: &'static str,
    /// Failure category of this line.
    pub category: &'static str,
    /// What the code means, in Spanish (known codes).
    pub meaning_es: Option<&'static str>,
    /// What the code means, in English.
    pub meaning_en: Option<&'static str>,
}

/// A MensajeHacienda or MensajeReceptor explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerInfo {
    /// `mensaje_hacienda` or `mensaje_receptor`.
    pub message_kind: &'static str,
    /// `accepted`, `partially_accepted` or `rejected`.
    pub decision: &'static str,
    /// `Mensaje` code (1, 2, 3).
    pub decision_code: u8,
    /// `EstadoMensaje`, as written.
    pub estado_mensaje: Option<String>,
    /// True when the answer came from the sandbox.
    pub sandbox: bool,
    /// DetalleMensaje as written.
    pub detail_raw: String,
    /// Coded lines.
    pub lines: Vec<AnswerLine>,
    /// Plain sentences.
    pub notes: Vec<String>,
    /// `MontoTotalImpuesto`.
    pub total_tax: Option<Decimal>,
    /// `TotalFactura`.
    pub total_invoice: Option<Decimal>,
    /// MensajeReceptor: `NumeroConsecutivoReceptor`.
    pub consecutivo_receptor: Option<String>,
    /// The classification of a rejection.
    pub classification: Option<ClassificationInfo>,
}

/// A status or callback JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusInfo {
    /// `clave` as sent.
    pub clave: String,
    /// `fecha` as sent.
    pub fecha: Option<String>,
    /// `ind-estado` (`recibido`, `procesando`, `aceptado`, `rechazado`, `error`).
    pub state: &'static str,
    /// True when the state is final.
    pub is_final: bool,
    /// `callbackUrl`, when echoed.
    pub callback_url: Option<String>,
    /// True when `respuesta-xml` was present.
    pub has_response_xml: bool,
    /// Why `respuesta-xml` could not be read.
    pub response_error: Option<String>,
    /// The classification of a failure.
    pub classification: Option<ClassificationInfo>,
}

/// Facts of a `ds:Signature` (XAdES-EPES).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureInfo {
    /// `xades:SigningTime`.
    pub signing_time: Option<String>,
    /// Certificate subject (from the embedded X.509 certificate).
    pub subject: Option<String>,
    /// Certificate issuer (from the certificate, else `X509IssuerName`).
    pub issuer: Option<String>,
    /// Serial number in decimal (from the certificate, else `X509SerialNumber`).
    pub serial: Option<String>,
    /// Subject `serialNumber` attribute (`CPF-01-0234-0567`, `CPJ-3-101-...`).
    pub subject_serial_number: Option<String>,
    /// Certificate valid from (RFC 3339, UTC).
    pub valid_from: Option<String>,
    /// Certificate valid until (RFC 3339, UTC).
    pub valid_to: Option<String>,
    /// `SigPolicyId/Identifier`.
    pub policy_identifier: Option<String>,
    /// `SignatureMethod/@Algorithm`.
    pub signature_algorithm: Option<String>,
    /// `CanonicalizationMethod/@Algorithm`.
    pub canonicalization: Option<String>,
    /// Distinct `DigestMethod/@Algorithm` values.
    pub digest_algorithms: Vec<String>,
    /// Number of `ds:Reference`.
    pub references: u32,
    /// Why the certificate could not be read, when it could not.
    pub certificate_error: Option<String>,
}

/// Everything the viewer shows about one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    /// What the input is.
    pub kind: InputKind,
    /// How the XML reached us.
    pub container: Container,
    /// Root element of the XML (`None` for a status without `respuesta-xml`).
    pub root_element: Option<String>,
    /// Document type name (`factura_electronica`, `confirmacion_rechazo`, ...).
    pub document_type: Option<&'static str>,
    /// Document type code (`01`..`10`).
    pub document_type_code: Option<&'static str>,
    /// Document type in Spanish (`Factura electrónica`).
    pub document_name: Option<&'static str>,
    /// Schema version (`4.2`, `4.3`, `4.4`).
    pub schema_version: Option<&'static str>,
    /// Namespace of the root element.
    pub namespace: Option<String>,
    /// `encoding` of the XML declaration.
    pub declared_encoding: Option<String>,
    /// The clave, explained.
    pub clave: Option<ClaveInfo>,
    /// `NumeroConsecutivo`.
    pub consecutivo: Option<String>,
    /// `FechaEmision` (or `FechaEmisionDoc`) as written.
    pub issued_at: Option<String>,
    /// Activity codes.
    pub activity_codes: Vec<ActivityCode>,
    /// Issuer and receiver.
    pub parties: Vec<PartyInfo>,
    /// `CodigoMoneda`.
    pub currency: Option<String>,
    /// `TipoCambio`.
    pub exchange_rate: Option<Decimal>,
    /// `CondicionVenta`.
    pub sale_condition: Option<String>,
    /// `MedioPago` / `TipoMedioPago` codes.
    pub payment_methods: Vec<String>,
    /// Every `LineaDetalle`.
    pub lines: Vec<Line>,
    /// Taxes by code and rate.
    pub taxes: Vec<TaxTotal>,
    /// Every exoneration.
    pub exonerations: Vec<Exoneration>,
    /// `ResumenFactura` amounts in document order.
    pub totals: Vec<Amount>,
    /// Document-level arithmetic checks, and the line checks that failed.
    pub checks: Vec<ArithmeticCheck>,
    /// Line-level checks that passed.
    pub line_checks_passed: u32,
    /// `InformacionReferencia`.
    pub references: Vec<Reference>,
    /// MensajeHacienda / MensajeReceptor facts.
    pub answer: Option<AnswerInfo>,
    /// Status / callback facts.
    pub status: Option<StatusInfo>,
    /// Signature facts, when signed.
    pub signature: Option<SignatureInfo>,
    /// True when the structural checks ran (v4.4 documents and messages).
    pub schema_checked: bool,
    /// Everything wrong, most serious first.
    pub problems: Vec<Problem>,
    /// The summary card.
    pub verdict: Verdict,
    /// The decoded XML text (for the raw view), when there is XML.
    pub xml: Option<String>,
}
