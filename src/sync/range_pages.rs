//! A sync's journal pages fed to a [`ShardRangeBuilder`] (a Worker's ranged publish): users pages and the
//! Workforce group's members pages, parsed exactly as the sync parses them. Here, above directory, because
//! the page formats are the sync's; the builder below only keeps records.

use crate::directory::shard_range::ShardRangeBuilder;
use crate::error::{Error, Result};
use crate::profile::AttributeMapping;
use crate::sync::machine::{parse_member_ids, parse_users};

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
    use super::journal_api_path;

    #[test]
    fn api_paths_of_journaled_urls() {
        assert_eq!(journal_api_path("https://acme.okta.com/api/v1/users?limit=200&after=x"), Some("users"));
        assert_eq!(journal_api_path("https://acme.okta.com/api/v1/groups/00g1/users"), Some("groups/00g1/users"));
        assert_eq!(journal_api_path("/api/v1/users#frag"), Some("users"));
        assert_eq!(journal_api_path("https://acme.okta.com/oauth2/v1/token"), None);
    }
}
