//! Arithmetic checks of lines and `ResumenFactura`: the mismatches Hacienda rejects with -45
//! (line tax), -51 (total sale), -54 (total tax) and -55 (document total).

use rust_decimal::Decimal;

use crate::xml::Element;

use super::model::{Amount, ArithmeticCheck, Line, TaxTotal};
use super::number;

/// Largest difference accepted between a stated amount and the formula: one cent. Amounts
/// carry up to five decimals and issuers round line by line, so an exact comparison would
/// flag correct documents.
pub const AMOUNT_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// `ResumenFactura` amounts (direct decimal children, and `TotalDesgloseImpuesto` skipped), in
/// document order.
pub(super) fn amounts(root: &Element) -> Vec<Amount> {
    let Some(resumen) = root.child("ResumenFactura") else {
        return Vec::new();
    };
    resumen
        .children
        .iter()
        .filter(|c| c.children.is_empty() && c.name.starts_with("Total"))
        .filter_map(|c| {
            let value = super::parse_amount(c.value()?)?;
            Some(Amount {
                name: c.name.to_string(),
                value,
            })
        })
        .collect()
}

struct Checker {
    out: Vec<ArithmeticCheck>,
    line_passed: u32,
}

impl Checker {
    /// `what` is (rule, Hacienda code, formula).
    fn check(
        &mut self,
        what: (&'static str, Option<i32>, &'static str),
        path: impl FnOnce() -> String,
        expected: Decimal,
        found: Decimal,
        line_level: bool,
    ) {
        let (rule, code, formula) = what;
        let ok = (expected - found).abs() <= AMOUNT_TOLERANCE;
        if ok && line_level {
            self.line_passed += 1;
            return;
        }
        self.out.push(ArithmeticCheck {
            rule,
            code,
            path: path(),
            formula,
            expected,
            found,
            ok,
        });
    }
}

/// Runs every check; returns the checks to show and the number of line checks that passed.
pub(super) fn checks(root: &Element, lines: &[Line], taxes: &[TaxTotal]) -> (Vec<ArithmeticCheck>, u32) {
    let mut c = Checker {
        out: Vec::new(),
        line_passed: 0,
    };
    let root_name = &*root.name;
    for (i, l) in lines.iter().enumerate() {
        let at = |leaf: &str| format!("/{root_name}/DetalleServicio/LineaDetalle[{}]/{leaf}", i + 1);
        if let (Some(q), Some(p), Some(t)) = (l.quantity, l.unit_price, l.total_amount) {
            c.check(
                ("line_amount", None, "Cantidad × PrecioUnitario"),
                || at("MontoTotal"),
                q * p,
                t,
                true,
            );
        }
        if let (Some(t), Some(s)) = (l.total_amount, l.subtotal) {
            let expected = t - l.discount.unwrap_or_default();
            c.check(
                ("line_subtotal", None, "MontoTotal − MontoDescuento"),
                || at("SubTotal"),
                expected,
                s,
                true,
            );
        }
        let base = l.tax_base.or(l.subtotal);
        for (j, t) in l.taxes.iter().enumerate() {
            let iva = matches!(t.code.as_deref(), Some("01" | "07"));
            if let (true, Some(b), Some(rate), Some(amount)) = (iva, base, t.rate, t.amount) {
                let expected = (b * rate / Decimal::ONE_HUNDRED).round_dp(5);
                c.check(
                    ("line_tax", Some(-45), "SubTotal (o BaseImponible) × Tarifa / 100"),
                    || at(&format!("Impuesto[{}]/Monto", j + 1)),
                    expected,
                    amount,
                    true,
                );
            }
        }
        if let Some(net) = l.tax_net {
            let gross: Decimal = l.taxes.iter().filter_map(|t| t.amount).sum();
            let exonerated: Decimal = l
                .taxes
                .iter()
                .filter_map(|t| t.exoneration.as_ref().and_then(|e| e.amount))
                .sum();
            c.check(
                ("line_tax_net", None, "Σ Impuesto/Monto − Σ MontoExoneracion"),
                || at("ImpuestoNeto"),
                gross - exonerated,
                net,
                true,
            );
        }
        if let (Some(s), Some(total)) = (l.subtotal, l.line_total) {
            let tax = l
                .tax_net
                .unwrap_or_else(|| l.taxes.iter().filter_map(|t| t.amount).sum());
            c.check(
                ("line_total", None, "SubTotal + ImpuestoNeto"),
                || at("MontoTotalLinea"),
                s + tax,
                total,
                true,
            );
        }
    }
    let Some(resumen) = root.child("ResumenFactura") else {
        return (c.out, c.line_passed);
    };
    let get = |name: &str| number(resumen, &[name]);
    let sum = |names: &[&str]| -> Option<Decimal> {
        let values: Vec<Decimal> = names.iter().filter_map(|n| get(n)).collect();
        (!values.is_empty()).then(|| values.iter().sum())
    };
    let at = |leaf: &str| format!("/{root_name}/ResumenFactura/{leaf}");
    let pairs: [(&'static str, &'static str, &[&str], &'static str); 4] = [
        (
            "total_gravado",
            "TotalGravado",
            &["TotalServGravados", "TotalMercanciasGravadas"],
            "TotalServGravados + TotalMercanciasGravadas",
        ),
        (
            "total_exento",
            "TotalExento",
            &["TotalServExentos", "TotalMercanciasExentas"],
            "TotalServExentos + TotalMercanciasExentas",
        ),
        (
            "total_exonerado",
            "TotalExonerado",
            &["TotalServExonerado", "TotalMercExonerada"],
            "TotalServExonerado + TotalMercExonerada",
        ),
        (
            "total_no_sujeto",
            "TotalNoSujeto",
            &["TotalServNoSujeto", "TotalMercNoSujeta"],
            "TotalServNoSujeto + TotalMercNoSujeta",
        ),
    ];
    for (rule, total, parts, formula) in pairs {
        if let (Some(found), Some(expected)) = (get(total), sum(parts)) {
            c.check((rule, None, formula), || at(total), expected, found, false);
        }
    }
    if let (Some(found), Some(expected)) = (
        get("TotalVenta"),
        sum(&["TotalGravado", "TotalExento", "TotalExonerado", "TotalNoSujeto"]),
    ) {
        c.check(
            (
                "total_venta",
                Some(-51),
                "TotalGravado + TotalExento + TotalExonerado + TotalNoSujeto",
            ),
            || at("TotalVenta"),
            expected,
            found,
            false,
        );
    }
    if let Some(found) = get("TotalVenta")
        && !lines.is_empty()
    {
        let expected: Decimal = lines.iter().filter_map(|l| l.total_amount).sum();
        c.check(
            ("total_venta_lines", Some(-51), "Σ LineaDetalle/MontoTotal"),
            || at("TotalVenta"),
            expected,
            found,
            false,
        );
    }
    if let Some(found) = get("TotalDescuentos")
        && !lines.is_empty()
    {
        let expected: Decimal = lines.iter().filter_map(|l| l.discount).sum();
        c.check(
            ("total_descuentos", None, "Σ LineaDetalle/MontoDescuento"),
            || at("TotalDescuentos"),
            expected,
            found,
            false,
        );
    }
    if let (Some(found), Some(venta)) = (get("TotalVentaNeta"), get("TotalVenta")) {
        let expected = venta - get("TotalDescuentos").unwrap_or_default();
        c.check(
            ("total_venta_neta", None, "TotalVenta − TotalDescuentos"),
            || at("TotalVentaNeta"),
            expected,
            found,
            false,
        );
    }
    if let Some(found) = get("TotalImpuesto")
        && !lines.is_empty()
    {
        let expected: Decimal = lines
            .iter()
            .map(|l| {
                l.tax_net
                    .unwrap_or_else(|| l.taxes.iter().filter_map(|t| t.amount).sum())
            })
            .sum();
        c.check(
            ("total_impuesto", Some(-54), "Σ LineaDetalle/ImpuestoNeto"),
            || at("TotalImpuesto"),
            expected,
            found,
            false,
        );
    }
    if let (Some(found), Some(neta)) = (get("TotalComprobante"), get("TotalVentaNeta")) {
        let expected = neta + get("TotalImpuesto").unwrap_or_default() + get("TotalOtrosCargos").unwrap_or_default()
            - get("TotalIVADevuelto").unwrap_or_default();
        c.check(
            (
                "total_comprobante",
                Some(-55),
                "TotalVentaNeta + TotalImpuesto + TotalOtrosCargos − TotalIVADevuelto",
            ),
            || at("TotalComprobante"),
            expected,
            found,
            false,
        );
    }
    for t in taxes {
        if let Some(declared) = t.declared {
            c.check(
                (
                    "tax_breakdown",
                    Some(-54),
                    "Σ Impuesto/Monto por Codigo y CodigoTarifaIVA",
                ),
                || at("TotalDesgloseImpuesto"),
                t.amount,
                declared,
                false,
            );
        }
    }
    (c.out, c.line_passed)
}
