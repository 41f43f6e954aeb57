//! Clave, consecutivo and status keys: parse, and what parses prints back the same.
#![no_main]

use hacienda_core as hc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(clave) = hc::Clave::parse(text) {
        let again = hc::Clave::parse(&clave.to_string()).expect("a parsed clave re-parses");
        assert_eq!(again, clave);
    }
    if let Ok(consecutivo) = hc::Consecutivo::parse(text) {
        let again = hc::Consecutivo::parse(&consecutivo.to_string()).expect("re-parses");
        assert_eq!(again, consecutivo);
    }
    if let Ok(key) = hc::StatusKey::parse(text) {
        let again = hc::StatusKey::parse(&key.path_segment()).expect("re-parses");
        assert_eq!(again, key);
    }
});
