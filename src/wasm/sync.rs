//! The sync session for the SDK's fetch driver (`js/src/sync/`). The core decides every request, credential
//! and wait; the driver (TypeScript) signs with WebCrypto, fetches and sleeps. Results and checkpoints cross
//! as JSON text: they can hold a whole directory, and one string copy beats walking the object graph.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::directory::{decode, DirectoryConfig, SnapshotBuilder, SyncMeta};
use crate::sync::auth::{default_scopes, AuthConfig, Credentials, DpopMode, SigningAlg};
use crate::sync::{
    apply_outcome, Checkpoint, IncrementalConfig, JournalPage, OrgUrl, OrgUrlPolicy, Response, SessionAction,
    SyncConfig, SyncMode, SyncOutcome, SyncSession, SyncSummary,
};
use crate::Error;

#[wasm_bindgen(typescript_custom_section)]
const TS_SYNC: &'static str = r#"
/** Options of a sync session (the SDK builds them from `syncDirectory` options). */
export interface SyncSessionOptions {
  orgUrl: string;
  allowInsecureLoopback?: boolean;
  allowCustomDomain?: boolean;
  apiToken?: string;
  clientId?: string;
  keyId?: string;
  keyAlg?: "RS256" | "ES256";
  scopes?: string[];
  dpop?: "auto" | "required" | "off";
  /** Public JWK of the ephemeral P-256 DPoP key. */
  dpopJwk?: { kty: string; crv: string; x: string; y: string };
  pageLimit?: number;
  maxInFlight?: number;
  /** A checkpoint (JSON text) to resume from. */
  checkpoint?: string;
  /** Group-scoped sync: only these groups and their members. */
  groups?: string[];
  /** The Workforce group's id (recorded in the result and, with `journal`, in the snapshot; must exist). */
  workforceGroupId?: string;
  /** Incremental sync since this watermark (a previous result's `summary.watermarkMs`). */
  sinceMs?: number;
  /** Overlap before the watermark, ms (default 300000). */
  overlapMs?: number;
  /** Clock tolerance, ms (default 300000): larger server/local clock differences are reported; `since` may not lie further ahead. */
  clockToleranceMs?: number;
  /** Keep users and memberships in a page journal the driver writes (`onResponse` says which pages), not in
   * checkpoints; the result is then only available as a snapshot. Full and group-scoped syncs only. */
  journal?: boolean;
  /** With `journal`: the snapshot's sync time, Unix ms (the SDK passes the time the run started). */
  syncedAtMs?: number;
  /** Longest single pacing or retry wait, ms (default 300000); a longer one fails with `RATE_LIMIT_WAIT_TOO_LONG`. */
  maxWaitMs?: number;
  /** Retries of one request before a typed error (default 4; the SDK validates its `retry` option). */
  maxRetries?: number;
  /** First backoff after a 5xx or a network failure, ms, doubling per attempt (default 1000). */
  backoffBaseMs?: number;
  /** Cap of that backoff, ms (default 30000). */
  backoffCapMs?: number;
  /** This run's id (random, ≤ 64 letters, digits or `-`): seeds the journal's hash chain. A resume keeps the checkpoint's. */
  runId?: string;
}

/** The new snapshot and what changed, from {@link applySyncResult}. */
export interface AppliedSync {
  snapshot: Uint8Array;
  stats: { usersUpserted: number; usersRemoved: number; usersIgnored: number; groupsUpserted: number;
           membershipsAdded: number; membershipsRemoved: number; membershipsSkipped: number };
  users: number;
  groups: number;
  memberships: number;
}

/** What the driver must do next. `ms < 0` in a wait means: until an in-flight request completes. */
export type SessionAction =
  | { kind: "send"; id: number; method: "GET" | "POST"; url: string; headers: [string, string][]; body?: string;
      authorization?: string; assertionAlg?: "RS256" | "ES256"; assertion?: string; dpopProof?: string }
  | { kind: "hashToken"; token: string }
  | { kind: "wait"; ms: number; reason: string }
  | { kind: "done" };

/** An authenticated full sync (used by the SDK's driver; see `syncDirectory`). */
export class SyncSession {
  /** Throws a typed error for an unusable org URL, credentials or checkpoint. */
  constructor(options: SyncSessionOptions, entropy: Uint8Array);
  free(): void;
  poll(nowMs: number, unixS: number): SessionAction;
  /** When the response completed a page to append to the journal (with its URL): `true` for the body
   * verbatim (a users page), bytes to append instead (a members page: its ids only); else `false`. */
  onResponse(id: number, status: number, headers: string[], body: Uint8Array, nowMs: number): boolean | Uint8Array;
  onNetworkError(id: number, nowMs: number): void;
  setTokenHash(ath: string): void;
  origin(): string;
  progressJson(): string;
  checkpointJson(): string;
  resultJson(): string;
  /** Journal pages to replay (in order, with `replayJournalPage`) before the first poll. */
  journalPagesToReplay(): number;
  replayJournalPage(url: string, body: Uint8Array): void;
  /** A journaled sync's directory as snapshot bytes, after `done` (once: the data moves into it). */
  snapshot(): Uint8Array;
  /** A journaled sync's summary (JSON text of a `SyncSummary`), after `snapshot()`. */
  summaryJson(): string;
}
"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    org_url: String,
    #[serde(default)]
    allow_insecure_loopback: bool,
    #[serde(default)]
    allow_custom_domain: bool,
    api_token: Option<String>,
    client_id: Option<String>,
    key_id: Option<String>,
    key_alg: Option<SigningAlg>,
    scopes: Option<Vec<String>>,
    #[serde(default)]
    dpop: DpopMode,
    dpop_jwk: Option<serde_json::Map<String, serde_json::Value>>,
    page_limit: Option<u32>,
    max_in_flight: Option<usize>,
    checkpoint: Option<String>,
    groups: Option<Vec<String>>,
    workforce_group_id: Option<String>,
    since_ms: Option<f64>,
    overlap_ms: Option<f64>,
    clock_tolerance_ms: Option<f64>,
    #[serde(default)]
    journal: bool,
    synced_at_ms: Option<f64>,
    max_wait_ms: Option<f64>,
    run_id: Option<String>,
    max_retries: Option<u32>,
    backoff_base_ms: Option<f64>,
    backoff_cap_ms: Option<f64>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
enum ActionDto {
    #[serde(rename_all = "camelCase")]
    Send {
        id: f64,
        method: &'static str,
        url: String,
        headers: Vec<(String, String)>,
        #[serde(skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        authorization: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        assertion_alg: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        assertion: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        dpop_proof: Option<String>,
    },
    HashToken {
        token: String,
    },
    Wait {
        ms: f64,
        reason: String,
    },
    Done,
}

/// An authenticated full sync, driven by the SDK's fetch driver. Its TypeScript declaration is written by
/// hand above: the generated one has `[Symbol.dispose]`, which breaks type-checking for consumers whose
/// `lib` lacks `esnext.disposable` (the dashboard's, and any browser project without `skipLibCheck`).
#[wasm_bindgen(js_name = SyncSession, skip_typescript)]
pub struct WasmSyncSession {
    inner: SyncSession,
    /// A journaled sync's snapshot in the making: users kept as compact records page by page as they
    /// commit (a later copy of a user replaces the earlier one in place); groups and memberships join them
    /// when the sync is done.
    directory: Option<SnapshotBuilder>,
    /// A journaled sync's totals, counted in the directory `snapshot()` built.
    summary: Option<SyncSummary>,
}

#[wasm_bindgen(js_class = SyncSession)]
impl WasmSyncSession {
    /// Validates the org URL, credentials and checkpoint (`entropy`: 16 secure random bytes, the `jti` seed); throws a typed error when any is unusable.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SyncSessionOptions")] options: JsValue,
        entropy: &[u8],
    ) -> Result<WasmSyncSession, JsValue> {
        let o: Options = serde_wasm_bindgen::from_value(options).map_err(|_| conversion("sync options"))?;
        let (journal, synced_at_ms) = (o.journal, o.synced_at_ms.map_or(0, to_u64));
        let workforce_group = o.workforce_group_id.clone();
        let inner = build(o, entropy).map_err(|e| to_js_error(&e))?;
        let directory = journal.then(|| {
            let meta = SyncMeta { origin: inner.origin().to_string(), synced_at_ms };
            let config = DirectoryConfig { workforce_group, ..DirectoryConfig::default() };
            SnapshotBuilder::new(config, meta)
        });
        Ok(WasmSyncSession { inner, directory, summary: None })
    }

    /// The next action at monotonic time `now_ms` and wall-clock `unix_s`; throws the typed error of a failed sync.
    #[wasm_bindgen(unchecked_return_type = "SessionAction")]
    pub fn poll(&mut self, now_ms: f64, unix_s: f64) -> Result<JsValue, JsValue> {
        let dto = match self.inner.poll(to_u64(now_ms), to_u64(unix_s)) {
            SessionAction::Send(o) => ActionDto::Send {
                id: o.id as f64,
                method: o.method.as_str(),
                url: o.url,
                headers: o.headers,
                body: o.body,
                authorization: o.authorization,
                assertion_alg: o.assertion.as_ref().map(|(alg, _)| alg.as_str()),
                assertion: o.assertion.map(|(_, input)| input),
                dpop_proof: o.dpop_proof,
            },
            SessionAction::HashToken(token) => ActionDto::HashToken { token },
            SessionAction::Wait(ms, reason) => {
                let reason = serde_json::to_string(&reason).unwrap_or_default();
                ActionDto::Wait { ms: if ms == u64::MAX { -1.0 } else { ms as f64 }, reason }
            }
            SessionAction::Done(_) => ActionDto::Done,
            SessionAction::Failed(e) => return Err(to_js_error(&e)),
        };
        serde_wasm_bindgen::to_value(&dto).map_err(|_| conversion("sync action"))
    }

    /// The answer to request `id`; `headers` is a flat `[name, value, name, value, …]` list. Says whether
    /// the response completed a page the driver must append to the journal: `true` (the body verbatim),
    /// bytes to append instead of the body, or `false`.
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(&mut self, id: f64, status: u16, headers: Vec<String>, body: Vec<u8>, now_ms: f64) -> JsValue {
        let pairs = headers.chunks(2).filter_map(|p| Some((p.first()?.clone(), p.get(1)?.clone()))).collect();
        self.inner.on_response(to_u64(id), Response::new(status, pairs, utf8(body)), to_u64(now_ms));
        self.keep_users();
        match self.inner.take_journal_page() {
            None => JsValue::FALSE,
            Some(JournalPage::Verbatim) => JsValue::TRUE,
            Some(JournalPage::Rewritten(body)) => js_sys::Uint8Array::from(body.as_bytes()).into(),
        }
    }

    /// Journal pages to replay before the first poll (0 unless resuming a journaled checkpoint).
    #[wasm_bindgen(js_name = journalPagesToReplay)]
    pub fn journal_pages_to_replay(&self) -> f64 {
        self.inner.journal_pages_to_replay() as f64
    }

    /// Re-applies one journal page (URL and body as journaled), in journal order.
    #[wasm_bindgen(js_name = replayJournalPage)]
    pub fn replay_journal_page(&mut self, url: &str, body: Vec<u8>) -> Result<(), JsValue> {
        self.inner.replay_page(url, &utf8(body)).map_err(|e| to_js_error(&e))?;
        self.keep_users();
        Ok(())
    }

    /// A journaled sync's directory as snapshot bytes (default lookup keys, the Workforce group if given),
    /// after `done`. The kept users, groups and memberships move into the snapshot: call once.
    pub fn snapshot(&mut self) -> Result<Vec<u8>, JsValue> {
        let unfinished = || conversion("an unfinished sync result");
        if self.directory.is_none() {
            return Err(unfinished());
        }
        let mut summary = self.inner.summary();
        let (groups, members) = self.inner.take_groups_and_members().ok_or_else(unfinished)?;
        let builder = self.directory.take().ok_or_else(unfinished)?;
        let (bytes, counts) = builder.finish(groups, members).map_err(|e| to_js_error(&e))?;
        (summary.users, summary.groups) = (counts.users as u64, counts.groups as u64);
        summary.memberships = counts.memberships as u64;
        self.summary = Some(summary);
        Ok(bytes)
    }

    /// A journaled sync's totals (a `SyncSummary`: mode, watermark, users by status) as JSON text, after
    /// `snapshot()`; users, groups and memberships are those of the snapshot.
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self) -> Result<String, JsValue> {
        let summary = self.summary.as_ref().ok_or_else(|| conversion("an unfinished sync result"))?;
        serde_json::to_string(summary).map_err(|_| conversion("sync summary"))
    }

    /// Request `id` failed without an answer (network error, timeout, body cut off).
    #[wasm_bindgen(js_name = onNetworkError)]
    pub fn on_network_error(&mut self, id: f64, now_ms: f64) {
        self.inner.on_network_error(to_u64(id), to_u64(now_ms));
    }

    /// base64url(SHA-256(access token)), after a `hashToken` action.
    #[wasm_bindgen(js_name = setTokenHash)]
    pub fn set_token_hash(&mut self, ath: &str) {
        self.inner.set_token_hash(ath);
    }

    /// The org's normalized origin (the driver's credential gate).
    pub fn origin(&self) -> String {
        self.inner.origin().to_string()
    }

    /// Live counters as JSON text.
    #[wasm_bindgen(js_name = progressJson)]
    pub fn progress_json(&self) -> String {
        serde_json::to_string(&self.inner.progress()).unwrap_or_default()
    }

    /// The checkpoint (JSON text) after the last completed page; throws `INVALID_CHECKPOINT` while a resumed
    /// journal is not fully replayed and proven (such a checkpoint would describe a mix of runs).
    #[wasm_bindgen(js_name = checkpointJson)]
    pub fn checkpoint_json(&self) -> Result<String, JsValue> {
        if !self.inner.can_checkpoint() {
            let reason = "the journal was not replayed in full and proven consistent; no checkpoint is taken";
            return Err(to_js_error(&Error::InvalidCheckpoint { reason }));
        }
        serde_json::to_string(&self.inner.checkpoint()).map_err(|_| conversion("checkpoint"))
    }

    /// The directory (JSON text) after a `done` action.
    #[wasm_bindgen(js_name = resultJson)]
    pub fn result_json(&self) -> Result<String, JsValue> {
        let result = self.inner.result().ok_or_else(|| conversion("an unfinished sync result"))?;
        serde_json::to_string(&result).map_err(|_| conversion("sync result"))
    }
}

impl WasmSyncSession {
    /// Moves committed users out of the machine into the snapshot builder (journaled syncs).
    fn keep_users(&mut self) {
        grow_heap_geometrically();
        let users = self.inner.take_users();
        if let Some(builder) = self.directory.as_mut() {
            for u in users {
                builder.upsert_user(u.user);
            }
        }
    }
}

/// Linear-memory size (64 KiB pages) after the last reservation.
static RESERVED_PAGES: AtomicUsize = AtomicUsize::new(0);

/// Makes the heap grow in steps of half its size rather than the allocator's 64 KiB ones. Every
/// `memory.grow` makes V8 account external memory and, growing in small steps, start a garbage collection:
/// a 100k-user sync spent ~4 s of 10 in hundreds of mark-compacts. Once the allocator had to grow the
/// memory, a block of half the memory's size is allocated and freed at once: one grow, and the allocator
/// serves the next allocations from that free block. Untouched pages cost no resident memory.
fn grow_heap_geometrically() {
    #[cfg(target_arch = "wasm32")]
    {
        let pages = core::arch::wasm32::memory_size(0);
        if pages > RESERVED_PAGES.load(Ordering::Relaxed) {
            drop(Vec::<u8>::with_capacity(pages * 65536 / 2));
            RESERVED_PAGES.store(core::arch::wasm32::memory_size(0), Ordering::Relaxed);
        }
    }
}

/// A body's bytes as text (bytes cross the boundary as one copy, cheaper than a JS string's re-encoding);
/// invalid UTF-8 becomes U+FFFD, as `Response.text()` does.
fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Non-negative, finite JS numbers to u64 (anything else is 0: times and ids come from the SDK itself).
fn to_u64(n: f64) -> u64 {
    if n.is_finite() && n > 0.0 {
        n as u64
    } else {
        0
    }
}

fn build(o: Options, entropy: &[u8]) -> Result<SyncSession, Error> {
    let policy =
        OrgUrlPolicy { allow_custom_domain: o.allow_custom_domain, allow_insecure_loopback: o.allow_insecure_loopback };
    let mut config = SyncConfig::new(OrgUrl::parse(&o.org_url, policy)?);
    if let Some(limit) = o.page_limit {
        config.page_limit = limit.clamp(1, 200);
    }
    if let Some(n) = o.max_in_flight {
        config.max_in_flight = n.clamp(1, 16);
    }
    // Ids end up in URL paths: anything that cannot be an Okta id cannot name an existing group either.
    let valid = |id: &String| !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if o.groups.iter().flatten().chain(o.workforce_group_id.as_ref()).any(|id| !valid(id)) {
        return Err(Error::GroupNotFound);
    }
    if let Some(ms) = o.max_wait_ms {
        config.rate.max_wait_ms = to_u64(ms).max(1000);
    }
    if let Some(n) = o.max_retries {
        config.rate.max_retries = n;
    }
    if let Some(ms) = o.backoff_base_ms {
        config.rate.backoff_base_ms = to_u64(ms);
    }
    if let Some(ms) = o.backoff_cap_ms {
        config.rate.backoff_cap_ms = to_u64(ms).max(config.rate.backoff_base_ms);
    }
    if let Some(id) = o.run_id {
        if id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(Error::Conversion { detail: "sync options could not be converted: runId".into() });
        }
        config.run_id = id;
    }
    config.groups = o.groups.filter(|g| !g.is_empty());
    config.workforce_group = o.workforce_group_id;
    if let Some(tolerance) = o.clock_tolerance_ms {
        config.clock_tolerance_ms = to_u64(tolerance);
    }
    if let Some(since) = o.since_ms {
        let mut inc = IncrementalConfig::since(to_u64(since));
        if let Some(overlap) = o.overlap_ms {
            inc.overlap_ms = to_u64(overlap);
        }
        config.incremental = Some(inc);
    }
    let incremental = config.mode() == SyncMode::Incremental;
    let credentials = match (o.api_token, o.client_id) {
        (Some(token), None) => Credentials::ApiToken(token),
        (None, Some(client_id)) => {
            Credentials::PrivateKey { client_id, key_id: o.key_id, alg: o.key_alg.unwrap_or(SigningAlg::RS256) }
        }
        _ => {
            return Err(Error::InvalidCredentials {
                reason: "give either an API token or a client id with a private key",
            })
        }
    };
    let seed = |range: std::ops::Range<usize>| {
        entropy.get(range).map(|b| b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x))).unwrap_or(0)
    };
    if entropy.len() < 16 {
        return Err(Error::InvalidCredentials { reason: "the session needs 16 bytes of entropy" });
    }
    let auth = AuthConfig {
        credentials,
        scopes: o.scopes.unwrap_or_else(|| {
            let mut scopes = default_scopes();
            if incremental {
                scopes.push("okta.logs.read".to_string());
            }
            scopes
        }),
        dpop: o.dpop,
        dpop_jwk: o.dpop_jwk,
        jti_seed: [seed(0..8), seed(8..16)],
    };
    if o.journal && incremental {
        // An incremental result is a small delta for applySyncResult; the journal is for whole directories.
        return Err(Error::Conversion {
            detail: "sync options could not be converted: the page journal is for full and group-scoped syncs".into(),
        });
    }
    let mut session = match o.checkpoint {
        None => SyncSession::new(config, auth)?,
        Some(text) => {
            let checkpoint: Checkpoint = serde_json::from_str(&text)
                .map_err(|_| Error::InvalidCheckpoint { reason: "it is not a checkpoint document" })?;
            if checkpoint.journal.is_some() != o.journal {
                return Err(Error::InvalidCheckpoint { reason: "it was written with the page journal on or off" });
            }
            SyncSession::resume(config, auth, checkpoint)?
        }
    };
    if o.journal {
        session.enable_journal();
    }
    Ok(session)
}

/// Applies an incremental sync result (JSON text) to a snapshot: returns `{snapshot, stats, users, groups,
/// memberships}` (see `AppliedSync`); the new snapshot keeps the old one's configuration and origin.
#[wasm_bindgen(js_name = applySyncResult, unchecked_return_type = "AppliedSync")]
pub fn apply_sync_result(snapshot: &[u8], result_json: &str, synced_at_ms: f64) -> Result<JsValue, JsValue> {
    let prev = decode(snapshot).map_err(|e| to_js_error(&e))?;
    let result = SyncOutcome::from_json(result_json).map_err(|e| to_js_error(&e))?;
    let (dir, stats) = apply_outcome(prev, &result, to_u64(synced_at_ms));
    let out = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&out, &JsValue::from_str(k), v).map(|_| ());
    let stats = serde_wasm_bindgen::to_value(&stats).map_err(|_| conversion("delta stats"))?;
    set("snapshot", &js_sys::Uint8Array::from(crate::directory::encode(&dir).as_slice()).into())?;
    set("stats", &stats)?;
    set("users", &JsValue::from_f64(dir.len() as f64))?;
    set("groups", &JsValue::from_f64(dir.groups().len() as f64))?;
    set("memberships", &JsValue::from_f64(dir.membership_count() as f64))?;
    Ok(out.into())
}
