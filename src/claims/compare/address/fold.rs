//! The address tokenizer every address part shares, over `crate::text::fold` keys.
//!
//! Addresses need their own word rules (`#4`, `12-14`, `4/12`), so this is not `crate::text::tokens`,
//! which is tuned for names.

use crate::text::fold;

/// Longest part value read, in bytes (Okta's `streetAddress` holds up to 1024 characters; four bytes
/// each is the most UTF-8 needs). Longer values are unreadable, never truncated: a truncated address
/// could meet someone else's.
pub(crate) const MAX_PART_BYTES: usize = 4096;

/// `crate::text::fold`, without the Unicode machinery for ASCII text, where folding is lower-casing
/// (most directory values are ASCII, and fold's NFKD/NFC passes cost about a microsecond each).
pub(crate) fn key(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        fold(s)
    }
}

/// Splits text into folded word tokens.
///
/// Periods and apostrophes vanish (`St.` → `st`, `P.O.` → `po`, `O'Hare` → `ohare`); `#` is a token of
/// its own; a `-` or `/` joined to a digit stays inside its token (`12-14`, `4-B`, `4/12`), anywhere else
/// it separates words (`Winston-Salem`); every other non-alphanumeric character separates words.
pub(crate) fn tokens(s: &str) -> Vec<String> {
    if s.is_ascii() {
        let mut out = Vec::new();
        ascii_tokens(s, &mut |t| out.push(t.to_ascii_lowercase()));
        return out;
    }
    let folded = key(s);
    let mut chars: Vec<char> = Vec::with_capacity(folded.len());
    chars.extend(folded.chars().filter(|c| !matches!(c, '.' | '\'' | '\u{2019}')));
    let mut out = Vec::new();
    // One buffer for the token being read; each token is copied out at its own length.
    let mut current = String::with_capacity(folded.len());
    for (i, &c) in chars.iter().enumerate() {
        let joins = |c: char| matches!(c, '-' | '/');
        // Invisible and bidi-control characters stay inside their token: dropped or read as spaces,
        // they would let a spoofed value meet the genuine one.
        let keep = if c.is_alphanumeric() || is_invisible(c) {
            true
        } else if joins(c) {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            match (prev, next) {
                (Some(p), Some(n)) => {
                    p.is_alphanumeric() && n.is_alphanumeric() && (p.is_ascii_digit() || n.is_ascii_digit())
                }
                _ => false,
            }
        } else {
            false
        };
        if keep {
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            out.push(current.as_str().to_owned());
            current.clear();
        }
        if c == '#' {
            out.push("#".to_owned());
        }
    }
    if !current.is_empty() {
        out.push(current.as_str().to_owned());
    }
    out
}

/// [`tokens`] of an ASCII value, each token handed to `emit` as written: the caller lower-cases it
/// (ASCII folds to its lower case and has no invisible characters). Periods and apostrophes are
/// removed first, on the stack for a value of up to [`STACK_BYTES`], in a copy only past that.
fn ascii_tokens(s: &str, emit: &mut dyn FnMut(&str)) {
    if !s.bytes().any(|b| matches!(b, b'.' | b'\'')) {
        return ascii_runs(s, emit);
    }
    let mut stack = StackText::default();
    if s.bytes().filter(|b| !matches!(b, b'.' | b'\'')).all(|b| stack.push(b)) {
        return ascii_runs(stack.as_str(), emit);
    }
    let filtered: String = s.chars().filter(|c| !matches!(c, '.' | '\'')).collect();
    ascii_runs(&filtered, emit)
}

/// The tokens of ASCII text without periods or apostrophes (see [`ascii_tokens`]).
fn ascii_runs(text: &str, emit: &mut dyn FnMut(&str)) {
    let bytes = text.as_bytes();
    // Where the token being read starts (tokens are runs of kept characters).
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let keep = c.is_ascii_alphanumeric()
            || (matches!(c, b'-' | b'/')
                && match (i.checked_sub(1).map(|p| bytes[p]), bytes.get(i + 1)) {
                    (Some(p), Some(&n)) => {
                        p.is_ascii_alphanumeric()
                            && n.is_ascii_alphanumeric()
                            && (p.is_ascii_digit() || n.is_ascii_digit())
                    }
                    _ => false,
                });
        if keep {
            continue;
        }
        if start < i {
            emit(&text[start..i]);
        }
        if c == b'#' {
            emit("#");
        }
        start = i + 1;
    }
    if start < bytes.len() {
        emit(&text[start..]);
    }
}

/// Longest ASCII value whose key is built on the stack rather than in a `String`.
const STACK_BYTES: usize = 64;

/// ASCII text of up to [`STACK_BYTES`] built on the stack (a key only looked up, never kept).
struct StackText {
    bytes: [u8; STACK_BYTES],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        StackText { bytes: [0; STACK_BYTES], len: 0 }
    }
}

impl StackText {
    /// Appends an ASCII byte; `false` when full (the caller falls back to a `String`).
    fn push(&mut self, byte: u8) -> bool {
        let Some(slot) = self.bytes.get_mut(self.len) else { return false };
        *slot = byte;
        self.len += 1;
        true
    }

    /// The text (ASCII bytes: always UTF-8).
    fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

/// Zero-width, joiner, bidi-control and other invisible format characters (Unicode category Cf in
/// the ranges text actually carries).
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// Whether fuzzy tolerance is safe for this key: no invisible characters, and not Latin letters mixed
/// with letters of another script (a homoglyph one edit away from the genuine name must not pass).
pub(crate) fn fuzzy_safe(key: &str) -> bool {
    let mut ascii_letters = false;
    let mut other_letters = false;
    for c in key.chars() {
        if is_invisible(c) {
            return false;
        }
        ascii_letters |= c.is_ascii_alphabetic();
        other_letters |= c.is_alphabetic() && !c.is_ascii();
    }
    !(ascii_letters && other_letters)
}

/// The key a lookup table matches: the tokens of `s` joined by single spaces.
pub(crate) fn name_key(s: &str) -> String {
    if s.is_ascii() {
        let mut key = String::with_capacity(s.len());
        ascii_tokens(s, &mut |t| {
            if !key.is_empty() {
                key.push(' ');
            }
            let start = key.len();
            key.push_str(t);
            key[start..].make_ascii_lowercase();
        });
        return key;
    }
    tokens(s).join(" ")
}

/// `f` of [`name_key`]`(s)`, the key built on the stack for an ASCII value of up to [`STACK_BYTES`]
/// (its key is never longer: only separators become spaces, one per run): for table lookups.
pub(crate) fn with_name_key<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut key = StackText::default();
    if stack_name_key(s, &mut key) {
        return f(key.as_str());
    }
    f(&name_key(s))
}

/// Builds [`name_key`]`(s)` in `key`; `false` when `s` is not ASCII or too long for it.
fn stack_name_key(s: &str, key: &mut StackText) -> bool {
    if !s.is_ascii() || s.len() > STACK_BYTES {
        return false;
    }
    let mut fits = true;
    ascii_tokens(s, &mut |t| {
        if key.len > 0 {
            fits &= key.push(b' ');
        }
        fits &= t.bytes().all(|b| key.push(b.to_ascii_lowercase()));
    });
    fits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokenizer as it was written first (a `Vec` of characters, a `String` per token).
    fn tokens_of_folded(folded: &str) -> Vec<String> {
        let chars: Vec<char> = folded.chars().filter(|c| !matches!(c, '.' | '\'' | '\u{2019}')).collect();
        let mut out = Vec::new();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let joins = |c: char| matches!(c, '-' | '/');
            // Invisible and bidi-control characters stay inside their token: dropped or read as spaces,
            // they would let a spoofed value meet the genuine one.
            let keep = if c.is_alphanumeric() || is_invisible(c) {
                true
            } else if joins(c) {
                let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
                let next = chars.get(i + 1).copied();
                match (prev, next) {
                    (Some(p), Some(n)) => {
                        p.is_alphanumeric() && n.is_alphanumeric() && (p.is_ascii_digit() || n.is_ascii_digit())
                    }
                    _ => false,
                }
            } else {
                false
            };
            if keep {
                current.push(c);
                continue;
            }
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            if c == '#' {
                out.push("#".to_owned());
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
        out
    }

    #[test]
    fn the_tokenizer_splits_like_its_first_form() {
        let cases = ["12-14 Main St. Apt #4", "P.O. Box 12", "4/12 O'Hare Rd", "-4-", "a-/-1", "#4-B", "1/ /2", "x-1-"];
        let unicode =
            ["Straße 4-B", "４/１２ Rue", "٣-٤ شارع", "12\u{200b}-4", "Åsgatan 1/2", "1-\u{0661}", "Zoë’s", "-é-1"];
        let more = unicode.iter().flat_map(|u| cases.iter().map(move |c| format!("{u} {c}")));
        // Past the stack buffer (64 bytes), with periods and apostrophes: the copy on the heap.
        let long =
            ["P.O. Box 12 ".repeat(6), "O'Hare\u{7}|Rd-4/5 ".repeat(5), "'.".repeat(40) + "1-2", "A".repeat(65) + "."];
        let all = crate::text::random_ascii_strings().chain(cases.map(String::from)).chain(more).chain(long);
        for s in all {
            assert_eq!(tokens(&s), tokens_of_folded(&key(&s)), "{s:?}");
        }
    }

    #[test]
    fn fuzzy_safety() {
        assert!(fuzzy_safe("springfield"));
        assert!(fuzzy_safe("москва"));
        assert!(fuzzy_safe("12 main st"));
        assert!(!fuzzy_safe("spr\u{456}ngfield"));
        assert!(!fuzzy_safe("spring\u{200b}field"));
    }

    #[test]
    fn the_ascii_shortcut_folds_like_text_fold() {
        let ascii: String = (0u8..=127).map(char::from).collect();
        assert_eq!(key(&ascii), fold(&ascii));
        assert_eq!(key("Straße"), "strasse");
    }

    #[test]
    fn tokens_are_folded() {
        assert_eq!(tokens("Québec"), ["quebec"]);
        assert_eq!(tokens("ÎLE-DU-PRINCE-ÉDOUARD"), ["ile", "du", "prince", "edouard"]);
        assert_eq!(tokens("Hauptstraße １２"), ["hauptstrasse", "12"]);
        // A Cyrillic letter stays Cyrillic: folding never turns a homoglyph into the Latin letter.
        assert_ne!(tokens("Spr\u{456}ngfield"), ["springfield"]);
    }

    #[test]
    fn tokenizer() {
        let cases: &[(&str, &[&str])] = &[
            ("12 Main St.", &["12", "main", "st"]),
            ("12 Main Street #4", &["12", "main", "street", "#", "4"]),
            ("Apt#4B", &["apt", "#", "4b"]),
            ("P.O. Box 12", &["po", "box", "12"]),
            ("12-14 Winston-Salem Rd, Unit 4-B", &["12-14", "winston", "salem", "rd", "unit", "4-b"]),
            ("4/12 George St", &["4/12", "george", "st"]),
            ("12 Main St\nApt 4", &["12", "main", "st", "apt", "4"]),
            ("O'Hare - Drive", &["ohare", "drive"]),
            ("  ", &[]),
            ("---", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(tokens(input), *want, "{input:?}");
        }
        assert_eq!(tokens("Spring\u{200b}field"), ["spring\u{200b}field"]);
        assert_eq!(name_key("Côte d'Ivoire"), "cote divoire");
        for s in crate::text::random_ascii_strings() {
            assert_eq!(name_key(&s), tokens(&s).join(" "), "{s:?}");
        }
        assert_eq!(name_key("Korea, Republic of"), "korea republic of");
    }

    #[test]
    fn the_stack_key_is_the_name_key() {
        let hostile = ["P.O. Box 12", "O'Hare\u{7}|Rd", "'.'.", "A-1/B", "  x  ", "\t#4\n", "Ünïcode St.", "a.b'c-d/1"];
        let long = ["A.".repeat(40), "x ".repeat(40), "Q".repeat(64), "Q".repeat(65), ".".repeat(70) + "ab"];
        let all = crate::text::random_ascii_strings().chain(hostile.map(String::from)).chain(long);
        for s in all {
            assert_eq!(with_name_key(&s, str::to_owned), name_key(&s), "{s:?}");
            assert_eq!(with_name_key(&s, str::to_owned), tokens(&s).join(" "), "{s:?}");
        }
    }
}
