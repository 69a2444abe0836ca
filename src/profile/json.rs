//! The read-only JSON view normalization works on, and a JSON value borrowed from its text.
//!
//! Normalization is written once, over [`JsonTree`]: it reads a `serde_json::Value` (the public API, the
//! CLI, claims) and a [`Json`] parsed from a users page, whose strings borrow from the page body when they
//! hold no escapes and whose objects are one sorted vector instead of a B-tree of owned keys.
//!
//! A [`JsonObject`] reads exactly like `serde_json::Map` (a `BTreeMap`): keys in byte order, and the last
//! of a repeated key wins, so lookups and the order of custom attributes are the same for both trees.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// One JSON node as normalization sees it, borrowed from either tree.
pub(crate) enum Node<'v, V: JsonTree> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json keeps it.
    Number(&'v Number),
    /// A string, unescaped.
    String(&'v str),
    /// An array.
    Array(&'v [V]),
    /// An object.
    Object(&'v V::Object),
}

/// A JSON tree normalization can read.
pub(crate) trait JsonTree: Sized {
    /// The tree's object type.
    type Object: JsonMap<Self>;
    /// This node.
    fn node(&self) -> Node<'_, Self>;
}

/// A JSON object: lookups by key, iteration in key order.
pub(crate) trait JsonMap<V> {
    /// The value of `key` (the last one written when the key was repeated).
    fn get(&self, key: &str) -> Option<&V>;
    /// Every key and value, in key (byte) order.
    fn entries<'s>(&'s self) -> impl Iterator<Item = (&'s str, &'s V)>
    where
        V: 's;
}

impl JsonTree for Value {
    type Object = Map<String, Value>;

    fn node(&self) -> Node<'_, Value> {
        match self {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n),
            Value::String(s) => Node::String(s),
            Value::Array(items) => Node::Array(items),
            Value::Object(object) => Node::Object(object),
        }
    }
}

impl JsonMap<Value> for Map<String, Value> {
    fn get(&self, key: &str) -> Option<&Value> {
        Map::get(self, key)
    }

    fn entries<'s>(&'s self) -> impl Iterator<Item = (&'s str, &'s Value)>
    where
        Value: 's,
    {
        self.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// A JSON value whose strings borrow from the parsed text when they need no unescaping; `O` is how its
/// objects hold their entries: [`JsonObject`] (sorted, one per key) in a [`Json`], the pair reader's own
/// (as written, for a few look-ups each) in a pair (`claims::pair_view`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tree<'a, O> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (what serde_json would keep in a `Value`).
    Number(Number),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Tree<'a, O>>),
    /// An object.
    Object(O),
}

/// A [`Tree`] whose objects are [`JsonObject`]s: what a users page and a JSON text are read as.
pub(crate) type Json<'a> = Tree<'a, JsonObject<'a>>;

/// An object's entries sorted by key, one per key (the last written).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct JsonObject<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> JsonObject<'a> {
    /// The object holding `entries` as written: sorted by key, a repeated key keeping its last value.
    pub(crate) fn from_entries(mut entries: Vec<(Cow<'a, str>, Json<'a>)>) -> Self {
        if !entries.is_sorted_by(|a, b| key_order(&a.0, &b.0).is_lt()) {
            // Stable: equal keys stay in written order, so the later one is the one kept below.
            crate::sort::sort_by(&mut entries, |a, b| key_order(&a.0, &b.0).is_lt());
            entries.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    std::mem::swap(later, kept);
                }
                same
            });
        }
        JsonObject(entries)
    }
}

/// Byte order of keys (`str`'s and so `BTreeMap<String, _>`'s), deciding on the first byte inline when it
/// differs, which it mostly does between profile attribute names.
#[inline]
fn key_order(a: &str, b: &str) -> Ordering {
    match a.as_bytes().first().cmp(&b.as_bytes().first()) {
        Ordering::Equal => a.cmp(b),
        decided => decided,
    }
}

impl<'a> JsonMap<Json<'a>> for JsonObject<'a> {
    fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.0.binary_search_by(|(k, _)| key_order(k, key)).ok().map(|i| &self.0[i].1)
    }

    fn entries<'s>(&'s self) -> impl Iterator<Item = (&'s str, &'s Json<'a>)>
    where
        Json<'a>: 's,
    {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl<'a, O: JsonMap<Tree<'a, O>>> JsonTree for Tree<'a, O> {
    type Object = O;

    fn node(&self) -> Node<'_, Self> {
        match self {
            Tree::Null => Node::Null,
            Tree::Bool(b) => Node::Bool(*b),
            Tree::Number(n) => Node::Number(n),
            Tree::String(s) => Node::String(s),
            Tree::Array(items) => Node::Array(items),
            Tree::Object(object) => Node::Object(object),
        }
    }
}

/// A `serde_json::Value` of the same JSON (objects from their sorted entries, one per key: the `Map` a
/// `Value` reader builds).
pub(crate) fn to_value(tree: &Json) -> Value {
    match tree.node() {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(b),
        Node::Number(n) => Value::Number(n.clone()),
        Node::String(s) => Value::String(s.to_owned()),
        Node::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Node::Object(object) => {
            // Inserted, not collected: `Map: FromIterator` sorts first, with one more copy of std's sort.
            let mut map = serde_json::Map::new();
            for (k, v) in object.entries() {
                map.insert(k.to_owned(), to_value(v));
            }
            Value::Object(map)
        }
    }
}

/// JSON text read as a `Value` through [`Json`]: the value and the errors (serde_json's syntax, its
/// positions) of `serde_json::from_str::<Value>`, so that a module reading borrowed trees carries one
/// JSON reader instead of two (the claims-only wasm module's size budget).
pub(crate) fn parse_value(text: &str) -> serde_json::Result<Value> {
    serde_json::from_str::<Json>(text).map(|tree| to_value(&tree))
}

impl<'de: 'a, 'a> Deserialize<'de> for Json<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        // As serde_json's `Value`: a non-finite float is null.
        Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Borrowed(s)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Owned(s)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Json::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Json<'de>>()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // serde_json gives no size hint; a profile has a few dozen attributes, so start there rather
        // than growing 4 → 8 → 16 → 32.
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(32).min(64));
        while let Some(key) = map.next_key::<Key<'de>>()? {
            entries.push((key.0, map.next_value::<Json<'de>>()?));
        }
        Ok(Json::Object(JsonObject::from_entries(entries)))
    }
}

/// An object key, borrowed from the text when it has no escapes.
pub(crate) struct Key<'a>(pub(crate) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The borrowed tree read back as a `Value` ([`super::to_value`], objects through their `entries`),
    /// once every object's entries are checked to come in key order, one per key: a `Map` sorts what it
    /// is given, so the order is visible only here.
    fn to_value(json: &Json) -> Value {
        assert_entries_in_order(json);
        super::to_value(json)
    }

    fn assert_entries_in_order(json: &Json) {
        match json.node() {
            Node::Array(items) => items.iter().for_each(assert_entries_in_order),
            Node::Object(object) => {
                let keys: Vec<&str> = object.entries().map(|(k, _)| k).collect();
                assert!(keys.windows(2).all(|w| w[0] < w[1]), "keys out of order or repeated: {keys:?}");
                object.entries().for_each(|(_, v)| assert_entries_in_order(v));
            }
            _ => {}
        }
    }

    #[test]
    fn reads_like_serde_json_value() {
        let texts = [
            r#"{"b":1,"a":2,"b":3,"c":{"z":null,"y":[1,-2,3.5,1e300,18446744073709551616]},"a":"x"}"#,
            r#"["plain","esc\"aped","\u00e9\ud83d\ude00",true,false,null,{},[],-0.0,2E-3]"#,
            r#"{"é":1,"e":2,"E":3,"\u00e9":4,"":5,"aa":6,"a":7}"#,
            r#"{"k":1,"k":{"k":2,"k":[{"k":3},{"k":4,"k":5}]}}"#,
        ];
        for text in texts {
            let want: Value = serde_json::from_str(text).unwrap();
            let got: Json = serde_json::from_str(text).unwrap();
            assert_eq!(to_value(&got), want, "{text}");
            // Iteration order and the kept value of repeated keys, not just map equality.
            assert_eq!(serde_json::to_string(&to_value(&got)).unwrap(), serde_json::to_string(&want).unwrap());
        }
    }

    #[test]
    fn parse_value_reads_and_fails_as_serde_json_does() {
        let texts = [
            r#"{"b":1,"a":2,"b":3,"c":{"z":null,"y":[1,-2,3.5,1e300,1e999,18446744073709551616]},"a":"x"}"#,
            r#"["plain","esc\"aped","\u00e9\ud83d\ude00",true,false,null,{},[],-0.0,2E-3]"#,
            r#"{"policy":{"claims":{"given_name":{"mode":"fuzzy"}}},"k":1,"k":{"k":[{"k":3},{"k":4,"k":5}]}}"#,
            " \n[1, {\"a\" : \"b\"}]\t",
        ];
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        for text in texts.iter().copied().chain([deep.as_str()]) {
            // The text and every prefix of it (cut inside strings, numbers, keys and between tokens),
            // with and without trailing text: the same value, or the same error and position.
            for cut in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
                for candidate in [&text[..cut], &format!("{} x", &text[..cut])] {
                    let want = serde_json::from_str::<Value>(candidate).map_err(|e| e.to_string());
                    assert_eq!(parse_value(candidate).map_err(|e| e.to_string()), want, "{candidate}");
                }
            }
        }
    }

    #[test]
    fn big_objects_read_like_serde_json_value() {
        // Hundreds of keys (the sort is not the small-slice one), many repeated.
        let keys: Vec<String> = (0..500).map(|i| format!("key{}", (i * 7919) % 300)).collect();
        let entries: Vec<String> = keys.iter().enumerate().map(|(i, k)| format!("\"{k}\":{i}")).collect();
        let text = format!("{{{}}}", entries.join(","));
        let want: Value = serde_json::from_str(&text).unwrap();
        let got: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&to_value(&got)).unwrap(), serde_json::to_string(&want).unwrap());
    }

    #[test]
    fn unescaped_strings_borrow_and_escaped_ones_own() {
        let text = r#"{"plain":"abc","esc\u0061ped":"a\"b"}"#;
        let Json::Object(object) = serde_json::from_str::<Json>(text).unwrap() else { panic!("object") };
        let entries: Vec<_> = object.0.iter().collect();
        assert!(matches!(entries[0].0, Cow::Owned(_)), "escaped key");
        assert!(matches!(entries[0].1, Json::String(Cow::Owned(_))));
        assert!(matches!(entries[1].0, Cow::Borrowed("plain")));
        assert!(matches!(entries[1].1, Json::String(Cow::Borrowed("abc"))));
        assert_eq!(object.get("escaped"), Some(&Json::String(Cow::Borrowed("a\"b"))));
        assert_eq!(object.get("missing"), None);
    }

    #[test]
    fn repeated_keys_keep_the_last_value() {
        let entries = ["b", "a", "b", "a", "c", "a"]
            .iter()
            .enumerate()
            .map(|(i, k)| (Cow::Borrowed(*k), Json::Number((i as u64).into())))
            .collect();
        let object = JsonObject::from_entries(entries);
        let got: Vec<(&str, u64)> = object
            .entries()
            .map(|(k, v)| match v {
                Json::Number(n) => (k, n.as_u64().unwrap()),
                _ => panic!("number"),
            })
            .collect();
        assert_eq!(got, [("a", 5), ("b", 2), ("c", 4)]);
    }
}
