//! The report's JSON text written straight from the engine's per-claim arrays (`write_match`,
//! `write_prepared_match`, and through them `match_many_json` and `match_line`) is byte for byte
//! what `serde_json::to_string(&MatchReport)` writes: on the attacker's hostile pairs (escaped,
//! non-BMP, invisible and look-alike values; malformed pairs skipped) under two policies, and, with
//! `CLAIMS_NOISY=path` (`--ignored`), on every pair of a JSONL file of noisy pairs.

use okta_directory::claims::{
    load_pairs, match_many_json, write_prepared_match, Matcher, Policy, PreparedRecord, PreparedVerified,
};
use std::path::PathBuf;

/// The pair texts of `tests/fixtures/attack/claims-hostile.cases.jsonl.gz` (`gzip -dc`).
fn hostile_pairs() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attack/claims-hostile.cases.jsonl.gz");
    let out = std::process::Command::new("gzip").arg("-dc").arg(&path).output().expect("gzip runs");
    assert!(out.status.success(), "gzip -dc of the hostile cases");
    let text = String::from_utf8(out.stdout).expect("UTF-8 cases");
    text.lines()
        .map(|line| {
            let case: serde_json::Value = serde_json::from_str(line).expect("a case line");
            case["pair"].as_str().expect("the pair's text").to_owned()
        })
        .collect()
}

fn policies() -> Vec<Policy> {
    let every_claim = serde_json::json!({"claims": {
        "given_name": {}, "family_name": {"mode": "exact"}, "birthdate": {"required": true},
        "address": {}, "phone_number": {}, "email": {}, "middle_name": {}
    }});
    vec![Policy::default(), Policy::from_json(&every_claim).expect("policy")]
}

/// Compares every loaded pair of `chunk` (a JSON array of pairs): the arrays' writer against serde's
/// text of the built report, and `match_many_json` against the array of those texts. Returns how many
/// pairs were compared (0 when the chunk cannot be read, which `match_many_json` must refuse too).
fn compare_chunk(matcher: &Matcher, chunk: &str) -> usize {
    let Ok(pairs) = load_pairs(matcher, chunk) else {
        assert!(match_many_json(matcher, chunk).is_err(), "{chunk}");
        return 0;
    };
    let want: Vec<String> = pairs.iter().map(|(v, d)| serde(matcher, v, d)).collect();
    for ((v, d), want) in pairs.iter().zip(&want) {
        let mut out = b"prefix".to_vec();
        write_prepared_match(&mut out, matcher, v, d);
        assert_eq!(std::str::from_utf8(&out[6..]).expect("UTF-8"), want, "{chunk}");
    }
    assert_eq!(match_many_json(matcher, chunk).expect("the same pairs read"), format!("[{}]", want.join(",")));
    pairs.len()
}

/// serde's text of the report built by `match_prepared`.
fn serde(matcher: &Matcher, v: &PreparedVerified, d: &PreparedRecord) -> String {
    serde_json::to_string(&matcher.match_prepared(v, d)).expect("serializes")
}

#[test]
fn hostile_pairs_are_written_as_serde_writes_their_reports() {
    let pairs = hostile_pairs();
    assert!(pairs.len() > 3_000, "{} hostile pairs", pairs.len());
    for policy in policies() {
        let matcher = Matcher::new(policy);
        let compared: usize = pairs.iter().map(|p| compare_chunk(&matcher, &format!("[{p}]"))).sum();
        assert!(compared > 3_000, "{compared} hostile pairs compared");
        // Several pairs per call, as the SDK and the CLI send them.
        for chunk in pairs.chunks(50) {
            let chunk = format!("[{}]", chunk.join(","));
            compare_chunk(&matcher, &chunk);
        }
    }
}

/// `CLAIMS_NOISY=/path/to/pairs.jsonl cargo test --release --test claims_report_writer -- --ignored`.
#[test]
#[ignore = "reads the noisy pairs named by CLAIMS_NOISY"]
fn noisy_pairs_are_written_as_serde_writes_their_reports() {
    let path = std::env::var("CLAIMS_NOISY").expect("CLAIMS_NOISY names a JSONL file of pairs");
    let text = std::fs::read_to_string(path).expect("the noisy pairs");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    for policy in policies() {
        let matcher = Matcher::new(policy);
        let compared: usize = lines.chunks(1000).map(|c| compare_chunk(&matcher, &format!("[{}]", c.join(",")))).sum();
        assert_eq!(compared, lines.len(), "every noisy pair compared");
    }
}
