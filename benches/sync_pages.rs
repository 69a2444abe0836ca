//! Criterion benchmark of the sync's page handling (native only): a journaled full sync of canned
//! Okta pages, as the wasm session runs it (users pages parsed and normalized, users moved into the
//! snapshot builder page by page, members pages reduced to ids, then groups and memberships joined and the
//! snapshot written), side by side with the owning-`Directory` path the session used before.
//!
//! `cargo bench --bench sync_pages` reports users per second for 10,000 users in 5 groups (each user
//! in the built-in group plus about 1.4 others, as the emulator generates) for both paths
//! (`SYNC_PAGES_ONCE=1 SYNC_PAGES_KEEP=directory` runs one sync of the old path). No network, no clock: the
//! responses answer at once. On wasm32 this target compiles to an empty `main`.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::HashMap;
    use std::hint::black_box;

    use criterion::{criterion_group, Criterion, Throughput};
    use okta_directory::directory::{encode, Directory, DirectoryConfig, DirectoryDelta, SnapshotBuilder, SyncMeta};
    use okta_directory::sync::{Action, Membership, OrgUrl, OrgUrlPolicy, Response, SyncConfig, SyncMachine};

    const ORG: &str = "https://acme.okta.com";
    const PAGE: usize = 200;
    const FIRST: [&str; 8] = ["Renée", "José", "Ana", "Łukasz", "Mei", "Omar", "Zoë", "John"];
    const LAST: [&str; 8] = ["Johnson", "Núñez García", "Müller", "O'Brien", "Nguyễn", "Smith", "Kowalski", "Lee"];

    /// An Okta id of 20 characters.
    fn id(prefix: &str, n: usize) -> String {
        format!("{prefix}{n:011}Ab0g4x").chars().take(20).collect()
    }

    /// One user object as Okta lists it (top-level noise, ~20 profile attributes, links, credentials).
    fn user_json(n: usize) -> String {
        let (first, last) = (FIRST[n % 8], LAST[(n / 8) % 8]);
        let uid = id("00u", n);
        let status = ["ACTIVE", "ACTIVE", "ACTIVE", "SUSPENDED", "DEPROVISIONED", "STAGED"][n % 6];
        format!(
            r#"{{"id":"{uid}","status":"{status}","created":"2021-12-09T04:27:55.000Z","activated":"2021-12-09T04:31:35.000Z","statusChanged":null,"lastLogin":"2022-01-20T04:27:55.000Z","lastUpdated":"2022-01-03T04:27:55.000Z","passwordChanged":null,"type":{{"id":"oty1162QAr8hJjTaq0g4"}},"profile":{{"login":"user{n}@example.com","email":"user{n}@example.com","firstName":"{first}","lastName":"{last}","middleName":"Ashley","displayName":"{first} {last}","mobilePhone":"+1561960{n:04}","primaryPhone":"(309) 034-4068","streetAddress":"122 5th Ave Apt 4B","city":"Seattle","state":"WA","zipCode":"98101","countryCode":"US","locale":"en_US","timezone":"America/Chicago","employeeNumber":"{n:07}","department":"Human Resources","title":"Engineer","userType":"Employee","birthdate":"1965-05-05"}},"_links":{{"self":{{"href":"{ORG}/api/v1/users/{uid}"}}}},"credentials":{{"password":{{}},"provider":{{"type":"OKTA","name":"OKTA"}}}}}}"#
        )
    }

    /// Canned listings: URL → (body, next URL).
    pub struct Org {
        pages: HashMap<String, (String, Option<String>)>,
        pub users: usize,
    }

    fn listing(pages: &mut HashMap<String, (String, Option<String>)>, first: &str, items: &[String]) {
        let chunks: Vec<&[String]> = items.chunks(PAGE).collect();
        let url = |i: usize| if i == 0 { first.to_string() } else { format!("{first}&after={i}") };
        for (i, chunk) in chunks.iter().enumerate() {
            let next = (i + 1 < chunks.len()).then(|| url(i + 1));
            pages.insert(url(i), (format!("[{}]", chunk.join(",")), next));
        }
        if chunks.is_empty() {
            pages.insert(first.to_string(), ("[]".to_string(), None));
        }
    }

    impl Org {
        pub fn new(users: usize, groups: usize) -> Org {
            let api = format!("{ORG}/api/v1");
            let mut pages = HashMap::new();
            let all: Vec<String> = (0..users).map(user_json).collect();
            listing(&mut pages, "USERS", &all);
            let group_json: Vec<String> = (0..groups)
                .map(|g| {
                    let t = if g == 0 { "BUILT_IN" } else { "OKTA_GROUP" };
                    format!(r#"{{"id":"{}","type":"{t}","profile":{{"name":"Group {g}"}}}}"#, id("00g", g))
                })
                .collect();
            pages.insert(format!("{api}/groups?limit=200"), (format!("[{}]", group_json.join(",")), None));
            for g in 0..groups {
                let members: Vec<String> =
                    (0..users).filter(|n| g == 0 || (n * 7 + g) % groups < 2).map(|n| all[n].clone()).collect();
                listing(&mut pages, &format!("{api}/groups/{}/users?limit=200", id("00g", g)), &members);
            }
            Org { pages, users }
        }

        fn answer(&self, url: &str) -> Response {
            // The users listing's first URL carries the machine's filter: key it by its path.
            let key = match url.find("/api/v1/users?") {
                Some(_) => url.find("&after=").map_or("USERS".to_string(), |at| format!("USERS{}", &url[at..])),
                None => url.to_string(),
            };
            let (body, next) = self.pages.get(&key).expect("a canned page");
            let mut headers = vec![("date".to_string(), "Mon, 14 Jul 2025 10:00:00 GMT".to_string())];
            if let Some(next) = next {
                let next = match next.strip_prefix("USERS") {
                    Some(after) => format!("{url_base}{after}", url_base = url.split("&after=").next().unwrap_or(url)),
                    None => next.clone(),
                };
                headers.push(("link".to_string(), format!("<{next}>; rel=\"next\"")));
            }
            Response::new(200, headers, body.clone())
        }
    }

    /// Where a journaled sync keeps its users and how it writes the snapshot.
    #[derive(Clone, Copy)]
    pub enum Keep {
        /// An owning `Directory` built with `apply_delta`, then `encode` (the session before the builder).
        Directory,
        /// The `SnapshotBuilder` (what the wasm session does).
        Builder,
    }

    enum Kept {
        Directory(Box<Directory>),
        Builder(SnapshotBuilder),
    }

    /// One journaled full sync into a snapshot, as the wasm session does it; returns the snapshot's length
    /// and user count.
    pub fn sync(org: &Org, keep: Keep) -> (usize, usize) {
        let mut config = SyncConfig::new(OrgUrl::parse(ORG, OrgUrlPolicy::default()).expect("org"));
        config.max_in_flight = 8;
        let mut machine = SyncMachine::new(config);
        machine.enable_journal();
        let mut kept = match keep {
            Keep::Directory => Kept::Directory(Box::new(Directory::build(
                Vec::new(),
                Vec::new(),
                &[],
                DirectoryConfig::default(),
                SyncMeta::default(),
            ))),
            Keep::Builder => Kept::Builder(SnapshotBuilder::new(DirectoryConfig::default(), SyncMeta::default())),
        };
        let mut queue = Vec::new();
        loop {
            match machine.poll(0) {
                Action::Send(id, request) => queue.push((id, org.answer(&request.url))),
                Action::Wait(..) => {
                    for (id, response) in queue.drain(..) {
                        machine.on_response(id, response, 0);
                        let _ = machine.take_journal_page();
                        let users = machine.take_users();
                        match &mut kept {
                            Kept::Directory(dir) => {
                                let upsert_users = users.into_iter().map(|u| u.user).collect();
                                dir.apply_delta(DirectoryDelta { upsert_users, ..DirectoryDelta::default() });
                            }
                            Kept::Builder(builder) => {
                                for u in users {
                                    builder.upsert_user(u.user);
                                }
                            }
                        }
                    }
                }
                Action::Done(_) => break,
                Action::Failed(e) => panic!("sync failed: {e}"),
            }
        }
        let (groups, members) = machine.take_groups_and_members().expect("done");
        let (bytes, users) = match kept {
            Kept::Directory(mut dir) => {
                let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
                dir.apply_delta(DirectoryDelta { upsert_groups: groups, ..DirectoryDelta::default() });
                for (group_id, users) in ids.into_iter().zip(members) {
                    let add_memberships =
                        users.into_iter().map(|user_id| Membership { group_id: group_id.clone(), user_id }).collect();
                    dir.apply_delta(DirectoryDelta { add_memberships, ..DirectoryDelta::default() });
                }
                (encode(&dir), dir.len())
            }
            Kept::Builder(builder) => {
                let (bytes, counts) = builder.finish(groups, members).expect("snapshot");
                (bytes, counts.users)
            }
        };
        black_box(&bytes);
        (bytes.len(), users)
    }

    fn bench_sync(c: &mut Criterion) {
        let org = Org::new(10_000, 5);
        let (len, users) = sync(&org, Keep::Builder);
        assert_eq!(users, org.users);
        assert_eq!(sync(&org, Keep::Directory), (len, users), "both paths write the same snapshot size");
        let mut group = c.benchmark_group("sync_pages");
        group.sample_size(10);
        group.throughput(Throughput::Elements(org.users as u64));
        group.bench_function("journaled full sync to snapshot, 10k users / 5 groups, SnapshotBuilder", |b| {
            b.iter(|| sync(black_box(&org), Keep::Builder))
        });
        group.bench_function("journaled full sync to snapshot, 10k users / 5 groups, owning Directory", |b| {
            b.iter(|| sync(black_box(&org), Keep::Directory))
        });
        group.finish();
    }

    criterion_group!(benches, bench_sync);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // `SYNC_PAGES_ONCE=1`: one sync and exit (for callgrind).
    if std::env::var_os("SYNC_PAGES_ONCE").is_some() {
        let org = native::Org::new(10_000, 5);
        let keep = match std::env::var("SYNC_PAGES_KEEP").as_deref() {
            Ok("directory") => native::Keep::Directory,
            _ => native::Keep::Builder,
        };
        assert_eq!(native::sync(&org, keep).1, org.users);
        return;
    }
    native::benches();
    criterion::Criterion::default().configure_from_args().final_summary();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
