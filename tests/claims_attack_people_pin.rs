//! Attacker's pin (main's behaviour, 2026-12-07, session 10, 8f21f6a) for the recall and twins work: real
//! people who share most of a record — a parent and a child of one name (Sr/Jr), spouses with close given
//! names, twins with one listed and one off-list or misspelled-looking name (Ana/Anaa, Eva/Ava, Zoe/Zoey),
//! namesakes (same given and family name, same birthdate, another address), a changed surname with the
//! birthdate different — each decided one person's genuine ID against the other's record (`two`); and
//! genuine employees whose given name lost or changed its first letter (Emily/mily, Jason/Hason) on either
//! side, listed and off-list names (`one`). Every case's decision (default policy) is pinned in
//! `tests/fixtures/attack/claims-people.golden.tsv` (written on main with `ATTACK_BLESS=1 cargo test -q --test
//! claims_attack_people_pin`; never re-blessed to make a finding go away). A `two` case that moves to `match`
//! is two people taken for one (`no_match` → `review` a widening too); a `one` case that moves down (match → review/no_match, review → no_match) is
//! a lockout; either fails here and names the case. `decide_only` (what `decideMany` runs) must agree.

use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
use okta_directory::profile::{normalize_user, AttributeMapping};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const GOLDEN: &str = include_str!("fixtures/attack/claims-people.golden.tsv");

/// One side of a case: a person's given name, family name, birthdate and address (house number, street,
/// postal code), and an optional suffix on the record.
#[derive(Clone, Copy)]
struct Person {
    given: &'static str,
    family: &'static str,
    birthdate: &'static str,
    street: &'static str,
    zip: &'static str,
    suffix: Option<&'static str>,
}

const HOME: (&str, &str) = ("12 Main St", "78701");
const ELSEWHERE: (&str, &str) = ("4410 Oak Ridge Dr", "78745");

fn at(
    given: &'static str,
    family: &'static str,
    birthdate: &'static str,
    home: (&'static str, &'static str),
) -> Person {
    Person { given, family, birthdate, street: home.0, zip: home.1, suffix: None }
}

fn id(p: &Person) -> Value {
    json!({"given_name": p.given, "family_name": p.family, "birthdate": p.birthdate,
        "address": {"street_address": p.street, "locality": "Austin", "region": "TX", "postal_code": p.zip, "country": "US"}})
}

fn record(p: &Person) -> Value {
    let mut profile = json!({"login": "person@example.com", "firstName": p.given, "lastName": p.family,
        "birthdate": p.birthdate, "streetAddress": p.street, "city": "Austin", "state": "TX", "zipCode": p.zip,
        "countryCode": "US"});
    if let Some(s) = p.suffix {
        profile["honorificSuffix"] = json!(s);
    }
    json!({"id": "00uperson", "profile": profile})
}

/// (label, kind, ID's person, record's person): `two` = two people, `one` = one person.
fn cases() -> Vec<(String, &'static str, Person, Person)> {
    let mut out = Vec::new();
    let mut two = |label: String, a: Person, b: Person| {
        let who = |p: &Person| {
            let mut w = p.given.to_string();
            if a.birthdate != b.birthdate {
                w += &format!(" {}", p.birthdate);
            }
            if a.zip != b.zip {
                w += &format!(" @{}", p.zip);
            }
            w
        };
        out.push((format!("{label}: {} -> {}", who(&a), who(&b)), "two", a, b));
        out.push((format!("{label}: {} -> {}", who(&b), who(&a)), "two", b, a));
    };
    // Households: parent and child of one given name, one address, birthdates apart.
    for (child, parent) in [("1988-06-14", "1958-06-14"), ("1990-03-02", "1962-09-17"), ("2001-01-01", "1971-01-01")] {
        for (cg, pg) in [("John", "John"), ("Jon", "John"), ("Johnny", "John"), ("Robert", "Bob"), ("Maria", "Maria")] {
            let mut c = at(cg, "Garcia", child, HOME);
            let mut p = at(pg, "Garcia", parent, HOME);
            two(format!("household {child}/{parent}"), c, p);
            c.suffix = Some("Jr.");
            p.suffix = Some("Sr.");
            two(format!("household suffixed {child}/{parent}"), c, p);
        }
    }
    // Spouses: one family name and address, close given names; birthdates apart, the same year, or equal.
    const SPOUSES: [(&str, &str); 16] = [
        ("Daniel", "Danielle"),
        ("Francis", "Frances"),
        ("Jean", "Joan"),
        ("Eric", "Erica"),
        ("Carl", "Carla"),
        ("Paul", "Paula"),
        ("Louis", "Louise"),
        ("Jesse", "Jessie"),
        ("Gene", "Jean"),
        ("Adrian", "Adriana"),
        ("Julian", "Juliana"),
        ("Chris", "Christy"),
        ("Toni", "Tony"),
        ("Bobbi", "Bobby"),
        ("Dean", "Dena"),
        ("Alan", "Alana"),
    ];
    for (a, b) in SPOUSES {
        for (da, db) in [("1985-04-12", "1983-11-02"), ("1985-04-12", "1985-07-12"), ("1985-04-12", "1985-04-12")] {
            two(format!("spouses {da}/{db}"), at(a, "Nguyen", da, HOME), at(b, "Nguyen", db, HOME));
        }
    }
    // Twins: one listed name, one off-list or misspelled-looking name; all else equal.
    const TWINS: [(&str, &str); 24] = [
        ("Ana", "Anaa"),
        ("Leo", "Lio"),
        ("Eva", "Ava"),
        ("Mia", "Miya"),
        ("Zoe", "Zoey"),
        ("Ava", "Avah"),
        ("Mila", "Myla"),
        ("Ella", "Elle"),
        ("Lea", "Leah"),
        ("Ian", "Iain"),
        ("Noa", "Noah"),
        ("Kai", "Kaia"),
        ("Eli", "Ely"),
        ("Ari", "Arie"),
        ("Max", "Maxx"),
        ("Ada", "Adah"),
        ("Ivy", "Ivey"),
        ("Amy", "Aimy"),
        ("Liam", "Lyam"),
        ("Nora", "Norah"),
        ("Cora", "Kora"),
        ("Aria", "Arya"),
        ("Luca", "Luka"),
        ("Owen", "Owin"),
    ];
    for (a, b) in TWINS {
        two("twins".into(), at(a, "Okafor", "2004-09-30", HOME), at(b, "Okafor", "2004-09-30", HOME));
    }
    // Namesakes: same given and family name, same birthdate (a real one, a 1 January), another address.
    for (g, f) in [("John", "Smith"), ("Maria", "Garcia"), ("Wei", "Zhang"), ("Mohammed", "Khan"), ("James", "Brown")] {
        for date in ["1980-05-17", "1980-01-01"] {
            two(format!("namesakes {date}"), at(g, f, date, HOME), at(g, f, date, ELSEWHERE));
            let typo: &'static str = Box::leak(format!("{}{}", &g[..g.len() - 1], "e").into_boxed_str());
            two(format!("namesakes one typo {date}"), at(typo, f, date, HOME), at(g, f, date, ELSEWHERE));
        }
    }
    // A changed surname (marriage) with everything else the same except the birthdate.
    for (old, new) in [("Garcia", "Lopez"), ("Smith", "Smithson"), ("Miller", "Muller"), ("Brown", "Browne")] {
        for (da, db) in [("1990-04-03", "1990-04-08"), ("1990-04-03", "1991-04-03"), ("1990-04-03", "1990-03-04")] {
            two(
                format!("surname changed {old}/{new} {da}/{db}"),
                at("Maria", old, da, HOME),
                at("Maria", new, db, HOME),
            );
        }
    }
    // One person, first letter dropped or a keyboard neighbour, on the ID or in the record.
    const FRONT: [(&str, &str); 24] = [
        ("Emily", "mily"),
        ("Olivia", "livia"),
        ("Amanda", "manda"),
        ("Michael", "ichael"),
        ("Sarah", "arah"),
        ("Andrew", "ndrew"),
        ("Isabella", "sabella"),
        ("Brantley", "rantley"),
        ("Kaylee", "aylee"),
        ("Jaxon", "axon"),
        ("Jason", "Hason"),
        ("Kevin", "Levin"),
        ("Jessica", "Hessica"),
        ("Daniel", "Saniel"),
        ("Robert", "Eobert"),
        ("Thomas", "Rhomas"),
        ("Nicole", "Bicole"),
        ("Megan", "Negan"),
        ("Brandon", "Vrandon"),
        ("Karen", "Laren"),
        ("Jaylen", "Kaylen"),
        ("Brayden", "Nrayden"),
        ("Quinton", "Wuinton"),
        ("Xavier", "Zavier"),
    ];
    for (right, wrong) in FRONT {
        let r = at(right, "Haddad", "1986-12-09", HOME);
        let w = Person { given: wrong, ..r };
        out.push((format!("front typo on the ID: {wrong} -> {right}"), "one", w, r));
        out.push((format!("front typo in the record: {right} -> {wrong}"), "one", r, w));
    }
    out
}

fn rank(d: Decision) -> u8 {
    match d {
        Decision::Match => 2,
        Decision::Review => 1,
        Decision::NoMatch => 0,
    }
}

fn name(d: Decision) -> &'static str {
    match d {
        Decision::Match => "match",
        Decision::Review => "review",
        Decision::NoMatch => "no_match",
    }
}

#[test]
fn shared_records_of_two_people_never_widen_and_one_persons_front_typos_never_narrow() {
    let matcher = Matcher::new(Policy::default());
    let pinned: BTreeMap<&str, &str> = GOLDEN
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, f.nth(1)?))
        })
        .collect();
    let (mut golden, mut bad) = (String::new(), Vec::new());
    let cases = cases();
    for (label, kind, a, b) in &cases {
        let verified = VerifiedClaims::from_json(&id(a));
        let user = normalize_user(&record(b), &AttributeMapping::default()).expect("a valid user").user;
        let d = matcher.decide(&verified, &user).decision;
        if matcher.decide_only(&verified, &user) != d {
            bad.push(format!("{label}: decide_only differs from the report"));
        }
        writeln!(golden, "{label}\t{kind}\t{}", name(d)).expect("writes");
        let Some(was) = pinned.get(label.as_str()) else {
            bad.push(format!("{label}: not pinned"));
            continue;
        };
        let was = match *was {
            "match" => Decision::Match,
            "review" => Decision::Review,
            _ => Decision::NoMatch,
        };
        if *kind == "two" && rank(d) > rank(was) {
            bad.push(format!("{label}: two people, now {} (was {}) — widened", name(d), name(was)));
        } else if *kind == "one" && rank(d) < rank(was) {
            bad.push(format!("{label}: one person, now {} (was {}) — a lockout", name(d), name(was)));
        } else if d != was {
            eprintln!("{label}: {} (pinned {}) — the allowed direction", name(d), name(was));
        }
    }
    if std::env::var_os("ATTACK_BLESS").is_some() {
        std::fs::write("tests/fixtures/attack/claims-people.golden.tsv", &golden).expect("writes");
        return;
    }
    assert_eq!(pinned.len(), cases.len(), "labels are unique and all pinned");
    assert!(bad.is_empty(), "{} of {} changed:\n{}", bad.len(), cases.len(), bad.join("\n"));
}
