//! Readiness audit: which users lack the directory attributes a claims policy needs. A missing
//! directory attribute is never a match, so these users cannot be verified until the attribute is
//! populated — the report says who, per attribute and per group — and which values need cleaning
//! (invisible characters pasted in, placeholders such as `N/A`).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::claims::{is_placeholder, policy_warnings, AddressPart, ClaimKind, Policy, PolicyWarning};
use crate::directory::{CompactDirectory, Directory};
use crate::error::Result;
use crate::profile::DirectoryUser;
use crate::records::Group;
use crate::text::COPY_PASTE_INVISIBLES;

/// One attribute the policy needs and the users who lack it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeGap {
    /// The claim (`given_name`) or address part (`address.postal_code`).
    pub attribute: String,
    /// Whether the policy requires it (a missing required attribute makes every verification fail).
    pub required: bool,
    /// How many audited users lack it.
    pub missing: usize,
    /// Their Okta ids, in directory order.
    pub user_ids: Vec<String>,
}

/// The audit of one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupGaps {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub name: String,
    /// Audited (active) members.
    pub users: usize,
    /// Members lacking each attribute (only attributes with at least one).
    pub missing: BTreeMap<String, usize>,
    /// Members lacking at least one required attribute.
    pub not_ready: usize,
}

/// The readiness report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditReport {
    /// The policy audited against.
    pub policy_id: String,
    /// Users audited (active users, in scope).
    pub users: usize,
    /// Users skipped because Okta does not consider them active (they cannot sign in anyway).
    pub inactive_skipped: usize,
    /// Audited users lacking at least one required attribute.
    pub not_ready: usize,
    /// Per attribute the policy compares.
    pub attributes: Vec<AttributeGap>,
    /// Per group (only the requested group when one was given).
    pub groups: Vec<GroupGaps>,
    /// Values the matcher has to work around, per attribute and finding (only those found).
    pub data_quality: Vec<QualityFinding>,
    /// The policy's strength warnings (`POLICY_WEAK`: its deciding claims cannot tell people apart).
    pub policy_warnings: Vec<PolicyWarning>,
}

/// A data-quality finding: audited users whose value of an attribute is not clean. They can still
/// be verified (a placeholder counts as missing above); the entry says what HR should fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QualityFinding {
    /// The claim (`given_name`) or address part (`address.postal_code`).
    pub attribute: String,
    /// What the values carry.
    pub finding: QualityIssue,
    /// How many audited users.
    pub users: usize,
    /// Their Okta ids, in directory order.
    pub user_ids: Vec<String>,
}

/// What a directory value carries that it should not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityIssue {
    /// Zero-width spaces, soft hyphens, byte order marks or word joiners (copy and paste): removed
    /// before comparing, with the reason `DIRECTORY_INVISIBLE`.
    InvisibleCharacters,
    /// A placeholder such as `N/A`, `unknown` or `-`: read as missing.
    Placeholder,
}

/// An attribute a policy compares.
struct Need {
    name: String,
    required: bool,
    kind: ClaimKind,
    part: Option<AddressPart>,
}

/// The attributes a policy compares, address parts one by one.
fn needs(policy: &Policy) -> Vec<Need> {
    let mut out = Vec::new();
    for rule in &policy.claims {
        if rule.kind == ClaimKind::Address {
            for part in &rule.parts {
                let name = format!("address.{}", part.part.name());
                out.push(Need {
                    name,
                    required: rule.required && part.required,
                    kind: rule.kind,
                    part: Some(part.part),
                });
            }
        } else {
            out.push(Need { name: rule.kind.name().to_owned(), required: rule.required, kind: rule.kind, part: None });
        }
    }
    out
}

/// Whether the record has a value for a claim (or an address part); a placeholder (`N/A`) is none.
fn has_value(user: &DirectoryUser, kind: ClaimKind, part: Option<AddressPart>) -> bool {
    match (kind, part) {
        (ClaimKind::Address, None) => true,
        _ => value_of(user, kind, part).is_some_and(|v| !is_placeholder(v)),
    }
}

/// The data-quality finding of a record's value for a claim (or an address part), if any.
fn quality_of(user: &DirectoryUser, kind: ClaimKind, part: Option<AddressPart>) -> Option<QualityIssue> {
    let value = value_of(user, kind, part)?;
    if is_placeholder(value) {
        Some(QualityIssue::Placeholder)
    } else if value.contains(COPY_PASTE_INVISIBLES) {
        Some(QualityIssue::InvisibleCharacters)
    } else {
        None
    }
}

/// The record's value for a claim (or an address part); the mobile phone, else the primary one.
fn value_of(user: &DirectoryUser, kind: ClaimKind, part: Option<AddressPart>) -> Option<&str> {
    let a = &user.address;
    let value = match (kind, part) {
        (ClaimKind::Address, Some(AddressPart::StreetAddress)) => &a.street_address,
        (ClaimKind::Address, Some(AddressPart::Locality)) => &a.locality,
        (ClaimKind::Address, Some(AddressPart::Region)) => &a.region,
        (ClaimKind::Address, Some(AddressPart::PostalCode)) => &a.postal_code,
        (ClaimKind::Address, Some(AddressPart::Country)) => &a.country,
        (ClaimKind::GivenName, _) => &user.name.given,
        (ClaimKind::MiddleName, _) => &user.name.middle,
        (ClaimKind::FamilyName, _) => &user.name.family,
        (ClaimKind::Birthdate, _) => &user.birthdate,
        (ClaimKind::Email, _) => &user.email,
        (ClaimKind::PhoneNumber, _) => return user.phones.mobile.as_deref().or(user.phones.primary.as_deref()),
        (ClaimKind::Address, None) => return None,
    };
    value.as_deref()
}

/// The required attributes (claims, or `address.<part>`) of `policy` that `user` lacks.
pub fn missing_required(user: &DirectoryUser, policy: &Policy) -> Vec<String> {
    needs(policy).into_iter().filter(|n| n.required && !has_value(user, n.kind, n.part)).map(|n| n.name).collect()
}

/// What the audit reads from a directory; both the owning [`Directory`] and the
/// [`CompactDirectory`] provide it. Users are named by position (slot or snapshot order).
pub trait AuditSource {
    /// Positions of every user, or of the members of `group` (`GROUP_NOT_FOUND` for an unknown id).
    fn scope(&self, group: Option<&str>) -> Result<Vec<u32>>;
    /// The user at a position.
    fn user_at_position(&self, position: u32) -> Option<Cow<'_, DirectoryUser>>;
    /// Groups in directory order.
    fn group_list(&self) -> &[Group];
}

impl AuditSource for Directory {
    fn scope(&self, group: Option<&str>) -> Result<Vec<u32>> {
        self.slots(group)
    }
    fn user_at_position(&self, position: u32) -> Option<Cow<'_, DirectoryUser>> {
        self.user_at_slot(position).map(Cow::Borrowed)
    }
    fn group_list(&self) -> &[Group] {
        self.groups()
    }
}

impl AuditSource for CompactDirectory {
    fn scope(&self, group: Option<&str>) -> Result<Vec<u32>> {
        match group {
            Some(id) => Ok(self.member_indexes(id)?.to_vec()),
            None => Ok((0..self.len() as u32).collect()),
        }
    }
    fn user_at_position(&self, position: u32) -> Option<Cow<'_, DirectoryUser>> {
        self.user_at(position).ok().map(Cow::Owned)
    }
    fn group_list(&self) -> &[Group] {
        self.groups()
    }
}

/// Audits the directory (or the members of `group`) against `policy`.
///
/// # Errors
/// `GROUP_NOT_FOUND` when `group` names no group.
pub fn audit(directory: &impl AuditSource, policy: &Policy, group: Option<&str>) -> Result<AuditReport> {
    let scope = directory.scope(group)?;
    let needs = needs(policy);
    let mut attributes: Vec<AttributeGap> = needs
        .iter()
        .map(|n| AttributeGap { attribute: n.name.clone(), required: n.required, missing: 0, user_ids: Vec::new() })
        .collect();
    let (mut users, mut inactive, mut not_ready) = (0, 0, 0);
    // Per user position: which needs are missing (indexes into `needs`), kept for the group tallies.
    let mut missing_by_user: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut quality: BTreeMap<(usize, QualityIssue), Vec<String>> = BTreeMap::new();
    for position in scope {
        let Some(user) = directory.user_at_position(position) else { continue };
        if !user.status.is_some_and(|s| s.is_active()) {
            inactive += 1;
            continue;
        }
        users += 1;
        let missing: Vec<usize> =
            needs.iter().enumerate().filter(|(_, n)| !has_value(&user, n.kind, n.part)).map(|(i, _)| i).collect();
        if missing.iter().any(|&i| needs[i].required) {
            not_ready += 1;
        }
        for &i in &missing {
            attributes[i].missing += 1;
            attributes[i].user_ids.push(user.id.clone().unwrap_or_default());
        }
        for (i, n) in needs.iter().enumerate() {
            if let Some(issue) = quality_of(&user, n.kind, n.part) {
                quality.entry((i, issue)).or_default().push(user.id.clone().unwrap_or_default());
            }
        }
        if user.id.is_some() {
            missing_by_user.insert(position, missing);
        }
    }
    let groups = directory
        .group_list()
        .iter()
        .filter(|g| group.is_none_or(|id| g.id == id))
        .map(|g| {
            let mut gaps = GroupGaps {
                group_id: g.id.clone(),
                name: g.name.clone(),
                users: 0,
                missing: BTreeMap::new(),
                not_ready: 0,
            };
            for position in directory.scope(Some(&g.id)).unwrap_or_default() {
                let Some(missing) = missing_by_user.get(&position) else { continue };
                gaps.users += 1;
                if missing.iter().any(|&i| needs[i].required) {
                    gaps.not_ready += 1;
                }
                for &i in missing {
                    *gaps.missing.entry(needs[i].name.clone()).or_default() += 1;
                }
            }
            gaps
        })
        .collect();
    let data_quality = quality
        .into_iter()
        .map(|((i, finding), user_ids)| QualityFinding {
            attribute: needs[i].name.clone(),
            finding,
            users: user_ids.len(),
            user_ids,
        })
        .collect();
    Ok(AuditReport {
        policy_id: policy.id.clone(),
        users,
        inactive_skipped: inactive,
        not_ready,
        attributes,
        groups,
        data_quality,
        policy_warnings: policy_warnings(policy),
    })
}

impl AuditReport {
    /// One CSV row per audited user lacking something: `user_id,missing_required,missing_optional`
    /// (attribute lists separated by `;`). Ids are Okta ids: no profile values in the file.
    pub fn to_csv(&self) -> String {
        let mut per_user: BTreeMap<&str, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
        for gap in &self.attributes {
            for id in &gap.user_ids {
                let entry = per_user.entry(id.as_str()).or_default();
                if gap.required {
                    entry.0.push(&gap.attribute)
                } else {
                    entry.1.push(&gap.attribute)
                }
            }
        }
        let mut out = String::from("user_id,missing_required,missing_optional\n");
        for (id, (required, optional)) in per_user {
            out.push_str(&format!("{id},{},{}\n", required.join(";"), optional.join(";")));
        }
        out
    }
}

/// The audit as the SDK asks for it: the policy as JSON text (`None` for the default policy), the report as
/// JSON text or, with `csv`, as CSV (ids and attribute names only).
///
/// # Errors
/// `INVALID_JSON` (position only) or the policy's errors for `policy_json`; `GROUP_NOT_FOUND` as [`audit`].
pub fn audit_text(
    directory: &impl AuditSource,
    policy_json: Option<&str>,
    group: Option<&str>,
    csv: bool,
) -> Result<String> {
    let policy = crate::claims::policy_from_json_text(policy_json)?;
    let report = audit(directory, &policy, group)?;
    if csv {
        return Ok(report.to_csv());
    }
    serde_json::to_string(&report).map_err(|_| crate::Error::Conversion { detail: "audit report".into() })
}
