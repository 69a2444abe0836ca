//! Okta user JSON → [`NormalizedUser`]: a canonical record plus a report of what was missing or wrong.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::date::{parse_date, DateError, DateOrder};
use crate::error::{Error, Result};
use crate::profile::json::{Json, JsonMap, JsonTree, Node};
use crate::profile::mapping::{AttributeMapping, FieldSpec, Kind, SourcePath, FIELDS, OKTA_BASE_ATTRIBUTES};
use crate::profile::types::{
    CanonicalField, CustomScalar, CustomValue, DirectoryUser, FieldIssue, IssueCode, NormalizedUser, UserStatus,
};
use crate::records::is_profile_id;
use crate::text::{clean_value, without_copy_paste_invisibles, CleanError, Lines};

/// Largest JSON text accepted for one user, in bytes.
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// Most custom attributes kept per user; the rest are dropped with a `TOO_MANY_ATTRIBUTES` issue.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 256;
/// Longest custom string value kept, in characters.
pub const MAX_CUSTOM_CHARS: usize = 4096;
const MAX_CUSTOM_KEY_CHARS: usize = 128;

/// Normalizes one Okta user given as JSON text (a whole user object or a bare profile).
///
/// ```
/// use okta_directory::profile::{normalize_user_json, AttributeMapping};
/// let r = normalize_user_json(r#"{"firstName":" Ana ","lastName":"Núñez"}"#, &AttributeMapping::default()).unwrap();
/// assert_eq!(r.user.name.given.as_deref(), Some("Ana"));
/// ```
pub fn normalize_user_json(text: &str, mapping: &AttributeMapping) -> Result<NormalizedUser> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(Error::InputTooLarge { what: "user JSON", limit: MAX_INPUT_BYTES });
    }
    // Read as a borrowed tree (the claims pairs' reader): no owned copy of every key and value.
    let tree: Json = serde_json::from_str(text)
        .map_err(|e| Error::InvalidJson { position: format!("line {} column {}", e.line(), e.column()) })?;
    normalize_tree(&tree, mapping)
}

/// Normalizes one Okta user given as parsed JSON (a whole user object or a bare profile).
///
/// A value that has `profile` is read as a user object (`id`, `status`, `lastUpdated` at the top,
/// attributes in `profile`); anything else must be a bare profile object. Field problems never fail
/// the call: they are recorded as issues and the field is left empty.
pub fn normalize_user(input: &Value, mapping: &AttributeMapping) -> Result<NormalizedUser> {
    normalize_tree(input, mapping)
}

/// [`normalize_user`] over any JSON tree (a `Value`, or a users page item parsed without copying).
pub(crate) fn normalize_tree<V: JsonTree>(input: &V, mapping: &AttributeMapping) -> Result<NormalizedUser> {
    let (top, profile) = profile_of(input)?;
    let mut out = NormalizedUser::default();
    if let Some(top) = top {
        read_top_level::<V>(top, &mut out);
    }
    for (spec, sources) in FIELDS.iter().zip(&mapping.sources) {
        read_field(spec, sources, profile, mapping.birthdate_order, &mut out);
    }
    if let Node::Object(object) = profile.node() {
        out.user.custom = read_custom::<V>(object, &mut out.issues);
    }
    Ok(out)
}

/// [`normalize_tree`]'s record reduced to the mappable `fields` (the others stay empty): the same
/// values and the same errors, without issues, sources, custom attributes or `id`/`status`/
/// `lastUpdated`. For readers that use only those fields (claims compare names, birthdate, address,
/// phones and email), which then skip the work and allocations of the rest.
pub(crate) fn read_fields<V: JsonTree>(
    input: &V,
    mapping: &AttributeMapping,
    fields: &[CanonicalField],
) -> Result<DirectoryUser> {
    let (_, profile) = profile_of(input)?;
    let mut user = DirectoryUser::default();
    for (spec, sources) in FIELDS.iter().zip(&mapping.sources) {
        if !fields.contains(&spec.field) {
            continue;
        }
        if let (Some(slot), Some((value, _))) =
            (slot(&mut user, spec.field), first_value(spec, sources, profile, mapping.birthdate_order, |_, _| {}))
        {
            *slot = Some(value);
        }
    }
    Ok(user)
}

/// The user object's top level (when the input has a `profile` object) and the profile to read.
fn profile_of<V: JsonTree>(input: &V) -> Result<(Option<&V::Object>, &V)> {
    let Node::Object(top) = input.node() else {
        return Err(Error::InvalidProfile { path: "$".into(), expected: "a JSON object" });
    };
    match top.get("profile") {
        Some(profile) if matches!(profile.node(), Node::Object(_)) => Ok((Some(top), profile)),
        Some(_) => Err(Error::InvalidProfile { path: "profile".into(), expected: "an object" }),
        None => Ok((None, input)),
    }
}

fn read_top_level<V: JsonTree>(top: &V::Object, out: &mut NormalizedUser) {
    let mut issue = |field, code| out.issues.push(FieldIssue { field, code, source: None });
    match top.get("id").map(JsonTree::node) {
        None | Some(Node::Null) => {}
        Some(Node::String(id)) if is_profile_id(id) => out.user.id = Some(id.to_owned()),
        Some(Node::String(_)) => issue(CanonicalField::Id, IssueCode::InvalidId),
        Some(_) => issue(CanonicalField::Id, IssueCode::WrongType),
    }
    match top.get("status").map(JsonTree::node) {
        None | Some(Node::Null) => {}
        Some(Node::String(s)) => match UserStatus::from_okta(s) {
            Some(status) => out.user.status = Some(status),
            None => issue(CanonicalField::Status, IssueCode::UnknownStatus),
        },
        Some(_) => issue(CanonicalField::Status, IssueCode::WrongType),
    }
    match top.get("lastUpdated").map(JsonTree::node) {
        None | Some(Node::Null) => {}
        Some(Node::String(s)) if is_utc_timestamp(s) => out.user.last_updated = Some(s.to_owned()),
        Some(Node::String(_)) => issue(CanonicalField::LastUpdated, IssueCode::InvalidTimestamp),
        Some(_) => issue(CanonicalField::LastUpdated, IssueCode::WrongType),
    }
}

/// Tries each source in order; the first usable value fills the field.
fn read_field<V: JsonTree>(
    spec: &FieldSpec,
    sources: &[SourcePath],
    profile: &V,
    order: DateOrder,
    out: &mut NormalizedUser,
) {
    if sources.is_empty() {
        return; // turned off by the mapping: neither filled nor missing
    }
    let issues = &mut out.issues;
    let found = first_value(spec, sources, profile, order, |code, source| {
        issues.push(FieldIssue { field: spec.field, code, source: Some(source.as_str().to_owned()) })
    });
    match found {
        Some((value, source)) => {
            if let Some(slot) = slot(&mut out.user, spec.field) {
                *slot = Some(value);
                out.sources.insert(spec.field, source.as_str().to_owned());
            }
        }
        None => out.issues.push(FieldIssue { field: spec.field, code: IssueCode::Missing, source: None }),
    }
}

/// The first usable value among `sources` and the source it came from; each unusable one is passed
/// to `unusable` (a blank one is skipped silently).
fn first_value<'s, V: JsonTree>(
    spec: &FieldSpec,
    sources: &'s [SourcePath],
    profile: &V,
    order: DateOrder,
    mut unusable: impl FnMut(IssueCode, &SourcePath),
) -> Option<(String, &'s SourcePath)> {
    for source in sources {
        let Some(raw) = source.find(profile) else { continue };
        match read_value(spec, raw, order) {
            Ok(Some(value)) => return Some((value, source)),
            Ok(None) => {} // blank: try the next source
            Err(code) => unusable(code, source),
        }
    }
    None
}

/// Reads one raw value: `Ok(None)` when blank, an issue code when unusable.
fn read_value<V: JsonTree>(
    spec: &FieldSpec,
    raw: &V,
    order: DateOrder,
) -> std::result::Result<Option<String>, IssueCode> {
    let text = match (raw.node(), spec.kind) {
        (Node::String(s), _) => s,
        (Node::Number(n), Kind::TextOrInteger) if n.is_i64() || n.is_u64() => return Ok(Some(n.to_string())),
        _ => return Err(IssueCode::WrongType),
    };
    let lines = match spec.kind {
        Kind::Text(lines) => lines,
        _ => Lines::Single,
    };
    let cleaned = match clean_value(text, lines, spec.max_chars) {
        Ok(cleaned) => cleaned,
        Err(CleanError::Empty) => return Ok(None),
        Err(CleanError::TooLong) => return Err(IssueCode::TooLong),
        Err(CleanError::ControlCharacters) => return Err(IssueCode::ControlCharacters),
        Err(CleanError::InvalidText) => return Err(IssueCode::InvalidText),
    };
    match spec.kind {
        Kind::Email if !is_email(&cleaned) => Err(IssueCode::InvalidEmail),
        // A date has no use for a zero-width space or a soft hyphen pasted into it: read without them.
        Kind::Date => parse_date(without_copy_paste_invisibles(&cleaned).as_deref().unwrap_or(&cleaned), order)
            .map(|d| Some(d.to_iso()))
            .map_err(date_issue),
        Kind::Country if cleaned.len() == 2 && cleaned.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Ok(Some(cleaned.to_ascii_uppercase()))
        }
        _ => Ok(Some(cleaned)),
    }
}

fn date_issue(e: DateError) -> IssueCode {
    match e {
        DateError::Invalid => IssueCode::InvalidDate,
        DateError::NotACalendarDay => IssueCode::NotACalendarDay,
        DateError::Ambiguous => IssueCode::AmbiguousDate,
    }
}

/// The record field a mappable canonical field writes to (`None` for the top-level ones).
fn slot(user: &mut DirectoryUser, field: CanonicalField) -> Option<&mut Option<String>> {
    use CanonicalField as F;
    Some(match field {
        F::Login => &mut user.login,
        F::Email => &mut user.email,
        F::SecondEmail => &mut user.second_email,
        F::GivenName => &mut user.name.given,
        F::MiddleName => &mut user.name.middle,
        F::FamilyName => &mut user.name.family,
        F::HonorificPrefix => &mut user.name.honorific_prefix,
        F::HonorificSuffix => &mut user.name.honorific_suffix,
        F::Nickname => &mut user.name.nickname,
        F::DisplayName => &mut user.name.display,
        F::Birthdate => &mut user.birthdate,
        F::StreetAddress => &mut user.address.street_address,
        F::Locality => &mut user.address.locality,
        F::Region => &mut user.address.region,
        F::PostalCode => &mut user.address.postal_code,
        F::Country => &mut user.address.country,
        F::MobilePhone => &mut user.phones.mobile,
        F::PrimaryPhone => &mut user.phones.primary,
        F::EmployeeNumber => &mut user.employee_number,
        F::Id | F::Status | F::LastUpdated | F::Custom => return None,
    })
}

/// Keeps every non-base profile attribute whose value is usable.
fn read_custom<V: JsonTree>(profile: &V::Object, issues: &mut Vec<FieldIssue>) -> BTreeMap<String, CustomValue> {
    let mut custom = BTreeMap::new();
    for (key, raw) in profile.entries() {
        if OKTA_BASE_ATTRIBUTES.contains(&key) || matches!(raw.node(), Node::Null) {
            continue;
        }
        let mut issue = |code, source: String| {
            issues.push(FieldIssue { field: CanonicalField::Custom, code, source: Some(source) })
        };
        if key.chars().any(char::is_control) {
            let shown: String = key.chars().filter(|c| !c.is_control()).take(32).collect();
            issue(IssueCode::ControlCharacters, format!("profile.{shown}"));
            continue;
        }
        if key.chars().count() > MAX_CUSTOM_KEY_CHARS {
            let shown: String = key.chars().take(32).collect();
            issue(IssueCode::TooLong, format!("profile.{shown}…"));
            continue;
        }
        match read_custom_value(raw) {
            Ok(Some(_)) if custom.len() == MAX_CUSTOM_ATTRIBUTES => {
                issue(IssueCode::TooManyAttributes, "profile".into());
                break;
            }
            Ok(Some(value)) => {
                custom.insert(key.to_owned(), value);
            }
            Ok(None) => {}
            Err(code) => issue(code, format!("profile.{key}")),
        }
    }
    custom
}

fn read_custom_value<V: JsonTree>(raw: &V) -> std::result::Result<Option<CustomValue>, IssueCode> {
    match raw.node() {
        Node::Array(items) => {
            let mut list = Vec::with_capacity(items.len().min(MAX_CUSTOM_ATTRIBUTES));
            for item in items.iter().filter(|v| !matches!(v.node(), Node::Null)) {
                if list.len() == MAX_CUSTOM_ATTRIBUTES {
                    return Err(IssueCode::TooLong);
                }
                if let Some(scalar) = read_scalar(item)? {
                    list.push(scalar);
                }
            }
            Ok((!list.is_empty()).then_some(CustomValue::List(list)))
        }
        _ => Ok(read_scalar(raw)?.map(CustomValue::Scalar)),
    }
}

fn read_scalar<V: JsonTree>(raw: &V) -> std::result::Result<Option<CustomScalar>, IssueCode> {
    match raw.node() {
        Node::Bool(b) => Ok(Some(CustomScalar::Boolean(b))),
        Node::Number(n) => n.as_f64().map(|f| Some(CustomScalar::Number(f))).ok_or(IssueCode::WrongType),
        Node::String(s) => match clean_value(s, Lines::Multi, MAX_CUSTOM_CHARS) {
            Ok(cleaned) => Ok(Some(CustomScalar::String(cleaned))),
            Err(CleanError::Empty) => Ok(None),
            Err(CleanError::TooLong) => Err(IssueCode::TooLong),
            Err(CleanError::ControlCharacters) => Err(IssueCode::ControlCharacters),
            Err(CleanError::InvalidText) => Err(IssueCode::InvalidText),
        },
        Node::Null => Ok(None),
        Node::Array(_) | Node::Object(_) => Err(IssueCode::WrongType),
    }
}

/// `local@domain` with one `@`, no whitespace, both sides non-empty, a domain without empty labels.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && local.len() <= 64
        && !domain.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && domain.split('.').all(|label| !label.is_empty())
}

/// ISO 8601 UTC timestamp as Okta writes them: `YYYY-MM-DDTHH:MM:SS(.fraction)Z`.
fn is_utc_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || b.len() > 35 || b[10] != b'T' || b[b.len() - 1] != b'Z' {
        return false;
    }
    let date_ok = parse_date(&s[..10], DateOrder::Ymd).is_ok() && b[4] == b'-' && b[7] == b'-';
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let num = |r: std::ops::Range<usize>| s[r].parse::<u8>().unwrap_or(99);
    let time_ok = digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && num(11..13) < 24
        && num(14..16) < 60
        && num(17..19) < 61;
    let frac = &b[19..b.len() - 1];
    let frac_ok = frac.is_empty() || (frac[0] == b'.' && frac.len() > 1 && frac[1..].iter().all(u8::is_ascii_digit));
    date_ok && time_ok && frac_ok
}
