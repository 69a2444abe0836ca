//! A family name cut short — a truncation keeping its first four letters or more (Svobo ~ Svobodová,
//! Dąbrow ~ Dąbrowski, Håkan ~ Håkansson), which the typo rule refuses on its own as another
//! family's name (`PREFIX_NAME`: Smith ~ Smithson, Fisch ~ Fischer) — is the same surname when
//! everything else about the person agrees and independent evidence corroborates. The engine asks this
//! module only then: the given name the same as written or folded, the birthdate the same on no
//! registry default day, the middle name not differing, and the street and postal code, the phone or
//! the email agreeing (docs/claims-decisions.md §3, "Corroborated cut family name").
//!
//! Twins and siblings never reach this rule: they share the family name, and their given names
//! differ (a brother Jan Novák and his sister Jana Nováková differ in the given name too). The people
//! it could confuse have the same given name, the same day of birth, the same home, phone or email and
//! a surname that is a start of the other's — rarer still than the household coincidence the
//! changed-surname rule weighs. Two edits with other first letters were tried and left out: at the
//! same address they make distinct common surnames one person (Zhang ~ Wang, Yang ~ Huang, Kang ~
//! Jung: 8 of the development set's 600 same-named, same-birthday households), and a surname of three
//! letters or fewer stays another name (Li ~ Lim, Ha ~ Han).

use super::{screen_block, PreparedName, SUBSET_SCORE};
use crate::claims::report::Reason;

/// Fewest letters the cut family name keeps.
const MIN_CUT_FAMILY_LETTERS: usize = 4;

/// Whether one family name is a start of the other keeping at least four letters, neither with a
/// security finding: `Some((score, SURNAME_SUBSET))` for the engine to match when corroborated.
pub(crate) fn corroborated_family_names(verified: &PreparedName, directory: &PreparedName) -> Option<(f64, Reason)> {
    let (a, b) = (verified.parsed.joined(), directory.parsed.joined());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    let cut = long.len() > short.len()
        && long.starts_with(short.as_str())
        && short.chars().filter(|c| c.is_alphabetic()).count() >= MIN_CUT_FAMILY_LETTERS;
    (cut && screen_block(&verified.screen, &directory.screen).is_none())
        .then_some((SUBSET_SCORE, Reason::SurnameSubset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &str, b: &str) -> Option<Reason> {
        corroborated_family_names(&PreparedName::new(a), &PreparedName::new(b)).map(|(_, r)| r)
    }

    #[test]
    fn cuts_keeping_four_letters_or_more() {
        assert_eq!(close("Svobo", "Svobodová"), Some(Reason::SurnameSubset));
        assert_eq!(close("DĄBROWSKI", "Dąbrow"), Some(Reason::SurnameSubset));
        assert_eq!(close("El-Sa", "El-Sayed"), Some(Reason::SurnameSubset));
        assert_eq!(close("Fisch", "Fischer"), Some(Reason::SurnameSubset));
    }

    #[test]
    fn short_edited_and_spoofed_names_are_refused() {
        // Three letters or fewer: distinct common surnames.
        for (a, b) in [("Li", "Lim"), ("Ha", "Han"), ("Weiß", "Wei"), ("Ng", "Ngo")] {
            assert_eq!(close(a, b), None, "{a} ~ {b}");
        }
        // Edits are not cuts: two edits with other first letters make common surnames one (Zhang ~
        // Wang); a name ending the other is not its start (Yang ~ Ouyang).
        for (a, b) in
            [("Zhang", "Wang"), ("Yang", "Huang"), ("Jnue", "Inoue"), ("Yang", "Ouyang"), ("Tanaka", "Takahashi")]
        {
            assert_eq!(close(a, b), None, "{a} ~ {b}");
        }
        // A Cyrillic look-alike is a spoof, never a cut.
        assert_eq!(close("Svоbo", "Svobodová"), None);
        // The same name is not this rule's business.
        assert_eq!(close("Inoue", "INOUE"), None);
    }
}
