//! `DetalleServicio/LineaDetalle`: every line with its taxes and exonerations, and the taxes
//! added up by code and rate.

use rust_decimal::Decimal;

use crate::xml::Element;

use super::model::{Exoneration, Line, LineTax, TaxTotal};
use super::{number, text};

/// Reads every line (v4.2 to v4.4 element names).
pub(super) fn lines(root: &Element) -> Vec<Line> {
    root.child("DetalleServicio")
        .map(|d| d.children_named("LineaDetalle").map(line).collect())
        .unwrap_or_default()
}

fn line(el: &Element) -> Line {
    let number_text = text(el, &["NumeroLinea"]);
    let line_number = number_text.as_deref().and_then(|n| n.parse().ok());
    let discounts: Vec<Decimal> = el
        .children_named("Descuento")
        .filter_map(|d| number(d, &["MontoDescuento"]))
        .chain(number(el, &["MontoDescuento"]))
        .collect();
    Line {
        number: line_number,
        cabys: text(el, &["CodigoCABYS"]).or_else(|| text(el, &["Codigo"])),
        quantity: number(el, &["Cantidad"]),
        unit: text(el, &["UnidadMedida"]),
        description: text(el, &["Detalle"]),
        unit_price: number(el, &["PrecioUnitario"]),
        total_amount: number(el, &["MontoTotal"]),
        discount: (!discounts.is_empty()).then(|| discounts.iter().sum()),
        subtotal: number(el, &["SubTotal"]),
        tax_base: number(el, &["BaseImponible"]),
        taxes: el.children_named("Impuesto").map(|t| tax(t, line_number)).collect(),
        tax_net: number(el, &["ImpuestoNeto"]),
        line_total: number(el, &["MontoTotalLinea"]),
    }
}

fn tax(el: &Element, line: Option<u32>) -> LineTax {
    LineTax {
        code: text(el, &["Codigo"]),
        rate_code: text(el, &["CodigoTarifaIVA"]).or_else(|| text(el, &["CodigoTarifa"])),
        rate: number(el, &["Tarifa"]),
        amount: number(el, &["Monto"]),
        exoneration: el.child("Exoneracion").map(|x| exoneration(x, line)),
    }
}

fn exoneration(el: &Element, line: Option<u32>) -> Exoneration {
    Exoneration {
        line,
        document_type: text(el, &["TipoDocumentoEX1"]).or_else(|| text(el, &["TipoDocumento"])),
        document_number: text(el, &["NumeroDocumento"]),
        institution: text(el, &["NombreInstitucion"]),
        date: text(el, &["FechaEmisionEX"]).or_else(|| text(el, &["FechaEmision"])),
        percent: number(el, &["TarifaExonerada"]).or_else(|| number(el, &["PorcentajeExoneracion"])),
        amount: number(el, &["MontoExoneracion"]),
    }
}

/// Every exoneration of every line, in order.
pub(super) fn exonerations(lines: &[Line]) -> Vec<Exoneration> {
    lines
        .iter()
        .flat_map(|l| l.taxes.iter().filter_map(|t| t.exoneration.clone()))
        .collect()
}

/// Taxes added up by (code, rate code, rate), with the v4.4 `TotalDesgloseImpuesto` next to
/// each sum.
pub(super) fn tax_totals(lines: &[Line], root: &Element) -> Vec<TaxTotal> {
    let mut totals: Vec<TaxTotal> = Vec::new();
    for l in lines {
        let base = l.tax_base.or(l.subtotal).unwrap_or_default();
        for t in &l.taxes {
            let idx = match totals
                .iter()
                .position(|x| x.code == t.code && x.rate_code == t.rate_code && x.rate == t.rate)
            {
                Some(i) => i,
                None => {
                    totals.push(TaxTotal {
                        code: t.code.clone(),
                        rate_code: t.rate_code.clone(),
                        rate: t.rate,
                        lines: 0,
                        base: Decimal::ZERO,
                        amount: Decimal::ZERO,
                        exonerated: Decimal::ZERO,
                        declared: None,
                    });
                    totals.len() - 1
                }
            };
            let x = &mut totals[idx];
            x.lines += 1;
            x.base += base;
            x.amount += t.amount.unwrap_or_default();
            x.exonerated += t.exoneration.as_ref().and_then(|e| e.amount).unwrap_or_default();
        }
    }
    if let Some(resumen) = root.child("ResumenFactura") {
        for d in resumen.children_named("TotalDesgloseImpuesto") {
            let code = text(d, &["Codigo"]);
            let rate_code = text(d, &["CodigoTarifaIVA"]);
            let declared = number(d, &["TotalMontoImpuesto"]);
            match totals.iter_mut().find(|x| x.code == code && x.rate_code == rate_code) {
                Some(x) => x.declared = Some(x.declared.unwrap_or_default() + declared.unwrap_or_default()),
                None => totals.push(TaxTotal {
                    code,
                    rate_code,
                    rate: None,
                    lines: 0,
                    base: Decimal::ZERO,
                    amount: Decimal::ZERO,
                    exonerated: Decimal::ZERO,
                    declared,
                }),
            }
        }
    }
    totals
}
