//! The claims-matching development set: labelled pairs from `common_eval`, the default policy, and
//! the confusion matrix per variation class. The floors below were measured on this generator and
//! seed and set with a little headroom; a regression in the engine (or a change to the generator)
//! that moves a class past its floor fails here.
//!
//! The larger run that prints the table in BENCHMARKS.md:
//! `cargo test --release --test claims_eval -- --ignored --nocapture`.

mod common_eval;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use common_eval::noise::{
    core_present, generate_noisy, HELD_OUT_SEEDS, HOUSEHOLD_SAME_GIVEN_DOB, NOISY_GENUINE, RANDOM_PAIR, TUNING_SEEDS,
};
use common_eval::{generate, Case, NEGATIVE_CLASSES, POSITIVE_CLASSES};
use okta_directory::claims::frequency::{FrequencyCounter, FrequencyTable};
use okta_directory::claims::{ClaimKind, Decision, Level, Matcher, OperatingPoint, Policy, VerifiedClaims};
use okta_directory::profile::normalize_user;
use serde_json::json;

const SEED: u64 = 0x0C1A_1A55_2026;

#[derive(Default, Clone, Copy)]
struct Counts {
    n: usize,
    accept: usize,
    review: usize,
    reject: usize,
}

impl Counts {
    fn rate(&self, k: usize) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            k as f64 / self.n as f64
        }
    }
    fn add(&mut self, other: &Counts) {
        self.n += other.n;
        self.accept += other.accept;
        self.review += other.review;
        self.reject += other.reject;
    }
}

struct Evaluation {
    by_class: BTreeMap<&'static str, Counts>,
    /// Accepted negatives (false matches): the first few cases per class.
    false_matches: BTreeMap<&'static str, Vec<Case>>,
    /// Rejected positives (lockouts), per class: detail → count.
    lockout_details: BTreeMap<&'static str, BTreeMap<String, usize>>,
    review_details: BTreeMap<&'static str, BTreeMap<String, usize>>,
    accepted_negative_details: BTreeMap<&'static str, BTreeMap<String, usize>>,
}

fn evaluate(cases: &[Case]) -> Evaluation {
    let policy = Policy::default();
    let mapping = policy.attribute_mapping();
    let matcher = Matcher::new(policy);
    let mut ev = Evaluation {
        by_class: BTreeMap::new(),
        false_matches: BTreeMap::new(),
        lockout_details: BTreeMap::new(),
        review_details: BTreeMap::new(),
        accepted_negative_details: BTreeMap::new(),
    };
    for case in cases {
        let user =
            normalize_user(&json!({ "profile": case.profile }), &mapping).expect("generated profile normalizes").user;
        let decision = matcher.decide(&VerifiedClaims::from_json(&case.verified), &user).decision;
        let c = ev.by_class.entry(case.class).or_default();
        c.n += 1;
        match decision {
            Decision::Match => c.accept += 1,
            Decision::Review => c.review += 1,
            Decision::NoMatch => c.reject += 1,
        }
        let bump = |m: &mut BTreeMap<&'static str, BTreeMap<String, usize>>| {
            *m.entry(case.class).or_default().entry(case.detail.clone()).or_default() += 1;
        };
        match (case.same_person, decision) {
            (true, Decision::NoMatch) => bump(&mut ev.lockout_details),
            (true, Decision::Review) => bump(&mut ev.review_details),
            (false, Decision::Match) => {
                bump(&mut ev.accepted_negative_details);
                let list = ev.false_matches.entry(case.class).or_default();
                if list.len() < 3 {
                    list.push(case.clone());
                }
            }
            _ => {}
        }
    }
    ev
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// A table row per class (its count and its accepted, review and rejected shares); the classes' sum.
fn class_rows(out: &mut String, ev: &Evaluation, classes: &[&'static str]) -> Counts {
    let mut sum = Counts::default();
    for class in classes {
        let c = ev.by_class[class];
        sum.add(&c);
        out.push_str(&format!(
            "| `{class}` | {} | {} | {} | {} |\n",
            c.n,
            pct(c.rate(c.accept)),
            pct(c.rate(c.review)),
            pct(c.rate(c.reject))
        ));
    }
    sum
}

fn table(ev: &Evaluation) -> String {
    let mut out = String::new();
    out.push_str("| positive class (same person) | n | accepted (recall) | review | rejected (lockout) |\n");
    out.push_str("|---|---:|---:|---:|---:|\n");
    let pos = class_rows(&mut out, ev, POSITIVE_CLASSES);
    out.push_str(&format!(
        "| **all positives** | {} | **{}** | {} | **{}** |\n\n",
        pos.n,
        pct(pos.rate(pos.accept)),
        pct(pos.rate(pos.review)),
        pct(pos.rate(pos.reject))
    ));
    out.push_str("| hard-negative class (different person) | n | accepted (false match) | review | rejected |\n");
    out.push_str("|---|---:|---:|---:|---:|\n");
    let neg = class_rows(&mut out, ev, NEGATIVE_CLASSES);
    out.push_str(&format!(
        "| **all hard negatives** | {} | **{}** | {} | {} |\n\n",
        neg.n,
        pct(neg.rate(neg.accept)),
        pct(neg.rate(neg.review)),
        pct(neg.rate(neg.reject))
    ));
    let precision = pos.accept as f64 / (pos.accept + neg.accept).max(1) as f64;
    out.push_str(&format!(
        "Precision over accepts: {} ({} true accepts, {} false accepts). Recall: {}. Lockout rate: {}. \
         False-match rate: {}. Review: {} of positives, {} of negatives.\n",
        pct(precision),
        pos.accept,
        neg.accept,
        pct(pos.rate(pos.accept)),
        pct(pos.rate(pos.reject)),
        pct(neg.rate(neg.accept)),
        pct(pos.rate(pos.review)),
        pct(neg.rate(neg.review))
    ));
    out
}

fn details(title: &str, m: &BTreeMap<&'static str, BTreeMap<String, usize>>) -> String {
    let mut out = format!("\n{title}\n");
    for (class, d) in m {
        let mut v: Vec<(&String, &usize)> = d.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1));
        let top: Vec<String> = v.iter().take(12).map(|(k, n)| format!("{k} ×{n}")).collect();
        out.push_str(&format!("- {class}: {}\n", top.join("; ")));
    }
    out
}

fn report(ev: &Evaluation) -> String {
    let mut out = table(ev);
    out.push_str(&details("Lockouts (positives rejected), by detail:", &ev.lockout_details));
    out.push_str(&details("Reviews of positives, by detail:", &ev.review_details));
    out.push_str(&details("FALSE MATCHES (negatives accepted), by detail:", &ev.accepted_negative_details));
    for (class, cases) in &ev.false_matches {
        for c in cases {
            out.push_str(&format!("  repro [{class}] verified={} profile={}\n", c.verified, c.profile));
        }
    }
    out
}

#[test]
fn generator_is_deterministic_and_balanced() {
    let a = generate(SEED, 5);
    let b = generate(SEED, 5);
    assert_eq!(a.len(), 5 * (POSITIVE_CLASSES.len() + NEGATIVE_CLASSES.len()));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((x.class, &x.verified, &x.profile), (y.class, &y.verified, &y.profile));
    }
    assert!(a.iter().all(|c| c.same_person == POSITIVE_CLASSES.contains(&c.class)));
    // Every directory record carries the three required claims (the generator makes no broken records).
    let mapping = Policy::default().attribute_mapping();
    for c in &a {
        let user = normalize_user(&json!({ "profile": c.profile }), &mapping).unwrap().user;
        assert!(user.name.given.is_some() && user.name.family.is_some() && user.birthdate.is_some(), "{c:?}");
    }
}

/// Recall floors (minimum accepted share) per positive class. Measured at 120 pairs per class with
/// `SEED` (100 % unless noted) and set a few points lower.
const RECALL_FLOORS: &[(&str, f64)] = &[
    ("exact", 1.0),
    ("id_upper_case", 0.97),
    ("diacritics_dropped", 0.97),
    ("transliterated_de_nordic", 0.97),
    ("icao_mrz", 0.97),
    // Measured 74 %: a short form several formal names share (Ted: Edward or Theodore; Chris; Alex;
    // Kate; Mike…) routes to review (NICKNAME_AMBIGUOUS) rather than matching; none are rejected.
    ("nickname_in_directory", 0.70),
    ("compound_surname_one_side", 0.97),
    ("middle_in_given_one_side", 0.97),
    ("hyphen_vs_space", 0.97),
    ("honorific_or_suffix_one_side", 0.97),
    // Measured 84 %: typos are accepted only in names of 8+ letters with the same first letter, and a
    // typo in the last two letters of a name ending in a vowel is refused (NAME_ENDING_DIFFERS) —
    // the price of never matching Kevin/Kelvin or Jason/Mason.
    ("typo_in_directory_long_name", 0.80),
    ("ocr_digit_in_id", 0.97),
    // Measured 100 % since German `str.` and French `r.`/`bd` are read (95 % before: they went to review).
    ("address_written_differently", 0.97),
    ("phone_national_vs_e164", 0.97),
    ("birthdate_other_format", 0.97),
    ("swapped_given_family", 0.97),
    ("combined_passport", 0.97),
    // Measured 0 % accepted, 100 % review: a Cyrillic record meets a Latin passport only through
    // transliteration (TRANSLITERATED_SCRIPT), which routes to review and never matches. Checked
    // below as a review floor (no lockout).
    ("cyrillic_directory_latin_id", 0.0),
];

/// Review floors (minimum share routed to review) for classes that must reach a person rather than
/// be rejected.
const REVIEW_FLOORS: &[(&str, f64)] = &[("cyrillic_directory_latin_id", 0.97)];

/// False-match ceilings (maximum accepted share) per hard-negative class, measured likewise.
const FALSE_MATCH_CEILINGS: &[(&str, f64)] = &[
    ("same_family_same_dob_other_given", 0.0),
    // Distinct names one edit apart (Kevin/Kelvin, Marian/Marion, Jason/Mason, Karen/Karin) once passed
    // the typo fallback; it now needs 8+ letters and the same first letter. Given-name subsets keep
    // the first given name (Anh is not Ngọc Ánh).
    ("same_family_same_dob_near_given", 0.0),
    ("twins", 0.0),
    // A short form two formal names share (Alex: Alexander or Alexandra) routes to review, never matches.
    ("twins_shared_short_form", 0.0),
    ("namesake_dob_one_day_off", 0.0),
    ("namesake_dob_day_month_swapped", 0.0),
    ("namesake_dob_other_year", 0.0),
    ("same_street_and_postcode", 0.0),
    ("parent_child_jr_sr", 0.0),
    // Spoofing: never a match, whatever else changes.
    ("homoglyph_cyrillic_or_greek", 0.0),
    ("invisible_or_bidi_inserted", 0.0),
    ("whole_script_cyrillic_lookalike", 0.0),
];

/// Whole-set floors: recall over all positives and the false-match rate over all hard negatives
/// (measured 0: no hard negative is accepted).
const OVERALL_RECALL_FLOOR: f64 = 0.90;
const OVERALL_FALSE_MATCH_CEILING: f64 = 0.0;

#[test]
fn development_set_meets_its_floors() {
    let ev = evaluate(&generate(SEED, 120));
    let summary = report(&ev);
    for (class, floor) in RECALL_FLOORS {
        let c = ev.by_class[class];
        assert!(c.rate(c.accept) >= *floor, "{class}: recall {} < floor {floor}\n{summary}", c.rate(c.accept));
    }
    for (class, floor) in REVIEW_FLOORS {
        let c = ev.by_class[class];
        assert!(c.rate(c.review) >= *floor, "{class}: review {} < floor {floor}\n{summary}", c.rate(c.review));
    }
    for (class, ceiling) in FALSE_MATCH_CEILINGS {
        let c = ev.by_class[class];
        assert!(c.rate(c.accept) <= *ceiling, "{class}: false-match rate {} > {ceiling}\n{summary}", c.rate(c.accept));
    }
    let (mut pos, mut neg) = (Counts::default(), Counts::default());
    for class in POSITIVE_CLASSES {
        pos.add(&ev.by_class[class]);
    }
    for class in NEGATIVE_CLASSES {
        neg.add(&ev.by_class[class]);
    }
    assert!(pos.rate(pos.accept) >= OVERALL_RECALL_FLOOR, "overall recall\n{summary}");
    assert!(neg.rate(neg.accept) <= OVERALL_FALSE_MATCH_CEILING, "overall false-match rate\n{summary}");
    // Every class has its bound.
    assert_eq!(RECALL_FLOORS.len(), POSITIVE_CLASSES.len());
    assert_eq!(FALSE_MATCH_CEILINGS.len(), NEGATIVE_CLASSES.len());
    println!("{summary}");
}

#[test]
#[ignore = "large run for BENCHMARKS.md: cargo test --release --test claims_eval -- --ignored --nocapture"]
fn development_set_large_run() {
    let per_class = 100_000 / (POSITIVE_CLASSES.len() + NEGATIVE_CLASSES.len()) + 1;
    let cases = generate(SEED, per_class);
    let ev = evaluate(&cases);
    println!("seed {SEED:#x}, {} pairs ({per_class} per class)\n", cases.len());
    println!("{}", report(&ev));
    println!("BENCHMARKS.md row:\n{}", clean_benchmarks_row(&ev, cases.len()));
}

/// `n` with a comma between thousands (100,020), as BENCHMARKS.md writes counts.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The clean set's row of BENCHMARKS.md's "Claims decisions: accuracy" table (bench/claims_accuracy.py
/// collects it).
fn clean_benchmarks_row(ev: &Evaluation, pairs: usize) -> String {
    let sum = |classes: &[&'static str]| {
        let mut total = Counts::default();
        classes.iter().for_each(|class| total.add(&ev.by_class[class]));
        total
    };
    let (pos, neg) = (sum(POSITIVE_CLASSES), sum(NEGATIVE_CLASSES));
    format!(
        "| clean set (hand-written classes, {} pairs) | balanced (default) | priors | — | {} (recall; lockout {}) | \
         {} false accepts of {} hard negatives | {} | {} of positives | — |",
        thousands(pairs),
        pct(pos.rate(pos.accept)),
        pct(pos.rate(pos.reject)),
        neg.accept,
        thousands(neg.n),
        neg.accept,
        pct(pos.rate(pos.review))
    )
}

// ---------------------------------------------------------------------------------------------
// The noisy development set (tests/common_eval/noise.rs): tuned on TUNING_SEEDS, asserted here on
// HELD_OUT_SEEDS, which no weight or threshold was chosen on.
// ---------------------------------------------------------------------------------------------

/// The figures the issue asks for, over one split at one operating point.
#[derive(Default, Debug)]
struct NoisyFigures {
    genuine: usize,
    genuine_match: usize,
    core: usize,
    core_match: usize,
    /// Genuine pairs whose birthdate was changed and that were not matched (expected lockouts).
    birthdate_slip_lockouts: usize,
    negatives: usize,
    false_matches: usize,
    hard_false_matches: usize,
    pairs: usize,
    reviews: usize,
    /// The changed-surname rule's worst case (a household member with the same given name and
    /// birthdate, another family name): counted apart, not among the negatives above.
    households: usize,
    household_matches: usize,
    /// Matches (households included) whose family name is level `changed`: must be none, the rule
    /// sends every case to a person.
    changed_rule_matches: usize,
    /// Genuine pairs with a changed surname (the corruption model's `surname_changed`).
    surname_changed: usize,
    surname_changed_match: usize,
    /// Decisions the changed-surname rule turned from `no_match` (family level `changed`, decided
    /// `match` or `review`): the old engine's figures are these rows minus them.
    by_changed_rule: usize,
}

impl NoisyFigures {
    /// The cells both printouts share: core recall, all-genuine recall, false-match rate, hard-negative
    /// false matches, review share and birthdate-slip lockouts.
    fn shared_cells(&self) -> String {
        let p = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
        format!(
            "{:.1} % ({}/{}) | {:.1} % | {:.3} % ({}/{}) | {} | {:.1} % | {}",
            p(self.core_match, self.core),
            self.core_match,
            self.core,
            p(self.genuine_match, self.genuine),
            p(self.false_matches, self.negatives),
            self.false_matches,
            self.negatives,
            self.hard_false_matches,
            p(self.reviews, self.pairs),
            self.birthdate_slip_lockouts,
        )
    }

    /// This split's line of the noisy report (the shared cells, then changed surnames, households and the
    /// changed-surname rule's decisions).
    fn line(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {}/{} | {}/{} | {} |",
            self.shared_cells(),
            self.surname_changed_match,
            self.surname_changed,
            self.household_matches,
            self.households,
            self.by_changed_rule
        )
    }

    /// This split's row of BENCHMARKS.md's "Claims decisions: accuracy" table, at one operating point
    /// with one weighting (bench/claims_accuracy.py collects these rows).
    fn benchmarks_row(&self, split: &str, point: &str, weights: &str) -> String {
        format!("| noisy, {split} | {point} | {weights} | {} |", self.shared_cells())
    }
}

fn noisy_cases(seeds: &[u64], genuine: usize, random: usize, per_negative_class: usize) -> Vec<Case> {
    seeds.iter().flat_map(|s| generate_noisy(*s, genuine, random, per_negative_class)).collect()
}

/// The frequency table of the cases' directory side (each distinct record counted once): what a
/// deployment holding those records would count at snapshot time.
fn directory_frequencies(cases: &[Case]) -> Arc<FrequencyTable> {
    let mapping = Policy::default().attribute_mapping();
    let records: BTreeSet<String> = cases.iter().map(|c| c.profile.to_string()).collect();
    let users: Vec<_> = records
        .iter()
        .map(|r| {
            normalize_user(&json!({ "profile": serde_json::from_str::<serde_json::Value>(r).expect("json") }), &mapping)
        })
        .map(|u| u.expect("normalizes").user)
        .collect();
    let mut counter = FrequencyCounter::default();
    for u in &users {
        counter.add(u.name.given.as_deref(), u.name.family.as_deref(), u.birthdate.as_deref());
    }
    Arc::new(counter.finish())
}

fn evaluate_noisy(cases: &[Case], point: OperatingPoint) -> NoisyFigures {
    evaluate_noisy_with(cases, point, None)
}

fn evaluate_noisy_with(
    cases: &[Case],
    point: OperatingPoint,
    frequencies: Option<Arc<FrequencyTable>>,
) -> NoisyFigures {
    let policy = Policy { operating_point: point, ..Policy::default() };
    let mapping = policy.attribute_mapping();
    let matcher = match frequencies {
        Some(table) => Matcher::new(policy).with_frequencies(table),
        None => Matcher::new(policy),
    };
    let mut f = NoisyFigures::default();
    for case in cases {
        let user = normalize_user(&json!({ "profile": case.profile }), &mapping).expect("normalizes").user;
        let report = matcher.decide(&VerifiedClaims::from_json(&case.verified), &user);
        let decision = report.decision;
        let matched = decision == Decision::Match;
        let changed = report.explanation.claims.get(&ClaimKind::FamilyName).is_some_and(|w| w.level == Level::Changed);
        f.changed_rule_matches += usize::from(changed && matched);
        if case.class == HOUSEHOLD_SAME_GIVEN_DOB {
            f.households += 1;
            f.household_matches += usize::from(matched);
            continue;
        }
        f.by_changed_rule += usize::from(changed && decision != Decision::NoMatch);
        f.pairs += 1;
        f.reviews += usize::from(decision == Decision::Review);
        if case.detail.contains("surname_changed") {
            f.surname_changed += 1;
            f.surname_changed_match += usize::from(matched);
        }
        if case.same_person {
            f.genuine += 1;
            f.genuine_match += usize::from(matched);
            if core_present(case) {
                f.core += 1;
                f.core_match += usize::from(matched);
            }
            if !matched && case.detail.contains(":birthdate:birthdate_") && !case.detail.contains("missing") {
                f.birthdate_slip_lockouts += 1;
            }
        } else {
            f.negatives += 1;
            f.false_matches += usize::from(matched);
            if case.class != RANDOM_PAIR {
                f.hard_false_matches += usize::from(matched);
            }
        }
    }
    f
}

const NOISY_HEADER: &str = "| operating point | genuine, core claims present → match | genuine, all → match | false-match rate | hard-negative false matches | review share | birthdate-slip lockouts | changed surname → match | household, same given name + birthdate, other surname → match | decided by the `changed` level (old engine: `no_match`) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

/// Floors on the HELD-OUT split at the default (balanced) operating point, measured with 600
/// genuine and 600 random pairs per seed and set a few points lower.
const HELD_OUT_CORE_FLOOR: f64 = 0.83;
const HELD_OUT_GENUINE_FLOOR: f64 = 0.76;
const HELD_OUT_REVIEW_CEILING: f64 = 0.05;

#[test]
fn noisy_held_out_split_meets_its_floors() {
    let cases = noisy_cases(&HELD_OUT_SEEDS, 600, 600, 20);
    let f = evaluate_noisy(&cases, OperatingPoint::Balanced);
    let table = format!("{NOISY_HEADER}\n{}", f.line("balanced"));
    assert!(cases.iter().any(|c| c.class == NOISY_GENUINE));
    assert_eq!(f.hard_false_matches, 0, "{table}");
    assert!(f.false_matches * 1000 <= f.negatives, "false-match rate above 0.1 %\n{table}");
    assert!(f.core_match as f64 >= HELD_OUT_CORE_FLOOR * f.core as f64, "{table}");
    assert!(f.genuine_match as f64 >= HELD_OUT_GENUINE_FLOOR * f.genuine as f64, "{table}");
    assert!((f.reviews as f64) <= HELD_OUT_REVIEW_CEILING * f.pairs as f64, "{table}");
    println!("{table}");
    // The changed-surname rule never matches at any point (a person checks the document): its worst
    // case, a same-named household member born the same day, included; it does decide cases (review).
    assert!(f.by_changed_rule > 0, "{table}");
    for point in [OperatingPoint::Strict, OperatingPoint::Balanced, OperatingPoint::Lenient] {
        let g = evaluate_noisy(&cases, point);
        assert_eq!(g.changed_rule_matches, 0, "{point:?}: {}", g.line("-"));
        assert!(g.households > 0);
    }
    // With the directory's frequencies (directory-aware weights): the same guarantees.
    let table = directory_frequencies(&cases);
    assert!(!table.is_empty());
    let f = evaluate_noisy_with(&cases, OperatingPoint::Balanced, Some(table));
    let table = format!("{NOISY_HEADER}\n{}", f.line("balanced, directory frequencies"));
    assert_eq!(f.hard_false_matches, 0, "{table}");
    assert!(f.false_matches * 1000 <= f.negatives, "false-match rate above 0.1 %\n{table}");
    assert!(f.core_match as f64 >= HELD_OUT_CORE_FLOOR * f.core as f64, "{table}");
    println!("{table}");
}

#[test]
#[ignore = "report for BENCHMARKS.md: cargo test --release --test claims_eval noisy_report -- --ignored --nocapture"]
fn noisy_report() {
    let mut rows = Vec::new();
    for (name, seeds) in [("TUNING", &TUNING_SEEDS), ("HELD_OUT", &HELD_OUT_SEEDS)] {
        let cases = noisy_cases(seeds, 3000, 3000, 100);
        println!("\n{name} seeds {seeds:x?}: {} pairs\n{NOISY_HEADER}", cases.len());
        let table = directory_frequencies(&cases);
        for (point, pname) in OperatingPoint::ALL {
            let priors = evaluate_noisy(&cases, point);
            println!("{}", priors.line(pname));
            rows.push(priors.benchmarks_row(name, pname, "priors"));
            let label = format!("{pname}, directory frequencies");
            let directory = evaluate_noisy_with(&cases, point, Some(table.clone()));
            println!("{}", directory.line(&label));
            rows.push(directory.benchmarks_row(name, pname, "directory"));
        }
        if name == "HELD_OUT" {
            let policy = Policy::default();
            let mapping = policy.attribute_mapping();
            let matcher = Matcher::new(policy);
            let mut lockouts: BTreeMap<String, usize> = BTreeMap::new();
            for case in cases.iter().filter(|c| c.same_person) {
                let user = normalize_user(&json!({ "profile": case.profile }), &mapping).unwrap().user;
                let report = matcher.decide(&VerifiedClaims::from_json(&case.verified), &user);
                if report.decision != Decision::Match {
                    let ops: Vec<&str> = case.detail.split(" + ").map(|o| o.rsplit(':').next().unwrap_or(o)).collect();
                    *lockouts.entry(ops.join("+")).or_default() += 1;
                }
            }
            let mut v: Vec<_> = lockouts.into_iter().collect();
            v.sort_by_key(|x| std::cmp::Reverse(x.1));
            println!("\nGenuine pairs not matched (balanced), by modifications: {:?}", &v[..v.len().min(20)]);
        }
    }
    println!("\nBENCHMARKS.md rows:\n{}", rows.join("\n"));
}

/// Writes a split as `match` JSONL with `label`, `class`, `core` (given name, family name and
/// birthdate present on both sides) and `detail` (the generator's modifications) fields; the
/// changed-surname rule's worst case (`household_same_given_dob_other_family`) is left out, as in
/// every rate of the evaluation.
fn dump_split(seeds: &[u64], prefix: &str) {
    let Ok(path) = std::env::var("CLAIMS_DUMP") else { return };
    let mut out = String::new();
    let cases = noisy_cases(seeds, 3000, 3000, 100);
    for (i, case) in cases.iter().filter(|c| c.class != HOUSEHOLD_SAME_GIVEN_DOB).enumerate() {
        let line = json!({"id": format!("{prefix}-{i}"), "label": case.same_person, "class": case.class,
            "core": core_present(case), "detail": case.detail, "verified": case.verified, "directory": case.profile});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).expect("writes the dump");
}

/// Writes the TUNING split for `bench/claims_weights.py`:
/// `CLAIMS_DUMP=path cargo test --release --test claims_eval dump_tuning_split -- --ignored`.
#[test]
#[ignore = "writes the tuning split for bench/claims_weights.py"]
fn dump_tuning_split() {
    dump_split(&TUNING_SEEDS, "dev");
}

/// Writes the HELD_OUT split for `bench/claims_reference_rule.py` (report only, never tuning):
/// `CLAIMS_DUMP=path cargo test --release --test claims_eval dump_held_out_split -- --ignored`.
#[test]
#[ignore = "writes the held-out split for bench/claims_reference_rule.py"]
fn dump_held_out_split() {
    dump_split(&HELD_OUT_SEEDS, "held");
}
