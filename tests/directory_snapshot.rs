//! Snapshots: round trips on generated directories, and every kind of damaged input → a typed error.

mod dirgen;

use okta_directory::directory::{decode, encode, Directory, DirectoryConfig, DirectoryDelta, LookupKey, SyncMeta};
use okta_directory::Error;

fn generated(seed: u64, users: usize, custom: bool) -> Directory {
    let (u, g, m) = dirgen::directory(seed, users, 5, custom);
    let config = DirectoryConfig {
        keys: vec![LookupKey::Login, LookupKey::Email, LookupKey::EmployeeNumber, LookupKey::Custom("badgeId".into())],
        workforce_group: Some(g[1].id.clone()),
    };
    Directory::build(
        u,
        g,
        &m,
        config,
        SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1_764_000_000_000 },
    )
}

fn is_snapshot_error(e: &Error) -> bool {
    matches!(e, Error::SnapshotCorrupt { .. } | Error::SnapshotVersionUnsupported { .. })
}

#[test]
fn round_trips_generated_directories() {
    for (seed, n, custom) in [(1, 0, false), (2, 1, true), (3, 500, false), (4, 2000, true)] {
        let dir = generated(seed, n, custom);
        let bytes = encode(&dir);
        let back = decode(&bytes).unwrap();
        assert_eq!(back, dir, "seed {seed}");
        assert_eq!(encode(&back), bytes, "encoding is deterministic");
        for u in dir.users().take(50) {
            let hit = back.lookup(u.login.as_deref().unwrap()).unwrap();
            assert_eq!(hit.user, u);
            assert_eq!(hit.workforce, dir.is_workforce(u.id.as_deref().unwrap()));
        }
    }
}

#[test]
fn round_trips_after_deltas_and_odd_values() {
    let mut dir = generated(5, 300, true);
    let mut odd = dir.users().next().unwrap().clone();
    odd.id = Some("00uODD".into());
    odd.login = Some("odd@example.com".into());
    odd.email = None;
    odd.second_email = Some("odd@example.com".into()); // same as login, in another field
    odd.last_updated = Some("2022-05-05T18:15:44Z".into()); // not the canonical form: kept as text
    odd.status = None;
    odd.name = Default::default();
    let removed: Vec<String> = dir.users().skip(10).take(20).filter_map(|u| u.id.clone()).collect();
    dir.apply_delta(DirectoryDelta { upsert_users: vec![odd], remove_users: removed, ..DirectoryDelta::default() });
    let back = decode(&encode(&dir)).unwrap();
    assert_eq!(back, dir);
    assert_eq!(back.len(), 281);
    assert_eq!(back.user("00uODD").unwrap().last_updated.as_deref(), Some("2022-05-05T18:15:44Z"));
}

#[test]
fn bytes_per_user_stay_small() {
    let n = 20_000;
    let plain = encode(&generated(6, n, false)).len() as f64 / n as f64;
    let custom = encode(&generated(6, n, true)).len() as f64 / n as f64;
    eprintln!("snapshot: {plain:.1} B/user plain, {custom:.1} B/user with custom attributes");
    assert!(plain <= 150.0, "{plain:.1} B/user without custom attributes");
    assert!(custom <= 220.0, "{custom:.1} B/user with six custom attributes");
}

#[test]
fn every_truncation_is_a_typed_error() {
    let bytes = encode(&generated(7, 40, true));
    for len in 0..bytes.len() {
        let e = decode(&bytes[..len]).unwrap_err();
        assert!(matches!(e, Error::SnapshotCorrupt { .. }), "len {len}: {e:?}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(decode(&longer), Err(Error::SnapshotCorrupt { reason: "trailing bytes after the payload" }));
}

#[test]
fn random_byte_flips_are_caught() {
    let bytes = encode(&generated(8, 60, true));
    let mut rng = dirgen::Rng::new(99);
    for _ in 0..3000 {
        let mut damaged = bytes.clone();
        let flips = 1 + rng.below(3);
        for _ in 0..flips {
            let at = rng.below(damaged.len());
            damaged[at] ^= 1 << rng.below(8);
        }
        let e = decode(&damaged).unwrap_err();
        assert!(is_snapshot_error(&e), "{e:?}");
    }
}

/// Rewrites the header's length and checksum after editing the payload, so the payload parser itself is tested.
fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
    let len = (bytes.len() - 20) as u64;
    bytes[8..16].copy_from_slice(&len.to_le_bytes());
    let mut covered = bytes[4..16].to_vec();
    covered.extend_from_slice(&bytes[20..]);
    let crc = okta_directory::directory::crc32c(&covered);
    bytes[16..20].copy_from_slice(&crc.to_le_bytes());
    bytes
}

#[test]
fn hostile_payloads_with_valid_checksums_are_typed_errors() {
    let bytes = encode(&generated(9, 30, true));
    // The origin's length varint is the first payload byte: claim 2^62 bytes.
    let mut huge = bytes[..20].to_vec();
    huge.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    huge.extend_from_slice(&bytes[21..]);
    assert!(matches!(decode(&reseal(huge)), Err(Error::SnapshotCorrupt { .. })));
    // A user count of 2^40 right after a short origin: refused before any allocation.
    let mut counts = bytes[..20].to_vec();
    counts.extend_from_slice(&[0, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
    assert_eq!(decode(&reseal(counts)), Err(Error::SnapshotCorrupt { reason: "a count exceeds the remaining input" }));
    // Every single-byte rewrite of the payload, resealed, is an error or a whole directory, never a panic.
    let mut rng = dirgen::Rng::new(5);
    for at in 20..bytes.len() {
        let mut edited = bytes.clone();
        edited[at] = rng.next() as u8;
        if let Err(e) = decode(&reseal(edited)) {
            assert!(is_snapshot_error(&e), "{e:?}");
        }
    }
}

#[test]
fn header_checks() {
    let bytes = encode(&generated(10, 3, false));
    assert_eq!(&bytes[..4], b"OKDS");
    let mut newer = bytes.clone();
    newer[4..6].copy_from_slice(&3u16.to_le_bytes());
    assert_eq!(decode(&newer), Err(Error::SnapshotVersionUnsupported { found: 3, supported: 2 }));
    let mut flagged = bytes.clone();
    flagged[6] = 1;
    assert!(matches!(decode(&flagged), Err(Error::SnapshotVersionUnsupported { .. })));
    let mut zero = bytes.clone();
    zero[4..6].copy_from_slice(&0u16.to_le_bytes());
    assert!(matches!(decode(&zero), Err(Error::SnapshotCorrupt { .. })));
    let mut magic = bytes.clone();
    magic[0] = b'X';
    assert_eq!(decode(&magic), Err(Error::SnapshotCorrupt { reason: "not a snapshot (bad magic)" }));
    let mut crc = bytes.clone();
    crc[16] ^= 0xFF;
    assert_eq!(decode(&crc), Err(Error::SnapshotCorrupt { reason: "checksum mismatch" }));
    let mut claimed = bytes.clone();
    claimed[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
    assert_eq!(decode(&claimed), Err(Error::SnapshotCorrupt { reason: "truncated payload" }));
    assert!(decode(b"").is_err() && decode(b"OKDS").is_err());
}
