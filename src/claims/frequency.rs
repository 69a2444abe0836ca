//! Directory-aware weights: the Fellegi–Sunter frequency adjustment of an agreement weight, from a
//! directory's [`FrequencyTable`] (counted when its snapshot is built; see `profile::frequency`).
//!
//! The built-in weight of an agreeing claim is log2(m/u) with u the chance that two different people
//! agree on the claim, averaged over all values. Agreement on one value `v` has its own u: the
//! chance that another person holds `v`, about `c(v)/N` for a value held `c(v)` times among `N`. The
//! average is `Σc²/N²`, so the adjustment is `log2(Σc² / (N·c(v)))`: positive for a rare value,
//! negative for "Smith". It is bounded ([`UP_CAP`], [`DOWN_CAP`]) and applied only to agreement on
//! the value itself (levels `exact` and `folded`); a hard guard is a flag, never a weight, so no
//! adjustment can cross one. The value counted is the directory record's.

use super::compare::PreparedName;
use super::kinds::ClaimKind;
use super::weights::Level;
use crate::date::Date;
use crate::profile::frequency::{date_key, BIRTHDATE, FAMILY, GIVEN};
pub use crate::profile::frequency::{FrequencyCounter, FrequencyTable, MAX_ENTRIES, MIN_VALUES};

/// The most an adjustment adds to a weight (bits): a rare value weighs at most this much more. Two
/// rare names add at most 0.4: the closest hard negative of the development set (a namesake with a
/// 1 January birthdate and another address, 18.5 bits) stays under `lenient` (19 bits); at 0.5 bit
/// it did not (33 of 12,900 held-out negatives matched at `lenient`).
pub const UP_CAP: f64 = 0.2;
/// The most an adjustment takes from a weight (bits): a common value weighs at most this much less.
pub const DOWN_CAP: f64 = 2.0;

/// The adjustments (bits) of a record's given name, family name and birthdate, each applied when
/// that claim agrees on the value (see [`applies`]).
pub(crate) fn adjustments(
    table: &FrequencyTable,
    given: Option<&PreparedName>,
    family: Option<&PreparedName>,
    birthdate: Option<Date>,
) -> Adjustments {
    let bits = |field: usize, key: Option<u32>| {
        key.and_then(|k| table.rarity_bits(field, k))
            .map_or(0.0, |b| (b.clamp(-DOWN_CAP, UP_CAP) * 100.0).round() / 100.0)
    };
    Adjustments([
        bits(GIVEN, given.and_then(PreparedName::frequency_key)),
        bits(FAMILY, family.and_then(PreparedName::frequency_key)),
        bits(BIRTHDATE, birthdate.map(date_key)),
    ])
}

/// A record's frequency adjustments (bits) for given name, family name and birthdate, read once when
/// the record is prepared (all zero without a table).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Adjustments(pub(crate) [f64; 3]);

impl Adjustments {
    /// The adjustment of a claim at a level: nonzero only for a counted claim agreeing on the value.
    #[inline]
    pub(crate) fn of(&self, kind: ClaimKind, level: Level) -> f64 {
        let slot = match kind {
            ClaimKind::GivenName => 0,
            ClaimKind::FamilyName => 1,
            ClaimKind::Birthdate => 2,
            _ => return 0.0,
        };
        if applies(level) {
            self.0[slot]
        } else {
            0.0
        }
    }
}

/// Whether a level is agreement on the value itself (the only levels a frequency adjusts; a typo, an
/// initial or a placeholder birthdate keep their built-in weights).
pub fn applies(level: Level) -> bool {
    matches!(level, Level::Exact | Level::Folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::compare::read_directory_date;

    /// A directory of `family` names with their counts, plus 500 distinct family names held once.
    fn table(family: &[(&'static str, usize)]) -> FrequencyTable {
        let singles: Vec<String> =
            (0..500).map(|i| format!("Single{}{}", char::from(b'a' + (i % 26) as u8), "x".repeat(i / 26))).collect();
        let mut counter = FrequencyCounter::default();
        for name in &singles {
            counter.add(Some("Alex"), Some(name), Some("1980-05-17"));
        }
        for (name, n) in family {
            for _ in 0..*n {
                counter.add(Some("Alex"), Some(name), Some("1980-05-17"));
            }
        }
        counter.finish()
    }

    #[test]
    fn rare_values_weigh_more_and_common_ones_less_within_the_caps() {
        let t = table(&[("Smith", 50), ("Okonkwo-Lindqvist", 1), ("Brown", 10)]);
        let adj = |name: &str| adjustments(&t, None, Some(&PreparedName::directory(name)), None).0[1];
        assert_eq!(adj("Okonkwo-Lindqvist"), UP_CAP);
        assert_eq!(adj("Never Seen"), UP_CAP, "a value absent from the table counts once");
        assert_eq!(adj("SMITH"), -DOWN_CAP, "folded like the matcher");
        assert!(adj("Brown") < 0.0 && adj("Brown") > -DOWN_CAP, "{}", adj("Brown"));
        // Everyone has the same given name and birthdate: a value as common as the average one
        // keeps its built-in weight (the adjustment is relative to the directory's own average).
        let same = adjustments(&t, Some(&PreparedName::directory("alex")), None, read_directory_date("1980-05-17"));
        assert_eq!(same, Adjustments([0.0, 0.0, 0.0]));
    }

    #[test]
    fn a_small_directory_adjusts_nothing() {
        let mut small = FrequencyCounter::default();
        for i in 0..99 {
            small.add(None, Some(if i < 60 { "Smith" } else { "Jones" }), None);
        }
        let t = small.finish();
        assert!(t.is_empty());
        assert_eq!(adjustments(&t, None, Some(&PreparedName::directory("Smith")), None), Adjustments::default());
    }

    #[test]
    fn only_agreement_on_the_value_is_adjusted() {
        let adj = Adjustments([1.0, -2.0, 0.5]);
        assert_eq!(adj.of(ClaimKind::FamilyName, Level::Exact), -2.0);
        assert_eq!(adj.of(ClaimKind::FamilyName, Level::Folded), -2.0);
        for level in [Level::OneEdit, Level::TwoEdits, Level::Initial, Level::Placeholder, Level::Differs] {
            assert_eq!(adj.of(ClaimKind::FamilyName, level), 0.0, "{level:?}");
            assert_eq!(adj.of(ClaimKind::Birthdate, level), 0.0, "{level:?}");
        }
        assert_eq!(adj.of(ClaimKind::Address, Level::Exact), 0.0);
    }

    #[test]
    fn the_counter_keys_names_exactly_as_the_prepared_record_does() {
        for raw in [
            "Smith",
            "SMITH",
            "García Márquez",
            "de la Cruz",
            "O'Brien",
            "Jean-Luc",
            "Dr. John Smith Jr.",
            "Nguyễn Văn An",
            "Smi\u{AD}th",
            "王",
            "Ольга",
            "...",
        ] {
            assert_eq!(crate::profile::frequency::name_key(raw), PreparedName::directory(raw).frequency_key(), "{raw}");
        }
    }
}
