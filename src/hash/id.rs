//! A fast hasher for the machine's maps keyed by Okta ids (users, groups, members: hundreds of thousands of
//! inserts and lookups per sync). SipHash's HashDoS resistance buys nothing here: the keys are ids Okta
//! assigned within one org (the sync rejects any id that is not 1–64 ASCII letters and digits), not
//! values an outsider picks, and a collision flood could only slow one sync down, never change a result.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by Okta ids.
pub type IdMap<V> = HashMap<String, V, BuildHasherDefault<IdHasher>>;
/// A set of Okta ids.
pub type IdSet = HashSet<String, BuildHasherDefault<IdHasher>>;

/// FxHash-style multiply-rotate over 8-byte words (the function rustc uses for its own maps).
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in chunks.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        // The last 0–7 bytes, zero-padded, with their count in the eighth byte ("a" and "a\0" differ).
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        if let Some(dst) = tail.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        tail[7] = rest.len() as u8;
        self.add(u64::from_le_bytes(tail));
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::{IdMap, IdSet};

    #[test]
    fn behaves_as_a_map_and_a_set_of_ids() {
        let ids: Vec<String> = (0..5000).map(|n| format!("00u{n:017}")).collect();
        let mut map = IdMap::default();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(map.insert(id.clone(), i), None);
        }
        let set: IdSet = ids.iter().cloned().collect();
        assert_eq!((map.len(), set.len()), (5000, 5000));
        assert!(ids.iter().enumerate().all(|(i, id)| map.get(id) == Some(&i) && set.contains(id)));
        assert!(!set.contains("00u") && !set.contains("00u000000000000000000"));
        // Ids that differ only in their last (partial-word) bytes hash apart.
        let mut hashes = std::collections::HashSet::new();
        for id in ["00g1", "00g2", "00g10", "00g1\0", "a", "b", ""] {
            use std::hash::{BuildHasher, BuildHasherDefault};
            hashes.insert(BuildHasherDefault::<super::IdHasher>::default().hash_one(id));
        }
        assert_eq!(hashes.len(), 7);
    }
}
