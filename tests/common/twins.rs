//! Twins for the claims tests: two people of one household — same family name, birthdate and address — whose
//! given names alone tell them apart. One twin's own genuine ID result is matched against the other's record.

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping, DirectoryUser};
use serde_json::{json, Value};

/// Real given names one inserted letter apart (either may be a twin's; the attack review of 2026-12-07).
pub const ONE_INSERTED_LETTER_APART: [(&str, &str); 10] = [
    ("Myra", "Myrna"),
    ("Vera", "Verna"),
    ("Lora", "Lorna"),
    ("Marie", "Marnie"),
    ("Lara", "Laura"),
    ("Tia", "Tina"),
    ("Dana", "Diana"),
    ("Carla", "Carola"),
    ("Erin", "Erinn"),
    ("Marin", "Martin"),
];

/// What the twins share (both live at 12 Main St, Austin 78701, US).
pub struct Household {
    /// The family name.
    pub family: &'static str,
    /// The birthdate, `YYYY-MM-DD`.
    pub birthdate: &'static str,
    /// The state, on the record and on the ID, when the household's address has one.
    pub region: Option<&'static str>,
    /// The record's mobile phone, when it has one (the ID has none).
    pub mobile: Option<&'static str>,
}

/// The twin pairs of tests/claims_twins.rs.
pub const LINDQVIST: Household = Household { family: "Lindqvist", birthdate: "1990-05-21", region: None, mobile: None };

/// The twin pairs of the attack reviews (tests/claims_attack_*).
pub const GARCIA: Household =
    Household { family: "Garcia", birthdate: "1988-06-14", region: Some("TX"), mobile: Some("+1 512 555 0100") };

/// The twin pairs of the OCR attack reviews (tests/claims_attack_twins_ocr_*): the Garcias, no phone on the record.
pub const GARCIA_NO_PHONE: Household = Household { mobile: None, ..GARCIA };

impl Household {
    /// The Okta record of the twin called `given`.
    pub fn record(&self, given: &str) -> Value {
        let mut profile = json!({"login": "twin@example.com", "firstName": given, "lastName": self.family,
            "birthdate": self.birthdate, "streetAddress": "12 Main St", "city": "Austin", "zipCode": "78701",
            "countryCode": "US"});
        if let Some(region) = self.region {
            profile["state"] = json!(region);
        }
        if let Some(mobile) = self.mobile {
            profile["mobilePhone"] = json!(mobile);
        }
        json!({"id": "00utwin", "profile": profile})
    }

    /// The normalized directory user of the twin called `given`.
    pub fn user(&self, given: &str) -> DirectoryUser {
        normalize_user(&self.record(given), &AttributeMapping::default()).expect("a valid user").user
    }

    /// The genuine ID result of the twin called `given`.
    pub fn id(&self, given: &str) -> Value {
        let mut address =
            json!({"street_address": "12 Main St", "locality": "Austin", "postal_code": "78701", "country": "US"});
        if let Some(region) = self.region {
            address["region"] = json!(region);
        }
        json!({"given_name": given, "family_name": self.family, "birthdate": self.birthdate, "address": address})
    }

    /// The default policy's decision on `verified`'s ID against `directory`'s record.
    pub fn decide(&self, verified: &str, directory: &str) -> Decision {
        Matcher::new(Policy::default())
            .decide(&VerifiedClaims::from_json(&self.id(verified)), &self.user(directory))
            .decision
    }

    /// The default policy's decision on `verified`'s ID from this household against `directory`'s record
    /// from `other` (two households that differ in the birthdate, say).
    pub fn decide_with(&self, verified: &str, other: &Household, directory: &str) -> Decision {
        Matcher::new(Policy::default())
            .decide(&VerifiedClaims::from_json(&self.id(verified)), &other.user(directory))
            .decision
    }

    /// The directions of `pairs` (either twin may be the impostor) in which the impostor's own genuine ID
    /// matched the sibling's record, each as `twin {impostor} matched {victim}`, in order.
    pub fn matched(&self, pairs: &[(&str, &str)]) -> Vec<String> {
        pairs
            .iter()
            .flat_map(|&(a, b)| [(a, b), (b, a)])
            .filter(|&(impostor, victim)| self.decide(impostor, victim) == Decision::Match)
            .map(|(impostor, victim)| format!("twin {impostor} matched {victim}"))
            .collect()
    }

    /// Asserts that neither twin of each pair (either may be the impostor) matches the sibling's record with
    /// their own genuine ID; the failure names each breach, `twin {impostor} matched {victim}`.
    #[track_caller]
    pub fn assert_never_matches(&self, pairs: &[(&str, &str)]) {
        self.assert_never_matches_one_way(pairs.iter().flat_map(|&(a, b)| [(a, b), (b, a)]));
    }

    /// [`Household::assert_never_matches`] for the (impostor, victim) directions given, each one way only.
    #[track_caller]
    pub fn assert_never_matches_one_way<S: AsRef<str>>(&self, directions: impl IntoIterator<Item = (S, S)>) {
        assert_no_twin_matches(directions, |(impostor, victim)| {
            let (impostor, victim) = (impostor.as_ref(), victim.as_ref());
            (self.decide(impostor, victim) == Decision::Match).then(|| format!("twin {impostor} matched {victim}"))
        });
    }
}

/// Asserts that no case is a breach: `breach` names a case whose impostor matched, `None` for one that did
/// not. The failure counts the breaches among the cases tried and names each on its line:
/// `{breaches} of {cases} twins matched:`.
#[track_caller]
pub fn assert_no_twin_matches<C>(cases: impl IntoIterator<Item = C>, mut breach: impl FnMut(C) -> Option<String>) {
    let mut tried = 0;
    let mut breaches = Vec::new();
    for case in cases {
        tried += 1;
        breaches.extend(breach(case));
    }
    assert!(breaches.is_empty(), "{} of {tried} twins matched:\n{}", breaches.len(), breaches.join("\n"));
}

/// Whether the optimal string alignment distance of two folded names is at most 2.
pub fn within_two(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let (m, n) = (a.len(), b.len());
    let mut d = vec![vec![0usize; n + 1]; m + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=n).collect();
    for i in 1..=m {
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[m][n] <= 2
}

/// The name with its first letter in upper case (the listed names are folded to lower case).
pub fn capitalized(name: &str) -> String {
    let mut c = name.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

/// One person on the ID (given, middle, family) against a record with its own given, middle and family
/// name; the same birthdate (no registry default day) and the same street address and postal code.
pub fn decide_full_names(
    given: &str,
    middle: &str,
    family: &str,
    first_name: &str,
    middle_name: &str,
    last_name: &str,
) -> Decision {
    let v: Value = json!({"given_name": given, "middle_name": middle, "family_name": family, "birthdate": "1988-06-14",
        "address": {"street_address": "12 Main St", "locality": "Austin", "region": "TX", "postal_code": "78701", "country": "US"}});
    let r = json!({"id": "00u1", "profile": {"login": "p@example.com", "firstName": first_name, "middleName": middle_name,
        "lastName": last_name, "birthdate": "1988-06-14", "streetAddress": "12 Main St", "city": "Austin", "state": "TX",
        "zipCode": "78701", "countryCode": "US"}});
    let user = normalize_user(&r, &AttributeMapping::default()).expect("a valid user").user;
    Matcher::new(Policy::default()).decide(&VerifiedClaims::from_json(&v), &user).decision
}
