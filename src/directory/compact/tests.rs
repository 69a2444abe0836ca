//! Unit tests of the compact directory: the hash index, key hashing and collision handling.

use super::hash_index::{EMPTY, SHARED};
use super::hint::key_hash;
use super::*;
use crate::directory::encode;
use crate::directory::key::{normalize_login, normalize_plain};
use crate::directory::snapshot::FIELDS;
use crate::hash::crc32c_update;
use crate::profile::UserStatus;

fn user(id: &str, login: &str, email: &str) -> DirectoryUser {
    DirectoryUser {
        id: Some(id.into()),
        status: Some(UserStatus::Active),
        login: Some(login.into()),
        email: Some(email.into()),
        ..DirectoryUser::default()
    }
}

fn compact(users: Vec<DirectoryUser>) -> CompactDirectory {
    let dir = Directory::build(users, vec![], &[], DirectoryConfig::default(), SyncMeta::default());
    CompactDirectory::from_snapshot(&encode(&dir)).unwrap()
}

#[test]
fn the_hash_index_finds_every_pair() {
    let mut pairs: Vec<(u64, u32)> = vec![(0, 0), (0, 1), (0, 1), (1, 2), (1 << 63, 3), (u64::MAX, 4), (u64::MAX, 5)];
    let mut x = 0x1234_5678_9ABC_DEF0u64;
    for u in 6..5000u32 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Few distinct top bits: long probe runs across neighbouring buckets.
        pairs.push((x & 0xF000_0000_FFFF_FFFF, u));
    }
    let index = HashIndex::build(&pairs, &[]).unwrap();
    assert_eq!(index.slots.last().map(|s| s[1]), Some(EMPTY));
    for (h, u) in &pairs {
        let mut found = Vec::new();
        index.candidates(*h, |c, _| found.push(c));
        assert!(found.contains(u), "{h:x} {u}");
        assert!(!index.bucket_is_empty(*h), "{h:x}");
    }
    // An empty bucket is exactly a hash with no candidate at all (any fingerprint).
    let mut empties = 0;
    for i in 0..20_000u64 {
        let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut any = false;
        let mut at = 2 * (h >> (64 - index.bits)) as usize;
        while let Some(&[_, value, _]) = index.slots.get(at) {
            if value == EMPTY {
                break;
            }
            any = true;
            at += 1;
        }
        assert_eq!(index.bucket_is_empty(h), !any, "{h:x}");
        empties += usize::from(!any);
    }
    assert!(empties > 0 && empties < 20_000, "{empties}");
    let mut zero = Vec::new();
    index.candidates(0, |c, _| zero.push(c));
    assert_eq!(zero, [0, 1], "shared value, each user once");
}

#[test]
fn ascii_hashing_equals_hashing_the_normalized_text() {
    for s in ["  Ana.Nunez@Example.COM ", "x", "0123456789abcdefXYZ"] {
        assert_eq!(key_hash(true, s), Some(hash_exact(&normalize_login(s).unwrap())));
        assert_eq!(key_hash(false, s), Some(hash_exact(&normalize_plain(s).unwrap())));
    }
    assert_eq!(key_hash(true, "JOSE\u{301}@X.ES"), Some(hash_exact("jose@x.es")));
    assert_eq!(key_hash(false, "JOSE\u{301}@X.ES"), Some(hash_exact("josé@x.es")));
    assert_eq!(key_hash(true, " \t"), None);
}

/// Every entry forced into one bucket with one fingerprint: only verification separates users.
fn collide_everything(dir: &mut CompactDirectory) {
    for index in [&mut dir.login, &mut dir.other, &mut dir.ids] {
        let mut users: Vec<u32> = Vec::new();
        index.candidates_all(|u| users.push(u));
        users.sort_unstable();
        users.dedup();
        let shared_starts = vec![0, users.len() as u32];
        *index = HashIndex { bits: 0, slots: vec![[7, SHARED, 0], [0, EMPTY, 0]], shared_starts, shared: users };
    }
}

impl HashIndex {
    fn candidates_all(&self, mut f: impl FnMut(u32)) {
        for [fp, value, _] in &self.slots {
            if *value != EMPTY {
                self.candidates_of(*fp, *value, &mut f);
            }
        }
    }
    fn candidates_of(&self, _fp: u32, value: u32, f: &mut impl FnMut(u32)) {
        if value & SHARED == 0 {
            f(value);
        } else {
            let g = (value & !SHARED) as usize;
            self.shared[self.shared_starts[g] as usize..self.shared_starts[g + 1] as usize].iter().for_each(|u| f(*u));
        }
    }
}

#[test]
fn collisions_never_pick_the_wrong_user_nor_invent_ambiguity() {
    let mut dir = compact(vec![
        user("00u1", "ana@example.com", "ana@home.example"),
        user("00u2", "bo@example.com", "shared@example.com"),
        user("00u3", "cy@example.com", "shared@example.com"),
        user("00u4", "dee@example.com", "ANA@example.com"),
    ]);
    collide_everything(&mut dir);
    // Every hint now hashes (fingerprint 7) to the one bucket that holds every entry; answers must not change.
    let hash = |_: &str| 7u64;
    let forced = |dir: &CompactDirectory, hint: &str| -> Result<(String, String)> {
        let mut h = Hint { trimmed: hint.trim(), login: None, plain: None };
        let found = match dir.resolve(Tier::Login, hash(hint), &mut h)? {
            Some(hit) => hit,
            None => dir.resolve(Tier::Other, hash(hint), &mut h)?.ok_or(Error::UserNotFound)?,
        };
        let user = dir.user_at(found.index)?;
        Ok((user.id.unwrap_or_default(), found.key.name().to_string()))
    };
    let ok = |id: &str, key: &str| Ok((id.to_string(), key.to_string()));
    assert_eq!(forced(&dir, "ANA@example.com"), ok("00u1", "login"), "login beats Dee's email");
    assert_eq!(forced(&dir, "ana@home.example"), ok("00u1", "email"));
    assert_eq!(forced(&dir, "bo@example.com"), ok("00u2", "login"));
    assert_eq!(forced(&dir, "shared@example.com"), Err(Error::AmbiguousLoginHint { candidates: 2 }));
    assert_eq!(forced(&dir, "nobody@example.com"), Err(Error::UserNotFound));
    let by_id = |dir: &CompactDirectory, id: &str| {
        let mut found = None;
        dir.ids.candidates(7, |u, _| {
            if dir.field(u, 0).ok().flatten() == Some(id) {
                found = Some(u);
            }
        });
        found
    };
    assert_eq!(by_id(&dir, "00u3"), Some(2));
    assert_eq!(by_id(&dir, "00u9"), None);
}

#[test]
fn colliding_non_ascii_keys_match_only_their_own_user_typed_exactly_or_not() {
    let mut dir = compact(vec![
        user("00u1", "søren@example.dk", "s1@example.dk"),
        user("00u2", "jürgen@example.de", "Jürgen@Mail.example"),
        user("00u3", "łukasz@example.pl", "l3@example.pl"),
        user("00u4", "ana@example.com", "ana@home.example"),
    ]);
    collide_everything(&mut dir);
    // Every key in one bucket with one fingerprint: a hint typed exactly as stored matches without the
    // load's normalized copy, and must still match nobody else.
    let forced = |hint: &str| -> Result<String> {
        let mut h = Hint { trimmed: hint.trim(), login: None, plain: None };
        let found = match dir.resolve(Tier::Login, 7, &mut h)? {
            Some(hit) => hit,
            None => dir.resolve(Tier::Other, 7, &mut h)?.ok_or(Error::UserNotFound)?,
        };
        Ok(dir.user_at(found.index)?.id.unwrap_or_default())
    };
    for (hint, id) in [
        ("søren@example.dk", "00u1"),
        (" SØREN@EXAMPLE.DK ", "00u1"),
        ("jürgen@example.de", "00u2"),
        ("JU\u{308}RGEN@example.de", "00u2"),
        ("Jürgen@Mail.example", "00u2"),
        ("jürgen@mail.example", "00u2"),
        ("łukasz@example.pl", "00u3"),
        ("ana@example.com", "00u4"),
    ] {
        assert_eq!(forced(hint), Ok(id.to_string()), "{hint}");
    }
    for hint in ["łukasz@example.com", "søren@example.de", "jürgen@example.dk"] {
        assert_eq!(forced(hint), Err(Error::UserNotFound), "{hint}");
    }
}

#[test]
fn duplicate_ids_are_refused_even_with_colliding_hashes() {
    let dir = compact(vec![user("00u1", "a@x.io", "a@x.io"), user("00u2", "b@x.io", "b@x.io")]);
    let mut forced = dir.clone();
    collide_everything(&mut forced);
    assert_eq!(forced.check_unique_ids(), Ok(()));
    // The same id twice in a snapshot (written by hand: `Directory` would merge them).
    let mut bytes = dir.snapshot().to_vec();
    let at = bytes.windows(4).position(|w| w == b"00u2").unwrap();
    bytes[at + 3] = b'1';
    let payload_crc = crc32c_update(crc32c_update(0, &bytes[4..16]), &bytes[HEADER_LEN..]);
    bytes[16..20].copy_from_slice(&payload_crc.to_le_bytes());
    assert_eq!(
        CompactDirectory::from_snapshot(&bytes).unwrap_err(),
        Error::SnapshotCorrupt { reason: "duplicate user or group id" }
    );
    assert!(decode(&bytes).is_err());
}

#[test]
fn the_lookup_answer_repeats_id_and_status_and_holds_the_record_json() {
    let mut bare = user("00u2", "bo@x.io", "bo@x.io");
    bare.status = None;
    bare.custom.insert("cost".into(), crate::profile::CustomValue::Scalar(crate::profile::CustomScalar::Number(5.0)));
    let dir = compact(vec![user("00u1", "Ana@x.io", "ana@y.io"), bare]);
    for (hint, id, status) in
        [("ana@y.io", "00u1", serde_json::json!("ACTIVE")), ("BO@x.io", "00u2", serde_json::Value::Null)]
    {
        let hit = dir.lookup(hint).unwrap();
        let mut out = Vec::new();
        dir.write_lookup_answer(&hit, &mut out).unwrap();
        let answer: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let user = serde_json::to_value(dir.user_at(hit.index).unwrap()).unwrap();
        assert_eq!(
            answer,
            serde_json::json!({"userId": id, "status": status, "key": hit.key.name(), "workforce": false, "user": user})
        );
        // Keys in the documented order, the user's JSON as `write_user_json` writes it.
        let mut user_json = Vec::new();
        dir.write_user_json(hit.index, &mut user_json).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("{\"userId\":"), "{text}");
        assert!(text.ends_with(&format!(",\"user\":{}}}", String::from_utf8(user_json).unwrap())), "{text}");
    }
}

#[test]
fn the_field_table_lists_every_field_in_record_order() {
    let table: serde_json::Value = serde_json::from_str(&record_field_table()).unwrap();
    let fields = table["fields"].as_array().unwrap();
    assert_eq!(fields.len(), FIELD_COUNT);
    for (f, entry) in FIELDS.iter().zip(fields) {
        assert_eq!(entry[0], f.name);
        assert_eq!(entry[1], f.object.map_or(serde_json::Value::Null, |o| o.into()));
    }
    assert_eq!(table["always"], serde_json::json!(["name"]));
    assert_eq!(table["key"], FIELD_COUNT + 3);
}

#[test]
fn the_load_reservation_is_made_only_into_a_smaller_memory() {
    assert_eq!(CompactDirectory::load_reservation(1_000, 0), 2_000);
    assert_eq!(CompactDirectory::load_reservation(1_000, 1_999), 2_000);
    // A memory already as large: a later load reuses what an earlier one freed.
    assert_eq!(CompactDirectory::load_reservation(1_000, 2_000), 0);
    assert_eq!(CompactDirectory::load_reservation(usize::MAX, 0), usize::MAX);
}
