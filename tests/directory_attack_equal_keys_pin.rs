//! Attacker's pin (main's behaviour, 2026-12-07, session 9, 49492a8) for the sorts of the directory and
//! snapshot code (std sorts may be replaced by the crate's own): a directory whose sort keys tie — logins
//! equal but for case, emails equal but for Unicode form (NFC/NFD, fullwidth), an id repeated across pages
//! (the later page replaces the record), users without an id, custom strings repeated equally often (the
//! string table orders them by count, then first occurrence), groups listing a member twice — must give
//! the same snapshot bytes (builder and `encode`), the same shard bytes (`split`, `split_canonical`) and
//! the same answer for every hint. Recorded as length and CRC-32C per output and a digest of the answers.

#[path = "dirgen/mod.rs"]
mod dirgen;

use okta_directory::directory::shard::{split, split_canonical};
use okta_directory::directory::{
    crc32c, encode, CompactDirectory, Directory, DirectoryConfig, LookupKey, SnapshotBuilder, SyncMeta,
};
use okta_directory::profile::{CustomScalar, CustomValue, DirectoryUser};

fn meta() -> SyncMeta {
    SyncMeta { origin: "https://ties.okta.com".into(), synced_at_ms: 1_765_000_000_000 }
}

fn config(workforce: Option<String>) -> DirectoryConfig {
    DirectoryConfig {
        keys: vec![LookupKey::Login, LookupKey::Email, LookupKey::SecondEmail, LookupKey::Custom("badge".into())],
        workforce_group: workforce,
    }
}

/// 300 generated users, then made to tie: every key below collides with another user's but for case or form.
fn users() -> (Vec<DirectoryUser>, Vec<okta_directory::sync::Group>, Vec<Vec<String>>) {
    let (mut list, groups, memberships) = dirgen::directory(23, 300, 5, true);
    let forms = ["josé", "jose\u{301}", "JOSÉ", "ＪＯＳＥ", "jos\u{e9}", "Jose\u{301}"];
    for (i, u) in list.iter_mut().enumerate() {
        let f = forms[i % forms.len()];
        match i % 7 {
            0 => u.login = Some(format!("{f}.{}@ties.example", i / 42)),
            1 => u.email = Some(format!("Shared@Ties.Example{}", if i % 2 == 0 { "" } else { " " })),
            2 => u.email = Some(format!("{}@ties.example", f.to_uppercase())),
            3 => u.second_email = u.login.as_ref().map(|l| l.to_uppercase()),
            4 => u.id = None,
            _ => {}
        }
        // Custom strings that tie in count: two values, each used by the same number of users.
        let badge = if i % 2 == 0 { "B-1" } else { "b-1" };
        u.custom.insert("badge".into(), CustomValue::Scalar(CustomScalar::String(badge.into())));
        u.custom.insert("team".into(), CustomValue::Scalar(CustomScalar::String(format!("team-{}", i % 4))));
    }
    let members = groups
        .iter()
        .map(|g| {
            let mut ids: Vec<String> =
                memberships.iter().filter(|m| m.group_id == g.id).map(|m| m.user_id.clone()).collect();
            // Listed twice, and out of order.
            ids.extend(ids.clone().into_iter().rev().take(5));
            ids
        })
        .collect();
    (list, groups, members)
}

/// The builder's snapshot: every user, then the first 30 again with a change (an id repeated across pages).
fn built() -> Vec<u8> {
    let (list, groups, members) = users();
    let mut builder = SnapshotBuilder::new(config(groups.get(1).map(|g| g.id.clone())), meta());
    for u in &list {
        if u.id.is_some() {
            builder.upsert_user(u.clone());
        } else {
            builder.append_user_without_id(u);
        }
    }
    for u in list.iter().filter(|u| u.id.is_some()).take(30) {
        let mut changed = u.clone();
        changed.name.nickname = Some("Again".into());
        builder.upsert_user(changed);
    }
    builder.finish(groups, members).expect("finish").0
}

/// The hints: every key as written, upper-cased, in the other forms, padded.
fn hints(list: &[DirectoryUser]) -> Vec<String> {
    let mut out = Vec::new();
    for u in list {
        for v in [&u.login, &u.email, &u.second_email].into_iter().flatten() {
            out.extend([v.clone(), v.to_uppercase(), format!("  {v} "), v.replace('é', "e\u{301}")]);
        }
    }
    out.extend(["B-1", "b-1", "shared@ties.example", "", "team-1"].map(String::from));
    out
}

/// Each hint's answer (the user's id or login, the key, workforce; or the error), as one digest.
fn answers(dir: &CompactDirectory, hints: &[String]) -> (usize, u32) {
    let kinds =
        |f: fn(&okta_directory::Error) -> bool| hints.iter().filter(|h| dir.lookup(h).as_ref().is_err_and(f)).count();
    let ambiguous = kinds(|e| matches!(e, okta_directory::Error::AmbiguousLoginHint { .. }));
    assert!(ambiguous > 100, "the ties make hints ambiguous ({ambiguous})");
    let text: String = hints
        .iter()
        .map(|h| match dir.lookup(h) {
            Ok(hit) => {
                let u = dir.user_at(hit.index).expect("user");
                format!("{h}\t{:?}\t{:?}\t{:?}\t{}\n", u.id, u.login, hit.key, hit.workforce)
            }
            Err(e) => format!("{h}\t{e:?}\n"),
        })
        .collect();
    (
        text.lines().filter(|l| !l.contains("Err") && !l.contains("NotFound") && !l.contains("Ambiguous")).count(),
        crc32c(text.as_bytes()),
    )
}

fn sum(bytes: &[u8]) -> (usize, u32) {
    (bytes.len(), crc32c(bytes))
}

#[test]
fn tied_keys_give_the_recorded_bytes_and_answers() {
    let (list, groups, members) = users();
    let bytes = built();
    let full = CompactDirectory::load(bytes.clone()).expect("loads");
    let owned = Directory::build(
        list.clone(),
        groups.clone(),
        &groups
            .iter()
            .zip(&members)
            .flat_map(|(g, ids)| {
                ids.iter().map(|id| okta_directory::sync::Membership { group_id: g.id.clone(), user_id: id.clone() })
            })
            .collect::<Vec<_>>(),
        config(groups.get(1).map(|g| g.id.clone())),
        meta(),
    );
    let hints = hints(&list);
    let mut got = vec![("builder", sum(&bytes)), ("encode", sum(&encode(&owned))), ("answers", answers(&full, &hints))];
    for n in [2, 7] {
        for (i, s) in split(&full, n).expect("split").iter().enumerate() {
            got.push((["split 2", "split 7"][usize::from(n == 7)], (i, crc32c(s))));
        }
        for (i, s) in split_canonical(&full, n).expect("split").iter().enumerate() {
            got.push((["canonical 2", "canonical 7"][usize::from(n == 7)], (i, crc32c(s))));
        }
    }
    let text = format!("{got:?}");
    assert_eq!(text, PINNED);
}

/// Recorded on main (49492a8).
const PINNED: &str = r#"[("builder", (61263, 262142455)), ("encode", (61245, 3940117683)), ("answers", (2352, 1985036768)), ("split 2", (0, 3869220685)), ("split 2", (1, 3065209813)), ("canonical 2", (0, 1468020779)), ("canonical 2", (1, 1165656694)), ("split 7", (0, 3372145350)), ("split 7", (1, 2071572476)), ("split 7", (2, 3788888253)), ("split 7", (3, 614350985)), ("split 7", (4, 1723381738)), ("split 7", (5, 2401451900)), ("split 7", (6, 3065209813)), ("canonical 7", (0, 870073216)), ("canonical 7", (1, 3772546108)), ("canonical 7", (2, 926578495)), ("canonical 7", (3, 991416753)), ("canonical 7", (4, 1649116624)), ("canonical 7", (5, 1093133422)), ("canonical 7", (6, 1165656694))]"#;
