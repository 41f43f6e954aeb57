//! `InformacionReferencia`: the documents a note or a replacement refers to.

use crate::xml::Element;

use super::model::Reference;
use super::text;

/// Every `InformacionReferencia` (v4.4 renamed `TipoDoc` to `TipoDocIR` and `FechaEmision` to
/// `FechaEmisionIR`).
pub(super) fn references(root: &Element) -> Vec<Reference> {
    root.children_named("InformacionReferencia")
        .map(|r| Reference {
            document_type: text(r, &["TipoDocIR"]).or_else(|| text(r, &["TipoDoc"])),
            number: text(r, &["Numero"]),
            date: text(r, &["FechaEmisionIR"]).or_else(|| text(r, &["FechaEmision"])),
            code: text(r, &["Codigo"]),
            reason: text(r, &["Razon"]),
        })
        .collect()
}
