//! Attacker (2026-12-07) — FAILS ON BRANCH claims-recall (bb283f6, "OCR confusion stacked with a typo"); passes
//! on main. Keep apart when merging. A directory or document name that merely contains `rn` (Erna, Verna,
//! Marnie, Arnie: ordinary names, no OCR involved) switches on the OCR-plus-typo fallback, and reading `rn` as
//! `m` brings another real name within the typo distance: the impostor twin's own genuine ID — same family
//! name, birthdate and address — then matches the sibling's record (Erna ~ Emma: `Ema` is one edit from
//! `Emma`). On main these pairs are two edits apart in short given names and refused. `review` is accepted.

mod common;

use common::twins::GARCIA;

/// Real given names, one holding `rn`, that `rn`→`m` brings within a typo of the other.
/// (Pairs that `rn`→`m` makes equal or one edit apart without a typo — Marnie ~ Mamie, Bernice ~
/// Berenice — already match on main: tests/claims_attack_twins_main.rs.)
const TWINS: [(&str, &str); 6] =
    [("Erna", "Emma"), ("Verna", "Velma"), ("Ernie", "Emil"), ("Arno", "Amos"), ("Karna", "Kamal"), ("Arne", "Amy")];

#[test]
fn an_rn_in_an_ordinary_name_never_lets_a_twin_match() {
    GARCIA.assert_never_matches(&TWINS);
}
