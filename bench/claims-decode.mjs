// The JS half of matchMany's reports: decoding one `matchManyCodes` answer into report objects
// (js/src/claims-codes.ts), timed apart from the module. CPU time of this process, a full GC before
// each run (run with --expose-gc), median of RUNS; and the heap a decode's reports hold, per report.
// Given a second decoder (OTHER, e.g. a copy of an older js/dist/claims-codes.js placed beside it in
// js/dist/), both are run alternated in this one process and must give the same JSON text.
//   node --expose-gc bench/claims-decode.mjs NOISY.jsonl [PAIRS=20000] [RUNS=16] [OTHER]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { decodeReports } from "../js/dist/claims-codes.js";
import { ClaimsMatcher as SdkMatcher } from "../js/dist/node.js";
import { ClaimsMatcher, reportNamesJson } from "../js/wasm/okta_directory.js";

/** @typedef {typeof decodeReports} Decode */

const [file, pairsArg, runsArg, other] = process.argv.slice(2);
if (!file) throw new Error("usage: node --expose-gc bench/claims-decode.mjs NOISY.jsonl [PAIRS] [RUNS] [OTHER]");
const N = Number(pairsArg ?? 20_000);
// The SDK's first matcher loads the module.
new SdkMatcher().free();
const RUNS = Number(runsArg ?? 16);
const lines = readFileSync(file, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => {
    const { verified, directory } = JSON.parse(l);
    return { verified, directory };
  });
const pairs = Array.from({ length: N }, (_, i) => lines[i % lines.length]);
const names = JSON.parse(reportNamesJson());
const inner = new ClaimsMatcher(undefined, undefined, false, undefined);
const codes = inner.matchManyCodes(JSON.stringify(pairs));

/** @type {[string, Decode][]} */
const decoders = [["js/dist/claims-codes.js", decodeReports]];
if (other) {
  /** @type {{ decodeReports: Decode }} */
  const mod = await import(pathToFileURL(resolve(other)).href);
  decoders.push([other, mod.decodeReports]);
  const [a, b] = decoders.map(([, decode]) => JSON.stringify(decode(codes, names)));
  if (a !== b) throw new Error("the two decoders give different reports");
}
const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
if (!gc) console.error("(no --expose-gc: runs include the previous run's collection)");
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** @type {number[][]} */
const times = decoders.map(() => []);
/** @type {unknown} */
let kept;
for (let r = 0; r < RUNS; r++) {
  const order = r % 2 === 0 ? decoders.map((_, i) => i) : decoders.map((_, i) => decoders.length - 1 - i);
  for (const i of order) {
    kept = undefined;
    gc?.();
    const t = cpu();
    kept = decoders[i]?.[1](codes, names);
    times[i]?.push(cpu() - t);
  }
}
/** The heap the reports of one decode hold once collected, per report (needs --expose-gc). */
const retained = (/** @type {Decode} */ decode) => {
  if (!gc) return "?";
  kept = undefined;
  gc();
  const before = process.memoryUsage().heapUsed;
  kept = decode(codes, names);
  gc();
  return ((process.memoryUsage().heapUsed - before) / N).toFixed(0);
};
console.log(`${N} reports, ${codes.length} B of codes, CPU ms per decode (median of ${RUNS}):`);
decoders.forEach(([label, decode], i) => {
  const sorted = (times[i] ?? []).sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] ?? 0;
  const us = ((median * 1000) / N).toFixed(2);
  console.log(
    `${label}: ${median.toFixed(1)} ms, ${us} µs/report (min ${(sorted[0] ?? 0).toFixed(1)} ms), ${retained(decode)} B/report held`,
  );
});
void kept;
inner.free();
