//! A found user as a field list, for the JS SDK's `lookup()`: one string whose head says which items
//! follow and how long each is, then the items' texts back to back. JavaScript slices the values out
//! and builds the object itself (one boundary crossing, no JSON to parse, no per-property call).
//!
//! Layout, in UTF-16 code units (what JavaScript indexes): `flags` (bit 0: in the Workforce group),
//! `count`, then per item `id`, `len_hi`, `len_lo` (the item's length is `len_hi * 4096 + len_lo`),
//! then the items' texts in the same order. Every head unit is below 4096, so none is a surrogate.
//! Item ids: the string fields by their position in the record (see [`record_field_table`]), then
//! `status`, `lastUpdated`, `custom` (the custom attributes as a JSON object, only when there are
//! some) and the matched lookup `key`.

use super::json::{json_str, JsonSink, ALWAYS_WRITTEN};
use super::{CompactDirectory, CompactHit};
use crate::directory::snapshot::read::{walk_user, Scratch, Stamp};
use crate::directory::snapshot::{corrupt, timestamp_text, Reader, FIELDS, FIELD_COUNT};
use crate::error::{Error, Result};
use crate::profile::UserStatus;

/// Item id of the status (the string fields come first).
const STATUS: usize = FIELD_COUNT;
/// Item id of `lastUpdated`.
const LAST_UPDATED: usize = FIELD_COUNT + 1;
/// Item id of the custom attributes (JSON object text).
const CUSTOM: usize = FIELD_COUNT + 2;
/// Item id of the matched key's name.
const KEY: usize = FIELD_COUNT + 3;
/// Head units are below this (12 bits each).
const UNIT: usize = 4096;

/// The table JavaScript reads the items with, as JSON: field names (and the object each sits in) in
/// item-id order, the objects written even when empty, and the ids of the other items.
pub fn record_field_table() -> String {
    let mut out = Vec::with_capacity(600);
    out.extend_from_slice(b"{\"fields\":[");
    for (i, f) in FIELDS.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        json_str(&mut out, f.name);
        out.push(b',');
        match f.object {
            Some(o) => json_str(&mut out, o),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b']');
    }
    out.extend_from_slice(b"],\"always\":[");
    json_str(&mut out, ALWAYS_WRITTEN);
    let ids = format!("],\"status\":{STATUS},\"lastUpdated\":{LAST_UPDATED},\"custom\":{CUSTOM},\"key\":{KEY}}}");
    out.extend_from_slice(ids.as_bytes());
    String::from_utf8(out).unwrap_or_default()
}

/// UTF-16 length of a text.
fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// One head unit (below [`UNIT`], so never a surrogate).
fn unit(v: usize) -> char {
    char::from_u32(u32::try_from(v % UNIT).unwrap_or(0)).unwrap_or('\0')
}

impl CompactDirectory {
    /// The user a [`CompactDirectory::lookup`] found, with its key and Workforce mark, as a field
    /// list (module docs), appended to `out`.
    pub fn write_hit_fields(&self, hit: &CompactHit<'_>, out: &mut String) -> Result<()> {
        let start = *self.records.get(hit.index as usize).ok_or(Error::UserNotFound)?;
        let mut r = Reader::at(self.payload(), start);
        let mut sink = JsonSink { status: None, fields: [None; FIELD_COUNT], stamp: None, custom: Vec::new() };
        walk_user(&mut r, &self.table, &mut sink, &mut Scratch::default())?;
        let stamp = match sink.stamp {
            None => None,
            Some(Stamp::Ms(ms)) => Some(std::borrow::Cow::Owned(timestamp_text(ms)?)),
            Some(Stamp::Text(t)) => Some(std::borrow::Cow::Borrowed(t)),
        };
        if !sink.custom.is_empty() {
            sink.custom.push(b'}');
        }
        let custom = std::str::from_utf8(&sink.custom).map_err(|_| corrupt("custom attributes"))?;
        let status = sink.status.and_then(|s| UserStatus::ALL.iter().find(|(v, _)| *v == s)).map(|(_, name)| *name);
        let mut items: Vec<(usize, &str)> = Vec::with_capacity(FIELD_COUNT + 4);
        items.extend(sink.fields.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))));
        items.extend(status.map(|v| (STATUS, v)));
        items.extend(stamp.as_deref().map(|v| (LAST_UPDATED, v)));
        items.extend((!custom.is_empty()).then_some((CUSTOM, custom)));
        items.push((KEY, hit.key.name()));
        let n = items.len();
        out.reserve(2 + 3 * n + items.iter().map(|(_, v)| v.len()).sum::<usize>());
        out.push(if hit.workforce { '\u{1}' } else { '\0' });
        out.push(unit(n));
        for (id, v) in &items {
            let len = utf16_len(v);
            if len >= UNIT * UNIT {
                return Err(Error::Conversion { detail: "an attribute value is too long for a field list".into() });
            }
            out.push(unit(*id));
            out.push(unit(len / UNIT));
            out.push(unit(len));
        }
        for (_, v) in &items {
            out.push_str(v);
        }
        Ok(())
    }
}
