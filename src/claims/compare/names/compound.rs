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

/// Most parts a given name may have for these rules (one bit each); a longer value is no person's
/// given name: never initialled, always contradicting.
const MAX_PARTS: usize = 64;

/// Two given names of two parts or more whose first parts meet (neither an initial), every later part
/// of the one with fewer parts meeting or abbreviating (or abbreviated by) a distinct later part of the
/// other, at least one through an initial of a part of three letters or more: JOHN ALLEN ~ John A.,
/// MARIA J ~ María José Luisa.
pub(super) fn later_part_initialled(v: &ParsedName, d: &ParsedName) -> bool {
    let (v, d) = (&v.tokens, &d.tokens);
    if v.len() < 2 || d.len() < 2 || v.len() > MAX_PARTS || d.len() > MAX_PARTS {
        return false;
    }
    if v[0].initial || d[0].initial || !v[0].meets(&d[0]) {
        return false;
    }
    let (few, many) = if v.len() <= d.len() { (v, d) } else { (d, v) };
    let (mut used, mut initialled) = (1u64, false);
    for w in &few[1..] {
        let fits = |i: &usize| used >> i & 1 == 0 && (w.meets(&many[*i]) || initial_of_a_name(w, &many[*i]));
        let Some(i) = (1..many.len()).find(fits) else { return false };
        used |= 1 << i;
        initialled |= !w.meets(&many[i]);
    }
    initialled
}

/// Whether a given name matched as a subset (or through [`later_part_initialled`]) hides a second given
/// name that contradicts the other side's middle name: the verified given name's parts left aside (with
/// its own middle name) against the directory's middle name, and the directory given name's parts left
/// aside (with its middle name) against the verified middle name. They agree when every name part of
/// one (particles aside) meets, is an initial of, or is abbreviated by a part of the other; a missing
/// middle name, or parts left aside that are only particles, contradict nothing.
pub(crate) fn second_given_name_contradicts(
    verified_given: &PreparedName,
    directory_given: &PreparedName,
    verified_middle: Option<&PreparedName>,
    directory_middle: Option<&PreparedName>,
) -> bool {
    let (v, d) = (&verified_given.parsed.tokens, &directory_given.parsed.tokens);
    if v.len() > MAX_PARTS || d.len() > MAX_PARTS {
        return true;
    }
    // The parts meeting no distinct part of the other (first come, first served): MARIA JOSE ~ Maria
    // leaves JOSE aside; JOHN ALLEN ~ John A. leaves ALLEN and A aside.
    let (mut aside_v, mut used_d) = (0u64, 0u64);
    for (j, w) in v.iter().enumerate() {
        match (0..d.len()).find(|i| used_d >> i & 1 == 0 && w.meets(&d[*i])) {
            Some(i) => used_d |= 1 << i,
            None => aside_v |= 1 << j,
        }
    }
    let (vm, dm) = (verified_middle.map(|m| &m.parsed.tokens[..]), directory_middle.map(|m| &m.parsed.tokens[..]));
    clash(Rest { given: v, aside: aside_v, middle: vm.unwrap_or_default() }, dm)
        || clash(Rest { given: d, aside: !used_d, middle: dm.unwrap_or_default() }, vm)
}

/// One side's parts beyond the shared ones: its given name's parts left aside (by bit), then its
/// middle name.
struct Rest<'a> {
    given: &'a [NameToken],
    aside: u64,
    middle: &'a [NameToken],
}

impl Rest<'_> {
    /// Whether a part left aside that is no particle passes `f`.
    fn any_aside(&self, f: &dyn Fn(&NameToken) -> bool) -> bool {
        self.given.iter().enumerate().any(|(i, t)| self.aside >> i & 1 == 1 && !t.is_particle() && f(t))
    }

    /// Whether a part (left aside, or of the middle name) that is no particle passes `f`.
    fn any(&self, f: &dyn Fn(&NameToken) -> bool) -> bool {
        self.any_aside(f) || self.middle.iter().any(|t| !t.is_particle() && f(t))
    }
}

/// Whether the parts left aside contradict the other side's middle name (see
/// [`second_given_name_contradicts`]).
fn clash(rest: Rest, other: Option<&[NameToken]>) -> bool {
    let Some(other) = other else { return false };
    if !rest.any_aside(&|_| true) {
        return false;
    }
    let fits = |a: &NameToken, b: &NameToken| a.meets(b) || a.abbreviates(b) || b.abbreviates(a);
    let other_covered = other.iter().all(|o| o.is_particle() || rest.any(&|t| fits(t, o)));
    let rest_covered = !rest.any(&|t| !other.iter().any(|o| !o.is_particle() && fits(t, o)));
    !(other_covered || rest_covered)
}

/// Fewest letters of a later part an initial stands for: a shorter one is a syllable (Soo-ah ~ Soo-a is
/// a typo, not a middle initial).
const MIN_INITIALLED_LETTERS: usize = 3;

/// One part is an initial of the other, which has [`MIN_INITIALLED_LETTERS`] letters or more.
fn initial_of_a_name(a: &NameToken, b: &NameToken) -> bool {
    let long_enough = |t: &NameToken| t.primary().chars().count() >= MIN_INITIALLED_LETTERS;
    (a.abbreviates(b) && long_enough(b)) || (b.abbreviates(a) && long_enough(a))
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
