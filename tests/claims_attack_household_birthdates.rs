//! Attacker's pin (main's behaviour, 2026-12-07, session 8) for the recall work on birthdates: a father and a
//! son of one household share the given name, the family name and the address (John Garcia Sr. and Jr.), and
//! their birthdates often differ in one digit of the year (1958 ~ 1988) — `ONE_DIGIT_OFF` is also how a typed
//! birthdate goes wrong. The son's own genuine ID must never match the father's record (nor the reverse),
//! whatever else agrees, with the name exact or a nickname; `review` is accepted.

mod common;

use common::twins::Household;
use okta_directory::claims::Decision;

/// (son's birthdate, father's birthdate): one digit of the year apart.
const GENERATIONS: [(&str, &str); 6] = [
    ("1988-06-14", "1958-06-14"),
    ("1990-03-02", "1960-03-02"),
    ("1995-11-30", "1975-11-30"),
    ("2001-01-01", "1971-01-01"),
    ("1988-06-14", "1968-06-14"),
    ("1999-12-31", "1969-12-31"),
];

#[test]
fn a_son_never_matches_his_fathers_record_one_year_digit_apart() {
    let mut breaches = Vec::new();
    for (son, father) in GENERATIONS {
        for (id_name, record_name) in [("John", "John"), ("Johnny", "John"), ("John", "Johnny"), ("Robert", "Bob")] {
            for (id_date, record_date) in [(son, father), (father, son)] {
                let id = Household { family: "Garcia", birthdate: id_date, region: Some("TX"), mobile: None };
                let record = Household { birthdate: record_date, ..id };
                if id.decide_with(id_name, &record, record_name) == Decision::Match {
                    breaches.push(format!("{id_name} born {id_date} matched {record_name} born {record_date}"));
                }
            }
        }
    }
    assert!(breaches.is_empty(), "{}:\n{}", breaches.len(), breaches.join("\n"));
}
