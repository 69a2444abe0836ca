/** A bounded memory of ids (delivery `eventId`s and event `uuid`s): the oldest are forgotten first. */

/** Where a receiver remembers what it applied (in memory by default; persist it to survive restarts). */
export interface SeenStore {
  has(id: string): boolean | Promise<boolean>;
  add(id: string): void | Promise<void>;
}

/** An in-memory {@link SeenStore} holding at most `max` ids (insertion order; the oldest go first). */
export class BoundedSeenSet implements SeenStore {
  readonly #max: number;
  readonly #ids = new Set<string>();

  constructor(max = 10_000) {
    this.#max = Math.max(1, Math.floor(max));
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string): void {
    this.#ids.delete(id);
    this.#ids.add(id);
    while (this.#ids.size > this.#max) {
      const oldest = this.#ids.values().next().value;
      if (oldest === undefined) break;
      this.#ids.delete(oldest);
    }
  }

  /** The ids remembered, oldest first (e.g. to pass event uuids to the next poll as `appliedEventUuids`). */
  ids(): string[] {
    return [...this.#ids];
  }

  get size(): number {
    return this.#ids.size;
  }
}
