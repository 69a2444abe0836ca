//! Attribute mapping: for each canonical field, an ordered list of Okta profile paths to read.
//!
//! Tenants keep the same fact under different names (`birthdate`, `dateOfBirth`, a custom
//! `LegalFirstName` that should win over `firstName`). A mapping lists candidates per field;
//! the first one holding a usable value wins.

use serde_json::Value;

use crate::date::DateOrder;
use crate::error::{Error, Result};
use crate::profile::json::{JsonMap, JsonTree, Node};
use crate::profile::types::CanonicalField;
use crate::text::Lines;

/// How a field's raw value is read and validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Free text.
    Text(Lines),
    /// An email address (`local@domain`).
    Email,
    /// A date, stored as ISO `YYYY-MM-DD`.
    Date,
    /// A country: alpha-2 codes are upper-cased.
    Country,
    /// Text, or an integer written as text (Okta custom `integer` employee numbers).
    TextOrInteger,
}

/// Static description of a mappable field.
#[derive(Debug)]
pub(crate) struct FieldSpec {
    /// The field.
    pub field: CanonicalField,
    /// Its key in a mapping document.
    pub key: &'static str,
    /// Default source paths (inside `profile`).
    pub defaults: &'static [&'static str],
    /// Value kind.
    pub kind: Kind,
    /// Maximum length in characters (Okta's schema limits, generous where custom attributes stand in).
    pub max_chars: usize,
}

const SINGLE: Kind = Kind::Text(Lines::Single);

/// Every mappable field, in canonical order.
pub(crate) const FIELDS: &[FieldSpec] = &[
    FieldSpec { field: CanonicalField::Login, key: "login", defaults: &["login"], kind: SINGLE, max_chars: 100 },
    FieldSpec { field: CanonicalField::Email, key: "email", defaults: &["email"], kind: Kind::Email, max_chars: 100 },
    FieldSpec {
        field: CanonicalField::SecondEmail,
        key: "secondEmail",
        defaults: &["secondEmail"],
        kind: Kind::Email,
        max_chars: 100,
    },
    FieldSpec {
        field: CanonicalField::GivenName,
        key: "givenName",
        defaults: &["firstName"],
        kind: SINGLE,
        max_chars: 256,
    },
    FieldSpec {
        field: CanonicalField::MiddleName,
        key: "middleName",
        defaults: &["middleName"],
        kind: SINGLE,
        max_chars: 256,
    },
    FieldSpec {
        field: CanonicalField::FamilyName,
        key: "familyName",
        defaults: &["lastName"],
        kind: SINGLE,
        max_chars: 256,
    },
    FieldSpec {
        field: CanonicalField::HonorificPrefix,
        key: "honorificPrefix",
        defaults: &["honorificPrefix"],
        kind: SINGLE,
        max_chars: 64,
    },
    FieldSpec {
        field: CanonicalField::HonorificSuffix,
        key: "honorificSuffix",
        defaults: &["honorificSuffix"],
        kind: SINGLE,
        max_chars: 64,
    },
    FieldSpec {
        field: CanonicalField::Nickname,
        key: "nickname",
        defaults: &["nickName"],
        kind: SINGLE,
        max_chars: 256,
    },
    FieldSpec {
        field: CanonicalField::DisplayName,
        key: "displayName",
        defaults: &["displayName"],
        kind: SINGLE,
        max_chars: 256,
    },
    FieldSpec {
        field: CanonicalField::Birthdate,
        key: "birthdate",
        defaults: &["birthdate", "birthDate", "dateOfBirth", "DateOfBirth", "dob"],
        kind: Kind::Date,
        max_chars: 64,
    },
    FieldSpec {
        field: CanonicalField::StreetAddress,
        key: "streetAddress",
        defaults: &["streetAddress"],
        kind: Kind::Text(Lines::Multi),
        max_chars: 1024,
    },
    FieldSpec { field: CanonicalField::Locality, key: "locality", defaults: &["city"], kind: SINGLE, max_chars: 128 },
    FieldSpec { field: CanonicalField::Region, key: "region", defaults: &["state"], kind: SINGLE, max_chars: 128 },
    FieldSpec {
        field: CanonicalField::PostalCode,
        key: "postalCode",
        defaults: &["zipCode"],
        kind: SINGLE,
        max_chars: 50,
    },
    FieldSpec {
        field: CanonicalField::Country,
        key: "country",
        defaults: &["countryCode"],
        kind: Kind::Country,
        max_chars: 128,
    },
    FieldSpec {
        field: CanonicalField::MobilePhone,
        key: "mobilePhone",
        defaults: &["mobilePhone"],
        kind: SINGLE,
        max_chars: 100,
    },
    FieldSpec {
        field: CanonicalField::PrimaryPhone,
        key: "primaryPhone",
        defaults: &["primaryPhone"],
        kind: SINGLE,
        max_chars: 100,
    },
    FieldSpec {
        field: CanonicalField::EmployeeNumber,
        key: "employeeNumber",
        defaults: &["employeeNumber"],
        kind: Kind::TextOrInteger,
        max_chars: 256,
    },
];

/// Okta's base user profile attributes; every other profile key is a tenant custom attribute.
pub(crate) const OKTA_BASE_ATTRIBUTES: &[&str] = &[
    "login",
    "email",
    "secondEmail",
    "firstName",
    "lastName",
    "middleName",
    "honorificPrefix",
    "honorificSuffix",
    "title",
    "displayName",
    "nickName",
    "profileUrl",
    "primaryPhone",
    "mobilePhone",
    "streetAddress",
    "city",
    "state",
    "zipCode",
    "postalAddress",
    "countryCode",
    "preferredLanguage",
    "locale",
    "timezone",
    "userType",
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
    "managerId",
    "manager",
];

const MAX_SOURCES_PER_FIELD: usize = 32;
const MAX_PATH_CHARS: usize = 256;
const MAX_SEGMENTS: usize = 8;

/// A parsed source path: segments below the profile object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePath {
    text: String,
    segments: Vec<String>,
}

impl SourcePath {
    /// Parses `profile.a.b` or `a.b` (both relative to the Okta `profile` object).
    pub fn parse(text: &str) -> std::result::Result<SourcePath, String> {
        if text.is_empty() || text.chars().count() > MAX_PATH_CHARS {
            return Err(format!("a path must be 1 to {MAX_PATH_CHARS} characters"));
        }
        let body = text.strip_prefix("profile.").unwrap_or(text);
        let segments: Vec<String> = body.split('.').map(str::to_owned).collect();
        if segments.len() > MAX_SEGMENTS {
            return Err(format!("a path may have at most {MAX_SEGMENTS} segments"));
        }
        if segments.iter().any(|s| s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control())) {
            return Err("path segments must be non-empty and contain no whitespace".into());
        }
        Ok(SourcePath { text: format!("profile.{body}"), segments })
    }

    /// The path as written in reports, always with the `profile.` prefix.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value at this path inside `profile`, if any (`null` counts as absent).
    pub fn lookup<'a>(&self, profile: &'a Value) -> Option<&'a Value> {
        self.find(profile)
    }

    /// [`SourcePath::lookup`] in any JSON tree.
    pub(crate) fn find<'a, V: JsonTree>(&self, profile: &'a V) -> Option<&'a V> {
        let mut node = profile;
        for segment in &self.segments {
            let Node::Object(object) = node.node() else { return None };
            node = object.get(segment)?;
        }
        (!matches!(node.node(), Node::Null)).then_some(node)
    }
}

/// A validated attribute mapping: ordered sources for every mappable field, and how to read dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeMapping {
    /// Sources per field, in the order of [`FIELDS`].
    pub(crate) sources: Vec<Vec<SourcePath>>,
    /// Field order for all-numeric birthdates.
    pub(crate) birthdate_order: DateOrder,
}

impl Default for AttributeMapping {
    fn default() -> Self {
        let sources = FIELDS
            .iter()
            .map(|spec| spec.defaults.iter().filter_map(|p| SourcePath::parse(p).ok()).collect())
            .collect();
        AttributeMapping { sources, birthdate_order: DateOrder::Auto }
    }
}

impl AttributeMapping {
    /// Builds a mapping from a JSON document; fields it does not name keep their defaults.
    ///
    /// Keys are canonical field names (`givenName`, `birthdate`, …) whose values are a path or a
    /// list of paths, plus `birthdateOrder` (`auto` | `mdy` | `dmy` | `ymd`). An empty list turns
    /// a field off.
    ///
    /// ```
    /// use okta_directory::profile::AttributeMapping;
    /// let doc = serde_json::json!({"givenName": ["profile.LegalFirstName", "firstName"]});
    /// assert!(AttributeMapping::from_json(&doc).is_ok());
    /// ```
    pub fn from_json(doc: &Value) -> Result<AttributeMapping> {
        let object = doc.as_object().ok_or_else(|| invalid("$", "the mapping must be a JSON object"))?;
        let mut mapping = AttributeMapping::default();
        for (key, value) in object {
            if key == "birthdateOrder" {
                mapping.birthdate_order = parse_order(value)
                    .ok_or_else(|| invalid(key, "expected one of \"auto\", \"mdy\", \"dmy\", \"ymd\""))?;
                continue;
            }
            let index =
                FIELDS.iter().position(|spec| spec.key == key).ok_or_else(|| invalid(key, "not a mappable field"))?;
            mapping.sources[index] = parse_sources(key, value)?;
        }
        Ok(mapping)
    }

    /// Replaces the source paths of one mappable field (no effect on top-level fields such as `id`).
    pub fn set_sources(&mut self, field: CanonicalField, sources: Vec<SourcePath>) {
        if let Some(i) = FIELDS.iter().position(|spec| spec.field == field) {
            self.sources[i] = sources;
        }
    }

    /// The source paths of one field, in priority order.
    pub fn sources_of(&self, field: CanonicalField) -> &[SourcePath] {
        FIELDS.iter().position(|spec| spec.field == field).map_or(&[], |i| self.sources[i].as_slice())
    }
}

fn parse_sources(key: &str, value: &Value) -> Result<Vec<SourcePath>> {
    let items: Vec<&Value> = match value {
        Value::String(_) => vec![value],
        Value::Array(items) => items.iter().collect(),
        _ => return Err(invalid(key, "expected a path string or an array of path strings")),
    };
    if items.len() > MAX_SOURCES_PER_FIELD {
        return Err(invalid(key, &format!("at most {MAX_SOURCES_PER_FIELD} sources per field")));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let path = format!("{key}[{i}]");
            let text = item.as_str().ok_or_else(|| invalid(&path, "expected a path string"))?;
            SourcePath::parse(text).map_err(|reason| invalid(&path, &reason))
        })
        .collect()
}

fn parse_order(value: &Value) -> Option<DateOrder> {
    match value.as_str()? {
        "auto" => Some(DateOrder::Auto),
        "mdy" => Some(DateOrder::Mdy),
        "dmy" => Some(DateOrder::Dmy),
        "ymd" => Some(DateOrder::Ymd),
        _ => None,
    }
}

fn invalid(path: &str, reason: &str) -> Error {
    Error::InvalidMapping { path: path.to_owned(), reason: reason.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_cover_every_field() {
        let mapping = AttributeMapping::default();
        for spec in FIELDS {
            assert!(!mapping.sources_of(spec.field).is_empty(), "{}", spec.key);
        }
        assert_eq!(mapping.sources_of(CanonicalField::GivenName)[0].as_str(), "profile.firstName");
    }

    #[test]
    fn overrides_keep_order_and_accept_both_path_forms() {
        let mapping = AttributeMapping::from_json(&json!({
            "givenName": ["profile.LegalFirstName", "firstName"],
            "birthdate": "profile.dob",
            "birthdateOrder": "dmy",
        }))
        .unwrap();
        let given: Vec<&str> = mapping.sources_of(CanonicalField::GivenName).iter().map(SourcePath::as_str).collect();
        assert_eq!(given, ["profile.LegalFirstName", "profile.firstName"]);
        assert_eq!(mapping.sources_of(CanonicalField::Birthdate)[0].as_str(), "profile.dob");
        assert_eq!(mapping.birthdate_order, DateOrder::Dmy);
        assert_eq!(mapping.sources_of(CanonicalField::FamilyName)[0].as_str(), "profile.lastName");
    }

    #[test]
    fn empty_list_turns_a_field_off() {
        let mapping = AttributeMapping::from_json(&json!({"nickname": []})).unwrap();
        assert!(mapping.sources_of(CanonicalField::Nickname).is_empty());
    }

    #[test]
    fn errors_name_the_offending_path() {
        let cases = [
            (json!([]), "$"),
            (json!({"givenNme": "firstName"}), "givenNme"),
            (json!({"givenName": 3}), "givenName"),
            (json!({"givenName": ["firstName", 7]}), "givenName[1]"),
            (json!({"givenName": ["firstName", ""]}), "givenName[1]"),
            (json!({"givenName": ["a..b"]}), "givenName[0]"),
            (json!({"givenName": ["has space"]}), "givenName[0]"),
            (json!({"birthdateOrder": "yolo"}), "birthdateOrder"),
            (json!({"givenName": vec!["x"; 33]}), "givenName"),
        ];
        for (doc, want) in cases {
            match AttributeMapping::from_json(&doc) {
                Err(Error::InvalidMapping { path, .. }) => assert_eq!(path, want, "{doc}"),
                other => panic!("{doc}: expected InvalidMapping, got {other:?}"),
            }
        }
    }

    #[test]
    fn lookup_treats_null_as_absent_and_walks_objects() {
        let profile = json!({"a": null, "b": {"c": "x"}, "d": "y"});
        let path = |p: &str| SourcePath::parse(p).unwrap();
        assert_eq!(path("a").lookup(&profile), None);
        assert_eq!(path("b.c").lookup(&profile), Some(&json!("x")));
        assert_eq!(path("d.e").lookup(&profile), None);
        assert_eq!(path("zzz").lookup(&profile), None);
    }
}
