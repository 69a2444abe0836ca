//! Building a range of KV shards straight from a sync's users, without the whole directory in memory.
//!
//! [`split_canonical`](super::shard::split_canonical) needs the whole directory's snapshot: at a million
//! users that is more than a 128 MB Worker isolate holds. [`ShardRangeBuilder`] builds only the canonical
//! shards `from..to` of a directory split into `shards`: it is fed every user of the sync (in listing
//! order, as a journal replays them) and keeps only those routed into its range, then the Workforce
//! group's member ids. Its memory is the range's users, so a caller that picks the range size bounds it,
//! whatever the directory's size. The shards' bytes equal `split_canonical`'s for the same sync.
//!
//! Feed every user before the members: a member id counts only for a user already kept, as the whole
//! directory keeps only the members its users listing returned.
//!
//! A caller that feeds each range only the users routed to it (the Worker partitions its journal once,
//! `route_users_page`) misses a later copy of a user that routes elsewhere: it names such users first
//! ([`ShardRangeBuilder::set_superseded`], each with the shards of its last copy). Each range also counts its
//! users' name and birthdate frequencies ([`ShardRangeBuilder::frequency_counts`]): merged over all ranges,
//! the whole directory's table.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::builder::SnapshotBuilder;
use super::index::{DirectoryConfig, SyncMeta};
use super::shard::{user_shards, MAX_SHARDS};
use crate::error::{Error, Result};
use crate::hash::IdHasher;
use crate::profile::frequency::{FrequencyCounter, FrequencyCounts};
use crate::profile::DirectoryUser;
use crate::records::Group;

/// A user's given name, family name and birthdate (what the frequency table counts).
type Person = [Option<String>; 3];

/// One kept user: its latest copy, the shards of the range it belongs in, and its Workforce membership.
#[derive(Debug)]
struct Kept {
    user: DirectoryUser,
    shards: Vec<u32>,
    workforce: bool,
    /// The user's first shard (of all it belongs in) is in the range: each user counts in one range only.
    primary: bool,
}

/// Builds the canonical shards `from..to` of a directory split into `shards` (see the module docs).
#[derive(Debug)]
pub struct ShardRangeBuilder {
    config: DirectoryConfig,
    meta: SyncMeta,
    shards: u32,
    from: u32,
    to: u32,
    users: HashMap<Box<str>, Kept, BuildHasherDefault<IdHasher>>,
    /// Users without a lookup key (in no shard): counted in the frequencies of the range holding shard 0.
    keyless: HashMap<Box<str>, Person, BuildHasherDefault<IdHasher>>,
    /// Users listed more than once whose copies may route to different ranges: the shards of the last copy.
    superseded: HashMap<Box<str>, Vec<u32>, BuildHasherDefault<IdHasher>>,
}

impl ShardRangeBuilder {
    /// A builder for shards `from..to` of `shards`. `meta`'s sync time is dropped (canonical shards carry 0).
    ///
    /// # Errors
    /// `INPUT_TOO_LARGE` when `shards` is 0 or above [`MAX_SHARDS`], or the range is empty or past `shards`.
    pub fn new(config: DirectoryConfig, meta: SyncMeta, shards: u32, from: u32, to: u32) -> Result<ShardRangeBuilder> {
        if shards == 0 || shards > MAX_SHARDS || from >= to || to > shards {
            return Err(Error::InputTooLarge { what: "shard count", limit: MAX_SHARDS as usize });
        }
        let meta = SyncMeta { synced_at_ms: 0, ..meta };
        Ok(ShardRangeBuilder {
            config: config.deduplicated(),
            meta,
            shards,
            from,
            to,
            users: HashMap::default(),
            keyless: HashMap::default(),
            superseded: HashMap::default(),
        })
    }

    /// Users kept so far (those routed into the range).
    pub fn len(&self) -> usize {
        self.users.len()
    }

    /// Kept users whose first shard is in the range: summed over ranges that cover every shard, the
    /// directory's users that hold a key (each counted once, however many shards it sits in).
    pub fn primary_users(&self) -> usize {
        self.users.values().filter(|k| k.primary).count()
    }

    /// Whether no user was kept yet.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    /// Takes a user of the listing: kept when one of its keys routes into the range. A later copy of a
    /// user replaces the earlier one, and drops it when it no longer routes into the range. A user
    /// without an id is ignored (a sync never keeps one).
    pub fn upsert_user(&mut self, user: DirectoryUser) {
        let Some(id) = user.id.as_deref() else { return };
        let range = self.from..self.to;
        if let Some(last) = self.superseded.get(id) {
            // Only the range(s) of the last copy keep the user (shard 0's range when it has no key).
            let kept = if last.is_empty() { self.from == 0 } else { last.iter().any(|s| range.contains(s)) };
            if !kept {
                self.users.remove(id);
                self.keyless.remove(id);
                return;
            }
        }
        let all = user_shards(&self.config.keys, &user, self.shards);
        if all.is_empty() {
            self.users.remove(id);
            if self.from == 0 {
                self.keyless.insert(id.into(), person(&user));
            }
            return;
        }
        self.keyless.remove(id);
        let primary = all.first().is_some_and(|s| range.contains(s));
        let shards: Vec<u32> = all.into_iter().filter(|s| range.contains(s)).collect();
        if shards.is_empty() {
            self.users.remove(id);
            return;
        }
        let id: Box<str> = id.into();
        let workforce = self.users.get(&id).is_some_and(|k| k.workforce);
        self.users.insert(id, Kept { user, shards, workforce, primary });
    }

    /// Names the users listed more than once, each with the shards of its last copy (`[]`: no lookup key), for
    /// a caller that feeds the range only the copies routed to it. Set it before the first user.
    pub fn set_superseded(&mut self, superseded: HashMap<Box<str>, Vec<u32>, BuildHasherDefault<IdHasher>>) {
        self.superseded = superseded;
    }

    /// The name and birthdate counts of the users this range counts: those whose first shard it holds, and
    /// the users without a lookup key when it holds shard 0. Merged over ranges covering every shard
    /// ([`FrequencyCounts::merge`]), their table is the one-snapshot build's.
    pub fn frequency_counts(&self) -> FrequencyCounts {
        let mut counter = FrequencyCounter::default();
        for k in self.users.values().filter(|k| k.primary) {
            counter.add(k.user.name.given.as_deref(), k.user.name.family.as_deref(), k.user.birthdate.as_deref());
        }
        for [given, family, birthdate] in self.keyless.values() {
            counter.add(given.as_deref(), family.as_deref(), birthdate.as_deref());
        }
        counter.counts()
    }

    /// The Workforce group id the configuration names (members pages of other groups are skipped).
    pub fn workforce_group(&self) -> Option<&str> {
        self.config.workforce_group.as_deref()
    }

    /// Marks the Workforce group's members among the kept users (ids of other users are skipped).
    pub fn add_workforce_members<S: AsRef<str>>(&mut self, ids: &[S]) {
        for id in ids {
            if let Some(kept) = self.users.get_mut(id.as_ref()) {
                kept.workforce = true;
            }
        }
    }

    /// As [`ShardRangeBuilder::finish`], the Workforce group given as the JSON text of a `Group` (as the
    /// driver keeps it).
    ///
    /// # Errors
    /// `CONVERSION_FAILED` for text that is not a `Group`; then as [`ShardRangeBuilder::finish`].
    pub fn finish_json(self, workforce_group_json: Option<&str>) -> Result<Vec<Vec<u8>>> {
        let bad = |_| Error::Conversion { detail: "workforce group could not be converted".to_string() };
        let workforce = workforce_group_json.map(serde_json::from_str::<Group>).transpose().map_err(bad)?;
        self.finish(workforce)
    }

    /// The shards `from..to` in order, each a canonical shard snapshot: its users in id order, the
    /// Workforce group (`workforce`, the listed group whose id the configuration names; `None` when the
    /// listing had none) with their memberships, no frequency table.
    ///
    /// # Errors
    /// `SNAPSHOT_CORRUPT` if a record does not read back (see [`SnapshotBuilder::finish`]).
    pub fn finish(self, workforce: Option<Group>) -> Result<Vec<Vec<u8>>> {
        let ShardRangeBuilder { config, meta, from, to, users, .. } = self;
        let workforce = workforce.filter(|g| config.workforce_group.as_deref() == Some(g.id.as_str()));
        let mut routed: Vec<Vec<&Kept>> = vec![Vec::new(); (to - from) as usize];
        let mut kept: Vec<(&str, &Kept)> = users.iter().map(|(id, k)| (&**id, k)).collect();
        // Map keys: distinct ids, a total order.
        crate::sort::sort_by(&mut kept, |a, b| a.0 < b.0);
        for (_, k) in &kept {
            for s in &k.shards {
                if let Some(list) = routed.get_mut((s - from) as usize) {
                    list.push(k);
                }
            }
        }
        let mut out = Vec::with_capacity(routed.len());
        for list in routed {
            let mut builder = SnapshotBuilder::new(config.clone(), meta.clone()).without_frequencies();
            let mut members = Vec::new();
            for k in list {
                if workforce.is_some() && k.workforce {
                    members.extend(k.user.id.clone());
                }
                builder.upsert_user(k.user.clone());
            }
            let (groups, lists) = match &workforce {
                Some(g) => (vec![g.clone()], vec![members]),
                None => (Vec::new(), Vec::new()),
            };
            out.push(builder.finish(groups, lists)?.0);
        }
        Ok(out)
    }
}

/// What the frequency table counts of a user.
fn person(user: &DirectoryUser) -> Person {
    [user.name.given.clone(), user.name.family.clone(), user.birthdate.clone()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::shard::split_canonical;
    use crate::directory::{encode, CompactDirectory, Directory};
    use crate::records::Membership;

    fn user(n: u32, login: &str, email: &str) -> DirectoryUser {
        DirectoryUser {
            id: Some(format!("00u{n:05}")),
            login: Some(login.into()),
            email: Some(email.into()),
            name: crate::profile::PersonName {
                given: Some(["Anna", "Bob", "José", "Zoë"][n as usize % 4].into()),
                family: Some(format!("Family{}", n % 7)),
                ..Default::default()
            },
            ..DirectoryUser::default()
        }
    }

    /// A listing with a shared mailbox, a non-ASCII login and a user listed twice whose login changed.
    fn listing() -> Vec<DirectoryUser> {
        let mut users: Vec<DirectoryUser> = (0..300)
            .map(|n| {
                let login = if n % 50 == 7 { format!("jösé{n}@x.es") } else { format!("user{n}@x.com") };
                let email = if n % 40 == 3 { "team@x.com".to_string() } else { login.clone() };
                user(n, &login, &email)
            })
            .collect();
        // Okta lists a user twice when it changes mid-listing: the later copy wins.
        users.push(user(11, "renamed11@x.com", "renamed11@x.com"));
        users.reverse();
        users
    }

    fn whole(shards: u32) -> Vec<Vec<u8>> {
        let users = listing();
        let groups = vec![
            Group { id: "00gW".into(), name: "Workforce".into(), group_type: "OKTA_GROUP".into() },
            Group { id: "00gO".into(), name: "Other".into(), group_type: "OKTA_GROUP".into() },
        ];
        let mut memberships: Vec<Membership> = (0..300)
            .filter(|n| n % 3 != 0)
            .map(|n| Membership { group_id: "00gW".into(), user_id: format!("00u{n:05}") })
            .collect();
        memberships.push(Membership { group_id: "00gO".into(), user_id: "00u00001".into() });
        memberships.push(Membership { group_id: "00gW".into(), user_id: "00u99999".into() });
        let config = DirectoryConfig { workforce_group: Some("00gW".into()), ..DirectoryConfig::default() };
        let meta = SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1_700_000_000_000 };
        // Directory::build keeps the first copy of a repeated id; the sync keeps the last: dedupe first.
        let mut seen = std::collections::HashSet::new();
        let mut deduped: Vec<DirectoryUser> =
            users.into_iter().rev().filter(|u| seen.insert(u.id.clone())).collect::<Vec<_>>();
        deduped.reverse();
        let dir = Directory::build(deduped, groups, &memberships, config, meta);
        let compact = CompactDirectory::load(encode(&dir)).expect("loads");
        split_canonical(&compact, shards).expect("splits")
    }

    fn ranged(shards: u32, step: u32) -> Vec<Vec<u8>> {
        let config = DirectoryConfig { workforce_group: Some("00gW".into()), ..DirectoryConfig::default() };
        let meta = SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1_700_000_000_000 };
        let workforce = Group { id: "00gW".into(), name: "Workforce".into(), group_type: "OKTA_GROUP".into() };
        let mut out = Vec::new();
        let mut from = 0;
        while from < shards {
            let to = (from + step).min(shards);
            let mut b = ShardRangeBuilder::new(config.clone(), meta.clone(), shards, from, to).expect("range");
            for u in listing() {
                b.upsert_user(u);
            }
            let ids: Vec<String> = (0..300).filter(|n| n % 3 != 0).map(|n| format!("00u{n:05}")).collect();
            b.add_workforce_members(&ids);
            b.add_workforce_members(&["00u99999"]);
            // The Worker passes the group as JSON text: every other range takes that path.
            let parts = if from % 2 == 0 {
                b.finish(Some(workforce.clone()))
            } else {
                b.finish_json(Some(&serde_json::to_string(&workforce).expect("serializes")))
            };
            out.extend(parts.expect("finishes"));
            from = to;
        }
        out
    }

    #[test]
    fn ranges_equal_the_whole_directory_split() {
        for (shards, step) in [(1, 1), (7, 1), (7, 3), (16, 16), (33, 5)] {
            assert_eq!(ranged(shards, step), whole(shards), "{shards} shards in ranges of {step}");
        }
    }

    #[test]
    fn primary_users_sum_to_the_distinct_users() {
        let mut total = 0;
        for from in (0..16).step_by(3) {
            let mut b =
                ShardRangeBuilder::new(DirectoryConfig::default(), SyncMeta::default(), 16, from, (from + 3).min(16))
                    .expect("range");
            for u in listing() {
                b.upsert_user(u);
            }
            total += b.primary_users();
        }
        assert_eq!(total, 300);
    }

    #[test]
    fn a_range_keeps_only_its_users() {
        let config = DirectoryConfig::default();
        let mut b = ShardRangeBuilder::new(config, SyncMeta::default(), 16, 0, 2).expect("range");
        for u in listing() {
            b.upsert_user(u);
        }
        // About 2/16 of 300 users (some sit in two shards).
        assert!(b.len() > 10 && b.len() < 80, "{}", b.len());
    }

    #[test]
    fn a_workforce_group_that_is_not_group_json_is_a_conversion_error() {
        let b = || ShardRangeBuilder::new(DirectoryConfig::default(), SyncMeta::default(), 4, 0, 4).expect("range");
        for text in ["", "{", r#"{"id":"00gW"}"#, "[]"] {
            assert_eq!(b().finish_json(Some(text)).map_err(|e| e.code()), Err("CONVERSION_FAILED"), "{text}");
        }
        assert_eq!(b().finish_json(None).expect("finishes"), b().finish(None).expect("finishes"));
    }

    #[test]
    fn a_bad_range_is_an_error() {
        let c = DirectoryConfig::default;
        assert!(ShardRangeBuilder::new(c(), SyncMeta::default(), 0, 0, 1).is_err());
        assert!(ShardRangeBuilder::new(c(), SyncMeta::default(), 4, 2, 2).is_err());
        assert!(ShardRangeBuilder::new(c(), SyncMeta::default(), 4, 3, 5).is_err());
    }
}
