/** Directory-aware weights through the SDK: ClaimsMatcher, matchClaims, the KV store and the verification service. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ClaimsMatcher,
  Directory,
  HistoryRecorder,
  KvDirectoryStore,
  MemoryAttemptLimiter,
  MemoryHistoryStore,
  MemoryReplayGuard,
  StaticPolicyRegistry,
  VerificationService,
  matchClaims,
  snapshotFrequencies,
  type DirectoryUser,
} from "../src/node.js";
import { FakeKv } from "./helpers/fake-kv.js";

/** 200 people: 40 Smiths, one Okonkwo, the rest distinct surnames; four given names fifty times each. */
function users(): DirectoryUser[] {
  return Array.from({ length: 200 }, (_, i) => ({
    id: `00u${i}`,
    status: "ACTIVE" as const,
    login: `u${i}@example.com`,
    email: `u${i}@example.com`,
    name: { given: ["Alex", "Sam", "Robin", "Kim"][i % 4] as string, family: i < 40 ? "Smith" : i === 40 ? "Okonkwo" : `Family${i}` },
    birthdate: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
    address: {},
    phones: {},
    custom: {},
  }));
}

const directory = (list = users()) => Directory.fromSyncResult({ users: list, groups: [], memberships: [] });
/** The genuine person on a passport with a 1 January birthdate, names exact: the `balanced` threshold exactly, with priors. */
const verified = (family: string) => ({ given_name: "Alex", family_name: family, birthdate: "1980-01-01" });
const record = (family: string) => ({ profile: { login: "x@example.com", firstName: "Alex", lastName: family, birthdate: "1980-01-01" } });

describe("directory-aware weights", () => {
  it("a rare surname and a common one are decided apart only by the directory's table", () => {
    const dir = directory();
    const table = dir.frequencyTable();
    expect(table).toBeInstanceOf(Uint8Array);
    const plain = new ClaimsMatcher();
    const aware = new ClaimsMatcher({ directory: dir });
    const fromBytes = new ClaimsMatcher({ frequencies: table ?? null });
    try {
      for (const family of ["Smith", "Okonkwo"]) expect(plain.match(verified(family), record(family)).decision).toBe("match");
      for (const m of [aware, fromBytes]) {
        const smith = m.match(verified("Smith"), record("Smith"));
        expect(smith.decision).toBe("no_match");
        expect(smith.explanation.guard).toBeUndefined();
        expect(smith.explanation.claims.family_name?.frequency).toBeLessThan(0);
        const rare = m.match(verified("Okonkwo"), record("Okonkwo"));
        expect(rare.decision).toBe("match");
        expect(rare.explanation.claims.family_name?.frequency).toBe(0.2);
      }
      const many = aware.matchMany([
        { verified: verified("Smith"), directory: record("Smith") },
        { verified: verified("Okonkwo"), directory: record("Okonkwo") },
      ]);
      expect(many.map((r) => r.decision)).toEqual(["no_match", "match"]);
      expect(plain.match(verified("Smith"), record("Smith")).explanation.claims.family_name?.frequency).toBeUndefined();
      expect(matchClaims(verified("Smith"), record("Smith"), { directory: dir }).decision).toBe("no_match");
      expect(matchClaims(verified("Smith"), record("Smith")).decision).toBe("match");
    } finally {
      for (const m of [plain, aware, fromBytes]) m.free();
      dir.free();
    }
  });

  it("a small directory has no table: built-in priors", () => {
    const dir = directory(users().slice(0, 50));
    try {
      expect(dir.frequencyTable()).toBeUndefined();
      expect(matchClaims(verified("Smith"), record("Smith"), { directory: dir }).decision).toBe("match");
    } finally {
      dir.free();
    }
  });

  it("snapshotFrequencies reads a snapshot's table without loading it: the directory's own table", () => {
    const dir = directory();
    const small = directory(users().slice(0, 50));
    try {
      const table = snapshotFrequencies(dir.toSnapshot());
      expect(table).toBeInstanceOf(Uint8Array);
      expect(table).toEqual(dir.frequencyTable());
      expect(snapshotFrequencies(small.toSnapshot())).toBeUndefined();
      const damaged = dir.toSnapshot();
      damaged[damaged.length - 1] = (damaged[damaged.length - 1] ?? 0) ^ 0xff;
      expect(() => snapshotFrequencies(damaged)).toThrow(expect.objectContaining({ code: "SNAPSHOT_CORRUPT" }));
    } finally {
      dir.free();
      small.free();
    }
  });

  it("CLI match --snapshot decides with the snapshot's table as the SDK does with the directory's", () => {
    const cli = new URL("../bin/okta-directory.mjs", import.meta.url).pathname;
    const tmp = mkdtempSync(join(tmpdir(), "od-freq-"));
    const dir = directory();
    const aware = new ClaimsMatcher({ directory: dir });
    try {
      const snap = join(tmp, "d.snap");
      writeFileSync(snap, dir.toSnapshot());
      const pairs = ["Smith", "Okonkwo", "Family77", "Smyth"].map((family) => ({ verified: verified(family), directory: record(family) }));
      const input = join(tmp, "pairs.jsonl");
      writeFileSync(input, pairs.map((p, i) => JSON.stringify({ id: String(i), ...p })).join("\n"));
      const run = (...extra: string[]) =>
        execFileSync(process.execPath, [cli, "match", input, ...extra], { encoding: "utf8" })
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { decision: string; explanation: { total: number } });
      const withTable = run("--snapshot", snap);
      const sdk = aware.matchMany(pairs);
      expect(withTable.map((r) => r.decision)).toEqual(sdk.map((r) => r.decision));
      expect(withTable.map((r) => r.explanation.total)).toEqual(sdk.map((r) => r.explanation.total));
      // The table changes decisions: without it the common surname matches.
      expect(withTable.map((r) => r.decision).slice(0, 2)).toEqual(["no_match", "match"]);
      expect(run()[0]?.decision).toBe("match");
      // A damaged snapshot is a typed error with exit code 1.
      const damaged = dir.toSnapshot();
      damaged[20] = (damaged[20] ?? 0) ^ 0xff;
      writeFileSync(snap, damaged);
      expect(() => run("--snapshot", snap)).toThrow(
        expect.objectContaining({ status: 1, stderr: expect.stringMatching(/^error\[SNAPSHOT_CORRUPT\]/m) }),
      );
    } finally {
      aware.free();
      dir.free();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("a damaged table is a typed error", () => {
    expect(() => new ClaimsMatcher({ frequencies: new Uint8Array([5, 5, 0xff, 0xff, 0x03]) })).toThrow(
      expect.objectContaining({ code: "SNAPSHOT_CORRUPT" }),
    );
  });

  it("the KV store publishes the table beside the shards and the Worker's service decides with it", async () => {
    const kv = new FakeKv();
    const store = new KvDirectoryStore(kv, { usersPerShard: 64 });
    const dir = directory();
    try {
      expect(await store.frequencyTable()).toBeUndefined();
      const first = await store.publish(dir);
      expect((await store.manifest())?.frequencies).toBe(first.version);
      expect([...kv.data.keys()]).toContain(`okta-directory/v/${first.version}/frequencies`);
      expect(await store.frequencyTable()).toEqual(dir.frequencyTable());
      // An unchanged table is not written again: the new versions name the first one's, and no cleanup deletes it.
      const second = await store.publishChanged(dir.toSnapshot(), { previousVersion: first.version });
      await store.publish(dir);
      await store.publish(dir);
      expect((await store.manifest())?.frequencies).toBe(first.version);
      expect([...kv.data.keys()].filter((k) => k.endsWith("/frequencies"))).toEqual([`okta-directory/v/${first.version}/frequencies`]);
      expect(second.version).not.toBe(first.version);
      expect(await store.frequencyTable()).toEqual(dir.frequencyTable());

      const target: DirectoryUser = {
        ...(users()[0] as DirectoryUser),
        id: "00uTarget",
        login: "target@example.com",
        email: "target@example.com",
        name: { given: "Alex", family: "Smith" },
        birthdate: "1980-01-01",
      };
      const withTarget = directory([...users(), target]);
      const changed = await store.publish(withTarget);
      // A changed table is written under the new version.
      expect((await store.manifest())?.frequencies).toBe(changed.version);
      expect(await store.frequencyTable()).toEqual(withTarget.frequencyTable());
      withTarget.free();
      const service = new VerificationService({
        directory: store,
        policies: new StaticPolicyRegistry(),
        recorder: new HistoryRecorder(new MemoryHistoryStore()),
        replay: new MemoryReplayGuard(),
        limiter: new MemoryAttemptLimiter({ limit: 5, windowSec: 900 }),
        vendor: { issuer: "https://idv.example", audience: "portal", jwks: { keys: [] } },
      });
      const out = await service.evaluate({ loginHint: "target@example.com", claims: verified("Smith") });
      expect(out.decision).toBe("no_match");
      // The same person and claims with a table-less store: built-in priors, a match.
      const priors = new VerificationService({
        directory: { lookup: (hint: string) => store.lookup(hint) },
        policies: new StaticPolicyRegistry(),
        recorder: new HistoryRecorder(new MemoryHistoryStore()),
        replay: new MemoryReplayGuard(),
        limiter: new MemoryAttemptLimiter({ limit: 5, windowSec: 900 }),
        vendor: { issuer: "https://idv.example", audience: "portal", jwks: { keys: [] } },
      });
      expect((await priors.evaluate({ loginHint: "target@example.com", claims: verified("Smith") })).decision).toBe("match");
    } finally {
      dir.free();
    }
  });
});
