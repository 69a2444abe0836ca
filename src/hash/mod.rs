//! Every non-cryptographic hash function of the crate, in one place below `sync` and `directory`.
//! None of them is a security boundary: a collision costs time or a comparison, never a wrong answer.
//!
//! - [`fnv1a64`]: shard routing (stored layout) and the sync's seen-URL set.
//! - [`hash_words`]/[`hash_exact`]: the compact directory's hash indexes; [`KeyHasher`] for its `u64` maps.
//! - [`IdHasher`] ([`IdMap`], [`IdSet`]): maps keyed by Okta ids.
//! - [`chain_step`]: the page journal's hash chain.
//! - [`crc32c`]: the snapshot's checksum.

mod chain;
mod crc32c;
mod fnv;
mod id;
mod words;

pub use chain::chain_step;
pub use crc32c::{crc32c, crc32c_update};
pub use fnv::fnv1a64;
pub use id::{IdHasher, IdMap, IdSet};
pub use words::{ascii_lower, hash_exact, hash_words, KeyHasher};
