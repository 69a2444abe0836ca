//! Attacker (2026-12-07, session 10, round 2 on merged main ced9856) — recall's marker guard
//! (`frequency::MARKER_MIDDLE_NAMES`: Thị, Văn, Kaur, Singh, Kumar, Kumari, Devi, bin, binti, bint, ibn)
//! keeps a middle name most of a culture shares from confirming a changed surname. The same shape with a
//! marker the list lacks matches: Begum, Bibi and Khatun (most Bangladeshi and many Pakistani women), Bai
//! (Marathi and Rajasthani women), Kour (the common spelling of Kaur), Bte / Bn (how Malaysian and
//! Singaporean records abbreviate binti / bin), Md (Bangladesh's Mohammad). Two women named Rashida Khatun
//! born the same day in one household (sisters-in-law) are the housemates the guard was written for.
//! Also: a generational suffix put in the middle-name field (Jr., II) confirms like a middle name.

mod common;

use common::twins::decide_full_names as decide;
use okta_directory::claims::Decision;

/// (given, marker middle name, ID family, record family): two people each.
const UNLISTED_MARKERS: [(&str, &str, &str, &str); 8] = [
    ("FATIMA", "BEGUM", "KHAN", "Ahmed"),
    ("AYESHA", "BIBI", "KHAN", "Ahmed"),
    ("RASHIDA", "KHATUN", "MIAH", "Uddin"),
    ("LAKSHMI", "BAI", "RAO", "Naidu"),
    ("HARPREET", "KOUR", "GILL", "Sandhu"),
    ("SITI", "BTE", "ALI", "Hassan"),
    ("AHMAD", "BN", "ALI", "Hassan"),
    ("ABDUL", "MD", "RAHMAN", "Karim"),
];

fn capitalized(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[test]
fn a_marker_middle_name_never_confirms_a_changed_surname() {
    let matched: Vec<String> = UNLISTED_MARKERS
        .iter()
        .filter(|(g, m, f, rf)| decide(g, m, f, &capitalized(g), &capitalized(m), rf) == Decision::Match)
        .map(|(g, m, f, rf)| format!("{g} {m} {f} ~ {} {} {rf}", capitalized(g), capitalized(m)))
        .collect();
    assert!(matched.is_empty(), "{} of {} match:\n{}", matched.len(), UNLISTED_MARKERS.len(), matched.join("\n"));
}

#[test]
fn a_suffix_in_the_middle_name_field_never_confirms_a_changed_surname() {
    let matched: Vec<String> = [("JR", "Jr."), ("II", "II"), ("III", "III")]
        .iter()
        .filter(|(m, rm)| decide("JOHN", m, "SMITH", "John", rm, "Baker") == Decision::Match)
        .map(|(m, rm)| format!("JOHN {m} SMITH ~ John {rm} Baker"))
        .collect();
    assert!(matched.is_empty(), "{} of 3 match:\n{}", matched.len(), matched.join("\n"));
}

/// Holds on main: the listed markers, written with a period, a comma or decomposed, stay review.
#[test]
fn listed_markers_in_any_spelling_stay_review() {
    for (g, m, f, rm, rf) in [
        ("HARPREET", "KAUR", "GILL", "KAUR.", "Sandhu"),
        ("HARPREET", "KAUR", "GILL", "Kaur,", "Sandhu"),
        ("GURPREET", "SINGH", "GILL", "Singh.", "Sandhu"),
        ("LAN", "THI", "NGUYEN", "Thi\u{0323}", "Tran"),
        ("LAN", "VAN", "NGUYEN", "Văn", "Tran"),
        ("PRIYA", "DEVI", "SHARMA", "Devi", "Verma"),
    ] {
        assert_eq!(decide(g, m, f, &capitalized(g), rm, rf), Decision::Review, "{g} {m} {f} ~ {rm} {rf}");
    }
}

/// The guard keys on the record's middle name as one folded part: a listed marker the record writes spaced or
/// hyphenated (an import's stray spacing) compares as SPACING_NORMALIZED, confirms, and escapes the guard.
#[test]
fn a_listed_marker_spaced_in_the_record_never_confirms_a_changed_surname() {
    let matched: Vec<String> = [("KAUR", "K a u r"), ("KAUR", "K-aur"), ("SINGH", "Sin gh")]
        .iter()
        .filter(|(m, rm)| decide("HARPREET", m, "GILL", "Harpreet", rm, "Sandhu") == Decision::Match)
        .map(|(m, rm)| format!("{m} ~ {rm}"))
        .collect();
    assert!(matched.is_empty(), "{} of 3 match:\n{}", matched.len(), matched.join("\n"));
}
