//! Emails: trimmed and compared without regard to letter case (exact otherwise: no dot or
//! plus-address folding, which would be a provider-specific guess).

use crate::claims::report::{ClaimResult, Outcome, Reason};

/// Compares two email addresses.
///
/// ```
/// use okta_directory::claims::compare::compare_email;
/// use okta_directory::claims::Outcome;
/// assert_eq!(compare_email(" Ana@Example.COM", "ana@example.com").outcome, Outcome::Match);
/// ```
pub fn compare_email(verified: &str, directory: &str) -> ClaimResult {
    compare_prepared_email(&PreparedEmail::new(verified), &PreparedEmail::new(directory))
}

/// An email address read once: trimmed, checked for a local part and a domain, lower-cased.
#[derive(Debug, Clone)]
pub struct PreparedEmail {
    trimmed: String,
    /// `trimmed` lower-cased; empty when that is `trimmed` itself (most addresses: one string kept).
    lower: String,
    well_formed: bool,
}

impl PreparedEmail {
    /// Reads an email address.
    pub fn new(raw: &str) -> PreparedEmail {
        let trimmed = raw.trim();
        let well_formed = trimmed.split_once('@').is_some_and(|(l, r)| !l.is_empty() && !r.is_empty());
        let lower = trimmed.to_lowercase();
        let lower = if lower == trimmed { String::new() } else { lower };
        PreparedEmail { trimmed: trimmed.to_owned(), lower, well_formed }
    }

    /// The address lower-cased.
    fn lower(&self) -> &str {
        if self.lower.is_empty() {
            &self.trimmed
        } else {
            &self.lower
        }
    }
}

/// [`compare_email`] over prepared addresses.
pub fn compare_prepared_email(v: &PreparedEmail, d: &PreparedEmail) -> ClaimResult {
    if !v.well_formed || !d.well_formed {
        return ClaimResult::without_value(Outcome::Invalid, [Reason::Unparseable]);
    }
    if v.trimmed == d.trimmed {
        return ClaimResult::new(Outcome::Match, 1.0, Vec::new());
    }
    if v.lower() == d.lower() {
        return ClaimResult::new(Outcome::Match, 1.0, [Reason::CaseFolded]);
    }
    ClaimResult::new(Outcome::Mismatch, 0.0, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("ana@example.com", "ana@example.com", Outcome::Match, vec![]),
            ("ANA@EXAMPLE.COM ", "ana@example.com", Outcome::Match, vec![Reason::CaseFolded]),
            ("ÄNA@example.com", "äna@example.com", Outcome::Match, vec![Reason::CaseFolded]),
            ("a.na@example.com", "ana@example.com", Outcome::Mismatch, vec![]),
            ("ana+x@example.com", "ana@example.com", Outcome::Mismatch, vec![]),
            ("ana", "ana@example.com", Outcome::Invalid, vec![Reason::Unparseable]),
            ("ana@example.com", "@example.com", Outcome::Invalid, vec![Reason::Unparseable]),
        ];
        for (v, d, outcome, reasons) in cases {
            let r = compare_email(v, d);
            assert_eq!((r.outcome, r.reasons.to_vec()), (outcome, reasons), "{v} vs {d}");
        }
    }
}
