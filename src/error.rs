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
        }
    }

    /// The HTTP status associated with this error, when there is one (none yet in the core).
    pub fn status(&self) -> Option<u16> {
        None
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
    fn messages_are_nonempty() {
        for e in samples() {
            assert!(!e.to_string().is_empty());
        }
    }
}
