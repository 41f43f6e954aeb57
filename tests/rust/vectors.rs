//! Runs the shared vectors of `tests/fixtures/cases.json` against the core (the Python suite
//! runs the same file against the binding).

mod common;

use hacienda_core as hc;
use serde_json::{Value, json};

fn input_bytes(case: &Value) -> Vec<u8> {
    if let Some(file) = case["input_file"].as_str() {
        std::fs::read(common::own_fixtures().join("inputs").join(file)).expect("fixture file")
    } else {
        case["input"].as_str().expect("string input").as_bytes().to_vec()
    }
}

fn to_value<T: serde::Serialize>(r: hc::Result<T>, extra: impl FnOnce(&T) -> Value) -> Value {
    match r {
        Ok(v) => {
            let mut out = serde_json::to_value(&v).expect("serializable");
            if let (Value::Object(map), Value::Object(more)) = (&mut out, extra(&v)) {
                map.extend(more);
            }
            out
        }
        Err(e) => json!({ "error": e }),
    }
}

fn run(case: &Value) -> Value {
    let input = &case["input"];
    match case["op"].as_str().expect("op") {
        "parse_status" => to_value(
            hc::parse_status(&input_bytes(case)),
            |r| json!({ "classification": hc::classify_status(r) }),
        ),
        "parse_message" => to_value(
            hc::parse_message(&input_bytes(case)),
            |m| json!({ "classification": hc::classify_message(m) }),
        ),
        "classify_http" => json!(hc::classify_http(
            input["status"].as_u64().expect("status") as u16,
            input["error_cause"].as_str(),
            input["body"].as_str().unwrap_or(""),
        )),
        "classify_text" => json!(hc::classify_text(input.as_str().expect("text"))),
        "read_submit_response" => {
            let headers: Vec<(String, String)> = serde_json::from_value(input["headers"].clone()).expect("headers");
            json!(hc::read_submit_response(
                input["status"].as_u64().expect("status") as u16,
                headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                input["body"].as_str().unwrap_or("").as_bytes(),
            ))
        }
        "build_submission" => {
            let options: hc::SubmitOptions = serde_json::from_value(case["options"].clone()).expect("options");
            to_value(hc::build_submission(&input_bytes(case), &options), |_| json!({}))
        }
        "parse_clave" => to_value(hc::Clave::parse(input.as_str().expect("clave")), |_| json!({})),
        other => panic!("unknown op {other}"),
    }
}

#[test]
fn shared_vectors() {
    let text = std::fs::read_to_string(common::own_fixtures().join("cases.json")).expect("cases.json");
    let doc: Value = serde_json::from_str(&text).expect("valid JSON");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 30, "expected the full vector set");
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let actual = run(case);
        common::assert_subset(&case["expected"], &actual, name);
    }
}

#[test]
fn submission_carries_the_exact_signed_bytes() {
    let bytes = std::fs::read(common::own_fixtures().join("inputs/fe_v44_ferreteria.xml")).unwrap();
    let req = hc::build_submission(&bytes, &hc::SubmitOptions::default()).unwrap();
    assert_eq!(hc::text::base64_decode("x", &req.comprobante_xml).unwrap(), bytes);
}
