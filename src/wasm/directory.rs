//! Exports for the directory: a `DirectoryCore` class the SDK's `Directory` wraps.

use serde::{Deserialize, Serialize};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::directory::{snapshot_from_sync_json, CompactDirectory, CompactHit, DirectoryConfig, LookupKey, SyncMeta};
use crate::profile::DirectoryUser;
use crate::sync::Group;

/// Options for building a directory from a sync result.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct BuildOptions {
    keys: Option<Vec<String>>,
    workforce_group: Option<String>,
    origin: Option<String>,
    synced_at_ms: Option<f64>,
}

/// One lookup result.
#[derive(Serialize, Tsify)]
#[tsify(hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct LookupResult {
    /// The user, with its Okta status (inactive users are returned: policy decides).
    pub user: DirectoryUser,
    /// The configured key that matched (`login`, `email`, … or a custom attribute name).
    pub key: String,
    /// Whether the user is in the configured Workforce group.
    pub workforce: bool,
}

/// `LookupResult` by reference (same JSON shape).
#[derive(Serialize)]
struct LookupView<'a> {
    user: &'a DirectoryUser,
    key: &'a str,
    workforce: bool,
}

/// A list of groups.
#[derive(Serialize, Tsify)]
pub struct GroupList {
    /// The groups, in directory order.
    pub groups: Vec<Group>,
}

/// A list of users.
#[derive(Serialize, Tsify)]
#[tsify(hashmap_as_object)]
pub struct UserList {
    /// The users, in directory order.
    pub users: Vec<DirectoryUser>,
}

/// What a directory holds and where it came from.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryInfo {
    /// Users, whatever their status.
    pub users: usize,
    /// Groups.
    pub groups: usize,
    /// (group, user) memberships.
    pub memberships: usize,
    /// The Okta org origin recorded at sync time.
    pub origin: String,
    /// When the sync completed (Unix ms).
    pub synced_at_ms: f64,
    /// Configured lookup keys, in order.
    pub keys: Vec<String>,
    /// The Workforce group id, when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workforce_group: Option<String>,
}

/// A loaded directory (the SDK's `Directory` wraps it; call `free()` when done). It holds the
/// compact form: the snapshot's encoded records plus hash indexes; a user is decoded when returned.
#[wasm_bindgen]
pub struct DirectoryCore {
    inner: CompactDirectory,
}

#[wasm_bindgen]
impl DirectoryCore {
    /// Loads a snapshot (throws `SNAPSHOT_CORRUPT` / `SNAPSHOT_VERSION_UNSUPPORTED`).
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(bytes: Vec<u8>) -> Result<DirectoryCore, JsValue> {
        reserve_heap(bytes.len().saturating_mul(2));
        CompactDirectory::load(bytes).map(|inner| DirectoryCore { inner }).map_err(|e| to_js_error(&e))
    }

    /// Builds a directory from a sync result as JSON text `{users, groups, memberships}`.
    #[wasm_bindgen(js_name = fromSyncJson)]
    pub fn from_sync_json(
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "DirectoryBuildOptions | undefined | null")] options: JsValue,
    ) -> Result<DirectoryCore, JsValue> {
        let options: BuildOptions = if options.is_undefined() || options.is_null() {
            BuildOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|_| conversion("directory options"))?
        };
        let mut config = DirectoryConfig { workforce_group: options.workforce_group, ..DirectoryConfig::default() };
        if let Some(keys) = options.keys {
            config.keys = keys.iter().filter_map(|k| LookupKey::parse(k)).collect();
        }
        let synced_at_ms = options.synced_at_ms.filter(|ms| ms.is_finite() && *ms >= 0.0).map_or(0, |ms| ms as u64);
        let meta = SyncMeta { origin: options.origin.unwrap_or_default(), synced_at_ms };
        let bytes = snapshot_from_sync_json(text, config, meta).map_err(|e| to_js_error(&e))?;
        CompactDirectory::load(bytes).map(|inner| DirectoryCore { inner }).map_err(|e| to_js_error(&e))
    }

    /// The snapshot bytes of this directory.
    #[wasm_bindgen(js_name = toSnapshot)]
    pub fn to_snapshot(&self) -> Vec<u8> {
        self.inner.snapshot().to_vec()
    }

    /// Finds the one user a loginHint names: `undefined` when nobody matches (no JS `Error` built
    /// for a miss; the SDK throws `USER_NOT_FOUND` or answers `undefined` as its method promises);
    /// throws `AMBIGUOUS_LOGIN_HINT` and the other errors.
    #[wasm_bindgen(unchecked_return_type = "LookupResult | undefined")]
    pub fn lookup(&self, hint: &str) -> Result<JsValue, JsValue> {
        let hit = match self.inner.lookup(hint) {
            Ok(hit) => hit,
            Err(crate::Error::UserNotFound) => return Ok(JsValue::UNDEFINED),
            Err(e) => return Err(to_js_error(&e)),
        };
        let user = self.inner.user_at(hit.index).map_err(|e| to_js_error(&e))?;
        let view = LookupView { user: &user, key: hit.key.name(), workforce: hit.workforce };
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
        view.serialize(&serializer).map_err(|_| conversion("lookup result"))
    }

    /// `lookup` as JSON text, written straight from the record: one string crosses the boundary
    /// instead of one call per property (the SDK's `lookup()` parses it, a Worker can answer with it
    /// as is). `undefined` when nobody matches (no JS `Error` built for a miss); throws
    /// `AMBIGUOUS_LOGIN_HINT` and the other errors.
    #[wasm_bindgen(js_name = lookupJson)]
    pub fn lookup_json(&self, hint: &str) -> Result<Option<String>, JsValue> {
        let hit = match self.inner.lookup(hint) {
            Ok(hit) => hit,
            Err(crate::Error::UserNotFound) => return Ok(None),
            Err(e) => return Err(to_js_error(&e)),
        };
        let mut out = Vec::with_capacity(512);
        out.extend_from_slice(b"{\"user\":");
        self.inner.write_user_json(hit.index, &mut out).map_err(|e| to_js_error(&e))?;
        out.extend_from_slice(b",\"key\":");
        serde_json::to_writer(&mut out, hit.key.name()).map_err(|_| conversion("lookup result"))?;
        out.extend_from_slice(if hit.workforce { b",\"workforce\":true}" } else { b",\"workforce\":false}" });
        String::from_utf8(out).map(Some).map_err(|_| conversion("lookup result"))
    }

    /// `lookup` as a field list (the SDK's `lookup()` builds the object from it with
    /// `recordFieldTable()`): `undefined` when nobody matches; throws `AMBIGUOUS_LOGIN_HINT` and the other errors.
    #[wasm_bindgen(js_name = lookupFields)]
    pub fn lookup_fields(&self, hint: &str) -> Result<Option<String>, JsValue> {
        let hit = match self.inner.lookup(hint) {
            Ok(hit) => hit,
            Err(crate::Error::UserNotFound) => return Ok(None),
            Err(e) => return Err(to_js_error(&e)),
        };
        let mut out = String::with_capacity(400);
        self.inner.write_hit_fields(&hit, &mut out).map(|()| Some(out)).map_err(|e| to_js_error(&e))
    }

    /// The position of the one user a loginHint names, without decoding it; a miss is a code, not
    /// an exception: -1 for `USER_NOT_FOUND`, -2 for `AMBIGUOUS_LOGIN_HINT`, -3 for any other error
    /// (`lookup` throws it). The SDK throws or answers as its method promises: building a JS `Error`
    /// here cost more than the lookup.
    #[wasm_bindgen(js_name = lookupIndex)]
    pub fn lookup_index(&self, hint: &str) -> i32 {
        index_code(self.inner.lookup(hint))
    }

    /// The user at a position (from `lookupIndex`) as JSON text (throws `USER_NOT_FOUND` when out of range).
    #[wasm_bindgen(js_name = userJsonAt)]
    pub fn user_json_at(&self, index: u32) -> Result<String, JsValue> {
        let mut out = Vec::with_capacity(512);
        self.inner.write_user_json(index, &mut out).map_err(|e| to_js_error(&e))?;
        String::from_utf8(out).map_err(|_| conversion("user"))
    }

    /// Batch lookups, one hint per line (`\n`): per line the user's position, -1 for `USER_NOT_FOUND`,
    /// -2 for `AMBIGUOUS_LOGIN_HINT`, -3 for another error. One boundary crossing for many hints (benchmarks, bulk checks).
    #[wasm_bindgen(js_name = lookupIndexLines)]
    pub fn lookup_index_lines(&self, hints: &str) -> Vec<i32> {
        hints.split('\n').map(|h| index_code(self.inner.lookup(h))).collect()
    }

    /// Bytes held in wasm memory by this directory (snapshot, offsets, indexes, memberships).
    #[wasm_bindgen(js_name = memoryBytes)]
    pub fn memory_bytes(&self) -> f64 {
        self.inner.footprint().total() as f64
    }

    /// The groups of a user (throws `USER_NOT_FOUND`).
    #[wasm_bindgen(js_name = groupsOf)]
    pub fn groups_of(&self, user_id: &str) -> Result<Ts<GroupList>, JsValue> {
        let groups = self.inner.groups_of(user_id).map_err(|e| to_js_error(&e))?;
        Ts::from_rust(&GroupList { groups: groups.into_iter().cloned().collect() }).map_err(|_| conversion("groups"))
    }

    /// The members of a group (throws `GROUP_NOT_FOUND`).
    #[wasm_bindgen(js_name = membersOf)]
    pub fn members_of(&self, group_id: &str) -> Result<Ts<UserList>, JsValue> {
        let users = self.inner.members_of(group_id).map_err(|e| to_js_error(&e))?;
        Ts::from_rust(&UserList { users }).map_err(|_| conversion("members"))
    }

    /// The readiness audit against a policy (JSON text, `null` for the default policy), optionally
    /// scoped to one group; returns the report as JSON text, or as CSV (ids and attribute names only).
    #[wasm_bindgen(js_name = auditJson)]
    pub fn audit_json(&self, policy_json: Option<String>, group: Option<String>, csv: bool) -> Result<String, JsValue> {
        let policy = match policy_json {
            Some(text) => {
                let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                    to_js_error(&crate::Error::InvalidJson {
                        position: format!("line {} column {}", e.line(), e.column()),
                    })
                })?;
                crate::claims::Policy::from_json(&doc).map_err(|e| to_js_error(&e))?
            }
            None => crate::claims::Policy::default(),
        };
        let report = crate::readiness::audit(&self.inner, &policy, group.as_deref()).map_err(|e| to_js_error(&e))?;
        if csv {
            return Ok(report.to_csv());
        }
        serde_json::to_string(&report).map_err(|_| conversion("audit report"))
    }

    /// Counts, origin, sync time and configuration.
    pub fn info(&self) -> Result<Ts<DirectoryInfo>, JsValue> {
        let d = &self.inner;
        let info = DirectoryInfo {
            users: d.len(),
            groups: d.groups().len(),
            memberships: d.membership_count(),
            origin: d.meta().origin.clone(),
            synced_at_ms: d.meta().synced_at_ms as f64,
            keys: d.config().keys.iter().map(|k| k.name().to_string()).collect(),
            workforce_group: d.config().workforce_group.clone(),
        };
        Ts::from_rust(&info).map_err(|_| conversion("directory info"))
    }
}

/// How to read `DirectoryCore.lookupFields` (JSON: field names and objects in item order, the ids of
/// the other items); constant for a given module.
#[wasm_bindgen(js_name = recordFieldTable)]
pub fn record_field_table() -> String {
    crate::directory::record_field_table()
}

/// Grows the heap once to about what loading a snapshot will allocate (indexes: ~2× the snapshot),
/// so that wasm memory grows in one step instead of many: each growth costs the engine work (and, in
/// V8, garbage collections) that made a first load ~0.3 s slower in CPU than later ones. The block is
/// freed at once and stays in the allocator (wasm memory never shrinks); a failed reservation is ignored.
fn reserve_heap(bytes: usize) {
    let mut block: Vec<u8> = Vec::new();
    if block.try_reserve_exact(bytes).is_ok() {
        std::hint::black_box(&mut block);
    }
}

/// A lookup's outcome as one number: the user's position, -1 for `USER_NOT_FOUND`, -2 for
/// `AMBIGUOUS_LOGIN_HINT`, -3 for another error (positions fit: a snapshot holds fewer than 2^31 users).
fn index_code(found: Result<CompactHit<'_>, crate::Error>) -> i32 {
    match found {
        Ok(hit) => i32::try_from(hit.index).unwrap_or(i32::MAX),
        Err(crate::Error::UserNotFound) => -1,
        Err(crate::Error::AmbiguousLoginHint { .. }) => -2,
        Err(_) => -3,
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_DIRECTORY_OPTIONS: &'static str = r#"
/** How to build a directory from a sync result. */
export type DirectoryBuildOptions = {
  /** Lookup keys in order: "login", "email", "secondEmail", "employeeNumber" or a custom attribute name (default: login, email). */
  keys?: readonly string[];
  /** The Workforce group's id: its members are marked `workforce` in lookups. */
  workforceGroup?: string;
  /** The Okta org origin, recorded in the snapshot. */
  origin?: string;
  /** When the sync completed, Unix ms (recorded in the snapshot). */
  syncedAtMs?: number;
};
"#;
