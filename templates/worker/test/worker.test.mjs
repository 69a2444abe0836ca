// The Worker template end to end inside workerd (Miniflare): the template's src/ with `okta-directory`
// resolved by its package name (see harness.mjs), bundled as wrangler does, syncing from the in-process
// Okta emulator into Miniflare's KV (the sync job's journal and snapshots in its R2).
//
// Run after the build: `node --test templates/worker/test/` (repository) or `npm test` (a copy of the template).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  api as callWorker,
  bundle,
  control as emulatorControl,
  emulatorBindings,
  idvBindings,
  KV_COUNTER,
  miniflare,
  removeBundle,
  SECRET,
  scheduledPublish,
  sdk,
  startEmulator,
} from "./harness.mjs";

/** An Okta IDV claims request carrying an impostor's values, in the current and the legacy forms. */
const IMPOSTOR = { given: "Mallory", family: "Quist-Vandermeer" };
const OKTA_REQUEST = {
  id_token: {
    verified_claims: [
      { verification: { trust_framework: { value: "IDV-DELEGATED" } }, claims: { given_name: { value: IMPOSTOR.given, fuzzy: true } } },
      { verification: { trust_framework: { value: "IDV-DELEGATED" } }, claims: { family_name: { fuzzy: IMPOSTOR.family } } },
    ],
  },
};

// Wraps the template's Worker: counts the KV calls the template makes through its binding (by
// wrapping the real Miniflare binding, independently of the store's own bookkeeping) and exposes the
// counts on a test-only path.
const TEST_ENTRY = `
import worker from "./src/worker.js";
export { VerificationGuard, SyncJob } from "./src/worker.js";
${KV_COUNTER}
export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/__test/kv") return Response.json(counts);
    return worker.fetch(request, { ...env, DIRECTORY: counting(env.DIRECTORY) }, ctx);
  },
  scheduled(controller, env, ctx) {
    return worker.scheduled(controller, { ...env, DIRECTORY: counting(env.DIRECTORY) }, ctx);
  },
};`;

/** A user as the emulator's control route lists them (the profile fields these tests read are text). */
/** @typedef {{ id: string, status: string, profile: Record<string, string> }} ControlUser */

/** @type {import("okta-directory/emulator").RunningEmulator} */
let emu;
/** @type {import("miniflare").Miniflare} */
let mf;
/** @type {string | undefined} */
let work;
/** @type {Awaited<ReturnType<import("miniflare").Miniflare["getKVNamespace"]>>} */
let kv;
let logs = "";
/** Every id_token the tests sent, so the log test can look for them. @type {string[]} */
const issuedTokens = [];

/**
 * Calls the Worker with the bearer secret.
 * @param {string} path
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [init]
 */
const api = (path, init) => callWorker(mf, path, init);
/** @param {string} hint */
const lookup = (hint) => api(`/v1/users/lookup?login_hint=${encodeURIComponent(hint)}`);
/**
 * Every user of the Node-side directory (members of the built-in Everyone group).
 * @param {import("okta-directory").Directory} directory
 */
async function allUsers(directory) {
  const everyone = (await control("GET", "groups")).find((/** @type {{ type: string }} */ g) => g.type === "BUILT_IN");
  return directory.membersOf(everyone.id);
}
const kvCounts = async () =>
  /** @type {{ get: number, put: number, delete: number, list: number }} */ (
    await (await mf.dispatchFetch("http://worker.test/__test/kv")).json()
  );
/** @typedef {{ users: number, shards: number, version: string, previous: { version: string }, shardVersions: string[], frequencies?: string }} Manifest */
/** The published manifest, as the KV store writes it. */
const readManifest = async () => /** @type {Manifest} */ (await kv.get("okta-directory/manifest", "json"));
/**
 * A user's enrollment history, as the Worker records it.
 * @param {string} key
 */
const readHistory = async (key) => /** @type {{ users: Record<string, { decision: string }[]> }} */ (await kv.get(key, "json"));
/** The emulator's users. */
const controlUsers = async () => /** @type {ControlUser[]} */ (await control("GET", "users"));

/** Runs the schedule and waits for the sync job to publish. */
const sync = () => scheduledPublish(mf, () => logs);

/** The expected answer: the same org synced in Node and looked up in the full directory. */
async function nodeDirectory() {
  const result = await sdk.syncDirectoryJson({ orgUrl: emu.url, apiToken: emu.apiToken, allowInsecureLoopback: true });
  return sdk.Directory.fromSyncResult(result, { keys: ["login", "email"], origin: emu.url });
}

/**
 * @param {import("okta-directory").Directory} directory
 * @param {string} hint
 * @returns {{ status: number, user?: unknown, key?: string, workforce?: boolean, code?: string }}
 */
function expected(directory, hint) {
  try {
    const hit = directory.lookup(hint);
    return { status: 200, user: hit.user, key: hit.key, workforce: hit.workforce };
  } catch (e) {
    const { code } = /** @type {import("okta-directory").OktaDirectoryError} */ (e);
    return { status: code === "USER_NOT_FOUND" ? 404 : 409, code };
  }
}

/**
 * Calls the emulator's control API.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
const control = (method, path, body) => emulatorControl(emu, method, path, body);

before(async () => {
  emu = await startEmulator({ users: 400, groups: 6, seed: 21, rateLimit: "off" });
  work = await bundle(TEST_ENTRY);
  mf = miniflare(work, {
    bindings: {
      ...emulatorBindings(emu),
      // One page per step: every full run here is a job of several resumed steps.
      SYNC_PAGES_PER_STEP: "1",
      FULL_RECONCILE_HOURS: "24",
      ...idvBindings(emu),
      VERIFY_MAX_ATTEMPTS: "5",
      VERIFY_WINDOW_SECONDS: "900",
      // The operator's Okta claims request, with values no record has: it tightens the policy, and a
      // genuine verification still matches only because its values are never compared (finding 2).
      OKTA_CLAIMS_REQUEST: JSON.stringify(OKTA_REQUEST),
    },
    onLog: (d) => (logs += d),
  });
  kv = await mf.getKVNamespace("DIRECTORY");
});

after(async () => {
  await mf?.dispose();
  await emu?.close();
  removeBundle(work);
});

describe("Worker template in workerd", () => {
  it("refuses requests without the bearer secret, and says so in JSON", async () => {
    for (const authorization of [undefined, "Bearer wrong-secret-wrong-secret", `Basic ${SECRET}`, `Bearer ${SECRET}x`]) {
      const response = await mf.dispatchFetch("http://worker.test/v1/users/lookup?login_hint=a", {
        headers: authorization === undefined ? {} : { authorization },
      });
      assert.equal(response.status, 401);
      assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
      assert.equal(/** @type {{ error: { code: string } }} */ (await response.json()).error.code, "UNAUTHORIZED");
    }
  });

  it("answers STORE_EMPTY before the first sync, and JSON errors for bad requests", async () => {
    assert.deepEqual((await lookup("someone@example.com")).body.error.code, "STORE_EMPTY");
    assert.equal((await lookup("someone@example.com")).status, 503);
    assert.equal((await api("/v1/users/lookup")).body.error.code, "INVALID_REQUEST");
    assert.equal((await api("/v1/nope")).status, 404);
    assert.equal((await api("/v1/claims/match")).status, 405);
    const bad = await api("/v1/claims/match", { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    assert.deepEqual([bad.status, bad.body.error.code], [400, "INVALID_REQUEST"]);
  });

  it("syncs on schedule, publishes shards, and looks users up exactly as the full directory", async () => {
    // An ambiguous hint: two users share a mailbox that is nobody's login.
    const [a, b] = (await controlUsers()).filter((u) => u.profile.email && u.profile.email !== u.profile.login);
    await control("PATCH", `users/${b.id}`, { profile: { email: a.profile.email } });
    await sync();
    const manifest = await readManifest();
    assert.equal(manifest.users, 400);
    assert.ok(manifest.shards >= 3, `shards: ${manifest.shards}`);
    const directory = await nodeDirectory();
    const users = await allUsers(directory);
    assert.ok(users.length > 300);
    const hints = [];
    for (const u of users.slice(0, 40))
      hints.push(/** @type {string} */ (u.login), /** @type {string} */ (u.login).toUpperCase(), u.email ?? "none@example.com");
    hints.push("nobody@nowhere.example", a.profile.email, `  ${a.profile.email.toUpperCase()}  `);
    assert.equal(expected(directory, a.profile.email).code, "AMBIGUOUS_LOGIN_HINT");
    for (const [i, hint] of hints.entries()) {
      const want = expected(directory, hint);
      const got = await lookup(hint);
      assert.equal(got.status, want.status, `status for hint #${i}`);
      if (want.status === 200) {
        assert.deepEqual(
          { user: got.body.user, key: got.body.key, workforce: got.body.workforce },
          { user: want.user, key: want.key, workforce: want.workforce },
        );
      } else {
        assert.equal(got.body.error.code, want.code);
      }
    }
    directory.free();
  });

  it("reads exactly one KV value per lookup once warm", async () => {
    const users = (await controlUsers()).slice(0, 25);
    await lookup(users[0].profile.login); // warm (manifest cached by the sync already, shard read)
    for (const u of users) {
      const before = await kvCounts();
      const r = await lookup(u.profile.login);
      const afterCounts = await kvCounts();
      assert.ok(r.status === 200 || r.status === 409, `status ${r.status}`);
      assert.equal(afterCounts.get - before.get, 1, "KV reads for one lookup");
      assert.equal(afterCounts.put + afterCounts.delete, before.put + before.delete);
    }
  });

  it("answers a lookup with the record's JSON text as the core writes it (no object serialized again)", async () => {
    const target = (await controlUsers()).find((u) => u.status === "ACTIVE" && u.profile.login && u.profile.email !== u.profile.login);
    assert.ok(target, "an active user whose email is not the login");
    // A whole number in a custom attribute: the core writes `4321.0`; a JS object serialized again says `4321`.
    await control("PATCH", `users/${target.id}`, { profile: { costCenterNumber: 4321 } });
    await sync();
    const response = await mf.dispatchFetch(`http://worker.test/v1/users/lookup?login_hint=${encodeURIComponent(target.profile.login)}`, {
      headers: { authorization: `Bearer ${SECRET}` },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    const text = await response.text();
    const directory = await nodeDirectory();
    const full = directory.lookupJson(target.profile.login); // {"user":…,"key":…,"workforce":…}, from the full directory
    const userJson = full.slice('{"user":'.length, full.lastIndexOf(',"key":'));
    const hit = directory.lookup(target.profile.login);
    const head = `{"userId":${JSON.stringify(hit.user.id)},"status":${JSON.stringify(hit.user.status)},"key":${JSON.stringify(hit.key)}`;
    assert.equal(text, `${head},"workforce":${hit.workforce},"user":${userJson}}`);
    assert.match(text, /"costCenterNumber":4321\.0[,}]/);
    directory.free();
  });

  it("finding 6: /v1/claims/match evaluates caller claims, records nothing, and refuses a caller's policy", async () => {
    const directory = await nodeDirectory();
    const user = (await allUsers(directory)).find((u) => u.status === "ACTIVE" && u.name.given && u.name.family && u.birthdate && u.login);
    assert.ok(user, "an active user with name and birthdate");
    const { given, family } = user.name;
    const { birthdate } = user;
    assert.ok(given && family && birthdate && user.id);
    /** @param {Record<string, unknown>} claims */
    const post = (claims, extra = {}) =>
      api("/v1/claims/match", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ loginHint: user.login, verifiedClaims: claims, ...extra }),
      });
    const key = `okta-directory/enrollment/${encodeURIComponent(user.id)}`;
    const good = { given_name: given.toUpperCase(), family_name: family, birthdate };
    const matched = await post(good, { record: true });
    assert.equal(matched.status, 200, JSON.stringify(matched.body));
    assert.deepEqual(
      [matched.body.userId, matched.body.decision, matched.body.recorded, matched.body.enrollment],
      [user.id, "match", false, "not_enrolled"],
    );
    assert.equal(matched.body.report, undefined, "outcomes and reasons only");
    assert.equal(await kv.get(key), null, "an evaluation writes no history");
    const [y, m, d] = birthdate.split("-").map(Number);
    const wrong = await post({ ...good, birthdate: `${y - 7}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` });
    assert.deepEqual([wrong.body.decision, wrong.body.recorded], ["no_match", false]);
    // The caller can choose neither the policy (e.g. given name only), nor its id, nor directory-side values.
    for (const extra of [
      { policy: { claims: { given_name: {} } } },
      { policyId: "given-name-only" },
      { policyId: "default" },
      { oktaClaims: OKTA_REQUEST },
    ]) {
      const refused = await post({ given_name: user.name.given }, extra);
      assert.deepEqual([refused.status, refused.body.error.code], [400, "INVALID_REQUEST"], JSON.stringify(extra));
    }
    assert.equal(await kv.get(key), null);
    directory.free();
  });

  it("re-syncs a changed user incrementally, keeps the previous version's shards and deletes only unused ones", async () => {
    const first = await readManifest();
    const target = (await controlUsers()).find((u) => u.status === "ACTIVE");
    assert.ok(target, "an active user");
    const oldEmail = target.profile.email;
    const newEmail = `renamed.${target.id.toLowerCase()}@changed.example`;
    await control("PATCH", `users/${target.id}`, { profile: { email: newEmail } });
    const h = await sync();
    assert.equal(h.lastStep.mode, "incremental");
    const second = await readManifest();
    assert.notEqual(second.version, first.version);
    assert.equal(second.previous.version, first.version);
    // One user changed (its email moved): at most its old and new email shards plus its login shard.
    const rewritten = second.shardVersions.filter((v) => v === second.version).length;
    assert.ok(rewritten >= 1 && rewritten <= 3, `shards rewritten: ${rewritten}`);
    const found = await lookup(newEmail);
    assert.deepEqual([found.status, found.body.userId, found.body.key], [200, target.id, "email"]);
    if (oldEmail !== target.profile.login) assert.equal((await lookup(oldEmail)).status, 404);
    await sync();
    const third = await readManifest();
    assert.equal(third.shardVersions.filter((v) => v === third.version).length, 0, "nothing changed: no shard rewritten");
    const names = [];
    let cursor;
    do {
      const page = await kv.list({ prefix: "okta-directory/v/", cursor });
      names.push(...page.keys.map((k) => k.name));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    const live = new Set();
    for (const m of [second, third]) {
      m.shardVersions.forEach((v, n) => {
        live.add(`okta-directory/v/${v}/${n}`);
      });
      // The frequency table, under the version that last wrote it (docs: stores/kv.ts).
      if (m.frequencies !== undefined) live.add(`okta-directory/v/${m.frequencies}/frequencies`);
    }
    assert.deepEqual(names.sort(), [...live].sort(), "exactly the shards and the frequency table the live and the previous manifest read");
  });

  it("never logs hints, profile values or secrets", () => {
    assert.match(logs, /"event":"published"/);
    assert.match(logs, /"event":"request"/);
    for (const secret of [SECRET, emu.apiToken, emu.privateKeyPem.split("\n")[1], "@"]) {
      assert.ok(!logs.includes(secret), "a secret or an email address reached the logs");
    }
  });
});

describe("POST /v1/verifications in workerd", () => {
  /** @type {ControlUser[]} */
  let users;
  let next = 0;
  /** A fresh active user with names, birthdate and no legal-name attributes (one per test: attempts are limited per hint). */
  const freshUser = () => {
    for (; next < users.length; next++) {
      const u = users[next];
      const p = u.profile;
      if (
        u.status === "ACTIVE" &&
        p.birthdate &&
        /^\d{4}-\d{2}-\d{2}$/.test(p.birthdate) &&
        !p.LegalFirstName &&
        !p.LegalLastName &&
        p.email === p.login
      ) {
        next++;
        return u;
      }
    }
    throw new Error("no fresh user left");
  };
  /** @param {object} body @returns {Promise<string>} */
  const issue = async (body) => {
    const r = await fetch(`${emu.url}/idv/control/issue`, { method: "POST", body: JSON.stringify(body) });
    assert.equal(r.status, 201);
    const { id_token } = /** @type {{ id_token: string }} */ (await r.json());
    issuedTokens.push(id_token);
    return id_token;
  };
  /** @param {string} loginHint @param {string} idToken */
  const verify = (loginHint, idToken) =>
    api("/v1/verifications", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ loginHint, idToken }),
    });
  /** The answer never carries a directory value. */
  /** @param {unknown} body @param {ControlUser} user */
  const noValues = (body, user) => {
    const text = JSON.stringify(body);
    for (const v of [
      user.profile.firstName,
      user.profile.lastName,
      user.profile.birthdate,
      user.profile.login,
      user.profile.city,
      user.profile.streetAddress,
    ]) {
      if (typeof v === "string" && v.length > 2) assert.ok(!text.includes(v), "a directory value reached the answer");
    }
  };

  before(async () => {
    users = await controlUsers();
  });

  it("a genuine verification result matches, is recorded, and answers outcomes and reasons only", async () => {
    const user = freshUser();
    const res = await verify(user.profile.login.toUpperCase(), await issue({ userId: user.id }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.decision, res.body.state], ["match", "success"]);
    assert.equal(res.body.claims.family_name.outcome, "match");
    assert.ok(Array.isArray(res.body.claims.given_name.reasons));
    assert.deepEqual([res.body.enrollment, res.body.recorded, res.body.policyId], ["enrolled", true, "default"]);
    noValues(res.body, user);
    const history = await readHistory(`okta-directory/enrollment/${encodeURIComponent(user.id)}`);
    assert.equal(history.users[user.id].at(-1)?.decision, "match");
  });

  it("a deliberate difference is a mismatch naming the claim, without either value", async () => {
    const user = freshUser();
    const res = await verify(user.profile.login, await issue({ userId: user.id, overrides: { family_name: "Quuxington-Vale" } }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.decision, res.body.state], ["no_match", "mismatch"]);
    assert.equal(res.body.claims.family_name.outcome, "mismatch");
    assert.ok(!JSON.stringify(res.body).includes("Quuxington"));
    noValues(res.body, user);
  });

  it("refuses forged, unknown-key, expired, wrong-audience and replayed tokens, and another person's result", async () => {
    const user = freshUser();
    /** @type {[object, string][]} */
    const cases = [
      [{ signWith: "forged" }, "TOKEN_INVALID_SIGNATURE"],
      [{ signWith: "unknown-key" }, "TOKEN_UNKNOWN_KEY"],
      [{ expired: true }, "TOKEN_EXPIRED"],
      [{ audience: "another-app" }, "TOKEN_WRONG_AUDIENCE"],
    ];
    for (const [options, code] of cases) {
      const res = await verify(user.profile.login, await issue({ userId: user.id, ...options }));
      assert.deepEqual([res.status, res.body.error.code], [401, code]);
      assert.ok(!JSON.stringify(res.body).includes(user.profile.lastName));
    }
    const other = freshUser();
    const token = await issue({ userId: other.id });
    const first = await verify(other.profile.login, token);
    assert.deepEqual([first.status, first.body.decision], [200, "match"]);
    const again = await verify(other.profile.login, token);
    assert.deepEqual([again.status, again.body.error.code], [401, "TOKEN_REPLAYED"]);
    const stolen = await verify(freshUser().profile.login, await issue({ userId: other.id }));
    assert.deepEqual([stolen.status, stolen.body.error.code], [403, "TOKEN_SUBJECT_MISMATCH"]);
  });

  it("finding 2: caller values never stand in for the record: oktaClaims refused, an impostor's claims under the victim's sub do not match", async () => {
    const victim = freshUser();
    const key = `okta-directory/enrollment/${encodeURIComponent(victim.id)}`;
    // A genuine vendor token whose sub is the victim but whose verified claims are the impostor's.
    const token = await issue({ userId: victim.id, overrides: { given_name: IMPOSTOR.given, family_name: IMPOSTOR.family } });
    const withValues = await api("/v1/verifications", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ loginHint: victim.profile.login, idToken: token, oktaClaims: OKTA_REQUEST }),
    });
    assert.deepEqual([withValues.status, withValues.body.error.code], [400, "INVALID_REQUEST"]);
    assert.equal(await kv.get(key), null);
    // The operator's configured request carries the same impostor values: they are not compared.
    const res = await verify(victim.profile.login, token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.decision, res.body.state, res.body.enrollment], ["no_match", "mismatch", "not_enrolled"]);
    assert.equal(res.body.claims.given_name.outcome, "mismatch");
    assert.equal(res.body.claims.family_name.outcome, "mismatch");
    const history = await readHistory(key);
    assert.deepEqual(
      history.users[victim.id].map((e) => e.decision),
      ["no_match"],
    );
  });

  it("finding 8: absurd time claims are a 401 TOKEN_* refusal, never a 500", async () => {
    const user = freshUser();
    const now = Math.floor(Date.now() / 1000);
    for (const ttlSeconds of [4_102_444_800 - now, 1e300, 2 * 86_400]) {
      const res = await verify(user.profile.login, await issue({ userId: user.id, ttlSeconds }));
      assert.deepEqual([res.status, res.body.error.code], [401, "TOKEN_MALFORMED"], `ttl ${ttlSeconds}`);
    }
    assert.doesNotMatch(logs, /"status":500/);
  });

  it("finding 8: a maximum token age — a result issued 400 days (or 20 minutes) ago is refused, 5 minutes ago accepted", async () => {
    const user = freshUser();
    const day = 86_400;
    for (const [issuedSecondsAgo, ttlSeconds] of [
      [400 * day, 400 * day + 600],
      [20 * 60, 3600],
    ]) {
      const res = await verify(user.profile.login, await issue({ userId: user.id, issuedSecondsAgo, ttlSeconds }));
      assert.deepEqual([res.status, res.body.error.code], [401, "TOKEN_EXPIRED"], `issued ${issuedSecondsAgo} s ago`);
    }
    const fresh = await verify(user.profile.login, await issue({ userId: user.id, issuedSecondsAgo: 300, ttlSeconds: 3600 }));
    assert.deepEqual([fresh.status, fresh.body.decision], [200, "match"]);
  });

  it("finding 5: beyond the attempt limit, 429 with Retry-After, whatever the token, without verifying it", async () => {
    const user = freshUser();
    for (let i = 0; i < 5; i++) {
      const res = await verify(user.profile.login, `not.a.token${i}`);
      assert.deepEqual([res.status, res.body.error.code], [401, "TOKEN_MALFORMED"]);
    }
    const genuine = await issue({ userId: user.id });
    for (const hint of [user.profile.login, ` ${user.profile.login.toUpperCase()} `]) {
      const before = await kvCounts();
      const res = await verify(hint, genuine);
      const afterCounts = await kvCounts();
      assert.deepEqual([res.status, res.body.error.code], [429, "TOO_MANY_ATTEMPTS"]);
      assert.ok(Number(res.headers.get("retry-after")) > 0);
      // The policy read and the lookup (one shard); no history read or written.
      assert.equal(afterCounts.get - before.get, 2, "KV reads for a refused attempt");
      assert.equal(afterCounts.put - before.put, 0);
    }
    // Another login is not affected; the counters live in the Durable Object, not in KV.
    const other = freshUser();
    assert.equal((await verify(other.profile.login, await issue({ userId: other.id }))).status, 200);
    assert.equal((await kv.list({ prefix: "okta-directory/attempts/" })).keys.length, 0, "no attempt counter in KV");
  });

  it("finding 5: every spelling of a hint — a combining accent, a leading U+0085, the email — shares the user's budget", async () => {
    // A user whose email differs from the login.
    // A user whose email is not the login: give one a mailbox of its own, and publish it.
    const user = freshUser();
    assert.ok(/^[a-z]/i.test(user.profile.login), "a login that starts with a Latin letter");
    user.profile.email = `own.mailbox.${user.id.toLowerCase()}@example.org`;
    await control("PATCH", `users/${user.id}`, { profile: { email: user.profile.email } });
    await sync();
    const login = user.profile.login;
    const variants = [
      `${login[0]}\u0301${login.slice(1)}`,
      `\u0085${login}`,
      user.profile.email,
      `\u0085${login[0].toUpperCase()}\u0301${login.slice(1)}`,
    ];
    for (const v of variants) {
      const found = await lookup(v);
      assert.deepEqual([found.status, found.body.userId], [200, user.id], `the lookup resolves ${JSON.stringify(v)}`);
    }
    for (let i = 0; i < 5; i++) assert.equal((await verify(login, `bad.token.${i}`)).status, 401);
    const genuine = await issue({ userId: user.id });
    for (const v of variants) {
      const res = await verify(v, genuine);
      assert.deepEqual([res.status, res.body.error.code], [429, "TOO_MANY_ATTEMPTS"], JSON.stringify(v));
    }
    // Evaluations count against the same budget.
    const evaluated = await api("/v1/claims/match", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ loginHint: user.profile.email, verifiedClaims: { given_name: "x" } }),
    });
    assert.deepEqual([evaluated.status, evaluated.body.error.code], [429, "TOO_MANY_ATTEMPTS"]);
  });

  it("finding 5: 30 concurrent attempts against a limit of 5 — exactly 5 pass the Durable Object", async () => {
    const user = freshUser();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => verify(i % 2 ? user.profile.login : user.profile.login.toUpperCase(), `bad.token.${i}`)),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 5, `statuses: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 429).length, 25);
  });

  it("a token replayed concurrently is accepted once", async () => {
    const user = freshUser();
    const token = await issue({ userId: user.id });
    const results = await Promise.all(Array.from({ length: 4 }, () => verify(user.profile.login, token)));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 401, 401, 401]);
    assert.ok(results.filter((r) => r.status === 401).every((r) => r.body.error.code === "TOKEN_REPLAYED"));
  });

  it("verifications of one user decided at the same time are all recorded", async () => {
    const user = freshUser();
    const tokens = await Promise.all(Array.from({ length: 4 }, () => issue({ userId: user.id })));
    const results = await Promise.all(tokens.map((t) => verify(user.profile.login, t)));
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200],
    );
    const history = await readHistory(`okta-directory/enrollment/${encodeURIComponent(user.id)}`);
    assert.equal(history.users[user.id].length, 4, "no entry lost to a concurrent read-modify-write");
  });

  it("logs decisions, never tokens", () => {
    assert.match(logs, /"event":"verification"/);
    assert.ok(issuedTokens.length > 5);
    for (const token of issuedTokens)
      assert.ok(!logs.includes(token.split(".")[1]) && !logs.includes(token.split(".")[2]), "a token reached the logs");
  });
});
