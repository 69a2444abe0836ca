//! Unsigned LEB128 varints: the integers of every binary form the core writes (directory snapshots,
//! frequency tables and counts). One writer and one bounds-checked reader for all of them.

use crate::error::{Error, Result};

/// Appends `v` as an unsigned LEB128 varint (1 to 10 bytes).
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads the varint at `*pos` of `buf` and moves `pos` past it: at most 10 bytes that fit in 64 bits,
/// else `SNAPSHOT_CORRUPT` (cut off, or overflowing); `pos` is left where the error was found.
pub fn read_varint(buf: &[u8], pos: &mut usize) -> Result<u64> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let Some(&b) = buf.get(*pos) else {
            return Err(Error::SnapshotCorrupt { reason: "truncated" });
        };
        *pos += 1;
        if shift == 63 && b > 1 {
            return Err(Error::SnapshotCorrupt { reason: "varint overflows 64 bits" });
        }
        v |= u64::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(Error::SnapshotCorrupt { reason: "varint overflows 64 bits" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_bad_ones_are_refused() {
        let mut out = Vec::new();
        let values = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        for v in values {
            put_varint(&mut out, v);
        }
        let mut pos = 0;
        for v in values {
            assert_eq!(read_varint(&out, &mut pos), Ok(v));
        }
        assert_eq!(pos, out.len());
        assert_eq!(out[..2], [0x00, 0x01]);
        assert_eq!(read_varint(&[0xAC, 0x02], &mut 0), Ok(300));
        for bad in [&[0xFF; 10][..], &[0x80], &[], &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]] {
            assert_eq!(read_varint(bad, &mut 0).map_err(|e| e.code()), Err("SNAPSHOT_CORRUPT"), "{bad:?}");
        }
        // Eleven bytes are never read: the tenth may only hold bit 63.
        assert_eq!(read_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], &mut 0), Ok(u64::MAX));
    }
}
