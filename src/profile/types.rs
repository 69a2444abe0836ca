//! The canonical directory record and the report that comes with normalizing one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Okta user lifecycle status (`UserStatus` in the Management API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    /// Created, not yet activated.
    Staged,
    /// Activated; the user has not set credentials yet.
    Provisioned,
    /// Transient state during asynchronous activation.
    Activating,
    /// Active.
    Active,
    /// Password reset in progress.
    Recovery,
    /// Locked out after failed sign-in attempts.
    LockedOut,
    /// Password expired.
    PasswordExpired,
    /// Suspended by an admin.
    Suspended,
    /// Deactivated.
    Deprovisioned,
}

impl UserStatus {
    /// Every status with its Okta spelling.
    pub const ALL: [(UserStatus, &'static str); 9] = [
        (UserStatus::Staged, "STAGED"),
        (UserStatus::Provisioned, "PROVISIONED"),
        (UserStatus::Activating, "ACTIVATING"),
        (UserStatus::Active, "ACTIVE"),
        (UserStatus::Recovery, "RECOVERY"),
        (UserStatus::LockedOut, "LOCKED_OUT"),
        (UserStatus::PasswordExpired, "PASSWORD_EXPIRED"),
        (UserStatus::Suspended, "SUSPENDED"),
        (UserStatus::Deprovisioned, "DEPROVISIONED"),
    ];

    /// Parses Okta's spelling (exact, upper case).
    pub fn from_okta(s: &str) -> Option<UserStatus> {
        Self::ALL.iter().find(|(_, name)| *name == s).map(|(status, _)| *status)
    }

    /// Okta's spelling of this status.
    pub fn as_okta(&self) -> &'static str {
        Self::ALL.iter().find(|(status, _)| status == self).map_or("", |(_, name)| name)
    }

    /// Whether the user can sign in at all (every status except staged, suspended and deprovisioned).
    pub fn is_active(&self) -> bool {
        !matches!(self, UserStatus::Staged | UserStatus::Suspended | UserStatus::Deprovisioned)
    }
}

/// A person's name parts, as the directory records them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PersonName {
    /// Given (first) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// Middle name(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle: Option<String>,
    /// Family (last) name; may be compound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Honorific prefix such as "Dr.".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_prefix: Option<String>,
    /// Honorific suffix such as "Jr." or "III".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_suffix: Option<String>,
    /// Nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// A postal address, with OIDC `address` claim part names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    /// Street lines, separated by `\n`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// City or town.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// State, province or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Postal or ZIP code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Country: ISO 3166-1 alpha-2 upper case when the source holds a code, otherwise as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// Phone numbers as the directory records them (free text in Okta; not yet E.164).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Phones {
    /// Mobile phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// Primary phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<String>,
}

/// A scalar custom attribute value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(untagged)]
pub enum CustomScalar {
    /// A string.
    String(String),
    /// A number (Okta `number` or `integer`).
    Number(f64),
    /// A boolean.
    Boolean(bool),
}

/// A custom attribute value: Okta allows string, number, integer, boolean and arrays of those.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(untagged)]
pub enum CustomValue {
    /// A single value.
    Scalar(CustomScalar),
    /// An array of values.
    List(Vec<CustomScalar>),
}

/// Whether a value equals its default (an empty address or phone list is not serialized).
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// The canonical form of one Okta user, independent of the tenant's attribute names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryUser {
    /// Okta user id (`00u…`); absent when a bare profile was normalized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Lifecycle status; absent for a bare profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    /// Okta login (unique, case-insensitive), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    /// Primary email (not unique in Okta).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Secondary email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_email: Option<String>,
    /// Name parts.
    pub name: PersonName,
    /// Date of birth, ISO 8601 `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthdate: Option<String>,
    /// Postal address; omitted when no part is known.
    #[serde(default, skip_serializing_if = "is_default")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub address: PostalAddress,
    /// Phone numbers; omitted when none is known.
    #[serde(default, skip_serializing_if = "is_default")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phones: Phones,
    /// Employee number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_number: Option<String>,
    /// The tenant's custom profile attributes (those outside Okta's base schema), by name.
    pub custom: BTreeMap<String, CustomValue>,
    /// When Okta last changed this user (ISO 8601 UTC), for incremental sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
}

/// A canonical field that an attribute mapping fills, or a top-level user property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub enum CanonicalField {
    /// `id` (top level of a user object).
    Id,
    /// `status` (top level of a user object).
    Status,
    /// `lastUpdated` (top level of a user object).
    LastUpdated,
    /// Login.
    Login,
    /// Primary email.
    Email,
    /// Secondary email.
    SecondEmail,
    /// Given name.
    GivenName,
    /// Middle name.
    MiddleName,
    /// Family name.
    FamilyName,
    /// Honorific prefix.
    HonorificPrefix,
    /// Honorific suffix.
    HonorificSuffix,
    /// Nickname.
    Nickname,
    /// Display name.
    DisplayName,
    /// Date of birth.
    Birthdate,
    /// Street address.
    StreetAddress,
    /// City.
    Locality,
    /// State or region.
    Region,
    /// Postal code.
    PostalCode,
    /// Country.
    Country,
    /// Mobile phone.
    MobilePhone,
    /// Primary phone.
    PrimaryPhone,
    /// Employee number.
    EmployeeNumber,
    /// A custom attribute (the issue's `source` names which).
    Custom,
}

/// What went wrong with one field. Codes are stable; nothing here carries the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IssueCode {
    /// No source held a usable value (absent, `null` or blank everywhere).
    Missing,
    /// A source held a value of the wrong JSON type (e.g. a number where a string belongs).
    WrongType,
    /// A source value exceeded the field's length limit; it was not truncated, it was not used.
    TooLong,
    /// A source value contained control characters; it was not used.
    ControlCharacters,
    /// A date that is not a date in any accepted form.
    InvalidDate,
    /// A date whose digits name no real calendar day.
    NotACalendarDay,
    /// A numeric date whose day/month order cannot be known; set `birthdateOrder` in the mapping.
    AmbiguousDate,
    /// An email without the `local@domain` shape.
    InvalidEmail,
    /// An Okta id with characters Okta never uses.
    InvalidId,
    /// A `status` outside Okta's known statuses.
    UnknownStatus,
    /// A `lastUpdated` that is not an ISO 8601 UTC timestamp.
    InvalidTimestamp,
    /// More custom attributes than the limit; the rest were dropped.
    TooManyAttributes,
    /// A value held U+FFFD: bytes that were not valid UTF-8 (in the Okta response, or upstream) were decoded
    /// lossily; it was not used.
    InvalidText,
}

/// One recorded problem: which field, what kind, and which source path it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct FieldIssue {
    /// The canonical field concerned.
    pub field: CanonicalField,
    /// The problem.
    pub code: IssueCode,
    /// The source path that held the offending value (absent for `MISSING`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The result of normalizing one user: the record, where each field came from, and what was wrong.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
#[serde(rename_all = "camelCase")]
pub struct NormalizedUser {
    /// The canonical record.
    pub user: DirectoryUser,
    /// For each filled mapped field, the source path that supplied it.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Partial<Record<CanonicalField, string>>"))]
    pub sources: BTreeMap<CanonicalField, String>,
    /// Problems found, in field order; `MISSING` entries list the fields with no value.
    pub issues: Vec<FieldIssue>,
}

impl NormalizedUser {
    /// Mapped fields that ended up without a value.
    pub fn missing(&self) -> impl Iterator<Item = CanonicalField> + '_ {
        self.issues.iter().filter(|i| i.code == IssueCode::Missing).map(|i| i.field)
    }
}
