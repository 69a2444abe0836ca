/**
 * How the driver sends one request: the core decides URL, method, headers and body; a transport only moves
 * bytes. Two implementations: over a `fetch` (every runtime; the one used when `fetch` is given), and over
 * `node:http`/`node:https` (the Node entry's default, `node-transport.ts`: a sync spends about half the CPU
 * in the HTTP layer that undici's `fetch` does).
 */
import { makeError, type OktaDirectoryError } from "../errors.js";
import type { FetchLike } from "./types.js";

/** The page cap (the core's too): no response body is read or decoded beyond 64 MiB. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The typed error of a body beyond the cap (final: the same page would be as large again). */
export function responseTooLarge(cap: number): OktaDirectoryError {
  return makeError("RESPONSE_TOO_LARGE", `a response body exceeds the ${Math.round(cap / 1048576)} MiB page cap; reading stopped`);
}

/** One request, as the core built it. Redirects are never followed by a transport. */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string | undefined;
  signal: AbortSignal;
  /** Most body bytes to read, and to decode (default {@link MAX_RESPONSE_BYTES}); beyond: `RESPONSE_TOO_LARGE`. */
  maxBytes?: number;
}

/** One answer: the status, the headers flat as `[name, value, …]` (names lower-case), and the body bytes. */
export interface TransportResponse {
  status: number;
  headers: string[];
  body: Uint8Array;
}

/** Sends requests for one sync; `close` releases its connections (after the sync). */
export interface Transport {
  /** Resolves with the whole answer; rejects on a network error, a cut-off body or an abort. */
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): void;
}

/** A transport over `fetch` (`redirect: "manual"`: a redirect reaches the core as a 3xx and is refused there). */
export function fetchTransport(fetch: FetchLike): Transport {
  return {
    async send(r) {
      const init: RequestInit = { method: r.method, headers: new Headers(r.headers), redirect: "manual", signal: r.signal };
      if (r.body !== undefined) init.body = r.body;
      const response = await fetch(r.url, init);
      // Bytes, not text: they cross into wasm as one copy (a string would be decoded here and re-encoded there).
      const body = await readCapped(response, r.maxBytes ?? MAX_RESPONSE_BYTES);
      const headers: string[] = [];
      response.headers.forEach((value, name) => {
        headers.push(name, value);
      });
      // Browsers hide a manual redirect as an opaque response with status 0.
      return { status: response.type === "opaqueredirect" ? 302 : response.status, headers, body };
    },
    close() {},
  };
}

/**
 * A response's body, read as a stream and stopped at `cap` bytes (`fetch` decodes as it is read, so the
 * decoded bytes are counted and a compressed body is never expanded past the cap).
 */
async function readCapped(response: Response, cap: number): Promise<Uint8Array> {
  if (Number(response.headers.get("content-length") ?? "0") > cap) {
    await response.body?.cancel().catch(() => {});
    throw responseTooLarge(cap);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > cap) {
      await reader.cancel().catch(() => {});
      throw responseTooLarge(cap);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const body = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

let makeDefault: (() => Transport) | undefined;

/** Installs the transport used when no `fetch` is given (the Node entry installs Node's HTTP client). */
export function setDefaultTransport(make: (() => Transport) | undefined): void {
  makeDefault = make;
}

/** A new default transport: the installed one, else one over `globalThis.fetch`. */
export function defaultTransport(): Transport {
  return makeDefault?.() ?? fetchTransport((input, init) => globalThis.fetch(input, init));
}
