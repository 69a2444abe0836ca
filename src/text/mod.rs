//! Unicode text handling shared by profile normalization and (later) claims matching.

mod clean;

pub use clean::{clean_value, CleanError, Lines};
