//! String similarity on comparison keys: Jaro-Winkler and optimal-string-alignment edit distance,
//! both over Unicode scalar values. Inputs are short (names, address tokens); both are O(n·m).

/// Jaro-Winkler similarity in [0, 1] (1 for equal strings; prefix bonus 0.1 per common leading
/// character, up to 4).
///
/// ```
/// use okta_directory::text::jaro_winkler;
/// assert!(jaro_winkler("martha", "marhta") > 0.96);
/// assert_eq!(jaro_winkler("", ""), 1.0);
/// ```
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let jaro = jaro(&a, &b);
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

fn jaro(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = vec![false; b.len()];
    let mut a_matches = Vec::with_capacity(a.len());
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        if let Some(j) = (lo..hi).find(|&j| !b_used[j] && b[j] == *ca) {
            b_used[j] = true;
            a_matches.push(*ca);
        }
    }
    let m = a_matches.len();
    if m == 0 {
        return 0.0;
    }
    let b_matches = b.iter().zip(&b_used).filter(|(_, used)| **used).map(|(c, _)| *c);
    let transpositions = a_matches.iter().zip(b_matches).filter(|(x, y)| *x != y).count() / 2;
    let m = m as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0
}

/// Edit distance with adjacent transpositions (optimal string alignment): insertions, deletions,
/// substitutions and swaps of neighbours each cost 1.
///
/// ```
/// use okta_directory::text::edit_distance;
/// assert_eq!(edit_distance("jonathan", "jonahtan"), 1);
/// assert_eq!(edit_distance("smith", "smithson"), 3);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        rows[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        rows[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[at(i - 1, j)] + 1).min(rows[at(i, j - 1)] + 1).min(rows[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[at(i - 2, j - 2)] + 1);
            }
            rows[at(i, j)] = best;
        }
    }
    rows[at(a.len(), b.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_reference_values() {
        // Classic reference pairs (Winkler 1990).
        let cases = [("martha", "marhta", 0.961), ("dwayne", "duane", 0.84), ("dixon", "dicksonx", 0.813)];
        for (a, b, want) in cases {
            assert!((jaro_winkler(a, b) - want).abs() < 0.001, "{a}/{b}: {}", jaro_winkler(a, b));
            assert_eq!(jaro_winkler(a, b), jaro_winkler(b, a));
        }
        assert_eq!(jaro_winkler("abc", "xyz"), 0.0);
        assert_eq!(jaro_winkler("same", "same"), 1.0);
        assert_eq!(jaro_winkler("", "a"), 0.0);
    }

    #[test]
    fn edit_distance_cases() {
        let cases = [("", "", 0), ("a", "", 1), ("kitten", "sitting", 3), ("ca", "ac", 1), ("müller", "muller", 1)];
        for (a, b, want) in cases {
            assert_eq!(edit_distance(a, b), want, "{a}/{b}");
            assert_eq!(edit_distance(b, a), want, "{b}/{a}");
        }
    }
}
