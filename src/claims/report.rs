//! What a comparison says: an outcome, a score, and stable reason codes that explain it.

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// The outcome of comparing one claim (or one address part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The values agree under the rule.
    Match,
    /// The values disagree.
    Mismatch,
    /// The directory has no value for this claim.
    MissingDirectory,
    /// The verified claims carry no value for this claim.
    MissingVerified,
    /// A value could not be read (an unparseable date, a phone number with no digits…).
    Invalid,
}

/// A stable reason code explaining an outcome (UPPER_SNAKE in JSON; documented in docs/claims.md).
// Deserialize is written by hand below: the derive's two 64-way matches (on text and on bytes) were
// 4 KB gzip of the full module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    /// Dates: the day and month are swapped between the two sides.
    DayMonthSwapped,
    /// Dates: the two dates differ in exactly one digit.
    OneDigitOff,
    /// Dates: two adjacent digits are transposed.
    DigitsTransposed,
    /// Dates: same day and month, different year.
    YearDiffers,
    /// Dates: a two-digit (MRZ) year was placed in the century the directory date has.
    CenturyInferred,
    /// Dates: a numeric date whose day/month order cannot be known.
    AmbiguousDate,
    /// Dates: the year or the day is hidden or absent (`0000-04-03`, `1990`).
    PartialDate,
    /// A value could not be parsed.
    Unparseable,
    /// Names: letters differ only by diacritics (José ~ Jose).
    DiacriticsFolded,
    /// Names: matched through a spelled-out letter (Müller ~ Mueller, Søren ~ Soeren).
    Transliterated,
    /// Names: an honorific (Dr, Mrs, Herr…) was set aside.
    HonorificIgnored,
    /// Names: a credential (PhD, MD, Esq…) was set aside.
    CredentialIgnored,
    /// Names: generational suffixes disagree (Jr vs Sr, II vs III): relatives, not the same person.
    GenerationalSuffixDiffers,
    /// Names: one family name is part of the other (García ~ García Márquez).
    SurnameSubset,
    /// Names: one name's parts are a subset of the other's (Mary ~ Mary Ann).
    TokenSubset,
    /// Names: a formal name and one of its short forms (Robert ~ Bob).
    Nickname,
    /// Names: a short form several formal names share (Alex: Alexander or Alexandra): not matched.
    NicknameAmbiguous,
    /// Names: an initial stands for the full name (A. ~ Ann).
    Initial,
    /// Names: equal once OCR confusions (0/O, 1/l, 5/S, rn/m) are undone.
    OcrConfusion,
    /// Names: equal once spaces and hyphens are ignored (MaryJane ~ Mary-Jane).
    SpacingNormalized,
    /// Names: given and family name are swapped between the two sides.
    NamesSwapped,
    /// Names: close spellings accepted by the fuzzy threshold (Jonathon ~ Jonathan).
    NameFuzzyMatch,
    /// Names: one name is the other plus an ending (Smith ~ Smithson, Daniel ~ Daniela): not matched.
    PrefixName,
    /// Names: the names differ in a gendered or inflected ending (Alexander ~ Alexandra): not matched.
    NameEndingDiffers,
    /// Names: the two values are written in different scripts.
    ScriptDiffers,
    /// Security: a token mixes scripts (UTS #39), e.g. a Cyrillic letter inside a Latin name.
    SuspiciousMixedScript,
    /// Security: a whole token in another script that looks Latin.
    SuspiciousConfusable,
    /// Security: invisible characters (zero-width, soft hyphen…).
    SuspiciousInvisible,
    /// Security: bidirectional control characters that can reorder what a reviewer sees.
    SuspiciousBidiControl,
    /// Security: control characters.
    SuspiciousControl,
    /// Phones: the number was completed with a default region's country code.
    DefaultRegionApplied,
    /// Phones: a national trunk prefix (such as the leading 0) was removed.
    TrunkPrefixRemoved,
    /// Phones: an extension was ignored for the comparison.
    ExtensionIgnored,
    /// Phones: no region was known for a number written without a country code.
    NoRegion,
    /// Emails and others: equal once letter case is ignored.
    CaseFolded,
    /// Addresses: street suffixes or directionals were brought to their USPS standard forms to meet.
    StreetAbbreviated,
    /// Addresses: the unit designators differ in form only (`Apt 4`, `#4`, `Unit 4`).
    UnitNormalized,
    /// Addresses: a unit (apartment, suite…) is on one side only.
    UnitMissingOneSide,
    /// Addresses: the units differ.
    UnitDiffers,
    /// Addresses: the house numbers differ.
    HouseNumberDiffers,
    /// Addresses: a side's street address is a PO box.
    PoBox,
    /// Addresses: the PO box numbers differ.
    PoBoxDiffers,
    /// Addresses: a ZIP+4 add-on was ignored; the five-digit ZIP codes were compared.
    Zip4Ignored,
    /// Addresses: the postal codes differ in spacing, case or a dropped leading zero only.
    PostalCodeFormatted,
    /// Addresses: the postal codes differ.
    PostalCodeDiffers,
    /// Addresses: a region written as a name was compared by its code.
    RegionNameToCode,
    /// Addresses: the regions differ.
    RegionDiffers,
    /// Addresses: a country written as a name or alpha-3 code was compared by its alpha-2 code.
    CountryNameToCode,
    /// Addresses: the countries differ.
    CountryDiffers,
    /// A fuzzy comparison matched with a score below 1.
    FuzzyMatch,
    /// Addresses: `St.`, `Mt.` or `Ft.` in a locality was read as Saint, Mount or Fort.
    LocalityAbbreviation,
    /// Names: one side is written wholly in Cyrillic or Greek, the other in Latin, and they are equal
    /// once transliterated (ICAO 9303, common variants such as Dmitry/Dmitrii): routed to review,
    /// never matched.
    TransliteratedScript,
    /// Names: two spelling edits apart, accepted only with enough other evidence (combined decision).
    NameTwoEdits,
    /// Names: the directory's given name is a later given name of the document (MARY ELIZABETH ~
    /// Elizabeth): the person goes by a middle name.
    GoesByMiddleName,
    /// Dates: equal, on a date often used as a placeholder (1 January): weaker evidence.
    PlaceholderDate,
    /// Data quality: the directory value is a placeholder (`N/A`, `-`, `unknown`, `none`…): read as
    /// missing, not compared.
    PlaceholderValue,
    /// Data quality: the directory value carries invisible characters (zero-width space, soft hyphen,
    /// BOM); they were removed before comparing. Not a spoof: HR data is not the verifying person's.
    DirectoryInvisible,
    /// Names: two distinct, common given names (Kevin ~ Kelvin, Karen ~ Karin): not a typo.
    DistinctGivenNames,
    /// Dates: a numeric day/month order was read from the document's issuing country.
    DateOrderFromIssuingCountry,
    /// Dates: a numeric day/month order was read from the verified address's country (no issuing
    /// country was given).
    DateOrderFromAddressCountry,
    /// Names: the same parts in another order (Carvalho Mendes ~ Mendes Carvalho).
    TokensReordered,
    /// Names: two given names of four letters or fewer one letter apart (Sam ~ Pam, Lia ~ Mia), or whose
    /// first letter alone differs (Riley ~ Kiley): a twin's name as often as a typo, so routed to review.
    ShortNameOneLetterApart,
    /// Names: the family name differs outright (a married or otherwise changed surname) while the
    /// given name and a non-placeholder birthdate agree and the address (street and postal code),
    /// phone or email corroborates: a changed family name, a person checks the document (`review` at
    /// every operating point, never `match`; weighed as strong evidence against).
    FamilyNameChanged,
    /// Dates: equal, on a day registries write when the real day is unknown other than 1 January
    /// (the first of a month, 30 June, 1 July, 31 December): weighed as exact, but never the
    /// birthdate a changed family name (`FAMILY_NAME_CHANGED`) may rest on.
    RegistryDefaultDay,
}

impl Reason {
    /// Every reason, in declaration order (index = discriminant).
    pub const ALL: [Reason; 64] = [
        Reason::DayMonthSwapped,
        Reason::OneDigitOff,
        Reason::DigitsTransposed,
        Reason::YearDiffers,
        Reason::CenturyInferred,
        Reason::AmbiguousDate,
        Reason::PartialDate,
        Reason::Unparseable,
        Reason::DiacriticsFolded,
        Reason::Transliterated,
        Reason::HonorificIgnored,
        Reason::CredentialIgnored,
        Reason::GenerationalSuffixDiffers,
        Reason::SurnameSubset,
        Reason::TokenSubset,
        Reason::Nickname,
        Reason::NicknameAmbiguous,
        Reason::Initial,
        Reason::OcrConfusion,
        Reason::SpacingNormalized,
        Reason::NamesSwapped,
        Reason::NameFuzzyMatch,
        Reason::PrefixName,
        Reason::NameEndingDiffers,
        Reason::ScriptDiffers,
        Reason::SuspiciousMixedScript,
        Reason::SuspiciousConfusable,
        Reason::SuspiciousInvisible,
        Reason::SuspiciousBidiControl,
        Reason::SuspiciousControl,
        Reason::DefaultRegionApplied,
        Reason::TrunkPrefixRemoved,
        Reason::ExtensionIgnored,
        Reason::NoRegion,
        Reason::CaseFolded,
        Reason::StreetAbbreviated,
        Reason::UnitNormalized,
        Reason::UnitMissingOneSide,
        Reason::UnitDiffers,
        Reason::HouseNumberDiffers,
        Reason::PoBox,
        Reason::PoBoxDiffers,
        Reason::Zip4Ignored,
        Reason::PostalCodeFormatted,
        Reason::PostalCodeDiffers,
        Reason::RegionNameToCode,
        Reason::RegionDiffers,
        Reason::CountryNameToCode,
        Reason::CountryDiffers,
        Reason::FuzzyMatch,
        Reason::LocalityAbbreviation,
        Reason::TransliteratedScript,
        Reason::NameTwoEdits,
        Reason::GoesByMiddleName,
        Reason::PlaceholderDate,
        Reason::PlaceholderValue,
        Reason::DirectoryInvisible,
        Reason::DistinctGivenNames,
        Reason::DateOrderFromIssuingCountry,
        Reason::DateOrderFromAddressCountry,
        Reason::TokensReordered,
        Reason::ShortNameOneLetterApart,
        Reason::FamilyNameChanged,
        Reason::RegistryDefaultDay,
    ];
}

/// Each reason's code, in [`Reason::ALL`] order: what the derived `Serialize` writes
/// (`tests/claims_reasons_json.rs` checks both agree).
const REASON_CODES: [&str; Reason::ALL.len()] = [
    "DAY_MONTH_SWAPPED",
    "ONE_DIGIT_OFF",
    "DIGITS_TRANSPOSED",
    "YEAR_DIFFERS",
    "CENTURY_INFERRED",
    "AMBIGUOUS_DATE",
    "PARTIAL_DATE",
    "UNPARSEABLE",
    "DIACRITICS_FOLDED",
    "TRANSLITERATED",
    "HONORIFIC_IGNORED",
    "CREDENTIAL_IGNORED",
    "GENERATIONAL_SUFFIX_DIFFERS",
    "SURNAME_SUBSET",
    "TOKEN_SUBSET",
    "NICKNAME",
    "NICKNAME_AMBIGUOUS",
    "INITIAL",
    "OCR_CONFUSION",
    "SPACING_NORMALIZED",
    "NAMES_SWAPPED",
    "NAME_FUZZY_MATCH",
    "PREFIX_NAME",
    "NAME_ENDING_DIFFERS",
    "SCRIPT_DIFFERS",
    "SUSPICIOUS_MIXED_SCRIPT",
    "SUSPICIOUS_CONFUSABLE",
    "SUSPICIOUS_INVISIBLE",
    "SUSPICIOUS_BIDI_CONTROL",
    "SUSPICIOUS_CONTROL",
    "DEFAULT_REGION_APPLIED",
    "TRUNK_PREFIX_REMOVED",
    "EXTENSION_IGNORED",
    "NO_REGION",
    "CASE_FOLDED",
    "STREET_ABBREVIATED",
    "UNIT_NORMALIZED",
    "UNIT_MISSING_ONE_SIDE",
    "UNIT_DIFFERS",
    "HOUSE_NUMBER_DIFFERS",
    "PO_BOX",
    "PO_BOX_DIFFERS",
    "ZIP4_IGNORED",
    "POSTAL_CODE_FORMATTED",
    "POSTAL_CODE_DIFFERS",
    "REGION_NAME_TO_CODE",
    "REGION_DIFFERS",
    "COUNTRY_NAME_TO_CODE",
    "COUNTRY_DIFFERS",
    "FUZZY_MATCH",
    "LOCALITY_ABBREVIATION",
    "TRANSLITERATED_SCRIPT",
    "NAME_TWO_EDITS",
    "GOES_BY_MIDDLE_NAME",
    "PLACEHOLDER_DATE",
    "PLACEHOLDER_VALUE",
    "DIRECTORY_INVISIBLE",
    "DISTINCT_GIVEN_NAMES",
    "DATE_ORDER_FROM_ISSUING_COUNTRY",
    "DATE_ORDER_FROM_ADDRESS_COUNTRY",
    "TOKENS_REORDERED",
    "SHORT_NAME_ONE_LETTER_APART",
    "FAMILY_NAME_CHANGED",
    "REGISTRY_DEFAULT_DAY",
];

impl Reason {
    /// The stable code (`"DAY_MONTH_SWAPPED"`…), as in JSON.
    pub fn code(self) -> &'static str {
        REASON_CODES[self as usize]
    }
}

/// Reads a reason as the derive did: `"CODE"` or `{"CODE": null}`, an unknown code refused.
impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{self, DeserializeSeed, EnumAccess, VariantAccess, Visitor};
        struct Code;
        impl<'de> Visitor<'de> for Code {
            type Value = Reason;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a reason code")
            }
            fn visit_str<E: de::Error>(self, code: &str) -> Result<Reason, E> {
                let at = REASON_CODES.iter().position(|c| *c == code);
                at.map(|i| Reason::ALL[i]).ok_or_else(|| E::unknown_variant(code, &REASON_CODES))
            }
            fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Reason, A::Error> {
                let (reason, variant) = data.variant_seed(Code)?;
                variant.unit_variant()?;
                Ok(reason)
            }
        }
        impl<'de> DeserializeSeed<'de> for Code {
            type Value = Reason;
            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Reason, D::Error> {
                d.deserialize_identifier(self)
            }
        }
        deserializer.deserialize_enum("Reason", &REASON_CODES, Code)
    }
}

/// Reason codes, sorted by [`Reason`] order, without duplicates. Kept as a bit set (no allocation);
/// in JSON an array of codes, as a `Vec<Reason>` would be.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Reasons(u64);

impl Reasons {
    /// No reason.
    pub const fn new() -> Reasons {
        Reasons(0)
    }

    fn bit(reason: Reason) -> u64 {
        1u64 << (reason as u32)
    }

    /// The set of `list` (for constant sets tested with one mask).
    pub const fn of(list: &[Reason]) -> Reasons {
        let mut bits = 0u64;
        let mut i = 0;
        while i < list.len() {
            bits |= 1u64 << (list[i] as u32);
            i += 1;
        }
        Reasons(bits)
    }

    /// Whether any reason of `set` is among them.
    pub const fn intersects(&self, set: Reasons) -> bool {
        self.0 & set.0 != 0
    }

    /// Whether every one of them is in `set` (true when there is none).
    pub const fn within(&self, set: Reasons) -> bool {
        self.0 & !set.0 == 0
    }

    /// Adds a reason (once).
    pub fn push(&mut self, reason: Reason) {
        self.0 |= Self::bit(reason);
    }

    /// Whether `reason` is among them.
    pub fn contains(&self, reason: &Reason) -> bool {
        self.0 & Self::bit(*reason) != 0
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// The reasons in [`Reason`] order.
    pub fn iter(&self) -> impl Iterator<Item = Reason> + '_ {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            let index = bits.trailing_zeros() as usize;
            bits &= bits.wrapping_sub(1);
            Reason::ALL.get(index).copied()
        })
    }

    /// Adds every reason of `other`.
    pub fn union(&mut self, other: Reasons) {
        self.0 |= other.0;
    }

    /// The reasons in [`Reason`] order, as a vector.
    pub fn to_vec(&self) -> Vec<Reason> {
        self.iter().collect()
    }
}

impl Extend<Reason> for Reasons {
    fn extend<I: IntoIterator<Item = Reason>>(&mut self, iter: I) {
        for r in iter {
            self.push(r);
        }
    }
}

impl FromIterator<Reason> for Reasons {
    fn from_iter<I: IntoIterator<Item = Reason>>(iter: I) -> Self {
        let mut reasons = Reasons::new();
        reasons.extend(iter);
        reasons
    }
}

impl From<Vec<Reason>> for Reasons {
    fn from(list: Vec<Reason>) -> Self {
        list.into_iter().collect()
    }
}

impl<const N: usize> From<[Reason; N]> for Reasons {
    fn from(list: [Reason; N]) -> Self {
        list.into_iter().collect()
    }
}

impl PartialEq<Vec<Reason>> for Reasons {
    fn eq(&self, other: &Vec<Reason>) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl PartialEq<[Reason]> for Reasons {
    fn eq(&self, other: &[Reason]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl std::fmt::Debug for Reasons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Reasons {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Reasons {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Reason>::deserialize(deserializer).map(Reasons::from)
    }
}

/// The result of one comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct ClaimResult {
    /// The outcome.
    pub outcome: Outcome,
    /// Similarity in [0, 1] (1 for a match under exact rules, 0 when a side is missing or invalid).
    pub score: f64,
    /// Why, in stable codes; sorted, no duplicates.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Reason[]"))]
    pub reasons: Reasons,
}

impl ClaimResult {
    /// A result with the given outcome and score, reasons sorted and deduplicated.
    pub fn new(outcome: Outcome, score: f64, reasons: impl Into<Reasons>) -> Self {
        ClaimResult { outcome, score: score.clamp(0.0, 1.0), reasons: reasons.into() }
    }

    /// A side is missing or unreadable: score 0.
    pub fn without_value(outcome: Outcome, reasons: impl Into<Reasons>) -> Self {
        Self::new(outcome, 0.0, reasons)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_a_sorted_set_and_serialize_as_a_list() {
        assert!(Reason::ALL.len() <= 64);
        for (i, r) in Reason::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
        }
        let reasons = Reasons::from(vec![Reason::Zip4Ignored, Reason::DayMonthSwapped, Reason::Zip4Ignored]);
        assert_eq!(reasons, vec![Reason::DayMonthSwapped, Reason::Zip4Ignored]);
        assert_eq!(reasons.len(), 2);
        assert!(reasons.contains(&Reason::Zip4Ignored) && !reasons.contains(&Reason::CaseFolded));
        let json = serde_json::to_string(&reasons).unwrap();
        assert_eq!(json, r#"["DAY_MONTH_SWAPPED","ZIP4_IGNORED"]"#);
        assert_eq!(serde_json::from_str::<Reasons>(&json).unwrap(), reasons);
        assert_eq!(serde_json::to_string(&Reasons::new()).unwrap(), "[]");
    }

    #[test]
    fn constant_sets_test_as_the_reasons_they_list() {
        const SET: Reasons = Reasons::of(&[Reason::CaseFolded, Reason::Zip4Ignored]);
        assert_eq!(SET, vec![Reason::CaseFolded, Reason::Zip4Ignored]);
        let some = Reasons::from([Reason::CaseFolded, Reason::Nickname]);
        assert!(some.intersects(SET) && !some.within(SET));
        assert!(Reasons::from([Reason::CaseFolded]).within(SET) && Reasons::new().within(SET));
        assert!(!Reasons::from([Reason::Nickname]).intersects(SET) && !Reasons::new().intersects(SET));
    }
}
