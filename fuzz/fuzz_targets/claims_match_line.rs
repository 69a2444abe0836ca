//! A JSONL `match` line from arbitrary bytes: always exactly one JSON object back, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_directory::claims::{match_line, Matcher, Policy};

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else { return };
    let out = match_line(&Matcher::new(Policy::default()), line);
    let value: serde_json::Value = serde_json::from_str(&out).expect("match_line writes JSON");
    assert!(value.is_object());
});
