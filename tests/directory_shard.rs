//! Sharded directories: every hint gets the same answer from its shard(s) as from the full directory,
//! on generated directories with ambiguous keys, Unicode logins and several key configurations.
//!
//! `cargo test --release --test directory_shard -- --ignored --nocapture` prints shard sizes at
//! 1,000,000 users (`SHARD_USERS` and `SHARD_USERS_PER_SHARD` override the scale).

#[path = "dirgen/mod.rs"]
mod dirgen;

use okta_directory::directory::shard::{lookup_routed, route_hint, split, user_shards};
use okta_directory::directory::{
    encode, CompactDirectory, CompactHit, Directory, DirectoryConfig, LookupKey, SyncMeta,
};
use okta_directory::profile::DirectoryUser;
use okta_directory::sync::Membership;
use okta_directory::Error;

fn compact(dir: &Directory) -> CompactDirectory {
    CompactDirectory::load(encode(dir)).expect("loads")
}

/// Shard snapshots, loaded.
fn shards_of(full: &CompactDirectory, shards: u32) -> Vec<CompactDirectory> {
    split(full, shards).expect("split").into_iter().map(|b| CompactDirectory::load(b).expect("shard loads")).collect()
}

/// The shards as the retired path wrote them: an owning `Directory` per shard (users in directory order, the
/// Workforce group and its memberships), encoded.
fn owned_shards(full: &Directory, shards: u32) -> Vec<Vec<u8>> {
    let keys = &full.config().keys;
    let workforce = full.config().workforce_group.as_deref();
    let group: Vec<_> = full.groups().iter().filter(|g| Some(g.id.as_str()) == workforce).cloned().collect();
    (0..shards)
        .map(|s| {
            let users: Vec<DirectoryUser> =
                full.users().filter(|u| user_shards(keys, u, shards).contains(&s)).cloned().collect();
            let memberships: Vec<Membership> = match group.first() {
                Some(g) => users
                    .iter()
                    .filter_map(|u| u.id.clone())
                    .filter(|id| full.is_workforce(id))
                    .map(|user_id| Membership { group_id: g.id.clone(), user_id })
                    .collect(),
                None => Vec::new(),
            };
            let dir = Directory::build(users, group.clone(), &memberships, full.config().clone(), full.meta().clone());
            without_frequency_table(encode(&dir))
        })
        .collect()
}

/// A snapshot as a shard is written: without the frequency table (a shard's users are not the
/// directory's), i.e. the owned encoding with an empty frequency block, length and checksum fixed.
fn without_frequency_table(mut bytes: Vec<u8>) -> Vec<u8> {
    let table =
        okta_directory::directory::frequencies_of(&bytes).expect("reads").map(|t| t.to_bytes()).unwrap_or_default();
    let mut block_len = table.len() + 1;
    let mut n = table.len() >> 7;
    while n > 0 {
        block_len += 1;
        n >>= 7;
    }
    bytes.truncate(bytes.len() - block_len);
    bytes.push(0);
    let len = (bytes.len() - 20) as u64;
    bytes[8..16].copy_from_slice(&len.to_le_bytes());
    let mut covered = bytes[4..16].to_vec();
    covered.extend_from_slice(&bytes[20..]);
    let crc = okta_directory::directory::crc32c(&covered);
    bytes[16..20].copy_from_slice(&crc.to_le_bytes());
    assert_eq!(okta_directory::directory::frequencies_of(&bytes).expect("still reads"), None);
    bytes
}

fn meta() -> SyncMeta {
    SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1_764_000_000_000 }
}

/// A generated directory with collisions added: shared mailboxes, logins reused as other users' emails,
/// and secondary emails equal to someone's primary one.
fn colliding(n: usize, keys: Vec<LookupKey>) -> (Directory, Vec<String>) {
    let (mut users, groups, memberships) = dirgen::directory(5, n, 12, true);
    let mut rng = dirgen::Rng::new(99);
    let logins: Vec<String> = users.iter().filter_map(|u| u.login.clone()).collect();
    for (i, u) in users.iter_mut().enumerate() {
        match rng.below(10) {
            0 => u.email = Some(format!("Shared{}@Corp.example", rng.below(15))),
            1 => u.email = logins.get(rng.below(logins.len())).map(|l| l.to_uppercase()),
            2 => u.second_email = logins.get((i * 7) % logins.len().max(1)).cloned(),
            _ => {}
        }
    }
    let workforce = groups.get(1).map(|g| g.id.clone());
    let config = DirectoryConfig { keys, workforce_group: workforce };
    let mut hints = Vec::new();
    for u in &users {
        for v in [&u.login, &u.email, &u.second_email, &u.employee_number].into_iter().flatten() {
            hints.push(v.clone());
            hints.push(format!("  {}  ", v.to_uppercase()));
            hints.push(v.to_lowercase());
        }
    }
    hints.extend(
        ["nobody@nowhere.example", "", "   ", "shared3@corp.example", "SHARED7@CORP.EXAMPLE"].map(String::from),
    );
    let dir = Directory::build(users, groups, &memberships, config, meta());
    (dir, hints)
}

/// The routed shard answer equals the whole compact directory's, and the owning directory's.
fn same_answer(owned: &Directory, full: &CompactDirectory, parts: &[CompactDirectory], shards: u32, hint: &str) {
    let route = route_hint(&full.config().keys, hint, shards);
    let get = |s: Option<u32>| s.and_then(|s| parts.get(s as usize));
    let got = lookup_routed(get(route.login), get(route.plain), hint)
        .and_then(|(d, h)| Ok((d.user_at(h.index)?, h.key.clone(), h.workforce)));
    let want = full.lookup(hint).and_then(|h| Ok((full.user_at(h.index)?, h.key.clone(), h.workforce)));
    let oracle = owned.lookup(hint).map(|h| (h.user.clone(), h.key.clone(), h.workforce));
    assert_eq!(got, want, "{shards} shards: {hint:?}");
    assert_eq!(want, oracle, "{shards} shards: {hint:?}");
}

#[test]
fn shard_lookups_equal_full_directory_lookups() {
    let configs = [
        DirectoryConfig::default().keys,
        vec![LookupKey::Login, LookupKey::Email, LookupKey::SecondEmail, LookupKey::EmployeeNumber],
        vec![LookupKey::Email, LookupKey::SecondEmail],
        vec![LookupKey::Login],
    ];
    for keys in configs {
        let (owned, hints) = colliding(1500, keys);
        let full = compact(&owned);
        let ambiguous =
            hints.iter().filter(|h| matches!(full.lookup(h), Err(Error::AmbiguousLoginHint { .. }))).count();
        assert!(ambiguous > 0 || full.config().keys == [LookupKey::Login], "the data has ambiguous hints");
        for shards in [1, 2, 9, 64, 1000] {
            let parts = shards_of(&full, shards);
            assert_eq!(parts.len(), shards as usize);
            if shards <= 64 {
                assert!(split(&full, shards).expect("split") == owned_shards(&owned, shards), "shard bytes unchanged");
            }
            for hint in &hints {
                same_answer(&owned, &full, &parts, shards, hint);
            }
        }
    }
}

#[test]
fn unicode_hints_reach_their_users() {
    let users: Vec<DirectoryUser> = [
        ("00u1", "josé.garcía@corp.example", "JOSÉ@corp.example"),
        ("00u2", "łukasz@corp.example", "lukasz@corp.example"),
        ("00u3", "straße@corp.example", "strasse@corp.example"),
        ("00u4", "ｊｏｈｎ@corp.example", "john.fullwidth@corp.example"),
        ("00u5", "\u{430}nna@corp.example", "anna@corp.example"),
        ("00u6", "İlker@corp.example", "ilker@corp.example"),
    ]
    .iter()
    .map(|(id, login, email)| DirectoryUser {
        id: Some((*id).into()),
        login: Some((*login).into()),
        email: Some((*email).into()),
        ..DirectoryUser::default()
    })
    .collect();
    let owned = Directory::build(users, vec![], &[], DirectoryConfig::default(), meta());
    let full = compact(&owned);
    let hints = [
        "JOSE\u{301}.GARCI\u{301}A@corp.example",
        "jose.garcia@corp.example",
        "josé@corp.example",
        "jose@corp.example",
        "LUKASZ@corp.example",
        "STRASSE@corp.example",
        "john@corp.example",
        "anna@corp.example",
        "\u{410}NNA@corp.example",
        "ilker@corp.example",
        "i\u{307}lker@corp.example",
    ];
    for shards in [1, 3, 17, 257] {
        let parts = shards_of(&full, shards);
        for hint in hints {
            same_answer(&owned, &full, &parts, shards, hint);
        }
    }
}

#[test]
fn two_shard_routes_use_the_login_shard_only_when_it_holds_the_login() {
    let u = |id: &str, login: &str, email: &str| DirectoryUser {
        id: Some(id.into()),
        login: Some(login.into()),
        email: Some(email.into()),
        ..DirectoryUser::default()
    };
    let config = DirectoryConfig::default();
    let login_shard =
        compact(&Directory::build(vec![u("00u1", "x@corp", "a@corp")], vec![], &[], config.clone(), meta()));
    let plain_shard = compact(&Directory::build(
        vec![u("00u2", "b@corp", "x@corp"), u("00u3", "c@corp", "y@corp")],
        vec![],
        &[],
        config,
        meta(),
    ));
    let id = |(d, h): (&CompactDirectory, CompactHit<'_>)| d.user_at(h.index).expect("decodes").id;
    // "x@corp" is a login in the login shard: that wins over the email in the plain shard.
    let hit = lookup_routed(Some(&login_shard), Some(&plain_shard), "X@corp").map(&id);
    assert_eq!(hit, Ok(Some("00u1".to_string())));
    // "y@corp" is nobody's login: the plain shard answers.
    let hit = lookup_routed(Some(&login_shard), Some(&plain_shard), "y@corp").map(id);
    assert_eq!(hit, Ok(Some("00u3".to_string())));
    assert_eq!(lookup_routed(None, None, "y@corp").err(), Some(Error::UserNotFound));
}

#[test]
fn users_without_keys_are_in_no_shard_and_split_refuses_bad_counts() {
    let keys = DirectoryConfig::default().keys;
    assert!(user_shards(&keys, &DirectoryUser::default(), 8).is_empty());
    let full =
        compact(&Directory::build(vec![DirectoryUser::default()], vec![], &[], DirectoryConfig::default(), meta()));
    assert!(shards_of(&full, 4).iter().all(CompactDirectory::is_empty));
    assert!(matches!(split(&full, 0), Err(Error::InputTooLarge { .. })));
    assert!(matches!(split(&full, u32::MAX), Err(Error::InputTooLarge { .. })));
}

/// Shard sizes at scale (a measurement, not a timing: run it in release, see BENCHMARKS.md).
#[test]
#[ignore = "a measurement at 1M users; run explicitly"]
fn shard_sizes_at_scale() {
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let n = env("SHARD_USERS", 1_000_000);
    let per_shard = env("SHARD_USERS_PER_SHARD", 128);
    let (users, groups, memberships) = dirgen::directory(1, n, 20, false);
    let workforce = groups.get(1).map(|g| g.id.clone());
    let dir = Directory::build(
        users,
        groups,
        &memberships,
        DirectoryConfig { workforce_group: workforce, ..DirectoryConfig::default() },
        meta(),
    );
    let bytes = encode(&dir);
    let full = bytes.len();
    let dir = CompactDirectory::load(bytes).expect("loads");
    for shards in [u32::try_from(n.div_ceil(per_shard)).expect("shard count"), 450] {
        let parts = split(&dir, shards).expect("split");
        let mut sizes: Vec<usize> = parts.iter().map(Vec::len).collect();
        let placed: usize = parts.iter().map(|p| CompactDirectory::from_snapshot(p).map_or(0, |d| d.len())).sum();
        sizes.sort_unstable();
        let total: usize = sizes.iter().sum();
        let pct = |q: f64| sizes.get(((sizes.len() - 1) as f64 * q) as usize).copied().unwrap_or(0);
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "{n} users, {shards} shards: shard bytes median {} / p99 {} / max {}; total {total} ({:.2}x the {full}-byte snapshot); \
                 users per shard {:.1} (a user sits in {:.3} shards on average)",
                pct(0.5),
                pct(0.99),
                pct(1.0),
                total as f64 / full as f64,
                placed as f64 / f64::from(shards),
                placed as f64 / n as f64,
            );
        }
        assert!(pct(1.0) < 4 * pct(0.5).max(1), "shards are balanced");
    }
}
