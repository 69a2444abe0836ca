//! Enrollment: a user is `enrolled` once a verification with decision `match` is recorded for them.
//! The history is kept apart from the directory, so a re-sync (which replaces the directory) never
//! loses it; the status is computed from the current record, the policy and the history.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::audit::missing_required;
use crate::claims::replay::ComparisonVector;
use crate::claims::{ClaimKind, Decision, MatchReport, Outcome, Policy};
use crate::profile::DirectoryUser;

/// Where a user stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum EnrollmentStatus {
    /// Okta does not consider the user active (staged, suspended, deprovisioned): no verification.
    Inactive,
    /// The directory lacks attributes the policy requires: verification cannot match yet.
    NeedsAttributes {
        /// The missing required attributes (`birthdate`, `address.postal_code`…).
        missing: Vec<String>,
    },
    /// Active, complete, never verified with a `match`.
    NotEnrolled,
    /// Verified with a `match` at least once.
    Enrolled {
        /// The latest matching verification.
        last: VerificationRecord,
    },
}

/// One recorded verification (no claim values: only what decided).
/// Serialized camelCase (`atMs`, `policyId`); histories written before read as well (`at_ms`, `policy_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationRecord {
    /// When, in Unix milliseconds (passed in: the core reads no clock).
    #[serde(alias = "at_ms")]
    pub at_ms: u64,
    /// The decision.
    pub decision: Decision,
    /// The claims whose outcome was `match`.
    pub matched: Vec<ClaimKind>,
    /// The policy that decided.
    #[serde(alias = "policy_id")]
    pub policy_id: String,
    /// The comparison vector (levels and reason codes, never values), for shadow replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<ComparisonVector>,
}

/// Verification history per Okta user id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrollments {
    /// Records per user id, oldest first.
    pub users: BTreeMap<String, Vec<VerificationRecord>>,
}

/// Most records kept per user (the oldest are dropped first).
pub const MAX_RECORDS_PER_USER: usize = 50;

impl Enrollments {
    /// Records the outcome of a verification of `user_id`.
    pub fn record(&mut self, user_id: &str, at_ms: u64, report: &MatchReport, policy_id: &str) -> &VerificationRecord {
        let matched = report
            .claims
            .iter()
            .filter(|(_, evidence)| evidence.result().outcome == Outcome::Match)
            .map(|(kind, _)| *kind)
            .collect();
        let history = self.users.entry(user_id.to_owned()).or_default();
        if history.len() == MAX_RECORDS_PER_USER {
            history.remove(0);
        }
        history.push(VerificationRecord {
            at_ms,
            decision: report.decision,
            matched,
            policy_id: policy_id.to_owned(),
            vector: None,
        });
        let last = history.len() - 1;
        &history[last]
    }

    /// The history of one user, oldest first.
    pub fn history(&self, user_id: &str) -> &[VerificationRecord] {
        self.users.get(user_id).map_or(&[], Vec::as_slice)
    }

    /// The user's status under `policy`: inactive, then missing attributes, then the history decide.
    pub fn status(&self, user: &DirectoryUser, policy: &Policy) -> EnrollmentStatus {
        if !user.status.is_some_and(|s| s.is_active()) {
            return EnrollmentStatus::Inactive;
        }
        let missing = missing_required(user, policy);
        if !missing.is_empty() {
            return EnrollmentStatus::NeedsAttributes { missing };
        }
        let last_match = user
            .id
            .as_deref()
            .map(|id| self.history(id))
            .and_then(|h| h.iter().rev().find(|r| r.decision == Decision::Match));
        match last_match {
            Some(last) => EnrollmentStatus::Enrolled { last: last.clone() },
            None => EnrollmentStatus::NotEnrolled,
        }
    }
}
