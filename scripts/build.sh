#!/usr/bin/env bash
# Builds the wasm module (release, wasm-bindgen --target web, wasm-opt) into pkg/ and the npm SDK
# into js/dist + js/wasm. Unchanged inputs are not rebuilt.
#
#   WASM_OPT_LEVEL=-O3 bash scripts/build.sh   # default -Oz (see BENCHMARKS.md for both)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib.sh

level="${WASM_OPT_LEVEL:--Oz}"
step "build: wasm (release, wasm-opt $level)"
cargo build -q --release --lib --target wasm32-unknown-unknown
raw=target/wasm32-unknown-unknown/release/okta_directory.wasm
stamp=pkg/.build-stamp
want="$(sha256sum "$raw" | cut -d' ' -f1) $level $(wasm_bindgen_version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -f pkg/okta_directory_bg.wasm ]; then
  rm -rf pkg
  wasm-bindgen --target web --out-dir pkg --out-name okta_directory "$raw"
  # The features rustc enables by default for wasm32 (wasm-bindgen output uses reference types).
  wasm-opt "$level" --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    pkg/okta_directory_bg.wasm -o pkg/okta_directory_bg.wasm
  echo '{"type":"module"}' > pkg/package.json
  echo "$want" > "$stamp"
fi
info "pkg/okta_directory_bg.wasm: $(wc -c < pkg/okta_directory_bg.wasm) bytes, $(gzip -9c pkg/okta_directory_bg.wasm | wc -c) gzip"

step "build: npm SDK (js/dist, js/wasm)"
mkdir -p js/wasm
for f in okta_directory.js okta_directory.d.ts okta_directory_bg.wasm; do
  cmp -s "pkg/$f" "js/wasm/$f" || cp "pkg/$f" "js/wasm/$f"
done
rm -rf js/dist
tsc -p js/tsconfig.json
ok "built"
