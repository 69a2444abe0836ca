// Attacker's pins (main's behaviour, 2026-12-07, session 8) for a new JS boundary of `matchMany` (and
// `decideMany`, `loadPairs`, `match`): today each takes plain objects through JSON.stringify, so JSON's own
// rules are the specification. Every claim on each side gets values JS can hold but JSON writes its own way
// — boxed strings and numbers, NaN, ±Infinity, -0, toJSON (which receives the key), undefined (the key is
// dropped), Dates, typed arrays, sparse arrays, null-prototype objects, Proxies, inherited and
// non-enumerable properties — and must decide on every path in both modules exactly as the same pair
// written as JSON text does. A walker that reads objects directly (no stringify) must honour each rule.
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { ClaimsMatcher, DECISION_CODES } from "../src/node.js";

type Api = typeof ClaimsMatcher | typeof light.ClaimsMatcher;
type Side = Record<string, unknown>;

const V: Side = {
  given_name: "Jose",
  family_name: "Garcia",
  middle_name: "Luis",
  birthdate: "1990-04-03",
  address: { street_address: "12 Main St", locality: "Springfield", region: "IL", postal_code: "62701", country: "US" },
  phone_number: "+1 217 555 0100",
  email: "jose.garcia@example.com",
};
const D: Side = {
  firstName: "Jose",
  lastName: "Garcia",
  middleName: "Luis",
  birthdate: "1990-04-03",
  streetAddress: "12 Main St",
  city: "Springfield",
  state: "IL",
  zipCode: "62701",
  countryCode: "US",
  mobilePhone: "+1 217 555 0100",
  email: "jose.garcia@example.com",
};
const V_KEYS = ["given_name", "family_name", "middle_name", "birthdate", "phone_number", "email"];
const ADDRESS_KEYS = ["street_address", "locality", "region", "postal_code", "country"];

/** Odd JS values for one claim whose clean value is `clean` (built fresh: some hold state). */
function odd(clean: string): [string, () => unknown][] {
  return [
    ["String object", () => new String(clean)],
    ["Number object", () => new Number(5)],
    ["Boolean object", () => new Boolean(true)],
    ["NaN", () => Number.NaN],
    ["Infinity", () => Number.POSITIVE_INFINITY],
    ["-Infinity", () => Number.NEGATIVE_INFINITY],
    ["-0", () => -0],
    ["max safe + 2", () => Number.MAX_SAFE_INTEGER + 2],
    ["tiny", () => 5e-324],
    ["undefined", () => undefined],
    ["toJSON clean", () => ({ toJSON: () => clean })],
    ["toJSON by key", () => ({ toJSON: (key: string) => (key === "" ? "Eve" : `${clean}${key.length > 100 ? "" : ""}`) })],
    ["toJSON undefined", () => ({ toJSON: () => undefined })],
    ["toJSON nested", () => ({ toJSON: () => ({ toJSON: () => clean }) })],
    ["Date", () => new Date("1990-04-03T00:00:00Z")],
    ["invalid Date", () => new Date(Number.NaN)],
    ["Uint8Array", () => new Uint8Array([74, 111])],
    [
      "sparse array",
      () => {
        const a: unknown[] = [];
        a[1] = clean;
        return a;
      },
    ],
    ["array with prop", () => Object.assign([clean], { value: clean })],
    ["null-prototype object", () => Object.assign(Object.create(null), { value: clean })],
    ["Proxy string holder", () => new Proxy({ value: clean }, {})],
    ["RegExp", () => /Jose/],
    ["Error", () => new Error(clean)],
    ["Set", () => new Set([clean])],
    ["empty string", () => ""],
    ["string with U+2028", () => `${clean}\u2028`],
    ["string with NUL", () => `${clean}\u0000`],
  ];
}

/** Ways to hold a whole side that JSON writes as a plain object. */
function holders(side: Side): [string, () => unknown][] {
  const inherited = Object.create(side) as Side;
  const hidden = { ...side };
  Object.defineProperty(hidden, "given_name", { value: "Eve", enumerable: false });
  Object.defineProperty(hidden, "firstName", { value: "Eve", enumerable: false });
  const proto = { ...side };
  Object.setPrototypeOf(proto, { given_name: "Eve", firstName: "Eve" });
  return [
    ["null-prototype side", () => Object.assign(Object.create(null), side)],
    ["Proxy side", () => new Proxy({ ...side }, {})],
    ["Proxy side with a trap", () => new Proxy({ ...side }, { get: (t, k) => (k === "toJSON" ? undefined : Reflect.get(t, k)) })],
    ["inherited side", () => inherited],
    ["non-enumerable override", () => hidden],
    ["prototype with other values", () => proto],
    ["numeric keys", () => ({ 0: "x", 1: "y", ...side, 10: "z" })],
    ["toJSON side by key", () => ({ toJSON: (key: string) => (key === "verified" || key === "directory" ? side : {}) })],
  ];
}

function outcome(f: () => unknown): string {
  try {
    const r = f();
    if (r instanceof Uint8Array) return Array.from(r, (c) => DECISION_CODES[c]).join(",");
    if (Array.isArray(r)) return r.map((x: { decision: string; claims: unknown }) => `${x.decision} ${JSON.stringify(x.claims)}`).join(",");
    const o = r as { decision: string; claims: unknown };
    return `${o.decision} ${JSON.stringify(o.claims)}`;
  } catch (e) {
    if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== "string") throw e;
    return `${e.constructor.name}:${(e as unknown as { code: string }).code}`;
  }
}

/** Each path's outcome for the pair made by `make` (objects) and for its JSON text. */
function paths(m: InstanceType<Api>, make: () => { verified: unknown; directory: unknown }): Record<string, string> {
  let text: string;
  try {
    text = JSON.stringify([make()]);
  } catch {
    text = "";
  }
  const loaded = (input: unknown) =>
    outcome(() => {
      using l = m.loadPairs(input as never);
      const codes = l.decide();
      return Array.from({ length: codes.length }, (_, i) => l.report(i));
    });
  return {
    match: outcome(() => {
      const p = make();
      return m.match(p.verified as never, p.directory as never);
    }),
    // `match` takes the two sides apart: each is written on its own (a toJSON sees the key "").
    "match (text)": text
      ? outcome(() => {
          const p = make();
          const side = (x: unknown) => JSON.parse(JSON.stringify(x) ?? "null") as never;
          return m.match(side(p.verified), side(p.directory));
        })
      : "unwritable",
    matchMany: outcome(() => m.matchMany([make()] as never)),
    "matchMany (text)": text ? outcome(() => m.matchMany(text as never)) : "unwritable",
    decideMany: outcome(() => m.decideMany([make()] as never)),
    "decideMany (text)": text ? outcome(() => m.decideMany(text)) : "unwritable",
    loadPairs: loaded([make()]),
    "loadPairs (text)": text ? loaded(text) : "unwritable",
  };
}

/** The pairs: each odd value in each claim on each side, and each odd holder of each side. */
function pairs(): [string, () => { verified: unknown; directory: unknown }][] {
  const out: [string, () => { verified: unknown; directory: unknown }][] = [];
  for (const key of V_KEYS) {
    for (const [label, value] of odd(String(V[key])))
      out.push([`verified ${key} ${label}`, () => ({ verified: { ...V, [key]: value() }, directory: D })]);
  }
  for (const key of ADDRESS_KEYS) {
    const address = V.address as Side;
    for (const [label, value] of odd(String(address[key])))
      out.push([`verified address.${key} ${label}`, () => ({ verified: { ...V, address: { ...address, [key]: value() } }, directory: D })]);
  }
  for (const key of Object.keys(D)) {
    for (const [label, value] of odd(String(D[key])))
      out.push([`directory ${key} ${label}`, () => ({ verified: V, directory: { ...D, [key]: value() } })]);
  }
  for (const [label, side] of holders(V)) out.push([`verified ${label}`, () => ({ verified: side(), directory: D })]);
  for (const [label, side] of holders(D)) out.push([`directory ${label}`, () => ({ verified: V, directory: side() })]);
  return out;
}

describe("odd JS values in every claim decide as their JSON text does", () => {
  for (const [name, Matcher] of [
    ["full module", ClaimsMatcher],
    ["claims-only module", light.ClaimsMatcher],
  ] as const) {
    it(`${name}: objects and JSON text agree on every path`, () => {
      using m = new Matcher();
      const bad: string[] = [];
      let compared = 0;
      for (const [label, make] of pairs()) {
        const got = paths(m, make);
        for (const path of ["match", "matchMany", "decideMany", "loadPairs"]) {
          const text = got[`${path} (text)`] ?? "unwritable";
          if (text === "unwritable") continue;
          compared++;
          if (got[path] !== text) bad.push(`${label} [${path}]: objects ${got[path]} | text ${text}`);
        }
        // matchMany and loadPairs give the same report; decideMany the same decision.
        if (got.matchMany !== got.loadPairs) bad.push(`${label}: matchMany ${got.matchMany} | loadPairs ${got.loadPairs}`);
      }
      expect(compared).toBeGreaterThan(1000);
      expect(bad.slice(0, 20)).toEqual([]);
    });
  }
});
