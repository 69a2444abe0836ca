//! A seeded generator of labelled claim pairs for the claims-matching development set.
//!
//! Every pair is (verified claims JSON as an identity-verification vendor returns them from an ID,
//! Okta profile JSON), labelled "same person" or not, and tagged with the variation class that
//! produced it. All names, streets and places below were written for this set by hand; no public
//! record-linkage data (FEBRL, Splink's examples, NCVR…) is used.
//!
//! Each class changes exactly one thing relative to an exact copy (except `combined_passport`, which
//! stacks the common passport differences), so a class's numbers say what that one variation does.
#![allow(dead_code)]

pub mod noise;

use serde_json::{json, Map, Value};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Deterministic xorshift64* generator.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let s = seed ^ 0x9E37_79B9_7F4A_7C15;
        Rng(if s == 0 { 0x2545_F491_4F6C_DD1D } else { s })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn range(&mut self, lo: u32, hi_inclusive: u32) -> u32 {
        lo + self.below((hi_inclusive - lo + 1) as usize) as u32
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Names. Written for this set; display case as people type them into Okta.
// ---------------------------------------------------------------------------------------------

pub struct Culture {
    pub code: &'static str,
    pub given: &'static [&'static str],
    pub family: &'static [&'static str],
    /// Whether middle names are customary (a share of people get one from `given`).
    pub middle: bool,
}

pub const CULTURES: &[Culture] = &[
    Culture {
        code: "en",
        given: &[
            "James",
            "Mary",
            "Robert",
            "Patricia",
            "Michael",
            "Jennifer",
            "William",
            "Elizabeth",
            "David",
            "Susan",
            "Thomas",
            "Margaret",
            "Christopher",
            "Sarah",
            "Matthew",
            "Rebecca",
            "Andrew",
            "Emily",
            "Jonathan",
            "Olivia",
            "Siobhan",
            "Gwendolyn",
        ],
        family: &[
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Taylor",
            "Anderson",
            "Thompson",
            "O'Brien",
            "Fitzgerald",
            "Harrington",
            "Whitaker",
            "Blackwood",
            "Smith-Jones",
            "McAllister",
        ],
        middle: true,
    },
    Culture {
        code: "es",
        given: &[
            "José",
            "María",
            "Juan",
            "Carmen",
            "Francisco",
            "Lucía",
            "Alejandro",
            "Sofía",
            "Miguel",
            "Guadalupe",
            "Jesús",
            "Inés",
            "Álvaro",
            "Begoña",
            "Rocío",
            "Ramón",
            "Martín",
            "Ximena",
        ],
        family: &[
            "García Márquez",
            "Rodríguez López",
            "Fernández",
            "González Pérez",
            "Martínez",
            "Sánchez Ruiz",
            "Hernández",
            "Jiménez",
            "Núñez",
            "Muñoz Castillo",
            "Díaz",
            "Álvarez",
            "de la Cruz",
            "Ibáñez",
            "Peña",
            "Villanueva Ortega",
        ],
        middle: true,
    },
    Culture {
        code: "pt",
        given: &[
            "João",
            "Maria",
            "António",
            "Conceição",
            "Luís",
            "Inês",
            "Gonçalo",
            "Leonor",
            "Sebastião",
            "Joana",
            "Tiago",
            "Beatriz",
        ],
        family: &[
            "Silva",
            "Santos",
            "Ferreira Gonçalves",
            "Pereira",
            "Oliveira Costa",
            "Rodrigues",
            "Magalhães",
            "Araújo",
            "Simões",
            "Brandão",
            "Gusmão",
            "Carvalho Mendes",
        ],
        middle: true,
    },
    Culture {
        code: "fr",
        given: &[
            "François",
            "Hélène",
            "Jean-Pierre",
            "Amélie",
            "Benoît",
            "Chloé",
            "Jérôme",
            "Léa",
            "Anaïs",
            "Noël",
            "Marie-Claire",
            "Théo",
            "Julien",
            "Émile",
        ],
        family: &[
            "Dubois",
            "Lefèvre",
            "Moreau",
            "Girard",
            "Lemaître",
            "Bérubé",
            "Rousseau",
            "Fournier",
            "Mercier",
            "Deschênes",
            "Bélanger",
            "Le Goff",
        ],
        middle: true,
    },
    Culture {
        code: "de",
        given: &[
            "Jürgen",
            "Uwe",
            "Jörg",
            "Günter",
            "Käthe",
            "Lukas",
            "Annelie",
            "Maximilian",
            "Franziska",
            "Matthias",
            "Dörte",
            "Hans-Peter",
            "Sebastian",
            "Johannes",
            "Josef",
            "Ursula",
        ],
        family: &[
            "Müller",
            "Schröder",
            "Weiß",
            "Groß",
            "Köhler",
            "Schäfer",
            "Krüger",
            "Hoffmann",
            "Schneider",
            "Fischer",
            "Meyer",
            "Großmann",
            "Böhm",
            "von Brandt",
            "Schwarzenbach",
        ],
        middle: true,
    },
    Culture {
        code: "pl",
        given: &[
            "Łukasz",
            "Małgorzata",
            "Wojciech",
            "Katarzyna",
            "Paweł",
            "Agnieszka",
            "Krzysztof",
            "Zofia",
            "Grzegorz",
            "Jadwiga",
            "Michał",
            "Bożena",
        ],
        family: &[
            "Kowalski",
            "Wiśniewska",
            "Wójcik",
            "Kamiński",
            "Lewandowska",
            "Zieliński",
            "Szymańska",
            "Woźniak",
            "Dąbrowski",
            "Kozłowski",
            "Jankowski",
            "Mazur",
        ],
        middle: false,
    },
    Culture {
        code: "cs",
        given: &["Jiří", "Lucie", "Tomáš", "Tereza", "Zdeněk", "Kateřina", "Václav", "Markéta", "Ondřej", "Barbora"],
        family: &[
            "Novák",
            "Svobodová",
            "Dvořák",
            "Černý",
            "Procházka",
            "Kučerová",
            "Veselý",
            "Horák",
            "Němcová",
            "Pokorný",
        ],
        middle: false,
    },
    Culture {
        code: "nordic",
        given: &[
            "Søren", "Åsa", "Bjørn", "Kjersti", "Mikael", "Ingrid", "Jørgen", "Sigrid", "Håkon", "Astrid", "Sven",
            "Ragnhild", "Lærke", "Göran",
        ],
        family: &[
            "Jørgensen",
            "Lindqvist",
            "Åberg",
            "Nørgaard",
            "Bjørklund",
            "Håkansson",
            "Sørensen",
            "Løvland",
            "Andersson",
            "Johansson",
            "Ekström",
            "Mæland",
        ],
        middle: true,
    },
    Culture {
        code: "it",
        given: &[
            "Giuseppe",
            "Francesca",
            "Alessandro",
            "Giulia",
            "Lorenzo",
            "Chiara",
            "Niccolò",
            "Federica",
            "Matteo",
            "Beatrice",
            "Salvatore",
            "Elisabetta",
        ],
        family: &[
            "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "D'Angelo", "De Luca", "Santoro",
            "Mancini", "Lombardi",
        ],
        middle: false,
    },
    Culture {
        code: "vi",
        given: &[
            "Anh",
            "Minh",
            "Thảo",
            "Quang",
            "Hương",
            "Đức",
            "Linh",
            "Tuấn",
            "Phương",
            "Hải",
            "Ngọc Ánh",
            "Văn Hùng",
            "Thị Mai",
        ],
        family: &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"],
        middle: false,
    },
    Culture {
        code: "zh",
        given: &[
            "Wei", "Xiaoming", "Jing", "Haoran", "Zhiwei", "Yuxuan", "Na", "Jianguo", "Xiuying", "Zihan", "Mingyu",
            "Yan",
        ],
        family: &["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Zhou", "Wu", "Ouyang", "Sima"],
        middle: false,
    },
    Culture {
        code: "ja",
        given: &[
            "Hiroshi", "Yūko", "Takeshi", "Sakura", "Kenji", "Yumiko", "Shōta", "Aiko", "Daisuke", "Haruka", "Ryō",
            "Emi",
        ],
        family: &[
            "Satō",
            "Suzuki",
            "Takahashi",
            "Tanaka",
            "Itō",
            "Watanabe",
            "Yamamoto",
            "Nakamura",
            "Kobayashi",
            "Katō",
            "Ōno",
            "Inoue",
        ],
        middle: false,
    },
    Culture {
        code: "ko",
        given: &[
            "Min-jun",
            "Seo-yeon",
            "Ji-hoon",
            "Ha-eun",
            "Hyun-woo",
            "Ji-woo",
            "Seung-min",
            "Soo-ah",
            "Dong-hyun",
            "Ye-jin",
        ],
        family: &["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin"],
        middle: false,
    },
    Culture {
        code: "in",
        given: &[
            "Aarav",
            "Priya",
            "Rahul",
            "Ananya",
            "Vikram",
            "Lakshmi",
            "Arjun",
            "Kavya",
            "Sanjay",
            "Deepika",
            "Venkatesh",
            "Sai Krishna",
        ],
        family: &[
            "Sharma",
            "Patel",
            "Reddy",
            "Iyer",
            "Gupta",
            "Nair",
            "Singh",
            "Chatterjee",
            "Venkataraman",
            "Krishnamurthy",
            "Menon",
            "Bhattacharya",
        ],
        middle: true,
    },
    Culture {
        code: "ar",
        given: &[
            "Mohammed",
            "Fatima",
            "Ahmed",
            "Aisha",
            "Omar",
            "Layla",
            "Yusuf",
            "Mariam",
            "Khalid",
            "Noor",
            "Abdul Rahman",
            "Hassan",
        ],
        family: &[
            "Al-Farsi",
            "Haddad",
            "El-Sayed",
            "Abdullah",
            "Mansour",
            "Khalil",
            "Al Nahyan",
            "Nasser",
            "Saleh",
            "Aziz",
            "Hamdan",
            "Abu-Bakr",
        ],
        middle: false,
    },
    Culture {
        code: "tr",
        given: &[
            "Mehmet", "Ayşe", "Mustafa", "Emine", "Çağla", "Oğuz", "Gökhan", "Şule", "İbrahim", "Ülkü", "Barış",
            "Özlem",
        ],
        family: &[
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan",
            "Kılıç",
        ],
        middle: false,
    },
    Culture {
        code: "el",
        given: &[
            "Georgios",
            "Eleni",
            "Dimitrios",
            "Maria",
            "Konstantinos",
            "Aikaterini",
            "Ioannis",
            "Sofia",
            "Nikolaos",
            "Vasiliki",
        ],
        family: &[
            "Papadopoulos",
            "Papadakis",
            "Georgiou",
            "Nikolaidis",
            "Oikonomou",
            "Karagiannis",
            "Vlachos",
            "Makris",
            "Christodoulou",
            "Antoniou",
        ],
        middle: false,
    },
    // Russian, kept in two separate cultures: people registered in Cyrillic, people registered in
    // Latin transliteration. Index i of one list is index i of the other (used by one positive class).
    Culture {
        code: "ru-cyrl",
        given: &["Дмитрий", "Анна", "Сергей", "Ольга", "Алексей", "Наталья", "Иван", "Екатерина", "Михаил", "Татьяна"],
        family: &[
            "Иванов",
            "Смирнова",
            "Кузнецов",
            "Попова",
            "Соколов",
            "Лебедева",
            "Козлов",
            "Новикова",
            "Морозов",
            "Волкова",
        ],
        middle: false,
    },
    Culture {
        code: "ru-latn",
        given: &["Dmitry", "Anna", "Sergey", "Olga", "Aleksey", "Natalya", "Ivan", "Yekaterina", "Mikhail", "Tatyana"],
        family: &[
            "Ivanov",
            "Smirnova",
            "Kuznetsov",
            "Popova",
            "Sokolov",
            "Lebedeva",
            "Kozlov",
            "Novikova",
            "Morozov",
            "Volkova",
        ],
        middle: false,
    },
];

const RU_CYRL: usize = 17;
const RU_LATN: usize = 18;

/// (formal, short) pairs present in the engine's curated nickname table.
const NICKNAMES: &[(&str, &str)] = &[
    ("Robert", "Bob"),
    ("Robert", "Rob"),
    ("William", "Bill"),
    ("William", "Will"),
    ("Elizabeth", "Liz"),
    ("Elizabeth", "Beth"),
    ("Margaret", "Peggy"),
    ("Margaret", "Maggie"),
    ("Richard", "Rick"),
    ("Richard", "Dick"),
    ("Katherine", "Kate"),
    ("Michael", "Mike"),
    ("James", "Jim"),
    ("Jennifer", "Jenny"),
    ("Christopher", "Chris"),
    ("Alexander", "Alex"),
    ("Aleksandr", "Sasha"),
    ("Francisco", "Paco"),
    ("José", "Pepe"),
    ("Giuseppe", "Beppe"),
    ("Katarzyna", "Kasia"),
    ("Wojciech", "Wojtek"),
    ("Dmitry", "Dima"),
    ("Johannes", "Hans"),
    ("Josef", "Sepp"),
    ("Guadalupe", "Lupe"),
    ("Patricia", "Trish"),
    ("Thomas", "Tom"),
    ("Anthony", "Tony"),
    ("Edward", "Ted"),
    ("Theodore", "Teddy"),
    ("Nicholas", "Nick"),
    ("Daniel", "Danny"),
    ("Susan", "Sue"),
    ("Victoria", "Vicky"),
    ("Samuel", "Sam"),
    ("Yekaterina", "Katya"),
    ("Vladimir", "Vova"),
];

/// Different given names that look alike (distinct names, not spellings of one name).
pub const NEAR_NAMES: &[(&str, &str)] = &[
    ("Alexander", "Alexandra"),
    ("Daniel", "Daniela"),
    ("Maria", "Mario"),
    ("Jon", "Joan"),
    ("Julian", "Juliana"),
    ("Paulo", "Paula"),
    ("Christian", "Christina"),
    ("Francesco", "Francesca"),
    ("Antonio", "Antonia"),
    ("Carlos", "Carla"),
    ("Martin", "Martina"),
    ("Stefan", "Stefanie"),
    ("Simon", "Simone"),
    ("Adrian", "Adriana"),
    ("Gabriel", "Gabriela"),
    ("Luis", "Luisa"),
    ("Jan", "Jana"),
    ("Ivan", "Ivana"),
    ("Emilia", "Emilio"),
    ("Karen", "Karin"),
    ("Kevin", "Kelvin"),
    ("Marian", "Marion"),
    ("Jason", "Mason"),
    ("Jayden", "Hayden"),
    ("Min-jun", "Min-jin"),
    ("Ji-hoon", "Ji-hyun"),
    ("Haoran", "Haoyan"),
];

/// (victim's formal name, twin's formal name, the short form both share in the nickname table).
const SHARED_SHORT_FORMS: &[(&str, &str, &str)] = &[
    ("Alexandra", "Alexander", "Alex"),
    ("Alexander", "Alexandra", "Alex"),
    ("Alexandra", "Alexander", "Sasha"),
    ("Aleksandra", "Aleksandr", "Sasha"),
    ("Christina", "Christopher", "Chris"),
    ("Christine", "Christopher", "Chris"),
    ("Samantha", "Samuel", "Sam"),
    ("Samuel", "Samantha", "Sam"),
    ("Patricia", "Patrick", "Pat"),
    ("Charlotte", "Charles", "Charlie"),
    ("Alexandra", "Alexander", "Sandy"),
    ("Jonathan", "John", "Jon"),
    ("Harold", "Henry", "Harry"),
];

/// Latin names written only with letters that have a Cyrillic look-alike in upper case.
const CONFUSABLE_GIVEN: &[&str] = &[
    "Tom", "Sam", "Maya", "Kate", "Jose", "Amy", "Mia", "Kim", "Tim", "Bea", "Esma", "Heiko", "Etta", "Maike", "Aiko",
];
const CONFUSABLE_FAMILY: &[&str] =
    &["Smith", "Esposito", "Costa", "Koch", "Bach", "Sato", "Kato", "Ito", "Hayes", "Moss", "Beck", "Mayo", "Abbott"];

// ---------------------------------------------------------------------------------------------
// Places. (city, region code, region name, postal prefix) per country.
// ---------------------------------------------------------------------------------------------

struct City {
    name: &'static str,
    region: &'static str,
    region_name: &'static str,
    postal: &'static str,
}

const fn city(name: &'static str, region: &'static str, region_name: &'static str, postal: &'static str) -> City {
    City { name, region, region_name, postal }
}

const US: &[City] = &[
    city("Springfield", "IL", "Illinois", "627"),
    city("Austin", "TX", "Texas", "787"),
    city("Portland", "OR", "Oregon", "972"),
    city("Columbus", "OH", "Ohio", "432"),
    city("Denver", "CO", "Colorado", "802"),
    city("Raleigh", "NC", "North Carolina", "276"),
    city("Boston", "MA", "Massachusetts", "021"),
    city("Seattle", "WA", "Washington", "981"),
    city("St. Louis", "MO", "Missouri", "631"),
    city("San Jose", "CA", "California", "951"),
];
const CA: &[City] = &[
    city("Toronto", "ON", "Ontario", "M5V"),
    city("Ottawa", "ON", "Ontario", "K1P"),
    city("Montréal", "QC", "Québec", "H2X"),
    city("Vancouver", "BC", "British Columbia", "V6B"),
    city("Calgary", "AB", "Alberta", "T2P"),
    city("Halifax", "NS", "Nova Scotia", "B3H"),
];
const GB: &[City] = &[
    city("London", "", "", "SW1A"),
    city("Manchester", "", "", "M1"),
    city("Edinburgh", "", "", "EH1"),
    city("Cardiff", "", "", "CF10"),
    city("Bristol", "", "", "BS1"),
    city("Leeds", "", "", "LS1"),
];
const DE: &[City] = &[
    city("Berlin", "", "", "101"),
    city("München", "", "", "803"),
    city("Hamburg", "", "", "200"),
    city("Köln", "", "", "506"),
    city("Frankfurt am Main", "", "", "603"),
    city("Düsseldorf", "", "", "402"),
];
const FR: &[City] = &[
    city("Paris", "", "", "750"),
    city("Lyon", "", "", "690"),
    city("Marseille", "", "", "130"),
    city("Toulouse", "", "", "310"),
    city("Nantes", "", "", "440"),
    city("Saint-Étienne", "", "", "420"),
];
const AU: &[City] = &[
    city("Sydney", "NSW", "New South Wales", "20"),
    city("Melbourne", "VIC", "Victoria", "30"),
    city("Brisbane", "QLD", "Queensland", "40"),
    city("Perth", "WA", "Western Australia", "60"),
    city("Adelaide", "SA", "South Australia", "50"),
    city("Hobart", "TAS", "Tasmania", "70"),
];

const COUNTRIES: &[(&str, &str, &[City])] = &[
    ("US", "United States", US),
    ("CA", "Canada", CA),
    ("GB", "United Kingdom", GB),
    ("DE", "Germany", DE),
    ("FR", "France", FR),
    ("AU", "Australia", AU),
];

const EN_STREETS: &[&str] = &[
    "Main",
    "Oak",
    "Maple",
    "Cedar",
    "Washington",
    "Lincoln",
    "Park",
    "Lake",
    "Hill",
    "Elm",
    "Pine",
    "Sunset",
    "Victoria",
    "George",
    "King",
    "Queen",
    "Church",
    "Station",
    "Mill",
    "Highland",
];
/// (long, abbreviated) street types.
const EN_TYPES: &[(&str, &str)] = &[
    ("Street", "St"),
    ("Avenue", "Ave"),
    ("Road", "Rd"),
    ("Drive", "Dr"),
    ("Lane", "Ln"),
    ("Boulevard", "Blvd"),
    ("Court", "Ct"),
    ("Place", "Pl"),
];
const DE_STREETS: &[&str] = &["Haupt", "Bahnhof", "Goethe", "Schiller", "Linden", "Garten", "Kirch", "Berliner"];
const FR_STREETS: &[(&str, &str)] = &[
    ("rue de la Paix", "r. de la Paix"),
    ("rue Victor Hugo", "r. Victor Hugo"),
    ("avenue Jean Jaurès", "av. Jean Jaurès"),
    ("boulevard Voltaire", "bd Voltaire"),
    ("rue du Moulin", "r. du Moulin"),
    ("avenue de la République", "av. de la République"),
];

// ---------------------------------------------------------------------------------------------
// A person and their two renderings.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Address {
    pub country: usize,
    pub city: usize,
    pub number: u32,
    /// Street name (en: name; de: stem; fr: index into FR_STREETS as text).
    pub street: usize,
    pub street_type: usize,
    pub unit: Option<u32>,
    pub postal: String,
    pub zip4: String,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub culture: usize,
    pub given: String,
    pub middle: Option<String>,
    pub family: String,
    pub birth: (u32, u32, u32),
    pub address: Address,
    /// National significant number digits (without trunk prefix).
    pub phone: String,
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn random_date(rng: &mut Rng) -> (u32, u32, u32) {
    let y = rng.range(1950, 2004);
    let m = rng.range(1, 12);
    (y, m, rng.range(1, days_in(y, m)))
}

fn iso((y, m, d): (u32, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

const MONTHS: &[&str] = &["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_LONG: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.below(10) as u8)).collect()
}

fn letter(rng: &mut Rng, from: &str) -> char {
    let b = from.as_bytes();
    char::from(b[rng.below(b.len())])
}

fn random_address(rng: &mut Rng) -> Address {
    let country = rng.below(COUNTRIES.len());
    let (code, _, cities) = COUNTRIES[country];
    let city = rng.below(cities.len());
    let prefix = cities[city].postal;
    let postal = match code {
        "US" => format!("{prefix}{}", digits(rng, 2)),
        "CA" => format!("{prefix} {}{}{}", digits(rng, 1), letter(rng, "ABCEGHJKLMNPRSTVWXYZ"), digits(rng, 1)),
        "GB" => format!(
            "{prefix} {}{}{}",
            digits(rng, 1),
            letter(rng, "ABDEFGHJLNPQRSTUWXYZ"),
            letter(rng, "ABDEFGHJLNPQRSTUWXYZ")
        ),
        "AU" => format!("{prefix}{}", digits(rng, 2)),
        _ => format!("{prefix}{}", digits(rng, 2)),
    };
    let street = match code {
        "DE" => rng.below(DE_STREETS.len()),
        "FR" => rng.below(FR_STREETS.len()),
        _ => rng.below(EN_STREETS.len()),
    };
    let unit = (matches!(code, "US" | "CA" | "AU" | "GB") && rng.chance(0.3)).then(|| rng.range(1, 40));
    Address {
        country,
        city,
        number: rng.range(1, 299),
        street,
        street_type: rng.below(EN_TYPES.len()),
        unit,
        postal,
        zip4: digits(rng, 4),
    }
}

fn random_phone(rng: &mut Rng, country: &str) -> String {
    match country {
        "US" | "CA" => format!("{}{}{}", rng.range(201, 989), rng.range(200, 989), digits(rng, 4)),
        "GB" => format!("7{}", digits(rng, 9)),
        "DE" => format!("15{}", digits(rng, 9)),
        "FR" => format!("{}{}", rng.range(6, 7), digits(rng, 8)),
        _ => format!("4{}", digits(rng, 8)),
    }
}

fn random_person_in(rng: &mut Rng, culture: usize) -> Person {
    let c = &CULTURES[culture];
    let given = rng.pick(c.given).to_string();
    let middle = if c.middle && rng.chance(0.3) {
        let m = rng.pick(c.given).to_string();
        (m != given).then_some(m)
    } else {
        None
    };
    let address = random_address(rng);
    let phone = random_phone(rng, COUNTRIES[address.country].0);
    Person { culture, given, middle, family: rng.pick(c.family).to_string(), birth: random_date(rng), address, phone }
}

fn random_person(rng: &mut Rng) -> Person {
    let culture = rng.below(CULTURES.len());
    random_person_in(rng, culture)
}

impl Address {
    fn code(&self) -> &'static str {
        COUNTRIES[self.country].0
    }

    fn city(&self) -> &'static City {
        &COUNTRIES[self.country].2[self.city]
    }

    /// The street line; `short` uses the abbreviated street type.
    fn street_line(&self, short: bool, unit_style: usize) -> String {
        let n = self.number;
        let base = match self.code() {
            "DE" => {
                let stem = DE_STREETS[self.street];
                if short {
                    format!("{stem}str. {n}")
                } else {
                    format!("{stem}straße {n}")
                }
            }
            "FR" => {
                let (long, abbr) = FR_STREETS[self.street];
                format!("{n} {}", if short { abbr } else { long })
            }
            _ => {
                let (long, abbr) = EN_TYPES[self.street_type];
                format!("{n} {} {}", EN_STREETS[self.street], if short { abbr } else { long })
            }
        };
        match self.unit {
            None => base,
            Some(u) => match (self.code(), unit_style) {
                ("GB", _) => format!("Flat {u}, {base}"),
                ("AU", 0) => format!("Unit {u}, {base}"),
                ("AU", _) => format!("{u}/{base}"),
                (_, 0) => format!("{base} Apt {u}"),
                (_, 1) => format!("{base} #{u}"),
                _ => format!("{base} Apt. {u}"),
            },
        }
    }
}

/// The Okta profile as the directory holds it.
pub fn profile_of(p: &Person) -> Map<String, Value> {
    let a = &p.address;
    let mut m = Map::new();
    m.insert("firstName".into(), json!(p.given));
    m.insert("lastName".into(), json!(p.family));
    if let Some(mid) = &p.middle {
        m.insert("middleName".into(), json!(mid));
    }
    m.insert("birthdate".into(), json!(iso(p.birth)));
    m.insert("streetAddress".into(), json!(a.street_line(false, 0)));
    m.insert("city".into(), json!(a.city().name));
    if !a.city().region.is_empty() {
        m.insert("state".into(), json!(a.city().region));
    }
    m.insert("zipCode".into(), json!(a.postal));
    m.insert("countryCode".into(), json!(a.code()));
    m.insert("mobilePhone".into(), json!(e164(p)));
    m
}

fn calling_code(country: &str) -> &'static str {
    match country {
        "US" | "CA" => "1",
        "GB" => "44",
        "DE" => "49",
        "FR" => "33",
        _ => "61",
    }
}

fn e164(p: &Person) -> String {
    format!("+{}{}", calling_code(p.address.code()), p.phone)
}

fn national_phone(p: &Person) -> String {
    let n = &p.phone;
    match p.address.code() {
        "US" | "CA" => format!("({}) {}-{}", &n[0..3], &n[3..6], &n[6..]),
        "FR" => format!("0{} {} {} {} {}", &n[0..1], &n[1..3], &n[3..5], &n[5..7], &n[7..]),
        _ => format!("0{} {}", &n[0..4], &n[4..]),
    }
}

/// The verified claims as an IDV vendor reports them from the document: names, birthdate, and the
/// address when the document carries one (ID cards, driving licences; not passports).
pub fn verified_of(p: &Person, with_address: bool) -> Map<String, Value> {
    let a = &p.address;
    let mut m = Map::new();
    m.insert("given_name".into(), json!(p.given));
    m.insert("family_name".into(), json!(p.family));
    if let Some(mid) = &p.middle {
        m.insert("middle_name".into(), json!(mid));
    }
    m.insert("birthdate".into(), json!(iso(p.birth)));
    if with_address {
        let mut addr = Map::new();
        addr.insert("street_address".into(), json!(a.street_line(false, 0)));
        addr.insert("locality".into(), json!(a.city().name));
        if !a.city().region.is_empty() {
            addr.insert("region".into(), json!(a.city().region));
        }
        addr.insert("postal_code".into(), json!(a.postal));
        addr.insert("country".into(), json!(a.code()));
        m.insert("address".into(), Value::Object(addr));
    }
    m
}

// ---------------------------------------------------------------------------------------------
// Text transformations.
// ---------------------------------------------------------------------------------------------

/// Drops diacritics (José → Jose, Łukasz → Lukasz, Søren → Soren, Đặng → Dang).
pub fn strip_diacritics(s: &str) -> String {
    let pre: String = s
        .chars()
        .map(|c| match c {
            'ł' => "l".to_string(),
            'Ł' => "L".to_string(),
            'đ' => "d".to_string(),
            'Đ' => "D".to_string(),
            'ø' => "o".to_string(),
            'Ø' => "O".to_string(),
            'æ' => "ae".to_string(),
            'Æ' => "AE".to_string(),
            'ß' => "ss".to_string(),
            'ı' => "i".to_string(),
            other => other.to_string(),
        })
        .collect();
    pre.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// German/Nordic (and ICAO 9303) spelling-out: Müller → Mueller, Søren → Soeren, Åsa → Aasa.
pub fn spell_out(s: &str) -> String {
    let pre: String = s
        .chars()
        .map(|c| match c {
            'ä' => "ae".to_string(),
            'Ä' => "Ae".to_string(),
            'ö' => "oe".to_string(),
            'Ö' => "Oe".to_string(),
            'ü' => "ue".to_string(),
            'Ü' => "Ue".to_string(),
            'ø' => "oe".to_string(),
            'Ø' => "Oe".to_string(),
            'å' => "aa".to_string(),
            'Å' => "Aa".to_string(),
            other => other.to_string(),
        })
        .collect();
    strip_diacritics(&pre)
}

fn has_spellable(s: &str) -> bool {
    s.chars().any(|c| "äöüÄÖÜøØåÅßæÆ".contains(c))
}

/// The name as an MRZ reader returns it: ICAO transliteration, upper case, `<` fillers (hyphens,
/// spaces) read back as spaces, apostrophes omitted.
pub fn mrz_name(s: &str) -> String {
    spell_out(s).to_uppercase().replace('-', " ").replace(['\'', '’'], "")
}

fn mrz_date((y, m, d): (u32, u32, u32)) -> String {
    format!("{:02}{m:02}{d:02}", y % 100)
}

const ADJACENT: &[(char, &str)] = &[
    ('a', "sqz"),
    ('e', "wrd"),
    ('i', "uok"),
    ('o', "ipl"),
    ('u', "yij"),
    ('n', "bmh"),
    ('r', "etf"),
    ('s', "adw"),
    ('t', "ryg"),
    ('l', "kop"),
    ('m', "nj"),
    ('h', "gjn"),
    ('c', "xvd"),
    ('k', "jli"),
    ('g', "fht"),
    ('d', "sfe"),
];

/// One keyboard typo at an interior position (not the first or last letter): substitution by a
/// neighbouring key, deletion, doubling, or transposition of two neighbours.
fn typo(rng: &mut Rng, s: &str) -> (String, &'static str) {
    let mut chars: Vec<char> = s.chars().collect();
    let interior: Vec<usize> = (1..chars.len() - 1).filter(|&i| chars[i].is_ascii_lowercase()).collect();
    let i = *rng.pick(&interior);
    match rng.below(4) {
        0 => {
            let c = chars[i];
            let repl = ADJACENT.iter().find(|(k, _)| *k == c).map_or("e", |(_, n)| n);
            let r = repl.as_bytes()[rng.below(repl.len())];
            chars[i] = char::from(r);
            (chars.into_iter().collect(), "substitution")
        }
        1 => {
            chars.remove(i);
            (chars.into_iter().collect(), "deletion")
        }
        2 => {
            chars.insert(i, chars[i]);
            (chars.into_iter().collect(), "doubling")
        }
        _ => {
            let j = if i + 1 < chars.len() - 1 { i + 1 } else { i - 1 };
            chars.swap(i, j);
            (chars.into_iter().collect(), "transposition")
        }
    }
}

/// Latin → Cyrillic look-alikes (both cases), and Latin → Greek look-alikes (upper case).
const CYRILLIC_LOOKALIKE: &[(char, char)] = &[
    ('a', 'а'),
    ('c', 'с'),
    ('e', 'е'),
    ('i', 'і'),
    ('j', 'ј'),
    ('o', 'о'),
    ('p', 'р'),
    ('s', 'ѕ'),
    ('x', 'х'),
    ('y', 'у'),
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('I', 'І'),
    ('J', 'Ј'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('S', 'Ѕ'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'Ү'),
];
const GREEK_LOOKALIKE: &[(char, char)] = &[
    ('A', 'Α'),
    ('B', 'Β'),
    ('E', 'Ε'),
    ('H', 'Η'),
    ('I', 'Ι'),
    ('K', 'Κ'),
    ('M', 'Μ'),
    ('N', 'Ν'),
    ('O', 'Ο'),
    ('P', 'Ρ'),
    ('T', 'Τ'),
    ('X', 'Χ'),
    ('Y', 'Υ'),
    ('Z', 'Ζ'),
    ('o', 'ο'),
    ('v', 'ν'),
];

/// Substitutes one look-alike letter; `None` when the name has no letter with a look-alike.
fn homoglyph(rng: &mut Rng, s: &str, table: &[(char, char)]) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let spots: Vec<usize> = (0..chars.len()).filter(|&i| table.iter().any(|(l, _)| *l == chars[i])).collect();
    if spots.is_empty() {
        return None;
    }
    let i = *rng.pick(&spots);
    let mut out = chars.clone();
    out[i] = table.iter().find(|(l, _)| *l == chars[i]).map(|(_, g)| *g).expect("spot has a look-alike");
    Some(out.into_iter().collect())
}

fn whole_script_cyrillic(s: &str) -> String {
    s.chars().map(|c| CYRILLIC_LOOKALIKE.iter().find(|(l, _)| *l == c).map_or(c, |(_, g)| *g)).collect()
}

/// Invisible and bidi characters an attacker can slip into a name.
const INVISIBLES: &[(char, &str)] = &[
    ('\u{200B}', "ZWSP"),
    ('\u{200C}', "ZWNJ"),
    ('\u{200D}', "ZWJ"),
    ('\u{2060}', "WJ"),
    ('\u{FEFF}', "BOM"),
    ('\u{00AD}', "SHY"),
    ('\u{202E}', "RLO"),
    ('\u{202A}', "LRE"),
    ('\u{2066}', "LRI"),
    ('\u{200F}', "RLM"),
    ('\u{061C}', "ALM"),
];

// ---------------------------------------------------------------------------------------------
// Classes and cases.
// ---------------------------------------------------------------------------------------------

/// A labelled pair.
#[derive(Clone, Debug)]
pub struct Case {
    pub class: &'static str,
    pub same_person: bool,
    /// What exactly this case varied (for diagnosing a class), e.g. `Kevin/Kelvin`.
    pub detail: String,
    pub verified: Value,
    pub profile: Value,
}

pub const POSITIVE_CLASSES: &[&str] = &[
    "exact",
    "id_upper_case",
    "diacritics_dropped",
    "transliterated_de_nordic",
    "icao_mrz",
    "nickname_in_directory",
    "compound_surname_one_side",
    "middle_in_given_one_side",
    "hyphen_vs_space",
    "honorific_or_suffix_one_side",
    "typo_in_directory_long_name",
    "ocr_digit_in_id",
    "address_written_differently",
    "phone_national_vs_e164",
    "birthdate_other_format",
    "swapped_given_family",
    "combined_passport",
    "cyrillic_directory_latin_id",
];

pub const NEGATIVE_CLASSES: &[&str] = &[
    "same_family_same_dob_other_given",
    "same_family_same_dob_near_given",
    "namesake_dob_one_day_off",
    "namesake_dob_day_month_swapped",
    "namesake_dob_other_year",
    "same_street_and_postcode",
    "twins",
    "twins_shared_short_form",
    "parent_child_jr_sr",
    "homoglyph_cyrillic_or_greek",
    "invisible_or_bidi_inserted",
    "whole_script_cyrillic_lookalike",
];

fn obj(m: Map<String, Value>) -> Value {
    Value::Object(m)
}

/// A person from a culture whose names satisfy `ok`, or `None` after a bounded search.
fn person_where(rng: &mut Rng, ok: impl Fn(&Person) -> bool) -> Option<Person> {
    (0..400).map(|_| random_person(rng)).find(|p| ok(p))
}

fn latin(p: &Person) -> bool {
    p.culture != RU_CYRL
}

fn map_names(m: &mut Map<String, Value>, keys: &[&str], f: impl Fn(&str) -> String) {
    for k in keys {
        if let Some(Value::String(s)) = m.get(*k) {
            let v = f(s);
            m.insert((*k).to_string(), json!(v));
        }
    }
}

const V_NAMES: &[&str] = &["given_name", "family_name", "middle_name"];

fn upper_address(m: &mut Map<String, Value>) {
    if let Some(Value::Object(a)) = m.get_mut("address") {
        for v in a.values_mut() {
            if let Value::String(s) = v {
                *s = s.to_uppercase();
            }
        }
    }
}

/// One case of `class`; `None` when the drawn person does not suit the class (the caller redraws).
fn make(rng: &mut Rng, class: &'static str) -> Option<Case> {
    let with_address = rng.chance(0.7);
    let pos = |detail: String, v: Map<String, Value>, d: Map<String, Value>| {
        Some(Case { class, same_person: true, detail, verified: obj(v), profile: obj(d) })
    };
    let neg = |detail: String, v: Map<String, Value>, d: Map<String, Value>| {
        Some(Case { class, same_person: false, detail, verified: obj(v), profile: obj(d) })
    };
    match class {
        "exact" => {
            let p = random_person(rng);
            pos(CULTURES[p.culture].code.into(), verified_of(&p, with_address), profile_of(&p))
        }
        "id_upper_case" => {
            let p = random_person(rng);
            let mut v = verified_of(&p, with_address);
            map_names(&mut v, V_NAMES, str::to_uppercase);
            upper_address(&mut v);
            pos(CULTURES[p.culture].code.into(), v, profile_of(&p))
        }
        "diacritics_dropped" => {
            let p = person_where(rng, |p| {
                latin(p) && strip_diacritics(&format!("{}{}", p.given, p.family)) != format!("{}{}", p.given, p.family)
            })?;
            let mut v = verified_of(&p, with_address);
            map_names(&mut v, V_NAMES, |s| strip_diacritics(s).to_uppercase());
            pos(format!("{} {}", p.given, p.family), v, profile_of(&p))
        }
        "transliterated_de_nordic" => {
            let p = person_where(rng, |p| has_spellable(&p.given) || has_spellable(&p.family))?;
            let mut v = verified_of(&p, with_address);
            map_names(&mut v, V_NAMES, |s| spell_out(s).to_uppercase());
            pos(format!("{} {}", p.given, p.family), v, profile_of(&p))
        }
        "icao_mrz" => {
            // A passport: no address; names and date read from the machine-readable zone.
            let p = person_where(rng, latin)?;
            let mut v = verified_of(&p, false);
            map_names(&mut v, V_NAMES, mrz_name);
            v.insert("birthdate".into(), json!(mrz_date(p.birth)));
            pos(format!("{} {}", mrz_name(&p.given), mrz_name(&p.family)), v, profile_of(&p))
        }
        "nickname_in_directory" => {
            let mut p = person_where(rng, latin)?;
            let (formal, short) = *rng.pick(NICKNAMES);
            p.given = formal.into();
            p.middle = None;
            let v = verified_of(&p, with_address);
            let mut d = profile_of(&p);
            d.insert("firstName".into(), json!(short));
            pos(format!("{formal}/{short}"), v, d)
        }
        "compound_surname_one_side" => {
            let p = person_where(rng, |p| CULTURES[p.culture].code == "es" || CULTURES[p.culture].code == "pt")?;
            let parts: Vec<&str> = p.family.split(' ').collect();
            if parts.len() != 2 {
                return None;
            }
            let mut v = verified_of(&p, with_address);
            let mut d = profile_of(&p);
            let detail = if rng.chance(0.5) {
                d.insert("lastName".into(), json!(parts[0]));
                format!("ID {} / dir {}", p.family, parts[0])
            } else {
                v.insert("family_name".into(), json!(parts[0]));
                format!("ID {} / dir {}", parts[0], p.family)
            };
            pos(detail, v, d)
        }
        "middle_in_given_one_side" => {
            let mut p = person_where(rng, |p| CULTURES[p.culture].middle)?;
            let mid = loop {
                let m = rng.pick(CULTURES[p.culture].given).to_string();
                if m != p.given {
                    break m;
                }
            };
            p.middle = Some(mid.clone());
            let mut v = verified_of(&p, with_address);
            let mut d = profile_of(&p);
            let both = format!("{} {}", p.given, mid);
            let detail = if rng.chance(0.5) {
                v.insert("given_name".into(), json!(both));
                v.remove("middle_name");
                "ID given+middle".to_string()
            } else {
                d.insert("firstName".into(), json!(both));
                d.remove("middleName");
                "directory given+middle".to_string()
            };
            pos(detail, v, d)
        }
        "hyphen_vs_space" => {
            let p = person_where(rng, |p| {
                p.given.contains('-')
                    || p.family.contains('-')
                    || p.family.contains(' ')
                        && !p.family.starts_with("de ")
                        && !p.family.starts_with("von ")
                        && !p.family.starts_with("De ")
                        && !p.family.starts_with("Le ")
                        && !p.family.starts_with("Al ")
            })?;
            let mut v = verified_of(&p, with_address);
            let swap = |s: &str| if s.contains('-') { s.replace('-', " ") } else { s.replace(' ', "-") };
            map_names(&mut v, &["given_name", "family_name"], swap);
            let detail = format!("{} {} -> {} {}", p.given, p.family, v["given_name"], v["family_name"]);
            pos(detail, v, profile_of(&p))
        }
        "honorific_or_suffix_one_side" => {
            let p = person_where(rng, latin)?;
            let v = verified_of(&p, with_address);
            let mut d = profile_of(&p);
            let forms: &[(&str, bool)] = &[
                ("Dr. {}", true),
                ("Prof. {}", true),
                ("Mrs {}", true),
                ("{}, PhD", false),
                ("{} Jr.", false),
                ("{} III", false),
                ("{}, MD", false),
            ];
            let (form, given) = *rng.pick(forms);
            let key = if given { "firstName" } else { "lastName" };
            let base = if given { &p.given } else { &p.family };
            d.insert(key.into(), json!(form.replace("{}", base)));
            pos(form.to_string(), v, d)
        }
        "typo_in_directory_long_name" => {
            let p = person_where(rng, |p| {
                let ascii_long = |s: &str| s.chars().count() >= 8 && s.chars().all(|c| c.is_ascii_alphabetic());
                ascii_long(&p.given) || ascii_long(&p.family)
            })?;
            let ascii_long = |s: &str| s.chars().count() >= 8 && s.chars().all(|c| c.is_ascii_alphabetic());
            let on_family = ascii_long(&p.family) && (!ascii_long(&p.given) || rng.chance(0.5));
            let name = if on_family { &p.family } else { &p.given };
            let (typoed, kind) = typo(rng, name);
            let v = verified_of(&p, with_address);
            let mut d = profile_of(&p);
            d.insert(if on_family { "lastName" } else { "firstName" }.into(), json!(typoed));
            pos(format!("{kind}: {name} -> {typoed}"), v, d)
        }
        "ocr_digit_in_id" => {
            let p = person_where(rng, |p| {
                latin(p) && strip_diacritics(&format!("{}{}", p.given, p.family)).to_uppercase().contains(['O', 'I'])
            })?;
            let mut v = verified_of(&p, with_address);
            map_names(&mut v, V_NAMES, |s| strip_diacritics(s).to_uppercase());
            let keys: Vec<&str> = ["given_name", "family_name"]
                .into_iter()
                .filter(|k| v[*k].as_str().is_some_and(|s| s.contains(['O', 'I'])))
                .collect();
            let key = *rng.pick(&keys);
            let s = v[key].as_str().expect("name").to_string();
            let spots: Vec<usize> = s.char_indices().filter(|(_, c)| *c == 'O' || *c == 'I').map(|(i, _)| i).collect();
            let at = *rng.pick(&spots);
            let mut out = s.clone();
            let digit = if &s[at..at + 1] == "O" { "0" } else { "1" };
            out.replace_range(at..at + 1, digit);
            v.insert(key.into(), json!(out));
            pos(format!("{s} -> {out}"), v, profile_of(&p))
        }
        "address_written_differently" => {
            let p = random_person(rng);
            let mut v = verified_of(&p, true);
            let mut d = profile_of(&p);
            let a = &p.address;
            let code = a.code();
            let mut choices: Vec<&str> = vec!["street_type_abbreviated", "country_name", "upper_case"];
            if a.unit.is_some() && matches!(code, "US" | "CA" | "AU") {
                choices.push("unit_style");
            }
            if code == "US" {
                choices.extend(["zip_plus_4", "region_name"]);
            }
            if matches!(code, "CA" | "AU") {
                choices.push("region_name");
            }
            if matches!(code, "CA" | "GB") {
                choices.push("postcode_no_space");
            }
            let choice = *rng.pick(&choices);
            let addr = v.get_mut("address").and_then(Value::as_object_mut).expect("address");
            match choice {
                "street_type_abbreviated" => {
                    addr.insert("street_address".into(), json!(a.street_line(true, 0)));
                }
                "country_name" => {
                    addr.insert("country".into(), json!(COUNTRIES[a.country].1));
                }
                "upper_case" => {
                    for val in addr.values_mut() {
                        if let Value::String(s) = val {
                            *s = s.to_uppercase();
                        }
                    }
                }
                "unit_style" => {
                    addr.insert("street_address".into(), json!(a.street_line(false, 1)));
                }
                "zip_plus_4" => {
                    d.insert("zipCode".into(), json!(format!("{}-{}", a.postal, a.zip4)));
                }
                "region_name" => {
                    addr.insert("region".into(), json!(a.city().region_name));
                }
                _ => {
                    addr.insert("postal_code".into(), json!(a.postal.replace(' ', "")));
                }
            }
            let written =
                v["address"]["street_address"].as_str().unwrap_or_default().replace(|c: char| c.is_ascii_digit(), "");
            pos(format!("{code}: {choice} ({})", written.trim()), v, d)
        }
        "phone_national_vs_e164" => {
            let p = random_person(rng);
            let mut v = verified_of(&p, with_address);
            let mut d = profile_of(&p);
            v.insert("phone_number".into(), json!(e164(&p)));
            d.insert("mobilePhone".into(), json!(national_phone(&p)));
            pos(format!("{}: {}", p.address.code(), national_phone(&p)), v, d)
        }
        "birthdate_other_format" => {
            let p = random_person(rng);
            let mut v = verified_of(&p, with_address);
            let (y, m, dd) = p.birth;
            let forms = [
                format!("{dd} {} {y}", MONTHS[m as usize - 1]),
                format!("{} {dd}, {y}", MONTHS_LONG[m as usize - 1]),
                mrz_date(p.birth),
                format!("{y:04}{m:02}{dd:02}"),
                format!("{}T00:00:00Z", iso(p.birth)),
            ];
            let f = rng.pick(&forms).clone();
            v.insert("birthdate".into(), json!(f));
            pos(f, v, profile_of(&p))
        }
        "swapped_given_family" => {
            let p = random_person(rng);
            let mut v = verified_of(&p, with_address);
            v.insert("given_name".into(), json!(p.family));
            v.insert("family_name".into(), json!(p.given));
            pos(CULTURES[p.culture].code.into(), v, profile_of(&p))
        }
        "combined_passport" => {
            // The usual passport against Okta: MRZ names and date, no address.
            let p = person_where(rng, latin)?;
            let mut v = verified_of(&p, false);
            map_names(&mut v, V_NAMES, |s| strip_diacritics(s).to_uppercase());
            v.insert("birthdate".into(), json!(mrz_date(p.birth)));
            let mut d = profile_of(&p);
            d.insert("mobilePhone".into(), json!(national_phone(&p)));
            pos(format!("{} {}", p.given, p.family), v, d)
        }
        "cyrillic_directory_latin_id" => {
            let i = rng.below(CULTURES[RU_CYRL].given.len());
            let j = rng.below(CULTURES[RU_CYRL].family.len());
            let mut p = random_person_in(rng, RU_CYRL);
            p.given = CULTURES[RU_CYRL].given[i].into();
            p.family = CULTURES[RU_CYRL].family[j].into();
            let mut v = verified_of(&p, false);
            v.insert("given_name".into(), json!(CULTURES[RU_LATN].given[i].to_uppercase()));
            v.insert("family_name".into(), json!(CULTURES[RU_LATN].family[j].to_uppercase()));
            pos(format!("{} {}", p.given, p.family), v, profile_of(&p))
        }
        // ----- hard negatives -----
        "same_family_same_dob_other_given" => {
            let victim = random_person(rng);
            let mut attacker = random_person_in(rng, victim.culture);
            if strip_diacritics(&attacker.given).to_lowercase() == strip_diacritics(&victim.given).to_lowercase() {
                return None;
            }
            attacker.family = victim.family.clone();
            attacker.birth = victim.birth;
            attacker.middle = None;
            neg(
                format!("{} / {}", attacker.given, victim.given),
                verified_of(&attacker, with_address),
                profile_of(&victim),
            )
        }
        "same_family_same_dob_near_given" => {
            let victim = person_where(rng, latin)?;
            let (a, b) = *rng.pick(NEAR_NAMES);
            let (vg, ag) = if rng.chance(0.5) { (a, b) } else { (b, a) };
            let mut victim = victim;
            victim.given = vg.into();
            victim.middle = None;
            let mut attacker = random_person(rng);
            attacker.given = ag.into();
            attacker.middle = None;
            attacker.family = victim.family.clone();
            attacker.birth = victim.birth;
            neg(format!("{ag} / {vg}"), verified_of(&attacker, with_address), profile_of(&victim))
        }
        "namesake_dob_one_day_off" | "namesake_dob_day_month_swapped" | "namesake_dob_other_year" => {
            let victim = random_person(rng);
            let mut attacker = random_person(rng);
            attacker.given = victim.given.clone();
            attacker.family = victim.family.clone();
            attacker.middle = victim.middle.clone();
            let (y, m, d) = victim.birth;
            attacker.birth = match class {
                "namesake_dob_one_day_off" => {
                    if rng.chance(0.5) && d < days_in(y, m) {
                        (y, m, d + 1)
                    } else if d > 1 {
                        (y, m, d - 1)
                    } else {
                        (y, m, d + 1)
                    }
                }
                "namesake_dob_day_month_swapped" => {
                    if d > 12 || d == m {
                        return None;
                    }
                    (y, d, m)
                }
                _ => {
                    let dy = rng.range(1, 30);
                    let ny = if rng.chance(0.5) { y + dy } else { y - dy };
                    if m == 2 && d == 29 {
                        return None;
                    }
                    (ny, m, d)
                }
            };
            neg(
                format!("{} / {}", iso(attacker.birth), iso(victim.birth)),
                verified_of(&attacker, with_address),
                profile_of(&victim),
            )
        }
        "same_street_and_postcode" => {
            let victim = random_person(rng);
            let mut attacker = random_person(rng);
            attacker.address = victim.address.clone();
            if attacker.given == victim.given && attacker.family == victim.family {
                return None;
            }
            neg(
                format!("{} {} / {} {}", attacker.given, attacker.family, victim.given, victim.family),
                verified_of(&attacker, true),
                profile_of(&victim),
            )
        }
        "twins" => {
            let mut victim = random_person(rng);
            let mut attacker = victim.clone();
            attacker.middle = None;
            victim.middle = None;
            if rng.chance(0.5) {
                let (a, b) = *rng.pick(NEAR_NAMES);
                victim.given = a.into();
                attacker.given = b.into();
            } else {
                attacker.given = rng.pick(CULTURES[victim.culture].given).to_string();
                if strip_diacritics(&attacker.given).to_lowercase() == strip_diacritics(&victim.given).to_lowercase() {
                    return None;
                }
            }
            attacker.phone = random_phone(rng, victim.address.code());
            neg(format!("{} / {}", attacker.given, victim.given), verified_of(&attacker, true), profile_of(&victim))
        }
        "twins_shared_short_form" => {
            // The victim is registered under a short form that the twin's formal name also has.
            let mut victim = person_where(rng, latin)?;
            victim.middle = None;
            let (victim_formal, twin_formal, short) = *rng.pick(SHARED_SHORT_FORMS);
            victim.given = victim_formal.into();
            let mut attacker = victim.clone();
            attacker.given = twin_formal.into();
            attacker.phone = random_phone(rng, victim.address.code());
            let mut d = profile_of(&victim);
            d.insert("firstName".into(), json!(short));
            neg(format!("{twin_formal} / {short} ({victim_formal})"), verified_of(&attacker, true), d)
        }
        "parent_child_jr_sr" => {
            let victim = person_where(rng, latin)?;
            let mut attacker = victim.clone();
            let (y, m, d) = victim.birth;
            let gap = rng.range(20, 40);
            let older = rng.chance(0.5);
            let ny = if older { y - gap } else { y + gap };
            if ny > 2008 || (m == 2 && d == 29) {
                return None;
            }
            attacker.birth = (ny, m, d);
            let with_shared_address = rng.chance(0.5);
            if !with_shared_address {
                attacker.address = random_address(rng);
            }
            let (att_suffix, vic_suffix) = if older { ("Sr.", "Jr.") } else { ("Jr.", "Sr.") };
            let mut v = verified_of(&attacker, with_address);
            let mut dir = profile_of(&victim);
            let detail = match rng.below(3) {
                0 => {
                    v.insert("family_name".into(), json!(format!("{} {att_suffix}", attacker.family)));
                    dir.insert("lastName".into(), json!(format!("{} {vic_suffix}", victim.family)));
                    "suffix both sides"
                }
                1 => {
                    dir.insert("lastName".into(), json!(format!("{} {vic_suffix}", victim.family)));
                    "suffix in directory only"
                }
                _ => "no suffixes",
            };
            neg(detail.into(), v, dir)
        }
        "homoglyph_cyrillic_or_greek" => {
            let victim = person_where(rng, latin)?;
            let mut v = verified_of(&victim, with_address);
            if rng.chance(0.5) {
                map_names(&mut v, V_NAMES, str::to_uppercase);
            }
            let key = if rng.chance(0.5) { "given_name" } else { "family_name" };
            let s = v[key].as_str().expect("name").to_string();
            let table = if rng.chance(0.7) { CYRILLIC_LOOKALIKE } else { GREEK_LOOKALIKE };
            let out = homoglyph(rng, &s, table).or_else(|| homoglyph(rng, &s, CYRILLIC_LOOKALIKE))?;
            v.insert(key.into(), json!(out));
            neg(format!("{key}: {}", out.escape_unicode()), v, profile_of(&victim))
        }
        "invisible_or_bidi_inserted" => {
            let victim = person_where(rng, latin)?;
            let mut v = verified_of(&victim, with_address);
            let key = if rng.chance(0.5) { "given_name" } else { "family_name" };
            let s = v[key].as_str().expect("name").to_string();
            let (ch, label) = *rng.pick(INVISIBLES);
            let boundaries: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            let at = *rng.pick(&boundaries);
            let mut out = s.clone();
            out.insert(at, ch);
            v.insert(key.into(), json!(out));
            neg(format!("{key}: {label} at byte {at}"), v, profile_of(&victim))
        }
        "whole_script_cyrillic_lookalike" => {
            let mut victim = random_person(rng);
            victim.given = rng.pick(CONFUSABLE_GIVEN).to_string();
            victim.family = rng.pick(CONFUSABLE_FAMILY).to_string();
            victim.middle = None;
            let mut v = verified_of(&victim, with_address);
            let which = rng.below(3);
            if which != 1 {
                v.insert("given_name".into(), json!(whole_script_cyrillic(&victim.given.to_uppercase())));
            }
            if which != 0 {
                v.insert("family_name".into(), json!(whole_script_cyrillic(&victim.family.to_uppercase())));
            }
            let detail = ["given", "family", "both"][which];
            neg(detail.into(), v, profile_of(&victim))
        }
        _ => None,
    }
}

/// `per_class` cases of every class, deterministic for a seed.
pub fn generate(seed: u64, per_class: usize) -> Vec<Case> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(per_class * (POSITIVE_CLASSES.len() + NEGATIVE_CLASSES.len()));
    for class in POSITIVE_CLASSES.iter().chain(NEGATIVE_CLASSES) {
        let mut made = 0;
        let mut attempts = 0;
        while made < per_class {
            attempts += 1;
            assert!(attempts < per_class * 50 + 1000, "class {class} cannot be generated");
            if let Some(case) = make(&mut rng, class) {
                out.push(case);
                made += 1;
            }
        }
    }
    out
}
