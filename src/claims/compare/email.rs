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
    let (v, d) = (verified.trim(), directory.trim());
    let well_formed = |s: &str| s.split_once('@').is_some_and(|(l, r)| !l.is_empty() && !r.is_empty());
    if !well_formed(v) || !well_formed(d) {
        return ClaimResult::without_value(Outcome::Invalid, vec![Reason::Unparseable]);
    }
    if v == d {
        return ClaimResult::new(Outcome::Match, 1.0, Vec::new());
    }
    if v.to_lowercase() == d.to_lowercase() {
        return ClaimResult::new(Outcome::Match, 1.0, vec![Reason::CaseFolded]);
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
            assert_eq!((r.outcome, r.reasons), (outcome, reasons), "{v} vs {d}");
        }
    }
}
