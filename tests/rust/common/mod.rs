//! Helpers shared by the Rust integration tests: where the fixtures are, and subset matching.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("core/ has a parent")
        .to_path_buf()
}

/// `tests/fixtures` of this repository.
pub fn own_fixtures() -> PathBuf {
    repo_root().join("tests").join("fixtures")
}

/// `../shared/fixtures/hacienda` (or `$HACIENDA_FIXTURES`), searched from the repository
/// upwards. `None` (with a message) when absent, unless `HACIENDA_REQUIRE_FIXTURES=1`, which
/// CI sets so that the conformance suite can never be skipped silently there.
pub fn shared_fixtures(test: &str) -> Option<PathBuf> {
    let found = std::env::var_os("HACIENDA_FIXTURES")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .or_else(|| {
            repo_root()
                .ancestors()
                .map(|a| a.join("shared").join("fixtures").join("hacienda"))
                .find(|p| p.is_dir())
        });
    if found.is_none() {
        if std::env::var("HACIENDA_REQUIRE_FIXTURES").as_deref() == Ok("1") {
            panic!("{test}: ../shared/fixtures/hacienda is required (HACIENDA_REQUIRE_FIXTURES=1) but absent");
        }
        eprintln!("SKIP {test}: ../shared/fixtures/hacienda not found (set HACIENDA_FIXTURES)");
    }
    found
}

/// Asserts that every key of `expected` is in `actual` with a matching value (recursively);
/// lists must have the same length and match element by element.
pub fn assert_subset(expected: &Value, actual: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or_else(|| panic!("{path}.{k}: missing in {actual}"));
                assert_subset(ev, av, &format!("{path}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{path}: list length, actual {actual}");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                assert_subset(ev, av, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(expected, actual, "{path}"),
    }
}
