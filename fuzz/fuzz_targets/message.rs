//! MensajeHacienda / MensajeReceptor parsing and classification of any bytes.
#![no_main]

use hacienda_core as hc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = hc::parse_message(data) {
        let _ = hc::classify_message(&message);
        let _ = message.detail.codes();
    }
});
