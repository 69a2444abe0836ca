//! Short given names that only an OCR reading of look-alike letters makes equal: twins' names as
//! often as misreadings. Ilia ~ Lila and Kai ~ Kal once `i` reads as `l`, Della ~ Delia, Marnie ~
//! Mamie once `rn` reads as `m`. A twin's genuine document carries those letters as printed, and a
//! twin shares the family name, the birthdate and the address, so in a name this short the reading
//! decides who the person is: the case goes to a person (`SHORT_NAME_ONE_LETTER_APART`, `review`),
//! never `match`. A mark no name contains stays a misreading when it is read as the capital letter it
//! looks like — documents print names in capitals, where `0` is O, `5` S, `8` B, `6` G, and `1` or `|`
//! is I (an L has a foot): MAR1A is Maria. The same `1` against an `l` (MAR1A ~ Marla) needs it read
//! as L, which is where a twin's KAI meets the sibling's Kal: a person checks.

use super::{fuzzy_fallback, ocr_chars};
use crate::claims::kinds::ClaimKind;
use crate::claims::report::Reason;
use crate::text::jaro_winkler;

/// Longest given name (in letters, as read) in which any such reading goes to a person. One letter in
/// six is still a name's identity (Marnie ~ Mamie, Lilian ~ Lillan); in longer names only `i` ~ `l`
/// beside another `l` does (Aurelia ~ Aurella, Cordelia ~ Cordella: tests/claims_attack_twins_ocr_il.rs),
/// `rn` ~ `m` and `vv` ~ `w` make no pair of real names in the tables (tests/claims_ocr_twins.rs).
const MAX_SHORT_OCR_GIVEN_CHARS: usize = 6;

/// A name with its marks read as `one` stands for them (`i` as on a document printed in capitals,
/// or `l`), `0` o, `5` s, `8` b, `6` g; with `letters`, also `rn` as `m` and `vv` as `w` (never `i`
/// as `l`: that is another name's letter as often as a misreading).
fn read_as(s: &str, one: char, letters: bool) -> String {
    let marks: String = s
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '5' => 's',
            '8' => 'b',
            '6' => 'g',
            '1' | '|' => one,
            other => other,
        })
        .collect();
    if letters {
        marks.replace("rn", "m").replace("vv", "w")
    } else {
        marks
    }
}

/// Whether two given names (folded keys) that OCR reads alike need more than their marks read as
/// capitals to be equal, where that makes another name: in a short name, any letter read as its
/// look-alike (`i` ~ `l`, `rn` ~ `m`, `vv` ~ `w`) or a `1` / `|` read as `l`; in a longer one, an `i`
/// ~ `l` next to another `l` ([`doubled_l`]).
pub(super) fn read_ambiguously(a: &str, b: &str) -> bool {
    let (ca, cb) = (read_as(a, 'i', false), read_as(b, 'i', false));
    if ca == cb {
        return false;
    }
    let short = ocr_chars(a).count().min(ocr_chars(b).count()) <= MAX_SHORT_OCR_GIVEN_CHARS;
    let letters = |s: &str| s.replace("rn", "m").replace("vv", "w");
    short || doubled_l(&letters(&ca), &letters(&cb))
}

/// Two longer names (marks read as capitals, `rn` and `vv` as read) that differ in `i` ~ `l` where
/// the `l` side has another `l` beside it, or that do not line up letter for letter. The long given
/// names one `i` ~ `l` apart that are two people are the `-lia` ~ `-lla` forms (Aurelia ~ Aurella,
/// Camelia ~ Camella, Cordelia ~ Cordella: the only ones of seven letters or more in the name tables
/// and the attacker's hunt of 1,365 names); an `l` read for an `i` elsewhere makes no name (Nata1ya,
/// Nichoias, Maximi1ian), and stays a misreading.
fn doubled_l(a: &str, b: &str) -> bool {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if ca.len() != cb.len() {
        return true;
    }
    (0..ca.len()).any(|k| {
        let l_side = match (ca[k], cb[k]) {
            (x, y) if x == y => return false,
            ('l', _) => &ca,
            (_, 'l') => &cb,
            _ => return true,
        };
        (k > 0 && l_side[k - 1] == 'l') || l_side.get(k + 1) == Some(&'l')
    })
}

/// The typo fallback on names that carry marks (a digit or `|`), judged on what the marks stand for
/// rather than on the digit: a `1` or `|` under both of its readings (`i` and `l`). Every guard sees
/// the read name (Danie1 is Daniel against Daniela: `PREFIX_NAME`; Kev1n is Kevin against Kelvin:
/// `DISTINCT_GIVEN_NAMES`), and a refusal under any reading refuses; a typo is accepted only when every
/// reading is one (Car1a is no typo of Maria: CARLA is two edits away), weighed as the closest reading.
/// `letters`: read `rn` and `vv` too.
pub(super) fn typo_as_read(a: &str, b: &str, kind: ClaimKind, letters: bool) -> Result<Reason, Option<Reason>> {
    let ones: &[char] = if a.contains(['1', '|']) || b.contains(['1', '|']) { &['i', 'l'] } else { &['i'] };
    let (mut all, mut closest) = (true, Reason::NameTwoEdits);
    for &one in ones {
        let (ra, rb) = (read_as(a, one, letters), read_as(b, one, letters));
        if ra == rb {
            closest = Reason::NameFuzzyMatch;
            continue;
        }
        match fuzzy_fallback(&ra, &rb, kind) {
            Ok(Reason::NameTwoEdits) => {}
            Ok(_) => closest = Reason::NameFuzzyMatch,
            Err(Some(refusal)) => return Err(Some(refusal)),
            Err(None) => all = false,
        }
    }
    if all {
        Ok(closest)
    } else {
        Err(None)
    }
}

/// An OCR confusion and a typo in a given name that carries a mark (Fat1rnqh ~ Fatimah): the typo
/// fallback on the name read with `rn` as `m` and `vv` as `w` as well as its marks (under every
/// reading, [`typo_as_read`]), reached when the marks alone did not explain it. A short name that
/// needed those letters read is `SHORT_NAME_ONE_LETTER_APART` (Fat1rnq ~ Fatima: a person checks).
/// The score is the read names' Jaro-Winkler similarity.
pub(super) fn given_ocr_and_typo(a: &str, b: &str, kind: ClaimKind) -> Option<(f64, Reason)> {
    let reason = typo_as_read(a, b, kind, true).ok()?;
    let (ra, rb) = (read_as(a, 'i', true), read_as(b, 'i', true));
    let short = ocr_chars(a).count().min(ocr_chars(b).count()) <= MAX_SHORT_OCR_GIVEN_CHARS;
    Some((jaro_winkler(&ra, &rb), if short { Reason::ShortNameOneLetterApart } else { reason }))
}

#[cfg(test)]
mod tests {
    use super::read_ambiguously;

    #[test]
    fn look_alike_letters_and_ambiguous_marks_in_short_names() {
        for (a, b) in [
            ("ilia", "lila"),
            ("kai", "kal"),
            ("ka1", "kal"),
            ("mar1a", "marla"),
            ("della", "delia"),
            ("marnie", "mamie"),
        ] {
            assert!(read_ambiguously(a, b), "{a} ~ {b}");
        }
        // Marks read as capitals, and long names, are misreadings.
        for (a, b) in [
            ("j05e", "jose"),
            ("r0sa", "rosa"),
            ("8ella", "bella"),
            ("mar1a", "maria"),
            ("ka|", "kai"),
            ("katharlna", "katharina"),
        ] {
            assert!(!read_ambiguously(a, b), "{a} ~ {b}");
        }
    }
}
