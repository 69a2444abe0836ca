//! A deterministic directory generator (xorshift64*) for the directory tests and benchmark: names from
//! many cultures and scripts, Okta-shaped ids and timestamps, statuses in realistic proportions, groups
//! with skewed sizes, and optionally custom attributes of every type.
#![allow(dead_code)]

use std::collections::BTreeMap;

use okta_directory::profile::{
    CustomScalar, CustomValue, DirectoryUser, PersonName, Phones, PostalAddress, UserStatus,
};
use okta_directory::sync::{Group, Membership};

/// xorshift64* — tiny, seeded, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// (given names, family names, cities, country, email domain).
type Culture = (&'static [&'static str], &'static [&'static str], &'static [&'static str], &'static str, &'static str);

/// One entry per culture.
const CULTURES: &[Culture] = &[
    (
        &["James", "Mary", "Robert", "Linda", "Michael"],
        &["Smith", "O'Brien", "Johnson", "Lee"],
        &["Boston", "Denver"],
        "US",
        "example.com",
    ),
    (
        &["José", "María", "Álvaro", "Inés", "Sofía"],
        &["Núñez García", "de la Fuente", "Pérez"],
        &["Madrid", "Sevilla"],
        "ES",
        "example.es",
    ),
    (
        &["Jürgen", "Björn", "Käthe", "Uwe"],
        &["Müller", "Straße", "Groß", "Weiß"],
        &["München", "Köln"],
        "DE",
        "example.de",
    ),
    (
        &["Łukasz", "Zoë", "Małgorzata", "Agnieszka"],
        &["Wróbel", "Żółkowski", "Kowalska"],
        &["Łódź", "Kraków"],
        "PL",
        "example.pl",
    ),
    (&["Анна", "Дмитрий", "Ольга"], &["Иванова", "Смирнов", "Кузнецова"], &["Москва", "Казань"], "RU", "example.ru"),
    (&["Νίκος", "Ελένη", "Γιώργος"], &["Παπαδόπουλος", "Οικονόμου"], &["Αθήνα"], "GR", "example.gr"),
    (&["伟", "芳", "秀英"], &["王", "李", "张"], &["北京", "上海"], "CN", "example.cn"),
    (&["さくら", "健太", "陽菜"], &["佐藤", "鈴木", "高橋"], &["東京", "大阪"], "JP", "example.jp"),
    (&["محمد", "فاطمة", "علي"], &["العلي", "حسن"], &["القاهرة", "دبي"], "EG", "example.eg"),
    (&["अनन्या", "राहुल", "प्रिया"], &["शर्मा", "वर्मा"], &["मुंबई"], "IN", "example.in"),
    (&["Nguyễn", "Thảo", "Minh"], &["Trần", "Lê", "Phạm"], &["Hà Nội"], "VN", "example.vn"),
    (&["Søren", "Åsa", "Øystein"], &["Østergård", "Ångström"], &["Århus", "Oslo"], "DK", "example.dk"),
    (&["Ayşe", "İsmail", "Çağla"], &["Yılmaz", "Öztürk", "Şahin"], &["İstanbul"], "TR", "example.com.tr"),
];

const STATUSES: &[(UserStatus, usize)] = &[
    (UserStatus::Active, 82),
    (UserStatus::Deprovisioned, 5),
    (UserStatus::Provisioned, 4),
    (UserStatus::Staged, 3),
    (UserStatus::Suspended, 2),
    (UserStatus::LockedOut, 2),
    (UserStatus::PasswordExpired, 1),
    (UserStatus::Recovery, 1),
];

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// An Okta-looking id (`00u` + 17 base62 characters) that encodes `n`, so ids are unique.
pub fn okta_id(prefix: &str, n: u64, salt: u64) -> String {
    let mut s = String::from(prefix);
    let mut v = n.wrapping_mul(0x9E37_79B9).wrapping_add(salt) ^ (n << 40);
    let mut tail = n;
    for i in 0..17 {
        let digit = if i < 6 { (tail % 62) as usize } else { (v % 62) as usize };
        if i < 6 {
            tail /= 62;
        } else {
            v = v / 62 + (v % 7) * 1_000_003;
        }
        s.push(BASE62[digit] as char);
    }
    s
}

fn ascii_local(given: &str, n: usize) -> String {
    let mut s: String = given.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_lowercase();
    if s.is_empty() {
        s.push_str("user");
    }
    format!("{s}.{n}")
}

/// One generated user, number `n`.
pub fn user(rng: &mut Rng, n: usize, with_custom: bool) -> DirectoryUser {
    let (givens, families, cities, country, domain) = CULTURES[rng.below(CULTURES.len())];
    let given = rng.pick(givens);
    let family = rng.pick(families);
    // Most logins are ASCII; some orgs keep the name's letters in the login (Okta allows it).
    let local = if rng.chance(10) { format!("{}.{n}", given.to_lowercase()) } else { ascii_local(given, n) };
    let login = format!("{local}@{domain}");
    let email = if rng.chance(85) { login.clone() } else { format!("{}@mail.{domain}", ascii_local(family, n)) };
    let mut roll = rng.below(100);
    let status = STATUSES.iter().find(|(_, w)| {
        let hit = roll < *w;
        roll = roll.saturating_sub(*w);
        hit
    });
    let mut custom = BTreeMap::new();
    if with_custom {
        custom.insert(
            "costCenter".into(),
            CustomValue::Scalar(CustomScalar::String(format!("CC-{}", 4400 + rng.below(40)))),
        );
        custom.insert("clearanceLevel".into(), CustomValue::Scalar(CustomScalar::Number(rng.below(5) as f64)));
        custom.insert("fte".into(), CustomValue::Scalar(CustomScalar::Number(0.5 + rng.below(3) as f64 / 4.0)));
        custom.insert("isContractor".into(), CustomValue::Scalar(CustomScalar::Boolean(rng.chance(20))));
        let badges = vec![
            CustomScalar::String(rng.pick(&["blue", "lab-7", "Zürich"]).into()),
            CustomScalar::Number(rng.below(100) as f64),
            CustomScalar::Boolean(rng.chance(50)),
        ];
        custom.insert("badges".into(), CustomValue::List(badges));
        custom.insert("badgeId".into(), CustomValue::Scalar(CustomScalar::Number((100_000 + n) as f64)));
    }
    DirectoryUser {
        id: Some(okta_id("00u", n as u64, 7)),
        status: status.map(|(s, _)| *s),
        login: Some(login),
        email: Some(email),
        second_email: rng.chance(30).then(|| format!("{}@personal.example.org", ascii_local(family, n))),
        name: PersonName {
            given: Some(given.into()),
            middle: rng.chance(20).then(|| rng.pick(givens).into()),
            family: Some(family.into()),
            honorific_prefix: rng.chance(5).then(|| "Dr.".into()),
            honorific_suffix: None,
            nickname: None,
            display: Some(format!("{given} {family}")),
        },
        birthdate: Some(format!("{}-{:02}-{:02}", 1950 + rng.below(55), 1 + rng.below(12), 1 + rng.below(28))),
        address: PostalAddress {
            street_address: Some(format!(
                "{} {}",
                1 + rng.below(200),
                rng.pick(&["Main St", "Calle Mayor", "Hauptstraße"])
            )),
            locality: Some(rng.pick(cities).into()),
            region: None,
            postal_code: Some(format!("{:05}", rng.below(99_999))),
            country: Some(country.into()),
        },
        phones: Phones { mobile: Some(format!("+1 555 {:07}", rng.below(9_999_999))), primary: None },
        employee_number: Some(format!("{:07}", n)),
        custom,
        last_updated: Some(format!(
            "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z",
            18 + rng.below(8),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
            rng.below(60)
        )),
    }
}

/// A whole directory: `users` users, `groups` groups (group 0 is `Everyone`), skewed memberships.
pub fn directory(
    seed: u64,
    users: usize,
    groups: usize,
    with_custom: bool,
) -> (Vec<DirectoryUser>, Vec<Group>, Vec<Membership>) {
    let mut rng = Rng::new(seed);
    let list: Vec<DirectoryUser> = (0..users).map(|n| user(&mut rng, n, with_custom)).collect();
    let mut gs = Vec::with_capacity(groups);
    let mut ms = Vec::new();
    for g in 0..groups {
        let (name, kind) = match g {
            0 => ("Everyone".to_string(), "BUILT_IN"),
            1 => ("Workforce".to_string(), "OKTA_GROUP"),
            g if g % 3 == 0 => (format!("app-{g}"), "APP_GROUP"),
            g => (format!("Team {g}"), "OKTA_GROUP"),
        };
        let id = okta_id("00g", g as u64, 3);
        // Everyone has all users, Workforce ~80 %, the others 1/(g+1) of them.
        let share = match g {
            0 => 100,
            1 => 80,
            g => (100 / (g + 1)).max(1),
        };
        for u in &list {
            if share == 100 || rng.chance(share) {
                ms.push(Membership { group_id: id.clone(), user_id: u.id.clone().unwrap_or_default() });
            }
        }
        gs.push(Group { id, name, group_type: kind.to_string() });
    }
    (list, gs, ms)
}
