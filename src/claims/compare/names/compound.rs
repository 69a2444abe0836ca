//! Compound given names split differently by a document and a directory. Whether the second part of a
//! compound given name (María José, Juan Carlos, Mary Ann, Jean-Paul) sits in the given-name field or
//! in the middle-name field differs between an ID and an HR system, and HR often keeps only the
//! middle initial in the first name (John A.). Two rules, both about the parts a given-name subset
//! leaves aside:
//! - **an initial stands for a later part** ([`later_part_initialled`]): JOHN ALLEN on the ID and
//!   firstName John A. are the same given names (as JOHN + middle ALLEN against John A. already were);
//!   another initial (JOHN PAUL ~ John L.) is not.
//! - **the parts left aside meet the other side's middle name** ([`second_given_name_contradicts`]):
//!   MARIA JOSE on the ID against Maria with middle name Luisa is María José's twin sister María Luisa,
//!   not a subset; the ID's extra part (or an initial of it) must agree with the record's middle name,
//!   and the record's extra part with the ID's middle name. A side without a middle name says nothing.
//!
//! docs/claims-decisions.md, "Compound given names".

use super::parse::{NameToken, ParsedName};
use super::PreparedName;

/// Two given names of two parts or more whose first parts meet (neither an initial), every later part
/// of the one with fewer parts meeting or abbreviating (or abbreviated by) a distinct later part of the
/// other, at least one through an initial of a part of three letters or more: JOHN ALLEN ~ John A.,
/// MARIA J ~ María José Luisa.
pub(super) fn later_part_initialled(v: &ParsedName, d: &ParsedName) -> bool {
    let (Some(first_v), Some(first_d)) = (v.tokens.first(), d.tokens.first()) else { return false };
    if v.tokens.len() < 2 || d.tokens.len() < 2 || first_v.initial || first_d.initial || !first_v.meets(first_d) {
        return false;
    }
    let (few, many) = if v.tokens.len() <= d.tokens.len() { (v, d) } else { (d, v) };
    let mut used = vec![false; many.tokens.len()];
    let mut initialled = false;
    let all_found = few.tokens[1..].iter().all(|w| {
        let hit = (1..many.tokens.len())
            .find(|i| !used[*i] && (w.meets(&many.tokens[*i]) || initial_of_a_name(w, &many.tokens[*i])));
        hit.map(|i| {
            used[i] = true;
            initialled |= !w.meets(&many.tokens[i]);
        })
        .is_some()
    });
    all_found && initialled
}

/// Whether a given name matched as a subset (or through [`later_part_initialled`]) hides a second given
/// name that contradicts the other side's middle name: the verified given name's parts left aside (with
/// its own middle name) against the directory's middle name, and the directory given name's parts left
/// aside (with its middle name) against the verified middle name. Parts agree when every name part of
/// the side with fewer (particles aside) meets, or is an initial of, a distinct part of the other; a
/// missing middle name, or parts left aside that are only particles, contradict nothing.
pub(crate) fn second_given_name_contradicts(
    verified_given: &PreparedName,
    directory_given: &PreparedName,
    verified_middle: Option<&PreparedName>,
    directory_middle: Option<&PreparedName>,
) -> bool {
    let (aside_v, aside_d) = left_aside(&verified_given.parsed, &directory_given.parsed);
    let clash = |aside: Vec<&NameToken>, own: Option<&PreparedName>, other: Option<&PreparedName>| {
        let Some(other) = other else { return false };
        if aside.iter().all(|t| t.is_particle()) {
            return false;
        }
        let mut rest = aside;
        rest.extend(own.iter().flat_map(|m| m.parsed.tokens.iter()));
        !agree(&rest, &other.parsed.tokens.iter().collect::<Vec<_>>())
    };
    clash(aside_v, verified_middle, directory_middle) || clash(aside_d, directory_middle, verified_middle)
}

/// The parts of each given name that meet no distinct part of the other (in order, first come first
/// served): MARIA JOSE ~ Maria leaves JOSE aside; JOHN ALLEN ~ John A. leaves ALLEN and A aside.
fn left_aside<'a>(v: &'a ParsedName, d: &'a ParsedName) -> (Vec<&'a NameToken>, Vec<&'a NameToken>) {
    let mut used = vec![false; d.tokens.len()];
    let mut aside_v = Vec::new();
    for w in &v.tokens {
        match d.tokens.iter().enumerate().find(|(i, t)| !used[*i] && w.meets(t)) {
            Some((i, _)) => used[i] = true,
            None => aside_v.push(w),
        }
    }
    let aside_d = d.tokens.iter().zip(&used).filter(|(_, u)| !**u).map(|(t, _)| t).collect();
    (aside_v, aside_d)
}

/// Every name part (particles aside) of the list with fewer meets, or is an initial of, or is
/// abbreviated by, a distinct part of the other; true when either has no name part.
fn agree(a: &[&NameToken], b: &[&NameToken]) -> bool {
    let (a, b) = (names(a), names(b));
    let (few, many) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut used = vec![false; many.len()];
    few.iter().all(|w| {
        let hit = (0..many.len()).find(|i| !used[*i] && (w.meets(many[*i]) || stands_for(w, many[*i])));
        hit.map(|i| used[i] = true).is_some()
    })
}

/// The name parts of a list, particles aside.
fn names<'a>(list: &[&'a NameToken]) -> Vec<&'a NameToken> {
    list.iter().copied().filter(|t| !t.is_particle()).collect()
}

/// Fewest letters of a later part an initial stands for: a shorter one is a syllable (Soo-ah ~ Soo-a is
/// a typo, not a middle initial).
const MIN_INITIALLED_LETTERS: usize = 3;

/// One part is an initial of the other, which has [`MIN_INITIALLED_LETTERS`] letters or more.
fn initial_of_a_name(a: &NameToken, b: &NameToken) -> bool {
    let long_enough = |t: &NameToken| t.primary().chars().count() >= MIN_INITIALLED_LETTERS;
    (a.abbreviates(b) && long_enough(b)) || (b.abbreviates(a) && long_enough(a))
}

/// One part is an initial of the other.
fn stands_for(a: &NameToken, b: &NameToken) -> bool {
    a.abbreviates(b) || b.abbreviates(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn initialled(a: &str, b: &str) -> bool {
        later_part_initialled(&ParsedName::parse(a).0, &ParsedName::parse(b).0)
    }

    fn contradicts(given_v: &str, given_d: &str, middle_v: Option<&str>, middle_d: Option<&str>) -> bool {
        let (mv, md) = (middle_v.map(PreparedName::new), middle_d.map(PreparedName::new));
        second_given_name_contradicts(
            &PreparedName::new(given_v),
            &PreparedName::new(given_d),
            mv.as_ref(),
            md.as_ref(),
        )
    }

    #[test]
    fn an_initial_stands_for_a_later_given_name_only_when_it_is_its_first_letter() {
        for (a, b) in [
            ("JOHN ALLEN", "John A."),
            ("JOHN ALLEN", "John A"),
            ("JOHN A", "John Allen"),
            ("MARIA J", "María José Luisa"),
        ] {
            assert!(initialled(a, b), "{a} ~ {b}");
        }
        for (a, b) in [
            ("SOO-AH", "Soo-a"),
            ("JOHN PAUL", "John L."),
            ("JUAN CARLOS", "Juan P"),
            ("JOHN ALLEN", "John Allen"),
            ("J ALLEN", "J. A."),
            ("PAUL ALLEN", "John A."),
            ("JOHN", "John A."),
            ("JOHN ALLEN", "John Paul"),
        ] {
            assert!(!initialled(a, b), "{a} ~ {b}");
        }
    }

    #[test]
    fn a_second_given_name_must_agree_with_the_other_sides_middle_name() {
        // María José's ID against María Luisa's record, either way round, and with an initial.
        assert!(contradicts("MARIA JOSE", "Maria", None, Some("Luisa")));
        assert!(contradicts("MARIA", "Maria Luisa", Some("JOSE"), None));
        assert!(contradicts("MARIA J.", "Maria", None, Some("Luisa")));
        assert!(contradicts("MARIA DEL CARMEN", "Maria", None, Some("del Pilar")));
        assert!(contradicts("JOHN ALLEN", "John A.", None, Some("Bob")));
        // One person: the same second name, its initial, more names on the ID, no middle name at all.
        assert!(!contradicts("MARIA JOSE", "Maria", None, Some("José")));
        assert!(!contradicts("MARIA L", "Maria", None, Some("Luisa")));
        assert!(!contradicts("MARIA DEL CARMEN", "Maria", None, Some("del Carmen")));
        assert!(!contradicts("MARY ANN", "Mary", Some("ELIZABETH"), Some("Elizabeth")));
        assert!(!contradicts("MARY", "Mary Ann", Some("ELIZABETH"), Some("Elizabeth")));
        assert!(!contradicts("MARIA JOSE", "Maria", None, None));
        assert!(!contradicts("JOHN ALLEN", "John A.", None, None));
        assert!(!contradicts("JOHN ALLEN", "John A.", None, Some("Allen")));
    }
}
