/**
 * matchMany / decideMany of a large array (this file runs in its own module instance, so it measures a
 * fresh memory): the pairs go to the module in chunks, so its heap stays small however many pairs one
 * call carries. As one text, 20,000 pairs (≈6 MB of JSON) grew it by ≈24 MB for good (wasm-bindgen
 * reserves three bytes per character after the first non-ASCII one; then the reports' codes). The
 * chunked call must decide exactly what one text decides, fail as one text fails, and show a `toJSON`
 * the key `JSON.stringify` of the whole array shows it.
 */
import { describe, expect, it } from "vitest";
import { ClaimsMatcher, type ClaimsPair } from "../src/node.js";
import { pairsText, wasmMemory as memory } from "./wasm-memory.js";

const PAIRS: ClaimsPair[] = pairsText(20_000)
  .split("\n")
  .map((line) => JSON.parse(line) as ClaimsPair);

describe("matchMany / decideMany of a large array", () => {
  it("keeps the module's heap small and decides what one text decides", () => {
    const matcher = new ClaimsMatcher();
    const before = memory();
    const reports = matcher.matchMany(PAIRS);
    const codes = matcher.decideMany(PAIRS);
    const grown = memory() - before;
    expect(grown, `grew ${(grown / 1e6).toFixed(1)} MB`).toBeLessThan(8_000_000);
    expect(reports).toHaveLength(PAIRS.length);
    expect(codes).toHaveLength(PAIRS.length);
    // The text path is never chunked: the same reports, values and key order, and the same codes.
    const text = JSON.stringify(PAIRS);
    expect(JSON.stringify(reports)).toBe(JSON.stringify(matcher.matchMany(text)));
    expect(reports).toStrictEqual(matcher.matchMany(text));
    expect(Array.from(codes)).toStrictEqual(Array.from(matcher.decideMany(text)));
    expect(new Set(codes).size, "some pairs match, some do not").toBeGreaterThan(1);
    matcher.free();
  });

  it("a pair's toJSON sees its index in the whole array", () => {
    const matcher = new ClaimsMatcher();
    const pair = PAIRS[0] as ClaimsPair;
    const other: ClaimsPair = { verified: { ...pair.verified, given_name: "Zebulon" }, directory: pair.directory };
    // Written with the key "1500" (its index) the pair matches; with any other key it does not.
    const byKey = { toJSON: (key: string) => (key === "1500" ? pair : other) };
    const pairs = PAIRS.slice(0, 3000);
    pairs[1500] = byKey as unknown as ClaimsPair;
    const expected = matcher.match(pair.verified, pair.directory).decision;
    expect(expected).toBe("match");
    expect(matcher.matchMany(pairs)[1500]?.decision).toBe(expected);
    expect(matcher.decideMany(pairs)[1500]).toBe(0);
    matcher.free();
  });

  it("fails as one text fails: a value JSON cannot hold anywhere before a pair that cannot be read", () => {
    const matcher = new ClaimsMatcher();
    const pairs: unknown[] = PAIRS.slice(0, 3000);
    pairs[10] = { verified: {}, directory: 5 };
    pairs[2500] = { verified: { given_name: 1n }, directory: {} };
    for (const call of [() => matcher.matchMany(pairs as ClaimsPair[]), () => matcher.decideMany(pairs as ClaimsPair[])]) {
      expect(call).toThrow(expect.objectContaining({ code: "CONVERSION_FAILED" }));
    }
    pairs[2500] = PAIRS[2500];
    for (const call of [() => matcher.matchMany(pairs as ClaimsPair[]), () => matcher.decideMany(pairs as ClaimsPair[])]) {
      expect(call).toThrow(expect.objectContaining({ code: "INVALID_PROFILE" }));
    }
    matcher.free();
  });
});
