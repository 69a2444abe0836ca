/**
 * The Node entry's default transport: `node:http`/`node:https` with one keep-alive agent per sync. It does
 * what the sync needs from `fetch` and no more: no redirect is followed (a 3xx reaches the core, which
 * refuses it), TLS is verified by Node's defaults, `gzip`/`deflate`/`br` bodies are decoded as `fetch`
 * would, repeated response headers are joined with ", " and names lower-cased (as `Headers` does), and a
 * body cut off before its end is an error, never a short page.
 */
import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";

/** Response headers as `fetch` shows them: names lower-cased, repeated ones joined with ", ". */
function flatHeaders(raw: string[]): string[] {
  const out: string[] = [];
  const at = new Map<string, number>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const seen = at.get(name);
    if (seen === undefined) {
      at.set(name, out.length + 1);
      out.push(name, value);
    } else {
      out[seen] = `${out[seen] as string}, ${value}`;
    }
  }
  return out;
}

/** Decodes a `Content-Encoding` the way `fetch` does (unknown codings are passed through). */
function decode(encoding: string | undefined, body: Buffer): Buffer {
  const codings = (encoding ?? "").toLowerCase().split(",").map((c) => c.trim()).filter((c) => c !== "" && c !== "identity");
  let out = body;
  for (const coding of codings.reverse()) {
    if (coding === "gzip" || coding === "x-gzip") out = zlib.gunzipSync(out, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    // As fetch: a zlib header (low nibble 8) is zlib-wrapped deflate, anything else raw deflate.
    else if (coding === "deflate") out = ((out[0] ?? 0) & 0x0f) === 0x08 ? zlib.inflateSync(out) : zlib.inflateRawSync(out);
    else if (coding === "br") out = zlib.brotliDecompressSync(out);
    else return body; // as fetch: an unknown coding leaves the body as it came
  }
  return out;
}

/** A transport over `node:http`/`node:https`; at most `maxSockets` connections per origin. */
export function nodeTransport(maxSockets = 16): Transport {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets }),
    "https:": new https.Agent({ keepAlive: true, maxSockets }),
  };
  return {
    send(r: TransportRequest): Promise<TransportResponse> {
      return new Promise((resolve, reject) => {
        const url = new URL(r.url);
        const scheme = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined;
        if (scheme === undefined) return reject(new Error("unsupported URL scheme"));
        const headers: Record<string, string> = {};
        for (const [name, value] of r.headers) {
          const key = name.toLowerCase();
          headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
        }
        headers["accept-encoding"] ??= "gzip, deflate, br";
        if (r.body !== undefined) headers["content-length"] = String(Buffer.byteLength(r.body));
        const request = scheme.request(url, { method: r.method, headers, agent: agents[url.protocol as "http:" | "https:"], signal: r.signal }, (res) => {
          const chunks: Buffer[] = [];
          let length = 0;
          res.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            length += chunk.length;
          });
          res.on("error", reject);
          res.on("close", () => {
            // A connection closed before the body's end (reset, length mismatch) is a network error.
            if (!res.complete) return reject(new Error("the response body was cut off"));
            try {
              const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
              const encoding = res.headers["content-encoding"];
              resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.rawHeaders), body: decode(encoding, raw) });
            } catch (e) {
              reject(e instanceof Error ? e : new Error("the response body could not be decoded"));
            }
          });
        });
        request.on("error", reject);
        request.end(r.body);
      });
    },
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}
