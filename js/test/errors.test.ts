import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  AbortError,
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
  normalizeUser,
  type ErrorCode,
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

  it("messages never contain input values", () => {
    const secret = "hunter2-very-secret";
    for (const input of [`{"password": "${secret}"`, `[${JSON.stringify(secret)}]`]) {
      try {
        normalizeUser(input);
        expect.unreachable();
      } catch (e) {
        expect((e as Error).message).not.toContain(secret);
      }
    }
  });

  it("types: code is the ErrorCode union", () => {
    expectTypeOf<OktaDirectoryError["code"]>().toEqualTypeOf<ErrorCode>();
  });
});
