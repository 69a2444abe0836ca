//! Readiness: whether a directory can serve a claims policy, above both `claims` and `directory`.
//!
//! - [`audit`]: which users lack the attributes a policy needs, per attribute and per group.
//! - [`enrollment`]: verification records per user and what they say about enrollment.

pub mod audit;
pub mod enrollment;

pub use audit::{audit, audit_text, missing_required, AttributeGap, AuditReport, AuditSource, GroupGaps};
pub use enrollment::{EnrollmentStatus, Enrollments, VerificationRecord, MAX_RECORDS_PER_USER};
