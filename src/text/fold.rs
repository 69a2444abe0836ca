//! Comparison keys for name and address tokens: compatibility normalization, case folding,
//! diacritic removal and transliteration of the Latin letters that do not decompose.
//!
//! Security rules: folding never crosses scripts. A Cyrillic `а` stays Cyrillic (lower-cased in
//! its own script), so a homoglyph spelling of a Latin name never folds to the genuine key.
//! Invisible, bidi-control and other default-ignorable characters are kept, so a value carrying
//! them never meets the clean key ([`inspect`](super::inspect) says why). The one exception is
//! where they only select a shape in a non-Latin script (ZWNJ in Persian, ZWJ in Devanagari, a
//! variation selector after a Han ideograph): there they are dropped, so `می‌خواهم` meets `میخواهم`.

use super::normal_forms::{is_combining_mark, NormalForms};
use super::script_lookup::script_extension_of;
use unicode_script::Script;

use super::script::{is_default_ignorable, is_specific_non_latin, is_variation_selector};

/// The primary comparison key of `s`.
///
/// Steps: NFKD (so ligatures, full-width and other compatibility forms become plain letters), full
/// case folding, removal of Latin/Greek/Cyrillic/Arabic/Hebrew and script-neutral combining marks,
/// transliteration of undecomposable Latin letters (`ß`→`ss`, `æ`→`ae`, `ø`→`o`, `ł`→`l`, `đ`/`ð`→`d`,
/// `þ`→`th`, `œ`→`oe`, `ı`→`i`, `ĸ`→`k`, `ħ`→`h`, `ŧ`→`t`, `ŋ`→`n`, `ŀ`→`l`, `ŉ`→`n`; `ſ`→`s` comes from NFKD), then NFC.
/// Letters of other scripts are only case-folded. Idempotent: `fold(&fold(x)) == fold(x)`.
///
/// ```
/// use okta_directory::text::fold;
/// assert_eq!(fold("Łukasz"), "lukasz");
/// assert_eq!(fold("Straße"), "strasse");
/// assert_eq!(fold("Ｊｏｓé"), "jose");
/// assert_ne!(fold("\u{410}nna"), "anna"); // Cyrillic А stays Cyrillic
/// ```
pub fn fold(s: &str) -> String {
    fold_with(s, Expansion::Plain).0
}

/// Every comparison key of `s`: the primary key first, then (only when it differs) the key with the
/// German/Scandinavian expansions `ä`→`ae`, `ö`→`oe`, `ü`→`ue`, `ø`→`oe`, `å`→`aa` applied to every
/// such letter (the ICAO 9303 machine-readable-zone spelling).
///
/// Two values meet when their key sets intersect, so `Müller` {muller, mueller} meets both `Muller`
/// and `Mueller`. `Mueller` and `Muller` do not meet each other: undoing `ue`→`ü` on plain ASCII
/// would also merge distinct names (Michael/Michal, Rafael/Rafal, Joel/Jol). Never more than two keys.
///
/// ```
/// use okta_directory::text::fold_variants;
/// assert_eq!(fold_variants("Søren"), vec!["soren".to_string(), "soeren".to_string()]);
/// assert_eq!(fold_variants("Soren"), vec!["soren".to_string()]);
/// ```
pub fn fold_variants(s: &str) -> Vec<String> {
    let (primary, expandable) = fold_with(s, Expansion::Plain);
    if !expandable {
        // Nearly every value: no second pass.
        return vec![primary];
    }
    let (expanded, _) = fold_with(s, Expansion::Umlaut);
    if expanded == primary {
        vec![primary]
    } else {
        vec![primary, expanded]
    }
}

/// How letters with a diaeresis, a ring or a stroke are spelled out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expansion {
    /// `ä`→`a`, `ø`→`o`, `å`→`a`.
    Plain,
    /// `ä`→`ae`, `ø`→`oe`, `å`→`aa`.
    Umlaut,
}

const COMBINING_DIAERESIS: char = '\u{308}';
const COMBINING_RING_ABOVE: char = '\u{30a}';
const MIDDLE_DOT: char = '\u{b7}';
const ARABIC_TATWEEL: char = '\u{640}';

/// Folds `s`; the flag says whether the umlaut key could differ (an `ä`, `ö`, `ü`, `ø` or `å` was seen).
fn fold_with(s: &str, expansion: Expansion) -> (String, bool) {
    // Most directory values are ASCII: NFKD and NFC leave ASCII as it is, it has no marks, nothing to
    // transliterate, and its case folding is the ASCII one. (A test checks this path against the
    // general one.)
    if s.is_ascii() {
        return (s.to_ascii_lowercase(), false);
    }
    // Accented Latin letters (García, Müller, Łukasz, Nguyễn) fold one character at a time to ASCII:
    // each character's spelling is read once from the general path and kept.
    if let Some(folded) = latin::fold(s, expansion) {
        return folded;
    }
    fold_with_unicode(s, expansion)
}

/// The per-character path of [`fold_with`] for values written in Latin letters, ASCII or
/// precomposed (below U+0300, and Latin Extended Additional, U+1E00–U+1EFF).
///
/// A character there folds on its own: its decomposition starts with a letter (no mark reaches back
/// to the character before it), its marks stay with it, and a value whose characters each fold to
/// ASCII needs no recomposing. So the fold of such a value is its characters' folds put together,
/// each computed once by the general path (`fold_with_unicode` on the character alone) and kept.
/// Characters whose fold is not plain ASCII of at most three letters (½, a soft hyphen), or that
/// depend on their neighbours (the middle dot of `l·l`), are not kept: a value with one takes the
/// general path. Tests check every kept character, and values of several, against the general path.
mod latin {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::{fold_with_unicode, Expansion, MIDDLE_DOT};
    use crate::text::normal_forms::{is_combining_mark, NormalForms};

    /// The characters of the first range: U+0000–U+02FF.
    const LOW: u32 = 0x300;
    /// The second range: Latin Extended Additional.
    const EXTENDED: std::ops::Range<u32> = 0x1e00..0x1f00;
    const SLOTS: usize = LOW as usize + 0x100;

    /// Each character's fold, packed (see [`pack`]); 0 until computed. Computing is idempotent, so
    /// two threads racing store the same value.
    static TABLE: [AtomicU64; SLOTS] = [const { AtomicU64::new(0) }; SLOTS];

    const COMPUTED: u64 = 1;
    const KEPT: u64 = 2;
    const EXPANDABLE: u64 = 4;

    /// The slot of `c`, when it is in the ranges.
    fn slot(c: char) -> Option<usize> {
        let cp = u32::from(c);
        if cp < LOW {
            Some(cp as usize)
        } else if EXTENDED.contains(&cp) {
            Some((cp - EXTENDED.start + LOW) as usize)
        } else {
            None
        }
    }

    /// A character's fold, computed by the general path: bit 0 computed, bit 1 kept, bit 2 the
    /// umlaut key could differ; bits 8–11 and 12–15 the plain and umlaut lengths; bytes 2–4 and 5–7
    /// their ASCII letters.
    fn pack(c: char) -> u64 {
        let first = std::iter::once(c).nfkd().next();
        if c == MIDDLE_DOT || first.is_none_or(is_combining_mark) {
            return COMPUTED;
        }
        let text = c.to_string();
        let (plain, expandable) = fold_with_unicode(&text, Expansion::Plain);
        let (umlaut, _) = fold_with_unicode(&text, Expansion::Umlaut);
        let fits = |s: &str| s.is_ascii() && s.len() <= 3;
        if !fits(&plain) || !fits(&umlaut) {
            return COMPUTED;
        }
        let mut packed = COMPUTED | KEPT | if expandable { EXPANDABLE } else { 0 };
        packed |= (plain.len() as u64) << 8 | (umlaut.len() as u64) << 12;
        for (i, b) in plain.bytes().enumerate() {
            packed |= u64::from(b) << (16 + 8 * i);
        }
        for (i, b) in umlaut.bytes().enumerate() {
            packed |= u64::from(b) << (40 + 8 * i);
        }
        packed
    }

    /// The fold of `c` (computed on first use), `None` when the character is not kept.
    fn folded(c: char) -> Option<u64> {
        let cell = &TABLE[slot(c)?];
        let mut packed = cell.load(Ordering::Relaxed);
        if packed == 0 {
            packed = pack(c);
            cell.store(packed, Ordering::Relaxed);
        }
        (packed & KEPT != 0).then_some(packed)
    }

    /// [`super::fold_with`] of `s` character by character; `None` when a character is not kept.
    pub(super) fn fold(s: &str, expansion: Expansion) -> Option<(String, bool)> {
        let mut out: Vec<u8> = Vec::with_capacity(s.len() + 4);
        let mut expandable = false;
        for c in s.chars() {
            let packed = folded(c)?;
            expandable |= packed & EXPANDABLE != 0;
            let (len, shift) = match expansion {
                Expansion::Plain => ((packed >> 8) & 0xf, 16),
                Expansion::Umlaut => ((packed >> 12) & 0xf, 40),
            };
            out.extend((0..len).map(|i| (packed >> (shift + 8 * i)) as u8));
        }
        // Only ASCII bytes were written.
        String::from_utf8(out).ok().map(|s| (s, expandable))
    }
}

/// The general path of [`fold_with`].
fn fold_with_unicode(s: &str, expansion: Expansion) -> (String, bool) {
    // NFKD exposes base letters and marks; pre-mapping first keeps NFKD from turning `ŀ` into
    // `l·` and `ŉ` into `ʼn` (punctuation that would then need its own rule).
    let decomposed = s.chars().map(premap).nfkd();
    let mut folded: Vec<char> = Vec::with_capacity(s.len());
    let mut pending_base: Option<char> = None;
    let mut expanded_current = false;
    let mut expandable = false;
    for c in decomposed.flat_map(case_fold) {
        if is_combining_mark(c) {
            if !is_strippable_mark(c) {
                folded.push(c);
                continue;
            }
            // The umlaut key spells out a diaeresis on a/o/u and a ring on a, once per letter.
            if let Some(extra) = pending_base.and_then(|base| umlaut_tail(base, c)) {
                expandable = true;
                if expansion == Expansion::Umlaut && !expanded_current {
                    folded.push(extra);
                    expanded_current = true;
                }
            }
            continue;
        }
        pending_base = Some(c);
        expanded_current = false;
        expandable |= c == 'ø';
        if c == MIDDLE_DOT && folded.last() == Some(&'l') {
            // Catalan `l·l` (punt volat) is spelled `ll` or `l.l` just as often; the dot carries no letter.
            continue;
        }
        if c == ARABIC_TATWEEL {
            // Kashida only stretches a joined Arabic word (محـمد); it is not a letter. Next to Latin
            // it is still a mixed-script token for `inspect`.
            continue;
        }
        match transliterate(c, expansion) {
            Some(latin) => folded.extend(latin.chars()),
            None => folded.push(c),
        }
    }
    (recomposed(folded), expandable)
}

/// The folded characters in NFC, shape selectors dropped: kept marks (kana voicing, Indic vowel
/// signs) recompose; Hangul jamo become syllables again. ASCII (José → jose) is already both.
fn recomposed(folded: Vec<char>) -> String {
    if folded.iter().all(char::is_ascii) {
        return folded.into_iter().collect();
    }
    drop_shape_selectors(&folded).into_iter().nfc().collect()
}

/// Removes ZWJ/ZWNJ between two letters of non-Latin scripts and variation selectors after one:
/// there they only choose a glyph or a joining form, and the same name is often stored without them.
///
/// Decisions look at the output kept so far and the next input character, so a second pass finds
/// nothing more to remove (fold stays idempotent).
fn drop_shape_selectors(chars: &[char]) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let after_non_latin = out.last().is_some_and(|&p| is_specific_non_latin(p));
        let drop = match c {
            '\u{200c}' | '\u{200d}' => after_non_latin && chars.get(i + 1).is_some_and(|&n| is_specific_non_latin(n)),
            c if is_variation_selector(c) => after_non_latin,
            _ => false,
        };
        if !drop {
            out.push(c);
        }
    }
    out
}

/// Characters whose compatibility decomposition would introduce punctuation into a name token.
fn premap(c: char) -> char {
    match c {
        '\u{13f}' | '\u{140}' => 'l', // Ŀ ŀ: Catalan l with middle dot
        '\u{149}' => 'n',             // ŉ: Afrikaans, NFKD gives ʼn
        _ => c,
    }
}

/// The spelled-out tail of `base` + `mark` in the umlaut key, when there is one.
fn umlaut_tail(base: char, mark: char) -> Option<char> {
    match (base, mark) {
        ('a' | 'o' | 'u', COMBINING_DIAERESIS) => Some('e'),
        ('a', COMBINING_RING_ABOVE) => Some('a'),
        _ => None,
    }
}

/// Full case folding (Unicode CaseFolding.txt, statuses C and F) of one NFKD character.
///
/// `char::to_lowercase` agrees with case folding except for the characters handled first; the
/// multi-character foldings (`ß`, `ŉ`, `ﬁ`, Greek with iota subscript…) are covered by NFKD, the
/// premap, the transliteration table and the `U+0345` rule.
fn case_fold(c: char) -> CaseFold {
    let single = match c {
        // Greek final sigma and the combining iota subscript fold to σ and ι.
        '\u{3c2}' => '\u{3c3}',
        '\u{345}' => '\u{3b9}',
        // Cherokee folds to its capitals (the older letters); lower-casing would go the other way.
        '\u{13a0}'..='\u{13f5}' => c,
        '\u{13f8}'..='\u{13fd}' => shift(c, 0x13f8, 0x13f0),
        '\u{ab70}'..='\u{abbf}' => shift(c, 0xab70, 0x13a0),
        // Old Cyrillic letter forms fold to the ordinary small letters.
        '\u{1c80}' => '\u{432}',
        '\u{1c81}' => '\u{434}',
        '\u{1c82}' => '\u{43e}',
        '\u{1c83}' => '\u{441}',
        '\u{1c84}' | '\u{1c85}' => '\u{442}',
        '\u{1c86}' => '\u{44a}',
        '\u{1c87}' => '\u{463}',
        '\u{1c88}' => '\u{a64b}',
        _ => return CaseFold::Lower(c.to_lowercase()),
    };
    CaseFold::One(Some(single))
}

/// `c - from + to` for characters inside a contiguous, equally long pair of ranges.
fn shift(c: char, from: u32, to: u32) -> char {
    char::from_u32(u32::from(c) - from + to).unwrap_or(c)
}

/// The output of [`case_fold`]: one character or `to_lowercase`'s iterator.
enum CaseFold {
    One(Option<char>),
    Lower(std::char::ToLowercase),
}

impl Iterator for CaseFold {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            CaseFold::One(c) => c.take(),
            CaseFold::Lower(it) => it.next(),
        }
    }
}

/// Combining marks removed as diacritics: the visible script-neutral ones (Script_Extensions
/// Inherited), those used with Latin, Greek or Cyrillic, and the optional vowel points and hamza
/// of Arabic and Hebrew (`أحمد` meets `احمد`, pointed Hebrew meets unpointed).
///
/// Marks of other scripts stay, because there they are letters in effect: Japanese voicing marks
/// (か vs が), Indic vowel signs and viramas, Thai vowels and tone marks.
fn is_strippable_mark(c: char) -> bool {
    // Variation selectors and the combining grapheme joiner are marks too, but invisible ones:
    // they are kept (or dropped only in context, above) like every other default-ignorable.
    if is_default_ignorable(c) {
        return false;
    }
    let ext = script_extension_of(c);
    ext.is_inherited()
        || ext.is_common()
        || ext.contains_script(Script::Latin)
        || ext.contains_script(Script::Greek)
        || ext.contains_script(Script::Cyrillic)
        || ext.contains_script(Script::Arabic)
        || ext.contains_script(Script::Hebrew)
}

/// The ASCII spelling of a lower-case Latin letter that has no canonical decomposition.
fn transliterate(c: char, expansion: Expansion) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss", // ẞ folds to ß first
        'æ' => "ae",
        'œ' => "oe",
        'ø' if expansion == Expansion::Umlaut => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i", // dotless i (Turkish, Azerbaijani)
        'ȷ' => "j", // dotless j
        'ĸ' => "k", // kra (old Greenlandic)
        'ħ' => "h", // Maltese
        'ŧ' => "t", // Northern Sami
        'ŋ' => "n", // Sami; ICAO 9303 writes N
        _ => return None,
    })
}

#[cfg(test)]
mod latin_fast_path {
    use super::*;

    /// The characters of the ranges.
    fn domain() -> Vec<char> {
        (0..0x300u32).chain(0x1e00..0x1f00).filter_map(char::from_u32).collect()
    }

    #[test]
    fn every_character_folds_as_the_general_path() {
        for c in domain() {
            let s = c.to_string();
            for expansion in [Expansion::Plain, Expansion::Umlaut] {
                if let Some(fast) = latin::fold(&s, expansion) {
                    assert_eq!(fast, fold_with_unicode(&s, expansion), "U+{:04X}", u32::from(c));
                }
            }
        }
        // Kept: accented letters and the spelled-out ones; not kept: the middle dot, ½, a soft
        // hyphen, a combining mark.
        for c in ['é', 'Ü', 'ø', 'ß', 'Ł', 'ŀ', 'ŉ', 'ễ', 'Ǆ', 'ı'] {
            assert!(latin::fold(&c.to_string(), Expansion::Plain).is_some(), "{c}");
        }
        for c in [MIDDLE_DOT, '\u{bd}', '\u{ad}', '\u{301}'] {
            assert!(latin::fold(&c.to_string(), Expansion::Plain).is_none(), "{c}");
        }
    }

    #[test]
    fn values_of_several_characters_fold_as_the_general_path() {
        let domain = domain();
        // Every pair with a character that carries state in the general path (letters that take an
        // umlaut, ø, l before a middle dot, the spelled-out letters), then random values.
        let special: Vec<char> = "aouAOUlLøØåÅäöüÄÖÜßẞŀŉæœþıǅĳ ·-'".chars().collect();
        let mut values: Vec<String> = Vec::new();
        for &a in &special {
            for &b in &domain {
                values.push(format!("{a}{b}"));
                values.push(format!("{b}{a}"));
            }
        }
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut v = String::new();
            for _ in 0..(1 + state % 8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                v.push(domain[(state % domain.len() as u64) as usize]);
            }
            values.push(v);
        }
        let mut fast = 0;
        for v in &values {
            for expansion in [Expansion::Plain, Expansion::Umlaut] {
                if let Some(folded) = latin::fold(v, expansion) {
                    fast += 1;
                    assert_eq!(folded, fold_with_unicode(v, expansion), "{v:?}");
                }
            }
        }
        assert!(fast > values.len(), "the fast path was taken {fast} times");
        assert_eq!(fold_variants("Müller"), ["muller", "mueller"]);
        assert_eq!(fold("Nguyễn Łukasz Ǆ"), "nguyen lukasz dz");
    }
}

#[cfg(test)]
mod ascii_fast_path {
    use super::*;

    #[test]
    fn ascii_folds_need_no_recomposing() {
        for s in crate::text::random_ascii_strings() {
            let chars: Vec<char> = s.chars().collect();
            let general: String = drop_shape_selectors(&chars).into_iter().nfc().collect();
            assert_eq!(recomposed(chars), general, "{s:?}");
        }
        assert_eq!(fold("Jos\u{e9} M\u{fc}ller"), "jose muller");
    }

    #[test]
    fn agrees_with_the_general_path() {
        for s in crate::text::random_ascii_strings() {
            for expansion in [Expansion::Plain, Expansion::Umlaut] {
                assert_eq!(fold_with(&s, expansion), fold_with_unicode(&s, expansion), "{s:?}");
            }
        }
    }
}
