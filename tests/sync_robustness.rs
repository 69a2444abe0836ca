//! The machine must never panic, whatever the server sends and however the driver times things:
//! random statuses, hostile headers (huge, negative, duplicated, garbage), random Link headers,
//! random bodies, responses out of order, unknown request ids and a clock that jumps.

use okta_directory::sync::{Action, OrgUrl, OrgUrlPolicy, Response, SyncConfig, SyncMachine};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const STATUSES: &[u16] = &[200, 200, 200, 200, 429, 429, 500, 502, 503, 504, 400, 401, 403, 404, 302, 0, 999];
const NUMBERS: &[&str] =
    &["0", "1", "600", "18446744073709551615", "99999999999999999999", "-1", "abc", "1, 2", " 5 ,x", ""];
const DATES: &[&str] =
    &["Tue, 14 May 2024 10:15:30 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "garbage", "Fri, 31 Dec 9999 23:59:59 GMT"];
const LINKS: &[&str] = &[
    "<https://acme.okta.com/api/v1/users?after=1>; rel=\"next\"",
    "<https://acme.okta.com/api/v1/groups?after=2>; rel=next",
    "<https://acme.okta.com/api/v1/groups/00g1/users?after=3>; rel=\"next self\"",
    "<https://evil.example/x>; rel=\"next\"",
    "<https://acme.okta.com@evil.example/>; rel=next",
    "</api/v1/users?after=4>; rel=next",
    "<>; rel=next",
    "<<<;;;\"\\",
    "",
];
const BODIES: &[&str] = &[
    "[]",
    "[{\"id\":\"00u1\",\"status\":\"DEPROVISIONED\",\"profile\":{\"login\":\"a@b.c\"}}]",
    "[{\"id\":\"00g1\",\"type\":\"OKTA_GROUP\",\"profile\":{\"name\":\"G\"}}]",
    "[{\"id\":\"00u2\",\"profile\":{\"firstName\":[1,{\"a\":null}],\"dob\":\"31/02/1990\"}}]",
    "[null, 1, \"x\"]",
    "{\"errorCode\":\"E0000047\",\"errorId\":\"abc\"}",
    "{\"errorCode\":\"<script>\",\"errorId\":\"a b\"}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "not json",
    "",
    "\u{0}\u{feff}[]",
];

#[test]
fn random_servers_never_panic_the_machine() {
    let org = OrgUrl::parse("https://acme.okta.com", OrgUrlPolicy::default()).expect("valid org");
    let mut finished = 0;
    // Next links to another origin (or with userinfo) handed to the machine, and requests it emitted.
    let (mut foreign_links, mut sends) = (0, 0);
    for seed in 1..=400u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut cfg = SyncConfig::new(org.clone());
        cfg.max_pages_per_stream = 20;
        cfg.max_in_flight = 1 + (seed % 4) as usize;
        let mut m = SyncMachine::new(cfg);
        let mut now: u64 = rng.next() % 1_000_000;
        let mut in_flight: Vec<(u64, String)> = Vec::new();
        for _ in 0..3_000 {
            // The clock mostly moves forward, sometimes jumps, rarely goes back.
            now = match rng.next() % 20 {
                0 => now.saturating_sub(rng.next() % 5_000),
                1 => now.saturating_add(rng.next() % 10_000_000),
                _ => now.saturating_add(rng.next() % 3_000),
            };
            if !in_flight.is_empty() && rng.next() % 3 == 0 {
                let idx = (rng.next() % in_flight.len() as u64) as usize;
                let (id, url) = in_flight.swap_remove(idx);
                if rng.next() % 10 < 8 {
                    let page = plausible(&mut rng, &url);
                    foreign_links += usize::from(page.headers.get("link").is_some_and(|l| l.contains("evil.example")));
                    m.on_response(id, page, now);
                    continue;
                }
                let status = *rng.pick(STATUSES);
                if status == 0 {
                    m.on_network_error(id, now);
                    continue;
                }
                let mut headers = vec![];
                for name in ["Date", "X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset", "Link"] {
                    for _ in 0..(rng.next() % 3) {
                        let value = match name {
                            "Date" => *rng.pick(DATES),
                            "Link" => *rng.pick(LINKS),
                            _ => *rng.pick(NUMBERS),
                        };
                        headers.push((name.to_string(), value.to_string()));
                    }
                }
                m.on_response(id, Response::new(status, headers, *rng.pick(BODIES)), now);
                if rng.next() % 10 == 0 {
                    m.on_response(rng.next(), Response::new(200, vec![], "[]"), now);
                    // unknown id
                }
                let _ = m.checkpoint();
                continue;
            }
            match m.poll(now) {
                Action::Send(id, req) => {
                    // Nothing, and above all no credential, ever goes anywhere but the org's origin.
                    assert!(
                        req.url.starts_with("https://acme.okta.com/"),
                        "request off the org's origin: {} (seed {seed})",
                        req.url
                    );
                    sends += 1;
                    in_flight.push((id, req.url));
                }
                Action::Wait(ms, _) => {
                    if in_flight.is_empty() {
                        assert_ne!(ms, u64::MAX, "waits for a response with nothing in flight (seed {seed})");
                        now = now.saturating_add(ms);
                    }
                }
                Action::Done(_) | Action::Failed(_) => {
                    finished += 1;
                    break;
                }
            }
        }
        let _ = m.progress();
        let _ = m.result();
    }
    assert!(finished > 300, "{finished} of 400 runs finished");
    // The origin check above was exercised: foreign next links were served on well-formed pages, among
    // thousands of requests.
    assert!(foreign_links > 50 && sends > 1_000, "{foreign_links} foreign links, {sends} requests");
}

/// A well-formed page for `url`, usually with a same-origin next link, and plausible rate-limit headers.
fn plausible(rng: &mut Rng, url: &str) -> Response {
    let n = rng.next() % 4;
    let item = |i: u64, rng: &mut Rng| {
        let id = rng.next() % 50;
        if url.contains("/api/v1/groups?") {
            format!("{{\"id\":\"00g{id}\",\"type\":\"OKTA_GROUP\",\"profile\":{{\"name\":\"G{i}\"}}}}")
        } else {
            format!("{{\"id\":\"00u{id}\",\"status\":\"ACTIVE\",\"profile\":{{\"login\":\"u{i}@x.io\"}}}}")
        }
    };
    let items: Vec<String> = (0..n).map(|i| item(i, rng)).collect();
    let mut headers = vec![
        ("Date".to_string(), "Tue, 14 May 2024 10:15:30 GMT".to_string()),
        ("X-Rate-Limit-Limit".to_string(), "600".to_string()),
        ("X-Rate-Limit-Remaining".to_string(), (rng.next() % 600).to_string()),
        ("X-Rate-Limit-Reset".to_string(), (1_715_681_730 + rng.next() % 60).to_string()),
    ];
    let base = url.split('?').next().unwrap_or("");
    match rng.next() % 20 {
        // Now and then a next link to another origin, or to this host name as userinfo of another.
        0 => headers.push((
            "Link".to_string(),
            format!("<https://evil.example/api/v1/users?after={}>; rel=\"next\"", rng.next() % 1000),
        )),
        1 => headers
            .push(("Link".to_string(), "<https://acme.okta.com@evil.example/api/v1/users>; rel=next".to_string())),
        2..=12 => headers.push(("Link".to_string(), format!("<{base}?after={}>; rel=\"next\"", rng.next() % 1000))),
        _ => {}
    }
    Response::new(200, headers, format!("[{}]", items.join(",")))
}
