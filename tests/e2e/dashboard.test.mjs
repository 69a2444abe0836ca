// The dashboard shell in a real browser: the wasm engine loads, normalizes the sample, reports
// typed errors, and the layout holds at 360 px and 1440 px.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch, startServer } from "./browser.mjs";

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

test("normalizes the sample user in the page with the wasm engine", async () => {
  const { page, errors, close } = await launch();
  try {
    await page.goto(server.url);
    await page.getByRole("status").filter({ hasText: "Engine ready" }).waitFor();
    const row = (label) => page.locator("#fields tr", { has: page.getByRole("rowheader", { name: label, exact: true }) });
    assert.equal(await row("Given name").locator("td").first().textContent(), "José");
    assert.equal(await row("Given name").locator("td.source").textContent(), "profile.LegalFirstName");
    assert.equal(await row("Country").locator("td").first().textContent(), "US");
    assert.ok((await page.locator("#issues li").allTextContents()).some((t) => t.includes("MISSING") && t.includes("employeeNumber")));

    // Change the mapping: firstName now wins.
    await page.getByLabel("Attribute mapping").fill('{"givenName": "firstName"}');
    await page.getByRole("button", { name: "Normalize" }).click();
    assert.equal(await row("Given name").locator("td").first().textContent(), "Pepe");

    // A malformed mapping yields the typed error, visibly.
    await page.getByLabel("Attribute mapping").fill('{"givenName": [1]}');
    await page.getByRole("button", { name: "Normalize" }).click();
    assert.match(await page.getByRole("alert").textContent(), /^error\[INVALID_MAPPING\]: .*givenName\[0\]/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("keyboard reaches the form and the layout fits 360 px and 1440 px", async () => {
  for (const width of [360, 1440]) {
    const { page, errors, close } = await launch({ width, height: 800 });
    try {
      await page.goto(server.url);
      await page.getByRole("status").filter({ hasText: "Engine ready" }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at ${width}px`);
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
});
