#!/usr/bin/env bash
# Builds a wasm module as scripts/build.sh does but keeps its function names (wasm-bindgen
# --keep-debug, wasm-opt -g), for bench/wasm_functions.py. Output: .cache/names/<full|claims>.wasm.
#
#   bash scripts/wasm-names.sh claims && python3 bench/wasm_functions.py .cache/names/claims.wasm
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib.sh

which="${1:-claims}"
# As scripts/build.sh: the caller's RUSTFLAGS, the dependency sources' remapping, the module's own.
base_flags="${RUSTFLAGS:-}${RUSTFLAGS:+ }$(remap_flags)"
case "$which" in
  claims) tdir=target/claims; level="-Os --converge"; args=(--no-default-features --features claims); export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
    # The same inline threshold as scripts/build.sh (docs/decisions/wasm-build-flags.md).
    export RUSTFLAGS="$base_flags -Cllvm-args=-inline-threshold=${CLAIMS_INLINE_THRESHOLD:-135}" ;;
  full) tdir=target; level="-O3 --converge"; args=(); export CARGO_PROFILE_RELEASE_OPT_LEVEL="${FULL_OPT_LEVEL:-3}"
    full_inline="${FULL_INLINE_THRESHOLD-75}"
    export RUSTFLAGS="$base_flags${full_inline:+ -Cllvm-args=-inline-threshold=$full_inline}" ;;
  *) die "usage: scripts/wasm-names.sh <claims|full>" ;;
esac
out=.cache/names
mkdir -p "$out"
cargo build -q --release --lib --target wasm32-unknown-unknown --target-dir "$tdir" "${args[@]}"
wasm-bindgen --target web --keep-debug --out-dir "$out/$which-bindgen" --out-name okta_directory \
  "$tdir/wasm32-unknown-unknown/release/okta_directory.wasm"
# shellcheck disable=SC2086 # the level may be several flags
wasm-opt $level -g --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue --low-memory-unused \
  "$out/$which-bindgen/okta_directory_bg.wasm" -o "$out/$which.wasm"
rm -rf "${out:?}/$which-bindgen"
info "$out/$which.wasm: $(wc -c < "$out/$which.wasm") bytes with names"
