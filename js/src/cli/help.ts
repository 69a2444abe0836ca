// The CLI's help texts: one short global help that lists the commands, and one help per command (usage,
// options with one line each, examples), printed by `okta-directory <command> --help`.

/** A command's texts. */
interface CommandHelp {
  /** One line, for the global help. */
  readonly summary: string;
  /** Its own help: usage, options, examples. */
  readonly help: string;
}

/** Per command: a one-line summary (for the global help) and its own help text. */
export const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  sync: {
    summary: "sync an Okta org's users, groups and memberships to a snapshot file",
    help: `usage: okta-directory sync --org URL (--client-id ID --private-key FILE | --api-token-file FILE) --out FILE [options]

Full sync of users (DEPROVISIONED included), groups and memberships. Progress on stderr; the last stdout
line is {"users", "groups", "memberships", "requests", "retries", "elapsedMs", "mode"}. --out gets a
snapshot (for lookup/audit), written atomically, with FILE.state.json next to it; a FILE ending in .json
gets the sync result as JSON instead. While running, FILE.checkpoint.json (and FILE.journal) keep the
progress: an interrupted (Ctrl-C: exit 130) or failed sync continues with --resume. FILE.lock keeps a
second sync off FILE (error OUTPUT_LOCKED); a lock left by a killed sync on this host is replaced.

options:
  --org URL                  the Okta org, e.g. https://acme.okta.com
  --client-id ID             OAuth service app client id (with --private-key)
  --private-key FILE         PKCS#8 PEM or JWK (RSA or EC P-256) of the service app
  --key-id KID               the key's kid, when the app has several keys
  --api-token-file FILE      an SSWS API token instead of a service app (else OKTA_API_TOKEN is read)
  --api-token TOKEN          the same on the command line, where other users of the machine can see it
  --out FILE                 the snapshot to write (FILE.json: the sync result as JSON)
  --groups ID,...            only these groups and their members
  --workforce-group ID       the group whose members are Workforce users (marked in lookups)
  --incremental              read only what changed since the last sync (okta.logs.read); a full sync
                             runs instead when there is no usable previous state or a reconcile is due
  --reconcile-every N        with --incremental: a full sync every N runs (default 24)
  --reconcile-max-age HOURS  with --incremental: a full sync when the last is older (default 168)
  --overlap SECONDS          with --incremental: re-read this much before the watermark
  --dpop auto|required|off   DPoP-bound tokens (default auto)
  --scopes "A B"             token scopes (default "okta.users.read okta.groups.read")
  --resume                   continue from FILE.checkpoint.json (a checkpoint that cannot be proven to
                             match its journal starts over; stderr says why)
  --insecure-loopback        allow plain http to 127.0.0.1/localhost only (the emulator)
  --page-limit N             users per page, 1..200
  --max-in-flight N          concurrent requests, 1..16
  --request-timeout MS       per-request timeout
  --max-wait SECONDS         longest single pacing or retry wait (default 300; longer: error
                             RATE_LIMIT_WAIT_TOO_LONG naming the bucket and the reset)

examples:
  okta-directory sync --org https://acme.okta.com --client-id 0oa1 --private-key key.pem --out dir.snap
  okta-directory sync --org https://acme.okta.com --api-token-file okta.token --out dir.snap --incremental
  okta-directory sync --org http://127.0.0.1:8080 --api-token T --insecure-loopback --out dir.snap --resume`,
  },
  lookup: {
    summary: "print the directory user a loginHint names",
    help: `usage: okta-directory lookup --snapshot FILE <loginHint>

Prints the directory user the loginHint names, as JSON. Exit 1 with error[USER_NOT_FOUND] when nobody
matches and error[AMBIGUOUS_LOGIN_HINT] when several users do (nobody is picked).

options:
  --snapshot FILE   a snapshot written by \`sync\` or \`snapshot\`

examples:
  okta-directory lookup --snapshot dir.snap alice@example.com`,
  },
  audit: {
    summary: "readiness report: which active users lack the attributes the claims policy needs",
    help: `usage: okta-directory audit --snapshot FILE [--policy FILE] [--group ID] [--csv]

Per attribute the claims policy needs, the active users that lack it, and counts per group, as JSON
({policy_id, users, inactive_skipped, not_ready, attributes: [{attribute, required, missing, user_ids}],
groups: [...], data_quality: [{attribute, finding, users, user_ids}]}).

options:
  --snapshot FILE   a snapshot written by \`sync\` or \`snapshot\`
  --policy FILE     a claims policy (JSON); default: the built-in policy
  --group ID        only the members of this group
  --csv             user_id,missing_required,missing_optional instead (Okta ids and attribute names only)

examples:
  okta-directory audit --snapshot dir.snap
  okta-directory audit --snapshot dir.snap --group 00g1 --csv > not-ready.csv`,
  },
  match: {
    summary: "batch claims matching, JSON Lines in -> JSON Lines out",
    help: `usage: okta-directory match [--policy FILE] [--snapshot FILE] [--text] [INPUT.jsonl | -]

One output line per input line, same order. Input lines: {"id", "verified": {OIDC claims}, "directory":
{Okta user or profile}, "policy"?: {...}, "okta_claims"?: {Okta PAR claims request}}. Output: {"id",
"decision", "claims": {claim: {"outcome", "score", "reasons"}}, "explanation": {"claims": {claim:
{"level", "weight"}}, "total", "operating_point", "threshold", "guard"}} or {"id", "error": {"code",
"message"}}; a bad line never stops the run. The decision: a hard guard decides first, whatever the
total ("guard": spoofing, required_missing, claim_differs, nothing_agrees, review); otherwise "match"
when the claims' weights (bits) add up to the operating point's threshold, else "no_match". Levels,
guards, operating points and reason codes: docs/claims.md.

options:
  --policy FILE     a claims policy (JSON) for lines without their own; default: the built-in policy
                    (operating point "balanced"; set "decision": {"operating_point": "strict"} in it)
  --snapshot FILE   directory-aware weights: the snapshot's name and birthdate frequencies adjust
                    agreement weights (a rare surname weighs more than a common one); each line's
                    "directory" record is still the one compared. Default: built-in priors
  --text            for a person instead of JSON Lines: per case the decision and what decided it
                    (the total against the threshold, or the guard), then each claim's level, weight
                    and reason codes
  INPUT.jsonl | -   the input (default: standard input)

examples:
  okta-directory match cases.jsonl > decisions.jsonl
  okta-directory match --text cases.jsonl
  okta-directory match --policy policy.json - < cases.jsonl
  okta-directory match --snapshot dir.snap cases.jsonl`,
  },
  emulator: {
    summary: "run the Okta Management API emulator with a seeded directory (Node only)",
    help: `usage: okta-directory emulator --users N [options]

When ready, prints one JSON line {"url", "clientId", "privateKeyPath", "apiToken", "keyId", "admin"};
runs until SIGINT/SIGTERM. The private key is written to a fresh temp directory (mode 0600) and removed
on exit. Control API (loopback only): /__control/state, /__control/users, /__control/faults,
/__control/rate-limit, /__control/apps, /__control/expire-tokens, /__control/groups/ID/users/UID.

options:
  --users N                     users to generate (required)
  --port N                      port to listen on (default 0: a free port)
  --host ADDR                   address to listen on (default 127.0.0.1)
  --groups N                    groups to generate
  --seed N                      seed of the generated directory
  --rate-limit SPEC             "off" or e.g. users=600,user=2000,groups=500,group=1000,logs=120,
                                token=2000,share=50,concurrency=75 (default: Okta Workforce limits)
  --faults SPEC                 NAME=COUNT[:ARG],... NAME: 429 (ARG s to reset), concurrency, 5xx,
                                slow (ARG ms), stall, reset, malformed, foreign-next, duplicate,
                                delete-between-pages, token-expiry, dpop-nonce
  --dpop off|optional|required  DPoP on the token endpoint
  --token-ttl SECONDS           access token lifetime
  --missing-share 0..1          share of users lacking optional attributes
  --key-type RSA|EC             the service app's key type
  --realism tidy|messy          how messy the directory and API are (default tidy; docs/emulator.md)

examples:
  okta-directory emulator --users 1000
  okta-directory emulator --users 50000 --port 8080 --rate-limit off
  okta-directory emulator --users 500 --faults 429=3:2,5xx=2`,
  },
  normalize: {
    summary: "Okta users -> normalized users, one per line",
    help: `usage: okta-directory normalize [INPUT | -] [--mapping FILE]

Okta users (a JSON object, a JSON array, or JSON Lines) -> one normalized user per line ({"user",
"sources", "issues"}); a line that fails yields {"error": {"code", "message"}}.

options:
  --mapping FILE    an attribute mapping (JSON) for custom profile attributes
  INPUT | -         the input (default: standard input)

examples:
  okta-directory normalize users.json
  curl -s ... | okta-directory normalize --mapping mapping.json`,
  },
  snapshot: {
    summary: "turn a sync result (JSON) into a snapshot file",
    help: `usage: okta-directory snapshot [INPUT | -] --out FILE [--keys login,email,...] [--workforce-group ID]
                               [--origin URL] [--synced-at MS]

Turns a sync result as JSON ({users, groups, memberships}) into a snapshot file; prints a JSON summary
{users, groups, memberships, bytes}.

options:
  --out FILE             the snapshot to write
  --keys K,...           lookup keys: login, email, secondEmail, employeeNumber or custom attribute
                         names (default login,email)
  --workforce-group ID   the group whose members are Workforce users
  --origin URL           the Okta org the result came from
  --synced-at MS         the sync time, Unix milliseconds

examples:
  okta-directory snapshot result.json --out dir.snap
  okta-directory snapshot - --out dir.snap --keys login,email,employeeNumber < result.json`,
  },
  publish: {
    summary: "publish a snapshot to Workers KV (Cloudflare REST API): only changed shards",
    help: `usage: okta-directory publish --snapshot FILE --account-id ID --namespace-id ID [--api-token-file FILE]
                              [--prefix P] [--shards N] [--max-shards N] [--api-base URL] [--insecure-loopback]

Writes the snapshot to a Workers KV namespace in the layout the Worker reads (versioned shards and a
manifest), with bulk writes over Cloudflare's REST API. When a version is live, only the shards whose
content changed are written, plus the manifest; keys no live or previous version reads are deleted.
Retries 429 and 5xx answers. Prints a JSON summary {version, users, shards, written, deleted, incremental,
requests, retries, bulkWrites, keysWritten, elapsedMs}. The API token (Workers KV Storage: Edit) comes from
CLOUDFLARE_API_TOKEN or --api-token-file and is never printed.

options:
  --snapshot FILE        a snapshot written by \`sync\` or \`snapshot\`
  --account-id ID        the Cloudflare account id
  --namespace-id ID      the KV namespace id (the Worker's DIRECTORY binding)
  --api-token-file FILE  read the API token from FILE instead of CLOUDFLARE_API_TOKEN
  --prefix P             key prefix (default okta-directory/, the Worker's)
  --shards N             shard count (default: the live manifest's, else users / 128)
  --max-shards N         most shards chosen (default 450)
  --api-base URL         the API base (default https://api.cloudflare.com/client/v4)
  --insecure-loopback    allow an http://127.0.0.1 API base (a local fake; tests only)

examples:
  okta-directory publish --snapshot dir.snap --account-id 0123abcd --namespace-id 4567ef
  okta-directory publish --snapshot dir.snap --account-id 0123abcd --namespace-id 4567ef --api-token-file cf.token`,
  },
  version: {
    summary: "print the SDK and core versions",
    help: `usage: okta-directory version

Prints the SDK and core versions (also: okta-directory --version).

examples:
  okta-directory version`,
  },
};

/** The global help: the commands, one line each. */
export const GLOBAL_HELP = `usage: okta-directory <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Run \`okta-directory <command> --help\` for a command's options and examples.
Exit codes: 0 success, 1 handled error (stderr: error[CODE]: text), 2 usage error, 130/143 interrupted.`;

/** The help of `command` (the global help for an unknown one). */
export function helpOf(command: string | undefined): string {
  return (command === undefined ? undefined : COMMANDS[command]?.help) ?? GLOBAL_HELP;
}

/** The one-line hint after a usage error. */
export function usageHint(command: string | undefined): string {
  return command === undefined || COMMANDS[command] === undefined
    ? "run `okta-directory --help` for the commands"
    : `run \`okta-directory ${command} --help\` for its usage`;
}
