//! The compact directory (a loaded snapshot kept encoded, with hash indexes) answers exactly as the
//! owning `Directory` does: same lookups, same errors, same groups both ways, same snapshots refused.

mod dirgen;

use okta_directory::directory::{
    decode, encode, CompactDirectory, Directory, DirectoryConfig, DirectoryDelta, LookupKey, SyncMeta,
};
use okta_directory::profile::{CustomScalar, CustomValue, DirectoryUser, UserStatus};
use okta_directory::sync::{Group, Membership};
use okta_directory::Error;

fn user(id: &str, login: &str, email: &str) -> DirectoryUser {
    DirectoryUser {
        id: Some(id.into()),
        status: Some(UserStatus::Active),
        login: Some(login.into()),
        email: Some(email.into()),
        ..DirectoryUser::default()
    }
}

fn config(keys: &[&str], workforce: Option<&str>) -> DirectoryConfig {
    DirectoryConfig {
        keys: keys.iter().filter_map(|k| LookupKey::parse(k)).collect(),
        workforce_group: workforce.map(str::to_string),
    }
}

/// (user, key name, workforce) of a lookup, from either form.
type Answer = Result<(DirectoryUser, String, bool), Error>;

fn owning(dir: &Directory, hint: &str) -> Answer {
    dir.lookup(hint).map(|h| (h.user.clone(), h.key.name().to_string(), h.workforce))
}

fn compact(dir: &CompactDirectory, hint: &str) -> Answer {
    let hit = dir.lookup(hint)?;
    Ok((dir.user_at(hit.index).expect("a found user decodes"), hit.key.name().to_string(), hit.workforce))
}

fn load(dir: &Directory) -> CompactDirectory {
    let c = CompactDirectory::from_snapshot(&encode(dir)).expect("a fresh snapshot loads");
    assert_eq!(c.len(), dir.len());
    assert_eq!(c.membership_count(), dir.membership_count());
    assert_eq!(c.to_directory().expect("decodes"), *dir);
    c
}

fn tricky() -> Directory {
    let mut ana = user("00u1", "ana.nunez@example.com", "ana@example.com");
    ana.employee_number = Some("000123".into());
    ana.second_email = Some("ana@home.example".into());
    let mut jose = user("00u2", "josé.núñez@example.es", "shared@example.com");
    jose.status = Some(UserStatus::Suspended);
    jose.custom.insert("badgeId".into(), CustomValue::Scalar(CustomScalar::Number(4711.0)));
    jose.custom.insert(
        "aliases".into(),
        CustomValue::List(vec![CustomScalar::String("Pepe".into()), CustomScalar::Boolean(true)]),
    );
    let bo = user("00u3", "bo@example.com", "shared@example.com");
    let dora = user("00u4", "dora@example.com", "ANA.NUNEZ@example.com");
    let eve = user("00u5", "eve@corp.example.com", "eve@example.com");
    let mut fay = user("00u6", "fay@example.com", "fay@example.com");
    fay.second_email = Some("eve@example.com".into());
    // The same value as email and secondEmail of one user counts once.
    let mut gil = user("00u7", "gil@example.com", "gil@home.example");
    gil.second_email = Some("GIL@home.example".into());
    let mut nameless = DirectoryUser { login: Some("  Ünïcode.Lögin@Example.COM ".into()), ..Default::default() };
    nameless.email = Some("ÜNÏCODE@example.com".into());
    let users = vec![ana, jose, bo, dora, eve, fay, gil, nameless];
    let groups: Vec<Group> = [("00gA", "Everyone"), ("00gW", "Workforce"), ("00gE", "Engineering")]
        .iter()
        .map(|(id, name)| Group { id: (*id).into(), name: (*name).into(), group_type: "OKTA_GROUP".into() })
        .collect();
    let m = |g: &str, u: &str| Membership { group_id: g.into(), user_id: u.into() };
    let mut ms: Vec<Membership> =
        ["00u1", "00u2", "00u3", "00u4", "00u5", "00u6"].iter().map(|u| m("00gA", u)).collect();
    ms.extend([m("00gW", "00u1"), m("00gW", "00u4"), m("00gE", "00u1"), m("00gE", "00u7")]);
    let keys = ["login", "email", "secondEmail", "employeeNumber", "badgeId", "aliases", "email"];
    Directory::build(users, groups, &ms, config(&keys, Some("00gW")), SyncMeta { origin: "o".into(), synced_at_ms: 9 })
}

const HINTS: &[&str] = &[
    "ana.nunez@example.com",
    "  ANA.Nunez@EXAMPLE.com\t",
    "ana@example.com",
    "Ana@Example.Com",
    "josé.núñez@example.es",
    "JOSE\u{301}.NU\u{303}N\u{303}EZ@EXAMPLE.ES",
    "jose.nunez@example.es",
    "ｊｏｓｅ.ｎｕｎｅｚ@example.es",
    "dora@example.com",
    "shared@example.com",
    "ána@example.com",
    "000123",
    "123",
    "4711",
    "4711.0",
    "pepe",
    "true",
    "eve@example.com",
    "EVE@corp.example.com",
    "gil@home.example",
    "unicode.login@example.com",
    "ÜNÏCODE.LÖGIN@EXAMPLE.COM",
    "ünïcode@example.com",
    "unicode@example.com",
    "nobody@example.com",
    "",
    "   ",
    "\u{430}na.nunez@example.com",
    "ana.nunez\u{200B}@example.com",
    // Non-ASCII hints against ASCII and non-ASCII stored values (normalized once, compared with the
    // forms kept at load).
    "ÜNÏCODE@EXAMPLE.COM",
    "U\u{308}NÏCODE@example.com",
    "ＡＮＡ@example.com",
    "ana@example.com\u{301}",
    "JOSÉ.NÚÑEZ@EXAMPLE.ES",
    "ΣHARED@example.com",
];

#[test]
fn answers_like_the_owning_directory_on_tricky_data() {
    for keys in [&["login", "email"][..], &["email"], &["login"], &["secondEmail", "login", "aliases", "badgeId"]] {
        let mut dir = tricky();
        let mut cfg = dir.config().clone();
        cfg.keys = keys.iter().filter_map(|k| LookupKey::parse(k)).collect();
        dir = Directory::build(
            dir.users().cloned().collect(),
            dir.groups().to_vec(),
            &dir.memberships().collect::<Vec<_>>(),
            cfg,
            dir.meta().clone(),
        );
        let c = load(&dir);
        for hint in HINTS {
            assert_eq!(compact(&c, hint), owning(&dir, hint), "keys {keys:?}, hint {hint:?}");
        }
    }
    let dir = tricky();
    let c = load(&dir);
    assert_eq!(c.config(), dir.config(), "duplicate keys dropped the same way");
    assert_eq!(compact(&c, "shared@example.com"), Err(Error::AmbiguousLoginHint { candidates: 2 }));
    assert_eq!(compact(&c, "gil@home.example").map(|a| a.1), Ok("email".to_string()));
    for id in ["00u1", "00u4", "00u7", "00u9", ""] {
        assert_eq!(c.user(id).as_ref(), dir.user(id), "{id}");
        assert_eq!(c.is_workforce(id), dir.is_workforce(id), "{id}");
        assert_eq!(c.groups_of(id), dir.groups_of(id), "{id}");
    }
    for g in ["00gA", "00gW", "00gE", "00gX"] {
        let owned = dir.members_of(g).map(|us| us.into_iter().cloned().collect::<Vec<_>>());
        assert_eq!(c.members_of(g), owned, "{g}");
    }
}

#[test]
fn answers_like_the_owning_directory_on_generated_data_and_after_deltas() {
    let (users, groups, ms) = dirgen::directory(21, 4000, 6, true);
    let cfg =
        config(&["login", "email", "secondEmail", "employeeNumber", "badgeId", "costCenter"], Some(&groups[1].id));
    let mut dir = Directory::build(users.clone(), groups, &ms, cfg, SyncMeta::default());
    let removed: Vec<String> = users.iter().skip(5).step_by(7).filter_map(|u| u.id.clone()).collect();
    dir.apply_delta(DirectoryDelta { remove_users: removed, ..DirectoryDelta::default() });
    let c = load(&dir);
    let mut hints: Vec<String> = Vec::new();
    for u in users.iter().take(1500) {
        hints.extend(u.login.iter().map(|l| l.to_uppercase()));
        hints.extend(u.email.iter().cloned());
        hints.extend(u.second_email.iter().cloned());
        hints.extend(u.employee_number.iter().cloned());
        hints.push(format!("{}", 100_000 + hints.len()));
    }
    hints.extend(["CC-4410".to_string(), "cc-4411".into(), "0000001".into(), "x@y.z".into()]);
    for hint in &hints {
        assert_eq!(compact(&c, hint), owning(&dir, hint), "hint {hint:?}");
    }
    for u in users.iter().take(300) {
        let id = u.id.as_deref().expect("generated users have ids");
        assert_eq!(c.groups_of(id), dir.groups_of(id));
        assert_eq!(c.is_workforce(id), dir.is_workforce(id));
    }
    let decoded: Vec<DirectoryUser> = c.users().collect::<Result<_, _>>().expect("every record decodes");
    assert!(decoded.iter().eq(dir.users()));
}

#[test]
fn a_value_shared_by_many_users_loads_fast_and_counts_every_user() {
    let users: Vec<DirectoryUser> =
        (0..50_000).map(|i| user(&format!("00u{i}"), &format!("u{i}@example.com"), "noreply@example.com")).collect();
    let dir = Directory::build(users, vec![], &[], DirectoryConfig::default(), SyncMeta::default());
    let bytes = encode(&dir);
    let start = std::time::Instant::now();
    let c = CompactDirectory::from_snapshot(&bytes).expect("loads");
    assert!(start.elapsed().as_secs() < 10, "quadratic load");
    assert_eq!(c.lookup("NOREPLY@example.com"), Err(Error::AmbiguousLoginHint { candidates: 50_000 }));
    assert_eq!(compact(&c, "u49999@example.com").map(|a| a.1), Ok("login".to_string()));
}

#[test]
fn refuses_exactly_what_decode_refuses() {
    let (u, g, m) = dirgen::directory(8, 50, 4, true);
    let dir = Directory::build(u, g, &m, config(&["login", "badgeId"], None), SyncMeta::default());
    let bytes = encode(&dir);
    for len in 0..bytes.len() {
        assert_eq!(CompactDirectory::from_snapshot(&bytes[..len]).err(), decode(&bytes[..len]).err(), "len {len}");
    }
    let mut rng = dirgen::Rng::new(3);
    for _ in 0..2000 {
        let mut damaged = bytes.clone();
        let at = 20 + rng.below(damaged.len() - 20);
        damaged[at] = rng.next() as u8;
        // Reseal so the payload parser, not the checksum, decides.
        let len = (damaged.len() - 20) as u64;
        damaged[8..16].copy_from_slice(&len.to_le_bytes());
        let mut covered = damaged[4..16].to_vec();
        covered.extend_from_slice(&damaged[20..]);
        let crc = okta_directory::directory::crc32c(&covered);
        damaged[16..20].copy_from_slice(&crc.to_le_bytes());
        let (c, d) = (CompactDirectory::from_snapshot(&damaged), decode(&damaged));
        match (&c, &d) {
            (Ok(c), Ok(d)) => assert_eq!(&c.to_directory().expect("decodes"), d),
            (Err(a), Err(b)) => assert!(
                matches!(a, Error::SnapshotCorrupt { .. } | Error::SnapshotVersionUnsupported { .. })
                    && a.code() == b.code(),
                "{a:?} vs {b:?}"
            ),
            _ => panic!("compact {:?} vs decode {:?}", c.err(), d.err()),
        }
    }
    let mut newer = bytes.clone();
    newer[4..6].copy_from_slice(&3u16.to_le_bytes());
    assert_eq!(
        CompactDirectory::from_snapshot(&newer).err(),
        Some(Error::SnapshotVersionUnsupported { found: 3, supported: 2 })
    );
}

#[test]
fn empty_directory() {
    let dir = Directory::build(vec![], vec![], &[], DirectoryConfig::default(), SyncMeta::default());
    let c = load(&dir);
    assert!(c.is_empty());
    assert_eq!(c.lookup("a@b.c"), Err(Error::UserNotFound));
    assert_eq!(c.user_at(0), Err(Error::UserNotFound));
}

#[test]
fn audits_like_the_owning_directory() {
    let (u, g, m) = dirgen::directory(31, 1500, 5, false);
    let group = g[2].id.clone();
    let mut dir = Directory::build(u, g, &m, DirectoryConfig::default(), SyncMeta::default());
    let gone: Vec<String> = dir.users().step_by(9).filter_map(|u| u.id.clone()).collect();
    dir.apply_delta(DirectoryDelta { remove_users: gone, ..DirectoryDelta::default() });
    let c = load(&dir);
    let policy = okta_directory::claims::Policy::default();
    for scope in [None, Some(group.as_str())] {
        let owned = okta_directory::readiness::audit(&dir, &policy, scope).expect("audits");
        assert_eq!(okta_directory::readiness::audit(&c, &policy, scope).expect("audits"), owned);
        assert!(owned.users > 0);
    }
    assert_eq!(okta_directory::readiness::audit(&c, &policy, Some("00gX")), Err(Error::GroupNotFound));
}

#[test]
fn user_json_is_the_serialized_user() {
    let (u, g, m) = dirgen::directory(41, 800, 4, true);
    let mut odd = DirectoryUser { status: None, ..u[0].clone() };
    odd.id = Some("00u\"odd\\\u{1F}".into());
    odd.login = Some("odd@example.com".into());
    odd.email = None;
    odd.name = Default::default();
    odd.last_updated = Some("2022-05-05T18:15:44Z".into());
    odd.custom.insert("empty".into(), CustomValue::List(vec![]));
    odd.custom.insert("n".into(), CustomValue::Scalar(CustomScalar::Number(-0.5e-7)));
    let bare = DirectoryUser::default();
    let mut users = u;
    users.extend([odd, bare]);
    for dir in [Directory::build(users, g, &m, DirectoryConfig::default(), SyncMeta::default()), tricky()] {
        let c = load(&dir);
        for (i, user) in dir.users().enumerate() {
            let mut out = Vec::new();
            c.write_user_json(i as u32, &mut out).expect("writes");
            let written: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
            assert_eq!(written, serde_json::to_value(user).expect("serializes"), "user {i}");
        }
    }
}
