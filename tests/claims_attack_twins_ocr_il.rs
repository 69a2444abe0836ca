//! Attacker (2026-12-07, session 7) — failed on main 0007a04, passes since the fix (a pin now); the twins' household
//! is GARCIA_NO_PHONE (tests/common/twins.rs). Reading `i` as `l` (an OCR reading: a sans-serif capital I and a
//! lower-case l are drawn alike) makes real given names equal that are two people: Lisa ~ Ilsa, Kiara ~ Klara, Ciara
//! ~ Clara, Bianca ~ Blanca, Neil ~ Nell, Ian ~ Lan, Mei ~ Mel, Delia ~ Della, Hailey ~ Halley… The short-name OCR
//! guard (`ocr_read_short_unmarked`, names/mod.rs) exempts exactly this reading (`i_as_l(a) != i_as_l(b)`), so a
//! twin's own genuine ID — same family name, birthdate and address — is an `OCR_CONFUSION` match for the sibling's
//! record at `balanced`: an account takeover. Found by generating every pair of real given names (the engine's
//! common-name and nickname tables, the eval cultures, and a list of names written with i/l, rn/m, vv/w, cl/d) equal
//! under the engine's OCR reading or one visual confusion apart, both ways round. `review` (a person's call) or
//! `no_match` is accepted; `match` is not. (The same hunt found no `rn`/`m`, `vv`/`w` or `cl`/`d` twin that matches
//! on main: the guard covers them.)

mod common;

use common::twins::GARCIA_NO_PHONE as GARCIA;

/// Real given names equal once `i` reads as `l` (either may be the impostor's).
const TWINS: [(&str, &str); 53] = [
    ("Adelia", "Adella"),
    ("Aila", "Alia"),
    ("Aila", "Alla"),
    ("Aili", "Alli"),
    ("Alia", "Alla"),
    ("Aurelia", "Aurella"),
    ("Bai", "Bal"),
    ("Beila", "Bella"),
    ("Bianca", "Blanca"),
    ("Cai", "Cal"),
    ("Camelia", "Camella"),
    ("Cari", "Carl"),
    ("Ciara", "Clara"),
    ("Cilia", "Cilla"),
    ("Cordelia", "Cordella"),
    ("Dai", "Dal"),
    ("Delia", "Della"),
    ("Eilis", "Ellis"),
    ("Eisa", "Elsa"),
    ("Elia", "Ella"),
    ("Elie", "Elle"),
    ("Emilia", "Emilla"),
    ("Fiora", "Flora"),
    ("Gaia", "Gala"),
    ("Hai", "Hal"),
    ("Hailey", "Halley"),
    ("Ian", "Lan"),
    ("Iana", "Lana"),
    ("Iara", "Lara"),
    ("Iida", "Lida"),
    ("Iina", "Lina"),
    ("Ilia", "Lila"),
    ("Ilsa", "Lisa"),
    ("Ilse", "Lise"),
    ("Iola", "Lola"),
    ("Iona", "Lona"),
    ("Ione", "Lone"),
    ("Joei", "Joel"),
    ("Kai", "Kal"),
    ("Kaia", "Kala"),
    ("Kiara", "Klara"),
    ("Laia", "Lala"),
    ("Leila", "Lella"),
    ("Lilia", "Lilla"),
    ("Mai", "Mal"),
    ("Maia", "Mala"),
    ("Mei", "Mel"),
    ("Miia", "Mila"),
    ("Naia", "Nala"),
    ("Neil", "Nell"),
    ("Nelia", "Nella"),
    ("Sai", "Sal"),
    ("Tai", "Tal"),
];

#[test]
fn a_twin_whose_name_reads_as_the_sibling_with_i_as_l_never_matches() {
    // Each way round, and each way with the impostor's or the victim's name in capitals.
    GARCIA.assert_never_matches_one_way(TWINS.iter().flat_map(|&(a, b)| -> [(String, String); 4] {
        [(a.into(), b.into()), (b.into(), a.into()), (a.to_uppercase(), b.into()), (a.into(), b.to_uppercase())]
    }));
}
