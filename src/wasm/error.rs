//! The single place where a core [`crate::Error`] becomes a JavaScript `Error`.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// Builds a JS `Error` named `OktaDirectoryError` carrying `code` (and `status` when the error has one).
/// The SDK turns it into the matching `Error` subclass.
pub(crate) fn to_js_error(e: &crate::Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("OktaDirectoryError");
    // Reflect::set only fails on frozen or proxy objects; a fresh Error is neither.
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(e.code()));
    if let Some(status) = e.status() {
        let _ = Reflect::set(&err, &JsValue::from_str("status"), &JsValue::from(status));
    }
    err.into()
}

/// A conversion failure at the boundary. The serde message is dropped: it can quote input values.
pub(crate) fn conversion(what: &str) -> JsValue {
    to_js_error(&crate::Error::Conversion { detail: format!("{what} could not be converted") })
}
