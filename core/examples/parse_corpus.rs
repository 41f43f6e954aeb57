//! Parses and classifies every status body given on the command line `N` times; a fixed
//! workload for `valgrind --tool=callgrind` (instruction counts do not depend on machine load).
//!
//! `cargo run --release -p hacienda-core --example parse_corpus -- 100 tests/fixtures/inputs/*.json`

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let bodies: Vec<Vec<u8>> = args.filter_map(|path| std::fs::read(path).ok()).collect();
    let mut parsed = 0usize;
    for _ in 0..rounds {
        for body in &bodies {
            if let Ok(report) = hacienda_core::parse_status(body) {
                std::hint::black_box(hacienda_core::classify_status(&report));
                parsed += 1;
            }
        }
    }
    println!("{parsed} bodies parsed");
}
