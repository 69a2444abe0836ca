#!/usr/bin/env bash
# The main job: set everything up, build, start the bundled Okta emulator with a 10,000-user demo
# directory, sync it (OAuth private_key_jwt, as against a real org), and serve the dashboard on it.
#
#   bash scripts/run.sh [--port 8787]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh
source scripts/lib.sh

demo=.cache/demo
mkdir -p "$demo"
step "demo: Okta emulator with a 10,000-user directory"
node js/bin/okta-directory.mjs emulator --users 10000 --groups 25 --seed 7 --rate-limit off \
  > "$demo/emulator.json" 2> "$demo/emulator.log" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  [ -s "$demo/emulator.json" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || die "the emulator exited: $(tail -n 3 "$demo/emulator.log")"
  sleep 0.5
done
[ -s "$demo/emulator.json" ] || die "the emulator did not start within 60 s"
field() { node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(c[process.argv[2]]);' "$demo/emulator.json" "$1"; }
org="$(field url)"
info "emulator at $org"

step "demo: sync the directory (private_key_jwt, DPoP when the app requires it)"
node js/bin/okta-directory.mjs sync --org "$org" --client-id "$(field clientId)" --private-key "$(field privateKeyPath)" \
  --key-id "$(field keyId)" --out "$demo/directory.json" --insecure-loopback | tail -n 1 >&2

step "dashboard"
node www/server.mjs --directory "$demo/directory.json" "$@"
