//! Reads a [`DirectoryUser`] back from a JSON tree (what `matchUser` receives: a user a directory
//! lookup or `normalizeUser` returned) without serde's derived deserializer, whose generic code and
//! untagged-enum buffering were a tenth of the claims-only wasm module. It accepts exactly what
//! `DirectoryUser::deserialize` accepts from a `serde_json::Value` (`tests/profile_user_json.rs`
//! compares the two on generated trees): structs as objects (unknown keys ignored) or as arrays
//! in field order, `null` for an absent option, a status as its name or `{"NAME": null}`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::types::{CustomScalar, CustomValue, DirectoryUser, PersonName, Phones, PostalAddress, UserStatus};
use crate::error::{Error, Result};

/// Reads a `DirectoryUser` (the JSON `normalizeUser` writes); anything else is `INVALID_PROFILE` at `$`.
pub fn directory_user_from_json(value: &Value) -> Result<DirectoryUser> {
    user(value).ok_or_else(not_a_user)
}

/// [`directory_user_from_json`] on JSON text; text that is not JSON is the same `INVALID_PROFILE`.
pub fn directory_user_from_json_text(text: &str) -> Result<DirectoryUser> {
    directory_user_from_json(&serde_json::from_str(text).map_err(|_| not_a_user())?)
}

fn not_a_user() -> Error {
    Error::InvalidProfile { path: "$".into(), expected: "a DirectoryUser object" }
}

/// The fields of a struct, by name (object) or by position (array), as serde reads them.
enum Fields<'a> {
    Object(&'a Map<String, Value>),
    Array(&'a [Value]),
}

impl<'a> Fields<'a> {
    fn of(value: &'a Value) -> Option<Fields<'a>> {
        match value {
            Value::Object(map) => Some(Fields::Object(map)),
            Value::Array(items) => Some(Fields::Array(items)),
            _ => None,
        }
    }

    /// The value of field `index` named `name`, `None` when absent.
    fn get(&self, index: usize, name: &str) -> Option<&'a Value> {
        match self {
            Fields::Object(map) => map.get(name),
            Fields::Array(items) => items.get(index),
        }
    }

    /// An array form may not hold more elements than the struct has fields.
    fn fits(&self, count: usize) -> bool {
        match self {
            Fields::Object(_) => true,
            Fields::Array(items) => items.len() <= count,
        }
    }

    /// A field with a default: absent → the default, present → read (a failure fails the struct).
    fn or_default<T: Default>(&self, index: usize, name: &str, read: fn(&Value) -> Option<T>) -> Option<T> {
        self.get(index, name).map_or(Some(T::default()), read)
    }
}

fn text(value: &Value) -> Option<Option<String>> {
    match value {
        Value::Null => Some(None),
        Value::String(s) => Some(Some(s.clone())),
        _ => None,
    }
}

fn status(value: &Value) -> Option<Option<UserStatus>> {
    let name = match value {
        Value::Null => return Some(None),
        Value::String(name) => name,
        // The externally tagged form of a unit variant: `{"ACTIVE": null}`.
        Value::Object(map) if map.len() == 1 => match map.iter().next() {
            Some((name, Value::Null)) => name,
            _ => return None,
        },
        _ => return None,
    };
    UserStatus::from_okta(name).map(Some)
}

fn name(value: &Value) -> Option<PersonName> {
    let f = Fields::of(value)?;
    let name = PersonName {
        given: f.or_default(0, "given", text)?,
        middle: f.or_default(1, "middle", text)?,
        family: f.or_default(2, "family", text)?,
        honorific_prefix: f.or_default(3, "honorificPrefix", text)?,
        honorific_suffix: f.or_default(4, "honorificSuffix", text)?,
        nickname: f.or_default(5, "nickname", text)?,
        display: f.or_default(6, "display", text)?,
    };
    f.fits(7).then_some(name)
}

fn address(value: &Value) -> Option<PostalAddress> {
    let f = Fields::of(value)?;
    let address = PostalAddress {
        street_address: f.or_default(0, "streetAddress", text)?,
        locality: f.or_default(1, "locality", text)?,
        region: f.or_default(2, "region", text)?,
        postal_code: f.or_default(3, "postalCode", text)?,
        country: f.or_default(4, "country", text)?,
    };
    f.fits(5).then_some(address)
}

fn phones(value: &Value) -> Option<Phones> {
    let f = Fields::of(value)?;
    let phones = Phones { mobile: f.or_default(0, "mobile", text)?, primary: f.or_default(1, "primary", text)? };
    f.fits(2).then_some(phones)
}

fn scalar(value: &Value) -> Option<CustomScalar> {
    match value {
        Value::String(s) => Some(CustomScalar::String(s.clone())),
        Value::Number(n) => n.as_f64().map(CustomScalar::Number),
        Value::Bool(b) => Some(CustomScalar::Boolean(*b)),
        _ => None,
    }
}

fn custom(value: &Value) -> Option<BTreeMap<String, CustomValue>> {
    let Value::Object(map) = value else { return None };
    map.iter()
        .map(|(key, v)| {
            let v = match v {
                Value::Array(items) => CustomValue::List(items.iter().map(scalar).collect::<Option<_>>()?),
                v => CustomValue::Scalar(scalar(v)?),
            };
            Some((key.clone(), v))
        })
        .collect()
}

fn user(value: &Value) -> Option<DirectoryUser> {
    let f = Fields::of(value)?;
    let user = DirectoryUser {
        id: f.or_default(0, "id", text)?,
        status: f.or_default(1, "status", status)?,
        login: f.or_default(2, "login", text)?,
        email: f.or_default(3, "email", text)?,
        second_email: f.or_default(4, "secondEmail", text)?,
        // `name` and `custom` have no default: a user without them is not a DirectoryUser.
        name: name(f.get(5, "name")?)?,
        birthdate: f.or_default(6, "birthdate", text)?,
        address: f.or_default(7, "address", address)?,
        phones: f.or_default(8, "phones", phones)?,
        employee_number: f.or_default(9, "employeeNumber", text)?,
        custom: custom(f.get(10, "custom")?)?,
        last_updated: f.or_default(11, "lastUpdated", text)?,
    };
    f.fits(12).then_some(user)
}
