// Normalization throughput through the SDK in Node (JS → wasm → JS per user, object input).
//   node bench/normalize-node.mjs [--quiet]    (--quiet prints only µs per user)
import { normalizeUser } from "../js/dist/node.js";

const FIRST = ["José", "Søren", "Łukasz", "Mary-Jane", "Nguyễn", "Zoë", "Ólafur", "Aisha", "Wei", "Siobhán"];
const LAST = ["García Márquez", "Müller", "O'Neil", "Nowak", "Tanaka", "van der Berg", "Smith", "Núñez"];

/** @param {number} i */
function user(i) {
  return {
    id: `00u${i.toString(36).padStart(17, "0")}`,
    status: i % 13 === 0 ? "DEPROVISIONED" : "ACTIVE",
    created: "2022-04-04T15:56:05.000Z",
    lastUpdated: "2026-11-02T09:15:44.000Z",
    profile: {
      login: `user${i}@example.com`,
      email: `user${i}@example.com`,
      firstName: FIRST[i % FIRST.length],
      LegalFirstName: FIRST[(i * 7) % FIRST.length],
      lastName: LAST[i % LAST.length],
      middleName: i % 3 ? null : "Ann",
      birthdate: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
      streetAddress: `${i} Main Street\nApt ${i % 50}`,
      city: "Springfield",
      state: "IL",
      zipCode: "62701",
      countryCode: "us",
      mobilePhone: "+1 217 555 0100",
      employeeNumber: String(10000 + i),
      department: "Finance",
      costCenter: "CC-1",
      clearance: ["blue"],
    },
    credentials: { provider: { type: "OKTA", name: "OKTA" } },
    _links: { self: { href: `https://acme.okta.com/api/v1/users/${i}` } },
  };
}

const users = Array.from({ length: 2000 }, (_, i) => user(i));
const mapping = { givenName: ["profile.LegalFirstName", "profile.firstName"] };
for (const u of users.slice(0, 500)) normalizeUser(u, mapping); // warm up
const rounds = 5;
const start = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) for (const u of users) normalizeUser(u, mapping);
const us = Number(process.hrtime.bigint() - start) / 1000 / (rounds * users.length);
if (process.argv.includes("--quiet")) console.log(us.toFixed(1));
else console.log(`${us.toFixed(1)} µs/user (${Math.round(1e6 / us).toLocaleString("en")} users/s), ${rounds * users.length} calls`);
