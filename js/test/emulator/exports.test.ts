import { describe, expect, it } from "vitest";
import * as emulator from "../../src/emulator/index.js";
import * as sdk from "../../src/node.js";

describe("emulator entry exports", () => {
  it("does not export names that clash with the SDK's (DirectoryStore, StoreError)", () => {
    expect(Object.keys(emulator)).not.toContain("DirectoryStore");
    expect(Object.keys(emulator)).not.toContain("StoreError");
    expect(emulator.EmulatorStoreError).not.toBe(sdk.StoreError);
  });

  it("its store refuses bad changes with a real Error subclass carrying a code and the HTTP status", () => {
    const store = new emulator.EmulatorStore({ users: 3, groups: 1, seed: 1 });
    const err = (() => {
      try {
        store.createUser({ login: "x" });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(emulator.EmulatorStoreError);
    expect(err).toMatchObject({ name: "EmulatorStoreError", code: "EMULATOR_BAD_REQUEST", status: 400 });
    expect(new emulator.EmulatorStoreError(404, "no such user")).toMatchObject({ code: "EMULATOR_NOT_FOUND" });
    expect(new emulator.EmulatorStoreError(409, "taken")).toMatchObject({ code: "EMULATOR_CONFLICT" });
  });
});
