//! The claims the engine compares, named as in OIDC Identity Assurance and Okta's IDV requests.

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use crate::profile::CanonicalField;

/// A verifiable claim (OIDC name in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// `given_name`.
    GivenName,
    /// `middle_name`.
    MiddleName,
    /// `family_name`.
    FamilyName,
    /// `birthdate` (ISO 8601 date).
    Birthdate,
    /// `address`, compared part by part.
    Address,
    /// `phone_number` (E.164 after normalization).
    PhoneNumber,
    /// `email`.
    Email,
}

impl ClaimKind {
    /// Every claim kind with its JSON name, in report order.
    pub const ALL: [(ClaimKind, &'static str); 7] = [
        (ClaimKind::GivenName, "given_name"),
        (ClaimKind::MiddleName, "middle_name"),
        (ClaimKind::FamilyName, "family_name"),
        (ClaimKind::Birthdate, "birthdate"),
        (ClaimKind::Address, "address"),
        (ClaimKind::PhoneNumber, "phone_number"),
        (ClaimKind::Email, "email"),
    ];

    /// The JSON name, e.g. `given_name`.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(k, _)| *k == self).map_or("", |(_, n)| n)
    }

    /// Parses a JSON name; `bithdate` (a misspelling in Okta's own example) is read as `birthdate`.
    pub fn from_name(name: &str) -> Option<ClaimKind> {
        let name = if name == "bithdate" { "birthdate" } else { name };
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }

    /// The directory field holding this claim's value (`None` for `address`, which has parts).
    pub fn field(self) -> Option<CanonicalField> {
        match self {
            ClaimKind::GivenName => Some(CanonicalField::GivenName),
            ClaimKind::MiddleName => Some(CanonicalField::MiddleName),
            ClaimKind::FamilyName => Some(CanonicalField::FamilyName),
            ClaimKind::Birthdate => Some(CanonicalField::Birthdate),
            ClaimKind::PhoneNumber => Some(CanonicalField::MobilePhone),
            ClaimKind::Email => Some(CanonicalField::Email),
            ClaimKind::Address => None,
        }
    }
}

/// A component of the `address` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum AddressPart {
    /// `street_address` (lines separated by newlines).
    StreetAddress,
    /// `locality` (city).
    Locality,
    /// `region` (state, province).
    Region,
    /// `postal_code`.
    PostalCode,
    /// `country`.
    Country,
}

impl AddressPart {
    /// Every part with its JSON name, in report order.
    pub const ALL: [(AddressPart, &'static str); 5] = [
        (AddressPart::StreetAddress, "street_address"),
        (AddressPart::Locality, "locality"),
        (AddressPart::Region, "region"),
        (AddressPart::PostalCode, "postal_code"),
        (AddressPart::Country, "country"),
    ];

    /// The JSON name, e.g. `postal_code`.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(p, _)| *p == self).map_or("", |(_, n)| n)
    }

    /// Parses a JSON name.
    pub fn from_name(name: &str) -> Option<AddressPart> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(p, _)| *p)
    }

    /// The directory field holding this part.
    pub fn field(self) -> CanonicalField {
        match self {
            AddressPart::StreetAddress => CanonicalField::StreetAddress,
            AddressPart::Locality => CanonicalField::Locality,
            AddressPart::Region => CanonicalField::Region,
            AddressPart::PostalCode => CanonicalField::PostalCode,
            AddressPart::Country => CanonicalField::Country,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (kind, name) in ClaimKind::ALL {
            assert_eq!(kind.name(), name);
            assert_eq!(ClaimKind::from_name(name), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(name));
        }
        for (part, name) in AddressPart::ALL {
            assert_eq!(AddressPart::from_name(name), Some(part));
            assert_eq!(serde_json::to_value(part).unwrap(), serde_json::json!(name));
        }
        assert_eq!(ClaimKind::from_name("bithdate"), Some(ClaimKind::Birthdate));
        assert_eq!(ClaimKind::from_name("document_number"), None);
        // Prepared values are stored by discriminant: it must be the position in `ALL`.
        for (i, (kind, _)) in ClaimKind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, i);
        }
        for (i, (part, _)) in AddressPart::ALL.iter().enumerate() {
            assert_eq!(*part as usize, i);
        }
    }
}
