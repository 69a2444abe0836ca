//! A personal name as the comparator sees it: folded parts with their variants, affixes set aside.

use crate::text::{is_nfc_quick, NormalForms};

use crate::claims::report::{Reason, Reasons};
use crate::text::{affix_bounds, fold_variants, tokens, AffixKind, TokenKind};

/// Family-name particles: optional in a subset comparison (de la Cruz ~ Cruz).
const PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "den", "van", "von", "da", "das", "dos", "do", "du", "di", "la", "le", "lo", "y", "e",
    "bin", "ibn", "al", "el", "ben", "ter", "ten", "zu", "mac", "st",
];

/// One name part: its forms in one buffer (a loaded pair holds many parts: one allocation each,
/// not one per form), ranges into it shared where two forms are equal.
#[derive(Debug, Clone)]
pub(super) struct NameToken {
    /// The forms, back to back: the part as written (NFC), then its lower case and its keys where
    /// they differ from a form already there.
    text: Box<str>,
    /// Where the part as written ends in `text` (it starts it).
    raw_end: u32,
    /// `raw` in lower case (to tell a case difference from a diacritic one without allocating).
    lower: Span,
    /// Comparison keys: the folded form first, then a transliterated variant when there is one.
    keys: [Span; 2],
    /// How many of `keys` there are (1 or 2).
    key_count: u8,
    /// A single letter (J in J. Smith).
    pub initial: bool,
}

/// A byte range of [`NameToken::text`].
#[derive(Debug, Clone, Copy, Default)]
struct Span(u32, u32);

impl NameToken {
    /// Reads one part (not empty): the ASCII shortcut gives what the general path would (ASCII is
    /// its own NFC; its lower case and its fold are the ASCII lower case, and it has no variant).
    fn new(part: &str, initial: bool) -> NameToken {
        if !part.is_ascii() {
            return NameToken::read_unicode(part, initial);
        }
        let n = part.len();
        let raw = Span(0, n as u32);
        let lower = if part.bytes().any(|b| b.is_ascii_uppercase()) {
            let mut text = String::with_capacity(2 * n);
            text.push_str(part);
            text.push_str(part);
            text[n..].make_ascii_lowercase();
            return NameToken::ascii(text, raw, Span(n as u32, 2 * n as u32), initial);
        } else {
            raw
        };
        NameToken::ascii(part.to_owned(), raw, lower, initial)
    }

    /// An ASCII part: its fold is its lower case, its only key.
    fn ascii(text: String, raw: Span, lower: Span, initial: bool) -> NameToken {
        NameToken {
            text: text.into_boxed_str(),
            raw_end: raw.1,
            lower,
            keys: [lower, Span::default()],
            key_count: 1,
            initial,
        }
    }

    /// [`NameToken::new`] for any part: NFC, lower case, [`fold_variants`].
    fn read_unicode(part: &str, initial: bool) -> NameToken {
        // Room for the lower case and a key beside the part (one allocation for the forms).
        let mut text = String::with_capacity(3 * part.len());
        if is_nfc_quick(part) {
            text.push_str(part);
        } else {
            text.extend(part.chars().nfc());
        }
        let raw = Span(0, text.len() as u32);
        let lowered = text.to_lowercase();
        let lower = push_form(&mut text, &[raw], &lowered);
        let mut keys = [Span::default(); 2];
        let mut key_count = 0;
        for key in fold_variants(part).iter().take(2) {
            let earlier = [raw, lower, keys[0]];
            keys[usize::from(key_count)] = push_form(&mut text, &earlier[..2 + usize::from(key_count)], key);
            key_count += 1;
        }
        NameToken { text: text.into_boxed_str(), raw_end: raw.1, lower, keys, key_count, initial }
    }

    /// The part as written, NFC.
    fn raw(&self) -> &str {
        self.form(Span(0, self.raw_end))
    }

    fn form(&self, span: Span) -> &str {
        &self.text[span.0 as usize..span.1 as usize]
    }

    /// The part in lower case.
    fn lower(&self) -> &str {
        self.form(self.lower)
    }

    /// The folded key (the first comparison key).
    pub fn primary(&self) -> &str {
        self.form(self.keys[0])
    }

    /// Every comparison key: the folded form, then the transliterated variant when there is one.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.keys[..usize::from(self.key_count)].iter().map(|s| self.form(*s))
    }

    /// Whether two parts share a comparison key.
    pub fn meets(&self, other: &NameToken) -> bool {
        self.keys().any(|k| other.keys().any(|o| o == k))
    }

    /// Whether `self` is an initial standing for `other` (a full part).
    pub fn abbreviates(&self, other: &NameToken) -> bool {
        self.initial && !other.initial && other.primary().starts_with(self.primary())
    }

    /// Whether the part is a family-name particle.
    pub fn is_particle(&self) -> bool {
        PARTICLES.contains(&self.primary())
    }

    /// What normalization did to make two equal parts meet (none when they were written alike).
    pub fn normalization_reason(&self, other: &NameToken) -> Option<Reason> {
        if self.raw() == other.raw() {
            None
        } else if self.primary() != other.primary() {
            Some(Reason::Transliterated)
        } else if self.lower() == other.lower() {
            Some(Reason::CaseFolded)
        } else {
            Some(Reason::DiacriticsFolded)
        }
    }
}

/// The span of `form` in `text`: one of the `earlier` forms when equal to it (the part in lower case
/// already, a key equal to the lower case), else appended.
fn push_form(text: &mut String, earlier: &[Span], form: &str) -> Span {
    let form_of = |text: &str, s: &Span| text.get(s.0 as usize..s.1 as usize) == Some(form);
    if let Some(same) = earlier.iter().find(|s| form_of(text, s)) {
        return *same;
    }
    let start = text.len();
    text.push_str(form);
    Span(start as u32, text.len() as u32)
}

/// A parsed personal name.
#[derive(Debug, Clone)]
pub(super) struct ParsedName {
    /// The name proper, in order.
    pub tokens: Vec<NameToken>,
    /// The canonical forms of its generational suffixes (Jr, Sr, III…), in order; usually none (an
    /// empty box allocates nothing). The other affixes are kept only as reasons.
    generational: Box<[&'static str]>,
}

impl ParsedName {
    /// Tokenizes, sets affixes aside and folds every part; also returns the reasons for the affixes
    /// set aside.
    pub fn parse(s: &str) -> (ParsedName, Reasons) {
        let toks = tokens(s);
        let (prefixes, core, suffixes) = affix_bounds(&toks);
        let tokens = toks
            .get(core)
            .unwrap_or_default()
            .iter()
            .map(|t| NameToken::new(t.text, t.kind == TokenKind::Initial))
            .filter(|t| !t.primary().is_empty())
            .collect();
        let mut reasons = Reasons::new();
        for affix in prefixes.iter().chain(&suffixes) {
            match affix.kind {
                AffixKind::Honorific => reasons.push(Reason::HonorificIgnored),
                AffixKind::Credential => reasons.push(Reason::CredentialIgnored),
                AffixKind::Generational => {}
            }
        }
        let generational = suffixes.iter().filter(|a| a.kind == AffixKind::Generational).map(|a| a.canonical).collect();
        (ParsedName { tokens, generational }, reasons)
    }

    /// The primary keys joined by single spaces.
    pub fn joined(&self) -> String {
        // Built in place: one allocation, not a vector of the keys and then the string.
        let mut out = String::with_capacity(self.tokens.iter().map(|t| t.primary().len() + 1).sum());
        for token in &self.tokens {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(token.primary());
        }
        out
    }

    /// Whether the primary keys with nothing between them are equal (MaryJane ~ Mary Jane), compared
    /// without building them.
    pub fn squashed_eq(&self, other: &ParsedName) -> bool {
        let a = self.tokens.iter().flat_map(|t| t.primary().bytes());
        let b = other.tokens.iter().flat_map(|t| t.primary().bytes());
        a.eq(b)
    }

    /// Both names carry generational suffixes and they differ (Jr vs Sr).
    pub fn generational_conflict(&self, other: &ParsedName) -> bool {
        !self.generational.is_empty() && !other.generational.is_empty() && self.generational != other.generational
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A part's forms, compared.
    fn forms(t: &NameToken) -> (String, String, Vec<String>, bool) {
        (t.raw().to_owned(), t.lower().to_owned(), t.keys().map(str::to_owned).collect(), t.initial)
    }

    #[test]
    fn the_ascii_shortcut_reads_parts_like_the_general_path() {
        for s in
            crate::text::random_ascii_strings().chain(["O'Neil", "MARY", "mary", "McDonald", "J"].map(String::from))
        {
            assert_eq!(forms(&NameToken::new(&s, false)), forms(&NameToken::read_unicode(&s, false)), "{s:?}");
        }
    }

    #[test]
    fn forms_of_unicode_parts() {
        let cases: [(&str, &str, &str, &[&str]); 5] = [
            ("Søren", "Søren", "søren", &["soren", "soeren"]),
            ("MÜLLER", "MÜLLER", "müller", &["muller", "mueller"]),
            ("müller", "müller", "müller", &["muller", "mueller"]),
            ("Straße", "Straße", "straße", &["strasse"]),
            ("Ｊｏｓé", "Ｊｏｓé", "ｊｏｓé", &["jose"]),
        ];
        for (part, raw, lower, keys) in cases {
            let t = NameToken::new(part, false);
            assert_eq!((t.raw(), t.lower(), t.keys().collect::<Vec<_>>()), (raw, lower, keys.to_vec()), "{part}");
        }
        // Decomposed input is read as its NFC form.
        assert_eq!(NameToken::new("Jose\u{301}", false).raw(), "José");
    }
}
