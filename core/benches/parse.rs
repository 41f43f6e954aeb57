//! Rust-side cost of reading a status body with its embedded answer and classifying it, over the
//! repository's vectors (and the real signed answers of ../shared when present).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hacienda_core as hc;

fn corpus() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut bodies: Vec<Vec<u8>> = std::fs::read_dir(root.join("tests/fixtures/inputs"))
        .expect("inputs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let shared = root
        .ancestors()
        .map(|a| a.join("shared/fixtures/hacienda/responses"))
        .find(|p| p.is_dir());
    if let Some(dir) = shared {
        for entry in std::fs::read_dir(dir).expect("responses").flatten() {
            let xml = std::fs::read(entry.path()).expect("read");
            let clave = hc::parse_message(&xml).expect("real answer").clave;
            let body = format!(
                r#"{{"clave":"{clave}","ind-estado":"aceptado","respuesta-xml":"{}"}}"#,
                hc::text::base64_encode(&xml)
            );
            bodies.push(body.into_bytes());
        }
    }
    bodies
}

fn bench(c: &mut Criterion) {
    let bodies = corpus();
    let mut group = c.benchmark_group("status");
    group.throughput(Throughput::Elements(bodies.len() as u64));
    group.bench_function("parse_status + classify_status (per corpus)", |b| {
        b.iter(|| {
            for body in &bodies {
                let report = hc::parse_status(body).expect("vector parses");
                std::hint::black_box(hc::classify_status(&report));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
