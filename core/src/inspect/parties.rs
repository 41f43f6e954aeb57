//! Issuer and receiver of a comprobante, and its activity codes.

use crate::clave::{IdType, normalize_id_number};
use crate::xml::Element;

use super::model::{ActivityCode, PartyInfo};
use super::text;

/// Reads `Emisor` and `Receptor` (either may be absent).
pub(super) fn parties(root: &Element) -> Vec<PartyInfo> {
    [("emisor", "Emisor"), ("receptor", "Receptor")]
        .into_iter()
        .filter_map(|(role, name)| root.child(name).map(|el| party(role, el)))
        .collect()
}

fn party(role: &'static str, el: &Element) -> PartyInfo {
    let id_type = text(el, &["Identificacion", "Tipo"]);
    let phone = el.child("Telefono").and_then(|t| {
        let number = t.text_at(&["NumTelefono"])?;
        Some(match t.text_at(&["CodigoPais"]) {
            Some(cc) => format!("+{cc} {number}"),
            None => number.to_string(),
        })
    });
    let location = el.child("Ubicacion").map(|u| {
        let codes: Vec<&str> = ["Provincia", "Canton", "Distrito", "Barrio"]
            .iter()
            .filter_map(|n| u.text_at(&[n]))
            .collect();
        let mut s = codes.join("-");
        if let Some(other) = u.text_at(&["OtrasSenas"]) {
            if !s.is_empty() {
                s.push_str(", ");
            }
            s.push_str(other);
        }
        s
    });
    PartyInfo {
        role,
        name: text(el, &["Nombre"]),
        id_type_name: id_type.as_deref().and_then(IdType::from_code).map(IdType::description),
        id_type,
        id_number: el
            .text_at(&["Identificacion", "Numero"])
            .map(normalize_id_number)
            .filter(|n| !n.is_empty()),
        foreign_id: text(el, &["IdentificacionExtranjero"]),
        commercial_name: text(el, &["NombreComercial"]),
        emails: el
            .children_named("CorreoElectronico")
            .filter_map(Element::value)
            .map(str::to_string)
            .collect(),
        phone,
        location: location.filter(|l| !l.is_empty()),
    }
}

/// Activity codes: `CodigoActividad` (v4.3), `CodigoActividadEmisor`/`Receptor` (v4.4).
pub(super) fn activity_codes(root: &Element) -> Vec<ActivityCode> {
    [
        ("emisor", "CodigoActividad"),
        ("emisor", "CodigoActividadEmisor"),
        ("receptor", "CodigoActividadReceptor"),
    ]
    .into_iter()
    .filter_map(|(role, name)| text(root, &[name]).map(|code| ActivityCode { role, code }))
    .collect()
}
