//! Criterion benchmarks of the directory at scale (native only).
//!
//! `cargo bench --bench directory` generates 1,000,000 users (`DIRECTORY_BENCH_USERS` overrides it)
//! with the deterministic generator of the tests, then measures building the index, encoding and
//! decoding the snapshot, loading it as a `CompactDirectory`, and lookups by login and by email in
//! both forms. Before the Criterion groups it prints snapshot bytes per user, memory of both forms
//! and per-lookup latency percentiles (from batches of 64 lookups timed one batch at a time, so
//! timer overhead stays small); `-- nomatch` stops after that summary. With
//! `DIRECTORY_BENCH_WRITE=DIR` it only writes the snapshot and sampled hints for
//! `bench/directory-node.mjs`. With `DIRECTORY_BENCH_REPLAY=DIR` it only loads that fixture as a
//! `CompactDirectory` and replays its hints (logins, emails, misses; `DIRECTORY_BENCH_ROUNDS` times,
//! default 5) through `replay_lookups`, a function kept out of line so that callgrind can count the
//! instructions of lookups alone:
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*replay_lookups*' target/release/deps/directory-…`.
//! On wasm32 this compiles to an empty `main`.

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/dirgen/mod.rs"]
mod dirgen;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    use criterion::{criterion_group, BatchSize, Criterion, Throughput};
    use okta_directory::directory::{decode, encode, CompactDirectory, Directory, DirectoryConfig, SyncMeta};

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
    fn lookup_percentiles<T>(lookup: impl Fn(&str) -> T, hints: &[String]) -> (f64, f64) {
        let mut per: Vec<f64> = hints
            .chunks(64)
            .map(|batch| {
                let start = Instant::now();
                for h in batch {
                    black_box(lookup(black_box(h)));
                }
                start.elapsed().as_nanos() as f64 / batch.len() as f64
            })
            .collect();
        per.sort_by(f64::total_cmp);
        let at = |q: f64| per.get(((per.len() as f64 - 1.0) * q) as usize).copied().unwrap_or(0.0);
        (at(0.5), at(0.99))
    }

    /// `DIRECTORY_BENCH_WRITE=DIR`: writes `DIR/directory-<n>.okds` and sampled hints
    /// (`DIR/logins-<n>.txt`, `DIR/emails-<n>.txt`, one per line) for `bench/directory-node.mjs`.
    fn write_fixture(dir: &str, u: &[okta_directory::profile::DirectoryUser], snapshot: &[u8]) -> std::io::Result<()> {
        let n = u.len();
        std::fs::create_dir_all(dir)?;
        let mut rng = dirgen::Rng::new(42);
        let (mut logins, mut emails) = (String::new(), String::new());
        for i in 0..100_000.min(n.max(1) * 4) {
            let Some(user) = u.get(rng.below(n)) else { break };
            if let Some(l) = &user.login {
                logins.push_str(&if i % 4 == 0 { l.to_uppercase() } else { l.clone() });
                logins.push('\n');
            }
            if let Some(e) = &user.email {
                emails.push_str(e);
                emails.push('\n');
            }
        }
        std::fs::write(format!("{dir}/logins-{n}.txt"), logins)?;
        std::fs::write(format!("{dir}/emails-{n}.txt"), emails)?;
        std::fs::write(format!("{dir}/directory-{n}.okds"), snapshot)
    }

    /// Looks every hint up once; returns (found, ambiguous, not found). Never inlined: the unit that
    /// callgrind's `--toggle-collect` measures.
    #[inline(never)]
    pub fn replay_lookups(dir: &CompactDirectory, hints: &[String]) -> (usize, usize, usize) {
        let (mut found, mut ambiguous, mut missing) = (0, 0, 0);
        for h in hints {
            match dir.lookup(black_box(h)) {
                Ok(hit) => {
                    black_box(hit.index);
                    found += 1;
                }
                Err(okta_directory::Error::AmbiguousLoginHint { .. }) => ambiguous += 1,
                Err(_) => missing += 1,
            }
        }
        (found, ambiguous, missing)
    }

    /// `DIRECTORY_BENCH_REPLAY=DIR`: loads `DIR/directory-<n>.okds`, replays its hint files.
    fn replay(dir: &str, n: usize) -> std::io::Result<()> {
        let bytes = std::fs::read(format!("{dir}/directory-{n}.okds"))?;
        let hints = |name: &str| -> std::io::Result<Vec<String>> {
            let text = std::fs::read_to_string(format!("{dir}/{name}-{n}.txt"))?;
            Ok(text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
        };
        let start = Instant::now();
        let compact = CompactDirectory::load(bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        let loaded = start.elapsed();
        let misses: Vec<String> = (0..20_000).map(|i| format!("nobody.{i}@example.com")).collect();
        let rounds: usize = std::env::var("DIRECTORY_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
        #[allow(clippy::print_stderr)]
        {
            eprintln!("replay: {} users loaded in {loaded:.2?}", compact.len());
        }
        for (name, hints) in [("login", hints("logins")?), ("email", hints("emails")?), ("miss", misses)] {
            let start = Instant::now();
            let mut counts = (0, 0, 0);
            for _ in 0..rounds {
                counts = replay_lookups(&compact, &hints);
            }
            let mean = start.elapsed().as_nanos() as f64 / (rounds * hints.len()).max(1) as f64;
            let (p50, p99) = lookup_percentiles(|h| compact.lookup(h).map(|hit| hit.index), &hints);
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "{name:5} {} hints x {rounds}: mean {mean:.0} ns; batches of 64: p50 {p50:.0} ns p99 {p99:.0} ns; \
                     found {} ambiguous {} not found {}",
                    hints.len(),
                    counts.0,
                    counts.1,
                    counts.2
                );
            }
        }
        Ok(())
    }

    fn directory(c: &mut Criterion) {
        let n = users();
        if let Ok(dir) = std::env::var("DIRECTORY_BENCH_REPLAY") {
            if let Err(e) = replay(&dir, n) {
                panic!("replaying the fixture failed: {e}");
            }
            return;
        }
        let start = Instant::now();
        let (u, g, m) = dirgen::directory(1, n, 20, false);
        let generated = start.elapsed();
        if let Ok(out) = std::env::var("DIRECTORY_BENCH_WRITE") {
            let dir = Directory::build(u.clone(), g, &m, DirectoryConfig::default(), meta());
            if let Err(e) = write_fixture(&out, &u, &encode(&dir)) {
                panic!("writing the fixture failed: {e}");
            }
            return;
        }
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
        let (l50, l99) = lookup_percentiles(|h| back.lookup(h).is_ok(), &logins);
        let (e50, e99) = lookup_percentiles(|h| back.lookup(h).is_ok(), &emails);
        let rss_before = rss_bytes();
        let start = Instant::now();
        let compact = CompactDirectory::from_snapshot(&bytes).unwrap_or_default();
        let loaded = start.elapsed();
        let rss_compact = rss_bytes().saturating_sub(rss_before);
        let footprint = compact.footprint();
        let (cl50, cl99) = lookup_percentiles(|h| compact.lookup(h).map(|hit| hit.index), &logins);
        let (ce50, ce99) = lookup_percentiles(|h| compact.lookup(h).map(|hit| hit.index), &emails);
        let (cu50, cu99) =
            lookup_percentiles(|h| compact.lookup(h).and_then(|hit| compact.user_at(hit.index)).is_ok(), &logins);
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
            eprintln!(
                "compact: load (checksum + validation + indexes) {loaded:.2?}; footprint {} MB ({:.0} B/user: \
                 snapshot {} MB, offsets {} MB, indexes {} MB, memberships {} MB), ~{} MB resident; \
                 lookup by login p50 {cl50:.0} ns p99 {cl99:.0} ns, by email p50 {ce50:.0} ns p99 {ce99:.0} ns, \
                 login + decode user p50 {cu50:.0} ns p99 {cu99:.0} ns",
                footprint.total() >> 20,
                footprint.total() as f64 / n.max(1) as f64,
                footprint.snapshot >> 20,
                footprint.offsets >> 20,
                footprint.indexes >> 20,
                footprint.memberships >> 20,
                rss_compact >> 20,
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
        group.bench_function("compact_load", |b| b.iter(|| CompactDirectory::from_snapshot(black_box(&bytes))));
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
        group.bench_function("compact_login", |b| {
            b.iter(|| {
                i = (i + 1) % logins.len().max(1);
                compact.lookup(black_box(logins.get(i).map_or("", String::as_str))).is_ok()
            })
        });
        group.bench_function("compact_login_decoded", |b| {
            b.iter(|| {
                i = (i + 1) % logins.len().max(1);
                let hint = black_box(logins.get(i).map_or("", String::as_str));
                compact.lookup(hint).and_then(|hit| compact.user_at(hit.index)).is_ok()
            })
        });
        group.bench_function("compact_email", |b| {
            b.iter(|| {
                i = (i + 1) % emails.len().max(1);
                compact.lookup(black_box(emails.get(i).map_or("", String::as_str))).is_ok()
            })
        });
        group.bench_function("compact_miss", |b| {
            b.iter(|| compact.lookup(black_box("nobody.at.all@example.com")).is_err())
        });
        group.finish();
    }

    criterion_group!(benches, directory);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
