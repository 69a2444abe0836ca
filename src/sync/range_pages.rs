//! A sync's journal pages fed to a [`ShardRangeBuilder`] (a Worker's ranged publish): users pages and the
//! Workforce group's members pages, parsed exactly as the sync parses them. Here, above directory, because
//! the page formats are the sync's; the builder below only keeps records.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::directory::shard::user_shards;
use crate::directory::shard_range::ShardRangeBuilder;
use crate::directory::DirectoryConfig;
use crate::error::{Error, Result};
use crate::hash::IdHasher;
use crate::profile::frequency::hash_parts;
use crate::profile::AttributeMapping;
use crate::sync::machine::{find_special, parse_member_ids, parse_users};

/// Takes a page of a sync's journal (its URL and body as journaled) if it is a users page
/// (`/api/v1/users`), parsed as the sync parses it; other pages are skipped. Returns whether it was one.
///
/// # Errors
/// `INVALID_CHECKPOINT` for a users page that does not parse (a damaged journal).
pub fn add_users_page(builder: &mut ShardRangeBuilder, url: &str, body: &str) -> Result<bool> {
    if journal_api_path(url) != Some("users") {
        return Ok(false);
    }
    let users = parse_users(body, &AttributeMapping::default()).map_err(|_| unreadable())?;
    for u in users {
        builder.upsert_user(u.user);
    }
    Ok(true)
}

/// Takes a page of a sync's journal if it is a members page of the Workforce group
/// (`/api/v1/groups/{id}/users`, journaled as ids); other pages are skipped. Feed every users page first.
///
/// # Errors
/// `INVALID_CHECKPOINT` for a Workforce members page that does not parse.
pub fn add_members_page(builder: &mut ShardRangeBuilder, url: &str, body: &str) -> Result<bool> {
    let group = journal_api_path(url).and_then(|p| p.strip_prefix("groups/")).and_then(|r| r.strip_suffix("/users"));
    if group.is_none() || group != builder.workforce_group() {
        return Ok(false);
    }
    let ids = parse_member_ids(body).map_err(|_| unreadable())?;
    builder.add_workforce_members(&ids);
    Ok(true)
}

/// A users page split by where its users go (a Worker's ranged publish partitions its journal once, so a
/// build step reads only its range's users): see [`route_users_page`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RoutedUsersPage {
    /// Per bucket (`shards_per_bucket` consecutive shards each), a users page body (a JSON array) holding the
    /// page's items, verbatim and in order, whose users sit in one of its shards (users without a lookup key:
    /// bucket 0); empty when none does.
    pub buckets: Vec<Vec<u8>>,
    /// Per id bucket (the user id's hash), one line per user of the page: `id`, a tab, the shards it sits in
    /// (comma-separated, ascending; none without a lookup key), a newline. Read them all, in order, to find
    /// the users listed twice and where their last copy goes.
    pub ids: Vec<Vec<u8>>,
}

/// Splits a journal page, if it is a users page, by the shards of a directory split into `shards` (default
/// lookup keys) its users sit in; `None` for other pages. Each user is parsed as the sync parses it.
///
/// # Errors
/// `INVALID_CHECKPOINT` for a users page that does not parse; `INPUT_TOO_LARGE` for a zero count.
pub fn route_users_page(
    url: &str,
    body: &str,
    shards: u32,
    shards_per_bucket: u32,
    id_buckets: u32,
) -> Result<Option<RoutedUsersPage>> {
    if journal_api_path(url) != Some("users") {
        return Ok(None);
    }
    if shards == 0 || shards_per_bucket == 0 || id_buckets == 0 {
        return Err(Error::InputTooLarge { what: "shard count", limit: u32::MAX as usize });
    }
    let users = parse_users(body, &AttributeMapping::default()).map_err(|_| unreadable())?;
    let items = array_items(body).ok_or_else(unreadable)?;
    if items.len() != users.len() {
        return Err(unreadable());
    }
    let keys = DirectoryConfig::default().keys;
    let mut out = RoutedUsersPage {
        buckets: vec![Vec::new(); shards.div_ceil(shards_per_bucket) as usize],
        ids: vec![Vec::new(); id_buckets as usize],
    };
    let mut last_bucket = Vec::new();
    for (user, item) in users.iter().zip(items) {
        let Some(id) = user.user.id.as_deref() else { continue };
        let all = user_shards(&keys, &user.user, shards);
        last_bucket.clear();
        let targets: Vec<u32> =
            if all.is_empty() { vec![0] } else { all.iter().map(|s| s / shards_per_bucket).collect() };
        for b in targets {
            if last_bucket.contains(&b) {
                continue;
            }
            last_bucket.push(b);
            if let Some(page) = out.buckets.get_mut(b as usize) {
                page.push(if page.is_empty() { b'[' } else { b',' });
                page.extend_from_slice(item.as_bytes());
            }
        }
        let line = out.ids.get_mut((hash_parts(std::iter::once(id)) % id_buckets) as usize);
        if let Some(line) = line {
            line.extend_from_slice(id.as_bytes());
            line.push(b'\t');
            let list: Vec<String> = all.iter().map(u32::to_string).collect();
            line.extend_from_slice(list.join(",").as_bytes());
            line.push(b'\n');
        }
    }
    for page in &mut out.buckets {
        if !page.is_empty() {
            page.push(b']');
        }
    }
    Ok(Some(out))
}

/// Reads the users listed more than once, as the Worker gathers them from [`RoutedUsersPage::ids`]: a JSON
/// object of user id → the shards of its last copy (for [`ShardRangeBuilder::set_superseded`]).
///
/// # Errors
/// `INVALID_CHECKPOINT` when the text is not such an object.
pub fn superseded_from_json(text: &str) -> Result<HashMap<Box<str>, Vec<u32>, BuildHasherDefault<IdHasher>>> {
    serde_json::from_str(text).map_err(|_| Error::InvalidCheckpoint { reason: "the superseded users are unreadable" })
}

/// The text of each item of a JSON array, verbatim and without the whitespace around it; `None` when `body`
/// is not an array. `body` must be valid JSON (the caller has parsed it): only strings, nesting and the
/// top-level commas are tracked. (serde_json's `RawValue` did this, but its feature makes every `Value`
/// read an object whose first key is `$serde_json::private::RawValue` as the JSON text of that key's
/// value: see docs/decisions/claims-only-size.md.)
fn array_items(body: &str) -> Option<Vec<&str>> {
    let b = body.as_bytes();
    let open = body.len() - body.trim_start().len();
    if b.get(open) != Some(&b'[') {
        return None;
    }
    let (mut items, mut depth, mut start, mut i) = (Vec::new(), 0usize, None, open + 1);
    while let Some(&c) = b.get(i) {
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b']' | b'}' if depth > 0 => depth -= 1,
            b',' | b']' if depth == 0 => {
                items.extend(start.take().map(|s| body[s..i].trim_end()));
                if c == b']' {
                    return Some(items);
                }
            }
            _ => {
                start.get_or_insert(i);
                match c {
                    b'[' | b'{' => depth += 1,
                    // A string: to its closing quote, eight bytes at a time (strings are most of a page).
                    b'"' => loop {
                        i += 1 + find_special(b.get(i + 1..)?)?;
                        match b[i] {
                            b'\\' => i += 1,
                            b'"' => break,
                            _ => return None,
                        }
                    },
                    _ => {}
                }
            }
        }
        i += 1;
    }
    None
}

/// The API path of a journal page's URL after `/api/v1/` (`users`, `groups/{id}/users`).
fn journal_api_path(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.strip_prefix("/api/v1/")
}

fn unreadable() -> Error {
    Error::InvalidCheckpoint { reason: "a journal page is unreadable" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::SyncMeta;

    #[test]
    fn api_paths_of_journaled_urls() {
        assert_eq!(journal_api_path("https://acme.okta.com/api/v1/users?limit=200&after=x"), Some("users"));
        assert_eq!(journal_api_path("https://acme.okta.com/api/v1/groups/00g1/users"), Some("groups/00g1/users"));
        assert_eq!(journal_api_path("/api/v1/users#frag"), Some("users"));
        assert_eq!(journal_api_path("https://acme.okta.com/oauth2/v1/token"), None);
    }

    #[test]
    fn array_items_are_the_verbatim_texts_of_the_items() {
        let body = " \n[ {\"a\":[1,{\"b\":\"],}\\\"[{\"}]} ,\t\"x\\\\\" , [] ,{}, -1.5e3,true,null\n]\n";
        let want = ["{\"a\":[1,{\"b\":\"],}\\\"[{\"}]}", "\"x\\\\\"", "[]", "{}", "-1.5e3", "true", "null"];
        assert_eq!(array_items(body), Some(want.to_vec()));
        let parsed: Vec<serde_json::Value> = serde_json::from_str(body).expect("valid JSON");
        let each: Vec<serde_json::Value> = want.iter().map(|t| serde_json::from_str(t).expect("an item")).collect();
        assert_eq!(parsed, each);
        // Escapes at every position of strings around the scan's eight-byte steps, items re-read exactly.
        for len in 0..20 {
            for at in 0..=len {
                let text: String = (0..len).map(|k| if k == at { "\\\"é\\\\" } else { "a" }).collect();
                let object = [(text.clone(), serde_json::json!([text.as_str(), 1]))].into_iter().collect();
                let items = vec![serde_json::json!(text), serde_json::Value::Object(object)];
                let body = serde_json::to_string(&items).expect("serializes");
                let got: Vec<serde_json::Value> = array_items(&body)
                    .expect("an array")
                    .iter()
                    .map(|t| serde_json::from_str(t).expect("an item"))
                    .collect();
                assert_eq!(got, items, "{body}");
            }
        }
        assert_eq!(array_items("[\"a\u{1}\"]"), None);
        assert_eq!(array_items("[]"), Some(vec![]));
        assert_eq!(array_items(" [ ] "), Some(vec![]));
        assert_eq!(array_items("{}"), None);
        assert_eq!(array_items("[1,"), None);
    }

    fn page(users: &[(u32, &str)]) -> String {
        let items: Vec<String> = users
            .iter()
            .map(|(n, login)| {
                format!(
                    r#"{{"id":"00u{n:05}","status":"ACTIVE","profile":{{"login":"{login}","email":"{login}","firstName":"F{n}","lastName":"L{}"}}}}"#,
                    n % 3
                )
            })
            .collect();
        format!("[{}]", items.join(", "))
    }

    /// The shards `0..shards` built from `pages`, whole (every page to every range) or routed (each range fed
    /// its bucket only, with the superseded users named), one shard per range; with the merged frequencies.
    fn build(pages: &[String], shards: u32, routed: bool) -> (Vec<Vec<u8>>, Vec<u8>) {
        let url = "https://acme.okta.com/api/v1/users?limit=200";
        let config = DirectoryConfig::default();
        let meta = SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 0 };
        let mut buckets: Vec<Vec<String>> = vec![Vec::new(); shards as usize];
        let mut last: HashMap<Box<str>, (usize, Vec<u32>)> = HashMap::new();
        for p in pages {
            let r = route_users_page(url, p, shards, 1, 3).expect("routes").expect("a users page");
            for (b, body) in r.buckets.into_iter().enumerate() {
                if !body.is_empty() {
                    buckets[b].push(String::from_utf8(body).expect("utf-8"));
                }
            }
            for text in r.ids {
                for line in String::from_utf8(text).expect("utf-8").lines() {
                    let (id, list) = line.split_once('\t').expect("a tab");
                    let list: Vec<u32> =
                        list.split(',').filter(|s| !s.is_empty()).map(|s| s.parse().expect("n")).collect();
                    let seen = last.entry(id.into()).or_insert((0, Vec::new()));
                    *seen = (seen.0 + 1, list);
                }
            }
        }
        let superseded: HashMap<Box<str>, Vec<u32>, _> =
            last.into_iter().filter(|(_, (n, _))| *n > 1).map(|(id, (_, list))| (id, list)).collect();
        let mut out = Vec::new();
        let mut counts = crate::profile::frequency::FrequencyCounts::default();
        for n in 0..shards {
            let mut b = ShardRangeBuilder::new(config.clone(), meta.clone(), shards, n, n + 1).expect("range");
            let fed: Vec<String> = if routed {
                b.set_superseded(superseded.clone());
                buckets[n as usize].clone()
            } else {
                pages.to_vec()
            };
            for p in &fed {
                add_users_page(&mut b, url, p).expect("a users page");
            }
            counts = counts.merge(&b.frequency_counts());
            out.extend(b.finish(None).expect("finishes"));
        }
        (out, counts.table().to_bytes())
    }

    #[test]
    fn routed_pages_build_the_same_shards_and_frequencies_as_the_whole_journal() {
        let first: Vec<(u32, &str)> =
            vec![(1, "a@x.com"), (2, "b@x.com"), (3, "c@x.com"), (4, "d@x.com"), (5, "e@x.com")];
        // Users 2 and 4 listed again (changed mid-listing): 2's login now routes elsewhere, 4 has no key left.
        let second: Vec<(u32, &str)> = vec![(6, "f@x.com"), (2, "moved-far-away@y.org"), (4, ""), (7, "g@x.com")];
        let pages = [page(&first), page(&second)];
        for shards in [1, 2, 5, 8] {
            assert_eq!(build(&pages, shards, true), build(&pages, shards, false), "{shards} shards");
        }
        let url = "https://acme.okta.com/api/v1/users";
        assert_eq!(route_users_page("https://acme.okta.com/api/v1/groups/00g1/users", "[]", 4, 1, 1).unwrap(), None);
        assert!(route_users_page(url, "[{", 4, 1, 1).is_err());
        assert!(route_users_page(url, "[]", 0, 1, 1).is_err());
        assert_eq!(superseded_from_json(r#"{"00u1":[3,9],"00u2":[]}"#).unwrap().len(), 2);
        assert!(superseded_from_json("[1]").is_err());
    }
}
