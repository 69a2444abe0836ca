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

/// A stable reason code explaining an outcome (UPPER_SNAKE in JSON; documented in the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    pub reasons: Vec<Reason>,
}

impl ClaimResult {
    /// A result with the given outcome and score, reasons sorted and deduplicated.
    pub fn new(outcome: Outcome, score: f64, mut reasons: Vec<Reason>) -> Self {
        reasons.sort_unstable();
        reasons.dedup();
        ClaimResult { outcome, score: score.clamp(0.0, 1.0), reasons }
    }

    /// A side is missing or unreadable: score 0.
    pub fn without_value(outcome: Outcome, reasons: Vec<Reason>) -> Self {
        Self::new(outcome, 0.0, reasons)
    }
}
