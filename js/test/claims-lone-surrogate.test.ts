/**
 * JSON text holding a raw lone UTF-16 surrogate is `INVALID_JSON` on every claims path, in both
 * modules: the same value given as an object is written by `JSON.stringify` as a `\ud800` escape,
 * which the module refuses, while the raw character passed as text reached the module as U+FFFD —
 * `"Jose\ud800"` against `Jose` was a NAME_FUZZY_MATCH `match` (a finding of session 9). One reading
 * of one value, whichever way it is given. A surrogate pair (a non-BMP letter) still reads.
 */
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import * as full from "../src/node.js";

const LONE = ["\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800"];
const DIRECTORY = { firstName: "Jose", lastName: "Garcia", birthdate: "1990-04-03" };

/** Raw JSON text of verified claims whose given name ends with `tail` (not escaped: a raw character). */
function verifiedText(tail: string): string {
  return JSON.stringify({ given_name: "Jose@", family_name: "Garcia", birthdate: "1990-04-03" }).replace("@", tail);
}

function pairsText(tail: string): string {
  return `[{"verified":${verifiedText(tail)},"directory":${JSON.stringify(DIRECTORY)}}]`;
}

const invalid = expect.objectContaining({ code: "INVALID_JSON", name: "InvalidInputError" });

describe.each([
  ["full", full.ClaimsMatcher],
  ["claims-only", light.ClaimsMatcher],
] as const)("a raw lone surrogate in JSON text (%s module)", (_, ClaimsMatcher) => {
  it.each(LONE.map((s) => [JSON.stringify(s), s]))("%s is INVALID_JSON on every path, as the same value given as an object", (_, lone) => {
    const m = new ClaimsMatcher();
    const object = { given_name: `Jose${lone}`, family_name: "Garcia", birthdate: "1990-04-03" };
    // The object: JSON.stringify escapes the surrogate and the module refuses the escape.
    expect(() => m.match(object, DIRECTORY)).toThrow(invalid);
    expect(() => m.matchMany([{ verified: object, directory: DIRECTORY }])).toThrow(invalid);
    // The same value as text, on every method that takes text.
    expect(() => m.matchMany(pairsText(lone))).toThrow(invalid);
    expect(() => m.decideMany(pairsText(lone))).toThrow(invalid);
    expect(() => m.loadPairs(pairsText(lone))).toThrow(invalid);
    expect(() => m.match(verifiedText(lone) as never, DIRECTORY)).toThrow(invalid);
    expect(() => m.match({ given_name: "Jose" }, JSON.stringify(DIRECTORY).replace("Jose", `Jose${lone}`))).toThrow(invalid);
    expect(() => m.respond(verifiedText(lone) as never, DIRECTORY)).toThrow(invalid);
    expect(() => new ClaimsMatcher({ policy: `{"claims":{"given_name":{"note":"${lone}"}}}` as never })).toThrow(invalid);
    m.free();
  });

  it("a surrogate pair (a letter outside the BMP) reads as before", () => {
    const m = new ClaimsMatcher();
    const [report] = m.matchMany(pairsText("\u{1D49C}"));
    expect(report?.claims.given_name?.outcome).toBeDefined();
    expect(m.match(verifiedText("\u{1D49C}") as never, DIRECTORY).decision).toBe(report?.decision);
    expect(m.matchMany(pairsText(""))[0]?.decision).toBe("match");
    m.free();
  });
});

describe("a runtime without String.prototype.isWellFormed", () => {
  it("finds lone surrogates by its pattern, and passes pairs", () => {
    const saved = Object.getOwnPropertyDescriptor(String.prototype, "isWellFormed");
    Reflect.deleteProperty(String.prototype, "isWellFormed");
    try {
      expect(Reflect.get(String.prototype, "isWellFormed")).toBeUndefined();
      const m = new full.ClaimsMatcher();
      for (const lone of LONE) expect(() => m.matchMany(pairsText(lone))).toThrow(invalid);
      expect(m.matchMany(pairsText("\u{1D49C}"))).toHaveLength(1);
      expect(m.matchMany(pairsText(""))[0]?.decision).toBe("match");
      m.free();
    } finally {
      if (saved) Object.defineProperty(String.prototype, "isWellFormed", saved);
    }
  });
});
