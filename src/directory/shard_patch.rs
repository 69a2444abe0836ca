//! Patching published shards in place for push updates (Okta Event Hooks): a changed user whose lookup
//! keys still route to the same shards is replaced in each of them, giving exactly the bytes
//! [`split_canonical`](super::shard::split_canonical) of the whole directory would give for those
//! shards. A hook then rewrites O(changed users) small shards instead of the whole snapshot; anything
//! the rule cannot place (a new user, a user whose keys moved to other shards) is refused, and the
//! caller falls back to a whole-snapshot run.

use std::collections::{HashMap, HashSet};

use super::builder::SnapshotBuilder;
use super::compact::CompactDirectory;
use super::key::LookupKey;
use super::shard::{user_shards, MAX_SHARDS};
use crate::error::{Error, Result};
use crate::profile::DirectoryUser;

/// Reads a JSON array of directory users (`CONVERSION_FAILED` when it is not one; no value is quoted).
pub fn users_from_json(text: &str) -> Result<Vec<DirectoryUser>> {
    serde_json::from_str(text)
        .map_err(|_| Error::Conversion { detail: "the text is not a list of directory users".into() })
}

/// The shards `users` belong in (their union, ascending) for a directory keyed by `keys` split into `shards`.
pub fn shards_of_users(keys: &[LookupKey], users: &[DirectoryUser], shards: u32) -> Vec<u32> {
    let mut out: Vec<u32> = users.iter().flat_map(|u| user_shards(keys, u, shards)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Replaces `users` (matched by id) in canonical shard `index` of a directory split into `shards`, and
/// re-encodes it canonically. `Ok(None)` when the result would not be the whole directory's shard: a
/// user routed here is not in it (new, or its keys moved here), a user in it now routes to other shards,
/// or a given user has no id.
///
/// # Errors
/// `SNAPSHOT_CORRUPT` / `SNAPSHOT_VERSION_UNSUPPORTED` for the shard; `INPUT_TOO_LARGE` for a shard
/// count of 0 or above the maximum.
pub fn patch_shard_canonical(
    shard: &[u8],
    index: u32,
    shards: u32,
    users: &[DirectoryUser],
) -> Result<Option<Vec<u8>>> {
    if shards == 0 || shards > MAX_SHARDS {
        return Err(Error::InputTooLarge { what: "shard count", limit: MAX_SHARDS as usize });
    }
    let dir = CompactDirectory::from_snapshot(shard)?;
    let keys = &dir.config().keys;
    let mut given: HashMap<&str, &DirectoryUser> = HashMap::with_capacity(users.len());
    for user in users {
        match user.id.as_deref() {
            Some(id) => given.insert(id, user),
            None => return Ok(None),
        };
    }
    let workforce = dir.config().workforce_group.as_deref();
    let workforce_group: Vec<_> = dir.groups().iter().filter(|g| Some(g.id.as_str()) == workforce).cloned().collect();
    let mut present: HashSet<&str> = HashSet::with_capacity(given.len());
    let mut records = Vec::with_capacity(dir.len());
    for i in 0..dir.len() as u32 {
        let old = dir.user_at(i)?;
        let replaced = match old.id.as_deref().and_then(|id| given.get_key_value(id)) {
            Some((&id, &new)) => {
                if user_shards(keys, &old, shards) != user_shards(keys, new, shards) {
                    return Ok(None);
                }
                present.insert(id);
                new.clone()
            }
            None => old,
        };
        records.push((i, replaced));
    }
    for (id, user) in &given {
        if !present.contains(id) && user_shards(keys, user, shards).contains(&index) {
            return Ok(None);
        }
    }
    // The same construction as `split_canonical`: users in id order, sync time 0, no frequency table,
    // the Workforce group with the shard's members in it.
    records.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    let mut meta = dir.meta().clone();
    meta.synced_at_ms = 0;
    let mut builder = SnapshotBuilder::new(dir.config().clone(), meta).without_frequencies();
    let mut members = Vec::new();
    for (i, user) in records {
        match user.id.as_deref() {
            Some(id) => {
                if !workforce_group.is_empty() && dir.in_workforce(i) {
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
    use crate::directory::patch::apply_delta_json;
    use crate::directory::shard::split_canonical;
    use crate::directory::{encode, Directory, DirectoryConfig, SyncMeta};
    use crate::profile::PersonName;
    use crate::records::{Group, Membership};

    fn user(id: &str, login: &str, given: &str) -> DirectoryUser {
        DirectoryUser {
            id: Some(id.into()),
            login: Some(login.into()),
            email: Some(login.into()),
            name: PersonName { given: Some(given.into()), ..PersonName::default() },
            ..DirectoryUser::default()
        }
    }

    fn snapshot() -> Vec<u8> {
        let users: Vec<_> = (0..40).map(|i| user(&format!("00u{i:02}"), &format!("user{i}@x.com"), "Ann")).collect();
        let groups = vec![Group { id: "00gW".into(), name: "W".into(), group_type: "OKTA_GROUP".into() }];
        let memberships: Vec<_> =
            (0..40).step_by(3).map(|i| Membership { group_id: "00gW".into(), user_id: format!("00u{i:02}") }).collect();
        let config = DirectoryConfig { workforce_group: Some("00gW".into()), ..DirectoryConfig::default() };
        encode(&Directory::build(users, groups, &memberships, config, SyncMeta::default()))
    }

    fn keys() -> Vec<LookupKey> {
        DirectoryConfig::default().keys
    }

    #[test]
    fn patched_shards_equal_the_split_of_the_whole_patched_directory() {
        let before = snapshot();
        let changed = vec![user("00u03", "user3@x.com", "Zoë"), user("00u17", "user17@x.com", "Bo")];
        let delta = serde_json::json!({ "upsertUsers": changed }).to_string();
        let after = apply_delta_json(&before, &delta).expect("applies").snapshot;
        for shards in [1, 4, 9] {
            let old =
                split_canonical(&CompactDirectory::from_snapshot(&before).expect("loads"), shards).expect("split");
            let want =
                split_canonical(&CompactDirectory::from_snapshot(&after).expect("loads"), shards).expect("split");
            let touched = shards_of_users(&keys(), &changed, shards);
            for n in 0..shards {
                let idx = n as usize;
                if touched.contains(&n) {
                    let got = patch_shard_canonical(&old[idx], n, shards, &changed).expect("patches");
                    assert_eq!(got.as_deref(), Some(want[idx].as_slice()), "shard {n} of {shards}");
                    assert_ne!(old[idx], want[idx], "shard {n} of {shards} changed");
                } else {
                    assert_eq!(old[idx], want[idx], "an untouched shard is unchanged");
                }
            }
        }
    }

    #[test]
    fn a_new_user_or_moved_keys_are_refused() {
        let before = snapshot();
        let shards = 4;
        let parts = split_canonical(&CompactDirectory::from_snapshot(&before).expect("loads"), shards).expect("split");
        let fresh = vec![user("00u99", "new@x.com", "New")];
        let home = shards_of_users(&keys(), &fresh, shards)[0];
        assert_eq!(patch_shard_canonical(&parts[home as usize], home, shards, &fresh).expect("reads"), None);
        // A login change whose routes differ: refused in its old shard (and, absent there, in its new one).
        let old_routes = shards_of_users(&keys(), &[user("00u05", "user5@x.com", "Ann")], shards);
        let moved = (0..200)
            .map(|i| user("00u05", &format!("moved{i}@x.com"), "Ann"))
            .find(|u| shards_of_users(&keys(), std::slice::from_ref(u), shards) != old_routes)
            .expect("some login routes elsewhere");
        for n in shards_of_users(&keys(), std::slice::from_ref(&moved), shards).into_iter().chain(old_routes) {
            let got =
                patch_shard_canonical(&parts[n as usize], n, shards, std::slice::from_ref(&moved)).expect("reads");
            assert_eq!(got, None, "shard {n}");
        }
        assert!(patch_shard_canonical(&parts[0], 0, 0, &fresh).is_err());
        assert!(patch_shard_canonical(b"nope", 0, 4, &fresh).is_err());
    }
}
