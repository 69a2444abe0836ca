//! Batch matching over JSON Lines: one input object per line, one output object per line, same
//! order; a line that cannot be read yields an `error` object and the run goes on.
//!
//! Input: `{"id": …, "verified": {…}, "directory": {Okta user or bare profile}, "policy": {…}?,
//! "okta_claims": {Okta PAR claims request}?}`.
//! Output: `{"id": …, "decision": …, "claims": {…}}` or `{"id": …, "error": {"code", "message"}}`.

use serde_json::{json, Map, Value};

use super::engine::{MatchReport, Matcher};
use super::okta::parse_okta_claims;
use super::pairs::{load_array, read_pair, MAX_LINE_BYTES};
use super::policy::Policy;
use super::verified::VerifiedClaims;
use crate::error::{Error, Result};
use crate::profile::json::Json;
use crate::profile::normalize_user;

/// Matches one JSONL line with `default` (the run's policy) unless the line carries its own
/// `policy` or `okta_claims`; always returns one JSON object as text, never fails.
pub fn match_line(default: &Matcher, line: &str) -> String {
    let (id, outcome) = match read_line(line) {
        Ok((id, object)) => (id, match_object(default, &object)),
        Err(e) => (Value::Null, Err(e)),
    };
    // Written by hand so that `id` comes first and the report keeps its field order.
    let body = match outcome {
        Ok(report) => serde_json::to_string(&report)
            .unwrap_or_else(|_| error_body(&Error::Conversion { detail: "match report".into() })),
        Err(e) => error_body(&e),
    };
    match (id.is_null(), body.strip_prefix('{')) {
        (false, Some(rest)) => format!("{{\"id\":{id},{rest}"),
        _ => body,
    }
}

/// Matches every pair of a JSON array of `{"verified", "directory"}` objects with `matcher` and
/// returns the reports, in order, as the JSON text of an array. The pairs are read one at a time
/// (no tree of the whole array). A pair that cannot be read fails the whole call (`INVALID_JSON`,
/// the directory side's normalization error); text that is not an array is `INVALID_PROFILE`.
pub fn match_many_json(matcher: &Matcher, text: &str) -> Result<String> {
    if !text.trim_start().starts_with('[') {
        serde_json::from_str::<Value>(text)
            .map_err(|e| Error::InvalidJson { position: format!("line {} column {}", e.line(), e.column()) })?;
        return Err(Error::InvalidProfile { path: "$".into(), expected: "an array of pairs" });
    }
    let mapping = matcher.policy().attribute_mapping();
    let out = std::cell::RefCell::new(Vec::with_capacity(text.len().saturating_mul(2)));
    out.borrow_mut().push(b'[');
    load_array(text, |pair: &Json| -> Result<()> {
        let (verified, user) = read_pair(pair, &mapping)?;
        let mut out = out.borrow_mut();
        if out.len() > 1 {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, &matcher.decide(&verified, &user))
            .map_err(|_| Error::Conversion { detail: "match report".into() })
    })?;
    let mut out = out.into_inner();
    out.push(b']');
    String::from_utf8(out).map_err(|_| Error::Conversion { detail: "match report".into() })
}

/// Decides every pair of a JSON array of `{"verified", "directory"}` objects with `matcher`: one
/// [`super::Decision::code`] per pair, in order, and no report (the same pairs, read and decided as
/// [`match_many_json`] does, fail the same way).
pub fn decide_many_json(matcher: &Matcher, text: &str) -> Result<Vec<u8>> {
    if !text.trim_start().starts_with('[') {
        serde_json::from_str::<Value>(text)
            .map_err(|e| Error::InvalidJson { position: format!("line {} column {}", e.line(), e.column()) })?;
        return Err(Error::InvalidProfile { path: "$".into(), expected: "an array of pairs" });
    }
    let mapping = matcher.policy().attribute_mapping();
    load_array(text, |pair: &Json| -> Result<u8> {
        let (verified, user) = read_pair(pair, &mapping)?;
        Ok(matcher.decide_only(&verified, &user).code())
    })
}

fn error_body(e: &Error) -> String {
    json!({"error": {"code": e.code(), "message": e.to_string()}}).to_string()
}

fn read_line(line: &str) -> Result<(Value, Map<String, Value>)> {
    if line.len() > MAX_LINE_BYTES {
        return Err(Error::InputTooLarge { what: "JSONL line", limit: MAX_LINE_BYTES });
    }
    let value: Value = serde_json::from_str(line)
        .map_err(|e| Error::InvalidJson { position: format!("line 1 column {}", e.column()) })?;
    match value {
        Value::Object(mut object) => {
            let id = object.remove("id").unwrap_or(Value::Null);
            Ok((id, object))
        }
        _ => Err(Error::InvalidProfile { path: "$".into(), expected: "a JSON object per line" }),
    }
}

fn match_object(default: &Matcher, object: &Map<String, Value>) -> Result<MatchReport> {
    let own_policy = object.get("policy").map(Policy::from_json).transpose()?;
    let okta = object.get("okta_claims").map(parse_okta_claims).transpose()?;
    let local;
    let matcher = match (own_policy, okta) {
        (None, None) => default,
        (policy, okta) => {
            let base = policy.unwrap_or_else(|| default.policy().clone());
            local = match okta {
                Some(request) => Matcher::with_okta(&base, &request),
                None => Matcher::new(base),
            }
            .with_frequencies_of(default);
            &local
        }
    };
    let verified = match object.get("verified") {
        Some(v @ Value::Object(_)) => VerifiedClaims::from_json(v),
        _ => return Err(Error::InvalidProfile { path: "verified".into(), expected: "an object of verified claims" }),
    };
    let directory = object
        .get("directory")
        .ok_or(Error::InvalidProfile { path: "directory".into(), expected: "an Okta user or profile object" })?;
    let user = normalize_user(directory, &matcher.policy().attribute_mapping())
        .map_err(|e| match e {
            Error::InvalidProfile { path, expected } => {
                let path = if path == "$" { "directory".to_owned() } else { format!("directory.{path}") };
                Error::InvalidProfile { path, expected }
            }
            other => other,
        })?
        .user;
    Ok(matcher.decide(&verified, &user))
}
