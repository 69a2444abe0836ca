//! Short given names that only an OCR reading of look-alike letters makes equal: twins' names as
//! often as misreadings. Ilia ~ Lila and Kai ~ Kal once `i` reads as `l`, Della ~ Delia, Marnie ~
//! Mamie once `rn` reads as `m`. A twin's genuine document carries those letters as printed, and a
//! twin shares the family name, the birthdate and the address, so in a name this short the reading
//! decides who the person is: the case goes to a person (`SHORT_NAME_ONE_LETTER_APART`, `review`),
//! never `match`. A mark no name contains stays a misreading when it is read as the capital letter it
//! looks like — documents print names in capitals, where `0` is O, `5` S, `8` B, `6` G, and `1` or `|`
//! is I (an L has a foot): MAR1A is Maria. The same `1` against an `l` (MAR1A ~ Marla) needs it read
//! as L, which is where a twin's KAI meets the sibling's Kal: a person checks.

use super::ocr_chars;

/// Longest given name (in letters, as read) in which such a reading goes to a person. One letter in
/// six is still a name's identity (Marnie ~ Mamie, Lilian ~ Lillan); longer pairs of real names one
/// look-alike letter apart were not found in the name tables (tests/claims_ocr_twins.rs).
const MAX_SHORT_OCR_GIVEN_CHARS: usize = 6;

/// Reads each mark as the capital letter it looks like: `0` o, `5` s, `8` b, `6` g, `1` and `|` i.
fn capital_marks(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().map(|c| match c {
        '0' => 'o',
        '5' => 's',
        '8' => 'b',
        '6' => 'g',
        '1' | '|' => 'i',
        other => other,
    })
}

/// Whether two given names (folded keys), equal or a typo apart once read, are short and need more
/// than their marks read as capitals to get there: a letter read as its look-alike (`i` ~ `l`, `rn` ~
/// `m`, `vv` ~ `w`) or a `1` / `|` read as `l`.
pub(super) fn short_read_ambiguously(a: &str, b: &str) -> bool {
    ocr_chars(a).count().min(ocr_chars(b).count()) <= MAX_SHORT_OCR_GIVEN_CHARS
        && !capital_marks(a).eq(capital_marks(b))
}

/// The two names with only their marks read as capitals (for the typo rule to judge short names on
/// what the document says).
pub(super) fn capital_reading(a: &str, b: &str) -> (String, String) {
    (capital_marks(a).collect(), capital_marks(b).collect())
}

#[cfg(test)]
mod tests {
    use super::short_read_ambiguously;

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
            assert!(short_read_ambiguously(a, b), "{a} ~ {b}");
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
            assert!(!short_read_ambiguously(a, b), "{a} ~ {b}");
        }
    }
}
