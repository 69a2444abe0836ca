//! Shadow replay: a recorded comparison vector — per claim its outcome, agreement level, reason codes
//! and the comparison settings it was compared under, never a claim value — re-decided under a draft
//! policy, or refused as "cannot replay" when the vector does not say what the draft would compare.
//!
//! What a vector cannot replay: a claim the attempt did not compare; a claim whose directory source
//! changed (other data would be compared); a tolerance the draft adds to a claim that differed (it may
//! now agree at a level the vector cannot know); a tolerance the draft removes while a later one in
//! the comparison order is still allowed (the comparison stopped at the first that agreed); a switch
//! of an address, date, phone or email comparison whose level was recorded only coarsely (`folded`);
//! any change to the address rule; a change to the names' swap check inputs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use super::engine::{
    changed_family_name_allowed, changed_family_name_candidate, threshold_of, Decision, Guard, MatchReport, Tally,
    Weighed,
};
use super::kinds::ClaimKind;
use super::policy::{Allow, ClaimRule, MatchMode, Policy};
use super::report::{Outcome, Reason, Reasons};
use super::weights::{level_of, weight, Level};
use crate::sort::CollectMap;

/// The recorded comparison of one attempt: per claim what was found and under which settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
pub struct ComparisonVector {
    /// Per compared claim, by OIDC name.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Partial<Record<ClaimKind, ClaimVector>>"))]
    pub claims: BTreeMap<ClaimKind, ClaimVector>,
}

/// One claim's comparison: outcome, level and reason codes, and the settings that produced them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct ClaimVector {
    /// The comparison's outcome.
    pub outcome: Outcome,
    /// The agreement level (the weight's input with the claim kind).
    pub level: Level,
    /// The reason codes of the comparison.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Reason[]"))]
    pub reasons: Reasons,
    /// Whether the claim was compared exactly (else fuzzy).
    pub exact: bool,
    /// The name tolerances that were allowed (`nicknames`, `typos`…).
    pub allow: Vec<String>,
    /// A fingerprint of the directory sources (for a phone number with its default region): another
    /// source compares other data.
    pub source: String,
    /// The address only: a fingerprint of its mode, threshold and part rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<String>,
}

/// Why a claim cannot be replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Unreplayable {
    /// The draft compares a claim the attempt did not compare.
    NotCompared,
    /// The claim's directory source changed: other data would be compared.
    SourceChanged,
    /// The draft adds a tolerance to a claim that differed: it might now agree.
    ToleranceAdded,
    /// The level was recorded too coarsely for the draft's comparison settings.
    CoarseLevel,
    /// No comparison vector was stored with the attempt (recorded before vectors were kept).
    NoVector,
}

/// One claim that blocks a replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct Blocker {
    /// The claim (absent for [`Unreplayable::NoVector`]).
    pub claim: Option<ClaimKind>,
    /// Why.
    pub why: Unreplayable,
}

/// An attempt re-decided under a draft policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
pub struct Replay {
    /// The decision under the draft, or `null` when the vector cannot replay it.
    pub decision: Option<Decision>,
    /// Per claim, its level and weight under the draft.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Partial<Record<ClaimKind, Weighed>>"))]
    pub claims: BTreeMap<ClaimKind, Weighed>,
    /// The total weight (bits).
    pub total: f64,
    /// The draft's threshold (bits).
    pub threshold: f64,
    /// The hard guard that decided, if one did.
    pub guard: Option<Guard>,
    /// What blocks the replay (empty when it was decided).
    pub blockers: Vec<Blocker>,
}

const ALLOW_NAMES: [&str; 6] = ["initials", "nicknames", "token_subset", "swapped_names", "ocr", "typos"];

fn allow_list(a: &Allow) -> Vec<String> {
    let flags = [a.initials, a.nicknames, a.token_subset, a.swapped_names, a.ocr, a.typos];
    ALLOW_NAMES.iter().zip(flags).filter(|(_, on)| *on).map(|(n, _)| (*n).to_owned()).collect()
}

/// FNV-1a (32 bits), hex: a short fingerprint, not a secret.
fn fingerprint(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// Which data a rule compares: its directory sources (the address's part sources), and for a phone
/// number its default region.
fn source_of(rule: &ClaimRule) -> String {
    let mut text: Vec<String> = rule.sources.iter().map(|s| s.as_str().to_owned()).collect();
    if let Some(region) = &rule.default_region {
        text.push(format!("region={region}"));
    }
    for p in &rule.parts {
        let sources: Vec<&str> = p.sources.iter().map(|s| s.as_str()).collect();
        text.push(format!("{:?}={}", p.part, sources.join(",")));
    }
    fingerprint(&text.join("|"))
}

/// How the address is compared: its mode, threshold and part rules (other claims: none).
fn parts_of(rule: &ClaimRule) -> Option<String> {
    (rule.kind == ClaimKind::Address).then(|| {
        let mut text = vec![format!("{:?};{}", rule.mode, rule.threshold)];
        for p in &rule.parts {
            text.push(format!("{:?}:{:?}:{}:{}", p.part, p.mode, p.threshold, p.required));
        }
        fingerprint(&text.join("|"))
    })
}

/// The comparison vector of a decided report under the (effective) policy that decided it.
pub fn comparison_vector(policy: &Policy, report: &MatchReport) -> ComparisonVector {
    let claims = policy
        .claims
        .iter()
        .filter_map(|rule| {
            let result = report.claims.get(&rule.kind)?.result();
            let vector = ClaimVector {
                outcome: result.outcome,
                level: level_of(rule.kind, result),
                reasons: result.reasons,
                exact: rule.mode == MatchMode::Exact,
                allow: allow_list(&rule.allow),
                source: source_of(rule),
                parts: parts_of(rule),
            };
            Some((rule.kind, vector))
        })
        .collect_map();
    ComparisonVector { claims }
}

fn is_name(kind: ClaimKind) -> bool {
    matches!(kind, ClaimKind::GivenName | ClaimKind::MiddleName | ClaimKind::FamilyName)
}

/// The name tolerances in the order the comparator tries them, by the level each yields.
const CHAIN: [(Level, &str); 5] = [
    (Level::Subset, "token_subset"),
    (Level::Nickname, "nicknames"),
    (Level::Initial, "initials"),
    (Level::Ocr, "ocr"),
    (Level::OneEdit, "typos"),
];

/// Reasons of a mismatch that route to review; each exists only under fuzzy comparison and, for three
/// of them, a tolerance.
const REVIEW_REASONS: [(Reason, Option<&str>); 4] = [
    (Reason::NicknameAmbiguous, Some("nicknames")),
    (Reason::TransliteratedScript, None),
    (Reason::GoesByMiddleName, Some("token_subset")),
    (Reason::ShortNameOneLetterApart, Some("typos")),
];

/// One claim re-compared from its vector under the draft rule: the new result, or why it cannot be.
fn recompare(kind: ClaimKind, cv: &ClaimVector, rule: &ClaimRule) -> Result<(Outcome, Level, Reasons), Unreplayable> {
    if source_of(rule) != cv.source {
        return Err(Unreplayable::SourceChanged);
    }
    if parts_of(rule) != cv.parts {
        return Err(Unreplayable::CoarseLevel);
    }
    let now_exact = rule.mode == MatchMode::Exact;
    let now_allow = allow_list(&rule.allow);
    if now_exact == cv.exact && now_allow == cv.allow {
        return Ok((cv.outcome, cv.level, cv.reasons));
    }
    // Equal values stay equal, missing stays missing, unreadable stays unreadable.
    if matches!(cv.level, Level::Exact | Level::Missing | Level::Invalid | Level::Placeholder) {
        return Ok((cv.outcome, cv.level, cv.reasons));
    }
    if !is_name(kind) {
        // Dates, phones, emails: only `folded` or `differs` are left, recorded without the detail a
        // different mode needs.
        return Err(Unreplayable::CoarseLevel);
    }
    let allowed = |name: &str| !now_exact && now_allow.iter().any(|a| a == name);
    let was_allowed = |name: &str| !cv.exact && cv.allow.iter().any(|a| a == name);
    let loosened = (cv.exact && !now_exact) || now_allow.iter().any(|a| !cv.allow.contains(a));
    match cv.level {
        // Equal after normalization: the same in either mode and under any tolerance.
        Level::Folded => Ok((cv.outcome, cv.level, cv.reasons)),
        // A changed family name is a difference; whether it still counts as changed is checked
        // against the other claims by the caller.
        Level::Differs | Level::Changed => {
            if loosened {
                return Err(Unreplayable::ToleranceAdded);
            }
            // Stricter only: still different; a review-routing reason survives only with its tolerance.
            let mut reasons = Reasons::new();
            for r in cv.reasons.iter() {
                let keep = match REVIEW_REASONS.iter().find(|(rr, _)| *rr == r) {
                    Some((_, need)) => !now_exact && need.is_none_or(allowed),
                    None => true,
                };
                if keep {
                    reasons.push(r);
                }
            }
            Ok((cv.outcome, cv.level, reasons))
        }
        // A swap (also swapped with a typo) depends on the other name: handled by the caller.
        _ if cv.reasons.contains(&Reason::NamesSwapped) => Err(Unreplayable::CoarseLevel),
        level => {
            let need = match level {
                Level::TwoEdits => "typos",
                _ => CHAIN.iter().find(|(l, _)| *l == level).map(|(_, n)| *n).ok_or(Unreplayable::CoarseLevel)?,
            };
            if allowed(need) {
                // The tolerance that agreed is still there; earlier ones in the order were not allowed
                // or did not agree — unless the draft adds one of them.
                let position = CHAIN.iter().position(|(_, n)| *n == need).unwrap_or(CHAIN.len());
                let earlier_added = CHAIN[..position].iter().any(|(_, n)| allowed(n) && !was_allowed(n));
                if earlier_added {
                    return Err(Unreplayable::CoarseLevel);
                }
                return Ok((cv.outcome, cv.level, cv.reasons));
            }
            // The tolerance that agreed is gone: a mismatch, unless a later one (untried) may agree.
            let position = CHAIN.iter().position(|(_, n)| *n == need).unwrap_or(CHAIN.len());
            if CHAIN[position + 1..].iter().any(|(_, n)| allowed(n)) {
                return Err(Unreplayable::CoarseLevel);
            }
            if kind == ClaimKind::GivenName && cv.reasons.contains(&Reason::GoesByMiddleName) {
                return Err(Unreplayable::CoarseLevel);
            }
            Ok((Outcome::Mismatch, Level::Differs, Reasons::new()))
        }
    }
}

/// Re-decides a recorded attempt under `draft`: the same hard guards and weights as the engine, on
/// the recorded levels adjusted to the draft's settings, or the claims that block it.
pub fn replay(draft: &Policy, vector: &ComparisonVector) -> Replay {
    let mut blockers = Vec::new();
    let mut results: BTreeMap<ClaimKind, (Outcome, Level, Reasons)> = BTreeMap::new();
    for rule in &draft.claims {
        let Some(cv) = vector.claims.get(&rule.kind) else {
            blockers.push(Blocker { claim: Some(rule.kind), why: Unreplayable::NotCompared });
            continue;
        };
        match recompare(rule.kind, cv, rule) {
            Ok(r) => {
                results.insert(rule.kind, r);
            }
            Err(why) => blockers.push(Blocker { claim: Some(rule.kind), why }),
        }
    }
    names_blockers(draft, vector, &results, &mut blockers);
    family_cut_blockers(draft, vector, &results, &mut blockers);
    family_name_changed(draft, vector, &mut results, &mut blockers);
    // The engine's middle-name rule reads the record's middle name only when the policy compares it.
    let given = vector.claims.get(&ClaimKind::GivenName);
    if given.is_some_and(|g| g.reasons.contains(&Reason::GoesByMiddleName))
        && vector.claims.contains_key(&ClaimKind::MiddleName) != draft.rule(ClaimKind::MiddleName).is_some()
        && blockers.iter().all(|b| b.claim != Some(ClaimKind::GivenName))
    {
        blockers.push(Blocker { claim: Some(ClaimKind::GivenName), why: Unreplayable::CoarseLevel });
    }
    if !blockers.is_empty() {
        let threshold = threshold_of(draft);
        return Replay { decision: None, claims: BTreeMap::new(), total: 0.0, threshold, guard: None, blockers };
    }
    decide(draft, &results)
}

/// A changed family name (`FAMILY_NAME_CHANGED`) holds under the draft only while the family name is
/// compared fuzzily, the given name and birthdate still agree and a corroborating claim (address,
/// phone, email) still does; without it the family name is a plain difference. A family name that
/// agreed when recorded and differs under the draft (a tolerance removed) may become a changed name:
/// so it does when the phone or email agrees; when only the address does, the vector cannot say
/// whether its street and postal code both agreed, and the family name cannot be replayed.
fn family_name_changed(
    draft: &Policy,
    vector: &ComparisonVector,
    results: &mut BTreeMap<ClaimKind, (Outcome, Level, Reasons)>,
    blockers: &mut Vec<Blocker>,
) {
    let Some((outcome, _, reasons)) = results.get(&ClaimKind::FamilyName).copied() else { return };
    let recorded = reasons.contains(&Reason::FamilyNameChanged);
    let newly_differs = outcome == Outcome::Mismatch
        && !recorded
        && vector.claims.get(&ClaimKind::FamilyName).is_some_and(|c| c.outcome != Outcome::Mismatch);
    if !recorded && !newly_differs {
        return;
    }
    let level = |kind: ClaimKind| results.get(&kind).map(|r| r.1);
    let shape = draft.rule(ClaimKind::FamilyName).is_some_and(|r| r.mode == MatchMode::Fuzzy)
        && changed_family_name_candidate(outcome, &reasons)
        && matches!((level(ClaimKind::GivenName), results.get(&ClaimKind::Birthdate)), (Some(g), Some((_, b, why))) if changed_family_name_allowed(g, *b, why));
    let corroborating = [ClaimKind::Address, ClaimKind::PhoneNumber, ClaimKind::Email];
    let agreed =
        |claims: &dyn Fn(ClaimKind) -> bool| corroborating.into_iter().filter(|k| claims(*k)).collect::<Vec<_>>();
    let agree_now = agreed(&|k| results.get(&k).is_some_and(|r| r.0 == Outcome::Match));
    let agreed_then = agreed(&|k| vector.claims.get(&k).is_some_and(|c| c.outcome == Outcome::Match));
    let only_address = agree_now == [ClaimKind::Address];
    if shape && only_address && (newly_differs || agreed_then != agree_now) {
        blockers.push(Blocker { claim: Some(ClaimKind::FamilyName), why: Unreplayable::CoarseLevel });
        return;
    }
    let holds = shape && !agree_now.is_empty();
    let mut now = Reasons::new();
    for r in reasons.iter().filter(|r| *r != Reason::FamilyNameChanged) {
        now.push(r);
    }
    if holds {
        now.push(Reason::FamilyNameChanged);
        results.insert(ClaimKind::FamilyName, (outcome, Level::Changed, now));
    } else {
        results.insert(ClaimKind::FamilyName, (outcome, Level::Differs, now));
    }
}

/// A family name that matched at `subset` may be a cut surname the engine matched only because the
/// given name, the birthdate and a corroborating claim agreed and the typo rule was on (a corroborated
/// cut, docs/claims-decisions.md §3): the vector does not say which, so a draft that changes any of
/// that evidence, or turns the family name's typo rule off, cannot replay it.
fn family_cut_blockers(
    draft: &Policy,
    vector: &ComparisonVector,
    results: &BTreeMap<ClaimKind, (Outcome, Level, Reasons)>,
    blockers: &mut Vec<Blocker>,
) {
    let family = ClaimKind::FamilyName;
    let Some(cv) = vector.claims.get(&family) else { return };
    let recorded_level = |kind: ClaimKind| vector.claims.get(&kind).map(|c| c.level);
    let could_be_cut = cv.outcome == Outcome::Match
        && cv.level == Level::Subset
        && !cv.exact
        && cv.allow.iter().any(|a| a == "typos")
        && matches!(recorded_level(ClaimKind::GivenName), Some(Level::Exact | Level::Folded))
        && matches!(recorded_level(ClaimKind::Birthdate), Some(Level::Exact | Level::Folded));
    if !could_be_cut || blockers.iter().any(|b| b.claim == Some(family)) {
        return;
    }
    let typos_kept = draft.rule(family).is_some_and(|r| r.mode == MatchMode::Fuzzy && r.allow.typos);
    let evidence = [
        ClaimKind::GivenName,
        ClaimKind::MiddleName,
        ClaimKind::Birthdate,
        ClaimKind::Address,
        ClaimKind::PhoneNumber,
        ClaimKind::Email,
    ];
    let unchanged = |kind: &ClaimKind| match (vector.claims.get(kind), results.get(kind)) {
        (Some(c), Some(now)) => (c.outcome, c.level, c.reasons) == *now,
        (None, None) => true,
        _ => false,
    };
    if !typos_kept || !evidence.iter().all(unchanged) {
        blockers.push(Blocker { claim: Some(family), why: Unreplayable::CoarseLevel });
    }
}

/// The swap check runs when both names differ: a draft that makes both differ where the attempt had
/// them not both differing, or that allows swaps where the attempt did not, needs values.
fn names_blockers(
    draft: &Policy,
    vector: &ComparisonVector,
    results: &BTreeMap<ClaimKind, (Outcome, Level, Reasons)>,
    blockers: &mut Vec<Blocker>,
) {
    let pair = [ClaimKind::GivenName, ClaimKind::FamilyName];
    let swap_now = pair.iter().all(|k| draft.rule(*k).is_some_and(|r| r.allow.swapped_names));
    let swap_then =
        pair.iter().all(|k| vector.claims.get(k).is_some_and(|c| c.allow.iter().any(|a| a == "swapped_names")));
    let both = |get: &dyn Fn(ClaimKind) -> Option<Outcome>| pair.iter().all(|k| get(*k) == Some(Outcome::Mismatch));
    let both_now = both(&|k| results.get(&k).map(|r| r.0));
    let both_then = both(&|k| vector.claims.get(&k).map(|c| c.outcome));
    let swapped_then =
        pair.iter().any(|k| vector.claims.get(k).is_some_and(|c| c.reasons.contains(&Reason::NamesSwapped)));
    let unchecked = swap_now && both_now && !(both_then && swap_then);
    let lost = swapped_then && (!swap_now || pair.iter().any(|k| draft.rule(*k).is_none()));
    if (unchecked || lost) && blockers.iter().all(|b| b.claim != Some(ClaimKind::GivenName)) {
        blockers.push(Blocker { claim: Some(ClaimKind::GivenName), why: Unreplayable::CoarseLevel });
    }
}

/// The engine's combined decision (hard guards, then the total against the threshold) on replayed
/// per-claim results. A test checks it against the engine on many pairs and policies.
fn decide(policy: &Policy, results: &BTreeMap<ClaimKind, (Outcome, Level, Reasons)>) -> Replay {
    let mut tally = Tally::default();
    let mut claims = BTreeMap::new();
    for rule in &policy.claims {
        let Some((outcome, level, reasons)) = results.get(&rule.kind) else { continue };
        let w = weight(rule.kind, *level);
        claims.insert(rule.kind, Weighed { level: *level, weight: w, frequency: None });
        tally.add(rule, *outcome, reasons, w);
    }
    let threshold = threshold_of(policy);
    let (decision, guard, total) = tally.decide(threshold);
    Replay { decision: Some(decision), claims, total, threshold, guard, blockers: Vec::new() }
}
