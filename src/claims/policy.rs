//! The matching policy: for each claim, where the directory value comes from, how strictly it is
//! compared, whether it is required, and what a mismatch or a missing value does to the decision.

use serde_json::Value;

use super::json_reader::At;
use super::kinds::{AddressPart, ClaimKind};
use super::weights::OperatingPoint;
use crate::error::{Error, Result};
use crate::profile::{AttributeMapping, SourcePath};

/// How strictly a claim is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchMode {
    /// Equal after normalization only.
    Exact,
    /// Tolerates the variations the claim's comparator knows (nicknames, abbreviations, typos…).
    Fuzzy,
}

impl MatchMode {
    /// The stricter of two modes (exact wins).
    pub fn strictest(self, other: MatchMode) -> MatchMode {
        self.min(other)
    }
}

/// What a mismatch does to the overall decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnMismatch {
    /// The decision is `no_match`.
    Fail,
    /// The decision is at best `review`.
    Review,
    /// Reported, but the decision is unaffected.
    Flag,
}

/// What a missing value (on the directory or the verified side) does to the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnMissing {
    /// The decision is `no_match`.
    Fail,
    /// The decision is at best `review`.
    Review,
    /// Reported, but the decision is unaffected (never allowed for a required claim).
    Skip,
}

/// Which tolerances a fuzzy name comparison may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allow {
    /// "J." matches "John".
    pub initials: bool,
    /// "Bob" matches "Robert" (curated table).
    pub nicknames: bool,
    /// "García" matches "García Márquez".
    pub token_subset: bool,
    /// Given and family name swapped between the two sides.
    pub swapped_names: bool,
    /// OCR confusions such as 0/O, 1/l/I, rn/m.
    pub ocr: bool,
    /// One-letter typos in long names (8 letters or more, same first letter: Jonathon ~ Jonathan).
    pub typos: bool,
}

impl Allow {
    const NAMES: [&'static str; 6] = ["initials", "nicknames", "token_subset", "swapped_names", "ocr", "typos"];

    fn none() -> Allow {
        Allow { initials: false, nicknames: false, token_subset: false, swapped_names: false, ocr: false, typos: false }
    }

    fn set(&mut self, name: &str) -> bool {
        let flag = match name {
            "initials" => &mut self.initials,
            "nicknames" => &mut self.nicknames,
            "token_subset" => &mut self.token_subset,
            "swapped_names" => &mut self.swapped_names,
            "ocr" => &mut self.ocr,
            "typos" => &mut self.typos,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// The rule for one address part.
#[derive(Debug, Clone, PartialEq)]
pub struct PartRule {
    /// The part.
    pub part: AddressPart,
    /// Directory sources, in priority order.
    pub sources: Vec<SourcePath>,
    /// Comparison strictness.
    pub mode: MatchMode,
    /// Minimum fuzzy score in [0, 1].
    pub threshold: f64,
    /// Whether the part must be present on both sides for the address to match.
    pub required: bool,
}

/// The rule for one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRule {
    /// The claim.
    pub kind: ClaimKind,
    /// Directory sources, in priority order (empty for `address`, whose parts have their own).
    pub sources: Vec<SourcePath>,
    /// Comparison strictness.
    pub mode: MatchMode,
    /// Minimum fuzzy score in [0, 1].
    pub threshold: f64,
    /// A required claim missing on either side is never a match: the decision is `no_match`.
    pub required: bool,
    /// What a mismatch does.
    pub on_mismatch: OnMismatch,
    /// What a value missing from the directory does (always `Fail` when required).
    pub on_missing_directory: OnMissing,
    /// What a value missing from the verified claims does (always `Fail` when required).
    pub on_missing_verified: OnMissing,
    /// Name tolerances.
    pub allow: Allow,
    /// Phone numbers: ISO 3166-1 alpha-2 region for numbers written without a country code.
    pub default_region: Option<String>,
    /// Address parts (only for `address`).
    pub parts: Vec<PartRule>,
}

/// A complete, validated matching policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// A name for the policy, recorded with verification outcomes.
    pub id: String,
    /// The trust framework echoed in Okta-style responses.
    pub trust_framework: String,
    /// One rule per claim the policy compares, in report order.
    pub claims: Vec<ClaimRule>,
    /// The threshold the combined evidence must reach (`decision.operating_point`).
    pub operating_point: OperatingPoint,
}

/// Policy-wide defaults a document may override under `defaults`.
#[derive(Debug, Clone, Copy)]
struct Defaults {
    mode: Option<MatchMode>,
    threshold: Option<f64>,
    on_mismatch: Option<OnMismatch>,
    on_missing_directory: Option<OnMissing>,
    on_missing_verified: Option<OnMissing>,
}

const MODES: [(MatchMode, &str); 2] = [(MatchMode::Exact, "exact"), (MatchMode::Fuzzy, "fuzzy")];
const ON_MISMATCH: [(OnMismatch, &str); 3] =
    [(OnMismatch::Fail, "fail"), (OnMismatch::Review, "review"), (OnMismatch::Flag, "flag")];
const ON_MISSING: [(OnMissing, &str); 3] =
    [(OnMissing::Fail, "fail"), (OnMissing::Review, "review"), (OnMissing::Skip, "skip")];

/// Default threshold for fuzzy comparisons.
pub const DEFAULT_THRESHOLD: f64 = 0.85;

fn paths(list: &[&str]) -> Vec<SourcePath> {
    list.iter().filter_map(|p| SourcePath::parse(p).ok()).collect()
}

/// The built-in rule for a claim: what a policy gets for a claim it names without details, and what
/// an Okta request gets for a claim the local policy does not name.
pub fn default_rule(kind: ClaimKind) -> ClaimRule {
    let mapping = AttributeMapping::default();
    let (mode, required, on_mismatch, allow) = match kind {
        ClaimKind::GivenName | ClaimKind::FamilyName => (MatchMode::Fuzzy, true, OnMismatch::Fail, {
            let mut a = Allow::none();
            a.nicknames = kind == ClaimKind::GivenName;
            a.token_subset = true;
            a.swapped_names = true;
            a.ocr = true;
            a.typos = true;
            a
        }),
        ClaimKind::MiddleName => (MatchMode::Fuzzy, false, OnMismatch::Fail, {
            let mut a = Allow::none();
            a.initials = true;
            a.token_subset = true;
            a
        }),
        ClaimKind::Birthdate => (MatchMode::Exact, true, OnMismatch::Fail, Allow::none()),
        // Optional evidence: agreement supports a decision, a difference alone changes nothing but
        // the total weight (CONTRACTS §2).
        ClaimKind::Address => (MatchMode::Fuzzy, false, OnMismatch::Flag, Allow::none()),
        ClaimKind::PhoneNumber | ClaimKind::Email => (MatchMode::Exact, false, OnMismatch::Fail, Allow::none()),
    };
    let sources = match kind {
        ClaimKind::PhoneNumber => paths(&["mobilePhone", "primaryPhone"]),
        ClaimKind::Address => Vec::new(),
        _ => kind.field().map(|f| mapping.sources_of(f).to_vec()).unwrap_or_default(),
    };
    let parts = if kind == ClaimKind::Address {
        AddressPart::ALL
            .iter()
            .map(|(part, _)| PartRule {
                part: *part,
                sources: mapping.sources_of(part.field()).to_vec(),
                mode: if *part == AddressPart::Country { MatchMode::Exact } else { MatchMode::Fuzzy },
                threshold: DEFAULT_THRESHOLD,
                required: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    let missing = if required { OnMissing::Fail } else { OnMissing::Skip };
    ClaimRule {
        kind,
        sources,
        mode,
        threshold: DEFAULT_THRESHOLD,
        required,
        on_mismatch,
        on_missing_directory: missing,
        on_missing_verified: missing,
        allow,
        default_region: None,
        parts,
    }
}

impl Default for Policy {
    /// given_name and family_name fuzzy and required, birthdate exact and required, middle_name fuzzy
    /// (initials allowed), address fuzzy as optional evidence (a mismatch is flagged and weighed),
    /// phone_number and email exact; the last four not required; the `balanced` operating point.
    fn default() -> Self {
        Policy {
            id: "default".to_owned(),
            trust_framework: "IDV-DELEGATED".to_owned(),
            claims: ClaimKind::ALL.iter().map(|(kind, _)| default_rule(*kind)).collect(),
            operating_point: OperatingPoint::default(),
        }
    }
}

impl Policy {
    /// The rule for a claim, if the policy compares it.
    pub fn rule(&self, kind: ClaimKind) -> Option<&ClaimRule> {
        self.claims.iter().find(|r| r.kind == kind)
    }

    /// The attribute mapping that reads every claim's directory value from an Okta profile.
    pub fn attribute_mapping(&self) -> AttributeMapping {
        let mut mapping = AttributeMapping::default();
        for rule in &self.claims {
            if let Some(field) = rule.kind.field() {
                mapping.set_sources(field, rule.sources.clone());
            }
            for part in &rule.parts {
                mapping.set_sources(part.part.field(), part.sources.clone());
            }
        }
        mapping
    }

    /// Parses a policy document (see docs/claims.md for the format). Claims it does not name are not
    /// compared; details it leaves out take the claim's defaults.
    pub fn from_json(doc: &Value) -> Result<Policy> {
        let root = At::root(doc, |path, reason| Error::InvalidPolicy { path, reason });
        let mut policy = Policy { claims: Vec::new(), ..Policy::default() };
        let mut defaults = Defaults {
            mode: None,
            threshold: None,
            on_mismatch: None,
            on_missing_directory: None,
            on_missing_verified: None,
        };
        let entries = root.entries()?;
        // `defaults` first, whatever its position in the document, so that claims see it.
        if let Some((_, at)) = entries.iter().find(|(k, _)| *k == "defaults") {
            defaults = read_defaults(at)?;
        }
        let mut saw_claims = false;
        for (key, at) in &entries {
            match *key {
                "version" => {
                    if at.value.as_u64() != Some(1) {
                        return Err(at.fail("unsupported policy version (expected 1)"));
                    }
                }
                "id" => policy.id = non_empty(at, 128)?,
                "trust_framework" => policy.trust_framework = non_empty(at, 64)?,
                "defaults" => {}
                "claims" => {
                    saw_claims = true;
                    for (name, claim_at) in at.entries()? {
                        let kind = ClaimKind::from_name(name).ok_or_else(|| claim_at.fail("not a supported claim"))?;
                        policy.claims.push(read_claim(kind, &claim_at, &defaults)?);
                    }
                }
                "decision" => {} // needs the claims: read below
                _ => return Err(at.fail("unknown key")),
            }
        }
        if !saw_claims {
            return Err(root.fail("a policy needs a `claims` object"));
        }
        if let Some((_, at)) = entries.iter().find(|(k, _)| *k == "decision") {
            read_decision(at, &mut policy)?;
        }
        crate::sort::sort_by_key(&mut policy.claims, |r| r.kind);
        Ok(policy)
    }
}

fn non_empty(at: &At<'_>, max: usize) -> Result<String> {
    let s = at.str()?.trim();
    if s.is_empty() || s.chars().count() > max {
        return Err(at.fail(format!("expected 1 to {max} characters")));
    }
    Ok(s.to_owned())
}

fn read_defaults(at: &At<'_>) -> Result<Defaults> {
    let mut d = Defaults {
        mode: None,
        threshold: None,
        on_mismatch: None,
        on_missing_directory: None,
        on_missing_verified: None,
    };
    for (key, v) in at.entries()? {
        match key {
            "mode" => d.mode = Some(v.choice(&MODES)?),
            "threshold" => d.threshold = Some(v.number_in(0, 1)?),
            "on_mismatch" => d.on_mismatch = Some(v.choice(&ON_MISMATCH)?),
            "on_missing_directory" => d.on_missing_directory = Some(v.choice(&ON_MISSING)?),
            "on_missing_verified" | "on_missing_document" => d.on_missing_verified = Some(v.choice(&ON_MISSING)?),
            _ => return Err(v.fail("unknown key")),
        }
    }
    Ok(d)
}

fn read_sources(at: &At<'_>) -> Result<Vec<SourcePath>> {
    let list = at.strings()?;
    if list.len() > 32 {
        return Err(at.fail("at most 32 sources"));
    }
    list.into_iter().map(|(item, text)| SourcePath::parse(text).map_err(|reason| item.fail(reason))).collect()
}

fn read_claim(kind: ClaimKind, at: &At<'_>, d: &Defaults) -> Result<ClaimRule> {
    let mut rule = default_rule(kind);
    // Policy-wide defaults apply before the claim's own keys.
    if kind != ClaimKind::Birthdate && kind != ClaimKind::Email && kind != ClaimKind::PhoneNumber {
        rule.mode = d.mode.unwrap_or(rule.mode);
    }
    rule.threshold = d.threshold.unwrap_or(rule.threshold);
    rule.on_mismatch = d.on_mismatch.unwrap_or(rule.on_mismatch);
    let mut on_missing_directory = d.on_missing_directory;
    let mut on_missing_verified = d.on_missing_verified;
    let mut required = None;
    if !at.value.is_null() {
        for (key, v) in at.entries()? {
            match key {
                "source" if kind != ClaimKind::Address => rule.sources = read_sources(&v)?,
                "mode" => rule.mode = v.choice(&MODES)?,
                "threshold" => rule.threshold = v.number_in(0, 1)?,
                "required" => required = Some(v.bool()?),
                "on_mismatch" => rule.on_mismatch = v.choice(&ON_MISMATCH)?,
                "on_missing_directory" => on_missing_directory = Some(v.choice(&ON_MISSING)?),
                "on_missing_verified" | "on_missing_document" => on_missing_verified = Some(v.choice(&ON_MISSING)?),
                "allow" if matches!(kind, ClaimKind::GivenName | ClaimKind::MiddleName | ClaimKind::FamilyName) => {
                    rule.allow = Allow::none();
                    for (item, name) in v.strings()? {
                        if !rule.allow.set(name) {
                            return Err(item.fail(format!("expected one of {}", Allow::NAMES.join(", "))));
                        }
                    }
                }
                "default_region" if kind == ClaimKind::PhoneNumber => {
                    let region = v.str()?;
                    if region.len() != 2 || !region.bytes().all(|b| b.is_ascii_alphabetic()) {
                        return Err(v.fail("expected an ISO 3166-1 alpha-2 code such as \"US\""));
                    }
                    rule.default_region = Some(region.to_ascii_uppercase());
                }
                "parts" if kind == ClaimKind::Address => read_parts(&v, &mut rule)?,
                _ => return Err(v.fail("unknown key for this claim")),
            }
        }
    }
    rule.required = required.unwrap_or(rule.required);
    let fallback = if rule.required { OnMissing::Fail } else { OnMissing::Skip };
    rule.on_missing_directory = on_missing_directory.unwrap_or(fallback);
    rule.on_missing_verified = on_missing_verified.unwrap_or(fallback);
    if rule.required && (rule.on_missing_directory != OnMissing::Fail || rule.on_missing_verified != OnMissing::Fail) {
        return Err(at.fail("a required claim that is missing is never a match: its on_missing must be \"fail\""));
    }
    Ok(rule)
}

fn read_parts(at: &At<'_>, rule: &mut ClaimRule) -> Result<()> {
    for (name, part_at) in at.entries()? {
        let part = AddressPart::from_name(name).ok_or_else(|| part_at.fail("not an address part"))?;
        let Some(slot) = rule.parts.iter_mut().find(|p| p.part == part) else { continue };
        for (key, v) in part_at.entries()? {
            match key {
                "source" => slot.sources = read_sources(&v)?,
                "mode" => slot.mode = v.choice(&MODES)?,
                "threshold" => slot.threshold = v.number_in(0, 1)?,
                "required" => slot.required = v.bool()?,
                _ => return Err(v.fail("unknown key for an address part")),
            }
        }
    }
    Ok(())
}

/// `decision.require_all` makes claims required; `decision.review_if_any` routes their mismatches to
/// review; `decision.operating_point` picks the threshold of the combined evidence.
fn read_decision(at: &At<'_>, policy: &mut Policy) -> Result<()> {
    let mut require = Vec::new();
    let mut review = Vec::new();
    for (key, v) in at.entries()? {
        let target = match key {
            "require_all" => &mut require,
            "review_if_any" => &mut review,
            "operating_point" => {
                policy.operating_point = v.choice(&OperatingPoint::ALL)?;
                continue;
            }
            _ => return Err(v.fail("unknown key")),
        };
        for (item, name) in v.strings()? {
            let kind = ClaimKind::from_name(name).ok_or_else(|| item.fail("not a supported claim"))?;
            target.push((kind, item));
        }
    }
    for (kind, item) in require {
        let rule = find_rule(policy, kind, &item)?;
        rule.required = true;
        rule.on_missing_directory = OnMissing::Fail;
        rule.on_missing_verified = OnMissing::Fail;
    }
    for (kind, item) in review {
        find_rule(policy, kind, &item)?.on_mismatch = OnMismatch::Review;
    }
    Ok(())
}

fn find_rule<'p>(policy: &'p mut Policy, kind: ClaimKind, at: &At<'_>) -> Result<&'p mut ClaimRule> {
    policy.claims.iter_mut().find(|r| r.kind == kind).ok_or_else(|| at.fail("this claim is not listed under `claims`"))
}
