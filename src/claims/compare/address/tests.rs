use serde_json::json;

use super::*;
use crate::claims::policy::{MatchMode, Policy};
use Outcome::*;
use Reason::*;

pub(super) fn rule() -> ClaimRule {
    default_rule(ClaimKind::Address)
}

pub(super) fn parts<'a>(
    street: &'a str,
    locality: &'a str,
    region: &'a str,
    postal: &'a str,
    country: &'a str,
) -> AddressParts<'a> {
    let opt = |s: &'a str| Some(s).filter(|s| !s.is_empty());
    AddressParts {
        street_address: opt(street),
        locality: opt(locality),
        region: opt(region),
        postal_code: opt(postal),
        country: opt(country),
        unreadable: Default::default(),
    }
}

#[test]
fn contract_example_matches() {
    let verified = parts("12 MAIN ST APT 4", "SPRINGFIELD", "IL", "62701", "US");
    let directory = parts("12 Main Street #4", "Springfield", "IL", "62701-1234", "US");
    let r = compare_address(&verified, &directory, &rule());
    assert_eq!(r.overall.outcome, Match);
    assert_eq!(r.overall.score, 1.0);
    assert_eq!(r.overall.reasons, vec![StreetAbbreviated, UnitNormalized, Zip4Ignored]);
    assert!(r.parts.values().all(|p| p.outcome == Match));
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["outcome"], "match");
    assert_eq!(v["reasons"], json!(["STREET_ABBREVIATED", "UNIT_NORMALIZED", "ZIP4_IGNORED"]));
    assert_eq!(v["parts"]["postal_code"]["reasons"], json!(["ZIP4_IGNORED"]));
    let names: Vec<&str> = v["parts"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(names, ["country", "locality", "postal_code", "region", "street_address"]);
}

#[test]
fn combined_outcomes() {
    let full = parts("12 Main St", "Springfield", "IL", "62701", "US");
    let cases: &[(AddressParts<'_>, Outcome)] = &[
        (full.clone(), Match),
        (parts("14 Main St", "Springfield", "IL", "62701", "US"), Mismatch),
        (parts("12 Main St", "Springfield", "IL", "62702", "US"), Mismatch),
        (parts("12 Main St", "Springfield", "Illinois", "62701", "United States"), Match),
        (parts("12 Main St", "Springfeld", "IL", "62701", "USA"), Match),
        (parts("12 Main St", "Newport", "IL", "62701", "US"), Mismatch),
        (parts("12 Main St", "Springfield", "IN", "62701", "US"), Mismatch),
        (parts("12 Main St", "Springfield", "IL", "62701", "CA"), Mismatch),
        (parts("12 Main St", "", "", "", ""), Match),
        (parts("", "", "", "62701", ""), Match),
        (parts("", "", "", "", ""), MissingVerified),
        (parts("---", "Springfield", "IL", "62701", "US"), Invalid),
        (parts("---", "Springfield", "IN", "62701", "US"), Mismatch),
        (parts("12 Main St", "Springfield", "IL", "6270", "US"), Mismatch),
    ];
    for (verified, outcome) in cases {
        let r = compare_address(verified, &full, &rule());
        assert_eq!(r.overall.outcome, *outcome, "{verified:?}");
        let reversed = match outcome {
            MissingVerified => MissingDirectory,
            other => *other,
        };
        assert_eq!(compare_address(&full, verified, &rule()).overall.outcome, reversed, "reversed {verified:?}");
    }
    let r = compare_address(&full, &AddressParts::default(), &rule());
    assert_eq!(r.overall.outcome, MissingDirectory);
    assert_eq!(r.parts[&AddressPart::Locality].outcome, MissingDirectory);
}

#[test]
fn missing_parts_are_reported_and_skipped_unless_required() {
    let verified = parts("12 Main St", "Springfield", "", "62701", "US");
    let directory = parts("12 Main Street", "Springfield", "IL", "", "US");
    let r = compare_address(&verified, &directory, &rule());
    assert_eq!(r.overall.outcome, Match);
    assert_eq!(r.parts[&AddressPart::Region].outcome, MissingVerified);
    assert_eq!(r.parts[&AddressPart::PostalCode].outcome, MissingDirectory);
    assert_eq!(r.parts[&AddressPart::PostalCode].score, 0.0);

    let mut strict = rule();
    for p in &mut strict.parts {
        p.required = p.part == AddressPart::PostalCode;
    }
    let r = compare_address(&verified, &directory, &strict);
    assert_eq!(r.overall.outcome, MissingDirectory);
    assert_eq!(r.overall.score, 0.0);
    // A mismatch elsewhere says more than the missing part.
    let other = parts("14 Main St", "Springfield", "IL", "", "US");
    assert_eq!(compare_address(&verified, &other, &strict).overall.outcome, Mismatch);
}

#[test]
fn score_is_the_mean_of_compared_parts() {
    let verified = parts("12 Main St", "Springfeld", "", "", "");
    let directory = parts("12 Main St", "Springfield", "", "", "");
    let r = compare_address(&verified, &directory, &rule());
    assert_eq!(r.overall.outcome, Match);
    assert!((r.overall.score - (1.0 + 10.0 / 11.0) / 2.0).abs() < 1e-9);
    assert_eq!(r.overall.reasons, vec![FuzzyMatch]);
}

#[test]
fn exact_mode_and_unit_on_one_side() {
    let verified = parts("12 Main St Apt 4", "Springfield", "IL", "62701", "US");
    let directory = parts("12 Main St", "Springfield", "IL", "62701", "US");
    let r = compare_address(&verified, &directory, &rule());
    assert_eq!((r.overall.outcome, r.overall.reasons.to_vec().as_slice()), (Match, [UnitMissingOneSide].as_slice()));
    let mut exact = rule();
    exact.mode = MatchMode::Exact;
    let r = compare_address(&verified, &directory, &exact);
    assert_eq!((r.overall.outcome, r.overall.reasons.to_vec().as_slice()), (Mismatch, [UnitMissingOneSide].as_slice()));
    // Exact mode still folds case, abbreviations and postal formatting.
    let a = parts("12 MAIN STREET", "SAINT LOUIS", "Missouri", "63101-1234", "United States");
    let b = parts("12 Main St", "St. Louis", "MO", "63101", "US");
    assert_eq!(compare_address(&a, &b, &exact).overall.outcome, Match);
}

#[test]
fn the_stricter_of_claim_and_part_thresholds_applies() {
    let verified = parts("", "Springfeld", "", "", "");
    let directory = parts("", "Springfield", "", "", "");
    assert_eq!(compare_address(&verified, &directory, &rule()).overall.outcome, Match);
    let mut strict_claim = rule();
    strict_claim.threshold = 0.95;
    assert_eq!(compare_address(&verified, &directory, &strict_claim).overall.outcome, Mismatch);
    let mut strict_part = rule();
    strict_part.parts.iter_mut().for_each(|p| p.threshold = 0.95);
    assert_eq!(compare_address(&verified, &directory, &strict_part).overall.outcome, Mismatch);
}

#[test]
fn an_empty_rule_compares_every_part_with_the_defaults() {
    let mut empty = rule();
    empty.parts.clear();
    let a = parts("12 Main St", "Springfield", "IL", "62701", "US");
    let r = compare_address(&a, &a, &empty);
    assert_eq!((r.overall.outcome, r.parts.len()), (Match, 5));
}

#[test]
fn building_from_json_and_directory_records() {
    let oidc = json!({"street_address": "12 Main St\nApt 4", "locality": "Austin", "region": "TX",
                      "postal_code": 78701, "country_code": "USA"});
    let p = AddressParts::from_json(&oidc);
    assert_eq!(p.street_address, Some("12 Main St\nApt 4"));
    assert_eq!((p.postal_code, p.country), (None, Some("USA")));
    let okta = json!({"locality": {"value": "Austin", "fuzzy": true}, "country": {"value": "United States"}});
    let p = AddressParts::from_json(&okta);
    assert_eq!((p.locality, p.country), (Some("Austin"), Some("United States")));
    assert_eq!(AddressParts::from_json(&json!(null)), AddressParts::default());
    assert_eq!(AddressParts::from_json(&json!({"locality": "  ", "region": null})), AddressParts::default());
    assert_eq!(AddressParts::from_json(&json!("12 Main St")).unreadable.len(), 5);
    let odd_json = json!({"locality": ["Austin"], "region": {"value": 12}, "country": {}});
    let odd = AddressParts::from_json(&odd_json);
    assert_eq!(odd.unreadable.iter().copied().collect::<Vec<_>>(), [AddressPart::Locality, AddressPart::Region]);
    assert_eq!(odd.country, None);

    let record = PostalAddress { locality: Some("Austin".into()), country: Some("US".into()), ..Default::default() };
    let p = AddressParts::from(&record);
    assert_eq!((p.locality, p.country, p.region), (Some("Austin"), Some("US"), None));
    let policy = Policy::default();
    let r = compare_address(&AddressParts::from_json(&okta), &p, policy.rule(ClaimKind::Address).unwrap());
    assert_eq!(r.overall.outcome, Match);
}

#[test]
fn homoglyphs_and_invisible_characters_never_match() {
    let genuine = parts("1600 Pennsylvania Avenue NW", "Springfield", "IL", "62701", "US");
    // Cyrillic а, е, о, р, с, і and Latin look-alikes, one at a time, in every position they fit.
    let swaps = [('a', 'а'), ('e', 'е'), ('o', 'о'), ('p', 'р'), ('c', 'с'), ('i', 'і')];
    for text in ["1600 Pennsylvania Avenue NW", "Springfield"] {
        for (i, c) in text.char_indices() {
            let Some((_, fake)) = swaps.iter().find(|(latin, _)| *latin == c) else { continue };
            let spoofed = format!("{}{}{}", &text[..i], fake, &text[i + c.len_utf8()..]);
            let forged = if text == "Springfield" {
                parts("1600 Pennsylvania Avenue NW", &spoofed, "IL", "62701", "US")
            } else {
                parts(&spoofed, "Springfield", "IL", "62701", "US")
            };
            assert_eq!(compare_address(&forged, &genuine, &rule()).overall.outcome, Mismatch, "{spoofed}");
        }
    }
    let hidden = [
        ("Spring\u{200b}field", SuspiciousInvisible),
        ("Spring\u{ad}field", SuspiciousInvisible),
        ("\u{202e}Springfield", SuspiciousBidiControl),
        ("Spr\u{456}ngfield", SuspiciousMixedScript),
        ("Spring\u{7}field", SuspiciousControl),
    ];
    for (locality, reason) in hidden {
        let forged = parts("1600 Pennsylvania Avenue NW", locality, "IL", "62701", "US");
        let r = compare_address(&forged, &genuine, &rule());
        assert_eq!(r.overall.outcome, Mismatch, "{locality:?}");
        assert!(r.parts[&AddressPart::Locality].reasons.contains(&reason), "{locality:?}: {r:?}");
    }
    // A Cyrillic look-alike country code or region never reads as the Latin one either.
    let forged = parts("1600 Pennsylvania Avenue NW", "Springfield", "\u{406}L", "62701", "\u{55}\u{405}");
    assert_eq!(compare_address(&forged, &genuine, &rule()).overall.outcome, Mismatch);
}

#[test]
fn other_scripts_and_diacritics_still_match() {
    let a = parts("Rue de l'Église 4", "Montréal", "Québec", "H2X 1Y4", "Canada");
    let b = parts("4 rue de l'Eglise", "MONTREAL", "QC", "h2x1y4", "CA");
    assert_eq!(compare_address(&a, &b, &rule()).overall.outcome, Match);
    let moscow = parts("ул. Тверская 7", "Москва", "", "125009", "Россия");
    assert_eq!(compare_address(&moscow, &moscow, &rule()).overall.outcome, Match);
    let tokyo = parts("千代田1-1", "東京都", "", "100-0001", "Japan");
    assert_eq!(compare_address(&tokyo, &tokyo, &rule()).overall.outcome, Match);
}

#[test]
fn unreadable_parts_are_invalid_never_missing() {
    let claims = VerifiedClaims::from_json(&json!({"address": {"street_address": "12 Main St", "postal_code": 62701}}));
    let verified = AddressParts::from(&claims);
    assert_eq!(verified.street_address, Some("12 Main St"));
    let directory = parts("12 Main St", "Springfield", "IL", "62701", "US");
    let r = compare_address(&verified, &directory, &rule());
    assert_eq!((r.overall.outcome, r.overall.reasons.to_vec().as_slice()), (Invalid, [Unparseable].as_slice()));
    assert_eq!(r.parts[&AddressPart::PostalCode].outcome, Invalid);
    assert_eq!(r.parts[&AddressPart::StreetAddress].outcome, Match);
    // Unreadable on a side that has nothing else is still not "missing".
    let bad_json = json!({"postal_code": true});
    let only_bad = AddressParts::from_json(&bad_json);
    assert_eq!(compare_address(&only_bad, &AddressParts::default(), &rule()).overall.outcome, Invalid);
}

#[test]
fn an_unboxed_postal_key_leaves_a_part_its_size() {
    // A loaded pair holds every part: the postal key sits in the part unboxed only because it is no
    // larger than the locality's keys.
    use std::mem::size_of;
    assert!(size_of::<postal::PostalKey>() <= size_of::<(String, Option<String>)>());
    assert_eq!(size_of::<PartKey>(), size_of::<(String, Option<String>)>());
}
