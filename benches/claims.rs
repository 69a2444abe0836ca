//! Criterion benchmarks of claims matching (native only): the default policy deciding one pair, and
//! a batch of 1,000 varied pairs (reported as pairs per second). Inputs are parsed beforehand, as
//! with the batch API; the `prepared` benches also read both sides beforehand (the loaded batch
//! API). Before criterion, `best_of_passes` times the prepared path the way
//! `bench/claims-node.mjs` times the wasm build (best of many passes over 1,000 and 20,000 pairs).
//! On wasm32 this target compiles to an empty `main`.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use criterion::{criterion_group, Criterion, Throughput};
    use okta_directory::claims::{Decision, Matcher, Policy, VerifiedClaims};
    use okta_directory::profile::{normalize_user, DirectoryUser};
    use serde_json::{json, Value};

    const GIVEN: [&str; 8] = ["José", "Søren", "Mary-Jane", "Łukasz", "Nguyễn Văn", "Zoë", "Robert", "Aisha"];
    const FAMILY: [&str; 8] =
        ["García Márquez", "Müller", "O'Neil", "Nowak", "Tanaka", "van der Berg", "Smith", "Núñez"];

    /// One pair: the directory record and what an ID verification returned for the same person,
    /// written differently (upper case, no accents, abbreviations) as real documents are.
    pub fn pair(i: usize) -> (VerifiedClaims, DirectoryUser) {
        let given = GIVEN[i % GIVEN.len()];
        let family = FAMILY[(i / 3) % FAMILY.len()];
        let profile = json!({
            "firstName": given, "lastName": family, "birthdate": format!("19{:02}-0{}-1{}", 60 + i % 40, 1 + i % 9, i % 10),
            "streetAddress": format!("{} Main Street #{}", 10 + i % 90, i % 20), "city": "Springfield", "state": "IL",
            "zipCode": "62701-1234", "countryCode": "US", "mobilePhone": "(217) 555-0100", "email": format!("u{i}@example.com"),
        });
        let verified: Value = json!({
            "given_name": given.to_uppercase(), "family_name": family.to_uppercase(),
            "birthdate": format!("19{:02}-0{}-1{}", 60 + i % 40, 1 + i % 9, i % 10),
            "address": {"street_address": format!("{} MAIN ST APT {}", 10 + i % 90, i % 20), "locality": "SPRINGFIELD",
                        "region": "Illinois", "postal_code": "62701", "country": "USA"},
            "phone_number": "+1 217 555 0100", "email": format!("U{i}@EXAMPLE.COM"),
        });
        let user = normalize_user(&json!({"profile": profile}), &Policy::default().attribute_mapping())
            .expect("fixture normalizes")
            .user;
        (VerifiedClaims::from_json(&verified), user)
    }

    fn benches(c: &mut Criterion) {
        let matcher = Matcher::new(Policy::default());
        let one = pair(0);
        c.bench_function("decide/default_policy", |b| b.iter(|| matcher.decide(black_box(&one.0), black_box(&one.1))));
        let pairs: Vec<_> = (0..1000).map(pair).collect();
        let mut group = c.benchmark_group("batch");
        group.throughput(Throughput::Elements(pairs.len() as u64));
        group.bench_function("1000_pairs/default_policy", |b| {
            b.iter(|| pairs.iter().filter(|(v, u)| matcher.decide(v, u).decision == Decision::Match).count())
        });
        // Both sides read beforehand (`prepare_verified` / `prepare_record`): matching is comparison only.
        let prepared: Vec<_> =
            pairs.iter().map(|(v, u)| (matcher.prepare_verified(v), matcher.prepare_record(u))).collect();
        group.bench_function("1000_prepared_pairs/default_policy/decision", |b| {
            b.iter(|| prepared.iter().filter(|(v, u)| matcher.decide_prepared(v, u) == Decision::Match).count())
        });
        group.bench_function("1000_prepared_pairs/default_policy/report", |b| {
            b.iter(|| prepared.iter().filter(|(v, u)| matcher.match_prepared(v, u).decision == Decision::Match).count())
        });
        group.bench_function("1000_pairs/prepare_only", |b| {
            b.iter(|| {
                let prepared: Vec<_> =
                    pairs.iter().map(|(v, u)| (matcher.prepare_verified(v), matcher.prepare_record(u))).collect();
                black_box(prepared)
            })
        });
        group.finish();
    }

    criterion_group!(group, benches);

    /// The same measurement as `bench/claims-node.mjs`'s loaded `decide()`, for a like-for-like
    /// ratio with the wasm build: the same pairs, prepared beforehand, decided in one pass over 1,000
    /// pairs (data in cache) and over 20,000 (env `CLAIMS_PAIRS` for one other count); best and median
    /// of max(10, 200,000 / pairs) passes after a warm-up pass, in µs per pair. Like `loadPairs`, the
    /// prepared pairs are copied once after preparing so that each pair's values lie together.
    #[allow(clippy::print_stdout)]
    pub fn best_of_passes() {
        let counts: Vec<usize> = match std::env::var("CLAIMS_PAIRS").ok().and_then(|v| v.parse().ok()) {
            Some(n) => vec![n],
            None => vec![1_000, 20_000],
        };
        let matcher = Matcher::new(Policy::default());
        for n in counts {
            let prepared: Vec<_> =
                (0..n).map(pair).map(|(v, u)| (matcher.prepare_verified(&v), matcher.prepare_record(&u))).collect();
            // Copied once, as `loadPairs` does: each pair's values together, in order.
            let prepared = prepared.clone();
            let pass = || -> f64 {
                let start = std::time::Instant::now();
                let codes: Vec<u8> = prepared.iter().map(|(v, u)| matcher.decide_prepared(v, u) as u8).collect();
                black_box(codes);
                start.elapsed().as_secs_f64() * 1e6 / n as f64
            };
            pass();
            let mut passes: Vec<f64> = (0..(200_000 / n).max(10)).map(|_| pass()).collect();
            passes.sort_by(f64::total_cmp);
            println!(
                "prepared decide_prepared, {n} pairs per pass: best {:.3} µs/pair, median {:.3} µs/pair ({} passes)",
                passes[0],
                passes[passes.len() / 2],
                passes.len()
            );
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::best_of_passes();
    native::group();
    criterion::Criterion::default().configure_from_args().final_summary();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
