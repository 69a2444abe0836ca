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
import { MAX_RESPONSE_BYTES, responseTooLarge, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";

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

/** Where decoded bytes go: the next decoding stage, or the collector. */
interface Sink {
  write(chunk: Buffer): void;
  end(): void;
  destroy(): void;
}

/** The `Content-Encoding` codings to undo, outermost first; `undefined` when one is unknown (as fetch: the body is passed through). */
function codingsOf(encoding: string | undefined): string[] | undefined {
  const codings = (encoding ?? "")
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity");
  const known = ["gzip", "x-gzip", "deflate", "br"];
  return codings.every((c) => known.includes(c)) ? codings.reverse() : undefined;
}

/** A streaming decoder for one coding feeding `next`, created at its first chunk (deflate's framing is read from it). */
function decoder(coding: string, next: Sink, onError: (e: Error) => void): Sink {
  let z: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress | undefined;
  const make = (first: Buffer): NonNullable<typeof z> => {
    // As fetch: gzip tolerates a missing trailer; a zlib header (low nibble 8) is zlib-wrapped deflate, else raw.
    const made =
      coding === "br"
        ? zlib.createBrotliDecompress()
        : coding === "deflate"
          ? ((first[0] ?? 0) & 0x0f) === 0x08
            ? zlib.createInflate()
            : zlib.createInflateRaw()
          : zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    made.on("data", (chunk: Buffer) => next.write(chunk));
    made.on("end", () => next.end());
    made.on("error", onError);
    return made;
  };
  return {
    write(chunk) {
      z ??= make(chunk);
      z.write(chunk);
    },
    end() {
      if (z === undefined) next.end();
      else z.end();
    },
    destroy() {
      z?.destroy();
      next.destroy();
    },
  };
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
        let settled = false;
        const settle = (done: () => void): void => {
          if (settled) return;
          settled = true;
          done();
        };
        const request = scheme.request(
          url,
          { method: r.method, headers, agent: agents[url.protocol as "http:" | "https:"], signal: r.signal },
          (res) => {
            const cap = r.maxBytes ?? MAX_RESPONSE_BYTES;
            // Bytes read from the wire and bytes decoded are both counted and capped: a body is never read past the
            // cap, and a small compressed body never expands past it (a gzip bomb stops at the cap).
            let stages: Sink | undefined;
            const tooLarge = (): void =>
              settle(() => {
                stages?.destroy();
                res.destroy();
                request.destroy();
                reject(responseTooLarge(cap));
              });
            const declared = Number(res.headers["content-length"] ?? "0");
            if (declared > cap) return tooLarge();
            const chunks: Buffer[] = [];
            let length = 0;
            const status = res.statusCode ?? 0;
            const collector: Sink = {
              write(chunk) {
                if (settled) return;
                length += chunk.length;
                if (length > cap) return tooLarge();
                chunks.push(chunk);
              },
              end() {
                // A connection closed before the body's end (reset, length mismatch) is a network error.
                if (!res.complete) return settle(() => reject(new Error("the response body was cut off")));
                const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
                settle(() => resolve({ status, headers: flatHeaders(res.rawHeaders), body }));
              },
              destroy() {},
            };
            const failDecode = (e: Error): void =>
              settle(() => {
                res.destroy();
                reject(e instanceof Error ? e : new Error("the response body could not be decoded"));
              });
            const codings = codingsOf(res.headers["content-encoding"]) ?? [];
            stages = codings.reduceRight<Sink>((next, coding) => decoder(coding, next, failDecode), collector);
            const first = stages;
            let wire = 0;
            res.on("data", (chunk: Buffer) => {
              if (settled) return;
              wire += chunk.length;
              if (wire > cap) return tooLarge();
              first.write(chunk);
            });
            res.on("error", (e) => settle(() => reject(e)));
            res.on("close", () => {
              if (settled) return;
              if (!res.complete) return settle(() => reject(new Error("the response body was cut off")));
              first.end();
            });
          },
        );
        request.on("error", (e) => settle(() => reject(e)));
        request.end(r.body);
      });
    },
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}
