//! Lookup keys: which attributes a loginHint is compared with, and how both sides are normalized.
//!
//! Normalization (applied identically to stored values and to the hint):
//! - every key: trimmed, NFC, full Unicode lower case; an empty result is no key;
//! - `login` additionally goes through [`crate::text::fold`] (diacritics removed, compatibility forms
//!   unified, never across scripts, invisible characters kept). Okta keeps logins unique case- and
//!   diacritic-insensitively, so folding cannot merge two legitimate logins; if our fold is broader
//!   than Okta's somewhere, the result is an `AMBIGUOUS_LOGIN_HINT`, never a wrong pick.
//! - emails and every other key are **not** diacritic-folded: they are not unique in Okta, and
//!   `josé@` and `jose@` can be different mailboxes; folding them would let a hint reach a user it
//!   does not name whenever only one of the two exists.

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use crate::profile::{CustomScalar, CustomValue, DirectoryUser};
use crate::text::{fold, is_nfc_quick, NormalForms};

/// An attribute a loginHint can be looked up by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase", tag = "kind", content = "name")]
pub enum LookupKey {
    /// The Okta login (unique; checked first).
    Login,
    /// The primary email (not unique).
    Email,
    /// The secondary email.
    SecondEmail,
    /// The employee number (compared as text: leading zeros count).
    EmployeeNumber,
    /// A custom profile attribute, by its Okta name (strings, numbers and lists of those are keys).
    Custom(String),
}

impl LookupKey {
    /// Reads a configuration name: `login`, `email`, `secondEmail`, `employeeNumber`, anything else is custom.
    pub fn parse(name: &str) -> Option<LookupKey> {
        let name = name.trim().strip_prefix("profile.").unwrap_or(name.trim());
        Some(match name {
            "" => return None,
            "login" => LookupKey::Login,
            "email" => LookupKey::Email,
            "secondEmail" => LookupKey::SecondEmail,
            "employeeNumber" => LookupKey::EmployeeNumber,
            other => LookupKey::Custom(other.to_string()),
        })
    }

    /// The configuration name of this key (the inverse of [`LookupKey::parse`]).
    pub fn name(&self) -> &str {
        match self {
            LookupKey::Login => "login",
            LookupKey::Email => "email",
            LookupKey::SecondEmail => "secondEmail",
            LookupKey::EmployeeNumber => "employeeNumber",
            LookupKey::Custom(name) => name,
        }
    }

    /// The raw values of this key on `user` (a list attribute gives several).
    pub fn values<'u>(&self, user: &'u DirectoryUser) -> Vec<std::borrow::Cow<'u, str>> {
        use std::borrow::Cow;
        let one = |v: &'u Option<String>| v.as_deref().map(Cow::Borrowed).into_iter().collect();
        match self {
            LookupKey::Login => one(&user.login),
            LookupKey::Email => one(&user.email),
            LookupKey::SecondEmail => one(&user.second_email),
            LookupKey::EmployeeNumber => one(&user.employee_number),
            LookupKey::Custom(name) => match user.custom.get(name) {
                None => Vec::new(),
                Some(CustomValue::Scalar(s)) => scalar_text(s).into_iter().collect(),
                Some(CustomValue::List(items)) => items.iter().filter_map(scalar_text).collect(),
            },
        }
    }

    /// The normalized form of `raw` under this key's rules (`None` when nothing is left).
    pub fn normalize(&self, raw: &str) -> Option<String> {
        match self {
            LookupKey::Login => normalize_login(raw),
            _ => normalize_plain(raw),
        }
    }
}

/// Booleans are no identifiers; numbers are keyed by their shortest decimal spelling (`1234`, `1.5`).
fn scalar_text(s: &CustomScalar) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    match s {
        CustomScalar::String(v) => Some(Cow::Borrowed(v.as_str())),
        CustomScalar::Number(n) if n.is_finite() => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// Trim, NFC, full Unicode lower case. Used for emails, employee numbers and custom keys.
pub fn normalize_plain(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    // Fast path: ASCII needs neither NFC nor Unicode casing.
    let key = if trimmed.is_ascii() {
        trimmed.to_ascii_lowercase()
    } else if is_nfc_quick(trimmed) {
        // Already NFC (the quick check answers "yes" only when it is sure): skip the recomposition.
        trimmed.to_lowercase()
    } else {
        trimmed.chars().nfc().collect::<String>().to_lowercase()
    };
    Some(key)
}

/// Trim, then [`fold`] (which does the NFC and case work): case- and diacritic-insensitive, script-safe.
pub fn normalize_login(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    // ASCII folds to its lower case (no marks, no compatibility forms), so skip the Unicode pipeline.
    let key = if trimmed.is_ascii() { trimmed.to_ascii_lowercase() } else { fold(trimmed) };
    (!key.is_empty()).then_some(key)
}

#[cfg(test)]
mod tests {
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    #[test]
    fn ascii_fast_paths_agree_with_the_unicode_pipeline() {
        for s in ["Anna.Kowalska@Example.COM", "  jdoe ", "A-B_c.d+e@x.io"] {
            assert_eq!(normalize_login(s), Some(fold(s.trim())));
            assert_eq!(normalize_plain(s), Some(s.trim().nfc().collect::<String>().to_lowercase()));
        }
    }

    #[test]
    fn the_nfc_quick_path_agrees_with_full_nfc() {
        for s in
            ["ŁUKASZ.1@Example.PL", "Анна@x.ru", "ΣΟΦΙΑ", "芳@x.cn", "JOSE\u{301}@X", "e\u{301}\u{323}", "한국", "ｶﾞ"]
        {
            assert_eq!(normalize_plain(s), Some(s.trim().nfc().collect::<String>().to_lowercase()), "{s}");
        }
    }

    #[test]
    fn login_folds_diacritics_and_width_but_email_keeps_letters() {
        assert_eq!(normalize_login("JOSE\u{301}@X.COM"), normalize_login("josé@x.com"));
        assert_eq!(normalize_login("josé@x.com").as_deref(), Some("jose@x.com"));
        assert_eq!(normalize_plain("JOSE\u{301}@X.COM").as_deref(), Some("josé@x.com"));
        assert_ne!(normalize_plain("josé@x.com"), normalize_plain("jose@x.com"));
        assert_eq!(normalize_login("  \t "), None);
        // A Cyrillic homoglyph never folds onto the Latin login.
        assert_ne!(normalize_login("\u{430}nna@x.com"), normalize_login("anna@x.com"));
    }

    #[test]
    fn config_names_round_trip() {
        for name in ["login", "email", "secondEmail", "employeeNumber", "costCenter"] {
            assert_eq!(LookupKey::parse(name).map(|k| k.name().to_string()).as_deref(), Some(name));
        }
        assert_eq!(LookupKey::parse("profile.email"), Some(LookupKey::Email));
        assert_eq!(LookupKey::parse(" "), None);
    }
}
