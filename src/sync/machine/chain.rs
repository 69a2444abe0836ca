//! The page journal's hash chain: each journaled page (its URL, which holds the cursor, and the body as
//! journaled) extends a 64-bit chain seeded by the run id. A checkpoint records the chain after the pages it
//! covers, so a resume proves that the journal it replays is the very sequence of pages that checkpoint's run
//! wrote — not another run's pages under this run's cursors. Not cryptographic: it catches mixed, truncated,
//! reordered or foreign journals (accidents, crashes, concurrent runs), not a forger with write access.

/// The chain's starting value for a run.
pub(crate) fn seed(run_id: &str) -> u64 {
    step(0x6a09_e667_f3bc_c908, run_id.as_bytes())
}

/// The chain after one more page.
pub(crate) fn extend(chain: u64, url: &str, body: &[u8]) -> u64 {
    step(step(chain, url.as_bytes()), body)
}

/// The chain as stored in a checkpoint (16 hex digits: exact through `JSON.parse`, unlike a 64-bit number).
pub(crate) fn to_hex(chain: u64) -> String {
    format!("{chain:016x}")
}

/// Mixes `bytes` (and their length) into `h`, eight bytes at a time (a journal is hundreds of MB at 100k users).
fn step(h: u64, bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = h ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h.rotate_left(23) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    finish(h)
}

/// SplitMix64's finalizer: every input bit affects every output bit.
fn finish(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_a_page_changes_the_chain() {
        let base = extend(seed("run"), "https://a/users?after=1", b"[1]");
        assert_ne!(base, extend(seed("other"), "https://a/users?after=1", b"[1]"));
        assert_ne!(base, extend(seed("run"), "https://a/users?after=2", b"[1]"));
        assert_ne!(base, extend(seed("run"), "https://a/users?after=1", b"[2]"));
        assert_ne!(base, extend(seed("run"), "https://a/users?after=1[1]", b""));
        assert_eq!(to_hex(base).len(), 16);
    }
}
