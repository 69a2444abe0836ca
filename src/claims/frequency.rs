//! Directory-aware weights: how often a given name, family name or birthdate occurs in the synced
//! directory, and the Fellegi–Sunter frequency adjustment of an agreement weight.
//!
//! The built-in weight of an agreeing claim is log2(m/u) with u the chance that two different people
//! agree on the claim, averaged over all values. Agreement on one value `v` has its own u: the
//! chance that another person holds `v`, about `c(v)/N` for a value held `c(v)` times among `N`. The
//! average is `Σc²/N²`, so the adjustment is `log2(Σc² / (N·c(v)))`: positive for a rare value,
//! negative for "Smith". It is bounded ([`UP_CAP`], [`DOWN_CAP`]) and applied only to agreement on
//! the value itself (levels `exact` and `folded`); a hard guard is a flag, never a weight, so no
//! adjustment can cross one.
//!
//! Size: only values held at least twice are stored (a value absent from the table counts once),
//! as 32-bit hashes of the matcher's folded key, at most [`MAX_ENTRIES`] per claim (the most
//! frequent). Encoded ([`FrequencyTable::to_bytes`]): per claim, `N`, `Σc²`, the entry count, then
//! the hashes ascending as gaps and their counts, all LEB128 varints.

use std::collections::HashMap;

use super::compare::{read_directory_date, PreparedName};
use super::kinds::ClaimKind;
use super::weights::Level;
use crate::date::Date;
use crate::error::{Error, Result};

/// Most entries kept per claim (the most frequent values).
pub const MAX_ENTRIES: usize = 1 << 16;
/// Fewest values a claim must have been counted on before its frequencies adjust a weight (a small
/// directory says little about how common a name is).
pub const MIN_VALUES: u64 = 100;
/// The most an adjustment adds to a weight (bits): a rare value weighs at most this much more.
pub const UP_CAP: f64 = 0.5;
/// The most an adjustment takes from a weight (bits): a common value weighs at most this much less.
pub const DOWN_CAP: f64 = 2.0;

/// The claims a table counts, in stored order.
const KINDS: [ClaimKind; 3] = [ClaimKind::GivenName, ClaimKind::FamilyName, ClaimKind::Birthdate];

/// One claim's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Counts {
    /// Values counted (users holding a readable value).
    total: u64,
    /// Σ c² over every distinct value, singletons included.
    sum_sq: u64,
    /// Hashes of the values held at least twice, ascending.
    keys: Vec<u32>,
    /// Their counts, in the order of `keys`.
    counts: Vec<u32>,
}

impl Counts {
    fn count_of(&self, key: u32) -> u64 {
        self.keys.binary_search(&key).ok().and_then(|i| self.counts.get(i)).map_or(1, |c| u64::from(*c))
    }

    /// The adjustment (bits) for a value with hash `key`.
    fn adjustment(&self, key: u32) -> f64 {
        if self.total < MIN_VALUES || self.sum_sq == 0 {
            return 0.0;
        }
        let c = self.count_of(key).max(1) as f64;
        let bits = (self.sum_sq as f64 / (self.total as f64 * c)).log2();
        (bits.clamp(-DOWN_CAP, UP_CAP) * 100.0).round() / 100.0
    }
}

/// Name and birthdate frequencies of a directory (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrequencyTable {
    by_kind: [Counts; 3],
}

impl FrequencyTable {
    /// Whether the table adjusts nothing (no claim counted on enough values).
    pub fn is_empty(&self) -> bool {
        self.by_kind.iter().all(|c| c.total < MIN_VALUES)
    }

    /// The adjustments (bits) of a record's given name, family name and birthdate, each applied when
    /// that claim agrees on the value (see [`applies`]).
    pub(crate) fn adjustments(
        &self,
        given: Option<&PreparedName>,
        family: Option<&PreparedName>,
        birthdate: Option<Date>,
    ) -> Adjustments {
        let [g, f, b] = &self.by_kind;
        let bits = |counts: &Counts, key: Option<u32>| key.map_or(0.0, |k| counts.adjustment(k));
        Adjustments([
            bits(g, given.and_then(PreparedName::frequency_key)),
            bits(f, family.and_then(PreparedName::frequency_key)),
            bits(b, birthdate.map(date_key)),
        ])
    }

    /// The encoded table (layout in the module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.by_kind.iter().map(|c| c.keys.len() * 5).sum::<usize>());
        for c in &self.by_kind {
            put_varint(&mut out, c.total);
            put_varint(&mut out, c.sum_sq);
            put_varint(&mut out, c.keys.len() as u64);
            let mut prev = 0u32;
            for (k, n) in c.keys.iter().zip(&c.counts) {
                put_varint(&mut out, u64::from(k - prev));
                put_varint(&mut out, u64::from(*n));
                prev = *k;
            }
        }
        out
    }

    /// Reads [`FrequencyTable::to_bytes`]; anything else is `SNAPSHOT_CORRUPT`.
    pub fn from_bytes(bytes: &[u8]) -> Result<FrequencyTable> {
        let mut r = Cursor { buf: bytes, pos: 0 };
        let mut table = FrequencyTable::default();
        for c in &mut table.by_kind {
            c.total = r.varint()?;
            c.sum_sq = r.varint()?;
            let n = usize::try_from(r.varint()?).map_err(|_| bad("frequency count out of range"))?;
            // Each entry takes two bytes at least: a count beyond that is refused before allocating.
            if n > MAX_ENTRIES || n.saturating_mul(2) > bytes.len().saturating_sub(r.pos) {
                return Err(bad("frequency entries exceed the input"));
            }
            c.keys.reserve_exact(n);
            c.counts.reserve_exact(n);
            let mut prev: Option<u32> = None;
            for _ in 0..n {
                let gap = u32::try_from(r.varint()?).map_err(|_| bad("frequency key out of range"))?;
                let key = match prev {
                    None => gap,
                    Some(p) if gap > 0 => p.checked_add(gap).ok_or(bad("frequency key out of range"))?,
                    Some(_) => return Err(bad("frequency keys not ascending")),
                };
                let count = u32::try_from(r.varint()?).map_err(|_| bad("frequency count out of range"))?;
                if count < 2 || u64::from(count) > c.total {
                    return Err(bad("frequency count out of range"));
                }
                c.keys.push(key);
                c.counts.push(count);
                prev = Some(key);
            }
        }
        if r.pos != bytes.len() {
            return Err(bad("trailing bytes after the frequency table"));
        }
        Ok(table)
    }
}

/// A record's frequency adjustments (bits) for given name, family name and birthdate, read once when
/// the record is prepared (all zero without a table).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Adjustments(pub(crate) [f64; 3]);

impl Adjustments {
    /// The adjustment of a claim at a level: nonzero only for a counted claim agreeing on the value.
    #[inline]
    pub(crate) fn of(&self, kind: ClaimKind, level: Level) -> f64 {
        let slot = match kind {
            ClaimKind::GivenName => 0,
            ClaimKind::FamilyName => 1,
            ClaimKind::Birthdate => 2,
            _ => return 0.0,
        };
        if applies(level) {
            self.0[slot]
        } else {
            0.0
        }
    }
}

/// Whether a level is agreement on the value itself (the only levels a frequency adjusts; a typo, an
/// initial or a placeholder birthdate keep their built-in weights).
pub fn applies(level: Level) -> bool {
    matches!(level, Level::Exact | Level::Folded)
}

/// Counts a directory's values, then builds the table ([`FrequencyCounter::finish`]). Raw values are
/// counted first, so each distinct value is folded once.
#[derive(Debug, Default)]
pub struct FrequencyCounter<'a> {
    raw: [HashMap<&'a str, u32>; 3],
}

impl<'a> FrequencyCounter<'a> {
    /// Counts one user's given name, family name and birthdate (absent values are skipped).
    pub fn add(&mut self, given: Option<&'a str>, family: Option<&'a str>, birthdate: Option<&'a str>) {
        for (map, value) in self.raw.iter_mut().zip([given, family, birthdate]) {
            if let Some(v) = value {
                *map.entry(v).or_insert(0) += 1;
            }
        }
    }

    /// The table: raw values folded to the matcher's keys and merged; placeholders (`N/A`) and
    /// unreadable values are not counted.
    pub fn finish(self) -> FrequencyTable {
        let mut table = FrequencyTable::default();
        for ((kind, raw), counts) in KINDS.iter().zip(self.raw).zip(&mut table.by_kind) {
            let mut merged: HashMap<u32, u64> = HashMap::with_capacity(raw.len());
            for (value, n) in raw {
                if super::engine::is_placeholder(value) {
                    continue;
                }
                let key = match kind {
                    ClaimKind::Birthdate => read_directory_date(value).map(date_key),
                    _ => PreparedName::directory(value).frequency_key(),
                };
                if let Some(key) = key {
                    *merged.entry(key).or_insert(0) += u64::from(n);
                }
            }
            counts.total = merged.values().sum();
            counts.sum_sq = merged.values().map(|c| c.saturating_mul(*c)).fold(0u64, u64::saturating_add);
            let mut kept: Vec<(u32, u64)> = merged.into_iter().filter(|(_, c)| *c >= 2).collect();
            if kept.len() > MAX_ENTRIES {
                kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                kept.truncate(MAX_ENTRIES);
            }
            kept.sort_unstable_by_key(|(k, _)| *k);
            counts.keys = kept.iter().map(|(k, _)| *k).collect();
            counts.counts = kept.iter().map(|(_, c)| u32::try_from(*c).unwrap_or(u32::MAX)).collect();
        }
        table
    }
}

/// The key of a birthdate.
fn date_key(d: Date) -> u32 {
    (u32::from(d.year) << 9) | (u32::from(d.month) << 5) | u32::from(d.day)
}

/// FNV-1a (32-bit) over name parts separated by a space: the key of a folded name.
pub(crate) fn name_key<'s>(parts: impl Iterator<Item = &'s str>) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for (i, part) in parts.enumerate() {
        let sep: &[u8] = if i > 0 { b" " } else { b"" };
        for b in sep.iter().chain(part.as_bytes()) {
            hash ^= u32::from(*b);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    hash
}

fn bad(reason: &'static str) -> Error {
    Error::SnapshotCorrupt { reason }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A bounds-checked reader of varints.
struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn varint(&mut self) -> Result<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.buf.get(self.pos).ok_or(bad("truncated frequency table"))?;
            self.pos += 1;
            if shift == 63 && b > 1 {
                return Err(bad("varint overflows 64 bits"));
            }
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(bad("varint overflows 64 bits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory of `family` names with their counts, plus 500 distinct family names held once.
    fn table(family: &[(&'static str, usize)]) -> FrequencyTable {
        let singles: Vec<String> =
            (0..500).map(|i| format!("Single{}{}", char::from(b'a' + (i % 26) as u8), "x".repeat(i / 26))).collect();
        let mut counter = FrequencyCounter::default();
        for name in &singles {
            counter.add(Some("Alex"), Some(name), Some("1980-05-17"));
        }
        for (name, n) in family {
            for _ in 0..*n {
                counter.add(Some("Alex"), Some(name), Some("1980-05-17"));
            }
        }
        counter.finish()
    }

    #[test]
    fn rare_values_weigh_more_and_common_ones_less_within_the_caps() {
        let t = table(&[("Smith", 50), ("Okonkwo-Lindqvist", 1), ("Brown", 10)]);
        let adj = |name: &str| t.adjustments(None, Some(&PreparedName::directory(name)), None).0[1];
        assert_eq!(adj("Okonkwo-Lindqvist"), UP_CAP);
        assert_eq!(adj("Never Seen"), UP_CAP, "a value absent from the table counts once");
        assert_eq!(adj("SMITH"), -DOWN_CAP, "folded like the matcher");
        assert!(adj("Brown") < 0.0 && adj("Brown") > -DOWN_CAP, "{}", adj("Brown"));
        // Everyone has the same given name and birthdate: a value as common as the average one
        // keeps its built-in weight (the adjustment is relative to the directory's own average).
        let same = t.adjustments(Some(&PreparedName::directory("alex")), None, read_directory_date("1980-05-17"));
        assert_eq!(same, Adjustments([0.0, 0.0, 0.0]));
    }

    #[test]
    fn a_small_directory_adjusts_nothing() {
        let mut small = FrequencyCounter::default();
        for i in 0..99 {
            small.add(None, Some(if i < 60 { "Smith" } else { "Jones" }), None);
        }
        let t = small.finish();
        assert!(t.is_empty());
        assert_eq!(t.adjustments(None, Some(&PreparedName::directory("Smith")), None), Adjustments::default());
    }

    #[test]
    fn only_agreement_on_the_value_is_adjusted() {
        let adj = Adjustments([1.0, -2.0, 0.5]);
        assert_eq!(adj.of(ClaimKind::FamilyName, Level::Exact), -2.0);
        assert_eq!(adj.of(ClaimKind::FamilyName, Level::Folded), -2.0);
        for level in [Level::OneEdit, Level::TwoEdits, Level::Initial, Level::Placeholder, Level::Differs] {
            assert_eq!(adj.of(ClaimKind::FamilyName, level), 0.0, "{level:?}");
            assert_eq!(adj.of(ClaimKind::Birthdate, level), 0.0, "{level:?}");
        }
        assert_eq!(adj.of(ClaimKind::Address, Level::Exact), 0.0);
    }

    #[test]
    fn the_table_round_trips_and_bad_bytes_are_typed_errors() {
        let t = table(&[("Smith", 300), ("Jones", 2), ("Brown", 50), ("Lee", 1)]);
        let bytes = t.to_bytes();
        assert_eq!(FrequencyTable::from_bytes(&bytes).unwrap(), t);
        assert_eq!(
            FrequencyTable::from_bytes(&FrequencyTable::default().to_bytes()).unwrap(),
            FrequencyTable::default()
        );
        for cut in 0..bytes.len() {
            assert!(FrequencyTable::from_bytes(&bytes[..cut]).is_err(), "truncated at {cut}");
        }
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(matches!(FrequencyTable::from_bytes(&trailing), Err(Error::SnapshotCorrupt { .. })));
        // A huge entry count in a tiny input is refused, not allocated.
        assert!(FrequencyTable::from_bytes(&[5, 5, 0xFF, 0xFF, 0x03]).is_err());
    }
}
