//! The compact Script / Script_Extensions table (src/text/script_*.rs) against the unicode-script
//! crate it was generated from: the same values for every code point, so the smaller WebAssembly
//! module sees the same scripts (mixed-script findings, folding of marks) as before.

use okta_directory::text::{script_extension_of, script_of};
use unicode_script::UnicodeScript;

#[test]
fn every_code_point_has_the_crates_script_and_extensions() {
    let mut differ = Vec::new();
    for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
        if script_of(c) != c.script() || script_extension_of(c) != c.script_extension() {
            differ.push(c as u32);
        }
    }
    assert!(differ.is_empty(), "{} code points differ, e.g. {:x?}", differ.len(), &differ[..differ.len().min(10)]);
}
