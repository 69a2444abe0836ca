/** The published CLI (`bin/okta-directory.mjs`) run as a child process, for the tests that drive it end to end. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** The CLI's entry, as the package's `bin` names it. */
export const CLI = new URL("../../bin/okta-directory.mjs", import.meta.url).pathname;

const run = promisify(execFile);

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args` (in `env`, the parent's by default); a failing run is an answer, not a throw. */
export async function runCli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], env === undefined ? {} : { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as CliRun;
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}
