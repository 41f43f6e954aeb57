//! # hacienda-wasm
//!
//! hacienda-core compiled to WebAssembly for the browser XML viewer (`www/`) and for node.
//! Thin on purpose: validate the argument, call one core function, convert the result.
//!
//! ```js
//! import init, { inspect } from "./pkg/hacienda_wasm.js";
//! await init();
//! const r = inspect(fileBytesOrText);   // Inspection (see hacienda_wasm.d.ts)
//! r.verdict.badge;                      // "accepted", "rejected", "problems", ...
//! ```
//!
//! Errors are thrown as JS `Error` objects with the core's field names: `kind` (stable
//! snake_case name, e.g. `"xml"`, `"empty"`), `message` and `field`.
#![forbid(unsafe_code)]

mod error;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

pub use error::to_js_error;

/// Inspects a document, answer, status JSON or base64 of any of these.
///
/// `input` is a `string` (pasted text) or a `Uint8Array` (file bytes: BOM, UTF-16 and Latin-1
/// declarations are handled). Returns an `Inspection` object; throws an `Error` with `kind`,
/// `message` and `field` when the input cannot be read at all.
#[wasm_bindgen(skip_typescript)]
pub fn inspect(input: &JsValue) -> Result<JsValue, JsValue> {
    // The size limit is checked before anything is copied into WebAssembly memory.
    let limit = hacienda_core::text::MAX_JSON_BYTES;
    let too_large = |size: usize| to_js_error(&hacienda_core::Error::TooLarge { size, limit });
    let bytes: Vec<u8> = if input.is_string() {
        let length = js_sys::JsString::from(input.clone()).length() as usize;
        if length > limit {
            return Err(too_large(length));
        }
        input.as_string().unwrap_or_default().into_bytes()
    } else if let Some(array) = input.dyn_ref::<js_sys::Uint8Array>() {
        // A view of the caller's bytes (`Uint8Array::new` would copy them first).
        if array.length() as usize > limit {
            return Err(too_large(array.length() as usize));
        }
        array.to_vec()
    } else {
        return Err(error::argument_error("input must be a string or a Uint8Array"));
    };
    let mut inspection = hacienda_core::inspect(&bytes).map_err(|e| to_js_error(&e))?;
    // One JSON string and one JSON.parse is the fastest way to hand a large tree to JS; the XML
    // text (most of the bytes) goes across as a plain string instead of being escaped in it.
    let xml = inspection.xml.take();
    let json = serde_json::to_string(&inspection).map_err(|e| error::argument_error(&e.to_string()))?;
    let object = js_sys::JSON::parse(&json)?;
    js_sys::Reflect::set(&object, &"xml".into(), &xml.map_or(JsValue::NULL, JsValue::from))?;
    Ok(object)
}

/// The crate version.
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Root elements the structural (v4.4 schema) checks cover.
#[wasm_bindgen(js_name = schemaRoots, skip_typescript)]
pub fn schema_roots() -> Vec<String> {
    hacienda_core::inspect::schema_check::checked_roots()
        .into_iter()
        .map(str::to_string)
        .collect()
}
