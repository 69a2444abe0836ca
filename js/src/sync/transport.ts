/**
 * How the driver sends one request: the core decides URL, method, headers and body; a transport only moves
 * bytes. Two implementations: over a `fetch` (every runtime; the one used when `fetch` is given), and over
 * `node:http`/`node:https` (the Node entry's default, `node-transport.ts`: a sync spends about half the CPU
 * in the HTTP layer that undici's `fetch` does).
 */
import type { FetchLike } from "./types.js";

/** One request, as the core built it. Redirects are never followed by a transport. */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string | undefined;
  signal: AbortSignal;
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
      const body = new Uint8Array(await response.arrayBuffer());
      const headers: string[] = [];
      response.headers.forEach((value, name) => headers.push(name, value));
      // Browsers hide a manual redirect as an opaque response with status 0.
      return { status: response.type === "opaqueredirect" ? 302 : response.status, headers, body };
    },
    close() {},
  };
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
