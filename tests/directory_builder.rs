//! The snapshot builder: for the same users (in batches, with repeated ids), groups and memberships, its
//! bytes equal `encode` of the owning directory built the way the journaled sync used to build it.

mod dirgen;

use std::collections::BTreeMap;

use dirgen::Rng;
use okta_directory::directory::builder::ARENA_BLOCK;
use okta_directory::directory::{
    decode, encode, Directory, DirectoryConfig, DirectoryDelta, LookupKey, SnapshotBuilder, SnapshotCounts, SyncMeta,
};
use okta_directory::profile::{CustomScalar, CustomValue, DirectoryUser, UserStatus};
use okta_directory::sync::{Group, Membership};

/// One input: user batches (pages), groups and per-group member ids.
struct Input {
    config: DirectoryConfig,
    meta: SyncMeta,
    batches: Vec<Vec<DirectoryUser>>,
    groups: Vec<Group>,
    members: Vec<Vec<String>>,
}

/// The reference: an owning directory, users upserted page by page, then groups, then memberships.
fn reference(input: &Input) -> Directory {
    let mut dir = Directory::build(Vec::new(), Vec::new(), &[], input.config.clone(), input.meta.clone());
    for batch in &input.batches {
        dir.apply_delta(DirectoryDelta { upsert_users: batch.clone(), ..DirectoryDelta::default() });
    }
    dir.apply_delta(DirectoryDelta { upsert_groups: input.groups.clone(), ..DirectoryDelta::default() });
    for (g, ids) in input.groups.iter().zip(&input.members) {
        let add_memberships = ids.iter().map(|id| Membership { group_id: g.id.clone(), user_id: id.clone() }).collect();
        dir.apply_delta(DirectoryDelta { add_memberships, ..DirectoryDelta::default() });
    }
    dir
}

fn built(input: &Input) -> (Vec<u8>, SnapshotCounts) {
    let mut builder = SnapshotBuilder::new(input.config.clone(), input.meta.clone());
    for batch in &input.batches {
        for user in batch {
            builder.upsert_user(user.clone());
        }
    }
    builder.finish(input.groups.clone(), input.members.clone()).expect("finish")
}

/// Builder bytes == encode(reference); the bytes decode to the reference; the counts are its sizes.
fn check(input: &Input, label: &str) {
    let dir = reference(input);
    let (bytes, counts) = built(input);
    assert_eq!(bytes, encode(&dir), "{label}: bytes differ");
    assert_eq!(decode(&bytes).expect("decode"), dir, "{label}: decoded directory differs");
    let expected = SnapshotCounts { users: dir.len(), groups: dir.groups().len(), memberships: dir.membership_count() };
    assert_eq!(counts, expected, "{label}: counts");
}

const WORDS: &[&str] = &[
    "Ana",
    "ana",
    "José",
    "Zoë",
    "Ñandú",
    "Łódź",
    "東京",
    "山田 太郎",
    "Müller",
    "O'Brien",
    "🙂",
    "",
    " ",
    "a",
    "x@y",
    "İstanbul",
    "ß",
    "Straße",
    "Δημήτρης",
    "محمد",
    "\u{301}e",
    "US",
    "DE",
    "Engineering",
];

fn word(rng: &mut Rng) -> String {
    if rng.chance(70) {
        rng.pick(WORDS).to_string()
    } else {
        // A fresh string: mostly unique, so the table gets both repeated and one-off strings.
        let len = rng.below(12);
        (0..len).map(|_| char::from_u32(0x20 + rng.below(0x2FF) as u32).unwrap_or('?')).collect()
    }
}

fn maybe(rng: &mut Rng, percent: usize) -> Option<String> {
    rng.chance(percent).then(|| word(rng))
}

fn scalar(rng: &mut Rng) -> CustomScalar {
    const NUMBERS: [f64; 7] = [0.0, -0.0, 1.0, 0.1, -42.5, 1e300, 123_456_789.0];
    match rng.below(3) {
        0 => CustomScalar::String(word(rng)),
        1 => CustomScalar::Number(NUMBERS[rng.below(NUMBERS.len())]),
        _ => CustomScalar::Boolean(rng.chance(50)),
    }
}

fn last_updated(rng: &mut Rng) -> Option<String> {
    match rng.below(5) {
        0 => None,
        // Canonical: stored as milliseconds.
        1 | 2 => Some(format!(
            "20{:02}-0{}-1{}T0{}:1{}:2{}.{:03}Z",
            rng.below(30),
            1 + rng.below(9),
            rng.below(9),
            rng.below(9),
            rng.below(9),
            rng.below(9),
            rng.below(1000)
        )),
        // Non-canonical texts: kept as strings (and counted for the table).
        3 => Some(["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.6Z", "yesterday"][rng.below(3)].to_string()),
        _ => Some("2024-01-02T03:04:05+00:00".to_string()),
    }
}

fn user(rng: &mut Rng, id_pool: usize) -> DirectoryUser {
    let id = rng.chance(95).then(|| format!("00u{}", rng.below(id_pool)));
    let login = maybe(rng, 95);
    let email = match rng.below(4) {
        0 => None,
        1 => maybe(rng, 100),
        _ => login.clone(),
    };
    let second_email = match rng.below(3) {
        0 => None,
        1 => login.clone(),
        _ => maybe(rng, 100),
    };
    let status = rng.chance(90).then(|| UserStatus::ALL[rng.below(UserStatus::ALL.len())].0);
    let mut custom = BTreeMap::new();
    for _ in 0..rng.below(4) {
        let name = ["badgeId", "costCenter", "tags", "level", "länder", "x"][rng.below(6)].to_string();
        let value = if rng.chance(30) {
            CustomValue::List((0..rng.below(4)).map(|_| scalar(rng)).collect())
        } else {
            CustomValue::Scalar(scalar(rng))
        };
        custom.insert(name, value);
    }
    let mut u = DirectoryUser { id, status, login, email, second_email, custom, ..DirectoryUser::default() };
    let (n, a, p) = (&mut u.name, &mut u.address, &mut u.phones);
    let slots = [
        (&mut n.given, 80),
        (&mut n.middle, 20),
        (&mut n.family, 80),
        (&mut n.honorific_prefix, 10),
        (&mut n.honorific_suffix, 10),
        (&mut n.nickname, 10),
        (&mut n.display, 50),
        (&mut u.birthdate, 30),
        (&mut a.street_address, 30),
        (&mut a.locality, 50),
        (&mut a.region, 30),
        (&mut a.postal_code, 30),
        (&mut a.country, 60),
        (&mut p.mobile, 40),
        (&mut p.primary, 40),
        (&mut u.employee_number, 50),
    ];
    for (slot, percent) in slots {
        *slot = maybe(rng, percent);
    }
    u.last_updated = last_updated(rng);
    u
}

fn random_input(seed: u64) -> Input {
    let mut rng = Rng::new(seed);
    let id_pool = 1 + rng.below(80);
    let batches = (0..rng.below(6)).map(|_| (0..rng.below(40)).map(|_| user(&mut rng, id_pool)).collect()).collect();
    let group_pool = 1 + rng.below(8);
    let groups: Vec<Group> = (0..rng.below(10))
        .map(|_| Group {
            id: format!("00g{}", rng.below(group_pool)),
            name: word(&mut rng),
            group_type: ["OKTA_GROUP", "APP_GROUP", "BUILT_IN"][rng.below(3)].to_string(),
        })
        .collect();
    // Sometimes fewer member lists than groups (the rest have none).
    let lists = if rng.chance(20) { groups.len().saturating_sub(1) } else { groups.len() };
    let members =
        (0..lists)
            .map(|_| {
                (0..rng.below(30))
                    .map(|_| {
                        if rng.chance(85) {
                            format!("00u{}", rng.below(id_pool))
                        } else {
                            format!("00x{}", rng.below(9))
                        }
                    })
                    .collect()
            })
            .collect();
    let all_keys = [
        LookupKey::Login,
        LookupKey::Email,
        LookupKey::SecondEmail,
        LookupKey::EmployeeNumber,
        LookupKey::Custom("badgeId".into()),
    ];
    let keys = (0..rng.below(5)).map(|_| all_keys[rng.below(all_keys.len())].clone()).collect();
    let workforce_group = rng.chance(50).then(|| format!("00g{}", rng.below(group_pool)));
    Input {
        config: DirectoryConfig { keys, workforce_group },
        meta: SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: rng.next() >> 24 },
        batches,
        groups,
        members,
    }
}

#[test]
fn random_inputs_encode_like_the_owning_directory() {
    for seed in 1..=400 {
        check(&random_input(seed), &format!("seed {seed}"));
    }
}

#[test]
fn generated_directories_encode_like_the_owning_directory() {
    // dirgen: realistic names in many scripts, skewed groups, custom attributes of every type.
    for (seed, n) in [(11, 1), (12, 300), (13, 2000)] {
        let (users, groups, memberships) = dirgen::directory(seed, n, 7, true);
        let mut members = vec![Vec::new(); groups.len()];
        for m in &memberships {
            let g = groups.iter().position(|g| g.id == m.group_id).expect("group");
            members[g].push(m.user_id.clone());
        }
        let batches = users.chunks(200).map(<[DirectoryUser]>::to_vec).collect();
        let config = DirectoryConfig { workforce_group: Some(groups[0].id.clone()), ..DirectoryConfig::default() };
        let meta = SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1_764_000_000_000 };
        check(&Input { config, meta, batches, groups, members }, &format!("dirgen seed {seed}"));
    }
}

fn plain_user(id: &str, login: &str) -> DirectoryUser {
    DirectoryUser {
        id: Some(id.into()),
        login: Some(login.into()),
        email: Some(login.into()),
        status: Some(UserStatus::Active),
        ..DirectoryUser::default()
    }
}

fn input(batches: Vec<Vec<DirectoryUser>>, groups: Vec<Group>, members: Vec<Vec<String>>) -> Input {
    Input {
        config: DirectoryConfig::default(),
        meta: SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1 },
        batches,
        groups,
        members,
    }
}

fn group(id: &str, name: &str) -> Group {
    Group { id: id.into(), name: name.into(), group_type: "OKTA_GROUP".into() }
}

#[test]
fn no_users_no_groups() {
    check(&input(Vec::new(), Vec::new(), Vec::new()), "empty");
    let (bytes, counts) = built(&input(Vec::new(), Vec::new(), Vec::new()));
    assert_eq!(counts, SnapshotCounts::default());
    assert!(decode(&bytes).expect("decode").is_empty());
}

#[test]
fn groups_without_users() {
    let groups = vec![group("00g1", "All"), group("00g2", "All")];
    let members = vec![vec!["00u1".to_string()], Vec::new()];
    check(&input(Vec::new(), groups, members), "groups only");
}

#[test]
fn users_without_groups() {
    let users = vec![plain_user("00u1", "a@x.com"), plain_user("00u2", "b@x.com")];
    check(&input(vec![users], Vec::new(), Vec::new()), "users only");
}

#[test]
fn a_repeated_id_replaces_in_place_and_an_id_less_user_is_ignored() {
    let mut later = plain_user("00u1", "renamed@x.com");
    later.status = Some(UserStatus::Suspended);
    let no_id = DirectoryUser { login: Some("ghost@x.com".into()), ..DirectoryUser::default() };
    let batches = vec![vec![plain_user("00u1", "a@x.com"), plain_user("00u2", "b@x.com")], vec![no_id, later.clone()]];
    let groups = vec![group("00g1", "One"), group("00g2", "Two"), group("00g1", "One renamed")];
    // Repeated group: lists merge; unknown ids skipped; duplicates collapse.
    let members = vec![
        vec!["00u2".into(), "00u2".into(), "00u9".into()],
        vec!["00u1".into()],
        vec!["00u1".into(), "00u2".into()],
    ];
    let input = input(batches, groups, members);
    check(&input, "replace in place");
    let dir = decode(&built(&input).0).expect("decode");
    let users: Vec<_> = dir.users().collect();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0], &later, "the later copy, in the first position");
    assert_eq!(dir.groups().len(), 2);
    assert_eq!(dir.groups()[0].name, "One renamed");
    assert_eq!(dir.members_of("00g1").expect("group").len(), 2);
    assert_eq!(dir.membership_count(), 3);
}

#[test]
fn records_larger_than_a_block_and_across_blocks() {
    let mut big = plain_user("00u1", "big@x.com");
    big.custom.insert("blob".into(), CustomValue::Scalar(CustomScalar::String("ü".repeat(ARENA_BLOCK))));
    let mut users = vec![plain_user("00u0", "first@x.com"), big];
    // ~100 KB records: several per block, so some start a new block because the tail is too short.
    for n in 2..40 {
        let mut u = plain_user(&format!("00u{n}"), &format!("u{n}@x.com"));
        u.name.display = Some(format!("{n}").repeat(100_000 / 2));
        users.push(u);
    }
    // And the big one replaced by another big one, in place.
    let mut big2 = plain_user("00u1", "big@x.com");
    big2.custom.insert("blob".into(), CustomValue::Scalar(CustomScalar::String("é".repeat(ARENA_BLOCK))));
    let input = input(vec![users, vec![big2]], vec![group("00g1", "All")], vec![vec!["00u1".into(), "00u39".into()]]);
    check(&input, "large records");
    let mut builder = SnapshotBuilder::new(input.config.clone(), input.meta.clone());
    for u in input.batches.iter().flatten() {
        builder.upsert_user(u.clone());
    }
    assert_eq!(builder.len(), 40);
    // Two blocks of their own (2 MiB records) plus 1 MiB blocks for the rest: never one doubled buffer.
    assert!(builder.arena_bytes() >= 4 * ARENA_BLOCK + 4 * 1024 * 1024, "{}", builder.arena_bytes());
    assert!(builder.arena_bytes() < 12 * ARENA_BLOCK, "{}", builder.arena_bytes());
}

#[test]
fn a_non_finite_number_is_a_typed_error_not_a_snapshot() {
    // No JSON input yields one, but a caller-built user could: the builder refuses it as decode would.
    let mut u = plain_user("00u1", "a@x.com");
    u.custom.insert("n".into(), CustomValue::Scalar(CustomScalar::Number(f64::NAN)));
    let mut builder = SnapshotBuilder::new(DirectoryConfig::default(), SyncMeta::default());
    builder.upsert_user(u);
    let err = builder.finish(Vec::new(), Vec::new()).expect_err("refused");
    assert_eq!(err.code(), "SNAPSHOT_CORRUPT");
}
