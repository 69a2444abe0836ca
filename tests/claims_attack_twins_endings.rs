//! Attacker (2026-12-07, session 8) — FAILS ON MAIN (e45e2ff): a finding, not a pin; keep apart when merging
//! until a fix lands. Boy-girl twins are given one name in its masculine and feminine forms, one letter apart
//! at the end (Aleksandr ~ Aleksandra, Antoni ~ Antonia, Radovan ~ Radovana, Agustin ~ Agustina, Brendan ~
//! Brenda, Norman ~ Norma, Liam ~ Lia, Adam ~ Ada). The one-letter-ending guard (`PREFIX_NAME`) refuses a
//! feminine `a`/`e` only when the shorter name is on the engine's common-name list, and never other endings
//! (`n`, `m`), so the impostor twin's own genuine ID — same family name, birthdate and address — is a
//! `NAME_FUZZY_MATCH` for the sibling's record at `balanced`: an account takeover. Found by matching every
//! pair of 8,142 real given names where one is the other plus letters (3,767 pairs; 981 match). `review` or
//! `no_match` is accepted; `match` is not.

mod common;

use common::twins::GARCIA;

/// A masculine and a feminine given name, one letter apart at the end (either may be the impostor's).
const TWINS: [(&str, &str); 26] = [
    ("Aleksandr", "Aleksandra"),
    ("Alexandr", "Alexandra"),
    ("Antoni", "Antonia"),
    ("Agustin", "Agustina"),
    ("Albin", "Albina"),
    ("Radovan", "Radovana"),
    ("Jaromir", "Jaromira"),
    ("Severin", "Severina"),
    ("Antonin", "Antonina"),
    ("Andrej", "Andreja"),
    ("Anselm", "Anselma"),
    ("Amir", "Amira"),
    ("Amin", "Amina"),
    ("Alin", "Alina"),
    ("Arian", "Ariana"),
    ("Brenda", "Brendan"),
    ("Norma", "Norman"),
    ("Ciara", "Ciaran"),
    ("Fabia", "Fabian"),
    ("Emilia", "Emilian"),
    ("Aurelia", "Aurelian"),
    ("Aida", "Aidan"),
    ("Ewa", "Ewan"),
    ("Lia", "Liam"),
    ("Ada", "Adam"),
    ("Carl", "Carly"),
];

#[test]
fn a_twin_whose_name_is_the_siblings_in_the_other_gender_never_matches() {
    GARCIA.assert_never_matches(&TWINS);
}
