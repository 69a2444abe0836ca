// Attacker's pins (main's behaviour, 2026-12-07, session 7) through the wasm SDK and the CLI: the ~3,600
// pairs of tests/claims_attack_paths_pin.rs (decisions that hang on lazily computed keys — phonetic,
// edit, transliteration, OCR readings, nicknames, address sub-keys — at three operating points) with the
// NATIVE report of each (tests/fixtures/attack/claims-paths.cases.jsonl.gz, written by the Rust pin with
// ATTACK_BLESS=1; at `balanced` also Latin-script look-alikes and other normal forms). Every way in — `match`, `matchMany` (forward, reversed, objects and text),
// `decideMany`, `loadPairs` (array, JSON Lines, reversed) + `decide()` three times + `report(i)` in a
// shuffled order, `matchLine`, the CLI `match` — must give the native report, in both modules.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { ClaimsMatcher, DECISION_CODES, type MatchReport, type PolicyDocument } from "../src/node.js";

interface Case {
  case: string;
  op: "balanced" | "strict" | "lenient";
  pair: string;
  report: string;
}
const cases: Case[] = gunzipSync(readFileSync(new URL("../../tests/fixtures/attack/claims-paths.cases.jsonl.gz", import.meta.url)))
  .toString("utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Case);

/** The default policy's claims at an operating point (the same reports as the default matcher's). */
function policy(op: Case["op"]): PolicyDocument {
  return {
    claims: { given_name: {}, middle_name: {}, family_name: {}, birthdate: {}, address: {}, phone_number: {}, email: {} },
    decision: { operating_point: op },
  } as PolicyDocument;
}

/** A report as plain data: the SDK leaves out what the native text writes as `null`. */
function plain(r: unknown): unknown {
  return JSON.parse(JSON.stringify(r), (_k, v: unknown) => (v === null ? undefined : v));
}

function shuffled(n: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

type Api = typeof ClaimsMatcher | typeof light.ClaimsMatcher;

function replay(Matcher: Api, op: Case["op"], list: Case[]): string[] {
  const bad: string[] = [];
  const want = list.map((c) => plain(JSON.parse(c.report)));
  // Compared as text: the same values AND the same key order as the native report (what a caller that
  // stores or hashes `JSON.stringify(report)` sees).
  const wantText = want.map((w) => JSON.stringify(w));
  const check = (path: string, i: number, got: unknown) => {
    const g = plain(got);
    if (!isDeepStrictEqual(g, want[i])) bad.push(`${list[i]!.case} [${path}]`);
    else if (JSON.stringify(g) !== wantText[i]) bad.push(`${list[i]!.case} [${path}: key order]`);
  };
  using m = new Matcher({ policy: policy(op) });
  list.forEach((c, i) => {
    const p = JSON.parse(c.pair) as { verified: Record<string, unknown>; directory: Record<string, unknown> };
    check("match", i, m.match(p.verified, p.directory));
    const line = m.matchLine(`{"id":"k${i}",${c.pair.slice(1)}`) as string;
    const parsed = JSON.parse(line) as MatchReport & { id?: string };
    if (parsed.id !== `k${i}`) bad.push(`${c.case} [matchLine id]`);
    delete parsed.id;
    check("matchLine", i, parsed);
  });
  const forward = list.map((_, i) => i);
  for (const [label, order] of [
    ["forward", forward],
    ["reversed", [...forward].reverse()],
    ["shuffled", shuffled(list.length, 5)],
  ] as const) {
    const text = `[${order.map((i) => list[i]!.pair).join(",")}]`;
    const reports = m.matchMany(text as unknown as []);
    for (const [k, i] of order.entries()) check(`matchMany ${label}`, i, reports[k]);
    const codes = m.decideMany(text);
    order.forEach((i, k) => {
      if (DECISION_CODES[codes[k]!] !== (want[i] as MatchReport).decision) bad.push(`${list[i]!.case} [decideMany ${label}]`);
    });
    for (const loadedText of [text, order.map((i) => list[i]!.pair).join("\n")]) {
      using loaded = m.loadPairs(loadedText);
      for (let round = 0; round < 3; round++) {
        const decided = loaded.decide();
        order.forEach((i, k) => {
          if (DECISION_CODES[decided[k]!] !== (want[i] as MatchReport).decision)
            bad.push(`${list[i]!.case} [loaded decide ${label} #${round}]`);
        });
      }
      for (const k of shuffled(order.length, 9)) check(`loaded report ${label}`, order[k]!, loaded.report(k));
    }
  }
  const objects = list.map((c) => JSON.parse(c.pair) as { verified: Record<string, unknown>; directory: Record<string, unknown> });
  for (const [i, r] of m.matchMany(objects).entries()) check("matchMany objects", i, r);
  return bad;
}

const ops = ["balanced", "strict", "lenient"] as const;

describe("lazy-key pairs: every SDK path gives the native report (both modules)", () => {
  it("has the cases", () => {
    expect(cases.length).toBeGreaterThan(3000);
    for (const op of ops) expect(cases.filter((c) => c.op === op).length).toBeGreaterThan(1000);
  });
  for (const [name, Matcher] of [
    ["full module", ClaimsMatcher],
    ["claims-only module", light.ClaimsMatcher],
  ] as const) {
    for (const op of ops) {
      it(`${name}, ${op}`, () => {
        const bad = replay(
          Matcher,
          op,
          cases.filter((c) => c.op === op),
        );
        expect(bad.slice(0, 20)).toEqual([]);
      });
    }
  }
});

describe("lazy-key pairs through the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "od-attack-paths-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const op of ["balanced", "strict"] as const) {
    it(`match --policy (${op}): the native report per line`, () => {
      const list = cases.filter((c) => c.op === op);
      const input = join(dir, `${op}.jsonl`);
      const policyFile = join(dir, `${op}.policy.json`);
      writeFileSync(input, list.map((c) => c.pair).join("\n"));
      writeFileSync(policyFile, JSON.stringify(policy(op)));
      const cli = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;
      const out = execFileSync(process.execPath, [cli, "match", "--policy", policyFile, input], { encoding: "utf8", maxBuffer: 1 << 28 })
        .trimEnd()
        .split("\n");
      expect(out.length).toBe(list.length);
      const bad = list.filter((c, i) => !isDeepStrictEqual(plain(JSON.parse(out[i]!)), plain(JSON.parse(c.report)))).map((c) => c.case);
      expect(bad.slice(0, 20)).toEqual([]);
    });
  }
});
