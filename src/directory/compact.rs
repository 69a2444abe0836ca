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

use super::index::{Directory, DirectoryConfig, SyncMeta};
use super::key::{normalize_login, normalize_plain, LookupKey};
use super::snapshot::{checked_payload, decode, HEADER_LEN};
use super::snapshot_read::{
    read_head, read_ref, read_tail, walk_user, Csr, RecordSink, Scalar, Scratch, Stamp, Table, UserBuilder,
};
use super::wire::{corrupt, Reader};
use crate::error::{Error, Result};
use crate::profile::DirectoryUser;
use crate::sync::Group;

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

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xD6E8_FEB8_6659_FD93;
const ONES: u64 = 0x0101_0101_0101_0101;

/// ASCII lower case of eight bytes at once (every byte must be below 0x80).
fn ascii_lower(x: u64) -> u64 {
    let at_least_a = x.wrapping_add((0x80 - u64::from(b'A')) * ONES);
    let above_z = x.wrapping_add((0x80 - u64::from(b'Z') - 1) * ONES);
    x | ((at_least_a & !above_z & (0x80 * ONES)) >> 2)
}

/// A 64-bit hash of bytes (multiply-rotate over 8-byte words, then a murmur3 finalizer; not
/// cryptographic: a crafted collision costs a comparison, never a wrong answer). `lower` hashes
/// the ASCII lower case of ASCII input, equal to hashing the lowered text.
fn hash_words(bytes: &[u8], lower: bool) -> u64 {
    let mix =
        |h: u64, w: u64| (h ^ if lower { ascii_lower(w) } else { w }).wrapping_mul(K1).rotate_left(31).wrapping_mul(K2);
    let mut h = (bytes.len() as u64).wrapping_mul(K2) ^ K1;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        if let Some(head) = w.get_mut(..rest.len()) {
            head.copy_from_slice(rest);
        }
        h = mix(h, u64::from_le_bytes(w));
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

fn hash_exact(s: &str) -> u64 {
    hash_words(s.as_bytes(), false)
}

/// The hash of `key.normalize(raw)` (`login` selects the login rules), without allocating for ASCII.
#[cfg(test)]
fn key_hash(login: bool, raw: &str) -> Option<u64> {
    key_hash_norm(login, raw).map(|(h, _)| h)
}

/// The hash of `key.normalize(raw)`, and for non-ASCII input the normalized text itself (ASCII is
/// neither allocated nor normalized: both rules make it its trimmed ASCII lower case).
fn key_hash_norm(login: bool, raw: &str) -> Option<(u64, Option<String>)> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.is_ascii() {
        return Some((hash_words(trimmed.as_bytes(), true), None));
    }
    let norm = if login { normalize_login(trimmed) } else { normalize_plain(trimmed) }?;
    Some((hash_exact(&norm), Some(norm)))
}

/// A multiply-shift hasher for the `u64` keys of [`Norms`] (keys are `user << 8 | key index`).
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(K1);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(K1).rotate_left(29);
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

const EMPTY: u32 = u32::MAX;
const SHARED: u32 = 1 << 31;

/// A hash table over `(hash, user)` pairs with one probe region per bucket (the top `bits` of the
/// hash; bucket `b` starts at slot `2b`). A slot is `(low 32 bits of the hash, value)`: the value
/// is one user, or (`SHARED` bit) a run in `shared` when several users hold the same value (a
/// `noreply@` email). Slots are filled in bucket order, so a lookup scans from `2b` to the next
/// empty slot (about 1.5 slots at this load) — usually one cache line.
#[derive(Debug, Clone, Default)]
struct HashIndex {
    bits: u32,
    /// `[fingerprint, value, record offset of a single user (u32::MAX when shared or too far)]`.
    slots: Vec<[u32; 3]>,
    shared_starts: Vec<u32>,
    shared: Vec<u32>,
}

impl HashIndex {
    fn build(pairs: &[(u64, u32)], records: &[usize]) -> Result<HashIndex> {
        let n =
            u32::try_from(pairs.len()).ok().filter(|n| *n < SHARED).ok_or_else(|| corrupt("too many index entries"))?;
        let bits = n.max(2).next_power_of_two().trailing_zeros().min(30);
        let buckets = 1usize << bits;
        let bucket = |h: u64| (h >> (64 - bits)) as usize;
        // Counting sort by bucket, then each bucket by (fingerprint, user).
        let mut starts = vec![0u32; buckets + 1];
        for (h, _) in pairs {
            if let Some(c) = starts.get_mut(bucket(*h) + 1) {
                *c += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut entries = vec![(0u32, 0u32); pairs.len()];
        for (h, user) in pairs {
            if let Some(at) = next.get_mut(bucket(*h)) {
                if let Some(place) = entries.get_mut(*at as usize) {
                    *place = (*h as u32, *user);
                }
                *at += 1;
            }
        }
        drop(next);
        let mut index =
            HashIndex { bits, slots: vec![[0, EMPTY, 0]; 2 * buckets + 1], shared_starts: vec![0], shared: Vec::new() };
        let mut last: Option<usize> = None;
        for b in 0..buckets {
            let (from, to) = (starts[b] as usize, starts[b + 1] as usize);
            let Some(run) = entries.get_mut(from..to) else { continue };
            run.sort_unstable();
            for same in run.chunk_by(|x, y| x.0 == y.0) {
                let Some(&(fp, first)) = same.first() else { continue };
                let value = if same.iter().all(|e| e.1 == first) {
                    first
                } else {
                    let g = u32::try_from(index.shared_starts.len() - 1).unwrap_or(0);
                    let mut users: Vec<u32> = same.iter().map(|e| e.1).collect();
                    users.dedup();
                    index.shared.extend(users);
                    index.shared_starts.push(index.shared.len() as u32);
                    SHARED | g
                };
                let at = last.map_or(2 * b, |l| (2 * b).max(l + 1));
                if at >= index.slots.len() {
                    index.slots.resize(at + 2, [0, EMPTY, 0]);
                }
                let offset = match records.get(value as usize) {
                    Some(o) if value & SHARED == 0 => u32::try_from(*o).unwrap_or(u32::MAX),
                    _ => u32::MAX,
                };
                if let Some(slot) = index.slots.get_mut(at) {
                    *slot = [fp, value, offset];
                }
                last = Some(at);
            }
        }
        if index.slots.last().is_some_and(|s| s[1] != EMPTY) {
            index.slots.push([0, EMPTY, 0]);
        }
        index.slots.shrink_to_fit();
        Ok(index)
    }

    /// Calls `f(user, record offset or u32::MAX)` for every user whose entry matches this hash's
    /// bucket and fingerprint (a user can come more than once when two of its values share one).
    #[inline]
    fn candidates(&self, h: u64, mut f: impl FnMut(u32, u32)) {
        let mut at = if self.bits == 0 { 0 } else { 2 * (h >> (64 - self.bits)) as usize };
        let fp = h as u32;
        while let Some(&[slot_fp, value, offset]) = self.slots.get(at) {
            if value == EMPTY {
                return;
            }
            if slot_fp == fp {
                if value & SHARED == 0 {
                    f(value, offset);
                } else {
                    let g = (value & !SHARED) as usize;
                    if let (Some(&a), Some(&z)) = (self.shared_starts.get(g), self.shared_starts.get(g + 1)) {
                        self.shared.get(a as usize..z as usize).unwrap_or(&[]).iter().for_each(|u| f(*u, u32::MAX));
                    }
                }
            }
            at += 1;
        }
    }

    fn bytes(&self) -> usize {
        self.slots.capacity() * 12 + (self.shared_starts.capacity() + self.shared.capacity()) * 4
    }
}

/// Which pool of keys a lookup consults.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tier {
    Login,
    Other,
}

/// Collects what the index needs from one walked record: the id and the lookup keys' raw values.
struct KeySink<'a, 'c> {
    fields: [Option<&'a str>; 20],
    /// Names of configured custom keys, with their key index.
    custom_keys: &'c [(usize, &'c str)],
    /// (key index, value) of custom keys found.
    custom: Vec<(usize, Cow<'a, str>)>,
}

impl<'a> RecordSink<'a> for KeySink<'a, '_> {
    fn wants(&self, i: usize) -> bool {
        matches!(i, 0..=3 | 19)
    }
    fn field(&mut self, i: usize, value: Option<&'a str>) {
        if let Some(slot) = self.fields.get_mut(i) {
            *slot = value;
        }
    }
    fn custom(&mut self, name: &'a str, _list: bool, items: &[Scalar<'a>]) {
        for (k, key_name) in self.custom_keys {
            if *key_name == name {
                self.custom.extend(items.iter().filter_map(|s| scalar_text(*s)).map(|t| (*k, t)));
            }
        }
    }
}

/// As [`LookupKey::values`]: strings and finite numbers (shortest decimal) are keys, booleans not.
fn scalar_text(s: Scalar<'_>) -> Option<Cow<'_, str>> {
    match s {
        Scalar::Str(v) => Some(Cow::Borrowed(v)),
        Scalar::Num(n) if n.is_finite() => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// Field position of a fixed-field key in a record (custom keys have none).
fn field_of(key: &LookupKey) -> Option<usize> {
    match key {
        LookupKey::Login => Some(1),
        LookupKey::Email => Some(2),
        LookupKey::SecondEmail => Some(3),
        LookupKey::EmployeeNumber => Some(19),
        LookupKey::Custom(_) => None,
    }
}

/// The hint, normalized lazily for each tier (only needed when a non-ASCII value is compared).
struct Hint<'h> {
    trimmed: &'h str,
    login: Option<Option<String>>,
    plain: Option<Option<String>>,
}

impl Hint<'_> {
    /// Whether `stored` normalizes to the same key as the hint under `tier`'s rules.
    fn matches(&mut self, tier: Tier, stored: &str) -> bool {
        self.matches_known(tier, stored, || None)
    }

    /// [`Hint::matches`], where `known` may give the normalized form of a non-ASCII `stored`
    /// (computed at load from the same value with the same rules) so it is not normalized again.
    fn matches_known<'n>(&mut self, tier: Tier, stored: &str, known: impl FnOnce() -> Option<&'n str>) -> bool {
        let stored = stored.trim();
        if stored.is_ascii() && self.trimmed.is_ascii() {
            return stored.eq_ignore_ascii_case(self.trimmed);
        }
        let trimmed = self.trimmed;
        let hint = match tier {
            Tier::Login => self.login.get_or_insert_with(|| normalize_login(trimmed)),
            Tier::Other => self.plain.get_or_insert_with(|| normalize_plain(trimmed)),
        };
        let Some(hint) = hint.as_deref() else { return false };
        if stored.is_ascii() {
            // An ASCII value normalizes to its ASCII lower case.
            return stored.bytes().map(|b| b.to_ascii_lowercase()).eq(hint.bytes());
        }
        match known() {
            Some(norm) => norm == hint,
            None => {
                let stored = if tier == Tier::Login { normalize_login(stored) } else { normalize_plain(stored) };
                stored.as_deref() == Some(hint)
            }
        }
    }
}

/// JSON names of the 20 string fields, grouped as `DirectoryUser` serializes them: (object, name).
const JSON_FIELDS: [(Option<&str>, &str); 20] = [
    (None, "id"),
    (None, "login"),
    (None, "email"),
    (None, "secondEmail"),
    (Some("name"), "given"),
    (Some("name"), "middle"),
    (Some("name"), "family"),
    (Some("name"), "honorificPrefix"),
    (Some("name"), "honorificSuffix"),
    (Some("name"), "nickname"),
    (Some("name"), "display"),
    (None, "birthdate"),
    (Some("address"), "streetAddress"),
    (Some("address"), "locality"),
    (Some("address"), "region"),
    (Some("address"), "postalCode"),
    (Some("address"), "country"),
    (Some("phones"), "mobile"),
    (Some("phones"), "primary"),
    (None, "employeeNumber"),
];

/// Writes a record as `DirectoryUser`'s JSON (same names, same omissions), without building one.
struct JsonSink<'a> {
    status: Option<crate::profile::UserStatus>,
    fields: [Option<&'a str>; 20],
    stamp: Option<Stamp<'a>>,
    custom: Vec<u8>,
}

fn json_str(out: &mut Vec<u8>, s: &str) {
    // serde_json's own escaping; writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

impl<'a> RecordSink<'a> for JsonSink<'a> {
    fn status(&mut self, status: Option<crate::profile::UserStatus>) {
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
        let out = &mut self.custom;
        out.push(if out.is_empty() { b'{' } else { b',' });
        json_str(out, name);
        out.push(b':');
        if list {
            out.push(b'[');
        }
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let _ = match item {
                Scalar::Str(s) => serde_json::to_writer(&mut *out, s),
                Scalar::Num(n) => serde_json::to_writer(&mut *out, n),
                Scalar::Bool(b) => serde_json::to_writer(&mut *out, b),
            };
        }
        if list {
            out.push(b']');
        }
    }
}

impl JsonSink<'_> {
    fn finish(self, out: &mut Vec<u8>) -> Result<()> {
        out.push(b'{');
        let mut first = true;
        let mut key = |out: &mut Vec<u8>, name: &str| {
            if !first {
                out.push(b',');
            }
            first = false;
            json_str(out, name);
            out.push(b':');
        };
        let mut group: Option<&str> = None;
        let mut open = false;
        for (i, ((object, name), value)) in JSON_FIELDS.iter().zip(self.fields).enumerate() {
            if *object != group {
                if open {
                    out.push(b'}');
                    open = false;
                }
                if let Some(o) = object {
                    // `name` is always written; `address` and `phones` only with a value (serde omits them empty).
                    let used = *o == "name"
                        || JSON_FIELDS.iter().zip(self.fields).any(|((g, _), v)| g == object && v.is_some());
                    if used {
                        key(out, o);
                        out.push(b'{');
                        open = true;
                    }
                }
                group = *object;
            }
            if i == 1 {
                if let Some(status) = self.status {
                    key(out, "status");
                    let _ = serde_json::to_writer(&mut *out, &status);
                }
            }
            if let Some(v) = value {
                if object.is_some() {
                    if out.last() != Some(&b'{') {
                        out.push(b',');
                    }
                    json_str(out, name);
                    out.push(b':');
                } else {
                    key(out, name);
                }
                json_str(out, v);
            }
        }
        key(out, "custom");
        if self.custom.is_empty() {
            out.extend_from_slice(b"{}");
        } else {
            out.extend_from_slice(&self.custom);
            out.push(b'}');
        }
        match self.stamp {
            None => {}
            Some(Stamp::Ms(ms)) => {
                key(out, "lastUpdated");
                json_str(out, &super::snapshot::timestamp_text(ms)?);
            }
            Some(Stamp::Text(t)) => {
                key(out, "lastUpdated");
                json_str(out, t);
            }
        }
        out.push(b'}');
        Ok(())
    }
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
}

impl CompactDirectory {
    /// Loads a snapshot (copied once). Errors as [`decode`]: `SNAPSHOT_CORRUPT`,
    /// `SNAPSHOT_VERSION_UNSUPPORTED`; never a partial directory.
    pub fn from_snapshot(bytes: &[u8]) -> Result<CompactDirectory> {
        CompactDirectory::load(bytes.to_vec())
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
        let mut records = Vec::with_capacity(n);
        let (mut login, mut other, mut ids) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        let mut scratch = Scratch::default();
        let mut sink = KeySink { fields: [None; 20], custom_keys: &custom_keys, custom: Vec::new() };
        let mut norms = Norms::default();
        for u in 0..n {
            let user = u32::try_from(u).map_err(|_| corrupt("too many users"))?;
            records.push(r.pos());
            sink.fields = [None; 20];
            sink.custom.clear();
            walk_user(&mut r, &head.table, &mut sink, &mut scratch)?;
            if let Some(id) = sink.fields[0] {
                ids.push((hash_exact(id), user));
            }
            for (k, key) in head.config.keys.iter().enumerate() {
                let tier = if *key == LookupKey::Login { &mut login } else { &mut other };
                let is_login = *key == LookupKey::Login;
                match field_of(key) {
                    Some(f) => {
                        if let Some((h, norm)) =
                            sink.fields.get(f).copied().flatten().and_then(|v| key_hash_norm(is_login, v))
                        {
                            tier.push((h, user));
                            if let (Some(norm), Some(at)) = (norm, norm_key(user, k)) {
                                norms.insert(at, norm.into_boxed_str());
                            }
                        }
                    }
                    None => {
                        for (_, v) in sink.custom.iter().filter(|(i, _)| *i == k) {
                            if let Some((h, _)) = key_hash_norm(false, v) {
                                tier.push((h, user));
                            }
                        }
                    }
                }
            }
        }
        let (groups, members) = read_tail(&mut r, &head)?;
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
                ids.push(self.field(*u, 0)?);
            }
            ids.sort_unstable();
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
            if j == 1 && (i == 2 || i == 3) {
                login = read_ref(&mut r, &self.table, None)?;
            } else {
                // Inline strings were validated at load: skip their bytes.
                let v = r.varint()?;
                if v >= 3 && v % 2 == 1 {
                    r.bytes(usize::try_from((v - 3) / 2).map_err(|_| corrupt("string length out of range"))?)?;
                }
            }
        }
        let same_as = if i == 2 || i == 3 { login } else { None };
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
        let mut sink = JsonSink { status: None, fields: [None; 20], stamp: None, custom: Vec::new() };
        walk_user(&mut r, &self.table, &mut sink, &mut Scratch::default())?;
        sink.finish(out)
    }

    /// Users in directory order, decoded one at a time.
    pub fn users(&self) -> impl Iterator<Item = Result<DirectoryUser>> + '_ {
        (0..self.records.len() as u32).map(|i| self.user_at(i))
    }

    /// The position of the user with this Okta id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        let mut found = None;
        self.ids.candidates(hash_exact(id), |u, _| {
            if found.is_none() && self.field(u, 0).ok().flatten() == Some(id) {
                found = Some(u);
            }
        });
        found
    }

    /// The user with this Okta id.
    pub fn user(&self, id: &str) -> Option<DirectoryUser> {
        self.index_of(id).and_then(|u| self.user_at(u).ok())
    }

    fn in_workforce(&self, u: u32) -> bool {
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
                // Normalized once: the hash and every candidate's comparison use the same text.
                if norm.is_some() {
                    h.login = Some(norm);
                }
                if let Some(found) = self.resolve(Tier::Login, k, &mut h)? {
                    return Ok(found);
                }
            }
        }
        let (k, norm) = key_hash_norm(false, hint).ok_or(Error::UserNotFound)?;
        if norm.is_some() {
            h.plain = Some(norm);
        }
        self.resolve(Tier::Other, k, &mut h)?.ok_or(Error::UserNotFound)
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
        more.sort_unstable();
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
            match field_of(key) {
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
        let mut sink = KeySink { fields: [None; 20], custom_keys: &custom_keys, custom: Vec::new() };
        match walk_user(&mut r, &self.table, &mut sink, &mut Scratch::default()) {
            Ok(()) => sink.custom,
            Err(_) => Vec::new(),
        }
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
mod tests {
    use super::*;
    use crate::directory::encode;
    use crate::profile::UserStatus;

    fn user(id: &str, login: &str, email: &str) -> DirectoryUser {
        DirectoryUser {
            id: Some(id.into()),
            status: Some(UserStatus::Active),
            login: Some(login.into()),
            email: Some(email.into()),
            ..DirectoryUser::default()
        }
    }

    fn compact(users: Vec<DirectoryUser>) -> CompactDirectory {
        let dir = Directory::build(users, vec![], &[], DirectoryConfig::default(), SyncMeta::default());
        CompactDirectory::from_snapshot(&encode(&dir)).unwrap()
    }

    #[test]
    fn the_hash_index_finds_every_pair() {
        let mut pairs: Vec<(u64, u32)> =
            vec![(0, 0), (0, 1), (0, 1), (1, 2), (1 << 63, 3), (u64::MAX, 4), (u64::MAX, 5)];
        let mut x = 0x1234_5678_9ABC_DEF0u64;
        for u in 6..5000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Few distinct top bits: long probe runs across neighbouring buckets.
            pairs.push((x & 0xF000_0000_FFFF_FFFF, u));
        }
        let index = HashIndex::build(&pairs, &[]).unwrap();
        assert_eq!(index.slots.last().map(|s| s[1]), Some(EMPTY));
        for (h, u) in &pairs {
            let mut found = Vec::new();
            index.candidates(*h, |c, _| found.push(c));
            assert!(found.contains(u), "{h:x} {u}");
        }
        let mut zero = Vec::new();
        index.candidates(0, |c, _| zero.push(c));
        assert_eq!(zero, [0, 1], "shared value, each user once");
    }

    #[test]
    fn word_lower_case_is_ascii_lower_case() {
        for b in 0u8..128 {
            for pos in 0..8 {
                let mut word = [b'a'; 8];
                word[pos] = b;
                let mut expected = word;
                expected.make_ascii_lowercase();
                assert_eq!(ascii_lower(u64::from_le_bytes(word)), u64::from_le_bytes(expected), "{b}");
            }
        }
    }

    #[test]
    fn ascii_hashing_equals_hashing_the_normalized_text() {
        for s in ["  Ana.Nunez@Example.COM ", "x", "0123456789abcdefXYZ"] {
            assert_eq!(key_hash(true, s), Some(hash_exact(&normalize_login(s).unwrap())));
            assert_eq!(key_hash(false, s), Some(hash_exact(&normalize_plain(s).unwrap())));
        }
        assert_eq!(key_hash(true, "JOSE\u{301}@X.ES"), Some(hash_exact("jose@x.es")));
        assert_eq!(key_hash(false, "JOSE\u{301}@X.ES"), Some(hash_exact("josé@x.es")));
        assert_eq!(key_hash(true, " \t"), None);
    }

    /// Every entry forced into one bucket with one fingerprint: only verification separates users.
    fn collide_everything(dir: &mut CompactDirectory) {
        for index in [&mut dir.login, &mut dir.other, &mut dir.ids] {
            let mut users: Vec<u32> = Vec::new();
            index.candidates_all(|u| users.push(u));
            users.sort_unstable();
            users.dedup();
            let shared_starts = vec![0, users.len() as u32];
            *index = HashIndex { bits: 0, slots: vec![[7, SHARED, 0], [0, EMPTY, 0]], shared_starts, shared: users };
        }
    }

    impl HashIndex {
        fn candidates_all(&self, mut f: impl FnMut(u32)) {
            for [fp, value, _] in &self.slots {
                if *value != EMPTY {
                    self.candidates_of(*fp, *value, &mut f);
                }
            }
        }
        fn candidates_of(&self, _fp: u32, value: u32, f: &mut impl FnMut(u32)) {
            if value & SHARED == 0 {
                f(value);
            } else {
                let g = (value & !SHARED) as usize;
                self.shared[self.shared_starts[g] as usize..self.shared_starts[g + 1] as usize]
                    .iter()
                    .for_each(|u| f(*u));
            }
        }
    }

    #[test]
    fn collisions_never_pick_the_wrong_user_nor_invent_ambiguity() {
        let mut dir = compact(vec![
            user("00u1", "ana@example.com", "ana@home.example"),
            user("00u2", "bo@example.com", "shared@example.com"),
            user("00u3", "cy@example.com", "shared@example.com"),
            user("00u4", "dee@example.com", "ANA@example.com"),
        ]);
        collide_everything(&mut dir);
        // Every hint now hashes (fingerprint 7) to the one bucket that holds every entry; answers must not change.
        let hash = |_: &str| 7u64;
        let forced = |dir: &CompactDirectory, hint: &str| -> Result<(String, String)> {
            let mut h = Hint { trimmed: hint.trim(), login: None, plain: None };
            let found = match dir.resolve(Tier::Login, hash(hint), &mut h)? {
                Some(hit) => hit,
                None => dir.resolve(Tier::Other, hash(hint), &mut h)?.ok_or(Error::UserNotFound)?,
            };
            let user = dir.user_at(found.index)?;
            Ok((user.id.unwrap_or_default(), found.key.name().to_string()))
        };
        let ok = |id: &str, key: &str| Ok((id.to_string(), key.to_string()));
        assert_eq!(forced(&dir, "ANA@example.com"), ok("00u1", "login"), "login beats Dee's email");
        assert_eq!(forced(&dir, "ana@home.example"), ok("00u1", "email"));
        assert_eq!(forced(&dir, "bo@example.com"), ok("00u2", "login"));
        assert_eq!(forced(&dir, "shared@example.com"), Err(Error::AmbiguousLoginHint { candidates: 2 }));
        assert_eq!(forced(&dir, "nobody@example.com"), Err(Error::UserNotFound));
        let by_id = |dir: &CompactDirectory, id: &str| {
            let mut found = None;
            dir.ids.candidates(7, |u, _| {
                if dir.field(u, 0).ok().flatten() == Some(id) {
                    found = Some(u);
                }
            });
            found
        };
        assert_eq!(by_id(&dir, "00u3"), Some(2));
        assert_eq!(by_id(&dir, "00u9"), None);
    }

    #[test]
    fn duplicate_ids_are_refused_even_with_colliding_hashes() {
        let dir = compact(vec![user("00u1", "a@x.io", "a@x.io"), user("00u2", "b@x.io", "b@x.io")]);
        let mut forced = dir.clone();
        collide_everything(&mut forced);
        assert_eq!(forced.check_unique_ids(), Ok(()));
        // The same id twice in a snapshot (written by hand: `Directory` would merge them).
        let mut bytes = dir.snapshot().to_vec();
        let at = bytes.windows(4).position(|w| w == b"00u2").unwrap();
        bytes[at + 3] = b'1';
        let payload_crc = crate::directory::wire::crc32c_update(
            crate::directory::wire::crc32c_update(0, &bytes[4..16]),
            &bytes[HEADER_LEN..],
        );
        bytes[16..20].copy_from_slice(&payload_crc.to_le_bytes());
        assert_eq!(
            CompactDirectory::from_snapshot(&bytes).unwrap_err(),
            Error::SnapshotCorrupt { reason: "duplicate user or group id" }
        );
        assert!(decode(&bytes).is_err());
    }
}
