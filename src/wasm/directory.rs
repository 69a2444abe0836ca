//! Exports for the directory: a `DirectoryCore` class the SDK's `Directory` wraps.

use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use super::heap;
use crate::directory::answer::{lookup_code, lookup_codes_of_lines, lookup_fields, lookup_json, user_json_at};
use crate::directory::{snapshot_from_sync_json, BuildOptions, CompactDirectory};
use crate::profile::DirectoryUser;
use crate::sync::Group;

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
        heap::reserve(CompactDirectory::load_reservation(bytes.len(), heap::memory_bytes()));
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
        let (config, meta) = options.into_parts();
        let bytes = snapshot_from_sync_json(text, config, meta).map_err(|e| to_js_error(&e))?;
        CompactDirectory::load(bytes).map(|inner| DirectoryCore { inner }).map_err(|e| to_js_error(&e))
    }

    /// The users' name and birthdate frequencies, encoded (for `ClaimsMatcher`'s directory-aware
    /// weights); `undefined` for a directory loaded from a version-1 snapshot or too small for its
    /// frequencies to say anything (fewer than 100 users).
    #[wasm_bindgen(js_name = frequencyTable)]
    pub fn frequency_table(&self) -> Option<Vec<u8>> {
        self.inner.frequencies().filter(|t| !t.is_empty()).map(|t| t.to_bytes())
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
        lookup_json(&self.inner, hint).map_err(|e| to_js_error(&e))
    }

    /// `lookup` as a field list (the SDK's `lookup()` builds the object from it with
    /// `recordFieldTable()`): `undefined` when nobody matches; throws `AMBIGUOUS_LOGIN_HINT` and the other errors.
    #[wasm_bindgen(js_name = lookupFields)]
    pub fn lookup_fields(&self, hint: &str) -> Result<Option<String>, JsValue> {
        lookup_fields(&self.inner, hint).map_err(|e| to_js_error(&e))
    }

    /// The position of the one user a loginHint names, without decoding it; a miss is a code, not
    /// an exception: -1 for `USER_NOT_FOUND`, -2 for `AMBIGUOUS_LOGIN_HINT`, -3 for any other error
    /// (`lookup` throws it). The SDK throws or answers as its method promises: building a JS `Error`
    /// here cost more than the lookup.
    #[wasm_bindgen(js_name = lookupIndex)]
    pub fn lookup_index(&self, hint: &str) -> i32 {
        lookup_code(self.inner.lookup(hint))
    }

    /// The user at a position (from `lookupIndex`) as JSON text (throws `USER_NOT_FOUND` when out of range).
    #[wasm_bindgen(js_name = userJsonAt)]
    pub fn user_json_at(&self, index: u32) -> Result<String, JsValue> {
        user_json_at(&self.inner, index).map_err(|e| to_js_error(&e))
    }

    /// Batch lookups, one hint per line (`\n`): per line the user's position, -1 for `USER_NOT_FOUND`,
    /// -2 for `AMBIGUOUS_LOGIN_HINT`, -3 for another error. One boundary crossing for many hints (benchmarks, bulk checks).
    #[wasm_bindgen(js_name = lookupIndexLines)]
    pub fn lookup_index_lines(&self, hints: &str) -> Vec<i32> {
        lookup_codes_of_lines(&self.inner, hints)
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
        crate::readiness::audit_text(&self.inner, policy_json.as_deref(), group.as_deref(), csv)
            .map_err(|e| to_js_error(&e))
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
