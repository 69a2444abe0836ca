//! Unicode Script and Script_Extensions from a compact table (`script_table.rs`, generated from the
//! unicode-script crate by `scripts/gen-scripts.py`): the same values as the crate's `script()` and
//! `script_extension()`, from runs decoded once instead of the crate's `(char, char, value)` records
//! (about four times the gzip bytes in the WebAssembly module). `tests/text_scripts.rs` checks every
//! code point against the crate.

use std::sync::OnceLock;

use unicode_script::{Script, ScriptExtension};
use unicode_security::mixed_script::AugmentedScriptSet;

use super::normal_forms::runs;
use super::script_table::{EXTENSION_RUNS, EXTENSION_SETS, SCRIPTS, SCRIPT_RUNS};

/// The table decoded once: runs `(first, last, index)` of scripts and of explicit extension sets.
struct Tables {
    scripts: Vec<(u32, u32, u8)>,
    extensions: Vec<(u32, u32, u8)>,
    sets: Vec<ScriptExtension>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut sets = Vec::new();
        let mut bytes = EXTENSION_SETS.iter();
        while let Some(&count) = bytes.next() {
            let set = bytes.by_ref().take(usize::from(count)).fold(None, |set: Option<ScriptExtension>, &i| {
                let script = ScriptExtension::from(script_at(i));
                Some(set.map_or(script, |set| set.union(script)))
            });
            sets.push(set.unwrap_or_else(|| ScriptExtension::from(Script::Unknown)));
        }
        Tables { scripts: runs(SCRIPT_RUNS, true), extensions: runs(EXTENSION_RUNS, true), sets }
    })
}

fn script_at(index: u8) -> Script {
    SCRIPTS.get(usize::from(index)).copied().unwrap_or(Script::Unknown)
}

/// The run of `runs` holding `c`, if any.
fn find(runs: &[(u32, u32, u8)], c: char) -> Option<u8> {
    let cp = c as u32;
    let i = runs.partition_point(|&(first, _, _)| first <= cp);
    let (_, last, value) = *runs.get(i.checked_sub(1)?)?;
    (cp <= last).then_some(value)
}

/// The Script property of `c` (`Unknown` for unassigned code points).
pub fn script_of(c: char) -> Script {
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() { Script::Latin } else { Script::Common };
    }
    if is_latin_block_letter(c) {
        return Script::Latin;
    }
    find(&tables().scripts, c).map_or(Script::Unknown, script_at)
}

/// The letters of Latin-1, Latin Extended-A and Latin Extended-B (U+00C0–U+024F but × and ÷): Latin,
/// with no explicit Script_Extensions (most accented names are made of them: no table search; the
/// every-code-point tests check it).
fn is_latin_block_letter(c: char) -> bool {
    matches!(c, '\u{c0}'..='\u{24f}') && !matches!(c, '\u{d7}' | '\u{f7}')
}

/// The Script_Extensions property of `c`: its explicit set, or else its Script.
pub fn script_extension_of(c: char) -> ScriptExtension {
    if is_latin_block_letter(c) {
        return ScriptExtension::from(Script::Latin);
    }
    let t = tables();
    match find(&t.extensions, c).and_then(|i| t.sets.get(usize::from(i))) {
        Some(set) => *set,
        None => ScriptExtension::from(script_of(c)),
    }
}

/// UTS #39's augmented script set of `c`.
pub(super) fn augmented_for_char(c: char) -> AugmentedScriptSet {
    AugmentedScriptSet::from(script_extension_of(c))
}

/// UTS #39's resolved script set of `s`: the intersection of its characters' augmented sets.
pub(super) fn augmented_for_str(s: &str) -> AugmentedScriptSet {
    let mut set = AugmentedScriptSet::default();
    for c in s.chars() {
        set.intersect_with(augmented_for_char(c));
    }
    set
}

/// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt): characters that
/// render as nothing when a font has no glyph for them.
pub(crate) fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fff8}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}
