//! Reading a snapshot's payload (layout in [`super`]). Every count is bounded by the bytes
//! left, every reference is checked against what it points into, and nothing is built until the
//! whole payload has been read.
//!
//! The pieces here are shared by the owning decoder ([`super::decode`]) and the compact directory
//! (`directory::compact`), so both accept exactly the same snapshots: a user record is validated by
//! [`walk_user`] whichever of the two reads it.

use std::collections::BTreeMap;

use super::chunked::chunked;
use super::fields::{self, COUNT};
use super::wire::{corrupt, timestamp_in_range, timestamp_text, Reader};
use crate::directory::index::{DirectoryConfig, SyncMeta};
use crate::directory::key::LookupKey;
use crate::error::Result;
use crate::profile::frequency::FrequencyTable;
use crate::profile::{CustomScalar, CustomValue, DirectoryUser, UserStatus};
use crate::records::Group;

/// The string table: `(start, end)` byte ranges in the payload (each validated as UTF-8 once read).
pub(in crate::directory) type Table = Vec<(usize, usize)>;

/// Everything before the user records.
pub(in crate::directory) struct Head {
    pub(in crate::directory) meta: SyncMeta,
    pub(in crate::directory) user_count: usize,
    pub(in crate::directory) group_count: usize,
    pub(in crate::directory) membership_count: usize,
    pub(in crate::directory) config: DirectoryConfig,
    pub(in crate::directory) table: Table,
}

/// Reads meta, config and string table.
pub(in crate::directory) fn read_head(r: &mut Reader<'_>) -> Result<Head> {
    let origin = r.str()?.to_string();
    let synced_at_ms = r.varint()?;
    // Each user takes at least 23 bytes (status, 20 refs, lastUpdated tag, custom count); each group 3.
    let user_count = r.count(23)?;
    let group_count = r.count(3)?;
    let membership_count = r.count(1)?;
    let key_count = r.count(1)?;
    let mut keys = Vec::with_capacity(key_count);
    for _ in 0..key_count {
        keys.push(match r.u8()? {
            0 => LookupKey::Login,
            1 => LookupKey::Email,
            2 => LookupKey::SecondEmail,
            3 => LookupKey::EmployeeNumber,
            4 => LookupKey::Custom(r.str()?.to_string()),
            _ => return Err(corrupt("unknown lookup key tag")),
        });
    }
    let workforce_group = match r.u8()? {
        0 => None,
        1 => Some(r.str()?.to_string()),
        _ => return Err(corrupt("bad workforce flag")),
    };
    let table_len = r.count(1)?;
    let mut table = Vec::with_capacity(table_len);
    for _ in 0..table_len {
        let n = r.usize()?;
        let start = r.pos();
        r.str_of(n)?;
        table.push((start, r.pos()));
    }
    Ok(Head {
        meta: SyncMeta { origin, synced_at_ms },
        user_count,
        group_count,
        membership_count,
        config: DirectoryConfig { keys, workforce_group },
        table,
    })
}

/// Reads a string ref; `login` is what ref 1 ("same as the login") stands for.
#[inline]
pub(in crate::directory) fn read_ref<'a>(
    r: &mut Reader<'a>,
    table: &[(usize, usize)],
    login: Option<&'a str>,
) -> Result<Option<&'a str>> {
    let v = r.varint()?;
    Ok(match v {
        0 => None,
        1 => Some(login.ok_or_else(|| corrupt("a same-as-login ref without a login"))?),
        v if v % 2 == 0 => {
            let i = usize::try_from((v - 2) / 2).map_err(|_| corrupt("string index out of range"))?;
            let (start, end) = *table.get(i).ok_or_else(|| corrupt("string index out of range"))?;
            Some(r.text_at(start, end)?)
        }
        v => {
            let n = usize::try_from((v - 3) / 2).map_err(|_| corrupt("string length out of range"))?;
            Some(r.str_of(n)?)
        }
    })
}

/// Validates a string ref without resolving a table entry (the same errors as [`read_ref`]).
#[inline]
fn skip_ref(r: &mut Reader<'_>, table: &[(usize, usize)], may_be_login: bool, has_login: bool) -> Result<()> {
    match r.varint()? {
        0 => {}
        1 if may_be_login && has_login => {}
        1 => return Err(corrupt("a same-as-login ref without a login")),
        v if v % 2 == 0 => {
            let i = usize::try_from((v - 2) / 2).map_err(|_| corrupt("string index out of range"))?;
            if i >= table.len() {
                return Err(corrupt("string index out of range"));
            }
        }
        v => {
            let n = usize::try_from((v - 3) / 2).map_err(|_| corrupt("string length out of range"))?;
            r.str_of(n)?;
        }
    }
    Ok(())
}

/// A custom attribute's scalar, borrowed from the snapshot.
#[derive(Debug, Clone, Copy)]
pub(in crate::directory) enum Scalar<'a> {
    Str(&'a str),
    Num(f64),
    Bool(bool),
}

impl Scalar<'_> {
    fn owned(self) -> CustomScalar {
        match self {
            Scalar::Str(s) => CustomScalar::String(s.to_string()),
            Scalar::Num(n) => CustomScalar::Number(n),
            Scalar::Bool(b) => CustomScalar::Boolean(b),
        }
    }
}

/// `lastUpdated` as stored.
#[derive(Debug, Clone, Copy)]
pub(in crate::directory) enum Stamp<'a> {
    Ms(u64),
    Text(&'a str),
}

/// What [`walk_user`] reports, in record order.
pub(in crate::directory) trait RecordSink<'a> {
    /// Whether string field `i` is wanted (an unwanted table ref is bounds-checked only: table
    /// entries were validated when the table was read).
    fn wants(&self, _i: usize) -> bool {
        true
    }
    /// The status byte.
    fn status(&mut self, _status: Option<UserStatus>) {}
    /// String field `i` (order of [`fields::FIELDS`]).
    fn field(&mut self, _i: usize, _value: Option<&'a str>) {}
    /// `lastUpdated` (`None` when absent).
    fn stamp(&mut self, _stamp: Option<Stamp<'a>>) {}
    /// How many custom attributes follow.
    fn custom_count(&mut self, _n: usize) {}
    /// One custom attribute: a scalar (`list == false`, one item) or a list.
    fn custom(&mut self, _name: &'a str, _list: bool, _items: &[Scalar<'a>]) {}
}

/// Buffers reused from one record to the next.
#[derive(Default)]
pub(in crate::directory) struct Scratch<'a> {
    names: Vec<&'a str>,
    items: Vec<Scalar<'a>>,
}

/// Reads and validates one user record, reporting its values to `sink`.
pub(in crate::directory) fn walk_user<'a>(
    r: &mut Reader<'a>,
    table: &[(usize, usize)],
    sink: &mut impl RecordSink<'a>,
    scratch: &mut Scratch<'a>,
) -> Result<()> {
    let status = match r.u8()? {
        0 => None,
        i => Some(UserStatus::ALL.get(usize::from(i) - 1).ok_or_else(|| corrupt("unknown user status"))?.0),
    };
    sink.status(status);
    let mut login: Option<&'a str> = None;
    for i in 0..COUNT {
        if i > fields::LOGIN && !sink.wants(i) {
            skip_ref(r, table, fields::may_be_same_as_login(i), login.is_some())?;
            continue;
        }
        let same_as = if fields::may_be_same_as_login(i) { login } else { None };
        let value = read_ref(r, table, same_as)?;
        if i == fields::LOGIN {
            login = value;
        }
        sink.field(i, value);
    }
    let stamp = match r.u8()? {
        0 => None,
        1 => {
            let ms = r.varint()?;
            if !timestamp_in_range(ms) {
                return Err(corrupt("timestamp out of range"));
            }
            Some(Stamp::Ms(ms))
        }
        2 => Some(Stamp::Text(read_ref(r, table, None)?.ok_or_else(|| corrupt("an absent lastUpdated ref"))?)),
        _ => return Err(corrupt("bad lastUpdated tag")),
    };
    sink.stamp(stamp);
    let n = r.count(2)?;
    sink.custom_count(n);
    scratch.names.clear();
    for _ in 0..n {
        let name = read_ref(r, table, None)?.ok_or_else(|| corrupt("an absent attribute name"))?;
        scratch.names.push(name);
        match r.u8()? {
            4 => {
                let len = r.count(1)?;
                scratch.items.clear();
                for _ in 0..len {
                    let tag = r.u8()?;
                    scratch.items.push(read_scalar(r, table, tag)?);
                }
                sink.custom(name, true, &scratch.items);
            }
            tag => {
                let s = read_scalar(r, table, tag)?;
                sink.custom(name, false, std::slice::from_ref(&s));
            }
        }
    }
    if n > 1 {
        crate::sort::sort(&mut scratch.names);
        if scratch.names.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(corrupt("a repeated custom attribute"));
        }
    }
    Ok(())
}

fn read_scalar<'a>(r: &mut Reader<'a>, table: &[(usize, usize)], tag: u8) -> Result<Scalar<'a>> {
    Ok(match tag {
        0 => Scalar::Str(read_ref(r, table, None)?.ok_or_else(|| corrupt("an absent custom string"))?),
        1 => {
            let n = r.f64()?;
            if !n.is_finite() {
                return Err(corrupt("a custom number is not finite"));
            }
            Scalar::Num(n)
        }
        2 => Scalar::Bool(false),
        3 => Scalar::Bool(true),
        _ => return Err(corrupt("bad custom value tag")),
    })
}

/// Builds an owned [`DirectoryUser`] from a walked record.
#[derive(Default)]
pub(in crate::directory) struct UserBuilder<'a> {
    status: Option<UserStatus>,
    fields: [Option<&'a str>; COUNT],
    stamp: Option<Stamp<'a>>,
    custom: BTreeMap<String, CustomValue>,
}

impl<'a> RecordSink<'a> for UserBuilder<'a> {
    fn status(&mut self, status: Option<UserStatus>) {
        self.status = status;
    }
    fn field(&mut self, i: usize, value: Option<&'a str>) {
        if let Some(slot) = self.fields.get_mut(i) {
            *slot = value;
        }
    }
    fn stamp(&mut self, stamp: Option<Stamp<'a>>) {
        self.stamp = stamp;
    }
    fn custom(&mut self, name: &'a str, list: bool, items: &[Scalar<'a>]) {
        let value = match (list, items) {
            (false, [one]) => CustomValue::Scalar(one.owned()),
            _ => CustomValue::List(items.iter().map(|s| s.owned()).collect()),
        };
        self.custom.insert(name.to_string(), value);
    }
}

impl UserBuilder<'_> {
    /// The user (consumes the builder).
    pub(in crate::directory) fn finish(self) -> Result<DirectoryUser> {
        let mut user = DirectoryUser { status: self.status, custom: self.custom, ..DirectoryUser::default() };
        for (slot, value) in fields::values_mut(&mut user).into_iter().zip(self.fields) {
            *slot = value.map(str::to_string);
        }
        user.last_updated = match self.stamp {
            None => None,
            Some(Stamp::Ms(ms)) => Some(timestamp_text(ms)?),
            Some(Stamp::Text(s)) => Some(s.to_string()),
        };
        Ok(user)
    }
}

/// Group memberships as one flat array: the members of group `g` are `items[starts[g]..starts[g + 1]]`.
#[derive(Debug, Clone, Default)]
pub(in crate::directory) struct Csr {
    pub(in crate::directory) starts: Vec<u32>,
    pub(in crate::directory) items: Vec<u32>,
}

impl Csr {
    /// The items of row `i` (empty when out of range).
    pub(in crate::directory) fn row(&self, i: usize) -> &[u32] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The transpose: for each of `rows` targets, the source rows that list it, ascending.
    pub(in crate::directory) fn transpose(&self, rows: usize) -> Csr {
        // Loops in chunks (`chunked`): a load calls this once, over every membership.
        let mut starts = vec![0u32; rows + 1];
        chunked(self.items.len(), |r| {
            for &item in self.items.get(r).unwrap_or(&[]) {
                if let Some(c) = starts.get_mut(item as usize + 1) {
                    *c += 1;
                }
            }
        });
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next: Vec<u32> = starts.clone();
        let mut items = vec![0u32; self.items.len()];
        for source in 0..self.starts.len().saturating_sub(1) {
            let row = self.row(source);
            chunked(row.len(), |r| {
                for &item in row.get(r).unwrap_or(&[]) {
                    if let Some(at) = next.get_mut(item as usize) {
                        if let Some(place) = items.get_mut(*at as usize) {
                            *place = source as u32;
                        }
                        *at += 1;
                    }
                }
            });
        }
        Csr { starts, items }
    }
}

/// What follows the user records: groups, memberships and (version 2) the frequency table.
pub(in crate::directory) struct Tail {
    pub(in crate::directory) groups: Vec<Group>,
    pub(in crate::directory) members: Csr,
    /// `None` in a version-1 snapshot or one written without a table (a KV shard).
    pub(in crate::directory) frequencies: Option<FrequencyTable>,
}

/// Reads groups, memberships and, from format `version` 2 on, the frequency table (after the user
/// records), and checks that the payload ends there.
pub(in crate::directory) fn read_tail(r: &mut Reader<'_>, head: &Head, version: u16) -> Result<Tail> {
    let mut groups = Vec::with_capacity(head.group_count);
    for _ in 0..head.group_count {
        let mut part =
            || read_ref(r, &head.table, None)?.map(str::to_string).ok_or_else(|| corrupt("a group field is absent"));
        groups.push(Group { id: part()?, name: part()?, group_type: part()? });
    }
    let mut members = Csr { starts: Vec::with_capacity(head.group_count + 1), items: Vec::new() };
    members.starts.push(0);
    for _ in 0..head.group_count {
        let n = r.count(1)?;
        if n > head.user_count {
            return Err(corrupt("a group has more members than users"));
        }
        let mut prev: Option<u64> = None;
        for _ in 0..n {
            let v = r.varint()?;
            let pos = match prev {
                None => v,
                Some(p) => {
                    p.checked_add(v).and_then(|x| x.checked_add(1)).ok_or_else(|| corrupt("member gap overflows"))?
                }
            };
            if pos >= head.user_count as u64 {
                return Err(corrupt("a member position is out of range"));
            }
            members.items.push(pos as u32);
            prev = Some(pos);
        }
        let end = u32::try_from(members.items.len()).map_err(|_| corrupt("too many memberships"))?;
        members.starts.push(end);
    }
    let frequencies = match version {
        1 => None,
        _ => match r.count(1)? {
            0 => None,
            n => Some(FrequencyTable::from_bytes(r.bytes(n)?)?),
        },
    };
    if r.remaining() != 0 {
        return Err(corrupt("unread bytes at the end of the payload"));
    }
    if members.items.len() != head.membership_count {
        return Err(corrupt("membership count mismatch"));
    }
    Ok(Tail { groups, members, frequencies })
}
