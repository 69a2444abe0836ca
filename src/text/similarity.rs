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
    let (a, b) = (CharBuf::new(a), CharBuf::new(b));
    let jaro = jaro(&a, &b);
    let prefix = a.iter().zip(b.iter()).take(4).take_while(|(x, y)| x == y).count() as f64;
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
    let mut b_used = Buf::new(b.len(), false);
    let mut a_matches = Buf::new(a.len(), '\0');
    let mut m = 0;
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        if let Some(j) = (lo..hi).find(|&j| !b_used[j] && b[j] == *ca) {
            b_used[j] = true;
            a_matches[m] = *ca;
            m += 1;
        }
    }
    if m == 0 {
        return 0.0;
    }
    let b_matches = b.iter().zip(b_used.iter()).filter(|(_, used)| **used).map(|(c, _)| *c);
    let transpositions = a_matches[..m].iter().zip(b_matches).filter(|(x, y)| **x != *y).count() / 2;
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
    let (a, b) = (CharBuf::new(a), CharBuf::new(b));
    let (a, b) = without_common_ends(&a, &b);
    osa(a, b)
}

/// Up to this many cells, the rows of [`osa`] live on the stack (names differ in a few letters once
/// their common ends are set aside).
const ROW: usize = 16;

/// The optimal-string-alignment distance between two sequences (see [`edit_distance`]).
fn osa(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    let width = b.len() + 1;
    if width <= ROW {
        let mut rows = [[0usize; ROW]; 3];
        let [two_back, back, row] = &mut rows;
        osa_rows(a, b, [&mut two_back[..width], &mut back[..width], &mut row[..width]])
    } else {
        let (mut two_back, mut back, mut row) = (vec![0; width], vec![0; width], vec![0; width]);
        osa_rows(a, b, [&mut two_back, &mut back, &mut row])
    }
}

/// [`osa`] over three rows of the matrix of `b.len() + 1` cells each (the transposition looks two
/// rows back), rotated after each row.
fn osa_rows(a: &[char], b: &[char], [mut two_back, mut back, mut row]: [&mut [usize]; 3]) -> usize {
    for (j, cell) in back.iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        row[0] = i;
        let ca = a[i - 1];
        for j in 1..=b.len() {
            let cost = usize::from(ca != b[j - 1]);
            let mut best = (back[j] + 1).min(row[j - 1] + 1).min(back[j - 1] + cost);
            if i > 1 && j > 1 && ca == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(two_back[j - 2] + 1);
            }
            row[j] = best;
        }
        std::mem::swap(&mut two_back, &mut back);
        std::mem::swap(&mut back, &mut row);
    }
    back[b.len()]
}

/// The two sequences without their common prefix and common suffix: equal ends add nothing to the
/// distance, and names that differ by a typo share most of their letters.
fn without_common_ends<'a>(a: &'a [char], b: &'a [char]) -> (&'a [char], &'a [char]) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    (&a[..a.len() - suffix], &b[..b.len() - suffix])
}

/// Up to this many elements, the comparisons' buffers live on the stack (names and address tokens
/// are short; the comparisons run for every mismatch, and allocating was a large share of them).
const STACK: usize = 48;

/// A buffer of `n` copies of a value: on the stack up to [`STACK`] elements, else on the heap.
pub(crate) enum Buf<T: Copy> {
    /// Short: the first `len` elements of an array.
    Stack([T; STACK], usize),
    /// Long.
    Heap(Vec<T>),
}

impl<T: Copy> Buf<T> {
    /// `n` copies of `fill`.
    pub(crate) fn new(n: usize, fill: T) -> Buf<T> {
        if n <= STACK {
            Buf::Stack([fill; STACK], n)
        } else {
            Buf::Heap(vec![fill; n])
        }
    }
}

impl<T: Copy> std::ops::Deref for Buf<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Buf::Stack(items, n) => &items[..*n],
            Buf::Heap(items) => items,
        }
    }
}

impl<T: Copy> std::ops::DerefMut for Buf<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Buf::Stack(items, n) => &mut items[..*n],
            Buf::Heap(items) => items,
        }
    }
}

/// The characters of a string, in a [`Buf`].
pub(crate) struct CharBuf(Buf<char>);

impl CharBuf {
    /// The characters of `s`.
    pub(crate) fn new(s: &str) -> CharBuf {
        CharBuf::from_chars(s.chars())
    }

    /// The characters an iterator yields.
    pub(crate) fn from_chars(chars: impl Iterator<Item = char>) -> CharBuf {
        let mut items = ['\0'; STACK];
        let mut n = 0;
        let mut chars = chars.peekable();
        while let Some(c) = chars.next() {
            if n == STACK {
                let mut all = items.to_vec();
                all.push(c);
                all.extend(chars);
                return CharBuf(Buf::Heap(all));
            }
            items[n] = c;
            n += 1;
        }
        CharBuf(Buf::Stack(items, n))
    }
}

impl std::ops::Deref for CharBuf {
    type Target = [char];
    fn deref(&self) -> &[char] {
        &self.0
    }
}

impl std::ops::DerefMut for CharBuf {
    fn deref_mut(&mut self) -> &mut [char] {
        &mut self.0
    }
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

    /// The textbook forms (full matrix, vectors) the buffered ones replaced.
    fn reference_edit_distance(a: &[char], b: &[char]) -> usize {
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
                d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    fn reference_jaro(a: &[char], b: &[char]) -> f64 {
        if a.is_empty() && b.is_empty() {
            return 1.0;
        }
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let window = (a.len().max(b.len()) / 2).saturating_sub(1);
        let mut b_used = vec![false; b.len()];
        let mut a_matches = Vec::new();
        for (i, ca) in a.iter().enumerate() {
            let (lo, hi) = (i.saturating_sub(window), (i + window + 1).min(b.len()));
            if let Some(j) = (lo..hi).find(|&j| !b_used[j] && b[j] == *ca) {
                b_used[j] = true;
                a_matches.push(*ca);
            }
        }
        let m = a_matches.len();
        if m == 0 {
            return 0.0;
        }
        let b_matches: Vec<char> = b.iter().zip(&b_used).filter(|(_, u)| **u).map(|(c, _)| *c).collect();
        let t = a_matches.iter().zip(&b_matches).filter(|(x, y)| x != y).count() / 2;
        let m = m as f64;
        (m / a.len() as f64 + m / b.len() as f64 + (m - t as f64) / m) / 3.0
    }

    #[test]
    fn buffered_forms_equal_the_textbook_ones() {
        // Deterministic pseudo-random strings over a small alphabet (many near pairs), lengths
        // 0–70: both sides of the stack buffers' size, with and without letters beyond ASCII.
        for alphabet in ["abcé ñ-", "abc -xy"] {
            agree_with_the_textbook_forms(&alphabet.chars().collect::<Vec<char>>());
        }
    }

    fn agree_with_the_textbook_forms(alphabet: &[char]) {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..3000 {
            let la = next(71) as usize;
            let a: Vec<char> = (0..la).map(|_| alphabet[next(alphabet.len() as u64) as usize]).collect();
            let mut b = a.clone();
            for _ in 0..next(4) {
                match next(3) {
                    0 if !b.is_empty() => {
                        let i = next(b.len() as u64) as usize;
                        b.remove(i);
                    }
                    1 => b.insert(next(b.len() as u64 + 1) as usize, alphabet[next(alphabet.len() as u64) as usize]),
                    _ if b.len() > 1 => {
                        let i = next(b.len() as u64 - 1) as usize;
                        b.swap(i, i + 1);
                    }
                    _ => {}
                }
            }
            let (sa, sb): (String, String) = (a.iter().collect(), b.iter().collect());
            assert_eq!(edit_distance(&sa, &sb), reference_edit_distance(&a, &b), "{sa:?} / {sb:?}");
            let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
            let jaro = reference_jaro(&a, &b);
            assert_eq!(
                jaro_winkler(&sa, &sb).to_bits(),
                (jaro + prefix * 0.1 * (1.0 - jaro)).to_bits(),
                "{sa:?} / {sb:?}"
            );
        }
    }

    #[test]
    fn long_values_past_the_stack_buffers() {
        let long = "a".repeat(60) + "bc";
        let other = "a".repeat(60) + "cb";
        assert_eq!(edit_distance(&long, &other), 1);
        assert_eq!(edit_distance(&long, "a"), 61);
        assert_eq!(edit_distance(&"é".repeat(50), &"e".repeat(50)), 50);
        assert!((jaro_winkler(&long, &other) - jaro_winkler("aaaabc", "aaaacb")).abs() < 0.05);
        assert_eq!(jaro_winkler(&long, &long), 1.0);
        let chars = CharBuf::new(&long);
        assert_eq!(chars.len(), 62);
        assert_eq!(chars.iter().collect::<String>(), long);
    }

    #[test]
    fn edit_distance_cases() {
        let cases = [("", "", 0), ("a", "", 1), ("kitten", "sitting", 3), ("ca", "ac", 1), ("müller", "muller", 1)];
        for (a, b, want) in cases {
            assert_eq!(edit_distance(a, b), want, "{a}/{b}");
            assert_eq!(edit_distance(b, a), want, "{b}/{a}");
        }
    }

    #[test]
    fn edit_distance_equals_the_textbook_form_on_every_short_string() {
        // Every string of up to five letters over a three-letter alphabet against every other:
        // the common ends set aside cannot change a distance.
        let mut all: Vec<Vec<char>> = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|s: &Vec<char>| "abc".chars().map(move |c| [s.clone(), vec![c]].concat()))
                .collect();
            all.extend(last.iter().cloned());
        }
        for a in &all {
            let sa: String = a.iter().collect();
            for b in &all {
                let sb: String = b.iter().collect();
                assert_eq!(edit_distance(&sa, &sb), reference_edit_distance(a, b), "{sa:?} / {sb:?}");
            }
        }
    }
}
