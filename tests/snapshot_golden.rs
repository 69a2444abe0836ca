//! Snapshot bytes are a stored format: the same input must give the same bytes across refactors. The
//! fixtures were written by the code before the snapshot format moved into its own folder (commit
//! 627bb84); this test rebuilds them through today's pipeline (`SnapshotBuilder`) and compares.
//!
//! The 2,000-user case is checked by length and CRC-32C, recorded from that same code.
//!
//! `OKDS_WRITE_FIXTURES=1 cargo test --test snapshot_golden` rewrites them (only on purpose: a new
//! format version gets new fixtures, the old ones stay to prove old snapshots still load).

mod dirgen;

use okta_directory::directory::{DirectoryConfig, LookupKey, SnapshotBuilder, SyncMeta};

/// The fixed input: dirgen seed 17, custom attributes, a Workforce group, repeated ids across pages.
fn golden(users: usize) -> Vec<u8> {
    let (list, groups, memberships) = dirgen::directory(17, users, 6, true);
    let workforce = groups.get(1).map(|g| g.id.clone());
    let config = DirectoryConfig {
        keys: vec![
            LookupKey::Login,
            LookupKey::Email,
            LookupKey::EmployeeNumber,
            LookupKey::Custom("costCenter".into()),
        ],
        workforce_group: workforce,
    };
    let meta = SyncMeta { origin: "https://golden.okta.com".into(), synced_at_ms: 1_765_000_000_000 };
    let mut builder = SnapshotBuilder::new(config, meta);
    for user in &list {
        builder.upsert_user(user.clone());
    }
    // A later page repeats the first users (changed): they replace the earlier records in place.
    for user in list.iter().take(users / 10) {
        let mut changed = user.clone();
        changed.name.nickname = Some("Again".into());
        builder.upsert_user(changed);
    }
    let members: Vec<Vec<String>> = groups
        .iter()
        .map(|g| memberships.iter().filter(|m| m.group_id == g.id).map(|m| m.user_id.clone()).collect())
        .collect();
    builder.finish(groups, members).expect("finish").0
}

fn check(name: &str, users: usize) {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = golden(users);
    if std::env::var_os("OKDS_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, &bytes).expect("write fixture");
    }
    let want = std::fs::read(&path).expect("fixture present");
    assert!(bytes == want, "{name}: snapshot bytes changed ({} bytes now, {} in the fixture)", bytes.len(), want.len());
}

#[test]
fn a_small_directory_gives_the_fixture_bytes() {
    check("snapshot-v1-small.okds", 40);
}

/// 2,000 users (363,768 bytes: checked by length and CRC-32C rather than checked in).
#[test]
fn a_larger_directory_gives_the_recorded_bytes() {
    let bytes = golden(2000);
    assert_eq!((bytes.len(), okta_directory::directory::crc32c(&bytes)), (363_768, 0xc886_e0ff));
}
