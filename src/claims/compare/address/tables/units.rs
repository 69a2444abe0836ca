//! Secondary unit designators (apartment, suite, floor…): written forms → the standard abbreviation,
//! and whether the designator needs a unit number after it.
//!
//! Source of the facts: USPS Publication 28, Appendix C2 "Secondary Unit Designators" (which
//! designators require a secondary range), plus the UK `FLAT` and the Canadian French `APP`/`BUREAU`
//! from Canada Post's Addressing Guidelines.

/// (written form, abbreviation), upper case. `#` is handled by the tokenizer.
#[rustfmt::skip]
/// Written as `name|value;` rows of one string (see `pairs`).
pub(crate) const UNIT_DESIGNATORS: &str = concat!(
    "APARTMENT|APT;", "APT|APT;", "APPT|APT;", "APP|APT;", "APPARTEMENT|APT;",
    "BUILDING|BLDG;", "BLDG|BLDG;", "BLDNG|BLDG;",
    "DEPARTMENT|DEPT;", "DEPT|DEPT;",
    "FLOOR|FL;", "FL|FL;", "FLR|FL;",
    "HANGAR|HNGR;", "HNGR|HNGR;",
    "KEY|KEY;",
    "LOT|LOT;",
    "PIER|PIER;",
    "ROOM|RM;", "RM|RM;",
    "SLIP|SLIP;",
    "SPACE|SPC;", "SPC|SPC;",
    "STOP|STOP;",
    "SUITE|STE;", "STE|STE;", "BUREAU|STE;",
    "TRAILER|TRLR;", "TRLR|TRLR;",
    "UNIT|UNIT;",
    "FLAT|FLAT;",
    // Designators that take no number (the unit is the designator itself).
    "BASEMENT|BSMT;", "BSMT|BSMT;",
    "FRONT|FRNT;", "FRNT|FRNT;",
    "LOBBY|LBBY;", "LBBY|LBBY;",
    "LOWER|LOWR;", "LOWR|LOWR;",
    "OFFICE|OFC;", "OFC|OFC;",
    "PENTHOUSE|PH;", "PH|PH;",
    "REAR|REAR;",
    "SIDE|SIDE;",
    "UPPER|UPPR;", "UPPR|UPPR;",
);

/// Abbreviations of the designators that stand alone, without a unit number.
pub(crate) const UNNUMBERED_UNITS: &[&str] = &["BSMT", "FRNT", "LBBY", "LOWR", "OFC", "PH", "REAR", "SIDE", "UPPR"];
