//! A 64-bit hash of byte words for the compact directory's indexes, with an ASCII-lower-case variant,
//! and a multiply-shift hasher for `u64` keys.

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xD6E8_FEB8_6659_FD93;
const ONES: u64 = 0x0101_0101_0101_0101;

/// ASCII lower case of eight bytes at once (every byte must be below 0x80).
pub fn ascii_lower(x: u64) -> u64 {
    let at_least_a = x.wrapping_add((0x80 - u64::from(b'A')) * ONES);
    let above_z = x.wrapping_add((0x80 - u64::from(b'Z') - 1) * ONES);
    x | ((at_least_a & !above_z & (0x80 * ONES)) >> 2)
}

/// A 64-bit hash of bytes (multiply-rotate over 8-byte words, then a murmur3 finalizer; not
/// cryptographic: a crafted collision costs a comparison, never a wrong answer). `lower` hashes
/// the ASCII lower case of ASCII input, equal to hashing the lowered text.
pub fn hash_words(bytes: &[u8], lower: bool) -> u64 {
    let mix =
        |h: u64, w: u64| (h ^ if lower { ascii_lower(w) } else { w }).wrapping_mul(K1).rotate_left(31).wrapping_mul(K2);
    let mut h = (bytes.len() as u64).wrapping_mul(K2) ^ K1;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        if let Some(head) = w.get_mut(..rest.len()) {
            head.copy_from_slice(rest);
        }
        h = mix(h, u64::from_le_bytes(w));
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// [`hash_words`] of the text as is.
pub fn hash_exact(s: &str) -> u64 {
    hash_words(s.as_bytes(), false)
}

/// A multiply-shift hasher for `u64` keys (the compact directory's `user << 8 | key index`).
#[derive(Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(K1);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(K1).rotate_left(29);
    }
}

#[cfg(test)]
mod tests {
    use super::ascii_lower;

    #[test]
    fn word_lower_case_is_ascii_lower_case() {
        for b in 0u8..128 {
            for pos in 0..8 {
                let mut word = [b'a'; 8];
                word[pos] = b;
                let mut expected = word;
                expected.make_ascii_lowercase();
                assert_eq!(ascii_lower(u64::from_le_bytes(word)), u64::from_le_bytes(expected), "{b}");
            }
        }
    }
}
