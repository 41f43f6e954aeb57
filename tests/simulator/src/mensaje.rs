//! MensajeHacienda v4.4 answers with realistic DetalleMensaje lines.

/// The sandbox sentence Hacienda puts on every answer, accepted or not.
const SANDBOX: &str =
    "Este comprobante fue procesado en el ambiente de pruebas, por lo cual no tiene validez para fines tributarios";

/// Why a document is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Accepted without remarks.
    Accepted,
    /// Accepted with a -37 warning (address data).
    AcceptedWithWarning,
    /// Rejected: tax line and total do not add up (-45, -54).
    AmountMismatch,
    /// Rejected: the consecutivo was used by another document of the same issuer (-99).
    ConsecutiveReused,
}

impl Verdict {
    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::AcceptedWithWarning => "accepted_with_warning",
            Verdict::AmountMismatch => "amount_mismatch",
            Verdict::ConsecutiveReused => "consecutive_reused",
        }
    }

    /// True for the accepted verdicts.
    pub fn accepted(self) -> bool {
        matches!(self, Verdict::Accepted | Verdict::AcceptedWithWarning)
    }

    /// The coded lines.
    fn lines(self, clave: &str) -> Vec<(i32, String)> {
        let warning = (
            -37,
            "Estimado obligado tributario los datos suministrados en provincia, cantón y distrito del 'emisor' no concuerdan con la información registrada en la Dirección General de Tributación, favor proceder actualizar sus datos.".to_string(),
        );
        match self {
            Verdict::Accepted => Vec::new(),
            Verdict::AcceptedWithWarning => vec![warning],
            Verdict::AmountMismatch => vec![
                warning,
                (
                    -45,
                    "El monto del impuesto de la línea (1) no corresponde al valor de multiplicar el subtotal por la tarifa del impuesto. (130.00000)".into(),
                ),
                (
                    -54,
                    "El monto total de impuestos no coincide con la suma de los campos denominados 'Monto del Impuesto'".into(),
                ),
            ],
            Verdict::ConsecutiveReused => vec![(
                -99,
                format!(
                    "El consecutivo {} ya fue utilizado en otro comprobante del mismo emisor, favor validar.",
                    clave.get(21..41).unwrap_or("")
                ),
            )],
        }
    }
}

/// The parties and totals the answer repeats.
#[derive(Debug, Clone, Default)]
pub struct Parties {
    /// Issuer id type and number.
    pub emisor: (String, String),
    /// Receiver id type and number.
    pub receptor: Option<(String, String)>,
    /// `TotalImpuesto` of the document, when found.
    pub total_tax: Option<String>,
    /// `TotalComprobante` of the document, when found.
    pub total: Option<String>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The text of an element in a document (first match, by local name), for totals.
pub fn element_text(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find('<')? + start;
    let v = xml[start..end].trim();
    (!v.is_empty() && v.len() < 40).then(|| v.to_string())
}

/// The MensajeHacienda v4.4 XML of a verdict.
pub fn mensaje_hacienda(clave: &str, parties: &Parties, verdict: Verdict) -> String {
    let lines = verdict.lines(clave);
    let mut detail = String::from(SANDBOX);
    if !lines.is_empty() {
        detail.push_str(if verdict.accepted() {
            "&#13;\n&#13;\nEl comprobante electrónico tiene las siguientes observaciones: &#13;\n&#13;\n[&#13;\ncodigo, mensaje, fila, columna&#13;\n"
        } else {
            "&#13;\n&#13;\nEl comprobante electrónico tiene los siguientes errores: &#13;\n&#13;\n[&#13;\ncodigo, mensaje, fila, columna&#13;\n"
        });
        for (code, message) in &lines {
            detail.push_str(&format!("{code}, \"{}\", 0, 0&#13;\n", escape(message)));
        }
        detail.push_str("&#13;\n]");
    }
    let (mensaje, estado) = if verdict.accepted() {
        (1, "Aceptado")
    } else {
        (3, "Rechazado")
    };
    let receptor = parties.receptor.as_ref().map_or(String::new(), |(t, n)| {
        format!(
            "\n    <NombreReceptor>Receptor de prueba</NombreReceptor>\n    <TipoIdentificacionReceptor>{}</TipoIdentificacionReceptor>\n    <NumeroCedulaReceptor>{}</NumeroCedulaReceptor>",
            escape(t),
            escape(n)
        )
    });
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<MensajeHacienda xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda">
    <Clave>{clave}</Clave>
    <NombreEmisor>Emisor de prueba</NombreEmisor>
    <TipoIdentificacionEmisor>{}</TipoIdentificacionEmisor>
    <NumeroCedulaEmisor>{}</NumeroCedulaEmisor>{receptor}
    <Mensaje>{mensaje}</Mensaje>
    <EstadoMensaje>{estado}</EstadoMensaje>
    <DetalleMensaje>{detail}</DetalleMensaje>
    <MontoTotalImpuesto>{}</MontoTotalImpuesto>
    <TotalFactura>{}</TotalFactura>
</MensajeHacienda>
"#,
        escape(&parties.emisor.0),
        escape(&parties.emisor.1),
        parties
            .total_tax
            .as_deref()
            .map_or_else(|| "0.00000".to_string(), escape),
        parties.total.as_deref().map_or_else(|| "0.00000".to_string(), escape),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse_with_the_core_and_carry_their_codes() {
        let clave = "50601042400020692014200100001010000000001100000001";
        let parties = Parties {
            emisor: ("01".into(), "206920142".into()),
            receptor: Some(("02".into(), "3101123456".into())),
            total_tax: element_text("<TotalImpuesto>130.00000</TotalImpuesto>", "TotalImpuesto"),
            total: None,
        };
        for (verdict, codes) in [
            (Verdict::Accepted, vec![]),
            (Verdict::AcceptedWithWarning, vec![-37]),
            (Verdict::AmountMismatch, vec![-37, -45, -54]),
            (Verdict::ConsecutiveReused, vec![-99]),
        ] {
            let xml = mensaje_hacienda(clave, &parties, verdict);
            let m = hacienda_core::parse_message(xml.as_bytes()).expect("parses");
            assert_eq!(m.clave, clave);
            assert_eq!(m.is_rejected(), !verdict.accepted(), "{verdict:?}");
            assert_eq!(m.detail.lines.iter().map(|l| l.code).collect::<Vec<_>>(), codes);
            assert_eq!(m.schema_version.map(|v| v.to_string()).as_deref(), Some("4.4"));
        }
    }
}
