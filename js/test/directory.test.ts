import { types } from "node:util";
import { describe, expect, it } from "vitest";
import { Directory, LookupError, SnapshotError, type DirectoryUser } from "../src/node.js";

function user(id: string, login: string, email: string, status: NonNullable<DirectoryUser["status"]>): DirectoryUser {
  return { id, status, login, email, name: { given: "Zoë" }, address: {}, phones: {}, custom: { badge: [1, "x", true] } };
}

const syncResult = {
  users: [
    { user: user("00u1", "zoe.ng@example.com", "zoe@example.com", "ACTIVE"), sources: {}, issues: [] },
    { user: user("00u2", "josé@example.es", "shared@example.com", "SUSPENDED"), sources: {}, issues: [] },
    user("00u3", "bo@example.com", "shared@example.com", "DEPROVISIONED"),
  ],
  groups: [
    { id: "00gA", name: "Everyone", type: "BUILT_IN" },
    { id: "00gW", name: "Workforce", type: "OKTA_GROUP" },
  ],
  memberships: [
    { groupId: "00gA", userId: "00u1" },
    { groupId: "00gA", userId: "00u2" },
    { groupId: "00gA", userId: "00u3" },
    { groupId: "00gW", userId: "00u1" },
  ],
};

function build(): Directory {
  return Directory.fromSyncResult(syncResult, { workforceGroup: "00gW", origin: "https://acme.okta.com", syncedAtMs: 1_764_000_000_000 });
}

describe("Directory", () => {
  it("looks users up by login and email, with status and workforce mark", () => {
    const dir = build();
    const zoe = dir.lookup("  ZOE.NG@example.com ");
    expect(zoe.key).toBe("login");
    expect(zoe.workforce).toBe(true);
    expect(zoe.user.name.given).toBe("Zoë");
    expect(zoe.user.custom).toEqual({ badge: [1, "x", true] });
    expect(dir.lookup("Zoe@Example.com").key).toBe("email");
    const jose = dir.lookup("JOSE\u0301@example.es");
    expect(jose.user.status).toBe("SUSPENDED");
    expect(jose.workforce).toBe(false);
  });

  it("refuses ambiguous and unknown hints with typed errors that do not echo the hint", () => {
    const dir = build();
    for (const [hint, code] of [
      ["shared@example.com", "AMBIGUOUS_LOGIN_HINT"],
      ["nobody@example.com", "USER_NOT_FOUND"],
    ] as const) {
      try {
        dir.lookup(hint);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(LookupError);
        expect((e as LookupError).code).toBe(code);
        expect((e as Error).message).not.toContain("@");
      }
    }
  });

  it("has a fast path by position that agrees with lookup, and frees with Symbol.dispose", () => {
    const dir = build();
    for (const hint of ["ZOE.NG@example.com", "zoe@example.com", "josé@EXAMPLE.es", "bo@example.com"]) {
      expect(dir.userAt(dir.lookupIndex(hint))).toEqual(dir.lookup(hint).user);
    }
    for (const [hint, code] of [
      ["shared@example.com", "AMBIGUOUS_LOGIN_HINT"],
      ["nobody@example.com", "USER_NOT_FOUND"],
    ] as const) {
      expect(() => dir.lookupIndex(hint)).toThrow(expect.objectContaining({ code }));
    }
    for (const bad of [3, -1, 0.5, Number.NaN]) {
      expect(() => dir.userAt(bad)).toThrow(expect.objectContaining({ code: "USER_NOT_FOUND" }));
    }
    const scoped = build();
    {
      using inner = scoped;
      expect(inner.info().users).toBe(3);
    }
    // Freed at the end of the scope: the wasm object is gone.
    expect(() => scoped.info()).toThrow();
    dir.free();
  });

  it("answers misses without exceptions (find, findIndex) and lookups as JSON text (lookupJson)", () => {
    const dir = build();
    for (const hint of ["ZOE.NG@example.com", "zoe@example.com", "josé@EXAMPLE.es", "bo@example.com"]) {
      const text = dir.lookupJson(hint);
      expect(JSON.parse(text)).toStrictEqual(dir.lookup(hint));
      expect(dir.find(hint)).toStrictEqual(dir.lookup(hint));
      expect(dir.findIndex(hint)).toBe(dir.lookupIndex(hint));
    }
    // Empty `address` and `phones` objects are omitted, as in `lookup()` (absent optional fields are not written).
    const { address: _address, phones: _phones, ...zoe } = user("00u1", "zoe.ng@example.com", "zoe@example.com", "ACTIVE");
    expect(JSON.parse(dir.lookupJson("zoe.ng@example.com"))).toStrictEqual({
      user: zoe,
      key: "login",
      workforce: true,
    });
    expect(dir.find("nobody@example.com")).toBeUndefined();
    expect(dir.findIndex("nobody@example.com")).toBe(-1);
    expect(dir.findIndex("")).toBe(-1);
    // A hint that matches two users is still refused, never answered as a miss or a pick.
    for (const call of [
      () => dir.find("shared@example.com"),
      () => dir.findIndex("shared@example.com"),
      () => dir.lookupJson("shared@example.com"),
    ]) {
      expect(call).toThrow(expect.objectContaining({ code: "AMBIGUOUS_LOGIN_HINT" }));
    }
    for (const call of [
      () => dir.lookupJson("nobody@example.com"),
      () => dir.lookupIndex("nobody@example.com"),
      () => dir.lookup("nobody@example.com"),
    ]) {
      try {
        call();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(LookupError);
        expect(e).toMatchObject({ code: "USER_NOT_FOUND", message: "no directory user matches the login hint" });
      }
    }
    dir.free();
  });

  it("answers group membership both ways", () => {
    const dir = build();
    expect(dir.groupsOf("00u1").map((g) => g.name)).toEqual(["Everyone", "Workforce"]);
    expect(dir.membersOf("00gA").map((u) => u.id)).toEqual(["00u1", "00u2", "00u3"]);
    expect(() => dir.membersOf("00gZ")).toThrow(LookupError);
    expect(dir.info()).toMatchObject({ users: 3, groups: 2, memberships: 4, origin: "https://acme.okta.com", keys: ["login", "email"] });
  });

  it("round-trips through a snapshot and refuses damaged ones", () => {
    const dir = build();
    const bytes = dir.toSnapshot();
    expect(Array.from(bytes.slice(0, 4))).toEqual([0x4f, 0x4b, 0x44, 0x53]);
    const back = Directory.fromSnapshot(bytes);
    expect(back.lookup("bo@example.com").user).toEqual(dir.lookup("bo@example.com").user);
    expect(back.info()).toEqual(dir.info());
    const damaged = bytes.slice();
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] ?? 0) ^ 0xff;
    expect(() => Directory.fromSnapshot(damaged)).toThrow(SnapshotError);
    expect(() => Directory.fromSnapshot(bytes.slice(0, 30))).toThrow(SnapshotError);
    const newer = bytes.slice();
    newer[4] = 9;
    try {
      Directory.fromSnapshot(newer);
      expect.unreachable();
    } catch (e) {
      expect((e as SnapshotError).code).toBe("SNAPSHOT_VERSION_UNSUPPORTED");
    }
    back.free();
  });
});

describe("Directory lookup misses", () => {
  it("throw a fresh LookupError without stack frames and leave Error.stackTraceLimit as it was", () => {
    const dir = build();
    const limit = Error.stackTraceLimit;
    const seen: unknown[] = [];
    for (const call of [
      () => dir.lookupIndex("nobody@example.com"),
      () => dir.lookup("nobody@example.com"),
      () => dir.lookupJson("nobody@example.com"),
      () => dir.lookupIndex("nobody@example.com"),
    ]) {
      try {
        call();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(LookupError);
        expect(e).toBeInstanceOf(Error);
        expect(e).toMatchObject({ code: "USER_NOT_FOUND", name: "LookupError" });
        // No frames captured (the cost of a miss is the lookup, not the stack walk).
        expect((e as Error).stack).toBe("LookupError: no directory user matches the login hint");
        expect(seen).not.toContain(e); // a new object each time: nothing shared between callers
        seen.push(e);
        (e as { status?: number }).status = 404; // writable like any error
      }
    }
    expect(Error.stackTraceLimit).toBe(limit);
    // The same kind of object as a LookupError built the ordinary way: a native Error (`[[ErrorData]]`),
    // the same own properties in the same order with the same attributes, no `cause` of its own.
    const ordinary = new LookupError("USER_NOT_FOUND", "no directory user matches the login hint");
    const miss = seen[0] as LookupError;
    expect(types.isNativeError(miss)).toBe(true);
    expect(Object.prototype.toString.call(miss)).toBe("[object Error]");
    expect(Object.getPrototypeOf(miss)).toBe(LookupError.prototype);
    expect(Reflect.ownKeys(miss)).toEqual(Reflect.ownKeys(ordinary));
    const attributes = (e: object) =>
      Object.entries(Object.getOwnPropertyDescriptors(e)).map(([k, d]) => [k, d.writable, d.enumerable, d.configurable]);
    expect(attributes(miss)).toEqual(attributes(ordinary));
    expect("cause" in miss).toBe(false);
    expect(miss.message).toBe(ordinary.message);
    expect(String(miss)).toBe(String(ordinary));
    // Other errors keep their stack (an ambiguous hint is rare and worth a trace).
    try {
      dir.lookupIndex("shared@example.com");
      expect.unreachable();
    } catch (e) {
      expect((e as Error).stack).toMatch(/\n\s+at /);
    }
    dir.free();
  });
});

describe("Directory lookup misses where Error.stackTraceLimit is not a number", () => {
  it("build the ordinary error (with the engine's stack) and leave the property alone", () => {
    const dir = build();
    const tunable = Error as { stackTraceLimit?: unknown };
    const limit = tunable.stackTraceLimit;
    try {
      tunable.stackTraceLimit = undefined; // a program that turned V8's stack capture off
      for (const call of [() => dir.lookupIndex("nobody@example.com"), () => dir.lookup("nobody@example.com")]) {
        try {
          call();
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(LookupError);
          expect(e).toMatchObject({ code: "USER_NOT_FOUND", name: "LookupError" });
          expect((e as Error).stack).toBe(new Error("x").stack); // the engine's own choice: none
        }
        expect(tunable.stackTraceLimit).toBe(undefined);
      }
    } finally {
      tunable.stackTraceLimit = limit;
      dir.free();
    }
  });
});

describe("Directory.lookup field lists", () => {
  it("build the same user, key and Workforce mark as the core's own object, property order included", async () => {
    const { DirectoryCore } = await import("../wasm/okta_directory.js");
    const long = "ü".repeat(5000) + "😀".repeat(3000); // > 4096 UTF-16 units; astral characters count twice
    const users: DirectoryUser[] = [
      { id: "00u1", status: "ACTIVE", login: "zoe@example.com", email: "zoe@example.com", name: {}, custom: {} },
      {
        id: "00u2",
        status: "LOCKED_OUT",
        login: "josé.müller@example.es",
        email: "Jose@Example.es",
        secondEmail: "j2@example.es",
        name: {
          given: "José",
          middle: "Ñ",
          family: "Müller-Łódź",
          honorificPrefix: "Dr.",
          honorificSuffix: "PhD",
          nickname: "Pepe",
          display: "Dr. José 😀",
        },
        birthdate: "1990-02-28",
        address: { streetAddress: "1 Main St", locality: "Sevilla", region: "AN", postalCode: "41001", country: "ES" },
        phones: { mobile: "+34 600 000 000", primary: "+34 954 000 000" },
        employeeNumber: "E-77",
        custom: { badge: [1.5, "x", true], cost: 5, flag: false, note: 'quote " and \\ and \n' },
        lastUpdated: "2025-11-27T10:00:00.000Z",
      },
      { id: "00u3", login: "bo@example.com", name: { family: "Bo" }, address: { country: "NZ" }, custom: {}, lastUpdated: "yesterday" },
      {
        id: "00u4",
        status: "SUSPENDED",
        login: "long@example.com",
        email: "",
        name: { display: long },
        phones: { primary: "1" },
        custom: { big: long },
      },
    ];
    const dir = Directory.fromSyncResult(
      { users, groups: [{ id: "00gW", name: "W", type: "OKTA_GROUP" }], memberships: [{ groupId: "00gW", userId: "00u2" }] },
      { workforceGroup: "00gW", keys: ["login", "email", "secondEmail", "employeeNumber"] },
    );
    const core = DirectoryCore.fromSnapshot(dir.toSnapshot());
    const hints = [
      "zoe@example.com",
      "JOSE.MULLER@example.es",
      "jose@example.es",
      "j2@example.es",
      "  bo@example.com ",
      "long@example.com",
      "e-77",
    ];
    for (const hint of hints) {
      const reference = core.lookup(hint); // serde-wasm-bindgen straight from the decoded user
      const got = dir.lookup(hint);
      expect(got).toStrictEqual(reference);
      expect(JSON.stringify(got)).toBe(JSON.stringify(reference));
      expect(JSON.stringify(got)).toBe(JSON.stringify(JSON.parse(dir.lookupJson(hint))));
      expect(dir.find(hint)).toStrictEqual(reference);
    }
    expect(dir.lookup("jose@example.es")).toMatchObject({ key: "email", workforce: true, user: { status: "LOCKED_OUT" } });
    expect(dir.lookup("long@example.com").user.name.display).toBe(long);
    expect(dir.lookup("j2@example.es").key).toBe("secondEmail");
    core.free();
    dir.free();
  });
});

describe("Directory lookups on generated users (differential)", () => {
  it("answer as the core's serde object and lookupIndex, hint after hint, whatever fields the previous user had", async () => {
    const { DirectoryCore } = await import("../wasm/okta_directory.js");
    let seed = 0x2545f491;
    const rand = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const maybe = <T>(v: T): T | undefined => (rand() < 0.5 ? v : undefined);
    const stems = ["søren", "łukasz", "фатима", "芳", "thảo", "zoë", "bo", "ana", "jürgen", "müller-łódź", "o'brien"];
    const statuses = ["ACTIVE", "SUSPENDED", "DEPROVISIONED", "LOCKED_OUT", "PASSWORD_EXPIRED", "STAGED"] as const;
    const users: DirectoryUser[] = [];
    for (let i = 0; i < 400; i++) {
      const stem = pick(stems);
      const name = Object.fromEntries(
        (["given", "middle", "family", "honorificPrefix", "honorificSuffix", "nickname", "display"] as const)
          .map((k) => [k, maybe(`${pick(stems)} ${k}`)] as const)
          .filter(([, v]) => v !== undefined),
      );
      const address = Object.fromEntries(
        (["streetAddress", "locality", "region", "postalCode", "country"] as const)
          .map((k) => [k, maybe(`${k} ${pick(stems)}`)] as const)
          .filter(([, v]) => v !== undefined),
      );
      const u: DirectoryUser = {
        id: `00u${i}`,
        status: pick(statuses),
        login: `${stem}.${i}@example.com`,
        name,
        address,
        phones: rand() < 0.5 ? { mobile: `+1 555 ${i}` } : {},
        custom: rand() < 0.3 ? { badge: [i, pick(stems), rand() < 0.5], cost: i + 0.5 } : {},
      };
      const email = maybe(`${stem.toUpperCase()}.${i}@Mail.example.org`);
      if (email !== undefined) u.email = email;
      const second = maybe(`second.${stem}.${i}@example.net`);
      if (second !== undefined) u.secondEmail = second;
      const employee = maybe(`E-${i}`);
      if (employee !== undefined) u.employeeNumber = employee;
      const birthdate = maybe(`19${String(50 + (i % 50))}-0${1 + (i % 9)}-1${i % 10}`);
      if (birthdate !== undefined) u.birthdate = birthdate;
      if (rand() < 0.5) u.lastUpdated = `2025-11-${String(10 + (i % 18))}T10:00:00.000Z`;
      users.push(u);
    }
    const workforce = users.filter(() => rand() < 0.4).map((u) => ({ groupId: "00gW", userId: u.id }));
    const dir = Directory.fromSyncResult(
      { users, groups: [{ id: "00gW", name: "W", type: "OKTA_GROUP" }], memberships: workforce },
      { workforceGroup: "00gW", keys: ["login", "email", "secondEmail", "employeeNumber"] },
    );
    const core = DirectoryCore.fromSnapshot(dir.toSnapshot());
    const hints: string[] = [];
    for (const u of users) {
      const login = u.login as string;
      hints.push(login, login.toUpperCase(), ` ${login.normalize("NFD")} `, `nobody.${u.id}@example.com`);
      for (const v of [u.email, u.secondEmail, u.employeeNumber]) if (v !== undefined) hints.push(v, v.toLowerCase());
    }
    for (let i = hints.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [hints[i], hints[j]] = [hints[j] as string, hints[i] as string];
    }
    let found = 0;
    for (const hint of hints) {
      const reference = core.lookup(hint);
      const index = core.lookupIndex(hint);
      if (reference === undefined) {
        expect(index).toBe(-1);
        expect(dir.find(hint)).toBeUndefined();
        expect(dir.findIndex(hint)).toBe(-1);
        expect(() => dir.lookup(hint)).toThrow(expect.objectContaining({ code: "USER_NOT_FOUND" }));
        expect(() => dir.lookupIndex(hint)).toThrow(expect.objectContaining({ code: "USER_NOT_FOUND" }));
        continue;
      }
      found++;
      expect(dir.lookup(hint)).toStrictEqual(reference);
      expect(JSON.stringify(dir.lookup(hint))).toBe(JSON.stringify(reference));
      expect(dir.lookupIndex(hint)).toBe(index);
      expect(reference.user.id).toBe(users[index]?.id);
    }
    expect(found).toBeGreaterThan(1500); // every login form and stored key is a hit; only the `nobody` hints miss
    core.free();
    dir.free();
  });
});
