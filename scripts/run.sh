#!/usr/bin/env bash
# The main job: set everything up, build, normalize a sample Okta profile with the CLI, and serve
# the dashboard (the page runs the same engine in WebAssembly).
#
#   bash scripts/run.sh [--port 8787]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh
source scripts/lib.sh

step "sample: normalize an Okta user with the CLI"
node js/bin/okta-directory.mjs normalize --mapping www/sample/mapping.json www/sample/users.json \
  | node -e 'let n=0;const s=require("fs").readFileSync(0,"utf8").trim().split("\n");for(const l of s){const r=JSON.parse(l);if(r.error){console.error(`   user ${++n}: error[${r.error.code}]`);continue}const m=r.issues.filter(i=>i.code==="MISSING").length,b=r.issues.length-m;console.error(`   user ${++n}: ${Object.keys(r.sources).length} fields filled, ${m} missing, ${b} invalid`)}'

step "dashboard"
exec node www/server.mjs "$@"
