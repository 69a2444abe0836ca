//! A delta applied to a snapshot in its encoded form (`SnapshotView::apply`, what the SDK, the Event Hook
//! applier and the Worker use) gives the same bytes and counts as the owning path it replaced (decode →
//! `Directory::apply_delta` → rebuild → `encode`), on generated directories with adds, updates, deletes,
//! group changes and the edge cases (repeated ids, unknown ids, users without id, groups dropped).

mod dirgen;

use dirgen::Rng;
use okta_directory::directory::patch::apply_delta_json;
use okta_directory::directory::{
    decode, encode, Directory, DirectoryConfig, DirectoryDelta, LookupKey, SnapshotView, SyncMeta,
};
use okta_directory::profile::DirectoryUser;
use okta_directory::records::{Group, Membership};
use okta_directory::sync::{
    apply_outcome, apply_outcome_json, apply_outcome_to_directory, MembershipChange, SyncChanges, SyncMode, SyncOutcome,
};

/// A generated directory's snapshot (with one user without an id in the middle) and its users and groups.
fn snapshot(seed: u64, users: usize, custom: bool) -> (Vec<u8>, Vec<DirectoryUser>, Vec<Group>) {
    let (mut list, groups, memberships) = dirgen::directory(seed, users, 7, custom);
    if list.len() > 2 {
        let mut anonymous = list[1].clone();
        anonymous.id = None;
        anonymous.login = Some(format!("anonymous-{seed}@example.com"));
        list.insert(2, anonymous);
    }
    let config = DirectoryConfig {
        keys: vec![LookupKey::Login, LookupKey::Email, LookupKey::Login, LookupKey::Custom("costCenter".into())],
        workforce_group: groups.get(1).map(|g| g.id.clone()),
    };
    let meta = SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1_700_000_000_000 };
    let dir = Directory::build(list.clone(), groups.clone(), &memberships, config, meta);
    (encode(&dir), list, groups)
}

fn id(u: &DirectoryUser) -> String {
    u.id.clone().unwrap_or_default()
}

/// A delta with every kind of change, some of them repeated or naming unknown users and groups.
fn delta(rng: &mut Rng, users: &[DirectoryUser], groups: &[Group], fresh: usize) -> DirectoryDelta {
    let named: Vec<&DirectoryUser> = users.iter().filter(|u| u.id.is_some()).collect();
    let mut d = DirectoryDelta::default();
    let pick = |rng: &mut Rng| named.get(rng.below(named.len().max(1))).copied();
    for _ in 0..fresh {
        // An update: another generated profile under an existing id.
        if let Some(old) = pick(rng) {
            let n = 900_000 + rng.below(1000);
            let mut changed = dirgen::user(rng, n, true);
            changed.id = old.id.clone();
            d.upsert_users.push(changed);
        }
    }
    let added: Vec<DirectoryUser> = (0..fresh).map(|i| dirgen::user(rng, 500_000 + i, i % 2 == 0)).collect();
    d.upsert_users.extend(added.iter().cloned());
    if let Some(first) = added.first() {
        // A new user upserted twice: the second replaces the first in its place.
        let mut again = dirgen::user(rng, 700_000, false);
        again.id = first.id.clone();
        d.upsert_users.push(again);
    }
    let mut nameless = dirgen::user(rng, 800_000, false);
    nameless.id = None;
    d.upsert_users.push(nameless);

    d.upsert_groups.push(Group { id: "00gNEWGROUP".into(), name: "New".into(), group_type: "OKTA_GROUP".into() });
    if let Some(g) = groups.get(2) {
        d.upsert_groups.push(Group {
            id: g.id.clone(),
            name: format!("{} renamed", g.name),
            group_type: g.group_type.clone(),
        });
    }
    let group_ids: Vec<String> =
        groups.iter().map(|g| g.id.clone()).chain(["00gNEWGROUP".into(), "00gUNKNOWN".into()]).collect();
    let user_ids: Vec<String> =
        named.iter().map(|u| id(u)).chain(added.iter().map(id)).chain(["00uUNKNOWN".to_string()]).collect();
    for _ in 0..3 * fresh + 2 {
        let m = Membership {
            group_id: group_ids[rng.below(group_ids.len())].clone(),
            user_id: user_ids[rng.below(user_ids.len())].clone(),
        };
        if rng.chance(60) {
            d.add_memberships.push(m);
        } else {
            d.remove_memberships.push(m);
        }
    }
    for _ in 0..fresh {
        if let Some(u) = pick(rng) {
            d.remove_users.push(id(u));
            // Removed twice: counted once.
            if rng.chance(30) {
                d.remove_users.push(id(u));
            }
        }
    }
    if let Some(last) = added.last() {
        // Added and removed by the same delta.
        d.remove_users.push(id(last));
    }
    d.remove_users.push("00uUNKNOWN".into());
    d
}

/// The owning path the snapshot path replaced.
fn owned_delta(snapshot: &[u8], delta: &DirectoryDelta) -> (Vec<u8>, okta_directory::directory::DeltaStats) {
    let mut dir = decode(snapshot).expect("decodes");
    let stats = dir.apply_delta(delta.clone());
    (encode(&dir), stats)
}

#[test]
fn deltas_give_the_bytes_and_counts_of_the_owning_path() {
    for (seed, users, custom, fresh) in [(1, 300, true, 12), (2, 2000, false, 40), (3, 1, true, 2), (4, 0, false, 3)] {
        let (snap, list, groups) = snapshot(seed, users, custom);
        let mut rng = Rng::new(seed * 31 + 7);
        for round in 0..4 {
            let d = delta(&mut rng, &list, &groups, fresh + round);
            let json = serde_json::to_string(&d).expect("serializes");
            let patched = apply_delta_json(&snap, &json).expect("applies");
            let (want, stats) = owned_delta(&snap, &d);
            assert!(patched.snapshot == want, "seed {seed} round {round}: bytes differ");
            assert_eq!(patched.stats, stats, "seed {seed} round {round}");
            let dir = decode(&patched.snapshot).expect("decodes");
            assert_eq!(
                (patched.counts.users, patched.counts.groups, patched.counts.memberships),
                (dir.len(), dir.groups().len(), dir.membership_count())
            );
        }
    }
}

#[test]
fn an_empty_delta_rewrites_the_same_snapshot() {
    let (snap, _, _) = snapshot(5, 500, true);
    let patched = SnapshotView::open(&snap).expect("opens").apply(&DirectoryDelta::default(), Default::default());
    let (want, _) = owned_delta(&snap, &DirectoryDelta::default());
    assert!(patched.expect("applies").snapshot == want);
}

/// Sync results of every shape: incremental from the System Log, incremental without it, full, group-scoped.
fn outcomes(rng: &mut Rng, users: &[DirectoryUser], groups: &[Group]) -> Vec<SyncOutcome> {
    let named: Vec<&DirectoryUser> = users.iter().filter(|u| u.id.is_some()).collect();
    let d = delta(rng, users, groups, 8);
    let mut listed: Vec<Group> = groups.to_vec();
    // Okta deleted the last group; a new one appeared.
    listed.pop();
    listed.push(Group { id: "00gNEWGROUP".into(), name: "New".into(), group_type: "OKTA_GROUP".into() });
    let changes = |logs_unavailable: bool| SyncChanges {
        deleted_user_ids: d.remove_users.clone(),
        membership_changes: d
            .add_memberships
            .iter()
            .map(|m| (m, true))
            .chain(d.remove_memberships.iter().map(|m| (m, false)))
            .map(|(m, added)| MembershipChange { group_id: m.group_id.clone(), user_id: m.user_id.clone(), added })
            .collect(),
        logs_unavailable,
        reread_group_ids: groups.iter().take(2).map(|g| g.id.clone()).collect(),
        ..SyncChanges::default()
    };
    // Without the log: Everyone's members are re-read (most users, the changed ones included).
    let everyone = groups.first().map(|g| g.id.clone()).unwrap_or_default();
    let reread: Vec<Membership> = named
        .iter()
        .filter(|_| rng.chance(95))
        .map(|u| id(u))
        .chain(d.upsert_users.iter().filter_map(|u| u.id.clone()))
        .map(|user_id| Membership { group_id: everyone.clone(), user_id })
        .chain(d.add_memberships.iter().cloned())
        .collect();
    vec![
        SyncOutcome {
            users: d.upsert_users.clone(),
            groups: listed.clone(),
            memberships: Vec::new(),
            changes: Some(changes(false)),
            mode: SyncMode::Incremental,
        },
        SyncOutcome {
            users: d.upsert_users.clone(),
            groups: listed.clone(),
            memberships: reread.clone(),
            changes: Some(changes(true)),
            mode: SyncMode::Incremental,
        },
        SyncOutcome {
            users: d.upsert_users.clone(),
            groups: listed.clone(),
            memberships: reread.clone(),
            changes: None,
            mode: SyncMode::Full,
        },
        SyncOutcome {
            users: d.upsert_users.clone(),
            groups: listed.iter().skip(1).take(2).cloned().collect(),
            memberships: reread,
            changes: None,
            mode: SyncMode::Groups,
        },
    ]
}

#[test]
fn sync_results_give_the_bytes_and_counts_of_the_owning_path() {
    for (seed, users, custom) in [(11, 400, true), (12, 1500, false), (13, 2, false)] {
        let (snap, list, groups) = snapshot(seed, users, custom);
        let mut rng = Rng::new(seed);
        for (i, outcome) in outcomes(&mut rng, &list, &groups).into_iter().enumerate() {
            let patched = apply_outcome(&snap, &outcome, 1_800_000_000_000 + i as u64).expect("applies");
            let (dir, stats) =
                apply_outcome_to_directory(decode(&snap).expect("decodes"), &outcome, 1_800_000_000_000 + i as u64);
            assert!(patched.snapshot == encode(&dir), "seed {seed} outcome {i} ({:?}): bytes differ", outcome.mode);
            assert_eq!(patched.stats, stats, "seed {seed} outcome {i}");
            assert_eq!(
                (patched.counts.users, patched.counts.groups, patched.counts.memberships),
                (dir.len(), dir.groups().len(), dir.membership_count())
            );
        }
    }
}

#[test]
fn bad_snapshots_and_bad_json_are_typed_errors() {
    let (snap, _, _) = snapshot(21, 50, true);
    let mut flipped = snap.clone();
    if let Some(b) = flipped.get_mut(40) {
        *b ^= 0x55;
    }
    for bad in [&snap[..snap.len() - 1], &flipped[..], &b"OKDS"[..], &[][..]] {
        let want = decode(bad).expect_err("refused").code();
        assert_eq!(apply_delta_json(bad, "{}").expect_err("refused").code(), want);
        assert_eq!(apply_outcome_json(bad, r#"{"users":[]}"#, 1).expect_err("refused").code(), want);
    }
    assert_eq!(apply_delta_json(&snap, "[1,").expect_err("refused").code(), "CONVERSION_FAILED");
    assert_eq!(apply_outcome_json(&snap, "{}", 1).expect_err("refused").code(), "CONVERSION_FAILED");
}

#[test]
fn fixtures_of_both_format_versions_patch_like_the_owning_path() {
    for name in ["snapshot-v1-small.okds", "snapshot-v2-small.okds"] {
        let snap = std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture");
        let owned = decode(&snap).expect("decodes");
        let users: Vec<DirectoryUser> = owned.users().cloned().collect();
        let groups = owned.groups().to_vec();
        let mut rng = Rng::new(99);
        for fresh in [0, 2] {
            let d = if fresh == 0 { DirectoryDelta::default() } else { delta(&mut rng, &users, &groups, fresh) };
            let json = serde_json::to_string(&d).expect("serializes");
            let (want, stats) = owned_delta(&snap, &d);
            let patched = apply_delta_json(&snap, &json).expect("applies");
            assert!(patched.snapshot == want, "{name}, {fresh} fresh: bytes differ");
            assert_eq!(patched.stats, stats);
        }
    }
}
