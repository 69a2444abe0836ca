//! Criterion benchmarks of Okta profile normalization (native only).
//!
//! `cargo bench --bench normalize` measures one realistic user with the default mapping and with a
//! three-source mapping, the JSON-text entry point, and a batch of 1,000 varied users (reported as
//! users per second). On wasm32 this target compiles to an empty `main`, so
//! `cargo clippy --all-targets --target wasm32-unknown-unknown` stays green.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
    use okta_directory::profile::{normalize_user, normalize_user_json, AttributeMapping};
    use serde_json::{json, Value};

    /// A realistic Okta user object: 25 profile attributes (base and custom), Unicode names,
    /// and the top-level noise a `GET /api/v1/users` page carries.
    pub fn realistic_user() -> Value {
        json!({
            "id": "00u118oQYT4TBTemp0g4",
            "status": "ACTIVE",
            "created": "2022-04-04T15:56:05.000Z",
            "activated": null,
            "statusChanged": null,
            "lastLogin": "2022-05-04T19:50:52.000Z",
            "lastUpdated": "2022-05-05T18:15:44.000Z",
            "passwordChanged": "2022-04-04T16:00:22.000Z",
            "type": { "id": "oty1162QAr8hJjTaq0g4" },
            "profile": {
                "login": "jose.nunez@example.com",
                "email": "jose.nunez@example.com",
                "secondEmail": "jose@example.org",
                "firstName": "Jose\u{301}",
                "lastName": "Núñez García",
                "middleName": "María",
                "honorificPrefix": "Dr.",
                "nickName": "Pepe",
                "displayName": "Dr. José Núñez García",
                "title": "Staff Engineer",
                "department": "R&D",
                "organization": "Acme Iberia",
                "costCenter": "CC-4410",
                "streetAddress": "Calle Mayor 1\n3º B",
                "city": "Madrid",
                "state": "Madrid",
                "zipCode": "28013",
                "countryCode": "es",
                "mobilePhone": "+34 600 000 000",
                "primaryPhone": "+34 910 000 000",
                "employeeNumber": 100_234,
                "locale": "es_ES",
                "timezone": "Europe/Madrid",
                "dateOfBirth": "1990-04-03T00:00:00.000Z",
                "LegalFirstName": "José Antonio",
                "clearanceLevel": 3,
                "isContractor": false,
                "badges": ["blue", "lab-7", 42],
            },
            "credentials": { "password": {}, "provider": { "type": "OKTA", "name": "OKTA" } },
            "_links": { "self": { "href": "https://acme.okta.com/api/v1/users/00u118oQYT4TBTemp0g4" } }
        })
    }

    /// Three candidate sources for several fields; for most, the value sits in the last one.
    pub fn three_source_mapping() -> AttributeMapping {
        let doc = json!({
            "givenName": ["profile.LegalFirstName", "PreferredFirstName", "firstName"],
            "familyName": ["LegalLastName", "PreferredLastName", "lastName"],
            "email": ["workEmail", "corporateEmail", "email"],
            "birthdate": ["birthdate", "dob", "dateOfBirth"],
            "employeeNumber": ["hr.employeeId", "workerId", "employeeNumber"],
            "birthdateOrder": "dmy",
        });
        AttributeMapping::from_json(&doc).unwrap_or_else(|e| panic!("benchmark mapping is valid: {e}"))
    }

    /// A deterministic LCG, so every run normalizes the same batch.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(self.0 >> 33).unwrap_or(0) % n
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    const GIVEN: &[&str] = &[
        "Ana",
        "José",
        "Jose\u{301}",
        "Zoë",
        "Øyvind",
        "Łukasz",
        "Ngọc",
        "Ji-woo",
        "Anaïs",
        "  Mary  Jane ",
        "Siobhán",
    ];
    const FAMILY: &[&str] =
        &["Núñez", "Müller", "O'Brien", "Nguyễn", "Kowalska", "van der Berg", "Dubois", "Smith", "Yılmaz", "Đặng"];
    const CITIES: &[&str] = &["Madrid", "München", "Kraków", "São Paulo", "Zürich", "Hà Nội", "Paris", "Austin"];
    const DATES: &[&str] =
        &["1990-04-03", "13/04/1985", "03/04/1990", "1979-12-31T00:00:00.000Z", "3 April 1990", "2001-02-29", ""];
    const STATUSES: &[&str] = &["ACTIVE", "ACTIVE", "ACTIVE", "PROVISIONED", "LOCKED_OUT", "SUSPENDED", "STAGED"];

    /// 1,000 varied users: different names, some fields absent or null, dates in several forms
    /// (some ambiguous or invalid), integer and text employee numbers, a few custom attributes.
    pub fn batch(count: usize) -> Vec<Value> {
        let mut rng = Lcg(0x5EED);
        (0..count)
            .map(|i| {
                let given = rng.pick(GIVEN);
                let family = rng.pick(FAMILY);
                let mut profile = json!({
                    "login": format!("user{i}@example.com"),
                    "email": format!("user{i}@example.com"),
                    "firstName": given,
                    "lastName": family,
                    "displayName": format!("{given} {family}"),
                    "city": rng.pick(CITIES),
                    "countryCode": rng.pick(&["es", "DE", "pl", "br", "ch", "vn", "FR", "us"]),
                    "zipCode": format!("{:05}", rng.below(99_999)),
                    "title": "Engineer",
                    "department": rng.pick(&["R&D", "Sales", "Ops"]),
                    "costCenter": format!("CC-{}", rng.below(9_000)),
                });
                let object = profile.as_object_mut().unwrap_or_else(|| unreachable!());
                let date_key = rng.pick(&["birthdate", "dateOfBirth", "dob"]);
                object.insert(date_key.into(), json!(rng.pick(DATES)));
                object.insert(
                    "employeeNumber".into(),
                    if rng.below(2) == 0 { json!(10_000 + i) } else { json!(format!("E-{i:05}")) },
                );
                if rng.below(3) == 0 {
                    object.insert("middleName".into(), Value::Null);
                    object.insert("mobilePhone".into(), json!(format!("+1 415 555 {:04}", rng.below(9_999))));
                }
                if rng.below(4) == 0 {
                    object.insert("streetAddress".into(), json!(format!("{} Main St\r\nApt {}", i, rng.below(99))));
                    object.insert("secondEmail".into(), json!("not-an-email"));
                }
                object.insert("clearanceLevel".into(), json!(rng.below(5)));
                object.insert("isContractor".into(), json!(rng.below(5) == 0));
                object.insert("badges".into(), json!(["blue", format!("lab-{}", rng.below(9))]));
                json!({
                    "id": format!("00u{i:017}"),
                    "status": rng.pick(STATUSES),
                    "lastUpdated": "2022-05-05T18:15:44.000Z",
                    "profile": profile,
                })
            })
            .collect()
    }

    fn single_user(c: &mut Criterion) {
        let user = realistic_user();
        let text = user.to_string();
        let default_mapping = AttributeMapping::default();
        let three = three_source_mapping();
        let mut group = c.benchmark_group("normalize_user");
        group.throughput(Throughput::Elements(1));
        group.bench_function("default_mapping", |b| {
            b.iter(|| normalize_user(black_box(&user), black_box(&default_mapping)))
        });
        group
            .bench_function("three_source_mapping", |b| b.iter(|| normalize_user(black_box(&user), black_box(&three))));
        group.bench_function("json_text_default_mapping", |b| {
            b.iter(|| normalize_user_json(black_box(&text), black_box(&default_mapping)))
        });
        group.finish();
    }

    fn batch_of_users(c: &mut Criterion) {
        const COUNT: usize = 1_000;
        let users = batch(COUNT);
        let default_mapping = AttributeMapping::default();
        let three = three_source_mapping();
        let mut group = c.benchmark_group("batch");
        group.throughput(Throughput::Elements(COUNT as u64));
        for (name, mapping) in [("default_mapping", &default_mapping), ("three_source_mapping", &three)] {
            group.bench_with_input(BenchmarkId::new("1000_users", name), &users, |b, users| {
                b.iter(|| {
                    users
                        .iter()
                        .map(|u| normalize_user(black_box(u), mapping).map_or(0, |r| r.issues.len()))
                        .sum::<usize>()
                })
            });
        }
        group.finish();
    }

    criterion_group!(benches, single_user, batch_of_users);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

/// Criterion does not run on wasm32; the target still has to compile there.
#[cfg(target_arch = "wasm32")]
fn main() {}
