//! Attacker's pin (2026-12-07, session 10) for per-batch scratch buffers and reused prepared-name buffers:
//! in a batch, what one pair decides must not depend on its neighbours. The 46 pairs of
//! `tests/fixtures/attack/claims-neighbours.cases.jsonl` (hand-written: a clean match; a given name, birthdate,
//! family name or address missing, empty, null or a placeholder on either side; long values and their
//! prefixes; homoglyphs, a zero-width space, a bidi override, NFD, fullwidth, mojibake; short and long typos;
//! twins; nicknames; transliterations; swapped names and dates) are sent as `[a, b, a]` for every ordered
//! (a, b) — one matcher for every call — through `match_many_json` (the report's exact bytes),
//! `decide_many_json`, `load_pairs` (array and JSON Lines) + `decide_prepared` in two orders +
//! `match_prepared`: each must equal the pair sent alone. A value left in a buffer by the previous pair (a
//! long name's tail behind a short one, a name kept when the next pair has none, a spoof flag not reset or
//! reset too early) shows up as a pair that decides otherwise next to one neighbour.
//! `js/test/claims-attack-batch-neighbours.test.ts` replays the same through both wasm modules.

use okta_directory::claims::{decide_many_json, load_pairs, match_many_json, Matcher, OperatingPoint, Policy};
use serde_json::Value;

const CASES: &str = include_str!("fixtures/attack/claims-neighbours.cases.jsonl");

fn cases() -> Vec<(String, String)> {
    CASES
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a case");
            (v["case"].as_str().expect("name").to_string(), v["pair"].as_str().expect("pair").to_string())
        })
        .collect()
}

fn check(m: &Matcher, op: &str) -> Vec<String> {
    let cases = cases();
    assert_eq!(cases.len(), 46);
    let alone: Vec<String> = cases
        .iter()
        .map(|(_, t)| {
            let r = match_many_json(m, &format!("[{t}]")).expect("reads");
            r[1..r.len() - 1].to_string()
        })
        .collect();
    let codes: Vec<u8> = cases.iter().map(|(_, t)| decide_many_json(m, &format!("[{t}]")).expect("reads")[0]).collect();
    let mut bad = Vec::new();
    for a in 0..cases.len() {
        for b in 0..cases.len() {
            let idx = [a, b, a];
            let at = |k: usize| format!("{op}: [{} | {} | {}] #{k}", cases[a].0, cases[b].0, cases[a].0);
            let texts: Vec<&str> = idx.iter().map(|&i| cases[i].1.as_str()).collect();
            let array = format!("[{}]", texts.join(","));
            let want = format!("[{}]", idx.iter().map(|&i| alone[i].as_str()).collect::<Vec<_>>().join(","));
            if match_many_json(m, &array).expect("reads") != want {
                bad.push(format!("{}: match_many", at(0)));
            }
            let decided = decide_many_json(m, &array).expect("reads");
            for (k, &i) in idx.iter().enumerate() {
                if decided[k] != codes[i] {
                    bad.push(format!("{}: decide_many", at(k)));
                }
            }
            for text in [array.clone(), texts.join("\n")] {
                let loaded = load_pairs(m, &text).expect("loads");
                for k in [2, 1, 0, 0, 1, 2] {
                    if m.decide_prepared(&loaded[k].0, &loaded[k].1).code() != codes[idx[k]] {
                        bad.push(format!("{}: decide_prepared", at(k)));
                    }
                }
                for k in [1, 0, 2] {
                    let r = serde_json::to_string(&m.match_prepared(&loaded[k].0, &loaded[k].1)).expect("serializes");
                    if r != alone[idx[k]] {
                        bad.push(format!("{}: match_prepared", at(k)));
                    }
                }
            }
        }
    }
    bad
}

#[test]
fn each_pair_in_a_batch_decides_as_alone_next_to_every_neighbour() {
    let mut bad = Vec::new();
    for (op, point) in [("balanced", OperatingPoint::Balanced), ("strict", OperatingPoint::Strict)] {
        bad.extend(check(&Matcher::new(Policy { operating_point: point, ..Policy::default() }), op));
    }
    assert!(bad.is_empty(), "{} differ:\n{}", bad.len(), bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n"));
}
