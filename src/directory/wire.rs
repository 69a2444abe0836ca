//! Byte-level helpers of the snapshot format: CRC-32C, LEB128 varints, a bounds-checked reader, and
//! the compact form of Okta's `lastUpdated` timestamps.

use crate::error::{Error, Result};
pub(super) use crate::timestamp::format_timestamp;
use crate::timestamp::{civil_from_days, days_from_civil};

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-8 tables built at compile time.
const CRC_TABLES: [[u32; 256]; 8] = crc_tables();

const fn crc_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0x82F6_3B78 } else { c >> 1 };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut i = 0;
    while i < 256 {
        let mut s = 1;
        while s < 8 {
            let prev = t[s - 1][i];
            t[s][i] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
            s += 1;
        }
        i += 1;
    }
    t
}

/// Continues a CRC-32C over `data` (start with `crc = 0`; the pre/post inversion is inside).
pub fn crc32c_update(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    let mut chunks = data.chunks_exact(8);
    for b in &mut chunks {
        let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        c = CRC_TABLES[7][(lo & 0xFF) as usize]
            ^ CRC_TABLES[6][((lo >> 8) & 0xFF) as usize]
            ^ CRC_TABLES[5][((lo >> 16) & 0xFF) as usize]
            ^ CRC_TABLES[4][(lo >> 24) as usize]
            ^ CRC_TABLES[3][b[4] as usize]
            ^ CRC_TABLES[2][b[5] as usize]
            ^ CRC_TABLES[1][b[6] as usize]
            ^ CRC_TABLES[0][b[7] as usize];
    }
    for &b in chunks.remainder() {
        c = (c >> 8) ^ CRC_TABLES[0][((c ^ u32::from(b)) & 0xFF) as usize];
    }
    !c
}

/// A `SNAPSHOT_CORRUPT` error.
pub(super) fn corrupt(reason: &'static str) -> Error {
    Error::SnapshotCorrupt { reason }
}

/// Appends an unsigned LEB128 varint.
pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a length-prefixed UTF-8 string.
pub(super) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A cursor over untrusted bytes: every read is bounded by what is left, so a hostile length can
/// neither read out of bounds nor make the decoder allocate more than the input's size.
pub(super) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub(super) fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    /// A reader at `pos` of `buf` (reads past the end are errors, like any other).
    pub(super) fn at(buf: &'a [u8], pos: usize) -> Reader<'a> {
        Reader { buf, pos }
    }

    /// The current position.
    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// The UTF-8 text at `start..end` of the whole buffer (not moving the cursor).
    pub(super) fn text_at(&self, start: usize, end: usize) -> Result<&'a str> {
        let bytes = self.buf.get(start..end).ok_or_else(|| corrupt("string index out of range"))?;
        std::str::from_utf8(bytes).map_err(|_| corrupt("a string is not UTF-8"))
    }

    /// Bytes not yet read.
    pub(super) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The next `n` bytes.
    #[inline]
    pub(super) fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or_else(|| corrupt("length overflow"))?;
        let slice = self.buf.get(self.pos..end).ok_or_else(|| corrupt("truncated"))?;
        self.pos = end;
        Ok(slice)
    }

    /// One byte.
    #[inline]
    pub(super) fn u8(&mut self) -> Result<u8> {
        let b = *self.buf.get(self.pos).ok_or_else(|| corrupt("truncated"))?;
        self.pos += 1;
        Ok(b)
    }

    /// A LEB128 varint of at most 10 bytes that fits in 64 bits.
    #[inline]
    pub(super) fn varint(&mut self) -> Result<u64> {
        // One byte is the common case (small refs, counts and lengths).
        if let Some(&b) = self.buf.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(u64::from(b));
            }
        }
        self.varint_slow()
    }

    fn varint_slow(&mut self) -> Result<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            if shift == 63 && b > 1 {
                return Err(corrupt("varint overflows 64 bits"));
            }
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(corrupt("varint overflows 64 bits"))
    }

    /// A varint that fits in `usize`.
    pub(super) fn usize(&mut self) -> Result<usize> {
        usize::try_from(self.varint()?).map_err(|_| corrupt("value out of range"))
    }

    /// An item count, refused when `count × min_item_bytes` exceeds what is left (bounds allocations).
    pub(super) fn count(&mut self, min_item_bytes: usize) -> Result<usize> {
        let n = self.usize()?;
        if n.saturating_mul(min_item_bytes.max(1)) > self.remaining() {
            return Err(corrupt("a count exceeds the remaining input"));
        }
        Ok(n)
    }

    /// `n` bytes of UTF-8.
    #[inline]
    pub(super) fn str_of(&mut self, n: usize) -> Result<&'a str> {
        std::str::from_utf8(self.bytes(n)?).map_err(|_| corrupt("a string is not UTF-8"))
    }

    /// A length-prefixed UTF-8 string.
    pub(super) fn str(&mut self) -> Result<&'a str> {
        let n = self.usize()?;
        self.str_of(n)
    }

    /// A little-endian f64.
    pub(super) fn f64(&mut self) -> Result<f64> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }
}

/// Unix ms of an Okta timestamp in exactly the form `YYYY-MM-DDTHH:MM:SS.mmmZ` (1970–9999), when
/// formatting it back gives the same text; anything else is stored as a string.
pub(super) fn timestamp_ms(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() != 24 || b.get(4) != Some(&b'-') || b.get(10) != Some(&b'T') || b.get(23) != Some(&b'Z') {
        return None;
    }
    let num =
        |r: std::ops::Range<usize>| s.get(r).filter(|t| t.bytes().all(|c| c.is_ascii_digit()))?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec, ms) = (num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?);
    if y < 1970 || !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let total = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec;
    let value = u64::try_from(total * 1000 + ms).ok()?;
    (format_timestamp(value).as_deref() == Some(s)).then_some(value)
}

/// Whether [`format_timestamp`] can write these ms (years up to 9999).
pub(super) fn timestamp_in_range(ms: u64) -> bool {
    i64::try_from(ms).is_ok_and(|ms| civil_from_days(ms.div_euclid(86_400_000)).0 <= 9999)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_known_vectors() {
        // RFC 3720 (iSCSI) B.4 and the classic check value.
        assert_eq!(crc32c_update(0, b"123456789"), 0xE306_9283);
        assert_eq!(crc32c_update(0, &[0u8; 32]), 0x8A91_36AA);
        assert_eq!(crc32c_update(0, &[0xFFu8; 32]), 0x62A8_AB43);
        let inc: Vec<u8> = (0u8..32).collect();
        assert_eq!(crc32c_update(0, &inc), 0x46DD_794E);
        let dec: Vec<u8> = (0u8..32).rev().collect();
        assert_eq!(crc32c_update(0, &dec), 0x113F_DB5C);
        assert_eq!(crc32c_update(0, b""), 0);
        // Streaming equals one shot, at every split point.
        for split in 0..inc.len() {
            assert_eq!(crc32c_update(crc32c_update(0, &inc[..split]), &inc[split..]), 0x46DD_794E);
        }
    }

    #[test]
    fn varints_round_trip_and_overflow_is_refused() {
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(Reader::new(&out).varint().unwrap(), v);
        }
        assert!(Reader::new(&[0xFF; 10]).varint().is_err());
        assert!(Reader::new(&[0x80]).varint().is_err());
    }

    #[test]
    fn timestamps_are_written_like_format() {
        let mut ms = 0u64;
        while ms < 253_402_300_800_000 {
            let secs = ms / 1000;
            let (y, m, d) = civil_from_days((secs / 86_400) as i64);
            let t = secs % 86_400;
            let expected =
                format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z", t / 3600, t / 60 % 60, t % 60, ms % 1000);
            assert_eq!(format_timestamp(ms).as_deref(), Some(expected.as_str()));
            ms = ms * 3 + 7_654_321;
        }
        assert_eq!(format_timestamp(253_402_300_800_000), None, "year 10000");
        assert!(timestamp_in_range(253_402_300_799_999) && !timestamp_in_range(253_402_300_800_000));
    }

    #[test]
    fn timestamps_round_trip_only_in_canonical_form() {
        for s in ["1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "2022-05-05T18:15:44.000Z"] {
            let ms = timestamp_ms(s).unwrap();
            assert_eq!(format_timestamp(ms).as_deref(), Some(s));
        }
        assert_eq!(timestamp_ms("2022-05-05T18:15:44.000Z"), Some(1_651_774_544_000));
        for s in
            ["2023-02-29T00:00:00.000Z", "2022-05-05T18:15:44Z", "1969-12-31T23:59:59.999Z", "2022-05-05 18:15:44.000Z"]
        {
            assert_eq!(timestamp_ms(s), None, "{s}");
        }
    }
}
