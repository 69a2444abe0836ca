//! Script facts about tokens (Unicode Script and Script_Extensions, UTS #39 skeletons), shared by
//! the security checks and, later, by the comparators.

use unicode_script::Script;
use unicode_security::mixed_script::AugmentedScriptSet;

pub(crate) use super::script_lookup::is_default_ignorable;
use super::script_lookup::{augmented_for_char, augmented_for_str, script_extension_of, script_of};

/// The UTS #39 confusable skeleton of `s`: NFD, default-ignorable code points removed, every
/// character replaced by its confusable prototype, NFD again.
///
/// Two strings with equal skeletons look alike. Skeletons are for *detecting* look-alikes, never a
/// matching key: `skeleton("Аnnа")` (Cyrillic) equals `skeleton("Anna")`, and `m` becomes `rn`.
///
/// ```
/// use okta_directory::text::skeleton;
/// assert_eq!(skeleton("\u{410}nn\u{430}"), skeleton("Anna"));
/// ```
pub fn skeleton(s: &str) -> String {
    super::confusables::skeleton_chars(s).collect()
}

/// The script most of the token's letters belong to, ignoring Common and Inherited characters
/// (digits, punctuation, combining marks); `None` when there is no such character. Ties go to the
/// script seen first.
///
/// ```
/// use okta_directory::text::{dominant_script, Script};
/// assert_eq!(dominant_script("Jo\u{43e}hn"), Some(Script::Latin));
/// assert_eq!(dominant_script("123"), None);
/// ```
pub fn dominant_script(token: &str) -> Option<Script> {
    if token.is_ascii() {
        // ASCII letters are Latin and everything else in ASCII is Common.
        return token.bytes().any(|b| b.is_ascii_alphabetic()).then_some(Script::Latin);
    }
    // A token has a handful of scripts at most: counted in an inline array (no allocation), in
    // first-seen order so that ties are stable; more scripts than it holds take the general path.
    const INLINE: usize = 4;
    let mut counts = [(Script::Common, 0usize); INLINE];
    let mut len = 0;
    for c in token.chars() {
        let script = if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                Script::Latin
            } else {
                continue;
            }
        } else {
            script_of(c)
        };
        if matches!(script, Script::Common | Script::Inherited | Script::Unknown) {
            continue;
        }
        match counts[..len].iter_mut().find(|(s, _)| *s == script) {
            Some((_, n)) => *n += 1,
            None if len < INLINE => {
                counts[len] = (script, 1);
                len += 1;
            }
            None => return dominant_script_counted(token),
        }
    }
    // `max_by_key` keeps the last of equal maxima; reversing makes the first seen win.
    counts[..len].iter().rev().max_by_key(|(_, n)| *n).map(|(script, _)| *script)
}

/// [`dominant_script`] counting in a vector (any number of scripts).
fn dominant_script_counted(token: &str) -> Option<Script> {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for c in token.chars() {
        // ASCII letters are Latin and everything else in ASCII is Common: no table lookup needed.
        let script = if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                Script::Latin
            } else {
                continue;
            }
        } else {
            script_of(c)
        };
        if matches!(script, Script::Common | Script::Inherited | Script::Unknown) {
            continue;
        }
        match counts.iter_mut().find(|(s, _)| *s == script) {
            Some((_, n)) => *n += 1,
            None => counts.push((script, 1)),
        }
    }
    // `max_by_key` keeps the last of equal maxima; reversing makes the first seen win.
    counts.into_iter().rev().max_by_key(|(_, n)| *n).map(|(script, _)| script)
}

/// Whether the token is acceptable under the UTS #39 "Highly Restrictive" level's script rule:
/// one script (Common and Inherited go with anything), or Latin together with Han + Hiragana +
/// Katakana, Han + Bopomofo, or Han + Hangul.
///
/// Unlike `unicode_security`'s restriction-level detection, this does not reject characters that
/// are not allowed in identifiers (apostrophes, format characters): those have their own findings.
pub(crate) fn is_single_or_highly_restrictive(token: &str) -> bool {
    if token.is_ascii() {
        return true; // Latin and Common only
    }
    let mut all = AugmentedScriptSet::default();
    let mut without_latin = AugmentedScriptSet::default();
    for c in token.chars() {
        let set = augmented_for_char(c);
        all.intersect_with(set);
        if !set.base.contains_script(Script::Latin) {
            without_latin.intersect_with(set);
        }
    }
    !all.is_empty() || without_latin.hanb || without_latin.jpan || without_latin.kore
}

/// Whether the token resolves to one specific script other than Latin (false for Latin, for
/// Common/Inherited-only tokens such as digits, and for mixed tokens).
pub(crate) fn is_single_non_latin(token: &str) -> bool {
    if token.is_ascii() {
        return false;
    }
    let set = augmented_for_str(token);
    !set.is_empty() && !set.is_all() && !set.base.contains_script(Script::Latin)
}

/// Whether the token's skeleton is made of ASCII Latin letters only (it could pass for Latin text).
pub(crate) fn skeleton_is_ascii_latin(token: &str) -> bool {
    let mut any = false;
    for c in super::confusables::skeleton_chars(token) {
        if !c.is_ascii_alphabetic() {
            return false;
        }
        any = true;
    }
    any
}

/// Variation selectors: standard (VS1–16), supplementary (VS17–256) and Mongolian free variation selectors.
pub(crate) fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}' | '\u{180b}'..='\u{180d}' | '\u{180f}')
}

/// A character tied to specific scripts, none of them Latin (a Persian letter, a Devanagari sign).
pub(crate) fn is_specific_non_latin(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    let ext = script_extension_of(c);
    !ext.is_empty() && !ext.is_common() && !ext.is_inherited() && !ext.contains_script(Script::Latin)
}

#[cfg(test)]
mod dominant_script_tests {
    use super::{dominant_script, dominant_script_counted};

    #[test]
    fn the_inline_count_agrees_with_the_vector_count() {
        // Letters of up to six scripts (more than the inline array holds), in every order of a few
        // mixes, with ties, and ASCII values.
        let letters = ["a", "\u{430}", "\u{3b1}", "\u{5d0}", "\u{627}", "\u{4e00}", "1", "-", "\u{301}"];
        let mut values: Vec<String> = crate::text::random_ascii_strings().collect();
        for a in letters {
            for b in letters {
                for c in letters {
                    values.push(format!("{a}{b}{c}"));
                    values.push(format!("{a}{a}{b}{c}{c}"));
                }
            }
        }
        values.push(letters.concat());
        values.push(letters.iter().rev().copied().collect());
        for v in &values {
            assert_eq!(dominant_script(v), dominant_script_counted(v), "{v:?}");
        }
    }
}
