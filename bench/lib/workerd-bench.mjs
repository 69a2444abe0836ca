// Shared by the Worker benches (worker-durable-sync.mjs, worker-hooks.mjs): the Okta emulator in a child
// process (so its memory is not counted with workerd's), and the workerd processes' memory from /proc.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Starts the CLI's emulator (limits off) in a child process; resolves with its JSON line (`url`, `apiToken`) and `child`.
 * @param {{ users: number, groups?: number, seed?: number, realism?: string }} options
 * @returns {Promise<{ child: import("node:child_process").ChildProcess, url: string, apiToken: string }>}
 */
export function emulatorProcess({ users, groups = 20, seed = 5, realism = "tidy" }) {
  const child = spawn(
    process.execPath,
    [
      join(root, "js/bin/okta-directory.mjs"),
      "emulator",
      "--users",
      String(users),
      "--groups",
      String(groups),
      "--seed",
      String(seed),
      "--rate-limit",
      "off",
      "--realism",
      realism,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (/** @type {Buffer} */ d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ child, ...JSON.parse(line) });
    });
    child.on("exit", (code) => reject(new Error(`emulator exited ${code}`)));
  });
}

/** workerd processes started by this process, with their VmHWM (peak) / VmRSS in MB. */
export function workerdMemory() {
  /** @type {{ pid: number, hwmMb: number, rssMb: number }[]} */
  const out = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      if (!/^Name:\s+workerd/m.test(status) || ppid !== process.pid) continue;
      const kb = (/** @type {string} */ name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
      out.push({ pid: Number(pid), hwmMb: +(kb("VmHWM") / 1024).toFixed(1), rssMb: +(kb("VmRSS") / 1024).toFixed(1) });
    } catch {
      // gone
    }
  }
  return out;
}

/**
 * The p-th percentile (nearest rank) of `xs`.
 * @param {number[]} xs
 * @param {number} p
 */
export function percentile(xs, p) {
  const sorted = xs.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
