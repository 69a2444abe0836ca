//! Reading a snapshot's payload (layout in [`super::snapshot`]). Every count is bounded by the bytes
//! left, every reference is checked against what it points into, and nothing is built until the
//! whole payload has been read.

use std::collections::BTreeMap;

use super::index::{Directory, DirectoryConfig, SyncMeta};
use super::key::LookupKey;
use super::snapshot::{assemble, timestamp_text, user_fields_mut};
use super::wire::{corrupt, Reader};
use crate::error::Result;
use crate::profile::{CustomScalar, CustomValue, DirectoryUser, UserStatus};
use crate::sync::Group;

/// Decodes a checksummed payload into a directory.
pub(super) fn read_payload(r: &mut Reader<'_>) -> Result<Directory> {
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
        table.push(r.str()?);
    }
    let refs = Refs { table };
    let mut users = Vec::with_capacity(user_count);
    for _ in 0..user_count {
        users.push(read_user(r, &refs)?);
    }
    let mut groups = Vec::with_capacity(group_count);
    for _ in 0..group_count {
        let mut part = || refs.read(r, None)?.map(str::to_string).ok_or(corrupt("a group field is absent"));
        groups.push(Group { id: part()?, name: part()?, group_type: part()? });
    }
    let mut members = Vec::with_capacity(group_count);
    let mut total = 0usize;
    for _ in 0..group_count {
        let n = r.count(1)?;
        if n > user_count {
            return Err(corrupt("a group has more members than users"));
        }
        let mut slots = Vec::with_capacity(n);
        let mut prev: Option<u64> = None;
        for _ in 0..n {
            let v = r.varint()?;
            let pos = match prev {
                None => v,
                Some(p) => p.checked_add(v).and_then(|x| x.checked_add(1)).ok_or(corrupt("member gap overflows"))?,
            };
            if pos >= user_count as u64 {
                return Err(corrupt("a member position is out of range"));
            }
            slots.push(pos as u32);
            prev = Some(pos);
        }
        total += n;
        members.push(slots);
    }
    if r.remaining() != 0 {
        return Err(corrupt("unread bytes at the end of the payload"));
    }
    if total != membership_count {
        return Err(corrupt("membership count mismatch"));
    }
    let config = DirectoryConfig { keys, workforce_group };
    assemble(config, SyncMeta { origin, synced_at_ms }, users, groups, members, membership_count)
}

struct Refs<'a> {
    table: Vec<&'a str>,
}

impl<'a> Refs<'a> {
    /// Reads a string ref; `login` is what ref 1 ("same as the login") stands for.
    fn read(&self, r: &mut Reader<'a>, login: Option<&'a str>) -> Result<Option<&'a str>> {
        let v = r.varint()?;
        Ok(match v {
            0 => None,
            1 => Some(login.ok_or(corrupt("a same-as-login ref without a login"))?),
            v if v % 2 == 0 => {
                let i = usize::try_from((v - 2) / 2).map_err(|_| corrupt("string index out of range"))?;
                Some(*self.table.get(i).ok_or(corrupt("string index out of range"))?)
            }
            v => {
                let n = usize::try_from((v - 3) / 2).map_err(|_| corrupt("string length out of range"))?;
                Some(r.str_of(n)?)
            }
        })
    }
}

fn read_user<'a>(r: &mut Reader<'a>, refs: &Refs<'a>) -> Result<DirectoryUser> {
    let status = match r.u8()? {
        0 => None,
        i => Some(UserStatus::ALL.get(usize::from(i) - 1).ok_or(corrupt("unknown user status"))?.0),
    };
    let mut user = DirectoryUser { status, ..DirectoryUser::default() };
    let mut login: Option<&'a str> = None;
    for (i, slot) in user_fields_mut(&mut user).into_iter().enumerate() {
        let same_as = if i == 2 || i == 3 { login } else { None };
        let value = refs.read(r, same_as)?;
        if i == 1 {
            login = value;
        }
        *slot = value.map(str::to_string);
    }
    user.last_updated = match r.u8()? {
        0 => None,
        1 => Some(timestamp_text(r.varint()?)?),
        2 => Some(refs.read(r, None)?.ok_or(corrupt("an absent lastUpdated ref"))?.to_string()),
        _ => return Err(corrupt("bad lastUpdated tag")),
    };
    let n = r.count(2)?;
    let mut custom = BTreeMap::new();
    for _ in 0..n {
        let name = refs.read(r, None)?.ok_or(corrupt("an absent attribute name"))?.to_string();
        let value = match r.u8()? {
            4 => {
                let len = r.count(1)?;
                let mut items = Vec::with_capacity(len);
                for _ in 0..len {
                    let tag = r.u8()?;
                    items.push(read_scalar(r, refs, tag)?);
                }
                CustomValue::List(items)
            }
            tag => CustomValue::Scalar(read_scalar(r, refs, tag)?),
        };
        if custom.insert(name, value).is_some() {
            return Err(corrupt("a repeated custom attribute"));
        }
    }
    user.custom = custom;
    Ok(user)
}

fn read_scalar<'a>(r: &mut Reader<'a>, refs: &Refs<'a>, tag: u8) -> Result<CustomScalar> {
    Ok(match tag {
        0 => CustomScalar::String(refs.read(r, None)?.ok_or(corrupt("an absent custom string"))?.to_string()),
        1 => {
            let n = r.f64()?;
            if !n.is_finite() {
                return Err(corrupt("a custom number is not finite"));
            }
            CustomScalar::Number(n)
        }
        2 => CustomScalar::Boolean(false),
        3 => CustomScalar::Boolean(true),
        _ => return Err(corrupt("bad custom value tag")),
    })
}
