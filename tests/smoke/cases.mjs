// The checks every runtime runs, so Node, Chromium and workerd are held to exactly the same results.
// No imports on purpose: this file is copied into the consumer project, loaded as-is by the browser
// page and bundled into the worker. Each check gets the SDK module (`api`) and an `assert` with
// `strictEqual` and `ok` (node:assert/strict in Node, `miniAssert` below elsewhere).

/**
 * The part of the SDK the checks use (every entry has it: node, browser, workerd, slim).
 * @typedef {Pick<typeof import("okta-directory"), "normalizeUser" | "matchClaims" | "verifyIdToken" | "OktaDirectoryError" | "InvalidInputError" | "TokenError">} Api
 */
/**
 * The assertions the checks use: node:assert/strict's, or {@link miniAssert}.
 * @typedef {object} Assert
 * @property {(actual: unknown, expected: unknown) => void} strictEqual
 * @property {(value: unknown, message?: string) => void} ok
 */
/** @typedef {{ name: string, ok: boolean, error?: string }} CheckResult */

// "Müller" with a combining diaeresis (NFD), as some HR feeds deliver it; the SDK must return NFC.
const FAMILY_NFD = "Mu\u0308ller";
const FAMILY_NFC = "M\u00fcller";

export const USER = {
  id: "00u1abcdEFGHijkl0h7",
  status: "ACTIVE",
  profile: {
    login: "ana.muller@example.com",
    email: "ana.muller@example.com",
    firstName: "Ann",
    LegalFirstName: "Ana",
    lastName: FAMILY_NFD,
    dateOfBirth: "03/04/1990",
  },
};

// A tenant-specific mapping: the legal first name wins over firstName, the birthdate lives in a
// custom attribute written day-first.
/** @type {import("okta-directory").AttributeMappingInput} */
export const MAPPING = {
  givenName: ["profile.LegalFirstName", "firstName"],
  birthdate: "profile.dateOfBirth",
  birthdateOrder: "dmy",
};

/**
 * Runs `fn` and returns what it threw (failing when it did not throw).
 * @param {() => unknown} fn
 * @param {Assert} assert
 * @returns {any} the exception (anything can be thrown; the checks test what it is)
 */
function thrownBy(fn, assert) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.ok(false, "expected an exception, none was thrown");
}

/** @type {{ name: string, run: (api: Api, assert: Assert) => void }[]} */
export const checks = [
  {
    name: "given name comes from the custom LegalFirstName attribute",
    run(api, assert) {
      const { user, sources } = api.normalizeUser(USER, MAPPING);
      assert.strictEqual(user.name?.given, "Ana");
      assert.strictEqual(sources.givenName, "profile.LegalFirstName");
    },
  },
  {
    name: "given name falls back to firstName when LegalFirstName is absent",
    run(api, assert) {
      const { LegalFirstName, ...profile } = USER.profile;
      const { user, sources } = api.normalizeUser({ ...USER, profile }, MAPPING);
      assert.strictEqual(user.name?.given, "Ann");
      assert.strictEqual(sources.givenName, "profile.firstName");
    },
  },
  {
    name: "family name is NFC-normalized",
    run(api, assert) {
      const family = api.normalizeUser(USER, MAPPING).user.name?.family;
      assert.strictEqual(family, FAMILY_NFC);
      assert.strictEqual(family?.length, 6);
    },
  },
  {
    name: "day-first custom birthdate becomes ISO 8601",
    run(api, assert) {
      const { user, sources } = api.normalizeUser(USER, MAPPING);
      assert.strictEqual(user.birthdate, "1990-04-03");
      assert.strictEqual(sources.birthdate, "profile.dateOfBirth");
    },
  },
  {
    name: "JSON text input gives the same result as an object",
    run(api, assert) {
      const fromText = api.normalizeUser(JSON.stringify(USER), MAPPING);
      const fromObject = api.normalizeUser(USER, MAPPING);
      assert.strictEqual(JSON.stringify(fromText), JSON.stringify(fromObject));
      assert.ok(Array.isArray(fromObject.issues), "issues is an array");
    },
  },
  {
    name: "non-object input throws OktaDirectoryError INVALID_PROFILE",
    run(api, assert) {
      const error = thrownBy(() => api.normalizeUser(42, MAPPING), assert);
      assert.strictEqual(error?.code, "INVALID_PROFILE");
      assert.ok(error instanceof api.OktaDirectoryError, `instanceof OktaDirectoryError (got ${error?.name})`);
      assert.ok(error instanceof api.InvalidInputError, "instanceof InvalidInputError");
    },
  },
  {
    name: "claims match: diacritics folded, surname subset, homoglyph refused",
    run(api, assert) {
      const verified = { given_name: "ANA", family_name: "MÜLLER GARCÍA", birthdate: "1990-04-03" };
      const directory = { firstName: "Ana", lastName: FAMILY_NFD, birthdate: "1990-04-03" };
      const report = api.matchClaims(verified, directory);
      assert.strictEqual(report.decision, "match");
      assert.strictEqual(report.claims.family_name?.reasons.join(","), "SURNAME_SUBSET");
      const spoof = api.matchClaims({ ...verified, given_name: "\u0410na" }, directory);
      assert.strictEqual(spoof.decision, "no_match");
      assert.strictEqual(spoof.claims.given_name?.reasons.join(","), "SUSPICIOUS_MIXED_SCRIPT");
    },
  },
];

/**
 * Base64url of bytes or of a JSON value, with the runtime's own primitives (no Buffer).
 * @param {unknown} data
 */
function b64url(data) {
  const bytes = data instanceof Uint8Array ? data : new TextEncoder().encode(JSON.stringify(data));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Signs an id_token with a fresh WebCrypto key; returns the token and the public JWKS.
 * @param {string} alg
 * @param {object} payload
 */
async function signedIdToken(alg, payload) {
  const params =
    alg === "ES256"
      ? [
          { name: "ECDSA", namedCurve: "P-256" },
          { name: "ECDSA", hash: "SHA-256" },
        ]
      : [
          { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
          { name: "RSASSA-PKCS1-v1_5" },
        ];
  const pair = /** @type {CryptoKeyPair} */ (await crypto.subtle.generateKey(params[0], true, ["sign", "verify"]));
  const jwk = { ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid: `smoke-${alg}`, use: "sig" };
  const input = `${b64url({ alg, typ: "JWT", kid: jwk.kid })}.${b64url(payload)}`;
  const sig = new Uint8Array(await crypto.subtle.sign(params[1], pair.privateKey, new TextEncoder().encode(input)));
  return { token: `${input}.${b64url(sig)}`, jwks: { keys: [jwk] } };
}

/** Checks that need promises (WebCrypto): signed verification results in every runtime. */
/** @type {{ name: string, run: (api: Api, assert: Assert) => Promise<void> }[]} */
export const asyncChecks = [
  {
    name: "verifyIdToken: RS256 and ES256 tokens verify with WebCrypto; a tampered one is TOKEN_INVALID_SIGNATURE",
    async run(api, assert) {
      const now = Math.floor(Date.now() / 1000);
      const verified = {
        verification: { trust_framework: "IDV-DELEGATED" },
        claims: { given_name: "Ana", family_name: FAMILY_NFC, birthdate: "1990-04-03" },
      };
      const payload = {
        iss: "https://idv.example",
        sub: "s",
        aud: "portal",
        iat: now,
        exp: now + 300,
        nonce: "n",
        verified_claims: verified,
      };
      for (const alg of ["RS256", "ES256"]) {
        const { token, jwks } = await signedIdToken(alg, payload);
        const options = { issuer: "https://idv.example", audience: "portal", jwks, nonce: "n" };
        const out = await api.verifyIdToken(token, options);
        assert.strictEqual(out.verified.claims.family_name, FAMILY_NFC);
        const report = api.matchClaims(out.verified, { firstName: "Ana", lastName: FAMILY_NFD, birthdate: "1990-04-03" });
        assert.strictEqual(report.decision, "match");
        const [h, , s] = token.split(".");
        const forged = `${h}.${b64url({ ...payload, verified_claims: { ...verified, claims: { given_name: "Eve", family_name: "Eve" } } })}.${s}`;
        /** @type {string | null} */
        let code = null;
        try {
          await api.verifyIdToken(forged, options);
        } catch (e) {
          code = /** @type {{ code: string }} */ (e).code;
          assert.ok(e instanceof api.TokenError, "refusals are TokenError instances");
        }
        assert.strictEqual(code, "TOKEN_INVALID_SIGNATURE");
      }
    },
  },
];

/**
 * Runs every async check; same result shape as {@link runChecks}.
 * @param {Api} api
 */
export async function runAsyncChecks(api) {
  /** @type {CheckResult[]} */
  const out = [];
  for (const { name, run } of asyncChecks) {
    try {
      await run(api, miniAssert);
      out.push({ name, ok: true });
    } catch (error) {
      const code = errorCode(error);
      out.push({ name, ok: false, error: error instanceof Error ? `${error.name}${code}: ${error.message}` : String(error) });
    }
  }
  return out;
}

/** ` [CODE]` for an error with a code, else "". @param {unknown} error */
function errorCode(error) {
  const code = /** @type {{ code?: unknown } | null | undefined} */ (error)?.code;
  return code ? ` [${code}]` : "";
}

/**
 * The two assertions the checks use, for runtimes without node:assert.
 * @type {Assert}
 */
export const miniAssert = {
  strictEqual(actual, expected) {
    if (!Object.is(actual, expected)) {
      throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
  },
  ok(value, message = "expected a truthy value") {
    if (!value) throw new Error(message);
  },
};

/**
 * Runs every check; returns `[{ name, ok, error? }]` (plain data, so it can cross JSON/CDP).
 * @param {Api} api
 * @returns {CheckResult[]}
 */
export function runChecks(api) {
  return checks.map(({ name, run }) => {
    try {
      run(api, miniAssert);
      return { name, ok: true };
    } catch (error) {
      // Name, code and message are enough to diagnose; stacks into a bundle are noise.
      const code = errorCode(error);
      return { name, ok: false, error: error instanceof Error ? `${error.name}${code}: ${error.message}` : String(error) };
    }
  });
}

/**
 * A result log for a runtime driver: `record` prints one ✔/✖ line per check, `finish` prints the
 * totals, writes "<passed> <failed>" to the counts file run.sh reads, and sets the exit code.
 */
export function recorder() {
  /** @type {{ name: string, ok: boolean, error?: unknown }[]} */
  const results = [];
  /** @param {string} name @param {boolean} ok @param {unknown} [error] */
  const record = (name, ok, error) => {
    results.push({ name, ok, error });
    console.log(ok ? `  ✔ ${name}` : `  ✖ ${name}\n      ${String(error).replaceAll("\n", "\n      ")}`);
  };
  /**
   * @param {string | undefined} countsFile
   * @param {(path: string, text: string) => void} writeFile
   */
  const finish = (countsFile, writeFile) => {
    const failed = results.filter((r) => !r.ok).length;
    console.log(`  ${results.length - failed} passed, ${failed} failed`);
    if (countsFile) writeFile(countsFile, `${results.length - failed} ${failed}\n`);
    process.exitCode = failed ? 1 : 0;
  };
  return { results, record, finish };
}
