//! Directionals: written forms → the standard abbreviation.
//!
//! Source of the facts: USPS Publication 28, section 233 "Directionals" (the eight directions and
//! their one- and two-letter abbreviations), plus the Spanish words used in Puerto Rico addresses and
//! the French ones of Canada Post's Addressing Guidelines (`O` for Ouest). French `EST` (east) is left
//! out: it is also the USPS abbreviation of Estate.

/// (written form, abbreviation), upper case.
#[rustfmt::skip]
/// Written as `name|value;` rows of one string (see `pairs`).
pub(crate) const DIRECTIONALS: &str = concat!(
    "NORTH|N;", "N|N;",
    "SOUTH|S;", "S|S;",
    "EAST|E;", "E|E;",
    "WEST|W;", "W|W;",
    "NORTHEAST|NE;", "NE|NE;",
    "NORTHWEST|NW;", "NW|NW;",
    "SOUTHEAST|SE;", "SE|SE;",
    "SOUTHWEST|SW;", "SW|SW;",
    "NORTE|N;", "SUR|S;", "ESTE|E;", "OESTE|W;",
    "NORD|N;", "SUD|S;", "OUEST|W;", "O|W;",
);
