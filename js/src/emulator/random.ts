/**
 * Seeded pseudo-random numbers. The generator must give the same directory for the same seed on
 * every machine and Node version, so it cannot use Math.random or crypto; mulberry32 is tiny, fast
 * and good enough for test data (not for secrets: those come from node:crypto).
 */
export class Rng {
  #state: number;

  constructor(seed: number) {
    // Mix the seed so that small neighbouring seeds do not start with correlated outputs.
    this.#state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError("pick from an empty list");
    return item;
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    const last = table[table.length - 1];
    if (last === undefined) throw new RangeError("weighted pick from an empty table");
    return last[0];
  }

  digits(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

/** Base62 in ASCII order, so that fixed-width encodings sort like the numbers they encode. */
const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function base62(n: number, width: number): string {
  let s = "";
  let v = Math.floor(n);
  for (let i = 0; i < width; i++) {
    s = B62.charAt(v % 62) + s;
    v = Math.floor(v / 62);
  }
  return s;
}

export function randomBase62(rng: Rng, width: number): string {
  let s = "";
  for (let i = 0; i < width; i++) s += B62.charAt(rng.int(0, 61));
  return s;
}

/**
 * Okta-shaped ids: a 3-character type prefix (`00u` users, `00g` groups, `0oa` apps), then 17
 * characters. The first 7 after the prefix encode a sequence number so that ids sort in creation
 * order: the list endpoints page by id, and new users must land after existing ones as they do in Okta.
 */
export function oktaId(prefix: string, seq: number, rng: Rng): string {
  return `${prefix}${base62(seq, 7)}${randomBase62(rng, 7)}0g4`;
}
