//! Text similarity for fuzzy address parts: the edit-distance ratio (over `crate::text::edit_distance`,
//! Levenshtein with adjacent transpositions costing one edit), with guards for short and suspicious
//! values.
//!
//! Why an edit-distance ratio and not Jaro-Winkler: Jaro-Winkler rewards a shared prefix, and town
//! names share prefixes all the time (Newark/Newport 0.82, Newton/Newtown 0.97 under Jaro-Winkler).
//! The ratio counts every edit against the length, so a typo in a long name stays close while a
//! different ending is far: Springfeld/Springfield 0.91, Newark/Newport 0.57.

use super::fold::fuzzy_safe;
use crate::text::edit_distance;

/// Values longer than this (in characters) are compared for equality only: the edit distance is
/// quadratic, and an address part that long is not a typo away from anything.
const MAX_FUZZY_CHARS: usize = 256;

/// Below this many letters and digits, an edit is never forgiven: one letter is what separates many
/// real place and street names of that size (Clinton/Clifton, Newton/Newtown, Oak/Oat), and the
/// edit-distance ratio of one edit in seven characters (0.857) would pass the 0.85 default.
pub(crate) const MIN_FUZZY_CHARS: usize = 8;

/// Similarity in [0, 1]: 1 − edit distance / length of the longer string (1 for two empty strings, 0 for
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
    1.0 - edit_distance(a, b) as f64 / longest as f64
}

/// Whether two different values are close enough to be the same under `threshold`: the ratio reaches
/// it, the shorter value is long enough for a typo to be told from another name, and neither value
/// mixes scripts or hides invisible characters.
pub(crate) fn fuzzy_equal(a: &str, b: &str, threshold: f64) -> (bool, f64) {
    if a == b {
        return (true, 1.0);
    }
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
    fn distances_behind_the_ratio() {
        let cases = [
            ("", "", 0),
            ("abc", "", 3),
            ("kitten", "sitting", 3),
            ("springfeld", "springfield", 1),
            ("sprnigfield", "springfield", 1),
            ("newark", "newport", 3),
            ("é", "e", 1),
        ];
        for (a, b, d) in cases {
            assert_eq!(edit_distance(a, b), d, "{a} / {b}");
            assert_eq!(edit_distance(b, a), d, "{b} / {a}");
        }
    }

    #[test]
    fn jaro_winkler_would_let_prefix_sharing_towns_through() {
        use crate::text::jaro_winkler;
        assert!((jaro_winkler("newark", "newport") - 0.82).abs() < 0.01);
        assert!((jaro_winkler("newton", "newtown") - 0.97).abs() < 0.01);
        assert!(ratio("newark", "newport") < 0.6 && ratio("newton", "newtown") < 0.86);
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
