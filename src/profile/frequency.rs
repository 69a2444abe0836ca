//! How often a given name, family name or birthdate occurs among a directory's users: the table a
//! snapshot carries (format version 2) and the matcher's directory-aware weights read
//! (`claims::frequency`).
//!
//! Values are counted under the matcher's folded key: a name's parts as the name comparator folds
//! them (copy-paste invisibles removed, affixes set aside, first folded variant of each part), a
//! birthdate as the date it reads as. Only values held at least twice are stored (a value absent
//! from the table counts once), as 32-bit hashes of the key, at most [`MAX_ENTRIES`] per claim (the
//! most frequent). Encoded ([`FrequencyTable::to_bytes`]): per claim (given name, family name,
//! birthdate), `N` (values counted), `Σc²`, the entry count, then the hashes ascending as gaps and
//! their counts, all LEB128 varints.

use std::collections::HashMap;

use crate::date::{parse_date, Date, DateOrder};
use crate::error::{Error, Result};
use crate::text::{fold_variants, strip_affixes, tokens, without_copy_paste_invisibles};
use crate::varint::{put_varint, read_varint};

/// Most entries kept per claim (the most frequent values).
pub const MAX_ENTRIES: usize = 1 << 16;
/// Fewest values a claim must have been counted on before its frequencies say anything (a small
/// directory says little about how common a name is).
pub const MIN_VALUES: u64 = 100;

/// Position of the given name's counts.
pub const GIVEN: usize = 0;
/// Position of the family name's counts.
pub const FAMILY: usize = 1;
/// Position of the birthdate's counts.
pub const BIRTHDATE: usize = 2;

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
}

/// Name and birthdate frequencies of a directory (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrequencyTable {
    by_kind: [Counts; 3],
}

impl FrequencyTable {
    /// Whether the table says nothing (no claim counted on [`MIN_VALUES`] values or more).
    pub fn is_empty(&self) -> bool {
        self.by_kind.iter().all(|c| c.total < MIN_VALUES)
    }

    /// log2(Σc² / (N·c(v))) for the value with key `key` of claim `field` ([`GIVEN`], [`FAMILY`],
    /// [`BIRTHDATE`]): how much rarer than the directory's average value it is, in bits (negative:
    /// more common). `None` when that claim was counted on fewer than [`MIN_VALUES`] values.
    pub fn rarity_bits(&self, field: usize, key: u32) -> Option<f64> {
        let c = self.by_kind.get(field)?;
        if c.total < MIN_VALUES || c.sum_sq == 0 {
            return None;
        }
        Some((c.sum_sq as f64 / (c.total as f64 * c.count_of(key).max(1) as f64)).log2())
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

    /// The table: raw values folded to the matcher's keys and merged; unreadable values are not
    /// counted.
    pub fn finish(self) -> FrequencyTable {
        let mut table = FrequencyTable::default();
        for (merged, counts) in self.merged().into_iter().zip(&mut table.by_kind) {
            *counts = counts_of(merged.into_iter());
        }
        table
    }

    /// The exact counts per folded key (singletons included), for a part of a directory whose table is
    /// merged with the other parts' ([`FrequencyCounts`]).
    pub fn counts(self) -> FrequencyCounts {
        let mut out = FrequencyCounts::default();
        for (merged, list) in self.merged().into_iter().zip(&mut out.by_kind) {
            *list = merged.into_iter().collect();
            crate::sort::sort_by_key(list, |(k, _)| *k);
        }
        out
    }

    /// Raw values folded to the matcher's keys, counts summed per key; unreadable values dropped.
    fn merged(self) -> [HashMap<u32, u64>; 3] {
        let mut out: [HashMap<u32, u64>; 3] = Default::default();
        for (field, (raw, merged)) in self.raw.into_iter().zip(&mut out).enumerate() {
            merged.reserve(raw.len());
            for (value, n) in raw {
                let key = if field == BIRTHDATE { birthdate_key(value) } else { name_key(value) };
                if let Some(key) = key {
                    *merged.entry(key).or_insert(0) += u64::from(n);
                }
            }
        }
        out
    }
}

/// One claim's table entry from its exact counts per key: N, Σc², the values held at least twice (at
/// most [`MAX_ENTRIES`], the most frequent).
fn counts_of(merged: impl Iterator<Item = (u32, u64)>) -> Counts {
    let mut counts = Counts::default();
    let mut kept: Vec<(u32, u64)> = Vec::new();
    for (k, c) in merged {
        counts.total = counts.total.saturating_add(c);
        counts.sum_sq = counts.sum_sq.saturating_add(c.saturating_mul(c));
        if c >= 2 {
            kept.push((k, c));
        }
    }
    if kept.len() > MAX_ENTRIES {
        crate::sort::sort_by(&mut kept, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)).is_lt());
        kept.truncate(MAX_ENTRIES);
    }
    crate::sort::sort_by_key(&mut kept, |(k, _)| *k);
    counts.keys = kept.iter().map(|(k, _)| *k).collect();
    counts.counts = kept.iter().map(|(_, c)| u32::try_from(*c).unwrap_or(u32::MAX)).collect();
    counts
}

/// Exact counts per folded key of each claim, singletons included: the frequencies of a part of a
/// directory (a Worker's ranged publish counts each range's users). Parts of disjoint users merge by
/// summing ([`FrequencyCounts::merge`]), and [`FrequencyCounts::table`] of the merged counts is the table
/// [`FrequencyCounter::finish`] builds for all those users at once. Encoded ([`FrequencyCounts::to_bytes`]):
/// per claim, the entry count, then the keys ascending as gaps and their counts, LEB128 varints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrequencyCounts {
    /// Per claim, (key, count) ascending by key, counts ≥ 1.
    by_kind: [Vec<(u32, u64)>; 3],
}

impl FrequencyCounts {
    /// The sum of two parts' counts (memory: the two inputs and the result; no hashing).
    pub fn merge(&self, other: &FrequencyCounts) -> FrequencyCounts {
        let mut out = FrequencyCounts::default();
        for ((a, b), list) in self.by_kind.iter().zip(&other.by_kind).zip(&mut out.by_kind) {
            list.reserve(a.len().max(b.len()));
            let (mut i, mut j) = (0, 0);
            while i < a.len() || j < b.len() {
                match (a.get(i), b.get(j)) {
                    (Some(x), Some(y)) if x.0 == y.0 => {
                        list.push((x.0, x.1.saturating_add(y.1)));
                        i += 1;
                        j += 1;
                    }
                    (Some(x), Some(y)) if x.0 < y.0 => {
                        list.push(*x);
                        i += 1;
                    }
                    (Some(_), Some(y)) | (None, Some(y)) => {
                        list.push(*y);
                        j += 1;
                    }
                    (Some(x), None) => {
                        list.push(*x);
                        i += 1;
                    }
                    (None, None) => break,
                }
            }
        }
        out
    }

    /// The frequency table of the users counted.
    pub fn table(&self) -> FrequencyTable {
        let mut table = FrequencyTable::default();
        for (list, counts) in self.by_kind.iter().zip(&mut table.by_kind) {
            *counts = counts_of(list.iter().copied());
        }
        table
    }

    /// The encoded counts (layout in the type's documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(3 + self.by_kind.iter().map(|l| l.len() * 4).sum::<usize>());
        for list in &self.by_kind {
            put_varint(&mut out, list.len() as u64);
            let mut prev = 0u32;
            for (k, n) in list {
                put_varint(&mut out, u64::from(k - prev));
                put_varint(&mut out, *n);
                prev = *k;
            }
        }
        out
    }

    /// Reads [`FrequencyCounts::to_bytes`]; anything else is `SNAPSHOT_CORRUPT`.
    pub fn from_bytes(bytes: &[u8]) -> Result<FrequencyCounts> {
        let mut r = Cursor { buf: bytes, pos: 0 };
        let mut out = FrequencyCounts::default();
        for list in &mut out.by_kind {
            let n = usize::try_from(r.varint()?).map_err(|_| bad("frequency count out of range"))?;
            if n.saturating_mul(2) > bytes.len().saturating_sub(r.pos) {
                return Err(bad("frequency entries exceed the input"));
            }
            list.reserve_exact(n);
            let mut prev: Option<u32> = None;
            for _ in 0..n {
                let gap = u32::try_from(r.varint()?).map_err(|_| bad("frequency key out of range"))?;
                let key = match prev {
                    None => gap,
                    Some(p) if gap > 0 => p.checked_add(gap).ok_or(bad("frequency key out of range"))?,
                    Some(_) => return Err(bad("frequency keys not ascending")),
                };
                let count = r.varint()?;
                if count == 0 {
                    return Err(bad("frequency count out of range"));
                }
                list.push((key, count));
                prev = Some(key);
            }
        }
        if r.pos != bytes.len() {
            return Err(bad("trailing bytes after the frequency counts"));
        }
        Ok(out)
    }
}

/// The key of a directory birthdate (read year first, as the matcher reads it), if it reads as a date.
pub fn birthdate_key(raw: &str) -> Option<u32> {
    parse_date(raw.trim(), DateOrder::Ymd).ok().map(date_key)
}

/// The key of a date.
pub fn date_key(d: Date) -> u32 {
    (u32::from(d.year) << 9) | (u32::from(d.month) << 5) | u32::from(d.day)
}

/// The key of a directory name: its parts folded as the name comparator folds them (copy-paste
/// invisibles removed, affixes set aside, each part's first folded variant); `None` when no part is left.
pub fn name_key(raw: &str) -> Option<u32> {
    let cleaned = without_copy_paste_invisibles(raw);
    let toks = tokens(cleaned.as_deref().unwrap_or(raw));
    let parts = strip_affixes(&toks);
    let folded: Vec<String> =
        parts.core.iter().filter_map(|t| fold_variants(t.text).into_iter().next()).filter(|k| !k.is_empty()).collect();
    (!folded.is_empty()).then(|| hash_parts(folded.iter().map(String::as_str)))
}

/// FNV-1a (32-bit) over folded name parts separated by a space: the key of a folded name.
pub fn hash_parts<'s>(parts: impl Iterator<Item = &'s str>) -> u32 {
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

/// A reader of the varints at `pos` of `buf`.
struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn varint(&mut self) -> Result<u64> {
        read_varint(self.buf, &mut self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_from_outside_bytes_never_overflow_the_table() {
        // Counts come from bytes a caller passes (`frequencyTableOfCounts`): huge ones saturate, no panic.
        let huge = FrequencyCounts { by_kind: [vec![(1, u64::MAX), (2, u64::MAX)], vec![], vec![]] };
        let read = FrequencyCounts::from_bytes(&huge.to_bytes()).unwrap();
        let table = read.table();
        assert_eq!(table, read.merge(&FrequencyCounts::default()).table());
    }

    #[test]
    fn the_table_round_trips_and_bad_bytes_are_typed_errors() {
        let mut counter = FrequencyCounter::default();
        for i in 0..300 {
            let family = if i % 3 == 0 { "Smith".to_string() } else { format!("Name{i}") };
            counter.add(Some("Alex"), Some(&*Box::leak(family.into_boxed_str())), Some("1980-05-17"));
        }
        let t = counter.finish();
        assert!(!t.is_empty());
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

    #[test]
    fn keys_fold_like_the_matcher_and_unreadable_values_have_none() {
        assert_eq!(name_key("SMITH"), name_key("Smith"));
        assert_eq!(name_key("Müller"), name_key("MULLER"));
        assert_eq!(name_key("Smi\u{200B}th"), name_key("Smith"));
        assert_ne!(name_key("Smith"), name_key("Smyth"));
        assert_eq!(name_key("..."), None);
        assert_eq!(birthdate_key("1980-05-17"), birthdate_key(" 1980-05-17 "));
        assert_eq!(birthdate_key("N/A"), None);
    }

    #[test]
    fn merged_counts_of_parts_build_the_whole_table() {
        let people: Vec<(String, String, String)> = (0..400)
            .map(|i| {
                let given = ["Alex", "ALEX", "Maria", "José"][i % 4].to_string();
                let family = if i % 5 == 0 { "Smith".to_string() } else { format!("Name{}", i % 170) };
                (given, family, format!("19{:02}-0{}-1{}", 50 + i % 40, 1 + i % 9, i % 10))
            })
            .collect();
        fn count(part: &[(String, String, String)]) -> FrequencyCounter<'_> {
            let mut c = FrequencyCounter::default();
            for (g, f, b) in part {
                c.add(Some(g), Some(f), Some(b));
            }
            c
        }
        let whole = count(&people).finish();
        let parts = [&people[..1], &people[1..150], &people[150..]];
        let merged = parts.iter().map(|p| count(p).counts()).fold(FrequencyCounts::default(), |a, b| a.merge(&b));
        assert_eq!(merged.table(), whole);
        assert_eq!(merged.table().to_bytes(), whole.to_bytes());
        let bytes = merged.to_bytes();
        assert_eq!(FrequencyCounts::from_bytes(&bytes).unwrap(), merged);
        for cut in 0..bytes.len() {
            assert!(FrequencyCounts::from_bytes(&bytes[..cut]).is_err(), "truncated at {cut}");
        }
        assert!(FrequencyCounts::from_bytes(&[1, 5, 0, 0, 0]).is_err(), "a zero count");
    }
}
