//! A tiny simulated Okta for the sync tests, and a discrete-event driver that runs a `SyncMachine`
//! against it on a fake clock. The fake serves users/groups/members pages with `Link` headers, sets
//! `Date` and `X-Rate-Limit-*`, enforces per-bucket windows and a concurrency limit (answering 429
//! exactly like Okta), and can be overridden per request by a hook to inject faults.
//! `twins` holds the claims tests' twin pairs (see its own doc).
#![allow(dead_code)]

mod driver;
pub mod twins;
// Each test binary uses a different subset of the driver.
#[allow(unused_imports)]
pub use driver::*;

use std::collections::{BTreeMap, HashMap};

use okta_directory::sync::{bucket_for, Bucket, Method, Request, Response};
use serde_json::{json, Value};

pub const ORIGIN: &str = "https://acme.okta.com";
pub const WINDOW_MS: u64 = 60_000;

/// A hook may answer a request itself (fault injection): (request number, request, server time).
pub type Hook = Box<dyn FnMut(usize, &Request, u64) -> Option<Response>>;

pub struct FakeOkta {
    pub users: Vec<Value>,
    pub groups: Vec<Value>,
    pub members: HashMap<String, Vec<usize>>,
    /// Largest page the server returns, whatever `limit` asks.
    pub page_cap: usize,
    /// Per-bucket requests per window (the app's share); absent = unlimited, no headers.
    pub limits: HashMap<Bucket, u64>,
    pub concurrency_limit: usize,
    /// Server epoch ms = local ms + this.
    pub epoch_offset_ms: u64,
    pub latency_ms: u64,
    pub send_date: bool,
    pub hook: Option<Hook>,
    windows: HashMap<Bucket, (u64, u64)>,
    /// Local times at which in-flight responses are delivered (for the concurrency limit).
    deliveries: Vec<u64>,
    pub requests: Vec<String>,
    pub count_429: usize,
    pub count_concurrency_429: usize,
}

pub fn user_json(i: usize) -> Value {
    let status = match i % 10 {
        0 => "DEPROVISIONED",
        1 => "SUSPENDED",
        2 => "STAGED",
        _ => "ACTIVE",
    };
    json!({
        "id": format!("00u{i:08}"),
        "status": status,
        "lastUpdated": "2024-05-05T18:15:44.000Z",
        "profile": {
            "login": format!("user{i}@example.com"),
            "email": format!("user{i}@example.com"),
            "firstName": format!("First{i}"),
            "lastName": "Núñez",
        },
        "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {"self": {"href": format!("{ORIGIN}/api/v1/users/00u{i:08}")}}
    })
}

impl FakeOkta {
    /// `n_users` users; `n_groups` groups where user i belongs to group i % n_groups (plus every 7th user
    /// also to group 0).
    pub fn new(n_users: usize, n_groups: usize) -> FakeOkta {
        let users = (0..n_users).map(user_json).collect();
        let mut members: HashMap<String, Vec<usize>> = HashMap::new();
        let groups = (0..n_groups)
            .map(|j| {
                let id = format!("00g{j:06}");
                let mut m: Vec<usize> = (0..n_users).filter(|i| i % n_groups == j || (j == 0 && i % 7 == 0)).collect();
                m.dedup();
                members.insert(id.clone(), m);
                let kind = if j == 0 { "BUILT_IN" } else { "OKTA_GROUP" };
                json!({"id": id, "type": kind, "profile": {"name": format!("Group {j}"), "description": null}})
            })
            .collect();
        FakeOkta {
            users,
            groups,
            members,
            page_cap: 200,
            limits: HashMap::new(),
            concurrency_limit: 75,
            epoch_offset_ms: 1_715_681_730_437,
            latency_ms: 100,
            send_date: true,
            hook: None,
            windows: HashMap::new(),
            deliveries: Vec::new(),
            requests: Vec::new(),
            count_429: 0,
            count_concurrency_429: 0,
        }
    }

    /// Ground truth: (user ids incl. DEPROVISIONED, group ids, memberships in group order).
    pub fn truth(&self) -> (Vec<String>, Vec<String>, Vec<(String, String)>) {
        let users = self.users.iter().map(|u| u["id"].as_str().unwrap_or("").to_string()).collect();
        let groups: Vec<String> = self.groups.iter().map(|g| g["id"].as_str().unwrap_or("").to_string()).collect();
        let mut ms = Vec::new();
        for g in &groups {
            for &i in &self.members[g] {
                ms.push((g.clone(), format!("00u{i:08}")));
            }
        }
        (users, groups, ms)
    }

    fn date_header(&self, now: u64) -> String {
        http_date((now + self.epoch_offset_ms) / 1000)
    }

    /// Answers `req` sent at local time `now`; returns the response and its delivery time.
    pub fn handle(&mut self, req: &Request, now: u64) -> (Response, u64) {
        let n = self.requests.len();
        self.requests.push(req.url.clone());
        let deliver = now + self.latency_ms;
        if let Some(hook) = self.hook.as_mut() {
            if let Some(resp) = hook(n, req, now) {
                return (resp, deliver);
            }
        }
        let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        if self.send_date {
            headers.push(("Date".to_string(), self.date_header(now)));
        }
        self.deliveries.retain(|&t| t > now);
        if self.deliveries.len() >= self.concurrency_limit {
            self.count_concurrency_429 += 1;
            headers.push(("X-Rate-Limit-Limit".into(), "0".into()));
            headers.push(("X-Rate-Limit-Remaining".into(), "0".into()));
            headers.push(("X-Rate-Limit-Reset".into(), ((now + self.epoch_offset_ms) / 1000 + 120).to_string()));
            return (Response::new(429, headers, error_body("E0000047")), deliver);
        }
        self.deliveries.push(deliver);
        let path = req.url.strip_prefix(ORIGIN).unwrap_or("");
        let bucket = bucket_for(Method::Get, path);
        if let Some(&limit) = self.limits.get(&bucket) {
            let w = self.windows.entry(bucket).or_insert((now, 0));
            if now >= w.0 + WINDOW_MS {
                *w = (now, 0);
            }
            let reset = (w.0 + WINDOW_MS + self.epoch_offset_ms).div_ceil(1000);
            let over = w.1 >= limit;
            if !over {
                w.1 += 1;
            }
            headers.push(("X-Rate-Limit-Limit".into(), limit.to_string()));
            headers.push(("X-Rate-Limit-Remaining".into(), (limit - w.1).to_string()));
            headers.push(("X-Rate-Limit-Reset".into(), reset.to_string()));
            if over {
                self.count_429 += 1;
                return (Response::new(429, headers, error_body("E0000047")), deliver);
            }
        }
        let (items, next) = self.page(path);
        if let Some(next) = next {
            headers.push(("Link".into(), format!("<{ORIGIN}{}?limit=200>; rel=\"self\"", path_only(path))));
            headers.push(("Link".into(), format!("<{next}>; rel=\"next\"")));
        }
        let status = if items.is_none() { 404 } else { 200 };
        let body = match items {
            Some(items) => Value::Array(items).to_string(),
            None => error_body("E0000007"),
        };
        (Response::new(status, headers, body), deliver)
    }

    fn page(&self, path: &str) -> (Option<Vec<Value>>, Option<String>) {
        let route = path_only(path);
        let q = query(path);
        let limit = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(200usize).min(self.page_cap);
        let after: usize = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
        let all: Vec<&Value> = if route == "/api/v1/users" {
            // Okta: only a search/filter listing includes DEPROVISIONED users.
            let everyone = q.contains_key("filter") || q.contains_key("search");
            self.users.iter().filter(|u| everyone || u["status"] != "DEPROVISIONED").collect()
        } else if route == "/api/v1/groups" {
            self.groups.iter().collect()
        } else if let Some(gid) = route.strip_prefix("/api/v1/groups/").and_then(|r| r.strip_suffix("/users")) {
            match self.members.get(gid) {
                Some(m) => m.iter().map(|&i| &self.users[i]).collect(),
                None => return (None, None),
            }
        } else {
            return (None, None);
        };
        let end = (after + limit).min(all.len());
        let items = all.get(after..end).map(|s| s.iter().map(|v| (*v).clone()).collect()).unwrap_or_default();
        let next = (end < all.len()).then(|| {
            let extra = q.get("filter").map(|f| format!("&filter={f}")).unwrap_or_default();
            format!("{ORIGIN}{route}?after={end}&limit={limit}{extra}")
        });
        (Some(items), next)
    }
}

fn path_only(path: &str) -> &str {
    path.split('?').next().unwrap_or("")
}

fn query(path: &str) -> BTreeMap<String, String> {
    path.split_once('?')
        .map(|(_, q)| {
            q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
        })
        .unwrap_or_default()
}

pub fn error_body(code: &str) -> String {
    json!({"errorCode": code, "errorSummary": "x", "errorLink": code, "errorId": "oaeWaNHfOyQSES34-a2Dw6Phw", "errorCauses": []})
        .to_string()
}

/// Unix seconds → IMF-fixdate.
pub fn http_date(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days (Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[(m - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
