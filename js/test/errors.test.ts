import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  AbortError,
  AttemptLimitError,
  InvalidPolicyError,
  TokenError,
  AuthenticationError,
  AuthorizationError,
  CORE_ERROR_CODES,
  ConfigurationError,
  ConversionError,
  InternalError,
  InvalidInputError,
  InvalidMappingError,
  OktaApiError,
  OktaDirectoryError,
  RateLimitError,
  SDK_ERROR_CODES,
  SyncError,
  LookupError,
  SnapshotError,
  coreErrorCodes,
  fromWasmError,
  makeError,
  ClaimsMatcher,
  normalizeUser,
  verifyIdToken,
  type ErrorCode,
  type PolicyDocument,
} from "../src/node.js";

describe("error model", () => {
  it("the TypeScript core code list equals the Rust core's", () => {
    expect([...CORE_ERROR_CODES]).toEqual(coreErrorCodes());
  });

  it("the Rust source lists the same codes (guards against a stale wasm build)", () => {
    const rust = readFileSync(new URL("../../src/error.rs", import.meta.url), "utf8");
    const block = /pub const CODES: &'static \[&'static str\] =\s*&\[([^\]]*)\]/.exec(rust)?.[1] ?? "";
    const codes = [...block.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]);
    expect(codes).toEqual([...CORE_ERROR_CODES]);
  });

  it("core and SDK codes are disjoint and well-formed", () => {
    const all: string[] = [...CORE_ERROR_CODES, ...SDK_ERROR_CODES];
    expect(new Set(all).size).toBe(all.length);
    for (const code of all) expect(code).toMatch(/^[A-Z][A-Z_]+$/);
  });

  it("core errors become Error subclasses with code and cause", () => {
    let caught: unknown;
    try {
      normalizeUser([1, 2, 3]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toBeInstanceOf(OktaDirectoryError);
    expect(caught).toBeInstanceOf(InvalidInputError);
    const err = caught as InvalidInputError;
    expect(err.code).toBe("INVALID_PROFILE");
    expect(err.name).toBe("InvalidInputError");
    expect(err.cause).toBeInstanceOf(Error);
    expect((err.cause as Error).name).toBe("OktaDirectoryError");
    expect(err.stack).toContain("InvalidInputError");
  });

  it("maps each code to its class", () => {
    const cases: Array<[unknown, ErrorCode, new (...args: never[]) => OktaDirectoryError]> = [
      [() => normalizeUser("{nope"), "INVALID_JSON", InvalidInputError],
      [() => normalizeUser({}, { givenName: 5 as unknown as string }), "INVALID_MAPPING", InvalidMappingError],
      [() => normalizeUser({ profile: { x: 1n } }), "CONVERSION_FAILED", ConversionError],
    ];
    for (const [fn, code, cls] of cases) {
      expect(fn).toThrow(cls);
      try {
        (fn as () => void)();
      } catch (e) {
        expect((e as OktaDirectoryError).code).toBe(code);
      }
    }
  });

  it("sync codes map to their classes and keep the HTTP status", () => {
    const cases: Array<[ErrorCode, new (...args: never[]) => OktaDirectoryError]> = [
      ["INVALID_ORG_URL", ConfigurationError],
      ["INSECURE_ORG_URL", ConfigurationError],
      ["UNSAFE_NEXT_LINK", SyncError],
      ["PAGINATION_LOOP", SyncError],
      ["RATE_LIMITED", RateLimitError],
      ["OKTA_API_ERROR", OktaApiError],
      ["MALFORMED_RESPONSE", SyncError],
      ["TOO_MANY_RETRIES", SyncError],
      ["INVALID_CHECKPOINT", SyncError],
      ["AUTHORIZATION_INCOMPLETE", AuthorizationError],
      ["AUTHENTICATION_FAILED", AuthenticationError],
      ["INVALID_CREDENTIALS", ConfigurationError],
      ["UNEXPECTED_REDIRECT", SyncError],
      ["ABORTED", AbortError],
    ];
    for (const [code, cls] of cases) {
      const raw = Object.assign(new Error("m"), { name: "OktaDirectoryError", code, status: 429 });
      const err = fromWasmError(raw);
      expect(err).toBeInstanceOf(cls);
      expect(err.code).toBe(code);
      expect(err.status).toBe(429);
      expect(makeError(code, "m")).toBeInstanceOf(cls);
    }
  });

  it("directory and snapshot codes map to their classes", () => {
    const cases: Array<[ErrorCode, new (...args: never[]) => OktaDirectoryError]> = [
      ["USER_NOT_FOUND", LookupError],
      ["AMBIGUOUS_LOGIN_HINT", LookupError],
      ["GROUP_NOT_FOUND", LookupError],
      ["SNAPSHOT_CORRUPT", SnapshotError],
      ["SNAPSHOT_VERSION_UNSUPPORTED", SnapshotError],
    ];
    for (const [code, cls] of cases) {
      const err = fromWasmError(Object.assign(new Error("m"), { name: "OktaDirectoryError", code }));
      expect(err).toBeInstanceOf(cls);
      expect(err.code).toBe(code);
      expect(makeError(code, "m")).toBeInstanceOf(cls);
    }
  });

  it("verification service codes map to their classes", () => {
    const cases: Array<[ErrorCode, new (...args: never[]) => OktaDirectoryError]> = [
      ["TOKEN_SUBJECT_MISMATCH", TokenError],
      ["UNKNOWN_POLICY", InvalidPolicyError],
      ["TOO_MANY_ATTEMPTS", AttemptLimitError],
      ["INVALID_REQUEST", InvalidInputError],
    ];
    for (const [code, cls] of cases) {
      const err = makeError(code, "m");
      expect(err).toBeInstanceOf(cls);
      expect(err.code).toBe(code);
    }
    expect((makeError("TOO_MANY_ATTEMPTS", "m") as AttemptLimitError).retryAfterSec).toBeGreaterThanOrEqual(1);
  });

  it("inputs JSON cannot represent are typed errors", () => {
    const cyclic: Record<string, unknown> = { profile: {} };
    cyclic["self"] = cyclic;
    expect(() => normalizeUser(cyclic)).toThrow(ConversionError);
    for (const nothing of [undefined, () => 1, Symbol("s")]) {
      expect(() => normalizeUser(nothing)).toThrow(InvalidInputError);
    }
  });

  it("anything else thrown becomes INTERNAL without echoing its message", () => {
    const trap = new WebAssembly.RuntimeError("unreachable: secret-token-123");
    const err = fromWasmError(trap);
    expect(err).toBeInstanceOf(InternalError);
    expect(err.code).toBe("INTERNAL");
    expect(err.cause).toBe(trap);
    expect(err.message).not.toContain("secret-token-123");
  });

  it("messages never contain input values", async () => {
    const secret = "hunter2-very-secret";
    /** The error `fn` throws; a call that does not throw fails the test (it must not be caught as "the" error). */
    const thrown = async (fn: () => unknown): Promise<OktaDirectoryError> => {
      let caught: unknown = null;
      try {
        await fn();
      } catch (e) {
        caught = e;
      }
      expect(caught, "the input must be refused").toBeInstanceOf(OktaDirectoryError);
      return caught as OktaDirectoryError;
    };
    const inputs: unknown[] = [
      `{"password": "${secret}"`, // truncated JSON text
      `[${JSON.stringify(secret)}]`, // JSON text that is not an object
      `{"profile": {"login": "a"}} ${secret}`, // trailing text
      { profile: secret }, // a profile that is not an object
      `${"[".repeat(5000)}"${secret}"`, // nested too deeply
    ];
    const errors: OktaDirectoryError[] = [];
    for (const input of inputs) errors.push(await thrown(() => normalizeUser(input)));
    // (A policy's error names the offending path — keys of the operator's document, not values.)
    errors.push(
      await thrown(() => new ClaimsMatcher({ policy: { claims: { given_name: { mode: secret } } } as unknown as PolicyDocument })),
    );
    errors.push(
      await thrown(() => new ClaimsMatcher({ oktaClaims: { verified_claims: { claims: { given_name: { value: 7, fuzzy: secret } } } } })),
    );
    errors.push(await thrown(() => new ClaimsMatcher({ oktaClaims: `{"verified_claims": "${secret}` })));
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const token = `${b64({ alg: "RS256", kid: secret })}.${b64({ sub: secret })}.${b64(secret)}`;
    errors.push(await thrown(() => verifyIdToken(token, { issuer: "https://idv.example", audience: "a", jwks: { keys: [] } })));
    errors.push(
      await thrown(() =>
        verifyIdToken(`${b64({ alg: secret })}.e30.c2ln`, { issuer: "https://idv.example", audience: "a", jwks: { keys: [] } }),
      ),
    );
    expect(errors.length).toBe(inputs.length + 5);
    for (const err of errors) {
      expect(err.message).not.toContain(secret);
      expect(err.message).not.toContain("hunter2");
    }
  });

  it("types: code is the ErrorCode union", () => {
    expectTypeOf<OktaDirectoryError["code"]>().toEqualTypeOf<ErrorCode>();
  });

  it("detail fields (Okta's, the network's, the option) are copied onto the error and absent otherwise", () => {
    const cause = new Error("connect ECONNREFUSED");
    const e = makeError("OKTA_AUTHENTICATION_FAILED", "Okta refused the API token", {
      cause,
      status: 401,
      errorCode: "E0000011",
      errorSummary: "Invalid token provided",
      errorId: "oae123",
      requestId: "req-1",
    });
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e).toMatchObject({
      code: "OKTA_AUTHENTICATION_FAILED",
      status: 401,
      errorCode: "E0000011",
      errorSummary: "Invalid token provided",
      errorId: "oae123",
      requestId: "req-1",
    });
    expect(e.cause).toBe(cause);
    const n = makeError("TOO_MANY_RETRIES", "gave up", { networkCode: "ENOTFOUND", host: "acme.okta.com", option: "orgUrl" });
    expect(n).toMatchObject({ networkCode: "ENOTFOUND", host: "acme.okta.com", option: "orgUrl" });
    const plain = makeError("INTERNAL", "x");
    expect(Object.keys(plain)).not.toContain("errorCode");
    expect(plain.errorCode).toBeUndefined();
    expect(SDK_ERROR_CODES).toContain("OKTA_AUTHENTICATION_FAILED");
  });
});
