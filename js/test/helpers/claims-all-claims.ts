/** Shared by the attack pins that run every path of both wasm modules over all seven claims. */
import type * as light from "../../dist/claims-node.js";
import type { ClaimsMatcher, PolicyDocument } from "../../src/node.js";

/** The default policy's claims, every one of them, at the given operating point. */
export function allClaimsPolicy(op: "balanced" | "strict"): PolicyDocument {
  return {
    claims: { given_name: {}, middle_name: {}, family_name: {}, birthdate: {}, address: {}, phone_number: {}, email: {} },
    decision: { operating_point: op },
  } as PolicyDocument;
}

/** The full module's matcher class or the claims-only module's. */
export type Api = typeof ClaimsMatcher | typeof light.ClaimsMatcher;
