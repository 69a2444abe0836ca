/** An in-memory store: for tests, and for a process that syncs and serves without persisting. */
import type { DirectoryStore } from "./types.js";

/** Keeps the snapshot in memory (a copy: later changes to the caller's array do not leak in). */
export class MemoryStore implements DirectoryStore {
  #snapshot: Uint8Array | null = null;

  async load(): Promise<Uint8Array | null> {
    return this.#snapshot === null ? null : this.#snapshot.slice();
  }

  async save(snapshot: Uint8Array): Promise<void> {
    this.#snapshot = snapshot.slice();
  }
}
