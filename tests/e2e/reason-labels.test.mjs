// The dashboard's labels for reason codes and agreement levels (www/app/reasons.js: the claims playground and
// the helpdesk console) cover every code and level the engine can give — the module's own tables
// (`reportNamesJson`) — and docs/claims.md lists the same ones: a code added to the engine without its label
// fails here, as one without its line in the docs fails tests/docs_reason_codes.rs.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import "../../js/dist/node.js"; // instantiates the module
import { reportNamesJson } from "../../js/wasm/okta_directory.js";
import { LEVEL_LABELS, REASON_LABELS, levelLabel, reasonLabel } from "../../www/app/reasons.js";

/** @type {{ reasons: string[], levels: string[] }} */
const names = JSON.parse(reportNamesJson());
const doc = readFileSync(new URL("../../docs/claims.md", import.meta.url), "utf8");

/** The backticked codes in the first column of docs/claims.md's "Reason codes" table. */
function documentedCodes() {
  const section = (doc.split("\n## Reason codes\n")[1] ?? "").split("\n## ")[0] ?? "";
  return section
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .flatMap((row) => (row.replace(/^\|/, "").split(" | ")[0] ?? "").split("`").filter((p, i) => i % 2 === 1 && /^[A-Z0-9_]+$/.test(p)));
}

test("every reason code the engine gives has a label, and no label names a code that does not exist", () => {
  assert.ok(names.reasons.length > 50, `${names.reasons.length} codes`);
  assert.deepEqual([...Object.keys(REASON_LABELS)].sort(), [...names.reasons].sort());
  assert.deepEqual([...documentedCodes()].sort(), [...names.reasons].sort(), "docs/claims.md's table");
  for (const code of names.reasons) {
    const label = reasonLabel(code);
    assert.ok(label.length > 3 && !/[A-Z]{3,}_[A-Z]/.test(label), `${code}: ${label}`);
  }
  assert.equal(reasonLabel("SOME_FUTURE_CODE"), "some future code");
});

test("every agreement level has a label, and docs/claims.md lists the same levels", () => {
  assert.deepEqual([...Object.keys(LEVEL_LABELS)].sort(), [...names.levels].sort());
  const listed = doc.replace(/\s+/g, " ").match(/agreement level \(([^)]*)\)/)?.[1] ?? "";
  assert.deepEqual([...listed.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).sort(), [...names.levels].sort());
  assert.equal(levelLabel("one_edit"), "one spelling edit");
});
