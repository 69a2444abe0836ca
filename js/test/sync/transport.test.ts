/**
 * The Node transport (the Node entry's default) against a local server, side by side with the fetch
 * transport: same status, headers and bytes; codings decoded; redirects not followed; cut-off bodies and
 * aborts are errors; the SDK's sync uses it when no `fetch` is given.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncDirectory } from "../../src/node.js";
import { nodeTransport } from "../../src/sync/node-transport.js";
import { fetchTransport, type Transport, type TransportRequest } from "../../src/sync/transport.js";

const CAP = 1024 * 1024;
const BOMB_MEMBER = gzipSync(Buffer.alloc(CAP));
let bigSent = 0;
const PAGE = JSON.stringify([{ id: "00u1", profile: { firstName: "Zoë", lastName: "Núñez" } }]);
const seen: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: string }> = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString("utf8")));
  req.on("end", () => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    const path = req.url ?? "";
    const coded = (encoding: string, bytes: Buffer): void => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": encoding, "content-length": bytes.length });
      res.end(bytes);
    };
    if (path === "/gzip") return coded("gzip", gzipSync(PAGE));
    if (path === "/deflate") return coded("deflate", deflateSync(PAGE));
    if (path === "/deflate-raw") return coded("deflate", deflateRawSync(PAGE));
    if (path === "/br") return coded("br", brotliCompressSync(PAGE));
    if (path === "/redirect") {
      res.writeHead(302, { location: "https://evil.example/steal" });
      return void res.end();
    }
    if (path === "/cut") {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100000" });
      res.write(PAGE.slice(0, 20));
      return void setTimeout(() => res.socket?.destroy(), 20);
    }
    if (path === "/stall") return; // never answers
    if (path === "/bomb") return coded("gzip", Buffer.concat(Array.from({ length: 16 }, () => BOMB_MEMBER))); // 16 MiB of zeros
    if (path === "/exact") return coded("gzip", gzipSync(Buffer.alloc(CAP, 0x20)));
    if (path === "/big") {
      // 32 MiB streamed without a length, stopped as soon as the client goes away.
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 32 * CAP && !res.destroyed) {
          sent += chunk.length;
          bigSent = sent;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      return pump();
    }
    // Repeated headers, as a server may send two Link lines and rate-limit headers.
    res.setHeader("Link", ['<http://x/a>; rel="self"', '<http://x/b>; rel="next"']);
    res.setHeader("X-Rate-Limit-Remaining", "599");
    res.setHeader("Content-Type", "application/json");
    res.end(path === "/users" ? PAGE : "[]");
  });
}

let server: Server;
let base: string;
let node: Transport;
const viaFetch = fetchTransport((input, init) => fetch(input, init));

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  node = nodeTransport();
});
afterAll(async () => {
  node.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = (path: string, signal = new AbortController().signal): TransportRequest => ({
  method: "GET",
  url: `${base}${path}`,
  headers: [["Accept", "application/json"]],
  body: undefined,
  signal,
});
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const header = (flat: string[], name: string): string | undefined => flat[flat.indexOf(name) + 1];

describe("response cap (both transports)", () => {
  const capped = (path: string): TransportRequest => ({ ...get(path), maxBytes: CAP });
  it.each([
    ["node", () => node],
    ["fetch", () => viaFetch],
  ] as const)(
    "%s: a gzip bomb and an endless body stop at the cap with RESPONSE_TOO_LARGE; a body at the cap passes",
    async (_, transport) => {
      await expect(transport().send(capped("/bomb"))).rejects.toMatchObject({ code: "RESPONSE_TOO_LARGE" });
      bigSent = 0;
      await expect(transport().send(capped("/big"))).rejects.toMatchObject({ code: "RESPONSE_TOO_LARGE" });
      // Reading stopped: the server could not push the whole body (socket buffers hold a few MiB at most).
      await new Promise((r) => setTimeout(r, 50));
      expect(bigSent).toBeLessThan(32 * CAP);
      const exact = await transport().send(capped("/exact"));
      expect(exact.body.byteLength).toBe(CAP);
    },
  );
});

describe("Node transport", () => {
  it("answers like the fetch transport: status, lower-cased headers with repeats joined, body bytes", async () => {
    const [a, b] = [await node.send(get("/users")), await viaFetch.send(get("/users"))];
    expect(a.status).toBe(200);
    expect(text(a.body)).toBe(PAGE);
    expect(Array.from(a.body)).toEqual(Array.from(b.body));
    for (const name of ["link", "x-rate-limit-remaining", "content-type"]) expect(header(a.headers, name)).toBe(header(b.headers, name));
    expect(header(a.headers, "link")).toBe('<http://x/a>; rel="self", <http://x/b>; rel="next"');
    expect(a.headers.filter((_, i) => i % 2 === 0).every((n) => n === n.toLowerCase())).toBe(true);
  });

  it.each(["/gzip", "/deflate", "/deflate-raw", "/br"])("decodes %s bodies as fetch does", async (path) => {
    const [a, b] = [await node.send(get(path)), await viaFetch.send(get(path))];
    expect(text(a.body)).toBe(PAGE);
    expect(text(b.body)).toBe(PAGE);
    expect(seen.at(-1)?.headers["accept-encoding"]).toContain("gzip");
  });

  it("does not follow a redirect: the 302 comes back and nothing goes to the other host", async () => {
    const before = seen.length;
    const a = await node.send(get("/redirect"));
    expect(a.status).toBe(302);
    expect(header(a.headers, "location")).toBe("https://evil.example/steal");
    expect(seen.length).toBe(before + 1);
  });

  it("a body cut off before its length is an error, not a short page", async () => {
    await expect(node.send(get("/cut"))).rejects.toThrow();
  });

  it("an abort ends a stalled request with an error", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("timeout")), 30);
    await expect(node.send(get("/stall", controller.signal))).rejects.toThrow();
  });

  it("sends a request body with its length and the caller's headers", async () => {
    const r = await node.send({
      method: "POST",
      url: `${base}/token`,
      headers: [
        ["Content-Type", "application/x-www-form-urlencoded"],
        ["Authorization", "SSWS x"],
      ],
      body: "grant_type=client_credentials&scope=a+b",
      signal: new AbortController().signal,
    });
    expect(r.status).toBe(200);
    const last = seen.at(-1);
    expect(last).toMatchObject({ method: "POST", url: "/token", body: "grant_type=client_credentials&scope=a+b" });
    expect(last?.headers["content-length"]).toBe(String("grant_type=client_credentials&scope=a+b".length));
    expect(last?.headers.authorization).toBe("SSWS x");
  });

  it("is what syncDirectory uses in Node when no fetch is given", async () => {
    const before = seen.length;
    // The fake org answers every listing with one page: the sync reads it without the global fetch.
    const original = globalThis.fetch;
    globalThis.fetch = () => Promise.reject(new Error("the global fetch must not be used"));
    try {
      await syncDirectory({ orgUrl: base, apiToken: "00tok", allowInsecureLoopback: true, maxInFlight: 1 }).catch(() => undefined);
    } finally {
      globalThis.fetch = original;
    }
    const sent = seen.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.headers.authorization === "SSWS 00tok")).toBe(true);
  });
});
