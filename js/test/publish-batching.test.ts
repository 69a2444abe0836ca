import { describe, expect, it } from "vitest";
import { CloudflareKvNamespace } from "../src/publish/cloudflare-kv.js";

describe("CloudflareKvNamespace batching", () => {
  it("puts made at once land in one bulk write, even when one value takes longer to hash", async () => {
    const bulks: number[] = [];
    const kv = new CloudflareKvNamespace({
      accountId: "acct",
      namespaceId: "ns",
      apiToken: "token-0123456789",
      fetch: async (_url, init) => {
        bulks.push((JSON.parse(String(init.body)) as unknown[]).length);
        return Response.json({ success: true, result: {} });
      },
    });
    // The large value's SHA-256 finishes well after the small ones': before the fix the flush timer fired
    // in between and the large value went out in a second bulk request.
    const large = new Uint8Array(32 * 1024 * 1024).fill(7);
    await Promise.all([kv.put("big", large), kv.put("a", "1"), kv.put("b", "2")]);
    expect(bulks).toEqual([3]);
    expect(kv.stats.bulkWrites).toBe(1);
  });

  // Review of 2026-12-07, second pass: a token pasted over two lines made every request throw inside fetch, retried
  // five times with backoff and reported as "a network error".
  it("a token fetch cannot send is INVALID_CREDENTIALS at once, not five retried network errors", () => {
    let requests = 0;
    for (const apiToken of ["token-0123\n456789", "token 0123456789", "token-\u00e90123456789"]) {
      expect(
        () =>
          new CloudflareKvNamespace({
            accountId: "acct",
            namespaceId: "ns",
            apiToken,
            fetch: async () => {
              requests++;
              return Response.json({ success: true, result: {} });
            },
          }),
      ).toThrow(expect.objectContaining({ code: "INVALID_CREDENTIALS" }));
    }
    expect(requests).toBe(0);
  });
});
