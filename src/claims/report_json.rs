//! A match report as JSON text, written by hand from the engine's per-claim arrays ([`Assessed`],
//! what the report codes are written from too): the same bytes as serde_json's serialization of
//! [`MatchReport`] (field order, map order, `null` guard, numbers formatted by serde_json's own
//! formatter) without building the report's maps or serde's per-key escaping and per-field calls.

use serde_json::ser::{CompactFormatter, Formatter};

use super::engine::{Assessed, Decision, Evidence, Explained, Guard, MatchReport, Matcher};
use super::kinds::{AddressPart, ClaimKind};
use super::report::{ClaimResult, Outcome, Reasons};
use super::verified::VerifiedClaims;
use super::weights::{Level, OperatingPoint};
use super::{PreparedRecord, PreparedVerified};
use crate::profile::DirectoryUser;

/// Bytes reserved for one report's text (noisy pairs: about 1,300).
pub(super) const REPORT_BYTES: usize = 1536;

/// The report as JSON text (what `serde_json::to_string(report)` writes).
pub fn report_json(report: &MatchReport) -> String {
    let mut out = Vec::with_capacity(REPORT_BYTES);
    write_report(&mut out, report);
    text(out)
}

/// Appends the report's JSON text to `out` (what `serde_json::to_writer(out, report)` writes).
pub fn write_report(out: &mut Vec<u8>, report: &MatchReport) {
    write_assessed(out, &Assessed::of_report(report));
}

/// Compares verified claims with a directory record as [`Matcher::decide`] does and appends the
/// report's JSON text to `out`, written from the engine's per-claim arrays (no report maps are built).
pub fn write_match(out: &mut Vec<u8>, matcher: &Matcher, verified: &VerifiedClaims, user: &DirectoryUser) {
    let verified = matcher.prepare_verified(verified);
    write_prepared_match(out, matcher, &verified, &matcher.prepare_record_facing(user, &verified));
}

/// [`write_match`] for sides read beforehand (the report of [`Matcher::match_prepared`]).
pub fn write_prepared_match(
    out: &mut Vec<u8>,
    matcher: &Matcher,
    verified: &PreparedVerified,
    record: &PreparedRecord,
) {
    write_assessed(out, &matcher.assess(verified, record));
}

/// The text of bytes this module wrote: only ASCII literals and the formatter's digits, always UTF-8.
pub(super) fn text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_default()
}

/// A report's JSON text: claims and address parts in discriminant order, the order of the report's
/// maps.
pub(super) fn write_assessed(out: &mut Vec<u8>, report: &Assessed) {
    out.push(b'{');
    write_fields(out, report);
}

/// A report's fields, without the opening brace (the batch lines put their `id` first).
pub(super) fn write_fields(out: &mut Vec<u8>, report: &Assessed) {
    out.extend_from_slice(match report.decision {
        Decision::Match => br#""decision":"match","claims":{"#,
        Decision::NoMatch => br#""decision":"no_match","claims":{"#,
        Decision::Review => br#""decision":"review","claims":{"#,
    });
    let mut first = true;
    for ((_, name), evidence) in ClaimKind::ALL.iter().zip(&report.claims) {
        let Some(evidence) = evidence else { continue };
        key(out, &mut first, name);
        match evidence {
            Evidence::Single(result) => {
                result_fields(out, result);
                out.push(b'}');
            }
            Evidence::Address(overall, parts) => {
                result_fields(out, overall);
                out.extend_from_slice(br#","parts":{"#);
                let mut first = true;
                for ((_, part), result) in AddressPart::ALL.iter().zip(parts) {
                    let Some(result) = result else { continue };
                    key(out, &mut first, part);
                    result_fields(out, result);
                    out.push(b'}');
                }
                out.extend_from_slice(b"}}");
            }
        }
    }
    out.extend_from_slice(br#"},"explanation":"#);
    write_explanation(out, &report.explained);
    out.push(b'}');
}

fn write_explanation(out: &mut Vec<u8>, explanation: &Explained) {
    out.extend_from_slice(br#"{"claims":{"#);
    let mut first = true;
    for ((_, name), weighed) in ClaimKind::ALL.iter().zip(&explanation.weighed) {
        let Some(weighed) = weighed else { continue };
        key(out, &mut first, name);
        out.extend_from_slice(br#"{"level":""#);
        out.extend_from_slice(level_name(weighed.level).as_bytes());
        out.extend_from_slice(br#"","weight":"#);
        number(out, weighed.weight);
        if let Some(frequency) = weighed.frequency {
            out.extend_from_slice(br#","frequency":"#);
            number(out, frequency);
        }
        out.push(b'}');
    }
    out.extend_from_slice(br#"},"total":"#);
    number(out, explanation.total);
    out.extend_from_slice(br#","operating_point":""#);
    out.extend_from_slice(point_name(explanation.operating_point).as_bytes());
    out.extend_from_slice(br#"","threshold":"#);
    number(out, explanation.threshold);
    match explanation.guard {
        None => out.extend_from_slice(br#","guard":null}"#),
        Some(guard) => {
            out.extend_from_slice(br#","guard":""#);
            out.extend_from_slice(guard_name(guard).as_bytes());
            out.extend_from_slice(b"\"}");
        }
    }
}

/// `"name":` (after a comma unless it is the map's first key).
fn key(out: &mut Vec<u8>, first: &mut bool, name: &str) {
    out.extend_from_slice(if *first { b"\"" } else { b",\"" });
    *first = false;
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

/// A result's fields, the object left open (an address adds its `parts`).
fn result_fields(out: &mut Vec<u8>, result: &ClaimResult) {
    out.extend_from_slice(match result.outcome {
        Outcome::Match => br#"{"outcome":"match","score":"#,
        Outcome::Mismatch => br#"{"outcome":"mismatch","score":"#,
        Outcome::MissingDirectory => br#"{"outcome":"missing_directory","score":"#,
        Outcome::MissingVerified => br#"{"outcome":"missing_verified","score":"#,
        Outcome::Invalid => br#"{"outcome":"invalid","score":"#,
    });
    number(out, result.score);
    write_reasons(out, result.reasons);
}

fn write_reasons(out: &mut Vec<u8>, reasons: Reasons) {
    if reasons.is_empty() {
        out.extend_from_slice(br#","reasons":[]"#);
        return;
    }
    out.extend_from_slice(br#","reasons":"#);
    let mut open = b'[';
    for reason in reasons.iter() {
        out.extend_from_slice(&[open, b'"']);
        out.extend_from_slice(reason.code().as_bytes());
        out.push(b'"');
        open = b',';
    }
    out.push(b']');
}

/// A number as serde_json writes an `f64`: its own formatter, `null` when not finite.
fn number(out: &mut Vec<u8>, value: f64) {
    if value == 0.0 && value.is_sign_positive() {
        out.extend_from_slice(b"0.0");
    } else if value == 1.0 {
        out.extend_from_slice(b"1.0");
    } else if value.is_finite() {
        // Writing into a Vec cannot fail.
        let _ = CompactFormatter.write_f64(out, value);
    } else {
        out.extend_from_slice(b"null");
    }
}

/// An operating point's JSON name (its serde name).
pub(super) fn point_name(point: OperatingPoint) -> &'static str {
    match point {
        OperatingPoint::Strict => "strict",
        OperatingPoint::Balanced => "balanced",
        OperatingPoint::Lenient => "lenient",
    }
}

/// A guard's JSON name (its serde name). A new guard: add it to `report_codes::GUARDS` too.
pub(super) fn guard_name(guard: Guard) -> &'static str {
    match guard {
        Guard::Spoofing => "spoofing",
        Guard::RequiredMissing => "required_missing",
        Guard::ClaimDiffers => "claim_differs",
        Guard::NothingAgrees => "nothing_agrees",
        Guard::Review => "review",
    }
}

/// A level's JSON name (its serde name). A new level: add it to `report_codes::LEVELS` too.
pub(super) fn level_name(level: Level) -> &'static str {
    match level {
        Level::Exact => "exact",
        Level::Folded => "folded",
        Level::Nickname => "nickname",
        Level::Subset => "subset",
        Level::Initial => "initial",
        Level::Ocr => "ocr",
        Level::OneEdit => "one_edit",
        Level::TwoEdits => "two_edits",
        Level::Swapped => "swapped",
        Level::Placeholder => "placeholder",
        Level::Missing => "missing",
        Level::Differs => "differs",
        Level::Invalid => "invalid",
        Level::Changed => "changed",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::claims::compare::AddressResult;
    use crate::claims::pairs::tests::{pair, Rng};
    use crate::claims::pairs::{load_array, read_pair};
    use crate::claims::report::Reason;
    use crate::claims::{ClaimEvidence, Explanation, Policy, Weighed};
    use crate::profile::json::Json;

    fn assert_same(report: &MatchReport) {
        let want = serde_json::to_string(report).expect("serializes");
        assert_eq!(report_json(report), want);
    }

    /// Every outcome, reason, level, guard, operating point and decision, and numbers in every form
    /// (zero, minus zero, integers, fractions, tiny and huge, not finite).
    #[test]
    fn every_variant_and_number_is_written_as_serde_writes_it() {
        let outcomes =
            [Outcome::Match, Outcome::Mismatch, Outcome::MissingDirectory, Outcome::MissingVerified, Outcome::Invalid];
        let levels = crate::claims::report_codes::LEVELS;
        let guards = [
            None,
            Some(Guard::Spoofing),
            Some(Guard::RequiredMissing),
            Some(Guard::ClaimDiffers),
            Some(Guard::NothingAgrees),
            Some(Guard::Review),
        ];
        let points = [OperatingPoint::Strict, OperatingPoint::Balanced, OperatingPoint::Lenient];
        let decisions = [Decision::Match, Decision::NoMatch, Decision::Review];
        let numbers = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.9333333333333332,
            13.5,
            -20.25,
            1e-7,
            123456789.0,
            1e21,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for i in 0..Reason::ALL.len().max(numbers.len() * 4) {
            let result = |j: usize| ClaimResult {
                outcome: outcomes[(i + j) % outcomes.len()],
                score: numbers[(i + j) % numbers.len()],
                reasons: Reasons::from_iter(
                    (0..(i + j) % 4).map(|k| Reason::ALL[(i * 7 + j * 3 + k * 11) % Reason::ALL.len()]),
                ),
            };
            let mut claims = BTreeMap::new();
            let mut weighed = BTreeMap::new();
            for (j, (kind, _)) in ClaimKind::ALL.iter().enumerate().filter(|(j, _)| (i + j) % 5 != 0) {
                let evidence = if *kind == ClaimKind::Address {
                    let parts = AddressPart::ALL
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| (i + k) % 3 != 0)
                        .map(|(k, (part, _))| (*part, result(j + k + 1)))
                        .collect();
                    ClaimEvidence::Address(AddressResult { overall: result(j), parts })
                } else {
                    ClaimEvidence::Single(result(j))
                };
                claims.insert(*kind, evidence);
                let frequency = ((i + j) % 3 == 0).then(|| numbers[(i * 3 + j) % numbers.len()]);
                let level = levels[(i + j) % levels.len()];
                weighed.insert(*kind, Weighed { level, weight: numbers[(i + 2 * j) % numbers.len()], frequency });
            }
            let explanation = Explanation {
                claims: weighed,
                total: numbers[(i + 5) % numbers.len()],
                operating_point: points[i % points.len()],
                threshold: numbers[(i + 9) % numbers.len()],
                guard: guards[i % guards.len()],
            };
            assert_same(&MatchReport { decision: decisions[i % decisions.len()], claims, explanation });
        }
        assert_same(&MatchReport {
            decision: Decision::Review,
            claims: BTreeMap::new(),
            explanation: Explanation {
                claims: BTreeMap::new(),
                total: 0.0,
                operating_point: OperatingPoint::Balanced,
                threshold: 20.0,
                guard: None,
            },
        });
        for level in levels {
            assert_eq!(serde_json::to_string(&level).expect("serializes"), format!("\"{}\"", level_name(level)));
        }
    }

    /// Reports of generated pairs (names, dates, addresses, phones and emails in many spellings,
    /// escaped, unreadable, missing), under the default policy and an address-heavy one.
    #[test]
    fn reports_of_generated_pairs_are_written_as_serde_writes_them() {
        let policies = [
            Policy::default(),
            Policy::from_json(&serde_json::json!({"claims": {
                "given_name": {}, "family_name": {"mode": "exact"}, "birthdate": {"required": true},
                "address": {}, "phone_number": {}, "email": {}, "middle_name": {}
            }}))
            .expect("policy"),
        ];
        let mut rng = Rng(41);
        let count = std::cell::Cell::new(0);
        for policy in policies {
            let matcher = Matcher::new(policy);
            let mapping = matcher.policy().attribute_mapping();
            for _ in 0..1_500 {
                let text = format!("[{}]", pair(&mut rng));
                let _ = load_array(&text, |p: &Json| -> crate::Result<()> {
                    let (verified, user) = read_pair(p, &mapping)?;
                    let report = matcher.decide(&verified, &user);
                    assert_same(&report);
                    // Written straight from the engine's arrays: the same text.
                    let mut out = Vec::new();
                    write_match(&mut out, &matcher, &verified, &user);
                    assert_eq!(super::text(out), serde_json::to_string(&report).expect("serializes"));
                    count.set(count.get() + 1);
                    Ok(())
                });
            }
        }
        assert!(count.get() > 1_000, "{} reports compared", count.get());
    }
}
