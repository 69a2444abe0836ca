/** An in-memory KV namespace for the SDK's KV tests: one copy of Workers KV's contract, counting the calls made to it. */
import type { KvManifest, KvNamespaceLike } from "../../src/node.js";

/** The bytes of a value `put` accepts (text as UTF-8), copied so that later writes to the caller's buffer do not reach the store. */
function bytesOf(value: ArrayBuffer | ArrayBufferView | string): Uint8Array {
  const bytes =
    typeof value === "string"
      ? new TextEncoder().encode(value)
      : value instanceof ArrayBuffer
        ? new Uint8Array(value)
        : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return bytes.slice();
}

/** An in-memory KV namespace that counts the calls made to it (independently of the store's own stats). */
export class FakeKv implements KvNamespaceLike {
  readonly data = new Map<string, Uint8Array>();
  gets = 0;
  puts = 0;
  deletes = 0;
  /** Keys whose reads answer `null`, as a KV location that has not seen a fresh write yet. */
  readonly invisible = new Set<string>();

  async get(key: string): Promise<ArrayBuffer | null> {
    this.gets++;
    const v = this.invisible.has(key) ? undefined : this.data.get(key);
    return v === undefined ? null : v.slice().buffer;
  }
  async put(key: string, value: ArrayBuffer | ArrayBufferView | string): Promise<void> {
    this.puts++;
    this.data.set(key, bytesOf(value));
  }
  async delete(key: string): Promise<void> {
    this.deletes++;
    this.data.delete(key);
  }
  /** Pages of ten keys under `prefix`, in key order (a cursor is the next page's first index). */
  async list(options: { prefix: string; cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }> {
    const names = [...this.data.keys()].filter((k) => k.startsWith(options.prefix)).sort();
    const start = options.cursor === undefined ? 0 : Number(options.cursor);
    const page = names.slice(start, start + 10);
    const done = start + 10 >= names.length;
    return done
      ? { keys: page.map((name) => ({ name })), list_complete: true }
      : { keys: page.map((name) => ({ name })), list_complete: false, cursor: String(start + 10) };
  }
  /** The versions that have keys under `prefix`, sorted. */
  versions(prefix = "okta-directory/"): string[] {
    return [...new Set([...this.data.keys()].filter((k) => k.startsWith(`${prefix}v/`)).map((k) => k.split("/")[2]))].sort() as string[];
  }
  /** The manifest under `prefix`, parsed. */
  manifest(prefix = "okta-directory/"): KvManifest {
    return JSON.parse(new TextDecoder().decode(this.data.get(`${prefix}manifest`))) as KvManifest;
  }
}
