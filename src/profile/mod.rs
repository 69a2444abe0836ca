//! Okta profile normalization: Okta user JSON → canonical [`DirectoryUser`].

pub mod frequency;
// The borrowed JSON tree and `normalize_tree` serve the claims pair readers and the sync page parser.
pub(crate) mod json;
mod mapping;
mod normalize;
mod types;
mod user_json;

pub use mapping::{AttributeMapping, SourcePath};
#[cfg(test)]
pub(crate) use mapping::{FIELDS, OKTA_BASE_ATTRIBUTES};
pub(crate) use normalize::{normalize_tree, read_fields};
pub use normalize::{normalize_user, normalize_user_json, MAX_CUSTOM_ATTRIBUTES, MAX_CUSTOM_CHARS, MAX_INPUT_BYTES};
pub use types::{
    CanonicalField, CustomScalar, CustomValue, DirectoryUser, FieldIssue, IssueCode, NormalizedUser, PersonName,
    Phones, PostalAddress, UserStatus,
};
pub use user_json::{directory_user_from_json, directory_user_from_json_text};
