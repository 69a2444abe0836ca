//! Reason codes in JSON: the hand-written `Deserialize` of `Reason` reads exactly what the derived
//! `Serialize` writes, in both forms serde's derive accepted (`"CODE"` and `{"CODE": null}`), and
//! refuses anything else.

use okta_directory::claims::{Reason, Reasons};

/// serde's `SCREAMING_SNAKE_CASE` of a variant name.
fn screaming(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_uppercase());
    }
    out
}

#[test]
fn every_reason_reads_back_what_it_writes() {
    for reason in Reason::ALL {
        let code = reason.code();
        assert_eq!(code, screaming(&format!("{reason:?}")));
        let text = serde_json::to_string(&reason).unwrap();
        assert_eq!(text, format!("\"{code}\""));
        assert_eq!(serde_json::from_str::<Reason>(&text).unwrap(), reason);
        assert_eq!(serde_json::from_str::<Reason>(&format!("{{\"{code}\":null}}")).unwrap(), reason);
        assert_eq!(serde_json::from_value::<Reason>(serde_json::json!(code)).unwrap(), reason);
        // An escaped code is the same string.
        let escaped = format!("\"\\u{:04X}{}\"", u32::from(code.as_bytes()[0]), &code[1..]);
        assert_eq!(serde_json::from_str::<Reason>(&escaped).unwrap(), reason);
    }
    let all: Reasons = Reason::ALL.into();
    let text = serde_json::to_string(&all).unwrap();
    assert_eq!(serde_json::from_str::<Reasons>(&text).unwrap(), all);
}

#[test]
fn anything_else_is_refused() {
    for text in [
        "\"day_month_swapped\"",
        "\"DayMonthSwapped\"",
        "\"\"",
        "\"NOT_A_REASON\"",
        "0",
        "null",
        "true",
        "[\"DAY_MONTH_SWAPPED\"]",
        "{\"DAY_MONTH_SWAPPED\":1}",
        "{\"DAY_MONTH_SWAPPED\":[]}",
        "{\"DAY_MONTH_SWAPPED\":null,\"ONE_DIGIT_OFF\":null}",
        "{}",
    ] {
        assert!(serde_json::from_str::<Reason>(text).is_err(), "{text}");
    }
    assert!(serde_json::from_str::<Reasons>("[\"DAY_MONTH_SWAPPED\",\"NOPE\"]").is_err());
}
