/**
 * `match --text`: one `match` output line (its JSON text) as a few lines a person reads — the decision,
 * what decided it (the total against the operating point's threshold, or the hard guard that decided
 * whatever the total), then per claim its agreement level, its weight and its reason codes. Claims with
 * no evidence (level `missing`, weight 0) are listed on one line. Values are never printed: the input
 * line's `id` names the case.
 */

/** A claim's entry in the report's `explanation`. */
interface Weighed {
  level: string;
  weight: number | null;
}

/** The parts of a `match` output line the text shows. */
interface MatchLine {
  id?: unknown;
  decision?: string;
  claims?: Record<string, { outcome?: string; reasons?: string[] } | undefined>;
  explanation?: {
    claims: Record<string, Weighed | undefined>;
    total: number | null;
    operating_point: string;
    threshold: number | null;
    guard: string | null;
  };
  error?: { code?: string; message?: string };
}

/** A number as the text shows it (one decimal; `?` when not finite). */
const num = (n: number | null | undefined): string => (typeof n === "number" && Number.isFinite(n) ? n.toFixed(1) : "?");

/** A weight with its sign. */
const signed = (n: number | null | undefined): string => (typeof n === "number" && n > 0 ? `+${num(n)}` : num(n));

/** The text of one output line (without a trailing newline). */
export function matchText(jsonLine: string): string {
  const r = JSON.parse(jsonLine) as MatchLine;
  const id = r.id === undefined || r.id === null ? "(no id)" : String(r.id);
  if (r.error) return `${id}: error[${r.error.code ?? "INTERNAL"}] ${r.error.message ?? ""}`.trimEnd();
  const e = r.explanation;
  if (!e) return `${id}: ${r.decision ?? "?"}`;
  const against = `threshold ${num(e.threshold)} of operating point ${e.operating_point}`;
  const why = e.guard
    ? `decided by the guard ${e.guard}, whatever the total (total ${num(e.total)}; ${against})`
    : `total ${num(e.total)} ${(e.total ?? Number.NaN) >= (e.threshold ?? Number.NaN) ? "≥" : "<"} ${against}`;
  const out = [`${id}: ${r.decision ?? "?"} — ${why}`];
  const silent: string[] = [];
  const rows: string[][] = [];
  for (const [claim, w] of Object.entries(e.claims)) {
    if (!w) continue;
    const reasons = r.claims?.[claim]?.reasons ?? [];
    if (w.level === "missing" && (w.weight ?? 0) === 0 && reasons.length === 0) {
      silent.push(claim);
      continue;
    }
    rows.push([claim, w.level, signed(w.weight), reasons.join(", ")]);
  }
  const width = (i: number) => Math.max(0, ...rows.map((row) => (row[i] ?? "").length));
  const [c, l, s] = [width(0), width(1), width(2)];
  for (const [claim = "", level = "", weight = "", reasons = ""] of rows) {
    out.push(`  ${claim.padEnd(c)}  ${level.padEnd(l)}  ${weight.padStart(s)}${reasons ? `  ${reasons}` : ""}`);
  }
  if (silent.length) out.push(`  missing on a side (no evidence, 0): ${silent.join(", ")}`);
  return out.join("\n");
}
