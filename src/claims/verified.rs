//! Verified claims as an identity-verification provider returns them (OIDC Identity Assurance names).

use serde_json::Value;

use super::kinds::{AddressPart, ClaimKind};
use crate::profile::json::{JsonMap, JsonTree, Node};

/// One verified value: absent, text, or present but unreadable (a number where text belongs…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimed {
    /// Not in the document (or `null`, or blank).
    Absent,
    /// A text value, trimmed.
    Text(String),
    /// Present but not usable as text; compared as `invalid`, never as a match.
    Unreadable,
}

impl Claimed {
    /// The text, when there is some.
    pub fn text(&self) -> Option<&str> {
        match self {
            Claimed::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// The verified claims of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedClaims {
    /// By [`ClaimKind`] index (`address` always absent: its parts are below).
    claims: [Claimed; ClaimKind::ALL.len()],
    /// By [`AddressPart`] index.
    address: [Claimed; AddressPart::ALL.len()],
    /// The issuing country of the first document evidence, as written (a code or a name).
    issuing_country: Option<String>,
}

const MAX_VALUE_BYTES: usize = 4096;

impl VerifiedClaims {
    /// Reads verified claims from JSON: a plain claims object (`{"given_name": …}`), or a
    /// `verified_claims` element (`{"verification": …, "claims": {…}}`). Values are strings, `null`,
    /// or `{"value": …}`; unknown claims are ignored; an unreadable value is kept as such.
    pub fn from_json(doc: &Value) -> VerifiedClaims {
        Self::from_tree(doc)
    }

    /// [`VerifiedClaims::from_json`] over any JSON tree (a `Value`, or a pair read without copying
    /// its strings).
    pub(crate) fn from_tree<V: JsonTree>(doc: &V) -> VerifiedClaims {
        let top = match doc.node() {
            Node::Object(top) => Some(top),
            _ => None,
        };
        let claims_obj = match top.and_then(|t| t.get("claims")).map(|inner| (inner, inner.node())) {
            Some((_, Node::Object(inner))) if top.and_then(|t| t.get("verification")).is_some() => Some(inner),
            _ => top,
        };
        let read = |kind: &str| claims_obj.and_then(|o| o.get(kind)).map_or(Claimed::Absent, read_value);
        // In place, by index: no vector per side, no search per look-up.
        let claims = std::array::from_fn(|i| {
            let (kind, name) = ClaimKind::ALL[i];
            if kind == ClaimKind::Address {
                return Claimed::Absent;
            }
            // `bithdate` appears in Okta's own examples; read it when `birthdate` is absent.
            let mut value = read(name);
            if kind == ClaimKind::Birthdate && value == Claimed::Absent {
                value = read("bithdate");
            }
            value
        });
        let address = match claims_obj.and_then(|o| o.get("address")).map(JsonTree::node) {
            Some(Node::Object(parts)) => {
                std::array::from_fn(|i| parts.get(AddressPart::ALL[i].1).map_or(Claimed::Absent, read_value))
            }
            Some(Node::Null) | None => std::array::from_fn(|_| Claimed::Absent),
            Some(_) => std::array::from_fn(|_| Claimed::Unreadable),
        };
        VerifiedClaims { claims, address, issuing_country: top.and_then(issuing_country::<V>) }
    }

    /// The document's issuing country as the evidence gives it (`verification.evidence[].document_details
    /// .issuer.country_code`, or the older `document.issuer.country`), if any.
    pub fn issuing_country(&self) -> Option<&str> {
        self.issuing_country.as_deref()
    }

    /// The verified value of a (non-address) claim.
    pub fn get(&self, kind: ClaimKind) -> &Claimed {
        &self.claims[kind as usize]
    }

    /// The verified value of an address part.
    pub fn address_part(&self, part: AddressPart) -> &Claimed {
        &self.address[part as usize]
    }
}

fn read_value<V: JsonTree>(v: &V) -> Claimed {
    match v.node() {
        Node::Null => Claimed::Absent,
        Node::String(s) if s.len() > MAX_VALUE_BYTES => Claimed::Unreadable,
        Node::String(s) if s.trim().is_empty() => Claimed::Absent,
        Node::String(s) => Claimed::Text(s.trim().to_owned()),
        Node::Object(o) => o.get("value").map_or(Claimed::Absent, read_value),
        _ => Claimed::Unreadable,
    }
}

/// The value of `key` when `value` is an object.
fn field<'v, V: JsonTree>(value: &'v V, key: &str) -> Option<&'v V> {
    match value.node() {
        Node::Object(o) => o.get(key),
        _ => None,
    }
}

/// The issuing country of the first document evidence that names one.
fn issuing_country<V: JsonTree>(top: &V::Object) -> Option<String> {
    let Node::Array(evidence) = top.get("verification").and_then(|v| field(v, "evidence"))?.node() else {
        return None;
    };
    evidence.iter().take(8).find_map(|e| {
        let issuer = field(field(e, "document_details").or_else(|| field(e, "document"))?, "issuer")?;
        let Node::String(country) = field(issuer, "country_code").or_else(|| field(issuer, "country"))?.node() else {
            return None;
        };
        let country = country.trim();
        (!country.is_empty() && country.len() <= 64).then(|| country.to_owned())
    })
}

/// The reader before it was written over [`JsonTree`] (test reference: `claims::pairs` compares the
/// two on generated pairs).
#[cfg(test)]
pub(crate) mod before {
    use serde_json::Value;

    use super::{AddressPart, ClaimKind, Claimed, VerifiedClaims, MAX_VALUE_BYTES};

    pub(crate) fn from_json(doc: &Value) -> VerifiedClaims {
        let claims_obj = match doc.get("claims") {
            Some(inner @ Value::Object(_)) if doc.get("verification").is_some() => inner,
            _ => doc,
        };
        let read = |kind: &str| claims_obj.get(kind).map_or(Claimed::Absent, read_value);
        let claims = std::array::from_fn(|i| {
            let (kind, name) = ClaimKind::ALL[i];
            if kind == ClaimKind::Address {
                return Claimed::Absent;
            }
            let mut value = read(name);
            if kind == ClaimKind::Birthdate && value == Claimed::Absent {
                value = read("bithdate");
            }
            value
        });
        let address = match claims_obj.get("address") {
            Some(Value::Object(parts)) => {
                std::array::from_fn(|i| parts.get(AddressPart::ALL[i].1).map_or(Claimed::Absent, read_value))
            }
            Some(Value::Null) | None => std::array::from_fn(|_| Claimed::Absent),
            Some(_) => std::array::from_fn(|_| Claimed::Unreadable),
        };
        VerifiedClaims { claims, address, issuing_country: issuing_country(doc) }
    }

    fn read_value(v: &Value) -> Claimed {
        match v {
            Value::Null => Claimed::Absent,
            Value::String(s) if s.len() > MAX_VALUE_BYTES => Claimed::Unreadable,
            Value::String(s) if s.trim().is_empty() => Claimed::Absent,
            Value::String(s) => Claimed::Text(s.trim().to_owned()),
            Value::Object(o) => o.get("value").map_or(Claimed::Absent, read_value),
            _ => Claimed::Unreadable,
        }
    }

    fn issuing_country(doc: &Value) -> Option<String> {
        let evidence = doc.get("verification")?.get("evidence")?.as_array()?;
        evidence.iter().take(8).find_map(|e| {
            let issuer = e.get("document_details").or_else(|| e.get("document"))?.get("issuer")?;
            let country = issuer.get("country_code").or_else(|| issuer.get("country"))?.as_str()?.trim();
            (!country.is_empty() && country.len() <= 64).then(|| country.to_owned())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_plain_and_wrapped_forms() {
        let plain = VerifiedClaims::from_json(&json!({
            "given_name": " JOSÉ ", "family_name": {"value": "GARCÍA"}, "middle_name": null, "email": "",
            "birthdate": 19900403, "phone_number": "+1 217 555 0100",
            "address": {"street_address": "12 MAIN ST", "postal_code": 62701}, "nationalities": ["ES"]
        }));
        assert_eq!(plain.get(ClaimKind::GivenName), &Claimed::Text("JOSÉ".into()));
        assert_eq!(plain.get(ClaimKind::FamilyName), &Claimed::Text("GARCÍA".into()));
        assert_eq!(plain.get(ClaimKind::MiddleName), &Claimed::Absent);
        assert_eq!(plain.get(ClaimKind::Email), &Claimed::Absent);
        assert_eq!(plain.get(ClaimKind::Birthdate), &Claimed::Unreadable);
        assert_eq!(plain.address_part(AddressPart::StreetAddress).text(), Some("12 MAIN ST"));
        assert_eq!(plain.address_part(AddressPart::PostalCode), &Claimed::Unreadable);
        assert_eq!(plain.address_part(AddressPart::Locality), &Claimed::Absent);

        let wrapped = VerifiedClaims::from_json(&json!({
            "verification": {"trust_framework": "IDV-DELEGATED"},
            "claims": {"given_name": "Ana", "bithdate": "1990-04-03"}
        }));
        assert_eq!(wrapped.get(ClaimKind::GivenName).text(), Some("Ana"));
        assert_eq!(wrapped.get(ClaimKind::Birthdate).text(), Some("1990-04-03"));
        let odd = VerifiedClaims::from_json(&json!({"address": "12 Main St"}));
        assert_eq!(odd.address_part(AddressPart::Country), &Claimed::Unreadable);
    }
}
