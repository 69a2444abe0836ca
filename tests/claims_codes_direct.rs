//! The report codes (`encode_match`, `encode_prepared_match`: what the SDK's `match`, `matchMany`
//! and loaded `report` read) are written straight from the engine's per-claim arrays, without the
//! report's maps. They must be byte-identical to the codes of the built report as the encoder wrote
//! them from its maps (`encoded_from_maps` below, the encoder before), on the clean and noisy
//! development sets and under policies that change which claims, parts and weights a report holds:
//! every operating point, a claim named twice, names only, address parts left out, directory
//! frequencies (weights with a `frequency` adjustment).

mod common_eval;

use std::sync::Arc;

use common_eval::noise::generate_noisy;
use common_eval::{generate, Case};
use okta_directory::claims::frequency::FrequencyCounter;
use okta_directory::claims::{
    default_rule, encode_match, encode_prepared_match, encode_report, AddressPart, ClaimEvidence, ClaimKind,
    ClaimResult, MatchReport, Matcher, OnMismatch, OperatingPoint, Policy, VerifiedClaims,
};
use okta_directory::profile::{normalize_user, DirectoryUser};
use serde_json::{json, Value};

/// The codes as the encoder wrote them from the report's maps before it read the engine's arrays.
fn encoded_from_maps(report: &MatchReport) -> Vec<u8> {
    fn number(out: &mut Vec<u8>, value: f64) {
        out.extend_from_slice(&value.to_le_bytes());
    }
    fn result(out: &mut Vec<u8>, result: &ClaimResult) {
        out.push(result.outcome as u8);
        number(out, result.score);
        out.push(result.reasons.len() as u8);
        out.extend(result.reasons.iter().map(|r| r as u8));
    }
    let mut out = Vec::new();
    let explanation = &report.explanation;
    out.extend_from_slice(&[
        report.decision.code(),
        explanation.guard.map_or(0, |g| g as u8 + 1),
        explanation.operating_point as u8,
    ]);
    number(&mut out, explanation.total);
    number(&mut out, explanation.threshold);
    out.push(report.claims.len() as u8);
    for (kind, evidence) in &report.claims {
        out.push(*kind as u8);
        match evidence {
            ClaimEvidence::Single(r) => {
                result(&mut out, r);
                out.push(0);
            }
            ClaimEvidence::Address(address) => {
                result(&mut out, &address.overall);
                out.push(address.parts.len() as u8 + 1);
                for (part, r) in &address.parts {
                    out.push(*part as u8);
                    result(&mut out, r);
                }
            }
        }
    }
    out.push(explanation.claims.len() as u8);
    for (kind, weighed) in &explanation.claims {
        out.extend_from_slice(&[*kind as u8, weighed.level as u8]);
        number(&mut out, weighed.weight);
        match weighed.frequency {
            Some(frequency) => {
                out.push(1);
                number(&mut out, frequency);
            }
            None => out.push(0),
        }
    }
    out
}

/// Policies that change which claims, parts and weights a report holds.
fn policies() -> Vec<Policy> {
    let mut out: Vec<Policy> = [OperatingPoint::Strict, OperatingPoint::Balanced, OperatingPoint::Lenient]
        .into_iter()
        .map(|point| Policy { operating_point: point, ..Policy::default() })
        .collect();
    // Claims named twice, in another order (the explanation keeps the last rule's weight).
    let mut twice = Policy::default();
    let mut flagged = default_rule(ClaimKind::Birthdate);
    flagged.on_mismatch = OnMismatch::Flag;
    flagged.required = false;
    twice.claims.insert(0, flagged);
    twice.claims.reverse();
    twice.claims.insert(0, default_rule(ClaimKind::MiddleName));
    out.push(twice);
    // Names only.
    let mut names = Policy::default();
    names.claims.retain(|r| matches!(r.kind, ClaimKind::GivenName | ClaimKind::FamilyName));
    out.push(names);
    // The address without its street and region (parts left out of the report).
    let mut parts = Policy::default();
    for rule in parts.claims.iter_mut().filter(|r| r.kind == ClaimKind::Address) {
        if rule.parts.is_empty() {
            rule.parts = default_rule(ClaimKind::Address).parts;
        }
        rule.parts.retain(|p| !matches!(p.part, AddressPart::StreetAddress | AddressPart::Region));
    }
    out.push(parts);
    out
}

fn read(policy: &Policy, verified: &Value, profile: &Value) -> Option<(VerifiedClaims, DirectoryUser)> {
    let user = normalize_user(&json!({"profile": profile}), &policy.attribute_mapping()).ok()?.user;
    Some((VerifiedClaims::from_json(verified), user))
}

#[test]
fn codes_written_from_the_engine_arrays_equal_the_codes_of_the_report_maps() {
    let cases: Vec<(Value, Value)> = generate(0xc0de_2026, 12)
        .into_iter()
        .chain(generate_noisy(0xc0de_2027, 500, 300, 12))
        .map(|Case { verified, profile, .. }| (verified, profile))
        .collect();
    let mut counter = FrequencyCounter::default();
    fn field<'a>(p: &'a Value, key: &str) -> Option<&'a str> {
        p.get(key).and_then(Value::as_str)
    }
    for (_, profile) in &cases {
        counter.add(field(profile, "firstName"), field(profile, "lastName"), field(profile, "birthdate"));
    }
    let table = Arc::new(counter.finish());
    let mut matchers: Vec<Matcher> = policies().into_iter().map(Matcher::new).collect();
    matchers.push(Matcher::new(Policy::default()).with_frequencies(table));
    let (mut compared, mut with_frequency, mut with_parts_left_out) = (0, 0, 0);
    for (m, matcher) in matchers.iter().enumerate() {
        for (i, (verified, profile)) in cases.iter().enumerate() {
            let Some((v, u)) = read(matcher.policy(), verified, profile) else { continue };
            let report = matcher.decide(&v, &u);
            let want = encoded_from_maps(&report);
            let mut direct = Vec::new();
            encode_match(&mut direct, matcher, &v, &u);
            assert_eq!(direct, want, "matcher {m}, case {i}: encode_match");
            let mut prepared = vec![7u8];
            encode_prepared_match(&mut prepared, matcher, &matcher.prepare_verified(&v), &matcher.prepare_record(&u));
            assert_eq!(prepared[1..], want[..], "matcher {m}, case {i}: encode_prepared_match appends");
            let mut of_report = Vec::new();
            encode_report(&mut of_report, &report);
            assert_eq!(of_report, want, "matcher {m}, case {i}: encode_report");
            compared += 1;
            with_frequency += usize::from(report.explanation.claims.values().any(|w| w.frequency.is_some()));
            with_parts_left_out += usize::from(report.claims.values().any(
                |e| matches!(e, ClaimEvidence::Address(a) if !a.parts.is_empty() && a.parts.len() < AddressPart::ALL.len()),
            ));
        }
    }
    // The cases exercise what the maps sorted and dropped.
    assert!(compared > 5_000, "{compared} compared");
    assert!(with_frequency > 50, "{with_frequency} reports with a frequency adjustment");
    assert!(with_parts_left_out > 50, "{with_parts_left_out} addresses with parts left out");
}
