/** Shared helpers for the sync end-to-end tests: a messy emulator, ground truth from it and a recording fetch. */
import { expect } from "vitest";
import { groundTruth, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { normalizeUser, type SyncResult } from "../../src/node.js";

/**
 * Starts an emulator as messy as Okta (every realism switch on: replication lag, ties in `lastUpdated`, late
 * System Log events, case-sensitive filter, mixed-case and non-ASCII logins, typed attributes, nulls, other
 * providers, empty pages with `next`, strict parameters, sparse errors, DPoP required, schema endpoints) unless
 * the test names its own `realism` (e.g. `"tidy"` to opt out).
 */
export function startTestEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  return startEmulator({ realism: "messy", ...options });
}

export interface Recorded {
  url: string;
  method: string;
  authorization: string | null;
  dpop: string | null;
  status: number;
}

/** A `fetch` that records every request (credentials only as their scheme). */
export function recordingFetch(log: Recorded[]): (input: string, init: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const headers = new Headers(init.headers);
    const entry: Recorded = {
      url: input,
      method: init.method ?? "GET",
      authorization: headers.get("authorization")?.split(" ")[0] ?? null,
      dpop: headers.get("dpop"),
      status: 0,
    };
    log.push(entry);
    const res = await fetch(input, init);
    entry.status = res.status;
    return res;
  };
}

/**
 * Every user of the emulator's ground truth normalized as the sync normalizes a listed user (same mapping), by
 * id: what a synced directory must hold, attribute for attribute.
 */
export function normalizedTruth(emu: RunningEmulator): Map<string, unknown> {
  const truth = groundTruth(emu.env) as { users: { id: string }[] };
  return new Map(truth.users.map((u) => [u.id, normalizeUser(u).user]));
}

/** Asserts that a sync result equals the emulator's live directory: every user's every normalized attribute too. */
export function expectMatchesTruth(result: SyncResult, emu: RunningEmulator): void {
  const truth = groundTruth(emu.env) as {
    users: { id: string; status: string }[];
    groups: { id: string; type: string; profile: { name: string } }[];
    memberships: Record<string, string[]>;
  };
  const byId = (a: { id?: string | undefined }, b: { id?: string | undefined }) => ((a.id ?? "") < (b.id ?? "") ? -1 : 1);
  expect(result.users.map((u) => ({ id: u.user.id, status: u.user.status })).sort(byId)).toEqual(
    truth.users.map((u) => ({ id: u.id, status: u.status })).sort(byId),
  );
  expect(result.groups.map((g) => ({ id: g.id, name: g.name, type: g.type })).sort(byId)).toEqual(
    truth.groups.map((g) => ({ id: g.id, name: g.profile.name, type: g.type })).sort(byId),
  );
  const pairs = (m: { groupId: string; userId: string }[]) => m.map((p) => `${p.groupId}/${p.userId}`).sort();
  const truthPairs = Object.entries(truth.memberships).flatMap(([g, ids]) => ids.map((u) => ({ groupId: g, userId: u })));
  expect(pairs(result.memberships)).toEqual(pairs(truthPairs));
  expect(result.summary.users).toBe(truth.users.length);
  const expected = normalizedTruth(emu);
  for (const u of result.users) expect(u.user, `user ${u.user.id ?? "?"}`).toEqual(expected.get(u.user.id ?? ""));
  expect(result.summary.memberships).toBe(truthPairs.length);
}
