//! Writing a snapshot's payload: the head (meta, config, string table), user records with table
//! refs, groups and memberships. Shared by [`super::encode`] and the builder, so both write the same bytes.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::fields;
use super::read::{RecordSink, Scalar, Stamp};
use super::wire::{put_str, timestamp_ms};
use crate::directory::index::{DirectoryConfig, SyncMeta};
use crate::directory::key::LookupKey;
use crate::hash::IdHasher;
use crate::profile::frequency::{FrequencyCounter, FrequencyTable};
use crate::profile::{CustomScalar, CustomValue, DirectoryUser, UserStatus};
use crate::records::Group;
use crate::varint::put_varint;

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

/// Meta, config and string table: everything before the user records.
pub(in crate::directory) fn put_head(
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
pub(in crate::directory) fn put_groups(p: &mut Vec<u8>, groups: &[Group], table: &StringTable<'_>) {
    for g in groups {
        for s in [&g.id, &g.name, &g.group_type] {
            table.put_ref(p, Some(s), None);
        }
    }
}

/// One group's members: the count, then positions (ascending) as the first and then gaps minus one.
pub(in crate::directory) fn put_member_list(p: &mut Vec<u8>, positions: &[u32]) {
    put_varint(p, positions.len() as u64);
    let mut prev: Option<u32> = None;
    for &pos in positions {
        put_varint(p, u64::from(prev.map_or(pos, |prev| pos - prev - 1)));
        prev = Some(pos);
    }
}

/// The frequency block (format version 2): the table's length and bytes, or 0 for none.
pub(in crate::directory) fn put_frequencies(p: &mut Vec<u8>, table: Option<&FrequencyTable>) {
    match table {
        Some(t) => {
            let bytes = t.to_bytes();
            put_varint(p, bytes.len() as u64);
            p.extend_from_slice(&bytes);
        }
        None => put_varint(p, 0),
    }
}

/// Reports an owned user as the events [`walk_user`](super::read::walk_user) reports for its
/// record, so counting and writing are one code path for owned users and stored records alike.
/// `items` is scratch space for custom values.
pub(in crate::directory) fn visit_user<'a>(
    user: &'a DirectoryUser,
    sink: &mut impl RecordSink<'a>,
    items: &mut Vec<Scalar<'a>>,
) {
    sink.status(user.status);
    for (i, value) in fields::values(user).into_iter().enumerate() {
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
pub(in crate::directory) struct RecordWriter<'w, 's, 'a> {
    p: &'w mut Vec<u8>,
    table: &'w StringTable<'s>,
    login: Option<&'a str>,
}

impl<'w, 's> RecordWriter<'w, 's, '_> {
    /// A writer appending to `p`, one record per walk or visit.
    pub(in crate::directory) fn new(p: &'w mut Vec<u8>, table: &'w StringTable<'s>) -> Self {
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
        if i == fields::LOGIN {
            self.login = value;
        }
        let same_as = if fields::may_be_same_as_login(i) { self.login } else { None };
        match value {
            Some(v) if fields::is_unique(i) => put_inline(self.p, v),
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

/// Counts the strings of user records (fed by [`visit_user`] or `walk_user`) and groups for the table,
/// and the users' given names, family names and birthdates for the frequency table.
#[derive(Default)]
pub(in crate::directory) struct TableCounter<'a> {
    /// Hashed with [`IdHasher`] (a multiply-rotate, not SipHash): counting every string of a directory is the
    /// writer's main cost, and a crafted collision could only slow a write down, never change its bytes (the
    /// table's order comes from the counts and first occurrences, not from the map).
    counts: HashMap<&'a str, (u32, u32), BuildHasherDefault<IdHasher>>,
    order: u32,
    login: Option<&'a str>,
    /// The current record's given name, family name and birthdate.
    person: [Option<&'a str>; 3],
    frequencies: FrequencyCounter<'a>,
}

impl<'a> TableCounter<'a> {
    fn see(&mut self, s: &'a str) {
        let e = self.counts.entry(s).or_insert((0, self.order));
        e.0 += 1;
        self.order += 1;
    }

    /// Counts the groups' names and types, then orders the repeated strings: most frequent first,
    /// ties by first occurrence; with the users' frequency table.
    pub(in crate::directory) fn finish(mut self, groups: &'a [Group]) -> (StringTable<'a>, FrequencyTable) {
        for g in groups {
            self.see(&g.name);
            self.see(&g.group_type);
        }
        let mut repeated: Vec<(&'a str, u32, u32)> =
            self.counts.into_iter().filter(|(_, (n, _))| *n > 1).map(|(s, (n, first))| (s, n, first)).collect();
        // No two strings share a first occurrence: a total order, the same under any sort.
        crate::sort::sort_by(&mut repeated, |a, b| (b.1, a.2) < (a.1, b.2));
        let strings: Vec<&'a str> = repeated.into_iter().map(|(s, _, _)| s).collect();
        let index = strings.iter().enumerate().map(|(i, s)| (*s, i as u64)).collect();
        (StringTable { strings, index }, self.frequencies.finish())
    }
}

impl<'a> RecordSink<'a> for TableCounter<'a> {
    fn field(&mut self, i: usize, value: Option<&'a str>) {
        if i == fields::LOGIN {
            self.login = value;
        }
        if let Some(slot) = [fields::GIVEN, fields::FAMILY, fields::BIRTHDATE].iter().position(|f| *f == i) {
            self.person[slot] = value;
        }
        // An email equal to the login is written as "same as login", never looked up.
        let same_as_login = fields::may_be_same_as_login(i) && value == self.login;
        if let (false, false, Some(v)) = (fields::is_unique(i), same_as_login, value) {
            self.see(v);
        }
    }
    fn stamp(&mut self, stamp: Option<Stamp<'a>>) {
        // Every string field has been seen: the record's person is complete.
        let [given, family, birthdate] = std::mem::take(&mut self.person);
        self.frequencies.add(given, family, birthdate);
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
pub(in crate::directory) struct StringTable<'a> {
    strings: Vec<&'a str>,
    index: HashMap<&'a str, u64, BuildHasherDefault<IdHasher>>,
}

impl StringTable<'_> {
    /// No entries: every string is written inline (the builder's interim records).
    pub(in crate::directory) fn empty() -> Self {
        StringTable { strings: Vec::new(), index: HashMap::default() }
    }

    /// The table's bytes when written (for sizing buffers).
    pub(in crate::directory) fn byte_len(&self) -> usize {
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
