//! Canadian provinces and territories: English and French names → code.
//!
//! Source of the facts: Canada Post Addressing Guidelines, "Province and territory symbols" (the
//! codes are also ISO 3166-2:CA), with the French names used by the Government of Canada. `PQ` and
//! `NF` are the symbols used before 1990/2002 and still found in old records.

/// (name, two-letter code).
#[rustfmt::skip]
/// Written as `name|value;` rows of one string (see `pairs`).
pub(crate) const CA_REGIONS: &str = concat!(
    "Alberta|AB;", "British Columbia|BC;", "Colombie-Britannique|BC;", "Manitoba|MB;",
    "New Brunswick|NB;", "Nouveau-Brunswick|NB;",
    "Newfoundland and Labrador|NL;", "Newfoundland|NL;", "Terre-Neuve-et-Labrador|NL;", "NF|NL;",
    "Nova Scotia|NS;", "Nouvelle-Écosse|NS;",
    "Northwest Territories|NT;", "Territoires du Nord-Ouest|NT;",
    "Nunavut|NU;", "Ontario|ON;",
    "Prince Edward Island|PE;", "Île-du-Prince-Édouard|PE;",
    "Quebec|QC;", "Province de Québec|QC;", "PQ|QC;",
    "Saskatchewan|SK;", "Yukon|YT;", "Yukon Territory|YT;",
);
