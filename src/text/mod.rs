//! Unicode text handling shared by profile normalization and claims matching: cleaning of stored
//! values, comparison keys (folding), tokenization, name affixes and security findings.

mod affix;
mod clean;
mod confusables;
mod confusables_table;
mod fold;
mod inspect;
mod normal_forms;
mod normal_forms_table;
mod script;
mod script_lookup;
mod script_table;
mod similarity;
mod tokens;
mod translit;

pub(crate) use affix::affix_bounds;
pub use affix::{classify_affix, strip_affixes, Affix, AffixKind, AffixRole, NameParts};
pub use clean::{clean_value, without_copy_paste_invisibles, CleanError, Lines, COPY_PASTE_INVISIBLES};
pub use fold::{fold, fold_variants};
pub use inspect::{has_latin_letters, inspect, Finding, Findings, Reason};
pub use normal_forms::{canonical_combining_class, is_combining_mark, is_nfc_quick, Decompose, NormalForms, Recompose};
pub use script::{dominant_script, skeleton};
pub use script_lookup::{script_extension_of, script_of};
pub(crate) use similarity::CharBuf;
pub use similarity::{edit_distance, jaro_winkler};
pub use tokens::{tokens, Separator, Token, TokenKind};
pub use translit::{icao_transliterate, loose_latin};
/// Unicode Script property values (re-exported from `unicode-script`), as returned by [`dominant_script`].
pub use unicode_script::Script;

/// Deterministic ASCII strings (controls included), 0 to 39 characters, for the tests that check the
/// ASCII fast paths against the general ones.
#[cfg(test)]
pub(crate) fn random_ascii_strings() -> impl Iterator<Item = String> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..40usize).flat_map(|len| std::iter::repeat_n(len, 200)).map(move |len| {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                char::from((state % 128) as u8)
            })
            .collect()
    })
}
