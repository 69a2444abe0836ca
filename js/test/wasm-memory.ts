/**
 * Helpers of the wasm-memory tests (each test file runs in its own module instance, so each measures a
 * fresh memory): the module's memory size, and deterministic inputs.
 */
import "../src/node.js";
import { initSync } from "../wasm/okta_directory.js";

// The SDK has initialized the module already: this returns its exports (with `memory`).
const wasm = initSync({ module: new Uint8Array(0) });

/** The module's linear memory in bytes (it only grows). */
export function wasmMemory(): number {
  return wasm.memory.buffer.byteLength;
}

/** A small deterministic generator (LCG), so the inputs and the memory they take are the same every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}
export const GIVEN = ["Ana", "José", "Émilie", "Oksana", "Wei", "Siobhán", "Jürgen", "Fatima", "Kwame", "Lars", "Ngozi", "Priya"];
export const FAMILY = ["Núñez", "García Márquez", "O'Brien", "Müller", "Nakamura", "Kowalczyk", "Okafor", "Haddad", "Lindqvist"];
export const STREETS = ["Main St", "N Oak Avenue", "Rue de la Paix", "High Street", "Elm Rd Apt 4"];

export function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

/** `n` (verified, directory) pairs as JSON Lines, about 300 B each, with typos on one side now and then. */
export function pairsText(n: number): string {
  const r = rng(17);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const given = pick(r, GIVEN);
    const family = pick(r, FAMILY);
    const birthdate = `19${50 + Math.floor(r() * 50)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`;
    const street = `${1 + Math.floor(r() * 900)} ${pick(r, STREETS)}`;
    const typo = r() < 0.2 ? `${given.slice(0, -1)}e` : given;
    lines.push(
      JSON.stringify({
        verified: { given_name: typo.toUpperCase(), family_name: family, birthdate, address: { street_address: street, country: "US" } },
        directory: { firstName: given, lastName: family, birthdate, streetAddress: street, countryCode: "us", login: `u${i}@example.com` },
      }),
    );
  }
  return lines.join("\n");
}
