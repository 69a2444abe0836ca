//! okta-directory: sync an Okta user directory, look users up by loginHint and match verified
//! identity claims against directory records.
//!
//! This crate is the pure core: no I/O, no clock, no JavaScript types. The WebAssembly glue lives
//! in `src/wasm/` and is compiled only for `wasm32`.

pub mod claims;
pub mod date;
#[cfg(feature = "full")]
pub mod directory;
pub mod error;
#[cfg(feature = "full")]
pub mod hash;
pub mod profile;
#[cfg(feature = "full")]
pub mod readiness;
pub mod records;
mod sort;
#[cfg(feature = "full")]
pub mod sync;
pub mod text;
#[cfg(feature = "full")]
mod timestamp;
pub mod varint;

/// WebAssembly exports (public only so that the wasm-bindgen tests in `tests/` can call them).
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;

pub use error::{Error, Result};
