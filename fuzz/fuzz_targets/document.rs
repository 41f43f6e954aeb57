//! Any input a user may hand over (document, answer, status JSON, base64): read it, and build a
//! submission from it.
#![no_main]

use hacienda_core as hc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hc::read_any(data);
    let _ = hc::build_submission(data, &hc::SubmitOptions::default());
});
