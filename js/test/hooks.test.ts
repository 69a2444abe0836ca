// The Event Hook receiver on its own: the secret check, the verification challenge, parsing, last-wins
// membership changes, redelivery, a failed apply, the bounded memory and the early acknowledgement.
import { describe, expect, it } from "vitest";
import {
  BoundedSeenSet,
  changesOf,
  createEventHookReceiver,
  parseDelivery,
  secretsEqual,
  type HookChanges,
  type HookRequest,
} from "../src/node.js";

const SECRET = "unit-hook-secret-0123456789";

function request(method: string, headers: Record<string, string>, body = ""): HookRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, header: (n) => lower[n.toLowerCase()], text: async () => body };
}

function delivery(eventId: string, events: unknown[]): string {
  return JSON.stringify({ eventType: "com.okta.event_hook", eventId, data: { events } });
}

const add = (uuid: string, user: string, group: string, added = true) => ({
  uuid,
  published: "2026-12-06T10:00:00.000Z",
  eventType: added ? "group.user_membership.add" : "group.user_membership.remove",
  outcome: { result: "SUCCESS" },
  target: [
    { id: user, type: "User", alternateId: "someone@example.com" },
    { id: group, type: "UserGroup" },
  ],
});

describe("Event Hook receiver", () => {
  it("compares secrets in constant time (same result as equality)", async () => {
    expect(await secretsEqual(SECRET, SECRET)).toBe(true);
    expect(await secretsEqual(`${SECRET}x`, SECRET)).toBe(false);
    expect(await secretsEqual("", SECRET)).toBe(false);
  });

  it("refuses a short secret at creation", () => {
    expect(() => createEventHookReceiver({ secret: "short", apply: async () => undefined })).toThrow(
      expect.objectContaining({ code: "INVALID_CREDENTIALS" }),
    );
  });

  it("401 without the secret, before reading the body; echoes the verification challenge with it", async () => {
    let read = false;
    const receiver = createEventHookReceiver({ secret: SECRET, apply: async () => undefined });
    const r = await receiver.handle({ method: "POST", header: () => "Bearer nope", text: async () => ((read = true), "") });
    expect(r.status).toBe(401);
    expect(read).toBe(false);
    const v = await receiver.handle(request("GET", { Authorization: SECRET, "X-Okta-Verification-Challenge": "abc" }));
    expect([v.status, JSON.parse(v.body)]).toEqual([200, { verification: "abc" }]);
    expect((await receiver.handle(request("PUT", { Authorization: SECRET }))).status).toBe(405);
  });

  it("applies a delivery once; a redelivery is a duplicate; the last change of a pair wins", async () => {
    const applied: HookChanges[] = [];
    const receiver = createEventHookReceiver({ secret: SECRET, apply: async (c) => void applied.push(c) });
    const body = delivery("d-1", [add("e1", "00u1", "00g1"), add("e2", "00u1", "00g1", false), add("e3", "00u2", "00g1")]);
    const first = await receiver.handle(request("POST", { authorization: SECRET }, body));
    expect(JSON.parse(first.body)).toEqual({ applied: 3, duplicate: false });
    const again = await receiver.handle(request("POST", { authorization: SECRET }, body));
    expect(JSON.parse(again.body)).toEqual({ applied: 0, duplicate: true });
    expect(applied).toHaveLength(1);
    expect(applied[0]?.membershipChanges).toEqual([
      { groupId: "00g1", userId: "00u1", added: false },
      { groupId: "00g1", userId: "00u2", added: true },
    ]);
    expect(JSON.stringify(applied)).not.toContain("someone@example.com");
  });

  it("a failed apply answers 500 and is not remembered, so Okta's retry applies it", async () => {
    let fail = true;
    let calls = 0;
    const receiver = createEventHookReceiver({
      secret: SECRET,
      apply: async () => {
        calls++;
        if (fail) throw new Error("store down");
      },
    });
    const body = delivery("d-2", [add("e9", "00u1", "00g1")]);
    expect((await receiver.handle(request("POST", { authorization: SECRET }, body))).status).toBe(500);
    fail = false;
    expect((await receiver.handle(request("POST", { authorization: SECRET }, body))).status).toBe(200);
    expect(calls).toBe(2);
    expect(receiver.stats.failed).toBe(1);
  });

  it("malformed deliveries are 400 HOOK_PAYLOAD_INVALID", async () => {
    const receiver = createEventHookReceiver({ secret: SECRET, apply: async () => undefined });
    for (const body of [
      "{",
      "[]",
      JSON.stringify({ eventId: "x" }),
      delivery("d-3", [{ uuid: "u", published: "p", eventType: "group.user_membership.add", outcome: { result: "SUCCESS" }, target: [] }]),
    ]) {
      const r = await receiver.handle(request("POST", { authorization: SECRET }, body));
      expect([r.status, JSON.parse(r.body)]).toEqual([400, { error: "HOOK_PAYLOAD_INVALID" }]);
    }
    expect(() => parseDelivery("nope")).toThrow(expect.objectContaining({ code: "HOOK_PAYLOAD_INVALID" }));
  });

  it("acknowledge 'received' answers 202 before the apply finishes", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let done = false;
    const receiver = createEventHookReceiver({
      secret: SECRET,
      acknowledge: "received",
      apply: async () => {
        await gate;
        done = true;
      },
    });
    const r = await receiver.handle(request("POST", { authorization: SECRET }, delivery("d-4", [add("e4", "00u1", "00g1")])));
    expect(r.status).toBe(202);
    expect(done).toBe(false);
    release();
    await receiver.idle();
    expect(done).toBe(true);
  });

  it("the memory is bounded: the oldest ids go first", () => {
    const seen = new BoundedSeenSet(2);
    seen.add("a");
    seen.add("b");
    seen.add("c");
    expect([seen.has("a"), seen.has("b"), seen.has("c"), seen.size]).toEqual([false, true, true, 2]);
    expect(changesOf("x", []).membershipChanges).toEqual([]);
  });
});
