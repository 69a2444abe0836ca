//! A match report as compact codes for the SDK's batch path: every name an index into the tables
//! of [`report_names_json`], every number its eight bytes. The SDK builds the same objects a
//! `JSON.parse` of the report's text gives (JSON's `null` for a number that is not finite) without
//! writing, decoding and parsing ≈1.3 KB of text per pair.
//!
//! One report: decision, guard (0 none, else index + 1), operating point (1 byte each), total,
//! threshold (f64 LE); the claims (count, then per claim its kind and a result, then its address
//! parts: 0 for a plain claim, else count + 1, each a part index and a result); the explanation's
//! claims (count, then kind, level, weight, frequency flag and frequency). A result: outcome, score,
//! reason count and reason indices.

use super::engine::{Assessed, Evidence, Guard, MatchReport, Matcher, PreparedRecord, PreparedVerified};
use super::kinds::{AddressPart, ClaimKind};
use super::report::{ClaimResult, Outcome, Reason};
use super::report_json::{guard_name, level_name, point_name};
use super::verified::VerifiedClaims;
use super::weights::{Level, OperatingPoint};
use crate::profile::DirectoryUser;

/// Every level, by index.
pub(super) const LEVELS: [Level; 14] = [
    Level::Exact,
    Level::Folded,
    Level::Nickname,
    Level::Subset,
    Level::Initial,
    Level::Ocr,
    Level::OneEdit,
    Level::TwoEdits,
    Level::Swapped,
    Level::Placeholder,
    Level::Missing,
    Level::Differs,
    Level::Invalid,
    Level::Changed,
];

// A new last variant fails these (and the names' exhaustive matches fail to compile).
const _: () = assert!(LEVELS.len() == Level::Changed as usize + 1);
const _: () = assert!(GUARDS.len() == Guard::Review as usize + 1);

/// Every guard, by index.
const GUARDS: [Guard; 5] =
    [Guard::Spoofing, Guard::RequiredMissing, Guard::ClaimDiffers, Guard::NothingAgrees, Guard::Review];

/// The names the codes index, as JSON text: `{"decisions", "guards", "points", "kinds", "parts",
/// "outcomes", "reasons", "levels"}`, each an array of JSON names in code order.
pub fn report_names_json() -> String {
    let list = |names: &mut dyn Iterator<Item = &str>| -> String {
        let quoted: Vec<String> = names.map(|n| format!("\"{n}\"")).collect();
        format!("[{}]", quoted.join(","))
    };
    format!(
        r#"{{"decisions":{},"guards":{},"points":{},"kinds":{},"parts":{},"outcomes":{},"reasons":{},"levels":{}}}"#,
        list(&mut ["match", "no_match", "review"].into_iter()),
        list(&mut GUARDS.iter().map(|g| guard_name(*g))),
        list(&mut OperatingPoint::ALL.iter().map(|(p, _)| point_name(*p))),
        list(&mut ClaimKind::ALL.iter().map(|(_, n)| *n)),
        list(&mut AddressPart::ALL.iter().map(|(_, n)| *n)),
        list(&mut ["match", "mismatch", "missing_directory", "missing_verified", "invalid"].into_iter()),
        list(&mut Reason::ALL.iter().map(|r| r.code())),
        list(&mut LEVELS.iter().map(|l| level_name(*l))),
    )
}

/// Appends the report's codes to `out`.
pub fn encode_report(out: &mut Vec<u8>, report: &MatchReport) {
    encode_assessed(out, &Assessed::of_report(report));
}

/// Compares verified claims with a directory record as [`Matcher::decide`] does and appends the
/// report's codes to `out`, written from the engine's per-claim arrays (no report maps are built).
pub fn encode_match(out: &mut Vec<u8>, matcher: &Matcher, verified: &VerifiedClaims, user: &DirectoryUser) {
    let verified = matcher.prepare_verified(verified);
    encode_prepared_match(out, matcher, &verified, &matcher.prepare_record_facing(user, &verified));
}

/// [`encode_match`] for sides read beforehand (the report of [`Matcher::match_prepared`]).
pub fn encode_prepared_match(
    out: &mut Vec<u8>,
    matcher: &Matcher,
    verified: &PreparedVerified,
    record: &PreparedRecord,
) {
    encode_assessed(out, &matcher.assess(verified, record));
}

/// The codes of a report: claims and address parts in discriminant order, the order of the report's
/// maps.
fn encode_assessed(out: &mut Vec<u8>, report: &Assessed) {
    let explained = &report.explained;
    out.extend_from_slice(&[
        report.decision.code(),
        explained.guard.map_or(0, |g| g as u8 + 1),
        explained.operating_point as u8,
    ]);
    number(out, explained.total);
    number(out, explained.threshold);
    out.push(report.claims.iter().flatten().count() as u8);
    for ((kind, _), evidence) in ClaimKind::ALL.iter().zip(&report.claims) {
        let Some(evidence) = evidence else { continue };
        out.push(*kind as u8);
        match evidence {
            Evidence::Single(result) => {
                encode_result(out, result);
                out.push(0);
            }
            Evidence::Address(overall, parts) => {
                encode_result(out, overall);
                out.push(parts.iter().flatten().count() as u8 + 1);
                for ((part, _), result) in AddressPart::ALL.iter().zip(parts) {
                    let Some(result) = result else { continue };
                    out.push(*part as u8);
                    encode_result(out, result);
                }
            }
        }
    }
    out.push(explained.weighed.iter().flatten().count() as u8);
    for ((kind, _), weighed) in ClaimKind::ALL.iter().zip(&explained.weighed) {
        let Some(weighed) = weighed else { continue };
        out.extend_from_slice(&[*kind as u8, weighed.level as u8]);
        number(out, weighed.weight);
        match weighed.frequency {
            Some(frequency) => {
                out.push(1);
                number(out, frequency);
            }
            None => out.push(0),
        }
    }
}

fn encode_result(out: &mut Vec<u8>, result: &ClaimResult) {
    out.push(outcome_code(result.outcome));
    number(out, result.score);
    out.push(result.reasons.len() as u8);
    out.extend(result.reasons.iter().map(|r| r as u8));
}

fn outcome_code(outcome: Outcome) -> u8 {
    outcome as u8
}

fn number(out: &mut Vec<u8>, value: f64) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::Decision;

    /// The tables are in code order and spelled as serde writes each value.
    #[test]
    fn the_names_are_in_code_order_and_spelled_as_in_json() {
        let names: serde_json::Value = serde_json::from_str(&report_names_json()).expect("JSON");
        let table = |key: &str| -> Vec<String> {
            names[key].as_array().expect("array").iter().map(|n| format!("\"{}\"", n.as_str().expect("name"))).collect()
        };
        let json = |v: &dyn erased::Json| v.json();
        for (i, d) in [Decision::Match, Decision::NoMatch, Decision::Review].iter().enumerate() {
            assert_eq!((usize::from(d.code()), table("decisions")[i].clone()), (i, json(d)));
        }
        for (i, g) in GUARDS.iter().enumerate() {
            assert_eq!((*g as usize, table("guards")[i].clone()), (i, json(g)));
        }
        for (i, (p, _)) in OperatingPoint::ALL.iter().enumerate() {
            assert_eq!((*p as usize, table("points")[i].clone()), (i, json(p)));
        }
        for (i, (k, _)) in ClaimKind::ALL.iter().enumerate() {
            assert_eq!((*k as usize, table("kinds")[i].clone()), (i, json(k)));
        }
        for (i, (p, _)) in AddressPart::ALL.iter().enumerate() {
            assert_eq!((*p as usize, table("parts")[i].clone()), (i, json(p)));
        }
        let outcomes =
            [Outcome::Match, Outcome::Mismatch, Outcome::MissingDirectory, Outcome::MissingVerified, Outcome::Invalid];
        for (i, o) in outcomes.iter().enumerate() {
            assert_eq!((usize::from(outcome_code(*o)), table("outcomes")[i].clone()), (i, json(o)));
        }
        for (i, r) in Reason::ALL.iter().enumerate() {
            assert_eq!((*r as usize, table("reasons")[i].clone()), (i, json(r)));
        }
        for (i, l) in LEVELS.iter().enumerate() {
            assert_eq!((*l as usize, table("levels")[i].clone()), (i, json(l)));
        }
    }

    mod erased {
        /// A value's serde JSON text.
        pub trait Json {
            fn json(&self) -> String;
        }
        impl<T: serde::Serialize> Json for T {
            fn json(&self) -> String {
                serde_json::to_string(self).expect("serializes")
            }
        }
    }
}
