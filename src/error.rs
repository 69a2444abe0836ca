//! The one error type of the core. Every variant has a stable `code()` string that the
//! SDK maps to an `Error` subclass; messages never contain profile values or secrets.

use std::fmt;

/// Every error the core can return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A JSON document could not be parsed at all.
    InvalidJson {
        /// Parser position, "line L column C" (no input text is echoed).
        position: String,
    },
    /// The input is JSON but not an Okta user object or profile.
    InvalidProfile {
        /// Which part of the input is wrong, as a path such as `profile` or `$`.
        path: String,
        /// What was expected there.
        expected: &'static str,
    },
    /// An attribute mapping is malformed.
    InvalidMapping {
        /// The offending place in the mapping, e.g. `givenName[1]`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The input exceeds a size limit the core enforces to stay responsive.
    InputTooLarge {
        /// Which input.
        what: &'static str,
        /// The limit in bytes or items.
        limit: usize,
    },
    /// A value could not be converted across the JavaScript boundary.
    Conversion {
        /// What failed to convert, without the value.
        detail: String,
    },
    /// A claims-matching policy is malformed or contradictory.
    InvalidPolicy {
        /// The offending place in the policy, e.g. `claims.birthdate.mode`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An Okta `claims` request (PAR) cannot be read.
    InvalidOktaClaims {
        /// The offending place in the request, e.g. `id_token.verified_claims[0].claims.given_name`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The Okta org URL is not a usable Okta org (malformed, wrong host, admin host, placeholder…).
    InvalidOrgUrl {
        /// Why, without echoing the URL.
        reason: &'static str,
    },
    /// The Okta org URL does not use https (plain http is allowed only to loopback, behind a flag).
    InsecureOrgUrl {
        /// Why, without echoing the URL.
        reason: &'static str,
    },
    /// A pagination `next` link points outside the org's origin; it was never requested.
    UnsafeNextLink,
    /// Pagination does not terminate: a repeated `next` link or too many pages.
    PaginationLoop {
        /// Which guard tripped.
        reason: &'static str,
    },
    /// Okta kept answering 429 until the retry budget ran out.
    RateLimited {
        /// Seconds the caller should wait before trying again.
        retry_after_secs: u64,
    },
    /// Okta answered with an error status that is not retried.
    OktaApi {
        /// The HTTP status.
        status: u16,
        /// Okta's `errorCode` (e.g. `E0000006`) or OAuth `error`, when the body had a well-formed one.
        error_code: Option<String>,
        /// Okta's `errorId` for support, when well-formed.
        error_id: Option<String>,
    },
    /// A response body is not what the endpoint documents, even after a retry.
    MalformedResponse {
        /// Which part is wrong (fixed text, never the body).
        what: &'static str,
    },
    /// Server errors or network failures persisted through every retry.
    TooManyRetries {
        /// Attempts made.
        attempts: u32,
        /// The last HTTP status, or none for a network failure.
        last_status: Option<u16>,
    },
    /// An incremental sync's `since` lies in the future of the local or the server's clock (beyond the clock
    /// tolerance): reading from it would skip every change in between. Run a full sync.
    WatermarkInFuture {
        /// How far ahead, in seconds.
        ahead_secs: u64,
    },
    /// A sync checkpoint cannot be resumed with this configuration.
    InvalidCheckpoint {
        /// Why.
        reason: &'static str,
    },
    /// The app lacks a scope the sync needs (Okta granted a subset, or `consent_required`): the integration
    /// remains incomplete until an admin grants it.
    AuthorizationIncomplete {
        /// The missing scopes, e.g. `okta.groups.read`.
        missing_scopes: Vec<String>,
    },
    /// The token endpoint refused the client (bad key, client id, `aud`, DPoP proof, …).
    AuthenticationFailed {
        /// The HTTP status.
        status: u16,
        /// The OAuth `error` code (`invalid_client`, …) when well-formed; never `error_description`.
        oauth_error: Option<String>,
    },
    /// The credentials given to the sync are unusable (empty client id, no scopes, key not readable, …).
    InvalidCredentials {
        /// Why, without the credential.
        reason: &'static str,
    },
    /// Okta answered with a redirect; it was not followed, so credentials never left the org.
    UnexpectedRedirect {
        /// The HTTP status (3xx).
        status: u16,
    },
    /// No directory user has this loginHint (the hint itself is never echoed).
    UserNotFound,
    /// More than one directory user answers to this loginHint; nobody is picked.
    AmbiguousLoginHint {
        /// How many distinct users matched (no ids, no values).
        candidates: usize,
    },
    /// The directory has no group with this id (the id is not echoed).
    GroupNotFound,
    /// A snapshot is damaged: truncated, bad checksum, malformed payload or trailing bytes.
    SnapshotCorrupt {
        /// What was wrong (fixed text, never snapshot content).
        reason: &'static str,
    },
    /// A snapshot was written by a newer format version (or uses features) this reader does not know.
    SnapshotVersionUnsupported {
        /// The version found in the snapshot.
        found: u16,
        /// The newest version this reader supports.
        supported: u16,
    },
    /// A pacing or retry wait longer than the configured cap (the server's rate-limit window resets too
    /// far ahead, or its `Retry-After` is too long): the sync stops rather than wait.
    RateLimitWaitTooLong {
        /// The rate-limit bucket waited on (`usersList`, `groupsList`, …).
        bucket: &'static str,
        /// The wait the server asked for, in seconds.
        wait_secs: u64,
        /// The configured cap, in seconds.
        cap_secs: u64,
        /// The server's reset time (ISO 8601, UTC), when the server said it.
        reset_at: Option<String>,
    },
    /// A listing kept returning only records already collected, page after page (a cursor that moves
    /// without the data moving).
    NoProgress {
        /// Which listing (`users`, `group members`).
        listing: &'static str,
        /// Pages in a row without a new record.
        pages: u32,
    },
}

impl Error {
    /// Every stable error code, in declaration order. The SDK's TypeScript union must equal this list.
    pub const CODES: &'static [&'static str] = &[
        "INVALID_JSON",
        "INVALID_PROFILE",
        "INVALID_MAPPING",
        "INPUT_TOO_LARGE",
        "CONVERSION_FAILED",
        "INVALID_POLICY",
        "INVALID_OKTA_CLAIMS",
        "INVALID_ORG_URL",
        "INSECURE_ORG_URL",
        "UNSAFE_NEXT_LINK",
        "PAGINATION_LOOP",
        "RATE_LIMITED",
        "OKTA_API_ERROR",
        "MALFORMED_RESPONSE",
        "TOO_MANY_RETRIES",
        "INVALID_CHECKPOINT",
        "WATERMARK_IN_FUTURE",
        "AUTHORIZATION_INCOMPLETE",
        "AUTHENTICATION_FAILED",
        "INVALID_CREDENTIALS",
        "UNEXPECTED_REDIRECT",
        "USER_NOT_FOUND",
        "AMBIGUOUS_LOGIN_HINT",
        "GROUP_NOT_FOUND",
        "SNAPSHOT_CORRUPT",
        "SNAPSHOT_VERSION_UNSUPPORTED",
        "RATE_LIMIT_WAIT_TOO_LONG",
        "NO_PROGRESS",
    ];

    /// The stable, machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidJson { .. } => "INVALID_JSON",
            Error::InvalidProfile { .. } => "INVALID_PROFILE",
            Error::InvalidMapping { .. } => "INVALID_MAPPING",
            Error::InputTooLarge { .. } => "INPUT_TOO_LARGE",
            Error::Conversion { .. } => "CONVERSION_FAILED",
            Error::InvalidPolicy { .. } => "INVALID_POLICY",
            Error::InvalidOktaClaims { .. } => "INVALID_OKTA_CLAIMS",
            Error::InvalidOrgUrl { .. } => "INVALID_ORG_URL",
            Error::InsecureOrgUrl { .. } => "INSECURE_ORG_URL",
            Error::UnsafeNextLink => "UNSAFE_NEXT_LINK",
            Error::PaginationLoop { .. } => "PAGINATION_LOOP",
            Error::RateLimited { .. } => "RATE_LIMITED",
            Error::OktaApi { .. } => "OKTA_API_ERROR",
            Error::MalformedResponse { .. } => "MALFORMED_RESPONSE",
            Error::TooManyRetries { .. } => "TOO_MANY_RETRIES",
            Error::InvalidCheckpoint { .. } => "INVALID_CHECKPOINT",
            Error::WatermarkInFuture { .. } => "WATERMARK_IN_FUTURE",
            Error::AuthorizationIncomplete { .. } => "AUTHORIZATION_INCOMPLETE",
            Error::AuthenticationFailed { .. } => "AUTHENTICATION_FAILED",
            Error::InvalidCredentials { .. } => "INVALID_CREDENTIALS",
            Error::UnexpectedRedirect { .. } => "UNEXPECTED_REDIRECT",
            Error::UserNotFound => "USER_NOT_FOUND",
            Error::AmbiguousLoginHint { .. } => "AMBIGUOUS_LOGIN_HINT",
            Error::GroupNotFound => "GROUP_NOT_FOUND",
            Error::SnapshotCorrupt { .. } => "SNAPSHOT_CORRUPT",
            Error::SnapshotVersionUnsupported { .. } => "SNAPSHOT_VERSION_UNSUPPORTED",
            Error::RateLimitWaitTooLong { .. } => "RATE_LIMIT_WAIT_TOO_LONG",
            Error::NoProgress { .. } => "NO_PROGRESS",
        }
    }

    /// The HTTP status associated with this error, when an HTTP exchange caused it.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::RateLimited { .. } => Some(429),
            Error::OktaApi { status, .. } => Some(*status),
            Error::TooManyRetries { last_status, .. } => *last_status,
            Error::AuthenticationFailed { status, .. } | Error::UnexpectedRedirect { status } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidJson { position } => write!(f, "input is not valid JSON ({position})"),
            Error::InvalidProfile { path, expected } => {
                write!(f, "invalid Okta user input at `{path}`: expected {expected}")
            }
            Error::InvalidMapping { path, reason } => {
                write!(f, "invalid attribute mapping at `{path}`: {reason}")
            }
            Error::InputTooLarge { what, limit } => write!(f, "{what} exceeds the limit of {limit}"),
            Error::Conversion { detail } => write!(f, "conversion failed: {detail}"),
            Error::InvalidPolicy { path, reason } => write!(f, "invalid policy at `{path}`: {reason}"),
            Error::InvalidOktaClaims { path, reason } => write!(f, "invalid Okta claims request at `{path}`: {reason}"),
            Error::InvalidOrgUrl { reason } => write!(f, "invalid Okta org URL: {reason}"),
            Error::InsecureOrgUrl { reason } => write!(f, "insecure Okta org URL: {reason}"),
            Error::UnsafeNextLink => {
                write!(f, "the next link's origin differs from the org; it was not followed (no credentials sent)")
            }
            Error::PaginationLoop { reason } => write!(f, "pagination stopped: {reason}"),
            Error::RateLimited { retry_after_secs } => {
                write!(f, "Okta rate limit still exceeded after retries; retry after {retry_after_secs} s")
            }
            Error::OktaApi { status, error_code, error_id } => {
                write!(f, "Okta API error: HTTP {status}")?;
                if let Some(code) = error_code {
                    write!(f, ", errorCode {code}")?;
                }
                if let Some(id) = error_id {
                    write!(f, ", errorId {id}")?;
                }
                Ok(())
            }
            Error::MalformedResponse { what } => write!(f, "malformed Okta response: {what}"),
            Error::TooManyRetries { attempts, last_status } => match last_status {
                Some(s) => write!(f, "gave up after {attempts} attempts (last status HTTP {s})"),
                None => write!(f, "gave up after {attempts} attempts (network failures)"),
            },
            Error::InvalidCheckpoint { reason } => write!(f, "cannot resume from checkpoint: {reason}"),
            Error::WatermarkInFuture { ahead_secs } => write!(
                f,
                "the incremental sync's watermark is {ahead_secs} s in the future of the clock; run a full sync (and check the clocks)"
            ),
            Error::AuthorizationIncomplete { missing_scopes } => write!(
                f,
                "authorization incomplete: the Okta app was not granted {} (an admin must grant it under Okta API Scopes)",
                missing_scopes.join(", ")
            ),
            Error::AuthenticationFailed { status, oauth_error } => match oauth_error {
                Some(code) => write!(f, "the Okta token endpoint refused the client: HTTP {status}, error {code}"),
                None => write!(f, "the Okta token endpoint refused the client: HTTP {status}"),
            },
            Error::InvalidCredentials { reason } => write!(f, "unusable credentials: {reason}"),
            Error::UnexpectedRedirect { status } => {
                write!(f, "Okta answered with a redirect (HTTP {status}); it was not followed (no credentials sent)")
            }
            Error::UserNotFound => write!(f, "no directory user matches the login hint"),
            Error::AmbiguousLoginHint { candidates } => {
                write!(f, "the login hint matches {candidates} directory users; none was picked")
            }
            Error::GroupNotFound => write!(f, "no directory group has this id"),
            Error::SnapshotCorrupt { reason } => write!(f, "the snapshot is corrupt: {reason}"),
            Error::SnapshotVersionUnsupported { found, supported } => write!(
                f,
                "the snapshot has format version {found} (or unknown flags); this reader supports up to version {supported}"
            ),
            Error::RateLimitWaitTooLong { bucket, wait_secs, cap_secs, reset_at } => {
                write!(f, "the {bucket} rate-limit bucket asks for a {wait_secs} s wait, beyond the {cap_secs} s cap")?;
                match reset_at {
                    Some(at) => write!(f, " (server reset at {at})"),
                    None => Ok(()),
                }
            }
            Error::NoProgress { listing, pages } => {
                write!(f, "the {listing} listing returned {pages} pages in a row with no record not already seen")
            }
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand for results of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Error> {
        vec![
            Error::InvalidJson { position: "line 1 column 2".into() },
            Error::InvalidProfile { path: "$".into(), expected: "an object" },
            Error::InvalidMapping { path: "givenName".into(), reason: "empty".into() },
            Error::InputTooLarge { what: "input", limit: 1 },
            Error::Conversion { detail: "x".into() },
            Error::InvalidPolicy { path: "claims".into(), reason: "x".into() },
            Error::InvalidOktaClaims { path: "$".into(), reason: "x".into() },
            Error::InvalidOrgUrl { reason: "r" },
            Error::InsecureOrgUrl { reason: "r" },
            Error::UnsafeNextLink,
            Error::PaginationLoop { reason: "r" },
            Error::RateLimited { retry_after_secs: 3 },
            Error::OktaApi { status: 403, error_code: Some("E0000006".into()), error_id: None },
            Error::MalformedResponse { what: "w" },
            Error::TooManyRetries { attempts: 4, last_status: Some(503) },
            Error::InvalidCheckpoint { reason: "r" },
            Error::WatermarkInFuture { ahead_secs: 86_400 },
            Error::AuthorizationIncomplete { missing_scopes: vec!["okta.groups.read".into()] },
            Error::AuthenticationFailed { status: 401, oauth_error: Some("invalid_client".into()) },
            Error::InvalidCredentials { reason: "r" },
            Error::UnexpectedRedirect { status: 302 },
            Error::UserNotFound,
            Error::AmbiguousLoginHint { candidates: 2 },
            Error::GroupNotFound,
            Error::SnapshotCorrupt { reason: "r" },
            Error::SnapshotVersionUnsupported { found: 9, supported: 1 },
            Error::RateLimitWaitTooLong { bucket: "usersList", wait_secs: 86_400, cap_secs: 300, reset_at: None },
            Error::NoProgress { listing: "users", pages: 3 },
        ]
    }

    #[test]
    fn every_variant_has_a_listed_unique_code() {
        let codes: Vec<&str> = samples().iter().map(Error::code).collect();
        assert_eq!(codes, Error::CODES, "CODES must list every variant in order");
        let mut dedup = codes.clone();
        dedup.sort_unstable();
        dedup.dedup();
        assert_eq!(dedup.len(), codes.len());
        for code in codes {
            assert!(code.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{code}");
        }
    }

    #[test]
    fn http_errors_carry_a_status() {
        assert_eq!(Error::RateLimited { retry_after_secs: 1 }.status(), Some(429));
        assert_eq!(Error::OktaApi { status: 404, error_code: None, error_id: None }.status(), Some(404));
        assert_eq!(Error::TooManyRetries { attempts: 2, last_status: None }.status(), None);
        assert_eq!(Error::UnsafeNextLink.status(), None);
    }

    #[test]
    fn messages_are_nonempty() {
        for e in samples() {
            assert!(!e.to_string().is_empty());
        }
    }
}
