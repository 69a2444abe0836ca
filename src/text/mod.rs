//! Unicode text handling shared by profile normalization and claims matching: cleaning of stored
//! values, comparison keys (folding), tokenization, name affixes and security findings.

mod affix;
mod clean;
mod fold;
mod inspect;
mod script;
mod similarity;
mod tokens;

pub use affix::{classify_affix, strip_affixes, Affix, AffixKind, AffixRole, NameParts};
pub use clean::{clean_value, CleanError, Lines};
pub use fold::{fold, fold_variants};
pub use inspect::{inspect, Finding, Findings, Reason};
pub use script::{dominant_script, skeleton};
pub use similarity::{edit_distance, jaro_winkler};
pub use tokens::{tokens, Separator, Token, TokenKind};
/// Unicode Script property values (re-exported from `unicode-script`), as returned by [`dominant_script`].
pub use unicode_script::Script;
