//! The Link header parser on arbitrary input: never a panic, and a `next` target it returns is one
//! of the parsed links.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_directory::sync::{next_link, parse_link_header};

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else { return };
    let links = parse_link_header(header);
    if let Some(next) = next_link(header) {
        assert!(links.iter().any(|l| l.target == next));
    }
});
