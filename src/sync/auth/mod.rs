//! Authentication, sans-IO: what the driver must sign and send to get and use credentials. The core builds
//! the client assertion and DPoP proof signing inputs, the token request body, reads token responses and
//! decides when to fetch, refresh or retry; the driver only signs bytes (WebCrypto) and performs requests.

pub mod jwt;
pub mod reader;
pub mod token;

use serde_json::{Map, Value};

pub use jwt::{assertion_input, base64url, htu, proof_input, ProofClaims, SigningAlg};
pub use token::{read_token_response, token_form, IssuedToken, TokenReply, REQUIRED_SCOPES};

use crate::error::Error;

/// How the sync authenticates to Okta.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A legacy API token: `Authorization: SSWS <token>`.
    ApiToken(String),
    /// An API Services app with `private_key_jwt` (the driver holds the private key).
    PrivateKey {
        /// The app's client id (`0oa…`).
        client_id: String,
        /// The registered key's `kid`, sent in the assertion header.
        key_id: Option<String>,
        /// The client key's algorithm.
        alg: SigningAlg,
    },
}

/// Whether DPoP proofs are used with OAuth tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DpopMode {
    /// Send a proof with the token request; use DPoP if Okta binds the token, Bearer otherwise.
    #[default]
    Auto,
    /// As `Auto`, but a token that is not DPoP-bound is an error.
    Required,
    /// Never send proofs (the app must not require DPoP).
    Off,
}

/// Authentication settings of a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    /// The credential.
    pub credentials: Credentials,
    /// Scopes to request (OAuth only).
    pub scopes: Vec<String>,
    /// DPoP use (OAuth only).
    pub dpop: DpopMode,
    /// Public JWK of the driver's ephemeral DPoP key (P-256, ES256); required unless DPoP is off.
    pub dpop_jwk: Option<Map<String, Value>>,
    /// Seed for `jti` values, from the driver's secure random source (fresh per sync).
    pub jti_seed: [u64; 2],
}

/// The scopes a full sync requests by default.
pub fn default_scopes() -> Vec<String> {
    REQUIRED_SCOPES.iter().map(|s| (*s).to_string()).collect()
}

/// Whether `s` is a credential-like value that can go into a header or claim: visible ASCII, at most 4 KiB.
fn visible(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4096 && s.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// Checks an OAuth client's id and key id before anything is signed (`INVALID_CREDENTIALS`).
pub fn check_client(client_id: &str, key_id: Option<&str>) -> Result<(), Error> {
    let bad = |reason| Err(Error::InvalidCredentials { reason });
    if !visible(client_id) || client_id.len() > 128 {
        return bad("the client id is empty or has invalid characters");
    }
    if key_id.is_some_and(|k| !visible(k) || k.len() > 256) {
        return bad("the key id is empty or has invalid characters");
    }
    Ok(())
}

/// The public members of a DPoP key's JWK (`kty`, `crv`, `x`, `y`); `INVALID_CREDENTIALS` unless it is a
/// P-256 key.
pub fn public_dpop_jwk(mut public: Map<String, Value>) -> Result<Map<String, Value>, Error> {
    // `retain`, not `collect()`: a `Map` built from an iterator sorts it with its own copy of std's sort.
    public.retain(|k, _| matches!(k.as_str(), "kty" | "crv" | "x" | "y"));
    if public.get("kty").and_then(Value::as_str) != Some("EC")
        || public.get("crv").and_then(Value::as_str) != Some("P-256")
        || !public.get("x").is_some_and(Value::is_string)
        || !public.get("y").is_some_and(Value::is_string)
    {
        return Err(Error::InvalidCredentials { reason: "the DPoP key must be a P-256 public JWK" });
    }
    Ok(public)
}

impl AuthConfig {
    /// Checks the settings before anything is sent; the public JWK is reduced to its public members.
    pub fn validated(mut self) -> Result<AuthConfig, Error> {
        let bad = |reason| Err(Error::InvalidCredentials { reason });
        match &self.credentials {
            Credentials::ApiToken(t) if !visible(t) => return bad("the API token is empty or has invalid characters"),
            Credentials::PrivateKey { client_id, key_id, .. } => {
                check_client(client_id, key_id.as_deref())?;
                if self.scopes.is_empty() || self.scopes.iter().any(|s| !visible(s) || s.len() > 128) {
                    return bad("the scopes are empty or malformed");
                }
                if self.dpop != DpopMode::Off {
                    let Some(jwk) = self.dpop_jwk.take() else {
                        return bad("DPoP needs the public JWK of the DPoP key");
                    };
                    self.dpop_jwk = Some(public_dpop_jwk(jwk)?);
                }
            }
            Credentials::ApiToken(_) => {}
        }
        Ok(self)
    }
}

/// Unique `jti` values: SplitMix64 over a driver-provided random seed (two independent 64-bit streams,
/// so 128 bits per id). Unique within a sync by construction; unpredictable across syncs by the seed.
#[derive(Debug, Clone)]
pub struct JtiSource {
    state: [u64; 2],
}

impl JtiSource {
    /// A source seeded by the driver.
    pub fn new(seed: [u64; 2]) -> JtiSource {
        JtiSource { state: seed }
    }

    /// The next id, 32 hex digits.
    pub fn next_jti(&mut self) -> String {
        let mut out = String::with_capacity(32);
        for (i, s) in self.state.iter_mut().enumerate() {
            *s = s.wrapping_add(0x9e37_79b9_7f4a_7c15 ^ (i as u64));
            let mut z = *s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            out.push_str(&format!("{:016x}", z ^ (z >> 31)));
        }
        out
    }
}
