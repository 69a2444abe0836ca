//! The nations of the United Kingdom: name → code.
//!
//! Source of the facts: ISO 3166-2:GB, country-level codes (`GB-ENG`, `GB-SCT`, `GB-WLS`, `GB-NIR`).
//! Royal Mail addresses carry no region, but directories often hold the nation.

/// (name, code).
#[rustfmt::skip]
/// Written as `name|value;` rows of one string (see `pairs`).
pub(crate) const GB_REGIONS: &str = concat!(
    "England|ENG;", "Scotland|SCT;", "Wales|WLS;", "Cymru|WLS;", "Northern Ireland|NIR;",
);
