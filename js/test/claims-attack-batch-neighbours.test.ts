// Attacker's pin (2026-12-07, session 10) for per-batch scratch buffers and reused prepared-name buffers,
// through both wasm modules: the 46 pairs of tests/fixtures/attack/claims-neighbours.cases.jsonl (missing,
// empty, null and placeholder values next to full ones, long values next to their prefixes, homoglyphs,
// invisible and bidi characters, typos, twins) sent as [a, b, a] for every ordered (a, b), one matcher for
// every call, through `matchMany` (objects and JSON text), `decideMany` (objects and text) and `loadPairs`
// (array text and JSON Lines) + `decide()` twice + `report(k)` — each pair must decide and report as it does
// alone (tests/claims_attack_batch_neighbours.rs checks the same natively).
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { ClaimsMatcher } from "../src/node.js";
import { allClaimsPolicy, type Api } from "./helpers/claims-all-claims.js";

type Side = Record<string, unknown>;
type Pair = { verified: Side; directory: Side };
const cases = readFileSync(new URL("../../tests/fixtures/attack/claims-neighbours.cases.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { case: string; pair: string });

const policy = allClaimsPolicy;

function replay(Matcher: Api, op: "balanced" | "strict"): string[] {
  using m = new Matcher({ policy: policy(op) });
  const objects = (): Pair[] => cases.map((c) => JSON.parse(c.pair) as Pair);
  const alone = objects().map((p) => JSON.stringify(m.matchMany([p])[0]));
  const codes = objects().map((p) => m.decideMany([p])[0]);
  const bad: string[] = [];
  for (let a = 0; a < cases.length; a++) {
    for (let b = 0; b < cases.length; b++) {
      const idx = [a, b, a];
      const at = (k: number, path: string) => `${op}: [${cases[a]!.case} | ${cases[b]!.case} | ${cases[a]!.case}] #${k} ${path}`;
      const fresh = objects();
      const pairs = idx.map((i) => fresh[i]!);
      const texts = idx.map((i) => cases[i]!.pair);
      const text = `[${texts.join(",")}]`;
      for (const [path, reports] of [
        ["matchMany objects", m.matchMany(pairs)],
        ["matchMany text", m.matchMany(text)],
      ] as const) {
        reports.forEach((r, k) => {
          if (JSON.stringify(r) !== alone[idx[k]!]) bad.push(at(k, path));
        });
      }
      for (const [path, got] of [
        ["decideMany objects", m.decideMany(pairs)],
        ["decideMany text", m.decideMany(text)],
      ] as const) {
        if (
          !isDeepStrictEqual(
            [...got],
            idx.map((i) => codes[i]),
          )
        )
          bad.push(at(-1, path));
      }
      for (const loadedText of [text, texts.join("\n")]) {
        using loaded = m.loadPairs(loadedText);
        for (let round = 0; round < 2; round++) {
          const got = loaded.decide();
          if (
            !isDeepStrictEqual(
              [...got],
              idx.map((i) => codes[i]),
            )
          )
            bad.push(at(-1, `loaded decide #${round}`));
        }
        for (const k of [1, 0, 2]) {
          if (JSON.stringify(loaded.report(k)) !== alone[idx[k]!]) bad.push(at(k, "loaded report"));
        }
      }
    }
  }
  return bad;
}

describe("a batch decides each pair as alone next to every neighbour (both modules)", () => {
  it("has the cases", () => expect(cases.length).toBe(46));
  for (const [name, Matcher] of [
    ["full module", ClaimsMatcher],
    ["claims-only module", light.ClaimsMatcher],
  ] as const) {
    for (const op of ["balanced", "strict"] as const) {
      it(`${name}, ${op}`, () => {
        expect(replay(Matcher, op).slice(0, 20)).toEqual([]);
      });
    }
  }
});
