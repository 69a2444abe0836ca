//! Integration tests of Okta profile normalization through the public API only:
//! `okta_directory::profile::*` and `okta_directory::Error`.
//!
//! Fixtures are small and inline (`serde_json::json!`). Okta facts used here: the user object carries
//! `id`, `status`, `lastUpdated` at the top and every attribute flat inside `profile`; custom attributes
//! sit next to the base ones; `null` and a missing key mean the same thing.

use std::collections::BTreeSet;

use okta_directory::profile::{
    normalize_user, normalize_user_json, AttributeMapping, CanonicalField, CustomScalar, CustomValue, DirectoryUser,
    FieldIssue, IssueCode, NormalizedUser, UserStatus, MAX_CUSTOM_ATTRIBUTES, MAX_CUSTOM_CHARS, MAX_INPUT_BYTES,
};
use okta_directory::Error;
use serde_json::{json, Value};
use unicode_normalization::is_nfc;

use CanonicalField as F;
use IssueCode as C;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Every field an attribute mapping fills: canonical field, mapping key, default Okta profile key.
const MAPPED: &[(CanonicalField, &str, &str)] = &[
    (F::Login, "login", "login"),
    (F::Email, "email", "email"),
    (F::SecondEmail, "secondEmail", "secondEmail"),
    (F::GivenName, "givenName", "firstName"),
    (F::MiddleName, "middleName", "middleName"),
    (F::FamilyName, "familyName", "lastName"),
    (F::HonorificPrefix, "honorificPrefix", "honorificPrefix"),
    (F::HonorificSuffix, "honorificSuffix", "honorificSuffix"),
    (F::Nickname, "nickname", "nickName"),
    (F::DisplayName, "displayName", "displayName"),
    (F::Birthdate, "birthdate", "birthdate"),
    (F::StreetAddress, "streetAddress", "streetAddress"),
    (F::Locality, "locality", "city"),
    (F::Region, "region", "state"),
    (F::PostalCode, "postalCode", "zipCode"),
    (F::Country, "country", "countryCode"),
    (F::MobilePhone, "mobilePhone", "mobilePhone"),
    (F::PrimaryPhone, "primaryPhone", "primaryPhone"),
    (F::EmployeeNumber, "employeeNumber", "employeeNumber"),
];

/// Okta's base profile attributes (okta-api.md §6.2): never reported as custom attributes.
const BASE_ATTRIBUTES: &[&str] = &[
    "login",
    "email",
    "secondEmail",
    "firstName",
    "lastName",
    "middleName",
    "honorificPrefix",
    "honorificSuffix",
    "title",
    "displayName",
    "nickName",
    "profileUrl",
    "primaryPhone",
    "mobilePhone",
    "streetAddress",
    "city",
    "state",
    "zipCode",
    "postalAddress",
    "countryCode",
    "preferredLanguage",
    "locale",
    "timezone",
    "userType",
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
    "managerId",
    "manager",
];

/// The default birthdate candidates, in priority order.
const BIRTHDATE_KEYS: &[&str] = &["birthdate", "birthDate", "dateOfBirth", "DateOfBirth", "dob"];

fn norm(input: &Value) -> NormalizedUser {
    normalize_user(input, &AttributeMapping::default()).expect("input normalizes")
}

fn mapping(doc: Value) -> AttributeMapping {
    AttributeMapping::from_json(&doc).expect("mapping is valid")
}

fn norm_with(input: &Value, doc: Value) -> NormalizedUser {
    normalize_user(input, &mapping(doc)).expect("input normalizes")
}

/// The value of a mapped field in the record.
fn get(user: &DirectoryUser, field: CanonicalField) -> Option<&str> {
    let value = match field {
        F::Login => &user.login,
        F::Email => &user.email,
        F::SecondEmail => &user.second_email,
        F::GivenName => &user.name.given,
        F::MiddleName => &user.name.middle,
        F::FamilyName => &user.name.family,
        F::HonorificPrefix => &user.name.honorific_prefix,
        F::HonorificSuffix => &user.name.honorific_suffix,
        F::Nickname => &user.name.nickname,
        F::DisplayName => &user.name.display,
        F::Birthdate => &user.birthdate,
        F::StreetAddress => &user.address.street_address,
        F::Locality => &user.address.locality,
        F::Region => &user.address.region,
        F::PostalCode => &user.address.postal_code,
        F::Country => &user.address.country,
        F::MobilePhone => &user.phones.mobile,
        F::PrimaryPhone => &user.phones.primary,
        F::EmployeeNumber => &user.employee_number,
        F::Id => &user.id,
        F::LastUpdated => &user.last_updated,
        F::Status | F::Custom => return None,
    };
    value.as_deref()
}

/// Issues of one field as `(code, source)` pairs, in report order.
fn issues_of(r: &NormalizedUser, field: CanonicalField) -> Vec<(IssueCode, Option<&str>)> {
    r.issues.iter().filter(|i| i.field == field).map(|i| (i.code, i.source.as_deref())).collect()
}

fn missing(field: CanonicalField) -> FieldIssue {
    FieldIssue { field, code: C::Missing, source: None }
}

fn custom_str(s: &str) -> CustomValue {
    CustomValue::Scalar(CustomScalar::String(s.to_owned()))
}

/// A realistic full profile: every default source filled with a valid value.
fn full_profile() -> Value {
    json!({
        "login": "ana.nunez@example.com",
        "email": "ana.nunez@example.com",
        "secondEmail": "ana@example.org",
        "firstName": "Ana",
        "lastName": "Núñez García",
        "middleName": "María",
        "honorificPrefix": "Dr.",
        "honorificSuffix": "PhD",
        "nickName": "Anita",
        "displayName": "Dr. Ana Núñez",
        "birthdate": "1990-04-03",
        "streetAddress": "Calle Mayor 1\n3º B",
        "city": "Madrid",
        "state": "Madrid",
        "zipCode": "28013",
        "countryCode": "es",
        "mobilePhone": "+34 600 000 000",
        "primaryPhone": "+34 910 000 000",
        "employeeNumber": "E-1001",
        "title": "Engineer",
        "department": "R&D",
    })
}

// ---------------------------------------------------------------------------------------------
// Input shapes
// ---------------------------------------------------------------------------------------------

#[test]
fn whole_user_object_and_bare_profile_read_the_same_attributes() {
    let profile = full_profile();
    let user_object = json!({
        "id": "00u118oQYT4TBTemp0g4",
        "status": "ACTIVE",
        "created": "2022-04-04T15:56:05.000Z",
        "activated": null,
        "lastLogin": "2022-05-04T19:50:52.000Z",
        "lastUpdated": "2022-05-05T18:15:44.000Z",
        "type": { "id": "oty1162QAr8hJjTaq0g4" },
        "profile": profile.clone(),
        "credentials": { "password": {}, "provider": { "type": "OKTA", "name": "OKTA" } },
        "_links": { "self": { "href": "https://acme.okta.com/api/v1/users/00u118oQYT4TBTemp0g4" } }
    });
    let whole = norm(&user_object);
    let bare = norm(&profile);

    assert_eq!(whole.user.id.as_deref(), Some("00u118oQYT4TBTemp0g4"));
    assert_eq!(whole.user.status, Some(UserStatus::Active));
    assert_eq!(whole.user.last_updated.as_deref(), Some("2022-05-05T18:15:44.000Z"));
    assert_eq!((bare.user.id.as_deref(), bare.user.status, bare.user.last_updated.as_deref()), (None, None, None));

    // Apart from the top-level properties, both readings agree exactly.
    let mut stripped = whole.clone();
    stripped.user.id = None;
    stripped.user.status = None;
    stripped.user.last_updated = None;
    assert_eq!(stripped, bare);
    assert!(whole.issues.is_empty(), "{:?}", whole.issues);

    // Top-level keys of the user object (credentials, _links, type…) are not profile attributes.
    let keys: Vec<&String> = whole.user.custom.keys().collect();
    assert_eq!(keys, ["birthdate"], "only non-base profile keys are custom");
}

#[test]
fn okta_documentation_sample_user() {
    let r = norm(&json!({
        "id": "00u118oQYT4TBTemp0g4",
        "status": "ACTIVE",
        "lastUpdated": "2022-05-05T18:15:44.000Z",
        "profile": { "login": "alice.smith@example.com", "email": "alice.smith@example.com",
                     "firstName": "Alice", "lastName": "Smith", "mobilePhone": null, "secondEmail": null },
    }));
    assert_eq!(r.user.login.as_deref(), Some("alice.smith@example.com"));
    assert_eq!(r.user.name.given.as_deref(), Some("Alice"));
    assert_eq!(r.user.name.family.as_deref(), Some("Smith"));
    assert!(r.user.custom.is_empty());
    let missing: BTreeSet<CanonicalField> = r.missing().collect();
    let filled = [F::Login, F::Email, F::GivenName, F::FamilyName];
    for (field, _, _) in MAPPED {
        assert_eq!(missing.contains(field), !filled.contains(field), "{field:?}");
    }
    // Only MISSING issues, one per empty field, in canonical field order.
    assert!(r.issues.iter().all(|i| i.code == C::Missing && i.source.is_none()));
    let order: Vec<CanonicalField> = r.issues.iter().map(|i| i.field).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn top_level_input_that_is_not_an_object_is_rejected() {
    for input in [json!([]), json!([{"firstName": "Ana"}]), json!("Ana"), json!(1), json!(true), json!(null)] {
        match normalize_user(&input, &AttributeMapping::default()) {
            Err(Error::InvalidProfile { path, .. }) => assert_eq!(path, "$", "{input}"),
            other => panic!("{input}: expected InvalidProfile at $, got {other:?}"),
        }
    }
}

#[test]
fn profile_that_is_not_an_object_is_rejected() {
    // `profile: null` is rejected too: a user object without a profile object is not a user.
    for profile in [json!("Ana"), json!(1), json!([]), json!([{"firstName": "Ana"}]), json!(false), json!(null)] {
        let input = json!({"id": "00u1", "status": "ACTIVE", "profile": profile});
        match normalize_user(&input, &AttributeMapping::default()) {
            Err(e @ Error::InvalidProfile { .. }) => {
                assert!(matches!(&e, Error::InvalidProfile { path, .. } if path == "profile"), "{e:?}");
                assert_eq!(e.code(), "INVALID_PROFILE");
            }
            other => panic!("{input}: expected InvalidProfile at profile, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Default mapping: every canonical field
// ---------------------------------------------------------------------------------------------

#[test]
fn default_mapping_fills_every_canonical_field() {
    // (Okta profile key, raw value, canonical field, expected value)
    let rows: &[(&str, Value, CanonicalField, &str)] = &[
        ("login", json!("ana.nunez@example.com"), F::Login, "ana.nunez@example.com"),
        ("email", json!(" Ana.Nunez@Example.com "), F::Email, "Ana.Nunez@Example.com"),
        ("secondEmail", json!("ana@example.org"), F::SecondEmail, "ana@example.org"),
        ("firstName", json!("  Ana  "), F::GivenName, "Ana"),
        ("lastName", json!("Núñez   García"), F::FamilyName, "Núñez García"),
        ("middleName", json!("María"), F::MiddleName, "María"),
        ("honorificPrefix", json!("Dr."), F::HonorificPrefix, "Dr."),
        ("honorificSuffix", json!("Jr."), F::HonorificSuffix, "Jr."),
        ("nickName", json!("Anita"), F::Nickname, "Anita"),
        ("displayName", json!("Dr. Ana Núñez"), F::DisplayName, "Dr. Ana Núñez"),
        ("birthdate", json!("1990-04-03"), F::Birthdate, "1990-04-03"),
        ("streetAddress", json!(" 12 Main St \r\n\r\n Apt 4 "), F::StreetAddress, "12 Main St\nApt 4"),
        ("city", json!("San Francisco"), F::Locality, "San Francisco"),
        ("state", json!("CA"), F::Region, "CA"),
        ("zipCode", json!("94105"), F::PostalCode, "94105"),
        ("countryCode", json!("us"), F::Country, "US"),
        ("mobilePhone", json!("+1 415 555 0100"), F::MobilePhone, "+1 415 555 0100"),
        ("primaryPhone", json!("(415) 555-0199"), F::PrimaryPhone, "(415) 555-0199"),
        ("employeeNumber", json!("E-1001"), F::EmployeeNumber, "E-1001"),
        ("employeeNumber", json!(12345), F::EmployeeNumber, "12345"),
    ];
    for (key, raw, field, want) in rows {
        let r = norm(&json!({ *key: raw }));
        assert_eq!(get(&r.user, *field), Some(*want), "{key} = {raw}");
        assert_eq!(r.sources.get(field).map(String::as_str), Some(format!("profile.{key}").as_str()));
        assert_eq!(r.sources.len(), 1, "{key}: only one field is filled");
        assert!(issues_of(&r, *field).is_empty(), "{key}: {:?}", r.issues);
        // Every other mapped field is reported missing, and nothing else is reported.
        assert_eq!(r.issues.len(), MAPPED.len() - 1, "{key}: {:?}", r.issues);
        assert!(r.issues.iter().all(|i| i.code == C::Missing));
    }

    // All together: nothing missing, nothing wrong.
    let r = norm(&full_profile());
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    assert_eq!(r.sources.len(), MAPPED.len());
    for (field, _, okta_key) in MAPPED {
        assert_eq!(r.sources[field], format!("profile.{okta_key}"));
    }
    assert_eq!(r.user.address.country.as_deref(), Some("ES"));
    assert_eq!(r.user.address.street_address.as_deref(), Some("Calle Mayor 1\n3º B"));
}

#[test]
fn employee_number_accepts_text_and_integers_only() {
    let cases: &[(Value, Result<&str, IssueCode>)] = &[
        (json!(12345), Ok("12345")),
        (json!(0), Ok("0")),
        (json!(-7), Ok("-7")),
        (json!(u64::MAX), Ok("18446744073709551615")),
        (json!(" 00123 "), Ok("00123")),
        (json!(1.5), Err(C::WrongType)),
        (json!(true), Err(C::WrongType)),
        (json!(["1"]), Err(C::WrongType)),
        (json!({"n": 1}), Err(C::WrongType)),
    ];
    for (raw, want) in cases {
        let r = norm(&json!({ "employeeNumber": raw }));
        match want {
            Ok(value) => {
                assert_eq!(r.user.employee_number.as_deref(), Some(*value), "{raw}");
                assert!(issues_of(&r, F::EmployeeNumber).is_empty());
            }
            Err(code) => {
                assert_eq!(r.user.employee_number, None, "{raw}");
                assert_eq!(
                    issues_of(&r, F::EmployeeNumber),
                    [(*code, Some("profile.employeeNumber")), (C::Missing, None)],
                    "{raw}"
                );
            }
        }
    }
}

#[test]
fn text_fields_reject_non_string_json_types() {
    for raw in [json!(42), json!(1.5), json!(true), json!(["Ana"]), json!({"value": "Ana"})] {
        let r = norm(&json!({ "firstName": raw, "countryCode": raw, "email": raw }));
        for (field, key) in [(F::GivenName, "firstName"), (F::Country, "countryCode"), (F::Email, "email")] {
            let source = format!("profile.{key}");
            assert_eq!(issues_of(&r, field), [(C::WrongType, Some(source.as_str())), (C::Missing, None)], "{raw}");
            assert_eq!(get(&r.user, field), None);
        }
    }
}

#[test]
fn country_codes_are_upper_cased_other_values_kept_as_written() {
    let cases = [
        ("us", "US"),
        ("Us", "US"),
        (" de ", "DE"),
        ("GB", "GB"),
        ("USA", "USA"),
        ("United States", "United States"),
        ("u1", "u1"),
        ("éé", "éé"),
    ];
    for (raw, want) in cases {
        let r = norm(&json!({ "countryCode": raw }));
        assert_eq!(r.user.address.country.as_deref(), Some(want), "{raw:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------

#[test]
fn mapping_sources_are_tried_in_order() {
    let doc = || json!({"givenName": ["profile.LegalFirstName", "firstName"]});
    // (profile, expected given name, expected source, expected GivenName issues)
    type Row = (Value, Option<&'static str>, Option<&'static str>, Vec<(IssueCode, Option<&'static str>)>);
    let rows: Vec<Row> = vec![
        (
            json!({"LegalFirstName": "Anastasia", "firstName": "Ana"}),
            Some("Anastasia"),
            Some("profile.LegalFirstName"),
            vec![],
        ),
        (json!({"firstName": "Ana"}), Some("Ana"), Some("profile.firstName"), vec![]),
        // Blank, whitespace-only and null first sources fall through silently.
        (json!({"LegalFirstName": null, "firstName": "Ana"}), Some("Ana"), Some("profile.firstName"), vec![]),
        (json!({"LegalFirstName": "", "firstName": "Ana"}), Some("Ana"), Some("profile.firstName"), vec![]),
        (json!({"LegalFirstName": " \t\n\u{a0}", "firstName": "Ana"}), Some("Ana"), Some("profile.firstName"), vec![]),
        // A wrong-type first source is reported with its path, then the next one is used.
        (
            json!({"LegalFirstName": 42, "firstName": "Ana"}),
            Some("Ana"),
            Some("profile.firstName"),
            vec![(C::WrongType, Some("profile.LegalFirstName"))],
        ),
        (
            json!({"LegalFirstName": ["Ana"], "firstName": "Ana"}),
            Some("Ana"),
            Some("profile.firstName"),
            vec![(C::WrongType, Some("profile.LegalFirstName"))],
        ),
        // Unusable values in every source: each is reported, then MISSING.
        (
            json!({"LegalFirstName": false, "firstName": {"v": 1}}),
            None,
            None,
            vec![
                (C::WrongType, Some("profile.LegalFirstName")),
                (C::WrongType, Some("profile.firstName")),
                (C::Missing, None),
            ],
        ),
        (json!({"LegalFirstName": "  ", "firstName": null}), None, None, vec![(C::Missing, None)]),
        // A too-long first source is not truncated and not used.
        (
            json!({"LegalFirstName": "A".repeat(257), "firstName": "Ana"}),
            Some("Ana"),
            Some("profile.firstName"),
            vec![(C::TooLong, Some("profile.LegalFirstName"))],
        ),
    ];
    for (profile, want, source, issues) in rows {
        let r = norm_with(&profile, doc());
        assert_eq!(r.user.name.given.as_deref(), want, "{profile}");
        assert_eq!(r.sources.get(&F::GivenName).map(String::as_str), source, "{profile}");
        assert_eq!(issues_of(&r, F::GivenName), issues, "{profile}");
    }
}

#[test]
fn profile_prefix_is_optional_and_reported_with_prefix() {
    let profile = json!({"LegalFirstName": "Anastasia", "dob": "1990-04-03"});
    let with = norm_with(&profile, json!({"givenName": "profile.LegalFirstName", "birthdate": ["profile.dob"]}));
    let without = norm_with(&profile, json!({"givenName": "LegalFirstName", "birthdate": ["dob"]}));
    assert_eq!(with, without);
    assert_eq!(with.sources[&F::GivenName], "profile.LegalFirstName");
    assert_eq!(with.sources[&F::Birthdate], "profile.dob");
    let bare = mapping(json!({"givenName": "LegalFirstName"}));
    let paths: Vec<&str> = bare.sources_of(F::GivenName).iter().map(|p| p.as_str()).collect();
    assert_eq!(paths, ["profile.LegalFirstName"]);
}

#[test]
fn mapping_replaces_defaults_only_for_the_fields_it_names() {
    let profile = json!({"firstName": "Ana", "LegalFirstName": "Anastasia", "lastName": "Núñez"});
    let r = norm_with(&profile, json!({"givenName": "LegalFirstName"}));
    assert_eq!(r.user.name.given.as_deref(), Some("Anastasia"));
    assert_eq!(r.user.name.family.as_deref(), Some("Núñez"), "other fields keep their defaults");
    // A named field no longer reads its default source.
    let r = norm_with(&json!({"firstName": "Ana"}), json!({"givenName": "LegalFirstName"}));
    assert_eq!(r.user.name.given, None);
    assert_eq!(issues_of(&r, F::GivenName), [(C::Missing, None)]);
}

#[test]
fn empty_source_list_turns_a_field_off() {
    let profile = json!({"nickName": "Anita", "firstName": "Ana"});
    let r = norm_with(&profile, json!({"nickname": [], "middleName": []}));
    assert_eq!(r.user.name.nickname, None, "an off field is not filled even when the default source holds a value");
    assert!(!r.sources.contains_key(&F::Nickname));
    assert!(issues_of(&r, F::Nickname).is_empty(), "an off field is not MISSING");
    assert!(issues_of(&r, F::MiddleName).is_empty(), "an off field is not MISSING");
    assert_eq!(r.user.name.given.as_deref(), Some("Ana"));
    assert!(!r.user.custom.contains_key("nickName"), "a base attribute stays out of custom even when unmapped");
}

#[test]
fn nested_source_paths_are_followed() {
    let profile = json!({"hr": {"dob": "1990-04-03", "name": {"legal": "Anastasia"}}});
    let r = norm_with(&profile, json!({"birthdate": "hr.dob", "givenName": "profile.hr.name.legal"}));
    assert_eq!(r.user.birthdate.as_deref(), Some("1990-04-03"));
    assert_eq!(r.user.name.given.as_deref(), Some("Anastasia"));
    assert_eq!(r.sources[&F::Birthdate], "profile.hr.dob");
    assert_eq!(r.sources[&F::GivenName], "profile.hr.name.legal");
    // The object itself is still not a valid custom attribute value.
    assert_eq!(issues_of(&r, F::Custom), [(C::WrongType, Some("profile.hr"))]);
    // A path through a non-object is simply absent.
    let r = norm_with(&json!({"hr": "x"}), json!({"birthdate": "hr.dob"}));
    assert_eq!(issues_of(&r, F::Birthdate), [(C::Missing, None)]);
}

#[test]
fn invalid_mappings_are_errors_naming_the_place() {
    let cases = [
        (json!(["firstName"]), "$"),
        (json!({"firstName": "firstName"}), "firstName"),
        (json!({"givenName": 1}), "givenName"),
        (json!({"givenName": ["a", null]}), "givenName[1]"),
        (json!({"givenName": "profile."}), "givenName[0]"),
        (json!({"birthdateOrder": "DMY"}), "birthdateOrder"),
    ];
    for (doc, want) in cases {
        match AttributeMapping::from_json(&doc) {
            Err(e @ Error::InvalidMapping { .. }) => {
                assert!(matches!(&e, Error::InvalidMapping { path, .. } if path == want), "{doc}: {e:?}");
                assert_eq!(e.code(), "INVALID_MAPPING");
            }
            other => panic!("{doc}: expected InvalidMapping, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Birthdate
// ---------------------------------------------------------------------------------------------

#[test]
fn birthdate_default_candidates_in_priority_order() {
    for key in BIRTHDATE_KEYS {
        let r = norm(&json!({ *key: "1990-04-03" }));
        assert_eq!(r.user.birthdate.as_deref(), Some("1990-04-03"), "{key}");
        assert_eq!(r.sources[&F::Birthdate], format!("profile.{key}"));
        // Date custom attributes are still custom attributes, kept as written.
        assert_eq!(r.user.custom.get(*key), Some(&custom_str("1990-04-03")));
    }
    // Earlier candidates win over later ones.
    for (i, winner) in BIRTHDATE_KEYS.iter().enumerate() {
        let mut profile = serde_json::Map::new();
        for (j, key) in BIRTHDATE_KEYS.iter().enumerate().skip(i) {
            profile.insert((*key).to_owned(), json!(format!("199{j}-01-01")));
        }
        let r = norm(&Value::Object(profile));
        assert_eq!(r.sources[&F::Birthdate], format!("profile.{winner}"));
        assert_eq!(r.user.birthdate, Some(format!("199{i}-01-01")));
    }
    // A source with an unusable date is reported, then the next candidate is tried.
    let r = norm(&json!({"birthdate": "03/04/1990", "dob": "1990-04-03"}));
    assert_eq!(r.user.birthdate.as_deref(), Some("1990-04-03"));
    assert_eq!(r.sources[&F::Birthdate], "profile.dob");
    assert_eq!(issues_of(&r, F::Birthdate), [(C::AmbiguousDate, Some("profile.birthdate"))]);
}

#[test]
fn birthdate_forms_and_issue_codes() {
    let cases: &[(Value, Result<&str, IssueCode>)] = &[
        (json!("1990-04-03"), Ok("1990-04-03")),
        (json!(" 1990-04-03 "), Ok("1990-04-03")),
        (json!("19900403"), Ok("1990-04-03")),
        (json!("1990-04-03T00:00:00.000Z"), Ok("1990-04-03")),
        (json!("1990-04-03T23:30:00-05:00"), Ok("1990-04-03")),
        (json!("3 April 1990"), Ok("1990-04-03")),
        (json!("April 3rd, 1990"), Ok("1990-04-03")),
        (json!("13/04/1990"), Ok("1990-04-13")),
        (json!("04/13/1990"), Ok("1990-04-13")),
        (json!("05/05/1990"), Ok("1990-05-05")),
        (json!("2000-02-29"), Ok("2000-02-29")),
        (json!("03/04/1990"), Err(C::AmbiguousDate)),
        (json!("1.2.1990"), Err(C::AmbiguousDate)),
        (json!("not a date"), Err(C::InvalidDate)),
        (json!("03/04/90"), Err(C::InvalidDate)),
        (json!("1990-04-03T25"), Err(C::InvalidDate)),
        (json!("１９９０-０４-０３"), Err(C::InvalidDate)),
        (json!("1990-02-30"), Err(C::NotACalendarDay)),
        (json!("29/02/2023"), Err(C::NotACalendarDay)),
        (json!("31 Apr 1990"), Err(C::NotACalendarDay)),
        (json!("1799-12-31"), Err(C::NotACalendarDay)),
        (json!(19_900_403), Err(C::WrongType)),
        (json!(true), Err(C::WrongType)),
        (json!("x".repeat(65)), Err(C::TooLong)),
        (json!("1990-04-03\u{0}"), Err(C::ControlCharacters)),
    ];
    for (raw, want) in cases {
        let r = norm(&json!({ "birthdate": raw }));
        match want {
            Ok(iso) => {
                assert_eq!(r.user.birthdate.as_deref(), Some(*iso), "{raw}");
                assert!(issues_of(&r, F::Birthdate).is_empty(), "{raw}: {:?}", r.issues);
            }
            Err(code) => {
                assert_eq!(r.user.birthdate, None, "{raw}");
                assert_eq!(
                    issues_of(&r, F::Birthdate),
                    [(*code, Some("profile.birthdate")), (C::Missing, None)],
                    "{raw}"
                );
            }
        }
    }
}

#[test]
fn birthdate_order_resolves_numeric_dates() {
    let cases: &[(&str, &str, Result<&str, IssueCode>)] = &[
        ("auto", "03/04/1990", Err(C::AmbiguousDate)),
        ("dmy", "03/04/1990", Ok("1990-04-03")),
        ("mdy", "03/04/1990", Ok("1990-03-04")),
        ("ymd", "03/04/1990", Err(C::InvalidDate)),
        ("dmy", "13/04/1990", Ok("1990-04-13")),
        ("mdy", "13/04/1990", Err(C::NotACalendarDay)),
        ("dmy", "1990-04-03", Ok("1990-04-03")),
        ("mdy", "3 Apr 1990", Ok("1990-04-03")),
    ];
    for (order, raw, want) in cases {
        let r = norm_with(&json!({"dob": raw}), json!({"birthdateOrder": order}));
        assert_eq!(r.user.birthdate.as_deref(), want.ok(), "{order} {raw}");
        if let Err(code) = want {
            assert_eq!(issues_of(&r, F::Birthdate), [(*code, Some("profile.dob")), (C::Missing, None)]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Absent, null and blank values
// ---------------------------------------------------------------------------------------------

#[test]
fn null_missing_and_blank_are_the_same() {
    let empty = norm(&json!({}));
    let all_missing: Vec<FieldIssue> = MAPPED.iter().map(|(field, _, _)| missing(*field)).collect();
    assert_eq!(empty.issues, all_missing);
    assert!(empty.sources.is_empty());
    assert_eq!(empty.user, DirectoryUser::default());

    let keys = MAPPED.iter().map(|(_, _, key)| *key).chain(BIRTHDATE_KEYS.iter().copied()).chain(["title"]);
    for key in keys {
        for blank in [json!(null), json!(""), json!("   "), json!("\t\r\n"), json!("\u{3000}\u{a0}\u{2003}")] {
            assert_eq!(norm(&json!({ key: blank })), empty, "{key} = {blank}");
        }
    }
    // The whole null profile at once equals the empty one.
    let nulls: serde_json::Map<String, Value> =
        BASE_ATTRIBUTES.iter().map(|k| ((*k).to_owned(), Value::Null)).collect();
    assert_eq!(norm(&Value::Object(nulls)), empty);

    // Top-level properties too.
    let a = norm(&json!({"id": null, "status": null, "lastUpdated": null, "profile": {"firstName": "Ana"}}));
    let b = norm(&json!({"profile": {"firstName": "Ana", "middleName": null}}));
    assert_eq!(a, b);
    assert_eq!(a.user.id, None);
}

// ---------------------------------------------------------------------------------------------
// Length, control characters, email
// ---------------------------------------------------------------------------------------------

#[test]
fn too_long_values_are_reported_not_truncated() {
    // (Okta key, field, limit in characters)
    let limits = [
        ("login", F::Login, 100),
        ("firstName", F::GivenName, 256),
        ("lastName", F::FamilyName, 256),
        ("honorificPrefix", F::HonorificPrefix, 64),
        ("city", F::Locality, 128),
        ("zipCode", F::PostalCode, 50),
        ("mobilePhone", F::MobilePhone, 100),
        ("streetAddress", F::StreetAddress, 1024),
        ("employeeNumber", F::EmployeeNumber, 256),
    ];
    for (key, field, limit) in limits {
        let fits = if key == "login" { format!("{}@x", "a".repeat(limit - 2)) } else { "é".repeat(limit) };
        let r = norm(&json!({ key: fits }));
        assert_eq!(get(&r.user, field), Some(fits.as_str()), "{key}: exactly {limit} characters fit");
        for over in ["a".repeat(limit + 1), "é".repeat(limit + 1), "x".repeat(200_000)] {
            let r = norm(&json!({ key: over }));
            assert_eq!(get(&r.user, field), None, "{key}: over the limit is not used");
            let source = format!("profile.{key}");
            assert_eq!(issues_of(&r, field), [(C::TooLong, Some(source.as_str())), (C::Missing, None)]);
        }
    }
}

#[test]
fn control_characters_are_reported() {
    for raw in ["Al\u{0}ice", "\u{1b}[31mAlice", "Alice\u{7}", "Ali\u{7f}ce", "Alice\u{85}", "A\u{9b}lice"] {
        let r = norm(&json!({ "firstName": raw, "streetAddress": raw, "nickName": "ok" }));
        assert_eq!(r.user.name.given, None, "{raw:?}");
        assert_eq!(
            issues_of(&r, F::GivenName),
            [(C::ControlCharacters, Some("profile.firstName")), (C::Missing, None)]
        );
        assert_eq!(
            issues_of(&r, F::StreetAddress),
            [(C::ControlCharacters, Some("profile.streetAddress")), (C::Missing, None)]
        );
        assert_eq!(r.user.name.nickname.as_deref(), Some("ok"));
    }
    // Tab and line breaks are whitespace, not control characters.
    let r = norm(&json!({"firstName": "Mary\tJane\r\n", "streetAddress": "1 Main St\r\nApt\t4"}));
    assert_eq!(r.user.name.given.as_deref(), Some("Mary Jane"));
    assert_eq!(r.user.address.street_address.as_deref(), Some("1 Main St\nApt 4"));
}

#[test]
fn emails_are_validated() {
    let valid = [
        ("alice@example.com", "alice@example.com"),
        ("  Alice.Smith+tag@Sub.Example.co.uk ", "Alice.Smith+tag@Sub.Example.co.uk"),
        ("a@b", "a@b"),
    ];
    for (raw, want) in valid {
        let r = norm(&json!({ "email": raw, "secondEmail": raw }));
        assert_eq!(r.user.email.as_deref(), Some(want), "{raw:?}");
        assert_eq!(r.user.second_email.as_deref(), Some(want), "{raw:?}");
    }
    let local_too_long = format!("{}@example.com", "a".repeat(65));
    let invalid = [
        "alice",
        "alice@",
        "@example.com",
        "alice@@example.com",
        "a@b@example.com",
        "alice smith@example.com",
        "alice@example..com",
        "alice@.example.com",
        "alice@example.com.",
        local_too_long.as_str(),
    ];
    for raw in invalid {
        let r = norm(&json!({ "email": raw, "secondEmail": raw }));
        assert_eq!((r.user.email.as_deref(), r.user.second_email.as_deref()), (None, None), "{raw:?}");
        assert_eq!(issues_of(&r, F::Email), [(C::InvalidEmail, Some("profile.email")), (C::Missing, None)]);
        assert_eq!(issues_of(&r, F::SecondEmail), [(C::InvalidEmail, Some("profile.secondEmail")), (C::Missing, None)]);
    }
    // An invalid first source falls through to a valid second one.
    let r =
        norm_with(&json!({"workEmail": "nope", "email": "ana@example.com"}), json!({"email": ["workEmail", "email"]}));
    assert_eq!(r.user.email.as_deref(), Some("ana@example.com"));
    assert_eq!(issues_of(&r, F::Email), [(C::InvalidEmail, Some("profile.workEmail"))]);
}

// ---------------------------------------------------------------------------------------------
// Top-level properties
// ---------------------------------------------------------------------------------------------

fn top_level(props: Value) -> NormalizedUser {
    let mut object = props.as_object().cloned().expect("object fixture");
    object.insert("profile".into(), json!({"firstName": "Ana"}));
    norm(&Value::Object(object))
}

#[test]
fn status_known_unknown_and_wrong_type() {
    for (status, name) in UserStatus::ALL {
        let r = top_level(json!({ "status": name }));
        assert_eq!(r.user.status, Some(status), "{name}");
        assert!(issues_of(&r, F::Status).is_empty());
        assert_eq!(UserStatus::from_okta(name), Some(status));
        assert_eq!(status.as_okta(), name);
    }
    for (raw, code) in [
        (json!("active"), C::UnknownStatus),
        (json!("DELETED"), C::UnknownStatus),
        (json!(" ACTIVE"), C::UnknownStatus),
        (json!(""), C::UnknownStatus),
        (json!(1), C::WrongType),
        (json!(["ACTIVE"]), C::WrongType),
        (json!({"value": "ACTIVE"}), C::WrongType),
    ] {
        let r = top_level(json!({ "status": raw }));
        assert_eq!(r.user.status, None, "{raw}");
        assert_eq!(issues_of(&r, F::Status), [(code, None)], "{raw}");
    }
}

#[test]
fn ids_with_characters_okta_never_uses_are_rejected() {
    let (max_len, too_long) = ("a".repeat(64), "a".repeat(65));
    for id in ["00u118oQYT4TBTemp0g4", "00u1", "a_b-C", max_len.as_str()] {
        let r = top_level(json!({ "id": id }));
        assert_eq!(r.user.id.as_deref(), Some(id));
        assert!(issues_of(&r, F::Id).is_empty());
    }
    for id in
        ["", "00u/../admin", "00u 1", "00u1?x=1", "00u%2F", "00u1\u{0}", "00ü1", "00u\u{200b}1", too_long.as_str()]
    {
        let r = top_level(json!({ "id": id }));
        assert_eq!(r.user.id, None, "{id:?}");
        assert_eq!(issues_of(&r, F::Id), [(C::InvalidId, None)], "{id:?}");
    }
    for raw in [json!(42), json!(true), json!(["00u1"])] {
        assert_eq!(issues_of(&top_level(json!({ "id": raw })), F::Id), [(C::WrongType, None)], "{raw}");
    }
}

#[test]
fn last_updated_must_be_an_okta_utc_timestamp() {
    for ts in
        ["2022-05-05T18:15:44.000Z", "2022-05-05T18:15:44Z", "2022-05-05T23:59:60.123456Z", "2000-02-29T00:00:00Z"]
    {
        let r = top_level(json!({ "lastUpdated": ts }));
        assert_eq!(r.user.last_updated.as_deref(), Some(ts));
        assert!(issues_of(&r, F::LastUpdated).is_empty(), "{ts}");
    }
    let invalid = [
        "",
        "yesterday",
        "2022-05-05",
        "2022-05-05T18:15:44",
        "2022-05-05T18:15:44+00:00",
        "2022-05-05 18:15:44Z",
        "2022-13-05T18:15:44Z",
        "2023-02-29T18:15:44Z",
        "2022-05-05T24:00:00Z",
        "2022-05-05T18:60:00Z",
        "2022-05-05T18:15:44.Z",
        "2022/05/05T18:15:44Z",
        "２０２２-05-05T18:15:44Z",
        "2022-05-05Té5:44.000Z",
        "2022-05-05T1é:44:00.000Z",
        "2022-05-05T18:15:44.0000000000000000Z",
    ];
    for ts in invalid {
        let r = top_level(json!({ "lastUpdated": ts }));
        assert_eq!(r.user.last_updated, None, "{ts:?}");
        assert_eq!(issues_of(&r, F::LastUpdated), [(C::InvalidTimestamp, None)], "{ts:?}");
    }
    let r = top_level(json!({"lastUpdated": 1_651_774_544}));
    assert_eq!(issues_of(&r, F::LastUpdated), [(C::WrongType, None)]);
}

// ---------------------------------------------------------------------------------------------
// Custom attributes
// ---------------------------------------------------------------------------------------------

#[test]
fn custom_attributes_are_kept_and_cleaned() {
    let r = norm(&json!({
        "firstName": "Ana",
        "costCenter": "CC-1",
        "department": "R&D",
        "title": "Engineer",
        "nfd": "  Jose\u{301}   Luis ",
        "multiline": " line 1 \r\n\r\n line  2 ",
        "integer": 42,
        "negative": -3,
        "float": 1.5,
        "flag": true,
        "off": false,
        "list": ["a", 1, true, null, " b "],
        "nullValue": null,
        "emptyString": "",
        "blankString": "   ",
        "emptyList": [],
        "nullList": [null, null],
        "nested": {"a": 1},
        "listOfLists": [[1]],
        "listOfObjects": [{"a": 1}],
        "control": "x\u{0}y",
        "longString": "a".repeat(MAX_CUSTOM_CHARS + 1),
        "maxString": "é".repeat(MAX_CUSTOM_CHARS),
    }));
    let s = |v: &str| CustomScalar::String(v.to_owned());
    let want = [
        ("flag", CustomValue::Scalar(CustomScalar::Boolean(true))),
        ("float", CustomValue::Scalar(CustomScalar::Number(1.5))),
        ("integer", CustomValue::Scalar(CustomScalar::Number(42.0))),
        ("list", CustomValue::List(vec![s("a"), CustomScalar::Number(1.0), CustomScalar::Boolean(true), s("b")])),
        ("maxString", custom_str(&"é".repeat(MAX_CUSTOM_CHARS))),
        ("multiline", custom_str("line 1\nline 2")),
        ("negative", CustomValue::Scalar(CustomScalar::Number(-3.0))),
        ("nfd", custom_str("José Luis")),
        ("off", CustomValue::Scalar(CustomScalar::Boolean(false))),
    ];
    let got: Vec<(&str, &CustomValue)> = r.user.custom.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let want: Vec<(&str, &CustomValue)> = want.iter().map(|(k, v)| (*k, v)).collect();
    assert_eq!(got, want);

    let mut custom_issues: Vec<(IssueCode, Option<&str>)> = issues_of(&r, F::Custom);
    custom_issues.sort_by_key(|(_, source)| source.map(str::to_owned));
    assert_eq!(
        custom_issues,
        [
            (C::ControlCharacters, Some("profile.control")),
            (C::WrongType, Some("profile.listOfLists")),
            (C::WrongType, Some("profile.listOfObjects")),
            (C::TooLong, Some("profile.longString")),
            (C::WrongType, Some("profile.nested")),
        ]
    );
}

#[test]
fn base_attributes_are_never_custom() {
    let profile: serde_json::Map<String, Value> =
        BASE_ATTRIBUTES.iter().map(|k| ((*k).to_owned(), json!(format!("value of {k}")))).collect();
    let r = norm(&Value::Object(profile));
    assert!(r.user.custom.is_empty(), "{:?}", r.user.custom.keys().collect::<Vec<_>>());
    assert!(issues_of(&r, F::Custom).is_empty());
    // Near-misses of base names are custom: names are case-sensitive.
    let r = norm(&json!({"Title": "x", "firstname": "y", "Department": "z"}));
    let keys: Vec<&str> = r.user.custom.keys().map(String::as_str).collect();
    assert_eq!(keys, ["Department", "Title", "firstname"]);
}

#[test]
fn too_many_custom_attributes() {
    let profile = |n: usize| -> Value {
        let mut map: serde_json::Map<String, Value> = (0..n).map(|i| (format!("attr{i:04}"), json!(i))).collect();
        for key in BASE_ATTRIBUTES {
            map.insert((*key).to_owned(), json!("x"));
        }
        Value::Object(map)
    };
    let r = norm(&profile(MAX_CUSTOM_ATTRIBUTES));
    assert_eq!(r.user.custom.len(), MAX_CUSTOM_ATTRIBUTES, "base attributes do not count");
    assert!(issues_of(&r, F::Custom).is_empty());

    let r = norm(&profile(MAX_CUSTOM_ATTRIBUTES + 50));
    assert_eq!(r.user.custom.len(), MAX_CUSTOM_ATTRIBUTES);
    assert_eq!(issues_of(&r, F::Custom), [(C::TooManyAttributes, Some("profile"))]);
}

// ---------------------------------------------------------------------------------------------
// JSON text input
// ---------------------------------------------------------------------------------------------

#[test]
fn json_text_input_matches_value_input() {
    let value = json!({"id": "00u1", "status": "LOCKED_OUT", "profile": full_profile()});
    let from_text = normalize_user_json(&value.to_string(), &AttributeMapping::default()).expect("valid");
    assert_eq!(from_text, norm(&value));
    let r = normalize_user_json(r#"{"firstName":" Ana ","lastName":"Núñez"}"#, &AttributeMapping::default());
    assert_eq!(r.expect("valid").user.name.given.as_deref(), Some("Ana"));
}

#[test]
fn invalid_json_is_an_error_that_does_not_echo_the_input() {
    let secret = "sk_live_S3CR3T-hunter2-4f9a";
    let inputs = [
        String::new(),
        "{".into(),
        format!(r#"{{"password": "{secret}""#),
        format!(r#"{{"firstName": "Ana", "token": "{secret}",}}"#),
        format!(r#"{{"a": 1}} {secret}"#),
        secret.to_owned(),
        format!(r#"{{"{secret}": }}"#),
        "{'firstName': 'Ana'}".into(),
        "[1, 2".into(),
        "\u{feff}{}".into(),
    ];
    for text in inputs {
        match normalize_user_json(&text, &AttributeMapping::default()) {
            Err(e @ Error::InvalidJson { .. }) => {
                let message = e.to_string();
                let debug = format!("{e:?}");
                for shown in [&message, &debug] {
                    assert!(!shown.contains("S3CR3T") && !shown.contains("hunter2"), "{shown}");
                }
                assert_eq!(e.code(), "INVALID_JSON");
                let Error::InvalidJson { position } = &e else { unreachable!() };
                assert!(position.starts_with("line ") && position.contains(" column "), "{position}");
            }
            other => panic!("{text:?}: expected InvalidJson, got {other:?}"),
        }
    }
    // Nesting beyond the parser's recursion limit is an error, not a stack overflow.
    for text in ["[".repeat(100_000), format!("{}1{}", r#"{"a":"#.repeat(200), "}".repeat(200))] {
        assert!(matches!(normalize_user_json(&text, &AttributeMapping::default()), Err(Error::InvalidJson { .. })));
    }
    // Valid JSON that is not an object is a profile error, not a JSON error.
    for text in ["[1, 2]", "\"Ana\"", "null", "42"] {
        let r = normalize_user_json(text, &AttributeMapping::default());
        assert!(matches!(r, Err(Error::InvalidProfile { ref path, .. }) if path == "$"), "{text}: {r:?}");
    }
    let r = normalize_user_json(r#"{"profile": "Ana"}"#, &AttributeMapping::default());
    assert!(matches!(r, Err(Error::InvalidProfile { ref path, .. }) if path == "profile"), "{r:?}");
}

#[test]
fn input_size_limit() {
    let body = r#"{"firstName":"Ana"}"#;
    let exactly = format!("{body}{}", " ".repeat(MAX_INPUT_BYTES - body.len()));
    assert_eq!(exactly.len(), MAX_INPUT_BYTES);
    let r = normalize_user_json(&exactly, &AttributeMapping::default()).expect("at the limit is accepted");
    assert_eq!(r.user.name.given.as_deref(), Some("Ana"));

    let over = format!("{exactly} ");
    match normalize_user_json(&over, &AttributeMapping::default()) {
        Err(e @ Error::InputTooLarge { .. }) => {
            assert!(matches!(e, Error::InputTooLarge { limit, .. } if limit == MAX_INPUT_BYTES));
            assert_eq!(e.code(), "INPUT_TOO_LARGE");
        }
        other => panic!("expected InputTooLarge, got {other:?}"),
    }
    // The limit is checked before parsing: oversized garbage is too large, not invalid.
    let garbage = "x".repeat(MAX_INPUT_BYTES + 1);
    assert!(matches!(normalize_user_json(&garbage, &AttributeMapping::default()), Err(Error::InputTooLarge { .. })));
}

// ---------------------------------------------------------------------------------------------
// Unicode
// ---------------------------------------------------------------------------------------------

#[test]
fn unicode_is_nfc_normalized_and_invisible_characters_are_kept() {
    let cases = [
        ("Jose\u{301}", "Jos\u{e9}"),
        ("Mu\u{308}ller", "M\u{fc}ller"),
        ("\u{1100}\u{1161}\u{11a8}", "\u{ac01}"),
        ("ALICE", "ALICE"),
        ("Mary\u{3000}Jane", "Mary Jane"),
        ("Mary\u{a0}\u{a0}Jane", "Mary Jane"),
        // Zero-width and bidi characters are kept: the matcher needs to see them.
        ("Al\u{200b}ice", "Al\u{200b}ice"),
        ("\u{200d}Alice", "\u{200d}Alice"),
        ("\u{feff}Alice", "\u{feff}Alice"),
        ("\u{202e}ecilA", "\u{202e}ecilA"),
        ("Alice\u{2066}x\u{2069}", "Alice\u{2066}x\u{2069}"),
        ("👩\u{200d}💻 Ana", "👩\u{200d}💻 Ana"),
    ];
    for (raw, want) in cases {
        let r = norm(&json!({ "firstName": raw, "nfdCustom": raw }));
        assert_eq!(r.user.name.given.as_deref(), Some(want), "{raw:?}");
        assert_eq!(r.user.custom.get("nfdCustom"), Some(&custom_str(want)), "{raw:?}");
    }
    // An invisible character is not whitespace: a value made only of it is not blank.
    let r = norm(&json!({ "firstName": "\u{200b}" }));
    assert_eq!(r.user.name.given.as_deref(), Some("\u{200b}"));
}

// ---------------------------------------------------------------------------------------------
// Serde
// ---------------------------------------------------------------------------------------------

fn rich_result() -> NormalizedUser {
    norm(&json!({
        "id": "00u118oQYT4TBTemp0g4",
        "status": "LOCKED_OUT",
        "lastUpdated": "2022-05-05T18:15:44.000Z",
        "profile": {
            "login": "ana@example.com",
            "email": "not-an-email",
            "secondEmail": "ana@example.org",
            "firstName": "Jose\u{301}",
            "honorificPrefix": "Dr.",
            "birthdate": "03/04/1990",
            "zipCode": "94105",
            "countryCode": "us",
            "employeeNumber": 42,
            "score": 9.5,
            "tags": ["a", 2, false],
            "nested": {"x": 1},
        }
    }))
}

#[test]
fn serde_round_trip() {
    for r in [rich_result(), norm(&full_profile()), norm(&json!({})), NormalizedUser::default()] {
        let text = serde_json::to_string(&r).expect("serializes");
        let back: NormalizedUser = serde_json::from_str(&text).expect("deserializes");
        assert_eq!(back, r, "{text}");
        let value = serde_json::to_value(&r).expect("serializes");
        let back: NormalizedUser = serde_json::from_value(value).expect("deserializes");
        assert_eq!(back, r);
    }
}

#[test]
fn json_field_names_are_camel_case() {
    let v = serde_json::to_value(rich_result()).expect("serializes");
    let user = &v["user"];
    assert_eq!(user["id"], "00u118oQYT4TBTemp0g4");
    assert_eq!(user["status"], "LOCKED_OUT");
    assert_eq!(user["lastUpdated"], "2022-05-05T18:15:44.000Z");
    assert_eq!(user["secondEmail"], "ana@example.org");
    assert_eq!(user["employeeNumber"], "42");
    assert_eq!(user["name"]["given"], "José");
    assert_eq!(user["name"]["honorificPrefix"], "Dr.");
    assert_eq!(user["address"]["postalCode"], "94105");
    assert_eq!(user["address"]["country"], "US");
    assert_eq!(user["custom"]["score"], 9.5);
    assert_eq!(user["custom"]["tags"], json!(["a", 2.0, false]));
    // Empty optional fields are omitted rather than null.
    assert!(user.get("email").is_none() && user.get("birthdate").is_none() && user["name"].get("middle").is_none());
    assert_eq!(v["sources"]["givenName"], "profile.firstName");
    assert_eq!(v["sources"]["postalCode"], "profile.zipCode");
    let issues = v["issues"].as_array().expect("array");
    assert!(issues.contains(&json!({"field": "email", "code": "INVALID_EMAIL", "source": "profile.email"})));
    assert!(issues.contains(&json!({"field": "email", "code": "MISSING"})));
    assert!(issues.contains(&json!({"field": "birthdate", "code": "AMBIGUOUS_DATE", "source": "profile.birthdate"})));
    assert!(issues.contains(&json!({"field": "custom", "code": "WRONG_TYPE", "source": "profile.nested"})));
    assert!(issues.contains(&json!({"field": "middleName", "code": "MISSING"})));

    let codes = [
        (C::Missing, "MISSING"),
        (C::WrongType, "WRONG_TYPE"),
        (C::TooLong, "TOO_LONG"),
        (C::ControlCharacters, "CONTROL_CHARACTERS"),
        (C::InvalidDate, "INVALID_DATE"),
        (C::NotACalendarDay, "NOT_A_CALENDAR_DAY"),
        (C::AmbiguousDate, "AMBIGUOUS_DATE"),
        (C::InvalidEmail, "INVALID_EMAIL"),
        (C::InvalidId, "INVALID_ID"),
        (C::UnknownStatus, "UNKNOWN_STATUS"),
        (C::InvalidTimestamp, "INVALID_TIMESTAMP"),
        (C::TooManyAttributes, "TOO_MANY_ATTRIBUTES"),
        (C::InvalidText, "INVALID_TEXT"),
    ];
    for (code, name) in codes {
        assert_eq!(serde_json::to_value(code).expect("serializes"), name);
    }
    for (status, name) in UserStatus::ALL {
        assert_eq!(serde_json::to_value(status).expect("serializes"), name);
    }
    let fields =
        [(F::Id, "id"), (F::LastUpdated, "lastUpdated"), (F::SecondEmail, "secondEmail"), (F::Custom, "custom")];
    for (field, name) in fields {
        assert_eq!(serde_json::to_value(field).expect("serializes"), name);
    }
    for (field, key, _) in MAPPED {
        assert_eq!(serde_json::to_value(field).expect("serializes"), *key, "mapping keys equal serialized field names");
    }
}

// ---------------------------------------------------------------------------------------------
// Known bugs
// ---------------------------------------------------------------------------------------------

/// `clean_value` rejects raw strings longer than 4 bytes per allowed character *before* trimming and
/// NFC, on the premise that cleaning cannot shrink a value that much. It can: trimming/collapsing
/// whitespace and NFC composition both shrink. Values whose cleaned form is well within the limit are
/// reported TOO_LONG, contradicting `CleanError::TooLong` ("longer than the limit … after NFC").
#[test]
fn values_that_fit_after_cleaning_are_not_too_long() {
    // A ZIP code padded to a fixed-width column (CHAR(255) exports from HR systems, AD imports).
    let padded_zip = format!("94105{}", " ".repeat(250));
    // A Korean given name stored decomposed (NFD, as macOS produces): 3 jamo × 3 bytes per syllable.
    let nfd_hangul = "\u{1100}\u{1161}\u{11a8}".repeat(120); // NFC: 120 characters, limit 256
    let r = norm(&json!({ "zipCode": padded_zip, "firstName": nfd_hangul }));
    assert_eq!(r.user.address.postal_code.as_deref(), Some("94105"), "{:?}", r.issues);
    assert_eq!(r.user.name.given.as_deref().map(|s| s.chars().count()), Some(120), "{:?}", r.issues);
}

/// Custom numbers are stored as `f64` and serialized as e.g. `7401018993637015.0`, but `serde_json` is
/// built without its `float_roundtrip` feature, so parsing that text back may land one ULP off. Even a
/// 16-digit integer that is exact in f64 (below 2^53, a JavaScript safe integer) changes:
/// 7401018993637015 comes back as 7401018993637014. A `NormalizedUser` does not survive a JSON text round
/// trip. Fix: enable `serde_json/float_roundtrip` in Cargo.toml (verified to fix it).
#[test]
fn custom_numbers_survive_a_json_text_round_trip() {
    let r = norm(&json!({"badgeNumber": 7_401_018_993_637_015_u64, "bigInteger": 16_679_961_579_883_806_606_u64}));
    assert_eq!(r.user.custom["badgeNumber"], CustomValue::Scalar(CustomScalar::Number(7_401_018_993_637_015.0)));
    let text = serde_json::to_string(&r).expect("serializes");
    let back: NormalizedUser = serde_json::from_str(&text).expect("deserializes");
    assert_eq!(back.user.custom, r.user.custom, "{text}");
}

// ---------------------------------------------------------------------------------------------
// No-panic property test
// ---------------------------------------------------------------------------------------------

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() >> 33).expect("31 bits fit") % n.max(1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Keys that are valid source-path segments (no dots, no whitespace).
const PATH_KEYS: &[&str] = &[
    "login",
    "email",
    "secondEmail",
    "firstName",
    "lastName",
    "middleName",
    "nickName",
    "displayName",
    "honorificPrefix",
    "city",
    "state",
    "zipCode",
    "countryCode",
    "mobilePhone",
    "primaryPhone",
    "streetAddress",
    "employeeNumber",
    "title",
    "department",
    "birthdate",
    "birthDate",
    "dateOfBirth",
    "DateOfBirth",
    "dob",
    "LegalFirstName",
    "profile",
    "id",
    "status",
    "lastUpdated",
    "custom1",
    "nested",
    "Ünïcödé",
    "日本語",
];

/// Fragments random strings are built from.
const FRAGMENTS: &[&str] = &[
    "Ana",
    "José",
    "Jose\u{301}",
    "\u{1100}\u{1161}\u{11a8}",
    "Müller",
    "O'Brien",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\u{a0}",
    "\u{3000}",
    "\u{200b}",
    "\u{200d}",
    "\u{202e}",
    "\u{feff}",
    "\u{0}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "@",
    ".",
    "example.com",
    "a@b.c",
    "1990",
    "-04-",
    "03",
    "/",
    "1990-04-03",
    "03/04/1990",
    "13/04/1990",
    "1990-04-03T00:00:00.000Z",
    "2022-05-05T18:15:44.000Z",
    "3 April 1990",
    "us",
    "ACTIVE",
    "LOCKED_OUT",
    "00u118oQYT4TBTemp0g4",
    "👩\u{200d}💻",
    "١٩٩٠",
    "\u{fffd}",
    "\"",
    "\\",
];

fn random_string(rng: &mut Rng) -> String {
    match rng.below(20) {
        // A huge string now and then: over every field limit and over MAX_CUSTOM_CHARS.
        0 => rng.pick(&["a", "é", " ", "\u{200b}", "Jose\u{301} "]).repeat(1 + rng.below(6000)),
        1 => String::new(),
        _ => (0..rng.below(6)).map(|_| *rng.pick(FRAGMENTS)).collect(),
    }
}

fn random_key(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=6 => (*rng.pick(PATH_KEYS)).to_owned(),
        7 => (*rng.pick(BASE_ATTRIBUTES)).to_owned(),
        8 => format!("k{}", rng.below(400)),
        _ => random_string(rng).chars().take(200).collect(),
    }
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    let kinds = if depth >= 6 { 5 } else { 8 };
    match rng.below(kinds) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => match rng.below(4) {
            // Any u64, including values above 2^53 that f64 cannot hold exactly.
            0 => json!(rng.next()),
            // Negative integers, as i64.
            1 => json!(-i64::try_from(rng.below(1 << 30)).expect("fits")),
            // Dyadic fractions: exact in binary, so JSON text round trips are exact.
            2 => json!(f64::from(u32::try_from(rng.below(1 << 20)).expect("fits")) / 4.0 - 1000.0),
            _ => json!(rng.below(100_000_000)),
        },
        3 | 4 => Value::String(random_string(rng)),
        5 => Value::Array((0..rng.below(5)).map(|_| random_value(rng, depth + 1)).collect()),
        _ => random_object(rng, depth + 1, 8),
    }
}

fn random_object(rng: &mut Rng, depth: usize, max_len: usize) -> Value {
    let mut map = serde_json::Map::new();
    for _ in 0..rng.below(max_len + 1) {
        let key = random_key(rng);
        let value = random_value(rng, depth);
        map.insert(key, value);
    }
    Value::Object(map)
}

fn random_input(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => random_value(rng, 4),
        1..=4 => random_object(rng, 1, 24),
        _ => {
            let mut top = random_object(rng, 1, 4);
            let object = top.as_object_mut().expect("object");
            if rng.chance(60) {
                object.insert("id".into(), json!(rng.pick(&["00u118oQYT4TBTemp0g4", "00u/../x", ""])));
            }
            if rng.chance(60) {
                object.insert("status".into(), json!(rng.pick(&["ACTIVE", "LOCKED_OUT", "active", "?"])));
            }
            if rng.chance(60) {
                object.insert("lastUpdated".into(), Value::String(random_string(rng)));
            }
            let profile = if rng.chance(95) { random_object(rng, 1, 24) } else { random_value(rng, 4) };
            object.insert("profile".into(), profile);
            top
        }
    }
}

fn random_mapping(rng: &mut Rng) -> AttributeMapping {
    let mut doc = serde_json::Map::new();
    for (_, key, _) in MAPPED {
        if rng.chance(50) {
            continue;
        }
        let paths: Vec<Value> = (0..rng.below(4))
            .map(|_| {
                let segments: Vec<&str> = (0..1 + rng.below(3) / 2).map(|_| *rng.pick(PATH_KEYS)).collect();
                let prefix = if rng.chance(50) { "profile." } else { "" };
                Value::String(format!("{prefix}{}", segments.join(".")))
            })
            .collect();
        doc.insert((*key).to_owned(), Value::Array(paths));
    }
    if rng.chance(50) {
        doc.insert("birthdateOrder".into(), json!(rng.pick(&["auto", "mdy", "dmy", "ymd"])));
    }
    let doc = Value::Object(doc);
    AttributeMapping::from_json(&doc).unwrap_or_else(|e| panic!("generated mapping {doc}: {e}"))
}

/// The invariants every successful result must satisfy.
fn check_invariants(input: &Value, mapping: &AttributeMapping, r: &NormalizedUser) {
    let context = || format!("input {input}");
    for (field, source) in &r.sources {
        let value = get(&r.user, *field);
        assert!(value.is_some_and(|v| !v.is_empty()), "source {source} for empty {field:?}; {}", context());
        let candidates: Vec<&str> = mapping.sources_of(*field).iter().map(|p| p.as_str()).collect();
        assert!(candidates.contains(&source.as_str()), "{field:?} from {source}, not in {candidates:?}");
    }
    for issue in &r.issues {
        match (issue.code, issue.field) {
            (C::Missing, field) => {
                assert_eq!(get(&r.user, field), None, "MISSING {field:?} but filled; {}", context());
                assert!(!r.sources.contains_key(&field));
                assert_eq!(issue.source, None);
            }
            (_, F::Id | F::Status | F::LastUpdated) => assert_eq!(issue.source, None),
            (C::TooLong | C::WrongType | C::ControlCharacters | C::InvalidText | C::TooManyAttributes, F::Custom) => {
                assert!(issue.source.as_deref().is_some_and(|s| s.starts_with("profile")), "{issue:?}");
            }
            (_, field) => {
                let candidates: Vec<&str> = mapping.sources_of(field).iter().map(|p| p.as_str()).collect();
                let source = issue.source.as_deref().unwrap_or_default();
                assert!(candidates.contains(&source), "{issue:?} not from {candidates:?}; {}", context());
            }
        }
    }
    // Every mapped field is either filled or MISSING, unless the mapping turned it off.
    let missing: BTreeSet<CanonicalField> = r.missing().collect();
    for (field, _, _) in MAPPED {
        let on = !mapping.sources_of(*field).is_empty();
        let filled = r.sources.contains_key(field);
        assert_eq!((filled || missing.contains(field)), on, "{field:?}; {}", context());
        assert!(!(filled && missing.contains(field)));
        assert_eq!(filled, get(&r.user, *field).is_some(), "{field:?}: filled without a source");
    }
    // Filled values are clean.
    for (field, _, _) in MAPPED {
        if let Some(value) = get(&r.user, *field) {
            assert!(is_nfc(value), "{field:?} not NFC: {value:?}");
            assert_eq!(value.trim(), value, "{field:?} not trimmed");
            assert!(value.chars().count() <= 1024);
            let allowed_newline = *field == F::StreetAddress;
            assert!(value.chars().all(|c| !c.is_control() || (allowed_newline && c == '\n')), "{field:?}: {value:?}");
        }
    }
    if let Some(date) = &r.user.birthdate {
        let b = date.as_bytes();
        assert!(b.len() == 10 && b[4] == b'-' && b[7] == b'-', "{date}");
    }
    assert!(r.user.custom.len() <= MAX_CUSTOM_ATTRIBUTES);
    for (key, value) in &r.user.custom {
        assert!(!BASE_ATTRIBUTES.contains(&key.as_str()), "base attribute {key} in custom");
        let scalars = match value {
            CustomValue::Scalar(s) => std::slice::from_ref(s),
            CustomValue::List(list) => {
                assert!(!list.is_empty());
                list.as_slice()
            }
        };
        for scalar in scalars {
            if let CustomScalar::String(s) = scalar {
                assert!(!s.is_empty() && is_nfc(s) && s.chars().count() <= MAX_CUSTOM_CHARS);
            }
        }
    }
}

#[test]
fn random_inputs_never_panic_and_reports_are_consistent() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let default_mapping = AttributeMapping::default();
    let (mut ok, mut errors, mut filled) = (0usize, 0usize, 0usize);
    for round in 0..3000 {
        let input = random_input(&mut rng);
        let random = random_mapping(&mut rng);
        for mapping in [&default_mapping, &random] {
            match normalize_user(&input, mapping) {
                Ok(r) => {
                    ok += 1;
                    filled += r.sources.len();
                    check_invariants(&input, mapping, &r);
                    if round % 10 == 0 {
                        // Text in gives the same result as value in, and the result survives serde.
                        let text = serde_json::to_string(&input).expect("serializes");
                        if text.len() <= MAX_INPUT_BYTES {
                            assert_eq!(normalize_user_json(&text, mapping).as_ref(), Ok(&r));
                        }
                        let json = serde_json::to_string(&r).expect("serializes");
                        assert_eq!(serde_json::from_str::<NormalizedUser>(&json).expect("deserializes"), r);
                    }
                }
                Err(Error::InvalidProfile { path, .. }) => {
                    errors += 1;
                    let top_ok = input.is_object();
                    assert_eq!(path, if top_ok { "profile" } else { "$" }, "{input}");
                    if top_ok {
                        assert!(!input["profile"].is_object());
                    }
                }
                Err(e) => panic!("unexpected error {e:?} for {input}"),
            }
        }
    }
    // The generator must actually reach the interesting paths.
    assert!(ok > 4000 && errors > 100 && filled > 2000, "ok {ok}, errors {errors}, filled {filled}");
}

/// Bytes that were not valid UTF-8 reach the core as U+FFFD (the transport decodes lossily): a field issue, and
/// the value is not used — never a name silently holding a replacement character.
#[test]
fn lossily_decoded_text_is_a_field_issue_not_a_value() {
    let body = b"{\"id\":\"00u1\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\"a@example.com\",\"firstName\":\"Jos\xe9\",\"lastName\":\"N\xc3\xba\xc3\xb1ez\",\"team\":\"R\xff D\"}}";
    let text = String::from_utf8_lossy(body);
    let n = normalize_user_json(&text, &AttributeMapping::default()).expect("normalizes");
    assert_eq!(n.user.name.given, None);
    assert_eq!(n.user.name.family.as_deref(), Some("Núñez"));
    let issue = |code, source: &str| n.issues.iter().any(|i| i.code == code && i.source.as_deref() == Some(source));
    assert!(issue(C::InvalidText, "profile.firstName"), "{:?}", n.issues);
    assert!(issue(C::InvalidText, "profile.team"), "{:?}", n.issues);
}

#[test]
fn an_absent_address_or_phone_is_omitted_from_the_json_and_read_back_as_empty() {
    let user = normalize_user(&json!({"login": "a@example.com", "firstName": "Ana"}), &AttributeMapping::default())
        .expect("normalizes")
        .user;
    let written = serde_json::to_value(&user).expect("serializes");
    assert!(written.get("address").is_none() && written.get("phones").is_none(), "{written}");
    assert_eq!(written["name"], json!({"given": "Ana"}));
    let back: okta_directory::profile::DirectoryUser = serde_json::from_value(written).expect("reads without them");
    assert_eq!(back, user);
    let with = normalize_user(&json!({"login": "a@example.com", "zipCode": "62701"}), &AttributeMapping::default())
        .expect("normalizes")
        .user;
    assert_eq!(serde_json::to_value(&with).expect("serializes")["address"], json!({"postalCode": "62701"}));
}
