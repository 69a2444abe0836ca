// Slim entry, in its own process (node --test runs each file separately): the entries share the
// wasm glue and the "ready" flag, so after the node entry has loaded, initOktaDirectory would be a
// no-op and prove nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as slim from "okta-directory/slim";
import { checks } from "./cases.mjs";

test("slim resolves to the installed package's dist/slim.js", () => {
  const installed = new URL("./node_modules/okta-directory/", import.meta.url).href;
  assert.equal(import.meta.resolve("okta-directory/slim"), `${installed}dist/slim.js`);
});

test("slim API throws NOT_INITIALIZED before initOktaDirectory", () => {
  assert.throws(
    () => slim.normalizeUser({ profile: {} }),
    (error) => {
      assert.ok(error instanceof slim.OktaDirectoryError);
      assert.equal(error.code, "NOT_INITIALIZED");
      return true;
    },
  );
});

test("initOktaDirectory(bytes) with the exported okta_directory_bg.wasm", async () => {
  // The wasm is reachable through the package's own exports map, as a consumer would find it.
  const bytes = readFileSync(new URL(import.meta.resolve("okta-directory/okta_directory_bg.wasm")));
  await slim.initOktaDirectory(bytes);
});

for (const { name, run } of checks) test(`slim: ${name}`, () => run(slim, assert));
