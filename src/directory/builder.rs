//! Building a snapshot straight from a sync's users, without an owning [`Directory`](super::Directory).
//!
//! A journaled sync used to keep every user as a `DirectoryUser` (about twenty heap strings each) in an
//! indexed `Directory` only to encode it once at the end. [`SnapshotBuilder`] instead keeps each user as an
//! **interim record**: the snapshot's own user-record encoding with an empty string table (every string
//! inline, an email equal to the login as the "same as login" ref), appended to a chunked byte arena, plus
//! an id → position map. [`SnapshotBuilder::finish`] walks the records twice with the snapshot reader's
//! `walk_user`: once counting strings for the table (the same order as [`encode`](super::encode)), once
//! writing the final records with table refs. The bytes equal `encode` of the owning directory built from
//! the same users, groups and memberships.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::index::{DirectoryConfig, SyncMeta};
use super::snapshot::read::{walk_user, Scratch};
use super::snapshot::write::{
    put_frequencies, put_groups, put_head, put_member_list, visit_user, RecordWriter, SnapshotCounts, StringTable,
    TableCounter,
};
use super::snapshot::{seal, start_payload, Reader};
use crate::error::Result;
use crate::hash::IdHasher;
use crate::profile::DirectoryUser;
use crate::records::Group;

/// Arena block size: records are appended to the last block while they fit; a record larger than a
/// block gets a block of its own. Growing never copies earlier records.
pub const ARENA_BLOCK: usize = 1 << 20;

/// Where one interim record lives in the arena.
#[derive(Debug, Clone, Copy)]
struct Span {
    block: u32,
    start: u32,
    len: u32,
}

/// Append-only storage of interim records in fixed blocks.
#[derive(Debug, Default)]
struct Arena {
    blocks: Vec<Vec<u8>>,
}

impl Arena {
    /// Appends `bytes` (None only past 4 GiB of blocks or a 4 GiB record, which a wasm32 heap cannot hold).
    fn push(&mut self, bytes: &[u8]) -> Option<Span> {
        let fits = self.blocks.last().is_some_and(|b| b.capacity() - b.len() >= bytes.len());
        if !fits {
            self.blocks.push(Vec::with_capacity(ARENA_BLOCK.max(bytes.len())));
        }
        let index = self.blocks.len().checked_sub(1)?;
        let block = self.blocks.get_mut(index)?;
        let span = Span {
            block: u32::try_from(index).ok()?,
            start: u32::try_from(block.len()).ok()?,
            len: u32::try_from(bytes.len()).ok()?,
        };
        block.extend_from_slice(bytes);
        Some(span)
    }

    fn get(&self, span: Span) -> &[u8] {
        let start = span.start as usize;
        self.blocks.get(span.block as usize).and_then(|b| b.get(start..start + span.len as usize)).unwrap_or(&[])
    }
}

/// Builds a snapshot from users upserted one by one, then groups and memberships at the end.
#[derive(Debug)]
pub struct SnapshotBuilder {
    config: DirectoryConfig,
    meta: SyncMeta,
    arena: Arena,
    /// Per position, the user's current record.
    records: Vec<Span>,
    by_id: HashMap<Box<str>, u32, BuildHasherDefault<IdHasher>>,
    /// Reused encoding buffer.
    scratch: Vec<u8>,
    /// Whether the snapshot carries the users' frequency table (not in a KV shard: a shard's users are
    /// not the directory's).
    frequencies: bool,
}

impl SnapshotBuilder {
    /// An empty builder; lookup keys are deduplicated as [`Directory::build`](super::Directory::build) does.
    pub fn new(config: DirectoryConfig, meta: SyncMeta) -> SnapshotBuilder {
        SnapshotBuilder {
            config: config.deduplicated(),
            meta,
            arena: Arena::default(),
            records: Vec::new(),
            by_id: HashMap::default(),
            scratch: Vec::new(),
            frequencies: true,
        }
    }

    /// This builder, writing no frequency table (for a part of a directory, such as a KV shard).
    pub fn without_frequencies(mut self) -> SnapshotBuilder {
        self.frequencies = false;
        self
    }

    /// Number of distinct users so far.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no user was kept yet.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Bytes held by the arena's blocks (capacity, including the unused tail of the last one).
    pub fn arena_bytes(&self) -> usize {
        self.arena.blocks.iter().map(Vec::capacity).sum()
    }

    /// Adds a user, or replaces the user with the same id in its original position. A user without an
    /// id is ignored (as [`Directory::apply_delta`](super::Directory::apply_delta) does).
    pub fn upsert_user(&mut self, user: DirectoryUser) {
        if user.id.is_none() {
            return;
        }
        self.scratch.clear();
        let empty = StringTable::empty();
        visit_user(&user, &mut RecordWriter::new(&mut self.scratch, &empty), &mut Vec::new());
        let Some(span) = self.arena.push(&self.scratch) else { return };
        let Some(id) = user.id else { return };
        match self.by_id.get(id.as_str()) {
            Some(&pos) => {
                if let Some(place) = self.records.get_mut(pos as usize) {
                    *place = span;
                }
            }
            None => {
                let Ok(pos) = u32::try_from(self.records.len()) else { return };
                self.records.push(span);
                self.by_id.insert(id.into_boxed_str(), pos);
            }
        }
    }

    /// Appends a user that has no id (kept, as [`Directory::build`](super::Directory::build) keeps it, but
    /// never replaced: nothing can name it again). [`SnapshotBuilder::upsert_user`] ignores such users.
    pub fn append_user_without_id(&mut self, user: &DirectoryUser) {
        self.scratch.clear();
        let empty = StringTable::empty();
        visit_user(user, &mut RecordWriter::new(&mut self.scratch, &empty), &mut Vec::new());
        if let Some(span) = self.arena.push(&self.scratch) {
            self.records.push(span);
        }
    }

    /// The snapshot: groups in order (a repeated id replaces the earlier group in place and merges its
    /// members), `members[g]` the user ids of `groups[g]` (unknown ids skipped, duplicates collapsed).
    /// Errors only if an interim record does not read back (`SNAPSHOT_CORRUPT`: a custom number that is
    /// not finite, which no JSON input can produce).
    pub fn finish(self, groups: Vec<Group>, members: Vec<Vec<String>>) -> Result<(Vec<u8>, SnapshotCounts)> {
        let SnapshotBuilder { config, meta, arena, records, by_id, scratch, frequencies } = self;
        drop(scratch);
        let (groups, lists) = join_groups(groups, members, &by_id);
        drop(by_id);
        let mut walk = Scratch::default();
        let mut counter = TableCounter::default();
        for &span in &records {
            walk_user(&mut Reader::new(arena.get(span)), &[], &mut counter, &mut walk)?;
        }
        let (table, table_of_frequencies) = counter.finish(&groups);
        let counts = SnapshotCounts {
            users: records.len(),
            groups: groups.len(),
            memberships: lists.iter().map(Vec::len).sum(),
        };
        let record_bytes: usize = records.iter().map(|s| s.len as usize).sum();
        let mut p = start_payload(record_bytes + table.byte_len() + 64 * groups.len() + 3 * counts.memberships + 1024);
        put_head(&mut p, &meta, counts, &config, &table);
        for &span in &records {
            walk_user(&mut Reader::new(arena.get(span)), &[], &mut RecordWriter::new(&mut p, &table), &mut walk)?;
        }
        put_groups(&mut p, &groups, &table);
        for list in &lists {
            put_member_list(&mut p, list);
        }
        put_frequencies(&mut p, frequencies.then_some(&table_of_frequencies));
        Ok((seal(p), counts))
    }
}

/// Groups merged by id (first position, last data) and their member positions, ascending and distinct.
fn join_groups(
    groups: Vec<Group>,
    members: Vec<Vec<String>>,
    by_id: &HashMap<Box<str>, u32, BuildHasherDefault<IdHasher>>,
) -> (Vec<Group>, Vec<Vec<u32>>) {
    let mut merged: Vec<Group> = Vec::with_capacity(groups.len());
    let mut lists: Vec<Vec<u32>> = Vec::with_capacity(groups.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(groups.len());
    let mut members = members.into_iter();
    for group in groups {
        let ids = members.next().unwrap_or_default();
        let g = match index.get(&group.id) {
            Some(&g) => {
                if let Some(place) = merged.get_mut(g) {
                    *place = group;
                }
                g
            }
            None => {
                index.insert(group.id.clone(), merged.len());
                merged.push(group);
                lists.push(Vec::new());
                merged.len() - 1
            }
        };
        if let Some(list) = lists.get_mut(g) {
            list.extend(ids.iter().filter_map(|id| by_id.get(id.as_str()).copied()));
        }
    }
    for list in &mut lists {
        crate::sort::sort(list);
        list.dedup();
    }
    (merged, lists)
}
