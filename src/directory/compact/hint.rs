//! What a lookup compares: hashes of normalized keys, the hint normalized lazily per tier, and the
//! key values read from a record.

use std::borrow::Cow;

use crate::directory::key::{normalize_login, normalize_plain};
use crate::directory::snapshot::read::{RecordSink, Scalar};
use crate::directory::snapshot::{is_key_or_id, FIELD_COUNT};
use crate::hash::{hash_exact, hash_words};

/// The hash of `key.normalize(raw)` (`login` selects the login rules), without allocating for ASCII.
#[cfg(test)]
pub(super) fn key_hash(login: bool, raw: &str) -> Option<u64> {
    key_hash_norm(login, raw).map(|(h, _)| h)
}

/// The hash of `key.normalize(raw)`, and for non-ASCII input the normalized text itself (ASCII is
/// neither allocated nor normalized: both rules make it its trimmed ASCII lower case).
pub(super) fn key_hash_norm(login: bool, raw: &str) -> Option<(u64, Option<String>)> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.is_ascii() {
        return Some((hash_words(trimmed.as_bytes(), true), None));
    }
    let norm = if login { normalize_login(trimmed) } else { normalize_plain(trimmed) }?;
    Some((hash_exact(&norm), Some(norm)))
}

/// Which pool of keys a lookup consults.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tier {
    Login,
    Other,
}

/// Collects what the index needs from one walked record: the id and the lookup keys' raw values.
pub(super) struct KeySink<'a, 'c> {
    pub(super) fields: [Option<&'a str>; FIELD_COUNT],
    /// Names of configured custom keys, with their key index.
    pub(super) custom_keys: &'c [(usize, &'c str)],
    /// (key index, value) of custom keys found.
    pub(super) custom: Vec<(usize, Cow<'a, str>)>,
}

impl<'a> RecordSink<'a> for KeySink<'a, '_> {
    fn wants(&self, i: usize) -> bool {
        is_key_or_id(i)
    }
    fn field(&mut self, i: usize, value: Option<&'a str>) {
        if let Some(slot) = self.fields.get_mut(i) {
            *slot = value;
        }
    }
    fn custom(&mut self, name: &'a str, _list: bool, items: &[Scalar<'a>]) {
        for (k, key_name) in self.custom_keys {
            if *key_name == name {
                self.custom.extend(items.iter().filter_map(|s| scalar_text(*s)).map(|t| (*k, t)));
            }
        }
    }
}

/// As [`LookupKey::values`]: strings and finite numbers (shortest decimal) are keys, booleans not.
pub(super) fn scalar_text(s: Scalar<'_>) -> Option<Cow<'_, str>> {
    match s {
        Scalar::Str(v) => Some(Cow::Borrowed(v)),
        Scalar::Num(n) if n.is_finite() => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// The hint, normalized lazily for each tier (only needed when a non-ASCII value is compared).
pub(super) struct Hint<'h> {
    pub(super) trimmed: &'h str,
    pub(super) login: Option<Option<String>>,
    pub(super) plain: Option<Option<String>>,
}

impl Hint<'_> {
    /// Whether `stored` normalizes to the same key as the hint under `tier`'s rules.
    pub(super) fn matches(&mut self, tier: Tier, stored: &str) -> bool {
        self.matches_known(tier, stored, || None)
    }

    /// [`Hint::matches`], where `known` may give the normalized form of a non-ASCII `stored`
    /// (computed at load from the same value with the same rules) so it is not normalized again.
    pub(super) fn matches_known<'n>(
        &mut self,
        tier: Tier,
        stored: &str,
        known: impl FnOnce() -> Option<&'n str>,
    ) -> bool {
        let stored = stored.trim();
        if stored.is_ascii() && self.trimmed.is_ascii() {
            return stored.eq_ignore_ascii_case(self.trimmed);
        }
        let trimmed = self.trimmed;
        let hint = match tier {
            Tier::Login => self.login.get_or_insert_with(|| normalize_login(trimmed)),
            Tier::Other => self.plain.get_or_insert_with(|| normalize_plain(trimmed)),
        };
        let Some(hint) = hint.as_deref() else { return false };
        if stored == trimmed {
            // The same text normalizes to the same key: no normalized form to fetch (for a non-ASCII
            // value, the load's copy is two cache misses away at 1M users).
            return true;
        }
        if stored.is_ascii() {
            // An ASCII value normalizes to its ASCII lower case.
            return stored.bytes().map(|b| b.to_ascii_lowercase()).eq(hint.bytes());
        }
        match known() {
            Some(norm) => norm == hint,
            None => {
                let stored = if tier == Tier::Login { normalize_login(stored) } else { normalize_plain(stored) };
                stored.as_deref() == Some(hint)
            }
        }
    }
}
