// Admin sign-in in Chromium: "Sign in with Okta" against the bundled emulator (OIDC code + PKCE, the
// emulator's login form), the one-time bootstrap link, sign-out, and refusals told plainly. Screenshots of
// the sign-in pages go to .cache/screenshots/ (the README's copies live in docs/screenshots/).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { axeViolations, launch, overflow, screenshot, startServer } from "./browser.mjs";

/** @type {import("./browser.mjs").DashboardServer} */
let server;
before(async () => {
  server = await startServer("--demo", "--demo-users", "300");
});
after(async () => server?.stop());

test("the one-time bootstrap link signs the admin in once, and leaves no token in the address bar", async () => {
  const first = await launch({ width: 1440, height: 900 });
  try {
    await first.page.goto(server.bootstrapUrl);
    await first.page.getByText("Signed in with the bootstrap token").waitFor();
    await first.page.getByRole("heading", { name: "Integrations" }).waitFor();
    assert.ok(!first.page.url().includes("bootstrap="), first.page.url());
    assert.deepEqual(first.errors, []);
  } finally {
    await first.close();
  }
  const second = await launch({ width: 1440, height: 900 });
  try {
    await second.page.goto(server.bootstrapUrl);
    await second.page.getByText("That bootstrap token is wrong or was already used").waitFor();
    assert.match(second.page.url(), /\/signin\.html$/);
  } finally {
    await second.close();
  }
});

test("Sign in with Okta: the emulator's login form, back to the dashboard signed in; sign out", async () => {
  const { page, errors, close } = await launch({ width: 1440, height: 900 });
  try {
    // Not signed in: the dashboard sends the browser to the sign-in page.
    await page.goto(server.url);
    await page.waitForURL(/\/signin\.html$/);
    await page.getByRole("link", { name: "Sign in with Okta" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await overflow(page), 0);
    await screenshot(page, "signin-1440");
    await page.getByRole("link", { name: "Sign in with Okta" }).click();
    // The org's (emulator's) own login form: a wrong password first.
    await page.getByRole("heading", { name: "Sign in to the Okta emulator" }).waitFor();
    assert.notEqual(
      new URL(page.url()).origin,
      new URL(server.url).origin,
      "the password is typed on the org's origin, not the dashboard's",
    );
    assert.match(page.url(), /\/oauth2\/v1\/authorize\?.*code_challenge_method=S256/);
    const admin = server.admin;
    assert.ok(admin, "the demo server reports its emulator's admin");
    await page.getByLabel("Username").fill(admin.username);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("The username or password is not right.").waitFor();
    await page.getByLabel("Username").fill(admin.username);
    await page.getByLabel("Password").fill(admin.password);
    await screenshot(page, "signin-okta-form-1440");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as Demo Admin").waitFor();
    await page.getByRole("heading", { name: "Integrations" }).waitFor();
    await page.locator(".card", { hasText: "Demo directory" }).waitFor();
    // The session cookie: HttpOnly, SameSite=Strict, invisible to the page's scripts.
    const cookies = await page.context().cookies(server.url);
    const session = cookies.find((c) => c.name === "od_admin");
    assert.ok(session, "the admin session cookie is set");
    assert.deepEqual([session.httpOnly, session.sameSite], [true, "Strict"]);
    assert.equal(await page.evaluate(() => document.cookie.includes("od_admin")), false);
    await screenshot(page, "signed-in-1440");
    // Sign out: back to the sign-in page, and the admin API refuses the old session.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin\.html$/);
    const status = await fetch(`${server.url}api/integrations`, { headers: { cookie: `od_admin=${session.value}` } }).then((r) => r.status);
    assert.equal(status, 401);
    assert.deepEqual(
      errors.filter((e) => !/status of 401/.test(e)),
      [],
    );
  } finally {
    await close();
  }
});

test("a callback this browser did not start is refused, told plainly; the sign-in page at 360 px", async () => {
  const { page, close } = await launch({ width: 360, height: 800 });
  try {
    await page.goto(`${server.url}auth/oidc/callback?code=stolen&state=guessed`);
    await page.getByText("That sign-in was not started here or took too long.").waitFor();
    assert.equal(await overflow(page), 0);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, "signin-refused-360");
    assert.equal((await fetch(`${server.url}api/integrations`)).status, 401);
  } finally {
    await close();
  }
});
