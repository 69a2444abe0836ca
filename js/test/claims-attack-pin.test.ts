// Attacker's pins (main's behaviour, 2026-12-07) through the wasm SDK and the CLI: the ~3,100 hostile
// pairs of tests/claims_attack_pin.rs (homoglyphs, invisible and bidi characters, NFD, fullwidth,
// ligatures, ß/İ/ı, spaces, long values, JSON edge cases: duplicate keys, escapes, lone surrogates,
// deep nesting, huge numbers, BOM) replayed through every way in — `match`, `matchMany`, `decideMany`,
// `loadPairs` (array and JSON Lines) + `decide`/`report`, `matchLine`, the claims-only entry and the
// CLI `match` — must get the decision (or typed error code) and the per-claim outcomes and reasons
// pinned in tests/fixtures/attack/claims-hostile.golden.tsv by the native run: wasm must decide as
// native does, and a speed or size change must decide as main does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { ClaimsMatcher, DECISION_CODES, type MatchReport } from "../src/node.js";
import { summary } from "./helpers/claims-summary.js";

const fixtures = new URL("../../tests/fixtures/attack/", import.meta.url);
interface Case {
  case: string;
  pair: string;
  sides: boolean;
}
const cases: Case[] = gunzipSync(readFileSync(new URL("claims-hostile.cases.jsonl.gz", fixtures)))
  .toString("utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Case);
/** The pinned line per case: [decision or `error:CODE`, claims summary, match_line's own refusal]. */
const golden = new Map<string, { outcome: string; summary: string; line: string | undefined }>();
for (const l of readFileSync(new URL("claims-hostile.golden.tsv", fixtures), "utf8").split("\n").filter(Boolean)) {
  const f = l.split("\t");
  const line = f.find((x) => x.startsWith("match_line:"))?.slice("match_line:".length);
  golden.set(
    f[0] ?? "",
    f[1]?.startsWith("error:") ? { outcome: f[1], summary: "", line } : { outcome: f[1] ?? "", summary: f[3] ?? "", line },
  );
}
const MARK = "Zebediah";

/** `error:CODE` of a thrown typed error (and its message carries no profile value), or rethrows. */
function codeOf(e: unknown): string {
  if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== "string") throw e;
  expect(e.message).not.toContain(MARK);
  return `error:${(e as unknown as { code: string }).code}`;
}

function outcome(f: () => MatchReport): { outcome: string; summary: string } {
  try {
    const r = f();
    return { outcome: r.decision, summary: summary(r) };
  } catch (e) {
    return { outcome: codeOf(e), summary: "" };
  }
}

type Api = typeof ClaimsMatcher | typeof light.ClaimsMatcher;

function replay(Matcher: Api, c: Case): string[] {
  const want = golden.get(c.case);
  if (!want) return [`${c.case}: not pinned`];
  const bad: string[] = [];
  const check = (path: string, got: { outcome: string; summary: string }) => {
    if (got.outcome !== want.outcome || got.summary !== want.summary)
      bad.push(`${c.case} [${path}]: pinned ${want.outcome} ${want.summary} | now ${got.outcome} ${got.summary}`);
  };
  using m = new Matcher();
  const array = `[${c.pair}]`;
  check(
    "matchMany",
    outcome(() => m.matchMany(array as unknown as [])[0]!),
  );
  try {
    const codes = m.decideMany(array);
    check("decideMany", { outcome: DECISION_CODES[codes[0]!] ?? "?", summary: want.summary });
  } catch (e) {
    check("decideMany", { outcome: codeOf(e), summary: "" });
  }
  const jsonl = !c.pair.includes("\n") && c.pair.trimStart().startsWith("{") ? [array, c.pair] : [array];
  for (const text of jsonl) {
    try {
      using loaded = m.loadPairs(text);
      const code = loaded.decide()[0]!;
      const r = loaded.report(0);
      check(`loadPairs ${text === array ? "array" : "line"}`, { outcome: r.decision, summary: summary(r) });
      if (DECISION_CODES[code] !== r.decision) bad.push(`${c.case}: loaded decide ${code} vs report ${r.decision}`);
    } catch (e) {
      // A JSON Lines line that is not a pair is read differently: compared only when the pair reads.
      if (text === array || !want.outcome.startsWith("error:"))
        check(`loadPairs ${text === array ? "array" : "line"}`, { outcome: codeOf(e), summary: "" });
    }
  }
  if (c.sides) {
    const pair = JSON.parse(c.pair) as { verified: Record<string, unknown>; directory: Record<string, unknown> };
    check(
      "match",
      outcome(() => m.match(pair.verified, pair.directory)),
    );
  }
  if (!/[\r\n]/.test(c.pair)) {
    const line = JSON.parse(m.matchLine(c.pair)) as MatchReport & { error?: { code: string; message: string } };
    if (line.error) {
      expect(line.error.message).not.toContain(MARK);
      const got = `error:${line.error.code}`;
      if (got !== (want.line ?? want.outcome)) bad.push(`${c.case} [matchLine]: pinned ${want.line ?? want.outcome} now ${got}`);
    } else check("matchLine", { outcome: line.decision, summary: summary(line) });
  }
  return bad;
}

describe("hostile pairs: every SDK path decides as pinned (native golden)", () => {
  it("has every case pinned", () => {
    expect(cases.length).toBeGreaterThan(3000);
    expect(cases.filter((c) => !golden.has(c.case))).toEqual([]);
  });

  for (const [name, Matcher] of [
    ["full module (src/node.ts)", ClaimsMatcher],
    ["claims-only module (dist/claims-node.js)", light.ClaimsMatcher],
  ] as const) {
    it(`${name}: match, matchMany, decideMany, loadPairs, matchLine`, () => {
      const bad = cases.flatMap((c) => replay(Matcher, c));
      expect(bad.slice(0, 20)).toEqual([]);
    });
  }

  it("all pairs in one call decide each as alone (no state carried between pairs)", () => {
    using m = new ClaimsMatcher();
    const ok = cases.filter((c) => c.sides && !golden.get(c.case)!.outcome.startsWith("error:"));
    for (const list of [ok, [...ok].reverse()]) {
      const array = `[${list.map((c) => c.pair).join(",")}]`;
      const reports = m.matchMany(array as unknown as []);
      const codes = m.decideMany(array);
      using loaded = m.loadPairs(list.map((c) => c.pair).join("\n"));
      const decided = loaded.decide();
      const bad = list
        .map((c, i) => {
          const want = golden.get(c.case)!;
          const got = [reports[i]!.decision, summary(reports[i]!), DECISION_CODES[codes[i]!], DECISION_CODES[decided[i]!]];
          return got.join("|") === [want.outcome, want.summary, want.outcome, want.outcome].join("|") ? "" : `${c.case}: ${got.join("|")}`;
        })
        .filter(Boolean);
      expect(bad.slice(0, 20)).toEqual([]);
    }
  });
});

describe("hostile pairs through the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "od-attack-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("match: one line per pair, as pinned", () => {
    // The CLI reads lines: pairs that span lines or hold a U+2028 (readline splits there) are left out.
    const list = cases.filter((c) => !/[\r\n\u2028\u2029\u0085]/.test(c.pair) && c.pair.trim() !== "");
    const input = join(dir, "cases.jsonl");
    writeFileSync(input, list.map((c) => c.pair).join("\n"));
    const cli = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;
    const out = execFileSync(process.execPath, [cli, "match", input], { encoding: "utf8", maxBuffer: 1 << 28 })
      .trimEnd()
      .split("\n");
    expect(out.length).toBe(list.length);
    const bad = list
      .map((c, i) => {
        const want = golden.get(c.case)!;
        const line = JSON.parse(out[i]!) as MatchReport & { error?: { code: string; message: string } };
        if (line.error) {
          if (line.error.message.includes(MARK)) return `${c.case}: message carries a value`;
          return `error:${line.error.code}` === (want.line ?? want.outcome) ? "" : `${c.case}: error:${line.error.code}`;
        }
        return line.decision === want.outcome && summary(line) === want.summary ? "" : `${c.case}: ${line.decision} ${summary(line)}`;
      })
      .filter(Boolean);
    expect(bad.slice(0, 20)).toEqual([]);
  });
});

describe("inputs only JS can build", () => {
  it("a lone surrogate in an object is a typed INVALID_JSON on every path, never a trap", () => {
    using m = new ClaimsMatcher();
    const pair = { verified: { given_name: "Jose\ud800", family_name: "Garcia" }, directory: { firstName: "Jose", lastName: "Garcia" } };
    const codes = [
      () => m.match(pair.verified, pair.directory),
      () => m.matchMany([pair]),
      () => m.decideMany([pair]),
      () => m.loadPairs([pair]),
    ].map((f) => {
      try {
        f();
        return "ok";
      } catch (e) {
        return codeOf(e);
      }
    });
    expect(codes).toEqual(["error:INVALID_JSON", "error:INVALID_JSON", "error:INVALID_JSON", "error:INVALID_JSON"]);
  });

  it("values past 64 KiB (u16 offsets) and past 1 MiB decide alike on every path", () => {
    using m = new ClaimsMatcher();
    for (const n of [65_535, 65_536, 65_537, 131_072, 1 << 20]) {
      const pairs = [
        {
          verified: { given_name: "J".repeat(n), family_name: "Garcia", birthdate: "1990-04-03" },
          directory: { firstName: "Jose", lastName: "Garcia", birthdate: "1990-04-03" },
        },
        {
          verified: { given_name: "Jose", family_name: "Garcia", birthdate: "1990-04-03" },
          directory: { firstName: "Jose", lastName: "Garcia", birthdate: "1990-04-03" },
        },
        { verified: { given_name: "Ann ".repeat(n / 4), family_name: "é".repeat(n / 2) }, directory: { firstName: "Ann", lastName: "é" } },
      ];
      const many = m.matchMany(pairs).map((r) => r.decision);
      expect(Array.from(m.decideMany(pairs), (c) => DECISION_CODES[c])).toEqual(many);
      using loaded = m.loadPairs(pairs);
      expect(loaded.decisions()).toEqual(many);
      expect(pairs.map((p) => m.match(p.verified, p.directory).decision)).toEqual(many);
      expect(many[1]).toBe("match");
      expect(many[0]).not.toBe("match");
    }
  });
});
