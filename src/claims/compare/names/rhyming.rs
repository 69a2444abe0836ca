//! Twins' names that rhyme: the difference is at the front of the name, where a typo rarely lands
//! (Riley ~ Kiley, Kaylee ~ Haylee, Jayden ~ Kayden, Harper ~ Parker, Addison ~ Madison). The real-name
//! list cannot hold every name given since 2000, so the *shape* of the difference decides, for names a
//! typo apart that the list does not already refuse:
//! - the first letter changed, the rest the same, in five letters or more, onto a key that is not its
//!   neighbour (a slip of the finger hits a neighbouring key: Naria ~ Maria stays a typo; `c` ~ `k`,
//!   `g` ~ `j`, `y` ~ `j`, `v` ~ `w` are one sound: Kathryn ~ Cathryn): a person checks (review), since a
//!   capital misread on a document has that shape too (Gatherine ~ Catherine, Fmily ~ Emily);
//! - onto a neighbouring key when the name's rhyme after its first consonants is that of two listed
//!   names (Jayden, Hayden: Kayden, Brayden ~ Grayden are the same family of names, not a slip);
//! - two edits, one of them the first letter, which is not a neighbouring key, a swap of the first two
//!   letters or an OCR `i` ~ `l` (Harper ~ Parker, Landon ~ Brandon);
//! - the last letter changed from a consonant to a consonant that is not its neighbouring key, in five
//!   letters or more (Lennon ~ Lennox; vowels are the ending rules').
//!
//! Measured on TUNING and the twin hold-outs in docs/claims-decisions.md, "Twins' names".

use std::sync::OnceLock;

use super::given_names::{is_real_given_name, real_given_names};
use super::keyboard_neighbours;
use crate::claims::report::Reason;

/// Shortest name (in letters) in which a changed first letter makes another name rather than a typo;
/// shorter names go to a person through the short-name rule (Mila ~ Lila).
const MIN_FIRST_LETTER_CHARS: usize = 5;

/// Shortest rhyme (the letters after the first consonants) that makes a family of names (`ayden`).
const MIN_RHYME_CHARS: usize = 5;

/// How two folded given names (different, `distance` edits apart, one word each) differ at the front as
/// twins' names do (see the module documentation): `DISTINCT_GIVEN_NAMES`, or `SHORT_NAME_ONE_LETTER_APART`
/// (a person checks) for a first letter changed off its neighbouring key; `None` for a typo's shape.
pub(super) fn rhyming_given_names(a: &str, b: &str, distance: usize) -> Option<Reason> {
    if !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (&fa, &fb) = (ab.first()?, bb.first()?);
    let (x, y) = (char::from(fa), char::from(fb));
    let one_letter = distance == 1 && ab.len() == bb.len() && ab.len() >= MIN_FIRST_LETTER_CHARS;
    let distinct = Some(Reason::DistinctGivenNames);
    if x == y {
        // The last consonant changed onto a key that is not its neighbour (Lennon ~ Lennox): a changed
        // ending, as Alexander ~ Alexandra is for vowels.
        let last = ab.len() - 1;
        let (p, q) = (char::from(ab[last]), char::from(*bb.last()?));
        let ending = one_letter && ab[..last] == bb[..last] && !vowel(p) && !vowel(q) && !keyboard_neighbours(p, q);
        return if ending { distinct } else { None };
    }
    if ONE_SOUND.iter().any(|&(p, q)| (x, y) == (p, q) || (x, y) == (q, p)) {
        return None;
    }
    let neighbours = keyboard_neighbours(x, y);
    if one_letter && ab[1..] == bb[1..] && !neighbours {
        // Riley ~ Kiley, or the capital misread (Gatherine ~ Catherine, Fmily ~ Emily): a person
        // checks the document.
        return Some(Reason::ShortNameOneLetterApart);
    }
    let (ra, rb) = (rhyme(a), rhyme(b));
    if neighbours
        && ra == rb
        && front_not_a_slip(&a[..a.len() - ra.len()], &b[..b.len() - rb.len()])
        && (listed_rhyme(a) || listed_rhyme(b))
    {
        return distinct;
    }
    if distance == 1 && (front_added(a, b) || front_added(b, a) || (neighbours && modern_front(ab, bb))) {
        // Amari ~ Jamari, Aiden ~ Kaiden, Jason ~ Kason, Mason ~ Kason: a person checks the document
        // (a consonant typed before Emily, or Jason's J on its neighbour, has the same shape).
        return Some(Reason::ShortNameOneLetterApart);
    }
    let swapped_front = ab.len() > 1 && bb.len() > 1 && ab[0] == bb[1] && ab[1] == bb[0];
    if distance == 2 && !swapped_front && !neighbours {
        return distinct;
    }
    None
}

/// Consonants parents put before a name that starts with a vowel to name its twin (Amari ~ Jamari, Aiden ~
/// Kaiden, Evan ~ Devan, Aliyah ~ Maliyah), and that start both of two modern names a neighbouring key apart
/// (Jason ~ Kason, Mason ~ Kason). Not `r`, `h`: no twin pair of the hold-outs needs them, and typos do
/// (Ethan ~ Rethan, Jason ~ Hason: attacker 21:13).
const FRONT_ONSETS: &[u8] = b"bdjklmnt";

/// Whether `long` is one of [`FRONT_ONSETS`] before `short`, a name that starts with a vowel: a listed name
/// (Aiden, Evan, Amir), or one of four to six letters ending as names given since 2000 do and typos rarely
/// leave (Amari, Alani, Aliyah: `-i`, `-ah`). A first letter dropped leaves no such name (Aniel, Ichael; and
/// `-a`, `-en`, `-on` were typos' as often as names': Jenna ~ Enna, Lauren ~ Auren, Mason ~ Ason).
fn front_added(short: &str, long: &str) -> bool {
    let (s, l) = (short.as_bytes(), long.as_bytes());
    let shaped = (4..=6).contains(&s.len()) && ["i", "ah"].iter().any(|e| short.ends_with(e));
    l.len() == s.len() + 1
        && l[1..] == *s
        && FRONT_ONSETS.contains(&l[0])
        && s.first().is_some_and(|c| b"aeiou".contains(c))
        && (shaped || (s.len() >= 3 && is_real_given_name(short)))
}

/// Whether two names of five or six letters, a first consonant of [`FRONT_ONSETS`] apart (onto its
/// neighbouring key, the rest the same), end as names given since 2000 do (Jason ~ Kason, Jaylen ~ Kaylen, Mason ~ Kason;
/// `-a` is left out: Maria ~ Naria is a slip, and TUNING's neighbouring first keys end so most).
fn modern_front(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && (5..=6).contains(&a.len())
        && a[1..] == b[1..]
        && FRONT_ONSETS.contains(&a[0])
        && FRONT_ONSETS.contains(&b[0])
        && [&b"er"[..], b"en", b"on", b"ah", b"ley", b"lyn"].iter().any(|e| a.ends_with(e))
}

/// First letters that are one another's misreading or one sound spelled two ways: OCR's `i` ~ `l`;
/// Kathryn ~ Cathryn, Jillian ~ Gillian, Yolanda ~ Jolanda, Viktor ~ Wiktor.
const ONE_SOUND: [(char, char); 5] = [('i', 'l'), ('c', 'k'), ('g', 'j'), ('y', 'j'), ('v', 'w')];

/// Whether two different fronts of a rhyme (the first consonants) differ by more than one letter added
/// before the rest (Gunter ~ Hgunter, Omar ~ Pomar: a slip of the finger).
fn front_not_a_slip(fa: &str, fb: &str) -> bool {
    if fa == fb {
        return false;
    }
    let (short, long) = if fa.len() <= fb.len() { (fa, fb) } else { (fb, fa) };
    !(long.len() == short.len() + 1 && (long.ends_with(short) || long.starts_with(short)))
}

fn vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The letters after a name's first consonants (`y` counts as a vowel): `ayden` in Brayden.
fn rhyme(name: &str) -> &str {
    name.trim_start_matches(|c: char| !vowel(c))
}

/// Whether `name` is a real given name whose rhyme at least one other real given name shares (Jayden,
/// Hayden), or is off the list with a rhyme two real given names share (Brayden: Jayden, Hayden).
fn listed_rhyme(name: &str) -> bool {
    let ending = rhyme(name);
    if ending.len() < MIN_RHYME_CHARS {
        return false;
    }
    // `name` itself counts among them when it is listed (its rhyme is `ending`).
    let listed = is_real_given_name(name);
    let others = listed_with_rhyme(ending).saturating_sub(usize::from(listed));
    others >= if listed { 1 } else { 2 }
}

/// How many real given names have `ending` as their [`rhyme`], read from every listed name's rhyme sorted
/// once (a scan of the list per pair cost a third of a loaded `decide` on noisy pairs, where a
/// neighbouring first letter is a common slip).
fn listed_with_rhyme(ending: &str) -> usize {
    static RHYMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    let rhymes = RHYMES.get_or_init(|| {
        let mut all: Vec<&'static str> = real_given_names().map(rhyme).collect();
        crate::sort::sort(&mut all);
        all
    });
    rhymes.partition_point(|r| *r <= ending) - rhymes.partition_point(|r| *r < ending)
}

#[cfg(test)]
mod tests {
    use super::rhyming_given_names;
    use crate::claims::report::Reason;

    #[test]
    fn front_changes_twins_are_given_but_slips_are_not() {
        let both = |a: &str, b: &str, d: usize| {
            let r = rhyming_given_names(a, b, d);
            assert_eq!(r, rhyming_given_names(b, a, d), "{a} ~ {b} both ways");
            r
        };
        // Twins: refused — a neighbouring first letter in a family of listed rhymes, two edits with a
        // non-neighbouring first letter, a last consonant off its neighbouring key.
        for (a, b, d) in [
            ("jayden", "kayden", 1),
            ("brayden", "grayden", 1),
            ("harper", "parker", 2),
            ("addison", "madison", 2),
            ("jayden", "brayden", 2),
            ("lennon", "lennox", 1),
        ] {
            assert_eq!(both(a, b, d), Some(Reason::DistinctGivenNames), "{a} ~ {b}");
        }
        // A first letter off its neighbouring key: twins (Riley ~ Kiley) or a capital misread (Gatherine ~
        // Catherine): a person checks.
        for (a, b) in
            [("riley", "kiley"), ("ellie", "allie"), ("kyler", "tyler"), ("gatherine", "catherine"), ("fmily", "emily")]
        {
            assert_eq!(both(a, b, 1), Some(Reason::ShortNameOneLetterApart), "{a} ~ {b}");
        }
        // Slips: a neighbouring key (n ~ m, a ~ s), a swap of the first letters, an OCR i ~ l, a short
        // name, a letter dropped at the front, another script, a change away from the front, one sound
        // spelled two ways at the front.
        for (a, b, d) in [
            ("naria", "maria", 1),
            ("sofia", "aofia", 1),
            ("federica", "efderica", 2),
            ("ingrid", "lngrid", 1),
            ("mila", "lila", 1),
            ("omar", "pomar", 1),
            ("ольга", "вльга", 1),
            ("jayden", "jaydem", 1),
            ("mehmet", "nehmet", 1),
            ("gunter", "hgunter", 1),
            ("jayden", "jaydeb", 1),
            ("kathryn", "cathryn", 1),
            ("jillian", "gillian", 1),
            ("yolanda", "jolanda", 1),
            ("viktor", "wiktor", 1),
        ] {
            assert_eq!(both(a, b, d), None, "{a} ~ {b}");
        }
    }

    /// A consonant before a vowel-initial name, and a neighbouring first key in a modern name: a person
    /// checks. Typos of those shapes that leave no name-shaped string stay typos (lockouts: a first letter
    /// dropped from a name, a consonant outside the onsets, a long name, an `-a` ending, a vowel at the front).
    #[test]
    fn front_added_and_modern_neighbour_front_go_to_a_person() {
        let both = |a: &str, b: &str| {
            let r = rhyming_given_names(a, b, 1);
            assert_eq!(r, rhyming_given_names(b, a, 1), "{a} ~ {b} both ways");
            r
        };
        for (a, b) in [
            ("amari", "jamari"),
            ("aiden", "kaiden"),
            ("evan", "devan"),
            ("aliyah", "maliyah"),
            ("ian", "kian"),
            ("jason", "kason"),
            ("jaylen", "kaylen"),
            ("kason", "mason"),
        ] {
            assert_eq!(both(a, b), Some(Reason::ShortNameOneLetterApart), "{a} ~ {b}");
        }
        for (a, b) in [
            ("daniel", "aniel"),
            ("michael", "ichael"),
            ("jonathan", "onathan"),
            ("samuel", "amuel"),
            ("omar", "pomar"),
            ("olga", "polga"),
            ("ingrid", "lingrid"),
            ("maria", "naria"),
            ("sofia", "dofia"),
            ("jennifer", "hennifer"),
            ("heather", "jeather"),
            ("jennifer", "mennifer"),
            ("sooah", "aooah"),
            ("jason", "hason"),
            ("ethan", "rethan"),
            ("jaxon", "axon"),
            ("jenna", "enna"),
            ("lauren", "auren"),
            ("colton", "xolton"),
        ] {
            assert_eq!(both(a, b), None, "{a} ~ {b}");
        }
    }
}
