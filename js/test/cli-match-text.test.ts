// `match --text`: the combined decision explained for a person, from the same run's JSON — per case the
// decision, the total against the operating point's threshold or the guard that decided, and per claim its
// level, weight and reason codes; never a value. The JSON Lines output carries the same explanation.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

const HR = { firstName: "Maria", lastName: "Garcia", birthdate: "1990-04-03", mobilePhone: "+14155550100" };
const CASES = [
  // A one-letter typo with everything else agreeing: the total decides.
  { id: "typo", verified: { given_name: "Mraia", family_name: "Garcia", birthdate: "1990-04-03" }, directory: HR },
  // Two different real names spelled alike: a guard decides, whatever the total.
  {
    id: "twins",
    verified: { given_name: "Kevin", family_name: "Garcia", birthdate: "1990-04-03" },
    directory: { ...HR, firstName: "Kelvin" },
  },
  // A placeholder in the directory is missing, with its reason.
  {
    id: "placeholder",
    verified: { given_name: "Maria", family_name: "Garcia", birthdate: "1990-04-03", phone_number: "+14155550100" },
    directory: { ...HR, mobilePhone: "N/A" },
  },
];

describe("match --text", () => {
  let dir = "";
  let input = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "match-text-"));
    input = join(dir, "cases.jsonl");
    writeFileSync(input, `${[...CASES.map((c) => JSON.stringify(c)), "{not json"].join("\n")}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("says per case the decision, the total against the threshold or the guard, and each claim's level and weight", async () => {
    const json = await runCli(["match", input]);
    const text = await runCli(["match", "--text", input]);
    expect(json.code).toBe(0);
    expect(text.code).toBe(0);
    const reports = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const blocks = text.stdout.trim().split("\n\n");
    expect(blocks).toHaveLength(CASES.length + 1);

    const [typo, twins, placeholder, bad] = reports;
    expect(typo.decision).toBe("match");
    expect(typo.explanation).toMatchObject({ operating_point: "balanced", threshold: 20, guard: null });
    expect(typo.explanation.claims.given_name).toEqual({ level: "one_edit", weight: 6 });
    expect(blocks[0]).toContain(`typo: match — total ${typo.explanation.total.toFixed(1)} ≥ threshold 20.0 of operating point balanced`);
    expect(blocks[0]).toMatch(/\n {2}given_name +one_edit +\+6\.0 {2}NAME_FUZZY_MATCH\n/);
    expect(blocks[0]).toMatch(/\n {2}birthdate +exact +\+13\.5\n/);
    expect(blocks[0]).toContain("missing on a side (no evidence, 0): middle_name, address, phone_number, email");

    expect(twins.explanation.guard).toBe("claim_differs");
    expect(blocks[1]).toContain("twins: no_match — decided by the guard claim_differs, whatever the total (total ");
    expect(blocks[1]).toMatch(/\n {2}given_name +differs +-4\.0 {2}DISTINCT_GIVEN_NAMES\n/);

    expect(placeholder.claims.phone_number.reasons).toEqual(["PLACEHOLDER_VALUE"]);
    expect(blocks[2]).toMatch(/\n {2}phone_number +missing +0\.0 {2}PLACEHOLDER_VALUE\n/);

    expect(bad.error.code).toBe("INVALID_JSON");
    expect(blocks[3]).toMatch(/^\(no id\): error\[INVALID_JSON\]/);

    // Values never: the case's names, birthdate and phone number appear in neither block.
    for (const v of ["Mraia", "Maria", "Kelvin", "Kevin", "Garcia", "1990", "4155550100"]) expect(text.stdout).not.toContain(v);
  });

  it("is listed in the help with the JSON output's explanation", async () => {
    const help = await runCli(["match", "--help"]);
    expect(help.stdout).toContain("--text");
    expect(help.stdout).toContain('"explanation": {"claims": {claim:');
    expect(help.stdout).toMatch(/"operating_point", "threshold", "guard"/);
  });
});
