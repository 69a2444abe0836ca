// @ts-check
// The documented default policy as the policy editor's form shows it (docs/claims.md): shared by the page
// (www/app/policy.js) and the server (www/server/policy.mjs), which compares drafts with it.

/** Per claim, the default settings the form exposes. */
export const DEFAULT_CLAIMS =
  /** @type {Record<string, { mode: string, required: boolean, on_mismatch: string, allow?: string[], threshold?: number }>} */ ({
    given_name: {
      mode: "fuzzy",
      required: true,
      on_mismatch: "fail",
      allow: ["nicknames", "token_subset", "swapped_names", "ocr", "typos"],
    },
    middle_name: { mode: "fuzzy", required: false, on_mismatch: "fail", allow: ["initials", "token_subset"] },
    family_name: { mode: "fuzzy", required: true, on_mismatch: "fail", allow: ["token_subset", "swapped_names", "ocr", "typos"] },
    birthdate: { mode: "exact", required: true, on_mismatch: "fail" },
    address: { mode: "fuzzy", required: false, on_mismatch: "flag", threshold: 0.85 },
    phone_number: { mode: "exact", required: false, on_mismatch: "fail" },
    email: { mode: "exact", required: false, on_mismatch: "fail" },
  });

/** The default policy as a full document. */
export const DEFAULT_DOCUMENT = { version: 1, claims: DEFAULT_CLAIMS, decision: { operating_point: "balanced" } };

/**
 * A policy document with every claim's form settings spelled out (null: the default), for comparing drafts.
 * @param {any} doc
 */
export function spelledOut(doc) {
  const d = doc ?? DEFAULT_DOCUMENT;
  /** @type {Record<string, any>} */
  const claims = {};
  for (const [name, c] of Object.entries(d.claims ?? {})) {
    const base = DEFAULT_CLAIMS[name] ?? {};
    const out = { ...base, ...(c ?? {}) };
    if (Array.isArray(out.allow)) out.allow = [...out.allow].sort();
    claims[name] = out;
  }
  return { claims, operating_point: d.decision?.operating_point ?? "balanced" };
}
