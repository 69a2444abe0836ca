// docs/claims.md's reason-code table says what the engine does with the given names it cites (twins' names,
// short names, ambiguous short forms, one name's spellings): each example here is quoted from that table and
// decided by the engine with the default policy, the family name and birthdate agreeing. A rule change that
// makes an example false fails here, so the table is corrected with it.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ClaimsMatcher } from "../src/node.js";

const DOC = readFileSync(new URL("../../docs/claims.md", import.meta.url), "utf8").replace(/\s+/g, " ");

/** [the ID's given name, the record's, the decision, a reason code the given name carries (null: none)] */
type Example = [string, string, "match" | "no_match" | "review", string | null];

/** Per reason code row of the table: the examples it cites, as the engine decides them. */
const ROWS: Record<string, Example[]> = {
  DISTINCT_GIVEN_NAMES: [
    ["Kevin", "Kelvin", "no_match", "DISTINCT_GIVEN_NAMES"],
    ["Dustin", "Justin", "no_match", "DISTINCT_GIVEN_NAMES"],
    ["Brandon", "Brendan", "no_match", "DISTINCT_GIVEN_NAMES"],
    ["Norma", "Norman", "no_match", "DISTINCT_GIVEN_NAMES"],
    ["Radovan", "Radovana", "no_match", "DISTINCT_GIVEN_NAMES"],
    // One name's spellings stay typos.
    ["Mathew", "Matthew", "match", "NAME_FUZZY_MATCH"],
    ["Käte", "Käthe", "match", "NAME_FUZZY_MATCH"],
    ["Frederik", "Frederic", "match", "NAME_FUZZY_MATCH"],
    ["Jonathon", "Jonathan", "match", "NAME_FUZZY_MATCH"],
    ["Jeffrey", "Jeffery", "match", "NAME_FUZZY_MATCH"],
    ["Margaret", "Margret", "match", "NAME_FUZZY_MATCH"],
  ],
  SHORT_NAME_ONE_LETTER_APART: [
    ["Hana", "Hina", "review", "SHORT_NAME_ONE_LETTER_APART"],
    ["Sam", "Pam", "no_match", "DISTINCT_GIVEN_NAMES"],
    ["Lia", "Mia", "no_match", "DISTINCT_GIVEN_NAMES"],
    ["Ilia", "Lila", "review", "SHORT_NAME_ONE_LETTER_APART"],
    ["Marnie", "Mamie", "review", "SHORT_NAME_ONE_LETTER_APART"],
    ["Aurelia", "Aurella", "review", "SHORT_NAME_ONE_LETTER_APART"],
    ["MAR1A", "Maria", "match", "OCR_CONFUSION"],
    ["Anne Hana", "Anne Hina", "review", "SHORT_NAME_ONE_LETTER_APART"],
    ["Sam Marie", "Pam Marie", "no_match", "DISTINCT_GIVEN_NAMES"],
    ["Lia-Marie", "Mia-Marie", "no_match", "DISTINCT_GIVEN_NAMES"],
  ],
  NICKNAME_AMBIGUOUS: ["Alex", "Nicky", "Andy", "Eddie", "Ronnie", "Bertie", "Mickey", "Jess"].map(
    (short): Example => [
      short,
      {
        Alex: "Alexander",
        Nicky: "Nicholas",
        Andy: "Andrew",
        Eddie: "Edward",
        Ronnie: "Ronald",
        Bertie: "Albert",
        Mickey: "Michael",
        Jess: "Jessica",
      }[short] ?? "",
      "review",
      "NICKNAME_AMBIGUOUS",
    ],
  ),
};

describe("docs/claims.md's reason-code examples", () => {
  const matcher = new ClaimsMatcher({});
  afterAll(() => matcher.free());
  for (const [code, examples] of Object.entries(ROWS)) {
    const row = DOC.split(`| \`${code}\` |`)[1]?.split(" | `")[0] ?? "";
    it(`${code}: each cited example is in its row and decided as the row says`, () => {
      expect(row.length).toBeGreaterThan(20);
      for (const [id, record, decision, reason] of examples) {
        // Quoted from the row; an example the engine gives another reason (Sam/Pam in the short-name row) is
        // cited with that reason (the DISTINCT_GIVEN_NAMES row's spellings "stay typos").
        expect(row, `${id} in the ${code} row`).toContain(id);
        if (reason !== null && reason !== code && code !== "DISTINCT_GIVEN_NAMES") {
          expect(row, `the ${code} row names ${reason} (${id} ~ ${record})`).toContain(`\`${reason}\``);
        }
        const report = matcher.match(
          { given_name: id, family_name: "Garcia", birthdate: "1985-06-14" },
          { profile: { firstName: record, lastName: "Garcia", birthdate: "1985-06-14" } },
        );
        expect(report.decision, `${id} ~ ${record}`).toBe(decision);
        if (reason !== null) expect(report.claims.given_name?.reasons, `${id} ~ ${record}`).toContain(reason);
      }
    });
  }
});
