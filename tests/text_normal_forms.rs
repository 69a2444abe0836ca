//! The compact normalization table (src/text/normal_forms*.rs) against the unicode-normalization
//! crate it was generated from: the same NFD, NFKD, NFC, combining class and mark property for every
//! code point, the same composition for every pair the crate composes, and the same forms of random
//! strings of marks, starters and jamo, so the smaller WebAssembly module normalizes exactly as before.

use okta_directory::text::{canonical_combining_class, is_combining_mark, is_nfc_quick, NormalForms};
use unicode_normalization::UnicodeNormalization;

fn ours(s: &str) -> [String; 3] {
    [
        NormalForms::nfd(s.chars()).collect(),
        NormalForms::nfkd(s.chars()).collect(),
        NormalForms::nfc(s.chars()).collect(),
    ]
}

fn crates(s: &str) -> [String; 3] {
    [s.nfd().collect(), s.nfkd().collect(), s.nfc().collect()]
}

fn all_chars() -> impl Iterator<Item = char> {
    (0..=0x10ffffu32).filter_map(char::from_u32)
}

#[test]
fn every_code_point_has_the_crates_forms_and_properties() {
    let mut differ = Vec::new();
    for c in all_chars() {
        let s = c.to_string();
        let same = ours(&s) == crates(&s)
            && canonical_combining_class(c) == unicode_normalization::char::canonical_combining_class(c)
            && is_combining_mark(c) == unicode_normalization::char::is_combining_mark(c)
            && (!is_nfc_quick(&s) || unicode_normalization::is_nfc(&s));
        if !same {
            differ.push(c as u32);
        }
    }
    assert!(differ.is_empty(), "{} code points differ, e.g. {:x?}", differ.len(), &differ[..differ.len().min(10)]);
}

#[test]
fn every_pair_the_crate_composes_composes_the_same() {
    // A pair composes only when its second character is a non-starter or a composing starter (a
    // character with a canonical decomposition's trailing part): try every decomposition's parts.
    let mut seconds: Vec<char> =
        all_chars().filter(|&c| unicode_normalization::char::canonical_combining_class(c) != 0).collect();
    let mut firsts = Vec::new();
    for c in all_chars() {
        let mut parts = Vec::new();
        unicode_normalization::char::decompose_canonical(c, |d| parts.push(d));
        if parts.len() > 1 || parts[0] != c {
            firsts.extend(parts.first().copied());
            seconds.extend(parts.iter().skip(1).copied());
        }
    }
    for list in [&mut firsts, &mut seconds] {
        list.sort_unstable();
        list.dedup();
    }
    let mut composed = 0;
    for &a in &firsts {
        for &b in &seconds {
            let expected = unicode_normalization::char::compose(a, b);
            let s: String = [a, b].iter().collect();
            let got: String = NormalForms::nfc(s.chars()).collect();
            if let Some(c) = expected {
                composed += 1;
                // NFC of a pair that composes is the composition unless the result is excluded from
                // NFC (then NFC decomposes it again): compare with the crate's NFC either way.
                assert_eq!(got, s.nfc().collect::<String>(), "{:x} {:x} → {:x}", a as u32, b as u32, c as u32);
            } else {
                assert_eq!(got, s.nfc().collect::<String>(), "{:x} {:x}", a as u32, b as u32);
            }
        }
    }
    assert!(composed > 900, "only {composed} composing pairs were tried");
}

#[test]
fn mixed_strings_have_the_crates_forms() {
    // Starters that compose, marks of several classes (reordered by NFD), jamo, compatibility forms,
    // a composition exclusion and a singleton.
    let pool: Vec<char> = "aAeEoOuUsSnNzZıßæøΩωΑαιυ\u{300}\u{301}\u{302}\u{303}\u{308}\u{30a}\u{30c}\u{323}\u{327}\u{328}\u{331}\u{345}\u{342}\u{313}\u{314}\u{5b4}\u{5bc}\u{5c1}\u{93c}\u{9be}\u{9c7}\u{3099}\u{309a}かカ\u{1100}\u{1161}\u{11a8}\u{ac00}각ﬁ½²ℌ𝐀ｶﾞ\u{212b}\u{2126}\u{f900}\u{958}\u{1d15e}\u{11099}\u{110ba}"
        .chars()
        .collect();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..100_000 {
        let len = 1 + (next() % 10) as usize;
        let s: String = (0..len).map(|_| pool[(next() % pool.len() as u64) as usize]).collect();
        assert_eq!(ours(&s), crates(&s), "{s:?}");
        assert!(!is_nfc_quick(&s) || unicode_normalization::is_nfc(&s), "{s:?} is not NFC");
    }
}

#[test]
fn quick_check_says_yes_for_plain_text() {
    for s in ["", "Anna Kowalska", "Łukasz Müller-Lüdenscheidt", "Анна", "ΣΟΦΙΑ", "芳", "محمد"] {
        assert!(is_nfc_quick(s), "{s:?}");
    }
    for s in ["e\u{301}", "\u{212b}", "\u{1100}\u{1161}", "한국"] {
        assert!(!is_nfc_quick(s), "{s:?}");
    }
}
