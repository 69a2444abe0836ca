//! Personal names (given, middle, family). Hard to fool first, forgiving second:
//! 1. security findings (mixed scripts, look-alikes, invisible or bidi characters) block a match;
//! 2. equal after normalization (case, diacritics, transliteration, spacing, affixes) is a match;
//! 3. in fuzzy mode, and only where the policy allows it: family-name subsets, nicknames, initials,
//!    OCR confusions, then a guarded edit-distance fallback that refuses prefix names (Smith ~
//!    Smithson) and changed endings (Alexander ~ Alexandra).

mod compound;
mod corroborated_family;
mod given_names;
mod nicknames;
mod ocr_twins;
mod parse;
mod rhyming;
mod spelling;

use std::borrow::Cow;

use crate::claims::kinds::ClaimKind;
use crate::claims::policy::{ClaimRule, MatchMode};
use crate::claims::report::{ClaimResult, Outcome, Reason, Reasons};
use crate::text::{
    self, dominant_script, edit_distance, has_latin_letters, icao_transliterate, inspect, jaro_winkler, loose_latin,
    CharBuf, Findings, Script,
};
pub(crate) use compound::second_given_name_contradicts;
pub(crate) use corroborated_family::corroborated_family_names;
use given_names::{is_common_given_name, is_real_given_name};
use nicknames::{hypocorism, Hypocorism};
use parse::{NameToken, ParsedName};
use spelling::spelling_variants;

/// Score of a match through a tolerance other than plain equality.
const SUBSET_SCORE: f64 = 0.9;
const NICKNAME_SCORE: f64 = 0.9;
const INITIAL_SCORE: f64 = 0.8;
const OCR_SCORE: f64 = 0.95;
/// Keys shorter than this (in characters) are matched at two edits only as short family names
/// (see [`two_edits_allowed`]); given names never (Anna ~ Emma).
const MIN_TWO_EDIT_CHARS: usize = 6;
/// Family names from this length (and under [`MIN_TWO_EDIT_CHARS`]) are matched at two edits only
/// when their first letters agree.
const MIN_SHORT_FAMILY_TWO_EDIT_CHARS: usize = 4;
/// Keys shorter than this are never matched at one edit (Al ~ Ali).
const MIN_ONE_EDIT_CHARS: usize = 3;

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
    compare_prepared_name(&PreparedName::new(verified), &PreparedName::new(directory), kind, rule)
}

/// A name read once: its security findings and its parts with their comparison keys (the joined
/// keys the tolerances compare are built only when the parts differ). Preparing costs the Unicode
/// work; comparing two prepared names is mostly key comparison.
#[derive(Debug, Clone)]
pub struct PreparedName {
    screen: Screen,
    parsed: ParsedName,
    /// Reasons for the affixes set aside (usually none).
    affixes: Reasons,
    /// A directory value that carried invisible characters (removed before reading).
    invisible_removed: bool,
    /// The dominant script of `raw` (read once: every mismatch asks for it).
    script: Option<Script>,
}

impl PreparedName {
    /// Reads a name as written (any case, any script).
    pub fn new(raw: &str) -> PreparedName {
        let (parsed, affixes) = ParsedName::parse(raw);
        PreparedName {
            screen: Screen::new(raw),
            parsed,
            affixes,
            invisible_removed: false,
            script: dominant_script(raw),
        }
    }

    /// Reads a directory name: zero-width spaces, soft hyphens, BOMs and word joiners are a
    /// data-quality finding there (`DIRECTORY_INVISIBLE`), removed before reading; every other
    /// finding (bidi controls, mixed scripts…) still blocks a match.
    pub fn directory(raw: &str) -> PreparedName {
        match text::without_copy_paste_invisibles(raw) {
            Some(cleaned) => PreparedName { invisible_removed: true, ..PreparedName::new(&cleaned) },
            None => PreparedName::new(raw),
        }
    }

    /// The key a directory frequency table counts this name under: its folded parts (affixes set
    /// aside), hashed; `None` when nothing is left to count.
    pub(crate) fn frequency_key(&self) -> Option<u32> {
        let parts = &self.parsed.tokens;
        (!parts.is_empty()).then(|| crate::profile::frequency::hash_parts(parts.iter().map(NameToken::primary)))
    }
}

/// A value's security findings and whether it has Latin letters (which decides whether a
/// whole-script look-alike on the other side is a spoof), read once.
#[derive(Debug, Clone)]
pub(crate) struct Screen {
    /// `None` when there are none (nearly every value: a loaded pair keeps one word, not a vector).
    findings: Option<Box<Findings>>,
    has_latin: bool,
}

impl Screen {
    /// Inspects a raw value.
    pub(crate) fn new(raw: &str) -> Screen {
        let findings = inspect(raw);
        Screen { findings: (!findings.is_empty()).then(|| Box::new(findings)), has_latin: has_latin_letters(raw) }
    }
}

/// Compares two prepared names (see [`compare_name`]).
pub fn compare_prepared_name(v: &PreparedName, d: &PreparedName, kind: ClaimKind, rule: &ClaimRule) -> ClaimResult {
    if let Some(blocked) = screen_block(&v.screen, &d.screen) {
        return blocked;
    }
    let (vp, dp) = (&v.parsed, &d.parsed);
    if vp.tokens.is_empty() || dp.tokens.is_empty() {
        return ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable]);
    }
    let mut reasons = Reasons::new();
    if d.invisible_removed {
        reasons.push(Reason::DirectoryInvisible);
    }
    reasons.union(v.affixes);
    reasons.union(d.affixes);
    if vp.generational_conflict(dp) {
        reasons.push(Reason::GenerationalSuffixDiffers);
        return ClaimResult::new(Outcome::Mismatch, 0.0, reasons);
    }
    if let Some(equal) = equal_reasons(v, d) {
        reasons.union(equal);
        return ClaimResult::new(Outcome::Match, 1.0, reasons);
    }
    // Built once for the tolerances and the fallback below.
    let (a, b) = (vp.joined(), dp.joined());
    let (a, b) = (a.as_str(), b.as_str());
    if rule.mode == MatchMode::Fuzzy {
        if let Some((score, reason)) = tolerated(v, d, kind, rule, (a, b)) {
            reasons.push(reason);
            if reason == Reason::OcrConfusion && kind != ClaimKind::FamilyName && ocr_twins::read_ambiguously(a, b) {
                // Ilia ~ Lila, Aurelia ~ Aurella, Marnie ~ Mamie, KA1 ~ Kal: twins' names as often as an
                // OCR misreading.
                reasons.push(Reason::ShortNameOneLetterApart);
                return ClaimResult::new(Outcome::Mismatch, score, reasons);
            }
            return ClaimResult::new(Outcome::Match, score, reasons);
        }
    }
    // MARY ELIZABETH on the document, Elizabeth in the directory: the person may go by a later given
    // name (only that way round: the document lists every given name, HR the one in use). A sibling
    // fits as well (Ngọc Ánh ~ Anh), so on its own it is a mismatch that routes to review; the
    // engine matches it when the directory's middle name is the document's first given name.
    if rule.mode == MatchMode::Fuzzy
        && rule.allow.token_subset
        && kind == ClaimKind::GivenName
        && goes_by_later_name(vp, dp)
    {
        reasons.push(Reason::GoesByMiddleName);
        return ClaimResult::new(Outcome::Mismatch, SUBSET_SCORE, reasons);
    }
    if rule.mode == MatchMode::Fuzzy && transliterated_equal(v, d) {
        reasons.push(Reason::TransliteratedScript);
    }
    if rule.mode == MatchMode::Fuzzy && rule.allow.nicknames && ambiguous_nickname(vp, dp) {
        reasons.push(Reason::NicknameAmbiguous);
    }
    let similarity = jaro_winkler(a, b);
    if rule.mode == MatchMode::Fuzzy && rule.allow.typos {
        // A name that carries a mark (a digit or `|`) is judged as read: the guards must see Daniel in
        // Danie1, not a string two edits from Daniela.
        let marked = ocr_mark(a) || ocr_mark(b);
        let fallback = if marked { ocr_twins::typo_as_read(a, b, kind, false) } else { fuzzy_fallback(a, b, kind) };
        match fallback {
            // The score of a typo match is the names' Jaro-Winkler similarity, computed above.
            Ok(reason) => {
                if marked && rule.allow.ocr {
                    reasons.push(Reason::OcrConfusion);
                }
                reasons.push(reason);
                return ClaimResult::new(Outcome::Match, similarity, reasons);
            }
            Err(Some(refusal)) => reasons.push(refusal),
            Err(None) => {
                if let Some((score, reason)) = ocr_and_typo(a, b, kind, rule.allow.ocr) {
                    reasons.extend([Reason::OcrConfusion, reason]);
                    let outcome =
                        if reason == Reason::ShortNameOneLetterApart { Outcome::Mismatch } else { Outcome::Match };
                    return ClaimResult::new(outcome, score, reasons);
                }
            }
        }
    }
    if v.script != d.script {
        reasons.push(Reason::ScriptDiffers);
    }
    ClaimResult::new(Outcome::Mismatch, similarity, reasons)
}

/// Whether given and family names are swapped between the sides (each equal to the other's
/// counterpart after normalization), e.g. a document that prints the family name first.
pub fn names_swapped(verified_given: &str, verified_family: &str, dir_given: &str, dir_family: &str) -> bool {
    let p = PreparedName::new;
    prepared_names_swapped(&p(verified_given), &p(verified_family), &p(dir_given), &p(dir_family))
}

/// [`names_swapped`] over prepared names.
pub fn prepared_names_swapped(
    verified_given: &PreparedName,
    verified_family: &PreparedName,
    dir_given: &PreparedName,
    dir_family: &PreparedName,
) -> bool {
    let same = |a: &PreparedName, b: &PreparedName| {
        screen_block(&a.screen, &b.screen).is_none() && equal_reasons(a, b).is_some()
    };
    same(verified_given, dir_family) && same(verified_family, dir_given)
}

/// How far given and family name, swapped between the sides, agree with typos: `Some(reason)` when
/// each crosswise pair is equal after normalization or within the typo fallback (one edit, or two in
/// a long name) and at least one is not equal — `NAME_FUZZY_MATCH` when the worst pair is one edit
/// apart, `NAME_TWO_EDITS` when it is two. `None` otherwise (including plain swapped names).
pub(crate) fn prepared_names_swapped_with_typo(
    verified_given: &PreparedName,
    verified_family: &PreparedName,
    dir_given: &PreparedName,
    dir_family: &PreparedName,
) -> Option<Reason> {
    // 0: equal, 1: one edit, 2: two edits; `None`: too far, refused, or blocked by a finding. The
    // guards of the directory side's kind apply (the document's family name against the record's
    // given name is refused as Kevin ~ Kelvin would be).
    let distance = |a: &PreparedName, b: &PreparedName, kind: ClaimKind| -> Option<u8> {
        if screen_block(&a.screen, &b.screen).is_some() {
            return None;
        }
        if equal_reasons(a, b).is_some() {
            return Some(0);
        }
        let (ja, jb) = (a.parsed.joined(), b.parsed.joined());
        // A digit or `|` is read (Danie1 is Daniel), as in the claim's own comparison.
        let fallback = if ocr_mark(&ja) || ocr_mark(&jb) {
            ocr_twins::typo_as_read(&ja, &jb, kind, false)
        } else {
            fuzzy_fallback(&ja, &jb, kind)
        };
        match fallback {
            Ok(Reason::NameFuzzyMatch) => Some(1),
            Ok(Reason::NameTwoEdits) => Some(2),
            _ => None,
        }
    };
    let worst = distance(verified_given, dir_family, ClaimKind::FamilyName)?.max(distance(
        verified_family,
        dir_given,
        ClaimKind::GivenName,
    )?);
    match worst {
        0 => None,
        1 => Some(Reason::NameFuzzyMatch),
        _ => Some(Reason::NameTwoEdits),
    }
}

/// For a comparison across scripts: the parts' loose Latin keys, and whether they were transliterated
/// (every part wholly Cyrillic or wholly Greek) or are Latin already (every part ASCII letters);
/// `None` for any other name.
fn cross_script_keys(name: &ParsedName) -> Option<(bool, Vec<String>)> {
    fn primary(t: &NameToken) -> &str {
        t.primary()
    }
    if name.tokens.is_empty() {
        return None;
    }
    if name.tokens.iter().all(|t| primary(t).bytes().all(|b| b.is_ascii_lowercase())) {
        return Some((false, name.tokens.iter().map(|t| loose_latin(primary(t))).collect()));
    }
    let keys: Option<Vec<String>> =
        name.tokens.iter().map(|t| icao_transliterate(primary(t)).map(|latin| loose_latin(&latin))).collect();
    keys.map(|keys| (true, keys))
}

/// One side wholly Cyrillic or Greek, the other Latin, neither with a security finding, and the
/// transliterated parts equal the Latin ones (part by part, or with the spacing ignored).
fn transliterated_equal(v: &PreparedName, d: &PreparedName) -> bool {
    // Reached only when everything else failed: the keys are computed here, not when preparing.
    let scripts = [v.script, d.script];
    let latin_and_other = scripts.contains(&Some(Script::Latin))
        && (scripts.contains(&Some(Script::Cyrillic)) || scripts.contains(&Some(Script::Greek)));
    if !latin_and_other || v.screen.findings.is_some() || d.screen.findings.is_some() {
        return false;
    }
    let (Some((v_translit, vk)), Some((d_translit, dk))) = (cross_script_keys(&v.parsed), cross_script_keys(&d.parsed))
    else {
        return false;
    };
    if v_translit == d_translit {
        return false;
    }
    vk == dk || vk.concat() == dk.concat()
}

/// A mismatch carrying the security findings, when either value must not be matched.
pub(crate) fn screen_block(verified: &Screen, directory: &Screen) -> Option<ClaimResult> {
    if verified.findings.is_none() && directory.findings.is_none() {
        return None;
    }
    let mut reasons = Reasons::new();
    for (value, other) in [(verified, directory), (directory, verified)] {
        let Some(findings) = &value.findings else { continue };
        if findings.blocks_match_given(other.has_latin) {
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
fn equal_reasons(pv: &PreparedName, pd: &PreparedName) -> Option<Reasons> {
    let (v, d) = (&pv.parsed, &pd.parsed);
    let mut reasons = Reasons::new();
    if v.tokens.len() == d.tokens.len() && v.tokens.iter().zip(&d.tokens).all(|(a, b)| a.meets(b)) {
        for (a, b) in v.tokens.iter().zip(&d.tokens) {
            reasons.extend(a.normalization_reason(b));
        }
        return Some(reasons);
    }
    // Reached only when the parts differ: the squashed keys are built here, not when preparing.
    if pv.parsed.squashed_eq(&pd.parsed) {
        reasons.push(Reason::SpacingNormalized);
        return Some(reasons);
    }
    None
}

/// The policy-controlled tolerances, in order of confidence.
fn tolerated(
    pv: &PreparedName,
    pd: &PreparedName,
    kind: ClaimKind,
    rule: &ClaimRule,
    (joined_v, joined_d): (&str, &str),
) -> Option<(f64, Reason)> {
    let (v, d) = (&pv.parsed, &pd.parsed);
    let allow = rule.allow;
    // A given or middle name keeps its first part (Mary ~ Mary Ann, not Anh ~ Ngọc Ánh): which of
    // several given names a person goes by is not something a subset can tell.
    let first_meets = v.tokens.first().zip(d.tokens.first()).is_some_and(|(a, b)| a.meets(b));
    if allow.token_subset && (kind == ClaimKind::FamilyName || first_meets) && (is_subset(v, d) || is_subset(d, v)) {
        let reason = if kind == ClaimKind::FamilyName { Reason::SurnameSubset } else { Reason::TokenSubset };
        return Some((SUBSET_SCORE, reason));
    }
    // JOHN ALLEN ~ John A.: the record keeps the middle initial in the first name (the engine checks
    // the parts left aside against the middle names: `compound`).
    if allow.token_subset && kind == ClaimKind::GivenName && compound::later_part_initialled(v, d) {
        return Some((SUBSET_SCORE, Reason::TokenSubset));
    }

    // A family name of several parts written in another order (Carvalho Mendes ~ Mendes Carvalho:
    // systems disagree on the order of a paternal and a maternal surname). Family names only: the
    // order of given names says which one the person goes by.
    if allow.token_subset && kind == ClaimKind::FamilyName && same_parts_reordered(v, d) {
        return Some((SUBSET_SCORE, Reason::TokensReordered));
    }
    if allow.token_subset && kind == ClaimKind::FamilyName && cut_by_field_limit(joined_v, joined_d) {
        return Some((SUBSET_SCORE, Reason::SurnameSubset));
    }
    if allow.nicknames && pairwise(v, d, |a, b, first| a.meets(b) || (first && nickname(a, b))) {
        return Some((NICKNAME_SCORE, Reason::Nickname));
    }
    if allow.initials && pairwise(v, d, |a, b, _| a.meets(b) || a.abbreviates(b) || b.abbreviates(a)) {
        return Some((INITIAL_SCORE, Reason::Initial));
    }
    if allow.ocr && ocr_chars(joined_v).eq(ocr_chars(joined_d)) {
        return Some((OCR_SCORE, Reason::OcrConfusion));
    }
    None
}

/// A character only OCR puts in a name: a digit or `|`.
fn ocr_mark(s: &str) -> bool {
    s.contains(|c: char| c.is_ascii_digit() || c == '|')
}

/// Letters a family name keeps, at least, when only a document's or a system's field limit can have
/// cut it: a passport's machine-readable zone holds 30 (ID card), 31 or 39 (passport) characters for
/// both names with the given names truncated first, and older payroll, licence and HR systems keep
/// 15 to 20 characters of a surname (issue 13's probe: WOLFESCHLEGELST). A start of 15 letters is
/// longer than almost every surname, so it is no other family's whole name; shorter prefixes are
/// another name as often as not (Smith ~ Smithson, Fisch ~ Fischer, Vandenbroucke: `PREFIX_NAME`).
const MIN_FIELD_CUT_LETTERS: usize = 15;

/// One family name is the start of the other, spaces aside, and keeps at least
/// [`MIN_FIELD_CUT_LETTERS`] letters (WOLFESCHLEGELSTEINHAUSENBER ~ Wolfeschlegelsteinhausenbergerdorff):
/// cut by a field limit, weighed as a subset of the name's parts.
fn cut_by_field_limit(a: &str, b: &str) -> bool {
    let letters = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
    let (a, b) = (letters(a), letters(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= MIN_FIELD_CUT_LETTERS && long.len() > short.len() && long.starts_with(&short)
}

/// The directory's given name is a later part of the document's (not its first).
fn goes_by_later_name(v: &ParsedName, d: &ParsedName) -> bool {
    let first_meets = v.tokens.first().zip(d.tokens.first()).is_some_and(|(a, b)| a.meets(b));
    !first_meets && is_subset(d, v)
}

/// Whether the first part of a document's given name is the directory's middle name (Mary in MARY
/// ELIZABETH against middle name Mary).
pub(crate) fn first_part_is(verified_given: &PreparedName, directory_middle: &PreparedName) -> bool {
    match (verified_given.parsed.tokens.first(), directory_middle.parsed.tokens.as_slice()) {
        (Some(first), [middle]) => first.meets(middle) && !first.initial,
        _ => false,
    }
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

/// Two or more parts on each side, as many on both, each part meeting a distinct part of the other.
fn same_parts_reordered(v: &ParsedName, d: &ParsedName) -> bool {
    if v.tokens.len() < 2 || v.tokens.len() != d.tokens.len() {
        return false;
    }
    let mut used = vec![false; d.tokens.len()];
    v.tokens.iter().all(|w| {
        let hit = d.tokens.iter().enumerate().find(|(i, t)| !used[*i] && !t.initial && w.meets(t));
        hit.map(|(i, _)| used[i] = true).is_some()
    })
}

/// Same number of parts and `ok(a, b, is_first)` for every pair.
fn pairwise(v: &ParsedName, d: &ParsedName, ok: impl Fn(&NameToken, &NameToken, bool) -> bool) -> bool {
    v.tokens.len() == d.tokens.len() && v.tokens.iter().zip(&d.tokens).enumerate().all(|(i, (a, b))| ok(a, b, i == 0))
}

fn nickname(a: &NameToken, b: &NameToken) -> bool {
    a.keys().any(|x| b.keys().any(|y| hypocorism(x, y) == Hypocorism::Unique))
}

/// The first parts are a formal name and a short form that several formal names share.
fn ambiguous_nickname(v: &ParsedName, d: &ParsedName) -> bool {
    v.tokens
        .first()
        .zip(d.tokens.first())
        .is_some_and(|(a, b)| a.keys().any(|x| b.keys().any(|y| hypocorism(x, y) == Hypocorism::Ambiguous)))
}

/// Undoes the confusions OCR makes on printed names: digits for letters, `rn` for `m`, `vv` for
/// `w`, and I/l (already lower case after folding). Yields the key's characters (compared without
/// building the key: this runs for every name that differs).
fn ocr_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = s
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '|' | 'i' => 'l',
            '5' => 's',
            '8' => 'b',
            '6' => 'g',
            other => other,
        })
        .peekable();
    // The digit mapping yields no `r`, `n` or `v`, and `rn` → `m` creates no `vv`: one left-to-right
    // pass replaces both pairs as replacing `rn` and then `vv` in the mapped text would.
    std::iter::from_fn(move || {
        let c = chars.next()?;
        Some(match (c, chars.peek()) {
            ('r', Some('n')) | ('v', Some('v')) => {
                chars.next();
                if c == 'r' {
                    'm'
                } else {
                    'w'
                }
            }
            _ => c,
        })
    })
}

/// The edit-distance fallback for typos, at any position and on either side: one edit (insertion,
/// deletion, substitution, adjacent transposition) → `NAME_FUZZY_MATCH`, two edits in names of six
/// letters or more → `NAME_TWO_EDITS`; the combined decision then weighs them against the other
/// claims. Refused whatever else agrees: one name plus an ending (Smith ~ Smithson, Daniel ~
/// Daniela; a doubled last letter, Mitchel ~ Mitchell, is a typo), a changed gendered ending
/// (Alexander ~ Alexandra, Maria ~ Mario), two distinct common given names (Kevin ~ Kelvin), and
/// two short given names one letter apart (Sam ~ Pam: routed to review). `Err(Some(reason))` when a
/// guard refused, `Err(None)` when simply too different.
fn fuzzy_fallback(a: &str, b: &str, kind: ClaimKind) -> Result<Reason, Option<Reason>> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    // The refusals first, so that a near name says why it was not matched.
    let (short, long) = if la <= lb { (a, b) } else { (b, a) };
    if let Some(extra) = long.strip_prefix(short) {
        // Smith ~ Smithson: an ending of two letters or more is another name. One letter is a typo
        // (Mitchel ~ Mitchell, Santo ~ Santos), unless it turns a common given name into its
        // feminine form (Daniel ~ Daniela, Simon ~ Simone).
        // A doubled last letter (Maria ~ Mariaa, Dörte ~ Dörtee) is a typo, not a feminine form.
        let one = extra.chars().count() == 1;
        let doubled = one && short.ends_with(extra);
        let feminine =
            one && !doubled && extra.ends_with(['a', 'e']) && is_common_given_name(&short.replace([' ', '-'], ""));
        if !one || feminine {
            return Err(Some(Reason::PrefixName));
        }
        if kind != ClaimKind::FamilyName && other_gender_form(short, long) {
            return Err(Some(Reason::DistinctGivenNames));
        }
    }
    if la.abs_diff(lb) > 2 {
        return Err(None);
    }
    if kind != ClaimKind::FamilyName && gendered_ending(a, b) {
        return Err(Some(Reason::NameEndingDiffers));
    }
    if la.min(lb) < MIN_ONE_EDIT_CHARS {
        return Err(None);
    }
    // A space typed inside a name (Ry na ~ Ryan) is not an edit of its letters.
    let distance = if a.contains(' ') || b.contains(' ') {
        edit_distance(&a.replace(' ', ""), &b.replace(' ', "")).min(edit_distance(a, b))
    } else {
        edit_distance(a, b)
    };
    if distance > 2 || (distance == 2 && !two_edits_allowed(a, b, kind)) {
        return Err(None);
    }
    if kind != ClaimKind::FamilyName && distinct_given_names(a, b) {
        return Err(Some(Reason::DistinctGivenNames));
    }
    if kind != ClaimKind::FamilyName && !spelling_variants(a, b) {
        if let Some(refusal) = rhyming::rhyming_given_names(a, b, distance) {
            return Err(Some(refusal));
        }
    }
    if kind != ClaimKind::FamilyName && short_names_one_letter_apart(a, b) {
        return Err(Some(Reason::ShortNameOneLetterApart));
    }
    if kind != ClaimKind::FamilyName && transposed_gendered_ending(a, b) {
        return Err(Some(Reason::NameEndingDiffers));
    }
    Ok(if distance == 1 { Reason::NameFuzzyMatch } else { Reason::NameTwoEdits })
}

/// `long` is `short` plus one letter at the end and both are real given names (Norma ~ Norman, Lia ~
/// Liam, Carl ~ Carly, Erin ~ Erinn, Radovan ~ Radovana: twins are given such pairs), unless they are
/// one name's spellings (Judit ~ Judith: [`spelling_variants`]).
fn other_gender_form(short: &str, long: &str) -> bool {
    let key = |s: &str| s.replace([' ', '-'], "");
    is_real_given_name(&key(short)) && is_real_given_name(&key(long)) && !spelling_variants(short, long)
}

/// An OCR confusion and a typo in one name (Fatima ~ Fat1rna with a letter dropped, Hqrr1ngton ~
/// Harringt0n): the typo fallback, with its guards, on the names with the OCR confusions undone,
/// for names the fallback found simply too far apart as read. A side must carry a mark only OCR
/// makes (a digit or `|`): `rn`, `vv` and `i` are ordinary spelling (Erna ~ Emma, Verna ~ Velma are
/// twins' names a typo apart once `rn` reads as `m`; Lina ~ Irina once `i` reads as `l`). A given
/// name is read by [`ocr_twins::given_ocr_and_typo`] (never `i` as `l`; a short one goes to a
/// person); a family name with every confusion undone. The score is the read names' Jaro-Winkler
/// similarity.
fn ocr_and_typo(a: &str, b: &str, kind: ClaimKind, allow_ocr: bool) -> Option<(f64, Reason)> {
    if !allow_ocr || !(ocr_mark(a) || ocr_mark(b)) {
        return None;
    }
    if kind != ClaimKind::FamilyName {
        return ocr_twins::given_ocr_and_typo(a, b, kind);
    }
    let (oa, ob): (String, String) = (ocr_chars(a).collect(), ocr_chars(b).collect());
    fuzzy_fallback(&oa, &ob, kind).ok().map(|reason| (jaro_winkler(&oa, &ob), reason))
}

/// Whether two names two edits apart may be a typo: names of six letters or more; a family name
/// from four letters when the first letters agree (Jolly ~ Jolul, Blake ~ Blqek). A short given name
/// two edits away is another name too often (Anna ~ Emma, Jadk ~ Jack: twins) and is never matched.
fn two_edits_allowed(a: &str, b: &str, kind: ClaimKind) -> bool {
    let shortest = a.chars().count().min(b.chars().count());
    shortest >= MIN_TWO_EDIT_CHARS
        || (kind == ClaimKind::FamilyName
            && shortest >= MIN_SHORT_FAMILY_TWO_EDIT_CHARS
            && a.chars().next() == b.chars().next())
}

/// -ian ~ -ina, -an ~ -na (Kristian ~ Kristina, Adrian ~ Adrina, Marian ~ Marina): the masculine and
/// feminine forms, one transposition apart but another person (a twin's name). Checked after the
/// common-name rule, so that two known names (Christian ~ Christina) say `DISTINCT_GIVEN_NAMES`.
fn transposed_gendered_ending(a: &str, b: &str) -> bool {
    let pair = |x: &str, y: &str| matches!((x.strip_suffix("an"), y.strip_suffix("na")), (Some(p), Some(q)) if p == q);
    pair(a, b) || pair(b, a)
}

/// The names differ only in a short ending whose last letter changes and involves a vowel
/// (Alexander ~ Alexandra, Christian ~ Christina, Maria ~ Mario): a different, gendered name.
fn gendered_ending(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let tail = |s: &str| CharBuf::from_chars(s.chars().skip(common));
    let (mut ta, mut tb) = (tail(a), tail(b));
    let vowel = |c: &char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let changed_last = ta.last() != tb.last();
    crate::sort::sort(&mut ta);
    crate::sort::sort(&mut tb);
    // The same letters in another order are a transposition (Chiara ~ Chiaar); two known names that
    // differ so (Christian ~ Christina) are refused as distinct names instead.
    if *ta == *tb || !changed_last {
        return false;
    }
    let known = |s: &str| is_common_given_name(&s.replace([' ', '-'], ""));
    // A changed final vowel is refused when a side is a common given name and the change involves
    // an `a` (Maria ~ Mario, Paola ~ Paolo: the gendered endings), or when both sides are common
    // given names (Mario ~ Marie); otherwise it is a typo (Kenji ~ Kenjo, Hiroshi ~ Hiroshu).
    if ta.len() == 1 && tb.len() == 1 {
        let with_a = ta[0] == 'a' || tb[0] == 'a';
        let (ka, kb) = (known(a), known(b));
        let another_name = (ka || kb) && (with_a || (ka && kb));
        if !another_name {
            return false;
        }
    }
    let (ta, tb) = (tail(a), tail(b));
    match (ta.last(), tb.last()) {
        (Some(x), Some(y)) => {
            x != y
                && (vowel(x) || vowel(y))
                && ta.len() <= 2
                && tb.len() <= 2
                && ta.iter().any(vowel)
                && tb.iter().any(vowel)
        }
        _ => false,
    }
}

/// Some part of each name is a common given name, and those parts differ (Kevin ~ Kelvin).
fn distinct_given_names(a: &str, b: &str) -> bool {
    /// `s` without `c`, copied only when it has one (the fallback runs on most differing pairs).
    fn without(s: &str, c: char) -> Cow<'_, str> {
        if s.contains(c) {
            Cow::Owned(s.replace(c, ""))
        } else {
            Cow::Borrowed(s)
        }
    }
    // Two hand-curated common names always; two other real given names unless they are one name's
    // spellings (Mathew ~ Matthew).
    let named = |x: &str, y: &str| {
        let (x, y) = (without(x, '-'), without(y, '-'));
        (is_common_given_name(&x) && is_common_given_name(&y) && !spelling::front_spelling(&x, &y))
            || (is_real_given_name(&x) && is_real_given_name(&y) && !spelling_variants(&x, &y))
    };
    if named(&without(a, ' '), &without(b, ' ')) {
        return true;
    }
    a.split(' ').count() == b.split(' ').count() && a.split(' ').zip(b.split(' ')).any(|(x, y)| x != y && named(x, y))
}

/// Longest given name (in letters) in which one changed letter makes another name rather than a typo
/// (five for a few hours of session 9 — Ryder ~ Ryker — then four again: at five, one typo in Maria,
/// Maxia, went to a person, the issue's own lockout).
const MAX_SHORT_GIVEN_CHARS: usize = 4;

/// Two given names of at most [`MAX_SHORT_GIVEN_CHARS`] letters, equal but for one letter in one place
/// that is not a neighbouring key (Sam ~ Pam, Lia ~ Mia, Hana ~ Hina): in a name that short one letter
/// is a fifth of it or more, and siblings — twins share the family name, the birthdate and often the
/// address — are given such pairs. The list of common given names cannot hold every one, so the shape
/// decides: not a match, but a case for a person (`review`). A slip of the finger onto a neighbouring
/// key (Jon ~ Jin, the typing-error model FEBRL generates) and two letters swapped (Jon ~ Jno) stay
/// typos. A compound or two-part given name is compared part by part: twins often share the other
/// part (Sam Marie ~ Pam Marie, Lia-Marie ~ Mia-Marie), so the names are a case for a person when that
/// is their only difference.
fn short_names_one_letter_apart(a: &str, b: &str) -> bool {
    let pa: Vec<&str> = a.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    let pb: Vec<&str> = b.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    if pa.len() != pb.len() || pa.len() < 2 {
        return short_part_one_letter_apart(a, b);
    }
    let mut differing = pa.iter().zip(&pb).filter(|(x, y)| x != y);
    match (differing.next(), differing.next()) {
        (Some((x, y)), None) => short_part_one_letter_apart(x, y),
        _ => false,
    }
}

/// [`short_names_one_letter_apart`] for one part: at most [`MAX_SHORT_GIVEN_CHARS`] letters each, one
/// letter changed, not onto a neighbouring key.
fn short_part_one_letter_apart(a: &str, b: &str) -> bool {
    let (ca, cb) = (CharBuf::new(a), CharBuf::new(b));
    if ca.len() != cb.len() || ca.len() > MAX_SHORT_GIVEN_CHARS || ca.contains(&' ') || cb.contains(&' ') {
        return false;
    }
    let mut changed = ca.iter().zip(cb.iter()).filter(|(x, y)| x != y);
    match (changed.next(), changed.next()) {
        (Some((x, y)), None) => !keyboard_neighbours(*x, *y),
        _ => false,
    }
}

/// Whether two lower-case letters are neighbouring keys on a QWERTY keyboard (same row, or the
/// staggered row above or below).
fn keyboard_neighbours(x: char, y: char) -> bool {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let at = |c: char| ROWS.iter().enumerate().find_map(|(r, row)| row.find(c).map(|i| (r, i)));
    let (Some((rx, ix)), Some((ry, iy))) = (at(x), at(y)) else {
        return false;
    };
    if rx == ry {
        return ix.abs_diff(iy) == 1;
    }
    if rx.abs_diff(ry) != 1 {
        return false;
    }
    // Each row sits half a key to the right of the one above: key i touches i-1 and i below it.
    let (upper, lower) = if rx < ry { (ix, iy) } else { (iy, ix) };
    lower == upper || lower + 1 == upper
}

#[cfg(test)]
mod ocr_tests {
    use super::ocr_chars;

    /// The key as it was built before: map the characters, then replace `rn`, then `vv`.
    fn built(s: &str) -> String {
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

    #[test]
    fn one_pass_equals_the_replacements() {
        // Every string of up to five characters over the letters the key treats specially.
        let alphabet = ['r', 'n', 'v', 'm', 'w', 'i', '1', '0', ' '];
        let mut words = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> =
                words.iter().flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}"))).collect();
            words.extend(longer.into_iter().filter(|w| w.chars().count() <= 5));
            words.sort();
            words.dedup();
        }
        assert!(words.len() > 60_000);
        for w in &words {
            assert_eq!(ocr_chars(w).collect::<String>(), built(w), "{w:?}");
        }
        assert_eq!(ocr_chars("vvvrnrn5").collect::<String>(), "wvmms");
    }
}
