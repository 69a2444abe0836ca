//! The sync session for the SDK's fetch driver (`js/src/sync/`). The core decides every request, credential
//! and wait; the driver (TypeScript) signs with WebCrypto, fetches and sleeps. Results and checkpoints cross
//! as JSON text: they can hold a whole directory, and one string copy beats walking the object graph.

use std::sync::atomic::{AtomicUsize, Ordering};

use wasm_bindgen::prelude::*;

use super::error::{conversion, to_js_error};
use crate::directory::patch::apply_delta_json;
use crate::directory::Patched;
use crate::sync::options::to_u64;
use crate::sync::{
    apply_outcome_json, checkpoint_json, journal_result_json, result_json, JournalPage, JournaledDirectory, Response,
    SessionOptions, SyncSession,
};

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
  /** With `sinceMs`: the System Log polling cursor of the previous incremental run (`changes.logCursor`). */
  logCursor?: string;
  /** With `sinceMs`: System Log event uuids already applied (by an Event Hook receiver), skipped by the poll. */
  appliedEventUuids?: string[];
  /** Clock tolerance, ms (default 300000): larger server/local clock differences are reported; `since` may not lie further ahead. */
  clockToleranceMs?: number;
  /** Keep users and memberships in a page journal the driver writes (`onResponse` says which pages), not in
   * checkpoints; the result is then only available as a snapshot. Full and group-scoped syncs only. */
  journal?: boolean;
  /** Journal only (full syncs; implies `journal`): pages go to the journal, nothing of the users is kept, no
   * snapshot is built, and a resumed run does not replay its journal (see `journalResultJson`). */
  journalOnly?: boolean;
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
  /** A journal-only sync's outcome after `done`: JSON text `{"summary": SyncSummary, "groups": Group[]}`. */
  journalResultJson(): string;
}
"#;

/// An authenticated full sync, driven by the SDK's fetch driver. Its TypeScript declaration is written by
/// hand above: the generated one has `[Symbol.dispose]`, which breaks type-checking for consumers whose
/// `lib` lacks `esnext.disposable` (the dashboard's, and any browser project without `skipLibCheck`).
#[wasm_bindgen(js_name = SyncSession, skip_typescript)]
pub struct WasmSyncSession {
    inner: SyncSession,
    /// A journaled sync's snapshot in the making (empty otherwise).
    journal: JournaledDirectory,
}

#[wasm_bindgen(js_class = SyncSession)]
impl WasmSyncSession {
    /// Validates the org URL, credentials and checkpoint (`entropy`: 16 secure random bytes, the `jti` seed); throws a typed error when any is unusable.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SyncSessionOptions")] options: JsValue,
        entropy: &[u8],
    ) -> Result<WasmSyncSession, JsValue> {
        let o: SessionOptions = serde_wasm_bindgen::from_value(options).map_err(|_| conversion("sync options"))?;
        let (inner, directory) = o.open(entropy).map_err(|e| to_js_error(&e))?;
        Ok(WasmSyncSession { inner, journal: JournaledDirectory::new(directory) })
    }

    /// The next action at monotonic time `now_ms` and wall-clock `unix_s`; throws the typed error of a failed sync.
    #[wasm_bindgen(unchecked_return_type = "SessionAction")]
    pub fn poll(&mut self, now_ms: f64, unix_s: f64) -> Result<JsValue, JsValue> {
        let action = self.inner.poll_for_driver(to_u64(now_ms), to_u64(unix_s)).map_err(|e| to_js_error(&e))?;
        serde_wasm_bindgen::to_value(&action).map_err(|_| conversion("sync action"))
    }

    /// The answer to request `id`; `headers` is a flat `[name, value, name, value, …]` list. Says whether
    /// the response completed a page the driver must append to the journal: `true` (the body verbatim),
    /// bytes to append instead of the body, or `false`.
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(&mut self, id: f64, status: u16, headers: Vec<String>, body: Vec<u8>, now_ms: f64) -> JsValue {
        self.inner.on_response(to_u64(id), Response::from_flat(status, headers, utf8(body)), to_u64(now_ms));
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
        self.journal.snapshot(&mut self.inner).map_err(|e| to_js_error(&e))
    }

    /// A journaled sync's totals (a `SyncSummary`: mode, watermark, users by status) as JSON text, after
    /// `snapshot()`; users, groups and memberships are those of the snapshot.
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self) -> Result<String, JsValue> {
        self.journal.summary_json().map_err(|e| to_js_error(&e))
    }

    /// A journal-only sync's outcome, after `done`: JSON text `{"summary": SyncSummary, "groups": Group[]}`
    /// (the summary counts users and memberships as listed; its users by status are empty).
    #[wasm_bindgen(js_name = journalResultJson)]
    pub fn journal_result_json(&self) -> String {
        journal_result_json(&self.inner)
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
        checkpoint_json(&self.inner).map_err(|e| to_js_error(&e))
    }

    /// The directory (JSON text) after a `done` action.
    #[wasm_bindgen(js_name = resultJson)]
    pub fn result_json(&self) -> Result<String, JsValue> {
        result_json(&self.inner).map_err(|e| to_js_error(&e))
    }
}

impl WasmSyncSession {
    /// Moves committed users out of the machine into the snapshot builder (journaled syncs).
    fn keep_users(&mut self) {
        grow_heap_geometrically();
        self.journal.keep_users(&mut self.inner);
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

/// Applies a directory delta (JSON text of a `DirectoryDelta`: upserted users and groups, removed users,
/// added and removed memberships) to a snapshot, keeping its configuration, origin and sync time: push updates
/// (Okta Event Hooks) between syncs. Returns the same shape as `applySyncResult`.
#[wasm_bindgen(js_name = applyDirectoryDelta, unchecked_return_type = "AppliedSync")]
pub fn apply_directory_delta(snapshot: &[u8], delta_json: &str) -> Result<JsValue, JsValue> {
    applied(&apply_delta_json(snapshot, delta_json).map_err(|e| to_js_error(&e))?)
}

/// Applies an incremental sync result (JSON text) to a snapshot: returns `{snapshot, stats, users, groups,
/// memberships}` (see `AppliedSync`); the new snapshot keeps the old one's configuration and origin.
#[wasm_bindgen(js_name = applySyncResult, unchecked_return_type = "AppliedSync")]
pub fn apply_sync_result(snapshot: &[u8], result_json: &str, synced_at_ms: f64) -> Result<JsValue, JsValue> {
    applied(&apply_outcome_json(snapshot, result_json, to_u64(synced_at_ms)).map_err(|e| to_js_error(&e))?)
}

/// `{snapshot, stats, users, groups, memberships}` of a patched snapshot.
fn applied(patched: &Patched) -> Result<JsValue, JsValue> {
    let out = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&out, &JsValue::from_str(k), v).map(|_| ());
    let stats = serde_wasm_bindgen::to_value(&patched.stats).map_err(|_| conversion("delta stats"))?;
    set("snapshot", &js_sys::Uint8Array::from(patched.snapshot.as_slice()).into())?;
    set("stats", &stats)?;
    set("users", &JsValue::from_f64(patched.counts.users as f64))?;
    set("groups", &JsValue::from_f64(patched.counts.groups as f64))?;
    set("memberships", &JsValue::from_f64(patched.counts.memberships as f64))?;
    Ok(out.into())
}
