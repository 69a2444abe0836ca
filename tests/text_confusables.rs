//! The compact confusables table (src/text/confusables*.rs) against the unicode-security crate it
//! was generated from: the same skeleton for every code point and for random mixed strings, so the
//! smaller WebAssembly module judges look-alikes exactly as before.

use okta_directory::text::skeleton;

fn crate_skeleton(s: &str) -> String {
    unicode_security::skeleton(s).collect()
}

#[test]
fn every_code_point_has_the_crates_skeleton() {
    let mut differ = Vec::new();
    for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
        let s = c.to_string();
        if skeleton(&s) != crate_skeleton(&s) {
            differ.push(c as u32);
        }
    }
    assert!(differ.is_empty(), "{} code points differ, e.g. {:x?}", differ.len(), &differ[..differ.len().min(10)]);
}

#[test]
fn mixed_strings_have_the_crates_skeleton() {
    // Confusables, combining marks (reordered by NFD), default-ignorables and plain letters.
    let pool: Vec<char> =
        "aAmrnlI10OoеаоАВСрхуіјѕԁɡ\u{300}\u{301}\u{308}\u{327}\u{338}\u{200b}\u{ad}\u{fe0f}ßæÆǅﬁ½²ℌ𝐀𝔞ʼ'`\"%"
            .chars()
            .collect();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..100_000 {
        let len = 1 + (next() % 8) as usize;
        let s: String = (0..len).map(|_| pool[(next() % pool.len() as u64) as usize]).collect();
        assert_eq!(skeleton(&s), crate_skeleton(&s), "{s:?}");
    }
}

#[test]
fn homoglyphs_still_collide() {
    assert_eq!(skeleton("\u{410}nn\u{430}"), skeleton("Anna"));
    assert_eq!(skeleton("m"), skeleton("rn"));
    assert_ne!(skeleton("Anna"), skeleton("Anne"));
}
