//! One `{"verified", "directory"}` pair read straight from its text, one [`PairView`] for both modules over
//! the one JSON tree type (`profile::json::Tree`), whose objects differ.
//!
//! The full module reads the sides as `Lean` trees, made to be read once and looked up a few times: the
//! other members are parsed (so that the text fails exactly where a tree of the whole pair would) and
//! dropped without being built, and an object keeps its entries as written in a block of 8 (no sort, no
//! B-tree, no block of 32 entries as a profile page's objects reserve); a look-up scans them from the
//! last, so that a repeated key gives its last value as `serde_json::Map` does. The claims-only module,
//! whose size budget has no room for a second copy of the normalization over another object type
//! (+2.8 KB gzip), reads the whole pair as one `Json` tree (sorted objects), as before.

use serde::de::{Deserialize, Deserializer};

use crate::profile::json::{JsonMap, Tree};

/// The tree a pair is read into (see the module documentation).
#[cfg(feature = "full")]
type PairTree<'a> = lean::Lean<'a>;
#[cfg(not(feature = "full"))]
type PairTree<'a> = crate::profile::json::Json<'a>;

/// A pair as read: an object of its `verified` and `directory` members (anything else when the pair is not
/// an object: both sides absent).
#[derive(Debug)]
pub(crate) struct PairView<'a>(PairTree<'a>);

impl<'a> PairView<'a> {
    /// The `verified` member, or `null`.
    pub fn verified(&self) -> &PairTree<'a> {
        self.side("verified")
    }

    /// The `directory` member, or `null`.
    pub fn directory(&self) -> &PairTree<'a> {
        self.side("directory")
    }

    fn side(&self, key: &str) -> &PairTree<'a> {
        match &self.0 {
            Tree::Object(object) => object.get(key).unwrap_or(&Tree::Null),
            _ => &Tree::Null,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for PairView<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[cfg(feature = "full")]
        let pair = lean::read_pair(deserializer);
        #[cfg(not(feature = "full"))]
        let pair = PairTree::deserialize(deserializer);
        pair.map(PairView)
    }
}

#[cfg(feature = "full")]
mod lean {
    use std::borrow::Cow;
    use std::fmt;

    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::Number;

    use crate::profile::json::{JsonMap, Key, Tree};

    /// A JSON value read for a few look-ups (see the module documentation).
    pub(crate) type Lean<'a> = Tree<'a, LeanObject<'a>>;

    /// An object's entries as written, repeated keys included.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub(crate) struct LeanObject<'a>(Vec<(Cow<'a, str>, Lean<'a>)>);

    impl<'a> JsonMap<Lean<'a>> for LeanObject<'a> {
        fn get(&self, key: &str) -> Option<&Lean<'a>> {
            self.0.iter().rev().find(|(k, _)| k.len() == key.len() && k.as_ref() == key).map(|(_, v)| v)
        }

        fn entries<'s>(&'s self) -> impl Iterator<Item = (&'s str, &'s Lean<'a>)>
        where
            Lean<'a>: 's,
        {
            // Key order, one entry per key (the last written): what `serde_json::Map` iterates.
            let mut entries: Vec<(&'s str, &'s Lean<'a>)> = Vec::with_capacity(self.0.len());
            for (k, v) in self.0.iter().rev() {
                if !entries.iter().any(|(seen, _)| *seen == k.as_ref()) {
                    entries.push((k.as_ref(), v));
                }
            }
            crate::sort::sort_by(&mut entries, |a, b| a.0 < b.0);
            entries.into_iter()
        }
    }

    /// A pair: its `verified` and `directory` members as trees, the others parsed and dropped.
    pub(super) fn read_pair<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Lean<'de>, D::Error> {
        Read::Pair.deserialize(deserializer)
    }

    /// Entries reserved per object: the objects of a pair have a handful of members, and a block this
    /// small comes from the allocator's fast per-size lists (32 entries did not).
    const OBJECT_ENTRIES: usize = 8;

    /// How a value is read. One visitor for the three (each visitor type is a copy of serde_json's parser
    /// in the wasm module).
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Read {
        /// A pair: its `verified` and `directory` members as trees, the others skipped.
        Pair,
        /// The whole value, as a tree.
        Tree,
        /// Parsed as a tree would be (the same syntax; numbers and strings checked the same way: unlike
        /// `IgnoredAny`, which serde_json skips without checking a number's range) and dropped: `Null`.
        Skip,
    }

    impl Read {
        /// A scalar: kept when reading a tree.
        fn keep<'de, E>(self, value: Lean<'de>) -> Result<Lean<'de>, E> {
            Ok(if self == Read::Tree { value } else { Lean::Null })
        }
    }

    impl<'de> DeserializeSeed<'de> for Read {
        type Value = Lean<'de>;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Lean<'de>, D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Read {
        type Value = Lean<'de>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
            self.keep(Lean::Bool(b))
        }

        fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
            self.keep(Lean::Number(n.into()))
        }

        fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
            self.keep(Lean::Number(n.into()))
        }

        fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
            // As serde_json's `Value`: a non-finite float is null.
            self.keep(Number::from_f64(n).map_or(Lean::Null, Lean::Number))
        }

        fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
            self.keep(Lean::String(Cow::Borrowed(s)))
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            if self != Read::Tree {
                return Ok(Lean::Null);
            }
            Ok(Lean::String(Cow::Owned(s.to_owned())))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Lean::Null)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let child = if self == Read::Tree { Read::Tree } else { Read::Skip };
            let mut items = Vec::new();
            while let Some(item) = seq.next_element_seed(child)? {
                if child == Read::Tree {
                    items.push(item);
                }
            }
            self.keep(Lean::Array(items))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::with_capacity(match self {
                Read::Pair => 2,
                Read::Tree => OBJECT_ENTRIES,
                Read::Skip => 0,
            });
            while let Some(key) = map.next_key::<Key<'de>>()? {
                let child = match self {
                    Read::Pair if matches!(key.0.as_ref(), "verified" | "directory") => Read::Tree,
                    Read::Tree => Read::Tree,
                    _ => Read::Skip,
                };
                let value = map.next_value_seed(child)?;
                if child == Read::Tree {
                    entries.push((key.0, value));
                }
            }
            Ok(if self == Read::Skip { Lean::Null } else { Lean::Object(LeanObject(entries)) })
        }
    }
}
