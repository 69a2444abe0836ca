//! Patching published shards in place (push updates from Okta Event Hooks, and incremental syncs of a
//! directory published in ranges): a [`ShardEdit`] — users created or changed, users removed, Workforce
//! memberships changed — is applied to one canonical shard, giving exactly the bytes
//! [`split_canonical`](super::shard::split_canonical) of the whole changed directory gives for it. Every
//! copy of a named user is dropped from the shard, and a given user is added to the shards its lookup keys
//! route to, so a new user lands in its shards, a removed one leaves them, and one whose keys changed moves.
//! A caller patches O(changed users) small shards instead of the whole snapshot: the shards the changed
//! users' new keys route to, plus those their old copies sit in ([`shard_users`] finds the old copies).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::builder::SnapshotBuilder;
use super::compact::CompactDirectory;
use super::key::LookupKey;
use super::shard::{user_shards, MAX_SHARDS};
use crate::error::{Error, Result};
use crate::profile::DirectoryUser;
use crate::records::Group;

/// Reads a JSON array of directory users (`CONVERSION_FAILED` when it is not one; no value is quoted).
pub fn users_from_json(text: &str) -> Result<Vec<DirectoryUser>> {
    serde_json::from_str(text)
        .map_err(|_| Error::Conversion { detail: "the text is not a list of directory users".into() })
}

/// The shards `users` belong in (their union, ascending) for a directory keyed by `keys` split into `shards`.
pub fn shards_of_users(keys: &[LookupKey], users: &[DirectoryUser], shards: u32) -> Vec<u32> {
    let mut out: Vec<u32> = users.iter().flat_map(|u| user_shards(keys, u, shards)).collect();
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// Changes to apply to a shard (the same edit applies to every shard of a directory).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ShardEdit {
    /// Users created or changed, whole records (matched by id; a user without an id is ignored).
    pub users: Vec<DirectoryUser>,
    /// Ids of users removed from the directory.
    pub remove_ids: Vec<String>,
    /// Membership changes in order (the last one per pair wins); only the Workforce group's are kept in shards.
    pub memberships: Vec<ShardMembership>,
    /// Workforce marks the given users had where their old copies sit (`shard_users` found them in other
    /// shards): a user that moves into a shard keeps its mark.
    pub marks: HashMap<String, bool>,
    /// Groups as the changed directory has them (a sync's `groups`). A Workforce group record that differs
    /// from the shard's changes every shard, which a patch refuses.
    pub groups: Vec<Group>,
}

/// One membership change (an Okta System Log or Event Hook `group.user_membership.add`/`remove`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShardMembership {
    /// The group's Okta id.
    pub group_id: String,
    /// The user's Okta id.
    pub user_id: String,
    /// Added (true) or removed (false).
    pub added: bool,
}

/// The Okta group every user belongs to (a sync adds each upserted user to it).
const BUILT_IN: &str = "BUILT_IN";

impl ShardEdit {
    /// Reads an edit's JSON text (`CONVERSION_FAILED` when it is not one; no value is quoted).
    pub fn from_json(text: &str) -> Result<ShardEdit> {
        serde_json::from_str(text).map_err(|_| Error::Conversion { detail: "the text is not a shard edit".into() })
    }
}

/// A user found in a shard, with its Workforce membership there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShardUser {
    /// The stored record.
    pub user: DirectoryUser,
    /// Whether the user is in the Workforce group.
    pub workforce: bool,
}

/// The users of canonical shard `shard` whose id is in `ids` (in shard order).
///
/// # Errors
/// `SNAPSHOT_CORRUPT` / `SNAPSHOT_VERSION_UNSUPPORTED` for the shard.
pub fn shard_users(shard: &[u8], ids: &[String]) -> Result<Vec<ShardUser>> {
    let dir = CompactDirectory::from_snapshot(shard)?;
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for i in 0..dir.len() as u32 {
        let user = dir.user_at(i)?;
        if user.id.as_deref().is_some_and(|id| wanted.contains(id)) {
            out.push(ShardUser { workforce: dir.in_workforce(i), user });
        }
    }
    Ok(out)
}

/// Applies `edit` to canonical shard `index` of a directory split into `shards` and re-encodes it
/// canonically: every user the edit names (given, removed) is dropped, each given user routed to `index`
/// is added. A user's Workforce mark is its last Workforce membership change, else the mark of its old copy
/// (in this shard, else `edit.marks`), else none.
/// `Ok(None)` when the edit changes the Workforce group's record (every shard changes: publish whole).
///
/// # Errors
/// `SNAPSHOT_CORRUPT` / `SNAPSHOT_VERSION_UNSUPPORTED` for the shard; `INPUT_TOO_LARGE` for a shard
/// count of 0 or above the maximum.
pub fn patch_shard(shard: &[u8], index: u32, shards: u32, edit: &ShardEdit) -> Result<Option<Vec<u8>>> {
    if shards == 0 || shards > MAX_SHARDS {
        return Err(Error::InputTooLarge { what: "shard count", limit: MAX_SHARDS as usize });
    }
    let dir = CompactDirectory::from_snapshot(shard)?;
    let keys = &dir.config().keys;
    let workforce = dir.config().workforce_group.as_deref();
    let workforce_group: Vec<_> = dir.groups().iter().filter(|g| Some(g.id.as_str()) == workforce).cloned().collect();
    if edit.groups.iter().any(|g| Some(g.id.as_str()) == workforce && workforce_group.first() != Some(g)) {
        return Ok(None);
    }
    // A sync adds every upserted user to the built-in group (then applies removals after additions).
    let everyone = workforce_group.first().is_some_and(|g| g.group_type == BUILT_IN);
    let mut marks: HashMap<&str, bool> = HashMap::new();
    for m in edit.memberships.iter().filter(|m| Some(m.group_id.as_str()) == workforce) {
        marks.insert(&m.user_id, m.added);
    }
    let given: HashMap<&str, &DirectoryUser> =
        edit.users.iter().filter_map(|u| u.id.as_deref().map(|id| (id, u))).collect();
    let removed: HashSet<&str> = edit.remove_ids.iter().map(String::as_str).collect();
    // (user, Workforce mark): the shard's users the edit leaves alone, then the given users routed here.
    let mut records: Vec<(DirectoryUser, bool)> = Vec::with_capacity(dir.len() + given.len());
    let mut was: HashMap<&str, bool> = HashMap::new();
    for i in 0..dir.len() as u32 {
        let user = dir.user_at(i)?;
        let mark = dir.in_workforce(i);
        match user.id.as_deref() {
            Some(id) if given.contains_key(id) || removed.contains(id) => {
                if let Some((&key, _)) = given.get_key_value(id) {
                    was.insert(key, mark);
                }
            }
            Some(id) => {
                let mark = marks.get(id).copied().unwrap_or(mark);
                records.push((user, mark));
            }
            None => records.push((user, false)),
        }
    }
    for (&id, &user) in &given {
        if removed.contains(id) || !user_shards(keys, user, shards).contains(&index) {
            continue;
        }
        let mark = match marks.get(id) {
            Some(&mark) => mark,
            None => everyone || was.get(id).or_else(|| edit.marks.get(id)).copied().unwrap_or(false),
        };
        records.push((user.clone(), mark));
    }
    // The same construction as `split_canonical`: users in id order (users without an id first, in the
    // shard's order: the sort is stable), sync time 0, no frequency table, the Workforce group with the
    // shard's members in it.
    crate::sort::sort_by(&mut records, |a, b| a.0.id < b.0.id);
    let mut meta = dir.meta().clone();
    meta.synced_at_ms = 0;
    let mut builder = SnapshotBuilder::new(dir.config().clone(), meta).without_frequencies();
    let mut members = Vec::new();
    for (user, mark) in records {
        match user.id.as_deref() {
            Some(id) => {
                if !workforce_group.is_empty() && mark {
                    members.push(id.to_string());
                }
                builder.upsert_user(user);
            }
            None => builder.append_user_without_id(&user),
        }
    }
    let lists = if workforce_group.is_empty() { Vec::new() } else { vec![members] };
    Ok(Some(builder.finish(workforce_group, lists)?.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::delta::DirectoryDelta;
    use crate::directory::patch::apply_delta_json;
    use crate::directory::shard::split_canonical;
    use crate::directory::{encode, Directory, DirectoryConfig, SyncMeta};
    use crate::profile::PersonName;
    use crate::records::Membership;

    const W: &str = "00gW";

    fn user(id: &str, login: &str, email: &str, given: &str) -> DirectoryUser {
        DirectoryUser {
            id: Some(id.into()),
            login: Some(login.into()),
            email: Some(email.into()),
            name: PersonName { given: Some(given.into()), ..PersonName::default() },
            ..DirectoryUser::default()
        }
    }

    /// A small deterministic generator (xorshift), so every run checks the same directories.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const GIVEN: [&str; 6] = ["Ann", "Zoë", "José", "Øyvind", "Mei", "Ngozi"];

    /// A directory of `n` users (ids in shuffled order, mixed-case logins, a user without an id, some
    /// users without an email), every third one in the Workforce group, another group beside it.
    fn directory(rng: &mut Rng, n: usize) -> Vec<u8> {
        directory_typed(rng, n, "OKTA_GROUP")
    }

    /// As [`directory`], the Workforce group of type `kind` (`BUILT_IN`: Okta's Everyone group).
    fn directory_typed(rng: &mut Rng, n: usize, kind: &str) -> Vec<u8> {
        let mut users: Vec<_> = (0..n)
            .map(|i| {
                let id = format!("00u{:04}", (i * 7919) % 10_000);
                let mut u = user(&id, &format!("User{i}@Acme.com"), &format!("u{i}@mail.acme.com"), GIVEN[rng.next(6)]);
                if i % 5 == 0 {
                    u.email = None;
                }
                u
            })
            .collect();
        let mut anonymous = user("x", "nobody@acme.com", "nobody@acme.com", "No");
        anonymous.id = None;
        users.push(anonymous);
        let groups = vec![
            Group { id: W.into(), name: "Workforce".into(), group_type: kind.into() },
            Group { id: "00gO".into(), name: "Other".into(), group_type: "OKTA_GROUP".into() },
        ];
        let mut memberships: Vec<_> = users
            .iter()
            .step_by(3)
            .filter_map(|u| u.id.clone())
            .map(|id| Membership { group_id: W.into(), user_id: id })
            .collect();
        memberships.extend(
            users
                .iter()
                .step_by(4)
                .filter_map(|u| u.id.clone())
                .map(|id| Membership { group_id: "00gO".into(), user_id: id }),
        );
        let config = DirectoryConfig { workforce_group: Some(W.into()), ..DirectoryConfig::default() };
        encode(&Directory::build(users, groups, &memberships, config, SyncMeta::default()))
    }

    /// A delta with every change kind, drawn from the directory's users.
    fn delta(rng: &mut Rng, dir: &CompactDirectory, round: usize) -> DirectoryDelta {
        let ids: Vec<String> = (0..dir.len() as u32).filter_map(|i| dir.user_at(i).ok()?.id).collect();
        let mut pick = || ids[rng.next(ids.len())].clone();
        let mut d = DirectoryDelta::default();
        let changed = |id: &str, f: &dyn Fn(&mut DirectoryUser)| {
            let mut u = dir.user(id).expect("present");
            f(&mut u);
            u
        };
        let (a, b, c, e, g) = (pick(), pick(), pick(), pick(), pick());
        // A profile change (same keys), a login change, an email change, an email dropped.
        d.upsert_users.push(changed(&a, &|u| u.name.given = Some("Renamed".into())));
        d.upsert_users.push(changed(&b, &|u| u.login = Some(format!("moved{round}@elsewhere.org"))));
        d.upsert_users.push(changed(&c, &|u| u.email = Some(format!("NEW{round}@Mail.Acme.com"))));
        d.upsert_users.push(changed(&e, &|u| u.email = None));
        // New users: one joins the Workforce group in the same delta, one does not.
        d.upsert_users.push(user(&format!("00uN{round}a"), &format!("new{round}@acme.com"), "", "Ann"));
        d.upsert_users.push(user(
            &format!("00uN{round}b"),
            &format!("new{round}b@acme.com"),
            &format!("nb{round}@x.org"),
            "Mei",
        ));
        d.add_memberships.push(Membership { group_id: W.into(), user_id: format!("00uN{round}a") });
        // Removals, memberships of existing users (Workforce and not), a membership naming no one.
        d.remove_users.push(g);
        d.remove_users.push(pick());
        d.add_memberships.push(Membership { group_id: W.into(), user_id: pick() });
        d.remove_memberships.push(Membership { group_id: W.into(), user_id: pick() });
        d.remove_memberships.push(Membership { group_id: W.into(), user_id: b.clone() });
        d.add_memberships.push(Membership { group_id: "00gO".into(), user_id: pick() });
        d.add_memberships.push(Membership { group_id: W.into(), user_id: "00uGone".into() });
        d
    }

    /// The edit a publisher derives from a delta (`patchKvShardsDelta` in the SDK does the same): the
    /// membership changes as they are, and each given user's old Workforce mark (found with `shard_users`).
    fn edit_of(delta: &DirectoryDelta, before: &CompactDirectory) -> ShardEdit {
        let change = |m: &Membership, added: bool| ShardMembership {
            group_id: m.group_id.clone(),
            user_id: m.user_id.clone(),
            added,
        };
        let mut memberships: Vec<_> = delta.add_memberships.iter().map(|m| change(m, true)).collect();
        memberships.extend(delta.remove_memberships.iter().map(|m| change(m, false)));
        ShardEdit {
            users: delta.upsert_users.clone(),
            remove_ids: delta.remove_users.clone(),
            memberships,
            marks: delta
                .upsert_users
                .iter()
                .filter_map(|u| u.id.clone())
                .map(|id| {
                    let mark = before.is_workforce(&id);
                    (id, mark)
                })
                .collect(),
            groups: Vec::new(),
        }
    }

    #[test]
    fn patched_shards_equal_a_fresh_split_of_the_changed_directory() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let cases = [
            (0, 1, "OKTA_GROUP"),
            (1, 9, "OKTA_GROUP"),
            (2, 60, "OKTA_GROUP"),
            (3, 240, "OKTA_GROUP"),
            (4, 90, BUILT_IN),
        ];
        for (round, size, kind) in cases {
            let before = directory_typed(&mut rng, size, kind);
            let old_dir = CompactDirectory::from_snapshot(&before).expect("loads");
            let mut delta = delta(&mut rng, &old_dir, round);
            let edit = edit_of(&delta, &old_dir);
            if kind == BUILT_IN {
                // A sync's delta adds every upserted user to the built-in group (after the log's changes).
                let everyone = delta.upsert_users.iter().filter_map(|u| u.id.clone());
                let adds: Vec<_> = everyone.map(|id| Membership { group_id: W.into(), user_id: id }).collect();
                delta.add_memberships.extend(adds);
            }
            let after =
                apply_delta_json(&before, &serde_json::to_string(&delta).expect("json")).expect("applies").snapshot;
            let keys = old_dir.config().keys.clone();
            for shards in [1, 3, 8, 17] {
                let old = split_canonical(&old_dir, shards).expect("split");
                let want =
                    split_canonical(&CompactDirectory::from_snapshot(&after).expect("loads"), shards).expect("split");
                // The shards a publisher touches: the given users' new routes, plus every shard holding a copy
                // of an id the edit names (found with `shard_users`).
                let mut named: Vec<String> = edit.users.iter().filter_map(|u| u.id.clone()).collect();
                named.extend(edit.remove_ids.iter().cloned());
                named.extend(edit.memberships.iter().map(|m| m.user_id.clone()));
                let mut touched = shards_of_users(&keys, &edit.users, shards);
                for (n, part) in old.iter().enumerate() {
                    if !shard_users(part, &named).expect("reads").is_empty() {
                        touched.push(n as u32);
                    }
                }
                for n in 0..shards {
                    let idx = n as usize;
                    let got = patch_shard(&old[idx], n, shards, &edit).expect("patches");
                    assert_eq!(got.as_deref(), Some(want[idx].as_slice()), "size {size}, shard {n} of {shards}");
                    if !touched.contains(&n) {
                        assert_eq!(old[idx], want[idx], "size {size}: an untouched shard {n} of {shards} is unchanged");
                    }
                }
                if size >= 60 {
                    assert!((0..shards as usize).any(|i| old[i] != want[i]), "the delta changes some shard");
                }
            }
        }
    }

    #[test]
    fn a_user_changed_in_place_keeps_its_workforce_mark_when_the_edit_names_none() {
        let mut rng = Rng(3);
        let before = directory(&mut rng, 40);
        let dir = CompactDirectory::from_snapshot(&before).expect("loads");
        let members: Vec<DirectoryUser> = (0..dir.len() as u32)
            .filter_map(|i| dir.user_at(i).ok())
            .filter(|u| u.id.as_deref().is_some_and(|id| dir.is_workforce(id)))
            .take(3)
            .map(|mut u| {
                u.name.given = Some("Changed".into());
                u
            })
            .collect();
        assert_eq!(members.len(), 3);
        let delta = DirectoryDelta { upsert_users: members.clone(), ..DirectoryDelta::default() };
        let after = apply_delta_json(&before, &serde_json::to_string(&delta).expect("json")).expect("applies").snapshot;
        let edit = ShardEdit { users: members, ..ShardEdit::default() };
        let old = split_canonical(&dir, 5).expect("split");
        let want = split_canonical(&CompactDirectory::from_snapshot(&after).expect("loads"), 5).expect("split");
        for n in 0..5u32 {
            let got = patch_shard(&old[n as usize], n, 5, &edit).expect("patches");
            assert_eq!(got.as_deref(), Some(want[n as usize].as_slice()), "shard {n}");
        }
    }

    #[test]
    fn shard_users_finds_copies_with_their_workforce_mark() {
        let mut rng = Rng(7);
        let before = directory(&mut rng, 30);
        let dir = CompactDirectory::from_snapshot(&before).expect("loads");
        let ids: Vec<String> = (0..dir.len() as u32).filter_map(|i| dir.user_at(i).ok()?.id).take(6).collect();
        let found = shard_users(&before, &ids).expect("reads");
        assert_eq!(found.len(), 6);
        for f in &found {
            assert_eq!(f.workforce, dir.is_workforce(f.user.id.as_deref().unwrap_or_default()));
        }
        assert!(found.iter().any(|f| f.workforce) && found.iter().any(|f| !f.workforce));
        assert!(shard_users(&before, &["00uNone".into()]).expect("reads").is_empty());
        assert!(shard_users(b"nope", &ids).is_err());
    }

    #[test]
    fn a_changed_workforce_group_record_is_refused_and_bad_input_is_an_error() {
        let mut rng = Rng(11);
        let before = directory(&mut rng, 20);
        let parts = split_canonical(&CompactDirectory::from_snapshot(&before).expect("loads"), 2).expect("split");
        let mut edit = ShardEdit {
            groups: vec![Group { id: W.into(), name: "Workforce".into(), group_type: "OKTA_GROUP".into() }],
            ..ShardEdit::default()
        };
        assert_eq!(patch_shard(&parts[0], 0, 2, &edit).expect("patches").as_deref(), Some(parts[0].as_slice()));
        edit.groups = vec![Group { id: W.into(), name: "Staff".into(), group_type: "OKTA_GROUP".into() }];
        assert_eq!(patch_shard(&parts[0], 0, 2, &edit).expect("reads"), None);
        assert!(patch_shard(&parts[0], 0, 0, &edit).is_err());
        assert!(patch_shard(b"nope", 0, 2, &edit).is_err());
        assert!(ShardEdit::from_json("[1]").is_err());
        let json =
            r#"{"users":[],"removeIds":["00u1"],"memberships":[{"groupId":"00gW","userId":"00u2","added":false}]}"#;
        assert_eq!(ShardEdit::from_json(json).expect("reads").remove_ids, vec!["00u1".to_string()]);
    }
}
