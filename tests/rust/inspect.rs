//! `inspect` (the browser viewer's engine) over the repo's inputs (`inspect_cases.json`, the
//! same vectors the node tests read), real samples, hostile input, and the schema rule table
//! regenerated from the official XSDs.

mod common;

use std::path::PathBuf;
use std::process::Command;

use hacienda_core::inspect::{InputKind, ProblemSeverity, ProblemSource, inspect};
use serde_json::Value;

fn input(name: &str) -> Vec<u8> {
    std::fs::read(common::own_fixtures().join("inputs").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn shared_vectors() {
    let text = std::fs::read_to_string(common::own_fixtures().join("inspect_cases.json")).unwrap();
    let cases: Value = serde_json::from_str(&text).unwrap();
    for case in cases["cases"].as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let r = serde_json::to_value(inspect(&input(file)).unwrap_or_else(|e| panic!("{file}: {e}"))).unwrap();
        for key in [
            "kind",
            "rootElement",
            "schemaVersion",
            "documentType",
            "schemaChecked",
            "container",
        ] {
            if let Some(v) = case.get(key) {
                assert_eq!(&r[key], v, "{file}: {key}");
            }
        }
        if let Some(v) = case.get("clave") {
            assert_eq!(&r["clave"]["digits"], v, "{file}: clave");
        }
        if let Some(v) = case.get("badge") {
            assert_eq!(&r["verdict"]["badge"], v, "{file}: badge");
        }
        if let Some(v) = case.get("state") {
            assert_eq!(&r["status"]["state"], v, "{file}: state");
        }
        if let Some(v) = case.get("answerCodes") {
            let codes: Vec<Value> = r["answer"]["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["code"].clone())
                .collect();
            assert_eq!(&Value::Array(codes), v, "{file}: codes");
        }
    }
}

#[test]
fn broken_amounts_point_at_their_element() {
    let xml = String::from_utf8(input("fe_v44_ferreteria.xml")).unwrap();
    let broken = xml.replace(
        "<ImpuestoNeto>650.00000</ImpuestoNeto>",
        "<ImpuestoNeto>651.00000</ImpuestoNeto>",
    );
    let r = inspect(broken.as_bytes()).unwrap();
    let paths: Vec<&str> = r
        .problems
        .iter()
        .filter(|p| p.source == ProblemSource::Amounts)
        .filter_map(|p| p.path.as_deref())
        .collect();
    assert!(
        paths.contains(&"/FacturaElectronica/DetalleServicio/LineaDetalle[1]/ImpuestoNeto"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"/FacturaElectronica/DetalleServicio/LineaDetalle[1]/MontoTotalLinea"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"/FacturaElectronica/ResumenFactura/TotalImpuesto"),
        "{paths:?}"
    );
    assert_eq!(r.verdict.badge, "problems");
}

#[test]
fn schema_order_and_unknown_elements() {
    let xml = String::from_utf8(input("fe_v44_ferreteria.xml")).unwrap();
    let moved = xml.replace("  <CondicionVenta>01</CondicionVenta>\n", "").replace(
        "<Emisor>",
        "<CondicionVenta>01</CondicionVenta><Inventado>x</Inventado><Emisor>",
    );
    let r = inspect(moved.as_bytes()).unwrap();
    let schema: Vec<(&str, &str)> = r
        .problems
        .iter()
        .filter(|p| p.source == ProblemSource::Schema && p.severity == ProblemSeverity::Error)
        .map(|p| (p.path.as_deref().unwrap_or(""), p.message_en.as_str()))
        .collect();
    assert!(
        schema
            .iter()
            .any(|(p, m)| *p == "/FacturaElectronica/Inventado" && m.contains("not allowed")),
        "{schema:?}"
    );
    assert!(
        schema
            .iter()
            .any(|(p, m)| *p == "/FacturaElectronica/Emisor" && m.contains("out of order")),
        "{schema:?}"
    );
}

#[test]
fn real_samples_have_the_right_kind_and_clave() {
    let Some(dir) = common::shared_fixtures("real_samples_have_the_right_kind_and_clave") else {
        return;
    };
    let mut seen = 0;
    for sub in ["documents", "responses"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let r = inspect(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let kind = match &name[..2] {
                "mh" => InputKind::HaciendaMessage,
                "mr" => InputKind::ReceiverMessage,
                _ => InputKind::Document,
            };
            assert_eq!(r.kind, kind, "{name}");
            assert_eq!(r.schema_version, Some(&format!("4.{}", &name[5..6])[..]), "{name}");
            assert!(r.clave.as_ref().is_some_and(|c| c.valid), "{name}");
            seen += 1;
        }
    }
    assert!(seen >= 20, "only {seen} samples");
}

#[test]
fn hostile_inputs_are_errors_not_panics() {
    for bad in [
        &b""[..],
        b"   ",
        b"<",
        b"{",
        b"\xff\xfe\x00",
        b"<!DOCTYPE a [<!ENTITY x 'y'>]><a/>",
        b"QUJD",
        b"<FacturaElectronica><Clave>",
    ] {
        assert!(inspect(bad).is_err(), "{bad:?}");
    }
    // Readable but empty documents are results with problems, not errors.
    let r = inspect(b"<FacturaElectronica/>").unwrap();
    assert!(r.problems.iter().any(|p| p.source == ProblemSource::Clave));
    let r = inspect(b"<MensajeHacienda><Clave>1</Clave></MensajeHacienda>").unwrap();
    assert!(r.problems.iter().any(|p| p.severity == ProblemSeverity::Error));
}

/// The committed rule table is exactly what `tools/gen_schema_rules.py` makes of the XSDs.
#[test]
fn schema_rules_match_the_xsds() {
    let Some(dir) = common::shared_fixtures("schema_rules_match_the_xsds") else {
        return;
    };
    let root = common::repo_root();
    let venv = root.join(".venv").join("bin").join("python");
    let python = if venv.exists() { venv } else { PathBuf::from("python3") };
    let has_lxml = Command::new(&python)
        .args(["-c", "import lxml"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_lxml {
        if std::env::var("HACIENDA_REQUIRE_FIXTURES").as_deref() == Ok("1") {
            panic!("schema_rules_match_the_xsds: lxml is required (make py-setup)");
        }
        eprintln!("SKIP schema_rules_match_the_xsds: python with lxml not found (make py-setup)");
        return;
    }
    let out = Command::new(&python)
        .arg(root.join("tools").join("gen_schema_rules.py"))
        .arg("--check")
        .arg("--xsd")
        .arg(dir.join("xsd").join("v4.4"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn exonerations_reduce_the_net_tax() {
    let line = |net: &str, total: &str| {
        format!(
            r#"<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/facturaElectronica">
<Clave>50615092500310123456700100001010000000451123456789</Clave>
<DetalleServicio><LineaDetalle><NumeroLinea>1</NumeroLinea><Cantidad>1</Cantidad><PrecioUnitario>1000</PrecioUnitario>
<MontoTotal>1000</MontoTotal><SubTotal>1000</SubTotal>
<Impuesto><Codigo>01</Codigo><CodigoTarifaIVA>08</CodigoTarifaIVA><Tarifa>13</Tarifa><Monto>130</Monto>
<Exoneracion><TipoDocumentoEX1>02</TipoDocumentoEX1><NumeroDocumento>AL-123</NumeroDocumento>
<NombreInstitucion>01</NombreInstitucion><FechaEmisionEX>2025-01-01T00:00:00-06:00</FechaEmisionEX>
<TarifaExonerada>13</TarifaExonerada><MontoExoneracion>130</MontoExoneracion></Exoneracion></Impuesto>
<ImpuestoNeto>{net}</ImpuestoNeto><MontoTotalLinea>{total}</MontoTotalLinea></LineaDetalle></DetalleServicio>
</FacturaElectronica>"#
        )
    };
    let ok = inspect(line("0", "1000").as_bytes()).unwrap();
    assert_eq!(ok.exonerations.len(), 1);
    let x = &ok.exonerations[0];
    assert_eq!((x.line, x.document_number.as_deref()), (Some(1), Some("AL-123")));
    assert_eq!(x.percent.map(|d| d.to_string()).as_deref(), Some("13"));
    assert_eq!(ok.taxes[0].exonerated.to_string(), "130");
    assert!(
        ok.problems.iter().all(|p| p.source != ProblemSource::Amounts),
        "{:?}",
        ok.problems
    );
    assert_eq!(ok.line_checks_passed, 5);
    // Forgetting the exoneration in ImpuestoNeto is caught on that element.
    let bad = inspect(line("130", "1130").as_bytes()).unwrap();
    let paths: Vec<&str> = bad
        .problems
        .iter()
        .filter(|p| p.source == ProblemSource::Amounts)
        .filter_map(|p| p.path.as_deref())
        .collect();
    assert_eq!(
        paths,
        ["/FacturaElectronica/DetalleServicio/LineaDetalle[1]/ImpuestoNeto"]
    );
}

/// The certificate read from `X509Certificate` (our DER reader) names the same serial and issuer
/// as the signer wrote in XAdES `IssuerSerial`: two independent sources must agree.
#[test]
fn certificate_facts_agree_with_xades_issuer_serial() {
    let Some(dir) = common::shared_fixtures("certificate_facts_agree_with_xades_issuer_serial") else {
        return;
    };
    let between = |text: &str, tag: &str| -> Option<String> {
        let start = text.find(&format!("{tag}>"))? + tag.len() + 1;
        let end = start + text[start..].find('<')?;
        Some(text[start..end].trim().to_string())
    };
    let mut checked = 0;
    for sub in ["documents", "responses"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let (Some(serial), Some(issuer)) = (between(&text, "X509SerialNumber"), between(&text, "X509IssuerName"))
            else {
                continue;
            };
            let r = inspect(text.as_bytes()).unwrap();
            let sig = r.signature.expect("signed");
            assert_eq!(sig.serial.as_deref(), Some(serial.as_str()), "{path:?}");
            // Java signers write serialNumber as `2.5.4.5=#13<len><hex of the PrintableString>`.
            let norm = |s: &str| -> String {
                s.replace(", ", ",")
                    .split(',')
                    .map(|rdn| match rdn.strip_prefix("2.5.4.5=#13") {
                        Some(hex) if hex.len() > 2 => {
                            let bytes: Vec<u8> = (2..hex.len())
                                .step_by(2)
                                .filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                                .collect();
                            format!("serialNumber={}", String::from_utf8_lossy(&bytes))
                        }
                        _ => rdn.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let ours = sig.issuer.as_deref().map(norm);
            assert_eq!(ours.as_deref(), Some(norm(&issuer).as_str()), "{path:?}");
            assert!(sig.valid_from < sig.valid_to, "{path:?}");
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} signed samples with IssuerSerial");
}
