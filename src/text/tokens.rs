//! Tokenization of names and address lines over whitespace, dashes, apostrophes, periods and commas.
//!
//! Tokens borrow from the raw value (nothing is folded here), so [`inspect`](super::inspect) and
//! [`fold`](super::fold) can both work on them. Every other character, including `#`, `/`, `&` and
//! invisible format characters, stays inside its token: an address comparator needs `#4`, and a
//! zero-width space must remain visible to the security checks instead of silently splitting a word.

use super::normal_forms::is_combining_mark;

use super::script::is_default_ignorable;

/// What separated a token from its neighbour; a run of several separators reports the strongest,
/// in the order `Comma` > `Period` > `Hyphen` > `Apostrophe` > `Space`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Separator {
    /// The start or the end of the value.
    Edge,
    /// Whitespace only (any Unicode white space), or the katakana middle dot `・` between name parts.
    Space,
    /// An apostrophe: `'` `’` `‘` `ʼ` `` ` `` `´` `′` or the full-width `＇` (O'Neil, D’Angelo).
    Apostrophe,
    /// A dash: every Unicode Dash_Punctuation character, and the minus sign U+2212 (Mary-Jane).
    Hyphen,
    /// A full stop `.` or `．` (Dr. — J.R.R.).
    Period,
    /// A comma `,` `，` `、` or the Arabic comma `،` (Smith, John).
    Comma,
}

/// The shape of a token's characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters only (with their combining marks and in-word format characters).
    Word,
    /// A single letter of a cased script (Latin, Greek, Cyrillic, Armenian…): `J` in `J. Smith`.
    /// A single Han, kana or Hangul character is a `Word`: there it is a whole name part.
    Initial,
    /// Digits only (any script's decimal or other numeric characters).
    Number,
    /// Letters and digits (`4B`, `2nd`).
    Alphanumeric,
    /// Anything with other symbols or punctuation (`#4`, `&`).
    Other,
}

/// One token of a value, borrowed from it, with its byte range and its separators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token's text, exactly as in the raw value.
    pub text: &'a str,
    /// Byte offset of the token's first character in the value.
    pub start: usize,
    /// Byte offset just past the token's last character.
    pub end: usize,
    /// The shape of the token's characters.
    pub kind: TokenKind,
    /// The strongest separator between the previous token and this one (`Edge` for the first).
    pub before: Separator,
    /// Whether whitespace was among the separators before this token (`M.D.` vs `M. D.`).
    pub spaced_before: bool,
    /// The strongest separator between this token and the next (`Edge` for the last).
    pub after: Separator,
}

/// Splits `s` into tokens over whitespace, dashes, apostrophes, periods and commas.
///
/// ```
/// use okta_directory::text::{tokens, Separator};
/// let t = tokens("García-Márquez, Dr.");
/// let texts: Vec<&str> = t.iter().map(|t| t.text).collect();
/// assert_eq!(texts, ["García", "Márquez", "Dr"]);
/// assert_eq!(t[1].before, Separator::Hyphen);
/// assert_eq!(t[2].after, Separator::Period);
/// ```
pub fn tokens(s: &str) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::new();
    let mut run = Separator::Edge; // strongest separator since the previous token
    let mut spaced = false;
    let mut token_start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match separator(c) {
            Some(sep) => {
                if let Some(start) = token_start.take() {
                    push(&mut out, s, start, i, &mut run, &mut spaced);
                }
                run = run.max(sep);
                spaced |= sep == Separator::Space;
            }
            None => {
                token_start.get_or_insert(i);
            }
        }
    }
    if let Some(start) = token_start {
        push(&mut out, s, start, s.len(), &mut run, &mut spaced);
    }
    if let Some(last) = out.last_mut() {
        last.after = run;
    }
    out
}

/// Appends the token `s[start..end]`, closing the previous token's `after` with the separator run.
fn push<'a>(out: &mut Vec<Token<'a>>, s: &'a str, start: usize, end: usize, run: &mut Separator, spaced: &mut bool) {
    let Some(text) = s.get(start..end) else { return };
    if let Some(previous) = out.last_mut() {
        previous.after = *run;
    }
    out.push(Token {
        text,
        start,
        end,
        kind: kind(text),
        before: *run,
        spaced_before: *spaced,
        after: Separator::Edge,
    });
    *run = Separator::Edge;
    *spaced = false;
}

/// The separator class of `c`, or `None` when `c` belongs inside a token.
fn separator(c: char) -> Option<Separator> {
    // Most characters of a name: no separator is an ASCII letter or digit.
    if c.is_ascii_alphanumeric() {
        return None;
    }
    Some(match c {
        ',' | '\u{ff0c}' | '\u{3001}' | '\u{60c}' => Separator::Comma,
        '.' | '\u{ff0e}' => Separator::Period,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{2bc}' | '`' | '\u{b4}' | '\u{2032}' | '\u{ff07}' => Separator::Apostrophe,
        '\u{30fb}' | '\u{ff65}' => Separator::Space, // katakana middle dot: ジョン・スミス
        c if c.is_whitespace() => Separator::Space,
        c if is_dash(c) => Separator::Hyphen,
        _ => return None,
    })
}

/// Unicode Dash_Punctuation (General_Category Pd, Unicode 16) plus the minus sign, which looks the same.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{58a}' | '\u{5be}' | '\u{1400}' | '\u{1806}' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2e17}'
                | '\u{2e1a}'
                | '\u{2e3a}'
                | '\u{2e3b}'
                | '\u{2e40}'
                | '\u{2e5d}'
                | '\u{301c}'
                | '\u{3030}'
                | '\u{30a0}'
                | '\u{fe31}'
                | '\u{fe32}'
                | '\u{fe58}'
                | '\u{fe63}'
                | '\u{ff0d}'
                | '\u{10d6e}'
                | '\u{10ead}'
                | '\u{2212}'
    )
}

/// The letters of Latin-1 and Latin Extended-A (U+00C0–U+017F but × and ÷): each alphabetic and cased.
fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{c0}'..='\u{17f}') && !matches!(c, '\u{d7}' | '\u{f7}')
}

/// Classifies a token's characters.
fn kind(text: &str) -> TokenKind {
    let (mut letters, mut cased, mut digits, mut other) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        if is_latin_letter(c) {
            // Latin-1 and Latin Extended-A letters, upper or lower case: what the checks below find
            // for them, without the Unicode tables (a test compares every one).
            letters += 1;
            cased += 1;
        } else if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() || c.is_lowercase() {
                cased += 1;
            }
        } else if c.is_numeric() {
            digits += 1;
        } else if !(is_combining_mark(c) || is_default_ignorable(c) || c == '\u{b7}') {
            // Combining marks, format characters and the Catalan middle dot live inside words.
            other += 1;
        }
    }
    match (letters, digits, other) {
        (_, _, 1..) => TokenKind::Other,
        (0, 0, 0) => TokenKind::Other, // only marks or format characters
        (0, _, 0) => TokenKind::Number,
        (_, 1.., 0) => TokenKind::Alphanumeric,
        (1, 0, 0) if cased == 1 => TokenKind::Initial,
        _ => TokenKind::Word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_letters_are_alphabetic_and_cased() {
        for c in ('\u{80}'..='\u{24f}').filter(|c| is_latin_letter(*c)) {
            assert!(c.is_alphabetic() && (c.is_uppercase() || c.is_lowercase()), "{c:?}");
        }
        assert!(!is_latin_letter('\u{d7}') && !is_latin_letter('\u{bf}') && !is_latin_letter('\u{180}'));
    }

    #[test]
    fn the_ascii_shortcut_of_separators_is_the_general_match() {
        // `separator` before its ASCII letter-or-digit shortcut.
        let general = |c: char| -> Option<Separator> {
            Some(match c {
                ',' | '\u{ff0c}' | '\u{3001}' | '\u{60c}' => Separator::Comma,
                '.' | '\u{ff0e}' => Separator::Period,
                '\'' | '\u{2019}' | '\u{2018}' | '\u{2bc}' | '`' | '\u{b4}' | '\u{2032}' | '\u{ff07}' => {
                    Separator::Apostrophe
                }
                '\u{30fb}' | '\u{ff65}' => Separator::Space,
                c if c.is_whitespace() => Separator::Space,
                c if is_dash(c) => Separator::Hyphen,
                _ => return None,
            })
        };
        for c in (0u32..0x3000).filter_map(char::from_u32).chain(['\u{ff0c}', '\u{ff07}', '\u{ff65}', '|', '\u{7f}']) {
            assert_eq!(separator(c), general(c), "{c:?}");
        }
        fn kinds(s: &str) -> Vec<(&str, Separator, Separator, TokenKind)> {
            tokens(s).iter().map(|t| (t.text, t.before, t.after, t.kind)).collect()
        }
        assert_eq!(kinds("Mary-Jane O'Neil, Jr.")[1], ("Jane", Separator::Hyphen, Separator::Space, TokenKind::Word));
        assert_eq!(kinds("J.\u{7}|R2D2")[0], ("J", Separator::Edge, Separator::Period, TokenKind::Initial));
    }
}
