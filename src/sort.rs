//! Sorting written once for every element type.
//!
//! std's sorts are generic: each element type and comparison gets its own copy of driftsort or ipnsort
//! (3–4 KB of wasm each), and the claims-only module carried eleven of them (15 KB gzip,
//! docs/decisions/claims-only-size.md). Here the algorithm sees the slice only through positions —
//! "is the item at `i` less than the one at `j`", "swap `i` and `j`" — behind one `dyn` table, so the
//! merge sort below exists once and a call site costs two small closures.
//!
//! [`sort_by`] is stable, so it orders exactly as `slice::sort_by` does (a stable sort's result is
//! unique); for element types whose equal values are indistinguishable (`char`, `&str`, integers)
//! it also orders as `sort_unstable` does. Already sorted input costs `n - 1` comparisons and no
//! allocation, short input (≤ 20 items) is insertion-sorted in place, longer input is merge-sorted
//! by index (`O(n log n)` comparisons, two index vectors) and then moved into place by swaps.

use std::collections::BTreeMap;

/// A slice seen through positions: the one interface the shared algorithm calls.
trait Positions {
    /// How many items.
    fn len(&self) -> usize;
    /// Whether the item now at `i` orders strictly before the one now at `j`.
    fn less(&mut self, i: usize, j: usize) -> bool;
    /// Swaps the items at `i` and `j`.
    fn swap(&mut self, i: usize, j: usize);
}

/// A slice and its strict "less than".
struct Slice<'a, T, F> {
    items: &'a mut [T],
    less: F,
}

impl<T, F: FnMut(&T, &T) -> bool> Positions for Slice<'_, T, F> {
    fn len(&self) -> usize {
        self.items.len()
    }
    fn less(&mut self, i: usize, j: usize) -> bool {
        (self.less)(&self.items[i], &self.items[j])
    }
    fn swap(&mut self, i: usize, j: usize) {
        self.items.swap(i, j);
    }
}

/// Sorts `v` stably by the strict order `less` (`a` before `b` when `less(a, b)`); the order
/// `v.sort_by(|a, b| if less(a, b) { Less } else if less(b, a) { Greater } else { Equal })` gives.
pub fn sort_by<T>(v: &mut [T], less: impl FnMut(&T, &T) -> bool) {
    if v.len() > 1 {
        sort_positions(&mut Slice { items: v, less });
    }
}

/// Sorts `v` stably by `key` (what `v.sort_by_key(key)` does).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a) < key(b));
}

/// Sorts `v` ascending (what `v.sort()` does, and `v.sort_unstable()` for types whose equal values are
/// indistinguishable).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a < b);
}

/// The map of `pairs`, a repeated key keeping its last value (what `collect()` into a `BTreeMap`
/// gives for keys whose equal values are indistinguishable), built by insertion: std's `FromIterator`
/// first sorts the pairs, with one more copy of its sort per map type.
pub fn btree_map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// `iter.collect_map()`: [`btree_map`] at the end of an iterator chain, where `collect()` into a
/// `BTreeMap` would be.
pub trait CollectMap<K, V>: Iterator<Item = (K, V)> + Sized {
    /// The map of the pairs, a repeated key keeping its last value ([`btree_map`]).
    fn collect_map(self) -> BTreeMap<K, V>
    where
        K: Ord,
    {
        btree_map(self)
    }
}

impl<K, V, I: Iterator<Item = (K, V)>> CollectMap<K, V> for I {}

/// Up to this many items are insertion-sorted in place (at most 190 comparisons), no allocation.
const SHORT: usize = 20;

/// The shared algorithm: leaves `p` sorted stably by `p.less`.
fn sort_positions(p: &mut dyn Positions) {
    let n = p.len();
    if (1..n).all(|i| !p.less(i, i - 1)) {
        return;
    }
    if n <= SHORT {
        for i in 1..n {
            let mut j = i;
            // Only a strictly smaller item moves left past another: equal items keep their order.
            while j > 0 && p.less(j, j - 1) {
                p.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let order = merge_order(p, n);
    place(p, order);
}

/// The stable sorted order of the `n` items as their positions (bottom-up merge sort of indices; the
/// items themselves do not move).
fn merge_order(p: &mut dyn Positions, n: usize) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    let mut to = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut a, mut b) = (lo, mid);
            for slot in &mut to[lo..hi] {
                // The right run's item goes first only when strictly less: stable.
                let take_b = a == mid || (b < hi && p.less(from[b], from[a]));
                if take_b {
                    *slot = from[b];
                    b += 1;
                } else {
                    *slot = from[a];
                    a += 1;
                }
            }
            lo = hi;
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    from
}

/// Moves the items so that position `k` holds the item that was at `order[k]`, by swaps along each
/// cycle of the permutation (each placed position is marked by pointing `order` at itself).
fn place(p: &mut dyn Positions, mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start && order[at] != at {
            let next = order[at];
            p.swap(at, next);
            order[at] = at;
            at = next;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the cases need no dependency.
    fn numbers(seed: u64, count: usize, range: u64) -> Vec<u64> {
        let mut x = seed.max(1);
        (0..count)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % range
            })
            .collect()
    }

    #[test]
    fn orders_as_std_stable_sort_at_every_length() {
        for len in 0..200 {
            for (seed, range) in [(1, 3), (2, 10), (3, 1000), (4, 1)] {
                // Pairs of (key, original position): a stable sort keeps equal keys in position order.
                let keys = numbers(seed * 1000 + len as u64, len, range);
                let mut ours: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
                let mut std = ours.clone();
                sort_by_key(&mut ours, |&(k, _)| k);
                std.sort_by_key(|&(k, _)| k);
                assert_eq!(ours, std, "len {len} seed {seed} range {range}");
            }
        }
    }

    #[test]
    fn sorted_reversed_and_long_inputs() {
        let mut up: Vec<u32> = (0..5000).collect();
        sort(&mut up);
        assert!(up.is_sorted());
        let mut down: Vec<u32> = (0..5000).rev().collect();
        sort(&mut down);
        assert_eq!(down, (0..5000).collect::<Vec<_>>());
        let mut words: Vec<String> = numbers(9, 3000, 500).iter().map(|n| format!("w{n}")).collect();
        let mut std = words.clone();
        sort(&mut words);
        std.sort_unstable();
        assert_eq!(words, std);
    }

    #[test]
    fn btree_map_keeps_the_last_value_as_collect_does() {
        let pairs = [(3, "a"), (1, "b"), (3, "c"), (2, "d"), (1, "e")];
        assert_eq!(btree_map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(btree_map(Vec::<(u8, u8)>::new()), BTreeMap::new());
    }
}
