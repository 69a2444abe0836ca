//! Security findings on a raw value, before any folding: mixed scripts, whole-script look-alikes,
//! invisible characters, bidi controls and control characters (Unicode TS #39 and TR #9 concerns).
//!
//! A value with findings must never produce a `match`: the claims engine turns each finding into
//! its reason code and fails or routes to review per policy. The checks are tuned so real names in
//! one script (Arabic, Hebrew, CJK, Devanagari, Thai, Cyrillic, Greek…) produce no findings.

use unicode_script::Script;

use super::script_lookup::script_of;

use super::script::{
    dominant_script, is_default_ignorable, is_single_non_latin, is_single_or_highly_restrictive, is_specific_non_latin,
    is_variation_selector, skeleton_is_ascii_latin,
};
use super::tokens::tokens;

/// Why a value is suspicious. Each reason has a stable code (see [`Reason::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// `SUSPICIOUS_MIXED_SCRIPT`: a token mixes scripts beyond the UTS #39 "Highly Restrictive" level.
    /// Common and Inherited characters (digits, punctuation, generic marks) go with any script, and
    /// Latin may combine with Han + Hiragana + Katakana, Han + Bopomofo or Han + Hangul. Anything else,
    /// such as a Cyrillic `о` inside Latin `John`, is flagged. Tokens are split as by [`tokens`].
    MixedScript,
    /// `SUSPICIOUS_CONFUSABLE`: a whole-script look-alike. A token written in one non-Latin script
    /// whose UTS #39 skeleton is all ASCII Latin letters (Cyrillic `ЕММА`, Greek `ΚΟΡΗ`), unless
    /// another token of the same value in that script is not a look-alike (so the initials of
    /// `Петров А. В.` pass). Contextual: some real names are look-alikes too (Cyrillic `Егор`,
    /// `Сара`); see [`Reason::is_contextual`].
    Confusable,
    /// `SUSPICIOUS_INVISIBLE`: a default-ignorable character outside legitimate use: zero-width
    /// space, word joiner, soft hyphen, U+180E, U+2060–U+2064, U+FEFF, Hangul fillers, tag
    /// characters; ZWJ/ZWNJ unless both neighbours belong to a non-Latin script (Persian, Indic);
    /// variation selectors unless they follow a non-Latin letter (Han ideographic variants, Mongolian).
    Invisible,
    /// `SUSPICIOUS_BIDI_CONTROL`: an explicit bidirectional formatting character: LRE, RLE, PDF,
    /// LRO, RLO (U+202A–U+202E), LRI, RLI, FSI, PDI (U+2066–U+2069), LRM, RLM (U+200E, U+200F) or
    /// the Arabic letter mark (U+061C). They can reorder what a reviewer sees.
    BidiControl,
    /// `SUSPICIOUS_CONTROL`: a C0 or C1 control character or DEL, other than tab, LF and CR. Values
    /// that went through `clean_value` never have them; claims from elsewhere might.
    Control,
}

impl Reason {
    /// Every reason, in code order.
    pub const ALL: &'static [Reason] =
        &[Reason::MixedScript, Reason::Confusable, Reason::Invisible, Reason::BidiControl, Reason::Control];

    /// The stable, machine-readable reason code.
    pub fn code(self) -> &'static str {
        match self {
            Reason::MixedScript => "SUSPICIOUS_MIXED_SCRIPT",
            Reason::Confusable => "SUSPICIOUS_CONFUSABLE",
            Reason::Invisible => "SUSPICIOUS_INVISIBLE",
            Reason::BidiControl => "SUSPICIOUS_BIDI_CONTROL",
            Reason::Control => "SUSPICIOUS_CONTROL",
        }
    }

    /// True when the finding depends on what the value is compared with.
    ///
    /// Only `Confusable` is: a Cyrillic `Егор` on both sides is a genuine same-script match,
    /// while the same token against a Latin record is a spoof. [`Findings::blocks_match_with`]
    /// applies the rule; every other reason blocks a `match` on its own.
    pub fn is_contextual(self) -> bool {
        self == Reason::Confusable
    }
}

/// One finding: its reason and where it first occurs. Never carries the value's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// Why the value is suspicious.
    pub reason: Reason,
    /// Byte offset of the first offending character or token.
    pub start: usize,
}

/// The findings on one value: at most one per reason (the first occurrence), in [`Reason`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    items: Vec<Finding>,
}

impl Findings {
    /// True when the value raised no finding.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The number of distinct reasons found.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether `reason` was found.
    pub fn has(&self, reason: Reason) -> bool {
        self.items.iter().any(|f| f.reason == reason)
    }

    /// The reason codes found, in [`Reason`] order.
    pub fn codes(&self) -> Vec<&'static str> {
        self.items.iter().map(|f| f.reason.code()).collect()
    }

    /// The findings, in [`Reason`] order.
    pub fn iter(&self) -> impl Iterator<Item = &Finding> + '_ {
        self.items.iter()
    }

    /// Whether these findings forbid a `match` against `other`, the raw value on the other side.
    ///
    /// Every non-contextual finding does. A whole-script look-alike does only when `other` contains
    /// Latin letters: `ОКСАНА` against `Оксана` is a same-script comparison (folding decides), while
    /// against `Oksana` or `OKCAHA` it is exactly the spoof the finding is about.
    ///
    /// ```
    /// use okta_directory::text::inspect;
    /// let cyrillic = inspect("ОКСАНА");
    /// assert!(!cyrillic.blocks_match_with("Оксана"));
    /// assert!(cyrillic.blocks_match_with("OKCAHA"));
    /// ```
    pub fn blocks_match_with(&self, other: &str) -> bool {
        !self.items.is_empty() && self.blocks_match_given(has_latin_letters(other))
    }

    /// [`Findings::blocks_match_with`] when whether the other value has Latin letters is already known
    /// (see [`has_latin_letters`]), e.g. for values prepared once and compared many times.
    pub fn blocks_match_given(&self, other_has_latin: bool) -> bool {
        self.items.iter().any(|f| !f.reason.is_contextual() || other_has_latin)
    }

    /// Records `reason` at `start` unless an earlier occurrence is already recorded.
    fn add(&mut self, reason: Reason, start: usize) {
        match self.items.iter_mut().find(|f| f.reason == reason) {
            Some(existing) => existing.start = existing.start.min(start),
            None => {
                self.items.push(Finding { reason, start });
                crate::sort::sort_by_key(&mut self.items, |f| f.reason);
            }
        }
    }
}

/// Whether `s` contains a Latin letter (what makes a whole-script look-alike on the other side a spoof).
pub fn has_latin_letters(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphabetic() || (!c.is_ascii() && script_of(c) == Script::Latin))
}

/// Inspects a raw value (before folding) for spoofing and hiding tricks.
///
/// ```
/// use okta_directory::text::inspect;
/// assert!(inspect("Anna Müller").is_empty());
/// assert_eq!(inspect("J\u{43e}hn").codes(), ["SUSPICIOUS_MIXED_SCRIPT"]);
/// assert_eq!(inspect("\u{202e}nhoJ").codes(), ["SUSPICIOUS_BIDI_CONTROL"]);
/// ```
pub fn inspect(raw: &str) -> Findings {
    let mut findings = Findings::default();
    if raw.is_ascii() {
        // ASCII is Latin and Common only: no mixed scripts, no look-alikes, no invisible or bidi
        // characters. Only control characters can be there. (A test checks this path.)
        if let Some(i) = raw.bytes().position(|b| (b.is_ascii_control()) && !matches!(b, b'\t' | b'\n' | b'\r')) {
            findings.add(Reason::Control, i);
        }
        return findings;
    }
    check_characters(raw, &mut findings);
    // A value of characters below `LATIN_ONLY_BELOW` only (most accented Latin names) has no token
    // the token checks look at: skip tokenizing it.
    if !raw.chars().all(|c| u32::from(c) < LATIN_ONLY_BELOW) {
        check_tokens(raw, &mut findings);
    }
    findings
}

/// Character-level checks: controls, bidi controls and invisible characters in context.
fn check_characters(raw: &str, findings: &mut Findings) {
    let mut previous: Option<char> = None;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let reason = if c < '\u{300}' {
            // Below the combining marks: no bidi control, joiner or variation selector, and the
            // soft hyphen is the one default-ignorable character (a test checks each one).
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                Some(Reason::Control)
            } else {
                (c == '\u{ad}').then_some(Reason::Invisible)
            }
        } else if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            Some(Reason::Control)
        } else if is_bidi_control(c) {
            Some(Reason::BidiControl)
        } else if matches!(c, '\u{200c}' | '\u{200d}') {
            // ZWNJ/ZWJ shape Arabic-script and Indic words (Persian می‌خواهم, Devanagari क्‍ष).
            // Viramas are script-specific, so "after a virama" is covered by the same test.
            let legit = previous.is_some_and(is_specific_non_latin) && next.is_some_and(is_specific_non_latin);
            (!legit).then_some(Reason::Invisible)
        } else if is_variation_selector(c) {
            // Ideographic variation sequences (Han) and Mongolian variants are real spellings.
            (!previous.is_some_and(is_specific_non_latin)).then_some(Reason::Invisible)
        } else if is_default_ignorable(c) {
            Some(Reason::Invisible)
        } else {
            None
        };
        if let Some(reason) = reason {
            findings.add(reason, i);
        }
        previous = Some(c);
    }
}

/// Explicit bidirectional formatting characters (Unicode TR #9, table 1, plus the Arabic letter mark).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Below this code point (Basic Latin to Latin Extended-B) every character is Latin, or Common or
/// Inherited with Latin among its script extensions: a token of them alone is Latin text (a test
/// checks every such character).
const LATIN_ONLY_BELOW: u32 = 0x250;

/// Token-level checks: mixed scripts and whole-script look-alikes.
fn check_tokens(raw: &str, findings: &mut Findings) {
    // Look-alike tokens (script, start), and the scripts that have a genuine, non-look-alike word
    // in this value: such a word shows the value is written in that script.
    let mut lookalikes: Vec<(Option<Script>, usize)> = Vec::new();
    let mut vouched: Vec<Option<Script>> = Vec::new();
    for token in tokens(raw) {
        if token.text.chars().all(|c| u32::from(c) < LATIN_ONLY_BELOW) {
            continue; // Latin, Common and Inherited only: neither mixed nor a look-alike
        }
        if !is_single_or_highly_restrictive(token.text) {
            findings.add(Reason::MixedScript, token.start);
        } else if is_single_non_latin(token.text) {
            let script = dominant_script(token.text);
            if skeleton_is_ascii_latin(token.text) {
                lookalikes.push((script, token.start));
            } else if !vouched.contains(&script) {
                vouched.push(script); // a handful of scripts at most
            }
        }
    }
    if let Some(&(_, start)) = lookalikes.iter().find(|(script, _)| !vouched.contains(script)) {
        findings.add(Reason::Confusable, start);
    }
}

#[cfg(test)]
mod ascii_fast_path {
    use super::*;

    #[test]
    fn agrees_with_the_general_path() {
        for s in crate::text::random_ascii_strings() {
            let mut general = Findings::default();
            check_characters(&s, &mut general);
            check_tokens(&s, &mut general);
            assert_eq!(inspect(&s), general, "{s:?}");
        }
    }

    #[test]
    fn characters_below_the_marks_are_only_controls_or_the_soft_hyphen() {
        for c in ('\0'..'\u{300}').filter(|c| !c.is_control() && *c != '\u{ad}') {
            assert!(
                !is_bidi_control(c)
                    && !matches!(c, '\u{200c}' | '\u{200d}')
                    && !is_variation_selector(c)
                    && !is_default_ignorable(c),
                "U+{:04X}",
                u32::from(c)
            );
        }
        assert!(is_default_ignorable('\u{ad}'));
    }

    #[test]
    fn the_latin_shortcut_agrees_with_the_general_path() {
        // Values of characters below `LATIN_ONLY_BELOW` skip the token checks: every such character
        // alone, beside Latin letters and beside another script must find what the general path does.
        let general = |s: &str| {
            let mut f = Findings::default();
            check_characters(s, &mut f);
            check_tokens(s, &mut f);
            f
        };
        for c in (0..LATIN_ONLY_BELOW).filter_map(char::from_u32) {
            for s in [format!("{c}"), format!("J{c}hn M\u{fc}ller"), format!("\u{e9}{c}-\u{430}{c}")] {
                assert_eq!(inspect(&s), general(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn a_token_below_latin_only_below_is_latin_text() {
        // Each such character beside Latin letters keeps the token single-script Latin (so its
        // script extensions include Latin), and alone it is never a non-Latin token.
        for c in (0..LATIN_ONLY_BELOW).filter_map(char::from_u32) {
            let token = format!("a{c}\u{e9}");
            assert!(is_single_or_highly_restrictive(&token), "{:04X}", u32::from(c));
            assert!(!is_single_non_latin(&token), "{:04X}", u32::from(c));
            assert!(!is_single_non_latin(&c.to_string()), "{:04X}", u32::from(c));
        }
        // Just past it, another script is found again (IPA is Latin; Greek is not).
        assert_eq!(inspect("J\u{3bf}hn").codes(), ["SUSPICIOUS_MIXED_SCRIPT"]);
    }
}
