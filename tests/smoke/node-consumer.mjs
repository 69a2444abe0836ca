// Node consumer, run from the fresh project that installed the tarball: the bare specifier must
// pick the "node" export condition (readFileSync + initSync) from node_modules/okta-directory.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as api from "okta-directory";
import { OktaDirectoryError, normalizeUser } from "okta-directory";
import { asyncChecks, checks } from "./cases.mjs";

test("bare specifier resolves to the installed package's node entry", () => {
  const installed = new URL("./node_modules/okta-directory/", import.meta.url).href;
  assert.equal(import.meta.resolve("okta-directory"), `${installed}dist/node.js`);
});

test("named imports are the same bindings as the namespace", () => {
  assert.equal(normalizeUser, api.normalizeUser);
  assert.equal(OktaDirectoryError, api.OktaDirectoryError);
});

for (const { name, run } of checks) test(name, () => run(api, assert));
for (const { name, run } of asyncChecks) test(name, () => run(api, assert));
