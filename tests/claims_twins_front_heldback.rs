//! Held-back front-of-name twins and typos (session 10, branch `twins`): written by hand at 20:45 UTC,
//! BEFORE any rule for them was chosen, and not used to choose or tune one. None of these pairs is in
//! another test (each checked with a search of tests/, js/test/ and src/). Two shapes:
//! (a) a consonant before a name that starts with a vowel (Ayden ~ Jayden, Ariah ~ Mariah);
//! (b) the first letter onto its neighbouring key, the rest the same (Teagan ~ Reagan, Jaycee ~ Kaycee).
//! `TWINS`: names given to children since about 1995; the impostor twin's own genuine ID (same family name,
//! birthdate and address) against the sibling's record — `review` or `no_match` is the right answer.
//! `TYPOS`: one person, the ID or the HR record mistyped in the same shapes (a first letter dropped, a
//! consonant typed before the name, a neighbouring key) — `match` is the right answer, `review` a cost.
//! Both report counts; the pins below make any change of them visible.

mod common;

use common::twins::GARCIA;
use okta_directory::claims::Decision;

/// Twins' names of shapes (a) and (b), either may be the impostor's.
const TWINS: [(&str, &str); 35] = [
    ("Ayden", "Jayden"),
    ("Ayden", "Kayden"),
    ("Aden", "Jaden"),
    ("Ariana", "Mariana"),
    ("Elena", "Jelena"),
    ("Alani", "Malani"),
    ("Amari", "Kamari"),
    ("Ariel", "Mariel"),
    ("Arissa", "Marissa"),
    ("Arlene", "Darlene"),
    ("Ava", "Nava"),
    ("Aniyah", "Taniyah"),
    ("Iyana", "Kiyana"),
    ("Ariah", "Mariah"),
    ("Arlo", "Marlo"),
    ("Aliyah", "Taliyah"),
    ("Anika", "Danika"),
    ("Essie", "Bessie"),
    ("Ollie", "Mollie"),
    ("Addie", "Maddie"),
    ("Amie", "Jamie"),
    ("Ian", "Kian"),
    ("Teagan", "Reagan"),
    ("Benson", "Henson"),
    ("Hayley", "Bayley"),
    ("Jaycee", "Kaycee"),
    ("Jacey", "Kacey"),
    ("Jadyn", "Kadyn"),
    ("Jalynn", "Kalynn"),
    ("Rayden", "Tayden"),
    ("Daxton", "Saxton"),
    ("Jaliyah", "Kaliyah"),
    ("Jaylynn", "Kaylynn"),
    ("Larson", "Karson"),
    ("Nolan", "Bolan"),
];

/// One person's name and its typo of shape (a) or (b) (either side may hold the typo).
const TYPOS: [(&str, &str); 40] = [
    ("Daniel", "Aniel"),
    ("Michael", "Ichael"),
    ("Jonathan", "Onathan"),
    ("Benjamin", "Enjamin"),
    ("Rebecca", "Ebecca"),
    ("Samuel", "Amuel"),
    ("Nicole", "Icole"),
    ("Katharina", "Atharina"),
    ("Robert", "Obert"),
    ("Emily", "Remily"),
    ("Isabel", "Kisabel"),
    ("Amelia", "Namelia"),
    ("Andrew", "Nandrew"),
    ("Eleanor", "Beleanor"),
    ("Irene", "Mirene"),
    ("Ingrid", "Lingrid"),
    ("Esther", "Nesther"),
    ("Oscar", "Boscar"),
    ("Jennifer", "Hennifer"),
    ("Robert", "Tobert"),
    ("Michael", "Nichael"),
    ("Daniel", "Saniel"),
    ("Brian", "Vrian"),
    ("Thomas", "Rhomas"),
    ("Jessica", "Kessica"),
    ("Madison", "Nadison"),
    ("Natalie", "Batalie"),
    ("Victoria", "Cictoria"),
    ("Joseph", "Koseph"),
    ("Brandon", "Vrandon"),
    ("Dylan", "Fylan"),
    ("Hunter", "Junter"),
    ("Patrick", "Oatrick"),
    ("Gabriel", "Habriel"),
    ("Nathan", "Bathan"),
    ("Jordan", "Hordan"),
    ("Melissa", "Nelissa"),
    ("Lauren", "Kauren"),
    ("Heather", "Jeather"),
    ("Jason", "Hason"),
];

/// Twin directions that still match (a takeover each): 48 of 70 on main (8f21f6a), 16 with the first front
/// rules of rhyming.rs (a6aa259), 30 with them narrowed after the attacker's lockouts (21:13: `-a`, `-en`,
/// `-on`, `-yn` and the onsets `h`, `r`, `s` left out) — left: Ayden, Arissa, Iyana, Arlo (endings the front
/// rule no longer takes), Benson ~ Henson, Hayley ~ Bayley, Daxton ~ Saxton (`h`, `s`), a first key onto its
/// neighbour before `-an`, `-ee`, `-ey`, `-yn`, `-ynn` or in seven letters (Teagan, Jaycee, Jacey, Jadyn,
/// Jalynn, Jaliyah, Nolan).
const TWINS_MATCHED: [&str; 30] = [
    "Ayden ~ Jayden: Match",
    "Jayden ~ Ayden: Match",
    "Ayden ~ Kayden: Match",
    "Kayden ~ Ayden: Match",
    "Arissa ~ Marissa: Match",
    "Marissa ~ Arissa: Match",
    "Iyana ~ Kiyana: Match",
    "Kiyana ~ Iyana: Match",
    "Arlo ~ Marlo: Match",
    "Marlo ~ Arlo: Match",
    "Teagan ~ Reagan: Match",
    "Reagan ~ Teagan: Match",
    "Benson ~ Henson: Match",
    "Henson ~ Benson: Match",
    "Hayley ~ Bayley: Match",
    "Bayley ~ Hayley: Match",
    "Jaycee ~ Kaycee: Match",
    "Kaycee ~ Jaycee: Match",
    "Jacey ~ Kacey: Match",
    "Kacey ~ Jacey: Match",
    "Jadyn ~ Kadyn: Match",
    "Kadyn ~ Jadyn: Match",
    "Jalynn ~ Kalynn: Match",
    "Kalynn ~ Jalynn: Match",
    "Daxton ~ Saxton: Match",
    "Saxton ~ Daxton: Match",
    "Jaliyah ~ Kaliyah: Match",
    "Kaliyah ~ Jaliyah: Match",
    "Nolan ~ Bolan: Match",
    "Bolan ~ Nolan: Match",
];

/// Typo directions not matched, `{id} ~ {record}: {decision}`: 6 of 80 on main (8f21f6a) — refused as
/// rhyming names (Brandon ~ Landon, Hunter ~ Gunter, Jordan ~ ... are listed rhymes): lockouts already there.
/// 28 of 80 with the first front rules (a6aa259), 22 since they were narrowed (16 of them `review`, a person
/// checks): a consonant typed before a listed name that starts with a vowel (Kisabel, Namelia, Nandrew,
/// Beleanor, Mirene, Nesther, Boscar) and a neighbouring first key before `-en` (Kauren). TUNING has four
/// consonants typed before a listed vowel-initial name in 9,000 genuine pairs; this set has seven of forty.
const TYPOS_NOT_MATCHED: [&str; 22] = [
    "Isabel ~ Kisabel: Review",
    "Kisabel ~ Isabel: Review",
    "Amelia ~ Namelia: Review",
    "Namelia ~ Amelia: Review",
    "Andrew ~ Nandrew: Review",
    "Nandrew ~ Andrew: Review",
    "Eleanor ~ Beleanor: Review",
    "Beleanor ~ Eleanor: Review",
    "Irene ~ Mirene: Review",
    "Mirene ~ Irene: Review",
    "Esther ~ Nesther: Review",
    "Nesther ~ Esther: Review",
    "Oscar ~ Boscar: Review",
    "Boscar ~ Oscar: Review",
    "Brandon ~ Vrandon: NoMatch",
    "Vrandon ~ Brandon: NoMatch",
    "Hunter ~ Junter: NoMatch",
    "Junter ~ Hunter: NoMatch",
    "Jordan ~ Hordan: NoMatch",
    "Hordan ~ Jordan: NoMatch",
    "Lauren ~ Kauren: Review",
    "Kauren ~ Lauren: Review",
];

/// Every direction of `pairs` whose decision `keep` keeps, as `{id} ~ {record}: {decision}`.
fn decided(pairs: &[(&str, &str)], keep: impl Fn(Decision) -> bool) -> Vec<String> {
    pairs
        .iter()
        .flat_map(|&(a, b)| [(a, b), (b, a)])
        .filter_map(|(id, record)| {
            let d = GARCIA.decide(id, record);
            keep(d).then(|| format!("{id} ~ {record}: {d:?}"))
        })
        .collect()
}

#[test]
fn held_back_front_twins_report() {
    let matched = decided(&TWINS, |d| d == Decision::Match);
    eprintln!("front twins: {} of {} directions match", matched.len(), 2 * TWINS.len());
    assert_eq!(matched, TWINS_MATCHED, "{} of {} twins matched", matched.len(), 2 * TWINS.len());
}

#[test]
fn held_back_front_typos_report() {
    let missed = decided(&TYPOS, |d| d != Decision::Match);
    let review = missed.iter().filter(|m| m.ends_with("Review")).count();
    eprintln!("front typos: {} of {} directions not matched ({review} review)", missed.len(), 2 * TYPOS.len());
    assert_eq!(missed, TYPOS_NOT_MATCHED, "{} of {} typos not matched", missed.len(), 2 * TYPOS.len());
}
