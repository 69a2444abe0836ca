//! Okta's identity-verification `claims` request (sent to vendors in a PAR), read as-is and merged
//! over a local [`Policy`].
//!
//! Three per-claim forms exist in the wild: the current `{"value": v, "fuzzy": true}`, the pre-2025
//! `{"fuzzy": "v"}` (the value sits in `fuzzy`), and a bare `"v"` that meant an exact comparison;
//! plain OIDC Identity Assurance adds `null` and `{"value" | "values", "essential"}`. In Okta's use,
//! `value` is the directory value to compare against, not a constraint on the returned value.
//!
//! Trust: those values are only as trustworthy as whoever sent the request. `Matcher::with_okta`
//! (the default everywhere a decision can be recorded) reads the request's claims and strictness and
//! ignores its values: the directory record is compared. `Matcher::with_okta_values` compares the
//! request's values instead, for a verification vendor answering Okta's own authenticated PAR.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json_reader::At;
use super::kinds::{AddressPart, ClaimKind};
use super::policy::{default_rule, MatchMode, OnMissing, Policy};
use crate::error::{Error, Result};
use crate::profile::json::parse_value;

/// How strictly the request asked for a claim to be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// `fuzzy: true`, or the legacy `{"fuzzy": "v"}` form.
    Fuzzy,
    /// `fuzzy: false`, or the legacy bare-string form.
    Exact,
    /// The request did not say.
    Unspecified,
}

/// One requested claim (address parts are listed one by one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedClaim {
    /// The claim.
    pub kind: ClaimKind,
    /// The address part, for `address`.
    pub part: Option<AddressPart>,
    /// The directory value(s) Okta supplied to compare against; empty when none.
    pub values: Vec<String>,
    /// Requested strictness.
    pub strictness: Requested,
}

/// A parsed Okta (or OIDC4IDA) claims request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OktaClaimsRequest {
    /// `verification.trust_framework`, echoed back as received.
    pub trust_framework: Option<String>,
    /// `verification.assurance_level`, when present.
    pub assurance_level: Option<String>,
    /// The requested claims, in canonical order (claim, then address part).
    pub claims: Vec<RequestedClaim>,
}

/// A local policy with an Okta request merged over it, and the directory values Okta supplied.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedPolicy {
    /// The effective policy.
    pub policy: Policy,
    /// Directory values from the request; they take the place of the record's only in
    /// `Matcher::with_okta_values` (a vendor answering Okta's authenticated PAR).
    pub supplied: BTreeMap<(ClaimKind, Option<AddressPart>), Vec<String>>,
}

const MAX_VALUE_CHARS: usize = 1024;
const MAX_REQUEST_BYTES: usize = 64 * 1024;

fn invalid(path: String, reason: String) -> Error {
    Error::InvalidOktaClaims { path, reason }
}

/// Parses a claims request given as JSON text (as it travels inside the PAR form body).
pub fn parse_okta_claims_json(text: &str) -> Result<OktaClaimsRequest> {
    if text.len() > MAX_REQUEST_BYTES {
        return Err(Error::InputTooLarge { what: "Okta claims request", limit: MAX_REQUEST_BYTES });
    }
    let doc = parse_value(text)
        .map_err(|e| Error::InvalidJson { position: format!("line {} column {}", e.line(), e.column()) })?;
    parse_okta_claims(&doc)
}

/// Parses a claims request: `{"id_token": {"verified_claims": …}}`, the same under `userinfo`, or a
/// bare `{"verified_claims": …}`; `verified_claims` is one object or an array of them.
pub fn parse_okta_claims(doc: &Value) -> Result<OktaClaimsRequest> {
    let root = At::root(doc, invalid);
    let mut request = OktaClaimsRequest::default();
    let mut found = false;
    for (key, at) in root.entries()? {
        match key {
            "id_token" | "userinfo" => {
                for (inner, vc) in at.entries()? {
                    if inner == "verified_claims" {
                        read_verified_claims(&vc, &mut request)?;
                        found = true;
                    }
                    // Other requested claims (outside verified_claims) are not verified claims: ignored.
                }
            }
            "verified_claims" => {
                read_verified_claims(&at, &mut request)?;
                found = true;
            }
            _ => {} // OIDC: unknown members are ignored
        }
    }
    if !found {
        return Err(root.fail("no `verified_claims` under `id_token`, `userinfo` or the top level"));
    }
    crate::sort::sort_by_key(&mut request.claims, |c| (c.kind, c.part));
    Ok(request)
}

fn read_verified_claims(at: &At<'_>, request: &mut OktaClaimsRequest) -> Result<()> {
    match at.value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                read_one(&at.index(i, item), request)?;
            }
            Ok(())
        }
        _ => read_one(at, request),
    }
}

fn read_one(at: &At<'_>, request: &mut OktaClaimsRequest) -> Result<()> {
    let mut saw_claims = false;
    for (key, v) in at.entries()? {
        match key {
            "verification" => {
                for (field, f) in v.entries()? {
                    let text = match f.value {
                        Value::Object(_) => f.entries()?.into_iter().find(|(k, _)| *k == "value").map(|(_, x)| x),
                        _ => Some(f.clone()),
                    };
                    let Some(text) = text else { continue };
                    match field {
                        "trust_framework" => request.trust_framework = Some(text.str()?.to_owned()),
                        "assurance_level" => request.assurance_level = Some(text.str()?.to_owned()),
                        _ => {}
                    }
                }
            }
            "claims" => {
                saw_claims = true;
                for (name, claim) in v.entries()? {
                    let kind = ClaimKind::from_name(name).ok_or_else(|| claim.fail("not a supported claim"))?;
                    if kind == ClaimKind::Address {
                        read_address(&claim, request)?;
                    } else {
                        let (values, strictness) = read_claim_value(&claim)?;
                        push(request, RequestedClaim { kind, part: None, values, strictness }, &claim)?;
                    }
                }
            }
            _ => {}
        }
    }
    if !saw_claims {
        return Err(at.fail("a verified_claims element needs `claims`"));
    }
    Ok(())
}

/// Reads one claim in any of the accepted forms.
fn read_claim_value(at: &At<'_>) -> Result<(Vec<String>, Requested)> {
    match at.value {
        Value::Null => Ok((Vec::new(), Requested::Unspecified)),
        Value::String(s) => Ok((clean(at, s)?.into_iter().collect(), Requested::Exact)),
        Value::Object(_) => {
            let mut values = Vec::new();
            let mut strictness = Requested::Unspecified;
            for (key, v) in at.entries()? {
                match (key, v.value) {
                    ("value", Value::Null) => {}
                    ("value", Value::String(s)) => values.extend(clean(&v, s)?),
                    ("values", _) => {
                        for (item, s) in v.strings()? {
                            values.extend(clean(&item, s)?);
                        }
                    }
                    ("fuzzy", Value::Bool(true)) => strictness = Requested::Fuzzy,
                    ("fuzzy", Value::Bool(false)) => strictness = Requested::Exact,
                    ("fuzzy", Value::String(s)) => {
                        values.extend(clean(&v, s)?);
                        strictness = Requested::Fuzzy;
                    }
                    ("value" | "fuzzy", _) => return Err(v.fail("expected a string, a boolean for `fuzzy`, or null")),
                    _ => {} // essential, purpose, and unknown members: ignored as OIDC says
                }
            }
            Ok((values, strictness))
        }
        _ => Err(at.fail("expected null, a string, or an object")),
    }
}

fn read_address(at: &At<'_>, request: &mut OktaClaimsRequest) -> Result<()> {
    let parts: Vec<(AddressPart, At<'_>)> = match at.value {
        // The whole address, no parts named: the local policy decides which parts matter.
        Value::Null => {
            let claim = RequestedClaim {
                kind: ClaimKind::Address,
                part: None,
                values: Vec::new(),
                strictness: Requested::Unspecified,
            };
            return push(request, claim, at);
        }
        Value::Object(_) => {
            let mut parts = Vec::new();
            for (key, v) in at.entries()? {
                if let Some(part) = AddressPart::from_name(key) {
                    parts.push((part, v));
                } else if key == "value" || key == "fuzzy" || key == "formatted" {
                    return Err(v.fail("address values must be given per part (street_address, locality, …)"));
                }
            }
            parts
        }
        _ => return Err(at.fail("expected null or an object of address parts")),
    };
    for (part, part_at) in parts {
        let (values, strictness) = read_claim_value(&part_at)?;
        push(request, RequestedClaim { kind: ClaimKind::Address, part: Some(part), values, strictness }, &part_at)?;
    }
    Ok(())
}

fn clean(at: &At<'_>, s: &str) -> Result<Option<String>> {
    let trimmed = s.trim();
    if trimmed.chars().count() > MAX_VALUE_CHARS {
        return Err(at.fail(format!("values are limited to {MAX_VALUE_CHARS} characters")));
    }
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

fn push(request: &mut OktaClaimsRequest, claim: RequestedClaim, at: &At<'_>) -> Result<()> {
    if let Some(existing) = request.claims.iter().find(|c| c.kind == claim.kind && c.part == claim.part) {
        if *existing != claim {
            return Err(at.fail("the same claim is requested twice with different values or strictness"));
        }
        return Ok(());
    }
    request.claims.push(claim);
    Ok(())
}

impl Policy {
    /// Merges an Okta request over this policy. Every requested claim becomes required (Okta fails
    /// the verification when any requested claim is not verified); claims only the local policy names
    /// stay as they are. Strictness: an exact request tightens a fuzzy local rule, but Okta's
    /// always-on `fuzzy: true` never loosens a local exact rule.
    pub fn merge_okta(&self, request: &OktaClaimsRequest) -> MergedPolicy {
        let mut policy = self.clone();
        if let Some(tf) = &request.trust_framework {
            policy.trust_framework = tf.clone();
        }
        let mut supplied = BTreeMap::new();
        for claim in &request.claims {
            let index = match policy.claims.iter().position(|r| r.kind == claim.kind) {
                Some(i) => i,
                None => {
                    let mut rule = default_rule(claim.kind);
                    if claim.kind == ClaimKind::Address {
                        // Only the parts Okta asks for are required; the others stay optional.
                        rule.parts.iter_mut().for_each(|p| p.required = false);
                    }
                    policy.claims.push(rule);
                    policy.claims.len() - 1
                }
            };
            let rule = &mut policy.claims[index];
            rule.required = true;
            rule.on_missing_directory = OnMissing::Fail;
            rule.on_missing_verified = OnMissing::Fail;
            let exact = claim.strictness == Requested::Exact;
            match claim.part {
                Some(part) => {
                    if let Some(p) = rule.parts.iter_mut().find(|p| p.part == part) {
                        p.required = true;
                        if exact {
                            p.mode = MatchMode::Exact;
                        }
                    }
                }
                None if exact => rule.mode = MatchMode::Exact,
                None => {}
            }
            if !claim.values.is_empty() {
                supplied.insert((claim.kind, claim.part), claim.values.clone());
            }
        }
        crate::sort::sort_by_key(&mut policy.claims, |r| r.kind);
        MergedPolicy { policy, supplied }
    }
}
