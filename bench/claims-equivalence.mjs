// Equivalence check for changes that must not change any decision: writes every report of a JSONL
// file of pairs (`{"verified", "directory"}` per line) through the SDK's `matchMany`, `match` and the
// loaded path, to a file (v8 serialization, which keeps `undefined` properties), or compares with
// such a file written by an earlier build.
//   node bench/claims-equivalence.mjs PAIRS.jsonl write BEFORE.bin   (with the old build)
//   node bench/claims-equivalence.mjs PAIRS.jsonl check BEFORE.bin   (with the new build)
//   node bench/claims-equivalence.mjs PAIRS.jsonl check BEFORE.bin claims   (the claims-only module,
//   `okta-directory/claims`, against the same file: both modules decide alike)
import { readFileSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { deserialize, serialize } from "node:v8";

const [file, mode, out, entry = "node"] = process.argv.slice(2);
if (entry !== "node" && entry !== "claims") throw new Error(`entry: node or claims, not ${entry}`);
/** @type {typeof import("../js/dist/node.js")} */
const { ClaimsMatcher, DECISION_CODES } = await import(entry === "node" ? "../js/dist/node.js" : "../js/dist/claims-node.js");
const pairs = readFileSync(file, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => {
    const { verified, directory } = JSON.parse(l);
    return { verified, directory };
  });
const matcher = new ClaimsMatcher();
/** @type {import("../js/dist/node.js").MatchReport[]} */
const many = [];
for (let i = 0; i < pairs.length; i += 1000) many.push(...matcher.matchMany(pairs.slice(i, i + 1000)));
const single = pairs.map((p) => matcher.match(p.verified, p.directory));
const loaded = matcher.loadPairs(pairs);
const decided = Array.from(loaded.decide());
const reports = pairs.map((_, i) => loaded.report(i));
loaded.free();
// decideMany must decide as matchMany does (checked in this run: files written before it existed lack it).
/** @type {number[]} */
const codes = [];
for (let i = 0; i < pairs.length; i += 1000) codes.push(...matcher.decideMany(pairs.slice(i, i + 1000)));
const wrong = codes.filter((code, i) => DECISION_CODES[code] !== many[i]?.decision).length;
if (wrong > 0 || codes.length !== pairs.length) {
  console.error(`decideMany: ${wrong} of ${codes.length} decisions differ from matchMany's`);
  process.exit(1);
}
/** @type {Record<string, unknown[]>} */
const result = { many, single, decided, reports };
if (mode === "write") {
  writeFileSync(out, serialize(result));
  console.log(`${pairs.length} pairs: reports written to ${out}`);
} else {
  const before = deserialize(readFileSync(out));
  let differ = 0;
  for (const key of /** @type {(keyof typeof result)[]} */ (Object.keys(result))) {
    for (let i = 0; i < pairs.length; i++) {
      if (!isDeepStrictEqual(result[key][i], before[key][i])) {
        if (differ++ < 5) console.error(`${key}[${i}] differs:\n${JSON.stringify(before[key][i])}\n${JSON.stringify(result[key][i])}`);
      }
    }
  }
  if (differ > 0) {
    console.error(`${differ} results differ`);
    process.exit(1);
  }
  console.log(`${pairs.length} pairs: matchMany, match, loaded decide and reports identical to ${out}; decideMany equal to matchMany`);
}
