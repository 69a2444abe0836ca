// Attacker's pins (main's behaviour, 2026-12-07, session 9, 49492a8) for a faster JS boundary of
// `matchMany` (bytes instead of strings, codes views, report objects built in JS): what JSON.stringify
// and the string passing do today is the specification. (1) Text a byte boundary may read its own way —
// U+FEFF, NUL, U+FFFD, raw lone surrogates in JSON text, non-BMP letters, 1 MB values — through every
// path of both modules, outcomes pinned. (2) The list itself: holes (JSON writes null; an inherited index
// fills a hole), getters, a toJSON on the array, array-likes, bytes, Sets. (3) Every report object of the
// hostile pairs equals the report text Rust writes (`matchLine`), so a report built in JS from codes
// carries every field and value. (4) 100,000 pairs in one call decide each as alone, on every path.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { ClaimsMatcher, DECISION_CODES, type MatchReport } from "../src/node.js";
import { summary } from "./helpers/claims-summary.js";

type Api = typeof ClaimsMatcher | typeof light.ClaimsMatcher;
type Side = Record<string, unknown>;
type Pair = { verified: Side; directory: Side };

const V: Side = { given_name: "Jose", family_name: "Garcia", birthdate: "1990-04-03" };
const D: Side = { firstName: "Jose", lastName: "Garcia", birthdate: "1990-04-03" };
const MODULES = [
  ["full", ClaimsMatcher],
  ["claims-only", light.ClaimsMatcher],
] as const;

/** `[decisions]` of a call, or `Class:CODE` of its typed error; with `withSummary`, each report's summary too. */
function outcome(f: () => unknown, withSummary: boolean): string {
  try {
    const r = f();
    if (r instanceof Uint8Array) return `[${Array.from(r, (c) => DECISION_CODES[c]).join(" / ")}]`;
    const list = (Array.isArray(r) ? r : [r]) as MatchReport[];
    return `[${list.map((x) => (withSummary ? summary(x) : x.decision)).join(" / ")}]`;
  } catch (e) {
    if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== "string") throw e;
    return `${e.constructor.name}:${(e as unknown as { code: string }).code}`;
  }
}

/** The decisions of each path for one input (a list of pairs, or JSON text), and each report path's summaries. */
function paths(m: InstanceType<Api>, make: () => unknown): Record<string, string> {
  const loaded = (withSummary: boolean) =>
    outcome(() => {
      using l = m.loadPairs(make() as never);
      const codes = l.decide();
      return Array.from({ length: codes.length }, (_, i) => l.report(i));
    }, withSummary);
  return {
    "matchMany decisions": outcome(() => m.matchMany(make() as never), false),
    "decideMany decisions": outcome(() => m.decideMany(make() as never), false),
    "loadPairs decisions": loaded(false),
    "matchMany summaries": outcome(() => m.matchMany(make() as never), true),
    "loadPairs summaries": loaded(true),
  };
}

/** `decisions | summaries` per input when every path and both modules agree, else each path's. */
function pinned(inputs: [string, () => unknown][]): Record<string, string | Record<string, string>> {
  const out: Record<string, string | Record<string, string>> = {};
  for (const [name, make] of inputs) {
    const all: Record<string, string> = {};
    for (const [module, Matcher] of MODULES) {
      using m = new Matcher();
      for (const [path, got] of Object.entries(paths(m, make))) all[`${module} ${path}`] = got;
    }
    const decisions = new Set(Object.entries(all).flatMap(([k, v]) => (k.endsWith("decisions") ? [v] : [])));
    const summaries = new Set(Object.entries(all).flatMap(([k, v]) => (k.endsWith("summaries") ? [v] : [])));
    out[name] = decisions.size === 1 && summaries.size === 1 ? `${[...decisions][0]} | ${[...summaries][0]}` : all;
  }
  return out;
}

/** The list with index `at` deleted: a hole (JSON writes it as null, or as an inherited index). */
function holed<T>(list: T[], at: number): T[] {
  delete list[at];
  return list;
}

const pair = (v: Side, d: Side): Pair => ({ verified: { ...V, ...v }, directory: { ...D, ...d } });

describe("text a byte boundary may read its own way", () => {
  const mb = 1 << 20;
  const values: [string, () => unknown][] = [
    ["BOM before the verified name", () => [pair({ given_name: "\ufeffJose" }, {})]],
    ["BOM inside the verified name", () => [pair({ given_name: "Jo\ufeffse" }, {})]],
    ["BOM after the directory name", () => [pair({}, { firstName: "Jose\ufeff" })]],
    ["BOM on both sides", () => [pair({ given_name: "\ufeffJose" }, { firstName: "\ufeffJose" })]],
    ["NUL inside the verified name", () => [pair({ given_name: "Jo\u0000se" }, {})]],
    ["NUL ending the directory name", () => [pair({}, { firstName: "Jose\u0000" })]],
    ["NUL in a key", () => [pair({ "given_name\u0000": "Eve" }, {})]],
    ["NUL key only", () => [{ verified: { "\u0000": "x", ...V }, directory: D }]],
    ["U+FFFD for a letter, verified", () => [pair({ given_name: "Jos\ufffd" }, { firstName: "José" })]],
    ["U+FFFD for a letter, both", () => [pair({ given_name: "Jos\ufffd" }, { firstName: "Jos\ufffd" })]],
    ["U+FFFD family name, directory", () => [pair({}, { lastName: "Garc\ufffda" })]],
    ["lone high surrogate, verified family", () => [pair({ family_name: "Garcia\ud800" }, {})]],
    ["lone low surrogate, directory birthdate", () => [pair({}, { birthdate: "1990-04-03\udc00" })]],
    ["math bold letters, verified", () => [pair({ given_name: "\u{1D409}\u{1D428}\u{1D42C}\u{1D41E}" }, {})]],
    [
      "math bold letters, both",
      () => [pair({ given_name: "\u{1D409}\u{1D428}\u{1D42C}\u{1D41E}" }, { firstName: "\u{1D409}\u{1D428}\u{1D42C}\u{1D41E}" })],
    ],
    ["emoji in the family name, verified", () => [pair({ family_name: "Garcia\u{1F600}" }, {})]],
    ["Deseret letters, both", () => [pair({ given_name: "\u{10410}\u{10437}" }, { firstName: "\u{10410}\u{10437}" })]],
    ["1 MB ASCII given name, both", () => [pair({ given_name: "J".repeat(mb) }, { firstName: "J".repeat(mb) })]],
    ["1 MB of spaces after the verified name", () => [pair({ given_name: `Jose${" ".repeat(mb)}` }, {})]],
    ["1 MB directory name, verified short", () => [pair({}, { firstName: `Jose${"e".repeat(mb)}` })]],
    ["1 MB of U+00E9, directory family", () => [pair({}, { lastName: "\u00e9".repeat(mb) })]],
    ["1 MB of non-BMP, verified family", () => [pair({ family_name: "\u{1F600}".repeat(mb / 2) }, {})]],
  ];
  // The same pairs as JSON text (raw characters: a lone surrogate passes as a string, not an escape).
  const raw = (text: string): string => text.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  const texts: [string, () => unknown][] = [
    ["text: raw lone high surrogate", () => raw(JSON.stringify([pair({ given_name: "Jose\ud800" }, {})]))],
    ["text: raw lone low surrogate", () => raw(JSON.stringify([pair({}, { lastName: "Garcia\udc00" })]))],
    ["text: raw surrogates reversed", () => raw(JSON.stringify([pair({ given_name: "\udc00\ud800Jose" }, {})]))],
    ["text: escaped lone surrogate", () => JSON.stringify([pair({ given_name: "Jose\ud800" }, {})])],
    [
      "text: raw NUL in a string",
      () => `[{"verified":{"given_name":"Jo\u0000se","family_name":"Garcia","birthdate":"1990-04-03"},"directory":${JSON.stringify(D)}}]`,
    ],
    ["text: raw NUL between tokens", () => `[\u0000${JSON.stringify(pair({}, {}))}]`],
    ["text: BOM first", () => `\ufeff${JSON.stringify([pair({}, {})])}`],
    ["text: BOM between tokens", () => `[\ufeff${JSON.stringify(pair({}, {}))}]`],
    ["text: U+2028 between tokens", () => `[\u2028${JSON.stringify(pair({}, {}))}]`],
    ["text: NBSP between tokens", () => `[\u00a0${JSON.stringify(pair({}, {}))}]`],
    ["text: JSON Lines with a BOM line start", () => `${JSON.stringify(pair({}, {}))}\n\ufeff${JSON.stringify(pair({}, {}))}`],
    ["text: JSON Lines, CRLF", () => `${JSON.stringify(pair({}, {}))}\r\n${JSON.stringify(pair({}, {}))}`],
    ["text: empty", () => ""],
    ["text: empty array", () => "[]"],
    ["text: only whitespace", () => " \n\t "],
  ];

  it("every path in both modules decides as pinned", () => {
    expect(pinned([...values, ...texts])).toMatchInlineSnapshot(`
      {
        "1 MB ASCII given name, both": "[no_match] | [address=missing_verified; email=missing_directory; given_name=invalid UNPARSEABLE; middle_name=missing_directory; phone_number=missing_directory]",
        "1 MB directory name, verified short": "[no_match] | [address=missing_verified; email=missing_directory; given_name=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "1 MB of U+00E9, directory family": "[no_match] | [address=missing_verified; email=missing_directory; family_name=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "1 MB of non-BMP, verified family": "[no_match] | [address=missing_verified; email=missing_directory; family_name=invalid UNPARSEABLE; middle_name=missing_directory; phone_number=missing_directory]",
        "1 MB of spaces after the verified name": "[no_match] | [address=missing_verified; email=missing_directory; given_name=invalid UNPARSEABLE; middle_name=missing_directory; phone_number=missing_directory]",
        "BOM after the directory name": "[match] | [address=missing_verified; email=missing_directory; given_name=match DIRECTORY_INVISIBLE; middle_name=missing_directory; phone_number=missing_directory]",
        "BOM before the verified name": "[no_match] | [address=missing_verified; email=missing_directory; given_name=mismatch SUSPICIOUS_INVISIBLE; middle_name=missing_directory; phone_number=missing_directory]",
        "BOM inside the verified name": "[no_match] | [address=missing_verified; email=missing_directory; given_name=mismatch SUSPICIOUS_INVISIBLE; middle_name=missing_directory; phone_number=missing_directory]",
        "BOM on both sides": "[no_match] | [address=missing_verified; email=missing_directory; given_name=mismatch SUSPICIOUS_INVISIBLE; middle_name=missing_directory; phone_number=missing_directory]",
        "Deseret letters, both": "[match] | [address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "NUL ending the directory name": "[no_match] | [address=missing_verified; email=missing_directory; given_name=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "NUL in a key": "[match] | [address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "NUL inside the verified name": "[no_match] | [address=missing_verified; email=missing_directory; given_name=mismatch SUSPICIOUS_CONTROL; middle_name=missing_directory; phone_number=missing_directory]",
        "NUL key only": "[match] | [address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "U+FFFD family name, directory": "[no_match] | [address=missing_verified; email=missing_directory; family_name=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "U+FFFD for a letter, both": "[no_match] | [address=missing_verified; email=missing_directory; given_name=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "U+FFFD for a letter, verified": "[review] | [address=missing_verified; email=missing_directory; given_name=mismatch SHORT_NAME_ONE_LETTER_APART; middle_name=missing_directory; phone_number=missing_directory]",
        "emoji in the family name, verified": "[match] | [address=missing_verified; email=missing_directory; family_name=match NAME_FUZZY_MATCH; middle_name=missing_directory; phone_number=missing_directory]",
        "lone high surrogate, verified family": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "lone low surrogate, directory birthdate": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "math bold letters, both": "[match] | [address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "math bold letters, verified": "[match] | [address=missing_verified; email=missing_directory; given_name=match DIACRITICS_FOLDED; middle_name=missing_directory; phone_number=missing_directory]",
        "text: BOM between tokens": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: BOM first": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: JSON Lines with a BOM line start": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: JSON Lines, CRLF": {
          "claims-only decideMany decisions": "InvalidInputError:INVALID_JSON",
          "claims-only loadPairs decisions": "[match / match]",
          "claims-only loadPairs summaries": "[address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory / address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
          "claims-only matchMany decisions": "InvalidInputError:INVALID_JSON",
          "claims-only matchMany summaries": "InvalidInputError:INVALID_JSON",
          "full decideMany decisions": "InvalidInputError:INVALID_JSON",
          "full loadPairs decisions": "[match / match]",
          "full loadPairs summaries": "[address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory / address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
          "full matchMany decisions": "InvalidInputError:INVALID_JSON",
          "full matchMany summaries": "InvalidInputError:INVALID_JSON",
        },
        "text: NBSP between tokens": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: U+2028 between tokens": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: empty": {
          "claims-only decideMany decisions": "InvalidInputError:INVALID_JSON",
          "claims-only loadPairs decisions": "[]",
          "claims-only loadPairs summaries": "[]",
          "claims-only matchMany decisions": "InvalidInputError:INVALID_JSON",
          "claims-only matchMany summaries": "InvalidInputError:INVALID_JSON",
          "full decideMany decisions": "InvalidInputError:INVALID_JSON",
          "full loadPairs decisions": "[]",
          "full loadPairs summaries": "[]",
          "full matchMany decisions": "InvalidInputError:INVALID_JSON",
          "full matchMany summaries": "InvalidInputError:INVALID_JSON",
        },
        "text: empty array": "[] | []",
        "text: escaped lone surrogate": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: only whitespace": {
          "claims-only decideMany decisions": "InvalidInputError:INVALID_JSON",
          "claims-only loadPairs decisions": "[]",
          "claims-only loadPairs summaries": "[]",
          "claims-only matchMany decisions": "InvalidInputError:INVALID_JSON",
          "claims-only matchMany summaries": "InvalidInputError:INVALID_JSON",
          "full decideMany decisions": "InvalidInputError:INVALID_JSON",
          "full loadPairs decisions": "[]",
          "full loadPairs summaries": "[]",
          "full matchMany decisions": "InvalidInputError:INVALID_JSON",
          "full matchMany summaries": "InvalidInputError:INVALID_JSON",
        },
        "text: raw NUL between tokens": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: raw NUL in a string": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: raw lone high surrogate": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: raw lone low surrogate": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
        "text: raw surrogates reversed": "InvalidInputError:INVALID_JSON | InvalidInputError:INVALID_JSON",
      }
    `);
  });
});

describe("the list of pairs as JSON writes it", () => {
  const p = pair({}, {});
  const eve = pair({ given_name: "Eve" }, {});
  const lists: [string, () => unknown][] = [
    ["hole between two pairs", () => holed([p, p, p], 1)],
    ["hole at the end", () => holed([p, p], 1)],
    ["a getter element", () => Object.defineProperty([p, p], 1, { get: () => eve, enumerable: true })],
    ["a toJSON on the array", () => Object.assign([p], { toJSON: () => [eve, eve] })],
    ["a toJSON on the array, by key", () => Object.assign([p], { toJSON: (key: string) => (key === "" ? [eve] : [p]) })],
    ["an extra named property", () => Object.assign([p], { extra: eve })],
    ["an array subclass", () => new (class extends Array<Pair> {})(p, eve)],
    ["a frozen array", () => Object.freeze([eve, p])],
    ["a Proxy array", () => new Proxy([p, eve], {})],
    ["an array-like object", () => ({ length: 2, 0: p, 1: p })],
    ["a Set", () => new Set([p])],
    ["the JSON text as bytes", () => new TextEncoder().encode(JSON.stringify([p]))],
    ["a typed array of codes", () => new Uint8Array([0, 1])],
    ["an ArrayBuffer", () => new TextEncoder().encode(JSON.stringify([p])).buffer],
    ["a boxed string of JSON", () => new String(JSON.stringify([p]))],
    ["nested arrays", () => [[p]]],
    ["an array holding JSON text", () => [JSON.stringify(p)]],
  ];
  const inherited: [string, () => unknown][] = [["a hole filled by Array.prototype[1]", () => holed([p, p, p], 1)]];

  it("every path in both modules decides as pinned", () => {
    expect(pinned(lists)).toMatchInlineSnapshot(`
      {
        "a Proxy array": "[match / no_match] | [address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory / address=missing_verified; email=missing_directory; given_name=mismatch; middle_name=missing_directory; phone_number=missing_directory]",
        "a Set": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
        "a boxed string of JSON": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
        "a frozen array": "[no_match / match] | [address=missing_verified; email=missing_directory; given_name=mismatch; middle_name=missing_directory; phone_number=missing_directory / address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "a getter element": "[match / no_match] | [address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory / address=missing_verified; email=missing_directory; given_name=mismatch; middle_name=missing_directory; phone_number=missing_directory]",
        "a toJSON on the array": "[no_match / no_match] | [address=missing_verified; email=missing_directory; given_name=mismatch; middle_name=missing_directory; phone_number=missing_directory / address=missing_verified; email=missing_directory; given_name=mismatch; middle_name=missing_directory; phone_number=missing_directory]",
        "a toJSON on the array, by key": "[no_match] | [address=missing_verified; email=missing_directory; given_name=mismatch; middle_name=missing_directory; phone_number=missing_directory]",
        "a typed array of codes": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
        "an ArrayBuffer": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
        "an array holding JSON text": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
        "an array subclass": "[match / no_match] | [address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory / address=missing_verified; email=missing_directory; given_name=mismatch; middle_name=missing_directory; phone_number=missing_directory]",
        "an array-like object": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
        "an extra named property": "[match] | [address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        "hole at the end": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
        "hole between two pairs": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
        "nested arrays": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
        "the JSON text as bytes": "InvalidInputError:INVALID_PROFILE | InvalidInputError:INVALID_PROFILE",
      }
    `);
  });

  it("an index inherited from Array.prototype fills a hole (JSON reads it)", () => {
    const proto = Array.prototype as unknown as Record<number, unknown>;
    proto[1] = eve;
    try {
      expect(pinned(inherited)).toMatchInlineSnapshot(`
        {
          "a hole filled by Array.prototype[1]": "[match / no_match / match] | [address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory / address=missing_verified; email=missing_directory; given_name=mismatch; middle_name=missing_directory; phone_number=missing_directory / address=missing_verified; email=missing_directory; middle_name=missing_directory; phone_number=missing_directory]",
        }
      `);
    } finally {
      delete proto[1];
    }
  });
});

const fixtures = new URL("../../tests/fixtures/attack/", import.meta.url);
const hostile = gunzipSync(readFileSync(new URL("claims-hostile.cases.jsonl.gz", fixtures)))
  .toString("utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { case: string; pair: string; sides: boolean });

/** A report as Rust writes it, with the `guard: null` the objects leave out removed. */
function fromLine(line: string): unknown {
  const r = JSON.parse(line) as { explanation?: { guard?: unknown } };
  if (r.explanation && r.explanation.guard === null) delete r.explanation.guard;
  return r;
}

describe("report objects carry what Rust writes", () => {
  for (const [name, Matcher] of MODULES) {
    it(`${name}: matchMany, match and loadPairs reports equal matchLine's text for every hostile pair`, () => {
      using m = new Matcher();
      const bad: string[] = [];
      let compared = 0;
      for (const c of hostile) {
        if (!c.sides || /[\r\n]/.test(c.pair)) continue;
        const line = m.matchLine(c.pair);
        if (line.includes('"error"')) continue;
        const want = fromLine(line);
        const p = JSON.parse(c.pair) as Pair;
        const got: [string, () => unknown][] = [
          ["matchMany", () => m.matchMany([p])[0]],
          ["matchMany (text)", () => m.matchMany(`[${c.pair}]` as never)[0]],
          ["match", () => m.match(p.verified as never, p.directory as never)],
          [
            "loadPairs",
            () => {
              using l = m.loadPairs(`[${c.pair}]`);
              l.decide();
              return l.report(0);
            },
          ],
        ];
        for (const [path, f] of got) {
          let r: unknown;
          try {
            r = f();
          } catch (e) {
            r = `error ${(e as { code?: string }).code}`;
          }
          compared++;
          if (JSON.stringify(sorted(r)) !== JSON.stringify(sorted(want)))
            bad.push(`${c.case} [${path}]: ${JSON.stringify(r).slice(0, 300)}`);
        }
      }
      expect(compared).toBeGreaterThan(8000);
      expect(bad.slice(0, 10)).toEqual([]);
    });
  }
});

/** A copy with every object's keys sorted (key order is not compared; values and presence are). */
function sorted(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sorted);
  if (x === null || typeof x !== "object") return x;
  const o = x as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sorted(o[k])]),
  );
}

describe("100,000 pairs in one call", () => {
  // Kinds that decide differently: exact, folded, nickname, typo, twin, date slip, missing, address moved.
  const kinds: Pair[] = [
    pair({}, {}),
    pair({ given_name: "José" }, {}),
    pair({ given_name: "Bill", family_name: "Smith" }, { firstName: "William", lastName: "Smith" }),
    pair({ family_name: "Garica" }, {}),
    pair({ given_name: "Dustin" }, { firstName: "Justin" }),
    pair({ birthdate: "1990-03-04" }, {}),
    pair({ birthdate: "" }, {}),
    pair({ given_name: "Jose\ufeff" }, {}),
    pair(
      { address: { street_address: "1 Elm St", locality: "Austin", postal_code: "78701", country: "US" } },
      { streetAddress: "12 Main St", city: "Austin", zipCode: "78701", countryCode: "US" },
    ),
    pair({ given_name: "\u{1D409}ose" }, {}),
    pair({ family_name: "Garc\u00eda" }, { lastName: "Garcia" }),
    pair({ given_name: "Lila" }, { firstName: "Lyla" }),
  ];
  const n = 100_000;

  for (const [name, Matcher] of MODULES) {
    it(`${name}: matchMany, decideMany and loadPairs decide each pair as alone (objects and text)`, () => {
      using m = new Matcher();
      const alone = kinds.map((k) => m.matchMany([k])[0]!);
      const list = Array.from({ length: n }, (_, i) => kinds[(i * 7 + (i >> 5)) % kinds.length]!);
      const text = JSON.stringify(list);
      const want = list.map((k) => alone[kinds.indexOf(k)]!.decision);
      const reports = m.matchMany(list);
      const fromText = m.matchMany(text as never);
      const codes = m.decideMany(list);
      const codesText = m.decideMany(text);
      using loaded = m.loadPairs(list);
      const decided = loaded.decide();
      const bad: string[] = [];
      for (let i = 0; i < n; i++) {
        const w = want[i];
        const got = [
          reports[i]?.decision,
          fromText[i]?.decision,
          DECISION_CODES[codes[i]!],
          DECISION_CODES[codesText[i]!],
          DECISION_CODES[decided[i]!],
        ];
        if (got.some((g) => g !== w)) bad.push(`${i}: want ${w}, got ${got.join(",")}`);
        if (bad.length > 10) break;
      }
      expect([reports.length, fromText.length, codes.length, codesText.length, decided.length]).toEqual([n, n, n, n, n]);
      expect(bad).toEqual([]);
      // Whole reports, for a sample across the batch (start, middle, end).
      for (const i of [0, 1, 31, 32, 50_000, n - 1])
        expect(JSON.stringify(sorted(reports[i]))).toBe(JSON.stringify(sorted(alone[kinds.indexOf(list[i]!)])));
      expect(alone.map((r) => r.decision)).toMatchInlineSnapshot(`
        [
          "match",
          "match",
          "match",
          "match",
          "no_match",
          "no_match",
          "no_match",
          "no_match",
          "match",
          "match",
          "match",
          "review",
        ]
      `);
    });
  }
});
