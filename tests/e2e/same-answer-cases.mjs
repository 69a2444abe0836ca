// Runs the cross-runtime cases with whatever SDK entry it is given (Node, the browser entry in Chromium,
// the workerd entry in Miniflare). No imports on purpose: it is loaded as-is by Node and the page and
// bundled into the worker. Each case: verify the signed verification result, then decide against the
// directory record; the answer is the decision and per-claim outcomes and reasons, or the refusal code.
/**
 * @typedef {{ name: string, idToken: string, issuer: string, audience: string, jwks: unknown, nonce: string, nowMs: number,
 *   record: import("../../js/dist/node.js").DirectoryRecord, policy?: import("../../js/dist/node.js").PolicyDocument }} Case
 *   One case: a signed verification result, its checks, a directory record and an optional policy.
 */

/**
 * The answer of each case, in order.
 * @param {Pick<typeof import("../../js/dist/node.js"), "verifyIdToken" | "normalizeUser" | "ClaimsMatcher" | "decideVerification">} api
 * @param {Case[]} cases
 * @returns {Promise<Record<string, unknown>[]>}
 */
export async function runCases(api, cases) {
  const out = [];
  for (const c of cases) {
    try {
      const token = await api.verifyIdToken(c.idToken, {
        issuer: c.issuer,
        audience: c.audience,
        jwks: c.jwks,
        nonce: c.nonce,
        now: c.nowMs,
      });
      const user = api.normalizeUser(c.record).user;
      const matcher = new api.ClaimsMatcher(c.policy ? { policy: c.policy } : {});
      try {
        out.push({ name: c.name, ...api.decideVerification(token.verified, user, matcher).result });
      } finally {
        matcher.free();
      }
    } catch (error) {
      const e = /** @type {{ code?: string, name?: string } | null | undefined} */ (error);
      out.push({ name: c.name, refused: e?.code ?? `UNTYPED ${e?.name}` });
    }
  }
  return out;
}
