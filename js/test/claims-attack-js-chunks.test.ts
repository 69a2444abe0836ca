// Attacker's pins (main's behaviour, 2026-12-07, session 9, 49492a8) for a chunked `matchMany`/`decideMany`
// (a large array sent to wasm in parts): JSON.stringify of the whole array is the specification — it reads
// each element and writes it before reading the next. Arrays longer than a chunk whose elements are getters
// with side effects (one mutates an earlier pair; one returns another pair when read twice), a toJSON on a
// late pair or inherited by it, holes filled from Array.prototype, Proxies, and a pair that cannot be read
// late in the array must decide (or fail) exactly as the same array's JSON text does, in both modules.
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { ClaimsMatcher, DECISION_CODES, type MatchReport } from "../src/node.js";

type Side = Record<string, unknown>;
type Pair = { verified: Side; directory: Side };

const V: Side = { given_name: "Jose", family_name: "Garcia", birthdate: "1990-04-03" };
const D: Side = { firstName: "Jose", lastName: "Garcia", birthdate: "1990-04-03" };
const N = 2500;
const fresh = (): Pair => ({ verified: { ...V }, directory: { ...D } });
const eve = (): Pair => ({ verified: { ...V, given_name: "Eve" }, directory: { ...D } });
const list = (): Pair[] => Array.from({ length: N }, fresh);

/** Arrays longer than a chunk, built fresh (some hold state). */
function inputs(): [string, () => unknown][] {
  return [
    [
      "a late getter element that changes the first pair",
      () => {
        const a = list();
        Object.defineProperty(a, 1500, {
          enumerable: true,
          get: () => {
            (a[0] as Pair).verified.given_name = "Eve";
            return fresh();
          },
        });
        return a;
      },
    ],
    [
      "a getter element read twice gives another pair, a toJSON pair later",
      () => {
        const a = list();
        let reads = 0;
        Object.defineProperty(a, 1200, { enumerable: true, get: () => (reads++ === 0 ? eve() : fresh()) });
        a[2000] = { ...fresh(), toJSON: () => fresh() } as unknown as Pair;
        return a;
      },
    ],
    [
      "a getter element that empties a later pair",
      () => {
        const a = list();
        Object.defineProperty(a, 900, {
          enumerable: true,
          get: () => {
            (a[1900] as Pair).verified.given_name = "";
            return fresh();
          },
        });
        return a;
      },
    ],
    ["a toJSON on a late pair", () => Object.assign(list(), { 1800: { ...fresh(), toJSON: () => eve() } })],
    [
      "a toJSON inherited by a late pair",
      () => {
        const a = list();
        a[1700] = Object.assign(Object.create({ toJSON: () => eve() }), fresh()) as Pair;
        return a;
      },
    ],
    [
      "a late hole",
      () => {
        const a = list();
        delete a[2100];
        return a;
      },
    ],
    ["a late unreadable pair", () => Object.assign(list(), { 2400: { verified: "x", directory: 7 } })],
    ["a late pair of the wrong kind", () => Object.assign(list(), { 1001: [fresh()] })],
    ["a late BigInt", () => Object.assign(list(), { 2300: { verified: { ...V, given_name: 1n }, directory: D } })],
    ["a Proxy array", () => new Proxy(list(), {})],
    [
      "a Proxy array whose elements change on a second read",
      () => {
        const seen = new Set<PropertyKey>();
        return new Proxy(list(), {
          get: (t, k, r) => {
            if (k === "1300" && seen.has(k)) return eve();
            seen.add(k);
            return Reflect.get(t, k, r);
          },
        });
      },
    ],
    ["an array subclass", () => Object.setPrototypeOf(list(), class extends Array {}.prototype)],
    ["an own slice that lies", () => Object.assign(list(), { slice: () => [eve()], map: () => [eve()] })],
    ["exactly one chunk and one more", () => Array.from({ length: 1001 }, (_, i) => (i === 1000 ? eve() : fresh()))],
  ];
}

/** The decisions of one call, or `Class:CODE` of its typed error. */
function outcome(f: () => unknown): string {
  try {
    const r = f();
    const codes = r instanceof Uint8Array ? Array.from(r, (c) => DECISION_CODES[c]) : (r as MatchReport[]).map((x) => x.decision);
    const counts: Record<string, number[]> = {};
    codes.forEach((c, i) => {
      (counts[c ?? "?"] ??= []).push(i);
    });
    return Object.entries(counts)
      .map(([k, v]) => `${k}: ${v.length > 5 ? `${v.length}` : v.join(" ")}`)
      .join("; ");
  } catch (e) {
    if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== "string") throw e;
    return `${e.constructor.name}:${(e as unknown as { code: string }).code}`;
  }
}

describe("arrays longer than a chunk decide as their JSON text", () => {
  for (const [name, Matcher] of [
    ["full", ClaimsMatcher],
    ["claims-only", light.ClaimsMatcher],
  ] as const) {
    it(`${name}: matchMany, decideMany and loadPairs of the objects equal the text's`, () => {
      using m = new Matcher();
      const bad: string[] = [];
      const got: Record<string, string> = {};
      for (const [label, make] of inputs()) {
        let text: string | undefined;
        try {
          text = JSON.stringify(make());
        } catch {
          text = undefined;
        }
        const want = text === undefined ? "unwritable" : outcome(() => m.matchMany(text as never));
        const paths: [string, () => unknown][] = [
          ["matchMany", () => m.matchMany(make() as never)],
          ["decideMany", () => m.decideMany(make() as never)],
          [
            "loadPairs",
            () => {
              using l = m.loadPairs(make() as never);
              return l.decide();
            },
          ],
        ];
        for (const [path, f] of paths) {
          const now = outcome(f);
          if (text !== undefined && now !== want) bad.push(`${label} [${path}]: objects ${now} | text ${want}`);
        }
        got[label] = text === undefined ? `unwritable: ${outcome(paths[0]![1])}` : want;
      }
      expect(bad).toEqual([]);
      expect(got).toMatchInlineSnapshot(`
        {
          "a Proxy array": "match: 2500",
          "a Proxy array whose elements change on a second read": "match: 2500",
          "a getter element read twice gives another pair, a toJSON pair later": "match: 2499; no_match: 1200",
          "a getter element that empties a later pair": "match: 2499; no_match: 1900",
          "a late BigInt": "unwritable: ConversionError:CONVERSION_FAILED",
          "a late getter element that changes the first pair": "match: 2500",
          "a late hole": "InvalidInputError:INVALID_PROFILE",
          "a late pair of the wrong kind": "InvalidInputError:INVALID_PROFILE",
          "a late unreadable pair": "InvalidInputError:INVALID_PROFILE",
          "a toJSON inherited by a late pair": "match: 2499; no_match: 1700",
          "a toJSON on a late pair": "match: 2499; no_match: 1800",
          "an array subclass": "match: 2500",
          "an own slice that lies": "match: 2500",
          "exactly one chunk and one more": "match: 1000; no_match: 1000",
        }
      `);
    });
  }
});
