// Same answer everywhere: one set of signed verification results and directory records goes through the
// SDK in Node, in Chromium (the browser entry, wasm in the page) and in workerd (the workerd entry,
// bundled as wrangler does, in Miniflare); decisions, states, per-claim outcomes, reasons and refusal
// codes must be identical.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import * as node from "../../js/dist/node.js";
import { EmulatorStore as DirectoryStore } from "../../js/dist/emulator/index.js";
import { bundleForWorkerd, workerdScript } from "../../templates/worker/test/workerd-bundle.mjs";
import { launch } from "./browser.mjs";
import { runCases } from "./same-answer-cases.mjs";

/** @typedef {import("./same-answer-cases.mjs").Case} Case */
/** @typedef {import("node:crypto").KeyObject} KeyObject */
/** @typedef {Record<string, unknown>} Claims Verified claims as an ID document states them. */

const root = fileURLToPath(new URL("../../", import.meta.url));
const ISSUER = "https://idv.same-answer.example";
const AUDIENCE = "portal";
const NOW_MS = Date.UTC(2027, 0, 15, 12);
const NOW = NOW_MS / 1000;

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwks = {
  keys: [
    { ...rsa.publicKey.export({ format: "jwk" }), kid: "r1", alg: "RS256", use: "sig" },
    { ...ec.publicKey.export({ format: "jwk" }), kid: "e1", alg: "ES256", use: "sig" },
  ],
};
const b64 = (/** @type {unknown} */ v) => Buffer.from(JSON.stringify(v)).toString("base64url");
/**
 * A compact JWS over `payload`, signed with `key`.
 * @param {string} alg "RS256" or "ES256"
 * @param {string} kid
 * @param {KeyObject} key
 * @param {unknown} payload
 */
function jws(alg, kid, key, payload) {
  const input = `${b64({ alg, typ: "JWT", kid })}.${b64(payload)}`;
  const sig =
    alg === "ES256" ? sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }) : sign("sha256", Buffer.from(input), key);
  return `${input}.${sig.toString("base64url")}`;
}

/**
 * What a demo ID says about a user (legal names first), as the emulator's vendor writes it.
 * @param {import("../../js/dist/emulator/index.js").Profile} p
 */
function documentOf(p) {
  /** @type {Claims} */
  const claims = {};
  /** Sets `o[k]` to `v` when it is non-blank text. @param {Claims} o @param {string} k @param {unknown} v */
  const put = (o, k, v) => typeof v === "string" && v.trim() !== "" && (o[k] = v);
  put(claims, "given_name", p.LegalFirstName ?? p.firstName);
  put(claims, "family_name", p.LegalLastName ?? p.lastName);
  put(claims, "middle_name", p.middleName);
  put(claims, "birthdate", p.birthdate);
  /** @type {Claims} */
  const address = {};
  put(address, "street_address", p.streetAddress);
  put(address, "locality", p.city);
  put(address, "region", p.state);
  put(address, "postal_code", p.zipCode);
  put(address, "country", p.countryCode);
  if (Object.keys(address).length) claims.address = address;
  return claims;
}

/** ~200 cases: generated users (16 locales, diacritics, scripts, gaps) × variations, and refused tokens. */
function buildCases() {
  const store = new DirectoryStore({ users: 400, groups: 3, seed: 99 });
  /** @type {Case[]} */
  const cases = [];
  /**
   * Adds a case: a token with these claims about `record`, signed as the options say.
   * @param {string} name
   * @param {Case["record"] & { id: string }} record
   * @param {Claims} claims
   * @param {{ level?: string, alg?: string, payload?: Record<string, unknown>, key?: KeyObject, kid?: string }} [options]
   */
  const add = (name, record, claims, { level = "VERIFIED", alg = "RS256", payload = {}, key, kid } = {}) => {
    const p = {
      iss: ISSUER,
      sub: record.id,
      aud: AUDIENCE,
      iat: NOW - 5,
      exp: NOW + 600,
      nonce: "n",
      jti: randomUUID(),
      verified_claims: { verification: { trust_framework: "IDV-DELEGATED", assurance_level: level }, claims },
      ...payload,
    };
    const signer = key ?? (alg === "ES256" ? ec.privateKey : rsa.privateKey);
    cases.push({
      name,
      record,
      idToken: jws(alg, kid ?? (alg === "ES256" ? "e1" : "r1"), signer, p),
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks,
      nonce: "n",
      nowMs: NOW_MS,
    });
  };
  store.users.slice(0, 150).forEach((u, i) => {
    const record = { id: u.id, status: u.status, profile: u.profile };
    const doc = documentOf(u.profile);
    const alg = i % 2 ? "ES256" : "RS256";
    switch (i % 6) {
      case 0:
        add(`${i} as the record`, record, doc, { alg });
        break;
      case 1:
        add(
          `${i} upper-cased, accents stripped`,
          record,
          Object.fromEntries(
            Object.entries(doc).map(([k, v]) => [
              k,
              typeof v === "string" && k !== "birthdate" ? v.normalize("NFD").replace(/\p{M}/gu, "").toUpperCase() : v,
            ]),
          ),
          { alg },
        );
        break;
      case 2:
        add(`${i} another family name`, record, { ...doc, family_name: "Brzęczyszczykiewicz" }, { alg });
        break;
      case 3:
        add(`${i} birthdate one day off`, record, { ...doc, birthdate: "1970-01-02" }, { alg });
        break;
      // Another city alone is now a match (the address is optional evidence); a later given name goes to review.
      case 4:
        add(`${i} goes by a later given name`, record, { ...doc, given_name: `Quintessa ${String(doc.given_name ?? "")}` }, { alg });
        break;
      default:
        add(`${i} vendor failed`, record, doc, { alg, level: "FAILED" });
    }
  });
  const u = store.users[0];
  const record = { id: u.id, status: u.status, profile: u.profile };
  const doc = documentOf(u.profile);
  add("deactivated", { ...record, status: "DEPROVISIONED" }, doc);
  add("suspended", { ...record, status: "SUSPENDED" }, doc);
  add("forged key under a published kid", record, doc, { alg: "ES256", key: stranger.privateKey, kid: "e1" });
  add("unknown kid", record, doc, { alg: "ES256", key: stranger.privateKey, kid: "nope" });
  add("expired", record, doc, { payload: { iat: NOW - 4000, exp: NOW - 3000 } });
  add("not yet valid", record, doc, { payload: { nbf: NOW + 3000 } });
  add("wrong audience", record, doc, { payload: { aud: "other" } });
  add("wrong issuer", record, doc, { payload: { iss: "https://evil.example" } });
  add("nonce mismatch", record, doc, { payload: { nonce: "m" } });
  add("no verified_claims", record, doc, { payload: { verified_claims: undefined } });
  cases.push({
    ...cases[0],
    name: "tampered payload",
    idToken: cases[0].idToken.replace(
      /\.[^.]+\./,
      `.${b64({ iss: ISSUER, sub: "x", aud: AUDIENCE, iat: NOW, exp: NOW + 60, verified_claims: { verification: { trust_framework: "IDV-DELEGATED" }, claims: {} } })}.`,
    ),
  });
  cases.push({ ...cases[0], name: "not a JWS", idToken: "a.b" });
  return cases;
}

/** @type {Case[]} */
let cases;
/** @type {string | undefined} */
let work;
/** @type {Miniflare | undefined} */
let mf;
before(() => {
  cases = buildCases();
});
after(async () => {
  await mf?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function inNode() {
  return runCases(node, cases);
}

async function inChromium() {
  const { page, errors, close } = await launch();
  try {
    /** @type {Record<string, string>} */
    const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
    await page.route("https://same-answer.test/**", async (route) => {
      const path = new URL(route.request().url()).pathname;
      const file = path === "/" ? null : path === "/cases.mjs" ? join(root, "tests/e2e/same-answer-cases.mjs") : join(root, "js", path);
      if (file === null) return route.fulfill({ contentType: "text/html", body: "<!doctype html><title>same answer</title>" });
      await route.fulfill({ contentType: types[extname(file)] ?? "application/octet-stream", body: readFileSync(file) });
    });
    await page.goto("https://same-answer.test/");
    const results = await page.evaluate(async (input) => {
      const api = await import("/dist/browser.js");
      const { runCases: run } = await import("/cases.mjs");
      return run(api, input);
    }, cases);
    assert.deepEqual(errors, []);
    return results;
  } finally {
    await close();
  }
}

async function inWorkerd() {
  work = mkdtempSync(join(tmpdir(), "same-answer-"));
  const out = join(work, "dist");
  mkdirSync(out);
  writeFileSync(
    join(work, "entry.js"),
    `
import * as api from ${JSON.stringify(join(root, "js/dist/workerd.js"))};
import { runCases } from ${JSON.stringify(join(root, "tests/e2e/same-answer-cases.mjs"))};
export default { async fetch(request) { return Response.json(await runCases(api, await request.json())); } };`,
  );
  await bundleForWorkerd({ entry: join(work, "entry.js"), outfile: join(out, "worker.js") });
  mf = new Miniflare(workerdScript(join(out, "worker.js")));
  const res = await mf.dispatchFetch("http://worker.test/", { method: "POST", body: JSON.stringify(cases) });
  assert.equal(res.status, 200);
  return /** @type {Promise<Record<string, unknown>[]>} */ (res.json());
}

test("Node, Chromium and workerd give identical decisions, outcomes, reasons and refusal codes", async () => {
  const fromNode = await inNode();
  assert.equal(fromNode.length, cases.length);
  // The set exercises every answer, so equality means something.
  const states = new Set(fromNode.map((r) => r.state ?? r.refused));
  for (const s of [
    "success",
    "mismatch",
    "review",
    "vendor_failed",
    "deactivated",
    "TOKEN_INVALID_SIGNATURE",
    "TOKEN_UNKNOWN_KEY",
    "TOKEN_EXPIRED",
    "TOKEN_NOT_YET_VALID",
    "TOKEN_WRONG_AUDIENCE",
    "TOKEN_WRONG_ISSUER",
    "TOKEN_NONCE_MISMATCH",
    "TOKEN_MALFORMED",
  ]) {
    assert.ok(states.has(s), `no case ends in ${s}: ${[...states].join(", ")}`);
  }
  assert.ok(
    fromNode.some(
      (r) => r.claims && Object.values(/** @type {Record<string, { reasons: string[] }>} */ (r.claims)).some((c) => c.reasons.length > 0),
    ),
    "some reasons are compared",
  );
  const fromChromium = await inChromium();
  assert.deepEqual(fromChromium, fromNode, "Chromium differs from Node");
  const fromWorkerd = await inWorkerd();
  assert.deepEqual(fromWorkerd, fromNode, "workerd differs from Node");
});
