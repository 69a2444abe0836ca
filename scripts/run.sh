#!/usr/bin/env bash
# The main job: set everything up, build, and serve the dashboard on http://127.0.0.1:8787 (and the
# self-serve portal on http://127.0.0.1:8787/portal/).
#
#   bash scripts/run.sh                       the bundled Okta emulator with a 10,000-user directory, an integration
#                                             pre-filled on it, authorized and synced (OAuth private_key_jwt, as
#                                             against a real org)
#   bash scripts/run.sh --okta-org https://acme.okta.com --client-id 0oa… --private-key app.pem [--key-id KID]
#                       [--workforce-group 00g…]   your Okta org instead (an API Services app granted
#                                             okta.users.read and okta.groups.read)
#   bash scripts/run.sh --no-demo             no emulator: add integrations in the page
# Other options go to www/server/main.mjs: --port 8787, --host 127.0.0.1, --data .cache/dashboard, --demo-users N,
# --admin-oidc-issuer URL --admin-oidc-client-id 0oa…, --smtp-url smtp://…, --mail-from ADDR.
# Sign in: open the link the server prints ("sign in once with http://127.0.0.1:8787/signin.html#bootstrap=…"),
# or, with the demo, "Sign in with Okta" as the emulator's admin (user name and password printed above it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh
source scripts/lib.sh

demo=(--demo)
args=()
for arg in "$@"; do
  case "$arg" in
    --no-demo) demo=() ;;
    --okta-org|--okta-org=*) demo=(); args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done
if [ ${#demo[@]} -gt 0 ]; then
  step "dashboard on the bundled Okta emulator (10,000 users; the first sync starts by itself)"
else
  step "dashboard"
fi
exec node www/server/main.mjs "${demo[@]}" "${args[@]}"
