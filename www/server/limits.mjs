// Attempt limits with back-off, in memory and bounded: one counter per key (an employee's resolved Okta
// user id, a client address, or "*" for everyone), counted in a sliding window; past the free budget each
// further failure doubles the wait before the next try is accepted.

/**
 * @typedef {{ failures: number, windowStart: number, blockedUntil: number }} Counter
 * @typedef {{ free: number, windowMs: number, baseDelayMs?: number, maxDelayMs?: number, maxKeys?: number, now?: () => number }} LimitOptions
 */

/** One limit over many keys. @param {LimitOptions} o */
export function createLimiter(o) {
  const now = o.now ?? Date.now;
  const base = o.baseDelayMs ?? 1000;
  const maxDelay = o.maxDelayMs ?? 15 * 60_000;
  const maxKeys = o.maxKeys ?? 50_000;
  /** @type {Map<string, Counter>} */
  const counters = new Map();

  /** @param {string} key */
  function counter(key) {
    const t = now();
    let c = counters.get(key);
    if (c && t - c.windowStart > o.windowMs && t >= c.blockedUntil) {
      counters.delete(key);
      c = undefined;
    }
    return c;
  }

  return {
    /** Milliseconds until `key` may try again (0: now). @param {string} key */
    wait(key) {
      const c = counter(key);
      return c ? Math.max(0, c.blockedUntil - now()) : 0;
    },
    /** Counts a failed try of `key`; past the free budget, blocks it for a doubling delay. @param {string} key */
    fail(key) {
      const t = now();
      let c = counter(key);
      if (!c) {
        if (counters.size >= maxKeys) {
          // Bounded: forget the oldest counters first (a full map is itself a sign of abuse, answered by the "*" limit).
          for (const k of counters.keys()) {
            counters.delete(k);
            if (counters.size < maxKeys) break;
          }
        }
        c = { failures: 0, windowStart: t, blockedUntil: 0 };
        counters.set(key, c);
      }
      c.failures += 1;
      if (c.failures >= o.free) c.blockedUntil = t + Math.min(maxDelay, base * 2 ** (c.failures - o.free));
    },
    /** Forgets `key` (after a success). @param {string} key */
    reset(key) {
      counters.delete(key);
    },
    get size() {
      return counters.size;
    },
  };
}
