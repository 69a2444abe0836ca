//! The snapshot header: magic, version, flags, payload length and checksum (layout in [`super`]).

use super::wire::{corrupt, Reader};
use crate::error::{Error, Result};
use crate::hash::crc32c_update;

/// The first four bytes of every snapshot.
pub const SNAPSHOT_MAGIC: [u8; 4] = *b"OKDS";
/// The format version this build writes and the newest it reads (2 added the frequency table;
/// version 1 still loads, without one).
pub const SNAPSHOT_VERSION: u16 = 2;
/// Bytes before the payload.
pub(in crate::directory) const HEADER_LEN: usize = 20;

/// A payload buffer that starts with room for the header ([`seal`] fills it in).
pub(in crate::directory) fn start_payload(capacity: usize) -> Vec<u8> {
    let mut p = Vec::with_capacity(HEADER_LEN + capacity);
    p.resize(HEADER_LEN, 0);
    p
}

/// Fills in the header of a payload begun with [`start_payload`] (length and checksum).
pub(in crate::directory) fn seal(mut p: Vec<u8>) -> Vec<u8> {
    let len = (p.len().saturating_sub(HEADER_LEN) as u64).to_le_bytes();
    let mut header = [0u8; HEADER_LEN];
    header[..4].copy_from_slice(&SNAPSHOT_MAGIC);
    header[4..6].copy_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
    header[8..16].copy_from_slice(&len);
    let crc = crc32c_update(crc32c_update(0, &header[4..16]), p.get(HEADER_LEN..).unwrap_or(&[]));
    header[16..].copy_from_slice(&crc.to_le_bytes());
    if let Some(head) = p.get_mut(..HEADER_LEN) {
        head.copy_from_slice(&header);
    }
    p
}

/// The format version of a snapshot that passed [`checked_payload`].
pub(in crate::directory) fn version_of(bytes: &[u8]) -> u16 {
    match bytes.get(4..6) {
        Some(&[lo, hi]) => u16::from(lo) | (u16::from(hi) << 8),
        _ => 0,
    }
}

/// Payload bytes per item of the chunked checksum loop (one out-of-line call checks 1 MiB).
const CRC_CHUNK: usize = 16;

/// Checks magic, version, flags, length and checksum; returns the payload.
pub(in crate::directory) fn checked_payload(bytes: &[u8]) -> Result<&[u8]> {
    let header = bytes.get(..HEADER_LEN).ok_or(corrupt("truncated header"))?;
    let mut h = Reader::new(header);
    if h.bytes(4)? != SNAPSHOT_MAGIC {
        return Err(corrupt("not a snapshot (bad magic)"));
    }
    let word = |r: &mut Reader<'_>| -> Result<u16> { Ok(u16::from(r.u8()?) | (u16::from(r.u8()?) << 8)) };
    let (version, flags) = (word(&mut h)?, word(&mut h)?);
    if version == 0 {
        return Err(corrupt("format version 0"));
    }
    if version > SNAPSHOT_VERSION || flags != 0 {
        return Err(Error::SnapshotVersionUnsupported { found: version, supported: SNAPSHOT_VERSION });
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(h.bytes(8)?);
    let mut crc = [0u8; 4];
    crc.copy_from_slice(h.bytes(4)?);
    let payload = bytes.get(HEADER_LEN..).unwrap_or(&[]);
    match u64::from_le_bytes(len).cmp(&(payload.len() as u64)) {
        std::cmp::Ordering::Greater => return Err(corrupt("truncated payload")),
        std::cmp::Ordering::Less => return Err(corrupt("trailing bytes after the payload")),
        std::cmp::Ordering::Equal => {}
    }
    // In chunks (see `chunked`): one call over the whole payload would run unoptimized to its end.
    let mut sum = crc32c_update(0, header.get(4..16).unwrap_or(&[]));
    super::chunked::chunked(payload.len().div_ceil(CRC_CHUNK), |r| {
        let bytes = payload.get(r.start * CRC_CHUNK..payload.len().min(r.end * CRC_CHUNK)).unwrap_or(&[]);
        sum = crc32c_update(sum, bytes);
    });
    if sum != u32::from_le_bytes(crc) {
        return Err(corrupt("checksum mismatch"));
    }
    Ok(payload)
}
