//! The page journal's hash chain: each journaled page (its URL, which holds the cursor, and the body as
//! journaled) extends a 64-bit chain seeded by the run id. A checkpoint records the chain after the pages it
//! covers, so a resume proves that the journal it replays is the very sequence of pages that checkpoint's run
//! wrote — not another run's pages under this run's cursors. Not cryptographic: it catches mixed, truncated,
//! reordered or foreign journals (accidents, crashes, concurrent runs), not a forger with write access.

use crate::hash::chain_step;

/// The chain's starting value for a run.
pub(crate) fn seed(run_id: &str) -> u64 {
    chain_step(0x6a09_e667_f3bc_c908, run_id.as_bytes())
}

/// The chain after one more page.
pub(crate) fn extend(chain: u64, url: &str, body: &[u8]) -> u64 {
    chain_step(chain_step(chain, url.as_bytes()), body)
}

/// The chain as stored in a checkpoint (16 hex digits: exact through `JSON.parse`, unlike a 64-bit number).
pub(crate) fn to_hex(chain: u64) -> String {
    format!("{chain:016x}")
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
