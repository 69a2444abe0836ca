#!/usr/bin/env bash
# Measures the full wasm module for each combination of rustc opt-level (s, z, 3; no inline threshold) and wasm-opt
# level (-Oz, -O3): raw and gzip -9 bytes, and normalization time per user through the SDK in Node.
# Prints a Markdown table; leaves the default build in place afterwards.
#
#   bash bench/wasm-size.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib.sh

printf '| rustc opt-level | wasm-opt | raw bytes | gzip -9 bytes | normalize (µs/user, Node) |\n|---|---|---:|---:|---:|\n'
for opt in s z 3; do
  for level in -Oz -O3; do
    FULL_OPT_LEVEL="$opt" FULL_INLINE_THRESHOLD= WASM_OPT_LEVEL="$level" bash scripts/build.sh >/dev/null 2>&1
    raw=$(wc -c < pkg/okta_directory_bg.wasm)
    gz=$(gzip -9c pkg/okta_directory_bg.wasm | wc -c)
    us=$(node bench/normalize-node.mjs --quiet)
    printf '| %s | %s | %s | %s | %s |\n' "$opt" "$level" "$raw" "$gz" "$us"
  done
done
bash scripts/build.sh >/dev/null 2>&1
