import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as api from "../src/node.js";

/** Every `.ts` file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Each `@throws` tag's text (up to the next tag or the end of the comment), with its file. */
function throwsTags(): Array<{ file: string; text: string }> {
  const root = new URL("../src/", import.meta.url).pathname;
  const tags: Array<{ file: string; text: string }> = [];
  for (const file of sources(root)) {
    for (const m of readFileSync(file, "utf8").matchAll(/@throws\s+([\s\S]*?)(?=\s@\w|\*\/)/g)) {
      tags.push({ file: file.slice(root.length), text: (m[1] ?? "").replace(/\n\s*\*/g, " ") });
    }
  }
  return tags;
}

describe("JSDoc @throws", () => {
  const tags = throwsTags();

  it("finds the tags", () => {
    expect(tags.length).toBeGreaterThan(20);
  });

  it("names only error classes the package exports (each tag starts with one)", () => {
    const exported = api as unknown as Record<string, unknown>;
    const isErrorClass = (name: string): boolean => {
      const value = exported[name];
      return typeof value === "function" && value.prototype instanceof api.OktaDirectoryError;
    };
    const bad: string[] = [];
    for (const { file, text } of tags) {
      const first = /^\{?([A-Za-z]\w*)\}?/.exec(text)?.[1];
      if (first === undefined || !isErrorClass(first)) bad.push(`${file}: @throws ${text.slice(0, 60)}`);
      for (const [name] of text.matchAll(/\b[A-Z]\w*Error\b/g)) {
        if (!isErrorClass(name)) bad.push(`${file}: ${name} (in "@throws ${text.slice(0, 60)}")`);
      }
    }
    expect(bad).toEqual([]);
  });
});
