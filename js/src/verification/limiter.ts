/** An in-memory attempt limiter: a fixed window per key, atomic because JavaScript runs it on one thread. */
import type { AttemptLimiter, AttemptVerdict } from "./types.js";

/** Options of a {@link MemoryAttemptLimiter}. */
export interface MemoryAttemptLimiterOptions {
  /** Attempts allowed per key and window; default 5. */
  limit?: number;
  /** The window in seconds; default 900 (15 minutes). */
  windowSec?: number;
  /** Keys kept at most (the oldest windows are dropped first); default 100 000. */
  maxKeys?: number;
  /** The clock, in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

/**
 * Counts attempts per key in a fixed window, in this process's memory. `take` does not await, so
 * concurrent callers in one process can never interleave between the check and the count. For
 * several processes or isolates, use a shared atomic counter (the Worker template uses a Durable
 * Object per Okta user id).
 */
export class MemoryAttemptLimiter implements AttemptLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, { startMs: number; count: number }>();

  constructor(options: MemoryAttemptLimiterOptions = {}) {
    this.#limit = positive(options.limit, 5);
    this.#windowMs = positive(options.windowSec, 900) * 1000;
    this.#maxKeys = positive(options.maxKeys, 100_000);
    this.#now = options.now ?? Date.now;
  }

  /** Counts one attempt for `key` (synchronously, hence atomically). */
  take(key: string): AttemptVerdict {
    const now = this.#now();
    let w = this.#windows.get(key);
    if (w === undefined || now >= w.startMs + this.#windowMs) {
      this.#windows.delete(key);
      w = { startMs: now, count: 0 };
      this.#windows.set(key, w);
      this.#evict(now);
    }
    w.count += 1;
    if (w.count > this.#limit) {
      return { allowed: false, remaining: 0, retryAfterSec: Math.max(1, Math.ceil((w.startMs + this.#windowMs - now) / 1000)) };
    }
    return { allowed: true, remaining: this.#limit - w.count, retryAfterSec: 0 };
  }

  #evict(now: number): void {
    if (this.#windows.size <= this.#maxKeys) return;
    // Insertion order is window-start order: drop expired windows, then the oldest, until within bounds.
    for (const [key, w] of this.#windows) {
      if (this.#windows.size <= this.#maxKeys && now < w.startMs + this.#windowMs) break;
      this.#windows.delete(key);
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
