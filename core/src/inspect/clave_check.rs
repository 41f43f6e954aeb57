//! The clave explained part by part and compared with the document that carries it.

use crate::clave::{Clave, DocumentType};
use crate::fields::{COSTA_RICA_OFFSET, parse_timestamp};

use super::model::{ClaveCheck, ClaveInfo};

/// What the document says, to compare with its clave.
#[derive(Default)]
pub(super) struct Stated<'a> {
    /// `FechaEmision` as written.
    pub issued_at: Option<&'a str>,
    /// Issuer identification number.
    pub issuer_id: Option<&'a str>,
    /// Type of the root element (comprobantes only).
    pub document_type: Option<DocumentType>,
    /// `NumeroConsecutivo`.
    pub consecutivo: Option<&'a str>,
}

/// Explains `digits` and compares it with `stated`.
pub(super) fn explain(digits: &str, stated: &Stated<'_>) -> ClaveInfo {
    let clave = match Clave::parse(digits) {
        Ok(c) => c,
        Err(e) => {
            return ClaveInfo {
                digits: digits.to_string(),
                valid: false,
                error: Some(e.to_string()),
                country: None,
                date: None,
                issuer_id: None,
                branch: None,
                terminal: None,
                document_type_code: None,
                document_type: None,
                number: None,
                consecutivo: None,
                situation: None,
                security_code: None,
                checks: Vec::new(),
            };
        }
    };
    let mut checks = Vec::new();
    let clave_date = clave.date.to_string();
    if let Some(issued) = stated.issued_at {
        // The date as written, or the same instant in Costa Rica time: both are seen in the wild.
        let written = issued.trim().get(..10).map(str::to_string);
        let local = parse_timestamp(issued).map(|t| t.with_timezone(&COSTA_RICA_OFFSET).date_naive().to_string());
        let ok = written.as_deref() == Some(&clave_date) || local.as_deref() == Some(&clave_date);
        checks.push(ClaveCheck {
            field: "date",
            in_clave: clave_date.clone(),
            in_document: Some(issued.trim().to_string()),
            ok,
        });
    }
    if let Some(id) = stated.issuer_id {
        let stated_id = id.trim_start_matches('0');
        checks.push(ClaveCheck {
            field: "issuer",
            in_clave: clave.issuer_id.clone(),
            in_document: Some(id.to_string()),
            ok: stated_id == clave.issuer_id,
        });
    }
    if let Some(t) = stated.document_type {
        checks.push(ClaveCheck {
            field: "document_type",
            in_clave: clave.consecutivo.document_type.code().to_string(),
            in_document: Some(t.code().to_string()),
            ok: t == clave.consecutivo.document_type,
        });
    }
    if let Some(c) = stated.consecutivo {
        let inside = clave.consecutivo.to_string();
        checks.push(ClaveCheck {
            field: "consecutivo",
            ok: c.trim() == inside,
            in_clave: inside,
            in_document: Some(c.trim().to_string()),
        });
    }
    let c = &clave.consecutivo;
    ClaveInfo {
        digits: clave.digits.clone(),
        valid: true,
        error: None,
        country: Some(clave.country.clone()),
        date: Some(clave_date),
        issuer_id: Some(clave.issuer_id.clone()),
        branch: Some(format!("{:03}", c.branch)),
        terminal: Some(format!("{:05}", c.terminal)),
        document_type_code: Some(c.document_type.code().to_string()),
        document_type: Some(c.document_type.as_str()),
        number: Some(c.number),
        consecutivo: Some(c.to_string()),
        situation: Some(clave.situation.as_str()),
        security_code: Some(clave.security_code.clone()),
        checks,
    }
}
