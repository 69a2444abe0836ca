//! Criterion benchmarks of the directory at scale (native only).
//!
//! `cargo bench --bench directory` generates 1,000,000 users (`DIRECTORY_BENCH_USERS` overrides it)
//! with the deterministic generator of the tests, then measures building the index, encoding and
//! decoding the snapshot, and lookups by login and by email. Before the Criterion groups it prints
//! snapshot bytes per user and per-lookup latency percentiles (from batches of 64 lookups timed one
//! batch at a time, so timer overhead stays small). On wasm32 this compiles to an empty `main`.

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/dirgen/mod.rs"]
mod dirgen;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    use criterion::{criterion_group, BatchSize, Criterion, Throughput};
    use okta_directory::directory::{decode, encode, Directory, DirectoryConfig, SyncMeta};

    use super::dirgen;

    fn users() -> usize {
        std::env::var("DIRECTORY_BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000)
    }

    fn meta() -> SyncMeta {
        SyncMeta { origin: "https://acme.okta.com".into(), synced_at_ms: 1_764_000_000_000 }
    }

    /// Resident memory of this process (Linux `/proc/self/statm`, 4 KiB pages; 0 elsewhere).
    fn rss_bytes() -> u64 {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
        statm.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()).unwrap_or(0) * 4096
    }

    /// Nanoseconds per lookup at the given percentiles, over batches of 64 hints.
    fn lookup_percentiles(dir: &Directory, hints: &[String]) -> (f64, f64) {
        let mut per: Vec<f64> = hints
            .chunks(64)
            .map(|batch| {
                let start = Instant::now();
                for h in batch {
                    let _ = black_box(dir.lookup(black_box(h)));
                }
                start.elapsed().as_nanos() as f64 / batch.len() as f64
            })
            .collect();
        per.sort_by(f64::total_cmp);
        let at = |q: f64| per.get(((per.len() as f64 - 1.0) * q) as usize).copied().unwrap_or(0.0);
        (at(0.5), at(0.99))
    }

    fn directory(c: &mut Criterion) {
        let n = users();
        let start = Instant::now();
        let (u, g, m) = dirgen::directory(1, n, 20, false);
        let generated = start.elapsed();
        let start = Instant::now();
        let dir = Directory::build(u.clone(), g.clone(), &m, DirectoryConfig::default(), meta());
        let built = start.elapsed();
        let start = Instant::now();
        let bytes = encode(&dir);
        let encoded = start.elapsed();
        let rss_before = rss_bytes();
        let start = Instant::now();
        let back = decode(&bytes).unwrap_or_default();
        let decoded = start.elapsed();
        let rss_decoded = rss_bytes().saturating_sub(rss_before);
        let logins: Vec<String> = u.iter().step_by((n / 100_000).max(1)).filter_map(|x| x.login.clone()).collect();
        let emails: Vec<String> =
            u.iter().skip(7).step_by((n / 100_000).max(1)).filter_map(|x| x.email.clone()).collect();
        let (l50, l99) = lookup_percentiles(&back, &logins);
        let (e50, e99) = lookup_percentiles(&back, &emails);
        // Printing is the point of this summary; Criterion prints its own results the same way.
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "directory: {n} users, {} groups, {} memberships; generate {generated:.2?}, build {built:.2?}, \
                 encode {encoded:.2?}, decode (incl. index) {decoded:.2?}; snapshot {} bytes = {:.1} B/user; \
                 decoded directory ~{} MB resident ({:.0} B/user); \
                 lookup by login p50 {l50:.0} ns p99 {l99:.0} ns, by email p50 {e50:.0} ns p99 {e99:.0} ns",
                g.len(),
                m.len(),
                bytes.len(),
                bytes.len() as f64 / n.max(1) as f64,
                rss_decoded >> 20,
                rss_decoded as f64 / n.max(1) as f64,
            );
        }
        let mut group = c.benchmark_group("directory_1m");
        group.sample_size(10).measurement_time(Duration::from_secs(20)).warm_up_time(Duration::from_secs(1));
        group.bench_function("build", |b| {
            b.iter_batched(
                || (u.clone(), g.clone()),
                |(u, g)| Directory::build(u, g, black_box(&m), DirectoryConfig::default(), meta()),
                BatchSize::PerIteration,
            )
        });
        group.bench_function("encode", |b| b.iter(|| encode(black_box(&dir))));
        group.bench_function("decode", |b| b.iter(|| decode(black_box(&bytes))));
        group.finish();

        let mut group = c.benchmark_group("lookup");
        group.throughput(Throughput::Elements(1));
        let mut i = 0usize;
        group.bench_function("login", |b| {
            b.iter(|| {
                i = (i + 1) % logins.len().max(1);
                back.lookup(black_box(logins.get(i).map_or("", String::as_str))).is_ok()
            })
        });
        group.bench_function("email", |b| {
            b.iter(|| {
                i = (i + 1) % emails.len().max(1);
                back.lookup(black_box(emails.get(i).map_or("", String::as_str))).is_ok()
            })
        });
        group.bench_function("miss", |b| b.iter(|| back.lookup(black_box("nobody.at.all@example.com")).is_err()));
        group.finish();
    }

    criterion_group!(benches, directory);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
