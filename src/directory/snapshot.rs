//! The snapshot: a directory as one compact, versioned, checksummed binary.
//!
//! Layout (integers little-endian; `varint` = unsigned LEB128; `str` = varint length + UTF-8):
//!
//! | bytes | content |
//! |---|---|
//! | 0..4 | magic `OKDS` |
//! | 4..6 | format version (u16, currently 1) |
//! | 6..8 | flags (u16; none defined in version 1, any set bit is refused as unsupported) |
//! | 8..16 | payload length (u64; must equal the bytes that follow the header exactly) |
//! | 16..20 | CRC-32C of bytes 4..16 followed by the payload |
//! | 20.. | payload |
//!
//! Payload, in order: **meta** (`str` origin, varint synced-at ms, varint counts of users, groups,
//! memberships); **config** (varint key count, each a tag byte 0 login / 1 email / 2 secondEmail /
//! 3 employeeNumber / 4 custom + `str` name; a byte 0/1 + `str` Workforce group id); **string table**
//! (varint count, `str`s: every string that occurs at least twice, most frequent first);
//! **users** (per user: status byte (0 none, else 1 + position in `UserStatus::ALL`), 20 string
//! fields as refs in the order of `FIELDS`, `lastUpdated` (tag 0 absent / 1 varint Unix ms for the
//! canonical `YYYY-MM-DDTHH:MM:SS.mmmZ` form / 2 ref), custom attributes (varint count, each a name
//! ref and a value: tag 0 string ref / 1 f64 / 2 false / 3 true / 4 list of tagged scalars));
//! **groups** (id, name, type refs); **memberships** (per group: varint count, then member user
//! positions ascending, as the first position and then gaps minus one).
//!
//! A string ref is a varint `r`: 0 absent, 1 the same text as the user's login (emails usually
//! are), even `r` the table entry `(r-2)/2`, odd `r ≥ 3` an inline string of `(r-3)/2` bytes.
//!
//! Decoding checks magic, version, flags, length and checksum before reading the payload, bounds
//! every count and length by the input left, and builds the directory only after the whole payload
//! has been read and validated: a bad snapshot is an error, never a partial directory.

use std::collections::HashMap;

use super::index::{Directory, DirectoryConfig, SyncMeta};
use super::key::LookupKey;
use super::snapshot_read::{RecordSink, Scalar, Stamp};
use super::wire::{corrupt, crc32c_update, format_timestamp, put_str, put_varint, timestamp_ms, Reader};
use crate::error::{Error, Result};
use crate::profile::{CustomScalar, CustomValue, DirectoryUser, UserStatus};
use crate::records::{Group, Membership};

/// The first four bytes of every snapshot.
pub const SNAPSHOT_MAGIC: [u8; 4] = *b"OKDS";
/// The format version this build writes and the newest it reads.
pub const SNAPSHOT_VERSION: u16 = 1;
/// Bytes before the payload.
pub(super) const HEADER_LEN: usize = 20;

/// CRC-32C of `data` (the checksum the snapshot uses).
pub fn crc32c(data: &[u8]) -> u32 {
    crc32c_update(0, data)
}

/// The plain string fields of a user, in snapshot order.
fn fields(u: &DirectoryUser) -> [&Option<String>; 20] {
    let (n, a, p) = (&u.name, &u.address, &u.phones);
    [
        &u.id,
        &u.login,
        &u.email,
        &u.second_email,
        &n.given,
        &n.middle,
        &n.family,
        &n.honorific_prefix,
        &n.honorific_suffix,
        &n.nickname,
        &n.display,
        &u.birthdate,
        &a.street_address,
        &a.locality,
        &a.region,
        &a.postal_code,
        &a.country,
        &p.mobile,
        &p.primary,
        &u.employee_number,
    ]
}

fn fields_mut(u: &mut DirectoryUser) -> [&mut Option<String>; 20] {
    let (n, a, p) = (&mut u.name, &mut u.address, &mut u.phones);
    [
        &mut u.id,
        &mut u.login,
        &mut u.email,
        &mut u.second_email,
        &mut n.given,
        &mut n.middle,
        &mut n.family,
        &mut n.honorific_prefix,
        &mut n.honorific_suffix,
        &mut n.nickname,
        &mut n.display,
        &mut u.birthdate,
        &mut a.street_address,
        &mut a.locality,
        &mut a.region,
        &mut a.postal_code,
        &mut a.country,
        &mut p.mobile,
        &mut p.primary,
        &mut u.employee_number,
    ]
}

/// Fields whose values are nearly always unique (id, login, phones, employee number): never counted
/// for the table and always written inline, which saves two hash-map probes per value when encoding.
const UNIQUE_FIELDS: [usize; 5] = [0, 1, 17, 18, 19];

/// The sizes written in the meta block: live users, distinct groups, memberships.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnapshotCounts {
    /// Users.
    pub users: usize,
    /// Groups.
    pub groups: usize,
    /// (group, user) memberships.
    pub memberships: usize,
}

/// Encodes the directory (empty slots of removed users are skipped).
pub fn encode(dir: &Directory) -> Vec<u8> {
    let mut items = Vec::new();
    let mut counter = TableCounter::default();
    for user in dir.users() {
        visit_user(user, &mut counter, &mut items);
    }
    let table = counter.finish(&dir.groups);
    let counts = SnapshotCounts { users: dir.len(), groups: dir.groups.len(), memberships: dir.membership_count() };
    let mut p = start_payload(dir.len() * 128 + 1024);
    put_head(&mut p, &dir.meta, counts, &dir.config, &table);
    // Positions of live users in the snapshot, by slot.
    let mut position = vec![u32::MAX; dir.users.len()];
    let mut next = 0u32;
    for (slot, user) in dir.users.iter().enumerate() {
        let Some(user) = user else { continue };
        if let Some(pos) = position.get_mut(slot) {
            *pos = next;
            next += 1;
        }
        visit_user(user, &mut RecordWriter::new(&mut p, &table), &mut items);
    }
    put_groups(&mut p, &dir.groups, &table);
    let mut live = Vec::new();
    for slots in &dir.members {
        live.clear();
        live.extend(slots.iter().filter_map(|s| position.get(*s as usize).copied()).filter(|p| *p != u32::MAX));
        put_member_list(&mut p, &live);
    }
    seal(p)
}

/// A payload buffer that starts with room for the header ([`seal`] fills it in).
pub(super) fn start_payload(capacity: usize) -> Vec<u8> {
    let mut p = Vec::with_capacity(HEADER_LEN + capacity);
    p.resize(HEADER_LEN, 0);
    p
}

/// Meta, config and string table: everything before the user records.
pub(super) fn put_head(
    p: &mut Vec<u8>,
    meta: &SyncMeta,
    counts: SnapshotCounts,
    config: &DirectoryConfig,
    table: &StringTable<'_>,
) {
    put_str(p, &meta.origin);
    put_varint(p, meta.synced_at_ms);
    put_varint(p, counts.users as u64);
    put_varint(p, counts.groups as u64);
    put_varint(p, counts.memberships as u64);
    put_varint(p, config.keys.len() as u64);
    for key in &config.keys {
        let (tag, name) = match key {
            LookupKey::Login => (0, None),
            LookupKey::Email => (1, None),
            LookupKey::SecondEmail => (2, None),
            LookupKey::EmployeeNumber => (3, None),
            LookupKey::Custom(name) => (4, Some(name)),
        };
        p.push(tag);
        if let Some(name) = name {
            put_str(p, name);
        }
    }
    match &config.workforce_group {
        Some(id) => {
            p.push(1);
            put_str(p, id);
        }
        None => p.push(0),
    }
    put_varint(p, table.strings.len() as u64);
    for s in &table.strings {
        put_str(p, s);
    }
}

/// The group records (id, name, type refs).
pub(super) fn put_groups(p: &mut Vec<u8>, groups: &[Group], table: &StringTable<'_>) {
    for g in groups {
        for s in [&g.id, &g.name, &g.group_type] {
            table.put_ref(p, Some(s), None);
        }
    }
}

/// One group's members: the count, then positions (ascending) as the first and then gaps minus one.
pub(super) fn put_member_list(p: &mut Vec<u8>, positions: &[u32]) {
    put_varint(p, positions.len() as u64);
    let mut prev: Option<u32> = None;
    for &pos in positions {
        put_varint(p, u64::from(prev.map_or(pos, |prev| pos - prev - 1)));
        prev = Some(pos);
    }
}

/// Fills in the header of a payload begun with [`start_payload`] (length and checksum).
pub(super) fn seal(mut p: Vec<u8>) -> Vec<u8> {
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

/// Reports an owned user as the events [`walk_user`](super::snapshot_read::walk_user) reports for its
/// record, so counting and writing are one code path for owned users and stored records alike.
/// `items` is scratch space for custom values.
pub(super) fn visit_user<'a>(user: &'a DirectoryUser, sink: &mut impl RecordSink<'a>, items: &mut Vec<Scalar<'a>>) {
    sink.status(user.status);
    for (i, value) in fields(user).into_iter().enumerate() {
        sink.field(i, value.as_deref());
    }
    sink.stamp(user.last_updated.as_deref().map(|s| timestamp_ms(s).map_or(Stamp::Text(s), Stamp::Ms)));
    sink.custom_count(user.custom.len());
    let scalar = |s: &'a CustomScalar| match s {
        CustomScalar::String(v) => Scalar::Str(v),
        CustomScalar::Number(n) => Scalar::Num(*n),
        CustomScalar::Boolean(b) => Scalar::Bool(*b),
    };
    for (name, value) in &user.custom {
        items.clear();
        let list = match value {
            CustomValue::Scalar(s) => {
                items.push(scalar(s));
                false
            }
            CustomValue::List(list) => {
                items.extend(list.iter().map(scalar));
                true
            }
        };
        sink.custom(name, list, items);
    }
}

/// Writes user records: strings in the table as refs, the others inline.
pub(super) struct RecordWriter<'w, 's, 'a> {
    p: &'w mut Vec<u8>,
    table: &'w StringTable<'s>,
    login: Option<&'a str>,
}

impl<'w, 's> RecordWriter<'w, 's, '_> {
    /// A writer appending to `p`, one record per walk or visit.
    pub(super) fn new(p: &'w mut Vec<u8>, table: &'w StringTable<'s>) -> Self {
        RecordWriter { p, table, login: None }
    }

    fn scalar(&mut self, s: Scalar<'_>) {
        match s {
            Scalar::Str(v) => {
                self.p.push(0);
                self.table.put_ref(self.p, Some(v), None);
            }
            Scalar::Num(n) => {
                self.p.push(1);
                self.p.extend_from_slice(&n.to_le_bytes());
            }
            Scalar::Bool(b) => self.p.push(2 + u8::from(b)),
        }
    }
}

impl<'a> RecordSink<'a> for RecordWriter<'_, '_, 'a> {
    fn status(&mut self, status: Option<UserStatus>) {
        let at = status.and_then(|s| UserStatus::ALL.iter().position(|(x, _)| *x == s));
        self.p.push(at.map_or(0, |i| i as u8 + 1));
    }
    fn field(&mut self, i: usize, value: Option<&'a str>) {
        if i == 1 {
            self.login = value;
        }
        let same_as = if i == 2 || i == 3 { self.login } else { None };
        match value {
            Some(v) if UNIQUE_FIELDS.contains(&i) => put_inline(self.p, v),
            v => self.table.put_ref(self.p, v, same_as),
        }
    }
    fn stamp(&mut self, stamp: Option<Stamp<'a>>) {
        match stamp {
            None => self.p.push(0),
            Some(Stamp::Ms(ms)) => {
                self.p.push(1);
                put_varint(self.p, ms);
            }
            Some(Stamp::Text(s)) => {
                self.p.push(2);
                self.table.put_ref(self.p, Some(s), None);
            }
        }
    }
    fn custom_count(&mut self, n: usize) {
        put_varint(self.p, n as u64);
    }
    fn custom(&mut self, name: &'a str, list: bool, items: &[Scalar<'a>]) {
        self.table.put_ref(self.p, Some(name), None);
        if list {
            self.p.push(4);
            put_varint(self.p, items.len() as u64);
        }
        for s in items {
            self.scalar(*s);
        }
    }
}

/// An inline string ref: `3 + 2 × length`, then the bytes.
fn put_inline(p: &mut Vec<u8>, v: &str) {
    put_varint(p, 3 + 2 * v.len() as u64);
    p.extend_from_slice(v.as_bytes());
}

/// Counts the strings of user records (fed by [`visit_user`] or `walk_user`) and groups for the table.
#[derive(Default)]
pub(super) struct TableCounter<'a> {
    counts: HashMap<&'a str, (u32, u32)>,
    order: u32,
    login: Option<&'a str>,
}

impl<'a> TableCounter<'a> {
    fn see(&mut self, s: &'a str) {
        let e = self.counts.entry(s).or_insert((0, self.order));
        e.0 += 1;
        self.order += 1;
    }

    /// Counts the groups' names and types, then orders the repeated strings: most frequent first,
    /// ties by first occurrence.
    pub(super) fn finish(mut self, groups: &'a [Group]) -> StringTable<'a> {
        for g in groups {
            self.see(&g.name);
            self.see(&g.group_type);
        }
        let mut repeated: Vec<(&'a str, u32, u32)> =
            self.counts.into_iter().filter(|(_, (n, _))| *n > 1).map(|(s, (n, first))| (s, n, first)).collect();
        repeated.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        let strings: Vec<&'a str> = repeated.into_iter().map(|(s, _, _)| s).collect();
        let index = strings.iter().enumerate().map(|(i, s)| (*s, i as u64)).collect();
        StringTable { strings, index }
    }
}

impl<'a> RecordSink<'a> for TableCounter<'a> {
    fn field(&mut self, i: usize, value: Option<&'a str>) {
        if i == 1 {
            self.login = value;
        }
        // An email equal to the login is written as "same as login", never looked up.
        let same_as_login = (i == 2 || i == 3) && value == self.login;
        if let (false, false, Some(v)) = (UNIQUE_FIELDS.contains(&i), same_as_login, value) {
            self.see(v);
        }
    }
    fn stamp(&mut self, stamp: Option<Stamp<'a>>) {
        if let Some(Stamp::Text(s)) = stamp {
            self.see(s);
        }
    }
    fn custom(&mut self, name: &'a str, _list: bool, items: &[Scalar<'a>]) {
        self.see(name);
        for item in items {
            if let Scalar::Str(v) = item {
                self.see(v);
            }
        }
    }
}

/// Repeated strings, most frequent first, so the common ones get one-byte refs.
pub(super) struct StringTable<'a> {
    strings: Vec<&'a str>,
    index: HashMap<&'a str, u64>,
}

impl StringTable<'_> {
    /// No entries: every string is written inline (the builder's interim records).
    pub(super) fn empty() -> Self {
        StringTable { strings: Vec::new(), index: HashMap::new() }
    }

    /// The table's bytes when written (for sizing buffers).
    pub(super) fn byte_len(&self) -> usize {
        self.strings.iter().map(|s| s.len() + 5).sum()
    }

    fn put_ref(&self, p: &mut Vec<u8>, value: Option<&str>, same_as: Option<&str>) {
        match value {
            None => put_varint(p, 0),
            Some(v) if same_as == Some(v) => put_varint(p, 1),
            Some(v) => match self.index.get(v) {
                Some(i) => put_varint(p, 2 + 2 * i),
                None => put_inline(p, v),
            },
        }
    }
}

/// Decodes a snapshot: a whole, validated directory or a typed error (`SNAPSHOT_CORRUPT`,
/// `SNAPSHOT_VERSION_UNSUPPORTED`); never a panic, never a partial directory.
pub fn decode(bytes: &[u8]) -> Result<Directory> {
    super::snapshot_read::read_payload(&mut Reader::new(checked_payload(bytes)?))
}

/// Checks magic, version, flags, length and checksum; returns the payload.
pub(super) fn checked_payload(bytes: &[u8]) -> Result<&[u8]> {
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
    if crc32c_update(crc32c_update(0, header.get(4..16).unwrap_or(&[])), payload) != u32::from_le_bytes(crc) {
        return Err(corrupt("checksum mismatch"));
    }
    Ok(payload)
}

/// Used by the payload reader to refill the fixed string fields.
pub(super) fn user_fields_mut(u: &mut DirectoryUser) -> [&mut Option<String>; 20] {
    fields_mut(u)
}

/// Used by the payload reader to turn stored ms back into Okta's timestamp text.
pub(super) fn timestamp_text(ms: u64) -> Result<String> {
    format_timestamp(ms).ok_or(corrupt("timestamp out of range"))
}

/// Rebuilds a directory from decoded parts, checking that ids are unique.
pub(super) fn assemble(
    config: DirectoryConfig,
    meta: SyncMeta,
    users: Vec<DirectoryUser>,
    groups: Vec<Group>,
    members: &super::snapshot_read::Csr,
    membership_count: usize,
) -> Result<Directory> {
    let (user_count, group_count) = (users.len(), groups.len());
    let mut dir = Directory::build(users, groups, &[] as &[Membership], config, meta);
    if dir.len() != user_count || dir.groups.len() != group_count {
        return Err(corrupt("duplicate user or group id"));
    }
    for g in 0..group_count {
        for &slot in members.row(g) {
            dir.link(g as u32, slot);
        }
    }
    if dir.membership_count() != membership_count {
        return Err(corrupt("membership count mismatch"));
    }
    Ok(dir)
}
