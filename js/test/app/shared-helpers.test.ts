import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HTTP_STATUS_BY_CODE, httpStatusOf } from "../../src/app/http-status.js";
import { toJsonText } from "../../src/app/json-text.js";
import { parsePrivateKey } from "../../src/app/private-key.js";
import { errorStatus } from "../../src/emulator/http.js";
import { ConfigurationError, ConversionError, InvalidInputError, isErrorCode } from "../../src/errors.js";
import * as node from "../../src/node.js";

describe("parsePrivateKey", () => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const jwk = privateKey.export({ format: "jwk" });

  it("passes a PEM through unchanged and parses a JWK (with surrounding whitespace)", () => {
    expect(parsePrivateKey(pem)).toBe(pem);
    expect(parsePrivateKey(`\n  ${JSON.stringify(jwk)}\n`)).toEqual(jwk);
  });

  it("the key it returns is what the sync imports (PEM and JWK alike)", async () => {
    const { importClientKey } = await import("../../src/sync/crypto.js");
    expect((await importClientKey(parsePrivateKey(pem))).alg).toBe("ES256");
    expect((await importClientKey(parsePrivateKey(JSON.stringify(jwk)))).alg).toBe("ES256");
  });

  it("broken JSON, a JSON non-object and an empty file are INVALID_CREDENTIALS without key material", () => {
    const secret = `{"kty":"EC","d":"SECRETMATERIAL",`;
    for (const text of [secret, "{}}", "   ", ""]) {
      let thrown: unknown;
      try {
        parsePrivateKey(text);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ConfigurationError);
      expect(thrown).toMatchObject({ code: "INVALID_CREDENTIALS" });
      expect(String((thrown as Error).message)).not.toContain("SECRETMATERIAL");
      expect((thrown as Error).cause).toBeUndefined();
    }
  });

  it("is public through the node entry, and the workers entry exports the same name", () => {
    expect(node.parsePrivateKey).toBe(parsePrivateKey);
    expect(node.httpStatusOf).toBe(httpStatusOf);
    const workerd = readFileSync(new URL("../../src/workerd.ts", import.meta.url), "utf8");
    expect(workerd).toMatch(/export \{ parsePrivateKey \} from "\.\/app\/private-key\.js"/);
    expect(workerd).toMatch(/export \{ HTTP_STATUS_BY_CODE, httpStatusOf \} from "\.\/app\/http-status\.js"/);
  });
});

describe("httpStatusOf", () => {
  it("maps lookup, input and configuration codes, and Okta's codes", () => {
    expect(httpStatusOf("USER_NOT_FOUND")).toBe(404);
    expect(httpStatusOf("GROUP_NOT_FOUND")).toBe(404);
    expect(httpStatusOf("AMBIGUOUS_LOGIN_HINT")).toBe(409);
    expect(httpStatusOf("INPUT_TOO_LARGE")).toBe(413);
    expect(httpStatusOf("INVALID_POLICY")).toBe(500);
    expect(httpStatusOf("E0000011")).toBe(401);
    expect(httpStatusOf("E0000047")).toBe(429);
  });

  it("an unknown code (or an inherited property name) gets the fallback", () => {
    expect(httpStatusOf("NO_SUCH_CODE")).toBe(500);
    expect(httpStatusOf("NO_SUCH_CODE", 400)).toBe(400);
    expect(httpStatusOf("toString")).toBe(500);
    expect(httpStatusOf("__proto__", 418)).toBe(418);
  });

  it("every key is an SDK error code or an Okta E-code, and the table is frozen", () => {
    for (const code of Object.keys(HTTP_STATUS_BY_CODE)) expect(isErrorCode(code) || /^E\d{7}$/.test(code), code).toBe(true);
    expect(Object.isFrozen(HTTP_STATUS_BY_CODE)).toBe(true);
  });

  it("the emulator answers Okta's codes from the same table", () => {
    for (const code of ["E0000001", "E0000006", "E0000007", "E0000011", "E0000047", "E9999999"]) {
      expect(errorStatus(code)).toBe(httpStatusOf(code));
    }
  });
});

describe("toJsonText", () => {
  it("serializes, or raises ConversionError / InvalidInputError with the given wording and no value", () => {
    expect(toJsonText({ a: 1, b: undefined }, "thing", "nothing")).toBe('{"a":1}');
    const cyclic: Record<string, unknown> = { secret: "PROFILEVALUE" };
    cyclic["self"] = cyclic;
    let e: unknown;
    try {
      toJsonText(cyclic, "sync result", "n/a");
    } catch (thrown) {
      e = thrown;
    }
    expect(e).toBeInstanceOf(ConversionError);
    expect(e).toMatchObject({ code: "CONVERSION_FAILED", message: "the sync result could not be serialized as JSON (BigInt or a cycle?)" });
    expect((e as Error).cause).toBeInstanceOf(TypeError);
    expect(() => toJsonText(10n, "input", "n/a")).toThrow(ConversionError);
    expect(() => toJsonText(undefined, "input", "invalid input at `$`: expected a JSON object")).toThrow(InvalidInputError);
    expect(() => toJsonText(() => 1, "input", "the message")).toThrow("the message");
  });
});
