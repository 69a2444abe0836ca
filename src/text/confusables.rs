//! UTS #39 confusable skeletons from a compact table (`confusables_table.rs`, generated from the
//! unicode-security crate by `scripts/gen-confusables.py`): the same prototypes as the crate's
//! `skeleton`, stored as three compact columns (key deltas, lengths, characters) instead of 6,700
//! `(char, &[char])` records, which rustc lays out in about 2.5 times the bytes.
//! `tests/text_confusables.rs` checks every code point against the crate.

use std::sync::OnceLock;

use super::confusables_table::{KEY_DELTAS, LENGTHS, TARGETS};
use super::normal_forms::NormalForms;
use super::script_lookup::is_default_ignorable;

/// The table decoded once: sorted characters, and where each one's prototype lies in `chars`.
struct Prototypes {
    keys: Vec<char>,
    spans: Vec<(u32, u32)>,
    chars: Vec<char>,
}

fn prototypes() -> &'static Prototypes {
    static TABLE: OnceLock<Prototypes> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table =
            Prototypes { keys: Vec::with_capacity(LENGTHS.len()), spans: Vec::new(), chars: TARGETS.chars().collect() };
        let (mut key, mut delta, mut shift, mut start) = (0u32, 0u32, 0, 0u32);
        let mut lengths = LENGTHS.iter();
        for &byte in KEY_DELTAS {
            delta |= u32::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 != 0 {
                continue;
            }
            key += delta;
            (delta, shift) = (0, 0);
            let end = start + u32::from(lengths.next().copied().unwrap_or(0));
            // The generator writes valid scalar values only; a bad one would simply never be looked up.
            if let Some(c) = char::from_u32(key) {
                table.keys.push(c);
                table.spans.push((start, end));
            }
            start = end;
        }
        table
    })
}

/// The confusable prototype of `c`, or `None` when `c` is its own prototype.
fn prototype(c: char) -> Option<&'static [char]> {
    let table = prototypes();
    let i = table.keys.binary_search(&c).ok()?;
    let (start, end) = table.spans[i];
    Some(&table.chars[start as usize..end as usize])
}

/// The UTS #39 skeleton of `s` as characters: NFD, default-ignorable code points removed, every
/// character replaced by its prototype, NFD again.
pub(super) fn skeleton_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .nfd()
        .filter(|c| !is_default_ignorable(*c))
        .flat_map(|c| match prototype(c) {
            Some(p) => PrototypeChars::Many(p.iter()),
            None => PrototypeChars::One(Some(c)),
        })
        .nfd()
}

/// One character or a prototype's characters, without allocating.
enum PrototypeChars {
    One(Option<char>),
    Many(std::slice::Iter<'static, char>),
}

impl Iterator for PrototypeChars {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        match self {
            PrototypeChars::One(c) => c.take(),
            PrototypeChars::Many(it) => it.next().copied(),
        }
    }
}
