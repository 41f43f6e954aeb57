//! Hostile input: random bytes, truncation, invalid base64 and encodings, deep nesting, entity
//! expansion, external entities, huge inputs. Every call returns a typed error or a value, never
//! panics, and its extra memory stays bounded (measured with a counting allocator).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use hacienda_core as hc;
use proptest::prelude::*;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Memory measurements must not overlap with other tests' allocations.
static SERIAL: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the peak extra bytes allocated while it ran (callers
/// hold `SERIAL` so no other test allocates meanwhile), and prints it for the record.
fn peak_extra<T>(what: &str, f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let started = std::time::Instant::now();
    let out = f();
    let extra = PEAK.load(Ordering::SeqCst).saturating_sub(base);
    eprintln!(
        "hostile {what}: peak extra memory {:.2} MB in {:?}",
        extra as f64 / MB as f64,
        started.elapsed()
    );
    (out, extra)
}

const MB: usize = 1024 * 1024;

fn every_parser(bytes: &[u8]) {
    let _ = hc::parse_status(bytes);
    let _ = hc::parse_message(bytes);
    let _ = hc::read_any(bytes);
    let _ = hc::build_submission(bytes, &hc::SubmitOptions::default());
    let text = String::from_utf8_lossy(bytes);
    let _ = hc::classify_text(&text);
    let _ = hc::Detail::parse(&text);
    let _ = hc::Clave::parse(&text);
    let _ = hc::StatusKey::parse(&text);
    let _ = hc::read_submit_response(
        400,
        [("X-Error-Cause", text.as_ref()), ("Retry-After", text.as_ref())],
        bytes,
    );
    let _ = hc::read_status_response(200, [("X-Ratelimit-Reset", text.as_ref())], bytes);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        every_parser(&bytes);
    }

    #[test]
    fn xmlish_strings_never_panic(s in "[<>/a-zA-Z:=\"' &#;\\-0-9\\[\\]!\\n,.]{0,400}") {
        let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        every_parser(s.as_bytes());
        every_parser(format!("<MensajeHacienda>{s}</MensajeHacienda>").as_bytes());
        every_parser(format!("{{\"clave\":\"{s}\",\"ind-estado\":\"rechazado\",\"respuesta-xml\":\"{s}\"}}").as_bytes());
    }

    #[test]
    fn detail_lines_roundtrip(code in -200i32..0, row in 0u32..10_000, column in 0u32..10_000,
                              msg in "[a-zA-Z áéíóúñ'(),.:0-9-]{1,120}") {
        let text = format!("codigo, mensaje, fila, columna\n{code}, \"{msg}\", {row}, {column}\n");
        let d = hc::Detail::parse(&text);
        prop_assert_eq!(d.lines.len(), 1);
        prop_assert_eq!(d.lines[0].code, code);
        prop_assert_eq!((d.lines[0].row, d.lines[0].column), (row, column));
        prop_assert_eq!(&d.lines[0].message, msg.trim());
    }
}

fn real_answer() -> Vec<u8> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/inputs/mh_v44_rechazado_montos.xml");
    std::fs::read(path).expect("fixture")
}

#[test]
fn every_truncation_of_a_real_answer_is_an_error() {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let full = real_answer();
    let end = full.len() - b"</MensajeHacienda>\n".len();
    for cut in 0..end {
        assert!(hc::parse_message(&full[..cut]).is_err(), "prefix of {cut} bytes parsed");
    }
    assert!(hc::parse_message(&full).is_ok());
}

#[test]
fn encodings_and_base64() {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    assert!(matches!(
        hc::parse_message(b"<a>\xff\xfe\xfd</a>"),
        Err(hc::Error::Encoding { .. })
    ));
    assert!(matches!(
        hc::parse_status(b"{\"clave\":\"\xc3\x28\"}"),
        Err(hc::Error::Encoding { .. })
    ));
    let body = br#"{"clave":"1","ind-estado":"aceptado","respuesta-xml":"!!!not base64!!!"}"#;
    let report = hc::parse_status(body).unwrap();
    assert!(matches!(report.message_error, Some(hc::Error::Base64 { .. })));
    let utf16: Vec<u8> = real_answer()[3..]
        .iter()
        .map(|&b| b as char)
        .collect::<String>()
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    // Bytes reinterpreted as Latin-1 then UTF-16: still well-formed XML, parsed.
    assert!(hc::parse_message(&[&[0xFF, 0xFE][..], &utf16].concat()).is_ok());
}

/// The bytes of one recipe of `tests/fixtures/hostile/cases.json` (see its README).
fn build_case(case: &serde_json::Value) -> Vec<u8> {
    let mut data = Vec::new();
    for part in case["parts"].as_array().expect("parts") {
        if let Some(hex) = part["hex"].as_str() {
            data.extend(
                (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")),
            );
        } else if let Some(pattern) = part["pattern"].as_str() {
            for i in 0..part["count"].as_u64().expect("count") {
                data.extend_from_slice(pattern.replace("{i}", &i.to_string()).as_bytes());
            }
        } else {
            let text = part["text"].as_str().expect("text");
            data.extend_from_slice(text.repeat(part["repeat"].as_u64().unwrap_or(1) as usize).as_bytes());
        }
    }
    if case["encode"] == "utf-16le-bom" {
        let text = String::from_utf8(data).expect("utf-8 recipe");
        data = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
    }
    match case["wrap"].as_str() {
        Some("base64") => data = hc::text::base64_encode(&data).into_bytes(),
        Some("status") => {
            data = format!(
                r#"{{"clave":"50601011900310123456700100001010000000001100000001","ind-estado":"rechazado","respuesta-xml":"{}"}}"#,
                hc::text::base64_encode(&data)
            )
            .into_bytes()
        }
        _ => {}
    }
    data
}

/// (outcome, error kind, detail: the kind of the error inside an ok status report, or the
/// state of a submit outcome).
fn run_case(entry: &str, data: &[u8]) -> (&'static str, Option<String>, Option<String>) {
    let kind = |e: hc::Error| Some(e.kind().as_str().to_string());
    match entry {
        "status" => match hc::parse_status(data) {
            Ok(report) => ("ok", None, report.message_error.map(|e| e.kind().as_str().to_string())),
            Err(e) => ("error", kind(e), None),
        },
        "message" => match hc::parse_message(data) {
            Ok(_) => ("ok", None, None),
            Err(e) => ("error", kind(e), None),
        },
        "any" => match hc::read_any(data) {
            Ok(_) => ("ok", None, None),
            Err(e) => ("error", kind(e), None),
        },
        "submit_headers" => {
            let value = std::str::from_utf8(data).expect("text headers");
            let o = hc::read_submit_response(400, [("X-Error-Cause", value), ("Location", value)], b"");
            let cut = o.headers.error_cause.as_ref().map_or(0, String::len);
            assert!(
                (1..=hc::submit::MAX_HEADER_CHARS).contains(&cut),
                "{cut} characters kept"
            );
            ("ok", None, Some(o.state.as_str().to_string()))
        }
        other => panic!("unknown entry point {other}"),
    }
}

#[test]
fn shared_hostile_corpus() {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/hostile/cases.json");
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(path).expect("cases.json")).expect("json");
    for case in manifest["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let data = build_case(case);
        let entry = case["entry"].as_str().expect("entry");
        let started = std::time::Instant::now();
        let ((outcome, kind, inner), extra) = peak_extra(name, || run_case(entry, &data));
        let expect = case["expect"].as_str().expect("expect");
        match expect {
            "ok" => {
                assert_eq!(outcome, "ok", "{name}: {kind:?}");
                let detail = case["message_error"].as_str().or(case["submit_state"].as_str());
                assert_eq!(inner.as_deref(), detail, "{name}");
            }
            "any_error" => assert_eq!(outcome, "error", "{name}"),
            kind_name => assert_eq!(kind.as_deref(), Some(kind_name), "{name}"),
        }
        let max = case["max_mb"].as_u64().expect("max_mb") as usize * MB;
        assert!(extra <= max, "{name}: {extra} extra bytes (bound {max})");
        assert!(started.elapsed().as_secs() < 10, "{name} took {:?}", started.elapsed());
    }
}
