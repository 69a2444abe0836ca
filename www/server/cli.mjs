// The dashboard server's command line: its usage text and the parsed, typed options.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_LIMITS } from "./possession.mjs";

/** How the server is started (named in messages and the usage). */
export const COMMAND = "node www/server/main.mjs";

/** The usage text (`--help`). */
export const USAGE = `usage: ${COMMAND} [options]

The admin dashboard and self-serve portal (prints {"url", "bootstrapUrl"} on stdout when listening).

options:
  --port N                    port to listen on (default 8787; 0: a free port)
  --host ADDR                 address to listen on (default 127.0.0.1)
  --data DIR                  where integrations, keys and directories are stored (default .cache/dashboard)
  --demo                      start the bundled Okta emulator and pre-fill an integration on it
  --demo-users N              users in the demo's emulator (default 10000)
  --okta-org URL              pre-fill an integration for this org, with:
    --client-id ID --private-key FILE [--key-id KID] [--workforce-group ID]
  --admin-oidc-issuer URL     "Sign in with Okta" for admins (with --admin-oidc-client-id ID)
  --smtp-url URL              how the portal's codes are sent (with --mail-from ADDR; else the dev mailbox)
  --portal-limits K=V,...     the portal's possession-step limits
  -h, --help                  this help

examples:
  ${COMMAND} --demo
  ${COMMAND} --okta-org https://acme.okta.com --client-id 0oa1 --private-key key.pem`;

/**
 * @typedef {{ port: number, host: string, dataDir: string, demo: boolean, demoUsers: number,
 *   oktaOrg?: string, clientId?: string, privateKey?: string, keyId?: string, workforceGroup?: string,
 *   adminOidcIssuer?: string, adminOidcClientId?: string, smtpUrl?: string, mailFrom: string,
 *   portalLimits: Record<string, number> }} Options
 */

/** A command-line mistake: its message is one line for stderr (exit 2). */
export class UsageError extends Error {
  name = "UsageError";
}

/**
 * `--portal-limits startsPerClient=100,employeeFree=5`: the possession step's limits (see possession.mjs).
 * @param {string} text @returns {Record<string, number>}
 */
export function parsePortalLimits(text) {
  return Object.fromEntries(
    text
      .split(",")
      .filter(Boolean)
      .map((pair) => {
        const [k = "", v = ""] = pair.split("=");
        if (!(k in DEFAULT_LIMITS) || !/^\d+$/.test(v)) throw new UsageError(`--portal-limits: unknown or malformed ${pair}`);
        return [k, Number(v)];
      }),
  );
}

/**
 * Parses the command line; null for `--help`. Throws a UsageError for an unknown option, a positional or a
 * malformed value.
 * @param {string[]} args @returns {Options | null}
 */
export function parseOptions(args) {
  /** @type {ReturnType<typeof parse>} */
  let values;
  try {
    values = parse(args);
  } catch (e) {
    throw new UsageError(String(/** @type {Error} */ (e).message).split(/\n|\. To specify/)[0]);
  }
  if (values.help) return null;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: not a port number (${values.port})`);
  const demoUsers = Number(values["demo-users"]);
  if (!Number.isInteger(demoUsers) || demoUsers < 0) throw new UsageError("--demo-users: not a whole number");
  return {
    port,
    host: values.host,
    dataDir: resolve(values.data),
    demo: values.demo,
    demoUsers,
    oktaOrg: values["okta-org"],
    clientId: values["client-id"],
    privateKey: values["private-key"],
    keyId: values["key-id"],
    workforceGroup: values["workforce-group"],
    adminOidcIssuer: values["admin-oidc-issuer"],
    adminOidcClientId: values["admin-oidc-client-id"],
    smtpUrl: values["smtp-url"],
    mailFrom: values["mail-from"],
    portalLimits: parsePortalLimits(values["portal-limits"]),
  };
}

/** node:util's parser with the server's options. @param {string[]} args */
function parse(args) {
  return parseArgs({
    args,
    options: {
      help: { type: "boolean", short: "h", default: false },
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string", default: fileURLToPath(new URL("../../.cache/dashboard/", import.meta.url)) },
      demo: { type: "boolean", default: false },
      "demo-users": { type: "string", default: "10000" },
      "okta-org": { type: "string" },
      "client-id": { type: "string" },
      "private-key": { type: "string" },
      "key-id": { type: "string" },
      "workforce-group": { type: "string" },
      "admin-oidc-issuer": { type: "string" },
      "admin-oidc-client-id": { type: "string" },
      "smtp-url": { type: "string" },
      "mail-from": { type: "string", default: "okta-directory <no-reply@localhost>" },
      "portal-limits": { type: "string", default: "" },
    },
  }).values;
}
