// Reading an Event Hook's users with the sync's OAuth credentials (`oktaOAuthUserFetcher`) against the
// emulator: DPoP required (nonce challenge, DPoP-bound token, a fresh proof per read), DPoP off (Bearer), the
// token reused then renewed after it expired, a missing scope, and credentials sent to the org's origin only.
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../src/emulator/index.js";
import { OktaApiError, oktaOAuthUserFetcher, oktaUserFetcher } from "../src/node.js";

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

/** The emulator's OAuth app, as `oktaOAuthUserFetcher` takes it. */
const app = (e: RunningEmulator) => ({
  orgUrl: e.url,
  clientId: e.clientId,
  privateKey: e.privateKeyPem,
  keyId: e.keyId,
  allowInsecureLoopback: true,
});

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

  // Review of 2026-12-07 (auth-mends): the OAuth reader threw whatever fetch or JSON parsing threw (a TypeError, a
  // SyntaxError): untyped, and a runtime's fetch error can quote the request's headers. Both readers now share
  // one user reader (`apply.ts`) and its typed OKTA_API_ERROR; the token request's failures are typed too.
  it("a read or token request that does not complete, and a body that is not JSON, are typed OKTA_API_ERROR", async () => {
    const e = await start({ dpop: "off" });
    const u = await firstUser(e);
    let accessToken = "";
    const down = new TypeError("fetch failed");
    const failing =
      (fail: "token" | "read" | "notJson") =>
      async (input: string, init: RequestInit): Promise<Response> => {
        const isToken = input.endsWith("/oauth2/v1/token");
        if (fail === "token" && isToken) throw down;
        if (fail === "read" && !isToken) throw new TypeError(`network down: ${new Headers(init.headers).get("authorization")}`);
        const res = await fetch(input, init);
        if (isToken) accessToken = ((await res.clone().json()) as { access_token: string }).access_token;
        return fail === "notJson" && !isToken ? new Response("<html>", { status: 200 }) : res;
      };
    const reader = (fail: "token" | "read" | "notJson") => oktaOAuthUserFetcher({ ...app(e), dpop: "off", fetch: failing(fail) });
    const failure = async (p: Promise<unknown>) =>
      p.then(
        () => expect.unreachable("the read resolved"),
        (err: unknown) => err as OktaApiError,
      );
    const token = await failure(reader("token")(u.id));
    expect(token).toBeInstanceOf(OktaApiError);
    expect(token).toMatchObject({ code: "OKTA_API_ERROR", cause: down });
    const read = await failure(reader("read")(u.id));
    expect(read).toBeInstanceOf(OktaApiError);
    expect(read.code).toBe("OKTA_API_ERROR");
    expect(read.cause).toBeInstanceOf(TypeError);
    expect(accessToken.length).toBeGreaterThan(8);
    expect(read.message).not.toContain(accessToken);
    expect(read.message).not.toContain(u.id);
    const notJson = await failure(reader("notJson")(u.id));
    expect(notJson).toBeInstanceOf(OktaApiError);
    expect(notJson.cause).toBeInstanceOf(SyntaxError);
    // The API-token reader throws the same errors for the same failures (one reader).
    const ssws = oktaUserFetcher({ orgUrl: e.url, apiToken: e.apiToken, allowInsecureLoopback: true, fetch: failing("notJson") });
    expect(await failure(ssws(u.id))).toMatchObject({ code: "OKTA_API_ERROR", message: notJson.message });
  });

  it("a busy token endpoint is OKTA_API_ERROR with its status; a refused client is AUTHENTICATION_FAILED", async () => {
    const e = await start({ dpop: "off" });
    const u = await firstUser(e);
    const answering = (status: number, body: string) =>
      oktaOAuthUserFetcher({
        ...app(e),
        dpop: "off",
        fetch: async (input, init) => (input.endsWith("/oauth2/v1/token") ? new Response(body, { status }) : fetch(input, init)),
      });
    await expect(answering(503, "")(u.id)).rejects.toMatchObject({ code: "OKTA_API_ERROR", status: 503 });
    const refused = answering(401, JSON.stringify({ error: "invalid_client", error_description: "client 'evil<script>'" }));
    const err = await refused(u.id).then(
      () => undefined,
      (x: unknown) => x as Error,
    );
    expect(err).toMatchObject({ code: "AUTHENTICATION_FAILED", status: 401 });
    expect(err?.message).toContain("invalid_client");
    expect(err?.message).not.toContain("evil");
  });
});
