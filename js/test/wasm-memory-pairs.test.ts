/**
 * Wasm memory across repeated loads, in one module (this file runs in its own module instance): a load
 * reserves heap up front only into a memory smaller than the reservation. Reserving again into a grown
 * memory made every load grow it by a whole reservation (loadPairs: 5 loads of 20,000 pairs kept, 520 MB
 * instead of 350 MB; Directory.fromSnapshot: 566 MB instead of 340 MB over three loads). Bytes, not time:
 * the allocator is deterministic for the same module and the same inputs.
 */
import { describe, expect, it } from "vitest";
import { ClaimsMatcher } from "../src/node.js";
import { pairsText, wasmMemory as memory } from "./wasm-memory.js";

describe("wasm memory across repeated loadPairs", () => {
  it("loadPairs: a later load into a grown memory grows it by what the pairs hold, not by a new reservation", () => {
    const matcher = new ClaimsMatcher();
    const text = pairsText(4_000);
    const input = Buffer.byteLength(text);
    const kept = [];
    const after: number[] = [];
    for (let i = 0; i < 5; i++) {
      kept.push(matcher.loadPairs(text));
      after.push(memory());
    }
    const decisions = kept.map((k) => k.decide().join(","));
    expect(new Set(decisions).size, "every load decides the same").toBe(1);
    // A later load adds what its pairs hold (about 7 B per input byte here). A reservation per load (16 B per
    // input byte) did not fit beside the pairs kept and grew memory by a whole reservation at a time.
    const steps = after.slice(1).map((b, i) => (b - (after[i] as number)) / input);
    const trace = `grew ${after.map((b) => (b / 1e6).toFixed(1)).join(" → ")} MB for ${input} B of input`;
    expect(Math.max(...steps), trace).toBeLessThan(12);
    expect(((after[4] as number) - (after[0] as number)) / 4 / input, trace).toBeLessThan(9);
    for (const k of kept) k.free();
    matcher.free();
  });
});
