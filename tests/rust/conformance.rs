//! Conformance over the real public samples in `../shared/fixtures/hacienda` (see its
//! PROVENANCE.md). Skipped with a message when the folder is absent; CI sets
//! `HACIENDA_REQUIRE_FIXTURES=1` so it can never be skipped there.

mod common;

use std::path::Path;

use hacienda_core as hc;
use serde_json::Value;

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(dir: &Path, rel: &str) -> Value {
    serde_json::from_slice(&read(dir, rel)).expect("valid JSON")
}

#[test]
fn every_response_parses_with_its_clave() {
    let Some(dir) = common::shared_fixtures("every_response_parses_with_its_clave") else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(dir.join("responses")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let m = hc::parse_message(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(m.kind, hc::MessageKind::MensajeHacienda, "{name}");
        assert!(m.signed, "{name}: signed by Hacienda");
        assert!(m.detail.sandbox, "{name}: sandbox answers");
        hc::Clave::parse(&m.clave).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The file name carries the clave when it has 50 digits in it.
        if let Some(clave) = name
            .split(['_', '.'])
            .find(|p| p.len() == 50 && p.bytes().all(|b| b.is_ascii_digit()))
        {
            assert_eq!(m.clave, clave, "{name}");
        }
        if name.starts_with("mh_v43") {
            assert_eq!(m.schema_version, Some(hc::SchemaVersion::V43), "{name}");
            assert!(m.is_accepted(), "{name}");
            assert!(m.detail.is_empty(), "{name}: {:?}", m.detail);
            assert!(hc::classify_message(&m).is_none(), "{name}");
        }
        if name.starts_with("mh_v42_sandbox_accept_with_-37") {
            assert_eq!(m.schema_version, Some(hc::SchemaVersion::V42));
            assert!(m.is_accepted());
            assert_eq!(m.detail.codes(), vec![-37]);
            assert_eq!(m.detail.warnings().count(), 1);
            assert_eq!(m.clave, "50604111800030419045200100001010000000901168059141");
        }
        seen += 1;
    }
    assert_eq!(seen, 7, "all seven response files");
}

#[test]
fn every_document_gives_clave_type_and_version() {
    let Some(dir) = common::shared_fixtures("every_document_gives_clave_type_and_version") else {
        return;
    };
    use hc::DocumentType as T;
    use hc::SchemaVersion as V;
    let expected: &[(&str, T, V, &str)] = &[
        (
            "fe_v42_royrojas_xml_factura_electronica.xml",
            T::FacturaElectronica,
            V::V42,
            "50602071800310115388888800099010000000943101004382",
        ),
        (
            "fe_v42_unsigned_FacturaElectronica.xml",
            T::FacturaElectronica,
            V::V42,
            "50615061800050224049900100001010000000004105904649",
        ),
        (
            "fe_v43_emilio93_sample.xml",
            T::FacturaElectronica,
            V::V43,
            "50630072000310200722303600004010000001234100000000",
        ),
        (
            "fe_v43_signed_50628042100040216065300100001010000000142132671809.xml",
            T::FacturaElectronica,
            V::V43,
            "50628042100040216065300100001010000000142132671809",
        ),
        (
            "fe_v43_signed_50628042100040216065300100001010000000143115743620.xml",
            T::FacturaElectronica,
            V::V43,
            "50628042100040216065300100001010000000143115743620",
        ),
        (
            "fe_v43_signed_50629042100040216065300100001010000000159117246538.xml",
            T::FacturaElectronica,
            V::V43,
            "50629042100040216065300100001010000000159117246538",
        ),
        (
            "fe_v43_unsigned_50628042100040216065300100001010000000142132671809.xml",
            T::FacturaElectronica,
            V::V43,
            "50628042100040216065300100001010000000142132671809",
        ),
        (
            "fe_v44_facturacr_commonExpectedXml.xml",
            T::FacturaElectronica,
            V::V44,
            "50601042400020692014200100001010000000002100000001",
        ),
        (
            "nc_v42_royrojas_xml_nota_credito.xml",
            T::NotaCreditoElectronica,
            V::V42,
            "50628061800344443333501300017030000000001101003255",
        ),
        (
            "nc_v42_unsigned_notaCredito.xml",
            T::NotaCreditoElectronica,
            V::V42,
            "50618051800011538077800100001030000000009183168485",
        ),
        (
            "nd_v42_royrojas_xml_nota_debito.xml",
            T::NotaDebitoElectronica,
            V::V42,
            "50628061800344443333501300017030000000001101003255",
        ),
        (
            "te_v42_royrojas_xml_tiquete_electronico.xml",
            T::TiqueteElectronico,
            V::V42,
            "50602071800344445555903900065040000001009117003273",
        ),
        (
            "te_v43_crlibre_Tiquete_Electronico_v4.3.xml",
            T::TiqueteElectronico,
            V::V43,
            "50626031900011266010200100001040000001824180333808",
        ),
    ];
    for (file, doc_type, version, clave) in expected {
        let parsed = hc::read_any(&read(&dir, &format!("documents/{file}"))).unwrap_or_else(|e| panic!("{file}: {e}"));
        let hc::Parsed::Document(d) = parsed else {
            panic!("{file}: not a document")
        };
        assert_eq!(&d.document_type, doc_type, "{file}");
        assert_eq!(d.schema_version, Some(*version), "{file}");
        assert_eq!(d.clave, *clave, "{file}");
        assert!(d.consecutivo.is_some(), "{file}");
        assert!(d.emisor.id_number.is_some(), "{file}");
        assert!(d.line_count >= 1, "{file}");
        hc::Clave::parse(&d.clave).unwrap_or_else(|e| panic!("{file}: {e}"));
        let signed = file.contains("_signed_") || file.starts_with("te_v43_crlibre");
        assert_eq!(d.signed, signed, "{file}");
    }
    // The two receiver messages are MensajeReceptor (v4.2), one with the misspelled element.
    for (file, consecutivo) in [
        ("mr_v42_royrojas_xml_mensaje_receptor.xml", "00197799050000000933"),
        ("mr_v42_signed_00100001050000000010.xml", "00100001050000000010"),
    ] {
        let m = hc::parse_message(&read(&dir, &format!("documents/{file}"))).unwrap();
        assert_eq!(m.kind, hc::MessageKind::MensajeReceptor, "{file}");
        assert_eq!(m.schema_version, Some(V::V42));
        assert_eq!(m.consecutivo_receptor.as_deref(), Some(consecutivo), "{file}");
        let req =
            hc::build_submission(&read(&dir, &format!("documents/{file}")), &hc::SubmitOptions::default()).unwrap();
        assert_eq!(req.consecutivo_receptor.as_deref(), Some(consecutivo));
    }
    let count = std::fs::read_dir(dir.join("documents")).unwrap().count();
    assert_eq!(count, expected.len() + 2, "every document file is covered");
}

#[test]
fn signed_documents_build_submissions() {
    let Some(dir) = common::shared_fixtures("signed_documents_build_submissions") else {
        return;
    };
    let bytes = read(
        &dir,
        "documents/fe_v43_signed_50628042100040216065300100001010000000142132671809.xml",
    );
    let req = hc::build_submission(&bytes, &hc::SubmitOptions::default()).unwrap();
    assert_eq!(req.clave, "50628042100040216065300100001010000000142132671809");
    assert_eq!(req.fecha, "2021-04-28T20:03:12-06:00");
    assert_eq!(req.emisor.numero_identificacion, "402160653");
    assert_eq!(req.receptor.as_ref().unwrap().numero_identificacion, "3101143237");
    let tiquete = read(&dir, "documents/te_v42_royrojas_xml_tiquete_electronico.xml");
    let req = hc::build_submission(&tiquete, &hc::SubmitOptions::default()).unwrap();
    assert_eq!(req.clave, "50602071800344445555903900065040000001009117003273");
    assert_eq!(req.emisor.tipo_identificacion, "02");
}

/// The ten derived rejections: the stored XML was cut inside the signature, so the test
/// rebuilds each MensajeHacienda from its fields and checks Mensaje 3 and the exact coded lines.
#[test]
fn derived_rejections_give_their_coded_lines() {
    let Some(dir) = common::shared_fixtures("derived_rejections_give_their_coded_lines") else {
        return;
    };
    let data = json(&dir, "derived/tropical_mh_v42_responses_from_sql.json");
    let expected: &[(&str, &[i32], &str)] = &[
        (
            "50627091800011187076300200001010000000007100011154",
            &[-99, -37],
            "consecutive_reused",
        ),
        (
            "50627091800011187076300200001010000000008100011154",
            &[-99, -37],
            "consecutive_reused",
        ),
        (
            "50627091800011187076300200001010000000009100011154",
            &[-99, -37],
            "consecutive_reused",
        ),
        (
            "50627091800011187076300200001010000000010100011154",
            &[-99, -37],
            "consecutive_reused",
        ),
        (
            "50628091800011187076300200001010000000012100011154",
            &[-16, -99, -37],
            "consecutive_reused",
        ),
        (
            "50628091800011187076300200001010000000013100011154",
            &[-99, -37, -54],
            "amounts",
        ),
        (
            "50628091800011187076300200001010000000014100011154",
            &[-99, -37],
            "consecutive_reused",
        ),
        (
            "50603101800011187076300200001010000000015100011154",
            &[-99, -37],
            "consecutive_reused",
        ),
        (
            "50611091800011187076300100001010000000009100011154",
            &[-37, -45, -51, -54, -55],
            "amounts",
        ),
        (
            "50611091800011187076300100001010000000012100011154",
            &[-37, -45, -51, -54, -55],
            "amounts",
        ),
    ];
    let responses = data["responses"].as_array().unwrap();
    assert_eq!(responses.len(), expected.len());
    for (r, (clave, codes, rule)) in responses.iter().zip(expected) {
        let field = |k: &str| r[k].as_str().unwrap_or("").replace('&', "&amp;").replace('<', "&lt;");
        let xml = format!(
            "<MensajeHacienda xmlns=\"{}\"><Clave>{}</Clave><NombreEmisor>{}</NombreEmisor><TipoIdentificacionEmisor>{}</TipoIdentificacionEmisor><NumeroCedulaEmisor>{}</NumeroCedulaEmisor><NombreReceptor>{}</NombreReceptor><Mensaje>{}</Mensaje><DetalleMensaje>{}</DetalleMensaje><MontoTotalImpuesto>{}</MontoTotalImpuesto><TotalFactura>{}</TotalFactura></MensajeHacienda>",
            field("namespace"),
            field("Clave"),
            field("NombreEmisor"),
            field("TipoIdentificacionEmisor"),
            field("NumeroCedulaEmisor"),
            field("NombreReceptor"),
            field("Mensaje"),
            field("DetalleMensaje"),
            field("MontoTotalImpuesto"),
            field("TotalFactura"),
        );
        let m = hc::parse_message(xml.as_bytes()).unwrap();
        assert_eq!(m.clave, *clave);
        assert_eq!(m.mensaje, hc::MessageCode::Rejected, "{clave}");
        assert_eq!(m.detail.codes(), codes.to_vec(), "{clave}");
        assert!(
            m.detail.sandbox,
            "{clave}: the sandbox sentence says 'aceptado' on a rejection"
        );
        assert!(m.detail.notes.is_empty(), "{clave}: {:?}", m.detail.notes);
        for line in &m.detail.lines {
            let warning = matches!(line.code, -16 | -37);
            assert_eq!(line.severity == hc::Severity::Warning, warning, "{clave} {}", line.code);
            assert!(!line.message.is_empty());
        }
        let c = hc::classify_message(&m).unwrap();
        assert_eq!(c.rule, *rule, "{clave}");
        assert_eq!(m.schema_version, Some(hc::SchemaVersion::V42));
        // The logged ind-estado agrees with Mensaje.
        assert_eq!(
            hc::IndEstado::parse(r["ind_estado_logged"].as_str().unwrap()).unwrap(),
            hc::IndEstado::Rechazado
        );
    }
}

/// One logged POST outcome: status, headers and body recovered from the proxy's log line.
struct Logged {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

/// The logged text is `Comprobante ENVIADO..., STATUS(nnn): {"resp":{..."text":[raw lines]}}`,
/// cut at 1000 characters, so it is read line by line rather than as JSON.
fn parse_logged(entry: &Value) -> Logged {
    let status = entry["http_status"].as_u64().unwrap() as u16;
    let text = entry["logged_text"].as_str().unwrap();
    let mut headers = Vec::new();
    let mut body = String::new();
    if let Some(start) = text.find("\"text\":[\"") {
        let raw = &text[start + 9..];
        let lines: Vec<String> = raw
            .split("\",\"")
            .map(|l| {
                l.replace("\\/", "/")
                    .replace("\\\"", "\"")
                    .replace("\\r", "")
                    .trim_end_matches("\"]}}")
                    .to_string()
            })
            .collect();
        let mut in_body = false;
        let mut after_final_status = false;
        for line in lines {
            if line.starts_with("HTTP/1.1 ") {
                after_final_status = !line.starts_with("HTTP/1.1 100");
                continue;
            }
            if !after_final_status {
                continue;
            }
            if line.is_empty() {
                in_body = true;
                continue;
            }
            if in_body {
                body.push_str(&line);
                body.push('\n');
            } else if let Some((k, v)) = line.split_once(": ") {
                headers.push((k.to_string(), v.to_string()));
            }
        }
    }
    Logged { status, headers, body }
}

#[test]
fn logged_post_outcomes_get_sensible_categories() {
    let Some(dir) = common::shared_fixtures("logged_post_outcomes_get_sensible_categories") else {
        return;
    };
    let data = json(&dir, "derived/tropical_post_http_log_from_sql.json");
    // status → (state, rule) expected for what these logs show.
    let expected = |status: u16| match status {
        202 => (hc::SubmitState::Received, None),
        400 => (hc::SubmitState::Failed, Some("bad_request")), // X-Error-Cause was cut off by the log
        401 => (hc::SubmitState::Failed, Some("clock_skew")),
        520 => (hc::SubmitState::Failed, Some("cloudflare_origin")),
        other => panic!("unexpected status {other} in the log"),
    };
    let mut counts = std::collections::BTreeMap::new();
    for entry in data["entries"].as_array().unwrap() {
        let logged = parse_logged(entry);
        let outcome = hc::read_submit_response(
            logged.status,
            logged.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            logged.body.as_bytes(),
        );
        let (state, rule) = expected(logged.status);
        assert_eq!(outcome.state, state, "{}", entry["clave"]);
        assert_eq!(
            outcome.classification.as_ref().map(|c| c.rule),
            rule,
            "{}",
            entry["clave"]
        );
        if let Some(c) = &outcome.classification {
            assert!(!c.hint_es.is_empty() && !c.hint_en.is_empty());
            assert_eq!(c.http_status, Some(logged.status));
            let retry = matches!(logged.status, 401 | 520);
            assert_eq!(c.retryable, retry, "{}", logged.status);
        }
        *counts.entry(logged.status).or_insert(0) += 1;
    }
    let counts: Vec<(u16, i32)> = counts.into_iter().collect();
    assert_eq!(counts, vec![(202, 29), (400, 7), (401, 2), (520, 2)]);
}

#[test]
fn issue_excerpts_classify_as_expected() {
    let Some(dir) = common::shared_fixtures("issue_excerpts_classify_as_expected") else {
        return;
    };
    let data = json(&dir, "derived/issue_response_excerpts.json");
    let items = data["items"].as_array().unwrap();
    let expected = [
        "schema",            // cvc-enumeration-valid, DESCONOCIDO
        "rejected",          // -1 "El tipo de documento no corresponde."
        "signature_invalid", // v4.1 pasted answer
        "signature_invalid", // mojibake comment
        "schema",            // cvc-datatype-valid (JSON-escaped paste)
        "schema",            // cvc-complex-type with quotes inside
        "schema",            // Telefono vs Ubicacion
        "unknown",           // accepted with -16 only: not a failure text
        "signum_one",
        "signature_invalid",
        "signature_invalid",
        "signature_invalid", // "Firma inválida", a user's paraphrase
        "signature_invalid",
    ];
    assert_eq!(items.len(), expected.len());
    for (item, rule) in items.iter().zip(expected) {
        let text = item["text"]
            .as_str()
            .unwrap()
            .replace("\\n", "\n")
            .replace("\\\"", "\"");
        let detail_text = match (text.find("<DetalleMensaje>"), text.find("</DetalleMensaje>")) {
            (Some(a), Some(b)) => text[a + 16..b].to_string(),
            _ => text.clone(),
        };
        let c = hc::classify_text(&detail_text);
        assert_eq!(c.rule, rule, "{}: {detail_text}", item["url"]);
    }
}

#[test]
fn pasted_answers_parse_as_messages() {
    let Some(dir) = common::shared_fixtures("pasted_answers_parse_as_messages") else {
        return;
    };
    let data = json(&dir, "derived/issue_response_excerpts.json");
    // The pastes with a root element (one has a line break inside xmlns).
    for item in data["items"].as_array().unwrap() {
        let text = item["text"].as_str().unwrap();
        if !text.contains("<MensajeHacienda") {
            continue;
        }
        let closed = if text.contains("</MensajeHacienda>") {
            text.to_string()
        } else {
            format!("{text}\n</MensajeHacienda>")
        };
        let m = hc::parse_message(closed.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", item["url"]));
        assert!(m.is_rejected());
        assert!(m.schema_version.is_some(), "{}", item["url"]);
        assert_eq!(m.emisor.name, None);
    }
}

#[test]
fn official_callback_example_keeps_its_state() {
    let Some(dir) = common::shared_fixtures("official_callback_example_keeps_its_state") else {
        return;
    };
    let text = String::from_utf8(read(&dir, "derived/anexo3_callback_example.txt")).unwrap();
    let start = text.find('{').unwrap();
    let end = text.find('}').unwrap();
    // The annex wraps the base64 over several lines inside the JSON string; join them.
    let body: String = text[start..=end].lines().collect::<Vec<_>>().join("");
    let report = hc::parse_status(body.as_bytes()).unwrap();
    assert_eq!(report.state, hc::IndEstado::Recibido);
    assert_eq!(report.clave, "50601011600310112345600100010100000000011999999999");
    assert_eq!(report.fecha_utc.unwrap().to_rfc3339(), "2016-01-01T06:00:00+00:00");
    // The example's respuestaXml is cut with "..." (and is not a MensajeHacienda): typed error.
    assert!(report.message.is_none());
    assert!(report.message_error.is_some());
}

#[test]
fn status_timelines_reach_a_final_state() {
    let Some(dir) = common::shared_fixtures("status_timelines_reach_a_final_state") else {
        return;
    };
    let data = json(&dir, "derived/tropical_status_timelines_from_sql.json");
    let mut finals = 0;
    for t in data["timelines"].as_array().unwrap() {
        for ev in t["events"].as_array().unwrap() {
            let resp = ev["respuesta"].as_str().unwrap();
            if let Ok(state) = hc::IndEstado::parse(resp) {
                if state.is_final() {
                    finals += 1;
                }
                let id = ev["idEstadoComprobante"].as_i64().unwrap();
                match state {
                    hc::IndEstado::Aceptado => assert_eq!(id, 3),
                    hc::IndEstado::Rechazado => assert_eq!(id, 4),
                    _ => {}
                }
            }
        }
    }
    assert!(finals >= 10, "timelines end in a final state ({finals})");
}
