// Attacks on the Event Hook receiver (review of 2026-12-06): an empty or missing secret refuses everything,
// the challenge needs the secret, oversize bodies are refused before apply, and a delivery's own values
// (the login, a display name, a profile someone added) never reach `apply`: only Okta ids do.
import { describe, expect, it } from "vitest";
import { createEventHookReceiver, nodeHandler, oktaUserFetcher, type HookChanges, type HookRequest } from "../src/node.js";

const SECRET = "attack-hook-secret-0123456789";

function request(method: string, headers: Record<string, string>, body = ""): HookRequest & { read: () => boolean } {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  let read = false;
  return { method, header: (n) => lower[n.toLowerCase()], text: async () => ((read = true), body), read: () => read };
}

describe("Event Hook receiver under attack", () => {
  it("an empty or missing configured secret is a configuration error, never an open door", () => {
    for (const secret of ["", undefined, null, "               "]) {
      expect(() => createEventHookReceiver({ secret: secret as unknown as string, apply: async () => undefined })).toThrow(
        expect.objectContaining({ code: "INVALID_CREDENTIALS" }),
      );
    }
  });

  it("an absent, empty or near header is 401 and the body is not read; the challenge is not echoed without it", async () => {
    let applied = 0;
    const receiver = createEventHookReceiver({ secret: SECRET, apply: async () => void applied++ });
    for (const headers of [
      {},
      { authorization: "" },
      { authorization: `${SECRET} ` },
      { authorization: SECRET.slice(0, -1) },
      { "x-other": SECRET },
    ]) {
      const post = request("POST", headers, "{}");
      expect((await receiver.handle(post)).status).toBe(401);
      expect(post.read()).toBe(false);
      const get = await receiver.handle(request("GET", { ...headers, "x-okta-verification-challenge": "<script>" }));
      expect(get.status).toBe(401);
      expect(get.body).not.toContain("script");
    }
    const long = await receiver.handle(request("GET", { authorization: SECRET, "x-okta-verification-challenge": "a".repeat(513) }));
    expect(long.status).toBe(400);
    const echoed = await receiver.handle(request("GET", { authorization: SECRET, "x-okta-verification-challenge": "<b>x</b>" }));
    expect(echoed.headers["content-type"]).toBe("application/json");
    expect(applied).toBe(0);
  });

  it("an oversize body is 413 (declared or actual) and never applied", async () => {
    let applied = 0;
    const receiver = createEventHookReceiver({ secret: SECRET, maxBodyBytes: 64, apply: async () => void applied++ });
    const body = JSON.stringify({ eventId: "d1", data: { events: [] }, pad: "x".repeat(100) });
    const declared = request("POST", { authorization: SECRET, "content-length": String(body.length) }, body);
    expect((await receiver.handle(declared)).status).toBe(413);
    expect(declared.read()).toBe(false);
    expect((await receiver.handle(request("POST", { authorization: SECRET, "content-length": "10" }, body))).status).toBe(413);
    expect(applied).toBe(0);
  });

  it("a delivery's own values never reach apply: only ids (the user is re-read from Okta)", async () => {
    const changes: HookChanges[] = [];
    const receiver = createEventHookReceiver({ secret: SECRET, apply: async (c) => void changes.push(c) });
    const body = JSON.stringify({
      eventId: "d-forged",
      data: {
        events: [
          {
            uuid: "e-forged",
            published: "2026-12-06T10:00:00.000Z",
            eventType: "user.account.update_profile",
            outcome: { result: "SUCCESS" },
            target: [
              {
                id: "00u1",
                type: "User",
                alternateId: "attacker@evil.example",
                displayName: "Attacker",
                profile: { email: "attacker@evil.example", mobilePhone: "+15550000" },
              },
            ],
            debugContext: { debugData: { changedAttributes: "email", newEmail: "attacker@evil.example" } },
          },
        ],
      },
    });
    expect((await receiver.handle(request("POST", { authorization: SECRET }, body))).status).toBe(200);
    expect(changes[0]?.upsertUserIds).toEqual(["00u1"]);
    const text = JSON.stringify(changes);
    for (const v of ["attacker@evil.example", "Attacker", "+15550000"]) expect(text).not.toContain(v);
    // A replay of the same delivery (same eventId, or a new eventId with the same event uuid) applies nothing new.
    await receiver.handle(request("POST", { authorization: SECRET }, body));
    await receiver.handle(request("POST", { authorization: SECRET }, body.replace("d-forged", "d-other")));
    expect(changes).toHaveLength(2);
    expect(changes[1]?.upsertUserIds).toEqual([]);
  });

  it("node adapter: a body without Content-Length is not buffered past the limit (413, nothing applied)", async () => {
    // 5 GiB in 1 MiB chunks (one shared buffer): before the fix the adapter kept every chunk and then tried to
    // join them into one 5 GiB array (a RangeError: the handler failed instead of answering 413).
    let applied = 0;
    const receiver = createEventHookReceiver({ secret: SECRET, apply: async () => void applied++ });
    const chunk = new Uint8Array(1 << 20).fill(0x20);
    let yielded = 0;
    const req = {
      method: "POST",
      headers: { authorization: SECRET },
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < 5 * 1024; i++, yielded++) yield chunk;
      },
    };
    let status = 0;
    await nodeHandler(receiver)(req, { writeHead: (s: number) => void (status = s), end: () => undefined });
    expect(status).toBe(413);
    expect(yielded).toBe(5 * 1024);
    expect(applied).toBe(0);
  });

  // Review of 2026-12-07, second pass: a token with a newline inside (a secret pasted over two lines) made fetch
  // throw `Headers.append: "SSWS <token>" is an invalid header value.` out of the user reader, untyped.
  it("the user reader refuses a token fetch cannot send, and its failures are typed and never quote the token", async () => {
    const token = "00TOKENsecret-part\nsecond-line";
    expect(() => oktaUserFetcher({ orgUrl: "https://acme.okta.com", apiToken: token })).toThrow(
      expect.objectContaining({ code: "INVALID_CREDENTIALS" }),
    );
    for (const accessToken of ["", "tok en", "tok\u00e9n"]) {
      expect(() => oktaUserFetcher({ orgUrl: "https://acme.okta.com", accessToken })).toThrow(
        expect.objectContaining({ code: "INVALID_CREDENTIALS" }),
      );
    }
    // What the runtime's fetch did with such a token: the message quotes the header.
    const quoting = async (_url: string, init: RequestInit): Promise<Response> => {
      new Headers(init.headers);
      throw new TypeError(`network down for ${String((init.headers as Record<string, string>)["authorization"])}`);
    };
    const fetchUser = oktaUserFetcher({ orgUrl: "https://acme.okta.com", apiToken: "00TOKENsecret", fetch: quoting });
    const failure = await fetchUser("00u1").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: "OKTA_API_ERROR" });
    expect(String((failure as Error).message)).not.toContain("00TOKENsecret");
    const notJson = oktaUserFetcher({
      orgUrl: "https://acme.okta.com",
      apiToken: "00TOKENsecret",
      fetch: async () => new Response("<html>", { status: 200 }),
    });
    await expect(notJson("00u1")).rejects.toMatchObject({ code: "OKTA_API_ERROR" });
  });
});
