//! The page journal: users and memberships leave the machine page by page (for an append-only journal
//! kept by the driver), checkpoints stay small, and an interrupted sync resumes from a checkpoint plus
//! the journal pages it covers to the same directory, without refetching a completed page.

mod common;

use std::collections::HashMap;

use common::*;
use okta_directory::profile::NormalizedUser;
use okta_directory::sync::{Action, JournalPage, Response, SyncMachine, SyncResult};

/// What a journaled run produced.
struct JournalRun {
    /// (request URL, body) of every page the machine asked to journal, in order.
    journal: Vec<(String, String)>,
    /// Users handed out, in order.
    users: Vec<NormalizedUser>,
    /// (checkpoint, journal length when it was taken), after every completed page.
    checkpoints: Vec<(okta_directory::sync::Checkpoint, usize)>,
    /// The result once done (users are not in it: they went to the journal).
    result: Option<SyncResult>,
    /// URLs of completed pages.
    completed: Vec<String>,
}

/// Drives a journaled machine against `fake` until done, or until `stop_after` pages completed.
fn run_journaled(machine: &mut SyncMachine, fake: &mut FakeOkta, stop_after: Option<u64>) -> JournalRun {
    let mut out = JournalRun {
        journal: Vec::new(),
        users: machine.take_users(),
        checkpoints: Vec::new(),
        result: None,
        completed: Vec::new(),
    };
    let mut now = 1_000;
    let mut pending: Vec<(u64, u64, String, Response)> = Vec::new();
    let mut pages = machine.progress().pages;
    for _ in 0..1_000_000 {
        pending.sort_by_key(|p| (p.0, p.1));
        while pending.first().is_some_and(|p| p.0 <= now) {
            let (_, id, url, response) = pending.remove(0);
            let body = response.body.clone();
            machine.on_response(id, response, now);
            match machine.take_journal_page() {
                Some(JournalPage::Verbatim) => out.journal.push((url.clone(), body)),
                Some(JournalPage::Rewritten(rewritten)) => out.journal.push((url.clone(), rewritten)),
                None => {}
            }
            out.users.extend(machine.take_users());
            if machine.progress().pages > pages {
                pages = machine.progress().pages;
                out.completed.push(url);
                out.checkpoints.push((machine.checkpoint(), out.journal.len()));
                if stop_after.is_some_and(|s| pages >= s) {
                    return out;
                }
            }
        }
        match machine.poll(now) {
            Action::Send(id, req) => {
                assert!(req.url.starts_with(&format!("{ORIGIN}/")), "a request left the org: {}", req.url);
                let (response, at) = fake.handle(&req, now);
                pending.push((at, id, req.url, response));
            }
            Action::Wait(ms, _) => {
                let next = pending.iter().map(|p| p.0).min().expect("a response in flight");
                now = if ms == u64::MAX { next } else { (now + ms).min(next) };
            }
            Action::Done(_) => {
                out.result = machine.result();
                return out;
            }
            Action::Failed(e) => panic!("sync failed: {e}"),
        }
    }
    panic!("did not terminate");
}

/// Users handed out in journal order, reduced as a directory does: a later copy replaces an earlier one in place.
fn latest_in_place(users: &[NormalizedUser]) -> Vec<NormalizedUser> {
    let mut out: Vec<NormalizedUser> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for u in users {
        let id = u.user.id.clone().expect("id");
        match at.get(&id) {
            Some(&i) => out[i] = u.clone(),
            None => {
                at.insert(id, out.len());
                out.push(u.clone());
            }
        }
    }
    out
}

fn journaled_machine() -> SyncMachine {
    let mut m = SyncMachine::new(config());
    m.enable_journal();
    m
}

fn make_fake() -> FakeOkta {
    let mut f = FakeOkta::new(330, 4);
    f.page_cap = 40;
    f
}

#[test]
fn journaled_sync_yields_the_same_directory_with_small_checkpoints() {
    let expected = ok(&sync(&mut make_fake())).clone();
    let run = run_journaled(&mut journaled_machine(), &mut make_fake(), None);
    let result = run.result.expect("done");
    assert!(result.users.is_empty(), "users stay out of the machine");
    assert_eq!(latest_in_place(&run.users), expected.users);
    assert_eq!(result.groups, expected.groups);
    assert_eq!(result.memberships, expected.memberships);
    assert_eq!(result.summary.users_by_status, expected.summary.users_by_status);
    assert_eq!(result.summary.users, expected.summary.users);
    // Every users and members page is journaled once; the groups page is not (groups stay in the checkpoint).
    let groups_pages = run.completed.iter().filter(|u| u.contains("/groups?")).count();
    assert_eq!(run.journal.len(), run.completed.len() - groups_pages);
    // Members pages are journaled as their ids only (replaying them is checked by the resume test below).
    let members: Vec<&String> = run.journal.iter().filter(|(u, _)| u.contains("/groups/")).map(|(_, b)| b).collect();
    assert!(!members.is_empty());
    for body in members {
        let items: Vec<serde_json::Value> = serde_json::from_str(body).expect("a JSON array");
        assert!(items.iter().all(|i| i.as_object().is_some_and(|o| o.len() == 1 && o["id"].is_string())), "{body}");
    }
    let users_pages: Vec<&String> =
        run.journal.iter().filter(|(u, _)| u.contains("/api/v1/users?")).map(|(_, b)| b).collect();
    assert!(!users_pages.is_empty() && users_pages.iter().all(|b| b.contains("\"profile\"")), "users pages verbatim");
    // A checkpoint is cursors only: its size does not grow with users.
    let sizes: Vec<usize> =
        run.checkpoints.iter().map(|(c, _)| serde_json::to_string(c).expect("json").len()).collect();
    let last_users_checkpoint = run.checkpoints.iter().rposition(|(c, _)| c.users.pages > 0).expect("a users page");
    let in_memory =
        run_journaled(&mut SyncMachine::new(config()), &mut make_fake(), Some(last_users_checkpoint as u64 + 1));
    let full_size = serde_json::to_string(&in_memory.checkpoints.last().expect("checkpoint").0).expect("json").len();
    assert!(sizes.iter().all(|&s| s * 10 < full_size), "{sizes:?} vs {full_size}");
}

#[test]
fn interrupted_journaled_sync_resumes_from_checkpoint_and_journal_without_refetching() {
    let full = run_journaled(&mut journaled_machine(), &mut make_fake(), None);
    let expected_users = latest_in_place(&full.users);
    let expected = full.result.expect("done");
    let total = expected.summary.progress.pages;
    assert!(total >= 15, "{total}");
    for k in 1..total {
        // Interrupted after k pages; the journal runs two pages ahead of the last saved checkpoint,
        // as when the process dies between two checkpoint saves.
        let first = run_journaled(&mut journaled_machine(), &mut make_fake(), Some((k + 2).min(total - 1)));
        let (checkpoint, _) = first.checkpoints[(k - 1) as usize].clone();
        let text = serde_json::to_string(&checkpoint).expect("json");
        let mut machine =
            SyncMachine::resume(config(), serde_json::from_str(&text).expect("checkpoint")).expect("resume");
        let covered = machine.journal_pages_to_replay() as usize;
        assert!(covered <= first.journal.len(), "k={k}");
        for (url, body) in &first.journal[..covered] {
            machine.replay_page(url, body).expect("replay");
        }
        let mut second_fake = make_fake();
        let second = run_journaled(&mut machine, &mut second_fake, None);
        let result = second.result.expect("done");
        assert_eq!(latest_in_place(&second.users), expected_users, "k={k}");
        assert_eq!(result.groups, expected.groups, "k={k}");
        assert_eq!(result.memberships, expected.memberships, "k={k}");
        assert_eq!(result.summary.users_by_status, expected.summary.users_by_status, "k={k}");
        assert_eq!(result.summary.progress.pages, total, "k={k}");
        for done in &first.completed[..k as usize] {
            assert!(!second_fake.requests.contains(done), "k={k}: refetched {done}");
        }
    }
}

#[test]
fn a_journal_must_match_its_checkpoint() {
    let first = run_journaled(&mut journaled_machine(), &mut make_fake(), Some(6));
    let (checkpoint, _) = first.checkpoints.last().expect("checkpoint").clone();
    let pages = checkpoint.journal.as_ref().expect("journaled").pages as usize;
    assert!(pages >= 2);
    let resume = || SyncMachine::resume(config(), checkpoint.clone()).expect("resume");
    // Not replayed: the machine refuses to run rather than produce a directory with holes.
    let mut m = resume();
    assert!(matches!(m.poll(0), Action::Failed(e) if e.code() == "INVALID_CHECKPOINT"));
    // Too many pages, foreign or unknown pages, unreadable bodies.
    let mut m = resume();
    for (url, body) in &first.journal[..pages] {
        m.replay_page(url, body).expect("replay");
    }
    let (url, body) = &first.journal[0];
    assert_eq!(m.replay_page(url, body).expect_err("extra page").code(), "INVALID_CHECKPOINT");
    let cases = [
        ("https://evil.example/api/v1/users?limit=40", body.as_str()),
        ("https://acme.okta.com/api/v1/groups/00gUNKNOWN/users", "[]"),
        ("https://acme.okta.com/api/v1/logs", "[]"),
        (url.as_str(), "[{"),
    ];
    for (url, body) in cases {
        assert_eq!(resume().replay_page(url, body).expect_err(url).code(), "INVALID_CHECKPOINT", "{url}");
    }
    // A journaled checkpoint that carries users is not trusted.
    let mut tampered = checkpoint.clone();
    tampered.collected.users = first.users[..1].to_vec();
    assert!(SyncMachine::resume(config(), tampered).is_err());
}

/// Users sorted by id.
fn by_id(users: &[NormalizedUser]) -> Vec<NormalizedUser> {
    let mut v = users.to_vec();
    v.sort_by(|a, b| a.user.id.cmp(&b.user.id));
    v
}

fn scoped_config() -> okta_directory::sync::SyncConfig {
    let mut cfg = config();
    cfg.groups = Some(vec!["00g000001".to_string(), "00g000003".to_string()]);
    cfg.workforce_group = Some("00g000002".to_string());
    cfg.page_limit = 25;
    cfg
}

fn scoped_journaled() -> SyncMachine {
    let mut m = SyncMachine::new(scoped_config());
    m.enable_journal();
    m
}

#[test]
fn group_scoped_sync_journals_member_pages_and_resumes_from_them() {
    let expected = ok(&run(&mut SyncMachine::new(scoped_config()), &mut make_fake(), 1_000, None)).clone();
    assert_eq!(expected.summary.mode, okta_directory::sync::SyncMode::Groups);
    let full = run_journaled(&mut scoped_journaled(), &mut make_fake(), None);
    let result = full.result.clone().expect("done");
    assert!(result.users.is_empty(), "users stay out of the machine");
    // Users come from the member pages, which are journaled (there is no users listing).
    assert!(full.journal.iter().all(|(url, _)| url.contains("/groups/") && url.contains("/users")));
    assert_eq!(latest_in_place(&full.users), expected.users);
    assert_eq!(result.groups, expected.groups);
    assert_eq!(result.memberships, expected.memberships);
    assert_eq!(result.summary.users_by_status, expected.summary.users_by_status);
    let total = result.summary.progress.pages;
    assert!(total >= 6, "{total}");
    for k in 1..total {
        let first = run_journaled(&mut scoped_journaled(), &mut make_fake(), Some((k + 1).min(total - 1)));
        let (checkpoint, _) = first.checkpoints[(k - 1) as usize].clone();
        let mut machine = SyncMachine::resume(scoped_config(), checkpoint).expect("resume");
        machine.enable_journal();
        let covered = machine.journal_pages_to_replay() as usize;
        for (url, body) in &first.journal[..covered] {
            machine.replay_page(url, body).expect("replay");
        }
        let second = run_journaled(&mut machine, &mut make_fake(), None);
        let resumed = second.result.expect("done");
        // Member listings run concurrently: after a resume, users arrive in another order (the set is the same).
        assert_eq!(by_id(&latest_in_place(&second.users)), by_id(&expected.users), "k={k}");
        assert_eq!(resumed.memberships, expected.memberships, "k={k}");
        assert_eq!(resumed.summary.users_by_status, expected.summary.users_by_status, "k={k}");
        assert_eq!(resumed.workforce_group_id.as_deref(), Some("00g000002"));
    }
    // A group-scoped journal holds no users listing page: one is a tampered journal.
    let first = run_journaled(&mut scoped_journaled(), &mut make_fake(), Some(3));
    let (checkpoint, _) = first.checkpoints.last().expect("checkpoint").clone();
    let mut m = SyncMachine::resume(scoped_config(), checkpoint).expect("resume");
    let users_page = format!("{ORIGIN}/api/v1/users?limit=25");
    assert_eq!(m.replay_page(&users_page, "[]").expect_err("users page").code(), "INVALID_CHECKPOINT");
}

#[test]
fn a_journaled_full_sync_leaves_out_members_missing_from_the_users_listing_as_its_result_does() {
    let fake = || {
        let mut f = FakeOkta::new(60, 4);
        // Group 1's only members page names a user the users listing never returned (deleted mid-sync).
        f.hook = Some(Box::new(|_, req: &okta_directory::sync::Request, _| {
            req.url.contains("/groups/00g000001/users").then(|| {
                let body = serde_json::json!([user_json(1), user_json(5), user_json(99_999)]).to_string();
                Response::new(200, vec![("Content-Type".to_string(), "application/json".to_string())], body)
            })
        }));
        f
    };
    let expected = ok(&sync(&mut fake())).clone();
    let ghost = format!("00u{:08}", 99_999);
    assert!(!expected.memberships.iter().any(|m| m.user_id == ghost));
    let mut machine = journaled_machine();
    let run = run_journaled(&mut machine, &mut fake(), None);
    assert_eq!(run.result.expect("done").memberships, expected.memberships);
    let (groups, members) = machine.take_groups_and_members().expect("done");
    let pairs: Vec<(String, String)> =
        groups.iter().zip(&members).flat_map(|(g, ids)| ids.iter().map(|u| (g.id.clone(), u.clone()))).collect();
    let want: Vec<(String, String)> =
        expected.memberships.iter().map(|m| (m.group_id.clone(), m.user_id.clone())).collect();
    assert_eq!(pairs, want);
    assert!(machine.result().is_some_and(|r| r.groups.is_empty()), "moved out");
}

#[test]
fn incremental_runs_do_not_journal_and_checkpoints_keep_the_two_apart() {
    let mut cfg = config();
    cfg.incremental = Some(okta_directory::sync::IncrementalConfig::since(1_715_681_000_000));
    let mut m = SyncMachine::new(cfg.clone());
    m.enable_journal();
    assert!(!m.is_journaled(), "an incremental result is a small delta: no journal");
    // Interrupted incremental run: its checkpoint carries the incremental state and no journal position. The
    // System Log polling listing starts with the run, so the fake answers it (an empty page: caught up).
    let mut fake = make_fake();
    fake.hook = Some(Box::new(|_, req: &okta_directory::sync::Request, _| {
        req.url.contains("/api/v1/logs?").then(|| okta_directory::sync::Response::new(200, vec![], "[]"))
    }));
    let first = run_journaled(&mut m, &mut fake, Some(3));
    assert!(first.journal.is_empty());
    let (checkpoint, _) = first.checkpoints.last().expect("checkpoint").clone();
    assert!(checkpoint.incremental.is_some() && checkpoint.journal.is_none());
    SyncMachine::resume(cfg.clone(), checkpoint.clone()).expect("an incremental checkpoint resumes");
    // A checkpoint claiming both is refused, and so is a journaled one for an incremental run or vice versa.
    let mut both = checkpoint.clone();
    both.journal = Some(okta_directory::sync::JournalPosition { pages: 0, chain: String::new() });
    assert_eq!(SyncMachine::resume(cfg.clone(), both).expect_err("both").code(), "INVALID_CHECKPOINT");
    let journaled = run_journaled(&mut journaled_machine(), &mut make_fake(), Some(3));
    let (full_checkpoint, _) = journaled.checkpoints.last().expect("checkpoint").clone();
    assert!(full_checkpoint.journal.is_some() && full_checkpoint.incremental.is_none());
    assert_eq!(SyncMachine::resume(cfg, full_checkpoint).expect_err("kind").code(), "INVALID_CHECKPOINT");
    assert_eq!(SyncMachine::resume(config(), checkpoint).expect_err("kind").code(), "INVALID_CHECKPOINT");
}

fn journaled_run(run_id: &str) -> SyncMachine {
    let mut c = config();
    c.run_id = run_id.to_string();
    let mut m = SyncMachine::new(c);
    m.enable_journal();
    m
}

/// Issue finding 1, at the machine: run A is interrupted after a checkpoint; run B (same command, another
/// run) rewrites the journal and is interrupted too; a resume from A's checkpoint over B's journal must
/// not replay B's pages under A's cursors. Before the hash chain it replayed them and completed with holes.
#[test]
fn a_checkpoint_never_resumes_over_another_runs_journal() {
    let a = run_journaled(&mut journaled_run("run-a"), &mut make_fake(), Some(12));
    let (checkpoint, _) = a.checkpoints[9].clone();
    // B runs later: a user changed and a user was added in between (the pages differ, as they would in Okta).
    let mut other = make_fake();
    other.users[3]["profile"]["firstName"] = serde_json::json!("Renamed");
    other.users.insert(1, user_json(9_999));
    let b = run_journaled(&mut journaled_run("run-b"), &mut other, Some(14));
    let pages = checkpoint.journal.as_ref().expect("journaled").pages as usize;
    assert!(b.journal.len() >= pages);
    let mut m = SyncMachine::resume(config(), checkpoint.clone()).expect("resume");
    let mut failure = None;
    for (url, body) in &b.journal[..pages] {
        if let Err(e) = m.replay_page(url, body) {
            failure = Some(e);
            break;
        }
    }
    let e = failure.expect("another run's journal must not replay");
    assert_eq!(e.code(), "INVALID_CHECKPOINT");
    // Neither a run nor a checkpoint comes out of the mix.
    assert!(!m.can_checkpoint());
    assert!(matches!(m.poll(0), Action::Failed(e) if e.code() == "INVALID_CHECKPOINT"));
    // The same pages in another order, or one page altered, fail the same way; A's own journal replays.
    let mut swapped = a.journal[..pages].to_vec();
    swapped.swap(0, 1);
    let mut altered = a.journal[..pages].to_vec();
    let users_page = altered.iter().position(|(_, b)| b.contains("First")).expect("a users page");
    altered[users_page].1 = altered[users_page].1.replacen("First", "Fxrst", 1);
    for journal in [swapped, altered] {
        let mut m = SyncMachine::resume(config(), checkpoint.clone()).expect("resume");
        let replayed: Result<Vec<()>, _> = journal.iter().map(|(u, b)| m.replay_page(u, b)).collect();
        assert_eq!(replayed.expect_err("a reordered or altered journal").code(), "INVALID_CHECKPOINT");
        assert!(!m.can_checkpoint());
    }
    let mut m = SyncMachine::resume(config(), checkpoint.clone()).expect("resume");
    for (url, body) in &a.journal[..pages] {
        m.replay_page(url, body).expect("its own journal replays");
    }
    assert!(m.can_checkpoint());
    assert_eq!(m.checkpoint().run_id, "run-a");
    assert_eq!(m.checkpoint().journal, checkpoint.journal);
}

/// The chain proves content, not provenance: the same pages from another run (identical data) replay.
#[test]
fn an_identical_journal_replays_whoever_wrote_it() {
    let a = run_journaled(&mut journaled_run("run-a"), &mut make_fake(), Some(8));
    let b = run_journaled(&mut journaled_run("run-b"), &mut make_fake(), Some(8));
    let (checkpoint, _) = a.checkpoints.last().expect("checkpoint").clone();
    let pages = checkpoint.journal.as_ref().expect("journaled").pages as usize;
    let mut m = SyncMachine::resume(config(), checkpoint).expect("resume");
    for (url, body) in &b.journal[..pages] {
        m.replay_page(url, body).expect("identical pages");
    }
    assert!(m.can_checkpoint());
}

/// A resumed machine that has not replayed its pages yet offers no checkpoint (the CLI once saved one with the
/// replayed count and the old cursors, and the next resume completed with thousands of users missing).
#[test]
fn no_checkpoint_is_offered_before_the_journal_is_replayed_and_proven() {
    let a = run_journaled(&mut journaled_run("run-a"), &mut make_fake(), Some(8));
    let (checkpoint, _) = a.checkpoints.last().expect("checkpoint").clone();
    let pages = checkpoint.journal.as_ref().expect("journaled").pages as usize;
    let mut m = SyncMachine::resume(config(), checkpoint.clone()).expect("resume");
    assert!(!m.can_checkpoint());
    m.replay_page(&a.journal[0].0, &a.journal[0].1).expect("first page");
    assert!(!m.can_checkpoint(), "a short journal is not a checkpoint");
    // A checkpoint whose chain was tampered with, or that has none, is refused at once.
    let mut bad = checkpoint.clone();
    bad.journal = Some(okta_directory::sync::JournalPosition { pages: pages as u64, chain: "zz".into() });
    assert_eq!(SyncMachine::resume(config(), bad).err().map(|e| e.code()), Some("INVALID_CHECKPOINT"));
}

fn journal_only_machine() -> SyncMachine {
    let mut m = SyncMachine::new(config());
    m.enable_journal();
    m.journal_only();
    m
}

#[test]
fn a_journal_only_sync_keeps_nothing_and_resumes_without_a_replay_to_the_same_journal() {
    let full = run_journaled(&mut journaled_machine(), &mut make_fake(), None);
    let total = full.result.as_ref().expect("done").summary.progress.pages;
    let only = run_journaled(&mut journal_only_machine(), &mut make_fake(), None);
    assert!(only.users.is_empty(), "no user leaves a journal-only machine: it keeps none");
    assert!(only.journal == full.journal, "the same pages journaled");
    let result = only.result.expect("done");
    assert!(result.memberships.is_empty() && result.summary.users_by_status.is_empty());
    assert_eq!(result.groups, full.result.as_ref().expect("done").groups);
    for k in [1, total / 2, total - 2] {
        let first = run_journaled(&mut journal_only_machine(), &mut make_fake(), Some(k));
        let (checkpoint, covered) = first.checkpoints.last().expect("checkpoint").clone();
        let text = serde_json::to_string(&checkpoint).expect("json");
        let mut machine =
            SyncMachine::resume(config(), serde_json::from_str(&text).expect("checkpoint")).expect("resume");
        machine.enable_journal();
        machine.journal_only();
        assert_eq!(machine.journal_pages_to_replay(), 0, "nothing to replay");
        let mut second_fake = make_fake();
        let second = run_journaled(&mut machine, &mut second_fake, None);
        // The same pages (in flight requests may complete in another order after a resume).
        let mut journal = first.journal[..covered].to_vec();
        journal.extend(second.journal);
        journal.sort();
        let mut want = full.journal.clone();
        want.sort();
        assert!(journal == want, "k={k}: the resumed journal holds other pages than the uninterrupted one");
        let done = second.result.expect("done");
        assert_eq!(done.summary.progress.pages, total, "k={k}");
        assert_eq!(done.summary.users, full.result.as_ref().expect("done").summary.users, "k={k}: users counted");
        for page in &first.completed {
            assert!(!second_fake.requests.contains(page), "k={k}: refetched {page}");
        }
        // The resumed run's checkpoints carry on the chain: a later resume from them is accepted.
        let (last, _) = second.checkpoints.last().expect("checkpoint");
        assert!(SyncMachine::resume(config(), last.clone()).is_ok());
    }
}

/// Drives a session opened from `options` against `fake` one request at a time, keeping its users in
/// `journal` page by page (as the wasm glue does), until done.
fn run_session(
    options: okta_directory::sync::SessionOptions,
    fake: &mut FakeOkta,
) -> (okta_directory::sync::SyncSession, okta_directory::sync::JournaledDirectory) {
    use okta_directory::sync::{bucket_for, Request, SessionAction};
    let (mut session, builder) = options.open(&[9; 16]).expect("opens");
    let mut journal = okta_directory::sync::JournaledDirectory::new(builder);
    let mut now = 0;
    for _ in 0..100_000 {
        match session.poll(now, 1_715_681_730) {
            SessionAction::Send(out) => {
                let path = out.url.strip_prefix(ORIGIN).unwrap_or("").to_string();
                let bucket = bucket_for(out.method, &path);
                let req = Request { method: out.method, url: out.url, headers: out.headers, needs_auth: true, bucket };
                let (resp, at) = fake.handle(&req, now);
                now = at.max(now);
                session.on_response(out.id, resp, now);
                journal.keep_users(&mut session);
            }
            SessionAction::Wait(ms, _) => now += if ms == u64::MAX { 1 } else { ms },
            SessionAction::Done(_) => return (session, journal),
            other => panic!("unexpected {other:?}"),
        }
    }
    panic!("the session did not finish");
}

fn session_options() -> okta_directory::sync::SessionOptions {
    okta_directory::sync::SessionOptions {
        org_url: ORIGIN.into(),
        api_token: Some("ssws-token".into()),
        page_limit: Some(50),
        ..Default::default()
    }
}

#[test]
fn a_journaled_session_builds_its_snapshot_in_the_core_once() {
    let mut fake = FakeOkta::new(180, 4);
    let (users, groups, memberships) = fake.truth();
    let options = okta_directory::sync::SessionOptions { journal: true, ..session_options() };
    let (mut session, mut journal) = run_session(options, &mut fake);
    let bytes = journal.snapshot(&mut session).expect("a snapshot");
    let dir = okta_directory::directory::CompactDirectory::from_snapshot(&bytes).expect("loads");
    assert_eq!(dir.len(), users.len());
    let summary: serde_json::Value = serde_json::from_str(&journal.summary_json().expect("summary")).expect("JSON");
    assert_eq!(
        (summary["users"].as_u64(), summary["groups"].as_u64(), summary["memberships"].as_u64()),
        (Some(users.len() as u64), Some(groups.len() as u64), Some(memberships.len() as u64))
    );
    // The data moved into the first snapshot: a second is a typed error, not an empty directory.
    assert_eq!(journal.snapshot(&mut session).map_err(|e| e.code()), Err("CONVERSION_FAILED"));
}

#[test]
fn a_session_without_a_journal_has_no_snapshot_to_build() {
    let (mut session, mut journal) = run_session(session_options(), &mut FakeOkta::new(20, 2));
    assert_eq!(journal.snapshot(&mut session).map_err(|e| e.code()), Err("CONVERSION_FAILED"));
    assert_eq!(journal.summary_json().map_err(|e| e.code()), Err("CONVERSION_FAILED"));
    assert_eq!(session.result().expect("its own result").users.len(), 20);
    let result: serde_json::Value =
        serde_json::from_str(&okta_directory::sync::result_json(&session).unwrap()).unwrap();
    assert_eq!(result["users"].as_array().map(Vec::len), Some(20));
    let checkpoint = okta_directory::sync::checkpoint_json(&session).expect("a checkpoint");
    assert_eq!(serde_json::from_str::<okta_directory::sync::Checkpoint>(&checkpoint).unwrap(), session.checkpoint());
    // Before done there is no result to shape: a typed error, not an empty directory.
    let (fresh, _) = session_options().open(&[9; 16]).expect("opens");
    assert_eq!(okta_directory::sync::result_json(&fresh).map_err(|e| e.code()), Err("CONVERSION_FAILED"));
}

#[test]
fn a_journal_only_session_reports_its_summary_and_listed_groups() {
    let mut fake = FakeOkta::new(120, 3);
    let (users, groups, _) = fake.truth();
    let options = okta_directory::sync::SessionOptions { journal_only: true, ..session_options() };
    let (session, _) = run_session(options, &mut fake);
    let listed: Vec<&str> = session.groups().iter().map(|g| g.id.as_str()).collect();
    assert_eq!(listed, groups.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(session.groups(), session.checkpoint().collected.groups.as_slice());
    let outcome: serde_json::Value =
        serde_json::from_str(&okta_directory::sync::journal_result_json(&session)).unwrap();
    assert_eq!(outcome["summary"]["users"].as_u64(), Some(users.len() as u64));
    let ids: Vec<&str> = outcome["groups"].as_array().unwrap().iter().filter_map(|g| g["id"].as_str()).collect();
    assert_eq!(ids, listed);
}
