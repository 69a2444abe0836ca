//! Exports for sharded directories (Workers KV): splitting a snapshot into shard snapshots, routing a
//! hint to the shard(s) to read, and looking it up there. The rules live in `crate::directory::shard`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::directory::answer::lookup_answer_text;
use crate::directory::options::parse_keys;
use crate::directory::shard::{lookup_routed, route_hint, split, split_canonical, ROUTING};
use crate::directory::shard_patch::{patch_shard, shard_users, shards_of_users, users_from_json, ShardEdit};
use crate::directory::shard_range::ShardRangeBuilder;
use crate::directory::{CompactDirectory, CompactHit, DirectoryConfig, SyncMeta};
use crate::profile::frequency::FrequencyCounts;
use crate::profile::DirectoryUser;
use crate::sync::range_pages::{add_members_page, add_users_page, route_users_page, superseded_from_json};

/// The routing scheme shards are written with (stored in the manifest; a reader refuses others).
#[wasm_bindgen(js_name = shardRouting)]
pub fn shard_routing() -> String {
    ROUTING.to_owned()
}

/// Splits a directory snapshot into `shards` shard snapshots, index = shard number
/// (throws `SNAPSHOT_CORRUPT`, `SNAPSHOT_VERSION_UNSUPPORTED`, or `INPUT_TOO_LARGE` for a bad count).
#[wasm_bindgen(js_name = splitSnapshot)]
pub fn split_snapshot(bytes: &[u8], shards: u32) -> Result<Vec<js_sys::Uint8Array>, JsValue> {
    let dir = CompactDirectory::from_snapshot(bytes).map_err(|e| to_js_error(&e))?;
    let parts = split(&dir, shards).map_err(|e| to_js_error(&e))?;
    Ok(parts.iter().map(|bytes| js_sys::Uint8Array::from(bytes.as_slice())).collect())
}

/// As `splitSnapshot`, but each shard in a canonical form: users in id order and the sync time 0 (the KV
/// manifest carries it), so a shard whose users did not change is byte-identical from one sync to the next
/// and a publisher can rewrite only the shards that changed. Reads the snapshot in its compact form and
/// builds one shard at a time, so memory stays near the snapshot's size plus the largest shard.
#[wasm_bindgen(js_name = splitSnapshotCanonical)]
pub fn split_snapshot_canonical(bytes: &[u8], shards: u32) -> Result<Vec<js_sys::Uint8Array>, JsValue> {
    let dir = CompactDirectory::from_snapshot(bytes).map_err(|e| to_js_error(&e))?;
    let parts = split_canonical(&dir, shards).map_err(|e| to_js_error(&e))?;
    Ok(parts.iter().map(|bytes| js_sys::Uint8Array::from(bytes.as_slice())).collect())
}

/// The frequency table of a whole-directory snapshot (its encoded bytes, for the KV store's
/// `frequencies` key), `undefined` for a version-1 snapshot or one whose table adjusts nothing (fewer
/// than 100 users) (throws `SNAPSHOT_CORRUPT`, `SNAPSHOT_VERSION_UNSUPPORTED`).
#[wasm_bindgen(js_name = snapshotFrequencies)]
pub fn snapshot_frequencies(bytes: &[u8]) -> Result<Option<Vec<u8>>, JsValue> {
    let table = crate::directory::frequencies_of(bytes).map_err(|e| to_js_error(&e))?;
    Ok(table.filter(|t| !t.is_empty()).map(|t| t.to_bytes()))
}

/// The shards to read for a hint, login shard first: none for a blank hint, usually one, at most two.
/// `keys` are the directory's configured lookup key names, in order.
#[wasm_bindgen(js_name = shardsForHint)]
pub fn shards_for_hint(hint: &str, keys: Vec<String>, shards: u32) -> Vec<u32> {
    route_hint(&parse_keys(&keys), hint, shards).shards()
}

/// The shards the users of a JSON array belong in (ascending; throws `CONVERSION_FAILED` for bad JSON).
#[wasm_bindgen(js_name = shardsOfUsersJson)]
pub fn shards_of_users_json(users_json: &str, keys: Vec<String>, shards: u32) -> Result<Vec<u32>, JsValue> {
    users_from_json(users_json).map(|u| shards_of_users(&parse_keys(&keys), &u, shards)).map_err(|e| to_js_error(&e))
}

/// A canonical shard with a shard edit's JSON (`ShardEdit`: given users, removed ids, Workforce marks)
/// applied; `undefined` when the edit changes the Workforce group's record (publish whole instead).
#[wasm_bindgen(js_name = patchShardEdit)]
pub fn patch_shard_edit(shard: &[u8], index: u32, shards: u32, edit_json: &str) -> Result<Option<Vec<u8>>, JsValue> {
    ShardEdit::from_json(edit_json).and_then(|e| patch_shard(shard, index, shards, &e)).map_err(|e| to_js_error(&e))
}

/// The users of a canonical shard whose id is in `ids`, as JSON `[{user, workforce}]` (throws `SNAPSHOT_CORRUPT`).
#[wasm_bindgen(js_name = shardUsersJson)]
pub fn shard_users_json(shard: &[u8], ids: Vec<String>) -> Result<String, JsValue> {
    let found = shard_users(shard, &ids).map_err(|e| to_js_error(&e))?;
    serde_json::to_string(&found).map_err(|_| conversion("the shard's users do not serialize"))
}

/// `LookupResult` by reference (the JSON shape of `DirectoryCore.lookup`).
#[derive(Serialize)]
struct LookupView<'a> {
    user: &'a DirectoryUser,
    key: &'a str,
    workforce: bool,
}

fn to_result(dir: &CompactDirectory, hit: CompactHit<'_>) -> Result<JsValue, JsValue> {
    let user = dir.user_at(hit.index).map_err(|e| to_js_error(&e))?;
    let view = LookupView { user: &user, key: hit.key.name(), workforce: hit.workforce };
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    view.serialize(&serializer).map_err(|_| conversion("lookup result"))
}

/// One loaded shard (a mini-directory); call `free()` when done.
#[wasm_bindgen]
pub struct DirectoryShard {
    inner: CompactDirectory,
}

#[wasm_bindgen]
impl DirectoryShard {
    /// Loads a shard snapshot (throws `SNAPSHOT_CORRUPT` / `SNAPSHOT_VERSION_UNSUPPORTED`).
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(bytes: &[u8]) -> Result<DirectoryShard, JsValue> {
        CompactDirectory::from_snapshot(bytes).map(|inner| DirectoryShard { inner }).map_err(|e| to_js_error(&e))
    }

    /// Looks a hint up when `shardsForHint` named this shard only (throws `USER_NOT_FOUND` / `AMBIGUOUS_LOGIN_HINT`).
    #[wasm_bindgen(unchecked_return_type = "LookupResult")]
    pub fn lookup(&self, hint: &str) -> Result<JsValue, JsValue> {
        to_result(&self.inner, self.inner.lookup(hint).map_err(|e| to_js_error(&e))?)
    }

    /// Looks a hint up when `shardsForHint` named two shards: this one (the login shard) and `plain`.
    #[wasm_bindgen(js_name = lookupWithPlainShard, unchecked_return_type = "LookupResult")]
    pub fn lookup_with_plain_shard(&self, hint: &str, plain: &DirectoryShard) -> Result<JsValue, JsValue> {
        let (dir, hit) = lookup_routed(Some(&self.inner), Some(&plain.inner), hint).map_err(|e| to_js_error(&e))?;
        to_result(dir, hit)
    }

    /// `lookup`'s answer as the Worker template sends it, JSON text `{userId, status, key, workforce,
    /// user}` written from the record (throws `USER_NOT_FOUND` / `AMBIGUOUS_LOGIN_HINT`).
    #[wasm_bindgen(js_name = lookupAnswer)]
    pub fn lookup_answer(&self, hint: &str) -> Result<String, JsValue> {
        let hit = self.inner.lookup(hint).map_err(|e| to_js_error(&e))?;
        lookup_answer_text(&self.inner, &hit).map_err(|e| to_js_error(&e))
    }

    /// `lookupAnswer` when `shardsForHint` named two shards: this one (the login shard) and `plain`.
    #[wasm_bindgen(js_name = lookupAnswerWithPlainShard)]
    pub fn lookup_answer_with_plain_shard(&self, hint: &str, plain: &DirectoryShard) -> Result<String, JsValue> {
        let (dir, hit) = lookup_routed(Some(&self.inner), Some(&plain.inner), hint).map_err(|e| to_js_error(&e))?;
        lookup_answer_text(dir, &hit).map_err(|e| to_js_error(&e))
    }

    /// Users in this shard.
    #[wasm_bindgen(getter)]
    pub fn users(&self) -> usize {
        self.inner.len()
    }
}

/// Splits a journal page, if it is a users page, for a ranged publish: the users page bodies of the
/// `ceil(shards / shardsPerBucket)` buckets, then the id lines of the `idBuckets` id buckets (empty: none);
/// `undefined` for another page (throws `INVALID_CHECKPOINT` when unreadable).
#[wasm_bindgen(js_name = routeUsersPage)]
pub fn route_users_page_js(
    url: &str,
    body: &[u8],
    shards: u32,
    shards_per_bucket: u32,
    id_buckets: u32,
) -> Result<Option<Vec<js_sys::Uint8Array>>, JsValue> {
    let routed = route_users_page(url, &String::from_utf8_lossy(body), shards, shards_per_bucket, id_buckets)
        .map_err(|e| to_js_error(&e))?;
    Ok(routed.map(|r| r.buckets.iter().chain(&r.ids).map(|b| js_sys::Uint8Array::from(b.as_slice())).collect()))
}

/// The sum of two ranges' frequency counts (`ShardRange.frequencyCounts`), encoded (throws `SNAPSHOT_CORRUPT`).
#[wasm_bindgen(js_name = mergeFrequencyCounts)]
pub fn merge_frequency_counts(a: &[u8], b: &[u8]) -> Result<Vec<u8>, JsValue> {
    let (a, b) = (FrequencyCounts::from_bytes(a), FrequencyCounts::from_bytes(b));
    Ok(a.map_err(|e| to_js_error(&e))?.merge(&b.map_err(|e| to_js_error(&e))?).to_bytes())
}

/// The frequency table of merged counts, as `snapshotFrequencies` reads it from a whole snapshot
/// (`undefined` when too small to say anything; throws `SNAPSHOT_CORRUPT`).
#[wasm_bindgen(js_name = frequencyTableOfCounts)]
pub fn frequency_table_of_counts(counts: &[u8]) -> Result<Option<Vec<u8>>, JsValue> {
    let table = FrequencyCounts::from_bytes(counts).map_err(|e| to_js_error(&e))?.table();
    Ok((!table.is_empty()).then(|| table.to_bytes()))
}

/// Builds the canonical shards `from..to` of a directory split into `shards` from a sync's journal pages
/// (the Worker's ranged publish): every users page first (`addUsersPage`), then the members pages
/// (`addMembersPage`), then `finish`. Holds only the range's users.
#[wasm_bindgen]
pub struct ShardRange {
    inner: Option<ShardRangeBuilder>,
}

#[wasm_bindgen]
impl ShardRange {
    /// A range of the default lookup keys' shards, for the org `origin` (throws `INPUT_TOO_LARGE` for a bad range).
    #[wasm_bindgen(constructor)]
    pub fn new(
        shards: u32,
        from: u32,
        to: u32,
        origin: String,
        workforce_group_id: Option<String>,
    ) -> Result<ShardRange, JsValue> {
        let config = DirectoryConfig { workforce_group: workforce_group_id, ..DirectoryConfig::default() };
        let meta = SyncMeta { origin, synced_at_ms: 0 };
        ShardRangeBuilder::new(config, meta, shards, from, to)
            .map(|b| ShardRange { inner: Some(b) })
            .map_err(|e| to_js_error(&e))
    }

    /// Takes a journal page if it is a users page; says whether it was (throws `INVALID_CHECKPOINT` when unreadable).
    #[wasm_bindgen(js_name = addUsersPage)]
    pub fn add_users_page(&mut self, url: &str, body: &[u8]) -> Result<bool, JsValue> {
        add_users_page(self.builder()?, url, &String::from_utf8_lossy(body)).map_err(|e| to_js_error(&e))
    }

    /// Takes a journal page if it is a Workforce members page; says whether it was (throws `INVALID_CHECKPOINT` when unreadable).
    #[wasm_bindgen(js_name = addMembersPage)]
    pub fn add_members_page(&mut self, url: &str, body: &[u8]) -> Result<bool, JsValue> {
        add_members_page(self.builder()?, url, &String::from_utf8_lossy(body)).map_err(|e| to_js_error(&e))
    }

    /// Names the users listed more than once (a JSON object: id → the shards of its last copy), for a range fed
    /// only its bucket of routed pages; before the first page (throws `INVALID_CHECKPOINT` when unreadable).
    #[wasm_bindgen(js_name = setSuperseded)]
    pub fn set_superseded(&mut self, json: &str) -> Result<(), JsValue> {
        let superseded = superseded_from_json(json).map_err(|e| to_js_error(&e))?;
        self.builder()?.set_superseded(superseded);
        Ok(())
    }

    /// The name and birthdate counts of the range's users (merge every range's with `mergeFrequencyCounts`);
    /// before `finish`.
    #[wasm_bindgen(js_name = frequencyCounts)]
    pub fn frequency_counts(&self) -> Result<Vec<u8>, JsValue> {
        let builder = self.inner.as_ref().ok_or_else(|| conversion("a finished shard range"))?;
        Ok(builder.frequency_counts().to_bytes())
    }

    /// Users kept so far (those routed into the range).
    #[wasm_bindgen(getter)]
    pub fn users(&self) -> usize {
        self.inner.as_ref().map_or(0, ShardRangeBuilder::len)
    }

    /// Kept users whose first shard is in the range (summed over all ranges: the directory's users, each once).
    #[wasm_bindgen(js_name = primaryUsers, getter)]
    pub fn primary_users(&self) -> usize {
        self.inner.as_ref().map_or(0, ShardRangeBuilder::primary_users)
    }

    /// The range's shard snapshots, in order; `workforceGroupJson` is the listed Workforce group (a `Group` as
    /// JSON text) or undefined. Call once.
    pub fn finish(&mut self, workforce_group_json: Option<String>) -> Result<Vec<js_sys::Uint8Array>, JsValue> {
        let builder = self.inner.take().ok_or_else(|| conversion("a finished shard range"))?;
        let parts = builder.finish_json(workforce_group_json.as_deref()).map_err(|e| to_js_error(&e))?;
        Ok(parts.iter().map(|bytes| js_sys::Uint8Array::from(bytes.as_slice())).collect())
    }
}

impl ShardRange {
    fn builder(&mut self) -> Result<&mut ShardRangeBuilder, JsValue> {
        self.inner.as_mut().ok_or_else(|| conversion("a finished shard range"))
    }
}
