//! The in-memory directory: users, groups, memberships both ways, and the loginHint index.
//!
//! Lookup rule (see also the module docs of [`super`]):
//! 1. If `login` is a configured key and the hint's login key names a user, that user is the answer.
//!    Logins are unique in Okta, so this tier never needs a tie-break; two users with the same login
//!    key (only possible with inconsistent data) are `AMBIGUOUS_LOGIN_HINT`.
//! 2. Otherwise every other configured key is one pool: exactly one distinct user → the answer;
//!    more → `AMBIGUOUS_LOGIN_HINT` (with the count only); none → `USER_NOT_FOUND`.
//!    Pooling, rather than trying email before secondEmail, means a hint that is one user's email
//!    and another's secondEmail is refused instead of silently resolved by configuration order.
//!
//! Users are kept in slots; a removed user leaves an empty slot (so indexes held by groups and
//! postings stay valid) and is skipped by every accessor and by the snapshot encoder.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::key::{normalize_login, normalize_plain, LookupKey};
use crate::error::{Error, Result};
use crate::profile::DirectoryUser;
use crate::records::{Group, Membership};

/// What a directory is keyed by, and which group is the Workforce group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryConfig {
    /// Lookup keys; duplicates are ignored. Default: `login`, `email`.
    pub keys: Vec<LookupKey>,
    /// The Workforce group's id: its members are marked `workforce` in lookups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workforce_group: Option<String>,
}

impl Default for DirectoryConfig {
    fn default() -> Self {
        DirectoryConfig { keys: vec![LookupKey::Login, LookupKey::Email], workforce_group: None }
    }
}

impl DirectoryConfig {
    /// The configuration with repeated lookup keys dropped (the first occurrence stays).
    pub(super) fn deduplicated(mut self) -> DirectoryConfig {
        let mut seen = Vec::with_capacity(self.keys.len());
        self.keys.retain(|k| {
            let fresh = !seen.contains(k);
            seen.push(k.clone());
            fresh
        });
        self
    }
}

/// Where a directory came from: passed in by the caller (the core reads no clock).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncMeta {
    /// The Okta org origin, e.g. `https://acme.okta.com`.
    pub origin: String,
    /// When the sync completed, in Unix milliseconds.
    pub synced_at_ms: u64,
}

/// One user found by [`Directory::lookup`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LookupHit<'a> {
    /// The user, with its Okta status (inactive users are returned too: policy decides).
    pub user: &'a DirectoryUser,
    /// Which configured key matched.
    pub key: &'a LookupKey,
    /// Whether the user is a member of the configured Workforce group.
    pub workforce: bool,
}

/// Users holding one normalized key: (slot, index of the key in the configuration).
#[derive(Debug, Clone)]
enum Posting {
    One((u32, u16)),
    Many(Vec<(u32, u16)>),
}

impl Posting {
    fn entries(&self) -> &[(u32, u16)] {
        match self {
            Posting::One(pair) => std::slice::from_ref(pair),
            Posting::Many(v) => v,
        }
    }

    /// Adds (slot, key) unless the slot is already there (one user holding the same value twice).
    /// Entries stay sorted by slot, so a value shared by many users (a `noreply@` email) costs a
    /// binary search per change, not a scan; building appends, as slots arrive in ascending order.
    fn add(&mut self, entry: (u32, u16)) {
        match self {
            Posting::One(first) if first.0 == entry.0 => {}
            Posting::One(first) => {
                let pair = if first.0 < entry.0 { vec![*first, entry] } else { vec![entry, *first] };
                *self = Posting::Many(pair);
            }
            Posting::Many(v) => {
                if v.last().is_none_or(|last| last.0 < entry.0) {
                    v.push(entry);
                } else if let Err(at) = v.binary_search_by_key(&entry.0, |e| e.0) {
                    v.insert(at, entry);
                }
            }
        }
    }

    /// Removes `slot`; returns whether the posting is now empty.
    fn remove(&mut self, slot: u32) -> bool {
        match self {
            Posting::One((u, _)) => *u == slot,
            Posting::Many(v) => {
                if let Ok(at) = v.binary_search_by_key(&slot, |e| e.0) {
                    v.remove(at);
                }
                if let [only] = v.as_slice() {
                    *self = Posting::One(*only);
                }
                matches!(self, Posting::Many(v) if v.is_empty())
            }
        }
    }
}

/// A synced Okta directory, indexed for loginHint lookups.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub(super) config: DirectoryConfig,
    pub(super) meta: SyncMeta,
    pub(super) users: Vec<Option<DirectoryUser>>,
    pub(super) live: usize,
    pub(super) by_id: HashMap<String, u32>,
    pub(super) groups: Vec<Group>,
    pub(super) group_by_id: HashMap<String, u32>,
    /// Per group: member slots, ascending.
    pub(super) members: Vec<Vec<u32>>,
    /// Per user slot: group indexes, ascending.
    pub(super) user_groups: Vec<Vec<u32>>,
    pub(super) workforce: Option<u32>,
    /// Memberships skipped by `build` because their user or group was unknown.
    dangling: usize,
    login_keys: HashMap<Box<str>, Posting>,
    other_keys: HashMap<Box<str>, Posting>,
}

impl Directory {
    /// Builds a directory from a sync's output. Later duplicates of a user or group id replace earlier
    /// ones; memberships naming an unknown user or group are skipped and counted
    /// ([`Directory::dangling_memberships`]).
    pub fn build(
        users: Vec<DirectoryUser>,
        groups: Vec<Group>,
        memberships: &[Membership],
        config: DirectoryConfig,
        meta: SyncMeta,
    ) -> Directory {
        let mut dir = Directory { config: config.deduplicated(), meta, ..Directory::default() };
        dir.users.reserve(users.len());
        dir.login_keys.reserve(users.len());
        dir.other_keys.reserve(users.len());
        for user in users {
            dir.upsert_user(user);
        }
        for group in groups {
            dir.upsert_group(group);
        }
        for m in memberships {
            if !dir.add_membership(&m.group_id, &m.user_id) {
                dir.dangling += 1;
            }
        }
        dir
    }

    /// The configuration.
    pub fn config(&self) -> &DirectoryConfig {
        &self.config
    }

    /// The sync metadata.
    pub fn meta(&self) -> &SyncMeta {
        &self.meta
    }

    /// How many memberships `build` skipped because they named an unknown user or group.
    pub fn dangling_memberships(&self) -> usize {
        self.dangling
    }

    /// Number of users (whatever their status).
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether the directory has no users.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Users in directory order.
    pub fn users(&self) -> impl Iterator<Item = &DirectoryUser> {
        self.users.iter().flatten()
    }

    /// Groups in directory order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Number of (group, user) memberships.
    pub fn membership_count(&self) -> usize {
        self.members.iter().map(Vec::len).sum()
    }

    /// Every membership, grouped by group in group order, members in directory order.
    pub fn memberships(&self) -> impl Iterator<Item = Membership> + '_ {
        self.groups.iter().zip(&self.members).flat_map(move |(g, slots)| {
            slots.iter().filter_map(move |s| {
                let user_id = self.users.get(*s as usize)?.as_ref()?.id.clone()?;
                Some(Membership { group_id: g.id.clone(), user_id })
            })
        })
    }

    /// The user with this Okta id.
    pub fn user(&self, id: &str) -> Option<&DirectoryUser> {
        self.by_id.get(id).and_then(|s| self.users.get(*s as usize)?.as_ref())
    }

    /// Finds the one user a loginHint names (rules in the module docs). The hint is never echoed in errors.
    pub fn lookup(&self, hint: &str) -> Result<LookupHit<'_>> {
        if self.config.keys.contains(&LookupKey::Login) {
            if let Some(posting) = normalize_login(hint).and_then(|k| self.login_keys.get(k.as_str())) {
                return self.resolve(posting);
            }
        }
        match normalize_plain(hint).and_then(|k| self.other_keys.get(k.as_str())) {
            Some(posting) => self.resolve(posting),
            None => Err(Error::UserNotFound),
        }
    }

    fn resolve(&self, posting: &Posting) -> Result<LookupHit<'_>> {
        match posting.entries() {
            [] => Err(Error::UserNotFound),
            [(slot, key)] => {
                let user = self.users.get(*slot as usize).and_then(Option::as_ref).ok_or(Error::UserNotFound)?;
                let key = self.config.keys.get(usize::from(*key)).ok_or(Error::UserNotFound)?;
                Ok(LookupHit { user, key, workforce: self.in_workforce(*slot) })
            }
            many => Err(Error::AmbiguousLoginHint { candidates: many.len() }),
        }
    }

    fn in_workforce(&self, slot: u32) -> bool {
        let groups = self.user_groups.get(slot as usize);
        self.workforce.is_some_and(|w| groups.is_some_and(|g| g.binary_search(&w).is_ok()))
    }

    /// Whether the user with this id is in the Workforce group.
    pub fn is_workforce(&self, user_id: &str) -> bool {
        self.by_id.get(user_id).is_some_and(|s| self.in_workforce(*s))
    }

    /// The groups of a user, in group order (`USER_NOT_FOUND` for an unknown id).
    pub fn groups_of(&self, user_id: &str) -> Result<Vec<&Group>> {
        let slot = self.by_id.get(user_id).ok_or(Error::UserNotFound)?;
        let groups = self.user_groups.get(*slot as usize).map_or(&[][..], Vec::as_slice);
        Ok(groups.iter().filter_map(|g| self.groups.get(*g as usize)).collect())
    }

    /// The members of a group, in directory order (`GROUP_NOT_FOUND` for an unknown id).
    pub fn members_of(&self, group_id: &str) -> Result<Vec<&DirectoryUser>> {
        let g = self.group_by_id.get(group_id).ok_or(Error::GroupNotFound)?;
        let slots = self.members.get(*g as usize).map_or(&[][..], Vec::as_slice);
        Ok(slots.iter().filter_map(|s| self.users.get(*s as usize)?.as_ref()).collect())
    }

    /// Slots of every live user, or of the members of `group` (`GROUP_NOT_FOUND` for an unknown id).
    pub fn slots(&self, group: Option<&str>) -> Result<Vec<u32>> {
        match group {
            Some(id) => Ok(self
                .group_by_id
                .get(id)
                .and_then(|g| self.members.get(*g as usize))
                .cloned()
                .ok_or(Error::GroupNotFound)?),
            None => Ok((0..self.users.len() as u32)
                .filter(|s| matches!(self.users.get(*s as usize), Some(Some(_))))
                .collect()),
        }
    }

    /// The live user in slot `slot`.
    pub fn user_at_slot(&self, slot: u32) -> Option<&DirectoryUser> {
        self.users.get(slot as usize)?.as_ref()
    }

    /// Inserts or replaces a user (matched by id; a user without id is always added).
    pub(super) fn upsert_user(&mut self, user: DirectoryUser) {
        let existing = user.id.as_ref().and_then(|id| self.by_id.get(id).copied());
        let slot = match existing {
            Some(slot) => {
                self.unindex(slot);
                slot
            }
            None => {
                let Ok(slot) = u32::try_from(self.users.len()) else { return };
                if let Some(id) = &user.id {
                    self.by_id.insert(id.clone(), slot);
                }
                self.users.push(None);
                self.user_groups.push(Vec::new());
                self.live += 1;
                slot
            }
        };
        self.index(slot, &user);
        if let Some(place) = self.users.get_mut(slot as usize) {
            *place = Some(user);
        }
    }

    /// Removes a user and its memberships; returns whether it existed.
    pub(super) fn remove_user(&mut self, id: &str) -> bool {
        let Some(slot) = self.by_id.remove(id) else { return false };
        self.unindex(slot);
        if let Some(groups) = self.user_groups.get_mut(slot as usize) {
            for g in std::mem::take(groups) {
                if let Some(members) = self.members.get_mut(g as usize) {
                    if let Ok(at) = members.binary_search(&slot) {
                        members.remove(at);
                    }
                }
            }
        }
        if let Some(place) = self.users.get_mut(slot as usize) {
            *place = None;
        }
        self.live -= 1;
        true
    }

    /// Inserts or replaces a group (matched by id); its memberships are kept.
    pub(super) fn upsert_group(&mut self, group: Group) {
        if let Some(g) = self.group_by_id.get(&group.id) {
            if let Some(place) = self.groups.get_mut(*g as usize) {
                *place = group;
            }
            return;
        }
        let Ok(g) = u32::try_from(self.groups.len()) else { return };
        if self.config.workforce_group.as_deref() == Some(group.id.as_str()) {
            self.workforce = Some(g);
        }
        self.group_by_id.insert(group.id.clone(), g);
        self.groups.push(group);
        self.members.push(Vec::new());
    }

    /// Adds a membership; returns false when the user or group is unknown (nothing changes).
    pub(super) fn add_membership(&mut self, group_id: &str, user_id: &str) -> bool {
        let (Some(&g), Some(&slot)) = (self.group_by_id.get(group_id), self.by_id.get(user_id)) else { return false };
        self.link(g, slot);
        true
    }

    /// Links slot and group both ways (idempotent). Appending is the common case: slots arrive ascending.
    pub(super) fn link(&mut self, g: u32, slot: u32) {
        let (Some(members), Some(groups)) = (self.members.get_mut(g as usize), self.user_groups.get_mut(slot as usize))
        else {
            return;
        };
        for (list, value) in [(members, slot), (groups, g)] {
            if list.last().is_none_or(|last| *last < value) {
                list.push(value);
            } else if let Err(at) = list.binary_search(&value) {
                list.insert(at, value);
            }
        }
    }

    /// Removes a membership; returns whether it existed.
    pub(super) fn remove_membership(&mut self, group_id: &str, user_id: &str) -> bool {
        let (Some(&g), Some(&slot)) = (self.group_by_id.get(group_id), self.by_id.get(user_id)) else { return false };
        let (Some(members), Some(groups)) = (self.members.get_mut(g as usize), self.user_groups.get_mut(slot as usize))
        else {
            return false;
        };
        let Ok(at) = members.binary_search(&slot) else { return false };
        members.remove(at);
        if let Ok(at) = groups.binary_search(&g) {
            groups.remove(at);
        }
        true
    }

    fn index(&mut self, slot: u32, user: &DirectoryUser) {
        for (k, key) in self.config.keys.iter().enumerate() {
            let Ok(k) = u16::try_from(k) else { break };
            let map = if *key == LookupKey::Login { &mut self.login_keys } else { &mut self.other_keys };
            for value in key.values(user) {
                if let Some(norm) = key.normalize(&value) {
                    match map.get_mut(norm.as_str()) {
                        Some(posting) => posting.add((slot, k)),
                        None => {
                            map.insert(norm.into_boxed_str(), Posting::One((slot, k)));
                        }
                    }
                }
            }
        }
    }

    fn unindex(&mut self, slot: u32) {
        let Some(Some(user)) = self.users.get(slot as usize) else { return };
        for key in &self.config.keys {
            let map = if *key == LookupKey::Login { &mut self.login_keys } else { &mut self.other_keys };
            for value in key.values(user) {
                let Some(norm) = key.normalize(&value) else { continue };
                if map.get_mut(norm.as_str()).is_some_and(|p| p.remove(slot)) {
                    map.remove(norm.as_str());
                }
            }
        }
    }
}

/// Two directories are equal when their users, groups, memberships, configuration and metadata are
/// (empty slots and index layout do not count).
impl PartialEq for Directory {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config
            && self.meta == other.meta
            && self.live == other.live
            && self.users().eq(other.users())
            && self.groups == other.groups
            && self.memberships().eq(other.memberships())
    }
}
