//! The compact directory: a loaded snapshot kept as its bytes, with hash indexes over them.
//!
//! Where [`Directory`](super::Directory) owns a `DirectoryUser` (about twenty strings) per user, this
//! keeps the snapshot's encoded user records in one buffer and decodes one user only when it is
//! returned. Loading validates the snapshot exactly as [`decode`](super::decode) does (same shared
//! reader, so both accept the same inputs) and builds, without allocating per user:
//!
//! - one offset per user record;
//! - three hash indexes — login keys, the pooled other keys, Okta ids — each a table of
//!   `(fingerprint, user)` entries bucketed by the top bits of a 64-bit hash of the normalized value;
//! - group membership both ways as flat index arrays.
//!
//! A hash only nominates candidates: every candidate's stored values are normalized and compared
//! with the hint before it counts (non-ASCII key values are normalized once, at load, and kept in a
//! side map by user and key), so a hash collision can neither return the wrong user nor turn a
//! unique hint into an `AMBIGUOUS_LOGIN_HINT`. The lookup rule is [`Directory::lookup`]'s
//! (login first; other keys pooled; distinct users counted).
//!
//! It is read-only: deltas, audits with the owning API, or re-encoding go through
//! [`CompactDirectory::to_directory`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

mod fields_text;
mod hash_index;
mod hint;
mod json;

pub use fields_text::record_field_table;
use hash_index::HashIndex;
use hint::{key_hash_norm, Hint, KeySink, Tier};
use json::JsonSink;

use super::index::{Directory, DirectoryConfig, SyncMeta};
use super::key::LookupKey;
use super::snapshot::read::{read_head, read_ref, read_tail, walk_user, Csr, Scratch, Table, Tail, UserBuilder};
use super::snapshot::{
    checked_payload, corrupt, decode, field_of_key, may_be_same_as_login, version_of, Reader, FIELD_COUNT, HEADER_LEN,
    ID_FIELD, LOGIN_FIELD,
};
use crate::error::{Error, Result};
use crate::hash::{hash_exact, KeyHasher};
use crate::profile::frequency::FrequencyTable;
use crate::profile::DirectoryUser;
use crate::records::Group;

/// One user found by [`CompactDirectory::lookup`]; decode it with [`CompactDirectory::user_at`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactHit<'a> {
    /// The user's position in the directory (snapshot order).
    pub index: u32,
    /// Which configured key matched.
    pub key: &'a LookupKey,
    /// Whether the user is a member of the configured Workforce group.
    pub workforce: bool,
}

/// Sizes of the compact directory's parts, in bytes (for benchmarks and capacity planning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompactFootprint {
    /// The snapshot bytes kept (records, string table, groups).
    pub snapshot: usize,
    /// Record offsets and string-table ranges.
    pub offsets: usize,
    /// The three hash indexes.
    pub indexes: usize,
    /// Group memberships, both ways.
    pub memberships: usize,
}

impl CompactFootprint {
    /// All parts together.
    pub fn total(&self) -> usize {
        self.snapshot + self.offsets + self.indexes + self.memberships
    }
}

/// The normalized value of every non-ASCII fixed-field key, by `user << 8 | key index`, computed
/// at load with the key's own rules (the same text a lookup would get by normalizing the record
/// again): verifying a candidate compares with it instead of re-running NFC and folding.
type Norms = HashMap<u64, Box<str>, std::hash::BuildHasherDefault<KeyHasher>>;

/// The [`Norms`] key of (user, key index); `None` past 256 configured keys (those are normalized again).
fn norm_key(user: u32, key: usize) -> Option<u64> {
    u8::try_from(key).ok().map(|k| u64::from(user) << 8 | u64::from(k))
}

/// A snapshot loaded for lookups: encoded records plus indexes (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct CompactDirectory {
    bytes: Vec<u8>,
    config: DirectoryConfig,
    meta: SyncMeta,
    table: Table,
    records: Vec<usize>,
    groups: Vec<Group>,
    group_by_id: HashMap<String, u32>,
    members: Csr,
    user_groups: Csr,
    workforce: Option<u32>,
    login: HashIndex,
    other: HashIndex,
    ids: HashIndex,
    norms: Norms,
    /// The users' name and birthdate frequencies (a version-2 snapshot of a whole directory).
    frequencies: Option<Arc<FrequencyTable>>,
}

impl CompactDirectory {
    /// Loads a snapshot (copied once). Errors as [`decode`]: `SNAPSHOT_CORRUPT`,
    /// `SNAPSHOT_VERSION_UNSUPPORTED`; never a partial directory.
    pub fn from_snapshot(bytes: &[u8]) -> Result<CompactDirectory> {
        CompactDirectory::load(bytes.to_vec())
    }

    /// How many heap bytes to reserve (allocate and free at once) before loading a snapshot of
    /// `snapshot_bytes` into a heap whose memory is `memory_bytes` large; 0 for none. About what a load
    /// allocates besides the bytes (~2× them), so memory grows in one step instead of one per growing
    /// buffer (a first load in a fresh process took 0.2–0.3 s more CPU without it;
    /// docs/decisions/lookup-fast-paths.md). Only into a memory smaller than that: a later load reuses
    /// what an earlier one freed, and reserving one block then needs a hole that large (three loads
    /// grew memory to 566 MB instead of 340 MB).
    pub fn load_reservation(snapshot_bytes: usize, memory_bytes: usize) -> usize {
        let reserve = snapshot_bytes.saturating_mul(2);
        if memory_bytes < reserve {
            reserve
        } else {
            0
        }
    }

    /// Loads a snapshot, keeping `bytes` as the record store.
    pub fn load(bytes: Vec<u8>) -> Result<CompactDirectory> {
        let payload = checked_payload(&bytes)?;
        let mut r = Reader::new(payload);
        let mut head = read_head(&mut r)?;
        // Keys as `Directory::build` keeps them: first occurrence only.
        let mut keys: Vec<LookupKey> = Vec::with_capacity(head.config.keys.len());
        for k in head.config.keys.drain(..) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        head.config.keys = keys;
        let custom_keys = custom_key_names(&head.config.keys);
        let n = head.user_count;
        let mut ix = Indexing {
            keys: &head.config.keys,
            records: Vec::with_capacity(n),
            login: Vec::with_capacity(n),
            other: Vec::with_capacity(n),
            ids: Vec::with_capacity(n),
            scratch: Scratch::default(),
            sink: KeySink { fields: [None; FIELD_COUNT], custom_keys: &custom_keys, custom: Vec::new() },
            norms: Norms::default(),
        };
        let mut from = 0;
        while from < n {
            let to = n.min(from + INDEX_CHUNK);
            ix.users(&mut r, &head.table, from, to)?;
            from = to;
        }
        let Indexing { records, login, other, ids, norms, .. } = ix;
        let Tail { groups, members, frequencies } = read_tail(&mut r, &head, version_of(&bytes))?;
        let mut group_by_id = HashMap::with_capacity(groups.len());
        for (g, group) in groups.iter().enumerate() {
            if group_by_id.insert(group.id.clone(), g as u32).is_some() {
                return Err(corrupt("duplicate user or group id"));
            }
        }
        let workforce = head.config.workforce_group.as_deref().and_then(|id| group_by_id.get(id).copied());
        let user_groups = members.transpose(n);
        let ids = HashIndex::build(&ids, &records)?;
        let login = HashIndex::build(&login, &records)?;
        let other = HashIndex::build(&other, &records)?;
        let mut dir = CompactDirectory {
            config: head.config,
            meta: head.meta,
            table: head.table,
            records,
            groups,
            group_by_id,
            members,
            user_groups,
            workforce,
            login,
            other,
            ids,
            norms,
            frequencies: frequencies.map(Arc::new),
            bytes: Vec::new(),
        };
        dir.bytes = bytes;
        dir.check_unique_ids()?;
        Ok(dir)
    }

    /// Users sharing an id hash sit in one shared run: their ids must differ.
    fn check_unique_ids(&self) -> Result<()> {
        for g in 0..self.ids.shared_starts.len().saturating_sub(1) {
            let (a, z) = (self.ids.shared_starts[g] as usize, self.ids.shared_starts[g + 1] as usize);
            let mut ids = Vec::with_capacity(z - a);
            for u in self.ids.shared.get(a..z).unwrap_or(&[]) {
                ids.push(self.field(*u, ID_FIELD)?);
            }
            crate::sort::sort(&mut ids);
            if ids.windows(2).any(|w| w.first() == w.get(1)) {
                return Err(corrupt("duplicate user or group id"));
            }
        }
        Ok(())
    }

    fn payload(&self) -> &[u8] {
        self.bytes.get(HEADER_LEN..).unwrap_or(&[])
    }

    /// String field `i` of user `u`, read from its record (fields before it are skipped unread).
    fn field(&self, u: u32, i: usize) -> Result<Option<&str>> {
        self.field_at(*self.records.get(u as usize).ok_or(Error::UserNotFound)?, i)
    }

    /// String field `i` of the record at `start`.
    fn field_at(&self, start: usize, i: usize) -> Result<Option<&str>> {
        let mut r = Reader::at(self.payload(), start);
        r.u8()?;
        let mut login = None;
        for j in 0..i {
            if j == LOGIN_FIELD && may_be_same_as_login(i) {
                login = read_ref(&mut r, &self.table, None)?;
            } else {
                // Inline strings were validated at load: skip their bytes.
                let v = r.varint()?;
                if v >= 3 && v % 2 == 1 {
                    r.bytes(usize::try_from((v - 3) / 2).map_err(|_| corrupt("string length out of range"))?)?;
                }
            }
        }
        let same_as = if may_be_same_as_login(i) { login } else { None };
        read_ref(&mut r, &self.table, same_as)
    }

    /// The configuration (keys deduplicated, as [`Directory::build`] keeps them).
    pub fn config(&self) -> &DirectoryConfig {
        &self.config
    }

    /// The sync metadata.
    pub fn meta(&self) -> &SyncMeta {
        &self.meta
    }

    /// Number of users.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the directory has no users.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Groups in directory order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Number of (group, user) memberships.
    pub fn membership_count(&self) -> usize {
        self.members.items.len()
    }

    /// The users' name and birthdate frequencies, for a matcher's directory-aware weights (`None` for
    /// a version-1 snapshot or a KV shard: built-in priors).
    pub fn frequencies(&self) -> Option<&Arc<FrequencyTable>> {
        self.frequencies.as_ref()
    }

    /// The snapshot this directory was loaded from.
    pub fn snapshot(&self) -> &[u8] {
        &self.bytes
    }

    /// Memory held, by part.
    pub fn footprint(&self) -> CompactFootprint {
        let csr = |c: &Csr| (c.starts.capacity() + c.items.capacity()) * 4;
        CompactFootprint {
            snapshot: self.bytes.capacity(),
            offsets: self.records.capacity() * std::mem::size_of::<usize>()
                + self.table.capacity() * std::mem::size_of::<(usize, usize)>(),
            indexes: self.login.bytes()
                + self.other.bytes()
                + self.ids.bytes()
                + self.norms.capacity() * (std::mem::size_of::<(u64, Box<str>)>() + 1)
                + self.norms.values().map(|v| v.len()).sum::<usize>(),
            memberships: csr(&self.members) + csr(&self.user_groups),
        }
    }

    /// Decodes the user at `index` (snapshot order).
    pub fn user_at(&self, index: u32) -> Result<DirectoryUser> {
        let start = *self.records.get(index as usize).ok_or(Error::UserNotFound)?;
        let mut r = Reader::at(self.payload(), start);
        let mut builder = UserBuilder::default();
        walk_user(&mut r, &self.table, &mut builder, &mut Scratch::default())?;
        builder.finish()
    }

    /// The user at `index` as `DirectoryUser`'s JSON, written straight from the record (no
    /// intermediate `DirectoryUser`), appended to `out`.
    pub fn write_user_json(&self, index: u32, out: &mut Vec<u8>) -> Result<()> {
        let start = *self.records.get(index as usize).ok_or(Error::UserNotFound)?;
        let mut r = Reader::at(self.payload(), start);
        let mut sink = JsonSink { status: None, fields: [None; FIELD_COUNT], stamp: None, custom: Vec::new() };
        walk_user(&mut r, &self.table, &mut sink, &mut Scratch::default())?;
        sink.finish(out)
    }

    /// The Worker template's lookup answer for a hit, `{"userId","status","key","workforce","user"}`
    /// (`userId` and `status` repeat the user's, `null` when absent), written straight from the record
    /// and appended to `out`: a server answers with these bytes, no object built and serialized again.
    pub fn write_lookup_answer(&self, hit: &CompactHit<'_>, out: &mut Vec<u8>) -> Result<()> {
        let start = *self.records.get(hit.index as usize).ok_or(Error::UserNotFound)?;
        let mut r = Reader::at(self.payload(), start);
        let mut sink = JsonSink { status: None, fields: [None; FIELD_COUNT], stamp: None, custom: Vec::new() };
        walk_user(&mut r, &self.table, &mut sink, &mut Scratch::default())?;
        out.extend_from_slice(b"{\"userId\":");
        match sink.fields[ID_FIELD] {
            Some(id) => json::json_str(out, id),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"status\":");
        match sink.status {
            Some(status) => serde_json::to_writer(&mut *out, &status).map_err(|_| corrupt("status"))?,
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"key\":");
        json::json_str(out, hit.key.name());
        out.extend_from_slice(if hit.workforce {
            b",\"workforce\":true,\"user\":"
        } else {
            b",\"workforce\":false,\"user\":"
        });
        sink.finish(out)?;
        out.push(b'}');
        Ok(())
    }

    /// Users in directory order, decoded one at a time.
    pub fn users(&self) -> impl Iterator<Item = Result<DirectoryUser>> + '_ {
        (0..self.records.len() as u32).map(|i| self.user_at(i))
    }

    /// The position of the user with this Okta id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        let mut found = None;
        self.ids.candidates(hash_exact(id), |u, _| {
            if found.is_none() && self.field(u, ID_FIELD).ok().flatten() == Some(id) {
                found = Some(u);
            }
        });
        found
    }

    /// The user with this Okta id.
    pub fn user(&self, id: &str) -> Option<DirectoryUser> {
        self.index_of(id).and_then(|u| self.user_at(u).ok())
    }

    /// Whether the user at `u` is in the Workforce group.
    pub(in crate::directory) fn in_workforce(&self, u: u32) -> bool {
        self.workforce.is_some_and(|w| self.user_groups.row(u as usize).binary_search(&w).is_ok())
    }

    /// Whether the user with this id is in the Workforce group.
    pub fn is_workforce(&self, user_id: &str) -> bool {
        self.index_of(user_id).is_some_and(|u| self.in_workforce(u))
    }

    /// The groups of a user, in group order (`USER_NOT_FOUND` for an unknown id).
    pub fn groups_of(&self, user_id: &str) -> Result<Vec<&Group>> {
        let u = self.index_of(user_id).ok_or(Error::UserNotFound)?;
        Ok(self.user_groups.row(u as usize).iter().filter_map(|g| self.groups.get(*g as usize)).collect())
    }

    /// Positions of the members of a group, ascending (`GROUP_NOT_FOUND` for an unknown id).
    pub fn member_indexes(&self, group_id: &str) -> Result<&[u32]> {
        let g = self.group_by_id.get(group_id).ok_or(Error::GroupNotFound)?;
        Ok(self.members.row(*g as usize))
    }

    /// The members of a group, decoded, in directory order (`GROUP_NOT_FOUND` for an unknown id).
    pub fn members_of(&self, group_id: &str) -> Result<Vec<DirectoryUser>> {
        self.member_indexes(group_id)?.iter().map(|u| self.user_at(*u)).collect()
    }

    /// The owning directory with the same content (decodes every user).
    pub fn to_directory(&self) -> Result<Directory> {
        decode(&self.bytes)
    }

    /// Finds the one user a loginHint names, by [`Directory::lookup`]'s rule; decode the result with
    /// [`CompactDirectory::user_at`]. The hint is never echoed in errors.
    pub fn lookup(&self, hint: &str) -> Result<CompactHit<'_>> {
        let mut h = Hint { trimmed: hint.trim(), login: None, plain: None };
        if self.config.keys.contains(&LookupKey::Login) {
            if let Some((k, norm)) = key_hash_norm(true, hint) {
                // An ASCII hint has one hash for both tiers: reading the other tier's bucket now
                // overlaps its cache miss with the login tier's (a miss waits for one, not two).
                let other_empty = norm.is_none() && self.other.bucket_is_empty(k);
                // Normalized once: the hash and every candidate's comparison use the same text.
                if norm.is_some() {
                    h.login = Some(norm);
                }
                if let Some(found) = self.resolve(Tier::Login, k, &mut h)? {
                    return Ok(found);
                }
                if other_empty {
                    return Err(Error::UserNotFound);
                }
            }
        }
        let (k, norm) = key_hash_norm(false, hint).ok_or(Error::UserNotFound)?;
        if norm.is_some() {
            h.plain = Some(norm);
        }
        self.resolve(Tier::Other, k, &mut h)?.ok_or(Error::UserNotFound)
    }

    /// Whether some user holds the hint's login key as its login (`login` must be a configured key).
    pub(in crate::directory) fn holds_login(&self, hint: &str) -> bool {
        if !self.config.keys.contains(&LookupKey::Login) {
            return false;
        }
        let Some((k, norm)) = key_hash_norm(true, hint) else { return false };
        let mut h = Hint { trimmed: hint.trim(), login: norm.map(Some), plain: None };
        !matches!(self.resolve(Tier::Login, k, &mut h), Ok(None))
    }

    /// `Ok(None)` when no candidate really holds the hint in this tier.
    fn resolve(&self, tier: Tier, hash: u64, hint: &mut Hint<'_>) -> Result<Option<CompactHit<'_>>> {
        let index = if tier == Tier::Login { &self.login } else { &self.other };
        // Distinct users that really hold the hint (one user can be nominated more than once).
        let (mut first, mut more) = (None, Vec::new());
        index.candidates(hash, |u, offset| {
            if first.is_some_and(|(f, _)| f == u) {
                return;
            }
            let start = match offset {
                u32::MAX => self.records.get(u as usize).copied(),
                at => Some(at as usize),
            };
            if let Some(k) = start.and_then(|start| self.matching_key(u, start, tier, hint)) {
                match first {
                    None => first = Some((u, k)),
                    Some(_) => more.push(u),
                }
            }
        });
        crate::sort::sort(&mut more);
        more.dedup();
        let count = first.map_or(0, |_| 1 + more.len());
        Ok(match (first, count) {
            (None, _) => None,
            (Some((u, k)), 1) => {
                let key = self.config.keys.get(k).ok_or(Error::UserNotFound)?;
                Some(CompactHit { index: u, key, workforce: self.in_workforce(u) })
            }
            (_, many) => return Err(Error::AmbiguousLoginHint { candidates: many }),
        })
    }

    /// The first configured key of `tier` whose value on user `u` is the hint.
    fn matching_key(&self, u: u32, start: usize, tier: Tier, hint: &mut Hint<'_>) -> Option<usize> {
        let mut custom: Option<Vec<(usize, Cow<'_, str>)>> = None;
        for (k, key) in self.config.keys.iter().enumerate() {
            if (*key == LookupKey::Login) != (tier == Tier::Login) {
                continue;
            }
            match field_of_key(key) {
                Some(f) => {
                    let known = || norm_key(u, k).and_then(|at| self.norms.get(&at)).map(|n| &**n);
                    if self.field_at(start, f).ok().flatten().is_some_and(|v| hint.matches_known(tier, v, known)) {
                        return Some(k);
                    }
                }
                None => {
                    let values = custom.get_or_insert_with(|| self.custom_key_values(u));
                    if values.iter().any(|(i, v)| *i == k && hint.matches(tier, v)) {
                        return Some(k);
                    }
                }
            }
        }
        None
    }

    /// (key index, value) of every configured custom key on user `u`.
    fn custom_key_values(&self, u: u32) -> Vec<(usize, Cow<'_, str>)> {
        let custom_keys = custom_key_names(&self.config.keys);
        let Some(&start) = self.records.get(u as usize) else { return Vec::new() };
        let mut r = Reader::at(self.payload(), start);
        let mut sink = KeySink { fields: [None; FIELD_COUNT], custom_keys: &custom_keys, custom: Vec::new() };
        match walk_user(&mut r, &self.table, &mut sink, &mut Scratch::default()) {
            Ok(()) => sink.custom,
            Err(_) => Vec::new(),
        }
    }
}

/// Users indexed per call of [`Indexing::users`] while loading: a WebAssembly engine runs a function's
/// optimized code from its next call on, never in a loop already running, so one long loop would
/// run unoptimized for the whole load (V8: about 0.2–0.3 s more CPU at 1M users).
const INDEX_CHUNK: usize = 8192;

/// What loading builds per user: record offsets, (hash, user) entries of the three indexes, and the
/// normalized text of non-ASCII key values.
struct Indexing<'a, 'c> {
    keys: &'c [LookupKey],
    records: Vec<usize>,
    login: Vec<(u64, u32)>,
    other: Vec<(u64, u32)>,
    ids: Vec<(u64, u32)>,
    scratch: Scratch<'a>,
    sink: KeySink<'a, 'c>,
    norms: Norms,
}

impl<'a> Indexing<'a, '_> {
    /// Reads, validates and indexes users `from..to` (the reader is at user `from`).
    #[inline(never)]
    fn users(&mut self, r: &mut Reader<'a>, table: &[(usize, usize)], from: usize, to: usize) -> Result<()> {
        for u in from..to {
            let user = u32::try_from(u).map_err(|_| corrupt("too many users"))?;
            self.records.push(r.pos());
            self.sink.fields = [None; FIELD_COUNT];
            self.sink.custom.clear();
            walk_user(r, table, &mut self.sink, &mut self.scratch)?;
            if let Some(id) = self.sink.fields[ID_FIELD] {
                self.ids.push((hash_exact(id), user));
            }
            for (k, key) in self.keys.iter().enumerate() {
                let is_login = *key == LookupKey::Login;
                let tier = if is_login { &mut self.login } else { &mut self.other };
                match field_of_key(key) {
                    Some(f) => {
                        if let Some((h, norm)) =
                            self.sink.fields.get(f).copied().flatten().and_then(|v| key_hash_norm(is_login, v))
                        {
                            tier.push((h, user));
                            if let (Some(norm), Some(at)) = (norm, norm_key(user, k)) {
                                self.norms.insert(at, norm.into_boxed_str());
                            }
                        }
                    }
                    None => {
                        for (_, v) in self.sink.custom.iter().filter(|(i, _)| *i == k) {
                            if let Some((h, _)) = key_hash_norm(false, v) {
                                tier.push((h, user));
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// (key index, attribute name) of every custom key in a lookup configuration.
fn custom_key_names(keys: &[LookupKey]) -> Vec<(usize, &str)> {
    keys.iter()
        .enumerate()
        .filter_map(|(i, k)| match k {
            LookupKey::Custom(name) => Some((i, name.as_str())),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
