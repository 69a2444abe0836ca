/**
 * Okta's `filter` and `search` expressions (a SCIM-like subset): `attr op "value"`, `attr pr`,
 * `and`, `or`, parentheses. `filter` allows few attributes and operators; `search` allows any
 * attribute. Anything outside a mode's subset is an invalid expression (E0000031), as in Okta.
 */

export type Op = "eq" | "sw" | "co" | "gt" | "ge" | "lt" | "le" | "pr";
type Value = string | number | boolean | null;
type Node = { kind: "cmp"; attr: string; op: Op; value: Value } | { kind: "and" | "or"; left: Node; right: Node };

export interface ExpressionRules {
  /** Allowed attribute → allowed operators; `null` = any attribute with `defaultOps`. */
  attributes: Readonly<Record<string, readonly Op[]>> | null;
  defaultOps: readonly Op[];
  /** Attributes that compare as timestamps. */
  dates: ReadonlySet<string>;
  /** String values compare case-sensitively (Okta's `filter`, with the `caseSensitiveFilter` realism switch). */
  caseSensitive?: boolean;
}

export class ExpressionError extends Error {}

const DATE_ATTRS = new Set([
  "created",
  "activated",
  "statusChanged",
  "lastUpdated",
  "lastLogin",
  "passwordChanged",
  "lastMembershipUpdated",
]);
const ALL_OPS: readonly Op[] = ["eq", "sw", "co", "gt", "ge", "lt", "le", "pr"];

export const USER_FILTER: ExpressionRules = {
  attributes: {
    status: ["eq"],
    id: ["eq"],
    lastUpdated: ["eq", "gt", "ge", "lt", "le"],
    "profile.login": ["eq"],
    "profile.email": ["eq"],
    "profile.firstName": ["eq"],
    "profile.lastName": ["eq"],
  },
  defaultOps: [],
  dates: DATE_ATTRS,
};

export const USER_SEARCH: ExpressionRules = { attributes: null, defaultOps: ALL_OPS, dates: DATE_ATTRS };

export const GROUP_FILTER: ExpressionRules = {
  attributes: {
    id: ["eq"],
    type: ["eq"],
    lastUpdated: ["eq", "gt", "ge", "lt", "le"],
    lastMembershipUpdated: ["eq", "gt", "ge", "lt", "le"],
  },
  defaultOps: [],
  dates: DATE_ATTRS,
};

/** `co` is only allowed on these in Okta's user search. */
const CO_ATTRS = new Set([
  "profile.firstName",
  "profile.lastName",
  "profile.email",
  "profile.login",
  "profile.name",
  "profile.description",
]);

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === " " || c === "\t") i++;
    else if (c === "(" || c === ")") {
      tokens.push(c);
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let s = '"';
      while (j < text.length && text.charAt(j) !== '"') {
        if (text.charAt(j) === "\\" && j + 1 < text.length) j++;
        s += text.charAt(j);
        j++;
      }
      if (j >= text.length) throw new ExpressionError("unterminated string");
      tokens.push(s);
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !' \t()"'.includes(text.charAt(j))) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

function literal(token: string): Value {
  if (token.startsWith('"')) return token.slice(1);
  if (token === "true") return true;
  if (token === "false") return false;
  if (token === "null") return null;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  throw new ExpressionError("bad value");
}

export function parseExpression(text: string, rules: ExpressionRules): Node {
  if (text.trim() === "" || text.length > 4096) throw new ExpressionError("empty or too long");
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const take = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new ExpressionError("unexpected end");
    return t;
  };
  const primary = (): Node => {
    if (peek() === "(") {
      take();
      const inner = or();
      if (take() !== ")") throw new ExpressionError("missing )");
      return inner;
    }
    const attr = take();
    if (!/^[A-Za-z_][\w.]*$/.test(attr)) throw new ExpressionError("bad attribute");
    const op = take().toLowerCase() as Op;
    const allowed = rules.attributes === null ? rules.defaultOps : rules.attributes[attr];
    if (allowed === undefined || !allowed.includes(op)) throw new ExpressionError("attribute or operator not allowed");
    if (op === "co" && !CO_ATTRS.has(attr)) throw new ExpressionError("co not allowed here");
    if (op === "pr") return { kind: "cmp", attr, op, value: null };
    const value = literal(take());
    if (rules.dates.has(attr) && (typeof value !== "string" || Number.isNaN(Date.parse(value)))) throw new ExpressionError("bad date");
    return { kind: "cmp", attr, op, value };
  };
  const and = (): Node => {
    let left = primary();
    while (peek()?.toLowerCase() === "and") {
      take();
      left = { kind: "and", left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek()?.toLowerCase() === "or") {
      take();
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (pos !== tokens.length) throw new ExpressionError("trailing input");
  return tree;
}

export function resolvePath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function compare(attr: string, actual: unknown, op: Op, expected: Value, rules: ExpressionRules): boolean {
  if (op === "pr") return actual !== undefined && actual !== null && actual !== "";
  if (actual === undefined || actual === null) return expected === null && op === "eq";
  if (Array.isArray(actual)) return actual.some((a) => compare(attr, a, op, expected, rules));
  if (rules.dates.has(attr) && typeof expected === "string") {
    const a = Date.parse(String(actual));
    const e = Date.parse(expected);
    return op === "eq" ? a === e : op === "gt" ? a > e : op === "ge" ? a >= e : op === "lt" ? a < e : op === "le" ? a <= e : false;
  }
  if (typeof actual === "string" && typeof expected === "string") {
    // String values compare case-insensitively (Okta's `filter`: case-sensitively); diacritics still matter.
    const a = rules.caseSensitive === true ? actual : actual.toLowerCase();
    const e = rules.caseSensitive === true ? expected : expected.toLowerCase();
    switch (op) {
      case "eq":
        return a === e;
      case "sw":
        return a.startsWith(e);
      case "co":
        return a.includes(e);
      case "gt":
        return a > e;
      case "ge":
        return a >= e;
      case "lt":
        return a < e;
      case "le":
        return a <= e;
    }
  }
  if (typeof actual === "number" && typeof expected === "number") {
    return op === "eq"
      ? actual === expected
      : op === "gt"
        ? actual > expected
        : op === "ge"
          ? actual >= expected
          : op === "lt"
            ? actual < expected
            : op === "le"
              ? actual <= expected
              : false;
  }
  return op === "eq" && actual === expected;
}

export function evaluate(node: Node, obj: unknown, rules: ExpressionRules): boolean {
  if (node.kind !== "cmp") {
    return node.kind === "and"
      ? evaluate(node.left, obj, rules) && evaluate(node.right, obj, rules)
      : evaluate(node.left, obj, rules) || evaluate(node.right, obj, rules);
  }
  return compare(node.attr, resolvePath(obj, node.attr), node.op, node.value, rules);
}

/** Parses once; returns a predicate. Throws ExpressionError for an invalid expression. */
export function compileExpression(text: string, rules: ExpressionRules): (obj: unknown) => boolean {
  const tree = parseExpression(text, rules);
  return (obj) => evaluate(tree, obj, rules);
}
