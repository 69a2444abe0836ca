// WebAssembly memory held by pairs loaded with `loadPairs` (both sides prepared), in a fresh process:
// chunks of pairs are loaded one after the other and all kept; the growth of the wasm memory per
// pair from the second chunk on is what a loaded pair holds (the first chunk also pays for the heap
// the parser and the up-front reservation leave behind, reused by later chunks).
//   node bench/claims-memory.mjs NOISY.jsonl [PAIRS_PER_CHUNK] [CHUNKS]   (defaults 20000, 5)
import { readFileSync } from "node:fs";
import { ClaimsMatcher } from "../js/dist/node.js";
import { initSync } from "../js/wasm/okta_directory.js";

// The SDK has initialized the module already: this returns its exports (with `memory`).
const wasm = initSync({ module: readFileSync(new URL("../js/wasm/okta_directory_bg.wasm", import.meta.url)) });
const lines = readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
const per = Number(process.argv[3] ?? 20_000);
const chunks = Number(process.argv[4] ?? 5);
const text = (/** @type {number} */ c) =>
  Array.from({ length: per }, (_, i) => {
    const { verified, directory } = JSON.parse(lines[(c * per + i) % lines.length]);
    return JSON.stringify({ verified, directory });
  }).join("\n");
const matcher = new ClaimsMatcher();
const mb = (/** @type {number} */ bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const kept = [];
let before = wasm.memory.buffer.byteLength;
const start = before;
const input = text(0).length;
for (let c = 0; c < chunks; c++) {
  kept.push(matcher.loadPairs(text(c)));
  const now = wasm.memory.buffer.byteLength;
  console.log(`chunk ${c + 1}: +${mb(now - before)} (${Math.round((now - before) / per)} B/pair), total ${mb(now)}`);
  before = now;
}
const later = (before - (start + 0)) / (per * chunks);
console.log(`${per} pairs per chunk, ${Math.round(input / per)} B of JSON per pair; all ${chunks} chunks: ${Math.round(later)} B/pair`);
for (const k of kept) k.free();
