// Reading an Event Hook's users with the sync's OAuth credentials (`oktaOAuthUserFetcher`) against the
// emulator: DPoP required (nonce challenge, DPoP-bound token, a fresh proof per read), DPoP off (Bearer), the
// token reused then renewed after it expired, a missing scope, and credentials sent to the org's origin only.
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../src/emulator/index.js";
import { oktaOAuthUserFetcher } from "../src/node.js";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  emu = await startEmulator({ users: 30, groups: 2, seed: 5, rateLimit: "off", ...options });
  return emu;
}

interface Sent {
  url: string;
  status: number;
  authorization: string | null;
  dpop: string | null;
  redirect: RequestRedirect | undefined;
}

function recording(log: Sent[]) {
  return async (input: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    const res = await fetch(input, init);
    log.push({
      url: input,
      status: res.status,
      authorization: headers.get("authorization")?.split(" ")[0] ?? null,
      dpop: headers.get("dpop"),
      redirect: init.redirect,
    });
    return res;
  };
}

const firstUser = async (e: RunningEmulator) => {
  const users = (await (await fetch(`${e.url}/__control/users`)).json()) as { id: string; profile: { login: string } }[];
  return users[0] as { id: string; profile: { login: string } };
};

describe("oktaOAuthUserFetcher", () => {
  it("DPoP required: answers the nonce challenge, reads with a DPoP-bound token and a fresh proof each time", async () => {
    const e = await start({ dpop: "required" });
    const log: Sent[] = [];
    const read = oktaOAuthUserFetcher({
      orgUrl: e.url,
      clientId: e.clientId,
      privateKey: e.privateKeyPem,
      keyId: e.keyId,
      allowInsecureLoopback: true,
      fetch: recording(log),
    });
    const u = await firstUser(e);
    const [a, b] = (await Promise.all([read(u.id), read(u.id)])) as { id: string }[];
    expect(a?.id).toBe(u.id);
    expect(b?.id).toBe(u.id);
    expect(await read("00uNOSUCHUSER0000000")).toBeNull();
    const token = log.filter((r) => r.url.endsWith("/oauth2/v1/token"));
    expect(token.map((r) => r.status)).toEqual([400, 200]); // use_dpop_nonce, then one token for every read
    expect(token.every((r) => r.dpop !== null && r.authorization === null)).toBe(true);
    const reads = log.filter((r) => r.url.includes("/api/v1/users/"));
    expect(reads).toHaveLength(3);
    expect(reads.every((r) => r.authorization === "DPoP" && r.dpop !== null && r.redirect === "manual")).toBe(true);
    expect(new Set(reads.map((r) => r.dpop)).size).toBe(3);
    expect(log.every((r) => new URL(r.url).origin === e.url)).toBe(true);
  });

  it("DPoP off (EC key): a Bearer token; an expired token is renewed once", async () => {
    const e = await start({ dpop: "off", keyType: "EC" });
    const log: Sent[] = [];
    const read = oktaOAuthUserFetcher({
      orgUrl: e.url,
      clientId: e.clientId,
      privateKey: e.privateKeyPem,
      keyId: e.keyId,
      dpop: "off",
      allowInsecureLoopback: true,
      fetch: recording(log),
    });
    const u = await firstUser(e);
    expect(((await read(u.id)) as { id: string }).id).toBe(u.id);
    e.env.oauth.expireAllTokens();
    expect(((await read(u.id)) as { id: string }).id).toBe(u.id);
    expect(log.map((r) => [new URL(r.url).pathname.split("/").slice(0, 4).join("/"), r.status, r.authorization])).toEqual([
      ["/oauth2/v1/token", 200, null],
      ["/api/v1/users", 200, "Bearer"],
      ["/api/v1/users", 401, "Bearer"],
      ["/oauth2/v1/token", 200, null],
      ["/api/v1/users", 200, "Bearer"],
    ]);
  });

  it("a token without okta.users.read is a typed error naming the scope; a foreign or http org URL is refused", async () => {
    const e = await start({ grantedScopes: ["okta.groups.read"] });
    const read = oktaOAuthUserFetcher({
      orgUrl: e.url,
      clientId: e.clientId,
      privateKey: e.privateKeyPem,
      keyId: e.keyId,
      allowInsecureLoopback: true,
    });
    await expect(read((await firstUser(e)).id)).rejects.toMatchObject({ code: "AUTHORIZATION_INCOMPLETE" });
    expect(() => oktaOAuthUserFetcher({ orgUrl: "http://acme.okta.com", clientId: "c", privateKey: e.privateKeyPem })).toThrow(
      expect.objectContaining({ code: "INSECURE_ORG_URL" }),
    );
    await expect(read("../../evil")).rejects.toMatchObject({ code: "HOOK_PAYLOAD_INVALID" });
  });
});
