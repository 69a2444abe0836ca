//! Records shared by the sync and the directory (groups, memberships) and the rules an Okta id
//! follows. Below both `sync` and `directory`, so neither imports the other for them.

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// An Okta group, as kept by the sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Okta group id (`00g…`).
    pub id: String,
    /// `profile.name` (empty when absent).
    pub name: String,
    /// `OKTA_GROUP`, `APP_GROUP` or `BUILT_IN` (kept as given).
    #[serde(rename = "type")]
    pub group_type: String,
}

/// One group membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    /// The group's id.
    pub group_id: String,
    /// The member user's id.
    pub user_id: String,
}

/// Whether `id` can be an Okta object id: it ends up in URL paths, so only `[A-Za-z0-9]`, 1–64 chars.
pub fn is_okta_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_CHARS && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The looser rule a profile's own `id` attribute is held to when normalized (also `_` and `-`).
pub fn is_profile_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Longest Okta id accepted (Okta's are 20 characters).
pub const MAX_ID_CHARS: usize = 64;

/// Whether `id` can be a sync run id: at most 64 ASCII letters, digits or `-` (empty allowed).
pub fn is_run_id(id: &str) -> bool {
    id.len() <= MAX_ID_CHARS && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}
