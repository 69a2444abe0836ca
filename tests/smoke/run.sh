#!/usr/bin/env bash
# Smoke test of the *shipped* npm package: pack js/, lint the package, install the tarball into a
# fresh project and use it as a consumer would from Node, Chromium and workerd (Miniflare).
# Assumes the build already ran (js/dist, js/wasm). Usage, from the repo root: bash tests/smoke/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$root/node_modules/.bin"
cd "$root"

work="$(mktemp -d "${TMPDIR:-/tmp}/okta-directory-smoke.XXXXXX")"
helper_pid=""
cleanup() {
  # The helpers close Chromium / dispose Miniflare themselves on SIGTERM.
  if [[ -n "$helper_pid" ]]; then
    kill -TERM "$helper_pid" 2>/dev/null || true
    wait "$helper_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
section() { printf '\n==== %s ====\n' "$*"; }

# Adds one step's counts to the totals; a step that failed without reporting a failure counts as one.
add_counts() { # <exit status> <passed> <failed>
  local status=$1 p=${2:-0} f=${3:-0}
  if ((status != 0 && f == 0)); then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
}

# Runs a helper in the background and waits for it; sets $status. Background because bash runs a
# trap only between commands: `wait` is interruptible, a foreground process is not, so Ctrl-C
# reaches the EXIT trap (which stops the helper and with it Chromium or workerd) at once.
run_helper() { # <command...>
  "$@" &
  helper_pid=$!
  status=0
  wait "$helper_pid" || status=$?
  helper_pid=""
}

section "build output"
# Someone may be rebuilding js/ right now: give it a moment before calling the build missing.
required=(js/dist/node.js js/dist/browser.js js/dist/workerd.js js/dist/slim.js js/wasm/okta_directory.js js/wasm/okta_directory_bg.wasm)
for _ in $(seq 30); do
  missing=()
  for f in "${required[@]}"; do [[ -f $f ]] || missing+=("$f"); done
  ((${#missing[@]} == 0)) && break
  sleep 1
done
if ((${#missing[@]})); then
  echo "missing: ${missing[*]} (run the build first: npm run build)" >&2
  exit 1
fi
echo "ok: ${required[*]}"

section "npm pack"
mkdir "$work/pack"
tarball="$work/pack/$(npm pack ./js --pack-destination "$work/pack" --loglevel=warn | tail -n1)"
tar -tzf "$tarball" | sort | sed 's/^/  /'

section "publint (strict)"
status=0
"$bin/publint" run ./js --strict || status=$?
add_counts "$status" 0 0

section "attw (cjs-resolves-to-esm ignored: see tests/package/run.sh)"
status=0
"$bin/attw" "$tarball" --ignore-rules cjs-resolves-to-esm --no-color || status=$?
add_counts "$status" 0 0

section "fresh consumer project"
app="$work/app"
mkdir "$app"
(
  cd "$app"
  npm init -y >/dev/null
  npm pkg set type=module
  # A local tarball without dependencies: --offline keeps npm away from the registry entirely.
  npm install --offline --no-audit --no-fund --loglevel=warn "$tarball"
)
cp "$here"/{cases.mjs,node-consumer.mjs,node-slim-consumer.mjs,worker-entry.mjs} "$app/"
cp "$here/browser-page.html" "$app/index.html"
echo "installed okta-directory@$(node -p 'require(process.argv[1]).version' "$app/node_modules/okta-directory/package.json") into $app"

section "Node $(node --version) (node:test)"
# Each file runs in its own process; the TAP copy gives the counts, the spec reporter the display.
run_helper node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$work/node.tap" \
  "$app/node-consumer.mjs" "$app/node-slim-consumer.mjs"
add_counts "$status" "$(sed -n 's/^# pass //p' "$work/node.tap" 2>/dev/null)" "$(sed -n 's/^# fail //p' "$work/node.tap" 2>/dev/null)"

section "Chromium (playwright-core)"
run_helper node "$here/browser.mjs" "$app" "$work/browser.counts"
# shellcheck disable=SC2046 # the file holds "passed failed"
add_counts "$status" $(cat "$work/browser.counts" 2>/dev/null)

section "workerd (esbuild + Miniflare)"
run_helper node "$here/workerd.mjs" "$app" "$work/workerd.counts"
# shellcheck disable=SC2046
add_counts "$status" $(cat "$work/workerd.counts" 2>/dev/null)

echo
echo "smoke: $passed passed, $failed failed"
((failed == 0))
