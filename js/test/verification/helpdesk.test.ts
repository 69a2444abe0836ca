/** The helpdesk flow over the verification service: request → link to the directory address → open → signed result → decision. */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  Directory,
  HistoryRecorder,
  MemoryAttemptLimiter,
  MemoryHelpdeskStore,
  MemoryHistoryStore,
  MemoryReplayGuard,
  OktaDirectoryError,
  StaticPolicyRegistry,
  VerificationService,
  createHelpdeskVerification,
  type DirectoryUser,
  type HelpdeskMessage,
} from "../../src/node.js";
import { signJwt } from "../emulator/helpers.js";

const ISS = "https://idv.example";
const AUD = "helpdesk-client";
let nowMs = 1_800_000_000_000;
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks = { keys: [{ ...pair.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }] };
const ANN: DirectoryUser = {
  id: "00uAnn",
  status: "ACTIVE",
  login: "ann@example.com",
  email: "ann.home@example.org",
  name: { given: "Ann", family: "Lee" },
  birthdate: "1985-01-20",
  address: {},
  phones: { mobile: "+14155550100" },
  custom: {},
};
let jti = 0;
const token = (
  sub: string,
  nonce: string,
  claims: Record<string, unknown> = { given_name: "Ann", family_name: "Lee", birthdate: "1985-01-20" },
) =>
  signJwt(
    { alg: "RS256", typ: "JWT", kid: "k1" },
    {
      iss: ISS,
      sub,
      aud: AUD,
      nonce,
      iat: nowMs / 1000 - 5,
      exp: nowMs / 1000 + 600,
      jti: `j${++jti}`,
      verified_claims: { verification: { trust_framework: "IDV-DELEGATED" }, claims },
    },
    pair.privateKey,
  );

function setup() {
  const histories = new MemoryHistoryStore();
  const directory = Directory.fromSyncResult({ users: [ANN], groups: [], memberships: [] });
  const service = new VerificationService({
    directory,
    policies: new StaticPolicyRegistry(),
    recorder: new HistoryRecorder(histories),
    replay: new MemoryReplayGuard(() => nowMs),
    limiter: new MemoryAttemptLimiter({ now: () => nowMs }),
    vendor: { issuer: ISS, audience: AUD, jwks },
    now: () => nowMs,
  });
  const sent: HelpdeskMessage[] = [];
  const store = new MemoryHelpdeskStore();
  const helpdesk = createHelpdeskVerification({
    service,
    directory,
    store,
    send: (m) => void sent.push(m),
    linkBase: "https://verify.example.com/helpdesk",
    now: () => nowMs,
  });
  return { helpdesk, sent, store, histories };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(OktaDirectoryError);
    return (e as OktaDirectoryError).code;
  }
  throw new Error("expected a refusal");
}

describe("createHelpdeskVerification", () => {
  it("end to end: the link goes to the directory address, opens once, and the service decides and records", async () => {
    const { helpdesk, sent, store, histories } = setup();
    const req = await helpdesk.request({ loginHint: "ANN@example.com", agent: "agent-7" });
    expect([req.state, req.userId, req.login, req.decision]).toEqual(["sent", "00uAnn", "ann@example.com", null]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe("ann.home@example.org");
    expect(JSON.stringify(req)).not.toContain(sent[0]!.link.split(".").at(-1)!);
    // The store keeps hashes, never the token.
    expect(JSON.stringify(store.list())).not.toContain(sent[0]!.link.split("#request=")[1]!.split(".")[1]!);
    const opened = await helpdesk.open(sent[0]!.link);
    expect(opened.userId).toBe("00uAnn");
    expect(await code(helpdesk.open(sent[0]!.link))).toBe("LINK_INVALID");
    expect((await helpdesk.status(req.id)).state).toBe("opened");
    expect(await helpdesk.decision(req.id)).toBeNull();
    const done = await helpdesk.complete({ requestId: req.id, nonce: opened.nonce, idToken: token("00uAnn", opened.nonce) });
    expect([done.state, done.decision, done.outcome]).toEqual(["decided", "match", "success"]);
    expect((await helpdesk.decision(req.id))?.claims.family_name?.outcome).toBe("match");
    expect(histories.document?.users["00uAnn"]?.map((r) => r.decision)).toEqual(["match"]);
    // No claim value in what the agent reads.
    for (const v of ["Lee", "1985", "ann.home"]) expect(JSON.stringify(await helpdesk.status(req.id))).not.toContain(v);
    // Decided once: the same request cannot be completed again.
    expect(await code(helpdesk.complete({ requestId: req.id, nonce: opened.nonce, idToken: token("00uAnn", opened.nonce) }))).toBe(
      "LINK_INVALID",
    );
  });

  it("SMS goes to the directory mobile; a wrong nonce, another person's result and an expired link are refused", async () => {
    const { helpdesk, sent } = setup();
    const req = await helpdesk.request({ loginHint: "ann@example.com", agent: "agent-7", channel: "sms" });
    expect(sent[0]!.to).toBe("+14155550100");
    const opened = await helpdesk.open(sent[0]!.link);
    expect(await code(helpdesk.complete({ requestId: req.id, nonce: "guessed-nonce", idToken: token("00uAnn", opened.nonce) }))).toBe(
      "LINK_INVALID",
    );
    expect(await code(helpdesk.complete({ requestId: req.id, nonce: opened.nonce, idToken: token("00uMallory", opened.nonce) }))).toBe(
      "TOKEN_SUBJECT_MISMATCH",
    );
    expect((await helpdesk.status(req.id)).state).toBe("refused");
    const late = await helpdesk.request({ loginHint: "ann@example.com", agent: "agent-7" });
    nowMs += 31 * 60_000;
    expect(await code(helpdesk.open(sent[1]!.link))).toBe("LINK_INVALID");
    expect((await helpdesk.status(late.id)).state).toBe("expired");
    expect(await code(helpdesk.open("https://verify.example.com/helpdesk#request=nope"))).toBe("LINK_INVALID");
    expect(await code(helpdesk.request({ loginHint: "nobody@example.com", agent: "agent-7" }))).toBe("USER_NOT_FOUND");
    expect(await code(helpdesk.request({ loginHint: "ann@example.com", agent: "" }))).toBe("INVALID_REQUEST");
  });
});
