//! Transliteration of Cyrillic and Greek name parts to Latin, for comparing a name registered in
//! one script with a document printed in Latin.
//!
//! Tables: ICAO Doc 9303 Part 3 (machine-readable travel documents), Cyrillic (Russian, with the
//! Ukrainian, Belarusian, Serbian and Macedonian letters) and Greek (with the `ου`, `αυ`, `ευ`
//! digraphs). Passports and directories also use other systems (Dmitry/Dmitriy for ICAO's Dmitrii,
//! Yulia for Iuliia, Sergej for Sergei), so [`loose_latin`] brings both spellings to one key.
//!
//! A transliterated key is evidence, not identity: the comparator never turns it into a `match`
//! (see `TRANSLITERATED_SCRIPT`), and it is only tried on values without security findings, so a
//! whole-script look-alike (ТОМ ЅМІТН) is blocked before it gets here. Its transliteration would
//! not pass for the Latin it imitates anyway (Ѕ is `dz`, Н is `n`: `tom dzmitn`).

/// ICAO 9303 Cyrillic → Latin (lower case; the soft sign is dropped).
const CYRILLIC: &[(char, &str)] = &[
    ('а', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('д', "d"),
    ('е', "e"),
    ('ё', "e"),
    ('ж', "zh"),
    ('з', "z"),
    ('и', "i"),
    ('й', "i"),
    ('к', "k"),
    ('л', "l"),
    ('м', "m"),
    ('н', "n"),
    ('о', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('у', "u"),
    ('ф', "f"),
    ('х', "kh"),
    ('ц', "ts"),
    ('ч', "ch"),
    ('ш', "sh"),
    ('щ', "shch"),
    ('ъ', "ie"),
    ('ы', "y"),
    ('ь', ""),
    ('э', "e"),
    ('ю', "iu"),
    ('я', "ia"),
    ('і', "i"),
    ('ї', "i"),
    ('є', "ie"),
    ('ґ', "g"),
    ('ў', "u"),
    ('ђ', "d"),
    ('ј', "j"),
    ('љ', "lj"),
    ('њ', "nj"),
    ('ћ', "c"),
    ('џ', "dz"),
    ('ѓ', "g"),
    ('ќ', "k"),
    ('ѕ', "dz"),
];

/// ICAO 9303 Greek → Latin (lower case, accents already folded away).
const GREEK: &[(char, &str)] = &[
    ('α', "a"),
    ('β', "v"),
    ('γ', "g"),
    ('δ', "d"),
    ('ε', "e"),
    ('ζ', "z"),
    ('η', "i"),
    ('θ', "th"),
    ('ι', "i"),
    ('κ', "k"),
    ('λ', "l"),
    ('μ', "m"),
    ('ν', "n"),
    ('ξ', "x"),
    ('ο', "o"),
    ('π', "p"),
    ('ρ', "r"),
    ('σ', "s"),
    ('ς', "s"),
    ('τ', "t"),
    ('υ', "y"),
    ('φ', "f"),
    ('χ', "ch"),
    ('ψ', "ps"),
    ('ω', "o"),
];

/// Greek digraphs ICAO spells as a unit.
const GREEK_DIGRAPHS: &[(&str, &str)] = &[("ου", "ou"), ("αυ", "av"), ("ευ", "ev")];

/// The ICAO 9303 transliteration of a folded (lower-case, accent-free) name part written wholly in
/// Cyrillic or wholly in Greek letters; `None` for any other part (Latin, mixed scripts, digits,
/// marks or punctuation).
///
/// ```
/// use okta_directory::text::icao_transliterate;
/// assert_eq!(icao_transliterate("дмитрий").as_deref(), Some("dmitrii"));
/// assert_eq!(icao_transliterate("παπαδοπουλος").as_deref(), Some("papadopoulos"));
/// assert_eq!(icao_transliterate("dmitry"), None);
/// assert_eq!(icao_transliterate("дmitry"), None);
/// ```
pub fn icao_transliterate(folded: &str) -> Option<String> {
    let table = match folded.chars().next()? {
        c if CYRILLIC.iter().any(|(k, _)| *k == c) => CYRILLIC,
        c if GREEK.iter().any(|(k, _)| *k == c) => GREEK,
        _ => return None,
    };
    let mut out = String::with_capacity(folded.len());
    let mut rest = folded;
    while let Some(c) = rest.chars().next() {
        if table == GREEK {
            if let Some((from, to)) = GREEK_DIGRAPHS.iter().find(|(from, _)| rest.starts_with(from)) {
                out.push_str(to);
                rest = &rest[from.len()..];
                continue;
            }
        }
        let (_, latin) = table.iter().find(|(k, _)| *k == c)?;
        out.push_str(latin);
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

/// A key that common Latin spellings of one Cyrillic or Greek name share: `j`→`y`, `x`→`ks`,
/// `kh`→`h`, `tz`→`ts`; `y` before a vowel → `i` (Yulia ~ Iulia, Mariya ~ Mariia); doubled `i`
/// collapsed; a leading `ie` → `e` (Yelena ~ Elena); `io` → `e` (Fyodor ~ Fedor); a final `i` or `iy`
/// → `y` (Dmitrii ~ Dmitriy ~ Dmitry, Sergei ~ Sergey ~ Sergej). Input: lower-case ASCII letters.
///
/// ```
/// use okta_directory::text::loose_latin;
/// assert_eq!(loose_latin("dmitrii"), loose_latin("dmitry"));
/// assert_eq!(loose_latin("iuliia"), loose_latin("yulia"));
/// assert_ne!(loose_latin("ivan"), loose_latin("ivana"));
/// ```
pub fn loose_latin(s: &str) -> String {
    let s = s.replace('j', "y").replace('x', "ks").replace("kh", "h").replace("tz", "ts");
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let b = if b == b'y' && bytes.get(i + 1).is_some_and(|n| vowel(*n)) { b'i' } else { b };
        if b == b'i' && out.last() == Some(&b'i') {
            continue;
        }
        out.push(b);
    }
    if out.starts_with(b"ie") {
        out.remove(0);
    }
    let mut key = String::from_utf8(out).unwrap_or_default().replace("io", "e");
    if key.ends_with("iy") {
        key.truncate(key.len() - 2);
        key.push('y');
    } else if key.len() > 1 && key.ends_with('i') {
        key.truncate(key.len() - 1);
        key.push('y');
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icao_tables() {
        let cases = [
            ("иванов", "ivanov"),
            ("екатерина", "ekaterina"),
            ("наталья", "natalia"),
            ("щукин", "shchukin"),
            ("хрущёв", "khrushchev"),
            ("юлия", "iuliia"),
            ("цой", "tsoi"),
            ("объедков", "obieedkov"),
            ("єва", "ieva"),
            ("јован", "jovan"),
            ("γεωργιος", "georgios"),
            ("χρηστος", "christos"),
            ("ευαγγελος", "evaggelos"),
            ("θεοδωρος", "theodoros"),
            ("ψαρρας", "psarras"),
        ];
        for (cyr, latin) in cases {
            assert_eq!(icao_transliterate(cyr).as_deref(), Some(latin), "{cyr}");
        }
        // Not wholly one of the two scripts: no transliteration.
        for other in ["ivanov", "иvanov", "иванов2", "ива-нов", "γεωрг", "", "東京"] {
            assert_eq!(icao_transliterate(other), None, "{other}");
        }
    }

    #[test]
    fn common_variants_share_the_loose_key() {
        let same = [
            ("dmitrii", "dmitry"),
            ("dmitrii", "dmitriy"),
            ("dmitrii", "dmitrij"),
            ("sergei", "sergey"),
            ("sergei", "sergej"),
            ("iuliia", "yulia"),
            ("iuliia", "yuliya"),
            ("iuliia", "julia"),
            ("mariia", "maria"),
            ("mariia", "mariya"),
            ("natalia", "natalya"),
            ("ekaterina", "yekaterina"),
            ("aleksei", "aleksey"),
            ("aleksei", "alexey"),
            ("fedor", "fyodor"),
            ("evgenii", "yevgeniy"),
            ("mikhail", "mihail"),
            ("tatiana", "tatyana"),
            ("iurii", "yuri"),
        ];
        for (a, b) in same {
            assert_eq!(loose_latin(a), loose_latin(b), "{a} ~ {b}");
        }
        let different =
            [("ivan", "ivana"), ("ivanov", "ivanova"), ("olga", "olya"), ("anna", "ana"), ("petr", "pavel")];
        for (a, b) in different {
            assert_ne!(loose_latin(a), loose_latin(b), "{a} !~ {b}");
        }
    }
}
