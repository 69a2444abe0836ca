//! A personal name as the comparator sees it: folded parts with their variants, affixes set aside.

use crate::text::NormalForms;

use crate::claims::report::Reason;
use crate::text::{fold_variants, strip_affixes, tokens, Affix, AffixKind, TokenKind};

/// Family-name particles: optional in a subset comparison (de la Cruz ~ Cruz).
const PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "den", "van", "von", "da", "das", "dos", "do", "du", "di", "la", "le", "lo", "y", "e",
    "bin", "ibn", "al", "el", "ben", "ter", "ten", "zu", "mac", "st",
];

/// One name part.
#[derive(Debug, Clone)]
pub(super) struct NameToken {
    /// The part as written, NFC.
    raw: String,
    /// `raw` in lower case (to tell a case difference from a diacritic one without allocating).
    lower: String,
    /// Comparison keys: the folded form first, then a transliterated variant when there is one.
    pub keys: Vec<String>,
    /// A single letter (J in J. Smith).
    pub initial: bool,
}

impl NameToken {
    /// Whether two parts share a comparison key.
    pub fn meets(&self, other: &NameToken) -> bool {
        self.keys.iter().any(|k| other.keys.contains(k))
    }

    /// Whether `self` is an initial standing for `other` (a full part).
    pub fn abbreviates(&self, other: &NameToken) -> bool {
        self.initial
            && !other.initial
            && self.keys.first().zip(other.keys.first()).is_some_and(|(i, full)| full.starts_with(i.as_str()))
    }

    /// Whether the part is a family-name particle.
    pub fn is_particle(&self) -> bool {
        self.keys.first().is_some_and(|k| PARTICLES.contains(&k.as_str()))
    }

    /// What normalization did to make two equal parts meet (none when they were written alike).
    pub fn normalization_reason(&self, other: &NameToken) -> Option<Reason> {
        if self.raw == other.raw {
            None
        } else if self.keys.first() != other.keys.first() {
            Some(Reason::Transliterated)
        } else if self.lower == other.lower {
            Some(Reason::CaseFolded)
        } else {
            Some(Reason::DiacriticsFolded)
        }
    }
}

/// A parsed personal name.
#[derive(Debug, Clone)]
pub(super) struct ParsedName {
    /// The name proper, in order.
    pub tokens: Vec<NameToken>,
    prefixes: Vec<Affix>,
    suffixes: Vec<Affix>,
}

impl ParsedName {
    /// Tokenizes, sets affixes aside and folds every part.
    pub fn parse(s: &str) -> ParsedName {
        let toks = tokens(s);
        let parts = strip_affixes(&toks);
        let tokens = parts
            .core
            .iter()
            .map(|t| {
                // ASCII is its own NFC, and its lower case is the ASCII one.
                let (raw, lower) = if t.text.is_ascii() {
                    (t.text.to_owned(), t.text.to_ascii_lowercase())
                } else {
                    let raw: String = t.text.chars().nfc().collect();
                    let lower = raw.to_lowercase();
                    (raw, lower)
                };
                NameToken { raw, lower, keys: fold_variants(t.text), initial: t.kind == TokenKind::Initial }
            })
            .filter(|t| t.keys.first().is_some_and(|k| !k.is_empty()))
            .collect();
        ParsedName { tokens, prefixes: parts.prefixes, suffixes: parts.suffixes }
    }

    /// The primary keys joined by single spaces.
    pub fn joined(&self) -> String {
        let keys: Vec<&str> = self.tokens.iter().filter_map(|t| t.keys.first().map(String::as_str)).collect();
        keys.join(" ")
    }

    /// Whether the primary keys with nothing between them are equal (MaryJane ~ Mary Jane), compared
    /// without building them.
    pub fn squashed_eq(&self, other: &ParsedName) -> bool {
        let a = self.tokens.iter().filter_map(|t| t.keys.first()).flat_map(|k| k.bytes());
        let b = other.tokens.iter().filter_map(|t| t.keys.first()).flat_map(|k| k.bytes());
        a.eq(b)
    }

    /// Reasons for the affixes set aside.
    pub fn affix_reasons(&self) -> Vec<Reason> {
        let mut reasons = Vec::new();
        for affix in self.prefixes.iter().chain(&self.suffixes) {
            match affix.kind {
                AffixKind::Honorific => reasons.push(Reason::HonorificIgnored),
                AffixKind::Credential => reasons.push(Reason::CredentialIgnored),
                AffixKind::Generational => {}
            }
        }
        reasons
    }

    /// Both names carry generational suffixes and they differ (Jr vs Sr).
    pub fn generational_conflict(&self, other: &ParsedName) -> bool {
        gens(self).next().is_some() && gens(other).next().is_some() && !gens(self).eq(gens(other))
    }
}

/// The canonical forms of a name's generational suffixes (Jr, Sr, III…), in order.
fn gens(n: &ParsedName) -> impl Iterator<Item = &'static str> + '_ {
    n.suffixes.iter().filter(|a| a.kind == AffixKind::Generational).map(|a| a.canonical)
}
