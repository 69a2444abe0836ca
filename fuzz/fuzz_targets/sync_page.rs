//! The Okta list-page parsers (users, groups, group members) on arbitrary bodies, through the sync
//! machine's public API: never a panic; a page either commits whole (one page counted, at most as many
//! users or memberships as it has items) or changes nothing but the retry/failure state; and the request
//! that follows stays on the org's origin.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_directory::sync::{Action, OrgUrl, OrgUrlPolicy, Response, SyncConfig, SyncMachine};

const ORIGIN: &str = "https://acme.okta.com";
const GROUPS_PAGE: &str = r#"[{"id":"00g1","type":"OKTA_GROUP","profile":{"name":"G"}}]"#;

fn send(machine: &mut SyncMachine, now: u64) -> Option<(u64, String)> {
    match machine.poll(now) {
        Action::Send(id, request) => Some((id, request.url)),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(body) = std::str::from_utf8(rest) else { return };
    let Ok(org) = OrgUrl::parse(ORIGIN, OrgUrlPolicy::default()) else { return };
    let mut machine = SyncMachine::new(SyncConfig::new(org));
    let Some((users_id, _)) = send(&mut machine, 0) else { panic!("no users request") };
    let Some((groups_id, _)) = send(&mut machine, 0) else { panic!("no groups request") };
    let target = match selector % 3 {
        0 => users_id,
        1 => groups_id,
        _ => {
            machine.on_response(groups_id, Response::new(200, vec![], GROUPS_PAGE), 1);
            let Some((members_id, url)) = send(&mut machine, 1) else { panic!("no members request") };
            assert!(url.contains("/groups/00g1/users"));
            members_id
        }
    };
    let before = machine.progress();
    let items = serde_json::from_str::<serde_json::Value>(body).ok().and_then(|v| v.as_array().map(Vec::len));
    machine.on_response(target, Response::new(200, vec![], body), 2);
    let after = machine.progress();
    if after.pages > before.pages {
        let n = items.expect("a committed page is a JSON array") as u64;
        assert_eq!(after.pages, before.pages + 1);
        assert!(after.users - before.users <= n);
        assert!(after.groups - before.groups <= n);
        assert!(after.memberships - before.memberships <= n);
    } else {
        assert_eq!((after.users, after.groups, after.memberships), (before.users, before.groups, before.memberships));
    }
    // Whatever the body, the next request (a retry or the next listing) is on the org's origin.
    for now in [3, 10_000] {
        match machine.poll(now) {
            Action::Send(_, request) => assert!(request.url.starts_with(ORIGIN)),
            Action::Failed(e) => assert!(!e.code().is_empty()),
            _ => {}
        }
    }
});
