//! docs/claims.md (where the README sends readers for policies and reason codes) against src/claims/: its
//! "Reason codes" table names every code the engine can give (`Reason::ALL`), each once, and no other (a code
//! added to the engine without its line, or a line for a code that no longer exists, fails); its policy
//! document is a valid policy as described; its operating points' thresholds are the engine's.

use std::collections::BTreeSet;

use okta_directory::claims::{policy_from_json_text, ClaimKind, OperatingPoint, Reason, THRESHOLDS};

const DOC: &str = include_str!("../docs/claims.md");

/// The backticked UPPER_SNAKE codes in the first column of the "## Reason codes" table, in order.
fn documented_codes() -> Vec<String> {
    let section = DOC.split("\n## Reason codes\n").nth(1).expect("docs/claims.md has a \"## Reason codes\" section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut codes = Vec::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let first = row.trim_start_matches('|').split(" | ").next().unwrap_or("");
        for (i, part) in first.split('`').enumerate() {
            if i % 2 == 1
                && !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            {
                codes.push(part.to_string());
            }
        }
    }
    codes
}

#[test]
fn the_reason_code_table_names_every_code_once_and_no_other() {
    let documented = documented_codes();
    let unique: BTreeSet<&str> = documented.iter().map(String::as_str).collect();
    assert_eq!(unique.len(), documented.len(), "a code is listed twice: {documented:?}");
    let engine: BTreeSet<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
    let missing: Vec<&&str> = engine.difference(&unique).collect();
    let unknown: Vec<&&str> = unique.difference(&engine).collect();
    assert!(missing.is_empty() && unknown.is_empty(), "not in docs/claims.md: {missing:?}; not a code: {unknown:?}");
}

#[test]
fn the_policy_document_example_is_a_policy_as_described() {
    let example = DOC.split("**Policy document**").nth(1).and_then(|rest| rest.split("```json\n").nth(1));
    let text = example.and_then(|block| block.split("\n```").next()).expect("the policy document's json block");
    let policy = policy_from_json_text(Some(text)).expect("a valid policy");
    assert_eq!(policy.id, "helpdesk");
    assert_eq!(policy.operating_point, OperatingPoint::Strict);
    let kinds: Vec<ClaimKind> = policy.claims.iter().map(|c| c.kind).collect();
    for kind in
        [ClaimKind::GivenName, ClaimKind::FamilyName, ClaimKind::Birthdate, ClaimKind::PhoneNumber, ClaimKind::Address]
    {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
}

#[test]
fn the_operating_points_thresholds_are_the_engines() {
    let doc = DOC.split_whitespace().collect::<Vec<_>>().join(" ");
    let [strict, balanced, lenient] = THRESHOLDS;
    for want in [
        format!("`strict` ({strict} bits:"),
        format!("`balanced` ({balanced}, the default)"),
        format!("`lenient` ({lenient})"),
    ] {
        assert!(doc.contains(&want), "docs/claims.md lacks {want:?} (THRESHOLDS {THRESHOLDS:?})");
    }
}
