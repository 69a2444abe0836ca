//! Personal names (given, middle, family). Hard to fool first, forgiving second:
//! 1. security findings (mixed scripts, look-alikes, invisible or bidi characters) block a match;
//! 2. equal after normalization (case, diacritics, transliteration, spacing, affixes) is a match;
//! 3. in fuzzy mode, and only where the policy allows it: family-name subsets, nicknames, initials,
//!    OCR confusions, then a guarded edit-distance fallback that refuses prefix names (Smith ~
//!    Smithson) and changed endings (Alexander ~ Alexandra).

mod nicknames;
mod parse;

use crate::claims::kinds::ClaimKind;
use crate::claims::policy::{ClaimRule, MatchMode};
use crate::claims::report::{ClaimResult, Outcome, Reason};
use crate::text::{self, dominant_script, edit_distance, inspect, jaro_winkler};
use nicknames::{hypocorism, Hypocorism};
use parse::{NameToken, ParsedName};

/// Score of a match through a tolerance other than plain equality.
const SUBSET_SCORE: f64 = 0.9;
const NICKNAME_SCORE: f64 = 0.9;
const INITIAL_SCORE: f64 = 0.8;
const OCR_SCORE: f64 = 0.95;
/// Keys shorter than this (in characters) are never matched by edit distance: one letter turns a
/// name into another (Kevin/Kelvin, Jason/Mason, Karen/Karin, Marian/Marion).
const MIN_FUZZY_CHARS: usize = 8;

/// Compares a verified name with the directory's, as `kind` under `rule`.
///
/// ```
/// use okta_directory::claims::compare::compare_name;
/// use okta_directory::claims::{default_rule, ClaimKind, Outcome, Reason};
/// let rule = default_rule(ClaimKind::GivenName);
/// let r = compare_name("JOSÉ", "Jose", ClaimKind::GivenName, &rule);
/// assert_eq!(r.outcome, Outcome::Match);
/// assert!(r.reasons.contains(&Reason::DiacriticsFolded));
/// ```
pub fn compare_name(verified: &str, directory: &str, kind: ClaimKind, rule: &ClaimRule) -> ClaimResult {
    if let Some(blocked) = security_block(verified, directory) {
        return blocked;
    }
    let (v, d) = (ParsedName::parse(verified), ParsedName::parse(directory));
    if v.tokens.is_empty() || d.tokens.is_empty() {
        return ClaimResult::without_value(Outcome::Invalid, vec![Reason::Unparseable]);
    }
    let mut reasons = v.affix_reasons();
    reasons.extend(d.affix_reasons());
    if v.generational_conflict(&d) {
        reasons.push(Reason::GenerationalSuffixDiffers);
        return ClaimResult::new(Outcome::Mismatch, 0.0, reasons);
    }
    if let Some(equal) = equal_reasons(&v, &d) {
        reasons.extend(equal);
        return ClaimResult::new(Outcome::Match, 1.0, reasons);
    }
    if rule.mode == MatchMode::Fuzzy {
        if let Some((score, reason)) = tolerated(&v, &d, kind, rule) {
            reasons.push(reason);
            return ClaimResult::new(Outcome::Match, score, reasons);
        }
    }
    if rule.mode == MatchMode::Fuzzy && rule.allow.nicknames && ambiguous_nickname(&v, &d) {
        reasons.push(Reason::NicknameAmbiguous);
    }
    let (a, b) = (v.joined(), d.joined());
    let similarity = jaro_winkler(&a, &b);
    if rule.mode == MatchMode::Fuzzy && rule.allow.typos {
        match fuzzy_fallback(&a, &b, rule.threshold) {
            Ok(score) => {
                reasons.push(Reason::NameFuzzyMatch);
                return ClaimResult::new(Outcome::Match, score, reasons);
            }
            Err(Some(refusal)) => reasons.push(refusal),
            Err(None) => {}
        }
    }
    if dominant_script(verified) != dominant_script(directory) {
        reasons.push(Reason::ScriptDiffers);
    }
    ClaimResult::new(Outcome::Mismatch, similarity, reasons)
}

/// Whether given and family names are swapped between the sides (each equal to the other's
/// counterpart after normalization), e.g. a document that prints the family name first.
pub fn names_swapped(verified_given: &str, verified_family: &str, dir_given: &str, dir_family: &str) -> bool {
    let same = |a: &str, b: &str| {
        security_block(a, b).is_none() && equal_reasons(&ParsedName::parse(a), &ParsedName::parse(b)).is_some()
    };
    same(verified_given, dir_family) && same(verified_family, dir_given)
}

/// A mismatch carrying the security findings, when either value must not be matched.
pub(super) fn security_block(verified: &str, directory: &str) -> Option<ClaimResult> {
    let mut reasons = Vec::new();
    for (value, other) in [(verified, directory), (directory, verified)] {
        let findings = inspect(value);
        if findings.blocks_match_with(other) {
            reasons.extend(findings.iter().map(|f| security_reason(f.reason)));
        }
    }
    (!reasons.is_empty()).then(|| ClaimResult::new(Outcome::Mismatch, 0.0, reasons))
}

fn security_reason(r: text::Reason) -> Reason {
    match r {
        text::Reason::MixedScript => Reason::SuspiciousMixedScript,
        text::Reason::Confusable => Reason::SuspiciousConfusable,
        text::Reason::Invisible => Reason::SuspiciousInvisible,
        text::Reason::BidiControl => Reason::SuspiciousBidiControl,
        text::Reason::Control => Reason::SuspiciousControl,
    }
}

/// `Some(reasons)` when the names are equal after normalization (token by token, or with spacing
/// and hyphens ignored), explaining what normalization did.
fn equal_reasons(v: &ParsedName, d: &ParsedName) -> Option<Vec<Reason>> {
    let mut reasons = Vec::new();
    if v.tokens.len() == d.tokens.len() && v.tokens.iter().zip(&d.tokens).all(|(a, b)| a.meets(b)) {
        for (a, b) in v.tokens.iter().zip(&d.tokens) {
            reasons.extend(a.normalization_reason(b));
        }
        return Some(reasons);
    }
    if v.squashed() == d.squashed() {
        reasons.push(Reason::SpacingNormalized);
        return Some(reasons);
    }
    None
}

/// The policy-controlled tolerances, in order of confidence.
fn tolerated(v: &ParsedName, d: &ParsedName, kind: ClaimKind, rule: &ClaimRule) -> Option<(f64, Reason)> {
    let allow = rule.allow;
    // A given or middle name keeps its first part (Mary ~ Mary Ann, not Anh ~ Ngọc Ánh): which of
    // several given names a person goes by is not something a subset can tell.
    let first_meets = v.tokens.first().zip(d.tokens.first()).is_some_and(|(a, b)| a.meets(b));
    if allow.token_subset && (kind == ClaimKind::FamilyName || first_meets) && (is_subset(v, d) || is_subset(d, v)) {
        let reason = if kind == ClaimKind::FamilyName { Reason::SurnameSubset } else { Reason::TokenSubset };
        return Some((SUBSET_SCORE, reason));
    }
    if allow.nicknames && pairwise(v, d, |a, b, first| a.meets(b) || (first && nickname(a, b))) {
        return Some((NICKNAME_SCORE, Reason::Nickname));
    }
    if allow.initials && pairwise(v, d, |a, b, _| a.meets(b) || a.abbreviates(b) || b.abbreviates(a)) {
        return Some((INITIAL_SCORE, Reason::Initial));
    }
    if allow.ocr && ocr_key(&v.joined()) == ocr_key(&d.joined()) {
        return Some((OCR_SCORE, Reason::OcrConfusion));
    }
    None
}

/// Every name part of `small` (particles aside) meets a distinct part of `large`, which has more.
fn is_subset(small: &ParsedName, large: &ParsedName) -> bool {
    let wanted: Vec<&NameToken> = small.tokens.iter().filter(|t| !t.is_particle()).collect();
    if wanted.is_empty() || small.tokens.len() >= large.tokens.len() {
        return false;
    }
    let mut used = vec![false; large.tokens.len()];
    wanted.iter().all(|w| {
        let hit = large.tokens.iter().enumerate().find(|(i, t)| !used[*i] && !t.initial && w.meets(t));
        hit.map(|(i, _)| used[i] = true).is_some()
    })
}

/// Same number of parts and `ok(a, b, is_first)` for every pair.
fn pairwise(v: &ParsedName, d: &ParsedName, ok: impl Fn(&NameToken, &NameToken, bool) -> bool) -> bool {
    v.tokens.len() == d.tokens.len() && v.tokens.iter().zip(&d.tokens).enumerate().all(|(i, (a, b))| ok(a, b, i == 0))
}

fn nickname(a: &NameToken, b: &NameToken) -> bool {
    a.keys.iter().any(|x| b.keys.iter().any(|y| hypocorism(x, y) == Hypocorism::Unique))
}

/// The first parts are a formal name and a short form that several formal names share.
fn ambiguous_nickname(v: &ParsedName, d: &ParsedName) -> bool {
    v.tokens
        .first()
        .zip(d.tokens.first())
        .is_some_and(|(a, b)| a.keys.iter().any(|x| b.keys.iter().any(|y| hypocorism(x, y) == Hypocorism::Ambiguous)))
}

/// Undoes the confusions OCR makes on printed names: digits for letters, `rn` for `m`, `vv` for
/// `w`, and I/l (already lower case after folding).
fn ocr_key(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '|' | 'i' => 'l',
            '5' => 's',
            '8' => 'b',
            '6' => 'g',
            other => other,
        })
        .collect();
    mapped.replace("rn", "m").replace("vv", "w")
}

/// The edit-distance fallback for typos in long names: one edit, same first letter, Jaro-Winkler at
/// the threshold. `Ok(score)` for a close spelling, `Err(Some(reason))` when a guard refused it,
/// `Err(None)` when it is simply too different.
fn fuzzy_fallback(a: &str, b: &str, threshold: f64) -> Result<f64, Option<Reason>> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    // The refusals first, so that a near name says why it was not matched.
    if a.starts_with(b) || b.starts_with(a) {
        return Err(Some(Reason::PrefixName));
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let vowel_end = |s: &str| s.ends_with(['a', 'e', 'i', 'o', 'y']);
    if common + 2 >= la.max(lb) && (vowel_end(a) || vowel_end(b)) {
        return Err(Some(Reason::NameEndingDiffers));
    }
    if la.min(lb) < MIN_FUZZY_CHARS || a.chars().next() != b.chars().next() {
        return Err(None);
    }
    let score = jaro_winkler(a, b);
    if edit_distance(a, b) <= 1 && score >= threshold {
        Ok(score)
    } else {
        Err(None)
    }
}
