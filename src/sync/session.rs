//! A sync with authentication: wraps the [`SyncMachine`] and decides everything about credentials — when
//! to fetch a token, what to sign, which `Authorization`/DPoP to attach, when to refresh on a 401 or retry
//! with a DPoP nonce. Still sans-IO: the driver signs the inputs it is given and performs the requests.

use std::collections::{HashMap, VecDeque};

use crate::error::Error;
use crate::sync::auth::token::{challenge_param, refresh_at, response_nonce};
use crate::sync::auth::{
    assertion_input, proof_input, read_token_response, token_form, AuthConfig, Credentials, DpopMode, JtiSource,
    ProofClaims, SigningAlg, TokenReply,
};
use crate::sync::http::{Method, Request, Response};
use crate::sync::machine::{Action, Checkpoint, Progress, RequestId, SyncConfig, SyncMachine, SyncResult};
use crate::sync::machine::{SyncSummary, WaitReason};
use crate::sync::org::OrgUrl;
use crate::sync::ratelimit::Bucket;

/// Token requests get ids from this base up, so they never collide with the machine's ids (and stay
/// below 2^53, exact in JavaScript).
const TOKEN_ID_BASE: RequestId = 1 << 52;
/// Token-endpoint 429/5xx/network failures tolerated in a row.
const MAX_TOKEN_RETRIES: u32 = 4;

/// A request ready for the driver, with what it must sign and the credential it must attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Matches the answer to the request (`on_response` / `on_network_error`).
    pub id: RequestId,
    /// The method.
    pub method: Method,
    /// The absolute URL (on the org's origin; the driver checks again before attaching credentials).
    pub url: String,
    /// Headers without credentials.
    pub headers: Vec<(String, String)>,
    /// The body (token requests): ends with `client_assertion=`, to which the signed assertion is appended.
    pub body: Option<String>,
    /// The `Authorization` header value, attached only after the driver's origin check.
    pub authorization: Option<String>,
    /// Signing input of the client assertion, to sign with the client key.
    pub assertion: Option<(SigningAlg, String)>,
    /// Signing input of a DPoP proof, to sign with the DPoP key and send as the `DPoP` header.
    pub dpop_proof: Option<String>,
}

/// What the driver should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionAction {
    /// Sign what is asked, attach credentials, perform the request (no redirects), then report the answer.
    Send(Outgoing),
    /// Compute base64url(SHA-256(this access token)) and pass it to [`SyncSession::set_token_hash`] (DPoP `ath`).
    HashToken(String),
    /// As [`Action::Wait`].
    Wait(u64, WaitReason),
    /// Complete: [`SyncSession::result`] holds the directory.
    Done(SyncSummary),
    /// Failed with a typed, final error.
    Failed(Error),
}

#[derive(Debug, Clone)]
struct Token {
    value: String,
    dpop_bound: bool,
    refresh_at: u64,
    ath: Option<String>,
}

/// An API request handed out and not yet answered, kept so it can be replayed with a new token or nonce.
#[derive(Debug, Clone)]
struct Sent {
    request: Request,
    generation: u64,
    nonce_replayed: bool,
}

/// The authenticated sans-IO sync.
#[derive(Debug, Clone)]
pub struct SyncSession {
    machine: SyncMachine,
    origin: String,
    token_url: String,
    auth: AuthConfig,
    jti: JtiSource,
    token: Option<Token>,
    /// Incremented with every new token; a 401 to an older token's request is replayed without a refresh.
    generation: u64,
    token_request: Option<RequestId>,
    token_retry_at: Option<u64>,
    token_failures: u32,
    nonce_retries: u32,
    nonce: Option<String>,
    refreshes_since_success: u32,
    next_token_id: RequestId,
    sent: HashMap<RequestId, Sent>,
    replay: VecDeque<RequestId>,
    failed: Option<Error>,
}

impl SyncSession {
    /// A session for a fresh full sync.
    pub fn new(config: SyncConfig, auth: AuthConfig) -> Result<SyncSession, Error> {
        let org = config.org.clone();
        Ok(SyncSession::wrap(SyncMachine::new(config), &org, auth.validated()?))
    }

    /// A session continuing from a checkpoint (see [`SyncMachine::resume`]).
    pub fn resume(config: SyncConfig, auth: AuthConfig, checkpoint: Checkpoint) -> Result<SyncSession, Error> {
        let auth = auth.validated()?;
        let org = config.org.clone();
        Ok(SyncSession::wrap(SyncMachine::resume(config, checkpoint)?, &org, auth))
    }

    fn wrap(machine: SyncMachine, org: &OrgUrl, auth: AuthConfig) -> SyncSession {
        SyncSession {
            machine,
            origin: org.origin().to_string(),
            token_url: org.token_url(),
            jti: JtiSource::new(auth.jti_seed),
            auth,
            token: None,
            generation: 0,
            token_request: None,
            token_retry_at: None,
            token_failures: 0,
            nonce_retries: 0,
            nonce: None,
            refreshes_since_success: 0,
            next_token_id: TOKEN_ID_BASE,
            sent: HashMap::new(),
            replay: VecDeque::new(),
            failed: None,
        }
    }

    /// The org's origin: the only origin the driver may send credentials to.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Live counters.
    pub fn progress(&self) -> Progress {
        self.machine.progress()
    }

    /// The resumable state after the last completed page.
    pub fn checkpoint(&self) -> Checkpoint {
        self.machine.checkpoint()
    }

    /// See [`SyncMachine::can_checkpoint`].
    pub fn can_checkpoint(&self) -> bool {
        self.machine.can_checkpoint()
    }

    /// The directory, once [`SessionAction::Done`] was returned.
    pub fn result(&self) -> Option<SyncResult> {
        self.machine.result()
    }

    /// See [`SyncMachine::summary`].
    pub fn summary(&self) -> crate::sync::SyncSummary {
        self.machine.summary()
    }

    /// See [`SyncMachine::enable_journal`].
    pub fn enable_journal(&mut self) {
        self.machine.enable_journal();
    }

    /// See [`SyncMachine::journal_only`].
    pub fn journal_only(&mut self) {
        self.machine.journal_only();
    }

    /// The groups listed so far, in listing order.
    pub fn groups(&self) -> &[crate::records::Group] {
        self.machine.groups()
    }

    /// See [`SyncMachine::take_journal_page`].
    pub fn take_journal_page(&mut self) -> Option<crate::sync::JournalPage> {
        self.machine.take_journal_page()
    }

    /// See [`SyncMachine::journal_pages_to_replay`].
    pub fn journal_pages_to_replay(&self) -> u64 {
        self.machine.journal_pages_to_replay()
    }

    /// See [`SyncMachine::take_users`].
    pub fn take_users(&mut self) -> Vec<crate::profile::NormalizedUser> {
        self.machine.take_users()
    }

    /// See [`SyncMachine::take_groups_and_members`].
    pub fn take_groups_and_members(&mut self) -> Option<(Vec<crate::sync::Group>, Vec<Vec<String>>)> {
        self.machine.take_groups_and_members()
    }

    /// See [`SyncMachine::replay_page`].
    pub fn replay_page(&mut self, url: &str, body: &str) -> Result<(), Error> {
        self.machine.replay_page(url, body)
    }

    /// The next thing to do at monotonic time `now_ms`; `unix_s` (wall clock) dates assertions and proofs.
    pub fn poll(&mut self, now_ms: u64, unix_s: u64) -> SessionAction {
        if let Some(e) = &self.failed {
            return SessionAction::Failed(e.clone());
        }
        loop {
            if let Some(&id) = self.replay.front() {
                if let Some(wait) = self.ensure_token(now_ms, unix_s) {
                    return wait;
                }
                self.replay.pop_front();
                if let Some(out) = self.prepare(id, unix_s) {
                    return SessionAction::Send(out);
                }
                continue;
            }
            self.machine.observe_wall_clock(unix_s.saturating_mul(1000));
            match self.machine.poll(now_ms) {
                Action::Send(id, request) => {
                    self.sent.insert(id, Sent { request, generation: 0, nonce_replayed: false });
                    self.replay.push_back(id);
                }
                Action::Wait(ms, reason) => return SessionAction::Wait(ms, reason),
                Action::Done(summary) => return SessionAction::Done(summary),
                Action::Failed(e) => return SessionAction::Failed(e),
            }
        }
    }

    /// Records base64url(SHA-256(access token)) for DPoP `ath` (after [`SessionAction::HashToken`]).
    pub fn set_token_hash(&mut self, ath: &str) {
        if let Some(t) = &mut self.token {
            t.ath = Some(ath.to_string());
        }
    }

    /// `None` when a usable token is at hand (or none is needed); otherwise the action that gets one.
    fn ensure_token(&mut self, now: u64, unix_s: u64) -> Option<SessionAction> {
        let Credentials::PrivateKey { client_id, key_id, alg } = &self.auth.credentials else { return None };
        let (client_id, key_id, alg) = (client_id.clone(), key_id.clone(), *alg);
        match &self.token {
            Some(t) if now < t.refresh_at && (!t.dpop_bound || t.ath.is_some()) => return None,
            Some(t) if now < t.refresh_at => return Some(SessionAction::HashToken(t.value.clone())),
            _ => {}
        }
        if self.token_request.is_some() {
            return Some(SessionAction::Wait(u64::MAX, WaitReason::AwaitingResponses));
        }
        if let Some(at) = self.token_retry_at.filter(|&at| at > now) {
            return Some(SessionAction::Wait(at - now, WaitReason::RateLimited(Bucket::OAuthToken)));
        }
        let id = self.next_token_id;
        self.next_token_id += 1;
        self.token_request = Some(id);
        let jti = self.jti.next_jti();
        let assertion = assertion_input(&client_id, key_id.as_deref(), alg, &self.token_url, unix_s, &jti);
        let token_url = self.token_url.clone();
        let dpop_proof = self.proof("POST", &token_url, unix_s, None);
        let headers = vec![
            ("Accept".to_string(), "application/json".to_string()),
            ("Content-Type".to_string(), "application/x-www-form-urlencoded".to_string()),
        ];
        Some(SessionAction::Send(Outgoing {
            id,
            method: Method::Post,
            url: self.token_url.clone(),
            headers,
            body: Some(token_form(&self.auth.scopes)),
            authorization: None,
            assertion: Some((alg, assertion)),
            dpop_proof,
        }))
    }

    fn proof(&mut self, method: &str, url: &str, unix_s: u64, ath: Option<&str>) -> Option<String> {
        let jwk = self.auth.dpop_jwk.as_ref().filter(|_| self.auth.dpop != DpopMode::Off)?;
        let jti = self.jti.next_jti();
        let claims = ProofClaims { method, url, now_s: unix_s, jti: &jti, nonce: self.nonce.as_deref(), ath };
        Some(proof_input(SigningAlg::ES256, jwk, claims))
    }

    /// An API request with its credential and, for a DPoP-bound token, a fresh proof (one per attempt).
    fn prepare(&mut self, id: RequestId, unix_s: u64) -> Option<Outgoing> {
        let generation = self.generation;
        let sent = self.sent.get_mut(&id)?;
        sent.generation = generation;
        let request = sent.request.clone();
        let (authorization, dpop_proof) = match &self.auth.credentials {
            Credentials::ApiToken(t) => (format!("SSWS {t}"), None),
            Credentials::PrivateKey { .. } => {
                let token = self.token.clone()?;
                if token.dpop_bound {
                    let proof = self.proof(request.method.as_str(), &request.url, unix_s, token.ath.as_deref());
                    (format!("DPoP {}", token.value), proof)
                } else {
                    (format!("Bearer {}", token.value), None)
                }
            }
        };
        let authorization = request.needs_auth.then_some(authorization);
        Some(Outgoing {
            id,
            method: request.method,
            url: request.url,
            headers: request.headers,
            body: None,
            authorization,
            assertion: None,
            dpop_proof: dpop_proof.filter(|_| request.needs_auth),
        })
    }

    /// Feeds the answer to request `id`, received at `now_ms`.
    pub fn on_response(&mut self, id: RequestId, response: Response, now_ms: u64) {
        if let Some(nonce) = response_nonce(&response.headers) {
            self.nonce = Some(nonce);
        }
        if self.token_request == Some(id) {
            self.token_request = None;
            return self.on_token_response(&response, now_ms);
        }
        let Some(mut sent) = self.sent.remove(&id) else { return };
        let status = response.status;
        if (300..=399).contains(&status) {
            self.failed.get_or_insert(Error::UnexpectedRedirect { status });
            return;
        }
        let oauth = matches!(self.auth.credentials, Credentials::PrivateKey { .. });
        let challenge = response.headers.get("www-authenticate").unwrap_or_default();
        let error = challenge_param(&challenge, "error");
        if oauth && matches!(status, 400 | 401) {
            if error.as_deref() == Some("use_dpop_nonce") && !sent.nonce_replayed && self.nonce.is_some() {
                sent.nonce_replayed = true;
                return self.requeue(id, sent);
            }
            if status == 401 && (sent.generation < self.generation || self.token.is_none()) {
                // A newer token exists or is being fetched (several requests were in flight with the
                // expired one): send again with it, without spending the refresh.
                return self.requeue(id, sent);
            }
            if status == 401 && self.refreshes_since_success == 0 {
                // One refresh on 401 (expired or revoked token); a second 401 in a row is final.
                self.refreshes_since_success += 1;
                self.token = None;
                return self.requeue(id, sent);
            }
        }
        // A System Log request without `okta.logs.read` is the machine's to handle (it falls back).
        if status == 403 && error.as_deref() == Some("insufficient_scope") && sent.request.bucket != Bucket::Logs {
            let missing_scopes = challenge_param(&challenge, "scope").into_iter().collect();
            self.failed.get_or_insert(Error::AuthorizationIncomplete { missing_scopes });
            return;
        }
        if (200..=299).contains(&status) {
            self.refreshes_since_success = 0;
        }
        self.machine.on_response(id, response, now_ms);
    }

    fn requeue(&mut self, id: RequestId, sent: Sent) {
        self.sent.insert(id, sent);
        self.replay.push_back(id);
    }

    /// Reports that request `id` failed without an answer (network error, timeout).
    pub fn on_network_error(&mut self, id: RequestId, now_ms: u64) {
        if self.token_request == Some(id) {
            self.token_request = None;
            return self.token_retry(now_ms, None);
        }
        self.sent.remove(&id);
        self.machine.on_network_error(id, now_ms);
    }

    fn on_token_response(&mut self, response: &Response, now: u64) {
        match read_token_response(response, &self.auth.scopes) {
            Ok(TokenReply::Token(t)) => {
                if t.dpop_bound == (self.auth.dpop == DpopMode::Off)
                    || (self.auth.dpop == DpopMode::Required && !t.dpop_bound)
                {
                    let what = "the token's DPoP binding does not match the configured DPoP mode";
                    self.failed.get_or_insert(Error::MalformedResponse { what });
                    return;
                }
                let refresh_at = refresh_at(now, t.expires_in_s);
                self.token = Some(Token { value: t.value, dpop_bound: t.dpop_bound, refresh_at, ath: None });
                self.generation += 1;
                self.token_failures = 0;
                self.nonce_retries = 0;
                self.token_retry_at = None;
            }
            Ok(TokenReply::UseNonce(nonce)) => {
                self.nonce = Some(nonce);
                self.nonce_retries += 1;
                if self.nonce_retries > 1 {
                    let e = Error::AuthenticationFailed {
                        status: response.status,
                        oauth_error: Some("use_dpop_nonce".into()),
                    };
                    self.failed.get_or_insert(e);
                }
            }
            Ok(TokenReply::Retry) => self.token_retry(now, Some(response.status)),
            Err(e) => {
                self.failed.get_or_insert(e);
            }
        }
    }

    fn token_retry(&mut self, now: u64, status: Option<u16>) {
        self.token_failures += 1;
        if self.token_failures > MAX_TOKEN_RETRIES {
            let e = match status {
                Some(429) => Error::RateLimited { retry_after_secs: 60 },
                last_status => Error::TooManyRetries { attempts: self.token_failures, last_status },
            };
            self.failed.get_or_insert(e);
            return;
        }
        // 1 s, 2 s, 4 s, 8 s: the token bucket is large; a 429 there is rare and short-lived.
        self.token_retry_at = Some(now.saturating_add(1000 << (self.token_failures - 1)));
    }
}
