//! Okta profile normalization: Okta user JSON → canonical [`DirectoryUser`].

pub mod frequency;
// The borrowed JSON tree serves the claims pair readers (`read_fields`) and the sync page parser
// (`normalize_tree`, full module only).
pub(crate) mod json;
mod mapping;
mod normalize;
mod types;
mod user_json;

pub use mapping::{AttributeMapping, SourcePath};
#[cfg(test)]
pub(crate) use mapping::{FIELDS, OKTA_BASE_ATTRIBUTES};
#[cfg(feature = "full")]
pub(crate) use normalize::normalize_tree;
pub(crate) use normalize::read_fields;
pub use normalize::{normalize_user, normalize_user_json, MAX_CUSTOM_ATTRIBUTES, MAX_CUSTOM_CHARS, MAX_INPUT_BYTES};
pub use types::{
    CanonicalField, CustomScalar, CustomValue, DirectoryUser, FieldIssue, IssueCode, NormalizedUser, PersonName,
    Phones, PostalAddress, UserStatus,
};
pub use user_json::{directory_user_from_json, directory_user_from_json_text};
