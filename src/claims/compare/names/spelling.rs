//! Two spellings of one name rather than two names. The real-name twin rule refuses two listed given
//! names a typo apart (Dustin ~ Justin, Norma ~ Norman: twins are given such pairs); a person whose
//! name is spelled two ways (Jeffrey ~ Jeffery, Jonathan ~ Johnathan, Margaret ~ Margret) is not
//! locked out by it. Only spellings twins are not given count, each pinned by a twin pair of the same
//! shape in the tests below.

use crate::text::CharBuf;

/// Pairs of one name's forms that no spelling rule below covers (Geoffrey ~ Jeffrey, Oliver ~ Olivier, Isabel ~ Isobel:
/// an early vowel changed is another name too often, Tammy ~ Tommy). Bill ~ Will, both William's, then
/// go to a person as short names one letter apart rather than being refused.
const SAME_NAME_PAIRS: &[(&str, &str)] =
    &[("geoffrey", "jeffrey"), ("isabel", "isobel"), ("oliver", "olivier"), ("bill", "will")];

/// Whether `a` and `b` (folded, different) are one name's spellings: one spelling step apart (see
/// [`one_step`]), or two such steps (Jonathon ~ Johnathan: an `h` and a late vowel), after `ks` is
/// read as `x` (Aleksandr ~ Alexandr).
pub(super) fn spelling_variants(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    if SAME_NAME_PAIRS.iter().any(|&(x, y)| (a, b) == (x, y) || (a, b) == (y, x)) {
        return true;
    }
    let (ca, cb) = (a.replace("ks", "x"), b.replace("ks", "x"));
    ca == cb || one_step(&ca, &cb) || two_steps(&ca, &cb)
}

fn vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// One spelling step: a letter doubled inside the name (Mathew ~ Matthew, Mohamed ~ Mohammed); an
/// `h` after a `t`, `c`, `p`, `r`, `g` or `k` (Käte ~ Käthe, Cloé ~ Chloé, Ester ~ Esther), or after
/// the first vowel before a consonant in seven letters or more (Jonathan ~ Johnathan); a `c` for a
/// `k` after the first letter (Frederik ~ Frederic); another vowel from the fifth letter of a name of
/// seven or more, its last letter aside (Jonathon ~ Jonathan); two letters swapped inside a name of
/// six or more, away from both ends (Jeffrey ~ Jeffery); a vowel between two consonants dropped in a
/// name of eight or more, not in its last two letters (Margaret ~ Margret); an `e` before a final `r`
/// in eight letters or more (Alexander ~ Alexandr). Twins are not named so; a first letter is another
/// name (Anna ~ Hanna, Kara ~ Cara), a last one a gendered form (Kristian ~ Kristina).
fn one_step(a: &str, b: &str) -> bool {
    let (short, long) = if a.chars().count() <= b.chars().count() { (a, b) } else { (b, a) };
    let (s, l) = (CharBuf::new(short), CharBuf::new(long));
    if l.len() == s.len() {
        let changed: Vec<usize> = (0..s.len()).filter(|&i| s[i] != l[i]).collect();
        return match changed[..] {
            [i] => {
                let (x, y) = (s[i], l[i]);
                (i > 0 && matches!((x, y), ('c', 'k') | ('k', 'c')))
                    // One sound spelled two ways at the front of a name of five letters or more
                    // (Katherine ~ Catherine, Kristina ~ Cristina; Kara ~ Cara stays twins' names).
                    || (i == 0 && s.len() >= 5 && front_sound(x, y))
                    // An unstressed vowel late in a long name, not its last letter (Jonathon ~ Jonathan,
                    // Kristen ~ Kristin; Christina ~ Christine is another name).
                    || (s.len() >= 7 && i >= 4 && i + 1 < s.len() && vowel(x) && vowel(y))
            }
            // Two letters swapped inside the name (Jeffrey ~ Jeffery); at an end they make another
            // name (Kristian ~ Kristina, Carla ~ Clara).
            // Only a vowel and an `r` or `l` (Janine ~ Jannie, Elaine ~ Eliane are two names).
            [i, j] => {
                s.len() >= 6
                    && j == i + 1
                    && i > 0
                    && j + 1 < s.len()
                    && s[i] == l[j]
                    && s[j] == l[i]
                    && (vowel(s[i]) != vowel(s[j]))
                    && matches!(if vowel(s[i]) { s[j] } else { s[i] }, 'r' | 'l')
            }
            _ => false,
        };
    }
    if l.len() != s.len() + 1 {
        return false;
    }
    let at = s.iter().zip(l.iter()).take_while(|(x, y)| x == y).count();
    if l[at + 1..] != s[at..] {
        return false;
    }
    // A doubled last letter in a short name (Erin ~ Erinn) is left to the other rules: twins' names
    // differ so. In six letters or more a final `l` or `t` doubled, or the `n` of `-yn`, is one name's
    // spelling (Mitchel ~ Mitchell, Elliot ~ Elliott, Ashlyn ~ Ashlynn); another letter is often a
    // gendered form (Julian ~ Juliann, Adrien ~ Adrienn).
    let added = l[at];
    let doubled_last = at == s.len()
        && s.len() >= 6
        && l[at - 1] == added
        && (matches!(added, 'l' | 't') || (added == 'n' && l[at - 2] == 'y'));
    let doubled = doubled_last || (at < s.len() && ((at > 0 && l[at - 1] == added) || l[at + 1] == added));
    // `th`, `ch`, `ph`, `rh`, `gh`, `kh` (Esther ~ Ester, Käthe ~ Käte); after a vowel or an `s` the `h`
    // makes another name (Noa ~ Noah, Joann ~ Johann, Elisa ~ Elisha: boy-girl twins), unless it
    // follows the first vowel before a consonant in a long name (Jonathan ~ Johnathan).
    let h_after_consonant = at > 0 && added == 'h' && matches!(l[at - 1], 't' | 'c' | 'p' | 'r' | 'g' | 'k');
    let h_after_first_vowel = added == 'h'
        && l.len() >= 7
        && at > 0
        && at + 1 < l.len()
        && vowel(l[at - 1])
        && !l[..at - 1].iter().any(|&c| vowel(c))
        && !vowel(l[at + 1]);
    let dropped_vowel = l.len() >= 8
        && at >= 2
        && at + 2 < l.len()
        && matches!(added, 'a' | 'e' | 'o')
        && !vowel(l[at - 1])
        && !vowel(l[at + 1]);
    let e_before_final_r = s.len() >= 8 && added == 'e' && at + 2 == l.len() && l[at + 1] == 'r';
    doubled || h_after_consonant || h_after_first_vowel || dropped_vowel || e_before_final_r
}

/// Whether `a` and `b` (folded) are one name spelled with another first letter of the same sound, the rest
/// the same, in five letters or more (Katherine ~ Catherine): the hand-curated names'
/// refusal gives way to it too.
pub(super) fn front_spelling(a: &str, b: &str) -> bool {
    let (ca, cb) = (a.as_bytes(), b.as_bytes());
    ca.len() == cb.len() && ca.len() >= 5 && ca[1..] == cb[1..] && front_sound(char::from(ca[0]), char::from(cb[0]))
}

/// First letters that spell one sound in two listed names: only `c` ~ `k` (Katherine ~ Catherine); `g` ~
/// `j` and `s` ~ `z` make twins' names (Gordon ~ Jordon, Samir ~ Zamir, Saida ~ Zaida).
fn front_sound(x: char, y: char) -> bool {
    matches!((x, y), ('c', 'k') | ('k', 'c'))
}

/// Two spelling steps, one of them an `h` (Johnathan ~ Jonatan: two `h`s; Jonathon ~ Johnathan: an `h`
/// and a vowel): through either side with one `h` dropped. Other pairs of steps reach other names
/// (Christian ~ Christin, Mariana ~ Marina, Keely ~ Kelly).
fn two_steps(a: &str, b: &str) -> bool {
    let without_h = |side: &str| -> Vec<String> {
        let chars: Vec<char> = side.chars().collect();
        (0..chars.len())
            .filter(|&i| chars[i] == 'h')
            .map(|i| chars.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, c)| *c).collect())
            .collect()
    };
    let mut middles = without_h(a);
    middles.extend(without_h(b));
    // The other step is another `h` or a late vowel (Caroline ~ Charline, Thurman ~ Truman: two names).
    let vowel_changed = |x: &str, y: &str| {
        x.chars().count() == y.chars().count()
            && x.chars().zip(y.chars()).filter(|(p, q)| p != q).all(|(p, q)| vowel(p) && vowel(q))
    };
    middles.iter().any(|m| {
        let other = if without_h(a).contains(m) { b } else { a };
        m != a
            && m != b
            && one_step(a, m)
            && one_step(m, b)
            && (vowel_changed(m, other) || without_h(other).contains(m) || without_h(m).iter().any(|x| x == other))
    })
}

#[cfg(test)]
mod tests {
    use super::spelling_variants;

    /// A spelling of one name, its other spelling, and twins' names of the same shape.
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

    /// Each exempted spelling (left) next to twins' names of the same shape (right, still refused).
    #[test]
    fn spellings_of_one_name_but_not_twins_names() {
        let cases: &[Case] = &[
            (
                "jeffrey",
                "jeffery",
                &[("kristian", "kristina"), ("carla", "clara"), ("janine", "jannie"), ("elaine", "eliane")],
            ),
            ("jonathan", "johnathan", &[("joann", "johann"), ("noa", "noah"), ("elisa", "elisha")]),
            (
                "margaret",
                "margret",
                &[("bruce", "bryce"), ("mariana", "marina"), ("keely", "kelly"), ("winifred", "winfred")],
            ),
            ("aleksandr", "alexandr", &[("kyle", "kylie"), ("alexandra", "aleksander")]),
            ("alexander", "alexandr", &[("norma", "norman"), ("peter", "petr"), ("alexander", "alexandra")]),
            ("jonathon", "johnathan", &[("tammy", "tommy"), ("dustin", "justin")]),
            ("jonathon", "jonatan", &[("brandon", "brendan"), ("christina", "christine"), ("christian", "christin")]),
            ("johnathan", "jonatan", &[("joann", "johanna"), ("caroline", "charline"), ("thurman", "truman")]),
            ("geoffrey", "jeffrey", &[("kara", "cara"), ("kevin", "kelvin")]),
            ("isabel", "isobel", &[("marian", "marion"), ("sara", "zara")]),
            ("oliver", "olivier", &[("marin", "marian"), ("winfred", "winifred")]),
            ("bill", "will", &[("sam", "pam"), ("lia", "mia")]),
            ("matthew", "mathew", &[("erin", "erinn")]),
            ("mitchell", "mitchel", &[("erin", "erinn"), ("lynn", "lyn"), ("norma", "norman")]),
            ("russell", "russel", &[("julian", "juliann"), ("adrien", "adrienn"), ("jane", "janet")]),
            ("ashlynn", "ashlyn", &[("dorothe", "dorothee"), ("bethan", "bethann")]),
            ("katherine", "catherine", &[("kara", "cara"), ("gordon", "jordon"), ("samir", "zamir")]),
        ];
        for (a, b, twins) in cases {
            assert!(spelling_variants(a, b) && spelling_variants(b, a), "{a} ~ {b}");
            for (x, y) in *twins {
                assert!(!spelling_variants(x, y) && !spelling_variants(y, x), "twins {x} ~ {y}");
            }
        }
    }

    /// Listed (and hand-curated) names spelled with `c` or `k` at the front match as a typo; four-letter ones
    /// (Kara ~ Cara) and other sound pairs (Gordon ~ Jordon, Samir ~ Zamir: twins) stay two names.
    #[test]
    fn one_sound_at_the_front_of_listed_names_matches() {
        use crate::claims::{compare::compare_name, default_rule, ClaimKind, Outcome, Reason};
        let rule = default_rule(ClaimKind::GivenName);
        for (a, b) in [("Katherine", "Catherine"), ("Kristina", "Cristina"), ("Jacob", "Jakob"), ("Oscar", "Oskar")] {
            for (v, d) in [(a, b), (b, a)] {
                assert_eq!(compare_name(v, d, ClaimKind::GivenName, &rule).outcome, Outcome::Match, "{v} ~ {d}");
            }
        }
        for (a, b) in
            [("Kara", "Cara"), ("Gordon", "Jordon"), ("Samir", "Zamir"), ("Saida", "Zaida"), ("Samira", "Zamira")]
        {
            for (v, d) in [(a, b), (b, a)] {
                let r = compare_name(v, d, ClaimKind::GivenName, &rule);
                assert!(r.outcome != Outcome::Match && r.reasons.contains(&Reason::DistinctGivenNames), "{v} ~ {d}");
            }
        }
    }
}
