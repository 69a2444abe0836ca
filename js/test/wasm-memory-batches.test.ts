/**
 * matchMany / decideMany of a large array (this file runs in its own module instance, so it measures a
 * fresh memory): the pairs go to the module in chunks, so its heap stays small however many pairs one
 * call carries. As one text, 20,000 pairs (≈6 MB of JSON) grew it by ≈24 MB for good (wasm-bindgen
 * reserves three bytes per character after the first non-ASCII one; then the reports' codes). The
 * chunked call must decide exactly what one text decides, fail as one text fails (the same message),
 * and run every getter and `toJSON` once, in the order and with the key `JSON.stringify` of the whole
 * array does: the array is written once and only its text is cut.
 */
import { describe, expect, it } from "vitest";
import { CHUNK_PAIRS, CUT_CHARS, cutArray } from "../src/claims-chunks.js";
import { ClaimsMatcher, type ClaimsPair } from "../src/node.js";
import { pairsText, wasmMemory as memory } from "./wasm-memory.js";

const PAIRS: ClaimsPair[] = pairsText(20_000)
  .split("\n")
  .map((line) => JSON.parse(line) as ClaimsPair);

describe("matchMany / decideMany of a large array", () => {
  it("is large enough to be cut", () => {
    expect(JSON.stringify(PAIRS).length).toBeGreaterThan(CUT_CHARS);
    expect(cutArray(JSON.stringify(PAIRS)).length).toBe(PAIRS.length / CHUNK_PAIRS);
  });

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
    const pairs = PAIRS.slice();
    pairs[1500] = byKey as unknown as ClaimsPair;
    const expected = matcher.match(pair.verified, pair.directory).decision;
    expect(expected).toBe("match");
    expect(matcher.matchMany(pairs)[1500]?.decision).toBe(expected);
    expect(matcher.decideMany(pairs)[1500]).toBe(0);
    matcher.free();
  });

  it("fails as one text fails: a value JSON cannot hold anywhere before a pair that cannot be read", () => {
    const matcher = new ClaimsMatcher();
    const pairs: unknown[] = PAIRS.slice();
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

describe("cutArray", () => {
  it("cuts JSON.stringify text between elements only, whatever the strings hold", () => {
    const nasty = ['"},{"', "\\", '\\"', "],[", ",", "{", "]", "\u2028", "x\\\\"];
    const items = Array.from({ length: 2 * CHUNK_PAIRS + 7 }, (_, i) => ({
      s: nasty[i % nasty.length],
      n: [i, { deep: [nasty[(i + 1) % nasty.length], null] }],
    }));
    const text = JSON.stringify(items);
    expect(cutArray(text)).toStrictEqual([text]);
    const chunks = cutArray(text, 0);
    expect(chunks).toHaveLength(3);
    expect(chunks.map((c) => (JSON.parse(c) as unknown[]).length)).toStrictEqual([CHUNK_PAIRS, CHUNK_PAIRS, 7]);
    expect(chunks.flatMap((c) => JSON.parse(c) as unknown[])).toStrictEqual(items);
    expect(cutArray(JSON.stringify(items.slice(0, CHUNK_PAIRS)), 0)).toHaveLength(1);
    expect(cutArray(JSON.stringify(items.slice(0, CHUNK_PAIRS + 1)), 0)).toHaveLength(2);
  });

  it("a getter element that changes an earlier pair is read after that pair is written, as JSON.stringify does", () => {
    const matcher = new ClaimsMatcher();
    const pairs: ClaimsPair[] = PAIRS.slice().map((p) => ({ verified: { ...p.verified }, directory: p.directory }));
    const first = pairs[0] as ClaimsPair;
    const alone = matcher.match(first.verified, first.directory).decision;
    Object.defineProperty(pairs, 1500, {
      get() {
        first.verified.given_name = "Zebulon";
        return PAIRS[1500];
      },
      enumerable: true,
    });
    expect(matcher.matchMany(pairs)[0]?.decision).toBe(alone);
    matcher.free();
  });

  it("a pair the module refuses fails with the message one text gives (positions from the whole text)", () => {
    const matcher = new ClaimsMatcher();
    const pairs = PAIRS.slice();
    pairs[2500] = { verified: { given_name: "Jose\ud800" }, directory: {} } as ClaimsPair;
    const message = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        return `${(error as { code?: string }).code} ${(error as Error).message}`;
      }
      return "no error";
    };
    const whole = message(() => matcher.matchMany(JSON.stringify(pairs)));
    expect(whole).toMatch(/^INVALID_JSON /);
    expect(message(() => matcher.matchMany(pairs))).toBe(whole);
    expect(message(() => matcher.decideMany(pairs))).toBe(whole);
    matcher.free();
  });
});
