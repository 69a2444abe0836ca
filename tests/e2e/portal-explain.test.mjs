// The portal's pre-check explains the combined decision in plain words: reports from the real engine, read
// by the page's own module (www/app/portal/explain.js). No values, no engine words; optional details never
// presented as problems.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ClaimsMatcher } from "../../js/dist/node.js";
import { explainDetails, explainTogether, requiredDetails } from "../../www/app/portal/explain.js";

const record = {
  firstName: "Katherine",
  lastName: "Mitchell",
  middleName: "Ann",
  birthdate: "1988-04-12",
  streetAddress: "12 Oak Street",
  city: "Springfield",
  zipCode: "62704",
  countryCode: "US",
};
const id = {
  given_name: "Katherine",
  family_name: "Mitchel",
  birthdate: "1988-04-12",
  address: { street_address: "12 Oak Street", locality: "Springfield", postal_code: "62704", country: "US" },
};
const ENGINE_WORDS = /level|weight|threshold|bits|guard|one_edit|fuzzy|operating point|[A-Z]{3,}_[A-Z]/i;

/**
 * The engine's report for an ID against a profile under a policy (null: the default), with the page's lines.
 * @param {import("../../js/dist/node.js").VerifiedClaimsInput} verified
 * @param {import("../../js/dist/node.js").OktaProfile} [profile]
 * @param {import("../../js/dist/node.js").PolicyDocument | null} [policy]
 */
function explain(verified, profile = record, policy = null) {
  const matcher = new ClaimsMatcher(policy === null ? {} : { policy });
  try {
    const report = matcher.match(verified, { profile });
    const lines = explainDetails(report, { required: requiredDetails(policy), onId: Object.keys(verified) });
    return { report, lines, together: explainTogether(report) };
  } finally {
    matcher.free();
  }
}

test("a one-letter slip in the family name reads as a small spelling difference, never with the values", () => {
  const { report, lines, together } = explain(id);
  assert.equal(report.decision, "match");
  const family = lines.find((l) => l.claim === "family_name");
  assert.deepEqual(family, { claim: "family_name", tone: "ok", text: "Your last name matched with a small spelling difference." });
  assert.equal(lines.find((l) => l.claim === "given_name")?.text, "Your first name matches your HR record.");
  assert.match(together, /agree closely enough/);
  for (const l of [...lines.map((x) => x.text), together]) {
    for (const v of ["Mitchel", "Katherine", "1988", "Oak", "62704"]) assert.ok(!l.includes(v), l);
    assert.doesNotMatch(l, ENGINE_WORDS);
  }
});

test("optional details are never problems: a different address is said neutrally, an empty middle name not at all", () => {
  const { report, lines } = explain(
    { ...id, family_name: "Mitchell", address: { ...id.address, street_address: "900 Elm Avenue", postal_code: "10001" } },
    { ...record, middleName: undefined },
  );
  assert.equal(report.decision, "match");
  const address = lines.find((l) => l.claim === "address");
  assert.ok(address, "the address is explained");
  assert.equal(address.tone, "neutral");
  assert.match(address.text, /not needed/);
  assert.ok(!lines.some((l) => l.claim === "middle_name"));
  assert.ok(lines.every((l) => l.tone !== "problem"));
  // The same difference under a policy that requires the address is a problem.
  const strict = explain(
    { ...id, family_name: "Mitchell", address: { ...id.address, street_address: "900 Elm Avenue", postal_code: "10001" } },
    record,
    {
      claims: { given_name: {}, family_name: {}, birthdate: {}, address: { required: true, on_mismatch: "fail" } },
    },
  );
  assert.equal(strict.lines.find((l) => l.claim === "address")?.tone, "problem");
});

test("a required detail that differs is the problem, and the summary says a detail that must match does not", () => {
  const { report, lines, together } = explain({ ...id, birthdate: "1988-04-21" });
  assert.equal(report.decision, "no_match");
  assert.deepEqual(
    lines.find((l) => l.claim === "birthdate"),
    { claim: "birthdate", tone: "problem", text: "Your date of birth does not match your HR record." },
  );
  assert.match(together, /must match does not/);
  const missing = explain(id, { ...record, birthdate: undefined });
  assert.match(missing.lines.find((l) => l.claim === "birthdate")?.text ?? "", /missing from your HR record, and it is needed/);
});

test("a changed family name supported by the address goes to a person who checks the document; without the address it is the problem", () => {
  const { report, lines, together } = explain({ ...id, family_name: "Okafor" });
  assert.equal(report.decision, "review");
  const family = lines.find((l) => l.claim === "family_name");
  assert.equal(family?.tone, "neutral");
  assert.match(family?.text ?? "", /as after a change of name: a person checks the document/);
  assert.doesNotMatch(family?.text ?? "", /Okafor|Mitchell/);
  assert.doesNotMatch(family?.text ?? "", ENGINE_WORDS);
  assert.match(together, /need a person at the help desk/);
  const { address: _address, ...noAddress } = id;
  const refused = explain({ ...noAddress, family_name: "Okafor" });
  assert.equal(refused.report.decision, "no_match");
  assert.equal(refused.lines.find((l) => l.claim === "family_name")?.tone, "problem");
});

test("a name the engine sends to a person reads as checked by a person, not as a mismatch; two different names spelled alike say so", () => {
  /** @type {Array<[string, string, string, string, RegExp]>} the ID's given name, the record's, the decision, the line's tone, its words */
  const cases = [
    ["Alex", "Alexander", "review", "neutral", /short form that can stand for more than one name: a person at the help desk checks it\.$/],
    ["MARY KATHERINE", "Katherine", "review", "neutral", /goes by a middle name: a person at the help desk checks it\.$/],
    ["Kelvin", "Kevin", "no_match", "problem", /spelled almost like the one in your HR record, but they are two different names/],
  ];
  for (const [given, recorded, decision, tone, words] of cases) {
    const { report, lines, together } = explain(
      { ...id, given_name: given, family_name: "Mitchell" },
      { ...record, firstName: recorded, middleName: undefined },
    );
    assert.equal(report.decision, decision, `${given} ~ ${recorded}`);
    const line = lines.find((l) => l.claim === "given_name");
    assert.equal(line?.tone, tone, `${given} ~ ${recorded}: ${line?.text}`);
    assert.match(line?.text ?? "", words);
    for (const l of [...lines.map((x) => x.text), together]) {
      for (const v of [given, recorded, "Mitchell", "1988", "Oak"]) assert.ok(!l.includes(v), l);
      assert.doesNotMatch(l, ENGINE_WORDS);
    }
  }
  // The same short form when the birthdate differs too: the birthdate decided, nobody checks the name.
  const refused = explain(
    { ...id, given_name: "Alex", family_name: "Mitchell", birthdate: "1988-04-21" },
    { ...record, firstName: "Alexander" },
  );
  assert.equal(refused.report.decision, "no_match");
  assert.match(refused.lines.find((l) => l.claim === "given_name")?.text ?? "", /more than one name, so it does not count as a match\.$/);
});
