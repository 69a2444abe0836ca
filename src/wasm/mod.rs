//! wasm-bindgen glue. Each export converts its arguments, calls the core, and converts the result
//! or the error; nothing here decides anything the core could.

#[cfg(feature = "full")]
pub mod auth;
pub mod claims;
#[cfg(feature = "full")]
pub mod directory;
#[cfg(feature = "full")]
pub mod enrollment;
mod error;
mod heap;
pub mod profile;
// Shadow replay is a server-side (dashboard, Worker) function: not in the claims-only browser module.
#[cfg(feature = "full")]
pub mod replay;
#[cfg(feature = "full")]
pub mod shard;
#[cfg(feature = "full")]
pub mod sync;
mod types;

use wasm_bindgen::prelude::*;

/// Every stable error code the core can produce (the SDK checks its own list against this).
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "string[]")]
pub fn error_codes() -> Vec<String> {
    crate::Error::CODES.iter().map(|c| (*c).to_owned()).collect()
}

/// The crate version compiled into this module.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
