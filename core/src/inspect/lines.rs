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

/// One pass over the line's children (a 2000-line invoice has 30 000 of them).
fn line(el: &Element) -> Line {
    let mut l = Line {
        number: None,
        cabys: None,
        quantity: None,
        unit: None,
        description: None,
        unit_price: None,
        total_amount: None,
        discount: None,
        subtotal: None,
        tax_base: None,
        taxes: Vec::new(),
        tax_net: None,
        line_total: None,
    };
    let mut code = None;
    let mut discounts: Option<Decimal> = None;
    let amount = |c: &Element| c.value().and_then(super::parse_amount);
    let owned = |c: &Element| c.value().map(str::to_string);
    for c in &el.children {
        match &*c.name {
            "NumeroLinea" => l.number = c.value().and_then(|n| n.parse().ok()),
            "CodigoCABYS" => l.cabys = owned(c),
            "Codigo" => code = owned(c),
            "Cantidad" => l.quantity = amount(c),
            "UnidadMedida" => l.unit = owned(c),
            "Detalle" => l.description = owned(c),
            "PrecioUnitario" => l.unit_price = amount(c),
            "MontoTotal" => l.total_amount = amount(c),
            "SubTotal" => l.subtotal = amount(c),
            "BaseImponible" => l.tax_base = amount(c),
            "ImpuestoNeto" => l.tax_net = amount(c),
            "MontoTotalLinea" => l.line_total = amount(c),
            // v4.3+: Descuento/MontoDescuento (up to 5); v4.2: MontoDescuento directly.
            "Descuento" => {
                if let Some(d) = number(c, &["MontoDescuento"]) {
                    discounts = Some(discounts.unwrap_or_default() + d);
                }
            }
            "MontoDescuento" => {
                if let Some(d) = amount(c) {
                    discounts = Some(discounts.unwrap_or_default() + d);
                }
            }
            "Impuesto" => l.taxes.push(tax(c, None)),
            _ => {}
        }
    }
    if l.cabys.is_none() {
        l.cabys = code;
    }
    l.discount = discounts;
    for t in &mut l.taxes {
        if let Some(x) = &mut t.exoneration {
            x.line = l.number;
        }
    }
    l
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
