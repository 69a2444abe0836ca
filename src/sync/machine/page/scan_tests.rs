//! The members-page scanner (`scan`) against the serde parser it stands in for.

use super::parse_member_ids_serde;
use crate::sync::machine::scan::{find_special, member_ids};

const PAGE: &str = r#" [ {"id":"00u1","status":"ACTIVE","n":-12.5e+3,"z":0,"t":true,"f":false,"x":null,
    "profile":{"name":"Jos\u00e9 \"Pepe\" N\\\/\b\f\n\r\t","a":[1,[],{},"é"]},"_links":{"self":{"href":"h"}}},
    {"status":"X","id":"00u2","id":"00u3"} ] "#;

/// The fast path's answer, when it gives one, is serde's; and serde errs only where it gives none.
fn agrees(body: &str) {
    match (member_ids(body), parse_member_ids_serde(body)) {
        (Some(fast), Ok(slow)) => assert_eq!(fast, slow, "{body}"),
        (Some(fast), Err(e)) => panic!("fast path accepted {body:?} ({fast:?}) that serde rejects: {e}"),
        (None, _) => {}
    }
}

#[test]
fn finds_the_first_quote_backslash_or_control_byte_like_a_plain_search() {
    let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
    let alphabet = [b'a', b'"', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xff, 0x00, b'!', b'#', b'[', b']', 0x21, 0x5b, 0x5d];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for len in 0..40 {
        for _ in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Mostly plain letters, so that specials land at every offset of a word.
                    if state % 5 == 0 {
                        alphabet[(state >> 8) as usize % alphabet.len()]
                    } else {
                        b'a' + (state >> 16) as u8 % 26
                    }
                })
                .collect();
            assert_eq!(find_special(&bytes), naive(&bytes), "{bytes:?}");
        }
    }
}

#[test]
fn takes_the_last_id_of_each_member_and_skips_everything_else() {
    assert_eq!(member_ids(PAGE), Some(vec!["00u1".to_string(), "00u3".to_string()]));
    assert_eq!(member_ids("[]"), Some(vec![]));
    assert_eq!(member_ids(" [ ] \n"), Some(vec![]));
    agrees(PAGE);
}

#[test]
fn leaves_to_serde_what_it_does_not_vouch_for() {
    for body in [
        "",
        "{}",
        "[",
        "[{}]",
        "[1]",
        r#"[{"id":"00u1"}"#,
        r#"[{"id":"00u1"}] x"#,
        r#"[{"id":"00u1"},]"#,
        r#"[{"id":"00u-1"}]"#,
        r#"[{"id":1}]"#,
        r#"[{"i\u0064":"00u1"}]"#,
        r#"[{"id":"00u\u0031"}]"#,
        r#"[{"id":"00u1","a":01}]"#,
        r#"[{"id":"00u1","a":1.}]"#,
        r#"[{"id":"00u1","a":-}]"#,
        r#"[{"id":"00u1","a":tru}]"#,
        r#"[{"id":"00u1","a":"\ud800"}]"#,
        r#"[{"id":"00u1","a":"\x"}]"#,
        "[{\"id\":\"00u1\",\"a\":\"\u{1}\"}]",
        r#"[{"id":"00u1","a":{"b"}}]"#,
    ] {
        assert_eq!(member_ids(body), None, "{body}");
        agrees(body);
    }
    let deep = format!(r#"[{{"id":"00u1","a":{}1{}}}]"#, "[".repeat(100), "]".repeat(100));
    assert_eq!(member_ids(&deep), None);
}

#[test]
fn agrees_with_serde_on_every_truncation_and_byte_change() {
    let body = PAGE;
    for end in 0..body.len() {
        if let Some(prefix) = body.get(..end) {
            agrees(prefix);
        }
    }
    for at in 0..body.len() {
        for c in ["", " ", "\"", "\\", ",", ":", "{", "}", "[", "]", "0", "-", "e", ".", "u", "\u{7}"] {
            let (Some(head), Some(tail)) = (body.get(..at), body.get(at + 1..)) else { continue };
            agrees(&format!("{head}{c}{tail}"));
            agrees(&format!("{head}{c}{}", body.get(at..).unwrap_or("")));
        }
    }
}
