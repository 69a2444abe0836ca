/**
 * Builds a `LookupResult` from `DirectoryCore.lookupFields`' field list: one string whose head gives
 * each item's id and length, then the items' texts (layout in the core's `fields_text` module). The
 * values are sliced out of that one string and placed by a plan made once from the module's
 * `recordFieldTable()`, so a lookup costs one boundary crossing and no JSON parsing (except for custom
 * attributes, sent as a JSON object when a user has some).
 */
import { recordFieldTable } from "../wasm/okta_directory.js";
import type { DirectoryUser, LookupResult } from "../wasm/okta_directory.js";

/** The module's description of its field lists. */
interface FieldTable {
  fields: [name: string, object: string | null][];
  always: string[];
  status: number;
  lastUpdated: number;
  custom: number;
  key: number;
}

/** One step of building a user: a top-level value, or a nested object and its members. */
type Step =
  | { name: string; id: number; members?: undefined; always?: undefined }
  | { name: string; id?: undefined; members: { name: string; id: number }[]; always: boolean };

/** How to turn item values into a user, in `DirectoryUser`'s property order. */
interface Plan {
  steps: Step[];
  table: FieldTable;
  /** Item values of the field list being read, by id (reset after each use). */
  values: (string | undefined)[];
}

let plan: Plan | undefined;

/** The plan, made on first use (the module is initialized by then). */
function getPlan(): Plan {
  if (plan !== undefined) return plan;
  const table = JSON.parse(recordFieldTable()) as FieldTable;
  const steps: Step[] = [];
  table.fields.forEach(([name, object], id) => {
    if (object === null) {
      steps.push({ name, id });
      if (name === "id") steps.push({ name: "status", id: table.status });
      return;
    }
    const last = steps[steps.length - 1];
    if (last?.members !== undefined && last.name === object) last.members.push({ name, id });
    else steps.push({ name: object, members: [{ name, id }], always: table.always.includes(object) });
  });
  plan = { steps, table, values: new Array<string | undefined>(table.key + 1).fill(undefined) };
  return plan;
}

/** The lookup result a field list describes. */
export function readFields(list: string): LookupResult {
  const { steps, table, values } = getPlan();
  const count = list.charCodeAt(1);
  let at = 2 + 3 * count;
  for (let i = 0, h = 2; i < count; i++, h += 3) {
    const end = at + list.charCodeAt(h + 1) * 4096 + list.charCodeAt(h + 2);
    values[list.charCodeAt(h)] = list.slice(at, end);
    at = end;
  }
  const user: Record<string, unknown> = {};
  for (const step of steps) {
    if (step.members === undefined) {
      const v = values[step.id];
      if (v !== undefined) user[step.name] = v;
      continue;
    }
    let object: Record<string, string> | undefined;
    for (const m of step.members) {
      const v = values[m.id];
      if (v !== undefined) (object ??= {})[m.name] = v;
    }
    if (object !== undefined || step.always) user[step.name] = object ?? {};
  }
  const custom = values[table.custom];
  user.custom = custom === undefined ? {} : JSON.parse(custom);
  const stamp = values[table.lastUpdated];
  if (stamp !== undefined) user.lastUpdated = stamp;
  const key = values[table.key] ?? "";
  // Reset only the items this list set (`fill` over every id was a C++ builtin call per lookup).
  for (let i = 0, h = 2; i < count; i++, h += 3) values[list.charCodeAt(h)] = undefined;
  return { user: user as unknown as DirectoryUser, key, workforce: (list.charCodeAt(0) & 1) === 1 };
}
