//! A lookup's answer in the forms the SDK and the Worker take across the wasm boundary: the JSON text of
//! a `LookupResult` written straight from the record, or one number per hint (a miss is a code, not an
//! error to build).

use super::compact::{CompactDirectory, CompactHit};
use crate::error::{Error, Result};

/// The code of `USER_NOT_FOUND` in [`lookup_code`].
pub const CODE_NOT_FOUND: i32 = -1;
/// The code of `AMBIGUOUS_LOGIN_HINT` in [`lookup_code`].
pub const CODE_AMBIGUOUS: i32 = -2;
/// The code of any other error in [`lookup_code`] (a lookup that throws it gives the typed error).
pub const CODE_OTHER: i32 = -3;

/// `{"user": …, "key": …, "workforce": …}` for the one user a hint names, `None` when nobody matches;
/// `AMBIGUOUS_LOGIN_HINT` and the other errors as errors.
///
/// # Errors
/// As [`CompactDirectory::lookup`] (but `USER_NOT_FOUND`), and `SNAPSHOT_CORRUPT` for a record that does not read.
pub fn lookup_json(dir: &CompactDirectory, hint: &str) -> Result<Option<String>> {
    let hit = match dir.lookup(hint) {
        Ok(hit) => hit,
        Err(Error::UserNotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(b"{\"user\":");
    dir.write_user_json(hit.index, &mut out)?;
    out.extend_from_slice(b",\"key\":");
    serde_json::to_writer(&mut out, hit.key.name()).map_err(|_| conversion())?;
    out.extend_from_slice(if hit.workforce { b",\"workforce\":true}" } else { b",\"workforce\":false}" });
    String::from_utf8(out).map(Some).map_err(|_| conversion())
}

/// The one user a hint names as a field list (`CompactDirectory::write_hit_fields`), `None` when nobody
/// matches; `AMBIGUOUS_LOGIN_HINT` and the other errors as errors.
///
/// # Errors
/// As [`CompactDirectory::lookup`] (but `USER_NOT_FOUND`), and `SNAPSHOT_CORRUPT` for a record that does not read.
pub fn lookup_fields(dir: &CompactDirectory, hint: &str) -> Result<Option<String>> {
    let hit = match dir.lookup(hint) {
        Ok(hit) => hit,
        Err(Error::UserNotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut out = String::with_capacity(400);
    dir.write_hit_fields(&hit, &mut out)?;
    Ok(Some(out))
}

/// The Worker's lookup answer `{"userId","status","key","workforce","user"}` for a hit, as JSON text
/// written from the record ([`CompactDirectory::write_lookup_answer`]).
///
/// # Errors
/// `SNAPSHOT_CORRUPT` for a record that does not read.
pub fn lookup_answer_text(dir: &CompactDirectory, hit: &CompactHit<'_>) -> Result<String> {
    let mut out = Vec::with_capacity(512);
    dir.write_lookup_answer(hit, &mut out)?;
    String::from_utf8(out).map_err(|_| conversion())
}

/// A lookup's outcome as one number: the user's position, or [`CODE_NOT_FOUND`], [`CODE_AMBIGUOUS`],
/// [`CODE_OTHER`] (positions fit: a snapshot holds fewer than 2^31 users).
pub fn lookup_code(found: Result<CompactHit<'_>>) -> i32 {
    match found {
        Ok(hit) => i32::try_from(hit.index).unwrap_or(i32::MAX),
        Err(Error::UserNotFound) => CODE_NOT_FOUND,
        Err(Error::AmbiguousLoginHint { .. }) => CODE_AMBIGUOUS,
        Err(_) => CODE_OTHER,
    }
}

/// [`lookup_code`] of each line of `hints` (split on `\n`).
pub fn lookup_codes_of_lines(dir: &CompactDirectory, hints: &str) -> Vec<i32> {
    hints.split('\n').map(|h| lookup_code(dir.lookup(h))).collect()
}

/// The user at `index` as `DirectoryUser`'s JSON text (`USER_NOT_FOUND` when out of range).
///
/// # Errors
/// `USER_NOT_FOUND`, or `SNAPSHOT_CORRUPT` for a record that does not read.
pub fn user_json_at(dir: &CompactDirectory, index: u32) -> Result<String> {
    let mut out = Vec::with_capacity(512);
    dir.write_user_json(index, &mut out)?;
    String::from_utf8(out).map_err(|_| conversion())
}

fn conversion() -> Error {
    Error::Conversion { detail: "lookup result".into() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{encode, Directory, DirectoryConfig, SyncMeta};
    use crate::profile::DirectoryUser;

    #[test]
    fn answers_as_json_and_codes() {
        let user = |id: &str, login: &str, email: &str| DirectoryUser {
            id: Some(id.into()),
            login: Some(login.into()),
            email: Some(email.into()),
            ..DirectoryUser::default()
        };
        let users = vec![user("00u1", "a@x.io", "s@x.io"), user("00u2", "b@x.io", "s@x.io")];
        let owned = Directory::build(users, vec![], &[], DirectoryConfig::default(), SyncMeta::default());
        let dir = CompactDirectory::load(encode(&owned)).expect("loads");
        let json = lookup_json(&dir, "B@X.IO").expect("ok").expect("found");
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!((value["user"]["id"].as_str(), value["key"].as_str()), (Some("00u2"), Some("login")));
        assert_eq!(value["workforce"], serde_json::Value::Bool(false));
        assert_eq!(lookup_json(&dir, "nobody@x.io").expect("ok"), None);
        assert!(matches!(lookup_json(&dir, "s@x.io"), Err(Error::AmbiguousLoginHint { candidates: 2 })));
        assert_eq!(
            lookup_codes_of_lines(&dir, "a@x.io\nnobody\ns@x.io\nb@x.io"),
            vec![0, CODE_NOT_FOUND, CODE_AMBIGUOUS, 1]
        );
        assert_eq!(lookup_code(Err(Error::GroupNotFound)), CODE_OTHER);
        assert!(user_json_at(&dir, 1).expect("user").contains("\"00u2\""));
        assert!(matches!(user_json_at(&dir, 2), Err(Error::UserNotFound)));
    }
}
