//! Australian states and territories: name → abbreviation.
//!
//! Source of the facts: Australia Post addressing guidelines (state and territory abbreviations;
//! ISO 3166-2:AU uses the same letters after `AU-`).

/// (name, abbreviation).
#[rustfmt::skip]
/// Written as `name|value;` rows of one string (see `pairs`).
pub(crate) const AU_REGIONS: &str = concat!(
    "New South Wales|NSW;", "Victoria|VIC;", "Queensland|QLD;", "South Australia|SA;",
    "Western Australia|WA;", "Tasmania|TAS;", "Northern Territory|NT;",
    "Australian Capital Territory|ACT;", "Jervis Bay Territory|JBT;",
);
