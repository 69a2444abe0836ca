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

    /// Times the stages of the loaded path on the pairs of a JSONL file (`CLAIMS_NOISY=path`, lines of
    /// `{"verified", "directory"}`, e.g. the noisy development set): JSON parsing, profile
    /// normalization, preparing both sides, and deciding the prepared pairs (best of
    /// `CLAIMS_PASSES` passes, default 20), in µs per pair. Also prints a checksum of the decisions so
    /// that two builds can be compared for identical results.
    #[allow(clippy::print_stdout, clippy::unwrap_used)]
    pub fn noisy(path: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        let passes: usize = std::env::var("CLAIMS_PASSES").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
        let matcher = Matcher::new(Policy::default());
        let mapping = matcher.policy().attribute_mapping();
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let n = lines.len() as f64;
        let timed = |what: &str, start: std::time::Instant| {
            println!("{what}: {:.3} µs/pair", start.elapsed().as_secs_f64() * 1e6 / n);
        };
        let start = std::time::Instant::now();
        let values: Vec<Value> = lines.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
        timed("parse JSON", start);
        let start = std::time::Instant::now();
        let read: Vec<(VerifiedClaims, DirectoryUser)> = values
            .iter()
            .map(|v| {
                let user = normalize_user(&v["directory"], &mapping).unwrap().user;
                (VerifiedClaims::from_json(&v["verified"]), user)
            })
            .collect();
        timed("read verified + normalize directory", start);
        let start = std::time::Instant::now();
        let prepared: Vec<_> =
            read.iter().map(|(v, u)| (matcher.prepare_verified(v), matcher.prepare_record(u))).collect();
        timed("prepare both sides", start);
        let prepared = prepared.clone();
        let mut best = f64::INFINITY;
        let mut codes = Vec::new();
        for _ in 0..passes {
            let start = std::time::Instant::now();
            codes = prepared.iter().map(|(v, u)| matcher.decide_prepared(v, u) as u8).collect::<Vec<u8>>();
            best = best.min(start.elapsed().as_secs_f64() * 1e6 / n);
        }
        println!("decide_prepared: best {best:.3} µs/pair ({passes} passes)");
        let start = std::time::Instant::now();
        let reports: Vec<String> =
            prepared.iter().map(|(v, u)| serde_json::to_string(&matcher.match_prepared(v, u)).unwrap()).collect();
        timed("match_prepared + report JSON", start);
        // FNV-1a over the decision codes and the report texts: equal before and after an optimization.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in codes.iter().copied().chain(reports.iter().flat_map(|r| r.bytes())) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
        let matched = codes.iter().filter(|c| **c == Decision::Match as u8).count();
        println!("{} pairs, {matched} match, checksum of decisions and reports {hash:016x}", lines.len());
    }

    /// Times the JSON APIs the wasm build calls on the pairs of a JSONL file, in chunks of 1,000 as
    /// `bench/claims-node.mjs` sends them: `load_pairs` (parse + prepare), `match_many_json` (parse,
    /// decide, write the reports) and `decide_many_json` (decisions only). With `CLAIMS_STAGE=load`,
    /// `many`, `decide` or `loaded` (see [`loaded_decide`]) only that one runs, once (for `valgrind --tool=callgrind`). Prints a
    /// checksum of the reports and decision codes: equal before and after an optimization.
    #[allow(clippy::print_stdout, clippy::unwrap_used)]
    pub fn api_stages(path: &str) {
        use okta_directory::claims::{decide_many_json, load_pairs, match_many_codes, match_many_json};
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let chunks: Vec<String> = lines.chunks(1000).map(|c| format!("[{}]", c.join(","))).collect();
        let matcher = Matcher::new(Policy::default());
        let only = std::env::var("CLAIMS_STAGE").ok();
        let n = lines.len() as f64;
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut fold = |bytes: &[u8]| {
            for byte in bytes {
                hash = (hash ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3);
            }
        };
        let run = |stage: &str| only.as_deref().is_none_or(|o| o == stage);
        if run("load") {
            let start = std::time::Instant::now();
            let loaded: usize = chunks.iter().map(|c| load_pairs(&matcher, c).unwrap().len()).sum();
            println!("load_pairs: {:.3} µs/pair ({loaded} pairs)", start.elapsed().as_secs_f64() * 1e6 / n);
        }
        if run("many") {
            let start = std::time::Instant::now();
            let reports: Vec<String> = chunks.iter().map(|c| match_many_json(&matcher, c).unwrap()).collect();
            println!("match_many_json: {:.3} µs/pair", start.elapsed().as_secs_f64() * 1e6 / n);
            reports.iter().for_each(|r| fold(r.as_bytes()));
        }
        // `CLAIMS_STAGE=codes`: `match_many_codes`, the SDK's `matchMany` path (reports as codes); only
        // when asked, so that the default checksum stays comparable with builds before it.
        if only.as_deref() == Some("codes") {
            let start = std::time::Instant::now();
            let codes: Vec<Vec<u8>> = chunks.iter().map(|c| match_many_codes(&matcher, c).unwrap()).collect();
            println!("match_many_codes: {:.3} µs/pair", start.elapsed().as_secs_f64() * 1e6 / n);
            codes.iter().for_each(|c| fold(c));
        }
        if run("decide") {
            let start = std::time::Instant::now();
            let codes: Vec<Vec<u8>> = chunks.iter().map(|c| decide_many_json(&matcher, c).unwrap()).collect();
            println!("decide_many_json: {:.3} µs/pair", start.elapsed().as_secs_f64() * 1e6 / n);
            codes.iter().for_each(|c| fold(c));
        }
        if run("loaded") {
            fold(&loaded_decide(&matcher, &chunks));
        }
        println!("{} pairs, checksum of the reports and codes {hash:016x}", lines.len());
    }

    /// `CLAIMS_STAGE=loaded`: the loaded path as the wasm build runs it — every chunk read by
    /// `load_pairs`, the pairs copied once (as `loadPairs` does), then decided: one pass over all of
    /// them (best of `CLAIMS_PASSES`, default 20), the best of 10 × as many passes over the first 1,000
    /// (in cache), and every chunk of 1,000 decided right after a warming pass (the same mix of pairs
    /// as all of them, in cache). `CLAIMS_PASSES=1` under `valgrind --tool=callgrind
    /// --toggle-collect='*decide_all'` (or `--cache-sim=yes`) counts one pass over all.
    /// Returns the decision codes of all pairs (for the checksum).
    #[allow(clippy::print_stdout, clippy::unwrap_used)]
    fn loaded_decide(matcher: &Matcher, chunks: &[String]) -> Vec<u8> {
        use okta_directory::claims::load_pairs;
        let passes: usize = std::env::var("CLAIMS_PASSES").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
        let loaded: Vec<_> = chunks.iter().flat_map(|c| load_pairs(matcher, c).unwrap()).collect();
        let all = loaded.clone();
        drop(loaded);
        let small: Vec<_> = all.iter().take(1000).cloned().collect();
        for (what, pairs, passes) in [("all", &all, passes), ("1,000", &small, passes.max(1) * 10)] {
            let mut best = f64::INFINITY;
            let mut matched = 0;
            for _ in 0..passes {
                let start = std::time::Instant::now();
                matched = if what == "all" { decide_all(matcher, pairs) } else { decide_first(matcher, pairs) };
                best = best.min(start.elapsed().as_secs_f64() * 1e6 / pairs.len() as f64);
            }
            println!(
                "loaded decide, {what} ({} pairs): best {best:.3} µs/pair of {passes}, {matched} match",
                pairs.len()
            );
        }
        // The same pairs as `all`, each chunk of 1,000 decided once to warm the cache and then timed:
        // what the whole set costs without the memory traffic (the mix of pairs differs by chunk).
        let mut warm = f64::INFINITY;
        for _ in 0..passes.min(3) {
            let mut sum = 0.0;
            for chunk in all.chunks(1000) {
                decide_chunk(matcher, chunk);
                let start = std::time::Instant::now();
                decide_chunk(matcher, chunk);
                sum += start.elapsed().as_secs_f64();
            }
            warm = warm.min(sum * 1e6 / all.len() as f64);
        }
        println!("loaded decide, all, each chunk of 1,000 in cache: best {warm:.3} µs/pair of {}", passes.min(3));
        all.iter().map(|(v, d)| matcher.decide_prepared(v, d).code()).collect()
    }

    /// One pass of the loaded `decide` over `pairs`: how many match. Three copies, one per
    /// measurement, for callgrind's `--toggle-collect`: all pairs, the first 1,000, a chunk.
    #[inline(always)]
    fn decide_loaded(matcher: &Matcher, pairs: &[okta_directory::claims::PreparedPair]) -> usize {
        pairs.iter().filter(|(v, d)| matcher.decide_prepared(v, d) == Decision::Match).count()
    }

    #[inline(never)]
    fn decide_all(matcher: &Matcher, pairs: &[okta_directory::claims::PreparedPair]) -> usize {
        decide_loaded(matcher, pairs)
    }

    #[inline(never)]
    fn decide_first(matcher: &Matcher, pairs: &[okta_directory::claims::PreparedPair]) -> usize {
        decide_loaded(matcher, &pairs[..pairs.len().min(1000)])
    }

    #[inline(never)]
    fn decide_chunk(matcher: &Matcher, pairs: &[okta_directory::claims::PreparedPair]) -> usize {
        decide_loaded(matcher, pairs)
    }

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
    if let Ok(path) = std::env::var("CLAIMS_API") {
        native::api_stages(&path);
        return;
    }
    if let Ok(path) = std::env::var("CLAIMS_NOISY") {
        native::noisy(&path);
        return;
    }
    native::best_of_passes();
    native::group();
    criterion::Criterion::default().configure_from_args().final_summary();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
