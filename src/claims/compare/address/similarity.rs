//! Text similarity for fuzzy address parts: the Levenshtein ratio, with a guard for short values.
//!
//! Why Levenshtein and not Jaro-Winkler: Jaro-Winkler rewards a shared prefix, and town names share
//! prefixes all the time (Newark/Newport, Newton/Newtown score 0.82 and 0.97 under Jaro-Winkler). The
//! Levenshtein ratio counts every edit against the length, so a typo in a long name stays close while
//! a different ending is far: Springfeld/Springfield 0.91, Newark/Newport 0.57.

use super::fold::fuzzy_safe;

/// Values longer than this (in characters) are compared for equality only: the edit distance is
/// quadratic, and an address part that long is not a typo away from anything.
const MAX_FUZZY_CHARS: usize = 256;

/// Below this many letters and digits, an edit is never forgiven: one letter is what separates many
/// real place and street names of that size (Clinton/Clifton, Newton/Newtown, Oak/Oat), and the
/// Levenshtein ratio of one edit in seven characters (0.857) would pass the 0.85 default.
pub(crate) const MIN_FUZZY_CHARS: usize = 8;

/// The Levenshtein distance between two strings, in characters.
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Two rows of the classic dynamic programme.
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev[j] + usize::from(ca != cb);
            row[j + 1] = substitution.min(prev[j + 1] + 1).min(row[j] + 1);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// Similarity in [0, 1]: 1 − distance / length of the longer string (1 for two empty strings, 0 for
/// values too long to compare that are not equal).
pub(crate) fn ratio(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let longest = a.chars().count().max(b.chars().count());
    if longest > MAX_FUZZY_CHARS {
        return 0.0;
    }
    // Both lengths are at most MAX_FUZZY_CHARS: the conversions are exact.
    1.0 - levenshtein(a, b) as f64 / longest as f64
}

/// Whether two different values are close enough to be the same under `threshold`: the ratio reaches
/// it, the shorter value is long enough for a typo to be told from another name, and neither value
/// mixes scripts or hides invisible characters.
pub(crate) fn fuzzy_equal(a: &str, b: &str, threshold: f64) -> (bool, f64) {
    let score = ratio(a, b);
    let significant = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
    let long_enough = significant(a).min(significant(b)) >= MIN_FUZZY_CHARS;
    let forgivable = long_enough && fuzzy_safe(a) && fuzzy_safe(b);
    (score >= 1.0 || (forgivable && score >= threshold), score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let cases = [
            ("", "", 0),
            ("abc", "", 3),
            ("", "abc", 3),
            ("kitten", "sitting", 3),
            ("springfeld", "springfield", 1),
            ("newark", "newport", 3),
            ("flaw", "lawn", 2),
            ("é", "e", 1),
        ];
        for (a, b, d) in cases {
            assert_eq!(levenshtein(a, b), d, "{a} / {b}");
            assert_eq!(levenshtein(b, a), d, "{b} / {a}");
        }
    }

    #[test]
    fn ratios() {
        assert_eq!(ratio("", ""), 1.0);
        assert_eq!(ratio("abc", "abc"), 1.0);
        assert_eq!(ratio("abc", "xyz"), 0.0);
        assert!((ratio("springfeld", "springfield") - 10.0 / 11.0).abs() < 1e-9);
        assert!((ratio("newark", "newport") - 4.0 / 7.0).abs() < 1e-9);
        let long = "a".repeat(MAX_FUZZY_CHARS + 1);
        assert_eq!(ratio(&long, &format!("{long}b")), 0.0);
    }

    #[test]
    fn typos_pass_and_other_names_do_not() {
        let pass = [("springfeld", "springfield"), ("pittsburg", "pittsburgh"), ("philadelpia", "philadelphia")];
        for (a, b) in pass {
            assert!(fuzzy_equal(a, b, 0.85).0, "{a} ~ {b}");
        }
        // The last two are typos, the price of the short-value guard: they go to review, not to match.
        let fail = [
            ("newark", "newport"),
            ("clinton", "clifton"),
            ("newton", "newtown"),
            ("bristol", "bristow"),
            ("summerville", "somerville"),
            ("hamilton", "hampton"),
            ("burlington", "burlingame"),
            ("austin", "austn"),
            ("boston", "bostn"),
        ];
        for (a, b) in fail {
            assert!(!fuzzy_equal(a, b, 0.85).0, "{a} !~ {b}");
        }
        assert!(fuzzy_equal("oak", "oak", 0.85).0);
        // One Cyrillic і in a Latin name is one edit, but never a typo.
        assert!(!fuzzy_equal("spr\u{456}ngfield", "springfield", 0.85).0);
        assert!(!fuzzy_equal("springfie\u{200b}ld", "springfield", 0.85).0);
    }
}
