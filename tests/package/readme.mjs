// Runs the code blocks of the package README (js/README.md) as a user would, in a project where the
// packed tarball is installed. Usage: node readme.mjs <README.md> <project dir>
//
//   - ```js blocks: each is written verbatim to <project>/readme-<n>.mjs and run with `node`, in
//     order; a non-zero exit fails the run (its output is shown).
//   - the ```sh line that starts the emulator (`npx okta-directory emulator …`) runs verbatim in the
//     project first; the `url` and `apiToken` it prints become OKTA_ORG_URL and OKTA_API_TOKEN, as
//     the README's `export` line tells the reader to do.
//   - the other ```sh blocks (build, pack, install, export) are what this script's caller did.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const [readmePath, project] = process.argv.slice(2);
if (!readmePath || !project) throw new Error("usage: node readme.mjs <README.md> <project dir>");

/** The fenced code blocks of a Markdown text, with their info string. */
function codeBlocks(markdown) {
  const blocks = [];
  for (const m of markdown.matchAll(/^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm)) blocks.push({ lang: m[1].trim(), code: m[2] });
  return blocks;
}

const blocks = codeBlocks(readFileSync(readmePath, "utf8"));
const js = blocks.filter((b) => b.lang === "js");
const emulatorLine = blocks
  .filter((b) => b.lang === "sh")
  .flatMap((b) => b.code.split("\n"))
  .find((line) => line.startsWith("npx okta-directory emulator"));
if (js.length === 0) throw new Error("the README has no js code block");
if (!emulatorLine) throw new Error("the README has no `npx okta-directory emulator` line");

// Start the emulator exactly as written and wait for its ready line.
// Its own process group: npx runs the CLI as a child, and the whole group must stop at the end.
const emulator = spawn("bash", ["-c", emulatorLine], { cwd: project, stdio: ["ignore", "pipe", "inherit"], detached: true });
const stop = () => {
  try {
    process.kill(-emulator.pid, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stop);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
const ready = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("the emulator printed nothing within 60 s")), 60_000);
  emulator.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before it was ready`)));
  createInterface({ input: emulator.stdout }).once("line", (line) => {
    clearTimeout(timer);
    resolve(JSON.parse(line));
  });
});
console.log(`  emulator: ${emulatorLine} → ${ready.url}`);
const env = { ...process.env, OKTA_ORG_URL: ready.url, OKTA_API_TOKEN: ready.apiToken };

let failed = 0;
js.forEach((block, i) => {
  const file = `readme-${i + 1}.mjs`;
  writeFileSync(join(project, file), block.code);
  const run = spawnSync(process.execPath, [file], { cwd: project, env, encoding: "utf8", timeout: 120_000 });
  const ok = run.status === 0;
  if (!ok) failed++;
  console.log(`  ${ok ? "ok  " : "FAIL"} js block ${i + 1} (${block.code.split("\n")[0]})`);
  const out = `${run.stdout ?? ""}${run.stderr ?? ""}`.trimEnd();
  if (out) console.log(out.replace(/^/gm, "       "));
  if (run.error) console.log(`       ${run.error.message}`);
});
console.log(`  README: ${js.length - failed} of ${js.length} js blocks ran`);
stop();
process.exit(failed === 0 ? 0 : 1);
