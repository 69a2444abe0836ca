// Claims matching throughput of the wasm build in Node, default policy: one call per pair vs the
// batch API (matchMany, one boundary crossing per chunk, given objects or JSON text; decideMany, the
// same without reports), the loaded batch API (loadPairs once, then
// decide: comparison only, timed apart from loading; on all pairs and on 1,000 of them), and the
// CLI's JSONL path.
//   node bench/claims-node.mjs [PAIRS]      (default 100000)
//   node bench/claims-node.mjs [PAIRS] NOISY.jsonl   (pairs taken, in turn, from a JSONL of
//   `{"verified", "directory"}` lines, e.g. the noisy development set written by
//   `CLAIMS_DUMP=… cargo test --release --test claims_eval dump_tuning_split -- --ignored`)
//   BENCH_MODULE=claims node bench/claims-node.mjs …   (the claims-only module, js/dist/claims-node.js,
//   instead of the full one; BENCH_CLI=0 skips the CLI row)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** @type {{ ClaimsMatcher: typeof import("../js/dist/node.js").ClaimsMatcher }} */
const { ClaimsMatcher } = await import(process.env.BENCH_MODULE === "claims" ? "../js/dist/claims-node.js" : "../js/dist/node.js");

const N = Number(process.argv[2] ?? 100_000);
const GIVEN = ["José", "Søren", "Mary-Jane", "Łukasz", "Nguyễn Văn", "Zoë", "Robert", "Aisha"];
const FAMILY = ["García Márquez", "Müller", "O'Neil", "Nowak", "Tanaka", "van der Berg", "Smith", "Núñez"];
/** @param {number} n */
const pad = (n) => String(n).padStart(2, "0");

/**
 * One generated clean pair.
 * @param {number} i
 * @returns {import("../js/dist/node.js").ClaimsPair}
 */
function pair(i) {
  const given = GIVEN[i % GIVEN.length];
  const family = FAMILY[Math.floor(i / 3) % FAMILY.length];
  const birthdate = `19${pad(60 + (i % 40))}-0${1 + (i % 9)}-1${i % 10}`;
  return {
    verified: {
      given_name: given.toUpperCase(),
      family_name: family.toUpperCase(),
      birthdate,
      address: {
        street_address: `${10 + (i % 90)} MAIN ST APT ${i % 20}`,
        locality: "SPRINGFIELD",
        region: "Illinois",
        postal_code: "62701",
        country: "USA",
      },
      phone_number: "+1 217 555 0100",
      email: `U${i}@EXAMPLE.COM`,
    },
    directory: {
      firstName: given,
      lastName: family,
      birthdate,
      streetAddress: `${10 + (i % 90)} Main Street #${i % 20}`,
      city: "Springfield",
      state: "IL",
      zipCode: "62701-1234",
      countryCode: "US",
      mobilePhone: "(217) 555-0100",
      email: `u${i}@example.com`,
    },
  };
}

const NOISY = process.argv[3]
  ? readFileSync(process.argv[3], "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => {
        /** @type {import("../js/dist/node.js").ClaimsPair} */
        const { verified, directory } = JSON.parse(l);
        return { verified, directory };
      })
  : null;
const pairs = Array.from({ length: N }, (_, i) => (NOISY ? NOISY[i % NOISY.length] : pair(i)));
const matcher = new ClaimsMatcher();
/** @param {number} ms */
const rate = (ms) => Math.round(N / (ms / 1000)).toLocaleString("en");
// Wall clock and this process's CPU time (all its threads) of a section: on a shared machine the
// CPU time is the figure that other processes do not inflate.
/** @param {NodeJS.CpuUsage} since */
const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
/** @param {number} ms */
const cpuRate = (ms) => `${rate(ms)} pairs/s CPU`;

for (const p of pairs.slice(0, 2000)) matcher.match(p.verified, p.directory);
let t = performance.now();
let c = process.cpuUsage();
let matched = 0;
for (const p of pairs) if (matcher.match(p.verified, p.directory).decision === "match") matched++;
const single = performance.now() - t;
const singleCpu = cpuMs(c);

for (let i = 0; i < 2000; i += 1000) matcher.matchMany(pairs.slice(i, i + 1000));
t = performance.now();
c = process.cpuUsage();
for (let i = 0; i < N; i += 1000) matcher.matchMany(pairs.slice(i, i + 1000));
const batch = performance.now() - t;
const batchCpu = cpuMs(c);

// The same batches given as JSON text (no JSON.stringify per batch: a caller holding the pairs as text).
const texts = [];
for (let i = 0; i < N; i += 1000) texts.push(JSON.stringify(pairs.slice(i, i + 1000)));
matcher.matchMany(texts[0] ?? "[]");
t = performance.now();
c = process.cpuUsage();
for (const text of texts) matcher.matchMany(text);
const batchText = performance.now() - t;
const batchTextCpu = cpuMs(c);

// The same batches, decisions only (no report written in wasm nor parsed in JS).
for (let i = 0; i < 2000; i += 1000) matcher.decideMany(pairs.slice(i, i + 1000));
t = performance.now();
c = process.cpuUsage();
let decidedMatched = 0;
for (let i = 0; i < N; i += 1000) {
  for (const code of matcher.decideMany(pairs.slice(i, i + 1000))) if (code === 0) decidedMatched++;
}
const decisionsOnly = performance.now() - t;
const decisionsOnlyCpu = cpuMs(c);

// All pairs in one matchMany call (the SDK sends an array to the module in chunks of 1,000): CPU time,
// and how much the module's memory grew (full module only; before loadPairs, which grows it anyway).
const fullGlue = process.env.BENCH_MODULE === "claims" ? null : await import("../js/wasm/okta_directory.js");
// The SDK has initialized the module: initSync returns its exports (with `memory`).
const wasmBytes = () => fullGlue?.initSync({ module: new Uint8Array(0) }).memory.buffer.byteLength ?? Number.NaN;
const heapBefore = wasmBytes();
c = process.cpuUsage();
const oneCallReports = matcher.matchMany(pairs).length;
const oneCallCpu = cpuMs(c);
const heapGrown = wasmBytes() - heapBefore;
if (oneCallReports !== N) throw new Error(`matchMany in one call gave ${oneCallReports} reports for ${N} pairs`);

// Warm-up: V8 compiles wasm in tiers; the first calls run baseline code.
matcher.loadPairs(pairs.slice(0, 2000)).free();
t = performance.now();
c = process.cpuUsage();
const loaded = matcher.loadPairs(pairs);
const load = performance.now() - t;
const loadCpu = cpuMs(c);
// The prepared pairs are decided several times; the best run counts (other processes share the
// cores), in wall-clock time and in this process's CPU time.
let decide = Infinity;
let decideCpu = Infinity;
let loadedMatched = 0;
for (let run = 0; run < 10; run++) {
  t = performance.now();
  const cpu = process.cpuUsage();
  const codes = loaded.decide();
  const used = process.cpuUsage(cpu);
  decide = Math.min(decide, performance.now() - t);
  decideCpu = Math.min(decideCpu, (used.user + used.system) / 1000);
  loadedMatched = codes.reduce((n, c) => n + (c === 0 ? 1 : 0), 0);
}
loaded.free();
// The same on 1,000 pairs (the native criterion bench's count; the prepared data stay in cache),
// best of 200 passes: with `cargo bench --bench claims`' first lines, the like-for-like ratio.
const small = matcher.loadPairs(pairs.slice(0, 1000));
small.decide();
let decideSmall = Infinity;
for (let run = 0; run < 200; run++) {
  t = performance.now();
  small.decide();
  decideSmall = Math.min(decideSmall, performance.now() - t);
}
small.free();
if (decidedMatched !== matched) throw new Error(`decideMany decided ${decidedMatched} matches, one call per pair ${matched}`);
if (loadedMatched !== matched) throw new Error(`loaded path decided ${loadedMatched} matches, one call per pair ${matched}`);

let cli = Number.NaN;
if (process.env.BENCH_CLI !== "0") {
  const dir = mkdtempSync(join(tmpdir(), "od-bench-"));
  const file = join(dir, "pairs.jsonl");
  writeFileSync(file, pairs.map((p, i) => JSON.stringify({ id: i, ...p })).join("\n"));
  t = performance.now();
  execFileSync(process.execPath, [new URL("../js/bin/okta-directory.mjs", import.meta.url).pathname, "match", file], {
    maxBuffer: 1 << 30,
  });
  cli = performance.now() - t;
}

console.log(
  `${N} pairs${NOISY ? ` (noisy, from ${process.argv[3]})` : ""}, default policy, ${matched} decided match${process.env.BENCH_MODULE === "claims" ? ", claims-only module" : ""}`,
);
console.log(
  `| one call per pair (match) | ${rate(single)} pairs/s | ${((single * 1000) / N).toFixed(1)} µs/pair | ${cpuRate(singleCpu)} |`,
);
console.log(
  `| batch (matchMany, 1000 per call) | ${rate(batch)} pairs/s | ${((batch * 1000) / N).toFixed(1)} µs/pair | ${cpuRate(batchCpu)} |`,
);
console.log(
  `| batch, pairs as JSON text (matchMany, 1000 per call) | ${rate(batchText)} pairs/s | ${((batchText * 1000) / N).toFixed(1)} µs/pair | ${cpuRate(batchTextCpu)} |`,
);
console.log(
  `| batch, decisions only (decideMany, 1000 per call) | ${rate(decisionsOnly)} pairs/s | ${((decisionsOnly * 1000) / N).toFixed(1)} µs/pair | ${cpuRate(decisionsOnlyCpu)} |`,
);
console.log(
  `| batch, all ${N} pairs in one matchMany call | ${cpuRate(oneCallCpu)} | wasm memory grown ${Number.isNaN(heapGrown) ? "n/a" : `${(heapGrown / 1e6).toFixed(1)} MB`} |`,
);
console.log(
  `| loaded: loadPairs (parse + prepare, once) | ${rate(load)} pairs/s | ${((load * 1000) / N).toFixed(1)} µs/pair | ${cpuRate(loadCpu)} |`,
);
console.log(
  `| loaded: decide (prepared pairs, best of 10, wall clock) | ${rate(decide)} pairs/s | ${((decide * 1000) / N).toFixed(2)} µs/pair |`,
);
console.log(
  `| loaded: decide (prepared pairs, best of 10, CPU time) | ${rate(decideCpu)} pairs/s | ${((decideCpu * 1000) / N).toFixed(2)} µs/pair |`,
);
console.log(
  `| loaded: decide, 1,000 pairs (best of 200, wall clock) | ${Math.round(1000 / (decideSmall / 1000)).toLocaleString("en")} pairs/s | ${decideSmall.toFixed(2)} µs/pair |`,
);
if (!Number.isNaN(cli))
  console.log(`| CLI match, JSONL file → stdout (incl. Node start) | ${rate(cli)} pairs/s | ${((cli * 1000) / N).toFixed(1)} µs/pair |`);
