//! Ordinal street names written as words → the numeric form, so "Fifth Avenue" meets "5th Ave".
//!
//! Source of the facts: USPS Publication 28, section 232 (numeric street names are written as
//! ordinal numbers: 1ST, 2ND, 3RD…). Only the first twenty are listed; higher ones are rarely
//! spelled out.

/// (word, numeric ordinal).
#[rustfmt::skip]
/// Written as `name|value;` rows of one string (see `pairs`).
pub(crate) const ORDINALS: &str = concat!(
    "FIRST|1ST;", "SECOND|2ND;", "THIRD|3RD;", "FOURTH|4TH;", "FIFTH|5TH;",
    "SIXTH|6TH;", "SEVENTH|7TH;", "EIGHTH|8TH;", "NINTH|9TH;", "TENTH|10TH;",
    "ELEVENTH|11TH;", "TWELFTH|12TH;", "THIRTEENTH|13TH;", "FOURTEENTH|14TH;",
    "FIFTEENTH|15TH;", "SIXTEENTH|16TH;", "SEVENTEENTH|17TH;", "EIGHTEENTH|18TH;",
    "NINETEENTH|19TH;", "TWENTIETH|20TH;",
);
