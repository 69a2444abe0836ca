//! Cleaning of directory attribute values: Unicode NFC, whitespace, control characters, length.
//!
//! Cleaning never changes letters (no case or diacritic folding): the stored record keeps what
//! the directory says, and the matching engine decides later what counts as equal. Invisible and
//! bidi-control characters are kept too, so the matching engine can see and flag them.

use std::borrow::Cow;

use super::normal_forms::{is_nfc_quick, NormalForms};

/// Whether a value may span several lines (Okta's `streetAddress` may contain newlines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Every run of whitespace, newlines included, becomes one space.
    Single,
    /// Lines are kept (CRLF and CR become LF); each line is trimmed and collapsed, blank lines dropped.
    Multi,
}

/// Why a value was rejected by [`clean_value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CleanError {
    /// Nothing but whitespace.
    Empty,
    /// Longer than the limit, in Unicode scalar values after NFC.
    TooLong,
    /// Contains C0/C1 control characters other than line breaks and tabs.
    ControlCharacters,
    /// Contains U+FFFD, the replacement character: bytes that were not valid UTF-8 were decoded lossily
    /// (by the transport, or by whatever system stored the value); the text is not what it was.
    InvalidText,
}

/// Invisible characters that copy and paste leaves in HR data: zero-width space, soft hyphen, byte
/// order mark, word joiner. In a directory value they are a data-quality finding (removed before
/// comparing, with a reason); in a verified value they stay suspicious.
pub const COPY_PASTE_INVISIBLES: [char; 4] = ['\u{200B}', '\u{00AD}', '\u{FEFF}', '\u{2060}'];

/// `value` without [`COPY_PASTE_INVISIBLES`], or `None` when it carries none.
///
/// ```
/// use okta_directory::text::without_copy_paste_invisibles;
/// assert_eq!(without_copy_paste_invisibles("An\u{200B}n").as_deref(), Some("Ann"));
/// assert_eq!(without_copy_paste_invisibles("Ann"), None);
/// ```
pub fn without_copy_paste_invisibles(value: &str) -> Option<String> {
    // The invisibles are all outside ASCII (a test checks it): most values need no character search.
    if value.is_ascii() {
        return None;
    }
    value
        .contains(COPY_PASTE_INVISIBLES)
        .then(|| value.chars().filter(|c| !COPY_PASTE_INVISIBLES.contains(c)).collect())
}

/// Cleans one attribute value: NFC, trimmed, whitespace collapsed, at most `max_chars` characters.
///
/// ```
/// use okta_directory::text::{clean_value, Lines};
/// assert_eq!(clean_value("  Jose\u{301}   María ", Lines::Single, 50), Ok("José María".to_string()));
/// ```
pub fn clean_value(raw: &str, lines: Lines, max_chars: usize) -> Result<String, CleanError> {
    if raw.len() <= max_chars && is_clean_ascii(raw) {
        // What the general path returns for it: the value unchanged (or empty).
        return if raw.is_empty() { Err(CleanError::Empty) } else { Ok(raw.to_owned()) };
    }
    clean_general(raw, lines, max_chars)
}

/// [`clean_value`] for any input.
fn clean_general(raw: &str, lines: Lines, max_chars: usize) -> Result<String, CleanError> {
    // Cheap guard before any Unicode work. Trimming, whitespace collapsing and NFC only shrink a
    // value, so this bound must be loose: 16 bytes per allowed character covers fully decomposed
    // scripts (a Hangul syllable is 9 bytes in NFD) and 1 KiB covers fixed-width space padding.
    // The real limit is the character count after cleaning, below.
    if raw.len() > max_chars.saturating_mul(16).saturating_add(1024) {
        return Err(CleanError::TooLong);
    }
    if raw.chars().any(is_forbidden_control) {
        return Err(CleanError::ControlCharacters);
    }
    if raw.contains(char::REPLACEMENT_CHARACTER) {
        return Err(CleanError::InvalidText);
    }
    // Most directory values are already NFC (ASCII always is): skip the rewrite then.
    let nfc: Cow<'_, str> =
        if is_nfc_quick(raw) { Cow::Borrowed(raw) } else { Cow::Owned(raw.chars().nfc().collect()) };
    let cleaned = match lines {
        Lines::Single => collapse(&nfc),
        Lines::Multi => {
            nfc.split(['\n', '\r']).map(collapse).filter(|line| !line.is_empty()).collect::<Vec<_>>().join("\n")
        }
    };
    if cleaned.is_empty() {
        return Err(CleanError::Empty);
    }
    if cleaned.chars().count() > max_chars {
        return Err(CleanError::TooLong);
    }
    Ok(cleaned)
}

/// Whether `raw` is printable ASCII already trimmed with single spaces between words: then NFC,
/// whitespace collapsing and line splitting all leave it as it is (most directory values).
fn is_clean_ascii(raw: &str) -> bool {
    let mut previous = b' '; // so that a leading space reads as a repeated one
    for &c in raw.as_bytes() {
        if !(b' '..=b'~').contains(&c) || (c == b' ' && previous == b' ') {
            return false;
        }
        previous = c;
    }
    previous != b' ' || raw.is_empty()
}

/// Control characters that have no place in a directory attribute (line breaks and tab are whitespace).
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// Trims and turns every run of whitespace into a single ASCII space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_paste_invisibles_are_outside_ascii() {
        assert!(COPY_PASTE_INVISIBLES.iter().all(|c| !c.is_ascii()));
        assert_eq!(without_copy_paste_invisibles("Ann"), None);
        assert_eq!(without_copy_paste_invisibles("J\u{f6}\u{ad}rg").as_deref(), Some("J\u{f6}rg"));
    }

    #[test]
    fn table() {
        let cases: &[(&str, Lines, usize, Result<&str, CleanError>)] = &[
            ("Alice", Lines::Single, 50, Ok("Alice")),
            ("  Mary \t Jane  ", Lines::Single, 50, Ok("Mary Jane")),
            ("a\nb", Lines::Single, 50, Ok("a b")),
            ("12 Main St\r\n\r\n  Apt 4 ", Lines::Multi, 50, Ok("12 Main St\nApt 4")),
            ("Mu\u{308}ller", Lines::Single, 50, Ok("M\u{fc}ller")),
            ("   ", Lines::Single, 50, Err(CleanError::Empty)),
            ("", Lines::Multi, 50, Err(CleanError::Empty)),
            ("\u{3000}\u{a0}", Lines::Single, 50, Err(CleanError::Empty)),
            ("abcdef", Lines::Single, 5, Err(CleanError::TooLong)),
            ("abcde", Lines::Single, 5, Ok("abcde")),
            ("nul\u{0}byte", Lines::Single, 50, Err(CleanError::ControlCharacters)),
            ("esc\u{1b}[31m", Lines::Single, 50, Err(CleanError::ControlCharacters)),
            ("c1\u{85}", Lines::Single, 50, Err(CleanError::ControlCharacters)),
            ("Jos\u{FFFD}", Lines::Single, 50, Err(CleanError::InvalidText)),
            // Invisible and bidi controls are format characters, not controls: kept for the matcher.
            ("Al\u{200b}ice", Lines::Single, 50, Ok("Al\u{200b}ice")),
            ("\u{202e}ecilA", Lines::Single, 50, Ok("\u{202e}ecilA")),
        ];
        for (raw, lines, max, want) in cases {
            let got = clean_value(raw, *lines, *max);
            assert_eq!(got.as_deref(), want.as_ref().map(|s| *s), "{raw:?}");
        }
    }

    #[test]
    fn ascii_fast_path_equals_the_general_path() {
        // Mostly printable ASCII (the fast path's domain), then every kind of whitespace, controls,
        // combining marks, NFC-changing and non-BMP characters.
        const ASCII: &[char] = &['a', 'Z', '0', '~', '!', ' ', ' ', '.', '@', '-'];
        const OTHER: &[char] = &[
            '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{0}', '\u{1f}', '\u{7f}', '\u{85}', '\u{a0}', '\u{1680}',
            '\u{2028}', '\u{2029}', '\u{3000}', '\u{200b}', '\u{feff}', '\u{202e}', 'e', '\u{301}', '\u{308}', 'é',
            '\u{212b}', 'Å', '\u{1100}', '\u{1161}', '\u{11a8}', '한', 'ﬁ', '😀',
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut fast, mut total) = (0, 0);
        for _ in 0..200_000 {
            let len = next(14);
            let other_share = [0, 0, 5, 20, 60][next(5)];
            let raw: String = (0..len)
                .map(|_| if next(100) < other_share { OTHER[next(OTHER.len())] } else { ASCII[next(ASCII.len())] })
                .collect();
            for lines in [Lines::Single, Lines::Multi] {
                let max = [0, 1, 2, 4, 8, 13, 50][next(7)];
                total += 1;
                fast += usize::from(raw.len() <= max && is_clean_ascii(&raw));
                assert_eq!(clean_value(&raw, lines, max), clean_general(&raw, lines, max), "{raw:?} {lines:?} {max}");
            }
        }
        assert!(fast > total / 5, "fast path taken {fast} times of {total}");
        assert!(fast < total * 4 / 5, "general path taken {} times of {total}", total - fast);
    }

    #[test]
    fn huge_input_is_rejected_before_normalization() {
        let raw = "a".repeat(1 << 20);
        assert_eq!(clean_value(&raw, Lines::Single, 100), Err(CleanError::TooLong));
        let padded = format!("94105{}", " ".repeat(900));
        assert_eq!(clean_value(&padded, Lines::Single, 50).as_deref(), Ok("94105"));
    }

    #[test]
    fn limit_counts_characters_not_bytes() {
        let raw = "é".repeat(50);
        assert_eq!(clean_value(&raw, Lines::Single, 50).map(|s| s.chars().count()), Ok(50));
    }
}
