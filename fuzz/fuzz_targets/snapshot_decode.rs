//! Fuzzes the snapshot decoder: any input must give a directory or a typed snapshot error, never a
//! panic, an abort or an allocation beyond the input's size. A decoded directory must re-encode and
//! decode to itself. The compact loader must accept and refuse exactly the same inputs (same error
//! code), hold the same directory, and answer lookups of every login and email like it. The directory's
//! shards (split through the same builder, answered by the same compact lookup) must give the whole
//! directory's answer for every hint.
//!
//! The first byte picks the mode: even → the rest is decoded as is (header, length and checksum
//! checks); odd → the rest is a payload wrapped in a valid header with its correct CRC-32C, so the
//! fuzzer explores the payload parser instead of stopping at the checksum.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_directory::directory::shard::{lookup_routed, route_hint, split};
use okta_directory::directory::{crc32c, decode, encode, CompactDirectory, SNAPSHOT_MAGIC, SNAPSHOT_VERSION};
use okta_directory::Error;

fn seal(payload: &[u8]) -> Vec<u8> {
    let mut out = SNAPSHOT_MAGIC.to_vec();
    out.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    let mut covered = out[4..16].to_vec();
    covered.extend_from_slice(payload);
    out.extend_from_slice(&crc32c(&covered).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else { return };
    let input = if mode % 2 == 1 { seal(rest) } else { rest.to_vec() };
    let compact = CompactDirectory::from_snapshot(&input);
    match decode(&input) {
        Ok(dir) => {
            let again = decode(&encode(&dir)).expect("a re-encoded snapshot decodes");
            assert!(again == dir, "re-encoding changed the directory");
            let compact = compact.expect("the compact loader accepts what decode accepts");
            assert!(compact.to_directory().expect("decodes") == dir, "compact holds another directory");
            let shards = u32::from(*mode % 5) + 1;
            let parts: Vec<CompactDirectory> = split(&compact, shards)
                .expect("a loaded directory splits")
                .into_iter()
                .map(|bytes| CompactDirectory::load(bytes).expect("a shard loads"))
                .collect();
            for user in dir.users().take(64) {
                for hint in [&user.login, &user.email].into_iter().flatten() {
                    let owned = dir.lookup(hint).map(|h| (h.user.clone(), h.key.clone(), h.workforce));
                    let fast =
                        compact.lookup(hint).and_then(|h| Ok((compact.user_at(h.index)?, h.key.clone(), h.workforce)));
                    assert!(owned == fast, "lookups differ");
                    let route = route_hint(&compact.config().keys, hint, shards);
                    let get = |s: Option<u32>| s.and_then(|s| parts.get(s as usize));
                    let sharded = lookup_routed(get(route.login), get(route.plain), hint)
                        .and_then(|(d, h)| Ok((d.user_at(h.index)?, h.key.clone(), h.workforce)));
                    assert!(sharded == fast, "shard and whole-directory lookups differ");
                }
            }
        }
        Err(e @ (Error::SnapshotCorrupt { .. } | Error::SnapshotVersionUnsupported { .. })) => {
            assert_eq!(compact.err().map(|c| c.code()), Some(e.code()), "the compact loader disagrees");
        }
        Err(other) => panic!("untyped snapshot error: {other:?}"),
    }
});
