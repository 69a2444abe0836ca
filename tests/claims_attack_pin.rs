//! Pins of main's claims behaviour on hostile input (attacker, 2026-12-07), for the speed and size work
//! on the claims path. Every way a pair gets in must decide every pair the same, fail the same way
//! with the same typed code, and never panic: one call (`Matcher::decide` on the two sides read as the
//! wasm glue reads them), `match_many_json`, `decide_many_json`, `load_pairs` (array and JSON Lines)
//! with `decide_prepared` and `match_prepared`, and `match_line`. The decisions and reports are pinned
//! in `tests/fixtures/attack/claims-hostile.golden.tsv`, written from main's build with
//! `ATTACK_BLESS=1 cargo test -q --test claims_attack_pin`; the cases are written next to it as
//! `claims-hostile.cases.jsonl`, kept gzipped (`gzip -9 -n`), which `js/test/claims-attack-pin.test.ts`
//! replays through the wasm SDK and the CLI. The security properties (a homoglyph or invisible-character
//! variant never matches; a clean value matches itself) are checked over ASCII and non-ASCII values on
//! both sides. Session 8 added (appended to the golden, the earlier lines unchanged): each hostile
//! character in every claim on each side written raw, with non-ASCII escaped and with every character
//! escaped (which must decide alike: `escaped_and_raw_spellings_decide_alike`), duplicate keys, other JSON
//! types and very long values in every claim, pure-ASCII spoof-like values (`|`, digits, `rn`, `vv`), and
//! keys a byte-level reader may compare loosely (a NUL or space after a key, a prefix, partial escapes).

use okta_directory::claims::{
    decide_many_json, load_pairs, match_line, match_many_json, Decision, Matcher, Policy, VerifiedClaims,
};
use okta_directory::profile::normalize_user;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::PathBuf;

/// One case: a name and the JSON text of one pair (maybe malformed on purpose); `verified` and
/// `directory` are the two sides' texts when the pair was built from them (the one-call path).
struct Case {
    name: String,
    pair: String,
    sides: Option<(String, String)>,
}

/// A marker in every hostile value: no error message may contain it.
const MARK: &str = "Zebediah";

fn record(given: &str, family: &str) -> Value {
    json!({"firstName": given, "lastName": family, "middleName": MARK, "birthdate": "1990-04-03",
        "streetAddress": "12 Main St", "city": "Springfield", "state": "IL", "zipCode": "62701",
        "countryCode": "US", "mobilePhone": "+1 217 555 0100", "email": "jose.garcia@example.com"})
}

fn verified(given: &str, family: &str) -> Value {
    json!({"given_name": given, "family_name": family, "middle_name": MARK, "birthdate": "1990-04-03",
        "address": {"street_address": "12 Main St", "locality": "Springfield", "region": "IL",
            "postal_code": "62701", "country": "US"},
        "phone_number": "+1 217 555 0100", "email": "jose.garcia@example.com"})
}

/// Latin letter → a Cyrillic (or Greek, Armenian) letter drawn the same.
fn homoglyph(c: char, script: &str) -> Option<char> {
    let cyrillic = [
        ('a', 'а'),
        ('e', 'е'),
        ('o', 'о'),
        ('p', 'р'),
        ('c', 'с'),
        ('x', 'х'),
        ('y', 'у'),
        ('i', 'і'),
        ('j', 'ј'),
        ('s', 'ѕ'),
        ('A', 'А'),
        ('B', 'В'),
        ('E', 'Е'),
        ('K', 'К'),
        ('M', 'М'),
        ('H', 'Н'),
        ('O', 'О'),
        ('P', 'Р'),
        ('C', 'С'),
        ('T', 'Т'),
        ('X', 'Х'),
        ('J', 'Ј'),
        ('S', 'Ѕ'),
        ('I', 'І'),
    ];
    let greek = [
        ('o', 'ο'),
        ('v', 'ν'),
        ('A', 'Α'),
        ('B', 'Β'),
        ('E', 'Ε'),
        ('Z', 'Ζ'),
        ('H', 'Η'),
        ('I', 'Ι'),
        ('K', 'Κ'),
        ('M', 'Μ'),
        ('N', 'Ν'),
        ('O', 'Ο'),
        ('P', 'Ρ'),
        ('T', 'Τ'),
        ('Y', 'Υ'),
        ('X', 'Χ'),
    ];
    let other = [('o', 'օ'), ('a', 'ɑ'), ('i', 'ı'), ('j', 'ȷ'), ('h', 'һ'), ('K', 'K')];
    let table: &[(char, char)] = match script {
        "cyrillic" => &cyrillic,
        "greek" => &greek,
        _ => &other,
    };
    table.iter().find(|(l, _)| *l == c).map(|(_, h)| *h)
}

/// Replaces the first (or every) letter that has a homoglyph in `script`; `None` when none has.
fn swap(s: &str, script: &str, all: bool) -> Option<String> {
    let mut done = false;
    let out: String = s
        .chars()
        .map(|c| match homoglyph(c, script) {
            Some(h) if all || !done => {
                done = true;
                h
            }
            _ => c,
        })
        .collect();
    done.then_some(out)
}

fn insert_at(s: &str, at: &str, what: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let i = match at {
        "start" => 0,
        "end" => chars.len(),
        _ => chars.len() / 2,
    };
    chars[..i].iter().chain(what.chars().collect::<Vec<_>>().iter()).chain(chars[i..].iter()).collect()
}

/// Characters that draw nothing (or only steer direction) and must never vanish into a match.
const INVISIBLES: [(&str, &str); 16] = [
    ("zwsp", "\u{200B}"),
    ("zwnj", "\u{200C}"),
    ("zwj", "\u{200D}"),
    ("lrm", "\u{200E}"),
    ("rlm", "\u{200F}"),
    ("rlo", "\u{202E}"),
    ("lro", "\u{202D}"),
    ("rli", "\u{2067}"),
    ("pdi", "\u{2069}"),
    ("wj", "\u{2060}"),
    ("bom", "\u{FEFF}"),
    ("shy", "\u{00AD}"),
    ("mvs", "\u{180E}"),
    ("cgj", "\u{034F}"),
    ("hangul_filler", "\u{3164}"),
    ("tag_a", "\u{E0061}"),
];

/// Spaces a caller may type between name words.
const SPACES: [(&str, &str); 8] = [
    ("nbsp", "\u{00A0}"),
    ("figure", "\u{2007}"),
    ("narrow_nbsp", "\u{202F}"),
    ("ideographic", "\u{3000}"),
    ("en", "\u{2002}"),
    ("tab", "\t"),
    ("two", "  "),
    ("ogham", "\u{1680}"),
];

fn fullwidth(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c }).collect()
}

fn math_bold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'A'..='Z' => char::from_u32(0x1D400 + (c as u32 - 'A' as u32)).unwrap_or(c),
            'a'..='z' => char::from_u32(0x1D41A + (c as u32 - 'a' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Decomposes the Latin letters with an acute, grave, tilde, cedilla or diaeresis (NFD by hand).
fn decompose(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let (base, mark) = match c {
                'é' => ('e', '\u{301}'),
                'É' => ('E', '\u{301}'),
                'á' => ('a', '\u{301}'),
                'í' => ('i', '\u{301}'),
                'ó' => ('o', '\u{301}'),
                'ñ' => ('n', '\u{303}'),
                'ç' => ('c', '\u{327}'),
                'ü' => ('u', '\u{308}'),
                'ö' => ('o', '\u{308}'),
                'ä' => ('a', '\u{308}'),
                _ => return vec![c],
            };
            vec![base, mark]
        })
        .collect()
}

/// Every way of writing `name` that the cases try, labelled.
fn variants(name: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![
        ("clean".into(), name.into()),
        ("upper".into(), name.to_uppercase()),
        ("lower".into(), name.to_lowercase()),
        ("fullwidth".into(), fullwidth(name)),
        ("math_bold".into(), math_bold(name)),
        ("nfd".into(), decompose(name)),
        ("extra_acute".into(), insert_at(name, "end", "\u{301}")),
        ("overlay_mark".into(), insert_at(name, "mid", "\u{338}")),
        ("lead_space".into(), format!(" {name}")),
        ("trail_nbsp".into(), format!("{name}\u{00A0}")),
        ("digit_o".into(), name.replacen('o', "0", 1)),
    ];
    for script in ["cyrillic", "greek", "other"] {
        if let Some(v) = swap(name, script, false) {
            out.push((format!("{script}_one"), v));
        }
        if let Some(v) = swap(name, script, true) {
            out.push((format!("{script}_all"), v));
        }
    }
    for (label, ch) in INVISIBLES {
        for at in ["start", "mid", "end"] {
            out.push((format!("{label}_{at}"), insert_at(name, at, ch)));
        }
    }
    out
}

fn pair_text(v: &Value, d: &Value) -> (String, String, String) {
    let (vt, dt) = (v.to_string(), d.to_string());
    (format!("{{\"verified\":{vt},\"directory\":{dt}}}"), vt, dt)
}

fn add(cases: &mut Vec<Case>, name: String, v: &Value, d: &Value) {
    let (pair, vt, dt) = pair_text(v, d);
    cases.push(Case { name, pair, sides: Some((vt, dt)) });
}

fn raw(cases: &mut Vec<Case>, name: &str, pair: &str) {
    cases.push(Case { name: name.into(), pair: pair.into(), sides: None });
}

/// The names whose variants are tried (given, family): ASCII and not, confusable letters, fi/ff, ß, İ/ı.
const NAMES: [(&str, &str); 9] = [
    ("Jose", "Garcia"),
    ("José", "García Márquez"),
    ("Maria", "Smith"),
    ("Sofia", "Griffin"),
    ("Hans", "Strauß"),
    ("İsmail", "Yıldız"),
    ("Олег", "Петров"),
    ("Mary Ann", "O'Connor"),
    ("Björn", "Ångström"),
];

/// The hostile cases: each variant of each name on the verified side against the clean record, on the
/// directory side against clean claims, and on both sides; then special spellings, lengths and JSON text.
fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (given, family) in NAMES {
        for (label, g) in variants(given) {
            add(
                &mut cases,
                format!("{given}/{family} given {label} verified"),
                &verified(&g, family),
                &record(given, family),
            );
            add(
                &mut cases,
                format!("{given}/{family} given {label} directory"),
                &verified(given, family),
                &record(&g, family),
            );
            add(&mut cases, format!("{given}/{family} given {label} both"), &verified(&g, family), &record(&g, family));
        }
        for (label, f) in variants(family) {
            add(
                &mut cases,
                format!("{given}/{family} family {label} verified"),
                &verified(given, &f),
                &record(given, family),
            );
            add(
                &mut cases,
                format!("{given}/{family} family {label} directory"),
                &verified(given, family),
                &record(given, &f),
            );
        }
    }
    let spellings: [(&str, &str, &str); 22] = [
        ("ligature fi", "Soﬁa", "Sofia"),
        ("ligature ff", "Griﬀin", "Griffin"),
        ("sharp s upper", "STRAUẞ", "Strauß"),
        ("sharp s ss", "STRAUSS", "Strauß"),
        ("sharp s lower ss", "Strauss", "Strauß"),
        ("dotted I plain", "ISMAIL", "İsmail"),
        ("dotless i", "ısmail", "Ismail"),
        ("dotted capital vs i", "İSMAİL", "Ismail"),
        ("yildiz", "YILDIZ", "Yıldız"),
        ("long s", "ſmith", "Smith"),
        ("kelvin", "\u{212A}ate", "Kate"),
        ("angstrom", "\u{212B}ngström", "Ångström"),
        ("circled", "ⓙⓞⓢⓔ", "Jose"),
        ("superscript", "ᴶᵒˢᵉ", "Jose"),
        ("small caps", "ᴊᴏsᴇ", "Jose"),
        ("cyrillic whole", "МАРІА", "Maria"),
        ("cyrillic native", "Олег", "Oleg"),
        ("greek native", "Νίκος", "Nikos"),
        ("private use", "Jose\u{E000}", "Jose"),
        ("variation selector", "Jose\u{FE0F}", "Jose"),
        ("replacement char", "Jos\u{FFFD}", "Jose"),
        ("null char", "Jose\u{0}", "Jose"),
    ];
    for (label, v, d) in spellings {
        add(&mut cases, format!("spelling {label} verified"), &verified(v, "Garcia"), &record(d, "Garcia"));
        add(&mut cases, format!("spelling {label} directory"), &verified(d, "Garcia"), &record(v, "Garcia"));
    }
    for (label, sp) in SPACES {
        let v = format!("Mary{sp}Ann");
        add(&mut cases, format!("space {label} verified"), &verified(&v, "Smith"), &record("Mary Ann", "Smith"));
        add(&mut cases, format!("space {label} directory"), &verified("Mary Ann", "Smith"), &record(&v, "Smith"));
        let city = format!("Spring{sp}field");
        let mut vv = verified("Jose", "Garcia");
        vv["address"]["locality"] = json!(city);
        add(&mut cases, format!("space {label} locality verified"), &vv, &record("Jose", "Garcia"));
    }
    for (label, ch) in INVISIBLES {
        let mut vv = verified("Jose", "Garcia");
        vv["address"]["locality"] = json!(insert_at("Springfield", "mid", ch));
        add(&mut cases, format!("locality {label} verified"), &vv, &record("Jose", "Garcia"));
        let mut d = record("Jose", "Garcia");
        d["city"] = json!(insert_at("Springfield", "mid", ch));
        add(&mut cases, format!("locality {label} directory"), &verified("Jose", "Garcia"), &d);
        let mut vv = verified("Jose", "Garcia");
        vv["email"] = json!(insert_at("jose.garcia@example.com", "start", ch));
        add(&mut cases, format!("email {label} verified"), &vv, &record("Jose", "Garcia"));
    }
    let mut vv = verified("Jose", "Garcia");
    vv["address"]["locality"] = json!("Sрringfield");
    add(&mut cases, "locality cyrillic verified".into(), &vv, &record("Jose", "Garcia"));
    let mut vv = verified("Jose", "Garcia");
    vv["email"] = json!("jоse.garcia@example.com");
    add(&mut cases, "email cyrillic verified".into(), &vv, &record("Jose", "Garcia"));
    for n in [1usize, 49, 50, 51, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 1000] {
        let long = "J".repeat(n);
        add(&mut cases, format!("long {n} verified"), &verified(&long, "Garcia"), &record("Jose", "Garcia"));
        add(&mut cases, format!("long {n} directory"), &verified("Jose", "Garcia"), &record(&long, "Garcia"));
        add(&mut cases, format!("long {n} both"), &verified(&long, "Garcia"), &record(&long, "Garcia"));
        let multi = "é".repeat(n);
        add(&mut cases, format!("long {n} two-byte both"), &verified(&multi, "Garcia"), &record(&multi, "Garcia"));
        let words = vec!["Ann"; n.min(300)].join(" ");
        add(&mut cases, format!("words {n} both"), &verified(&words, "Garcia"), &record(&words, "Garcia"));
    }
    for (label, v) in
        [("empty", ""), ("spaces", "   "), ("zwsp only", "\u{200B}"), ("nbsp only", "\u{00A0}"), ("dot", ".")]
    {
        add(&mut cases, format!("blank {label} verified"), &verified(v, "Garcia"), &record("Jose", "Garcia"));
        add(&mut cases, format!("blank {label} directory"), &verified("Jose", "Garcia"), &record(v, "Garcia"));
        add(&mut cases, format!("blank {label} both"), &verified(v, "Garcia"), &record(v, "Garcia"));
    }
    address_cases(&mut cases);
    json_cases(&mut cases);
    escape_cases(&mut cases);
    claim_shape_cases(&mut cases);
    ascii_spoof_cases(&mut cases);
    key_cases(&mut cases);
    cases
}

/// Street lines and localities a tokenizer may split differently (hyphens and slashes by digits,
/// removed dots and apostrophes, `#`, numbers and letters that fold to ASCII from other forms).
fn address_cases(cases: &mut Vec<Case>) {
    let streets = [
        "12-14 Main St",
        "12 - 14 Main St",
        "1.-2 Main St",
        "12-B Main St",
        "B-12 Main St",
        "12/14 Main St",
        "4/12 O'Hare Rd",
        "-12 Main St",
        "12- Main St",
        "12 Main St #4",
        "12 Main St Apt #4",
        "12 Main St # 4",
        "#4-B 12 Main St",
        "12 Main St Apt 4-B",
        "12 Main St Apt. 4",
        "P.O. Box 12",
        "PO Box 12",
        "12 Main St.",
        "12 Main.St",
        "12 Ma'in St",
        "12 Main St Apt №4",
        "１２ Main St",
        "12 Ｍａｉｎ St",
        "Ⅻ Main St",
        "12 Main St\u{00A0}Apt 4",
        "12 Hauptstraße",
        "12 Haupt-Straße",
        "12 Main St Apt 4/5",
        "12a Main St",
        "12 A Main St",
        "12 Main St 4",
        "12 main st apt 4",
        "12 Main St Apt 4\u{200B}",
        "12 M\u{0430}in St",
        "12 Main St Apt ４",
        "12 Main St Apt 4-",
        "12 Main St Apt -4",
        "12 Main St Apt 4//5",
        "12 Main St Apt 4.5",
        "12 Main St Apt 4'5",
        "12 Main St Apt 4-5-6",
        "12 Main St 1/2",
        "12 1/2 Main St",
    ];
    let localities = [
        "Springfield",
        "Spring-field",
        "Spring.field",
        "Spring'field",
        "SPRINGFIELD",
        "Sprïngfield",
        "Saint-Louis",
        "St. Louis",
        "St Louis",
        "Winston-Salem",
        "Coeur d'Alene",
    ];
    for (i, street) in streets.iter().enumerate() {
        let base = streets[(i + 1) % streets.len()];
        for (label, v, d) in
            [("self", *street, *street), ("vs main", *street, "12 Main St Apt 4"), ("vs next", *street, base)]
        {
            let mut vv = verified("Jose", "Garcia");
            vv["address"]["street_address"] = json!(v);
            let mut dd = record("Jose", "Garcia");
            dd["streetAddress"] = json!(d);
            add(cases, format!("street {label} {i} verified"), &vv, &dd);
            let mut vv = verified("Jose", "Garcia");
            vv["address"]["street_address"] = json!(d);
            let mut dd = record("Jose", "Garcia");
            dd["streetAddress"] = json!(v);
            add(cases, format!("street {label} {i} directory"), &vv, &dd);
        }
    }
    for a in localities {
        for b in localities {
            let mut vv = verified("Jose", "Garcia");
            vv["address"]["locality"] = json!(a);
            let mut dd = record("Jose", "Garcia");
            dd["city"] = json!(b);
            add(cases, format!("locality {a} vs {b}"), &vv, &dd);
        }
    }
}

/// JSON text a reader may take differently: duplicate keys, escapes, surrogates, nesting, numbers, BOM.
fn json_cases(cases: &mut Vec<Case>) {
    let d = record("Jose", "Garcia").to_string();
    let v = verified("Jose", "Garcia").to_string();
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let deep_obj = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    let texts: Vec<(&str, String)> = vec![
        ("dup given last wins", format!("{{\"verified\":{{\"given_name\":\"Eve\",\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("dup given first", format!("{{\"verified\":{{\"given_name\":\"Jose\",\"given_name\":\"Eve\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("dup verified key", format!("{{\"verified\":{{\"given_name\":\"Eve\"}},\"verified\":{v},\"directory\":{d}}}")),
        ("dup directory key", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Eve\"}},\"directory\":{d}}}")),
        ("dup firstName", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Eve\",\"firstName\":\"Jose\",\"lastName\":\"Garcia\",\"birthdate\":\"1990-04-03\"}}}}")),
        ("dup profile", format!("{{\"verified\":{v},\"directory\":{{\"id\":\"00u1\",\"profile\":{{\"firstName\":\"Eve\"}},\"profile\":{d}}}}}")),
        ("escaped keys", r#"{"verif\u0069ed":{"given\u005fname":"Jose","family_name":"Garcia","birthdate":"1990-04-03"},"dir\u0065ctory":{"first\u004eame":"Jose","lastName":"Garcia","birthdate":"1990-04-03"}}"#.to_string()),
        ("escaped values", format!("{{\"verified\":{{\"given_name\":\"Jos\\u00e9\",\"family_name\":\"Garc\\u00EDa\",\"birthdate\":\"1990\\u002d04-03\"}},\"directory\":{d}}}")),
        ("escaped cyrillic value", format!("{{\"verified\":{{\"given_name\":\"J\\u043ese\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("escaped zwsp value", format!("{{\"verified\":{{\"given_name\":\"Jo\\u200bse\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("escaped surrogate pair", format!("{{\"verified\":{{\"given_name\":\"Jose\\ud835\\udc00\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}")),
        ("escaped slash and quote", format!("{{\"verified\":{{\"given_name\":\"Jo\\/se\\\"\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}")),
        ("escaped control", format!("{{\"verified\":{{\"given_name\":\"Jose\\u0000\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}")),
        ("escaped control directory", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jo\\u0007se\",\"lastName\":\"Garcia\"}}}}")),
        ("lone high surrogate", format!("{{\"verified\":{{\"given_name\":\"Jose\\ud800\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}")),
        ("lone low surrogate", format!("{{\"verified\":{{\"given_name\":\"\\udc00Jose\"}},\"directory\":{d}}}")),
        ("lone surrogate directory", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\\ud800\",\"lastName\":\"Garcia\"}}}}")),
        ("bad escape", format!("{{\"verified\":{{\"given_name\":\"Jo\\qse\"}},\"directory\":{d}}}")),
        ("raw tab in string", format!("{{\"verified\":{{\"given_name\":\"Jo\tse\"}},\"directory\":{d}}}")),
        ("raw line separator", format!("{{\"verified\":{{\"given_name\":\"Jo\u{2028}se\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}")),
        ("raw next line", format!("{{\"verified\":{{\"given_name\":\"Jo\u{85}se\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}")),
        ("deep 100 verified", format!("{{\"verified\":{},\"directory\":{d}}}", deep(100))),
        ("deep 200 verified", format!("{{\"verified\":{},\"directory\":{d}}}", deep(200))),
        ("deep 5000 verified", format!("{{\"verified\":{},\"directory\":{d}}}", deep(5000))),
        ("deep object 200 directory", format!("{{\"verified\":{v},\"directory\":{}}}", deep_obj(200))),
        ("deep value in claim", format!("{{\"verified\":{{\"given_name\":{}}},\"directory\":{d}}}", deep(120))),
        ("deep value in profile", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"customX\":{}}}}}", deep(120))),
        ("huge number verified", format!("{{\"verified\":{{\"given_name\":1e400}},\"directory\":{d}}}")),
        ("huge number directory", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"employeeNumber\":1e400}}}}")),
        ("big integer", format!("{{\"verified\":{{\"given_name\":18446744073709551616}},\"directory\":{d}}}")),
        ("negative zero", format!("{{\"verified\":{{\"given_name\":-0}},\"directory\":{d}}}")),
        ("number given", format!("{{\"verified\":{{\"given_name\":5,\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("number firstName", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":5,\"lastName\":\"Garcia\",\"birthdate\":\"1990-04-03\"}}}}")),
        ("number birthdate", format!("{{\"verified\":{{\"given_name\":\"Jose\",\"birthdate\":19900403}},\"directory\":{d}}}")),
        ("bool given", format!("{{\"verified\":{{\"given_name\":true}},\"directory\":{d}}}")),
        ("array given", format!("{{\"verified\":{{\"given_name\":[\"Jose\"]}},\"directory\":{d}}}")),
        ("object given", format!("{{\"verified\":{{\"given_name\":{{\"value\":\"Jose\"}}}},\"directory\":{d}}}")),
        ("array firstName", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":[\"Jose\"],\"lastName\":\"Garcia\"}}}}")),
        ("object firstName", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":{{\"a\":1}},\"lastName\":\"Garcia\"}}}}")),
        ("address string", format!("{{\"verified\":{{\"given_name\":\"Jose\",\"address\":\"12 Main St\"}},\"directory\":{d}}}")),
        ("address array", format!("{{\"verified\":{{\"given_name\":\"Jose\",\"address\":[]}},\"directory\":{d}}}")),
        ("wrapped claims", format!("{{\"verified\":{{\"verification\":{{\"trust_framework\":\"x\"}},\"claims\":{v}}},\"directory\":{d}}}")),
        ("wrapped claims not object", format!("{{\"verified\":{{\"verification\":{{}},\"claims\":\"x\",\"given_name\":\"Jose\"}},\"directory\":{d}}}")),
        ("bithdate", format!("{{\"verified\":{{\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"bithdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("verified null", format!("{{\"verified\":null,\"directory\":{d}}}")),
        ("verified string", format!("{{\"verified\":\"Jose\",\"directory\":{d}}}")),
        ("verified array", format!("{{\"verified\":[{v}],\"directory\":{d}}}")),
        ("verified missing", format!("{{\"directory\":{d}}}")),
        ("directory null", format!("{{\"verified\":{v},\"directory\":null}}")),
        ("directory string", format!("{{\"verified\":{v},\"directory\":\"Jose\"}}")),
        ("directory array", format!("{{\"verified\":{v},\"directory\":[{d}]}}")),
        ("directory number", format!("{{\"verified\":{v},\"directory\":5}}")),
        ("directory missing", format!("{{\"verified\":{v}}}")),
        ("directory user", format!("{{\"verified\":{v},\"directory\":{{\"id\":\"00u1\",\"status\":\"ACTIVE\",\"profile\":{d}}}}}")),
        ("directory profile not object", format!("{{\"verified\":{v},\"directory\":{{\"id\":\"00u1\",\"profile\":\"x\"}}}}")),
        ("capital keys", format!("{{\"Verified\":{v},\"Directory\":{d}}}")),
        ("extra keys", format!("{{\"id\":7,\"policy_x\":1,\"verified\":{v},\"directory\":{d},\"zz\":[1,{{}}]}}")),
        ("whitespace everywhere", format!(" \t\r\n{{ \"verified\" \t: {v} ,\r\n \"directory\" :{d} }}\t ")),
        ("pair null", "null".into()),
        ("pair number", "5".into()),
        ("pair string", "\"x\"".into()),
        ("pair array", "[]".into()),
        ("pair empty object", "{}".into()),
        ("bom before pair", format!("\u{FEFF}{{\"verified\":{v},\"directory\":{d}}}")),
        ("trailing comma in object", format!("{{\"verified\":{v},\"directory\":{d},}}")),
        ("trailing garbage", format!("{{\"verified\":{v},\"directory\":{d}}} x")),
        ("two objects", format!("{{\"verified\":{v},\"directory\":{d}}}{{}}")),
        ("truncated", format!("{{\"verified\":{v},\"directory\":{d}")),
        ("single quotes", "{'verified':{},'directory':{}}".into()),
        ("comment", format!("{{/*c*/\"verified\":{v},\"directory\":{d}}}")),
        ("nan", format!("{{\"verified\":{{\"given_name\":NaN}},\"directory\":{d}}}")),
        ("leading zero", format!("{{\"verified\":{{\"given_name\":01}},\"directory\":{d}}}")),
        ("unquoted key", format!("{{verified:{v},\"directory\":{d}}}")),
        ("zip number", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"lastName\":\"Garcia\",\"zipCode\":62701,\"countryCode\":\"US\"}}}}")),
        ("zip float", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"lastName\":\"Garcia\",\"zipCode\":62701.0,\"countryCode\":\"US\"}}}}")),
        ("zip exponent", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"lastName\":\"Garcia\",\"zipCode\":6.2701e4,\"countryCode\":\"US\"}}}}")),
        ("phone number", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"lastName\":\"Garcia\",\"mobilePhone\":12175550100}}}}")),
        ("birthdate number directory", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"lastName\":\"Garcia\",\"birthdate\":19900403}}}}")),
        ("custom floats", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"lastName\":\"Garcia\",\"c1\":1.5e300,\"c2\":0.1,\"c3\":-0,\"c4\":18446744073709551615,\"c5\":-9223372036854775809,\"c6\":[1,\"a\",true],\"c7\":{{\"x\":1}}}}}}")),
        ("country number", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"lastName\":\"Garcia\",\"countryCode\":1}}}}")),
        ("evidence issuer US slash date", format!("{{\"verified\":{{\"verification\":{{\"evidence\":[{{\"document_details\":{{\"issuer\":{{\"country_code\":\"US\"}}}}}}]}},\"claims\":{{\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"04/03/1990\"}}}},\"directory\":{d}}}")),
        ("evidence issuer FR slash date", format!("{{\"verified\":{{\"verification\":{{\"evidence\":[{{\"document\":{{\"issuer\":{{\"country\":\"FR\"}}}}}}]}},\"claims\":{{\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"03/04/1990\"}}}},\"directory\":{d}}}")),
        ("evidence issuer dup keys", format!("{{\"verified\":{{\"verification\":{{\"evidence\":[{{\"document_details\":{{\"issuer\":{{\"country_code\":\"FR\",\"country_code\":\"US\"}}}}}}]}},\"claims\":{{\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"04/03/1990\"}}}},\"directory\":{d}}}")),
        ("evidence ninth", format!("{{\"verified\":{{\"verification\":{{\"evidence\":[{{}},{{}},{{}},{{}},{{}},{{}},{{}},{{}},{{\"document_details\":{{\"issuer\":{{\"country_code\":\"US\"}}}}}}]}},\"claims\":{{\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"04/03/1990\"}}}},\"directory\":{d}}}")),
        ("evidence not array", format!("{{\"verified\":{{\"verification\":{{\"evidence\":{{\"document_details\":{{\"issuer\":{{\"country_code\":\"US\"}}}}}}}},\"claims\":{{\"given_name\":\"Jose\",\"birthdate\":\"04/03/1990\"}}}},\"directory\":{d}}}")),
        ("evidence escaped country", format!("{{\"verified\":{{\"verification\":{{\"evidence\":[{{\"document_details\":{{\"issuer\":{{\"country_code\":\"\\u0055S\"}}}}}}]}},\"claims\":{{\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"04/03/1990\"}}}},\"directory\":{d}}}")),
        ("verification null with claims", format!("{{\"verified\":{{\"verification\":null,\"claims\":{v}}},\"directory\":{d}}}")),
        ("claims dup", format!("{{\"verified\":{{\"verification\":{{}},\"claims\":{{\"given_name\":\"Eve\"}},\"claims\":{v}}},\"directory\":{d}}}")),
        ("value nested", format!("{{\"verified\":{{\"given_name\":{{\"value\":{{\"value\":\"Jose\"}}}},\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("value dup", format!("{{\"verified\":{{\"given_name\":{{\"value\":\"Eve\",\"value\":\"Jose\"}},\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("address dup part", format!("{{\"verified\":{{\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\",\"address\":{{\"locality\":\"Elsewhere\",\"locality\":\"Springfield\",\"postal_code\":\"62701\",\"country\":\"US\"}}}},\"directory\":{d}}}")),
        ("address escaped", format!("{{\"verified\":{{\"given_name\":\"Jose\",\"address\":{{\"street_address\":\"12 Main St\\nApt 4\",\"locality\":\"Spring\\u0066ield\",\"postal_code\":\"62701\",\"country\":\"U\\u0053\"}}}},\"directory\":{d}}}")),
        ("profile dup in user", format!("{{\"verified\":{v},\"directory\":{{\"id\":\"00u1\",\"profile\":{d},\"profile\":{{\"firstName\":\"Eve\",\"lastName\":\"Garcia\"}}}}}}")),
        ("status and id escaped", format!("{{\"verified\":{v},\"directory\":{{\"i\\u0064\":\"00u1\",\"status\":\"ACT\\u0049VE\",\"profile\":{d}}}}}")),
        ("long escaped value", format!("{{\"verified\":{{\"given_name\":\"{}\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}", "\\u00e9".repeat(3000))),
        ("max value bytes", format!("{{\"verified\":{{\"given_name\":\"{}\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}", "J".repeat(4096))),
        ("escaped at max value bytes", format!("{{\"verified\":{{\"given_name\":\"{}\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}", "\\u00e9".repeat(2048))),
        ("escaped past max value bytes", format!("{{\"verified\":{{\"given_name\":\"{}\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}", "\\u00e9".repeat(2049))),
        ("raw two-byte at max value bytes", format!("{{\"verified\":{{\"given_name\":\"{}\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}", "é".repeat(2048))),
        ("escaped directory long", format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"{}\",\"lastName\":\"Garcia\"}}}}", "\\u00e9".repeat(2048))),
        ("max value bytes plus", format!("{{\"verified\":{{\"given_name\":\"{}\",\"family_name\":\"Garcia\"}},\"directory\":{d}}}", "J".repeat(4097))),
    ];
    for (name, text) in texts {
        raw(cases, &format!("json {name}"), &text);
    }
}

/// Every string claim, as a JSON pointer into the verified claims and the key of the Okta profile.
const FIELDS: [(&str, &str); 11] = [
    ("/given_name", "firstName"),
    ("/family_name", "lastName"),
    ("/middle_name", "middleName"),
    ("/birthdate", "birthdate"),
    ("/address/street_address", "streetAddress"),
    ("/address/locality", "city"),
    ("/address/region", "state"),
    ("/address/postal_code", "zipCode"),
    ("/address/country", "countryCode"),
    ("/phone_number", "mobilePhone"),
    ("/email", "email"),
];

/// Characters a reader may take differently when written raw or as a JSON escape: every invisible and
/// bidi control above plus the embeddings, C0/C1 controls, line separators, look-alike letters (a BMP
/// one and an astral one, which escapes as a surrogate pair), noncharacters and JSON's own specials.
fn escape_hostiles() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = INVISIBLES.iter().map(|(l, c)| ((*l).to_string(), (*c).to_string())).collect();
    for (label, c) in [
        ("lre", "\u{202A}"),
        ("rle", "\u{202B}"),
        ("pdf", "\u{202C}"),
        ("lri", "\u{2066}"),
        ("fsi", "\u{2068}"),
        ("alm", "\u{061C}"),
        ("nul", "\u{0}"),
        ("soh", "\u{1}"),
        ("bel", "\u{7}"),
        ("bs", "\u{8}"),
        ("tab", "\t"),
        ("lf", "\n"),
        ("cr", "\r"),
        ("esc", "\u{1B}"),
        ("us", "\u{1F}"),
        ("del", "\u{7F}"),
        ("pad", "\u{80}"),
        ("nel", "\u{85}"),
        ("apc", "\u{9F}"),
        ("ls", "\u{2028}"),
        ("ps", "\u{2029}"),
        ("cyrillic_a", "\u{0430}"),
        ("greek_o", "\u{03BF}"),
        ("math_bold_a", "\u{1D41A}"),
        ("fullwidth_a", "\u{FF41}"),
        ("nonchar_fffe", "\u{FFFE}"),
        ("nonchar_ffff", "\u{FFFF}"),
        ("nonchar_fdd0", "\u{FDD0}"),
        ("replacement", "\u{FFFD}"),
        ("quote", "\""),
        ("backslash", "\\"),
        ("slash", "/"),
    ] {
        out.push((label.to_string(), c.to_string()));
    }
    out
}

/// How a string is written in the pair's JSON text: as serde_json writes it (raw but for `"`, `\` and
/// C0 controls), with every non-ASCII character escaped (Python's `ensure_ascii`), or every character
/// escaped (and keys too, in upper-case hex).
#[derive(Clone, Copy)]
enum Escapes {
    Raw,
    NonAscii,
    All,
}

fn write_string(out: &mut String, s: &str, mode: Escapes, upper: bool) {
    out.push('"');
    for c in s.chars() {
        let escape = match mode {
            Escapes::Raw => c == '"' || c == '\\' || (c as u32) < 0x20,
            Escapes::NonAscii => c == '"' || c == '\\' || (c as u32) < 0x20 || !c.is_ascii(),
            Escapes::All => true,
        };
        if !escape {
            out.push(c);
            continue;
        }
        let mut units = [0u16; 2];
        for u in c.encode_utf16(&mut units) {
            if upper {
                let _ = write!(out, "\\u{:04X}", u);
            } else {
                let _ = write!(out, "\\u{:04x}", u);
            }
        }
    }
    out.push('"');
}

/// `v`'s JSON text with its strings written as `mode` says (keys escaped only under `All`).
fn write_json(out: &mut String, v: &Value, mode: Escapes) {
    match v {
        Value::String(s) => write_string(out, s, mode, false),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, x, mode);
            }
            out.push(']');
        }
        Value::Object(o) => {
            out.push('{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k, if matches!(mode, Escapes::All) { Escapes::All } else { Escapes::Raw }, true);
                out.push(':');
                write_json(out, x, mode);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// One pair written raw, with non-ASCII escaped and with everything escaped: three cases that must
/// decide alike (`escaped_and_raw_spellings_decide_alike`), named `{name} raw|ascii|all`.
fn add_escaped(cases: &mut Vec<Case>, name: &str, v: &Value, d: &Value) {
    for (label, mode) in [("raw", Escapes::Raw), ("ascii", Escapes::NonAscii), ("all", Escapes::All)] {
        let (mut vt, mut dt) = (String::new(), String::new());
        write_json(&mut vt, v, mode);
        write_json(&mut dt, d, mode);
        let pair = format!("{{\"verified\":{vt},\"directory\":{dt}}}");
        cases.push(Case { name: format!("{name} {label}"), pair, sides: Some((vt, dt)) });
    }
}

/// The same hostile pair written with JSON escapes and with raw characters: each hostile character in the
/// middle of every claim, on the verified side, the directory side and both.
fn escape_cases(cases: &mut Vec<Case>) {
    for (label, ch) in escape_hostiles() {
        for (pointer, key) in FIELDS {
            let mut v = verified("Jose", "Garcia");
            let mut d = record("Jose", "Garcia");
            let clean_v = v.pointer(pointer).and_then(Value::as_str).expect("a string claim").to_string();
            let clean_d = d[key].as_str().expect("a string attribute").to_string();
            *v.pointer_mut(pointer).expect("the claim") = json!(insert_at(&clean_v, "mid", &ch));
            d[key] = json!(insert_at(&clean_d, "mid", &ch));
            let (v0, d0) = (verified("Jose", "Garcia"), record("Jose", "Garcia"));
            add_escaped(cases, &format!("esc {label} {key} verified"), &v, &d0);
            add_escaped(cases, &format!("esc {label} {key} directory"), &v0, &d);
            add_escaped(cases, &format!("esc {label} {key} both"), &v, &d);
        }
    }
}

/// `text` (an object's JSON) with `entry` (`"key":value`) put first or last inside the object that
/// starts at byte `open` (a flat object: its end is the first `}` after it).
fn with_entry(text: &str, open: usize, entry: &str, first: bool) -> String {
    if first {
        format!("{}{entry},{}", &text[..=open], &text[open + 1..])
    } else {
        let close = open + text[open..].find('}').expect("a flat object");
        format!("{},{entry}{}", &text[..close], &text[close..])
    }
}

/// Every claim on each side with a duplicate key (the other value first or last, a string or another
/// type), a number, boolean, null, array or object where a string is expected, and very long values.
fn claim_shape_cases(cases: &mut Vec<Case>) {
    let others = ["\"Eve\"", "\"\"", "5", "null", "true", "[\"Jose\"]", "{\"value\":\"Eve\"}"];
    let shapes: [(&str, &str); 12] = [
        ("int", "5"),
        ("float", "5.5"),
        ("neg zero", "-0"),
        ("exp", "1e2"),
        ("true", "true"),
        ("false", "false"),
        ("null", "null"),
        ("empty array", "[]"),
        ("array", "[\"Jose\"]"),
        ("empty object", "{}"),
        ("value object", "{\"value\":\"Jose\"}"),
        ("huge", "1e400"),
    ];
    for (pointer, key) in FIELDS {
        let vt = verified("Jose", "Garcia").to_string();
        let dt = record("Jose", "Garcia").to_string();
        let vkey = pointer.rsplit('/').next().expect("a key");
        let vopen =
            if pointer.starts_with("/address/") { vt.find("\"address\":{").expect("an address") + 10 } else { 0 };
        for other in others {
            for first in [true, false] {
                let order = if first { "first" } else { "last" };
                let v2 = with_entry(&vt, vopen, &format!("\"{vkey}\":{other}"), first);
                raw(
                    cases,
                    &format!("dup {vkey} {other} {order} verified"),
                    &format!("{{\"verified\":{v2},\"directory\":{dt}}}"),
                );
                let d2 = with_entry(&dt, 0, &format!("\"{key}\":{other}"), first);
                raw(
                    cases,
                    &format!("dup {key} {other} {order} directory"),
                    &format!("{{\"verified\":{vt},\"directory\":{d2}}}"),
                );
            }
        }
        for (label, shape) in shapes {
            let mut v = verified("Jose", "Garcia");
            let mut d = record("Jose", "Garcia");
            *v.pointer_mut(pointer).expect("the claim") = json!("@@");
            d[key] = json!("@@");
            let (v, d) = (v.to_string(), d.to_string());
            let (v0, d0) = (&vt, &dt);
            let v1 = v.replace("\"@@\"", shape);
            let d1 = d.replace("\"@@\"", shape);
            raw(cases, &format!("type {label} {vkey} verified"), &format!("{{\"verified\":{v1},\"directory\":{d0}}}"));
            raw(cases, &format!("type {label} {key} directory"), &format!("{{\"verified\":{v0},\"directory\":{d1}}}"));
        }
        for (label, long) in [
            ("4097", "J".repeat(4097)),
            ("two-byte 2049", "é".repeat(2049)),
            ("65537", "7".repeat(65_537)),
            ("words 2000", vec!["Ann"; 2000].join(" ")),
        ] {
            let mut v = verified("Jose", "Garcia");
            let mut d = record("Jose", "Garcia");
            *v.pointer_mut(pointer).expect("the claim") = json!(long);
            d[key] = json!(long);
            add(cases, format!("long {label} {vkey} verified"), &v, &record("Jose", "Garcia"));
            add(cases, format!("long {label} {key} directory"), &verified("Jose", "Garcia"), &d);
            add(cases, format!("long {label} {key} both"), &v, &d);
        }
    }
}

/// Pure-ASCII values that carry spoof-like content (`|` and `1` for l, digits for letters, `rn` for m,
/// `vv` for w, `cl` for d) in names, localities, streets and emails, on either side: an ASCII fast path
/// must decide them as the full path does.
fn ascii_spoof_cases(cases: &mut Vec<Case>) {
    let names: [(&str, &str); 22] = [
        ("Wi|liam", "William"),
        ("Wil1iam", "William"),
        ("Wi11iam", "William"),
        ("WiIliam", "William"),
        ("Jarnes", "James"),
        ("Sarnuel", "Samuel"),
        ("Edvvard", "Edward"),
        ("Clavid", "David"),
        ("0liver", "Oliver"),
        ("5arah", "Sarah"),
        ("8enjamin", "Benjamin"),
        ("Ja5on", "Jason"),
        ("J0se", "Jose"),
        ("|sabel", "Isabel"),
        ("Mi11er", "Miller"),
        ("Srnith", "Smith"),
        ("Sm1th", "Smith"),
        ("5mith", "Smith"),
        ("|ee", "Lee"),
        ("Lee|", "Lee"),
        ("Garc1a", "Garcia"),
        ("Garcla", "Garcia"),
    ];
    for (spoof, clean) in names {
        add(cases, format!("ascii {spoof} given verified"), &verified(spoof, "Garcia"), &record(clean, "Garcia"));
        add(cases, format!("ascii {spoof} given directory"), &verified(clean, "Garcia"), &record(spoof, "Garcia"));
        add(cases, format!("ascii {spoof} family verified"), &verified("Jose", spoof), &record("Jose", clean));
        add(cases, format!("ascii {spoof} family directory"), &verified("Jose", clean), &record("Jose", spoof));
    }
    for (pointer, key, spoof) in [
        ("/address/locality", "city", "Spr1ngfie|d"),
        ("/address/locality", "city", "5pringfield"),
        ("/address/locality", "city", "Sprlngfield"),
        ("/address/street_address", "streetAddress", "I2 Main St"),
        ("/address/street_address", "streetAddress", "l2 Main St"),
        ("/address/street_address", "streetAddress", "12 Maln St"),
        ("/address/postal_code", "zipCode", "627O1"),
        ("/address/postal_code", "zipCode", "6270l"),
        ("/address/region", "state", "1L"),
        ("/address/region", "state", "|L"),
        ("/email", "email", "jose.garcia@exarnple.com"),
        ("/email", "email", "jose.garcia@examp1e.com"),
        ("/email", "email", "jose.garc1a@example.com"),
        ("/email", "email", "jose.garcia@example.corn"),
        ("/phone_number", "mobilePhone", "+1 217 555 OlOO"),
        ("/birthdate", "birthdate", "199O-04-03"),
        ("/birthdate", "birthdate", "l990-04-03"),
    ] {
        let mut v = verified("Jose", "Garcia");
        *v.pointer_mut(pointer).expect("the claim") = json!(spoof);
        add(cases, format!("ascii {spoof} {key} verified"), &v, &record("Jose", "Garcia"));
        let mut d = record("Jose", "Garcia");
        d[key] = json!(spoof);
        add(cases, format!("ascii {spoof} {key} directory"), &verified("Jose", "Garcia"), &d);
    }
}

/// Keys a byte-level reader may compare loosely: a NUL, a space, a zero-width space or another case
/// after or inside a claim's key, a prefix or an extension of it, the same key escaped in part; and
/// members no claim reads whose text looks like a claim's (nested `given_name`, a key in a string).
fn key_cases(cases: &mut Vec<Case>) {
    let d = record("Jose", "Garcia").to_string();
    let v = verified("Jose", "Garcia").to_string();
    for (label, key) in [
        ("nul after", "given_name\\u0000"),
        ("raw nul escaped start", "\\u0000given_name"),
        ("space after", "given_name "),
        ("zwsp after", "given_name\\u200b"),
        ("upper", "Given_Name"),
        ("prefix", "given_nam"),
        ("extension", "given_names"),
        ("escaped last", "given_nam\\u0065"),
        ("escaped first", "\\u0067iven_name"),
        ("escaped upper hex", "given\\u005Fname"),
        ("fullwidth underscore", "given\u{FF3F}name"),
    ] {
        raw(cases, &format!("key verified {label}"), &format!("{{\"verified\":{{\"{key}\":\"Eve\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}"));
        raw(cases, &format!("key verified {label} then real"), &format!("{{\"verified\":{{\"given_name\":\"Jose\",\"{key}\":\"Eve\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}"));
        let dkey = key
            .replace("given_name", "firstName")
            .replace("given_nam", "firstNam")
            .replace("\\u0067iven_name", "\\u0066irstName")
            .replace("given\\u005Fname", "first\\u004Eame")
            .replace("given\u{FF3F}name", "first\u{FF2E}ame")
            .replace("Given_Name", "FirstName");
        raw(cases, &format!("key directory {label}"), &format!("{{\"verified\":{v},\"directory\":{{\"{dkey}\":\"Eve\",\"lastName\":\"Garcia\",\"birthdate\":\"1990-04-03\"}}}}"));
        raw(cases, &format!("key directory {label} then real"), &format!("{{\"verified\":{v},\"directory\":{{\"firstName\":\"Jose\",\"{dkey}\":\"Eve\",\"lastName\":\"Garcia\",\"birthdate\":\"1990-04-03\"}}}}"));
    }
    for (label, key) in [
        ("nul after", "verified\\u0000"),
        ("space after", "verified "),
        ("prefix", "verifie"),
        ("extension", "verifiedx"),
        ("escaped", "verifie\\u0064"),
    ] {
        raw(
            cases,
            &format!("pair key {label}"),
            &format!("{{\"{key}\":{{\"given_name\":\"Eve\"}},\"verified\":{v},\"directory\":{d}}}"),
        );
        raw(
            cases,
            &format!("pair key {label} after"),
            &format!("{{\"verified\":{v},\"{key}\":{{\"given_name\":\"Eve\"}},\"directory\":{d}}}"),
        );
    }
    let looks = [
        ("nested given", format!("{{\"verified\":{{\"x\":{{\"given_name\":\"Eve\"}},\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("nested given after", format!("{{\"verified\":{{\"given_name\":\"Jose\",\"x\":[{{\"given_name\":\"Eve\"}}],\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("key text in string", format!("{{\"verified\":{{\"x\":\"\\\",\\\"given_name\\\":\\\"Eve\",\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
        ("nested firstName", format!("{{\"verified\":{v},\"directory\":{{\"x\":{{\"firstName\":\"Eve\"}},\"firstName\":\"Jose\",\"lastName\":\"Garcia\",\"birthdate\":\"1990-04-03\"}}}}")),
        ("profile nested firstName", format!("{{\"verified\":{v},\"directory\":{{\"id\":\"00u1\",\"_links\":{{\"profile\":{{\"firstName\":\"Eve\"}}}},\"profile\":{d}}}}}")),
        ("escaped quote before key", format!("{{\"verified\":{{\"x\":\"a\\\\\",\"given_name\":\"Jose\",\"family_name\":\"Garcia\",\"birthdate\":\"1990-04-03\"}},\"directory\":{d}}}")),
    ];
    for (label, text) in looks {
        raw(cases, &format!("looks like a key {label}"), &text);
    }
}

/// What a path made of a pair: a report (canonical JSON) or an error code.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Report(Value),
    Error(String),
}

fn code_of(e: &okta_directory::Error) -> Outcome {
    let message = e.to_string();
    assert!(!message.contains(MARK), "an error message carries a profile value: {message}");
    Outcome::Error(e.code().to_string())
}

fn decision_of(report: &Value) -> u8 {
    serde_json::from_value::<Decision>(report["decision"].clone()).expect("a decision").code()
}

/// The one-call path, as the wasm glue's `matchJson` reads the two sides.
fn single(m: &Matcher, v: &str, d: &str) -> Outcome {
    let parse = |t: &str| serde_json::from_str::<Value>(t).map_err(|_| Outcome::Error("INVALID_JSON".into()));
    let (v, d) = match (parse(v), parse(d)) {
        (Ok(v), Ok(d)) => (v, d),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    match normalize_user(&d, &m.policy().attribute_mapping()) {
        Ok(u) => Outcome::Report(
            serde_json::to_value(m.decide(&VerifiedClaims::from_json(&v), &u.user)).expect("serializes"),
        ),
        Err(e) => code_of(&e),
    }
}

/// Every path's outcome for one pair, checked against each other; returns the shared outcome and
/// match_line's error code where match_line alone refuses the pair.
fn run(m: &Matcher, case: &Case) -> (Outcome, Option<String>) {
    let mut line_error = None;
    let array = format!("[{}]", case.pair);
    let many = match match_many_json(m, &array) {
        Ok(text) => {
            let mut reports: Vec<Value> = serde_json::from_str(&text).expect("an array of reports");
            assert_eq!(reports.len(), 1, "{}: one report", case.name);
            Outcome::Report(reports.remove(0))
        }
        Err(e) => code_of(&e),
    };
    let decided = match decide_many_json(m, &array) {
        Ok(codes) => Ok(codes),
        Err(e) => Err(code_of(&e)),
    };
    match (&many, &decided) {
        (Outcome::Report(r), Ok(codes)) => {
            assert_eq!(codes, &[decision_of(r)], "{}: decide_many vs match_many", case.name)
        }
        (Outcome::Error(_), Err(e)) => assert_eq!(e, &many, "{}: decide_many's error", case.name),
        _ => panic!("{}: match_many {many:?}, decide_many {decided:?}", case.name),
    }
    for text in [&array, &case.pair] {
        // JSON Lines (the pair alone) only when the pair is one line; a line that is not an object is
        // read differently by JSON Lines (and `[]` is an empty array): compared only when matched.
        if text == &case.pair && (case.pair.contains('\n') || !case.pair.trim_start().starts_with('{')) {
            continue;
        }
        let loaded = match load_pairs(m, text) {
            Ok(pairs) => {
                assert_eq!(pairs.len(), 1, "{}: one loaded pair", case.name);
                let (pv, pd) = &pairs[0];
                let report = serde_json::to_value(m.match_prepared(pv, pd)).expect("serializes");
                assert_eq!(m.decide_prepared(pv, pd).code(), decision_of(&report), "{}: decide_prepared", case.name);
                Outcome::Report(report)
            }
            Err(e) => code_of(&e),
        };
        if text == &array {
            assert_eq!(loaded, many, "{}: load_pairs (array) vs match_many", case.name);
        } else if matches!(many, Outcome::Report(_)) {
            assert_eq!(loaded, many, "{}: load_pairs (JSON Lines) vs match_many", case.name);
        }
    }
    if let Some((v, d)) = &case.sides {
        assert_eq!(single(m, v, d), many, "{}: one call vs match_many", case.name);
    }
    if !case.pair.contains(['\n', '\r']) {
        let line: Value = serde_json::from_str(&match_line(m, &case.pair)).expect("match_line writes JSON");
        let line_outcome = match line.get("error") {
            Some(e) => Outcome::Error(e["code"].as_str().expect("a code").to_string()),
            None => {
                let mut r = line.clone();
                r.as_object_mut().expect("an object").remove("id");
                Outcome::Report(r)
            }
        };
        if let Some(msg) = line.pointer("/error/message").and_then(Value::as_str) {
            assert!(!msg.contains(MARK), "{}: match_line's message carries a value", case.name);
        }
        // A line that is valid JSON but not a pair object is refused by match_line and match_many alike.
        match (&line_outcome, &many) {
            (Outcome::Report(a), Outcome::Report(b)) => {
                let mut b = b.clone();
                if let Some(o) = b.as_object_mut() {
                    o.remove("id");
                }
                assert_eq!(a, &b, "{}: match_line vs match_many", case.name);
            }
            (Outcome::Error(a), Outcome::Error(b)) => assert_eq!(a, b, "{}: match_line's code", case.name),
            // match_line is stricter by design (`verified` must be an object, `directory` present):
            // pinned in the golden line.
            (Outcome::Error(code), Outcome::Report(_)) => line_error = Some(code.clone()),
            _ => panic!("{}: match_line {line_outcome:?}, match_many {many:?}", case.name),
        }
    }
    (many, line_error)
}

/// The pinned line of one outcome, tab-separated: the case, the decision (or `error:CODE`), match_line's
/// own refusal if any, a hash of the whole canonical report (scores included; serde_json's text), and
/// each claim whose result is not a plain `match`, with its outcome and reasons.
fn pin_line(name: &str, (outcome, line_error): &(Outcome, Option<String>)) -> String {
    let mut out = vec![name.to_string()];
    match outcome {
        Outcome::Error(code) => out.push(format!("error:{code}")),
        Outcome::Report(r) => {
            out.push(r["decision"].as_str().unwrap_or("?").to_string());
            out.push(format!("{:016x}", fnv(&r.to_string())));
            out.push(claims_summary(r));
        }
    }
    if let Some(code) = line_error {
        out.push(format!("match_line:error:{code}"));
    }
    out.join("\t")
}

/// `claim=outcome REASON,REASON; …` for every claim that is not a plain `match` (the JS replay writes
/// the same summary from the SDK's report).
fn claims_summary(r: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(claims) = r["claims"].as_object() {
        for (k, c) in claims {
            let outcome = c["outcome"].as_str().unwrap_or("");
            let rs: Vec<&str> =
                c["reasons"].as_array().map_or(vec![], |a| a.iter().filter_map(Value::as_str).collect());
            if outcome != "match" || !rs.is_empty() {
                parts.push(format!("{k}={outcome} {}", rs.join(",")).trim().to_string());
            }
        }
    }
    parts.join("; ")
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attack").join(name)
}

#[test]
fn every_path_decides_every_hostile_pair_alike_and_as_pinned() {
    let m = Matcher::new(Policy::default());
    let cases = cases();
    let mut got = String::new();
    let mut case_lines = String::new();
    for case in &cases {
        let outcome = run(&m, case);
        let _ = writeln!(got, "{}", pin_line(&case.name, &outcome));
        let _ =
            writeln!(case_lines, "{}", json!({"case": case.name, "pair": case.pair, "sides": case.sides.is_some()}));
    }
    if std::env::var_os("ATTACK_BLESS").is_some() {
        std::fs::create_dir_all(fixture("")).expect("fixture dir");
        std::fs::write(fixture("claims-hostile.golden.tsv"), &got).expect("writes the golden");
        // For the JS replay: `gzip -9 -n tests/fixtures/attack/claims-hostile.cases.jsonl` after blessing.
        std::fs::write(fixture("claims-hostile.cases.jsonl"), &case_lines).expect("writes the cases");
        return;
    }
    let want = std::fs::read_to_string(fixture("claims-hostile.golden.tsv")).expect("the golden file");
    let differ: Vec<String> = want
        .lines()
        .zip(got.lines())
        .filter(|(a, b)| a != b)
        .take(20)
        .map(|(a, b)| format!("pinned {a}\n   now {b}"))
        .collect();
    assert!(
        differ.is_empty() && want.lines().count() == got.lines().count(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}

/// The same pair written raw, with its non-ASCII characters escaped, and with every character escaped
/// (a borrowed reader that unescapes differently from serde_json, or skips a check on escaped text)
/// decides alike on every path, to the byte of the report.
#[test]
fn escaped_and_raw_spellings_decide_alike() {
    let m = Matcher::new(Policy::default());
    let mut cases = Vec::new();
    escape_cases(&mut cases);
    let mut differ = Vec::new();
    for group in cases.chunks(3) {
        let outcomes: Vec<(Outcome, Option<String>)> = group.iter().map(|c| run(&m, c)).collect();
        for (c, o) in group.iter().zip(&outcomes).skip(1) {
            if o != &outcomes[0] {
                differ.push(format!("{}: {:?}\n  raw: {:?}", c.name, o, outcomes[0]));
            }
        }
    }
    assert_eq!(cases.len() % 3, 0);
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// All pairs in one array: what one pair decides must not depend on the pairs read before it (a buffer
/// reused across pairs and not cleared, a key cached from the previous pair).
#[test]
fn a_batch_decides_each_pair_as_alone_in_both_orders() {
    let m = Matcher::new(Policy::default());
    let cases: Vec<Case> = cases().into_iter().filter(|c| c.sides.is_some()).collect();
    let alone: Vec<Outcome> = cases.iter().map(|c| run(&m, c).0).collect();
    for reversed in [false, true] {
        let mut order: Vec<usize> = (0..cases.len()).collect();
        if reversed {
            order.reverse();
        }
        let ok: Vec<usize> = order.into_iter().filter(|&i| matches!(alone[i], Outcome::Report(_))).collect();
        let array = format!("[{}]", ok.iter().map(|&i| cases[i].pair.as_str()).collect::<Vec<_>>().join(","));
        let lines = ok.iter().map(|&i| cases[i].pair.as_str()).collect::<Vec<_>>().join("\n");
        let reports: Vec<Value> = serde_json::from_str(&match_many_json(&m, &array).expect("matches")).expect("array");
        let codes = decide_many_json(&m, &array).expect("decides");
        let loaded = load_pairs(&m, &array).expect("loads");
        let loaded_lines = load_pairs(&m, &lines).expect("loads lines");
        assert_eq!(
            (reports.len(), codes.len(), loaded.len(), loaded_lines.len()),
            (ok.len(), ok.len(), ok.len(), ok.len())
        );
        for (k, &i) in ok.iter().enumerate() {
            let Outcome::Report(want) = &alone[i] else { unreachable!() };
            let name = &cases[i].name;
            assert_eq!(&reports[k], want, "{name}: in a batch (reversed {reversed})");
            assert_eq!(codes[k], decision_of(want), "{name}: decide_many in a batch");
            for l in [&loaded, &loaded_lines] {
                let (pv, pd) = &l[k];
                assert_eq!(
                    &serde_json::to_value(m.match_prepared(pv, pd)).expect("ser"),
                    want,
                    "{name}: loaded in a batch"
                );
                assert_eq!(m.decide_prepared(pv, pd).code(), codes[k], "{name}: decide_prepared in a batch");
            }
        }
    }
}

/// The decision of one pair on every path (one call, `decide_many_json`, `load_pairs` +
/// `decide_prepared`, `match_many_json`), which must agree: a fast path on one of them is checked too.
fn decide_pair(m: &Matcher, v: &Value, d: &Value) -> Decision {
    let user = normalize_user(d, &m.policy().attribute_mapping()).expect("a valid record").user;
    let direct = m.decide(&VerifiedClaims::from_json(v), &user).decision;
    let (pair, _, _) = pair_text(v, d);
    let array = format!("[{pair}]");
    assert_eq!(decide_many_json(m, &array).expect("decides"), [direct.code()], "decide_many vs decide");
    let loaded = load_pairs(m, &pair).expect("loads");
    assert_eq!(m.decide_prepared(&loaded[0].0, &loaded[0].1), direct, "decide_prepared vs decide");
    let prepared = (m.prepare_verified(&VerifiedClaims::from_json(v)), m.prepare_record(&user));
    assert_eq!(m.match_prepared(&prepared.0, &prepared.1).decision, direct, "match_prepared vs decide");
    let reports: Vec<Value> = serde_json::from_str(&match_many_json(m, &array).expect("matches")).expect("an array");
    assert_eq!(decision_of(&reports[0]), direct.code(), "match_many vs decide");
    direct
}

/// Security properties, whatever path: a homoglyph or invisible-character spelling of a name never
/// matches the genuine one — the variant on the verified side against an ASCII or non-ASCII record, and
/// on the directory side against ASCII or non-ASCII claims — and every clean value matches itself.
#[test]
fn homoglyph_and_invisible_variants_never_match_on_either_side() {
    let m = Matcher::new(Policy::default());
    let mut breaches = Vec::new();
    for (given, family) in NAMES {
        assert_eq!(
            decide_pair(&m, &verified(given, family), &record(given, family)),
            Decision::Match,
            "{given} {family} matches itself"
        );
        for (field, name) in [("given", given), ("family", family)] {
            for (label, variant) in variants(name) {
                let homoglyph = label.starts_with("cyrillic") || label.starts_with("greek");
                let invisible = INVISIBLES.iter().any(|(l, _)| label.starts_with(l));
                // ZWJ/ZWNJ between letters of a non-Latin script only pick a shape (docs/architecture.md).
                let shaping =
                    (label == "zwj_mid" || label == "zwnj_mid") && !name.chars().any(|c| c.is_ascii_alphabetic());
                if !(homoglyph || invisible) || shaping {
                    continue;
                }
                // Directory-side copy-paste invisibles are data quality, removed (docs/claims-decisions.md §guards).
                let copy_paste = ["zwsp", "shy", "bom", "wj"].iter().any(|l| label.starts_with(l));
                let (vg, vf) = if field == "given" { (variant.as_str(), family) } else { (given, variant.as_str()) };
                for (side, v, d) in [
                    ("verified", verified(vg, vf), record(given, family)),
                    ("directory", verified(given, family), record(vg, vf)),
                ] {
                    if side == "directory" && copy_paste {
                        continue;
                    }
                    let got = decide_pair(&m, &v, &d);
                    if got == Decision::Match {
                        breaches.push(format!("{given} {family}: {field} {label} on the {side} side matched"));
                    }
                }
            }
        }
    }
    // ASCII claims against a non-ASCII record carrying a look-alike, and the reverse: the ASCII side may
    // take a fast path; the other side's spoof must still be seen.
    for (plain, accented) in
        [("Jose", "José"), ("Garcia", "García"), ("Bjorn", "Björn"), ("Angstrom", "Ångström"), ("Ismail", "İsmail")]
    {
        assert_eq!(
            decide_pair(&m, &verified(plain, "Smith"), &record(accented, "Smith")),
            Decision::Match,
            "{plain} vs {accented}"
        );
        for (label, variant) in variants(accented) {
            let homoglyph = label.starts_with("cyrillic") || label.starts_with("greek");
            let invisible = INVISIBLES.iter().any(|(l, _)| label.starts_with(l));
            let copy_paste = ["zwsp", "shy", "bom", "wj"].iter().any(|l| label.starts_with(l));
            if homoglyph || invisible {
                if decide_pair(&m, &verified(&variant, "Smith"), &record(plain, "Smith")) == Decision::Match {
                    breaches.push(format!("verified {label} of {accented} matched the ASCII record {plain}"));
                }
                if !copy_paste
                    && decide_pair(&m, &verified(plain, "Smith"), &record(&variant, "Smith")) == Decision::Match
                {
                    breaches.push(format!("ASCII claims {plain} matched the record's {label} of {accented}"));
                }
            }
        }
        for (label, variant) in variants(plain) {
            let homoglyph = label.starts_with("cyrillic") || label.starts_with("greek");
            let invisible = INVISIBLES.iter().any(|(l, _)| label.starts_with(l));
            let copy_paste = ["zwsp", "shy", "bom", "wj"].iter().any(|l| label.starts_with(l));
            if homoglyph || invisible {
                if decide_pair(&m, &verified(&variant, "Smith"), &record(accented, "Smith")) == Decision::Match {
                    breaches.push(format!("verified {label} of {plain} matched the accented record {accented}"));
                }
                if !copy_paste
                    && decide_pair(&m, &verified(accented, "Smith"), &record(&variant, "Smith")) == Decision::Match
                {
                    breaches.push(format!("accented claims {accented} matched the record's {label} of {plain}"));
                }
            }
        }
    }
    assert!(breaches.is_empty(), "{} variants matched:\n{}", breaches.len(), breaches.join("\n"));
}

/// Over-long values: refused or decided, never a panic, on every path (the wasm build's 32-bit sizes and
/// any u16 offsets in a compact prepared pair are where this breaks first).
#[test]
fn very_long_values_are_decided_or_refused_alike() {
    let m = Matcher::new(Policy::default());
    for n in [65_535usize, 65_536, 65_537, 70_000, 300_000] {
        for (label, v, d) in [
            ("verified", verified(&"J".repeat(n), "Garcia"), record("Jose", "Garcia")),
            ("both", verified(&"é".repeat(n / 2), "Garcia"), record("Jose", "Garcia")),
            ("verified words", verified(&"Ann ".repeat(n / 4), &"Ann".repeat(n / 3)), record("Ann", "Annann")),
        ] {
            let (pair, vt, dt) = pair_text(&v, &d);
            run(&m, &Case { name: format!("length {n} {label}"), pair, sides: Some((vt, dt)) });
        }
    }
    // The directory side refuses over-long values (never truncates): the same code on every path.
    let (pair, vt, dt) = pair_text(&verified("Jose", "Garcia"), &record(&"J".repeat(70_000), "Garcia"));
    let (outcome, _) = run(&m, &Case { name: "directory 70000".into(), pair, sides: Some((vt, dt)) });
    assert!(matches!(outcome, Outcome::Report(_) | Outcome::Error(_)));
}

/// Text-level inputs to the batch readers: empty, blank, BOM, nested arrays, huge lines: typed, no panic.
#[test]
fn batch_text_edge_cases_are_typed() {
    let m = Matcher::new(Policy::default());
    let p = pair_text(&verified("Jose", "Garcia"), &record("Jose", "Garcia")).0;
    let texts: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("blank", " \n\t ".into()),
        ("empty array", "[]".into()),
        ("spaced array", " [ ] ".into()),
        ("bom array", format!("\u{FEFF}[{p}]")),
        ("nested array", format!("[[{p}]]")),
        ("null element", "[null]".into()),
        ("number element", "[1]".into()),
        ("trailing comma", format!("[{p},]")),
        ("leading comma", format!("[,{p}]")),
        ("unclosed", format!("[{p}")),
        ("garbage after", format!("[{p}] x")),
        ("two arrays", format!("[{p}][{p}]")),
        ("deep arrays", format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))),
        ("deep open", "[".repeat(100_000)),
        ("object not array", p.clone()),
        ("crlf lines", format!("{p}\r\n{p}\r\n")),
        ("lines with blank", format!("\n{p}\n\n  \n{p}\n")),
        ("line separator between", format!("{p}\u{2028}{p}")),
        ("bom line", format!("\u{FEFF}{p}")),
        ("huge line", format!("{{\"verified\":{{\"given_name\":\"{}\"}},\"directory\":{{}}}}", "J".repeat(1 << 20))),
    ];
    let mut pinned = Vec::new();
    for (name, text) in &texts {
        let many = match_many_json(&m, text).map(|t| t.len()).map_err(|e| code_of(&e));
        let decided = decide_many_json(&m, text).map(|c| c.len()).map_err(|e| code_of(&e));
        let loaded = load_pairs(&m, text).map(|l| l.len()).map_err(|e| code_of(&e));
        assert_eq!(many.is_ok(), decided.is_ok(), "{name}: match_many {many:?} vs decide_many {decided:?}");
        if let (Err(a), Err(b)) = (&many, &decided) {
            assert_eq!(a, b, "{name}: the same code");
        }
        pinned.push(format!(
            "{name}: many {:?} decide {:?} load {:?}",
            many.map_err(|e| format!("{e:?}")),
            decided.map_err(|e| format!("{e:?}")),
            loaded.map_err(|e| format!("{e:?}"))
        ));
    }
    insta_like(&pinned);
}

/// Compares the batch-text outcomes with their pinned file (written with ATTACK_BLESS=1).
fn insta_like(lines: &[String]) {
    let got = lines.join("\n") + "\n";
    let path = fixture("claims-batch-text.golden.txt");
    if std::env::var_os("ATTACK_BLESS").is_some() {
        std::fs::create_dir_all(fixture("")).expect("fixture dir");
        std::fs::write(&path, &got).expect("writes");
        return;
    }
    assert_eq!(std::fs::read_to_string(path).expect("the golden file"), got);
}
