/**
 * Fault injection. Each fault applies to the next N eligible Management API responses, then clears.
 * Spec: `name=N[:ARG]` joined by commas, e.g. `429=3,5xx=2,slow=5:2000,reset=1,token-expiry=10`.
 */

export const FAULTS = {
  "429": "HTTP 429 E0000047 with the bucket's rate-limit headers (a 429 storm); ARG: reset in ARG seconds",
  concurrency: "HTTP 429 E0000047 with X-Rate-Limit-Limit 0 / Remaining 0 (concurrency limit)",
  "5xx": "server errors, cycling 500 E0000009, 502 (non-JSON gateway page), 503 E0000010",
  slow: "responses delayed by ARG ms (default 1500)",
  stall: "responses never sent (the socket stays open until the client gives up)",
  reset: "list responses cut mid-body: headers and half the body, then the connection is reset",
  malformed: "list responses with a truncated, invalid JSON body",
  "foreign-next": "list responses whose next link points to another origin",
  duplicate: "list pages that repeat the previous page's last item first",
  "delete-between-pages": "the user a next link points at is hard-deleted right after the page is sent",
  "token-expiry": "the Nth API request from now finds every issued access token expired (401 E0000011)",
  "dpop-nonce": "the next N DPoP token requests are challenged with a freshly rotated nonce",
} as const;
export type FaultName = keyof typeof FAULTS;

export interface FaultState {
  remaining: number;
  arg: number | null;
}

export class Faults {
  readonly active = new Map<FaultName, FaultState>();
  #fiveCycle = 0;

  static parse(spec: string): Map<FaultName, FaultState> {
    const out = new Map<FaultName, FaultState>();
    for (const part of spec.split(",")) {
      if (part.trim() === "") continue;
      const m = /^\s*([\w-]+)\s*=\s*(\d+)(?::(\d+))?\s*$/.exec(part);
      if (m === null) throw new RangeError(`faults: "${part.trim()}" is not NAME=COUNT[:ARG]`);
      const name = m[1] ?? "";
      if (!(name in FAULTS)) throw new RangeError(`faults: unknown fault "${name}" (known: ${Object.keys(FAULTS).join(", ")})`);
      out.set(name as FaultName, { remaining: Number(m[2]), arg: m[3] === undefined ? null : Number(m[3]) });
    }
    return out;
  }

  set(spec: string | Map<FaultName, FaultState>): void {
    const parsed = typeof spec === "string" ? Faults.parse(spec) : spec;
    for (const [k, v] of parsed) {
      if (v.remaining === 0) this.active.delete(k);
      else this.active.set(k, v);
    }
  }

  clear(): void {
    this.active.clear();
  }

  /** Consumes one occurrence of `name`; returns its state (with ARG) when it fired. */
  take(name: FaultName): FaultState | undefined {
    const state = this.active.get(name);
    if (state === undefined || state.remaining <= 0) return undefined;
    state.remaining--;
    if (state.remaining === 0) this.active.delete(name);
    return state;
  }

  /** For `token-expiry`: counts one request down; true when it reaches zero. */
  countdown(name: FaultName): boolean {
    const state = this.active.get(name);
    if (state === undefined) return false;
    state.remaining--;
    if (state.remaining > 0) return false;
    this.active.delete(name);
    return true;
  }

  nextServerError(): 500 | 502 | 503 {
    const cycle = [500, 502, 503] as const;
    return cycle[this.#fiveCycle++ % 3] ?? 500;
  }

  describe(): Record<string, { remaining: number; arg: number | null }> {
    return Object.fromEntries([...this.active].map(([k, v]) => [k, { ...v }]));
  }
}
