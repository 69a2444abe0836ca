// The durable sync's page journal in R2: the pages a step completed, one R2 object ("segment") per step.
//
// The SDK's journaled sync appends each completed users or members page synchronously; a step buffers
// them, and at the end of the step writes them as one segment BEFORE storing the checkpoint that covers
// them (so a stored checkpoint never names a page the journal lacks). A resumed step replays the
// segments in order, reading one at a time (memory: one segment, not the whole journal).
//
// Segment format: repeated [u32 url length][url UTF-8][u32 body length][body], little-endian.

/** @typedef {{ url: string, body: Uint8Array }} Page  One completed page: the URL it was fetched from and its body. */
/** @typedef {{ key: string, pages: number }} Segment  A stored segment and how many of its pages the checkpoint covers. */
/** @typedef {{ r2: number }} R2Counts  The step's R2 operations, counted. */

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Encodes pages ({url, body}) as one segment.
 * @param {Page[]} pages
 */
export function encodeSegment(pages) {
  const urls = pages.map((p) => enc.encode(p.url));
  let size = 0;
  for (let i = 0; i < pages.length; i++) size += 8 + urls[i].byteLength + pages[i].body.byteLength;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (let i = 0; i < pages.length; i++) {
    for (const part of [urls[i], pages[i].body]) {
      view.setUint32(at, part.byteLength, true);
      out.set(part, at + 4);
      at += 4 + part.byteLength;
    }
  }
  return out;
}

/**
 * Decodes a segment into pages (bodies are views into `bytes`).
 * @param {Uint8Array} bytes
 * @returns {Generator<Page>}
 */
export function* decodeSegment(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const take = () => {
    if (at + 4 > bytes.byteLength) throw new Error("journal segment truncated");
    const n = view.getUint32(at, true);
    if (at + 4 + n > bytes.byteLength) throw new Error("journal segment truncated");
    const part = bytes.subarray(at + 4, at + 4 + n);
    at += 4 + n;
    return part;
  };
  while (at < bytes.byteLength) {
    const url = dec.decode(take());
    yield { url, body: take() };
  }
}

/**
 * A run's journal: `segments` ([{key, pages}], from the job's state) are the stored ones, each with the
 * number of its pages the checkpoint covers; `pending` are this step's pages, not yet stored.
 */
export class R2Journal {
  /**
   * @param {R2Bucket} bucket
   * @param {string} prefix
   * @param {Segment[]} segments
   * @param {R2Counts} counts
   */
  constructor(bucket, prefix, segments, counts) {
    this.bucket = bucket;
    this.prefix = prefix;
    this.segments = segments;
    /** @type {Page[]} */
    this.pending = [];
    this.counts = counts;
  }

  /**
   * The SDK's append: kept in memory until `commit`.
   * @param {Page} page
   */
  append(page) {
    this.pending.push(page);
  }

  /**
   * The SDK's replay: the first `pages` stored pages, one segment in memory at a time.
   * @param {number} pages
   * @returns {AsyncGenerator<Page>}
   */
  async *replay(pages) {
    let left = pages;
    for (const segment of this.segments) {
      if (left <= 0) return;
      this.counts.r2++;
      const object = await this.bucket.get(segment.key);
      if (object === null) throw new Error("a journal segment is missing");
      const bytes = new Uint8Array(await object.arrayBuffer());
      let taken = 0;
      for (const page of decodeSegment(bytes)) {
        if (taken === segment.pages || left <= 0) break;
        taken++;
        left--;
        yield page;
      }
    }
  }

  /**
   * The pages of stored segment `index` that the checkpoint covers (a ranged publish partitions the journal
   * one segment per step).
   * @param {number} index
   * @returns {AsyncGenerator<Page>}
   */
  async *segment(index) {
    const segment = this.segments[index];
    if (segment === undefined) return;
    yield* readPages(this.bucket, [segment.key], this.counts, segment.pages);
  }

  /**
   * Stores this step's pages that the checkpoint covers (`coveredPages` in all) as a new segment and
   * returns the segment list to store with that checkpoint.
   * @param {number} coveredPages
   * @param {number} step
   * @returns {Promise<Segment[]>}
   */
  async commit(coveredPages, step) {
    const stored = this.segments.reduce((n, s) => n + s.pages, 0);
    const fresh = Math.max(0, Math.min(this.pending.length, coveredPages - stored));
    if (fresh === 0) return this.segments;
    const key = `${this.prefix}${String(step).padStart(6, "0")}`;
    this.counts.r2++;
    await this.bucket.put(key, encodeSegment(this.pending.slice(0, fresh)));
    return [...this.segments, { key, pages: fresh }];
  }

  /** Bytes of this step's pages held in memory. */
  pendingBytes() {
    return this.pending.reduce((n, p) => n + p.body.byteLength + p.url.length, 0);
  }
}

/**
 * The pages of segment objects `keys`, in order, one object in memory at a time (`limit`: at most that many
 * of each; a missing object is an error: a journal or a ranged publish's bucket was lost).
 * @param {R2Bucket} bucket
 * @param {string[]} keys
 * @param {R2Counts} counts
 * @param {number} [limit]
 * @returns {AsyncGenerator<Page>}
 */
export async function* readPages(bucket, keys, counts, limit = Number.POSITIVE_INFINITY) {
  for (const key of keys) {
    counts.r2++;
    const object = await bucket.get(key);
    if (object === null) throw new Error("a journal segment is missing");
    let taken = 0;
    for (const page of decodeSegment(new Uint8Array(await object.arrayBuffer()))) {
      if (taken++ >= limit) break;
      yield page;
    }
  }
}

/**
 * The keys under `prefix`, in key order (every page of R2's listing).
 * @param {R2Bucket} bucket
 * @param {string} prefix
 * @param {R2Counts} counts
 * @returns {Promise<string[]>}
 */
export async function listKeys(bucket, prefix, counts) {
  /** @type {string[]} */
  const keys = [];
  /** @type {string | undefined} */
  let cursor;
  for (;;) {
    counts.r2++;
    /** @type {R2Objects} */
    const page = await bucket.list(cursor === undefined ? { prefix } : { prefix, cursor });
    keys.push(...page.objects.map((o) => o.key));
    if (!page.truncated) return keys.sort();
    cursor = page.cursor;
  }
}

/**
 * Deletes every object under `prefix` (a finished or abandoned run's journal).
 * @param {R2Bucket} bucket
 * @param {string} prefix
 * @param {R2Counts} counts
 */
export async function deletePrefix(bucket, prefix, counts) {
  /** @type {string | undefined} */
  let cursor;
  for (;;) {
    counts.r2++;
    /** @type {R2Objects} */
    const page = await bucket.list(cursor === undefined ? { prefix } : { prefix, cursor });
    const keys = page.objects.map((o) => o.key);
    if (keys.length > 0) {
      counts.r2++;
      await bucket.delete(keys);
    }
    if (!page.truncated) return;
    cursor = page.cursor;
  }
}
