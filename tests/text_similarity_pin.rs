//! Attacker's pin (2026-12-07) of `text::edit_distance` and `text::jaro_winkler` against textbook forms
//! written here from their definitions (full matrix; one character per `char`), over ASCII, non-ASCII and
//! mixed pairs of every length around the stack buffers' sizes: a fast path (bytes for ASCII, rows on the
//! stack) must give exactly the textbook result — bit for bit for Jaro-Winkler — whichever side is ASCII.

use okta_directory::text::{edit_distance, jaro_winkler};

/// Optimal string alignment distance, full matrix.
fn osa(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// Jaro-Winkler (prefix up to 4, scale 0.1), the same arithmetic order as the definition.
fn jw(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let jaro = if a.is_empty() && b.is_empty() {
        1.0
    } else if a.is_empty() || b.is_empty() {
        0.0
    } else {
        let window = (a.len().max(b.len()) / 2).saturating_sub(1);
        let mut used = vec![false; b.len()];
        let mut am = Vec::new();
        for (i, ca) in a.iter().enumerate() {
            let lo = i.saturating_sub(window);
            let hi = (i + window + 1).min(b.len());
            if let Some(j) = (lo..hi).find(|&j| !used[j] && b[j] == *ca) {
                used[j] = true;
                am.push(*ca);
            }
        }
        if am.is_empty() {
            0.0
        } else {
            let bm: Vec<char> = b.iter().zip(&used).filter(|(_, u)| **u).map(|(c, _)| *c).collect();
            let t = am.iter().zip(&bm).filter(|(x, y)| x != y).count() / 2;
            let m = am.len() as f64;
            (m / a.len() as f64 + m / b.len() as f64 + (m - t as f64) / m) / 3.0
        }
    };
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A near copy of `s` (a few edits drawn from `alphabet`): most pairs share a prefix and a suffix.
fn mutate(rng: &mut Rng, s: &[char], alphabet: &[char]) -> Vec<char> {
    let mut b = s.to_vec();
    for _ in 0..rng.below(5) {
        match rng.below(4) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b.remove(i);
            }
            1 => {
                let i = rng.below(b.len() + 1);
                b.insert(i, alphabet[rng.below(alphabet.len())]);
            }
            2 if b.len() > 1 => {
                let i = rng.below(b.len() - 1);
                b.swap(i, i + 1);
            }
            _ if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = alphabet[rng.below(alphabet.len())];
            }
            _ => {}
        }
    }
    b
}

#[test]
fn fast_paths_equal_the_textbook_forms() {
    let alphabets: [&str; 4] = ["abcxy -'", "abcé ñ-", "aаeеoо", "aé\u{200B}\u{301}ᴀ𝐚"];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut checked = 0;
    for (ai, a_alpha) in alphabets.iter().enumerate() {
        for b_alpha in &alphabets[ai..] {
            let (aa, ba): (Vec<char>, Vec<char>) = (a_alpha.chars().collect(), b_alpha.chars().collect());
            for len in (0..40).chain([47, 48, 49, 63, 64, 65, 100]) {
                for _ in 0..12 {
                    let a: Vec<char> = (0..len).map(|_| aa[rng.below(aa.len())]).collect();
                    let b = mutate(&mut rng, &a, &ba);
                    let (a, b): (String, String) = (a.into_iter().collect(), b.into_iter().collect());
                    for (x, y) in [(&a, &b), (&b, &a)] {
                        assert_eq!(edit_distance(x, y), osa(x, y), "edit_distance({x:?}, {y:?})");
                        assert_eq!(jaro_winkler(x, y).to_bits(), jw(x, y).to_bits(), "jaro_winkler({x:?}, {y:?})");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

/// An ASCII value against the same value with one non-ASCII look-alike or invisible: never equal, and
/// the distance counts that character (a fast path comparing only the ASCII bytes would say 0).
#[test]
fn one_non_ascii_character_is_one_edit() {
    for name in ["Jose", "Garcia", "Alexander", "Maximilian-Alexander", "Oo"] {
        for fake in ['о', 'а', 'é', '\u{200B}', 'ı', 'Ꭺ'] {
            for i in 0..=name.len() {
                let inserted = format!("{}{fake}{}", &name[..i], &name[i..]);
                assert_eq!(edit_distance(name, &inserted), 1, "{inserted:?}");
                assert_eq!(edit_distance(&inserted, name), 1, "{inserted:?}");
                assert!(jaro_winkler(name, &inserted) < 1.0);
                if i < name.len() {
                    let replaced = format!("{}{fake}{}", &name[..i], &name[i + 1..]);
                    assert_eq!(
                        edit_distance(name, &replaced),
                        usize::from(name.chars().nth(i) != Some(fake)),
                        "{replaced:?}"
                    );
                    assert_eq!(jaro_winkler(name, &replaced).to_bits(), jw(name, &replaced).to_bits(), "{replaced:?}");
                }
            }
        }
    }
}
