/**
 * Wasm memory across repeated loads, in one module (this file runs in its own module instance): a load
 * reserves heap up front only into a memory smaller than the reservation. Reserving again into a grown
 * memory made every load grow it by a whole reservation (loadPairs: 5 loads of 20,000 pairs kept, 520 MB
 * instead of 350 MB; Directory.fromSnapshot: 566 MB instead of 340 MB over three loads). Bytes, not time:
 * the allocator is deterministic for the same module and the same inputs.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { Directory } from "../src/node.js";
import { wasmMemory as memory } from "./wasm-memory.js";

/** Writes the snapshot of 8,000 users (deterministic) to stdout. */
const BUILD = `
import { Directory, normalizeUser } from ${JSON.stringify(new URL("../dist/node.js", import.meta.url).href)};
const given = ["Ana", "José", "Émilie", "Oksana", "Wei", "Siobhán", "Jürgen", "Fatima", "Kwame", "Lars"];
const family = ["Núñez", "García Márquez", "O'Brien", "Müller", "Nakamura", "Kowalczyk", "Okafor", "Haddad"];
const users = Array.from({ length: 8000 }, (_, i) => normalizeUser({
  id: "00u" + String(i).padStart(17, "0"), status: "ACTIVE", lastUpdated: "2024-05-05T18:15:44.000Z",
  profile: { login: "user" + i + "@example.com", email: "user" + i + "@example.com", firstName: given[i % 10],
    lastName: family[(i * 7) % 8], birthdate: "19" + (50 + (i % 50)) + "-0" + (1 + (i % 9)) + "-1" + (i % 9),
    streetAddress: (1 + (i % 900)) + " Old Farm Road, Building " + (i % 7), city: "Springfield", state: "IL",
    zipCode: "627" + String(i % 100).padStart(2, "0"), countryCode: "US", mobilePhone: "+1 217 555 " + String(i % 10000).padStart(4, "0"),
    hrSystemId: "HR-" + String(i * 7919).padStart(12, "0"), legalFullName: given[i % 10] + " " + family[(i * 7) % 8] + " of Springfield",
    officeBuilding: "North Campus, Building " + (i % 31) + ", Floor " + (i % 9), badgeNumber: "B" + String(i * 31).padStart(10, "0"),
    pronouns: ["she/her", "he/him", "they/them"][i % 3], homeRegion: "Central United States Region " + (i % 5),
    emergencyContactName: family[(i * 3) % 8] + " " + given[(i * 5) % 10], dateOfHire: "20" + String(i % 24).padStart(2, "0") + "-03-15" },
}));
process.stdout.write(Directory.fromSyncResult({ users, groups: [], memberships: [] }).toSnapshot());
`;

describe("wasm memory across repeated Directory.fromSnapshot", () => {
  it("Directory.fromSnapshot: a later load into a grown memory grows it by about what the directory holds", () => {
    // Built in a child process: building it here would grow this module's memory far beyond the loads.
    const snapshot = new Uint8Array(execFileSync(process.execPath, ["--input-type=module", "-e", BUILD], { maxBuffer: 1 << 28 }));
    expect(snapshot.byteLength).toBeGreaterThan(500_000);
    const kept: Directory[] = [];
    const after: number[] = [];
    for (let i = 0; i < 5; i++) {
      kept.push(Directory.fromSnapshot(snapshot));
      after.push(memory());
    }
    // Loads 3 to 5 each add what one directory holds (about 1.5 B per snapshot byte here); a reservation
    // per load (2 B per snapshot byte, never fitting beside the directories kept) added 2 B each time.
    const perLoad = ((after[4] as number) - (after[1] as number)) / 3;
    expect(
      perLoad / snapshot.byteLength,
      `grew ${after.map((b) => (b / 1e6).toFixed(1)).join(" → ")} MB; snapshot ${snapshot.byteLength} B`,
    ).toBeLessThan(1.8);
    for (const d of kept) d.free();
  });
});
