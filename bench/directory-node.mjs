// The directory at scale in Node (wasm build): snapshot load time, lookup latency p50/p99 per path,
// memory. Needs `bash scripts/build.sh` first.
//   node --expose-gc bench/directory-node.mjs [USERS]      (default 1000000)
//   ONLY_LOAD=1 LOADS=1 /usr/bin/time -v node bench/directory-node.mjs   (the first load alone)
// Besides wall-clock p50/p99 per call it prints each path's CPU time per call (`process.cpuUsage` over
// every hint, best of 3 passes) and its ratio to `findIndex()` on a miss measured in the same process:
// figures that a busy machine changes far less than wall time (a waiting process uses no CPU).
// The snapshot and sampled hints are generated once by the native bench's generator
// (`DIRECTORY_BENCH_WRITE=.cache/directory-bench cargo bench --bench directory`) and cached in
// .cache/directory-bench/ (not committed).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Directory } from "../js/dist/node.js";
import { DirectoryCore, initSync } from "../js/wasm/okta_directory.js";

const N = Number(process.argv[2] ?? 1_000_000);
const LOADS = Number(process.env.LOADS ?? 3);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(root, ".cache", "directory-bench");
/** @param {string} name */
const file = (name) => join(cache, `${name}-${N}.${name === "directory" ? "okds" : "txt"}`);

if (!existsSync(file("directory"))) {
  console.error(`generating ${N} users with the native generator (cargo bench --bench directory)…`);
  execFileSync("cargo", ["bench", "--bench", "directory"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DIRECTORY_BENCH_WRITE: cache, DIRECTORY_BENCH_USERS: String(N) },
  });
}
const bytes = new Uint8Array(readFileSync(file("directory")));
/** @param {string} name */
const lines = (name) => readFileSync(file(name), "utf8").split("\n").filter(Boolean);
const logins = lines("logins");
const emails = lines("emails");
const misses = Array.from({ length: 20_000 }, (_, i) => `nobody.${i}@example.com`);

// The module is already instantiated by the node entry: initSync returns its exports (memory).
const exports = initSync({ module: readFileSync(join(root, "js/wasm/okta_directory_bg.wasm")) });
/** @param {number} b */
const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
const gc = () => globalThis.gc?.();

gc();
const rssBefore = process.memoryUsage().rss;
const wasmBefore = exports.memory.buffer.byteLength;
/** @type {{ wall: number, cpu: number }[]} */
const loads = [];
/** @type {Directory | undefined} */
let loaded;
for (let i = 0; i < Math.max(1, LOADS); i++) {
  loaded?.free();
  const cpu = process.cpuUsage();
  const t = performance.now();
  loaded = Directory.fromSnapshot(bytes);
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  loads.push({ wall, cpu: (used.user + used.system) / 1000 });
}
const dir = /** @type {Directory} */ (loaded);
if (process.env.ONLY_LOAD) {
  // `ONLY_LOAD=1 LOADS=1 /usr/bin/time -v node bench/directory-node.mjs`: a fresh process that reads the
  // snapshot and loads it once (page faults and context switches of the load, not of the lookups).
  console.log(`load: ${loads.map((l) => `${(l.wall / 1000).toFixed(2)} s wall (${(l.cpu / 1000).toFixed(2)} s CPU)`).join(", ")}`);
  process.exit(0);
}
gc();
const info = dir.info();

/** @typedef {{ p50: number, p99: number, overhead: number, cpu: number }} PerCall */

/**
 * Per-call latency in ns (each call timed on its own, minus the timer's own median cost), and the
 * CPU time per call (`cpu`, ns: process CPU over one untimed pass through every hint, best of 3).
 * @param {string[]} hints
 * @param {(hint: string) => unknown} call
 * @returns {PerCall}
 */
function perCall(hints, call) {
  const timer = [];
  for (let i = 0; i < 20_000; i++) {
    const a = process.hrtime.bigint();
    timer.push(Number(process.hrtime.bigint() - a));
  }
  timer.sort((x, y) => x - y);
  const overhead = timer[timer.length >> 1];
  for (const h of hints.slice(0, 2000)) call(h); // warm-up (JIT)
  /** @type {number[]} */
  const ns = [];
  for (const h of hints) {
    const a = process.hrtime.bigint();
    call(h);
    ns.push(Number(process.hrtime.bigint() - a) - overhead);
  }
  ns.sort((x, y) => x - y);
  /** @param {number} q */
  const at = (q) => Math.max(0, ns[Math.floor((ns.length - 1) * q)]);
  let cpu = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 3; pass++) {
    const before = process.cpuUsage();
    for (const h of hints) call(h);
    const used = process.cpuUsage(before);
    cpu = Math.min(cpu, ((used.user + used.system) * 1000) / hints.length);
  }
  return { p50: at(0.5), p99: at(0.99), overhead, cpu };
}

/**
 * Inside wasm: one crossing per batch of 64 hints (`lookupIndexLines`): p50/p99 of each batch's
 * per-lookup mean, and the amortized mean over all batches (total time / hints).
 * @param {string[]} hints
 * @param {DirectoryCore} d
 */
function batched(hints, d) {
  /** @type {number[]} */
  const per = [];
  const texts = [];
  for (let i = 0; i + 64 <= hints.length; i += 64) texts.push(hints.slice(i, i + 64).join("\n"));
  for (const text of texts.slice(0, 30)) d.lookupIndexLines(text); // warm-up
  let total = 0;
  for (const text of texts) {
    const a = process.hrtime.bigint();
    d.lookupIndexLines(text);
    const ns = Number(process.hrtime.bigint() - a);
    total += ns;
    per.push(ns / 64);
  }
  per.sort((x, y) => x - y);
  return { p50: per[per.length >> 1], p99: per[Math.floor((per.length - 1) * 0.99)], mean: total / (texts.length * 64) };
}

/**
 * @param {(hint: string) => unknown} fn
 * @returns {(hint: string) => void}
 */
const swallow = (fn) => (h) => {
  try {
    fn(h);
  } catch {
    /* misses throw LookupError (find and findIndex do not) */
  }
};
/** @typedef {"login" | "email" | "miss"} HintKind */
/** @type {[HintKind, string[]][]} */
const kinds = [
  ["login", logins],
  ["email", emails],
  ["miss", misses],
];
/** @type {Partial<Record<HintKind, Record<"lookupIndex" | "findIndex" | "lookup" | "find" | "lookupJson", PerCall>>>} */
const results = {};
for (const [name, hints] of kinds) {
  results[name] = {
    lookupIndex: perCall(
      hints,
      swallow((h) => dir.lookupIndex(h)),
    ),
    findIndex: perCall(hints, (h) => dir.findIndex(h)),
    lookup: perCall(
      hints,
      swallow((h) => dir.lookup(h)),
    ),
    find: perCall(hints, (h) => dir.find(h)),
    lookupJson: perCall(
      hints,
      swallow((h) => dir.lookupJson(h)),
    ),
  };
}

// The login hits split by the hint's text: a non-ASCII hint is normalized (case, diacritics, NFC) before
// hashing, and is most of the hits' tail (8.5 % of the generated logins, a few µs each).
/** @param {string} h */
const isAscii = (h) => /^[\x00-\x7f]*$/.test(h);
const byText = {
  ascii: perCall(logins.filter(isAscii), (h) => dir.lookupIndex(h)),
  other: perCall(
    logins.filter((h) => !isAscii(h)),
    (h) => dir.lookupIndex(h),
  ),
};
const nonAscii = logins.filter((h) => !isAscii(h)).length;

// Inside wasm: load a DirectoryCore directly (the SDK class hides its core).
dir.free();
gc();
const core2 = DirectoryCore.fromSnapshot(bytes);
const inside = {
  login: batched(logins, core2),
  email: batched(emails, core2),
  miss: batched(misses, core2),
};
const coreLookup = perCall(logins, (h) => core2.lookup(h));
const held = core2.memoryBytes();
core2.free();

/** @param {number} ns */
const us = (ns) => `${(ns / 1000).toFixed(2)} µs`;
/** @param {{ p50: number, p99: number }} r */
const row = (r) => `p50 ${us(r.p50)}  p99 ${us(r.p99)}`;
console.log(
  `directory in wasm under Node ${process.version}: ${info.users} users, ${info.groups} groups, ${info.memberships} memberships; snapshot ${mb(bytes.length)} (${(bytes.length / info.users).toFixed(1)} B/user)`,
);
/** @param {number} ms */
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `load (fromSnapshot: copy in, checksum, validate, index), wall (process CPU): ${loads.map((l) => `${secs(l.wall)} (${secs(l.cpu)})`).join(", ")}`,
);
console.log(
  `memory: held by the directory ${mb(held)} (${(held / info.users).toFixed(0)} B/user); wasm memory ${mb(wasmBefore)} → ${mb(exports.memory.buffer.byteLength)} (grows to the peak, never shrinks); process RSS ${mb(rssBefore)} → ${mb(process.memoryUsage().rss)}`,
);
for (const [name] of kinds) {
  const r = /** @type {NonNullable<typeof results[HintKind]>} */ (results[name]);
  console.log(`${name.padEnd(5)}  inside wasm (batches of 64): ${row(inside[name])} mean ${us(inside[name].mean)}`);
  console.log(
    `       JS lookupIndex(): ${row(r.lookupIndex)} | findIndex(): ${row(r.findIndex)} | lookup(): ${row(r.lookup)} | find(): ${row(r.find)} | lookupJson(): ${row(r.lookupJson)}`,
  );
}
console.log(
  `login  JS core.lookup() (serde-wasm-bindgen object, the former lookup()): ${row(coreLookup)}  (timer overhead ${coreLookup.overhead} ns subtracted)`,
);
console.log(
  `login  JS lookupIndex() by hint text: ASCII (${logins.length - nonAscii}) ${row(byText.ascii)} | non-ASCII (${nonAscii}) ${row(byText.other)}`,
);
// CPU time per call, and its ratio to `findIndex()` on a miss (one crossing, one lookup that finds
// nobody) measured in this process: a busy machine stretches wall time, much less these.
const base = /** @type {NonNullable<typeof results[HintKind]>} */ (results.miss).findIndex.cpu;
/** @param {PerCall} r */
const cpuCell = (r) => `${(r.cpu / 1000).toFixed(2)} µs (${(r.cpu / base).toFixed(2)}×)`;
console.log(`CPU per call, mean over every hint (× findIndex() on a miss, ${(base / 1000).toFixed(2)} µs):`);
for (const [name] of kinds) {
  const r = /** @type {NonNullable<typeof results[HintKind]>} */ (results[name]);
  console.log(
    `${name.padEnd(5)}  lookupIndex() ${cpuCell(r.lookupIndex)} | findIndex() ${cpuCell(r.findIndex)} | lookup() ${cpuCell(r.lookup)} | find() ${cpuCell(r.find)} | lookupJson() ${cpuCell(r.lookupJson)}`,
  );
}
console.log(`login  lookupIndex() by hint text: ASCII ${cpuCell(byText.ascii)} | non-ASCII ${cpuCell(byText.other)}`);
console.log(
  `login  core.lookup() (serde) ${cpuCell(coreLookup)}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
