//! The decision written back as an identity provider would: Okta's `verified_claims` response
//! profile, or plain OIDC Identity Assurance.
//!
//! Okta's profile: every requested claim comes back — a match with its value (or the literal
//! `"MATCHED"`, keeping personal data out of the token), a failure with `null` — `given_name` and
//! `family_name` are always present, `fuzzy` is echoed where the request carried it, and
//! `assurance_level` is `VERIFIED` only for a `match` decision. OIDC4IDA: only verified claims are
//! returned; a claim that did not match is left out.

use serde_json::{Map, Value};

use super::engine::{ClaimEvidence, Decision, MatchReport};
use super::kinds::{AddressPart, ClaimKind};
use super::okta::{OktaClaimsRequest, Requested};
use super::report::Outcome;
use super::verified::VerifiedClaims;

/// How to write the response.
#[derive(Debug, Clone, Default)]
pub struct ResponseOptions<'a> {
    /// `trust_framework` to echo (Okta: as received in the request).
    pub trust_framework: Option<&'a str>,
    /// `verification.time` (ISO 8601), supplied by the caller: the core reads no clock.
    pub time: Option<&'a str>,
    /// Write `"MATCHED"` instead of the verified value of a matched claim.
    pub redact_matched: bool,
}

/// Okta's response profile for a decision (see the module docs).
pub fn okta_response(
    report: &MatchReport,
    verified: &VerifiedClaims,
    request: Option<&OktaClaimsRequest>,
    options: &ResponseOptions<'_>,
) -> Value {
    let fuzzy_of = |kind: ClaimKind, part: Option<AddressPart>| {
        request
            .and_then(|r| r.claims.iter().find(|c| c.kind == kind && c.part == part))
            .map(|c| c.strictness == Requested::Fuzzy)
    };
    let entry = |matched: bool, value: Option<&str>, fuzzy: Option<bool>| {
        let mut o = Map::new();
        if let Some(f) = fuzzy {
            o.insert("fuzzy".into(), Value::Bool(f));
        }
        let shown = match (matched, value) {
            (true, _) if options.redact_matched => Value::from("MATCHED"),
            (true, Some(v)) => Value::from(v),
            _ => Value::Null,
        };
        o.insert("value".into(), shown);
        Value::Object(o)
    };
    let mut claims = Map::new();
    for (kind, evidence) in &report.claims {
        if let ClaimEvidence::Address(address) = evidence {
            let mut parts = Map::new();
            for (part, result) in &address.parts {
                let requested =
                    request.is_none_or(|r| r.claims.iter().any(|c| c.kind == *kind && c.part == Some(*part)));
                if requested && result.outcome != Outcome::MissingDirectory {
                    let value = verified.address_part(*part).text();
                    parts.insert(
                        part.name().into(),
                        entry(result.outcome == Outcome::Match, value, fuzzy_of(*kind, Some(*part))),
                    );
                }
            }
            if !parts.is_empty() {
                claims.insert(kind.name().into(), Value::Object(parts));
            }
            continue;
        }
        let result = evidence.result();
        let always = matches!(kind, ClaimKind::GivenName | ClaimKind::FamilyName);
        let requested = request.is_none_or(|r| r.claims.iter().any(|c| c.kind == *kind));
        if always || (requested && result.outcome != Outcome::MissingDirectory) {
            let value = verified.get(*kind).text();
            claims.insert(kind.name().into(), entry(result.outcome == Outcome::Match, value, fuzzy_of(*kind, None)));
        }
    }
    for kind in [ClaimKind::GivenName, ClaimKind::FamilyName] {
        claims.entry(kind.name()).or_insert_with(|| entry(false, None, fuzzy_of(kind, None)));
    }
    let level = if report.decision == Decision::Match { "VERIFIED" } else { "FAILED" };
    let tf = options.trust_framework.or(request.and_then(|r| r.trust_framework.as_deref())).unwrap_or("IDV-DELEGATED");
    let claimed =
        object([("verification", verification(tf, Some(level), options.time)), ("claims", Value::Object(claims))]);
    object([("verified_claims", Value::Array(vec![claimed]))])
}

/// Plain OIDC Identity Assurance: only matched claims, with their verified values.
pub fn oidc4ida_response(report: &MatchReport, verified: &VerifiedClaims, options: &ResponseOptions<'_>) -> Value {
    let mut claims = Map::new();
    for (kind, evidence) in &report.claims {
        match evidence {
            ClaimEvidence::Address(address) => {
                // Inserted, not collected: `collect` would link one more copy of std's sort.
                let mut parts = Map::new();
                for (p, r) in &address.parts {
                    if r.outcome == Outcome::Match {
                        if let Some(v) = verified.address_part(*p).text() {
                            parts.insert(p.name().to_owned(), Value::from(v));
                        }
                    }
                }
                if !parts.is_empty() {
                    claims.insert(kind.name().into(), Value::Object(parts));
                }
            }
            ClaimEvidence::Single(result) if result.outcome == Outcome::Match => {
                if let Some(v) = verified.get(*kind).text() {
                    claims.insert(kind.name().into(), Value::from(v));
                }
            }
            ClaimEvidence::Single(_) => {}
        }
    }
    let tf = options.trust_framework.unwrap_or("IDV-DELEGATED");
    let claimed = object([("verification", verification(tf, None, options.time)), ("claims", Value::Object(claims))]);
    object([("verified_claims", claimed)])
}

/// A JSON object of `entries`, inserted in order. Built by hand, not with `json!`, whose `unwrap`
/// links serde_json's error formatting into the claims-only module (about 2 KB gzip).
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    let mut map = Map::new();
    for (key, value) in entries {
        map.insert(key.to_owned(), value);
    }
    Value::Object(map)
}

fn verification(trust_framework: &str, assurance_level: Option<&str>, time: Option<&str>) -> Value {
    let mut v = Map::new();
    v.insert("trust_framework".into(), Value::from(trust_framework));
    if let Some(level) = assurance_level {
        v.insert("assurance_level".into(), Value::from(level));
    }
    if let Some(t) = time {
        v.insert("time".into(), Value::from(t));
    }
    Value::Object(v)
}
