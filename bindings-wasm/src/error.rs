//! Core errors as JS `Error` objects carrying the same field names as Python's exceptions.

use wasm_bindgen::JsValue;

fn error_with(kind: &str, message: &str, field: Option<&str>) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("HaciendaError");
    let obj: &JsValue = err.as_ref();
    // Reflect.set only fails on frozen objects; a fresh Error is not.
    let _ = js_sys::Reflect::set(obj, &"kind".into(), &kind.into());
    let _ = js_sys::Reflect::set(obj, &"field".into(), &field.map_or(JsValue::NULL, JsValue::from));
    err.into()
}

/// Converts a core error (`kind`, `message`, `field`).
pub fn to_js_error(e: &hacienda_core::Error) -> JsValue {
    error_with(e.kind().as_str(), &e.to_string(), e.field())
}

/// An error about the argument itself (kind `invalid_argument`).
pub(crate) fn argument_error(message: &str) -> JsValue {
    error_with("invalid_argument", message, Some("input"))
}
