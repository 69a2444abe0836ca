// The Event Hook fast path inside workerd (Miniflare) for an org that syncs with OAuth (private_key_jwt, DPoP
// required by the app) and has no API token: the fast step reads the changed user with the sync's credentials
// (an access token with okta.users.read, a DPoP proof per request, Okta's nonce answered) and rewrites only
// its shards — before, such an org fell back to a whole incremental run per delivery.
//
// Run after the build: `node --test templates/worker/test/hook-fast-path-oauth.test.mjs`.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  bundle,
  deliverHook,
  lookup,
  startSync,
  emulatorBindings,
  health as healthOf,
  logLines,
  miniflare,
  PLAIN_ENTRY,
  published as publishedOn,
  removeBundle,
  startEmulator,
} from "./harness.mjs";

const HOOK_SECRET = "test-hook-secret-0123456789abcdef";

/** @type {any} */
let emu;
/** @type {string} */
let work;
/** @type {any} */
let mf;
/** @type {string} */
let persist;
let logs = "";

const health = () => healthOf(mf);
/** @param {string} hint */
const given = async (hint) => (await lookup(mf, hint)).body.user?.name?.given;
/** @param {string} previous */
const published = (previous) => publishedOn(mf, previous);
/** @param {number} mark */
const lines = (mark) => logLines(logs.slice(mark));

before(async () => {
  emu = await startEmulator({ users: 300, groups: 3, seed: 43, rateLimit: "off", dpop: "required" });
  work = await bundle(PLAIN_ENTRY);
  persist = mkdtempSync(join(tmpdir(), "worker-hook-oauth-"));
  mf = miniflare(work, {
    bindings: {
      ...emulatorBindings(emu),
      OKTA_HOOK_SECRET: HOOK_SECRET,
      SYNC_RETRY_BASE_MS: "200",
    },
    persist,
    onLog: (d) => (logs += d),
  });
  await startSync(mf, true);
  await published("");
});

after(async () => {
  await mf?.dispose();
  removeBundle(work);
  if (persist) rmSync(persist, { recursive: true, force: true });
  await emu?.close();
});

describe("Worker: Event Hook fast path with OAuth credentials", () => {
  it("reads the changed user with a DPoP-bound token and rewrites only its shards (no whole run)", async () => {
    const users = /** @type {{ id: string, status: string, profile: { login: string } }[]} */ (
      await (await fetch(`${emu.url}/__control/users`)).json()
    ).filter((u) => u.status === "ACTIVE");
    const [user] = users;
    assert.ok(user);
    const v0 = (await health()).published.version;
    const r = await fetch(`${emu.url}/__control/users/${user.id}`, {
      method: "PATCH",
      body: JSON.stringify({ profile: { firstName: "Oauthfast" } }),
    });
    assert.ok(r.ok);
    const mark = logs.length;
    const tokensBefore = emu.env.oauth.tokens.size;
    const delivery = await deliverHook(mf, HOOK_SECRET, "oauth-fast-1", [
      { type: "user.account.update_profile", targets: [{ id: user.id, type: "User", displayName: "Forged Value" }] },
    ]);
    assert.equal(delivery.status, 200);
    await published(v0);
    assert.equal(await given(user.profile.login), "Oauthfast");
    const steps = lines(mark).filter((l) => l.event === "sync_step");
    assert.deepEqual(
      steps.map((s) => s.phase),
      ["hook"],
      "one fast step, no whole-snapshot run",
    );
    const [step] = steps;
    assert.equal(step.r2, 0, "the R2 snapshot is neither read nor written");
    // A token request challenged for a nonce, the token, the user read.
    assert.equal(step.okta, 3, "token (nonce challenge + token) and one user read");
    assert.equal(emu.env.oauth.tokens.size, tokensBefore + 1, "one new access token");
    const bound = [...emu.env.oauth.tokens.values()].at(-1);
    assert.notEqual(bound?.jkt, null, "the token is DPoP-bound");
    assert.ok(bound?.scopes.includes("okta.users.read"));
    const [pub] = lines(mark).filter((l) => l.event === "published");
    assert.equal(pub.mode, "hook");
    assert.ok(pub.written >= 1 && pub.written <= 2, `shards written: ${pub.written} of ${pub.shards}`);
    assert.doesNotMatch(logs, /Forged Value/);
    assert.doesNotMatch(logs, /PRIVATE KEY/);
  });
});
