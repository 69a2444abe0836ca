//! Attacker (2026-12-07) — FAILS ON MAIN (a finding, not a pin; keep apart when merging): twins whose given
//! names are one inserted letter apart (Myra ~ Myrna, Vera ~ Verna, Marie ~ Marnie, Lara ~ Laura, Tia ~ Tina).
//! The twin guard (`SHORT_NAME_ONE_LETTER_APART`, tests/claims_twins.rs) covers a substituted letter in names
//! of four letters or fewer; an inserted letter is a one-edit typo to the engine, so the twin's own genuine ID
//! result — same family name, birthdate and address — matches the sibling's record at `balanced`: an account
//! takeover. `review` (a person's call) is accepted; `match` is not. Likewise the OCR reading `rn`→`m` on an
//! ordinary name: Marnie ~ Mamie, Arnie ~ Amie, Lorna ~ Loma are OCR_CONFUSION matches, Bernice ~ Berenice a
//! one-edit typo — twins with those names match each other.

mod common;

use common::twins::{GARCIA, ONE_INSERTED_LETTER_APART as TWINS};

#[test]
fn a_twin_one_inserted_letter_apart_never_matches_the_sibling() {
    GARCIA.assert_never_matches(&TWINS);
}

/// Real given names that the OCR reading `rn`→`m` makes equal or a typo apart.
const OCR_TWINS: [(&str, &str); 4] =
    [("Marnie", "Mamie"), ("Arnie", "Amie"), ("Lorna", "Loma"), ("Bernice", "Berenice")];

#[test]
fn a_twin_whose_name_an_ocr_reading_makes_equal_never_matches_the_sibling() {
    GARCIA.assert_never_matches(&OCR_TWINS);
}
