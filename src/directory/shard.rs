//! Sharding a directory for key-value stores where each lookup should read one small value
//! (Cloudflare Workers KV): the directory is split into `n` mini-directories ("shards"), each a
//! complete snapshot of the users whose keys route to it, written by the one pipeline
//! ([`SnapshotBuilder`]) and answered by the one lookup ([`CompactDirectory::lookup`]) that whole
//! directories use.
//!
//! Routing. A lookup consults two tiers (see [`super::index`]): the login tier under the login
//! normalization, and the pool of every other key under the plain normalization. Each normalized key
//! is routed to a shard by a hash:
//! - a login key `k` (from [`normalize_login`]) routes by `k`;
//! - a plain key `p` (from [`normalize_plain`]) routes by `normalize_login(p)` (or `p` when that is
//!   empty), so that for an ASCII hint — and nearly every other one — both tiers route to the same shard.
//!
//! A user is placed in the shard of every key it holds (so it may sit in several shards). Every user
//! that holds a hint's login key is then in the hint's login shard, and every user holding its plain
//! key is in its plain shard: within those shards the lookup sees exactly the postings the full
//! directory has, so the answer — user, key, Workforce mark, `AMBIGUOUS_LOGIN_HINT` with its candidate
//! count, `USER_NOT_FOUND` — is the same. When the two routes differ ([`HintRoute::shards`] has two
//! entries) the caller reads both shards and calls [`lookup_routed`].
//!
//! The hash is FNV-1a (64-bit) of the routing key's UTF-8 bytes, reduced modulo the shard count; it is
//! part of the stored layout ([`ROUTING`]), so it never changes silently.

use super::builder::SnapshotBuilder;
use super::compact::{CompactDirectory, CompactHit};
use super::key::{normalize_login, normalize_plain, LookupKey};
use crate::error::{Error, Result};
use crate::hash::fnv1a64;

/// The routing scheme's name, recorded beside the shards so a reader can refuse an unknown one.
pub const ROUTING: &str = "fnv1a64-login-plain-v1";

/// Most shards a directory may be split into.
pub const MAX_SHARDS: u32 = 1 << 20;

/// The shard of an already normalized routing key.
fn shard_of(routing_key: &str, shards: u32) -> u32 {
    let n = u64::from(shards.max(1));
    // The remainder is below `shards`, so it fits.
    u32::try_from(fnv1a64(routing_key.as_bytes()) % n).unwrap_or(0)
}

/// The routing key of a plain-normalized key.
fn plain_routing_key(plain: String) -> String {
    normalize_login(&plain).unwrap_or(plain)
}

/// Where a hint's two lookup tiers live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HintRoute {
    /// The shard of the hint's login key (`None` when `login` is not a configured key or the hint is blank).
    pub login: Option<u32>,
    /// The shard of the hint's plain key (`None` when only `login` is configured or the hint is blank).
    pub plain: Option<u32>,
}

impl HintRoute {
    /// The distinct shards to read, login shard first: none for a blank hint, usually one, at most two.
    pub fn shards(&self) -> Vec<u32> {
        match (self.login, self.plain) {
            (Some(a), Some(b)) if a != b => vec![a, b],
            (Some(a), _) | (None, Some(a)) => vec![a],
            (None, None) => Vec::new(),
        }
    }
}

/// Routes a hint for a directory keyed by `keys`, split into `shards` shards.
pub fn route_hint(keys: &[LookupKey], hint: &str, shards: u32) -> HintRoute {
    let login =
        if keys.contains(&LookupKey::Login) { normalize_login(hint).map(|k| shard_of(&k, shards)) } else { None };
    let plain = if keys.iter().any(|k| *k != LookupKey::Login) {
        normalize_plain(hint).map(|p| shard_of(&plain_routing_key(p), shards))
    } else {
        None
    };
    HintRoute { login, plain }
}

/// The shards a user belongs in: one per distinct routed key it holds (ascending, deduplicated).
/// A user without any key is in none: no hint can reach it.
pub fn user_shards(keys: &[LookupKey], user: &crate::profile::DirectoryUser, shards: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for key in keys {
        for value in key.values(user) {
            let routed = if *key == LookupKey::Login {
                normalize_login(&value)
            } else {
                normalize_plain(&value).map(plain_routing_key)
            };
            if let Some(k) = routed {
                out.push(shard_of(&k, shards));
            }
        }
    }
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// Splits a directory into `shards` shard snapshots (index = shard number). Each holds the users routed
/// to it (in directory order), the Workforce group with their memberships in it (so the Workforce mark
/// answers as in the full directory; other groups are left out to keep shards small), and the full
/// directory's configuration and metadata.
///
/// # Errors
/// `INPUT_TOO_LARGE` when `shards` is 0 or above [`MAX_SHARDS`] (the limit named is the maximum);
/// `SNAPSHOT_CORRUPT` if a record of `dir` does not read back.
pub fn split(dir: &CompactDirectory, shards: u32) -> Result<Vec<Vec<u8>>> {
    split_with(dir, shards, false)
}

/// As [`split`], but each shard in a canonical form: users in id order and the sync time 0 (the KV
/// manifest carries it), so a shard whose users did not change is byte-identical from one sync to the
/// next and a publisher can rewrite only the shards that changed.
///
/// # Errors
/// As [`split`].
pub fn split_canonical(dir: &CompactDirectory, shards: u32) -> Result<Vec<Vec<u8>>> {
    split_with(dir, shards, true)
}

fn split_with(dir: &CompactDirectory, shards: u32, canonical: bool) -> Result<Vec<Vec<u8>>> {
    if shards == 0 || shards > MAX_SHARDS {
        return Err(Error::InputTooLarge { what: "shard count", limit: MAX_SHARDS as usize });
    }
    let keys = &dir.config().keys;
    let workforce = dir.config().workforce_group.as_deref();
    let workforce_group: Vec<_> = dir.groups().iter().filter(|g| Some(g.id.as_str()) == workforce).cloned().collect();
    // Route first (positions only), then build one shard at a time: memory stays near the snapshot's
    // size plus the largest shard, whatever the shard count.
    let mut routed: Vec<Vec<u32>> = vec![Vec::new(); shards as usize];
    for index in 0..dir.len() as u32 {
        let user = dir.user_at(index)?;
        for s in user_shards(keys, &user, shards) {
            if let Some(list) = routed.get_mut(s as usize) {
                list.push(index);
            }
        }
    }
    let mut meta = dir.meta().clone();
    if canonical {
        meta.synced_at_ms = 0;
    }
    let mut out = Vec::with_capacity(routed.len());
    for indexes in routed {
        let mut users = indexes.iter().map(|&i| Ok((i, dir.user_at(i)?))).collect::<Result<Vec<_>>>()?;
        if canonical {
            crate::sort::sort_by(&mut users, |a, b| a.1.id < b.1.id);
        }
        let mut builder = SnapshotBuilder::new(dir.config().clone(), meta.clone()).without_frequencies();
        let mut members = Vec::new();
        for (index, user) in users {
            match user.id.as_deref() {
                Some(id) => {
                    if !workforce_group.is_empty() && dir.in_workforce(index) {
                        members.push(id.to_string());
                    }
                    builder.upsert_user(user);
                }
                None => builder.append_user_without_id(&user),
            }
        }
        let lists = if workforce_group.is_empty() { Vec::new() } else { vec![members] };
        out.push(builder.finish(workforce_group.clone(), lists)?.0);
    }
    Ok(out)
}

/// Looks a hint up in the shards [`route_hint`] named: `login_shard` is the shard of `route.login`, `plain_shard`
/// that of `route.plain` (pass the same shard twice when the routes agree). Gives the full directory's answer.
///
/// # Errors
/// `USER_NOT_FOUND` or `AMBIGUOUS_LOGIN_HINT`, as [`CompactDirectory::lookup`] on the full directory.
pub fn lookup_routed<'a>(
    login_shard: Option<&'a CompactDirectory>,
    plain_shard: Option<&'a CompactDirectory>,
    hint: &str,
) -> Result<(&'a CompactDirectory, CompactHit<'a>)> {
    let shard = match (login_shard, plain_shard) {
        // Every holder of the hint's login key is in `a`: if one is there, the login tier decides,
        // and `a` has the whole tier. If none is, nobody holds it, and `b` has the whole plain pool.
        (Some(a), Some(b)) if !std::ptr::eq(a, b) => {
            if a.holds_login(hint) {
                a
            } else {
                b
            }
        }
        (Some(a), _) => a,
        (None, Some(b)) => b,
        (None, None) => return Err(Error::UserNotFound),
    };
    Ok((shard, shard.lookup(hint)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{encode, Directory, DirectoryConfig, SyncMeta};
    use crate::profile::DirectoryUser;
    use crate::records::Group;
    use crate::records::Membership;

    fn user(id: &str, login: &str, email: &str) -> DirectoryUser {
        DirectoryUser {
            id: Some(id.into()),
            login: Some(login.into()),
            email: Some(email.into()),
            ..DirectoryUser::default()
        }
    }

    #[test]
    fn ascii_hints_route_both_tiers_to_one_shard() {
        let keys = DirectoryConfig::default().keys;
        for hint in ["Anna@Example.com", " bob ", "x"] {
            let r = route_hint(&keys, hint, 97);
            assert_eq!(r.login, r.plain);
            assert_eq!(r.shards().len(), 1);
        }
        assert!(route_hint(&keys, "   ", 97).shards().is_empty());
        assert_eq!(route_hint(&[LookupKey::Email], "a@x", 97).login, None);
    }

    #[test]
    fn every_shard_lookup_equals_the_full_directory() {
        let users = vec![
            user("00u1", "anna@x.com", "anna@x.com"),
            user("00u2", "bob@x.com", "shared@x.com"),
            user("00u3", "carl@x.com", "shared@x.com"),
            // Login of one user is the email of another: the login tier wins.
            user("00u4", "dora@x.com", "bob@x.com"),
            user("00u5", "josé@x.es", "JOSÉ@x.es"),
        ];
        let groups = vec![Group { id: "00gW".into(), name: "W".into(), group_type: "OKTA_GROUP".into() }];
        let memberships = vec![Membership { group_id: "00gW".into(), user_id: "00u2".into() }];
        let config = DirectoryConfig { workforce_group: Some("00gW".into()), ..DirectoryConfig::default() };
        let owned = Directory::build(users, groups, &memberships, config, SyncMeta::default());
        let full = CompactDirectory::load(encode(&owned)).expect("loads");
        for shards in [1, 2, 3, 7, 64] {
            let parts: Vec<CompactDirectory> = split(&full, shards)
                .expect("split")
                .into_iter()
                .map(|b| CompactDirectory::load(b).expect("shard"))
                .collect();
            for hint in
                ["anna@x.com", "BOB@x.com", "shared@x.com", "josé@x.es", "jose@x.es", "JOSE\u{301}@X.ES", "no@x", ""]
            {
                let route = route_hint(&full.config().keys, hint, shards);
                let get = |s: Option<u32>| s.and_then(|s| parts.get(s as usize));
                let got = lookup_routed(get(route.login), get(route.plain), hint)
                    .and_then(|(d, h)| Ok((d.user_at(h.index)?, h.key.clone(), h.workforce)));
                let want = full.lookup(hint).and_then(|h| Ok((full.user_at(h.index)?, h.key.clone(), h.workforce)));
                assert_eq!(got, want, "{hint:?} with {shards} shards");
            }
        }
    }

    #[test]
    fn zero_shards_is_an_error() {
        assert!(split(&CompactDirectory::default(), 0).is_err());
    }
}
