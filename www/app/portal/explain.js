// @ts-check
// The combined decision in plain words for the person being verified: per detail, how their ID and their HR
// record agreed ("your last name matched with a small spelling difference"), from the engine's agreement
// levels and outcomes, and a few reason codes that choose the words for a difference that is not a plain
// one (two different names spelled alike, a short form of several names…) — never a value, never a reason
// code, a weight or a threshold on the page. Details the policy does not require are never presented as
// problems: a difference or a gap there is said neutrally, or not at all.

/** Plain names of the details. */
export const DETAIL_NAMES = /** @type {Record<string, string>} */ ({
  given_name: "first name",
  family_name: "last name",
  middle_name: "middle name",
  birthdate: "date of birth",
  address: "address",
  phone_number: "phone number",
  email: "email address",
});

/** How each agreement level reads for a detail that matched. */
const MATCHED = /** @type {Record<string, string>} */ ({
  exact: "matches your HR record",
  folded: "matches your HR record (once accents, spacing or capital letters were set aside)",
  nickname: "matched as a common short form of the name in your HR record",
  subset: "matched: one of them includes an extra part of your name",
  initial: "matched as an initial",
  ocr: "matched once letters that scanners often confuse were allowed for",
  one_edit: "matched with a small spelling difference",
  two_edits: "matched with a small spelling difference, supported by your other details",
  swapped: "matched, with your first and last names written in the opposite order",
  placeholder: "matches your HR record",
});

/**
 * Why a detail that differs did not count, for the differences that are not plain ones, chosen by the
 * engine's reason (never shown): in this order, the first reason the detail carries decides. Each reads
 * after "Your <detail>"; a case sent to a person ends with who checks it, any other with why it does not
 * count.
 */
const NOT_COUNTED = /** @type {ReadonlyArray<[string, string]>} */ ([
  ["GOES_BY_MIDDLE_NAME", "in your HR record is another of the first names on your ID, as when someone goes by a middle name"],
  ["NICKNAME_AMBIGUOUS", "is a short form that can stand for more than one name"],
  ["TRANSLITERATED_SCRIPT", "is written in another alphabet in your HR record"],
  ["SHORT_NAME_ONE_LETTER_APART", "is one letter away from the one in your HR record, as two different short names can be"],
  ["DISTINCT_GIVEN_NAMES", "is spelled almost like the one in your HR record, but they are two different names"],
]);

/** The documented default policy's required details (used when the page has no policy document). */
const DEFAULT_REQUIRED = ["given_name", "family_name", "birthdate"];

/** The details a policy document requires (null: the documented default). @param {any} policy */
export function requiredDetails(policy) {
  if (policy == null) return new Set(DEFAULT_REQUIRED);
  const claims = policy.claims ?? {};
  const out = new Set(
    Object.entries(claims)
      .filter(([name, c]) => (c && typeof c === "object" && "required" in c ? Boolean(c.required) : DEFAULT_REQUIRED.includes(name)))
      .map(([n]) => n),
  );
  for (const n of policy.decision?.require_all ?? []) out.add(n);
  return out;
}

const name = (/** @type {string} */ claim) => DETAIL_NAMES[claim] ?? claim.replace(/_/g, " ");

/**
 * @typedef {{ claim: string, tone: "ok" | "problem" | "neutral", text: string }} DetailLine
 */

/**
 * Per-detail sentences for a decision, in the engine's report order.
 * @param {{ decision: string, claims: Record<string, any>, explanation: { claims: Record<string, { level: string }>, guard?: string | null } }} report
 * @param {{ required: Set<string>, onId: string[] }} o - the policy's required details; the details the ID carries
 * @returns {DetailLine[]}
 */
export function explainDetails(report, o) {
  /** @type {DetailLine[]} */
  const lines = [];
  for (const [claim, evidence] of Object.entries(report.claims)) {
    if (!evidence) continue;
    const required = o.required.has(claim);
    const level = report.explanation.claims[claim]?.level ?? "";
    const outcome = evidence.outcome;
    // A detail the ID does not show says nothing about the person.
    if (!o.onId.includes(claim) && outcome !== "match") continue;
    const your = `Your ${name(claim)}`;
    if (outcome === "match") {
      lines.push({ claim, tone: "ok", text: `${your} ${MATCHED[level] ?? MATCHED.exact}.` });
    } else if (outcome === "missing_directory") {
      if (required)
        lines.push({ claim, tone: "problem", text: `${your} is missing from your HR record, and it is needed to confirm it's you.` });
      // Optional and absent from the record: nothing to say (never a problem).
    } else if (outcome === "missing_verified") {
      if (required) lines.push({ claim, tone: "problem", text: `${your} could not be read from your ID.` });
    } else if (outcome === "invalid") {
      lines.push({
        claim,
        tone: required ? "problem" : "neutral",
        text: required ? `${your} could not be read in a usable form.` : `${your} could not be read, so it was not used.`,
      });
    } else if (level === "changed") {
      // A changed family name (marriage…) that the other details support: never matched automatically,
      // a person checks the document (the engine sends it to review at every operating point).
      lines.push({
        claim,
        tone: "neutral",
        text: `${your} is different from the one in your HR record, as after a change of name: a person checks the document.`,
      });
    } else if (NOT_COUNTED.some(([reason]) => evidence.reasons?.includes(reason))) {
      const [, why] = NOT_COUNTED.find(([reason]) => evidence.reasons?.includes(reason)) ?? ["", ""];
      // Sent to a person only when the decision is `review`; otherwise another detail already decided.
      const toPerson = report.decision === "review";
      lines.push({
        claim,
        tone: toPerson || !required ? "neutral" : "problem",
        text: `${your} ${why}${toPerson ? ": a person at the help desk checks it." : ", so it does not count as a match."}`,
      });
    } else if (required) {
      lines.push({ claim, tone: "problem", text: `${your} does not match your HR record.` });
    } else {
      lines.push({
        claim,
        tone: "neutral",
        text: `${your} is different from the one in your HR record; it is not needed, so it was only weighed with your other details.`,
      });
    }
  }
  return lines;
}

/**
 * One sentence on how the details came together (no numbers, no engine words).
 * @param {{ decision: string, explanation: { guard?: string | null } }} report
 */
export function explainTogether(report) {
  const guard = report.explanation.guard ?? null;
  if (report.decision === "match") return "Taken together, your details agree closely enough to confirm it's you.";
  if (report.decision === "review")
    return "Some details need a person at the help desk to look at them before your account can be recovered.";
  if (guard === "spoofing") return "Some characters on your ID could not be trusted, so it cannot be confirmed here.";
  if (guard === "required_missing") return "A detail needed to confirm it's you is missing, so it cannot be confirmed yet.";
  if (guard === "claim_differs") return "A detail that must match does not, so it cannot be confirmed.";
  if (guard === "nothing_agrees") return "None of your details agree with your HR record.";
  return "Your details agree only in part: not closely enough, together, to confirm it's you.";
}
