//! The options of a sync session, as the SDK passes them, and the rules that turn them into a session:
//! limits clamped, ids checked, default scopes, the page journal only for full and group-scoped syncs.

use serde::Deserialize;

use crate::directory::{DirectoryConfig, SnapshotBuilder, SyncMeta};
use crate::error::{Error, Result};
use crate::records::{is_okta_id, is_run_id};
use crate::sync::auth::{default_scopes, AuthConfig, Credentials, DpopMode, SigningAlg};
use crate::sync::{Checkpoint, IncrementalConfig, OrgUrl, OrgUrlPolicy, SyncConfig, SyncMode, SyncSession};

/// Options of a sync session as the SDK gives them (`SyncSessionOptions`): every rule that turns them into
/// a [`SyncConfig`] and [`AuthConfig`] lives here, not in the glue.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionOptions {
    /// The org URL.
    pub org_url: String,
    #[serde(default)]
    /// Allow `http://` on a loopback host (tests, the emulator).
    pub allow_insecure_loopback: bool,
    #[serde(default)]
    /// Allow an org URL outside Okta's domains.
    pub allow_custom_domain: bool,
    /// An SSWS API token (or `client_id` with a key).
    pub api_token: Option<String>,
    /// An OAuth service app's client id.
    pub client_id: Option<String>,
    /// The `kid` of its private key.
    pub key_id: Option<String>,
    /// The private key's algorithm (default RS256).
    pub key_alg: Option<SigningAlg>,
    /// Scopes to ask for (default: the read scopes, plus `okta.logs.read` for an incremental sync).
    pub scopes: Option<Vec<String>>,
    #[serde(default)]
    /// DPoP mode.
    pub dpop: DpopMode,
    /// Public JWK of the ephemeral DPoP key.
    pub dpop_jwk: Option<serde_json::Map<String, serde_json::Value>>,
    /// Page size (clamped to 1–200).
    pub page_limit: Option<u32>,
    /// Requests in flight at once (clamped to 1–16).
    pub max_in_flight: Option<usize>,
    /// A checkpoint (JSON text) to resume from.
    pub checkpoint: Option<String>,
    /// Group-scoped sync: only these groups (Okta ids) and their members.
    pub groups: Option<Vec<String>>,
    /// The Workforce group's id.
    pub workforce_group_id: Option<String>,
    /// Incremental sync since this watermark, Unix ms.
    pub since_ms: Option<f64>,
    /// Overlap before the watermark, ms.
    pub overlap_ms: Option<f64>,
    /// With `since_ms`: the System Log polling cursor of the previous incremental run (`changes.logCursor`).
    pub log_cursor: Option<String>,
    /// With `since_ms`: System Log event uuids already applied (by an Event Hook receiver), skipped by the poll.
    pub applied_event_uuids: Option<Vec<String>>,
    /// Clock tolerance, ms.
    pub clock_tolerance_ms: Option<f64>,
    #[serde(default)]
    /// Keep users in a page journal and build a snapshot (full and group-scoped syncs only).
    pub journal: bool,
    /// Journal only (full syncs): pages go to the journal and nothing of the users is kept or built
    /// (see [`SyncMachine::journal_only`](crate::sync::machine::SyncMachine::journal_only)); implies `journal`.
    #[serde(default)]
    pub journal_only: bool,
    /// With `journal`: the snapshot's sync time, Unix ms.
    pub synced_at_ms: Option<f64>,
    /// Longest single wait, ms (at least 1000).
    pub max_wait_ms: Option<f64>,
    /// Attempts per request before `TOO_MANY_RETRIES` (the SDK's `retry.maxAttempts`).
    pub max_retries: Option<u32>,
    /// First back-off delay, ms (the SDK's `retry.baseDelayMs`).
    pub backoff_base_ms: Option<f64>,
    /// Longest back-off delay, ms, at least the base (the SDK's `retry.maxDelayMs`).
    pub backoff_cap_ms: Option<f64>,
    /// This run's id (≤ 64 letters, digits or `-`).
    pub run_id: Option<String>,
}

impl SessionOptions {
    /// The session, and for a journaled sync the snapshot builder its users go into (default lookup keys,
    /// the Workforce group if given). `entropy`: at least 16 secure random bytes (the `jti` seed).
    ///
    /// # Errors
    /// `INVALID_ORG_URL`, `INVALID_CREDENTIALS`, `GROUP_NOT_FOUND` (an id that cannot be an Okta id),
    /// `INVALID_CHECKPOINT`, `CONVERSION_FAILED` (a bad run id; a journal with an incremental sync).
    pub fn open(self, entropy: &[u8]) -> Result<(SyncSession, Option<SnapshotBuilder>)> {
        let (journal, synced_at_ms) = (self.journal && !self.journal_only, self.synced_at_ms.map_or(0, to_u64));
        let workforce_group = self.workforce_group_id.clone();
        let session = build(self, entropy)?;
        let builder = journal.then(|| {
            let meta = SyncMeta { origin: session.origin().to_string(), synced_at_ms };
            SnapshotBuilder::new(DirectoryConfig { workforce_group, ..DirectoryConfig::default() }, meta)
        });
        Ok((session, builder))
    }
}

fn build(mut o: SessionOptions, entropy: &[u8]) -> Result<SyncSession> {
    o.journal |= o.journal_only;
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
    if o.groups.iter().flatten().chain(o.workforce_group_id.as_ref()).any(|id| !is_okta_id(id)) {
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
        if !is_run_id(&id) {
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
        config.log_cursor = o.log_cursor;
        config.applied_event_uuids = o.applied_event_uuids.unwrap_or_default().into_iter().collect();
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
    if o.journal_only {
        session.journal_only();
    }
    Ok(session)
}

/// Non-negative, finite numbers to u64 (anything else is 0: times come from the SDK itself).
pub fn to_u64(n: f64) -> u64 {
    if n.is_finite() && n > 0.0 {
        n as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> SessionOptions {
        SessionOptions {
            org_url: "https://acme.okta.com".into(),
            api_token: Some("t".into()),
            ..SessionOptions::default()
        }
    }

    fn error(o: SessionOptions) -> Error {
        match o.open(&[7; 16]) {
            Err(e) => e,
            Ok(_) => panic!("expected an error"),
        }
    }

    #[test]
    fn the_rules_the_glue_used_to_hold() {
        let (session, builder) = SessionOptions { journal: true, ..options() }.open(&[7; 16]).expect("opens");
        assert_eq!(session.origin(), "https://acme.okta.com");
        assert!(builder.is_some_and(|b| b.is_empty()));
        assert!(options().open(&[7; 16]).expect("opens").1.is_none());
        let bad_group = SessionOptions { groups: Some(vec!["00g1".into(), "../x".into()]), ..options() };
        assert_eq!(error(bad_group), Error::GroupNotFound);
        assert_eq!(
            error(SessionOptions { workforce_group_id: Some(String::new()), ..options() }),
            Error::GroupNotFound
        );
        assert!(matches!(error(SessionOptions { run_id: Some("a b".into()), ..options() }), Error::Conversion { .. }));
        let journal_incremental = SessionOptions { journal: true, since_ms: Some(1.0e12), ..options() };
        assert!(matches!(error(journal_incremental), Error::Conversion { .. }));
        assert!(matches!(options().open(&[7; 15]), Err(Error::InvalidCredentials { .. })));
        let both = SessionOptions { client_id: Some("c".into()), ..options() };
        assert!(matches!(error(both), Error::InvalidCredentials { .. }));
    }

    #[test]
    fn numbers_from_javascript() {
        assert_eq!((to_u64(12.9), to_u64(-1.0), to_u64(f64::NAN), to_u64(f64::INFINITY)), (12, 0, 0, 0));
    }
}
