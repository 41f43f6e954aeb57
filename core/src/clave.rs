//! The clave (50-digit document key) and the consecutivo (20-digit document number), and the
//! code tables they use.
//!
//! ```text
//! 506 27 09 18 000111870763 00200001010000000007 1 00011154
//! │   │  │  │  │            │                    │ └ security code (8)
//! │   │  │  │  │            │                    └ situation: 1 normal, 2 contingency, 3 no internet
//! │   │  │  │  │            └ consecutivo: branch (3) terminal (5) document type (2) number (10)
//! │   │  │  │  └ issuer identification, zero-padded to 12
//! │   └──┴──┴ day, month, two-digit year of issue
//! └ country code
//! ```

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, excerpt};

/// Costa Rica's country calling code, the first three digits of every clave.
pub const COUNTRY_CODE: &str = "506";

/// Type of comprobante (electronic tax document), the two digits inside the consecutivo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DocumentType {
    /// 01 Factura electrónica (invoice).
    FacturaElectronica,
    /// 02 Nota de débito electrónica (debit note).
    NotaDebitoElectronica,
    /// 03 Nota de crédito electrónica (credit note).
    NotaCreditoElectronica,
    /// 04 Tiquete electrónico (receipt for a final consumer; no receiver).
    TiqueteElectronico,
    /// 05 Confirmación de aceptación (receiver message: accepted).
    ConfirmacionAceptacion,
    /// 06 Confirmación de aceptación parcial (receiver message: partially accepted).
    ConfirmacionAceptacionParcial,
    /// 07 Confirmación de rechazo (receiver message: rejected).
    ConfirmacionRechazo,
    /// 08 Factura electrónica de compra (purchase invoice).
    FacturaElectronicaCompra,
    /// 09 Factura electrónica de exportación (export invoice).
    FacturaElectronicaExportacion,
    /// 10 Recibo electrónico de pago (payment receipt, v4.4).
    ReciboElectronicoPago,
}

impl DocumentType {
    /// Every document type, in code order.
    pub const ALL: [DocumentType; 10] = [
        DocumentType::FacturaElectronica,
        DocumentType::NotaDebitoElectronica,
        DocumentType::NotaCreditoElectronica,
        DocumentType::TiqueteElectronico,
        DocumentType::ConfirmacionAceptacion,
        DocumentType::ConfirmacionAceptacionParcial,
        DocumentType::ConfirmacionRechazo,
        DocumentType::FacturaElectronicaCompra,
        DocumentType::FacturaElectronicaExportacion,
        DocumentType::ReciboElectronicoPago,
    ];

    /// The two-digit code (`"01"` .. `"10"`).
    pub const fn code(self) -> &'static str {
        match self {
            DocumentType::FacturaElectronica => "01",
            DocumentType::NotaDebitoElectronica => "02",
            DocumentType::NotaCreditoElectronica => "03",
            DocumentType::TiqueteElectronico => "04",
            DocumentType::ConfirmacionAceptacion => "05",
            DocumentType::ConfirmacionAceptacionParcial => "06",
            DocumentType::ConfirmacionRechazo => "07",
            DocumentType::FacturaElectronicaCompra => "08",
            DocumentType::FacturaElectronicaExportacion => "09",
            DocumentType::ReciboElectronicoPago => "10",
        }
    }

    /// Looks a type up by its two-digit code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The snake_case name used in JSON and Python (`"factura_electronica"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentType::FacturaElectronica => "factura_electronica",
            DocumentType::NotaDebitoElectronica => "nota_debito_electronica",
            DocumentType::NotaCreditoElectronica => "nota_credito_electronica",
            DocumentType::TiqueteElectronico => "tiquete_electronico",
            DocumentType::ConfirmacionAceptacion => "confirmacion_aceptacion",
            DocumentType::ConfirmacionAceptacionParcial => "confirmacion_aceptacion_parcial",
            DocumentType::ConfirmacionRechazo => "confirmacion_rechazo",
            DocumentType::FacturaElectronicaCompra => "factura_electronica_compra",
            DocumentType::FacturaElectronicaExportacion => "factura_electronica_exportacion",
            DocumentType::ReciboElectronicoPago => "recibo_electronico_pago",
        }
    }

    /// Root element of the XML for this type (`MensajeReceptor` for 05–07).
    pub const fn root_element(self) -> &'static str {
        match self {
            DocumentType::FacturaElectronica => "FacturaElectronica",
            DocumentType::NotaDebitoElectronica => "NotaDebitoElectronica",
            DocumentType::NotaCreditoElectronica => "NotaCreditoElectronica",
            DocumentType::TiqueteElectronico => "TiqueteElectronico",
            DocumentType::ConfirmacionAceptacion
            | DocumentType::ConfirmacionAceptacionParcial
            | DocumentType::ConfirmacionRechazo => "MensajeReceptor",
            DocumentType::FacturaElectronicaCompra => "FacturaElectronicaCompra",
            DocumentType::FacturaElectronicaExportacion => "FacturaElectronicaExportacion",
            DocumentType::ReciboElectronicoPago => "ReciboElectronicoPago",
        }
    }

    /// The comprobante type whose root element is `root` (receiver messages map to 05).
    pub fn from_root_element(root: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.root_element() == root)
    }

    /// Usual short name (FE, ND, NC, TE, MR, FEC, FEE, REP).
    pub const fn short_name(self) -> &'static str {
        match self {
            DocumentType::FacturaElectronica => "FE",
            DocumentType::NotaDebitoElectronica => "ND",
            DocumentType::NotaCreditoElectronica => "NC",
            DocumentType::TiqueteElectronico => "TE",
            DocumentType::ConfirmacionAceptacion
            | DocumentType::ConfirmacionAceptacionParcial
            | DocumentType::ConfirmacionRechazo => "MR",
            DocumentType::FacturaElectronicaCompra => "FEC",
            DocumentType::FacturaElectronicaExportacion => "FEE",
            DocumentType::ReciboElectronicoPago => "REP",
        }
    }

    /// Spanish description as Hacienda writes it.
    pub const fn description(self) -> &'static str {
        match self {
            DocumentType::FacturaElectronica => "Factura electrónica",
            DocumentType::NotaDebitoElectronica => "Nota de débito electrónica",
            DocumentType::NotaCreditoElectronica => "Nota de crédito electrónica",
            DocumentType::TiqueteElectronico => "Tiquete electrónico",
            DocumentType::ConfirmacionAceptacion => "Confirmación de aceptación del comprobante",
            DocumentType::ConfirmacionAceptacionParcial => "Confirmación de aceptación parcial del comprobante",
            DocumentType::ConfirmacionRechazo => "Confirmación de rechazo del comprobante",
            DocumentType::FacturaElectronicaCompra => "Factura electrónica de compra",
            DocumentType::FacturaElectronicaExportacion => "Factura electrónica de exportación",
            DocumentType::ReciboElectronicoPago => "Recibo electrónico de pago",
        }
    }

    /// True for the receiver-message types (05, 06, 07).
    pub const fn is_receiver_message(self) -> bool {
        matches!(
            self,
            DocumentType::ConfirmacionAceptacion
                | DocumentType::ConfirmacionAceptacionParcial
                | DocumentType::ConfirmacionRechazo
        )
    }
}

impl fmt::Display for DocumentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Type of identification of a party (cédula física, jurídica, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IdType {
    /// 01 Cédula física (national id, 9 digits).
    CedulaFisica,
    /// 02 Cédula jurídica (company id, 10 digits).
    CedulaJuridica,
    /// 03 DIMEX (resident foreigner, 11 or 12 digits).
    Dimex,
    /// 04 NITE (tax id for people without cédula, 10 digits).
    Nite,
    /// 05 Extranjero no domiciliado (non-resident foreigner, v4.4).
    ExtranjeroNoDomiciliado,
    /// 06 No contribuyente (non-taxpayer, v4.4).
    NoContribuyente,
}

impl IdType {
    /// Every identification type, in code order.
    pub const ALL: [IdType; 6] = [
        IdType::CedulaFisica,
        IdType::CedulaJuridica,
        IdType::Dimex,
        IdType::Nite,
        IdType::ExtranjeroNoDomiciliado,
        IdType::NoContribuyente,
    ];

    /// The two-digit code.
    pub const fn code(self) -> &'static str {
        match self {
            IdType::CedulaFisica => "01",
            IdType::CedulaJuridica => "02",
            IdType::Dimex => "03",
            IdType::Nite => "04",
            IdType::ExtranjeroNoDomiciliado => "05",
            IdType::NoContribuyente => "06",
        }
    }

    /// Looks a type up by its two-digit code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code.trim())
    }

    /// Spanish description.
    pub const fn description(self) -> &'static str {
        match self {
            IdType::CedulaFisica => "Cédula física",
            IdType::CedulaJuridica => "Cédula jurídica",
            IdType::Dimex => "DIMEX",
            IdType::Nite => "NITE",
            IdType::ExtranjeroNoDomiciliado => "Extranjero no domiciliado",
            IdType::NoContribuyente => "No contribuyente",
        }
    }

    /// Best guess of the type from the digits alone (used where a document only carries the
    /// number, as MensajeReceptor does): 9 digits física, 10 digits starting with 3 jurídica,
    /// other 10 digits NITE, 11–12 digits DIMEX.
    pub fn guess_from_number(number: &str) -> Option<Self> {
        let digits = normalize_id_number(number);
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match digits.len() {
            9 => Some(IdType::CedulaFisica),
            10 if digits.starts_with('3') => Some(IdType::CedulaJuridica),
            10 => Some(IdType::Nite),
            11 | 12 => Some(IdType::Dimex),
            _ => None,
        }
    }
}

/// Removes the spaces and dashes people and Hacienda put inside cédula numbers.
pub fn normalize_id_number(number: &str) -> String {
    number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

/// Situation of the document when it was issued (digit 42 of the clave).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Situation {
    /// 1 Normal.
    Normal,
    /// 2 Contingencia (issued on paper during an outage, sent later).
    Contingencia,
    /// 3 Sin internet (issued without connectivity, sent later).
    SinInternet,
}

impl Situation {
    /// The one-digit code.
    pub const fn code(self) -> char {
        match self {
            Situation::Normal => '1',
            Situation::Contingencia => '2',
            Situation::SinInternet => '3',
        }
    }

    /// snake_case name (`"normal"`, `"contingencia"`, `"sin_internet"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Situation::Normal => "normal",
            Situation::Contingencia => "contingencia",
            Situation::SinInternet => "sin_internet",
        }
    }

    /// Looks a situation up by its snake_case name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Situation::Normal, Situation::Contingencia, Situation::SinInternet]
            .into_iter()
            .find(|s| s.as_str() == name.trim())
    }

    /// Looks a situation up by its digit.
    pub fn from_code(code: char) -> Option<Self> {
        match code {
            '1' => Some(Situation::Normal),
            '2' => Some(Situation::Contingencia),
            '3' => Some(Situation::SinInternet),
            _ => None,
        }
    }

    /// Spanish description.
    pub const fn description(self) -> &'static str {
        match self {
            Situation::Normal => "Normal",
            Situation::Contingencia => "Contingencia",
            Situation::SinInternet => "Sin internet",
        }
    }
}

/// The 20-digit document number: branch, terminal, type and sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Consecutivo {
    /// Branch (sucursal), 1–999.
    pub branch: u16,
    /// Terminal or point of sale (punto de venta), 1–99999.
    pub terminal: u32,
    /// Document type.
    pub document_type: DocumentType,
    /// Sequence number, 1–9 999 999 999.
    pub number: u64,
}

impl Consecutivo {
    /// Parses 20 digits (surrounding whitespace ignored).
    ///
    /// ```
    /// use hacienda_core::clave::{Consecutivo, DocumentType};
    /// let c = Consecutivo::parse("00100001010000000142").unwrap();
    /// assert_eq!((c.branch, c.terminal, c.number), (1, 1, 142));
    /// assert_eq!(c.document_type, DocumentType::FacturaElectronica);
    /// assert_eq!(c.to_string(), "00100001010000000142");
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        let digits = text.trim();
        let bad = |reason: String| Error::InvalidKey {
            what: "consecutivo",
            reason,
        };
        if digits.len() != 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!(
                "expected 20 digits, got {:?} ({} characters)",
                excerpt(digits),
                digits.chars().count()
            )));
        }
        let type_code = &digits[8..10];
        let document_type =
            DocumentType::from_code(type_code).ok_or_else(|| bad(format!("unknown document type {type_code}")))?;
        Ok(Consecutivo {
            branch: digits[0..3].parse().unwrap_or(0),
            terminal: digits[3..8].parse().unwrap_or(0),
            document_type,
            number: digits[10..20].parse().unwrap_or(0),
        })
    }
}

impl fmt::Display for Consecutivo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:03}{:05}{}{:010}",
            self.branch,
            self.terminal,
            self.document_type.code(),
            self.number
        )
    }
}

/// A parsed, validated clave.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Clave {
    /// The 50 digits.
    pub digits: String,
    /// Country code (always `506` for a valid clave).
    pub country: String,
    /// Date of issue encoded in the clave (day, month, two-digit year → 20YY).
    pub date: NaiveDate,
    /// Issuer identification without the zero padding.
    pub issuer_id: String,
    /// The embedded consecutivo.
    pub consecutivo: Consecutivo,
    /// Situation of issue.
    pub situation: Situation,
    /// Eight-digit security code chosen by the issuer.
    pub security_code: String,
}

impl Clave {
    /// Parses and validates a clave (surrounding whitespace ignored).
    ///
    /// ```
    /// use hacienda_core::clave::{Clave, DocumentType, Situation};
    /// let c = Clave::parse("50628042100040216065300100001010000000142132671809").unwrap();
    /// assert_eq!(c.issuer_id, "402160653");
    /// assert_eq!(c.date.to_string(), "2021-04-28");
    /// assert_eq!(c.consecutivo.document_type, DocumentType::FacturaElectronica);
    /// assert_eq!(c.consecutivo.number, 142);
    /// assert_eq!(c.situation, Situation::Normal);
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        let digits = text.trim();
        let bad = |reason: String| Error::InvalidKey { what: "clave", reason };
        if digits.len() != 50 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!(
                "expected 50 digits, got {:?} ({} characters)",
                excerpt(digits),
                digits.chars().count()
            )));
        }
        if &digits[0..3] != COUNTRY_CODE {
            return Err(bad(format!(
                "country code is {}, expected {COUNTRY_CODE}",
                &digits[0..3]
            )));
        }
        let day: u32 = digits[3..5].parse().unwrap_or(0);
        let month: u32 = digits[5..7].parse().unwrap_or(0);
        let year: i32 = 2000 + digits[7..9].parse::<i32>().unwrap_or(0);
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
            bad(format!(
                "date digits {} do not form a valid date (day {day:02}, month {month:02})",
                &digits[3..9]
            ))
        })?;
        let consecutivo = Consecutivo::parse(&digits[21..41]).map_err(|e| match e {
            Error::InvalidKey { reason, .. } => bad(format!("consecutivo part: {reason}")),
            other => other,
        })?;
        let situation_digit = digits.as_bytes()[41] as char;
        let situation = Situation::from_code(situation_digit)
            .ok_or_else(|| bad(format!("situation digit {situation_digit} is not 1, 2 or 3")))?;
        let issuer_id = digits[9..21].trim_start_matches('0').to_string();
        if issuer_id.is_empty() {
            return Err(bad("issuer identification is all zeros".into()));
        }
        Ok(Clave {
            digits: digits.to_string(),
            country: digits[0..3].to_string(),
            date,
            issuer_id,
            consecutivo,
            situation,
            security_code: digits[42..50].to_string(),
        })
    }

    /// Builds a clave from its parts.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use hacienda_core::clave::{Clave, Consecutivo, Situation};
    /// let consecutivo = Consecutivo::parse("00100001010000000142").unwrap();
    /// let date = NaiveDate::from_ymd_opt(2021, 4, 28).unwrap();
    /// let c = Clave::build(date, "402160653", consecutivo, Situation::Normal, "32671809").unwrap();
    /// assert_eq!(c.digits, "50628042100040216065300100001010000000142132671809");
    /// ```
    pub fn build(
        date: NaiveDate,
        issuer_id: &str,
        consecutivo: Consecutivo,
        situation: Situation,
        security_code: &str,
    ) -> Result<Self> {
        let id = normalize_id_number(issuer_id);
        let bad = |reason: String| Error::InvalidKey { what: "clave", reason };
        if id.is_empty() || id.len() > 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!(
                "issuer id {:?} must be 1 to 12 digits",
                excerpt(issuer_id)
            )));
        }
        if security_code.len() != 8 || !security_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("security code must be 8 digits".into()));
        }
        let year = chrono::Datelike::year(&date);
        if !(2000..=2099).contains(&year) {
            return Err(bad(format!("year {year} does not fit two digits")));
        }
        let digits = format!(
            "{COUNTRY_CODE}{}{id:0>12}{consecutivo}{}{security_code}",
            date.format("%d%m%y"),
            situation.code()
        );
        Self::parse(&digits)
    }
}

impl fmt::Display for Clave {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

/// The key used to query a document: a clave, or `{clave}-{consecutivo}` for a receiver message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusKey {
    /// The document's clave.
    pub clave: Clave,
    /// The receiver message's own consecutivo, for `{clave}-{consecutivo}` keys.
    pub receiver_consecutivo: Option<Consecutivo>,
}

impl StatusKey {
    /// Parses `clave` or `clave-consecutivo`.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        match text.split_once('-') {
            Some((clave, consecutivo)) => Ok(StatusKey {
                clave: Clave::parse(clave)?,
                receiver_consecutivo: Some(Consecutivo::parse(consecutivo)?),
            }),
            None => Ok(StatusKey {
                clave: Clave::parse(text)?,
                receiver_consecutivo: None,
            }),
        }
    }

    /// The path segment for `GET /recepcion/{key}`.
    pub fn path_segment(&self) -> String {
        match &self.receiver_consecutivo {
            Some(c) => format!("{}-{}", self.clave, c),
            None => self.clave.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_claves() {
        let c = Clave::parse("50627091800011187076300200001010000000007100011154").unwrap();
        assert_eq!(c.issuer_id, "111870763");
        assert_eq!(c.consecutivo.branch, 2);
        assert_eq!(c.consecutivo.terminal, 1);
        assert_eq!(c.consecutivo.number, 7);
        assert_eq!(c.security_code, "00011154");
        let j = Clave::parse("50628061800344443333501300017030000000001101003255").unwrap();
        assert_eq!(j.issuer_id, "3444433335");
        assert_eq!(j.consecutivo.document_type, DocumentType::NotaCreditoElectronica);
    }

    #[test]
    fn refuses_bad_claves_with_reasons() {
        let cases = [
            ("123", "50 digits"),
            ("40628042100040216065300100001010000000142132671809", "country"),
            ("50632042100040216065300100001010000000142132671809", "date"),
            ("50628042100040216065300100001990000000142132671809", "document type"),
            ("50628042100040216065300100001010000000142932671809", "situation"),
            ("50628042100000000000000100001010000000142132671809", "zeros"),
            ("5062804210004021606530010000101000000014213267180a", "50 digits"),
        ];
        for (input, needle) in cases {
            let err = Clave::parse(input).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidKey, "{input}");
            assert!(err.to_string().contains(needle), "{input}: {err}");
        }
    }

    #[test]
    fn status_key_for_receiver_messages() {
        let key = StatusKey::parse("50626061800011452056800100002010000000012120461826-00100001050000000010").unwrap();
        let c = key.receiver_consecutivo.unwrap();
        assert_eq!(c.document_type, DocumentType::ConfirmacionAceptacion);
        assert!(key.path_segment().ends_with("-00100001050000000010"));
    }

    #[test]
    fn id_type_guess() {
        assert_eq!(IdType::guess_from_number("402160653"), Some(IdType::CedulaFisica));
        assert_eq!(IdType::guess_from_number(" 3102111111 "), Some(IdType::CedulaJuridica));
        assert_eq!(IdType::guess_from_number("155812345678"), Some(IdType::Dimex));
        assert_eq!(IdType::guess_from_number("12"), None);
    }

    #[test]
    fn code_tables_roundtrip() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::from_code(t.code()), Some(t));
        }
        for t in IdType::ALL {
            assert_eq!(IdType::from_code(t.code()), Some(t));
        }
        assert_eq!(
            DocumentType::from_root_element("MensajeReceptor"),
            Some(DocumentType::ConfirmacionAceptacion)
        );
    }
}
