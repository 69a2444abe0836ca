//! Honorifics (Mr, Dr, Frau…), generational suffixes (Jr, III) and credentials (PhD, Esq) in
//! personal names: recognising them, and separating them from the name proper.
//!
//! Only for names: in an address `Dr` is a street type and `St` a saint or a street.

use super::fold::fold;
use super::tokens::{Separator, Token};

/// What an affix says about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AffixKind {
    /// A form of address or title: Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Sir, Dame, Rev, Fr, Herr, Frau,
    /// Sra, Srta, Mme, Mlle…
    Honorific,
    /// A generational suffix: Jr, Jnr, Sr, Snr, II, III, IV, V, 2nd, 3rd. It tells relatives apart,
    /// so comparators should treat Jr against Sr (or II against III) as a conflict.
    Generational,
    /// A degree, honour or professional suffix: PhD, MD, Esq, MBA, OBE, KC…
    Credential,
}

/// Where an affix may stand in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AffixRole {
    /// Before the name (honorifics).
    Prefix,
    /// After the name (generational suffixes and credentials).
    Suffix,
    /// Either: only `Sr`, which is Spanish "Señor" before a name and English "Senior" after it.
    PrefixOrSuffix,
}

/// A recognised affix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Affix {
    /// What the affix says.
    pub kind: AffixKind,
    /// Where it may stand.
    pub role: AffixRole,
    /// Its canonical spelling: folded, without periods (`dr`, `phd`, `iii`).
    pub canonical: &'static str,
}

/// (canonical, kind, role) for every recognised affix. Deliberately absent, because they are also
/// common name parts: Don, Lord, Lady, Master, Junior, Senior, Filho, Neto (legal surname parts in
/// Brazil), Do (Vietnamese Đỗ), Ma, Ba, JD (initials J.D.).
const AFFIXES: &[(&str, AffixKind, AffixRole)] = {
    use AffixKind::{Credential as C, Generational as G, Honorific as H};
    use AffixRole::{Prefix as P, PrefixOrSuffix as PS, Suffix as S};
    &[
        // English honorifics.
        ("mr", H, P),
        ("mrs", H, P),
        ("ms", H, P),
        ("miss", H, P),
        ("mx", H, P),
        ("dr", H, P),
        ("prof", H, P),
        ("professor", H, P),
        ("sir", H, P),
        ("dame", H, P),
        ("rev", H, P),
        ("revd", H, P),
        ("reverend", H, P),
        ("fr", H, P),
        // German, Spanish, French, Italian, Portuguese honorifics.
        ("herr", H, P),
        ("frau", H, P),
        ("sra", H, P),
        ("srta", H, P),
        ("dra", H, P),
        ("mme", H, P),
        ("mlle", H, P),
        ("dott", H, P),
        ("sr", G, PS),
        // Generational suffixes.
        ("jr", G, S),
        ("jnr", G, S),
        ("snr", G, S),
        ("ii", G, S),
        ("iii", G, S),
        ("iv", G, S),
        ("v", G, S),
        ("2nd", G, S),
        ("3rd", G, S),
        // Credentials.
        ("phd", C, S),
        ("md", C, S),
        ("dds", C, S),
        ("dmd", C, S),
        ("dvm", C, S),
        ("esq", C, S),
        ("esquire", C, S),
        ("mba", C, S),
        ("cpa", C, S),
        ("rn", C, S),
        ("msc", C, S),
        ("bsc", C, S),
        ("obe", C, S),
        ("mbe", C, S),
        ("cbe", C, S),
        ("kbe", C, S),
        ("dbe", C, S),
        ("qc", C, S),
        ("kc", C, S),
    ]
};

/// Recognises a name affix, case- and accent-insensitively, with or without periods (`Dr.`,
/// `Ph.D.`, `MLLE`). `Sr` comes back as [`AffixRole::PrefixOrSuffix`]; [`strip_affixes`] resolves
/// it by position.
///
/// ```
/// use okta_directory::text::{classify_affix, AffixKind};
/// assert_eq!(classify_affix("Dr.").map(|a| a.kind), Some(AffixKind::Honorific));
/// assert_eq!(classify_affix("III").map(|a| a.canonical), Some("iii"));
/// assert_eq!(classify_affix("Smith"), None);
/// ```
pub fn classify_affix(token: &str) -> Option<Affix> {
    // Affixes are short; anything long is a name and need not be folded.
    if token.len() > 32 {
        return None;
    }
    let found = if token.is_ascii() {
        // ASCII folds to its lower case (as `fold` does): compare without building the key.
        let key = token.bytes().filter(|b| *b != b'.').map(|b| b.to_ascii_lowercase());
        // Entries of another length are passed over without comparing their letters.
        let len = token.bytes().filter(|b| *b != b'.').count();
        AFFIXES.iter().find(|(canonical, _, _)| canonical.len() == len && canonical.bytes().eq(key.clone()))
    } else {
        classify_folded(token)
    };
    found.map(|&(canonical, kind, role)| Affix { kind, role, canonical })
}

/// The general path of [`classify_affix`]: fold the token without its periods, then look it up.
fn classify_folded(token: &str) -> Option<&'static (&'static str, AffixKind, AffixRole)> {
    let key = fold(&token.replace(['.', '\u{ff0e}'], ""));
    AFFIXES.iter().find(|(canonical, _, _)| *canonical == key)
}

/// A personal name split into leading honorifics, the name proper and trailing suffixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameParts<'a> {
    /// Honorifics removed from the start, in text order (`Sr` here means Señor).
    pub prefixes: Vec<Affix>,
    /// The remaining tokens: never empty when the input had a token.
    pub core: Vec<Token<'a>>,
    /// Generational suffixes and credentials removed from the end, in text order (`Sr` here means Senior).
    pub suffixes: Vec<Affix>,
}

/// Separates honorifics at the start and suffixes at the end of a name's tokens.
///
/// Rules, chosen so that a name part is never lost: prefixes are taken only from the start and
/// suffixes only from the end; at least one token always stays in `core` (a family name `Herr`
/// stays a name); a dotted credential split by the tokenizer (`Ph.D.`, `M.D.`) is recognised
/// only when its periods have no space after them (`M. D.` are initials); the single-letter
/// numeral `V` is left in `core` because it reads the same as a middle initial.
///
/// ```
/// use okta_directory::text::{strip_affixes, tokens};
/// let toks = tokens("Dr. John Smith Jr.");
/// let parts = strip_affixes(&toks);
/// let core: Vec<&str> = parts.core.iter().map(|t| t.text).collect();
/// assert_eq!(core, ["John", "Smith"]);
/// assert_eq!(parts.prefixes[0].canonical, "dr");
/// assert_eq!(parts.suffixes[0].canonical, "jr");
/// ```
pub fn strip_affixes<'a>(tokens: &[Token<'a>]) -> NameParts<'a> {
    let (prefixes, core, suffixes) = affix_bounds(tokens);
    let core = tokens.get(core).map(<[Token<'a>]>::to_vec).unwrap_or_default();
    NameParts { prefixes, core, suffixes }
}

/// [`strip_affixes`] without copying the name proper: the prefixes, the range of `tokens` that is
/// the name proper, and the suffixes.
pub(crate) fn affix_bounds(tokens: &[Token<'_>]) -> (Vec<Affix>, std::ops::Range<usize>, Vec<Affix>) {
    let mut start = 0;
    let mut prefixes = Vec::new();
    while start + 1 < tokens.len() {
        let Some(affix) = tokens.get(start).and_then(|t| classify_affix(t.text)) else { break };
        match affix.role {
            AffixRole::Prefix => prefixes.push(affix),
            AffixRole::PrefixOrSuffix => prefixes.push(Affix { kind: AffixKind::Honorific, ..affix }),
            AffixRole::Suffix => break,
        }
        start += 1;
    }
    let mut end = tokens.len();
    let mut suffixes = Vec::new();
    while end > start + 1 {
        let group = glued_group_start(tokens, start, end);
        let Some(affix) = tokens.get(group..end).and_then(classify_group) else { break };
        if affix.role == AffixRole::Prefix || affix.canonical.len() == 1 || group <= start {
            break;
        }
        suffixes.push(affix);
        end = group;
    }
    suffixes.reverse();
    (prefixes, start..end, suffixes)
}

/// The first index of the run of tokens ending at `end` that are joined by bare periods (`Ph.D`),
/// at most four tokens long and never before `floor`.
fn glued_group_start(tokens: &[Token<'_>], floor: usize, end: usize) -> usize {
    let mut group = end.saturating_sub(1);
    while group > floor && end - group < 4 {
        match tokens.get(group) {
            Some(t) if t.before == Separator::Period && !t.spaced_before => group -= 1,
            _ => break,
        }
    }
    group
}

/// Classifies a run of tokens read as one word (`Ph` `D` → `phd`).
fn classify_group(group: &[Token<'_>]) -> Option<Affix> {
    if let [one] = group {
        return classify_affix(one.text);
    }
    let joined: String = group.iter().map(|t| t.text).collect();
    classify_affix(&joined)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_ascii_shortcut_classifies_like_the_general_path() {
        let affixes = super::AFFIXES.iter().map(|(c, _, _)| c.to_string());
        let dotted = super::AFFIXES.iter().map(|(c, _, _)| format!("{}.", c.to_uppercase()));
        for s in crate::text::random_ascii_strings().chain(affixes).chain(dotted) {
            let fast = super::classify_affix(&s).map(|a| a.canonical);
            let general = if s.len() > 32 { None } else { super::classify_folded(&s).map(|(c, _, _)| *c) };
            assert_eq!(fast, general, "{s:?}");
        }
    }
}
