//! The facts every comprobante (FE, ND, NC, TE, FEC, FEE, REP; v4.2 to v4.4) carries in the
//! same place: clave, consecutivo, date of issue, parties, currency and totals.
//!
//! This is what submission and the `inspect` command need; the browser viewer reads much more.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::clave::{DocumentType, normalize_id_number};
use crate::error::{Error, Result, excerpt};
use crate::fields::{decimal, optional, required};
use crate::schema::SchemaVersion;
use crate::xml::{Element, XmlDocument};

/// A party of a comprobante.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DocumentParty {
    /// `Nombre`.
    pub name: Option<String>,
    /// `Identificacion/Tipo` code.
    pub id_type: Option<String>,
    /// `Identificacion/Numero`, without spaces.
    pub id_number: Option<String>,
    /// `IdentificacionExtranjero` (foreign receivers).
    pub foreign_id: Option<String>,
    /// `NombreComercial`.
    pub commercial_name: Option<String>,
    /// `CorreoElectronico` (first one).
    pub email: Option<String>,
}

/// The common facts of a comprobante.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentSummary {
    /// Root element (`FacturaElectronica`, ...).
    pub root: String,
    /// Document type read from the root element.
    pub document_type: DocumentType,
    /// Schema version read from the namespace.
    pub schema_version: Option<SchemaVersion>,
    /// Namespace of the root element.
    pub namespace: Option<String>,
    /// `Clave`.
    pub clave: String,
    /// `NumeroConsecutivo`.
    pub consecutivo: Option<String>,
    /// `FechaEmision` as written.
    pub fecha_emision: Option<String>,
    /// `Emisor`.
    pub emisor: DocumentParty,
    /// `Receptor`, absent on most tiquetes.
    pub receptor: Option<DocumentParty>,
    /// Currency code (`CodigoMoneda`), colones when absent.
    pub currency: Option<String>,
    /// Exchange rate (`TipoCambio`).
    pub exchange_rate: Option<Decimal>,
    /// `ResumenFactura/TotalVentaNeta`.
    pub total_net_sale: Option<Decimal>,
    /// `ResumenFactura/TotalImpuesto`.
    pub total_tax: Option<Decimal>,
    /// `ResumenFactura/TotalComprobante`.
    pub total: Option<Decimal>,
    /// Number of `LineaDetalle` elements.
    pub line_count: usize,
    /// True when a `ds:Signature` is present.
    pub signed: bool,
}

/// Reads the summary of a comprobante from its XML tree.
///
/// MensajeReceptor is not a comprobante: read it with [`crate::message::message_from_xml`].
pub fn summarize(doc: &XmlDocument) -> Result<DocumentSummary> {
    let root = &doc.root;
    let document_type = DocumentType::from_root_element(&root.name)
        .filter(|t| !t.is_receiver_message())
        .ok_or_else(|| Error::UnexpectedRoot {
            found: excerpt(&root.name),
            expected: "a comprobante (FacturaElectronica, NotaCreditoElectronica, TiqueteElectronico, ...)",
        })?;
    let namespace = doc.namespace.clone();
    let resumen = root.child("ResumenFactura");
    let (currency, exchange_rate) = currency_of(root, resumen)?;
    Ok(DocumentSummary {
        root: root.name.to_string(),
        document_type,
        schema_version: namespace.as_deref().and_then(SchemaVersion::from_namespace),
        namespace,
        clave: required(root, &["Clave"], "Clave")?.to_string(),
        consecutivo: optional(root, &["NumeroConsecutivo"]),
        fecha_emision: optional(root, &["FechaEmision"]),
        emisor: root.child("Emisor").map(party).unwrap_or_default(),
        receptor: root.child("Receptor").map(party),
        currency,
        exchange_rate,
        total_net_sale: resumen.map_or(Ok(None), |r| decimal(r, &["TotalVentaNeta"], "TotalVentaNeta"))?,
        total_tax: resumen.map_or(Ok(None), |r| decimal(r, &["TotalImpuesto"], "TotalImpuesto"))?,
        total: resumen.map_or(Ok(None), |r| decimal(r, &["TotalComprobante"], "TotalComprobante"))?,
        line_count: root
            .child("DetalleServicio")
            .map_or(0, |d| d.children_named("LineaDetalle").count()),
        signed: root.child("Signature").is_some(),
    })
}

/// v4.3+ nest currency in `ResumenFactura/CodigoTipoMoneda`; v4.2 has it directly in the summary.
fn currency_of(root: &Element, resumen: Option<&Element>) -> Result<(Option<String>, Option<Decimal>)> {
    let holder = resumen
        .and_then(|r| r.child("CodigoTipoMoneda"))
        .or(resumen)
        .unwrap_or(root);
    Ok((
        optional(holder, &["CodigoMoneda"]),
        decimal(holder, &["TipoCambio"], "TipoCambio")?,
    ))
}

fn party(el: &Element) -> DocumentParty {
    DocumentParty {
        name: optional(el, &["Nombre"]),
        id_type: optional(el, &["Identificacion", "Tipo"]),
        id_number: el
            .text_at(&["Identificacion", "Numero"])
            .map(normalize_id_number)
            .filter(|n| !n.is_empty()),
        foreign_id: optional(el, &["IdentificacionExtranjero"]),
        commercial_name: optional(el, &["NombreComercial"]),
        email: optional(el, &["CorreoElectronico"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    #[test]
    fn v43_invoice_summary() {
        let xml = r#"<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.3/facturaElectronica">
          <Clave>50628042100040216065300100001010000000142132671809</Clave>
          <NumeroConsecutivo>00100001010000000142</NumeroConsecutivo>
          <FechaEmision>2021-04-28T20:03:12-06:00</FechaEmision>
          <Emisor><Nombre>J</Nombre><Identificacion><Tipo>01</Tipo><Numero>402160653</Numero></Identificacion></Emisor>
          <DetalleServicio><LineaDetalle/><LineaDetalle/></DetalleServicio>
          <ResumenFactura><CodigoTipoMoneda><CodigoMoneda>USD</CodigoMoneda><TipoCambio>600.5</TipoCambio></CodigoTipoMoneda>
          <TotalVentaNeta>3500</TotalVentaNeta><TotalImpuesto>455</TotalImpuesto><TotalComprobante>3955</TotalComprobante></ResumenFactura>
        </FacturaElectronica>"#;
        let s = summarize(&parse(xml).unwrap()).unwrap();
        assert_eq!(s.document_type, DocumentType::FacturaElectronica);
        assert_eq!(s.schema_version, Some(SchemaVersion::V43));
        assert_eq!(s.emisor.id_number.as_deref(), Some("402160653"));
        assert_eq!(s.receptor, None);
        assert_eq!(s.currency.as_deref(), Some("USD"));
        assert_eq!(s.total.unwrap().to_string(), "3955");
        assert_eq!(s.line_count, 2);
        assert!(!s.signed);
    }

    #[test]
    fn refuses_messages_and_unknown_roots() {
        for xml in ["<MensajeReceptor/>", "<Factura/>"] {
            assert!(matches!(
                summarize(&parse(xml).unwrap()),
                Err(Error::UnexpectedRoot { .. })
            ));
        }
    }
}
