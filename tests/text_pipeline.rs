//! Integration tests of the text pipeline through the public API (`okta_directory::text::*`):
//! comparison keys, tokens, name affixes and the security findings.
//!
//! Security cases come first in spirit: a homoglyph spelling must never fold to the genuine key and
//! must always be flagged, while real names written in one script must raise nothing.

use okta_directory::text::{
    classify_affix, dominant_script, fold, fold_variants, inspect, skeleton, strip_affixes, tokens, AffixKind,
    AffixRole, Reason, Script, Separator, TokenKind,
};

/// Whether two values share a comparison key.
fn meet(a: &str, b: &str) -> bool {
    let keys = fold_variants(b);
    fold_variants(a).iter().any(|k| keys.contains(k))
}

/// Deterministic xorshift64* so the generated cases are the same on every run and platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

// ---------------------------------------------------------------------------------------------
// fold
// ---------------------------------------------------------------------------------------------

#[test]
fn fold_table() {
    let cases: &[(&str, &str)] = &[
        ("Müller", "muller"),
        ("MÜLLER", "muller"),
        ("Mu\u{308}ller", "muller"),
        ("Mueller", "mueller"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("STRAẞE", "strasse"),
        ("José", "jose"),
        ("JOSÉ", "jose"),
        ("Jose\u{301}", "jose"),
        ("Łukasz", "lukasz"),
        ("ŁUKASZ", "lukasz"),
        ("Ærø", "aero"),
        ("Søren", "soren"),
        ("Nguyễn", "nguyen"),
        ("Dvořák", "dvorak"),
        ("Ｊｏｈｎ", "john"),
        ("ﬁona", "fiona"),
        ("Ǆuro", "dzuro"),
        ("Đorđe", "dorde"),
        ("Þórður", "thordur"),
        ("Cœur", "coeur"),
        ("Işık", "isik"),
        ("İstanbul", "istanbul"),
        ("Gal·la", "galla"),
        ("Ŀlorenç", "llorenc"),
        ("ŉ", "n"),
        ("ĸ", "k"),
        ("ſ", "s"),
        ("Ħamrun", "hamrun"),
        ("Ŋ", "n"),
        ("Ŧ", "t"),
        ("François", "francois"),
        ("Ångström", "angstrom"),
        ("Bjørn", "bjorn"),
        ("Zoë", "zoe"),
        ("Ñúñez", "nunez"),
        ("Ōsaka", "osaka"),
        ("Kelvin \u{212a}", "kelvin k"),
        // Other scripts are folded in their own script, never transliterated.
        ("ΑΛΈΞΑΝΔΡΟΣ", "αλεξανδροσ"),
        ("Σίσυφος", "σισυφοσ"),
        ("Дмитрий", "дмитрии"),
        ("ЁЛКА", "елка"),
        ("ꮳꮃꭹ", "ᏣᎳᎩ"),
        ("ᏣᎳᎩ", "ᏣᎳᎩ"),
        ("ԱՐԱՄ", "արամ"),
        ("がく", "がく"),
        ("ガク", "ガク"),
        ("\u{1d409}\u{1d428}\u{1d421}\u{1d427}", "john"),
        ("देवनागरी", "देवनागरी"),
        ("김민준", "김민준"),
        ("李小龍", "李小龍"),
        ("محمد", "محمد"),
        // Optional Arabic and Hebrew vowel points, hamza and kashida go; Indic and kana marks stay.
        ("مُحَمَّد", "محمد"),
        ("أحمد", "احمد"),
        ("محـمد", "محمد"),
        ("שָׁלוֹם", "שלום"),
        ("कि", "कि"),
        ("ｶﾞｸ", "ガク"),
        ("", ""),
        ("123", "123"),
    ];
    for (raw, want) in cases {
        assert_eq!(fold(raw), *want, "fold({raw:?})");
    }
}

#[test]
fn compatibility_forms_are_the_same_letters() {
    // NFKC equivalents are the same letters in another style, not look-alikes from another script:
    // they fold to the plain key and raise no finding.
    for styled in ["Ｊｏｈｎ", "\u{1d409}\u{1d428}\u{1d421}\u{1d427}", "Jºhn"] {
        assert_eq!(fold(styled), "john", "{styled}");
        assert!(inspect(styled).is_empty(), "{styled}");
    }
}

#[test]
fn fold_keeps_invisible_and_bidi_characters_so_they_never_meet_the_clean_key() {
    let hidden = [
        "Al\u{200b}ice",
        "Ali\u{ad}ce",
        "\u{202e}Alice",
        "Alice\u{200f}",
        "Al\u{2060}ice",
        "\u{feff}Alice",
        "Al\u{200d}ice",
        "Al\u{200c}ice",
        "Al\u{fe00}ice",
        "Al\u{e0100}ice",
        "Al\u{34f}ice",
        "Alice\u{e0041}",
        "Al\u{0}ice",
    ];
    for raw in hidden {
        assert_ne!(fold(raw), "alice", "{raw:?}");
        assert!(!meet(raw, "Alice"), "{raw:?}");
        assert!(!inspect(raw).is_empty(), "{raw:?}");
    }
}

#[test]
fn fold_drops_joiners_and_selectors_only_where_they_select_a_shape() {
    let same: &[(&str, &str)] = &[
        ("می\u{200c}خواهم", "میخواهم"), // Persian ZWNJ
        ("क्\u{200d}ष", "क्ष"),           // Devanagari ZWJ after virama
        ("ক্\u{200c}ষ", "ক্ষ"),           // Bengali ZWNJ
        ("葛\u{e0100}飾", "葛飾"),      // ideographic variation sequence
        ("ᠠ\u{180b}ᠢ", "ᠠᠢ"),           // Mongolian free variation selector
    ];
    for (with, without) in same {
        assert_eq!(fold(with), fold(without), "{with:?}");
        assert!(inspect(with).is_empty(), "{with:?}");
    }
}

#[test]
fn variants_let_umlaut_spellings_meet() {
    let meeting: &[(&str, &str)] = &[
        ("Müller", "Mueller"),
        ("Müller", "Muller"),
        ("MÜLLER", "MUELLER"),
        ("Müller", "müller"),
        ("Søren", "Soeren"),
        ("Søren", "Soren"),
        ("Göthe", "Goethe"),
        ("Jürgen", "Juergen"),
        ("Ågård", "Aagaard"),
        ("Ågård", "Agard"),
        ("Straße", "Strasse"),
        ("Łukasz", "Lukasz"),
        ("José", "Jose"),
        ("Ærø", "Aero"),
        ("Nguyễn", "Nguyen"),
        ("Dvořák", "Dvorak"),
        ("Ｊｏｈｎ", "John"),
    ];
    for (a, b) in meeting {
        assert!(meet(a, b), "{a} ~ {b}");
        assert!(meet(b, a), "{b} ~ {a}");
    }
    // Deliberately apart: contracting ASCII `ue` would also merge Michael/Michal, Rafael/Rafal.
    let apart: &[(&str, &str)] = &[
        ("Mueller", "Muller"),
        ("Michael", "Michal"),
        ("Rafael", "Rafal"),
        ("Müller", "Miller"),
        ("Zoë", "Zoe\u{2060}"),
        ("が", "か"),
        ("कि", "क"),
        ("Anna", "\u{410}nna"),
    ];
    for (a, b) in apart {
        assert!(!meet(a, b), "{a} !~ {b}");
    }
}

#[test]
fn variants_table() {
    let cases: &[(&str, &[&str])] = &[
        ("Müller", &["muller", "mueller"]),
        ("Mueller", &["mueller"]),
        ("Søren", &["soren", "soeren"]),
        ("Ågård", &["agard", "aagaard"]),
        ("Öztürk", &["ozturk", "oeztuerk"]),
        ("Smith", &["smith"]),
        ("Zoë", &["zoe"]),
        ("Дмитрий", &["дмитрии"]),
    ];
    for (raw, want) in cases {
        assert_eq!(fold_variants(raw), *want, "{raw}");
    }
}

/// Characters the generator draws from: every tricky area of the pipeline.
const RANGES: &[(u32, u32)] = &[
    (0x20, 0x7e),
    (0xa0, 0x24f),
    (0x250, 0x2ff),
    (0x300, 0x36f),
    (0x370, 0x3ff),
    (0x400, 0x52f),
    (0x530, 0x58f),
    (0x590, 0x5ff),
    (0x600, 0x6ff),
    (0x900, 0x97f),
    (0xe00, 0xe7f),
    (0x10a0, 0x10ff),
    (0x1100, 0x11ff),
    (0x13a0, 0x13ff),
    (0x1c80, 0x1cbf),
    (0x1d00, 0x1dff),
    (0x1e00, 0x1fff),
    (0x2000, 0x206f),
    (0x2100, 0x218f),
    (0x2460, 0x24ff),
    (0x3040, 0x30ff),
    (0x3300, 0x33ff),
    (0xab70, 0xabbf),
    (0xac00, 0xd7a3),
    (0xfb00, 0xfb4f),
    (0xfe00, 0xfe0f),
    (0xff00, 0xffef),
    (0x1d400, 0x1d7ff),
    (0xe0000, 0xe01ef),
];

fn random_string(rng: &mut Rng) -> String {
    let len = 1 + rng.below(12);
    (0..len)
        .filter_map(|_| {
            if rng.below(10) == 0 {
                // Anything at all, to prove no input panics.
                return char::from_u32(rng.below(0x11_0000) as u32);
            }
            let (lo, hi) = RANGES[rng.below(RANGES.len() as u64) as usize];
            char::from_u32(lo + rng.below(u64::from(hi - lo + 1)) as u32)
        })
        .collect()
}

#[test]
fn fold_is_idempotent_and_every_variant_is_a_fixed_point() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..5000 {
        let s = random_string(&mut rng);
        let once = fold(&s);
        assert_eq!(fold(&once), once, "fold not idempotent on {s:?}");
        let variants = fold_variants(&s);
        assert!(!variants.is_empty() && variants.len() <= 2, "{s:?}: {variants:?}");
        assert_eq!(variants[0], once);
        for v in &variants {
            assert_eq!(&fold(v), v, "variant of {s:?} is not a fixed point");
        }
        // The other entry points must not panic either.
        let toks = tokens(&s);
        let _ = strip_affixes(&toks);
        let _ = inspect(&s);
        let _ = dominant_script(&s);
        let _ = skeleton(&s);
    }
}

#[test]
fn fold_never_turns_another_script_into_latin() {
    // Every character of the Basic and Supplementary Multilingual Planes (where all letters live):
    // folding one alone is idempotent, and a letter of another script never becomes Latin.
    let mut checked = 0;
    for c in (0..0x2_0000).filter_map(char::from_u32) {
        let one = c.to_string();
        let folded = fold(&one);
        assert_eq!(fold(&folded), folded, "U+{:04X}", c as u32);
        // Only letters that belong to another script (not Common/Inherited signs).
        if dominant_script(&one).is_none_or(|script| script == Script::Latin) {
            continue;
        }
        assert!(
            folded.chars().all(|f| dominant_script(&f.to_string()) != Some(Script::Latin)),
            "U+{:04X} folds to Latin {folded:?}",
            c as u32
        );
        checked += 1;
    }
    assert!(checked > 50_000, "only {checked} characters checked");
}

// ---------------------------------------------------------------------------------------------
// Homoglyph attacks
// ---------------------------------------------------------------------------------------------

/// Latin letter → look-alikes from Cyrillic, Greek, Armenian and Cherokee.
const LOOKALIKES: &[(char, &[char])] = &[
    ('a', &['\u{430}', '\u{3b1}']),
    ('c', &['\u{441}', '\u{3f2}']),
    ('d', &['\u{501}']),
    ('e', &['\u{435}']),
    ('h', &['\u{4bb}', '\u{570}']),
    ('i', &['\u{456}', '\u{3b9}']),
    ('j', &['\u{458}']),
    ('k', &['\u{3ba}']),
    ('n', &['\u{3b7}', '\u{578}']),
    ('o', &['\u{43e}', '\u{3bf}', '\u{585}']),
    ('p', &['\u{440}', '\u{3c1}']),
    ('s', &['\u{455}']),
    ('u', &['\u{3c5}', '\u{57d}']),
    ('v', &['\u{3bd}', '\u{475}']),
    ('w', &['\u{51d}']),
    ('x', &['\u{445}', '\u{3c7}']),
    ('y', &['\u{443}', '\u{3b3}']),
    ('A', &['\u{410}', '\u{391}', '\u{13aa}']),
    ('B', &['\u{412}', '\u{392}', '\u{13f4}']),
    ('C', &['\u{421}', '\u{3f9}', '\u{13df}']),
    ('E', &['\u{415}', '\u{395}', '\u{13ac}']),
    ('H', &['\u{41d}', '\u{397}', '\u{13bb}']),
    ('I', &['\u{406}', '\u{399}']),
    ('J', &['\u{408}', '\u{37f}', '\u{13ab}']),
    ('K', &['\u{41a}', '\u{39a}']),
    ('M', &['\u{41c}', '\u{39c}', '\u{13b7}']),
    ('N', &['\u{39d}']),
    ('O', &['\u{41e}', '\u{39f}', '\u{555}']),
    ('P', &['\u{420}', '\u{3a1}', '\u{13e2}']),
    ('S', &['\u{405}', '\u{13da}']),
    ('T', &['\u{422}', '\u{3a4}', '\u{13a2}']),
    ('X', &['\u{425}', '\u{3a7}']),
    ('Y', &['\u{4ae}', '\u{3a5}']),
    ('Z', &['\u{396}', '\u{13c3}']),
];

const GENUINE: &[&str] = &[
    "Anna", "John", "Maria", "Peter", "Oscar", "Xavier", "Yusuf", "Joseph", "Sophia", "Alice", "Victor", "Kevin",
    "Robert", "Tony", "Chris", "Paco", "Iris", "Jenny", "Sven", "Hope", "Olivia", "Amy", "Bob", "Emma", "Max", "Nina",
    "Tom", "Boris", "Zoe", "Mike", "Sasha", "Dawid", "Hannah", "Ezekiel", "Kasia", "Pedro", "Yvonne", "Wojciech",
];

#[test]
fn homoglyph_spellings_never_fold_to_the_genuine_key_and_are_flagged() {
    let mut attacks = 0;
    for genuine in GENUINE {
        let letters: Vec<char> = genuine.chars().collect();
        for (i, &letter) in letters.iter().enumerate() {
            let Some((_, fakes)) = LOOKALIKES.iter().find(|(l, _)| *l == letter) else { continue };
            for &fake in *fakes {
                let mut spoof = letters.clone();
                spoof[i] = fake;
                let attack: String = spoof.into_iter().collect();
                assert_ne!(fold(&attack), fold(genuine), "{attack:?} folds like {genuine}");
                assert!(!meet(&attack, genuine), "{attack:?} meets {genuine}");
                let findings = inspect(&attack);
                assert!(findings.has(Reason::MixedScript), "{attack:?}: {:?}", findings.codes());
                // In a full name and in upper case the spoof is still caught.
                assert!(inspect(&format!("Dr. {attack} Smith")).has(Reason::MixedScript), "{attack:?}");
                assert!(!meet(&attack.to_uppercase(), &genuine.to_uppercase()), "{attack:?}");
                attacks += 1;
            }
        }
    }
    assert!(attacks > 150, "only {attacks} attacks generated");
}

#[test]
fn whole_script_lookalikes_are_confusable() {
    let cases: &[(&str, &str)] = &[
        ("\u{415}\u{41c}\u{41c}\u{410}", "EMMA"), // Cyrillic ЕММА
        ("\u{41c}\u{410}\u{425}", "MAX"),         // Cyrillic МАХ
        ("\u{422}\u{41e}\u{41c}", "TOM"),         // Cyrillic ТОМ
        ("\u{412}\u{41e}\u{412}", "BOB"),         // Cyrillic ВОВ
        ("\u{421}\u{43e}\u{441}\u{43e}", "Coco"), // Cyrillic Сосо
        ("\u{420}\u{435}\u{440}\u{435}", "Pepe"), // Cyrillic Рере
        ("\u{3a4}\u{39f}\u{39c}", "TOM"),         // Greek ΤΟΜ
        ("\u{39a}\u{39f}\u{3a1}\u{397}", "KOPH"), // Greek ΚΟΡΗ
        ("\u{13da}\u{13a2}", "ST"),               // Cherokee ᏚᎢ
    ];
    for (spoof, latin) in cases {
        assert_eq!(skeleton(spoof), skeleton(latin), "{spoof}");
        assert_ne!(fold(spoof), fold(latin), "{spoof}");
        let findings = inspect(spoof);
        assert_eq!(findings.codes(), ["SUSPICIOUS_CONFUSABLE"], "{spoof}");
        assert!(inspect(&format!("Mary {spoof}")).has(Reason::Confusable), "{spoof}");
    }
    // "Аnnа" with Cyrillic а's and Latin n's is a mixed-script token instead.
    assert_eq!(inspect("\u{410}nn\u{430}").codes(), ["SUSPICIOUS_MIXED_SCRIPT"]);
    assert_eq!(skeleton("\u{410}nn\u{430}"), skeleton("Anna"));
    assert_ne!(fold("\u{410}nn\u{430}"), fold("Anna"));
    // A genuine Cyrillic word vouches for Cyrillic initials that happen to look Latin.
    assert!(inspect("Петров А. В.").is_empty());
    assert!(Reason::Confusable.is_contextual());
    // Real names can be look-alikes too (upper-case Cyrillic especially): the finding blocks a match
    // only against a value with Latin letters, where it is the spoof it describes.
    for (name, same_script, latin) in
        [("ОКСАНА", "Оксана", "OKCAHA"), ("Егор", "ЕГОР", "Erop"), ("ΚΟΡΗ", "Κόρη", "KOPH"), ("Сара", "Сара", "Capa")]
    {
        let findings = inspect(name);
        assert_eq!(findings.codes(), ["SUSPICIOUS_CONFUSABLE"], "{name}");
        assert!(!findings.blocks_match_with(same_script), "{name} vs {same_script}");
        assert!(findings.blocks_match_with(latin), "{name} vs {latin}");
        assert!(findings.blocks_match_with(&format!("{same_script} {latin}")), "{name}");
    }
    assert!(inspect("J\u{43e}hn").blocks_match_with("Джон"));
    assert!(!inspect("John").blocks_match_with("John"));
    assert!(!Reason::MixedScript.is_contextual());
}

// ---------------------------------------------------------------------------------------------
// inspect
// ---------------------------------------------------------------------------------------------

#[test]
fn invisible_bidi_and_control_characters_are_flagged() {
    let cases: &[(&str, &[&str])] = &[
        ("Al\u{200b}ice", &["SUSPICIOUS_INVISIBLE"]),
        ("Ali\u{ad}ce", &["SUSPICIOUS_INVISIBLE"]),
        ("\u{feff}Alice", &["SUSPICIOUS_INVISIBLE"]),
        ("Al\u{2060}ice", &["SUSPICIOUS_INVISIBLE"]),
        ("Al\u{2062}ice", &["SUSPICIOUS_INVISIBLE"]),
        // U+180E belongs to the Mongolian script, so next to Latin it is also a mixed-script token.
        ("Ann\u{180e}a", &["SUSPICIOUS_MIXED_SCRIPT", "SUSPICIOUS_INVISIBLE"]),
        ("Jo\u{200d}hn", &["SUSPICIOUS_INVISIBLE"]),
        ("Jo\u{200c}hn", &["SUSPICIOUS_INVISIBLE"]),
        ("\u{200d}", &["SUSPICIOUS_INVISIBLE"]),
        ("John\u{fe0f}", &["SUSPICIOUS_INVISIBLE"]),
        ("Jo\u{fe00}hn", &["SUSPICIOUS_INVISIBLE"]),
        ("Jo\u{e0100}hn", &["SUSPICIOUS_INVISIBLE"]),
        ("Alice\u{e0041}\u{e007f}", &["SUSPICIOUS_INVISIBLE"]),
        ("Kim \u{3164}", &["SUSPICIOUS_INVISIBLE"]),
        ("Kim\u{ffa0}", &["SUSPICIOUS_INVISIBLE"]),
        ("Jo\u{34f}hn", &["SUSPICIOUS_INVISIBLE"]),
        ("\u{202e}ecilA", &["SUSPICIOUS_BIDI_CONTROL"]),
        ("\u{202d}Alice", &["SUSPICIOUS_BIDI_CONTROL"]),
        ("Alice\u{200f}", &["SUSPICIOUS_BIDI_CONTROL"]),
        ("\u{200e}Alice", &["SUSPICIOUS_BIDI_CONTROL"]),
        ("\u{2066}Alice\u{2069}", &["SUSPICIOUS_BIDI_CONTROL"]),
        ("\u{2067}Alice", &["SUSPICIOUS_BIDI_CONTROL"]),
        ("محمد\u{61c}", &["SUSPICIOUS_BIDI_CONTROL"]),
        ("Al\u{0}ice", &["SUSPICIOUS_CONTROL"]),
        ("Al\u{1b}[31mice", &["SUSPICIOUS_CONTROL"]),
        ("Alice\u{85}", &["SUSPICIOUS_CONTROL"]),
        ("Alice\u{7f}", &["SUSPICIOUS_CONTROL"]),
        // Several reasons at once, reported once each, in reason order.
        (
            "\u{202e}J\u{43e}\u{200b}hn\u{200b}",
            &["SUSPICIOUS_MIXED_SCRIPT", "SUSPICIOUS_INVISIBLE", "SUSPICIOUS_BIDI_CONTROL"],
        ),
    ];
    for (raw, want) in cases {
        assert_eq!(inspect(raw).codes(), *want, "{raw:?}");
    }
}

#[test]
fn findings_record_the_first_offset_and_never_the_text() {
    let findings = inspect("Ann\u{200b}a Jo\u{200b}hn");
    let first: Vec<(Reason, usize)> = findings.iter().map(|f| (f.reason, f.start)).collect();
    assert_eq!(first, [(Reason::Invisible, 3)]);
    assert_eq!(findings.len(), 1);
    let mixed = inspect("Anna J\u{43e}hn");
    assert_eq!(mixed.iter().map(|f| f.start).collect::<Vec<_>>(), [5]);
}

#[test]
fn real_names_raise_no_findings() {
    let names = [
        "Дмитрий",
        "Ольга Петрова",
        "Петров А. В.",
        "Αλέξανδρος",
        "Ελένη Παπαδοπούλου",
        "محمد",
        "عبد الله",
        "ראובן",
        "李小龍",
        "山田 太郎",
        "山田たろう",
        "やまだ",
        "ヤマダ",
        "ジョン・スミス",
        "김민준",
        "Kim 김민준",
        "金민준",
        "ΑΝΝΑ ΠΑΠΑΔΟΠΟΥΛΟΥ",
        "ОКСАНА ПЕТРЕНКО",
        "John 山田",
        "देवनागरी",
        "क्\u{200d}ष",
        "ਗੁਰਪ੍ਰੀਤ",
        "தமிழ்",
        "สมชาย",
        "Արամ",
        "ნინო",
        "می\u{200c}خواهم",
        "葛\u{e0100}飾",
        "ᠠ\u{180b}ᠢ",
        "José García-Márquez",
        "O'Neil",
        "D’Angelo",
        "Mary-Jane van der Berg",
        "Nguyễn Văn An",
        "Søren Kierkegaard",
        "Zoë Łukasz Ærø Straße",
        "Ｊｏｈｎ",
        "Dr. John Smith Jr.",
        "12 Main St Apt 4B\n#4",
        "Ǆuro",
        "Kaʻahumanu",
        "Ɓello Ɗanjuma",
        "Əliyev",
        "",
    ];
    for name in names {
        assert!(inspect(name).is_empty(), "{name:?}: {:?}", inspect(name).codes());
    }
}

#[test]
fn reason_codes_are_stable_and_unique() {
    let codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        [
            "SUSPICIOUS_MIXED_SCRIPT",
            "SUSPICIOUS_CONFUSABLE",
            "SUSPICIOUS_INVISIBLE",
            "SUSPICIOUS_BIDI_CONTROL",
            "SUSPICIOUS_CONTROL"
        ]
    );
    for code in codes {
        assert!(code.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{code}");
    }
}

#[test]
fn inspect_is_linear_on_large_input() {
    let big = "Jоhn ".repeat(50_000); // Cyrillic о, 250k characters
    assert_eq!(inspect(&big).codes(), ["SUSPICIOUS_MIXED_SCRIPT"]);
    // Many one-script tokens, look-alikes and genuine words: no quadratic pairing of tokens.
    let cyrillic = "ЕММА Петров ".repeat(5_000);
    assert!(inspect(&cyrillic).is_empty());
    let lookalikes = "ЕММА ".repeat(10_000);
    assert_eq!(inspect(&lookalikes).codes(), ["SUSPICIOUS_CONFUSABLE"]);
    let long_token = "a".repeat(100_000);
    assert_eq!(fold(&long_token), long_token);
}

// ---------------------------------------------------------------------------------------------
// skeleton, dominant_script
// ---------------------------------------------------------------------------------------------

#[test]
fn skeleton_and_dominant_script() {
    assert_eq!(skeleton("\u{440}\u{430}\u{443}\u{440}\u{430}l"), skeleton("paypal"));
    assert_eq!(skeleton("Anna"), "Anna");
    assert_ne!(skeleton("Anna"), skeleton("Anne"));
    let cases: &[(&str, Option<Script>)] = &[
        ("Дмитрий", Some(Script::Cyrillic)),
        ("J\u{43e}hn", Some(Script::Latin)),
        ("\u{410}\u{43d}\u{43d}a", Some(Script::Cyrillic)),
        ("山田たろう", Some(Script::Hiragana)),
        ("山田", Some(Script::Han)),
        ("Αλέξανδρος", Some(Script::Greek)),
        ("محمد", Some(Script::Arabic)),
        ("aα", Some(Script::Latin)),
        ("αa", Some(Script::Greek)),
        ("123", None),
        ("", None),
        ("\u{301}", None),
    ];
    for (token, want) in cases {
        assert_eq!(dominant_script(token), *want, "{token}");
    }
}

// ---------------------------------------------------------------------------------------------
// tokens
// ---------------------------------------------------------------------------------------------

type Expected<'a> = &'a [(&'a str, TokenKind, Separator, Separator)];

#[test]
fn tokens_table() {
    use Separator::{Apostrophe as A, Comma as C, Edge as E, Hyphen as H, Period as P, Space as S};
    use TokenKind::{Alphanumeric as An, Initial as In, Number as Nu, Other as Ot, Word as W};
    let cases: &[(&str, Expected<'_>)] = &[
        ("García-Márquez", &[("García", W, E, H), ("Márquez", W, H, E)]),
        ("O'Neil", &[("O", In, E, A), ("Neil", W, A, E)]),
        ("D’Angelo", &[("D", In, E, A), ("Angelo", W, A, E)]),
        ("Ng’ang’a", &[("Ng", W, E, A), ("ang", W, A, A), ("a", In, A, E)]),
        ("N\u{2bc}Diaye", &[("N", In, E, A), ("Diaye", W, A, E)]),
        ("O`Brien", &[("O", In, E, A), ("Brien", W, A, E)]),
        ("O\u{b4}Brien", &[("O", In, E, A), ("Brien", W, A, E)]),
        ("Mary-Jane", &[("Mary", W, E, H), ("Jane", W, H, E)]),
        ("Mary - Jane", &[("Mary", W, E, H), ("Jane", W, H, E)]),
        ("Anna\u{2013}Lena", &[("Anna", W, E, H), ("Lena", W, H, E)]),
        ("Anna\u{2011}Lena", &[("Anna", W, E, H), ("Lena", W, H, E)]),
        ("Anna\u{2212}Lena", &[("Anna", W, E, H), ("Lena", W, H, E)]),
        ("Anna\u{ff0d}Lena", &[("Anna", W, E, H), ("Lena", W, H, E)]),
        ("van der Berg", &[("van", W, E, S), ("der", W, S, S), ("Berg", W, S, E)]),
        ("Dr. John Smith Jr.", &[("Dr", W, E, P), ("John", W, P, S), ("Smith", W, S, S), ("Jr", W, S, P)]),
        ("Smith, John", &[("Smith", W, E, C), ("John", W, C, E)]),
        ("J.R.R. Tolkien", &[("J", In, E, P), ("R", In, P, P), ("R", In, P, P), ("Tolkien", W, P, E)]),
        (
            "12 Main St Apt 4B",
            &[("12", Nu, E, S), ("Main", W, S, S), ("St", W, S, S), ("Apt", W, S, S), ("4B", An, S, E)],
        ),
        ("#4", &[("#4", Ot, E, E)]),
        ("Anna\u{3000}Lena", &[("Anna", W, E, S), ("Lena", W, S, E)]),
        ("Anna\u{a0}Lena", &[("Anna", W, E, S), ("Lena", W, S, E)]),
        ("ジョン・スミス", &[("ジョン", W, E, S), ("スミス", W, S, E)]),
        ("山田 太郎", &[("山田", W, E, S), ("太郎", W, S, E)]),
        ("李", &[("李", W, E, E)]),
        ("Al\u{200b}ice", &[("Al\u{200b}ice", W, E, E)]),
        ("Gal·la", &[("Gal·la", W, E, E)]),
        ("  ,Anna. ", &[("Anna", W, C, P)]),
        ("٣", &[("٣", Nu, E, E)]),
    ];
    for (raw, want) in cases {
        let got: Vec<_> = tokens(raw).iter().map(|t| (t.text, t.kind, t.before, t.after)).collect();
        assert_eq!(got, *want, "{raw:?}");
    }
    for empty in ["", "   ", " - ,. ’ "] {
        assert!(tokens(empty).is_empty(), "{empty:?}");
    }
}

#[test]
fn token_offsets_point_into_the_value() {
    let mut rng = Rng(42);
    for _ in 0..2000 {
        let s = random_string(&mut rng) + " O'Neil-Smith, Jr.";
        for t in tokens(&s) {
            assert_eq!(s.get(t.start..t.end), Some(t.text));
        }
    }
    let t = tokens("M.D. M. D.");
    let spaced: Vec<bool> = t.iter().map(|t| t.spaced_before).collect();
    assert_eq!(spaced, [false, false, true, true]);
}

// ---------------------------------------------------------------------------------------------
// Affixes
// ---------------------------------------------------------------------------------------------

#[test]
fn affix_classification_table() {
    use AffixKind::{Credential as C, Generational as G, Honorific as H};
    use AffixRole::{Prefix as P, PrefixOrSuffix as PS, Suffix as S};
    type Want<'a> = Option<(AffixKind, AffixRole, &'a str)>;
    let cases: &[(&str, Want<'_>)] = &[
        ("Mr", Some((H, P, "mr"))),
        ("mr.", Some((H, P, "mr"))),
        ("MR.", Some((H, P, "mr"))),
        ("Mrs", Some((H, P, "mrs"))),
        ("Ms.", Some((H, P, "ms"))),
        ("Miss", Some((H, P, "miss"))),
        ("Mx", Some((H, P, "mx"))),
        ("Dr", Some((H, P, "dr"))),
        ("Dr.", Some((H, P, "dr"))),
        ("DR", Some((H, P, "dr"))),
        ("Prof.", Some((H, P, "prof"))),
        ("Professor", Some((H, P, "professor"))),
        ("Sir", Some((H, P, "sir"))),
        ("Dame", Some((H, P, "dame"))),
        ("Rev.", Some((H, P, "rev"))),
        ("Revd", Some((H, P, "revd"))),
        ("Fr.", Some((H, P, "fr"))),
        ("Herr", Some((H, P, "herr"))),
        ("Frau", Some((H, P, "frau"))),
        ("Sra.", Some((H, P, "sra"))),
        ("Srta", Some((H, P, "srta"))),
        ("Mme", Some((H, P, "mme"))),
        ("Mlle.", Some((H, P, "mlle"))),
        ("Ｄｒ．", Some((H, P, "dr"))),
        ("Sr", Some((G, PS, "sr"))),
        ("Sr.", Some((G, PS, "sr"))),
        ("Jr", Some((G, S, "jr"))),
        ("Jr.", Some((G, S, "jr"))),
        ("JR", Some((G, S, "jr"))),
        ("Jnr", Some((G, S, "jnr"))),
        ("Snr", Some((G, S, "snr"))),
        ("II", Some((G, S, "ii"))),
        ("III", Some((G, S, "iii"))),
        ("IV", Some((G, S, "iv"))),
        ("V", Some((G, S, "v"))),
        ("3rd", Some((G, S, "3rd"))),
        ("PhD", Some((C, S, "phd"))),
        ("Ph.D.", Some((C, S, "phd"))),
        ("PHD", Some((C, S, "phd"))),
        ("MD", Some((C, S, "md"))),
        ("M.D.", Some((C, S, "md"))),
        ("Esq.", Some((C, S, "esq"))),
        ("OBE", Some((C, S, "obe"))),
        ("KC", Some((C, S, "kc"))),
        // Name parts that must never be taken for affixes.
        ("Smith", None),
        ("John", None),
        ("Don", None),
        ("Lord", None),
        ("Junior", None),
        ("Senior", None),
        ("Filho", None),
        ("Neto", None),
        ("Do", None),
        ("Ma", None),
        ("JD", None),
        ("Mister", None),
        ("D\u{440}", None), // Cyrillic р: a spoofed "Dr" is not an honorific
        ("", None),
        (".", None),
    ];
    for (raw, want) in cases {
        let got = classify_affix(raw).map(|a| (a.kind, a.role, a.canonical));
        assert_eq!(got, *want, "{raw:?}");
    }
}

#[test]
fn strip_affixes_table() {
    // (name, prefixes, core, suffixes with kind)
    type Case<'a> = (&'a str, &'a [&'a str], &'a str, &'a [(&'a str, AffixKind)]);
    use AffixKind::{Credential as C, Generational as G};
    let cases: &[Case<'_>] = &[
        ("Dr. John Smith Jr.", &["dr"], "John Smith", &[("jr", G)]),
        ("Prof. Dr. Hans Müller", &["prof", "dr"], "Hans Müller", &[]),
        ("Mrs Jane Doe", &["mrs"], "Jane Doe", &[]),
        ("Sr. Juan Pérez", &["sr"], "Juan Pérez", &[]),
        ("John Smith Sr.", &[], "John Smith", &[("sr", G)]),
        ("John Smith, Ph.D.", &[], "John Smith", &[("phd", C)]),
        ("John Smith M.D.", &[], "John Smith", &[("md", C)]),
        ("John M. D.", &[], "John M D", &[]),
        ("John Smith III, Esq.", &[], "John Smith", &[("iii", G), ("esq", C)]),
        ("John Smith V", &[], "John Smith V", &[]),
        ("Herr", &[], "Herr", &[]),
        ("Michael Herr", &[], "Michael Herr", &[]),
        ("Mr", &[], "Mr", &[]),
        ("Dr Jr", &["dr"], "Jr", &[]),
        ("Md Rahman", &[], "Md Rahman", &[]),
        ("Tolkien, J.R.R.", &[], "Tolkien J R R", &[]),
        ("", &[], "", &[]),
    ];
    for (raw, prefixes, core, suffixes) in cases {
        let toks = tokens(raw);
        let parts = strip_affixes(&toks);
        let got_prefixes: Vec<&str> = parts.prefixes.iter().map(|a| a.canonical).collect();
        let got_core: Vec<&str> = parts.core.iter().map(|t| t.text).collect();
        let got_suffixes: Vec<(&str, AffixKind)> = parts.suffixes.iter().map(|a| (a.canonical, a.kind)).collect();
        assert_eq!(got_prefixes, *prefixes, "{raw:?} prefixes");
        assert_eq!(got_core.join(" "), *core, "{raw:?} core");
        assert_eq!(got_suffixes, *suffixes, "{raw:?} suffixes");
        assert!(parts.prefixes.iter().all(|a| a.kind == AffixKind::Honorific), "{raw:?}");
        assert!(toks.is_empty() || !parts.core.is_empty(), "{raw:?} lost every token");
    }
}
