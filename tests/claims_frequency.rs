//! Directory-aware weights: the frequency table counted when a snapshot is built, carried in it, and
//! used by the matcher. A rare surname weighs more than "Smith"; no table, no change; no adjustment
//! crosses a hard guard.

use std::sync::Arc;

use okta_directory::claims::frequency::{FrequencyCounter, FrequencyTable, DOWN_CAP, UP_CAP};
use okta_directory::claims::{Decision, Guard, Level, Matcher, Policy, VerifiedClaims};
use okta_directory::directory::{CompactDirectory, DirectoryConfig, SnapshotBuilder, SyncMeta};
use okta_directory::profile::{normalize_user, DirectoryUser};
use serde_json::json;

fn user(id: usize, given: &str, family: &str, birthdate: &str) -> DirectoryUser {
    let profile = json!({"login": format!("u{id}@example.com"), "email": format!("u{id}@example.com"),
                         "firstName": given, "lastName": family, "birthdate": birthdate});
    let mut user =
        normalize_user(&json!({"id": format!("00u{id}"), "profile": profile}), &Policy::default().attribute_mapping())
            .expect("fixture normalizes")
            .user;
    user.id = Some(format!("00u{id}"));
    user
}

/// 200 users: 40 Smiths, one Okonkwo, the rest distinct surnames; ten given names twenty times each
/// (as common as the average: no adjustment); distinct birthdates apart from the 1 January ones.
fn directory_users() -> Vec<DirectoryUser> {
    let given = ["Alex", "Sam", "Robin", "Kim", "Lee", "Jo", "Max", "Ari", "Noa", "Eli"];
    (0..200)
        .map(|i| {
            let family = match i {
                0..=39 => "Smith".to_string(),
                40 => "Okonkwo".to_string(),
                _ => format!("Family{}{}", char::from(b'a' + (i % 26) as u8), "q".repeat(i / 26)),
            };
            let birthdate = if i % 50 == 0 {
                "1980-01-01".to_string()
            } else {
                format!("19{}-{:02}-{:02}", 60 + i % 40, 1 + i % 12, 1 + i % 28)
            };
            user(i, given[i % 10], &family, &birthdate)
        })
        .collect()
}

/// The table as the one snapshot pipeline writes it and a loaded directory reads it back.
fn table_from_snapshot(users: &[DirectoryUser]) -> Arc<FrequencyTable> {
    let mut builder = SnapshotBuilder::new(DirectoryConfig::default(), SyncMeta::default());
    for u in users {
        builder.upsert_user(u.clone());
    }
    let (bytes, _) = builder.finish(Vec::new(), Vec::new()).expect("snapshot");
    CompactDirectory::load(bytes).expect("loads").frequencies().cloned().expect("a version-2 snapshot has a table")
}

/// The genuine person on a document with a placeholder 1 January birthdate (names exact, no other
/// evidence): the total is exactly the `balanced` threshold without frequencies.
fn placeholder_case(family: &str) -> (VerifiedClaims, DirectoryUser) {
    let verified =
        VerifiedClaims::from_json(&json!({"given_name": "Alex", "family_name": family, "birthdate": "1980-01-01"}));
    (verified, user(9999, "Alex", family, "1980-01-01"))
}

#[test]
fn a_rare_surname_and_a_common_one_are_decided_apart_only_by_the_table() {
    let table = table_from_snapshot(&directory_users());
    let priors = Matcher::new(Policy::default());
    let aware = Matcher::new(Policy::default()).with_frequencies(table);
    for family in ["Smith", "Okonkwo"] {
        let (v, d) = placeholder_case(family);
        assert_eq!(priors.decide(&v, &d).decision, Decision::Match, "{family} without a table");
    }
    let (v, d) = placeholder_case("Smith");
    let smith = aware.decide(&v, &d);
    assert_eq!(smith.decision, Decision::NoMatch, "{smith:#?}");
    assert_eq!(smith.explanation.guard, None, "decided by the total, not a guard");
    let weighed = smith.explanation.claims[&okta_directory::claims::ClaimKind::FamilyName];
    assert_eq!(weighed.level, Level::Exact);
    let by = weighed.frequency.expect("the explanation shows the adjustment");
    assert!((-DOWN_CAP..0.0).contains(&by), "{by}");
    let (v, d) = placeholder_case("Okonkwo");
    let rare = aware.decide(&v, &d);
    assert_eq!(rare.decision, Decision::Match, "{rare:#?}");
    assert_eq!(rare.explanation.claims[&okta_directory::claims::ClaimKind::FamilyName].frequency, Some(UP_CAP));
    // The JSON explanation names it; without a table it says nothing.
    let out = serde_json::to_value(&rare).expect("serializes");
    assert_eq!(out["explanation"]["claims"]["family_name"]["frequency"], json!(UP_CAP));
    let (v, d) = placeholder_case("Okonkwo");
    let plain = serde_json::to_value(priors.decide(&v, &d)).expect("serializes");
    assert_eq!(plain["explanation"]["claims"]["family_name"].get("frequency"), None);
}

#[test]
fn a_small_directory_keeps_the_built_in_priors() {
    let users: Vec<DirectoryUser> = directory_users().into_iter().take(60).collect();
    let table = table_from_snapshot(&users);
    assert!(table.is_empty());
    let matcher = Matcher::new(Policy::default()).with_frequencies(table);
    assert!(matcher.frequencies().is_none());
    let (v, d) = placeholder_case("Smith");
    assert_eq!(matcher.decide(&v, &d).decision, Decision::Match);
}

/// Property: whatever the directory's frequencies, exact agreement on the three core claims still
/// matches at `balanced`, and no table turns a guard (a differing birthdate, a look-alike letter, a
/// refused name) into a match.
#[test]
fn no_table_crosses_a_guard_or_locks_out_exact_agreement() {
    let names = ["Smith", "Okonkwo", "Lee", "Garcia", "Nguyen", "Brown"];
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for round in 0..30 {
        // A random directory: names drawn with skewed counts, many of them on one birthdate.
        let mut counter = FrequencyCounter::default();
        let people: Vec<(String, String, String)> = (0..150 + next(300))
            .map(|_| {
                let family = names[next(names.len()).min(next(names.len()))].to_string();
                let given = names[next(names.len())].to_string();
                let birthdate = if next(3) == 0 {
                    "1975-06-15".to_string()
                } else {
                    format!("19{}-03-0{}", 50 + next(40), 1 + next(9))
                };
                (given, family, birthdate)
            })
            .collect();
        for (g, f, b) in &people {
            counter.add(Some(g), Some(f), Some(b));
        }
        let matcher = Matcher::new(Policy::default()).with_frequencies(Arc::new(counter.finish()));
        for (g, f, b) in people.iter().take(20) {
            let record = user(round, g, f, b);
            let same = VerifiedClaims::from_json(&json!({"given_name": g, "family_name": f, "birthdate": b}));
            assert_eq!(matcher.decide(&same, &record).decision, Decision::Match, "{g} {f} {b}");
            let other_day =
                VerifiedClaims::from_json(&json!({"given_name": g, "family_name": f, "birthdate": "2001-12-31"}));
            let report = matcher.decide(&other_day, &record);
            assert_eq!((report.decision, report.explanation.guard), (Decision::NoMatch, Some(Guard::ClaimDiffers)));
            let homoglyph = f.replacen('o', "\u{43e}", 1).replacen('a', "\u{430}", 1);
            if homoglyph != *f {
                let spoof =
                    VerifiedClaims::from_json(&json!({"given_name": g, "family_name": homoglyph, "birthdate": b}));
                assert_ne!(matcher.decide(&spoof, &record).decision, Decision::Match, "{homoglyph}");
            }
        }
    }
}

#[test]
fn the_table_adjusts_only_agreement_on_the_value() {
    let table = table_from_snapshot(&directory_users());
    let matcher = Matcher::new(Policy::default()).with_frequencies(table);
    // Smith with one typo on the document: the typo level keeps its built-in weight.
    let v =
        VerifiedClaims::from_json(&json!({"given_name": "Alex", "family_name": "Smiht", "birthdate": "1971-02-02"}));
    let report = matcher.decide(&v, &user(1, "Alex", "Smith", "1971-02-02"));
    let family = report.explanation.claims[&okta_directory::claims::ClaimKind::FamilyName];
    assert_ne!(family.level, Level::Exact);
    assert_eq!(family.frequency, None);
    assert_eq!(report.decision, Decision::Match, "{report:#?}");
}

/// The version-2 round trip: the table read back equals the one counted from the same users, the
/// owning decoder and encoder give the same bytes, and a damaged table is `SNAPSHOT_CORRUPT`.
#[test]
fn the_table_round_trips_through_a_version_2_snapshot() {
    let users = directory_users();
    let mut counter = FrequencyCounter::default();
    for u in &users {
        counter.add(u.name.given.as_deref(), u.name.family.as_deref(), u.birthdate.as_deref());
    }
    let counted = counter.finish();
    let mut builder = SnapshotBuilder::new(DirectoryConfig::default(), SyncMeta::default());
    for u in &users {
        builder.upsert_user(u.clone());
    }
    let (bytes, _) = builder.finish(Vec::new(), Vec::new()).expect("snapshot");
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 2);
    let loaded = CompactDirectory::load(bytes.clone()).expect("loads");
    assert_eq!(loaded.frequencies().map(|t| t.as_ref()), Some(&counted));
    assert_eq!(FrequencyTable::from_bytes(&counted.to_bytes()).expect("reads"), counted);
    assert!(okta_directory::directory::encode(&okta_directory::directory::decode(&bytes).expect("decodes")) == bytes);
    // The table is the payload's last block: damage its last byte, fix the checksum.
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x80;
    let mut covered = damaged[4..16].to_vec();
    covered.extend_from_slice(&damaged[20..]);
    let crc = okta_directory::directory::crc32c(&covered);
    damaged[16..20].copy_from_slice(&crc.to_le_bytes());
    for result in [CompactDirectory::load(damaged.clone()).err(), okta_directory::directory::decode(&damaged).err()] {
        assert!(matches!(result, Some(okta_directory::Error::SnapshotCorrupt { .. })), "{result:?}");
    }
}
