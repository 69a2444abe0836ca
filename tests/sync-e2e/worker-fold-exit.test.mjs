/**
 * `workerFold()` must not keep a Node process alive: its worker thread is unref'd, so a service (or a script)
 * that ends its work exits. It did not: the worker was unref'd before its "message" listener was attached, and
 * attaching one refs the worker's port again — a script using LiveDirectory with `workerFold` that had not
 * folded yet never exited (found by the docs/event-hooks.md snippet run).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const dist = new URL("../../js/dist/node.js", import.meta.url).href;

const SCRIPT = `
const { workerFold } = await import(${JSON.stringify(dist)});
// A LiveDirectory's folder before its first persist: made, not used yet.
workerFold();
console.log("made");
`;

test("a process that used workerFold exits by itself once its work is done", async () => {
  const dir = mkdtempSync(join(tmpdir(), "worker-fold-exit-"));
  const script = join(dir, "script.mjs");
  writeFileSync(script, SCRIPT);
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    err += d;
  });
  const exited = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 30_000);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (!exited) child.kill();
  rmSync(dir, { recursive: true, force: true });
  assert.equal(out.trim(), "made", err);
  assert.ok(exited, "the process was still running 30 s after its work was done");
});
