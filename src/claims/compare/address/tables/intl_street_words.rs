//! Street words of the UK, Canada and Australia that USPS Publication 28 does not list, and the
//! Canadian French generics.
//!
//! Sources of the facts: Royal Mail's Programmers' Guide to PAF (thoroughfare descriptors, which are
//! written out in full and abbreviated by habit only), Canada Post's Addressing Guidelines (street
//! types, English and French, with their symbols) and Australia Post's Addressing Standards / AS 4590
//! (road type abbreviations). Words shared with the US (Road, Street, Avenue…) live in the USPS table.
//! French generics such as `RUE` and `CHEMIN` come before the street name and are kept as words; only
//! their symbols are spelled out, so both writings meet. French abbreviations of France (`r.`, `bd`)
//! and the German `Straße`/`Str.` are here too.

/// (written form, comparison form), upper case.
#[rustfmt::skip]
/// Written as `name|value;` rows of one string (see `pairs`).
pub(crate) const INTL_STREET_WORDS: &str = concat!(
    "CRESC|CRES;",
    "CLOSE|CL;", "CL|CL;",
    "PARADE|PDE;", "PDE|PDE;",
    "ESPLANADE|ESP;", "ESP|ESP;",
    "PROMENADE|PROM;", "PROM|PROM;",
    "QUAY|QY;", "QY|QY;",
    "RISE|RISE;",
    "WYND|WYND;",
    "GATE|GTE;", "GTE|GTE;",
    "CONCESSION|CONC;", "CONC|CONC;",
    "SIDEROAD|SDRD;", "SDRD|SDRD;",
    "RUE|RUE;",
    "CHEMIN|CHEMIN;", "CH|CHEMIN;",
    "RANG|RANG;",
    "MONTEE|MONTEE;", "MTEE|MONTEE;",
    "AUTOROUTE|AUT;", "AUT|AUT;",
    // France (La Poste's usual abbreviations; AV, BOUL, PL and CH are in the tables already).
    "R|RUE;",
    "BD|BLVD;", "BVD|BLVD;",
    "IMP|IMPASSE;", "IMPASSE|IMPASSE;",
    "QUAI|QUAI;",
    // Germany, Austria, Switzerland: `Straße` folds to `strasse`; a compound's type is split off first.
    "STRASSE|ST;",
);
