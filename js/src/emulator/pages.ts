/** Paged list responses: Link headers with absolute URLs, plus the faults that corrupt a page. */
import type { Faults } from "./faults.js";
import { send, type Headers, type RequestContext } from "./http.js";

export interface PageOptions {
  faults: Faults;
  /** The cursor for the next page, or null on the last page. */
  nextAfter: string | null;
  /** Runs after a page with a next link was sent when `delete-between-pages` fires. */
  deleteNext?: () => void;
  headers: Headers;
  /** Query parameters the next link leaves out (a System Log polling cursor drops `since`, as Okta's does). */
  dropFromNext?: readonly string[];
}

const FOREIGN_ORIGIN = "https://attacker.example";

/** A page's items, as values or as each item's JSON as UTF-8 bytes (`JSON.stringify(item)`, cached). */
export type PageItems = readonly unknown[] | { readonly bytes: readonly Buffer[] };

const OPEN = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]");

/** `[a,b,…]` from the items' bytes: exactly JSON.stringify of the items (no whitespace either way). */
function joinJson(items: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [OPEN];
  let length = 2 + Math.max(0, items.length - 1);
  items.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(item);
    length += item.length;
  });
  parts.push(CLOSE);
  return Buffer.concat(parts, length);
}

export function sendPage(ctx: RequestContext, items: PageItems, opts: PageOptions): void {
  const { url, baseUrl } = ctx;
  const links = [`<${baseUrl}${url.pathname}${url.search}>; rel="self"`];
  if (opts.nextAfter !== null) {
    // `after` first, then the caller's own parameters, as Okta writes its next links.
    const params = new URLSearchParams({ after: opts.nextAfter });
    for (const [k, v] of url.searchParams) if (k !== "after" && !opts.dropFromNext?.includes(k)) params.append(k, v);
    const origin = opts.faults.take("foreign-next") ? FOREIGN_ORIGIN : baseUrl;
    links.push(`<${origin}${url.pathname}?${params.toString()}>; rel="next"`);
  }
  let body = "bytes" in items ? joinJson(items.bytes) : Buffer.from(JSON.stringify(items));
  const headers: Headers = { ...opts.headers, link: links };
  if (opts.faults.take("malformed")) body = body.subarray(0, Math.max(1, Math.floor(body.length * 0.6)));
  if (opts.faults.take("reset")) {
    const { res } = ctx;
    res.setHeader("X-Okta-Request-Id", ctx.requestId);
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader("Content-Type", "application/json");
    res.setHeader("Content-Length", Buffer.byteLength(body));
    res.statusCode = 200;
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    // Let the partial body reach the client before the reset.
    setTimeout(() => res.socket?.resetAndDestroy?.() ?? res.destroy(), 20);
    return;
  }
  send(ctx, 200, body, headers);
  if (opts.nextAfter !== null && opts.deleteNext !== undefined && opts.faults.take("delete-between-pages")) opts.deleteNext();
}
