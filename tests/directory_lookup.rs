//! loginHint lookups: keys, normalization, the login-first rule, ambiguity, statuses, groups both ways,
//! deltas.

mod dirgen;

use okta_directory::directory::{Directory, DirectoryConfig, DirectoryDelta, LookupKey, SyncMeta};
use okta_directory::profile::{CustomScalar, CustomValue, DirectoryUser, UserStatus};
use okta_directory::sync::{Group, Membership};
use okta_directory::Error;

fn user(id: &str, login: &str, email: &str, status: UserStatus) -> DirectoryUser {
    DirectoryUser {
        id: Some(id.into()),
        status: Some(status),
        login: Some(login.into()),
        email: Some(email.into()),
        ..DirectoryUser::default()
    }
}

fn group(id: &str, name: &str) -> Group {
    Group { id: id.into(), name: name.into(), group_type: "OKTA_GROUP".into() }
}

fn member(g: &str, u: &str) -> Membership {
    Membership { group_id: g.into(), user_id: u.into() }
}

fn sample(config: DirectoryConfig) -> Directory {
    let mut ana = user("00u1", "ana.nunez@example.com", "ana@example.com", UserStatus::Active);
    ana.employee_number = Some("000123".into());
    ana.second_email = Some("ana@home.example".into());
    let mut jose = user("00u2", "josé.núñez@example.es", "shared@example.com", UserStatus::Suspended);
    jose.custom.insert("badgeId".into(), CustomValue::Scalar(CustomScalar::Number(4711.0)));
    jose.custom.insert("aliases".into(), CustomValue::List(vec![CustomScalar::String("Pepe".into())]));
    let bo = user("00u3", "bo@example.com", "shared@example.com", UserStatus::Deprovisioned);
    // Dora's email is Ana's login: the login tier must win for that hint.
    let dora = user("00u4", "dora@example.com", "ANA.NUNEZ@example.com", UserStatus::Active);
    let eve = user("00u5", "eve@corp.example.com", "eve@example.com", UserStatus::Active);
    let mut fay = user("00u6", "fay@example.com", "fay@example.com", UserStatus::Active);
    fay.second_email = Some("eve@example.com".into());
    let users = vec![ana, jose, bo, dora, eve, fay];
    let groups = vec![group("00gA", "Everyone"), group("00gW", "Workforce"), group("00gE", "Engineering")];
    let mut ms: Vec<Membership> =
        ["00u1", "00u2", "00u3", "00u4", "00u5", "00u6"].iter().map(|u| member("00gA", u)).collect();
    ms.extend([member("00gW", "00u1"), member("00gW", "00u4"), member("00gE", "00u1"), member("00gE", "00u9")]);
    Directory::build(users, groups, &ms, config, SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1 })
}

fn default_config() -> DirectoryConfig {
    DirectoryConfig { workforce_group: Some("00gW".into()), ..DirectoryConfig::default() }
}

fn configured(keys: &[&str]) -> DirectoryConfig {
    DirectoryConfig {
        keys: keys.iter().filter_map(|k| LookupKey::parse(k)).collect(),
        workforce_group: Some("00gW".into()),
    }
}

/// (user id, key name) of a lookup.
type Found = Result<(String, String), Error>;

fn found(dir: &Directory, hint: &str) -> Found {
    dir.lookup(hint).map(|h| (h.user.id.clone().unwrap_or_default(), h.key.name().to_string()))
}

#[test]
fn lookup_table() {
    let dir = sample(default_config());
    let ok = |id: &str, key: &str| Ok((id.to_string(), key.to_string()));
    let cases: &[(&str, Found)] = &[
        ("ana.nunez@example.com", ok("00u1", "login")),
        ("  ANA.Nunez@EXAMPLE.com\t", ok("00u1", "login")),
        ("ana@example.com", ok("00u1", "email")),
        ("Ana@Example.Com", ok("00u1", "email")),
        // Login is case- and diacritic-insensitive, NFC or NFD, full-width or not.
        ("josé.núñez@example.es", ok("00u2", "login")),
        ("JOSE\u{301}.NU\u{303}N\u{303}EZ@EXAMPLE.ES", ok("00u2", "login")),
        ("jose.nunez@example.es", ok("00u2", "login")),
        ("ｊｏｓｅ.ｎｕｎｅｚ@example.es", ok("00u2", "login")),
        // A login beats another user's email…
        ("dora@example.com", ok("00u4", "login")),
        // …and this hint is Ana's login and Dora's email: login wins, no ambiguity.
        ("ana.nunez@example.com", ok("00u1", "login")),
        // Emails are not unique: two users share one → refused with the count.
        ("shared@example.com", Err(Error::AmbiguousLoginHint { candidates: 2 })),
        // Emails keep their diacritics (they are not unique, so folding could reach the wrong person).
        ("ána@example.com", Err(Error::UserNotFound)),
        // employeeNumber is not a default key.
        ("000123", Err(Error::UserNotFound)),
        ("nobody@example.com", Err(Error::UserNotFound)),
        ("", Err(Error::UserNotFound)),
        ("   ", Err(Error::UserNotFound)),
        // A Cyrillic homoglyph or an invisible character never reaches the genuine login.
        ("\u{430}na.nunez@example.com", Err(Error::UserNotFound)),
        ("ana.nunez\u{200B}@example.com", Err(Error::UserNotFound)),
    ];
    for (hint, expected) in cases {
        assert_eq!(&found(&dir, hint), expected, "hint {hint:?}");
    }
}

#[test]
fn configured_keys_are_pooled_and_never_pick_silently() {
    let dir = sample(configured(&["login", "email", "secondEmail", "employeeNumber", "badgeId", "aliases"]));
    assert_eq!(found(&dir, "000123").unwrap(), ("00u1".into(), "employeeNumber".into()));
    assert_eq!(found(&dir, "123"), Err(Error::UserNotFound), "leading zeros count");
    assert_eq!(found(&dir, "ana@home.example").unwrap(), ("00u1".into(), "secondEmail".into()));
    assert_eq!(found(&dir, "4711").unwrap(), ("00u2".into(), "badgeId".into()));
    assert_eq!(found(&dir, "pepe").unwrap(), ("00u2".into(), "aliases".into()));
    // Eve's email is Fay's secondEmail: the pool refuses instead of preferring the email.
    assert_eq!(found(&dir, "eve@example.com"), Err(Error::AmbiguousLoginHint { candidates: 2 }));
    // …but Eve's login still finds her.
    assert_eq!(found(&dir, "EVE@corp.example.com").unwrap(), ("00u5".into(), "login".into()));
    let only_login = sample(configured(&["login"]));
    assert_eq!(found(&only_login, "ana@example.com"), Err(Error::UserNotFound));
    let no_login = sample(configured(&["email"]));
    assert_eq!(found(&no_login, "dora@example.com"), Err(Error::UserNotFound));
    assert_eq!(found(&no_login, "ana.nunez@example.com").unwrap(), ("00u4".into(), "email".into()));
}

#[test]
fn inactive_users_come_back_with_their_status_and_workforce_is_marked() {
    let dir = sample(default_config());
    let jose = dir.lookup("jose.nunez@example.es").unwrap();
    assert_eq!(jose.user.status, Some(UserStatus::Suspended));
    assert!(!jose.workforce);
    let bo = dir.lookup("bo@example.com").unwrap();
    assert_eq!(bo.user.status, Some(UserStatus::Deprovisioned));
    assert!(dir.lookup("ana@example.com").unwrap().workforce);
    assert!(dir.is_workforce("00u4"));
    assert!(!dir.is_workforce("00u9"));
}

#[test]
fn groups_both_ways() {
    let dir = sample(default_config());
    let names = |gs: Vec<&Group>| gs.iter().map(|g| g.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(dir.groups_of("00u1").unwrap()), ["Everyone", "Workforce", "Engineering"]);
    assert_eq!(names(dir.groups_of("00u3").unwrap()), ["Everyone"]);
    assert_eq!(dir.groups_of("00u9"), Err(Error::UserNotFound));
    let ids = |us: Vec<&DirectoryUser>| us.iter().filter_map(|u| u.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(dir.members_of("00gW").unwrap()), ["00u1", "00u4"]);
    assert_eq!(ids(dir.members_of("00gE").unwrap()), ["00u1"]);
    assert_eq!(dir.members_of("00gX"), Err(Error::GroupNotFound));
    assert_eq!(dir.dangling_memberships(), 1, "00u9 is not a user");
    assert_eq!(dir.membership_count(), 9);
}

#[test]
fn errors_never_carry_the_hint() {
    let dir = sample(default_config());
    for hint in ["shared@example.com", "nobody@example.com"] {
        let msg = dir.lookup(hint).unwrap_err().to_string();
        assert!(!msg.contains('@') && !msg.contains("shared") && !msg.contains("nobody"), "{msg}");
    }
}

#[test]
fn deltas_upsert_remove_and_relink() {
    let mut dir = sample(default_config());
    let mut ana = dir.user("00u1").unwrap().clone();
    ana.login = Some("ana.n@example.com".into());
    let delta = DirectoryDelta {
        upsert_users: vec![
            ana,
            user("00u7", "gus@example.com", "gus@example.com", UserStatus::Staged),
            DirectoryUser::default(),
        ],
        remove_users: vec!["00u3".into(), "00u404".into()],
        upsert_groups: vec![group("00gE", "Engineering (renamed)")],
        add_memberships: vec![member("00gE", "00u7"), member("00gE", "00u404")],
        remove_memberships: vec![member("00gW", "00u4"), member("00gW", "00u2")],
    };
    let stats = dir.apply_delta(delta);
    assert_eq!((stats.users_upserted, stats.users_ignored, stats.users_removed), (2, 1, 1));
    assert_eq!((stats.memberships_added, stats.memberships_removed, stats.memberships_skipped), (1, 1, 2));
    assert_eq!(found(&dir, "ana.nunez@example.com").unwrap().0, "00u4", "old login gone; Dora's email remains");
    assert_eq!(found(&dir, "ana.n@example.com").unwrap().0, "00u1");
    assert_eq!(found(&dir, "bo@example.com"), Err(Error::UserNotFound));
    assert_eq!(found(&dir, "shared@example.com").unwrap().0, "00u2", "no longer ambiguous");
    assert_eq!(found(&dir, "gus@example.com").unwrap().0, "00u7");
    assert_eq!(dir.len(), 6);
    assert!(!dir.is_workforce("00u4"));
    let members: Vec<_> = dir.members_of("00gE").unwrap().iter().filter_map(|u| u.id.clone()).collect();
    assert_eq!(members, ["00u1", "00u7"]);
    assert_eq!(dir.groups_of("00u7").unwrap()[0].name, "Engineering (renamed)");
    assert!(dir.members_of("00gA").unwrap().iter().all(|u| u.id.as_deref() != Some("00u3")));
    // Equal to a directory built directly from the resulting state.
    let rebuilt = Directory::build(
        dir.users().cloned().collect(),
        dir.groups().to_vec(),
        &dir.memberships().collect::<Vec<_>>(),
        dir.config().clone(),
        dir.meta().clone(),
    );
    assert_eq!(rebuilt, dir);
}

#[test]
fn generated_directory_every_login_and_employee_number_finds_its_user() {
    let (users, groups, ms) = dirgen::directory(11, 3000, 6, true);
    let dir =
        Directory::build(users.clone(), groups, &ms, configured(&["login", "employeeNumber"]), SyncMeta::default());
    assert_eq!(dir.len(), 3000);
    for u in &users {
        let login = u.login.as_deref().unwrap();
        assert_eq!(dir.lookup(&login.to_uppercase()).unwrap().user.id, u.id, "{login}");
        assert_eq!(dir.lookup(u.employee_number.as_deref().unwrap()).unwrap().user.id, u.id);
    }
}

#[test]
fn a_value_shared_by_many_users_builds_fast_and_is_ambiguous() {
    let users: Vec<DirectoryUser> = (0..50_000)
        .map(|i| user(&format!("00u{i}"), &format!("u{i}@example.com"), "noreply@example.com", UserStatus::Active))
        .collect();
    let start = std::time::Instant::now();
    let mut dir = Directory::build(users, vec![], &[], default_config(), SyncMeta::default());
    assert!(start.elapsed().as_secs() < 10, "quadratic build");
    assert_eq!(found(&dir, "noreply@example.com"), Err(Error::AmbiguousLoginHint { candidates: 50_000 }));
    let remove: Vec<String> = (1..50_000).map(|i| format!("00u{i}")).collect();
    dir.apply_delta(DirectoryDelta { remove_users: remove, ..DirectoryDelta::default() });
    assert_eq!(found(&dir, "noreply@example.com").unwrap(), ("00u0".into(), "email".into()));
}

#[test]
fn a_delta_read_from_json_applies_like_the_delta_and_bad_json_is_typed_without_values() {
    let mut dir = sample(default_config());
    let text = r#"{"upsertUsers":[{"id":"00u7","status":"ACTIVE","login":"gus@example.com","email":"gus@example.com",
                                   "name":{},"address":{},"phones":{},"custom":{}}],
                   "removeUsers":["00u3"],"addMemberships":[{"groupId":"00gE","userId":"00u7"}],
                   "removeMemberships":[{"groupId":"00gW","userId":"00u4"}]}"#;
    let stats = dir.apply_delta(DirectoryDelta::from_json(text).expect("a delta"));
    assert_eq!(
        (stats.users_upserted, stats.users_removed, stats.memberships_added, stats.memberships_removed),
        (1, 1, 1, 1)
    );
    assert_eq!(found(&dir, "gus@example.com").unwrap().0, "00u7");
    assert!(!dir.is_workforce("00u4"));
    let e = DirectoryDelta::from_json(r#"{"upsertUsers":"secret@example.com"}"#).expect_err("not a delta");
    assert_eq!(e.code(), "CONVERSION_FAILED");
    assert!(!e.to_string().contains("secret@example.com"));
}
