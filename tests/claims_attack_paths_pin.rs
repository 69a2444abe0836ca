//! Attacker's pins (main's behaviour, 2026-12-07, session 7) for the speed work on the claims path: lazily
//! computed keys, allocation-free decide, compact loaded storage, a hand-written report writer.
//!
//! The cases are pairs whose decision depends on the keys a fast path may compute late or skip — phonetic
//! (Smyth ~ Smith), edit (typos), transliteration (Müller ~ Mueller, Cyrillic/Greek/CJK ~ Latin), OCR
//! readings (rn/m, cl/d, vv/w, 0/O, 1/l/I, 5/S, 8/B), nicknames, compound and particle names — and on the
//! address sub-keys (numbers, units, street types, postal codes, regions, countries), phones, emails and
//! dates. Each spelling of a group is tried against every other, so one prepared side meets partners that
//! need different keys.
//!
//! Checked on every path, against each other, with the exact BYTES of each report (float formatting,
//! field order, escapes): the one-call path (`Matcher::decide` serialized as the wasm glue does),
//! `match_many_json` (pairs alone, all pairs in one call forward, reversed and shuffled), `decide_many_json`,
//! `load_pairs` (array and JSON Lines) + `decide_prepared` three times in three orders + `match_prepared`,
//! prepared sides crossed with other pairs' prepared sides (a key cached for one partner must not serve
//! another), and `match_line` with hostile `id`s (quotes, backslashes, control characters, U+2028, non-BMP,
//! numbers that print differently). Three operating points.
//!
//! The golden file `tests/fixtures/attack/claims-paths.golden.tsv` pins each case's decision, a hash of
//! its report bytes and the claims summary (written with `ATTACK_BLESS=1 cargo test -q --test
//! claims_attack_paths_pin`); `claims-paths.cases.jsonl.gz` (the pairs and the native report text, for
//! `js/test/claims-attack-paths-pin.test.ts`, which replays them through both wasm modules and the CLI) is
//! written at the same time.

use okta_directory::claims::{
    decide_many_json, load_pairs, match_line, match_many_json, Matcher, OperatingPoint, Policy, VerifiedClaims,
};
use okta_directory::profile::{normalize_user, DirectoryUser};
use serde_json::{json, Value};
use std::io::Write as _;
use std::path::PathBuf;

/// One case: a name, the two sides as JSON values.
struct Case {
    name: String,
    verified: Value,
    directory: Value,
}

fn base_verified() -> Value {
    json!({"given_name": "Jose", "family_name": "Garcia", "middle_name": "Luis", "birthdate": "1990-04-03",
        "address": {"street_address": "12 Main St", "locality": "Springfield", "region": "IL",
            "postal_code": "62701", "country": "US"},
        "phone_number": "+1 217 555 0100", "email": "jose.garcia@example.com"})
}

fn base_record() -> Value {
    json!({"firstName": "Jose", "lastName": "Garcia", "middleName": "Luis", "birthdate": "1990-04-03",
        "streetAddress": "12 Main St", "city": "Springfield", "state": "IL", "zipCode": "62701",
        "countryCode": "US", "mobilePhone": "+1 217 555 0100", "email": "jose.garcia@example.com"})
}

/// Given-name groups: spellings that agree only through a late key (or must not agree at all).
const GIVEN: &[&[&str]] = &[
    &["Catherine", "Katherine", "Kathryn", "Cathryn", "Katharina"],
    &["Stephen", "Steven", "Stefan", "Étienne"],
    &["Geoffrey", "Jeffrey", "Jeffery"],
    &["Mohammed", "Muhammad", "Mohamad", "Mohamed", "محمد"],
    &["Jonathan", "Jonathon", "Johnathan", "Jonatan"],
    &["Jürgen", "Juergen", "Jurgen", "JÜRGEN"],
    &["Søren", "Soren", "Soeren"],
    &["Łukasz", "Lukasz", "Lucas"],
    &["Александр", "Aleksandr", "Alexander", "Alexandr"],
    &["Γιώργος", "Giorgos", "Yiorgos", "George"],
    &["Robert", "Bob", "Rob", "Bobby", "Roberta"],
    &["William", "Bill", "Will", "VVilliam", "Wiliam"],
    &["Margaret", "Peggy", "Maggie", "Margret"],
    &["Mary Ann", "Maryann", "Mary-Ann", "Mary", "Ann"],
    &["Marnie", "Mamie", "Mamie", "Marine"],
    &["Claude", "Daude", "Clause"],
    &["Oliver", "0liver", "Olivier"],
    &["Isabel", "1sabel", "lsabel", "Isobel", "|sabel"],
    &["Sara", "5ara", "Sarah", "Zara"],
    &["Bob", "8ob", "Rob"],
    &["Ilia", "Lila", "Ilia", "Ilya"],
    &["J.", "J", "Jose", "José", "JOSE"],
    &["Jose Luis", "José-Luis", "JoseLuis", "Luis"],
    &["Sam", "Pam", "Samuel", "Samantha"],
    &["Yuki", "Yuko", "ユキ"],
    &["Minjun", "Min-jun", "민준", "Min Jun"],
    &["Wei", "伟", "Way"],
];

/// Family-name groups.
const FAMILY: &[&[&str]] = &[
    &["Smith", "Smyth", "Schmidt", "Smithe"],
    &["Thompson", "Thomson", "Tomson", "Thompsen"],
    &["Müller", "Mueller", "Muller", "MÜLLER", "Muler"],
    &["Garcia", "García", "Gracia", "Garica", "Garcia Lopez", "García-López"],
    &["van der Berg", "Vanderberg", "Berg", "Van Den Berg", "vanderBerg"],
    &["O'Brien", "OBrien", "O Brien", "O’Brien", "Obrien"],
    &["Nguyen", "Nguen", "Ngyuen", "Nguyễn"],
    &["Kim", "Kirn", "김", "Gim"],
    &["Zhang", "张", "Chang"],
    &["Иванов", "Ivanov", "Iwanow", "Ivanova"],
    &["Papadopoulos", "Παπαδόπουλος", "Papadopulos"],
    &["Wolfeschlegelsteinhausenbergerdorff", "Wolfeschlegelsteinhausen", "WOLFESCHLEGELST"],
    &["Lindqvist", "Lindquist", "Lindkvist"],
    &["Dubois", "Du Bois", "DuBois", "Dubais"],
];

/// Address groups (street line, locality, region, postal code, country), one field varied at a time.
const STREETS: &[&str] = &[
    "12 Main St",
    "12 Main Street",
    "12 MAIN ST.",
    "12 Main St Apt 4B",
    "12 Main St #4B",
    "Apt 4B, 12 Main St",
    "21 Main St",
    "12 Maine St",
    "12 N Main St",
    "12 North Main Street",
    "12a Main St",
    "12-14 Main St",
    "PO Box 12",
    "12 Mian St",
];
const LOCALITIES: &[&str] = &["Springfield", "SPRINGFIELD", "Springfeld", "Spring Field", "Sprngfield", "Chicago"];
const POSTAL: &[&str] = &["62701", "62701-1234", "627011234", "62702", "6270", " 62701 "];
const REGIONS: &[&str] = &["IL", "Illinois", "il", "ILL", "IN"];
const COUNTRIES: &[&str] = &["US", "USA", "United States", "us", "CA"];
const PHONES: &[&str] =
    &["+1 217 555 0100", "(217) 555-0100", "2175550100", "+12175550100", "+1 217 555 0101", "555-0100"];
const EMAILS: &[&str] = &[
    "jose.garcia@example.com",
    "Jose.Garcia@Example.COM",
    "josegarcia@example.com",
    "jose.garcia+id@example.com",
    "jose.garcia@example.co",
    "jose.garcía@example.com",
];
const DATES: &[&str] = &["1990-04-03", "1990-03-04", "1990-4-3", "19900403", "03/04/1990", "1990-04-04", "1991-04-03"];

/// Other street spellings, by country: German, French, UK, Japanese.
const ABROAD: &[(&str, &[&str], &str, &str)] = &[
    (
        "DE",
        &["Schillerstraße 23", "Schillerstrasse 23", "Schillerstr. 23", "Schiller Str 23", "Schillerstraße 32"],
        "Köln",
        "50603",
    ),
    (
        "FR",
        &["12 rue de la Paix", "12 Rue De La Paix", "12, rue de la paix", "12 r de la Paix", "12 bis rue de la Paix"],
        "Paris",
        "75002",
    ),
    (
        "GB",
        &["10 Downing Street", "10 Downing St", "Flat 2, 10 Downing Street", "10 Downing Strt"],
        "London",
        "SW1A 2AA",
    ),
];

fn with(base: Value, path: &[&str], value: &str) -> Value {
    let mut v = base;
    let mut at = &mut v;
    for p in &path[..path.len() - 1] {
        at = at.get_mut(*p).expect("path");
    }
    at[path[path.len() - 1]] = Value::String(value.to_string());
    v
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut cross = |label: &str, list: &[&str], vpath: &[&str], dkey: &str, vbase: &Value, dbase: &Value| {
        for (i, a) in list.iter().enumerate() {
            for (j, b) in list.iter().enumerate() {
                out.push(Case {
                    name: format!("{label} {i}:{j} {a} ~ {b}"),
                    verified: with(vbase.clone(), vpath, a),
                    directory: with(dbase.clone(), &[dkey], b),
                });
            }
        }
    };
    let (v, d) = (base_verified(), base_record());
    for (g, list) in GIVEN.iter().enumerate() {
        cross(&format!("given#{g}"), list, &["given_name"], "firstName", &v, &d);
    }
    for (g, list) in FAMILY.iter().enumerate() {
        cross(&format!("family#{g}"), list, &["family_name"], "lastName", &v, &d);
    }
    cross("street", STREETS, &["address", "street_address"], "streetAddress", &v, &d);
    cross("locality", LOCALITIES, &["address", "locality"], "city", &v, &d);
    cross("postal", POSTAL, &["address", "postal_code"], "zipCode", &v, &d);
    cross("region", REGIONS, &["address", "region"], "state", &v, &d);
    cross("country", COUNTRIES, &["address", "country"], "countryCode", &v, &d);
    cross("phone", PHONES, &["phone_number"], "mobilePhone", &v, &d);
    cross("email", EMAILS, &["email"], "email", &v, &d);
    cross("birthdate", DATES, &["birthdate"], "birthdate", &v, &d);
    for (country, streets, city, zip) in ABROAD {
        let v = json!({"given_name": "Jose", "family_name": "Garcia", "birthdate": "1990-04-03",
            "address": {"street_address": streets[0], "locality": city, "postal_code": zip, "country": country}});
        let d = json!({"firstName": "Jose", "lastName": "Garcia", "birthdate": "1990-04-03",
            "streetAddress": streets[0], "city": city, "zipCode": zip, "countryCode": country});
        cross(&format!("street-{country}"), streets, &["address", "street_address"], "streetAddress", &v, &d);
    }
    // The whole name in one field, swapped, or given on the directory's full-name side only.
    let whole = [
        (
            "formatted",
            json!({"name": "Jose Garcia", "birthdate": "1990-04-03"}),
            json!({"firstName": "Jose", "lastName": "Garcia", "birthdate": "1990-04-03"}),
        ),
        (
            "swapped",
            json!({"given_name": "Garcia", "family_name": "Jose", "birthdate": "1990-04-03"}),
            json!({"firstName": "Jose", "lastName": "Garcia", "birthdate": "1990-04-03"}),
        ),
        (
            "only-given",
            json!({"given_name": "Jose", "birthdate": "1990-04-03"}),
            json!({"firstName": "Jose", "lastName": "Garcia", "birthdate": "1990-04-03"}),
        ),
        ("empty-both", json!({}), json!({})),
        (
            "blank-strings",
            json!({"given_name": " ", "family_name": "", "birthdate": ""}),
            json!({"firstName": "", "lastName": " "}),
        ),
        (
            "long-30k",
            json!({"given_name": "Jose".repeat(7_500), "family_name": "Garcia"}),
            json!({"firstName": "Jose", "lastName": "Garcia"}),
        ),
        (
            "non-bmp",
            json!({"given_name": "𝐉𝐨𝐬𝐞", "family_name": "Garcia 😀"}),
            json!({"firstName": "Jose", "lastName": "Garcia 😀"}),
        ),
        (
            "controls",
            json!({"given_name": "Jo\u{0}se\u{1f}", "family_name": "Gar\"cia\\"}),
            json!({"firstName": "Jo\u{0}se\u{1f}", "lastName": "Gar\"cia\\"}),
        ),
    ];
    for (name, v, d) in whole {
        out.push(Case { name: format!("whole {name}"), verified: v, directory: d });
    }
    out
}

/// Latin-script letters drawn like ASCII ones (Roman numerals, small capitals, long s, dotless i, modifier
/// and fullwidth letters, ligatures): a fast path for "Latin-only" values must treat them as main does.
const LATIN_LOOKALIKES: &[(&str, &str)] = &[
    ("l", "ǀ"),
    ("I", "Ⅰ"),
    ("i", "ⅰ"),
    ("l", "ⅼ"),
    ("L", "Ⅼ"),
    ("v", "ⅴ"),
    ("c", "ⅽ"),
    ("d", "ⅾ"),
    ("m", "ⅿ"),
    ("a", "ᴀ"),
    ("c", "ᴄ"),
    ("d", "ᴅ"),
    ("e", "ᴇ"),
    ("i", "ɪ"),
    ("n", "ɴ"),
    ("o", "ᴏ"),
    ("r", "ʀ"),
    ("s", "ꜱ"),
    ("t", "ᴛ"),
    ("v", "ᴠ"),
    ("s", "ſ"),
    ("a", "ɑ"),
    ("g", "ɡ"),
    ("i", "ı"),
    ("j", "ȷ"),
    ("K", "\u{212A}"),
    ("A", "\u{212B}"),
    ("a", "ª"),
    ("o", "º"),
    ("a", "ᵃ"),
    ("i", "ⁱ"),
    ("a", "ₐ"),
    ("o", "ₒ"),
    ("e", "ₑ"),
    ("r", "ʳ"),
    ("s", "ˢ"),
    ("o", "ø"),
    ("d", "đ"),
    ("l", "ł"),
    ("i", "ɨ"),
    ("e", "ə"),
    ("c", "ƈ"),
    ("a", "ａ"),
    ("i", "ｉ"),
    ("ss", "ß"),
    ("fi", "ﬁ"),
    ("ff", "ﬀ"),
    ("st", "ﬆ"),
    ("ij", "ĳ"),
    ("ae", "æ"),
    ("oe", "œ"),
    ("Dz", "ǲ"),
    ("Lj", "ǈ"),
    ("Nj", "ǋ"),
];

/// The same name in other normal forms: combining marks in canonical and non-canonical order, Hangul
/// jamo, singletons (Angstrom, Ohm, Kelvin signs), CJK compatibility ideographs, a mark on a space.
const NORMAL_FORMS: &[(&str, &str)] = &[
    ("Nguyễn", "Nguye\u{0302}\u{0303}n"),
    ("Nguyễn", "Nguye\u{0303}\u{0302}n"),
    ("Đặng", "\u{0110}a\u{0323}\u{0306}ng"),
    ("Đặng", "\u{0110}a\u{0306}\u{0323}ng"),
    ("Ångström", "\u{212B}ngstro\u{0308}m"),
    ("Ωmega", "\u{2126}mega"),
    ("Kim", "\u{212A}im"),
    ("김민준", "\u{1100}\u{1175}\u{11B7}\u{1106}\u{1175}\u{11AB}\u{110C}\u{116E}\u{11AB}"),
    ("김민준", "김\u{1106}\u{1175}\u{11AB}준"),
    ("隆", "\u{F9DC}"),
    ("Zoë", "Zoe\u{0308}"),
    ("Zoë", "Zoe \u{0308}"),
    ("Renée", "Rene\u{0301}e\u{0301}"),
    ("Çelik", "C\u{0327}elik"),
    ("Şahin", "S\u{0327}ahin"),
    ("Øster", "O\u{0338}ster"),
    ("Dvořák", "Dvor\u{030C}a\u{0301}k"),
    ("Åsa", "A\u{030A}sa"),
];

/// Each look-alike in a given and a family name, on either side, and each normal form against the other.
fn script_cases() -> Vec<Case> {
    let mut out = Vec::new();
    let names = [
        ("Jose", "Garcia"),
        ("Ilia", "Lindqvist"),
        ("Catherine", "Stoffel"),
        ("Dzenan", "Ljubic"),
        ("Nikola", "Njegos"),
    ];
    let person = |g: &str, f: &str| {
        (
            json!({"given_name": g, "family_name": f, "birthdate": "1990-04-03"}),
            json!({"firstName": g, "lastName": f, "birthdate": "1990-04-03"}),
        )
    };
    for (g, f) in names {
        for (plain, look) in LATIN_LOOKALIKES {
            for (field, value) in [("given", g), ("family", f)] {
                let Some(at) = value.find(plain) else { continue };
                let spoof = format!("{}{look}{}", &value[..at], &value[at + plain.len()..]);
                let (sg, sf) = if field == "given" { (spoof.as_str(), f) } else { (g, spoof.as_str()) };
                let ((v, _), (_, d)) = (person(sg, sf), person(g, f));
                out.push(Case { name: format!("lookalike verified {sg} {sf} ~ {g} {f}"), verified: v, directory: d });
                let ((v, _), (_, d)) = (person(g, f), person(sg, sf));
                out.push(Case { name: format!("lookalike directory {g} {f} ~ {sg} {sf}"), verified: v, directory: d });
            }
        }
    }
    for (a, b) in NORMAL_FORMS {
        let b = b.to_string();
        for (x, y) in [(a.to_string(), b.clone()), (b.clone(), a.to_string()), (b.clone(), b.clone())] {
            for field in ["given", "family"] {
                let ((v, _), (_, d)) = if field == "given" {
                    (person(&x, "Garcia"), person(&y, "Garcia"))
                } else {
                    (person("Jose", &x), person("Jose", &y))
                };
                out.push(Case { name: format!("normal-form {field} {x:?} ~ {y:?}"), verified: v, directory: d });
            }
        }
    }
    out
}

fn pair_text(c: &Case) -> String {
    json!({"verified": c.verified, "directory": c.directory}).to_string()
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attack").join(name)
}

fn user(m: &Matcher, d: &Value) -> DirectoryUser {
    normalize_user(d, &m.policy().attribute_mapping()).expect("the pin's records are valid").user
}

/// The one-call path's report text, as the wasm glue writes it.
fn one_call(m: &Matcher, c: &Case) -> String {
    serde_json::to_string(&m.decide(&VerifiedClaims::from_json(&c.verified), &user(m, &c.directory)))
        .expect("serializes")
}

fn summary(r: &Value) -> String {
    let Some(claims) = r["claims"].as_object() else { return String::new() };
    let mut keys: Vec<&String> = claims.keys().collect();
    keys.sort();
    keys.iter()
        .filter_map(|k| {
            let c = &claims[*k];
            let reasons: Vec<&str> =
                c["reasons"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            let outcome = c["outcome"].as_str().unwrap_or("?");
            (outcome != "match" || !reasons.is_empty())
                .then(|| format!("{k}={outcome} {}", reasons.join(",")).trim().to_string())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn matchers() -> Vec<(&'static str, Matcher)> {
    [("balanced", OperatingPoint::Balanced), ("strict", OperatingPoint::Strict), ("lenient", OperatingPoint::Lenient)]
        .into_iter()
        .map(|(n, op)| (n, Matcher::new(Policy { operating_point: op, ..Policy::default() })))
        .collect()
}

/// A fixed shuffle (no dependency): an LCG-driven Fisher–Yates.
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    let mut s = seed;
    for i in (1..n).rev() {
        s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        idx.swap(i, (s >> 33) as usize % (i + 1));
    }
    idx
}

/// Every path gives the same bytes (reports) and decisions for every case, in any order; returns the
/// report texts (one per case).
fn check_paths(m: &Matcher, cases: &[&Case]) -> Vec<String> {
    let texts: Vec<String> = cases.iter().map(|c| pair_text(c)).collect();
    let reports: Vec<String> = cases.iter().map(|c| one_call(m, c)).collect();
    let decisions: Vec<u8> = reports
        .iter()
        .map(|r| match serde_json::from_str::<Value>(r).expect("json")["decision"].as_str() {
            Some("match") => 0,
            Some("no_match") => 1,
            Some("review") => 2,
            other => panic!("decision {other:?}"),
        })
        .collect();
    // Alone through match_many_json: the very same bytes.
    for (i, t) in texts.iter().enumerate() {
        let many = match_many_json(m, &format!("[{t}]")).expect("reads");
        assert_eq!(many, format!("[{}]", reports[i]), "{}: match_many alone vs one call (bytes)", cases[i].name);
    }
    // All at once, in three orders: each report's bytes as alone; decide_many agrees.
    for (label, order) in [
        ("forward", (0..cases.len()).collect::<Vec<_>>()),
        ("reversed", (0..cases.len()).rev().collect()),
        ("shuffled", shuffled(cases.len(), 7)),
    ] {
        let array = format!("[{}]", order.iter().map(|&i| texts[i].as_str()).collect::<Vec<_>>().join(","));
        let want = format!("[{}]", order.iter().map(|&i| reports[i].as_str()).collect::<Vec<_>>().join(","));
        let got = match_many_json(m, &array).expect("reads");
        if got != want {
            let got_v: Vec<Value> = serde_json::from_str(&got).expect("json");
            for (k, &i) in order.iter().enumerate() {
                assert_eq!(
                    got_v[k].to_string(),
                    serde_json::from_str::<Value>(&reports[i]).expect("json").to_string(),
                    "{label}: {}",
                    cases[i].name
                );
            }
            panic!("{label}: batch bytes differ from the reports alone (same values: formatting)");
        }
        let codes = decide_many_json(m, &array).expect("reads");
        let want_codes: Vec<u8> = order.iter().map(|&i| decisions[i]).collect();
        for (k, &i) in order.iter().enumerate() {
            assert_eq!(codes[k], want_codes[k], "{label}: decide_many {}", cases[i].name);
        }
    }
    // Loaded (array and JSON Lines): decided three times in three orders, reports in reverse, both
    // before and after deciding.
    for text in [format!("[{}]", texts.join(",")), texts.join("\n")] {
        let pairs = load_pairs(m, &text).expect("loads");
        assert_eq!(pairs.len(), cases.len());
        for i in (0..pairs.len()).rev().step_by(3) {
            let r = serde_json::to_string(&m.match_prepared(&pairs[i].0, &pairs[i].1)).expect("serializes");
            assert_eq!(r, reports[i], "{}: match_prepared before decide", cases[i].name);
        }
        for order in [(0..cases.len()).collect::<Vec<_>>(), (0..cases.len()).rev().collect(), shuffled(cases.len(), 11)]
        {
            for &i in &order {
                assert_eq!(
                    m.decide_prepared(&pairs[i].0, &pairs[i].1).code(),
                    decisions[i],
                    "{}: decide_prepared",
                    cases[i].name
                );
            }
        }
        for i in (0..pairs.len()).rev() {
            let r = serde_json::to_string(&m.match_prepared(&pairs[i].0, &pairs[i].1)).expect("serializes");
            assert_eq!(r, reports[i], "{}: match_prepared after decide", cases[i].name);
        }
        // A prepared verified side against other pairs' prepared records (same group: the next case),
        // after both were used with their own partners: as fresh.
        for i in 0..pairs.len().saturating_sub(1) {
            let j = i + 1;
            let fresh = m.decide(&VerifiedClaims::from_json(&cases[i].verified), &user(m, &cases[j].directory));
            let crossed = m.match_prepared(&pairs[i].0, &pairs[j].1);
            assert_eq!(
                serde_json::to_string(&crossed).expect("serializes"),
                serde_json::to_string(&fresh).expect("serializes"),
                "crossed: {} verified vs {} record",
                cases[i].name,
                cases[j].name
            );
            assert_eq!(
                m.decide_prepared(&pairs[j].0, &pairs[i].1),
                m.decide(&VerifiedClaims::from_json(&cases[j].verified), &user(m, &cases[i].directory)).decision,
                "crossed back: {}",
                cases[j].name
            );
        }
    }
    // match_line: `{"id":…,` then the very report bytes.
    for (i, t) in texts.iter().enumerate().step_by(5) {
        let line = match_line(m, t);
        assert_eq!(line, reports[i], "{}: match_line without id", cases[i].name);
        let with_id = format!("{{\"id\":\"k{i}\",{}", &t[1..]);
        assert_eq!(
            match_line(m, &with_id),
            format!("{{\"id\":\"k{i}\",{}", &reports[i][1..]),
            "{}: match_line id",
            cases[i].name
        );
    }
    reports
}

#[test]
fn every_path_gives_the_same_report_bytes_in_any_order_and_as_pinned() {
    let cases = cases();
    let mut lines = Vec::new();
    let mut js = Vec::new();
    let scripts = script_cases();
    for (op, m) in matchers() {
        // The look-alike and normal-form cases at the default operating point only.
        let cases: Vec<&Case> = cases.iter().chain(scripts.iter().filter(|_| op == "balanced")).collect();
        let reports = check_paths(&m, &cases);
        for (c, r) in cases.iter().zip(&reports) {
            let v: Value = serde_json::from_str(r).expect("json");
            lines.push(format!(
                "{op} {}\t{}\t{:016x}\t{}",
                c.name,
                v["decision"].as_str().unwrap_or("?"),
                fnv(r),
                summary(&v)
            ));
            js.push(
                json!({"case": format!("{op} {}", c.name), "op": op, "pair": pair_text(c), "report": r}).to_string(),
            );
        }
    }
    compare_or_bless("claims-paths.golden.tsv", &lines);
    if std::env::var_os("ATTACK_BLESS").is_some() {
        let file = std::fs::File::create(fixture("claims-paths.cases.jsonl.gz")).expect("writes");
        let mut gz = flate2_free_gzip(file);
        gz.write_all(js.join("\n").as_bytes()).expect("writes");
        gz.write_all(b"\n").expect("writes");
    }
}

/// Written through the `gzip` tool (no test dependency): the JS replay reads it with node's zlib.
fn flate2_free_gzip(file: std::fs::File) -> impl std::io::Write {
    struct Gz(Option<std::fs::File>, Vec<u8>);
    impl std::io::Write for Gz {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.1.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Drop for Gz {
        fn drop(&mut self) {
            let mut child = std::process::Command::new("gzip")
                .args(["-9", "-n", "-c"])
                .stdin(std::process::Stdio::piped())
                .stdout(self.0.take().expect("file"))
                .spawn()
                .expect("gzip");
            child.stdin.take().expect("stdin").write_all(&self.1).expect("writes");
            assert!(child.wait().expect("gzip").success());
        }
    }
    Gz(Some(file), Vec::new())
}

fn compare_or_bless(name: &str, lines: &[String]) {
    let path = fixture(name);
    let text = lines.join("\n") + "\n";
    if std::env::var_os("ATTACK_BLESS").is_some() {
        std::fs::write(&path, &text).expect("writes the golden file");
        return;
    }
    let pinned = std::fs::read_to_string(&path).expect("the golden file (ATTACK_BLESS=1 writes it)");
    let want: Vec<&str> = pinned.lines().collect();
    let bad: Vec<String> = lines
        .iter()
        .zip(&want)
        .filter(|(a, b)| a.as_str() != **b)
        .take(20)
        .map(|(a, b)| format!("pinned {b}\n   now {a}"))
        .collect();
    assert!(
        bad.is_empty() && want.len() == lines.len(),
        "{} of {} lines differ ({} pinned):\n{}",
        bad.len(),
        lines.len(),
        want.len(),
        bad.join("\n")
    );
}

/// `match_line`'s `id` is echoed: its bytes (escapes, number forms) are pinned; the report after it is the
/// one-call report's bytes.
#[test]
fn match_line_echoes_hostile_ids_byte_for_byte() {
    let m = Matcher::new(Policy::default());
    let pair = r#""verified":{"given_name":"Jose","family_name":"Garcia","birthdate":"1990-04-03"},"directory":{"firstName":"Jose","lastName":"Garcia","birthdate":"1990-04-03"}"#;
    let ids = [
        r#""plain""#,
        r#""q\"uo\\te/\/""#,
        r#""\u0000\u0001\u001f\u007f\b\f\n\r\t""#,
        r#""\u2028\u2029\u0085""#,
        r#""😀\ud83d\ude00𝐉""#,
        r#""\u00e9é\u00E9""#,
        r#""<script>&amp;'""#,
        "0",
        "-0",
        "1.0",
        "1e2",
        "1E+2",
        "0.1",
        "1.5e300",
        "-1.25e-7",
        "12345678901234567890",
        "-9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "123456789012345678901234567890",
        "true",
        "null",
        "[]",
        r#"{"a":[1,"b",{"c":null}]}"#,
        r#"{"b":1,"a":2}"#,
        r#""x""#,
    ];
    let mut lines = Vec::new();
    for id in ids {
        let line = match_line(&m, &format!("{{\"id\":{id},{pair}}}"));
        let after = format!("{{\"id\":{id},{pair}}}");
        let second = match_line(&m, &after);
        assert_eq!(line, second, "{id}: deterministic");
        // id last in the object: the same output.
        assert_eq!(match_line(&m, &format!("{{{pair},\"id\":{id}}}")), line, "{id}: id read wherever it is");
        let head = line.split(",\"decision\"").next().unwrap_or("").to_string();
        lines.push(format!("{id}\t{}\t{:016x}", head.escape_default(), fnv(&line)));
    }
    // An error line keeps the id too, and its message never carries the value.
    for bad in [
        r#"{"id":"e\"1","verified":[],"directory":{}}"#,
        r#"{"id":7,"verified":{"given_name":"Zebediah"},"directory":{"firstName":1}}"#,
    ] {
        let line = match_line(&m, bad);
        assert!(!line.contains("Zebediah"), "{line}");
        lines.push(format!("{}\t{}\t{:016x}", bad.escape_default(), line.escape_default(), fnv(&line)));
    }
    compare_or_bless("claims-paths-ids.golden.tsv", &lines);
}
