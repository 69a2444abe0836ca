//! The name comparator through the public API, with the default policy's rules.

use okta_directory::claims::compare::{compare_name, names_swapped};
use okta_directory::claims::{default_rule, ClaimKind, MatchMode, Outcome, Reason};

use ClaimKind::{FamilyName as F, GivenName as G, MiddleName as M};
use Outcome::{Invalid, Match, Mismatch};
use Reason::*;

fn check(verified: &str, directory: &str, kind: ClaimKind, want: Outcome, reason: Option<Reason>) {
    let r = compare_name(verified, directory, kind, &default_rule(kind));
    assert_eq!(r.outcome, want, "{verified:?} vs {directory:?} ({kind:?}): {r:?}");
    if let Some(reason) = reason {
        assert!(r.reasons.contains(&reason), "{verified:?} vs {directory:?}: expected {reason:?} in {:?}", r.reasons);
    }
    assert!((0.0..=1.0).contains(&r.score));
    if want == Match {
        assert!(r.score >= 0.8, "{verified:?} vs {directory:?}: match score {}", r.score);
    }
}

#[test]
fn equal_after_normalization() {
    let cases = [
        ("José", "José", G, None),
        ("JOSÉ", "José", G, Some(CaseFolded)),
        ("JOSÉ", "Jose", G, Some(DiacriticsFolded)),
        ("Müller", "Muller", F, Some(DiacriticsFolded)),
        ("MUELLER", "Müller", F, Some(Transliterated)),
        ("Søren", "Soeren", G, Some(Transliterated)),
        ("Łukasz", "Lukasz", G, Some(DiacriticsFolded)),
        ("Straße", "STRASSE", F, Some(DiacriticsFolded)),
        ("Nguyễn", "Nguyen", F, Some(DiacriticsFolded)),
        ("Ｊｏｈｎ", "John", G, Some(DiacriticsFolded)),
        ("Mary-Jane", "Mary Jane", G, None),
        ("MaryJane", "Mary Jane", G, Some(SpacingNormalized)),
        ("O'Neil", "ONeil", F, Some(SpacingNormalized)),
        ("D’Angelo", "D'Angelo", F, None),
        ("Dr. John", "John", G, Some(HonorificIgnored)),
        ("Smith Jr.", "Smith", F, None),
        ("Smith PhD", "Smith", F, Some(CredentialIgnored)),
        ("李小龍", "李小龍", G, None),
        ("Дмитрий", "ДМИТРИЙ", G, Some(CaseFolded)),
        ("محمد", "محمد", G, None),
    ];
    for (v, d, kind, reason) in cases {
        check(v, d, kind, Match, reason);
    }
}

#[test]
fn tolerances_of_the_default_policy() {
    let cases = [
        ("Bob", "Robert", G, Nickname),
        ("ROBERT", "Bobby", G, Nickname),
        ("Pepe", "José", G, Nickname),
        ("Garcia", "García Márquez", F, SurnameSubset),
        ("GARCÍA MÁRQUEZ", "Garcia", F, SurnameSubset),
        ("Cruz", "de la Cruz", F, SurnameSubset),
        ("Mary", "Mary Ann", G, TokenSubset),
        ("A.", "Ann", M, Initial),
        ("J0HN", "John", G, OcrConfusion),
        ("W1LLIAM", "William", G, OcrConfusion),
        ("WI11IAM", "William", F, OcrConfusion),
        ("Kirn", "Kim", F, OcrConfusion),
        ("Jonathon", "Jonathan", G, NameFuzzyMatch),
        ("Garcia Marques", "Garcia Marquez", F, NameFuzzyMatch),
    ];
    for (v, d, kind, reason) in cases {
        check(v, d, kind, Match, Some(reason));
    }
}

/// One-letter typos at any position, in short names too, on either side (regression: the old
/// fallback took only names of 8+ letters with the same first letter and refused a changed or
/// added last letter as NAME_ENDING_DIFFERS / PREFIX_NAME). Two edits are a weak `NAME_TWO_EDITS`
/// match that the combined decision weighs.
#[test]
fn typos_anywhere_are_close_spellings() {
    let cases = [
        ("Mraia", "Maria", G, NameFuzzyMatch),
        ("Maria", "Mraia", G, NameFuzzyMatch),
        ("Smiht", "Smith", F, NameFuzzyMatch),
        ("Mitchel", "Mitchell", F, NameFuzzyMatch),
        ("Jonhson", "Johnson", F, NameFuzzyMatch),
        ("Santo", "Santos", F, NameFuzzyMatch),
        ("Xmith", "Smith", F, NameFuzzyMatch),
        ("Chiaar", "Chiara", G, NameFuzzyMatch),
        ("Papadopoulso", "Papadopoulos", F, NameFuzzyMatch),
        ("Newman", "Neumann", F, NameTwoEdits),
        ("Ry Na", "Ryan", F, NameFuzzyMatch),
    ];
    for (v, d, kind, reason) in cases {
        check(v, d, kind, Match, Some(reason));
    }
}

/// FEBRL-style typos the fallback refused (regression, issue 13's FEBRL misses): a doubled last letter
/// is a typo, not a feminine ending (Maria ~ Mariaa, Dörte ~ Dörtee, Bożena ~ Bożenaa were
/// PREFIX_NAME); a short family name of four or five letters two edits away with the same first
/// letter is a weak `NAME_TWO_EDITS` (Jolly ~ Jolul, Blake ~ Blqek were too far). A short given name
/// two edits away stays another name (twins), and so does a short family name starting differently.
#[test]
fn doubled_last_letters_and_short_family_names_two_edits_apart() {
    for (v, d) in [("Mariaa", "Maria"), ("Maria", "Mariaa"), ("Dörtee", "Dörte"), ("Bożenaa", "Bożena")] {
        check(v, d, G, Match, Some(NameFuzzyMatch));
    }
    for (v, d) in [("Jolul", "Jolly"), ("Blqek", "Blake"), ("Nevyi", "Nevin"), ("Sndl", "Snell"), ("Egka", "Egan")] {
        check(v, d, F, Match, Some(NameTwoEdits));
    }
    for (v, d, kind) in [("Jadk", "Jacl", G), ("Talro", "Taylor", G), ("Jolul", "Jolly", G), ("Kolul", "Jolly", F)] {
        check(v, d, kind, Mismatch, None);
    }
    // A changed final vowel without an `a` on a common given name is a typo (regression: Kenji ~
    // Kenjo, Hiroshi ~ Hiroshu, Lakshmi ~ Lakshmu were NAME_ENDING_DIFFERS); with an `a` or between
    // two common given names it is another name.
    for (v, d) in [("Kenjo", "Kenji"), ("Hiroshu", "Hiroshi"), ("Lakshmu", "Lakshmi")] {
        check(v, d, G, Match, Some(NameFuzzyMatch));
    }
    check("Mario", "Maria", G, Mismatch, None);
    check("Paolo", "Paola", G, Mismatch, None);
    check("Mario", "Marie", G, Mismatch, None);
    // The feminine form of a common given name is still another name.
    check("Daniela", "Daniel", G, Mismatch, Some(PrefixName));
    check("Anna", "Ann", G, Mismatch, Some(PrefixName));
}

/// An OCR confusion and a typo stacked in one name (regression, issue 13: 1/l, 0/o, 5/s with a letter
/// dropped or changed were too far apart as written): a one- or two-edit match once the confusions
/// are undone, with both reasons — only when a side carries a digit or `|`. `rn`, `vv` and `i` are
/// ordinary spelling: twins' names a typo apart once read so stay apart (Erna ~ Emma, Verna ~ Velma;
/// attack review 2026-12-07, third pass), and so do Lina ~ Irina; a short given name equal only as read
/// without such a mark goes to a person (Marnie ~ Mamie). The typo guards apply to the read names
/// (A1exandra ~ Alexander is still the other gender's form).
#[test]
fn ocr_confusions_with_a_typo() {
    for (v, d, kind) in
        [("Fat1rnqh", "Fatimah", G), ("Hqrr1ngton", "Harringt0n", F), ("Ekstr0rn", "Ekstrm", F), ("Yu5huf", "Yusuf", G)]
    {
        check(v, d, kind, Match, Some(OcrConfusion));
        let r = compare_name(v, d, kind, &default_rule(kind));
        assert!(r.reasons.contains(&NameFuzzyMatch) || r.reasons.contains(&NameTwoEdits), "{v:?} ~ {d:?}: {r:?}");
    }
    for (v, d) in [
        ("Lina", "Irina"),
        ("Irina", "Lina"),
        ("Erna", "Emma"),
        ("Verna", "Velma"),
        ("Karna", "Kamal"),
        ("Arno", "Amos"),
    ] {
        check(v, d, G, Mismatch, None);
        check(d, v, G, Mismatch, None);
    }
    check("A1exandra", "Alexander", G, Mismatch, None);
    check("Sarn", "Pam", G, Mismatch, None);
    for (v, d) in [("Marnie", "Mamie"), ("Arnie", "Amie"), ("Lorna", "Loma"), ("Kirn", "Kim")] {
        check(v, d, G, Mismatch, Some(ShortNameOneLetterApart));
        check(d, v, G, Mismatch, Some(ShortNameOneLetterApart));
    }
    // A long name's `rn` or a family name reads as before.
    check("Ekstrorn", "Ekstrom", F, Match, Some(OcrConfusion));
    check("Maxirnilian", "Maximilian", G, Match, Some(OcrConfusion));
    // In a longer given name, `i` ~ `l` (letters, or a `1` read as `l`) beside another `l` is another
    // name as often as a misreading (Aurelia ~ Aurella, Cordelia ~ Cordella:
    // tests/claims_attack_twins_ocr_il.rs); elsewhere it makes no name.
    for (v, d) in [("WI11IAM", "William"), ("AUREL1A", "Aurella"), ("CAMELIA", "Camella")] {
        check(v, d, G, Mismatch, Some(ShortNameOneLetterApart));
    }
    for (v, d) in [("Syivies", "Sylvies"), ("KATHARlNA", "Katharina"), ("NATA1YA", "Natalya"), ("Nichoias", "Nicholas")]
    {
        check(v, d, G, Match, Some(OcrConfusion));
    }
    // A digit elsewhere does not make a short name's look-alike letters a misreading: MARNIE scanned as
    // MARN1E is Marnie's document (I read as 1), and Mamie is her twin (tests/claims_ocr_twins.rs).
    // Nor does i ~ l in a short name (Syivie ~ Sylvie as Ilia ~ Lila), or `rn` ~ `m` with a typo in a
    // six-letter name: a person checks.
    for (v, d) in [("Marn1e", "Mamie"), ("Syivie", "Sylvie"), ("Fat1rnq", "Fatima"), ("Ilia", "Lila"), ("KA1", "Kal")] {
        check(v, d, G, Mismatch, Some(ShortNameOneLetterApart));
        check(d, v, G, Mismatch, Some(ShortNameOneLetterApart));
    }
    // A `1` or `|` against an `i` is the capital I it looks like (MAR1A is Maria), not another name.
    check("MAR1A", "Maria", G, Match, Some(OcrConfusion));
    check("KA|", "Kai", G, Match, Some(OcrConfusion));
}

/// A family name cut by a document's field limit (regression, issue 13's passport-truncated surname
/// was PREFIX_NAME): the machine-readable zone of an ID card keeps 27 letters of Hubert Blaine
/// Wolfeschlegelsteinhausenbergerdorff's surname, an older system's 15-letter field WOLFESCHLEGELST
/// (no_match before); 15 letters or more kept is a subset of the name. A shorter start stays another
/// name (Smith ~ Smithson, a 14-letter start), and given names are not cut so.
#[test]
fn family_names_cut_by_a_field_limit() {
    let full = "Wolfeschlegelsteinhausenbergerdorff";
    for (v, d) in [
        ("WOLFESCHLEGELSTEINHAUSENBER", full),
        (full, "Wolfeschlegelsteinhausenber"),
        ("FERNANDEZ DE CORDOBA Y MON", "Fernández de Córdoba y Montes de Oca"),
        ("WOLFESCHLEGELST", full),
        ("WOLFESCHLEGELSTEINH", full),
        ("KONSTANTINOPOULO", "Konstantinopoulos"),
    ] {
        check(v, d, F, Match, Some(SurnameSubset));
    }
    for (v, d) in [
        ("WOLFESCHLEGELS", full),
        ("Smith", "Smithson"),
        ("Christ", "Christodoulou"),
        ("Wickramasing", "Wickramasinghe"),
    ] {
        check(v, d, F, Mismatch, Some(PrefixName));
    }
    check("WOLFESCHLEGELSTEINHAUSENBER", full, G, Mismatch, Some(PrefixName));
    check("MARIA-ALEJANDRA-CON", "Maria-Alejandra-Concepcion", G, Mismatch, Some(PrefixName));
}

/// A family name of several parts in another order (regression: mismatch): a match with
/// `TOKENS_REORDERED`; given names in another order stay a mismatch (which one the person goes by).
#[test]
fn family_name_parts_in_another_order() {
    check("Carvalho Mendes", "Mendes Carvalho", F, Match, Some(TokensReordered));
    check("GARCÍA MÁRQUEZ", "Márquez García", F, Match, Some(TokensReordered));
    check("Mendes Carvalho", "Carvalho Silva", F, Mismatch, None);
    check("Anh Ngoc", "Ngoc Anh", G, Mismatch, None);
}

/// MARY ELIZABETH on the ID, Elizabeth in the directory: the person may go by the middle name
/// (regression: refused with no reason). On its own the comparator says so and the engine routes it
/// to review, or matches it when the record's middle name is Mary (tests/claims_engine.rs).
#[test]
fn goes_by_a_middle_name() {
    check("MARY ELIZABETH", "Elizabeth", G, Mismatch, Some(GoesByMiddleName));
    let r = compare_name("Mary Elizabeth", "Anne", G, &default_rule(G));
    assert!(!r.reasons.contains(&GoesByMiddleName));
    let r = compare_name("Elizabeth", "Mary Elizabeth", G, &default_rule(G));
    assert!(!r.reasons.contains(&GoesByMiddleName), "only the document lists every given name");
}

/// A zero-width space, soft hyphen or BOM inside a DIRECTORY value is a data-quality finding, not a
/// spoof (regression: mismatch); on the verified side it stays suspicious.
#[test]
fn invisible_characters_in_the_directory_are_data_quality() {
    use okta_directory::claims::compare::{compare_prepared_name, PreparedName};
    let rule = default_rule(G);
    for d in ["An\u{200b}na", "An\u{ad}na", "\u{feff}Anna"] {
        let r = compare_prepared_name(&PreparedName::new("Anna"), &PreparedName::directory(d), G, &rule);
        assert_eq!(r.outcome, Match, "{d:?}: {r:?}");
        assert!(r.reasons.contains(&DirectoryInvisible));
        check(d, "Anna", G, Mismatch, Some(SuspiciousInvisible));
    }
    // A bidi control in the directory still blocks.
    let r = compare_prepared_name(&PreparedName::new("Anna"), &PreparedName::directory("\u{202e}annA"), G, &rule);
    assert!(r.outcome == Mismatch && r.reasons.contains(&SuspiciousBidiControl));
}

#[test]
fn near_names_that_are_different_people() {
    let cases = [
        ("Alexander", "Alexandra", G, Some(NameEndingDiffers)),
        ("Alexandra", "Alexander", G, Some(NameEndingDiffers)),
        ("Maria", "Mario", G, None),
        ("Alejandra", "Alejandro", G, Some(NameEndingDiffers)),
        // Katherine ~ Catherine is one name's spelling since session 9 (c ~ k at the front): see
        // spelling::tests::one_sound_at_the_front_of_listed_names_matches.
        ("Kelvin", "Kevin", G, Some(DistinctGivenNames)),
        ("Jason", "Mason", G, Some(DistinctGivenNames)),
        ("Karin", "Karen", G, Some(DistinctGivenNames)),
        ("Jayden", "Hayden", G, Some(DistinctGivenNames)),
        ("Christian", "Christina", G, Some(DistinctGivenNames)),
        ("Simon", "Simone", G, Some(PrefixName)),
        ("Marian", "Marion", G, None),
        ("Min-jin", "Min-jun", G, None),
        ("Alexander", "Alex", G, Some(NicknameAmbiguous)),
        ("Christopher", "Chris", G, Some(NicknameAmbiguous)),
        ("Anh", "Ngọc Ánh", G, None),
        ("Daniela", "Daniel", G, Some(PrefixName)),
        ("Smithson", "Smith", F, Some(PrefixName)),
        ("John", "Joan", G, None),
        ("Anna", "Hanna", G, None),
        ("Sasha", "Alex", G, None),
        ("Bob", "Rob", G, None),
        ("J.", "John", G, None),
        ("Smith Jr.", "Smith Sr.", F, Some(GenerationalSuffixDiffers)),
        ("John Smith III", "John Smith II", G, Some(GenerationalSuffixDiffers)),
        ("Dmitry", "Дмитрий", G, Some(ScriptDiffers)),
        ("Anna", "Emma", G, None),
        ("Al", "Ali", G, None),
    ];
    for (v, d, kind, reason) in cases {
        check(v, d, kind, Mismatch, reason);
    }
}

#[test]
fn spoofed_input_never_matches() {
    let cases = [
        ("\u{410}nna", "Anna", SuspiciousMixedScript),
        ("J\u{43e}hn", "John", SuspiciousMixedScript),
        ("An\u{200b}na", "Anna", SuspiciousInvisible),
        ("An\u{ad}na", "Anna", SuspiciousInvisible),
        ("\u{202e}annA", "Anna", SuspiciousBidiControl),
        ("\u{415}\u{41c}\u{41c}\u{410}", "EMMA", SuspiciousConfusable),
        ("Anna", "\u{410}nna", SuspiciousMixedScript),
    ];
    for (v, d, reason) in cases {
        for kind in [G, F, M] {
            check(v, d, kind, Mismatch, Some(reason));
        }
    }
}

#[test]
fn exact_mode_allows_normalization_only() {
    let mut rule = default_rule(G);
    rule.mode = MatchMode::Exact;
    assert_eq!(compare_name("JOSÉ", "Jose", G, &rule).outcome, Match);
    for (v, d) in [("Bob", "Robert"), ("Jonathon", "Jonathan"), ("Mary", "Mary Ann"), ("J0HN", "John")] {
        assert_eq!(compare_name(v, d, G, &rule).outcome, Mismatch, "{v} vs {d}");
    }
}

#[test]
fn tolerances_follow_the_allow_list() {
    let mut rule = default_rule(G);
    rule.allow.nicknames = false;
    assert_eq!(compare_name("Bob", "Robert", G, &rule).outcome, Mismatch);
    rule.allow.initials = true;
    assert_eq!(compare_name("J.", "John", G, &rule).outcome, Match);
    let mut family = default_rule(F);
    family.allow.token_subset = false;
    assert_eq!(compare_name("Garcia", "García Márquez", F, &family).outcome, Mismatch);
}

#[test]
fn unreadable_names() {
    check("...", "John", G, Invalid, Some(Unparseable));
    check("John", "- -", G, Invalid, Some(Unparseable));
}

#[test]
fn swapped_given_and_family() {
    assert!(names_swapped("SMITH", "JOHN", "John", "Smith"));
    assert!(names_swapped("Nguyễn", "Văn An", "Van An", "Nguyen"));
    assert!(!names_swapped("John", "Smith", "John", "Smith"));
    assert!(!names_swapped("Sm\u{456}th", "John", "John", "Smith"));
}

#[test]
fn every_clean_name_matches_itself_and_homoglyphs_never_match() {
    let names = [
        "Anna",
        "John",
        "Maria",
        "Oscar",
        "Peter",
        "Alexander",
        "Catherine",
        "Jose",
        "Emma",
        "Marco",
        "Sophia",
        "Oliver",
        "Xavier",
        "Jayce",
        "Cooper",
        "Harper",
        "Scott",
        "Pierce",
        "Joaquin",
        "Yusuf",
    ];
    // Cyrillic and Greek letters that look like Latin ones.
    let lookalikes = [
        ('a', '\u{430}'),
        ('e', '\u{435}'),
        ('o', '\u{43e}'),
        ('p', '\u{440}'),
        ('c', '\u{441}'),
        ('x', '\u{445}'),
        ('y', '\u{443}'),
        ('i', '\u{456}'),
        ('j', '\u{458}'),
        ('s', '\u{455}'),
        ('o', '\u{3bf}'),
        ('A', '\u{410}'),
        ('E', '\u{415}'),
        ('O', '\u{41e}'),
        ('P', '\u{420}'),
        ('C', '\u{421}'),
        ('X', '\u{425}'),
        ('J', '\u{408}'),
        ('S', '\u{405}'),
        ('M', '\u{41c}'),
        ('H', '\u{41d}'),
        ('K', '\u{41a}'),
        ('T', '\u{422}'),
        ('B', '\u{412}'),
    ];
    let mut attacks = 0;
    for name in names {
        for kind in [G, F, M] {
            let r = compare_name(name, name, kind, &default_rule(kind));
            assert_eq!((r.outcome, r.score), (Match, 1.0), "{name}");
        }
        for (latin, fake) in lookalikes {
            for (i, c) in name.char_indices() {
                if c == latin {
                    let attack = format!("{}{fake}{}", &name[..i], &name[i + c.len_utf8()..]);
                    for kind in [G, F, M] {
                        let r = compare_name(&attack, name, kind, &default_rule(kind));
                        assert_ne!(r.outcome, Match, "{attack:?} must not match {name}");
                        let upper = compare_name(&attack.to_uppercase(), name, kind, &default_rule(kind));
                        assert_ne!(upper.outcome, Match, "{attack:?} (upper case) must not match {name}");
                    }
                    attacks += 1;
                }
            }
        }
    }
    assert!(attacks > 50, "only {attacks} attacks generated");
}

#[test]
fn cyrillic_or_greek_against_latin_is_at_most_review() {
    // Wholly Cyrillic or Greek on one side, Latin on the other, equal once transliterated (ICAO 9303 and
    // the common variants): a mismatch carrying TRANSLITERATED_SCRIPT, which the decision routes to review.
    let transliterated = [
        ("DMITRY", "Дмитрий", G),
        ("DMITRIY", "Дмитрий", G),
        ("Dmitrii", "Дмитрий", G),
        ("SERGEJ", "Сергей", G),
        ("YULIA", "Юлия", G),
        ("IULIIA", "Юлия", G),
        ("NATALYA", "Наталья", G),
        ("YEKATERINA", "Екатерина", G),
        ("FYODOR", "Фёдор", G),
        ("IVANOV", "Иванов", F),
        ("KHRUSHCHEV", "Хрущёв", F),
        ("SMIRNOVA IVANOVA", "Смирнова-Иванова", F),
        ("Иванов", "Ivanov", F),
        ("GEORGIOS", "Γεώργιος", G),
        ("PAPADOPOULOS", "Παπαδόπουλος", F),
        ("CHRISTOS", "Χρήστος", G),
    ];
    for (verified, directory, kind) in transliterated {
        let r = compare_name(verified, directory, kind, &default_rule(kind));
        assert_eq!(r.outcome, Mismatch, "{verified} vs {directory}: {r:?}");
        assert!(r.reasons.contains(&TransliteratedScript), "{verified} vs {directory}: {r:?}");
    }
    // Different names across scripts stay plain mismatches.
    let different = [
        ("IVANOVA", "Иванов", F),
        ("IVAN", "Иванна", G),
        ("ALEKSANDR", "Александра", G),
        ("DMITRY", "Дима", G),
        ("OLGA", "Оля", G),
        ("GEORGIA", "Γεώργιος", G),
    ];
    for (verified, directory, kind) in different {
        let r = compare_name(verified, directory, kind, &default_rule(kind));
        assert_eq!(r.outcome, Mismatch, "{verified} vs {directory}");
        assert!(!r.reasons.contains(&TransliteratedScript), "{verified} vs {directory}: {r:?}");
    }
    // Exact mode does not transliterate.
    let mut exact = default_rule(G);
    exact.mode = MatchMode::Exact;
    assert!(!compare_name("DMITRY", "Дмитрий", G, &exact).reasons.contains(&TransliteratedScript));
}

#[test]
fn transliteration_never_helps_a_spoof() {
    // Whole-script look-alikes (Cyrillic letters imitating a Latin name) are blocked as confusables
    // before any transliteration; their ICAO spelling would not meet the Latin name anyway (ТОМ → tom,
    // but ЅМІТН → dzmitn).
    let lookalikes = [
        ("ТОМ ЅМІТН", "Tom Smith", G),
        ("ЅМІТН", "Smith", F),
        ("АСЕ", "Ace", G),
        ("ОКСАНА", "OKCAHA", G),
        ("Tom", "ТОМ", G),
    ];
    for (verified, directory, kind) in lookalikes {
        let r = compare_name(verified, directory, kind, &default_rule(kind));
        assert_eq!(r.outcome, Mismatch, "{verified} vs {directory}");
        assert!(!r.reasons.contains(&TransliteratedScript), "{verified} vs {directory}: {r:?}");
    }
    // Mixed-script tokens, invisible and bidi characters are never transliterated.
    let spoofed = [
        ("Дmitry", "Дмитрий", G),
        ("DMITRY", "Дми\u{200b}трий", G),
        ("DMITRY", "\u{202e}Дмитрий", G),
        ("Ivanоv", "Иванов", F),
    ];
    for (verified, directory, kind) in spoofed {
        let r = compare_name(verified, directory, kind, &default_rule(kind));
        assert_eq!(r.outcome, Mismatch, "{verified:?} vs {directory:?}");
        assert!(!r.reasons.contains(&TransliteratedScript), "{verified:?} vs {directory:?}: {r:?}");
    }
}
