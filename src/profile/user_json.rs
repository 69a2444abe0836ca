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
use crate::profile::json::parse_value;

/// Reads a `DirectoryUser` (the JSON `normalizeUser` writes); anything else is `INVALID_PROFILE` at `$`.
pub fn directory_user_from_json(value: &Value) -> Result<DirectoryUser> {
    user(value).ok_or_else(not_a_user)
}

/// [`directory_user_from_json`] on JSON text; text that is not JSON is the same `INVALID_PROFILE`.
pub fn directory_user_from_json_text(text: &str) -> Result<DirectoryUser> {
    directory_user_from_json(&parse_value(text).map_err(|_| not_a_user())?)
}

fn not_a_user() -> Error {
    Error::InvalidProfile { path: "$".into(), expected: "a DirectoryUser object" }
}

/// Where a struct's fields come from, as serde reads them: by name (object) or by position (array).
enum Source<'a> {
    Object(&'a Map<String, Value>),
    Array(&'a [Value]),
}

/// Reads a struct's fields one after another in the struct's field order (each read takes the next
/// position of the array form), so that no reader numbers its fields or counts them by hand.
struct Fields<'a> {
    source: Source<'a>,
    read: usize,
}

impl<'a> Fields<'a> {
    fn of(value: &'a Value) -> Option<Fields<'a>> {
        let source = match value {
            Value::Object(map) => Source::Object(map),
            Value::Array(items) => Source::Array(items),
            _ => return None,
        };
        Some(Fields { source, read: 0 })
    }

    /// The next field, named `name`; `None` when absent.
    fn next(&mut self, name: &str) -> Option<&'a Value> {
        let index = self.read;
        self.read += 1;
        match self.source {
            Source::Object(map) => map.get(name),
            Source::Array(items) => items.get(index),
        }
    }

    /// The next field, which has a default: absent → the default, present → read (a failure fails the struct).
    fn or_default<T: Default>(&mut self, name: &str, read: fn(&Value) -> Option<T>) -> Option<T> {
        self.next(name).map_or(Some(T::default()), read)
    }

    /// The next field, which has no default: absent or unreadable fails the struct.
    fn required<T>(&mut self, name: &str, read: fn(&Value) -> Option<T>) -> Option<T> {
        read(self.next(name)?)
    }

    /// The struct read, unless its array form held more elements than the struct has fields.
    fn done<T>(self, value: T) -> Option<T> {
        match self.source {
            Source::Object(_) => Some(value),
            Source::Array(items) => (items.len() <= self.read).then_some(value),
        }
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
    let mut f = Fields::of(value)?;
    let name = PersonName {
        given: f.or_default("given", text)?,
        middle: f.or_default("middle", text)?,
        family: f.or_default("family", text)?,
        honorific_prefix: f.or_default("honorificPrefix", text)?,
        honorific_suffix: f.or_default("honorificSuffix", text)?,
        nickname: f.or_default("nickname", text)?,
        display: f.or_default("display", text)?,
    };
    f.done(name)
}

fn address(value: &Value) -> Option<PostalAddress> {
    let mut f = Fields::of(value)?;
    let address = PostalAddress {
        street_address: f.or_default("streetAddress", text)?,
        locality: f.or_default("locality", text)?,
        region: f.or_default("region", text)?,
        postal_code: f.or_default("postalCode", text)?,
        country: f.or_default("country", text)?,
    };
    f.done(address)
}

fn phones(value: &Value) -> Option<Phones> {
    let mut f = Fields::of(value)?;
    let phones = Phones { mobile: f.or_default("mobile", text)?, primary: f.or_default("primary", text)? };
    f.done(phones)
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
    let pairs = map.iter().map(|(key, v)| {
        let v = match v {
            Value::Array(items) => CustomValue::List(items.iter().map(scalar).collect::<Option<_>>()?),
            v => CustomValue::Scalar(scalar(v)?),
        };
        Some((key.clone(), v))
    });
    // `Option<BTreeMap>: FromIterator` would sort the (already sorted) pairs with its own copy of std's sort.
    pairs.collect::<Option<Vec<_>>>().map(crate::sort::btree_map)
}

fn user(value: &Value) -> Option<DirectoryUser> {
    let mut f = Fields::of(value)?;
    let user = DirectoryUser {
        id: f.or_default("id", text)?,
        status: f.or_default("status", status)?,
        login: f.or_default("login", text)?,
        email: f.or_default("email", text)?,
        second_email: f.or_default("secondEmail", text)?,
        // `name` and `custom` have no default: a user without them is not a DirectoryUser.
        name: f.required("name", name)?,
        birthdate: f.or_default("birthdate", text)?,
        address: f.or_default("address", address)?,
        phones: f.or_default("phones", phones)?,
        employee_number: f.or_default("employeeNumber", text)?,
        custom: f.required("custom", custom)?,
        last_updated: f.or_default("lastUpdated", text)?,
    };
    f.done(user)
}
