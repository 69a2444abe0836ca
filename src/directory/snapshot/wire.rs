//! Byte-level helpers of the snapshot format: a bounds-checked reader (its varints are `crate::varint`'s),
//! and the compact form of Okta's `lastUpdated` timestamps.

use crate::error::{Error, Result};
use crate::timestamp::days_from_civil;
use crate::timestamp::format_timestamp;
use crate::varint::{put_varint, read_varint};

/// A `SNAPSHOT_CORRUPT` error.
pub(in crate::directory) fn corrupt(reason: &'static str) -> Error {
    Error::SnapshotCorrupt { reason }
}

/// Appends a length-prefixed UTF-8 string.
pub(in crate::directory) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A cursor over untrusted bytes: every read is bounded by what is left, so a hostile length can
/// neither read out of bounds nor make the decoder allocate more than the input's size.
pub(in crate::directory) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub(in crate::directory) fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    /// A reader at `pos` of `buf` (reads past the end are errors, like any other).
    pub(in crate::directory) fn at(buf: &'a [u8], pos: usize) -> Reader<'a> {
        Reader { buf, pos }
    }

    /// The current position.
    pub(in crate::directory) fn pos(&self) -> usize {
        self.pos
    }

    /// The UTF-8 text at `start..end` of the whole buffer (not moving the cursor).
    pub(in crate::directory) fn text_at(&self, start: usize, end: usize) -> Result<&'a str> {
        let bytes = self.buf.get(start..end).ok_or_else(|| corrupt("string index out of range"))?;
        std::str::from_utf8(bytes).map_err(|_| corrupt("a string is not UTF-8"))
    }

    /// Bytes not yet read.
    pub(in crate::directory) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The next `n` bytes.
    #[inline]
    pub(in crate::directory) fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or_else(|| corrupt("length overflow"))?;
        let slice = self.buf.get(self.pos..end).ok_or_else(|| corrupt("truncated"))?;
        self.pos = end;
        Ok(slice)
    }

    /// One byte.
    #[inline]
    pub(in crate::directory) fn u8(&mut self) -> Result<u8> {
        let b = *self.buf.get(self.pos).ok_or_else(|| corrupt("truncated"))?;
        self.pos += 1;
        Ok(b)
    }

    /// A LEB128 varint of at most 10 bytes that fits in 64 bits.
    #[inline]
    pub(in crate::directory) fn varint(&mut self) -> Result<u64> {
        // One byte is the common case (small refs, counts and lengths).
        if let Some(&b) = self.buf.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(u64::from(b));
            }
        }
        read_varint(self.buf, &mut self.pos)
    }

    /// A varint that fits in `usize`.
    pub(in crate::directory) fn usize(&mut self) -> Result<usize> {
        usize::try_from(self.varint()?).map_err(|_| corrupt("value out of range"))
    }

    /// An item count, refused when `count × min_item_bytes` exceeds what is left (bounds allocations).
    pub(in crate::directory) fn count(&mut self, min_item_bytes: usize) -> Result<usize> {
        let n = self.usize()?;
        if n.saturating_mul(min_item_bytes.max(1)) > self.remaining() {
            return Err(corrupt("a count exceeds the remaining input"));
        }
        Ok(n)
    }

    /// `n` bytes of UTF-8.
    #[inline]
    pub(in crate::directory) fn str_of(&mut self, n: usize) -> Result<&'a str> {
        std::str::from_utf8(self.bytes(n)?).map_err(|_| corrupt("a string is not UTF-8"))
    }

    /// A length-prefixed UTF-8 string.
    pub(in crate::directory) fn str(&mut self) -> Result<&'a str> {
        let n = self.usize()?;
        self.str_of(n)
    }

    /// A little-endian f64.
    pub(in crate::directory) fn f64(&mut self) -> Result<f64> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }
}

/// Unix ms of an Okta timestamp in exactly the form `YYYY-MM-DDTHH:MM:SS.mmmZ` (1970–9999), when
/// formatting it back gives the same text; anything else is stored as a string.
pub(in crate::directory) fn timestamp_ms(s: &str) -> Option<u64> {
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
pub(in crate::directory) fn timestamp_in_range(ms: u64) -> bool {
    // 10000-01-01T00:00:00.000Z: the first instant whose year has five digits (a comparison instead
    // of a calendar computation per user at load).
    ms < 253_402_300_800_000
}

/// Stored ms back into Okta's timestamp text.
pub(in crate::directory) fn timestamp_text(ms: u64) -> Result<String> {
    format_timestamp(ms).ok_or(corrupt("timestamp out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::civil_from_days;

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
    fn timestamps_in_range_are_those_of_four_digit_years() {
        for ms in [0, 1, 253_402_300_799_999, 253_402_300_800_000, 253_402_300_800_001, i64::MAX as u64, u64::MAX] {
            let calendar = i64::try_from(ms).is_ok_and(|ms| civil_from_days(ms.div_euclid(86_400_000)).0 <= 9999);
            assert_eq!(timestamp_in_range(ms), calendar, "{ms}");
        }
        assert!(timestamp_in_range(253_402_300_799_999));
        assert!(!timestamp_in_range(253_402_300_800_000));
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
