//! Fuzzes the snapshot decoder: any input must give a directory or a typed snapshot error, never a
//! panic, an abort or an allocation beyond the input's size. A decoded directory must re-encode and
//! decode to itself.
//!
//! The first byte picks the mode: even → the rest is decoded as is (header, length and checksum
//! checks); odd → the rest is a payload wrapped in a valid header with its correct CRC-32C, so the
//! fuzzer explores the payload parser instead of stopping at the checksum.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_directory::directory::{crc32c, decode, encode, SNAPSHOT_MAGIC, SNAPSHOT_VERSION};
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
    match decode(&input) {
        Ok(dir) => {
            let again = decode(&encode(&dir)).expect("a re-encoded snapshot decodes");
            assert!(again == dir, "re-encoding changed the directory");
        }
        Err(Error::SnapshotCorrupt { .. } | Error::SnapshotVersionUnsupported { .. }) => {}
        Err(other) => panic!("untyped snapshot error: {other:?}"),
    }
});
