//! Snapshot bytes are a stored format: the same input must give the same bytes across refactors. The
//! fixtures were written by the code before the snapshot format moved into its own folder (commit
//! 627bb84); this test rebuilds them through today's pipeline (`SnapshotBuilder`) and compares.
//!
//! The 2,000-user case is checked by length and CRC-32C, recorded from that same code.
//!
//! Format version 2 appended the frequency table: the version-1 fixture stays to prove that old
//! snapshots still load (without a table: built-in priors), and the version-2 payload is the
//! version-1 payload byte for byte followed by the frequency block.
//!
//! `OKDS_WRITE_FIXTURES=1 cargo test --test snapshot_golden` rewrites them (only on purpose: a new
//! format version gets new fixtures, the old ones stay to prove old snapshots still load).

mod dirgen;

use okta_directory::directory::{
    decode, encode, CompactDirectory, DirectoryConfig, LookupKey, SnapshotBuilder, SyncMeta,
};

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

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn check(name: &str, users: usize) {
    let path = fixture(name);
    let bytes = golden(users);
    if std::env::var_os("OKDS_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, &bytes).expect("write fixture");
    }
    let want = std::fs::read(&path).expect("fixture present");
    assert!(bytes == want, "{name}: snapshot bytes changed ({} bytes now, {} in the fixture)", bytes.len(), want.len());
}

#[test]
fn a_small_directory_gives_the_fixture_bytes() {
    check("snapshot-v2-small.okds", 40);
}

/// The version-1 fixture (written before the frequency table existed) loads, both ways, with the
/// same users, groups and memberships as today's snapshot of the same input, and no frequency table.
#[test]
fn a_version_1_snapshot_still_loads_without_a_table() {
    let v1 = std::fs::read(fixture("snapshot-v1-small.okds")).expect("fixture present");
    assert_eq!(u16::from_le_bytes([v1[4], v1[5]]), 1);
    let v2 = golden(40);
    assert_eq!(u16::from_le_bytes([v2[4], v2[5]]), 2);
    // Version 2 only appends: its payload starts with the version-1 payload.
    assert!(v2.len() > v1.len() && v2[20..v1.len()] == v1[20..], "the v2 payload extends the v1 payload");
    let (old, new) = (decode(&v1).expect("v1 decodes"), decode(&v2).expect("v2 decodes"));
    assert_eq!(old.len(), 40);
    assert_eq!(old.users().collect::<Vec<_>>(), new.users().collect::<Vec<_>>());
    assert_eq!(old.groups(), new.groups());
    assert_eq!(old.membership_count(), new.membership_count());
    // Written again, an old snapshot becomes today's (the table is counted from its users).
    assert!(encode(&old) == v2, "re-encoding the v1 snapshot gives the v2 bytes");
    let compact = CompactDirectory::load(v1).expect("v1 loads compact");
    assert!(compact.frequencies().is_none());
    assert!(CompactDirectory::load(v2).expect("v2 loads").frequencies().is_some());
}

/// 2,000 users (364,445 bytes, 677 of them the frequency table: checked by length and CRC-32C rather than checked in).
#[test]
fn a_larger_directory_gives_the_recorded_bytes() {
    let bytes = golden(2000);
    assert_eq!((bytes.len(), okta_directory::directory::crc32c(&bytes)), (364_445, 0x45a5_3eda));
}
