// Attribute mappings cross into the core as JSON text (js/src/mapping-text.ts) since the
// claims-only module dropped serde_wasm_bindgen; each input must keep the result it had when the
// mapping crossed as a JS value. The expectations below are what that earlier conversion gave
// (checked against the build before the change); both entries are run.
import { describe, expect, it } from "vitest";
import * as light from "../dist/claims-node.js";
import { mappingText } from "../src/mapping-text.js";
import * as full from "../src/node.js";

const user = {
  id: "00u1",
  status: "ACTIVE",
  profile: { firstName: "Ann", lastName: "Lee", nickName: "Nan", email: "a@example.com", login: "a@example.com" },
};

/** `given:<name>` on success, else `<code>` (and the path the message names, when one does). */
function outcome(sdk: Pick<typeof light, "normalizeUser">, mapping: unknown): string {
  try {
    const r = sdk.normalizeUser(user, { mapping: mapping as never });
    return `given:${r.user.name.given ?? "-"}`;
  } catch (e) {
    const { code, message } = e as { code: string; message: string };
    const at = /at `([^`]*)`/.exec(message)?.[1];
    return at === undefined ? code : `${code}@${at}`;
  }
}

const cases: [string, unknown, string][] = [
  ["a path", { givenName: "profile.lastName" }, "given:Lee"],
  ["a list of paths", { givenName: ["profile.nickName", "firstName"] }, "given:Nan"],
  ["an empty list (field off)", { givenName: [] }, "given:-"],
  ["a field set to undefined", { givenName: undefined }, "INVALID_MAPPING@givenName"],
  ["a field set to null", { givenName: null }, "INVALID_MAPPING@givenName"],
  ["undefined in a list", { givenName: ["firstName", undefined] }, "INVALID_MAPPING@givenName[1]"],
  ["a hole in a list", { givenName: Object.assign(new Array(2), { 1: "firstName" }) }, "INVALID_MAPPING@givenName[0]"],
  ["NaN in a list", { givenName: [Number.NaN] }, "INVALID_MAPPING@givenName[0]"],
  ["a number", { givenName: 0.5 }, "INVALID_MAPPING@givenName"],
  ["Infinity", { givenName: Number.POSITIVE_INFINITY }, "INVALID_MAPPING@givenName"],
  ["a BigInt in the u64 range", { givenName: 2n ** 64n - 1n }, "INVALID_MAPPING@givenName"],
  ["a BigInt past u64", { givenName: 2n ** 64n }, "CONVERSION_FAILED"],
  ["a BigInt below i64", { givenName: -(2n ** 63n) - 1n }, "CONVERSION_FAILED"],
  ["a function", { givenName: () => "firstName" }, "CONVERSION_FAILED"],
  ["a symbol", { givenName: Symbol("x") }, "CONVERSION_FAILED"],
  ["toJSON is not called", { toJSON: () => ({ givenName: "profile.lastName" }) }, "CONVERSION_FAILED"],
  ["a Map reads as an object", new Map([["givenName", "profile.lastName"]]), "given:Lee"],
  ["a Map with a number key", new Map([[1, "x"]]), "CONVERSION_FAILED"],
  ["a Set", { givenName: new Set(["firstName"]) }, "CONVERSION_FAILED"],
  ["a String object", { givenName: new String("firstName") }, "CONVERSION_FAILED"],
  ["bytes", { givenName: new Uint8Array([1]) }, "CONVERSION_FAILED"],
  ["an ArrayBuffer", { givenName: new ArrayBuffer(1) }, "CONVERSION_FAILED"],
  ["another typed array", { givenName: new Int32Array(1) }, "CONVERSION_FAILED"],
  ["an array-like object", { givenName: { length: 1, 0: "firstName" } }, "INVALID_MAPPING@givenName"],
  ["a Date is an empty object", new Date(0), "given:Ann"],
  ["inherited keys do not count", Object.create({ givenName: "profile.lastName" }), "given:Ann"],
  [
    "a getter is read",
    {
      get givenName() {
        return "profile.lastName";
      },
    },
    "given:Lee",
  ],
  ["a null-prototype object", Object.assign(Object.create(null), { givenName: "profile.lastName" }), "given:Lee"],
  ["a lone surrogate in a key", { "\uD800": "x" }, "INVALID_MAPPING@\uFFFD"],
  ["an array", ["firstName"], "INVALID_MAPPING@$"],
  ["a string", "givenName", "INVALID_MAPPING@$"],
  ["a top-level function", () => 1, "CONVERSION_FAILED"],
  ["an unknown field", { foo: "bar" }, "INVALID_MAPPING@foo"],
  ["a bad birthdate order", { birthdateOrder: "xyz" }, "INVALID_MAPPING@birthdateOrder"],
];

describe("attribute mappings as JSON text", () => {
  for (const [name, mapping, want] of cases) {
    it(`${name}: ${want}`, () => {
      expect(outcome(full, mapping)).toBe(want);
      expect(outcome(light, mapping)).toBe(want);
    });
  }

  it("validateMapping agrees with normalizeUser and accepts no mapping", () => {
    for (const [, mapping, want] of cases) {
      let got = "ok";
      try {
        full.validateMapping(mapping as never);
      } catch (e) {
        got = (e as { code: string }).code;
      }
      expect(got).toBe(want.startsWith("given:") ? "ok" : want.split("@")[0]);
    }
    expect(() => full.validateMapping(undefined as never)).not.toThrow();
    expect(() => light.validateMapping(null as never)).not.toThrow();
  });

  it("a cycle or a nesting too deep to walk is a ConversionError before the core is entered, and the module keeps working", () => {
    const cyclic: Record<string, unknown> = { givenName: "firstName" };
    cyclic["self"] = cyclic;
    const inList: unknown[] = ["firstName"];
    inList.push(inList);
    const viaMap = new Map<string, unknown>([["givenName", "firstName"]]);
    viaMap.set("familyName", [viaMap]);
    let deep: unknown = "firstName";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    for (const mapping of [cyclic, { givenName: inList }, viaMap, { givenName: deep }]) {
      let thrown: unknown;
      try {
        mappingText(mapping);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(full.ConversionError);
      expect((thrown as { code: string }).code).toBe("CONVERSION_FAILED");
      expect(outcome(full, mapping)).toBe("CONVERSION_FAILED");
      expect(outcome(light, mapping)).toBe("CONVERSION_FAILED");
      expect(() => full.validateMapping(mapping as never)).toThrow(full.ConversionError);
      expect(() => light.validateMapping(mapping as never)).toThrow(light.ConversionError);
    }
    expect(outcome(light, { givenName: "profile.lastName" })).toBe("given:Lee");
  });

  it("a value reached twice without a cycle is written twice (only an ancestor seen again is a cycle)", () => {
    const paths = ["profile.lastName"];
    const shared = { givenName: paths, familyName: paths };
    expect(JSON.parse(mappingText(shared) ?? "")).toEqual({ givenName: ["profile.lastName"], familyName: ["profile.lastName"] });
    expect(outcome(full, shared)).toBe("given:Lee");
    expect(outcome(light, shared)).toBe("given:Lee");
  });

  it("writes JSON the core reads back to the same tree", () => {
    expect(mappingText(undefined)).toBeUndefined();
    expect(mappingText(null)).toBeUndefined();
    const text = mappingText({ givenName: ['a\u00e9"\\', "b\uD83C\uDF89"], x: [true, false, -0, 1e21, 0.1, 7n] });
    expect(JSON.parse(text ?? "")).toEqual({ givenName: ['a\u00e9"\\', "b\uD83C\uDF89"], x: [true, false, 0, 1e21, 0.1, 7] });
  });
});
