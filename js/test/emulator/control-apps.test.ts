/** Control API: reading and changing a registered app's granted scopes (an admin granting a scope later). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { ASSERTION_TYPE, clientAssertion, tokenRequest } from "./helpers.js";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ users: 5, groups: 1, seed: 3, rateLimit: "off", dpop: "off", grantedScopes: ["okta.users.read"] });
});
afterAll(async () => emu.close());

const control = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${emu.url}/__control/${path}`, init);
const token = (): Promise<Response> =>
  tokenRequest(emu.url, {
    grant_type: "client_credentials",
    scope: "okta.users.read okta.groups.read",
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: clientAssertion({
      clientId: emu.clientId,
      aud: `${emu.url}/oauth2/v1/token`,
      key: emu.privateKeyPem,
      kid: emu.keyId,
    }),
  });

describe("/__control/apps/{clientId}", () => {
  it("reads the granted scopes, then grants a withheld scope for the next token", async () => {
    const before = (await (await control(`apps/${emu.clientId}`)).json()) as { grantedScopes: string[] };
    expect(before.grantedScopes).toEqual(["okta.users.read"]);
    expect(((await (await token()).json()) as { scope: string }).scope).toBe("okta.users.read");

    const res = await control(`apps/${emu.clientId}`, {
      method: "PATCH",
      body: JSON.stringify({ grantedScopes: ["okta.users.read", "okta.groups.read"] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { grantedScopes: string[] }).grantedScopes).toEqual(["okta.users.read", "okta.groups.read"]);
    expect(((await (await token()).json()) as { scope: string }).scope).toBe("okta.users.read okta.groups.read");
  });

  it("refuses an unknown app and a malformed body", async () => {
    expect((await control("apps/0oaunknown", { method: "PATCH", body: "{}" })).status).toBe(404);
    const bad = await control(`apps/${emu.clientId}`, { method: "PATCH", body: JSON.stringify({ grantedScopes: "okta.users.read" }) });
    expect(bad.status).toBe(400);
  });
});
