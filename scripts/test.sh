#!/usr/bin/env bash
# Every test and quality gate. `.ci/run` calls exactly this.
#
#   bash scripts/test.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
source scripts/lib.sh

passed=0
declare -a timings=()
# Runs one named suite; any failure stops the run (set -e) with the suite's own output above it.
suite() {
  local name="$1"; shift
  step "$name"
  local start=$SECONDS
  "$@"
  timings+=("$(printf '%-42s %4ss' "$name" $((SECONDS - start)))")
  passed=$((passed + 1))
}

# The same wasm-bindgen suite in Node (default) or in headless Chromium (`wasm_test browser`).
wasm_test() {
  local browser=()
  [ "${1:-}" = browser ] && browser=(WASM_BINDGEN_USE_BROWSER=1 "CHROMEDRIVER=$CHROMEDRIVER")
  env "${browser[@]}" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --target wasm32-unknown-unknown --test wasm
}

# The core never names the JS boundary: only src/wasm/ may.
core_is_pure() {
  if grep -rnE 'wasm_bindgen|js_sys|web_sys|JsValue' src --include='*.rs' | grep -v '^src/wasm/'; then
    die "the lines above name the JS boundary outside src/wasm/"
  fi
  info "src/ outside src/wasm/ names no wasm_bindgen, js_sys, web_sys or JsValue"
}

# The claims-only feature set (the light browser module): the library only, the tests need `full`.
clippy_claims_only() {
  cargo clippy -q --lib --no-default-features --features claims -- -D warnings
  cargo clippy -q --lib --no-default-features --features claims --target wasm32-unknown-unknown -- -D warnings
}

suite "lint: cargo fmt --check" cargo fmt --all --check
suite "lint: core purity" core_is_pure
suite "lint: module layers (rooms per docs/architecture.md, no circles)" python3 scripts/check-layers.py
suite "lint: given-name table current (downloads the pinned names and faker packages)" python3 scripts/gen-given-names.py --check
suite "lint: clippy (native)" cargo clippy -q --all-targets -- -D warnings
suite "lint: clippy (wasm32)" cargo clippy -q --all-targets --target wasm32-unknown-unknown -- -D warnings
suite "rust: native tests" cargo test -q
suite "build: wasm + SDK" bash scripts/build.sh
suite "size: wasm gzip budgets (claims-only ≤ 250,000 B, full ≤ 600,000 B)" node bench/entry-sizes.mjs --check
suite "lint: tsc --noEmit (SDK, tests)" tsc -p js/tsconfig.test.json
suite "lint: tsc --noEmit (dashboard)" tsc -p www/tsconfig.json
suite "lint: tsc --noEmit (Worker template, checkJs)" tsc -p templates/worker/tsconfig.json
suite "lint: tsc --noEmit (dashboard server, checkJs strict)" tsc -p www/server/tsconfig.json
suite "lint: tsc --noEmit (tests: e2e, publish; checkJs strict)" tsc -p tests/tsconfig.e2e.json
suite "lint: tsc --noEmit (tests: sync-e2e, smoke, package; checkJs strict)" tsc -p tests/tsconfig.json
suite "lint: tsc --noEmit (Worker template tests, checkJs strict)" tsc -p templates/worker/tsconfig.test.json
suite "lint: tsc --noEmit (benchmarks, checkJs strict)" tsc -p bench/tsconfig.json
suite "lint: tsc --noEmit (build scripts, checkJs strict)" tsc -p scripts/tsconfig.json
suite "lint: biome (JS/TS format + lint)" biome ci --reporter=summary
suite "wasm-bindgen tests: Node" wasm_test
suite "wasm-bindgen tests: headless Chromium" wasm_test browser
suite "SDK tests (vitest, Node)" vitest run --root js
suite "package smoke: Node, Chromium, workerd" bash tests/smoke/run.sh
suite "Worker template: workerd (Miniflare)" node --test templates/worker/test/
suite "dashboard: end-to-end in Chromium" node --test tests/e2e/
suite "sync: fault matrix, incremental, group-scoped (CLI vs emulator)" node --test tests/sync-e2e/
suite "publish: Workers KV over Cloudflare's REST API (local fake)" node --test tests/publish/
suite "lint: clippy, claims-only features (native, wasm32)" clippy_claims_only
suite "docs: API reference (TypeDoc; a warning fails)" bash scripts/api-reference.sh
suite "package: tarball, publint, attw, doc snippets, Vite, Worker template, types" bash tests/package/run.sh

step "summary"
printf '   %s\n' "${timings[@]}" >&2
echo "suites: $passed passed, 0 failed"
