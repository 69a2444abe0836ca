// Attacker's pins (main's behaviour, 2026-12-07, session 7) for the JS boundary of the claims SDK: values
// only JS can hand over — toJSON and getters, Dates, numbers, BigInt, cycles, undefined and sparse
// entries, strings as pairs, prototype keys, non-BMP text, U+2028, lone surrogates, very long strings — go
// through `match`, `matchMany`, `decideMany`, `loadPairs` (+ `decide`, `report`) in both modules and get
// the same decision or the same typed error (class and code) on every path. A faster boundary (one
// parse per batch, no stringify per pair, a decoder on wasm memory) must read each exactly as today.
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { ClaimsMatcher, DECISION_CODES } from "../src/node.js";

type Api = typeof ClaimsMatcher | typeof light.ClaimsMatcher;
type Pair = { verified: unknown; directory: unknown };

const V = { given_name: "Jose", family_name: "Garcia", birthdate: "1990-04-03" };
const D = { firstName: "Jose", lastName: "Garcia", birthdate: "1990-04-03" };

/** The cases: a name and the pair (built fresh each time: some hold state). */
function cases(): [string, () => unknown][] {
  const cyclic: Record<string, unknown> = { ...V };
  cyclic.self = cyclic;
  const proto = Object.create({ given_name: "Jose" }) as Record<string, unknown>;
  proto.family_name = "Garcia";
  proto.birthdate = "1990-04-03";
  let reads = 0;
  return [
    ["plain", () => ({ verified: V, directory: D })],
    ["toJSON on the pair", () => ({ toJSON: () => ({ verified: V, directory: D }) })],
    ["toJSON on a side", () => ({ verified: { toJSON: () => V }, directory: D })],
    ["toJSON on a value", () => ({ verified: { ...V, given_name: { toJSON: () => "Jose" } }, directory: D })],
    [
      "getter",
      () => ({
        verified: {
          ...V,
          get family_name() {
            reads++;
            return "Garcia";
          },
        },
        directory: D,
      }),
    ],
    ["Date birthdate", () => ({ verified: { ...V, birthdate: new Date("1990-04-03T00:00:00Z") }, directory: D })],
    ["number given name", () => ({ verified: { ...V, given_name: 1990 }, directory: { ...D, firstName: 1990 } })],
    ["boolean", () => ({ verified: { ...V, given_name: true }, directory: D })],
    ["null given", () => ({ verified: { ...V, given_name: null }, directory: D })],
    ["undefined given", () => ({ verified: { ...V, given_name: undefined }, directory: D })],
    ["function value", () => ({ verified: { ...V, given_name: () => "Jose" }, directory: D })],
    ["symbol value", () => ({ verified: { ...V, given_name: Symbol("Jose") }, directory: D })],
    ["symbol key", () => ({ verified: { ...V, [Symbol("x")]: 1 }, directory: D })],
    ["BigInt", () => ({ verified: { ...V, given_name: 1n }, directory: D })],
    ["cycle", () => ({ verified: cyclic, directory: D })],
    ["prototype key", () => ({ verified: proto, directory: D })],
    [
      "__proto__ own key",
      () => ({ verified: JSON.parse('{"__proto__": {"x": 1}, "given_name": "Jose", "family_name": "Garcia"}'), directory: D }),
    ],
    ["Map", () => ({ verified: new Map(Object.entries(V)), directory: D })],
    ["array as side", () => ({ verified: ["Jose"], directory: D })],
    ["string as side", () => ({ verified: JSON.stringify(V), directory: D })],
    ["string directory", () => ({ verified: V, directory: JSON.stringify(D) })],
    ["undefined directory", () => ({ verified: V, directory: undefined })],
    ["null pair", () => null],
    ["number pair", () => 7],
    ["string pair", () => JSON.stringify({ verified: V, directory: D })],
    ["non-BMP", () => ({ verified: { ...V, given_name: "Jos\u{1D41E}" }, directory: { ...D, firstName: "Jos\u{1D41E}" } })],
    ["emoji", () => ({ verified: { ...V, family_name: "Garcia \u{1F600}" }, directory: { ...D, lastName: "Garcia \u{1F600}" } })],
    ["U+2028", () => ({ verified: { ...V, given_name: "Jo\u2028se" }, directory: D })],
    ["lone high surrogate", () => ({ verified: { ...V, given_name: "Jose\ud800" }, directory: D })],
    ["lone low surrogate", () => ({ verified: V, directory: { ...D, lastName: "Garcia\udc00" } })],
    ["reversed surrogates", () => ({ verified: { ...V, given_name: "\udc00\ud800" }, directory: D })],
    ["NUL", () => ({ verified: { ...V, given_name: "Jo\u0000se" }, directory: { ...D, firstName: "Jo\u0000se" } })],
    ["quote and backslash", () => ({ verified: { ...V, family_name: 'Gar"cia\\' }, directory: { ...D, lastName: 'Gar"cia\\' } })],
    ["100k given name", () => ({ verified: { ...V, given_name: "J".repeat(100_000) }, directory: D })],
    [
      "1M family name both",
      () => ({ verified: { ...V, family_name: "é".repeat(1 << 19) }, directory: { ...D, lastName: "é".repeat(1 << 19) } }),
    ],
    ["extra keys", () => ({ verified: V, directory: D, id: "x", policy: { nonsense: 1 } })],
    ["frozen", () => Object.freeze({ verified: Object.freeze({ ...V }), directory: Object.freeze({ ...D }) })],
    [
      "class instance",
      () =>
        new (class P {
          verified = V;
          directory = D;
        })(),
    ],
    ["array as pair", () => [undefined, { verified: V, directory: D }]],
  ] as [string, () => unknown][];
}

/** `decision` or `Class:CODE` of the call. */
function outcome(f: () => unknown): string {
  try {
    const r = f();
    if (r instanceof Uint8Array) return Array.from(r, (c) => DECISION_CODES[c]).join(",");
    if (Array.isArray(r)) return r.map((x: { decision: string }) => x.decision).join(",");
    return (r as { decision: string }).decision;
  } catch (e) {
    if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== "string") throw e;
    return `${e.constructor.name}:${(e as unknown as { code: string }).code}`;
  }
}

function paths(Matcher: Api, make: () => unknown): Record<string, string> {
  using m = new Matcher();
  const one = (): unknown => {
    const p = make() as Pair | null;
    if (p === null || typeof p !== "object") return m.match(p as never, p as never);
    return m.match((p as Pair).verified as never, (p as Pair).directory as never);
  };
  return {
    match: outcome(one),
    matchMany: outcome(() => m.matchMany([make()] as never)),
    decideMany: outcome(() => m.decideMany([make()] as never)),
    loaded: outcome(() => {
      using l = m.loadPairs([make()] as never);
      const codes = l.decide();
      const again = l.decide();
      if (codes.join() !== again.join()) throw new Error("decide twice differs");
      return Array.from({ length: codes.length }, (_, i) => l.report(i));
    }),
  };
}

// Pinned on main (0007a04): each case's outcome per path, the same in both modules.
const PINNED: Record<string, Record<string, string>> = {};

describe("odd JS values: every path reads them as main does, in both modules", () => {
  it("full and claims-only modules agree on every case and path", () => {
    const bad: string[] = [];
    for (const [name, make] of cases()) {
      const full = paths(ClaimsMatcher, make);
      const lite = paths(light.ClaimsMatcher, make);
      if (JSON.stringify(full) !== JSON.stringify(lite)) bad.push(`${name}: ${JSON.stringify(full)} vs ${JSON.stringify(lite)}`);
      PINNED[name] = full;
    }
    expect(bad).toEqual([]);
  });

  it("outcomes as pinned", () => {
    expect(PINNED).toMatchInlineSnapshot(`
      {
        "100k given name": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "1M family name both": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "BigInt": {
          "decideMany": "ConversionError:CONVERSION_FAILED",
          "loaded": "ConversionError:CONVERSION_FAILED",
          "match": "ConversionError:CONVERSION_FAILED",
          "matchMany": "ConversionError:CONVERSION_FAILED",
        },
        "Date birthdate": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "Map": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "NUL": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "U+2028": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "__proto__ own key": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "array as pair": {
          "decideMany": "InvalidInputError:INVALID_PROFILE",
          "loaded": "InvalidInputError:INVALID_PROFILE",
          "match": "InvalidInputError:INVALID_PROFILE",
          "matchMany": "InvalidInputError:INVALID_PROFILE",
        },
        "array as side": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "boolean": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "class instance": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "cycle": {
          "decideMany": "ConversionError:CONVERSION_FAILED",
          "loaded": "ConversionError:CONVERSION_FAILED",
          "match": "ConversionError:CONVERSION_FAILED",
          "matchMany": "ConversionError:CONVERSION_FAILED",
        },
        "emoji": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "extra keys": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "frozen": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "function value": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "getter": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "lone high surrogate": {
          "decideMany": "InvalidInputError:INVALID_JSON",
          "loaded": "InvalidInputError:INVALID_JSON",
          "match": "InvalidInputError:INVALID_JSON",
          "matchMany": "InvalidInputError:INVALID_JSON",
        },
        "lone low surrogate": {
          "decideMany": "InvalidInputError:INVALID_JSON",
          "loaded": "InvalidInputError:INVALID_JSON",
          "match": "InvalidInputError:INVALID_JSON",
          "matchMany": "InvalidInputError:INVALID_JSON",
        },
        "non-BMP": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "null given": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "null pair": {
          "decideMany": "InvalidInputError:INVALID_PROFILE",
          "loaded": "InvalidInputError:INVALID_PROFILE",
          "match": "InvalidInputError:INVALID_PROFILE",
          "matchMany": "InvalidInputError:INVALID_PROFILE",
        },
        "number given name": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "number pair": {
          "decideMany": "InvalidInputError:INVALID_PROFILE",
          "loaded": "InvalidInputError:INVALID_PROFILE",
          "match": "InvalidInputError:INVALID_PROFILE",
          "matchMany": "InvalidInputError:INVALID_PROFILE",
        },
        "plain": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "prototype key": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "quote and backslash": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "reversed surrogates": {
          "decideMany": "InvalidInputError:INVALID_JSON",
          "loaded": "InvalidInputError:INVALID_JSON",
          "match": "InvalidInputError:INVALID_JSON",
          "matchMany": "InvalidInputError:INVALID_JSON",
        },
        "string as side": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "match",
          "matchMany": "no_match",
        },
        "string directory": {
          "decideMany": "InvalidInputError:INVALID_PROFILE",
          "loaded": "InvalidInputError:INVALID_PROFILE",
          "match": "match",
          "matchMany": "InvalidInputError:INVALID_PROFILE",
        },
        "string pair": {
          "decideMany": "InvalidInputError:INVALID_PROFILE",
          "loaded": "InvalidInputError:INVALID_PROFILE",
          "match": "no_match",
          "matchMany": "InvalidInputError:INVALID_PROFILE",
        },
        "symbol key": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "symbol value": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
        "toJSON on a side": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "toJSON on a value": {
          "decideMany": "match",
          "loaded": "match",
          "match": "match",
          "matchMany": "match",
        },
        "toJSON on the pair": {
          "decideMany": "match",
          "loaded": "match",
          "match": "InvalidInputError:INVALID_PROFILE",
          "matchMany": "match",
        },
        "undefined directory": {
          "decideMany": "InvalidInputError:INVALID_PROFILE",
          "loaded": "InvalidInputError:INVALID_PROFILE",
          "match": "InvalidInputError:INVALID_PROFILE",
          "matchMany": "InvalidInputError:INVALID_PROFILE",
        },
        "undefined given": {
          "decideMany": "no_match",
          "loaded": "no_match",
          "match": "no_match",
          "matchMany": "no_match",
        },
      }
    `);
  });
});
