//! Attacker's pin (2026-12-07): NFD, NFKD and NFC of long runs of combining marks (Zalgo text; every length
//! around the sizes a canonical-ordering buffer may have) equal unicode-normalization's, the reference the
//! compact table was generated from (tests/text_normal_forms.rs tries strings of at most ten characters).

use okta_directory::text::NormalForms;
use unicode_normalization::UnicodeNormalization;

fn check(s: &str) {
    assert_eq!(
        NormalForms::nfd(s.chars()).collect::<String>(),
        s.nfd().collect::<String>(),
        "nfd {:x?}",
        s.chars().map(u32::from).collect::<Vec<_>>()
    );
    assert_eq!(NormalForms::nfkd(s.chars()).collect::<String>(), s.nfkd().collect::<String>(), "nfkd {s:?}");
    assert_eq!(NormalForms::nfc(s.chars()).collect::<String>(), s.nfc().collect::<String>(), "nfc {s:?}");
}

#[test]
fn long_runs_of_marks_normalize_as_the_reference() {
    // Marks of many classes (1, 7, 8, 9, 10–36, 202, 216, 220, 230, 232, 233, 234, 240), precomposed
    // letters that decompose into marks, and starters.
    let marks: Vec<char> = "\u{334}\u{338}\u{93c}\u{3099}\u{94d}\u{5b0}\u{5b4}\u{5bc}\u{5c1}\u{64b}\u{651}\u{327}\u{328}\u{1d165}\u{316}\u{323}\u{331}\u{300}\u{301}\u{302}\u{308}\u{30a}\u{315}\u{35c}\u{35d}\u{345}\u{1dce}"
        .chars()
        .collect();
    let starters: Vec<char> = "aeoAEOsnıßἀᾳǖṩẛ\u{1e69}\u{fb01}\u{ac00}".chars().collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for run in (0..70).chain([95, 96, 97, 127, 128, 129, 255, 256, 257, 500]) {
        for _ in 0..20 {
            let mut s = String::new();
            for _ in 0..1 + next(3) {
                s.push(starters[next(starters.len())]);
                for _ in 0..run {
                    s.push(marks[next(marks.len())]);
                }
            }
            check(&s);
        }
    }
    // Already in canonical order and in reverse order, one class each: the stable sort keeps equal classes in place.
    for n in [16, 17, 32, 33, 64, 65, 300] {
        let ascending: String = std::iter::once('a').chain((0..n).map(|i| marks[i * marks.len() / n])).collect();
        let descending: String = std::iter::once('a').chain((0..n).rev().map(|i| marks[i * marks.len() / n])).collect();
        check(&ascending);
        check(&descending);
    }
}
