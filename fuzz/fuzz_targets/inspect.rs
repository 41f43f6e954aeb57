//! The viewer's `inspect` over any bytes: a typed error or an inspection whose problems and
//! lines are consistent, never a panic (the browser would show a dead page).
#![no_main]

use hacienda_core as hc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(inspection) = hc::inspect(data) {
        let _ = serde_json::to_string(&inspection);
    }
});
