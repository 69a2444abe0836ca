//! The Okta rate-limit buckets a request can count against (which one: `ratelimit::bucket_for`).

use serde::{Deserialize, Serialize};

/// An Okta rate-limit bucket (mirrors Okta's per-endpoint-family accounting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Bucket {
    /// `GET`/`POST /api/v1/users` and most `/api/v1/users/{id}/*` sub-resources.
    UsersList,
    /// `GET /api/v1/users/{idOrLogin}`.
    UserById,
    /// `/api/v1/groups`, including `/api/v1/groups/{id}/users`.
    GroupsList,
    /// `/api/v1/groups/{id}`.
    GroupById,
    /// `/api/v1/logs`.
    Logs,
    /// `/oauth2/v1/*` on the org authorization server (token requests).
    OAuthToken,
    /// Every other Management API action.
    General,
}

impl Bucket {
    /// The bucket's name as serialized (`usersList`, `groupsList`, …).
    pub fn as_str(&self) -> &'static str {
        match self {
            Bucket::UsersList => "usersList",
            Bucket::UserById => "userById",
            Bucket::GroupsList => "groupsList",
            Bucket::GroupById => "groupById",
            Bucket::Logs => "logs",
            Bucket::OAuthToken => "oauthToken",
            Bucket::General => "general",
        }
    }
}
