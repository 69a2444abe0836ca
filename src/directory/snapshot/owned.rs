//! The owning [`Directory`] as a snapshot and back: [`encode`] and [`decode`].

use super::header::{checked_payload, seal, start_payload, version_of};
use super::read::{read_head, read_tail, walk_user, Csr, Scratch, Tail, UserBuilder};
use super::wire::{corrupt, Reader};
use super::write::{
    put_frequencies, put_groups, put_head, put_member_list, visit_user, RecordWriter, SnapshotCounts, TableCounter,
};
use crate::directory::index::{Directory, DirectoryConfig, SyncMeta};
use crate::error::Result;
use crate::profile::DirectoryUser;
use crate::records::{Group, Membership};

/// Encodes the directory (empty slots of removed users are skipped).
pub fn encode(dir: &Directory) -> Vec<u8> {
    let mut items = Vec::new();
    let mut counter = TableCounter::default();
    for user in dir.users() {
        visit_user(user, &mut counter, &mut items);
    }
    let (table, frequencies) = counter.finish(&dir.groups);
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
    put_frequencies(&mut p, Some(&frequencies));
    seal(p)
}

/// Decodes a snapshot: a whole, validated directory or a typed error (`SNAPSHOT_CORRUPT`,
/// `SNAPSHOT_VERSION_UNSUPPORTED`); never a panic, never a partial directory.
pub fn decode(bytes: &[u8]) -> Result<Directory> {
    read_payload(&mut Reader::new(checked_payload(bytes)?), version_of(bytes))
}

/// Rebuilds a directory from decoded parts, checking that ids are unique.
fn assemble(
    config: DirectoryConfig,
    meta: SyncMeta,
    users: Vec<DirectoryUser>,
    groups: Vec<Group>,
    members: &Csr,
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

/// Decodes a checksummed payload into a directory.
/// (The frequency table is validated, not kept: [`encode`] counts it again from the users.)
fn read_payload(r: &mut Reader<'_>, version: u16) -> Result<Directory> {
    let head = read_head(r)?;
    let mut users = Vec::with_capacity(head.user_count);
    let mut scratch = Scratch::default();
    for _ in 0..head.user_count {
        let mut builder = UserBuilder::default();
        walk_user(r, &head.table, &mut builder, &mut scratch)?;
        users.push(builder.finish()?);
    }
    let Tail { groups, members, .. } = read_tail(r, &head, version)?;
    assemble(head.config, head.meta, users, groups, &members, head.membership_count)
}
