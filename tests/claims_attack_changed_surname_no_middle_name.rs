//! Attacker (2026-12-07, session 10, round 2 on merged main ced9856) — recall's changed surname confirmed
//! by the full name takes "no middle name" written out as a middle name: US documents and HR systems write
//! NMN or NMI (no middle name / initial), some X or "No middle name". John NMN Smith on the ID and John NMN
//! Baker in the directory (same birthday, same home) match, though nothing but the given name agrees; the
//! placeholders the directory reader knows (N/A, None) stay review. `engine::PLACEHOLDERS` lists neither NMN
//! nor NMI, and the verified side's middle name is never checked for one.

mod common;

use common::twins::decide_full_names as decide;
use okta_directory::claims::Decision;

/// (ID middle, record middle): each says there is none.
const NONE_WRITTEN: [(&str, &str); 5] =
    [("NMN", "NMN"), ("NMI", "NMI"), ("NMN", "nmn"), ("X", "X"), ("NO MIDDLE NAME", "No middle name")];

#[test]
fn no_middle_name_written_out_never_confirms_a_changed_surname() {
    let matched: Vec<String> = NONE_WRITTEN
        .iter()
        .filter(|(m, rm)| decide("JOHN", m, "SMITH", "John", rm, "Baker") == Decision::Match)
        .map(|(m, rm)| format!("JOHN {m} SMITH ~ John {rm} Baker"))
        .collect();
    assert!(matched.is_empty(), "{} of {} match:\n{}", matched.len(), NONE_WRITTEN.len(), matched.join("\n"));
}

/// Holds on main: the directory's known placeholders read as missing, and the changed surname stays review.
#[test]
fn known_placeholders_leave_a_changed_surname_to_review() {
    assert_eq!(decide("JOHN", "N/A", "SMITH", "John", "N/A", "Baker"), Decision::Review);
    assert_eq!(decide("JOHN", "NONE", "SMITH", "John", "None", "Baker"), Decision::Review);
}
