// The Worker under test (module syntax). Bundled from the consumer project with the "workerd"
// condition, so `okta-directory` is the entry that imports the .wasm as a WebAssembly.Module.
// Named imports on purpose, as real Workers write them: they let the bundler tree-shake, which is
// where a wrong package.json "sideEffects" drops the entry's wasm initialization (a namespace
// import would keep everything and hide that).
import { InvalidInputError, OktaDirectoryError, TokenError, matchClaims, normalizeUser, verifyIdToken } from "okta-directory";
import { runAsyncChecks, runChecks } from "./cases.mjs";

export default {
  async fetch() {
    const api = { normalizeUser, matchClaims, OktaDirectoryError, InvalidInputError, TokenError, verifyIdToken };
    return Response.json([...runChecks(api), ...(await runAsyncChecks(api))]);
  },
};
