//! Batch matching over JSON Lines: one input object per line, one output object per line, same
//! order; a line that cannot be read yields an `error` object and the run goes on.
//!
//! Input: `{"id": …, "verified": {…}, "directory": {Okta user or bare profile}, "policy": {…}?,
//! "okta_claims": {Okta PAR claims request}?}`.
//! Output: `{"id": …, "decision": …, "claims": {…}}` or `{"id": …, "error": {"code", "message"}}`.

use serde_json::Value;

use super::engine::{Assessed, Matcher};
use super::okta::parse_okta_claims;
use super::pairs::{load_array, parse_tree, read_directory, read_view, PairView, MAX_LINE_BYTES};
use super::policy::Policy;
use super::report_codes::encode_match;
use super::report_json::{text, write_fields, write_match, REPORT_BYTES};
use super::verified::VerifiedClaims;
use crate::error::{Error, Result};
use crate::profile::json::{to_value, Json, JsonMap, JsonObject};

/// Matches one JSONL line with `default` (the run's policy) unless the line carries its own
/// `policy` or `okta_claims`; always returns one JSON object as text, never fails.
pub fn match_line(default: &Matcher, line: &str) -> String {
    let (id, outcome) = match read_line(line) {
        Ok((id, object)) => (id, match_object(default, &object)),
        Err(e) => (Value::Null, Err(e)),
    };
    // Written by hand so that `id` comes first and the report keeps its field order.
    let mut out = Vec::with_capacity(REPORT_BYTES);
    out.push(b'{');
    if !id.is_null() {
        out.extend_from_slice(br#""id":"#);
        out.extend_from_slice(id.to_string().as_bytes());
        out.push(b',');
    }
    match outcome {
        Ok(report) => write_fields(&mut out, &report),
        Err(e) => out.extend_from_slice(&error_body(&e).as_bytes()[1..]),
    }
    text(out)
}

/// Bytes of report text reserved per byte of [`match_many_json`] input.
const REPORT_BYTES_PER_INPUT_BYTE: usize = 4;

/// Matches every pair of a JSON array of `{"verified", "directory"}` objects with `matcher` and
/// returns the reports, in order, as the JSON text of an array. The pairs are read one at a time
/// (no tree of the whole array). A pair that cannot be read fails the whole call (`INVALID_JSON`,
/// the directory side's normalization error); text that is not an array is `INVALID_PROFILE`.
pub fn match_many_json(matcher: &Matcher, text: &str) -> Result<String> {
    if !text.trim_start().starts_with('[') {
        parse_tree(text)?;
        return Err(Error::InvalidProfile { path: "$".into(), expected: "an array of pairs" });
    }
    let mapping = matcher.policy().attribute_mapping();
    // A report is about 3.5 times its pair's JSON (noisy pairs: 1,313 B against 377 B): reserved at
    // once, the text is not copied again each time the buffer would have doubled.
    let out = std::cell::RefCell::new(Vec::with_capacity(text.len().saturating_mul(REPORT_BYTES_PER_INPUT_BYTE)));
    out.borrow_mut().push(b'[');
    load_array(text, |pair: &PairView| -> Result<()> {
        let (verified, user) = read_view(pair, &mapping)?;
        let mut out = out.borrow_mut();
        if out.len() > 1 {
            out.push(b',');
        }
        write_match(&mut out, matcher, &verified, &user);
        Ok(())
    })?;
    let mut out = out.into_inner();
    out.push(b']');
    String::from_utf8(out).map_err(|_| Error::Conversion { detail: "match report".into() })
}

/// Bytes of report codes reserved per byte of [`match_many_codes`] input (noisy pairs: ≈150 B of
/// codes against 377 B of JSON).
const CODE_BYTES_PER_INPUT_BYTE: usize = 1;

/// [`match_many_json`] with each report as codes ([`super::encode_match`]) instead of JSON text:
/// the same pairs read and decided, failing the same way; the reports one after another.
pub fn match_many_codes(matcher: &Matcher, text: &str) -> Result<Vec<u8>> {
    if !text.trim_start().starts_with('[') {
        parse_tree(text)?;
        return Err(Error::InvalidProfile { path: "$".into(), expected: "an array of pairs" });
    }
    let mapping = matcher.policy().attribute_mapping();
    let out = std::cell::RefCell::new(Vec::with_capacity(text.len().saturating_mul(CODE_BYTES_PER_INPUT_BYTE)));
    load_array(text, |pair: &PairView| -> Result<()> {
        let (verified, user) = read_view(pair, &mapping)?;
        encode_match(&mut out.borrow_mut(), matcher, &verified, &user);
        Ok(())
    })?;
    Ok(out.into_inner())
}

/// Decides every pair of a JSON array of `{"verified", "directory"}` objects with `matcher`: one
/// [`super::Decision::code`] per pair, in order, and no report (the same pairs, read and decided as
/// [`match_many_json`] does, fail the same way).
pub fn decide_many_json(matcher: &Matcher, text: &str) -> Result<Vec<u8>> {
    if !text.trim_start().starts_with('[') {
        parse_tree(text)?;
        return Err(Error::InvalidProfile { path: "$".into(), expected: "an array of pairs" });
    }
    let mapping = matcher.policy().attribute_mapping();
    load_array(text, |pair: &PairView| -> Result<u8> {
        let (verified, user) = read_view(pair, &mapping)?;
        Ok(matcher.decide_only(&verified, &user).code())
    })
}

fn error_body(e: &Error) -> String {
    // Built by hand, not with `json!`, whose `unwrap` links serde_json's error formatting.
    let mut error = serde_json::Map::new();
    error.insert("code".into(), Value::from(e.code()));
    error.insert("message".into(), Value::from(e.to_string()));
    let mut body = serde_json::Map::new();
    body.insert("error".into(), Value::Object(error));
    Value::Object(body).to_string()
}

/// The line as a borrowed tree (`INVALID_JSON` with its column) and its `id` (`null` when absent).
fn read_line(line: &str) -> Result<(Value, JsonObject<'_>)> {
    if line.len() > MAX_LINE_BYTES {
        return Err(Error::InputTooLarge { what: "JSONL line", limit: MAX_LINE_BYTES });
    }
    let tree: Json = serde_json::from_str(line)
        .map_err(|e| Error::InvalidJson { position: format!("line 1 column {}", e.column()) })?;
    match tree {
        Json::Object(object) => Ok((object.get("id").map_or(Value::Null, to_value), object)),
        _ => Err(Error::InvalidProfile { path: "$".into(), expected: "a JSON object per line" }),
    }
}

fn match_object(default: &Matcher, object: &JsonObject) -> Result<Assessed> {
    let own_policy = object.get("policy").map(|p| Policy::from_json(&to_value(p))).transpose()?;
    let okta = object.get("okta_claims").map(|o| parse_okta_claims(&to_value(o))).transpose()?;
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
        Some(v @ Json::Object(_)) => VerifiedClaims::from_tree(v),
        _ => return Err(Error::InvalidProfile { path: "verified".into(), expected: "an object of verified claims" }),
    };
    let directory = object
        .get("directory")
        .ok_or(Error::InvalidProfile { path: "directory".into(), expected: "an Okta user or profile object" })?;
    let user = read_directory(directory, &matcher.policy().attribute_mapping()).map_err(|e| match e {
        Error::InvalidProfile { path, expected } => {
            let path = if path == "$" { "directory".to_owned() } else { format!("directory.{path}") };
            Error::InvalidProfile { path, expected }
        }
        other => other,
    })?;
    Ok(matcher.assess_claims(&verified, &user))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::engine::MatchReport;
    use crate::claims::pairs::tests::{pair, value, Rng};
    use crate::claims::Policy;
    use crate::profile::normalize_user;
    use serde_json::Map;

    /// [`match_line`] before lines were read as borrowed trees: the line a `Value`, its sides read
    /// from it (the reference of the differential test below).
    fn match_line_before(default: &Matcher, line: &str) -> String {
        let read = || -> Result<(Value, Map<String, Value>)> {
            if line.len() > MAX_LINE_BYTES {
                return Err(Error::InputTooLarge { what: "JSONL line", limit: MAX_LINE_BYTES });
            }
            let value: Value = serde_json::from_str(line)
                .map_err(|e| Error::InvalidJson { position: format!("line 1 column {}", e.column()) })?;
            match value {
                Value::Object(mut object) => Ok((object.remove("id").unwrap_or(Value::Null), object)),
                _ => Err(Error::InvalidProfile { path: "$".into(), expected: "a JSON object per line" }),
            }
        };
        let decide = |object: &Map<String, Value>| -> Result<MatchReport> {
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
                    };
                    &local
                }
            };
            let verified = match object.get("verified") {
                Some(v @ Value::Object(_)) => VerifiedClaims::from_json(v),
                _ => {
                    return Err(Error::InvalidProfile {
                        path: "verified".into(),
                        expected: "an object of verified claims",
                    })
                }
            };
            let directory = object.get("directory").ok_or(Error::InvalidProfile {
                path: "directory".into(),
                expected: "an Okta user or profile object",
            })?;
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
        };
        let (id, outcome) = match read() {
            Ok((id, object)) => (id, decide(&object)),
            Err(e) => (Value::Null, Err(e)),
        };
        let body = match outcome {
            Ok(report) => serde_json::to_string(&report).unwrap(),
            Err(e) => error_body(&e),
        };
        match (id.is_null(), body.strip_prefix('{')) {
            (false, Some(rest)) => format!("{{\"id\":{id},{rest}"),
            _ => body,
        }
    }

    /// A JSONL line: a generated pair with an `id` (any JSON: numbers in every spelling, escaped
    /// strings, objects with repeated keys), maybe its own `policy` and `okta_claims` (valid or not).
    fn line(rng: &mut Rng) -> String {
        let id = rng.pick(&[
            "1",
            "1.0",
            "1e2",
            "-0",
            "18446744073709551616",
            r#""case-\u0041\n""#,
            // Escapes, a non-BMP character raw and as a surrogate pair, separators JSON allows raw.
            "\"\\ud83d\\ude00 \u{1F600} \\u00e9 \u{e9} \\\\ \\\" \\/ \\t \u{2028}\"",
            r#"["\u0000",1.5e-7,-0.0,{"":"\ud834\udd1e"}]"#,
            "null",
            r#"{"b":1,"a":[2,{"z":null,"z":3}]}"#,
            "true",
        ]);
        let policy = rng.pick(&[
            "",
            r#""policy":{"claims":{"family_name":{"mode":"exact"}}},"#,
            r#""policy":{"claims":{"given_name":{},"family_name":{},"birthdate":{"required":true}}},"#,
            r#""policy":{"claims":{"x":{}}},"#,
            r#""policy":5,"#,
        ]);
        let okta = rng.pick(&[
            "",
            r#""okta_claims":{"verified_claims":{"claims":{"given_name":null,"birthdate":{"essential":true}}}},"#,
            r#""okta_claims":{"id_token":{"verified_claims":[{"claims":{"family_name":{"fuzzy":true}}}]}},"#,
            r#""okta_claims":"x","#,
        ]);
        let pair = if rng.below(8) == 0 { value(rng, 2) } else { pair(rng) };
        match pair.strip_prefix('{') {
            Some(rest) if rest.starts_with('"') => format!("{{\"id\":{id},{policy}{okta}{rest}"),
            _ => pair,
        }
    }

    #[test]
    fn lines_read_as_trees_answer_as_lines_read_as_values_did() {
        let matcher = Matcher::new(Policy::default());
        let mut rng = Rng(29);
        let (mut decided, mut failed) = (0, 0);
        for _ in 0..3_000 {
            let line = line(&mut rng);
            let want = match_line_before(&matcher, &line);
            assert_eq!(match_line(&matcher, &line), want, "{line}");
            if want.contains("\"decision\"") {
                decided += 1
            } else {
                failed += 1
            }
            // Cut and broken lines: the same error (code, message, position).
            let cut = (0..=line.len() / 2).rev().find(|i| line.is_char_boundary(*i)).unwrap_or(0);
            assert_eq!(match_line(&matcher, &line[..cut]), match_line_before(&matcher, &line[..cut]));
        }
        // Both outcomes are exercised.
        assert!(decided > 500 && failed > 500, "{decided} decided, {failed} failed");
    }
}
