//! Everything the browser viewer shows about one input: a comprobante (v4.2–v4.4), a
//! MensajeReceptor, a MensajeHacienda, a status or callback JSON, or base64 of any of these.
//!
//! [`inspect`] returns one [`Inspection`] (serde, camelCase): kind and version, the clave
//! explained and checked against the document, parties, lines, taxes, totals with arithmetic
//! checks, references, the answer explained, signature facts, structural problems against the
//! official v4.4 schemas, and a summary card. Only unreadable input is an error; everything
//! wrong *inside* a readable document is a [`Problem`].
//!
//! ```
//! use hacienda_core::inspect::{inspect, InputKind};
//! let xml = br#"<MensajeHacienda xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda">
//!   <Clave>50628042100040216065300100001010000000142132671809</Clave>
//!   <NombreEmisor>J</NombreEmisor><TipoIdentificacionEmisor>01</TipoIdentificacionEmisor>
//!   <NumeroCedulaEmisor>402160653</NumeroCedulaEmisor><Mensaje>3</Mensaje>
//!   <DetalleMensaje>-54, "TotalImpuesto no concuerda", 0, 0</DetalleMensaje>
//!   <TotalFactura>3955</TotalFactura></MensajeHacienda>"#;
//! let i = inspect(xml).unwrap();
//! assert_eq!(i.kind, InputKind::HaciendaMessage);
//! assert_eq!(i.verdict.badge, "rejected");
//! assert_eq!(i.answer.unwrap().lines[0].code, -54);
//! ```

mod answer;
mod clave_check;
mod der;
mod lines;
pub mod model;
mod parties;
mod references;
pub mod schema_check;
mod signature;
pub mod totals;
mod verdict;

use rust_decimal::Decimal;

pub use model::*;

use crate::clave::DocumentType;
use crate::document::summarize;
use crate::error::{Error, Result, excerpt};
use crate::fields::{parse_decimal, parse_timestamp};
use crate::message::{MessageCode, MessageKind, message_from_xml};
use crate::schema::SchemaVersion;
use crate::status::parse_status;
use crate::text::{MAX_JSON_BYTES, MAX_XML_BYTES, base64_decode, decode_text, looks_like_base64};
use crate::xml::{self, Element, XmlDocument};

/// Trimmed text at `path`, owned.
fn text(el: &Element, path: &[&str]) -> Option<String> {
    el.text_at(path).map(str::to_string)
}

/// Decimal at `path`; unparsable numbers are `None` (the schema check reports them).
fn number(el: &Element, path: &[&str]) -> Option<Decimal> {
    el.text_at(path).and_then(parse_amount)
}

fn parse_amount(text: &str) -> Option<Decimal> {
    parse_decimal(text, "amount").ok()
}

/// Inspects any input (bytes as read from a file or pasted).
///
/// Errors only when the input cannot be read at all: empty, too large, not JSON / XML / base64,
/// malformed XML, or an XML root that is no Hacienda document.
pub fn inspect(input: &[u8]) -> Result<Inspection> {
    let text = decode_text(input, MAX_JSON_BYTES)?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::Empty);
    }
    if trimmed.starts_with(['{', '[']) {
        // JSON (an array is JSON too, just not a status: parse_status says what is wrong).
        return inspect_status(trimmed.as_bytes());
    }
    if trimmed.starts_with('<') {
        return inspect_xml(&text, Container::Xml);
    }
    if looks_like_base64(trimmed) {
        let bytes = base64_decode("input", trimmed)?;
        let inner = decode_text(&bytes, MAX_JSON_BYTES)?;
        let inner_trimmed = inner.trim();
        if inner_trimmed.starts_with('<') {
            return inspect_xml(&inner, Container::Base64);
        }
        if inner_trimmed.starts_with('{') {
            return inspect_status(inner_trimmed.as_bytes());
        }
        return Err(Error::invalid(
            "input",
            inner_trimmed,
            "base64 of something that is not XML or JSON",
        ));
    }
    Err(Error::invalid("input", trimmed, "not XML, JSON or base64 of either"))
}

fn inspect_status(body: &[u8]) -> Result<Inspection> {
    let report = parse_status(body)?;
    let info = answer::status(&report);
    let mut result = match &report.response_xml {
        Some(xml_text) => match inspect_xml(xml_text, Container::StatusJson) {
            Ok(inner) => inner,
            Err(e) => {
                let mut empty = empty(InputKind::Status, Container::StatusJson);
                empty.problems.push(problem(
                    ProblemSeverity::Error,
                    ProblemSource::Input,
                    None,
                    format!("respuesta-xml no se puede leer: {e}"),
                    format!("respuesta-xml cannot be read: {e}"),
                ));
                empty
            }
        },
        None => empty(InputKind::Status, Container::StatusJson),
    };
    result.kind = InputKind::Status;
    if result.clave.is_none() {
        result.clave = Some(clave_check::explain(&report.clave, &clave_check::Stated::default()));
    }
    result.verdict = verdict::verdict(InputKind::Status, Some(&info), result.answer.as_ref(), &result.problems);
    result.status = Some(info);
    Ok(result)
}

fn empty(kind: InputKind, container: Container) -> Inspection {
    Inspection {
        kind,
        container,
        root_element: None,
        document_type: None,
        document_type_code: None,
        document_name: None,
        schema_version: None,
        namespace: None,
        declared_encoding: None,
        clave: None,
        consecutivo: None,
        issued_at: None,
        activity_codes: Vec::new(),
        parties: Vec::new(),
        currency: None,
        exchange_rate: None,
        sale_condition: None,
        payment_methods: Vec::new(),
        lines: Vec::new(),
        taxes: Vec::new(),
        exonerations: Vec::new(),
        totals: Vec::new(),
        checks: Vec::new(),
        line_checks_passed: 0,
        references: Vec::new(),
        answer: None,
        status: None,
        signature: None,
        schema_checked: false,
        problems: Vec::new(),
        verdict: verdict::verdict(kind, None, None, &[]),
        xml: None,
    }
}

fn problem(severity: ProblemSeverity, source: ProblemSource, path: Option<String>, es: String, en: String) -> Problem {
    Problem {
        severity,
        source,
        path,
        code: None,
        message_es: es,
        message_en: en,
    }
}

fn inspect_xml(text: &str, container: Container) -> Result<Inspection> {
    if text.len() > MAX_XML_BYTES {
        return Err(Error::TooLarge {
            size: text.len(),
            limit: MAX_XML_BYTES,
        });
    }
    let doc = xml::parse(text)?;
    let root = &doc.root;
    let kind = match &*root.name {
        "MensajeHacienda" => InputKind::HaciendaMessage,
        "MensajeReceptor" => InputKind::ReceiverMessage,
        name if DocumentType::from_root_element(name).is_some() => InputKind::Document,
        other => {
            return Err(Error::UnexpectedRoot {
                found: excerpt(other),
                expected: "a comprobante, MensajeReceptor or MensajeHacienda",
            });
        }
    };
    let mut out = empty(kind, container);
    out.root_element = Some(root.name.to_string());
    out.namespace = doc.namespace.clone();
    out.declared_encoding = doc.declared_encoding.clone();
    let version = doc.namespace.as_deref().and_then(SchemaVersion::from_namespace);
    out.schema_version = version.map(SchemaVersion::as_str);
    match kind {
        InputKind::Document => read_document(&doc, &mut out),
        _ => read_message(&doc, &mut out),
    }
    if let Some(sig) = root.child("Signature") {
        let facts = signature::signature(sig);
        let found = signature_problems(&facts, &out);
        out.problems.extend(found);
        out.signature = Some(facts);
    }
    match version {
        Some(SchemaVersion::V44) => {
            if let Some(found) = schema_check::check(root, doc.namespace.as_deref()) {
                out.schema_checked = true;
                out.problems.extend(found);
            }
        }
        other => out.problems.push(problem(
            ProblemSeverity::Info,
            ProblemSource::Input,
            None,
            format!(
                "Versión {}: la revisión de estructura usa los esquemas oficiales v4.4 y no se aplicó.",
                other.map_or("desconocida", SchemaVersion::as_str)
            ),
            format!(
                "Version {}: the structural check uses the official v4.4 schemas and was not applied.",
                other.map_or("unknown", SchemaVersion::as_str)
            ),
        )),
    }
    out.problems.sort_by_key(|p| std::cmp::Reverse(p.severity));
    out.verdict = verdict::verdict(kind, None, out.answer.as_ref(), &out.problems);
    out.xml = Some(text.to_string());
    Ok(out)
}

fn read_document(doc: &XmlDocument, out: &mut Inspection) {
    let root = &doc.root;
    let doc_type = DocumentType::from_root_element(&root.name);
    out.document_type = doc_type.map(DocumentType::as_str);
    out.document_type_code = doc_type.map(DocumentType::code);
    out.document_name = doc_type.map(DocumentType::description);
    match summarize(doc) {
        Ok(s) => {
            out.currency = s.currency;
            out.exchange_rate = s.exchange_rate;
        }
        Err(e) => out.problems.push(problem(
            ProblemSeverity::Error,
            ProblemSource::Input,
            None,
            format!("No se pudo leer el resumen: {e}"),
            format!("The summary could not be read: {e}"),
        )),
    }
    out.consecutivo = text(root, &["NumeroConsecutivo"]);
    out.issued_at = text(root, &["FechaEmision"]);
    out.activity_codes = parties::activity_codes(root);
    out.parties = parties::parties(root);
    out.sale_condition = text(root, &["CondicionVenta"]);
    out.payment_methods = root
        .children_named("MedioPago")
        .chain(
            root.child("ResumenFactura")
                .into_iter()
                .flat_map(|r| r.children_named("MedioPago")),
        )
        .filter_map(|m| m.value().or_else(|| m.text_at(&["TipoMedioPago"])))
        .map(str::to_string)
        .collect();
    out.lines = lines::lines(root);
    out.exonerations = lines::exonerations(&out.lines);
    out.taxes = lines::tax_totals(&out.lines, root);
    out.totals = totals::amounts(root);
    let (checks, passed) = totals::checks(root, &out.lines, &out.taxes);
    out.checks = checks;
    out.line_checks_passed = passed;
    for c in out.checks.iter().filter(|c| !c.ok) {
        out.problems.push(Problem {
            severity: ProblemSeverity::Error,
            source: ProblemSource::Amounts,
            path: Some(c.path.clone()),
            code: c.code,
            message_es: format!(
                "{}: el documento dice {}, la fórmula da {} ({})",
                c.rule, c.found, c.expected, c.formula
            ),
            message_en: format!(
                "{}: the document says {}, the formula gives {} ({})",
                c.rule, c.found, c.expected, c.formula
            ),
        });
    }
    out.references = references::references(root);
    let issuer = out
        .parties
        .iter()
        .find(|p| p.role == "emisor")
        .and_then(|p| p.id_number.clone());
    match text(root, &["Clave"]) {
        Some(clave) => {
            let stated = clave_check::Stated {
                issued_at: out.issued_at.as_deref(),
                issuer_id: issuer.as_deref(),
                document_type: doc_type,
                consecutivo: out.consecutivo.as_deref(),
            };
            set_clave(out, clave_check::explain(&clave, &stated), &root.name);
        }
        None => out.problems.push(problem(
            ProblemSeverity::Error,
            ProblemSource::Clave,
            Some(format!("/{}/Clave", root.name)),
            "Falta la clave".into(),
            "The clave is missing".into(),
        )),
    }
}

fn set_clave(out: &mut Inspection, info: ClaveInfo, root: &str) {
    let path = Some(format!("/{root}/Clave"));
    if let Some(e) = &info.error {
        out.problems.push(problem(
            ProblemSeverity::Error,
            ProblemSource::Clave,
            path.clone(),
            format!("Clave inválida: {e}"),
            format!("Invalid clave: {e}"),
        ));
    }
    for c in info.checks.iter().filter(|c| !c.ok) {
        let shown = c.in_document.as_deref().unwrap_or("-");
        out.problems.push(problem(
            ProblemSeverity::Error,
            ProblemSource::Clave,
            path.clone(),
            format!("La clave dice {} = {}, el documento dice {shown}", c.field, c.in_clave),
            format!("The clave says {} = {}, the document says {shown}", c.field, c.in_clave),
        ));
    }
    out.clave = Some(info);
}

fn read_message(doc: &XmlDocument, out: &mut Inspection) {
    let root = &doc.root;
    let m = match message_from_xml(doc) {
        Ok(m) => m,
        Err(e) => {
            out.problems.push(problem(
                ProblemSeverity::Error,
                ProblemSource::Input,
                None,
                format!("El mensaje no se puede leer completo: {e}"),
                format!("The message cannot be fully read: {e}"),
            ));
            if let Some(clave) = text(root, &["Clave"]) {
                set_clave(
                    out,
                    clave_check::explain(&clave, &clave_check::Stated::default()),
                    &root.name,
                );
            }
            return;
        }
    };
    let doc_type = match (m.kind, m.mensaje) {
        (MessageKind::MensajeHacienda, _) => None,
        (MessageKind::MensajeReceptor, MessageCode::Accepted) => Some(DocumentType::ConfirmacionAceptacion),
        (MessageKind::MensajeReceptor, MessageCode::PartiallyAccepted) => {
            Some(DocumentType::ConfirmacionAceptacionParcial)
        }
        (MessageKind::MensajeReceptor, MessageCode::Rejected) => Some(DocumentType::ConfirmacionRechazo),
    };
    out.document_type = doc_type.map(DocumentType::as_str);
    out.document_type_code = doc_type.map(DocumentType::code);
    out.document_name = doc_type.map(DocumentType::description).or(Some("Mensaje de Hacienda"));
    out.issued_at = m.fecha_emision_doc.clone();
    out.consecutivo = m.consecutivo_receptor.clone();
    if let Some(code) = &m.activity_code {
        out.activity_codes.push(ActivityCode {
            role: "receptor",
            code: code.clone(),
        });
    }
    let to_party = |role: &'static str, p: &crate::message::Party| PartyInfo {
        role,
        name: p.name.clone(),
        id_type_name: p
            .id_type
            .as_deref()
            .and_then(crate::clave::IdType::from_code)
            .map(crate::clave::IdType::description),
        id_type: p.id_type.clone(),
        id_number: p.id_number.clone(),
        ..PartyInfo::default()
    };
    out.parties.push(to_party("emisor", &m.emisor));
    if let Some(r) = &m.receptor {
        out.parties.push(to_party("receptor", r));
    }
    if let Some(total) = m.total_invoice {
        out.totals.push(Amount {
            name: "TotalFactura".into(),
            value: total,
        });
    }
    if let Some(tax) = m.total_tax {
        out.totals.push(Amount {
            name: "MontoTotalImpuesto".into(),
            value: tax,
        });
    }
    let stated = clave_check::Stated {
        issuer_id: m
            .emisor
            .id_number
            .as_deref()
            .filter(|id| !id.bytes().all(|b| b == b'0')),
        ..clave_check::Stated::default()
    };
    set_clave(out, clave_check::explain(&m.clave, &stated), &root.name);
    let info = answer::answer(&m);
    answer::answer_problems(&info, &mut out.problems);
    out.answer = Some(info);
}

/// Checks the signature facts against the document: signing time inside the certificate's
/// validity, certificate holder = issuer.
fn signature_problems(s: &SignatureInfo, out: &Inspection) -> Vec<Problem> {
    let mut found = Vec::new();
    let path = out.root_element.as_ref().map(|r| format!("/{r}/Signature"));
    if let Some(e) = &s.certificate_error {
        found.push(problem(
            ProblemSeverity::Warning,
            ProblemSource::Signature,
            path.clone(),
            e.clone(),
            e.clone(),
        ));
    }
    if let (Some(t), Some(from), Some(to)) = (
        s.signing_time.as_deref().and_then(parse_timestamp),
        s.valid_from.as_deref().and_then(parse_timestamp),
        s.valid_to.as_deref().and_then(parse_timestamp),
    ) && (t < from || t > to)
    {
        found.push(problem(
            ProblemSeverity::Error,
            ProblemSource::Signature,
            path.clone(),
            "La firma se hizo fuera del periodo de validez del certificado".into(),
            "The signature was made outside the certificate's validity period".into(),
        ));
    }
    // Only comprobantes: Hacienda signs its own answers with its certificate.
    let issuer = (out.kind == InputKind::Document)
        .then(|| {
            out.parties
                .iter()
                .find(|p| p.role == "emisor")
                .and_then(|p| p.id_number.as_deref())
        })
        .flatten();
    if let (Some(serial), Some(issuer)) = (s.subject_serial_number.as_deref(), issuer) {
        let digits: String = serial.chars().filter(char::is_ascii_digit).collect();
        if digits.trim_start_matches('0') != issuer.trim_start_matches('0') {
            found.push(problem(
                ProblemSeverity::Warning,
                ProblemSource::Signature,
                path,
                format!("El certificado es de {serial}, pero el emisor es {issuer}"),
                format!("The certificate belongs to {serial}, but the issuer is {issuer}"),
            ));
        }
    }
    found
}
