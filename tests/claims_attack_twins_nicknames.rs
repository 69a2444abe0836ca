//! Attacker (2026-12-07, session 8) — FAILS ON MAIN (e45e2ff): a finding, not a pin; keep apart when merging
//! until a fix lands. The directory often holds the name a person goes by, and many such names belong to a
//! boy's and a girl's name alike: Nicky (Nicholas, Nicole), Andy (Andrew, Andrea), Eddie (Edward, Edwina),
//! Ronnie (Ronald, Veronica), Bertie (Albert, Alberta), Mickey (Michael, Michelle), Jess (Jesse, Jessica),
//! Frankie (Francis, Frances). The nickname table knows one side only, so boy-girl twins — same family name,
//! birthdate and address — where the record of the sister says `Nicky` are told apart wrongly: the brother's
//! own genuine ID is a `NICKNAME` (or typo) match for her record — an account takeover — while her own ID is
//! refused. `Alex`, `Sam`, `Chris`, `Pat` are already `NICKNAME_AMBIGUOUS` (review); these must be too.
//! `review` or `no_match` is accepted; `match` is not.

mod common;

use common::twins::{assert_no_twin_matches, GARCIA};
use okta_directory::claims::Decision;

/// (the brother's name on his ID, the name his twin sister goes by in the directory, her full name).
const TWINS: [(&str, &str, &str); 8] = [
    ("Nicholas", "Nicky", "Nicole"),
    ("Andrew", "Andy", "Andrea"),
    ("Edward", "Eddie", "Edwina"),
    ("Ronald", "Ronnie", "Veronica"),
    ("Albert", "Bertie", "Alberta"),
    ("Michael", "Mickey", "Michelle"),
    ("Jesse", "Jess", "Jessica"),
    ("Francis", "Frankie", "Frances"),
];

#[test]
fn a_twin_never_matches_the_siblings_record_through_a_name_both_go_by() {
    assert_no_twin_matches(TWINS, |(brother, nickname, sister)| {
        (GARCIA.decide(brother, nickname) == Decision::Match).then(|| {
            let genuine = GARCIA.decide(sister, nickname);
            format!("{brother}'s ID matched {sister}'s record {nickname:?} (her own ID: {genuine:?})")
        })
    });
}
