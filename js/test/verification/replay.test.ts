/** Shadow replay in the SDK: the service stores each attempt's comparison vector; a draft re-decides them. */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  Directory,
  HistoryRecorder,
  InvalidPolicyError,
  MemoryAttemptLimiter,
  MemoryHistoryStore,
  MemoryReplayGuard,
  StaticPolicyRegistry,
  VerificationService,
  replayVector,
  shadowReplay,
  type DirectoryUser,
  type EnrollmentHistory,
  type PolicyDocument,
} from "../../src/node.js";
import { signJwt } from "../emulator/helpers.js";

const ISS = "https://idv.example";
const AUD = "portal-client";
const NOW_MS = 1_800_000_000_000;
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks = { keys: [{ ...pair.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }] };
const user = (id: string, given: string, family: string, birthdate: string): DirectoryUser => ({
  id,
  status: "ACTIVE",
  login: `${id}@example.com`,
  email: `${id}@example.com`,
  name: { given, family },
  birthdate,
  address: {},
  phones: {},
  custom: {},
});
const PEOPLE = [
  user("u1", "Jonathan", "Mitchell", "1980-02-03"),
  user("u2", "Maria", "Lopez", "1975-06-07"),
  user("u3", "Wei", "Chen", "1990-09-09"),
];
let jti = 0;
const token = (sub: string, claims: Record<string, unknown>) =>
  signJwt(
    { alg: "RS256", typ: "JWT", kid: "k1" },
    {
      iss: ISS,
      sub,
      aud: AUD,
      iat: NOW_MS / 1000 - 5,
      exp: NOW_MS / 1000 + 600,
      jti: `j${++jti}`,
      verified_claims: { verification: { trust_framework: "IDV-DELEGATED" }, claims },
    },
    pair.privateKey,
  );

async function history(): Promise<EnrollmentHistory> {
  const store = new MemoryHistoryStore();
  const service = new VerificationService({
    directory: Directory.fromSyncResult({ users: PEOPLE, groups: [], memberships: [] }),
    policies: new StaticPolicyRegistry(),
    recorder: new HistoryRecorder(store),
    replay: new MemoryReplayGuard(() => NOW_MS),
    limiter: new MemoryAttemptLimiter({ now: () => NOW_MS }),
    vendor: { issuer: ISS, audience: AUD, jwks },
    now: () => NOW_MS,
  });
  // A one-letter slip (a match under the default policy), an exact match, a different birthdate.
  await service.verify({
    loginHint: "u1@example.com",
    idToken: token("u1", { given_name: "Jonathon", family_name: "Mitchell", birthdate: "1980-02-03" }),
  });
  await service.verify({
    loginHint: "u2@example.com",
    idToken: token("u2", { given_name: "Maria", family_name: "Lopez", birthdate: "1975-06-07" }),
  });
  await service.verify({
    loginHint: "u3@example.com",
    idToken: token("u3", { given_name: "Wei", family_name: "Chen", birthdate: "1990-09-08" }),
  });
  return store.document!;
}

describe("shadow replay", () => {
  it("each recorded attempt carries its comparison vector: levels and reason codes, never a value", async () => {
    const h = await history();
    const v = h.users["u1"]![0]!.vector!;
    expect(v.claims.given_name).toMatchObject({ outcome: "match", level: "one_edit", exact: false });
    const text = JSON.stringify(h);
    for (const value of ["Jonathon", "Jonathan", "Mitchell", "1980", "Lopez", "Chen"]) expect(text).not.toContain(value);
  });

  it("names exact: the slip would now fail; the exact match and the refusal are unchanged", async () => {
    const draft: PolicyDocument = {
      version: 1,
      claims: {
        given_name: { mode: "exact" },
        family_name: { mode: "exact" },
        birthdate: {},
        middle_name: {},
        address: {},
        phone_number: {},
        email: {},
      },
    };
    const r = shadowReplay(await history(), draft);
    expect([r.attempts, r.wouldNowPass, r.wouldNowFail, r.unchanged, r.cannotReplay]).toEqual([3, 0, 1, 2, 0]);
    expect(r.items.find((i) => i.userId === "u1")).toMatchObject({ before: "match", after: "no_match", change: "fail" });
  });

  it("a changed attribute source and a claim never compared cannot be replayed, and say why", async () => {
    const h = await history();
    const moved = shadowReplay(h, { claims: { given_name: {}, family_name: {}, birthdate: { source: ["profile.dateOfBirth"] } } });
    expect([moved.cannotReplay, moved.cannotReplayBy.source_changed]).toEqual([3, 3]);
    const vector = h.users["u2"]![0]!.vector!;
    const added = replayVector(
      { ...vector, claims: { given_name: vector.claims.given_name! } },
      { claims: { given_name: {}, family_name: {} } },
    );
    expect([added.decision, added.blockers]).toEqual([null, [{ claim: "family_name", why: "not_compared" }]]);
    // An old record without a vector is counted, not guessed.
    const old = shadowReplay({ users: { u9: [{ atMs: 1, decision: "match", matched: [], policyId: "default" }] } }, null);
    expect([old.cannotReplay, old.cannotReplayBy.no_vector]).toEqual([1, 1]);
  });

  it("a malformed draft is a typed policy error naming the path", async () => {
    const h = await history();
    expect(() => shadowReplay(h, { claims: { given_name: { mode: "loose" } } } as unknown as PolicyDocument)).toThrow(InvalidPolicyError);
    try {
      shadowReplay(h, { claims: { given_name: { mode: "loose" } } } as unknown as PolicyDocument);
    } catch (e) {
      expect((e as InvalidPolicyError).message).toContain("claims.given_name.mode");
    }
  });
});
