#!/usr/bin/env bash
# The API reference: TypeDoc over the package's entries (js/typedoc.json) into target/api-reference/
# (ignored). Any warning fails: a broken {@link}, a type the API uses that no entry exports. Needs the
# build (the entries import the wasm glue's declarations).
#
#   bash scripts/api-reference.sh      # then open target/api-reference/index.html
#
# js/typedoc.json lists in intentionallyNotExported the emulator's internal servers (RateLimiter,
# OAuthServer, OidcProvider, Rng): reachable through RunningEmulator.env for tests, not an API.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/js"
rm -rf "$root/target/api-reference"
"$root/node_modules/.bin/typedoc" --options typedoc.json --logLevel Warn
test -f "$root/target/api-reference/index.html"
echo "API reference: target/api-reference/index.html ($(find "$root/target/api-reference" -name '*.html' | wc -l) pages)"
