//! Applying a delta to a snapshot in its encoded form, without an owning [`Directory`](super::Directory).
//!
//! [`SnapshotView::open`] validates a snapshot exactly as [`decode`](super::decode) does (the same shared
//! reader; the same duplicate-id checks) but keeps only what a delta needs: one offset and the id of each
//! user record, an id → position map, the groups and their member positions. [`SnapshotView::apply`]
//! then applies a [`DirectoryDelta`] with [`Directory::apply_delta`](super::Directory::apply_delta)'s rules
//! and order (groups upserted, users upserted, memberships added, memberships removed, users removed) to
//! those positions, and writes the new snapshot by streaming the records: an unchanged user's record is
//! walked from the old bytes into the new string table, a changed one is written from the delta. Memory
//! stays near the old snapshot plus the new one plus the delta; no user is decoded into a `DirectoryUser`.
//!
//! The bytes equal those of the retired path (decode → `apply_delta` → rebuild → `encode`) for every
//! snapshot this crate writes; `tests/directory_patch.rs` compares them on generated directories.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use super::delta::{DeltaStats, DirectoryDelta};
use super::index::SyncMeta;
use super::snapshot::read::{read_head, read_tail, walk_user, Csr, Head, RecordSink, Scalar, Scratch, Stamp, Tail};
use super::snapshot::write::{
    put_frequencies, put_groups, put_head, put_member_list, visit_user, RecordWriter, SnapshotCounts, TableCounter,
};
use super::snapshot::{checked_payload, corrupt, seal, start_payload, timestamp_ms, version_of, Reader, ID_FIELD};
use crate::error::Result;
use crate::hash::IdHasher;
use crate::profile::{DirectoryUser, UserStatus};
use crate::records::{Group, Membership};

/// A validated snapshot, held as its bytes plus what applying a delta needs (see the module docs).
pub struct SnapshotView<'a> {
    payload: &'a [u8],
    head: Head,
    /// Per position, the record's offset in the payload.
    records: Vec<usize>,
    /// Per position, the user's Okta id (a user without one keeps its place and cannot be named).
    ids: Vec<Option<&'a str>>,
    by_id: HashMap<&'a str, u32, BuildHasherDefault<IdHasher>>,
    groups: Vec<Group>,
    members: Csr,
}

/// How [`SnapshotView::apply`] finishes: the sync time to record and the groups to keep.
#[derive(Debug, Clone, Copy, Default)]
pub struct PatchOptions<'o> {
    /// The new snapshot's sync time (`None` keeps the old one's).
    pub synced_at_ms: Option<u64>,
    /// When set, only these groups (by id) are kept, with their memberships; the others are dropped.
    pub keep_groups: Option<&'o HashSet<&'o str>>,
}

/// The new snapshot and what the delta changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patched {
    /// The new snapshot's bytes.
    pub snapshot: Vec<u8>,
    /// What the delta did, counted as [`Directory::apply_delta`](super::Directory::apply_delta) counts.
    pub stats: DeltaStats,
    /// Users, groups and memberships of the new snapshot.
    pub counts: SnapshotCounts,
}

/// Reads the Okta id of a record and nothing else (other fields are validated, not kept).
struct IdSink<'a> {
    id: Option<&'a str>,
}

impl<'a> RecordSink<'a> for IdSink<'a> {
    fn wants(&self, i: usize) -> bool {
        i == ID_FIELD
    }
    fn field(&mut self, i: usize, value: Option<&'a str>) {
        if i == ID_FIELD {
            self.id = value;
        }
    }
}

/// Forwards a stored record's events as [`visit_user`] reports the decoded user: a `lastUpdated` stored as
/// text in the canonical timestamp form is reported as milliseconds (what encoding the decoded user writes).
struct AsDecoded<'s, S>(&'s mut S);

impl<'a, S: RecordSink<'a>> RecordSink<'a> for AsDecoded<'_, S> {
    fn status(&mut self, status: Option<UserStatus>) {
        self.0.status(status);
    }
    fn field(&mut self, i: usize, value: Option<&'a str>) {
        self.0.field(i, value);
    }
    fn stamp(&mut self, stamp: Option<Stamp<'a>>) {
        self.0.stamp(match stamp {
            Some(Stamp::Text(s)) => Some(timestamp_ms(s).map_or(Stamp::Text(s), Stamp::Ms)),
            other => other,
        });
    }
    fn custom_count(&mut self, n: usize) {
        self.0.custom_count(n);
    }
    fn custom(&mut self, name: &'a str, list: bool, items: &[Scalar<'a>]) {
        self.0.custom(name, list, items);
    }
}

/// Where a user of the new snapshot comes from.
#[derive(Clone, Copy)]
enum Source<'d> {
    /// A record of the old snapshot, at this payload offset.
    Stored(usize),
    /// A user of the delta.
    Given(&'d DirectoryUser),
}

impl<'a> SnapshotView<'a> {
    /// Validates a snapshot (`SNAPSHOT_CORRUPT`, `SNAPSHOT_VERSION_UNSUPPORTED` exactly when
    /// [`decode`](super::decode) refuses it) and indexes its users by id.
    pub fn open(bytes: &'a [u8]) -> Result<SnapshotView<'a>> {
        let payload = checked_payload(bytes)?;
        let mut r = Reader::new(payload);
        let head = read_head(&mut r)?;
        let n = head.user_count;
        let (mut records, mut ids) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut by_id = HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default());
        let mut scratch = Scratch::default();
        for u in 0..n {
            let pos = u32::try_from(u).map_err(|_| corrupt("too many users"))?;
            records.push(r.pos());
            let mut sink = IdSink { id: None };
            walk_user(&mut r, &head.table, &mut sink, &mut scratch)?;
            if let Some(id) = sink.id {
                if by_id.insert(id, pos).is_some() {
                    return Err(corrupt("duplicate user or group id"));
                }
            }
            ids.push(sink.id);
        }
        let Tail { groups, members, .. } = read_tail(&mut r, &head, version_of(bytes))?;
        let mut seen = HashSet::with_capacity(groups.len());
        if !groups.iter().all(|g| seen.insert(g.id.as_str())) {
            return Err(corrupt("duplicate user or group id"));
        }
        Ok(SnapshotView { payload, head, records, ids, by_id, groups, members })
    }

    /// The sync metadata recorded in the snapshot.
    pub fn meta(&self) -> &SyncMeta {
        &self.head.meta
    }

    /// Number of users.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the snapshot holds no user.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The Okta ids of the users, in snapshot order (users without an id are left out).
    pub fn user_ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.ids.iter().flatten().copied()
    }

    /// Every membership, grouped by group in group order, members in snapshot order.
    pub fn memberships(&self) -> impl Iterator<Item = Membership> + '_ {
        self.groups.iter().enumerate().flat_map(move |(g, group)| {
            self.members.row(g).iter().filter_map(move |&u| {
                let user_id = self.ids.get(u as usize).copied().flatten()?;
                Some(Membership { group_id: group.id.clone(), user_id: user_id.to_string() })
            })
        })
    }

    /// Applies `delta` (rules and order in the module docs) and writes the new snapshot, with the old one's
    /// configuration (lookup keys deduplicated) and origin.
    ///
    /// # Errors
    /// `SNAPSHOT_CORRUPT` only if a record that validated at [`SnapshotView::open`] does not read back.
    pub fn apply(&self, delta: &DirectoryDelta, options: PatchOptions<'_>) -> Result<Patched> {
        let n = self.records.len();
        let mut stats = DeltaStats::default();

        let mut groups = self.groups.clone();
        let mut group_by_id: HashMap<String, usize> =
            groups.iter().enumerate().map(|(g, group)| (group.id.clone(), g)).collect();
        let mut members: Vec<Vec<u32>> = (0..groups.len()).map(|g| self.members.row(g).to_vec()).collect();
        for group in &delta.upsert_groups {
            match group_by_id.get(&group.id) {
                Some(&g) => {
                    if let Some(place) = groups.get_mut(g) {
                        place.clone_from(group);
                    }
                }
                None => {
                    group_by_id.insert(group.id.clone(), groups.len());
                    groups.push(group.clone());
                    members.push(Vec::new());
                }
            }
            stats.groups_upserted += 1;
        }

        // Users: old positions keep their place (a replaced one takes the delta's record), new ones follow.
        let mut replaced: HashMap<u32, &DirectoryUser> = HashMap::new();
        let mut appended: Vec<&DirectoryUser> = Vec::new();
        let mut added: HashMap<&str, u32> = HashMap::new();
        for user in &delta.upsert_users {
            let Some(id) = user.id.as_deref() else {
                stats.users_ignored += 1;
                continue;
            };
            stats.users_upserted += 1;
            match self.by_id.get(id).or_else(|| added.get(id)).copied() {
                Some(slot) if (slot as usize) < n => {
                    replaced.insert(slot, user);
                }
                Some(slot) => {
                    if let Some(place) = appended.get_mut(slot as usize - n) {
                        *place = user;
                    }
                }
                None => {
                    let Ok(slot) = u32::try_from(n + appended.len()) else { continue };
                    added.insert(id, slot);
                    appended.push(user);
                }
            }
        }
        let slot_of = |id: &str| self.by_id.get(id).or_else(|| added.get(id)).copied();

        for m in &delta.add_memberships {
            match (group_by_id.get(&m.group_id).and_then(|g| members.get_mut(*g)), slot_of(&m.user_id)) {
                (Some(list), Some(slot)) => {
                    if list.last().is_none_or(|last| *last < slot) {
                        list.push(slot);
                    } else if let Err(at) = list.binary_search(&slot) {
                        list.insert(at, slot);
                    }
                    stats.memberships_added += 1;
                }
                _ => stats.memberships_skipped += 1,
            }
        }
        for m in &delta.remove_memberships {
            let list = group_by_id.get(&m.group_id).and_then(|g| members.get_mut(*g));
            match (list, slot_of(&m.user_id)) {
                (Some(list), Some(slot)) if list.binary_search(&slot).is_ok() => {
                    if let Ok(at) = list.binary_search(&slot) {
                        list.remove(at);
                    }
                    stats.memberships_removed += 1;
                }
                _ => stats.memberships_skipped += 1,
            }
        }
        let total = n + appended.len();
        let mut gone = vec![false; total];
        for id in &delta.remove_users {
            if let Some(flag) = slot_of(id).and_then(|s| gone.get_mut(s as usize)) {
                if !*flag {
                    *flag = true;
                    stats.users_removed += 1;
                }
            }
        }

        // The new order of users, and each old slot's new position.
        let mut order: Vec<Source<'_>> = Vec::with_capacity(total);
        let mut position = vec![u32::MAX; total];
        for slot in 0..total {
            if gone.get(slot).copied().unwrap_or(true) {
                continue;
            }
            let source = match (slot.checked_sub(n), u32::try_from(slot)) {
                (None, Ok(s)) => match replaced.get(&s) {
                    Some(user) => Source::Given(user),
                    None => Source::Stored(self.records.get(slot).copied().ok_or(corrupt("a record is missing"))?),
                },
                (Some(i), _) => Source::Given(appended.get(i).copied().ok_or(corrupt("a record is missing"))?),
                (None, Err(_)) => continue,
            };
            if let Some(place) = position.get_mut(slot) {
                *place = u32::try_from(order.len()).unwrap_or(u32::MAX);
            }
            order.push(source);
        }
        let keep = |id: &str| options.keep_groups.is_none_or(|kept| kept.contains(id));
        let mut kept_groups = Vec::with_capacity(groups.len());
        let mut lists = Vec::with_capacity(groups.len());
        for (group, slots) in groups.into_iter().zip(members) {
            if !keep(&group.id) {
                continue;
            }
            lists.push(
                slots
                    .iter()
                    .filter_map(|s| position.get(*s as usize).copied())
                    .filter(|p| *p != u32::MAX)
                    .collect::<Vec<u32>>(),
            );
            kept_groups.push(group);
        }
        drop(position);

        let counts = SnapshotCounts {
            users: order.len(),
            groups: kept_groups.len(),
            memberships: lists.iter().map(Vec::len).sum(),
        };
        let (mut scratch, mut items) = (Scratch::default(), Vec::new());
        let mut counter = TableCounter::default();
        for source in &order {
            self.feed(*source, &mut counter, &mut scratch, &mut items)?;
        }
        let (table, frequencies) = counter.finish(&kept_groups);
        let mut p = start_payload(self.payload.len() + 1024 + 64 * (delta.upsert_users.len() + kept_groups.len()));
        let meta = SyncMeta {
            origin: self.head.meta.origin.clone(),
            synced_at_ms: options.synced_at_ms.unwrap_or(self.head.meta.synced_at_ms),
        };
        put_head(&mut p, &meta, counts, &self.head.config.clone().deduplicated(), &table);
        for source in &order {
            self.feed(*source, &mut RecordWriter::new(&mut p, &table), &mut scratch, &mut items)?;
        }
        put_groups(&mut p, &kept_groups, &table);
        for list in &lists {
            put_member_list(&mut p, list);
        }
        // As `encode` writes it: the new users' table, whatever the old snapshot carried.
        put_frequencies(&mut p, Some(&frequencies));
        Ok(Patched { snapshot: seal(p), stats, counts })
    }

    /// Reports one user of the new snapshot to `sink`: a stored record walked, a given user visited.
    fn feed<'x>(
        &'x self,
        source: Source<'x>,
        sink: &mut impl RecordSink<'x>,
        scratch: &mut Scratch<'x>,
        items: &mut Vec<Scalar<'x>>,
    ) -> Result<()> {
        match source {
            Source::Stored(at) => {
                walk_user(&mut Reader::at(self.payload, at), &self.head.table, &mut AsDecoded(sink), scratch)
            }
            Source::Given(user) => {
                visit_user(user, sink, items);
                Ok(())
            }
        }
    }
}

/// Applies a delta given as JSON text to a snapshot, keeping its configuration, origin and sync time: push
/// updates (Okta Event Hooks) between syncs.
///
/// # Errors
/// `SNAPSHOT_CORRUPT` / `SNAPSHOT_VERSION_UNSUPPORTED` for the snapshot, `CONVERSION_FAILED` for the delta.
pub fn apply_delta_json(snapshot: &[u8], delta_json: &str) -> Result<Patched> {
    let view = SnapshotView::open(snapshot)?;
    let delta = DirectoryDelta::from_json(delta_json)?;
    view.apply(&delta, PatchOptions::default())
}
