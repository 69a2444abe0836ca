//! Parsing of one Okta list page (a JSON array) into what the machine keeps, and of Okta error bodies.
//! A page is parsed completely before anything is committed, so a bad item never half-applies a page.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::error::Category;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::profile::json::{Json, JsonMap, JsonObject, JsonTree, Node};
use crate::profile::{normalize_tree, AttributeMapping, NormalizedUser};
use crate::records::{is_okta_id, Group};

const NOT_AN_ARRAY: Error = Error::MalformedResponse { what: "a list page is not a JSON array" };

/// Largest page body accepted: 200 users of a rich profile are well under 4 MiB; this bounds memory.
pub const MAX_PAGE_BYTES: usize = 64 << 20;

fn parse_array(body: &str) -> Result<Vec<Value>> {
    if body.len() > MAX_PAGE_BYTES {
        return Err(Error::MalformedResponse { what: "a list page is larger than the page size limit" });
    }
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(_) => Err(NOT_AN_ARRAY),
        Err(_) => Err(Error::MalformedResponse { what: "a list page is not valid JSON" }),
    }
}

/// A users page → normalized users (each item must be a user object). Items are read into borrowed
/// [`Json`] (strings point into `body` unless escaped) and normalized from it, never copied into a `Value`.
pub(crate) fn parse_users(body: &str, mapping: &AttributeMapping) -> Result<Vec<NormalizedUser>> {
    let not_user = || Error::MalformedResponse { what: "a users page item is not a user object" };
    parse_lean::<UserKeys>(body)?
        .into_iter()
        .map(|item| {
            let top = item.0.ok_or_else(not_user)?;
            if !matches!(top.get("profile").map(JsonTree::node), Some(Node::Object(_))) {
                return Err(not_user());
            }
            let user = normalize_tree(&Json::Object(top), mapping).map_err(|_| not_user())?;
            match &user.user.id {
                Some(_) => Ok(user),
                None => Err(Error::MalformedResponse { what: "a users page item has no valid id" }),
            }
        })
        .collect()
}

/// A groups page → groups, each with its `lastMembershipUpdated` when it has Okta's timestamp form
/// (`2024-05-14T10:00:00.000Z`, so that timestamps compare as text).
pub(crate) fn parse_groups(body: &str) -> Result<Vec<(Group, Option<String>)>> {
    let bad = Error::MalformedResponse { what: "a groups page item is not a group with a valid id" };
    parse_array(body)?
        .iter()
        .map(|item| {
            let id = item.get("id").and_then(Value::as_str).filter(|id| is_okta_id(id)).ok_or(bad.clone())?;
            let name = item.pointer("/profile/name").and_then(Value::as_str).unwrap_or("").to_string();
            let group_type = item.get("type").and_then(Value::as_str).unwrap_or("").to_string();
            let stamp = item.get("lastMembershipUpdated").and_then(Value::as_str).filter(|s| is_timestamp(s));
            Ok((Group { id: id.to_string(), name, group_type }, stamp.map(str::to_string)))
        })
        .collect()
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ` exactly.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'.',
            23 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// A members page as its member ids only, `[{"id":"…"},…]`: what the journal keeps of a members page
/// (it parses to the same ids; ids are Okta ids, `[A-Za-z0-9]`, so nothing needs escaping).
pub(crate) fn member_ids_page(ids: &[String]) -> String {
    let mut out = String::with_capacity(2 + ids.iter().map(|id| id.len() + 10).sum::<usize>());
    out.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"id":""#);
        out.push_str(id);
        out.push_str(r#""}"#);
    }
    out.push(']');
    out
}

/// A group-members page → member user ids (the fast scanner when it vouches for the page, else serde).
pub(crate) fn parse_member_ids(body: &str) -> Result<Vec<String>> {
    if body.len() <= MAX_PAGE_BYTES {
        if let Some(ids) = super::scan::member_ids(body) {
            return Ok(ids);
        }
    }
    parse_member_ids_serde(body)
}

/// A group-members page → member user ids, through serde (every error of a members page comes from here).
pub(super) fn parse_member_ids_serde(body: &str) -> Result<Vec<String>> {
    let bad = Error::MalformedResponse { what: "a members page item is not a user with a valid id" };
    parse_lean::<IdKey>(body)?
        .into_iter()
        .map(|item| match item.0.as_ref().and_then(|top| top.get("id")) {
            Some(Json::String(id)) if is_okta_id(id) => Ok(id.to_string()),
            _ => Err(bad.clone()),
        })
        .collect()
}

/// Which top-level keys of a page item are kept; the others are skipped while parsing, never built.
trait KeptKeys {
    const KEYS: &'static [&'static str];
}

/// What normalization reads from a user object (`_links`, `credentials`, `type` and timestamps are skipped).
struct UserKeys;
impl KeptKeys for UserKeys {
    const KEYS: &'static [&'static str] = &["id", "status", "lastUpdated", "profile"];
}

/// A members page needs only each user's id (member items are whole user objects).
struct IdKey;
impl KeptKeys for IdKey {
    const KEYS: &'static [&'static str] = &["id"];
}

/// One page item: the kept keys of an object (a repeated key keeps its last value, as `Value` does), or
/// `None` for anything but an object.
struct LeanItem<'a, K>(Option<JsonObject<'a>>, PhantomData<K>);

impl<'de: 'a, 'a, K: KeptKeys> Deserialize<'de> for LeanItem<'a, K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(LeanVisitor::<K>(PhantomData))
    }
}

struct LeanVisitor<K>(PhantomData<K>);

impl<'de, K: KeptKeys> Visitor<'de> for LeanVisitor<K> {
    type Value = LeanItem<'de, K>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let mut kept = Vec::with_capacity(K::KEYS.len());
        while let Some(key) = map.next_key::<KeptKey<K>>()? {
            match key.0 {
                Some(name) => kept.push((Cow::Borrowed(name), map.next_value::<Json<'de>>()?)),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(LeanItem(Some(JsonObject::from_entries(kept)), PhantomData))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(LeanItem(None, PhantomData))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Self::Value, E> {
        Ok(LeanItem(None, PhantomData))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<Self::Value, E> {
        Ok(LeanItem(None, PhantomData))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<Self::Value, E> {
        Ok(LeanItem(None, PhantomData))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Self::Value, E> {
        Ok(LeanItem(None, PhantomData))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Self::Value, E> {
        Ok(LeanItem(None, PhantomData))
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(LeanItem(None, PhantomData))
    }
}

/// A map key: the kept name it equals, if any (compared without allocating).
struct KeptKey<K>(Option<&'static str>, PhantomData<K>);

impl<'de, K: KeptKeys> Deserialize<'de> for KeptKey<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct KeyVisitor<K>(PhantomData<K>);
        impl<K: KeptKeys> Visitor<'_> for KeyVisitor<K> {
            type Value = KeptKey<K>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> std::result::Result<Self::Value, E> {
                Ok(KeptKey(K::KEYS.iter().copied().find(|k| *k == key), PhantomData))
            }
        }
        deserializer.deserialize_str(KeyVisitor::<K>(PhantomData))
    }
}

/// A list page parsed item by item, keeping only `K`'s keys of each item.
fn parse_lean<K: KeptKeys>(body: &str) -> Result<Vec<LeanItem<'_, K>>> {
    if body.len() > MAX_PAGE_BYTES {
        return Err(Error::MalformedResponse { what: "a list page is larger than the page size limit" });
    }
    serde_json::from_str::<Vec<LeanItem<'_, K>>>(body).map_err(|e| match e.classify() {
        Category::Data => NOT_AN_ARRAY,
        _ => Error::MalformedResponse { what: "a list page is not valid JSON" },
    })
}

/// A non-retried error response → `OKTA_API_ERROR`, keeping only a well-formed `errorCode`/`error` and `errorId`
/// (bodies may echo user input; those two fields are fixed-format identifiers).
pub(crate) fn api_error(status: u16, body: &str) -> Error {
    let doc: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let field = |name: &str| doc.get(name).and_then(Value::as_str).map(str::to_string);
    let is_code =
        |c: &String| c.len() <= 64 && !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let is_error_id = |c: &String| {
        c.len() <= 64 && !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let error_code = field("errorCode").or_else(|| field("error")).filter(is_code);
    let error_id = field("errorId").filter(is_error_id);
    Error::OktaApi { status, error_code, error_id }
}

#[cfg(test)]
mod scan_tests;
#[cfg(test)]
mod tests;
