//! Status answers and callbacks: any bytes give a report or a typed error, and a report's
//! classification agrees with its state.
#![no_main]

use hacienda_core as hc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = hc::parse_status(data) {
        let verdict = hc::classify_status(&report);
        if !report.state.is_final() {
            assert!(verdict.is_none(), "a non-final state is never a failure");
        }
    }
});
