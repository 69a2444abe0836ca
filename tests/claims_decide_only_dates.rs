//! `decide_only` (what `decideMany` runs) reads the birthdate alone first, and reads the verified
//! address's country only when an ambiguous numeric date needs it: the decision must stay the full
//! report's whichever country fixes the day/month order (the document's issuing country, the verified
//! address's, a country where both orders are common, none), with and without an address claim.

use okta_directory::claims::VerifiedClaims;
use okta_directory::claims::{ClaimKind, Decision, Matcher, Policy};
use okta_directory::profile::normalize_user;
use serde_json::{json, Value};

fn verified(birthdate: &str, address_country: Option<&str>, issuing: Option<&str>) -> Value {
    let mut claims = json!({"given_name": "Elizabeth", "family_name": "Garcia", "birthdate": birthdate});
    if let Some(country) = address_country {
        claims["address"] = json!({"street_address": "12 Main St", "postal_code": "62701", "country": country});
    }
    match issuing {
        Some(country) => json!({"claims": claims, "verification": {"evidence": [
            {"type": "document", "document_details": {"type": "passport", "issuer": {"country_code": country}}}
        ]}}),
        None => claims,
    }
}

#[test]
fn an_ambiguous_date_is_read_in_the_same_order_by_the_decision_only_path() {
    let names_and_birthdate = {
        let mut policy = Policy::default();
        policy.claims.retain(|r| matches!(r.kind, ClaimKind::GivenName | ClaimKind::FamilyName | ClaimKind::Birthdate));
        policy
    };
    let mut by_address_country = 0;
    for policy in [Policy::default(), names_and_birthdate] {
        let matcher = Matcher::new(policy.clone());
        for date in ["03/04/1980", "04/03/1980", "3.4.1980", "1980-03-04"] {
            for address in [None, Some("US"), Some("GB"), Some("CA"), Some("United States")] {
                for issuing in [None, Some("USA"), Some("DE"), Some("CA")] {
                    for record in ["1980-03-04", "1980-04-03"] {
                        let profile = json!({"profile": {"firstName": "Elizabeth", "lastName": "Garcia",
                            "birthdate": record, "streetAddress": "12 Main St", "zipCode": "62701",
                            "countryCode": "US"}});
                        let user = normalize_user(&profile, &policy.attribute_mapping()).expect("a user").user;
                        let v = verified(date, address, issuing);
                        let claims = VerifiedClaims::from_json(&v);
                        let report = matcher.decide(&claims, &user);
                        assert_eq!(matcher.decide_only(&claims, &user), report.decision, "{v} / {record}");
                        let reasons = &report.claims[&ClaimKind::Birthdate].result().reasons;
                        if report.decision == Decision::Match
                            && reasons.iter().any(|r| r.code() == "DATE_ORDER_FROM_ADDRESS_COUNTRY")
                        {
                            by_address_country += 1;
                        }
                    }
                }
            }
        }
    }
    // The address's country decided some matches (the path the shortcut reads lazily).
    assert!(by_address_country > 0, "{by_address_country} matches read in the address country's order");
}
