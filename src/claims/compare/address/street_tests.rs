use super::*;
use MatchMode::{Exact, Fuzzy};
use Outcome::*;
use Reason::*;

fn key(s: &str) -> (Vec<String>, String, Vec<String>, Option<String>) {
    let k = normalize_street(s);
    (k.house_numbers().map(str::to_owned).collect(), k.words().to_owned(), k.units, k.po_box)
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn normalized_forms() {
    type Case<'a> = (&'a str, &'a [&'a str], &'a str, &'a [&'a str], Option<&'a str>);
    let cases: &[Case<'_>] = &[
        ("12 Main St", &["12"], "main st", &[], None),
        ("12 Main Street", &["12"], "main st", &[], None),
        ("12 MAIN STR.", &["12"], "main st", &[], None),
        ("12 Main St Apt 4", &["12"], "main st", &["4"], None),
        ("12 Main Street #4", &["12"], "main st", &["4"], None),
        ("12 Main Street, Apartment 4", &["12"], "main st", &["4"], None),
        ("12 Main St Unit 4", &["12"], "main st", &["4"], None),
        ("12 Main St Apt. #04", &["12"], "main st", &["4"], None),
        ("12 Main St Ste 4-B", &["12"], "main st", &["4b"], None),
        ("12 Main St\nApt 4", &["12"], "main st", &["4"], None),
        ("12 Main St Bldg 2 Apt 4", &["12"], "main st", &["2", "4"], None),
        ("12 Main St Rear", &["12"], "main st", &["rear"], None),
        ("Flat 4, 12 Main Road", &["12"], "main rd", &["4"], None),
        ("4/12 George Street", &["12"], "george st", &["4"], None),
        ("1600 Pennsylvania Avenue NW", &["1600"], "pennsylvania ave nw", &[], None),
        ("1600 Pennsylvania Ave. Northwest", &["1600"], "pennsylvania ave nw", &[], None),
        ("100 North Main Street", &["100"], "n main st", &[], None),
        ("100 North Street", &["100"], "north st", &[], None),
        ("350 Fifth Avenue", &["350"], "5th ave", &[], None),
        ("350 5th Ave", &["350"], "5th ave", &[], None),
        ("12 1/2 Elm Boulevard", &["12", "1/2"], "elm blvd", &[], None),
        ("12-14 Saint Charles Ave", &["12-14"], "st charles ave", &[], None),
        ("12-14 St. Charles Avenue", &["12-14"], "st charles ave", &[], None),
        ("45 Mount Vernon Pkwy", &["45"], "mt vernon pkwy", &[], None),
        ("7 Rosemary Crescent", &["7"], "rosemary cres", &[], None),
        ("7 Rosemary Close", &["7"], "rosemary cl", &[], None),
        ("7 Kensington Gardens", &["7"], "kensington gdns", &[], None),
        ("123 rue Sainte-Catherine", &["123"], "rue sainte catherine", &[], None),
        ("123 ch. du Lac", &["123"], "chemin du lac", &[], None),
        ("Hauptstraße 12", &["12"], "haupt st", &[], None),
        ("Hauptstr. 12", &["12"], "haupt st", &[], None),
        ("Haupt Str. 12", &["12"], "haupt st", &[], None),
        ("Berliner Straße 12", &["12"], "berliner st", &[], None),
        ("12 r. Victor Hugo", &["12"], "rue victor hugo", &[], None),
        ("12 bd Voltaire", &["12"], "blvd voltaire", &[], None),
        ("Highway 61", &[], "hwy 61", &[], None),
        ("Route 66", &[], "rte 66", &[], None),
        ("12 Highway 61", &["12"], "hwy 61", &[], None),
        ("12B Main St", &["12b"], "main st", &[], None),
        ("12 B Main St", &["12b"], "main st", &[], None),
        ("12 N Main St", &["12"], "n main st", &[], None),
        ("12 A St", &["12"], "a st", &[], None),
        ("Avenue of the Americas", &[], "ave of the americas", &[], None),
        ("P.O. Box 12", &[], "", &[], Some("12")),
        ("PO BOX 12", &[], "", &[], Some("12")),
        ("Post Office Box 12", &[], "", &[], Some("12")),
        ("POB 0012", &[], "", &[], Some("12")),
        ("Box 12", &[], "", &[], Some("12")),
        ("PO Box #12", &[], "", &[], Some("12")),
        ("Box 12 Rd", &[], "box 12 rd", &[], None),
        ("12 Box Canyon Rd", &["12"], "box canyon rd", &[], None),
    ];
    for (input, numbers, words, units, po_box) in cases {
        let want = (strings(numbers), (*words).to_owned(), strings(units), po_box.map(str::to_owned));
        assert_eq!(key(input), want, "{input:?}");
    }
}

#[test]
fn blank_punctuation_and_huge_input_read_as_empty() {
    assert!(normalize_street("").is_empty());
    assert!(normalize_street(" ,.; ").is_empty());
    assert!(normalize_street(&"1 Main St ".repeat(1000)).is_empty());
    assert!(!normalize_street("Main").is_empty());
}

fn cmp(a: &str, b: &str, mode: MatchMode) -> ClaimResult {
    compare_street(&normalize_street(a), &normalize_street(b), mode, 0.85)
}

#[test]
fn comparisons() {
    let cases: &[(&str, &str, MatchMode, Outcome, &[Reason])] = &[
        ("12 Main St", "12 Main St", Exact, Match, &[]),
        ("12 Main St Apt 4", "12 Main Street #4", Fuzzy, Match, &[StreetAbbreviated, UnitNormalized]),
        ("12 Main St Apt 4", "12 Main Street #4", Exact, Match, &[StreetAbbreviated, UnitNormalized]),
        ("12 MAIN ST APT 4", "12 Main Street, Apartment 4", Fuzzy, Match, &[StreetAbbreviated, UnitNormalized]),
        ("12 Main St\nApt 4", "12 Main St Apt 4", Exact, Match, &[]),
        ("1600 Pennsylvania Avenue NW", "1600 Pennsylvania Ave. Northwest", Exact, Match, &[StreetAbbreviated]),
        ("350 Fifth Avenue", "350 5th Ave", Exact, Match, &[StreetAbbreviated]),
        ("12 Main St", "14 Main St", Fuzzy, Mismatch, &[HouseNumberDiffers]),
        ("12 Main St", "Main St", Fuzzy, Mismatch, &[HouseNumberDiffers]),
        ("12 Main St Apt 4", "12 Main St Apt 5", Fuzzy, Mismatch, &[UnitDiffers]),
        ("12 Main St Apt 4", "12 Main St Apt 4B", Fuzzy, Mismatch, &[UnitDiffers]),
        ("12 Main St Ste 4", "12 Main St Apt 4", Exact, Match, &[UnitNormalized]),
        ("12 Main St Fl 4", "12 Main St Apt 4", Fuzzy, Mismatch, &[UnitDiffers]),
        ("12 Main St Bldg 4", "12 Main St #4", Fuzzy, Mismatch, &[UnitDiffers]),
        ("12 Main St Floor 4", "12 Main St Fl 4", Exact, Match, &[UnitNormalized]),
        ("12 Main St Penthouse", "12 Main St PH", Exact, Match, &[UnitNormalized]),
        ("12 Main St Apt 4", "12 Main St", Fuzzy, Match, &[UnitMissingOneSide]),
        ("12 Main St", "12 Main St #4", Fuzzy, Match, &[UnitMissingOneSide]),
        ("12 Main St Apt 4", "12 Main St", Exact, Mismatch, &[UnitMissingOneSide]),
        ("PO Box 12", "P.O. Box 12", Exact, Match, &[PoBox]),
        ("PO Box 12", "P.O. Box 13", Fuzzy, Mismatch, &[PoBox, PoBoxDiffers]),
        ("PO Box 12", "12 Main St", Fuzzy, Mismatch, &[PoBox]),
        ("12 Pennsylvania Ave", "12 Pensylvania Ave", Fuzzy, Match, &[FuzzyMatch]),
        ("12 Pennsylvania Ave", "12 Pensylvania Ave", Exact, Mismatch, &[]),
        ("12 Oak St", "12 Oat St", Fuzzy, Mismatch, &[]),
        ("12 Main St", "12 Elm St", Fuzzy, Mismatch, &[]),
        ("12 W 125th St", "12 W 126th St", Fuzzy, Mismatch, &[]),
        ("12 Highway 61 Apt 4", "12 Highway 62 Apt 4", Fuzzy, Mismatch, &[]),
        ("12 Main St N", "12 N Main St", Fuzzy, Mismatch, &[]),
        ("12 Main St NE", "12 Main St", Fuzzy, Mismatch, &[]),
        ("12B Main St", "12 B Main Street", Exact, Match, &[StreetAbbreviated]),
        ("12B Main St", "12C Main St", Fuzzy, Mismatch, &[HouseNumberDiffers]),
        ("Highway 61", "Hwy 61", Exact, Match, &[StreetAbbreviated]),
        ("4/12 George St", "Unit 4, 12 George Street", Fuzzy, Match, &[StreetAbbreviated, UnitNormalized]),
        // German street types, joined or apart, abbreviated or not.
        ("Hauptstr. 12", "Hauptstraße 12", Exact, Match, &[StreetAbbreviated]),
        ("HAUPTSTR. 12", "Hauptstrasse 12", Exact, Match, &[StreetAbbreviated]),
        ("Haupt Str. 12", "Hauptstraße 12", Exact, Match, &[StreetAbbreviated]),
        ("Berlinerstr. 12", "Berliner Straße 12", Exact, Match, &[StreetAbbreviated]),
        ("Hauptstr. 12", "Hauptstraße 14", Fuzzy, Mismatch, &[HouseNumberDiffers]),
        ("Hauptstr. 12", "Bahnhofstraße 12", Fuzzy, Mismatch, &[]),
        // French street types before the name.
        ("12 r. Victor Hugo", "12 rue Victor Hugo", Exact, Match, &[StreetAbbreviated]),
        ("12 R VICTOR HUGO", "12 Rue Victor Hugo", Exact, Match, &[StreetAbbreviated]),
        ("12 r. de la Paix", "12 rue de la Paix", Exact, Match, &[StreetAbbreviated]),
        ("12 bd Voltaire", "12 boulevard Voltaire", Exact, Match, &[StreetAbbreviated]),
        ("12 bd. Voltaire", "12 boul. Voltaire", Exact, Match, &[StreetAbbreviated]),
        ("12 av. des Champs-Élysées", "12 avenue des Champs-Élysées", Exact, Match, &[StreetAbbreviated]),
        ("12 pl. de la Concorde", "12 place de la Concorde", Exact, Match, &[StreetAbbreviated]),
        ("12 ch. des Vignes", "12 chemin des Vignes", Exact, Match, &[StreetAbbreviated]),
        ("12 imp. des Lilas", "12 impasse des Lilas", Exact, Match, &[StreetAbbreviated]),
        ("12 r. Victor Hugo", "14 rue Victor Hugo", Fuzzy, Mismatch, &[HouseNumberDiffers]),
        ("12 r. Victor Hugo", "12 bd Victor Hugo", Fuzzy, Mismatch, &[]),
        // A one-letter street name is still a street name; a letter after a number still joins it.
        ("1500 R St NW", "1500 R Street Northwest", Exact, Match, &[StreetAbbreviated]),
        ("12 B Main St", "12B Main Street", Exact, Match, &[StreetAbbreviated]),
    ];
    for (a, b, mode, outcome, reasons) in cases {
        for (x, y) in [(a, b), (b, a)] {
            let r = cmp(x, y, *mode);
            assert_eq!((r.outcome, r.reasons.to_vec().as_slice()), (*outcome, *reasons), "{x:?} vs {y:?} ({mode:?})");
        }
    }
}

#[test]
fn scores() {
    assert_eq!(cmp("12 Main St", "12 Main Street", Fuzzy).score, 1.0);
    assert_eq!(cmp("12 Main St", "14 Main St", Fuzzy).score, 0.0);
    let typo = cmp("12 Pennsylvania Ave", "12 Pensylvania Ave", Fuzzy).score;
    assert!(typo > 0.85 && typo < 1.0, "{typo}");
}
