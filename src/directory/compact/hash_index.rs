//! The compact directory's hash table: `(hash, user)` pairs, one probe region per bucket.

use crate::directory::snapshot::chunked::chunked;
use crate::directory::snapshot::corrupt;
use crate::error::Result;

pub(super) const EMPTY: u32 = u32::MAX;
pub(super) const SHARED: u32 = 1 << 31;

/// A hash table over `(hash, user)` pairs with one probe region per bucket (the top `bits` of the
/// hash; bucket `b` starts at slot `2b`). A slot is `(low 32 bits of the hash, value)`: the value
/// is one user, or (`SHARED` bit) a run in `shared` when several users hold the same value (a
/// `noreply@` email). Slots are filled in bucket order, so a lookup scans from `2b` to the next
/// empty slot (about 1.5 slots at this load) — usually one cache line.
#[derive(Debug, Clone, Default)]
pub(super) struct HashIndex {
    pub(super) bits: u32,
    /// `[fingerprint, value, record offset of a single user (u32::MAX when shared or too far)]`.
    pub(super) slots: Vec<[u32; 3]>,
    pub(super) shared_starts: Vec<u32>,
    pub(super) shared: Vec<u32>,
}

impl HashIndex {
    pub(super) fn build(pairs: &[(u64, u32)], records: &[usize]) -> Result<HashIndex> {
        let n =
            u32::try_from(pairs.len()).ok().filter(|n| *n < SHARED).ok_or_else(|| corrupt("too many index entries"))?;
        let bits = n.max(2).next_power_of_two().trailing_zeros().min(30);
        let buckets = 1usize << bits;
        let bucket = |h: u64| (h >> (64 - bits)) as usize;
        // Counting sort by bucket, then each bucket by (fingerprint, user). Every loop runs in chunks
        // (`chunked`): called once per index, one long loop would run unoptimized to its end.
        let mut starts = vec![0u32; buckets + 1];
        chunked(pairs.len(), |r| {
            for (h, _) in pairs.get(r).unwrap_or(&[]) {
                if let Some(c) = starts.get_mut(bucket(*h) + 1) {
                    *c += 1;
                }
            }
        });
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        // `(fingerprint, user, record offset)`: the offset is read here, while `pairs` go by in user
        // order (sequential reads of `records`), not per bucket (a cache miss per entry).
        let mut entries = vec![(0u32, 0u32, u32::MAX); pairs.len()];
        chunked(pairs.len(), |r| {
            for (h, user) in pairs.get(r).unwrap_or(&[]) {
                if let Some(at) = next.get_mut(bucket(*h)) {
                    if let Some(place) = entries.get_mut(*at as usize) {
                        let offset =
                            records.get(*user as usize).map_or(u32::MAX, |o| u32::try_from(*o).unwrap_or(u32::MAX));
                        *place = (*h as u32, *user, offset);
                    }
                    *at += 1;
                }
            }
        });
        drop(next);
        let mut index =
            HashIndex { bits, slots: vec![[0, EMPTY, 0]; 2 * buckets + 1], shared_starts: vec![0], shared: Vec::new() };
        let mut last: Option<usize> = None;
        chunked(buckets, |r| {
            for b in r {
                let (Some(&from), Some(&to)) = (starts.get(b), starts.get(b + 1)) else { continue };
                let Some(run) = entries.get_mut(from as usize..to as usize) else { continue };
                if run.len() > 1 {
                    crate::sort::sort(run);
                }
                for same in run.chunk_by(|x, y| x.0 == y.0) {
                    let Some(&(fp, first, first_offset)) = same.first() else { continue };
                    let single = same.iter().all(|e| e.1 == first);
                    let value = if single {
                        first
                    } else {
                        let g = u32::try_from(index.shared_starts.len() - 1).unwrap_or(0);
                        let mut users: Vec<u32> = same.iter().map(|e| e.1).collect();
                        users.dedup();
                        index.shared.extend(users);
                        index.shared_starts.push(index.shared.len() as u32);
                        SHARED | g
                    };
                    let at = last.map_or(2 * b, |l| (2 * b).max(l + 1));
                    if at >= index.slots.len() {
                        index.slots.resize(at + 2, [0, EMPTY, 0]);
                    }
                    let offset = if single { first_offset } else { u32::MAX };
                    if let Some(slot) = index.slots.get_mut(at) {
                        *slot = [fp, value, offset];
                    }
                    last = Some(at);
                }
            }
        });
        if index.slots.last().is_some_and(|s| s[1] != EMPTY) {
            index.slots.push([0, EMPTY, 0]);
        }
        index.slots.shrink_to_fit();
        Ok(index)
    }

    /// Calls `f(user, record offset or u32::MAX)` for every user whose entry matches this hash's
    /// bucket and fingerprint (a user can come more than once when two of its values share one).
    #[inline]
    pub(super) fn candidates(&self, h: u64, mut f: impl FnMut(u32, u32)) {
        let mut at = self.bucket_start(h);
        let fp = h as u32;
        while let Some(&[slot_fp, value, offset]) = self.slots.get(at) {
            if value == EMPTY {
                return;
            }
            if slot_fp == fp {
                if value & SHARED == 0 {
                    f(value, offset);
                } else {
                    let g = (value & !SHARED) as usize;
                    if let (Some(&a), Some(&z)) = (self.shared_starts.get(g), self.shared_starts.get(g + 1)) {
                        self.shared.get(a as usize..z as usize).unwrap_or(&[]).iter().for_each(|u| f(*u, u32::MAX));
                    }
                }
            }
            at += 1;
        }
    }

    /// The first slot of this hash's bucket.
    #[inline]
    fn bucket_start(&self, h: u64) -> usize {
        if self.bits == 0 {
            0
        } else {
            2 * (h >> (64 - self.bits)) as usize
        }
    }

    /// Whether no entry has this hash's bucket ([`HashIndex::candidates`] would call nobody): one
    /// read of the bucket's first slot, so a caller can start that cache miss early.
    #[inline]
    pub(super) fn bucket_is_empty(&self, h: u64) -> bool {
        self.slots.get(self.bucket_start(h)).is_none_or(|s| s[1] == EMPTY)
    }

    pub(super) fn bytes(&self) -> usize {
        self.slots.capacity() * 12 + (self.shared_starts.capacity() + self.shared.capacity()) * 4
    }
}
