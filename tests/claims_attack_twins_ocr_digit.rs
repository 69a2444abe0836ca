//! Attacker (2026-12-07, session 7) — failed on main 0007a04, passes since the fix (a pin now); the twins' household
//! is GARCIA_NO_PHONE (tests/common/twins.rs). One digit (or `|`) in the document's given name — an OCR misreading,
//! or a smudge an impostor can cause — turns off every given-name guard: the typo fallback and the OCR-plus-typo
//! fallback test the common-name list (`distinct_given_names`), the gendered ending (`NAME_ENDING_DIFFERS`), the
//! one-letter ending (`PREFIX_NAME`) and the short-name guard on the name AS READ WITH THE DIGIT (`danie1` is no
//! common name and has no feminine ending), so a twin's own ID read with one digit matches the sibling's record at
//! `balanced` when the sibling's name is one or two edits away: Daniel's ID read `Danie1` matches Daniela,
//! `Christ1an` matches Christina, `Kev1n` Kelvin, `Loui5` Louise, `Deni5e` Dennis, `Francesc0` Francesca, `D0nald`
//! Ronald, `Bori5` Doris, `Jav1er` Xavier… Found by reading each of 1,365 real given names with one letter as its
//! digit look-alike (i/l→1, o→0, s→5, b→8, g→6) against every real name within one edit of its OCR reading: 3,133 of
//! 8,354 such pairs match on main, 639 of them between two names of the engine's own common-name list. The guards
//! must see the name as read (`danie1` → `daniel`). `review` or `no_match` is accepted; `match` is not.

mod common;

use common::twins::{assert_no_twin_matches, GARCIA_NO_PHONE as GARCIA};
use okta_directory::claims::Decision;

/// (the impostor twin's given name as read from their own ID, the twin's real name, the sibling's name):
/// both real names are in the engine's common given-name list.
const TWINS: [(&str, &str, &str); 34] = [
    ("Danie1", "Daniel", "Daniela"),
    ("Christ1an", "Christian", "Christina"),
    ("Chr1stina", "Christina", "Christian"),
    ("Kev1n", "Kevin", "Kelvin"),
    ("Ju1ia", "Julia", "Julie"),
    ("Ju1ie", "Julie", "Juliet"),
    ("Gabr1ele", "Gabriele", "Gabriel"),
    ("Ga8riela", "Gabriela", "Gabriel"),
    ("Loui5", "Louis", "Louise"),
    ("Loui5e", "Louise", "Louis"),
    ("Deni5e", "Denise", "Dennis"),
    ("Denni5", "Dennis", "Denise"),
    ("Adr1an", "Adrian", "Adriana"),
    ("Francesc0", "Francesco", "Francesca"),
    ("France5ca", "Francesca", "Francesco"),
    ("Antoni0", "Antonio", "Antonia"),
    ("Carl0", "Carlo", "Carla"),
    ("Car1a", "Carla", "Maria"),
    ("Dar1a", "Daria", "Maria"),
    ("Kar1n", "Karin", "Karina"),
    ("1an", "Ian", "Ivan"),
    ("E1i", "Eli", "Emil"),
    ("Emi1y", "Emily", "Emil"),
    ("Isa8ella", "Isabella", "Isabelle"),
    ("Ju1ian", "Julian", "Julien"),
    ("D0nald", "Donald", "Ronald"),
    ("Bori5", "Boris", "Doris"),
    ("Dori5", "Doris", "Boris"),
    ("A1den", "Aiden", "Allen"),
    ("L1sa", "Lisa", "Elisa"),
    ("Jav1er", "Javier", "Xavier"),
    ("J0hann", "Johann", "Johanna"),
    ("6erard", "Gerard", "Gerald"),
    ("Ingr1d", "Ingrid", "Sigrid"),
];

#[test]
fn a_twin_whose_id_reads_with_one_digit_never_matches_the_sibling() {
    assert_no_twin_matches(TWINS, |(read, own, sibling)| {
        (GARCIA.decide(read, sibling) == Decision::Match).then(|| {
            // The pair is a real twin pair: read without the digit, the engine refuses it.
            let clean = GARCIA.decide(own, sibling);
            format!("{own}'s ID read {read:?} matched {sibling} (read as written: {clean:?})")
        })
    });
}
