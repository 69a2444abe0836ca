//! Attacker (2026-12-07, session 8) — FAILS ON MAIN (e45e2ff): a finding, not a pin; keep apart when merging
//! until a fix lands. `NAME_TWO_EDITS` accepts any two edits in given names of six letters or more, and the
//! only guard is the common-name list (both names on it). Real, frequent given names are two edits apart far
//! more often than a genuine person's name is mistyped twice: Brandon ~ Brendan, Marvin ~ Melvin, Colton ~
//! Dalton, Hayden ~ Hayley, Julian ~ Jillian, Marissa ~ Melissa, Jordan ~ Norman. The impostor twin's own
//! genuine ID — same family name, birthdate and address — matches the sibling's record at `balanced`: an
//! account takeover. Found by matching every pair of 8,142 real given names two edits apart (181,161 pairs of
//! six letters or more; 18,325 match on main), then keeping pairs of frequent US names. `review` or
//! `no_match` is accepted; `match` is not.

mod common;

use common::twins::GARCIA;

/// Frequent real given names two edits apart, six letters or more (either may be the impostor's).
const TWINS: [(&str, &str); 22] = [
    ("Brandon", "Brendan"),
    ("Marvin", "Melvin"),
    ("Calvin", "Marvin"),
    ("Colton", "Dalton"),
    ("Collin", "Colton"),
    ("Albert", "Gilbert"),
    ("Bernard", "Leonard"),
    ("Clayton", "Clinton"),
    ("Carolyn", "Marilyn"),
    ("Kendra", "Sandra"),
    ("Katrina", "Sabrina"),
    ("Marissa", "Melissa"),
    ("Hayden", "Hayley"),
    ("Gordon", "Jordan"),
    ("Jordan", "Norman"),
    ("Jillian", "Julian"),
    ("Stacey", "Stanley"),
    ("Rodney", "Sydney"),
    ("Darren", "Lauren"),
    ("Phillip", "Phyllis"),
    ("Bailey", "Bradley"),
    ("Destiny", "Dustin"),
];

#[test]
fn a_twin_whose_name_is_two_edits_from_the_sibling_never_matches() {
    GARCIA.assert_never_matches(&TWINS);
}
